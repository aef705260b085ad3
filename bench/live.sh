#!/usr/bin/env bash
# The live path under a flood: lines per second that reach a pane (matched against the whole
# catalogue, stored with its bounded scrollback, the viewer drawing in a real terminal), and
# memory as the lines pile up. A hidden --flood option stands in for a container flooding its
# log: it replays a docker-format corpus through the same source → match → store → draw path.
# (A real dockerd's json-file logging tops out well below this, so it would measure docker.)
#
# Usage: bench/live.sh [LINES]     (default 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-10000000}
OUT=target/bench
mkdir -p "$OUT"
. bench/common.sh
bench_needs tmux:tmux python3:python3
cargo build --release -q
TRIAGE=$PWD/target/release/triage
CORPUS=$OUT/docker-50M.log
[ -s "$CORPUS" ] || bench/gen-corpus --bytes 50M --format docker --seed 2 -o "$CORPUS"
export XDG_CONFIG_HOME=$OUT/no-config
SOCK=triage-live-$$

rm -f "$OUT/live.err" "$OUT/live.rss"
tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 48 \
  "$TRIAGE --flood $CORPUS --flood-lines $LINES --exit-when-loaded 2>$OUT/live.err"
sleep 0.5
PID=$(pgrep -nx triage)
# Resident memory every second while it runs.
while kill -0 "$PID" 2>/dev/null; do
  awk '/VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null >>"$OUT/live.rss" || true
  sleep 1
done
tmux -L "$SOCK" kill-server 2>/dev/null || true
python3 - "$LINES" "$OUT/live.err" "$OUT/live.rss" "$CORPUS" <<'PY'
import os, re, sys
lines, err, rss_file, corpus = int(sys.argv[1]), open(sys.argv[2]).read(), sys.argv[3], sys.argv[4]
loaded = float(re.search(r"loaded_ms=([0-9.]+)", err).group(1)) / 1000
rss = [int(x) / 1024 for x in open(rss_file).read().split()]
harness = os.path.getsize(corpus) / 2**20
print(f"## Live flood: {lines:,} lines into one pane (scrollback 100,000), viewer in a 160x48 tmux\n")
print(f"- {lines / loaded:,.0f} lines/s ({loaded:.1f} s)")
q = len(rss) // 4 or 1
print(f"- resident memory, MiB, sampled each second: first {rss[0]:.0f}, at 1/4 {rss[q]:.0f}, 1/2 {rss[2*q]:.0f}, 3/4 {rss[min(3*q, len(rss)-1)]:.0f}, last {rss[-1]:.0f}, peak {max(rss):.0f}")
print(f"  (of which about {harness:.0f} MiB is the replayed corpus the stand-in source holds)")
PY
