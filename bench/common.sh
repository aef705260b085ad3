# Sourced by the bench scripts: install what a benchmark compares against, if missing.
# Usage: bench_needs COMMAND:PACKAGE ...
bench_needs() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# measure NAME FILE CMD...: RUNS runs (default 3) of CMD, prints a Markdown table row with the
# median wall time, throughput over FILE's size and the largest peak RSS, and appends
# `NAME<TAB>MB/s<TAB>RSS KiB` to $ROWS (default target/bench/rows.tsv).
measure() {
  local name=$1 file=$2; shift 2
  local runs=${RUNS:-3} rows=${ROWS:-target/bench/rows.tsv}
  local bytes times=() rss=0 out
  bytes=$(stat -c %s "$file")
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o target/bench/time.txt "$@" > target/bench/last.out 2>/dev/null || true
    out=$(tail -1 target/bench/time.txt)
    times+=("${out% *}")
    [ "${out#* }" -gt "$rss" ] && rss=${out#* }
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p")
  python3 - "$name" "$bytes" "$median" "$rss" "$rows" <<'PY'
import sys
name, size, secs, rss, rows = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
mbs = size / 1e6 / max(secs, 1e-3)
print(f"| {name} | {size/1e6:,.0f} MB | {secs:.2f} s | {mbs:,.0f} MB/s | {rss/1024:,.1f} MiB |")
open(rows, "a").write(f"{name}\t{mbs}\t{rss}\n")
PY
}
