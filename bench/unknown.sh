#!/usr/bin/env bash
# What `scan --unknown` costs: `triage scan --summary` against `triage scan --unknown
# --summary` (every line's level read, unrecognised errors mined into templates), one thread
# and all threads, in the same run, on loghub's 16 systems repeated to SIZE (a tenth of their
# lines are errors or worse by their own level) and on the generated corpus of
# bench/gen-corpus. The target: within 1.5x. A benchmark, not a test: compare the ratios.
#
# Usage: bench/unknown.sh [SIZE]      (default 256M)   RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-256M}
RUNS=${RUNS:-3}
OUT=target/bench
mkdir -p "$OUT"
. bench/common.sh
bench_needs /usr/bin/time:time python3:python3
cargo build --release -q
TRIAGE=$PWD/target/release/triage
export XDG_CONFIG_HOME=$OUT/no-config

LOGHUB=${LOGHUB:-../shared/corpus/loghub}
REAL=$OUT/loghub-$SIZE.log
loghub_corpus "$LOGHUB" "$SIZE" "$REAL"
GEN=$OUT/corpus-$SIZE.log
[ -s "$GEN" ] || bench/gen-corpus --bytes "$SIZE" --seed 1 -o "$GEN"

export ROWS=$OUT/unknown-rows.tsv
rm -f "$ROWS"
echo "## scan vs scan --unknown ($(date -u +%Y-%m-%d), $(nproc) cores, $SIZE each, median of $RUNS)"
echo
echo "| command | input | time | throughput | peak RSS |"
echo "|---|---|---|---|---|"
for corpus in real:"$REAL" generated:"$GEN"; do
  kind=${corpus%%:*} file=${corpus#*:}
  cat "$file" > /dev/null
  for j in 1 0; do
    threads=(); [ "$j" = 1 ] && threads=(-j1)
    label=${threads[*]:-"-j$(nproc)"}
    measure "scan --summary $label ($kind)" "$file" "$TRIAGE" scan --summary "${threads[@]}" "$file"
    measure "scan --unknown --summary $label ($kind)" "$file" "$TRIAGE" scan --unknown --summary "${threads[@]}" "$file"
  done
done
echo
python3 - "$ROWS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
for plain, unknown in zip(rows[0::2], rows[1::2]):
    ratio = float(plain[1]) / float(unknown[1])
    print(f"- {unknown[0]}: {ratio:.2f}x the time of `{plain[0]}`")
PY
