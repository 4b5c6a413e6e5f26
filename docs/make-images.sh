#!/usr/bin/env bash
# Regenerates the README's pictures from the commands that draw them (same seeds → same data).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
run() { dotnet run -c Release --project src/FastMlp.Cli -- "$@"; }
run train --out "$out/train" --quiet
run demo linear --out "$out/demo" --quiet
run lr-find --out "$out/find" --quiet
# Permutation importance on the diabetes data with a yes/no target (progression > 200), scored on its last 100 rows.
awk -F, -v OFS=, 'NR==1{$NF="high"; print; next} {$NF=(($NF+0)>200?"yes":"no"); print}' src/FastMlp.Cli/Datasets/diabetes.csv | tr -d '\r' > "$out/high.csv"
head -343 "$out/high.csv" > "$out/train.csv"; { head -1 "$out/high.csv"; tail -100 "$out/high.csv"; } > "$out/test.csv"
run train --data "$out/train.csv" --target high --layers 16 --optimizer adam --lr 0.01 --split 80/20 --threshold 0.35 --out "$out/high" --quiet
run importance --model "$out/high/model.fastmlp" --data "$out/test.csv" --metric rocauc --repeats 10 --out "$out/importance.png" --quiet
cp "$out/importance.png" docs/images/
cp "$out/train/loss.png" "$out/train/confusion.png" "$out/demo/demo-linear-surface.png" "$out/demo/demo-linear.png" "$out/find/lr-find.png" docs/images/
rm -rf "$out"
