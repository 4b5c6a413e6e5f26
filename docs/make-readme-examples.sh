#!/usr/bin/env bash
# Regenerates the README's example outputs: every block between <!-- example:NAME:begin --> and
# <!-- example:NAME:end --> keeps its "$ fastmlp ..." (and "$ cat FILE") command lines and gets what they print.
# The commands run in-process through the CLI test project's ReadmeExampleTests, the same code that checks the
# README in CI (a README that drifts from its commands fails there); see that file for what is left out
# (the per-epoch table, the GEMM path, wall times). Takes a few seconds after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/FastMlp.Cli.Tests -c Release
FASTMLP_UPDATE_README=1 dotnet test tests/FastMlp.Cli.Tests -c Release --no-build \
  --filter "FullyQualifiedName~ReadmeExampleTests.The_readme_examples_are_the_output_of_their_commands"
git --no-pager diff --stat -- README.md
