#!/usr/bin/env bash
# Regenerates the README's pictures from the commands that draw them (same seeds → same data).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
run() { dotnet run -c Release --project src/FastMlp.Cli -- "$@"; }
run train --out "$out/train" --quiet
run demo linear --out "$out/demo" --quiet
run lr-find --out "$out/find" --quiet
cp "$out/train/loss.png" "$out/train/confusion.png" "$out/demo/demo-linear-surface.png" "$out/demo/demo-linear.png" "$out/find/lr-find.png" docs/images/
rm -rf "$out"
