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

time_of() { # time_of CMD...: wall seconds and peak RSS (KiB) of one run
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
  tail -1 "$work/time.txt"
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
  echo "| $n entries | $(stat -c %s "$work/p$n/many.toml") bytes | $secs s | $((rss / 1024)) MiB |"
done

echo "## hit-dense against normal input ($MB MB each, -j 1)"
python3 - "$work" "$MB" <<'PY'
import sys
work, mb = sys.argv[1], int(sys.argv[2])
size = mb * 1_000_000
with open(f"{work}/normal.log", "w") as normal, open(f"{work}/dense.log", "w") as dense:
    i = written = 0
    while written < size:
        ts = f"2026/11/28 14:{(i // 60) % 60:02d}:{i % 60:02d}"
        if i % 5000 == 0:
            line = f"{ts} [error] 29#29: *{i} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.{i % 250}.{i % 199}, server: _, request: \"GET /api/{i} HTTP/1.1\", upstream: \"http://172.18.0.3:8000/api/{i}\"\n"
        else:
            line = f"{ts} [info] 29#29: *{i} client 10.0.{i % 250}.{i % 199} closed keepalive connection after serving /api/{i} in {i % 97} ms, nothing failed\n"
        normal.write(line)
        dense.write(f"{ts} [error] 29#29: *{i} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.{i % 250}.{i % 199}, server: _, request: \"GET /api/{i} HTTP/1.1\", upstream: \"http://172.18.0.3:8000/api/{i}\"\n")
        written += len(line)
        i += 1
PY
read -r n_secs n_rss < <(time_of "$TRIAGE" scan -j 1 --format jsonl "$work/normal.log")
read -r d_secs d_rss < <(time_of "$TRIAGE" scan -j 1 --format jsonl "$work/dense.log")
read -r t_secs t_rss < <(time_of "$TRIAGE" scan -j 1 "$work/dense.log")
read -r g_secs g_rss < <(time_of "$TRIAGE" scan -j 1 --group "$work/dense.log")
echo "| normal, jsonl | $(stat -c %s "$work/normal.log") bytes | $n_secs s | $((n_rss / 1024)) MiB |"
echo "| every line a hit, jsonl | $(stat -c %s "$work/dense.log") bytes | $d_secs s | $((d_rss / 1024)) MiB |"
echo "| every line a hit, text | | $t_secs s | $((t_rss / 1024)) MiB |"
echo "| every line a hit, --group | | $g_secs s | $((g_rss / 1024)) MiB |"
python3 -c "print(f'hit-dense / normal (jsonl): {float(\"$d_secs\") / max(float(\"$n_secs\"), 0.01):.2f}x')"
