#!/usr/bin/env bash
# Grouping accuracy of `triage templates` against loghub's ground truth, beside drain3 with
# its defaults on the same raw lines, in one run (bench/templates_eval.py says how it is
# measured). The 16 samples are ../shared/corpus/loghub (or CORPUS=DIR); the ground truth is
# bench/data/loghub/*_2k.events, the EventId column of loghub's *_2k.log_structured.csv
# (https://github.com/logpai/loghub; its LICENSE beside them), for measuring only.
#
# Usage: bench/templates.sh [SYSTEM...]
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-../shared/corpus/loghub}
. bench/common.sh
bench_needs python3:python3
python3 -c 'import drain3' 2>/dev/null || python3 -m pip install -q drain3==0.9.11
cargo build -q
echo "## Grouping accuracy on loghub's 2k samples, raw lines, no per-system setting ($(date -u +%Y-%m-%d))"
echo
python3 bench/templates_eval.py target/debug/triage "$CORPUS" "$@"
