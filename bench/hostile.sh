#!/usr/bin/env bash
# Issue 8, the load a hostile or careless input puts on triage, measured (not a timed test):
#   1. loading N user catalogue entries (one file; N = 1000, 2000, 4000, 8000): linear means
#      each doubling of N about doubles the time;
#   2. a hit-dense input (every line a known error) against a normal one of the same size
#      (about 1 line in 5,000 a hit): the target is within 3x the time;
#   3. `--group` on the hit-dense input: its peak RSS against the in-order output's.
# Usage: bench/hostile.sh [TRIAGE [MB]]   (default: target/release/triage, 50 MB inputs)
# Compare two builds by running it with each binary: the figures are only comparable within
# one run of the machine's load.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
TRIAGE=${1:-target/release/triage}
MB=${2:-50}
mkdir -p target/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/no-config" NO_COLOR=1

time_of() { # time_of CMD...: CPU seconds (user + system) and peak RSS (KiB) of one run
  # CPU time, not wall time: on a machine shared with other builds the wall clock measures
  # them too.
  /usr/bin/time -f "%U %S %M" -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
  tail -1 "$work/time.txt" | awk '{ printf "%.2f %d\n", $1 + $2, $3 }'
}

echo "## user entries loaded ($TRIAGE)"
: > "$work/empty.log"
for n in 1000 2000 4000 8000; do
  mkdir -p "$work/p$n"
  python3 - "$n" > "$work/p$n/many.toml" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print(f'''[[entry]]
id = "user-{i}"
severity = "error"
title.en = "User error {i}"
cause.en = "Cause {i}."
regex = [\'\'\'user failure number {i} happened\'\'\']
examples = ["user failure number {i} happened"]

[[entry.remedy]]
en = "Look at it."
run = ["journalctl -u app{i}.service -n 50"]
''')
PY
  read -r secs rss < <(time_of "$TRIAGE" --patterns "$work/p$n" scan "$work/empty.log")
  echo "| $n entries | $(stat -c %s "$work/p$n/many.toml") bytes | $secs s CPU | $((rss / 1024)) MiB |"
done

echo "## every line a hit against normal input (1 in 5,000 a hit), $MB MB each, -j 1"
python3 - "$work" "$MB" <<'PY'
import sys
work, mb = sys.argv[1], int(sys.argv[2])
size = mb * 1_000_000
def refused(i, ts):
    return (f"{ts} [error] 29#29: *{i} connect() failed (111: Connection refused) while connecting"
            f" to upstream, client: 10.0.{i % 250}.{i % 199}, server: _, request: \"GET /api/{i}"
            f" HTTP/1.1\", upstream: \"http://172.18.0.3:8000/api/{i}\"\n")
def served(i, ts):
    return (f"{ts} [info] 29#29: *{i} client 10.0.{i % 250}.{i % 199} closed keepalive connection"
            f" after serving /api/{i} in {i % 97} ms with status 200 and nothing failed at all\n")
for name, line_of in (("normal", lambda i, ts: refused(i, ts) if i % 5000 == 0 else served(i, ts)),
                      ("dense", refused)):
    with open(f"{work}/{name}.log", "w") as out:
        i = written = 0
        while written < size:
            line = line_of(i, f"2026/11/28 14:{(i // 60) % 60:02d}:{i % 60:02d}")
            out.write(line)
            written += len(line)
            i += 1
PY
echo "| input, output | size | CPU time | peak RSS |"
for input in normal dense; do
  for output in text jsonl group; do
    case $output in
      text) args=() ;;
      jsonl) args=(--format jsonl) ;;
      group) args=(--group) ;;
    esac
    read -r secs rss < <(time_of "$TRIAGE" scan -j 1 "${args[@]}" "$work/$input.log")
    echo "| $input, $output | $(stat -c %s "$work/$input.log") bytes | $secs s | $((rss / 1024)) MiB |"
    eval "t_${input}_${output}=$secs"
  done
done
for output in text jsonl group; do
  eval "python3 -c \"print(f'every line a hit / normal, $output: {\$t_dense_$output / max(\$t_normal_$output, 0.01):.2f}x')\""
done
