#!/usr/bin/env bash
# The main job: set up, then differentiate the lecture's worked examples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
symdiff grad examples/lecture07_sin_over_product.prog --wrt x,y
symdiff grad examples/lecture07_smape.prog --wrt P,a1,a2,a3
