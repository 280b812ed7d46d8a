#!/usr/bin/env bash
# The main job: set up, verify the derivations library, then write the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
symdiff verify derivations/
symdiff report derivations/ -o reports/
