#!/usr/bin/env bash
# The live path under a flood: lines per second that reach a pane (matched against the whole
# catalogue, stored with its bounded scrollback, the viewer drawing in a real terminal), and
# memory as the lines pile up. A hidden --flood option stands in for a container flooding its
# log: it replays a docker-format corpus through the same source → match → store → draw path.
# (A real dockerd's json-file logging tops out well below this, so it would measure docker.)
#
# Usage: bench/live.sh [LINES] [traffic|hits]     (default 10000000 traffic)
#   TRIAGE=PATH runs that binary instead of building this tree's (another branch's build, for
#   a before/after in the same conditions).
#   traffic: a docker-format corpus from bench/gen-corpus (about 1 line in 5000 a known error)
#   hits:    an outage: 200,000 distinct nginx `connect() failed (111: Connection refused)`
#            lines, every one a hit, replayed in a cycle, so time steps back at each pass (as
#            when sources are merged or a file holds several runs). Also measures how long
#            SIGTERM takes to end the viewer in the middle of it.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-10000000}
MODE=${2:-traffic}
export MODE
OUT=target/bench
mkdir -p "$OUT"
. bench/common.sh
bench_needs tmux:tmux python3:python3
if [ -z "${TRIAGE:-}" ]; then
  cargo build --release -q
  TRIAGE=$PWD/target/release/triage
fi
if [ "$MODE" = hits ]; then
  CORPUS=$OUT/upstream-refused-200k.log
  [ -s "$CORPUS" ] || python3 - "$CORPUS" <<'PY'
import datetime, sys
start = datetime.datetime(2026, 11, 28, 14, 0, 0, tzinfo=datetime.timezone.utc)
with open(sys.argv[1], "w") as out:
    for n in range(200_000):
        t = start + datetime.timedelta(milliseconds=5 * n)
        out.write(f"{t.strftime('%Y-%m-%dT%H:%M:%S.%f')}000Z {t.strftime('%Y/%m/%d %H:%M:%S')} [error] 29#29: "
                  f"*{n + 1000} connect() failed (111: Connection refused) while connecting to upstream, "
                  f"client: 172.18.0.1, server: _, request: \"GET /api/items/{n} HTTP/1.1\", "
                  f"upstream: \"http://172.18.0.3:8000/api/items/{n}\", host: \"localhost\"\n")
PY
else
  CORPUS=$OUT/docker-50M.log
  [ -s "$CORPUS" ] || bench/gen-corpus --bytes 50M --format docker --seed 2 -o "$CORPUS"
fi
export XDG_CONFIG_HOME=$OUT/no-config
SOCK=triage-live-$$

rm -f "$OUT/live.err" "$OUT/live.rss" "$OUT/live.cpu"
tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 48 \
  "$TRIAGE --flood $CORPUS --flood-lines $LINES --exit-when-loaded 2>$OUT/live.err"
sleep 0.5
# This session's triage (not another one running on the machine): the pane's process or its child.
PANE=$(tmux -L "$SOCK" display -p '#{pane_pid}')
PID=$(pgrep -P "$PANE" -x triage || echo "$PANE")
# Resident memory every second while it runs (in `hits` mode, SIGTERM after TERM_AFTER
# seconds, timing how long the viewer takes to end).
TERM_AFTER=${TERM_AFTER:-0}
TERM_MS=
SECONDS_RUN=0
while kill -0 "$PID" 2>/dev/null; do
  awk '/VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null >>"$OUT/live.rss" || true
  # CPU time so far (user + system, clock ticks): on a shared machine, steadier than the wall
  # clock for comparing two builds.
  awk '{print $14 + $15}' "/proc/$PID/stat" 2>/dev/null >>"$OUT/live.cpu" || true
  sleep 1
  SECONDS_RUN=$((SECONDS_RUN + 1))
  if [ "$TERM_AFTER" -gt 0 ] && [ "$SECONDS_RUN" -ge "$TERM_AFTER" ]; then
    T0=$(date +%s%N); kill -TERM "$PID"
    while kill -0 "$PID" 2>/dev/null; do sleep 0.005; done
    TERM_MS=$(( ($(date +%s%N) - T0) / 1000000 ))
    echo "loaded_ms=$((SECONDS_RUN * 1000))" >>"$OUT/live.err"
    break
  fi
done
tmux -L "$SOCK" kill-server 2>/dev/null || true
if [ -n "$TERM_MS" ]; then
  echo "## Live flood ($MODE): SIGTERM after ${TERM_AFTER} s ended the viewer in $TERM_MS ms"
  echo "- resident memory, MiB, sampled each second: $(awk '{printf "%d ", $1/1024}' "$OUT/live.rss")"
  exit 0
fi
python3 - "$LINES" "$OUT/live.err" "$OUT/live.rss" "$CORPUS" "$OUT/live.cpu" "$(getconf CLK_TCK)" <<'PY'
import os, re, sys
lines, err, rss_file, corpus = int(sys.argv[1]), open(sys.argv[2]).read(), sys.argv[3], sys.argv[4]
cpu = [int(x) for x in open(sys.argv[5]).read().split()]
loaded = float(re.search(r"loaded_ms=([0-9.]+)", err).group(1)) / 1000
rss = [int(x) / 1024 for x in open(rss_file).read().split()]
harness = os.path.getsize(corpus) / 2**20
print(f"## Live flood ({os.environ.get('MODE', 'traffic')}): {lines:,} lines into one pane (scrollback 100,000), viewer in a 160x48 tmux\n")
print(f"- {lines / loaded:,.0f} lines/s ({loaded:.1f} s)")
if cpu:
    print(f"- CPU time (user + system) by the last sample, once a second: {cpu[-1] / int(sys.argv[6]):.1f} s")
q = len(rss) // 4 or 1
print(f"- resident memory, MiB, sampled each second: first {rss[0]:.0f}, at 1/4 {rss[q]:.0f}, 1/2 {rss[2*q]:.0f}, 3/4 {rss[min(3*q, len(rss)-1)]:.0f}, last {rss[-1]:.0f}, peak {max(rss):.0f}")
print(f"  (of which about {harness:.0f} MiB is the replayed corpus the stand-in source holds)")
PY
