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

# loghub_corpus SRC SIZE OUT: loghub's samples in SRC (whole, newline-terminated lines, in name
# order) repeated to SIZE (e.g. 256M) into OUT, unless OUT is there already.
loghub_corpus() {
  [ -s "$3" ] && return 0
  python3 - "$1" "$2" "$3" <<'PY'
import glob, os, sys
src, size, out = sys.argv[1], sys.argv[2], sys.argv[3]
units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
want = int(size[:-1]) * units[size[-1]] if size[-1] in units else int(size)
text = b""
for path in sorted(glob.glob(os.path.join(src, "*.log"))):
    data = open(path, "rb").read()
    text += data if data.endswith(b"\n") else data + b"\n"
with open(out, "wb") as f:
    written = 0
    while written < want:
        f.write(text)
        written += len(text)
PY
}
