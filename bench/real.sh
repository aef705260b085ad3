#!/usr/bin/env bash
# One thread, the whole catalogue, on real logs: loghub's 16 systems (../shared/corpus/loghub,
# or the copy in tests/fixtures/loghub) concatenated and repeated to SIZE, and on the generated
# corpus of bench/gen-corpus; then the same with the catalogue grown to 3x its entries
# (synthetic look-alike entries: each regex again with a word of its own appended, so the
# literals are as varied as the real ones). Compared in the same run with
# `rg -c -f bench/patterns-40.txt`, which runs 10x fewer regexes. A benchmark, not a test:
# compare the ratios.
#
# Usage: bench/real.sh [SIZE]      (default 512M)   RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-512M}
RUNS=${RUNS:-3}
OUT=target/bench
mkdir -p "$OUT"
. bench/common.sh
bench_needs rg:ripgrep /usr/bin/time:time python3:python3
cargo build --release -q
TRIAGE=$PWD/target/release/triage
export XDG_CONFIG_HOME=$OUT/no-config

LOGHUB=../shared/corpus/loghub
[ -d "$LOGHUB" ] || LOGHUB=tests/fixtures/loghub
REAL=$OUT/loghub-$SIZE.log
loghub_corpus "$LOGHUB" "$SIZE" "$REAL"
GEN=$OUT/corpus-$SIZE.log
[ -s "$GEN" ] || bench/gen-corpus --bytes "$SIZE" --seed 1 -o "$GEN"

# 3x the catalogue: two look-alike entries per built-in regex.
GROWN=$OUT/catalogue-3x
mkdir -p "$GROWN"
"$TRIAGE" patterns regexes > "$OUT/catalogue.regexes"
python3 - "$OUT/catalogue.regexes" "$GROWN/grown.toml" <<'PY'
import sys
words = ["backend", "upstream", "volume", "replica", "session", "daemon", "timeout", "socket"]
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    n = 0
    for regex in (l.rstrip("\n") for l in f if l.strip()):
        for k in range(2):
            word = f"{words[(n + k) % len(words)]}-{n}-{k}"
            out.write(f"[[entry]]\nid = \"grown-{n}-{k}\"\nseverity = \"warning\"\n"
                      f"title.en = \"grown {n}\"\ntitle.zh = \"grown {n}\"\ncause.en = \"-\"\ncause.zh = \"-\"\n"
                      f"regex = ['''{regex} {word}''']\n\n")
        n += 1
PY
NENTRY=$("$TRIAGE" patterns list | wc -l)
NGROWN=$("$TRIAGE" --patterns "$GROWN" patterns list | wc -l)

export ROWS=$OUT/real-rows.tsv
rm -f "$OUT/real-rows.tsv"
echo "## One thread, whole catalogue, real and generated logs ($(date -u +%Y-%m-%d), $(nproc) cores, $SIZE each, median of $RUNS)"
echo
echo "| command | input | time | throughput | peak RSS |"
echo "|---|---|---|---|---|"
for corpus in real:"$REAL" generated:"$GEN"; do
  kind=${corpus%%:*} file=${corpus#*:}
  cat "$file" > /dev/null
  measure "rg -c -f patterns-40.txt ($kind)" "$file" rg -c -f bench/patterns-40.txt "$file"
  measure "triage scan --summary -j1, $NENTRY entries ($kind)" "$file" "$TRIAGE" scan --summary -j1 "$file"
  measure "triage scan --summary -j1, $NGROWN entries ($kind)" "$file" "$TRIAGE" --patterns "$GROWN" scan --summary -j1 "$file"
done
echo
python3 - "$NENTRY" "$NGROWN" <<'PY'
import sys
n, g = sys.argv[1], sys.argv[2]
rows = {l.split("\t")[0]: l.split("\t")[1] for l in open("target/bench/real-rows.tsv")}
for kind in ("real", "generated"):
    rg = float(rows[f"rg -c -f patterns-40.txt ({kind})"])
    for entries in (n, g):
        t = float(rows[f"triage scan --summary -j1, {entries} entries ({kind})"])
        print(f"- {kind}: triage with {entries} entries / rg with 40 regexes: {t / rg:.2f}x the throughput")
PY
