#!/usr/bin/env bash
# Throughput and peak memory of `triage scan --summary` against ripgrep and GNU grep, in one
# run, on one corpus from bench/gen-corpus (the errors of the Athena Eye stack among realistic
# docker/journal traffic). A benchmark, not a test: figures depend on the machine, so compare
# the ratios.
#
# Usage: bench/scan.sh [SIZE]          SIZE as gen-corpus takes it (default 1G)
#   RUNS=3 (runs per tool; the median wall time and the largest peak RSS are reported)
#   SLOW_SLICE=64M (corpus size for rg with the whole catalogue, which crawls; run once)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1G}
RUNS=${RUNS:-3}
SLOW_SLICE=${SLOW_SLICE:-64M}
OUT=target/bench
mkdir -p "$OUT"

. bench/common.sh
bench_needs rg:ripgrep /usr/bin/time:time python3:python3
cargo build --release -q
TRIAGE=$PWD/target/release/triage

CORPUS=$OUT/corpus-$SIZE.log
if [ ! -s "$CORPUS" ]; then
  echo "generating $SIZE corpus (seed 1) ..." >&2
  bench/gen-corpus --bytes "$SIZE" --seed 1 -o "$CORPUS" --truth "$OUT/corpus-$SIZE.truth"
fi
SLICE=$OUT/corpus-$SLOW_SLICE.log
[ -s "$SLICE" ] || bench/gen-corpus --bytes "$SLOW_SLICE" --seed 1 -o "$SLICE"

# The 40 regexes of bench/patterns-40.txt as a triage catalogue, to compare like with like.
CAT40=$OUT/catalogue-40
mkdir -p "$CAT40"
python3 - "$CAT40/bench.toml" <<'PY'
import sys
with open("bench/patterns-40.txt") as f, open(sys.argv[1], "w") as out:
    for n, regex in enumerate(l.rstrip("\n") for l in f if l.strip()):
        out.write(f"[[entry]]\nid = \"p{n:02d}\"\nseverity = \"error\"\n"
                  f"title.en = \"pattern {n}\"\ntitle.zh = \"模式 {n}\"\ncause.en = \"-\"\ncause.zh = \"-\"\n"
                  f"regex = ['''{regex}''']\n\n")
PY
"$TRIAGE" patterns regexes > "$OUT/catalogue.regexes"
NREGEX=$(wc -l < "$OUT/catalogue.regexes")
NENTRY=$("$TRIAGE" patterns list | wc -l)

export XDG_CONFIG_HOME=$OUT/no-config
cat "$CORPUS" > /dev/null   # hot cache for everyone

rm -f "$OUT/rows.tsv"
echo "## triage scan vs ripgrep and grep ($(date -u +%Y-%m-%d), $(nproc) cores, corpus $SIZE, median of $RUNS)"
echo
echo "Same 40 regexes (bench/patterns-40.txt):"
echo
echo "| command | input | time | throughput | peak RSS |"
echo "|---|---|---|---|---|"
measure "triage scan --summary (40-entry catalogue)" "$CORPUS" "$TRIAGE" --no-builtin --patterns "$CAT40" scan --summary "$CORPUS"
measure "triage scan --summary -j1 (40-entry catalogue)" "$CORPUS" "$TRIAGE" --no-builtin --patterns "$CAT40" scan --summary -j1 "$CORPUS"
measure "rg -c -f patterns-40.txt" "$CORPUS" rg -c -f bench/patterns-40.txt "$CORPUS"
measure "grep -E -c -f patterns-40.txt" "$CORPUS" grep -E -c -f bench/patterns-40.txt "$CORPUS"
echo
echo "The whole catalogue ($NENTRY entries, $NREGEX regexes; \`triage patterns regexes\` feeds rg and grep;"
echo "rg and grep crawl with this many regexes, so all three get a $SLOW_SLICE corpus from the same generator):"
echo
echo "| command | input | time | throughput | peak RSS |"
echo "|---|---|---|---|---|"
measure "triage scan --summary" "$CORPUS" "$TRIAGE" scan --summary "$CORPUS"
measure "triage scan --summary -j1" "$CORPUS" "$TRIAGE" scan --summary -j1 "$CORPUS"
measure "triage scan --summary (slice)" "$SLICE" "$TRIAGE" scan --summary "$SLICE"
RUNS=1 measure "rg -c -f catalogue.regexes (slice)" "$SLICE" rg -c -f "$OUT/catalogue.regexes" "$SLICE"
echo
python3 - <<'PY'
rows = {}
for line in open("target/bench/rows.tsv"):
    name, mbs, rss = line.rstrip("\n").split("\t")
    rows[name] = (float(mbs), int(rss))
def ratio(a, b):
    if a in rows and b in rows:
        print(f"- {a} / {b}: {rows[a][0] / rows[b][0]:.1f}x the throughput, {rows[a][1] / rows[b][1]:.2f}x the memory")
ratio("triage scan --summary (40-entry catalogue)", "rg -c -f patterns-40.txt")
ratio("triage scan --summary -j1 (40-entry catalogue)", "rg -c -f patterns-40.txt")
ratio("triage scan --summary (40-entry catalogue)", "grep -E -c -f patterns-40.txt")
ratio("triage scan --summary (slice)", "rg -c -f catalogue.regexes (slice)")
ratio("triage scan --summary", "rg -c -f catalogue.regexes (slice)")
PY
# Hits must agree with the generator's truth file (a fast wrong answer is no answer).
TRUTH=$(wc -l < "$OUT/corpus-$SIZE.truth")
FOUND=$("$TRIAGE" scan --summary --format jsonl "$CORPUS" | python3 -c "import json,sys; print(sum(json.loads(l)['count'] for l in sys.stdin))")
echo
echo "Correctness: $FOUND hits by triage's catalogue, $TRUTH injected errors in the truth file."
