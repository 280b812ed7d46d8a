#!/usr/bin/env bash
# The main job: set up, verify the derivations library, then write the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# a fixed hash seed: the kink probes of a few claims still follow set order, and the reports must not change
export PYTHONHASHSEED=0
symdiff verify derivations/
symdiff report derivations/ -o reports/
