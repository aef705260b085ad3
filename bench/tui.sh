#!/usr/bin/env bash
# Opening a big log in the viewer, against lnav on the same file in the same run: loghub's 16
# real systems repeated to SIZE, and the generated corpus of bench/gen-corpus.
# triage runs in a real terminal (tmux) and quits once every line is indexed and every hit is
# listed (--exit-when-loaded), printing when its first frame and its last hit were drawn.
# lnav runs headless: `lnav -n -c ':goto 100%'` (index the whole file, go to its end).
#
# Usage: bench/tui.sh [SIZE]     (default 1G)
#   RUNS=3 (median time, largest peak RSS)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1G}
RUNS=${RUNS:-3}
OUT=target/bench
mkdir -p "$OUT"

. bench/common.sh
bench_needs lnav:lnav tmux:tmux /usr/bin/time:time
cargo build --release -q
TRIAGE=$PWD/target/release/triage
GEN=$OUT/corpus-$SIZE.log
[ -s "$GEN" ] || bench/gen-corpus --bytes "$SIZE" --seed 1 -o "$GEN" --truth "$OUT/corpus-$SIZE.truth"
REAL=$OUT/loghub-$SIZE.log
LOGHUB=../shared/corpus/loghub
[ -d "$LOGHUB" ] || LOGHUB=tests/fixtures/loghub
loghub_corpus "$LOGHUB" "$SIZE" "$REAL"

export XDG_CONFIG_HOME=$OUT/no-config
SOCK=triage-bench-$$
median() { sort -g | sed -n "$(( (RUNS + 1) / 2 ))p"; }

rm -f "$OUT/tui-ratios.txt"
echo "## Opening a $SIZE log (median of $RUNS, $(nproc) cores)"
echo
echo "| | corpus | first frame with lines | all lines indexed, all hits listed | every line's own error/warning read | peak RSS |"
echo "|---|---|---|---|---|---|"
for corpus in real:"$REAL" generated:"$GEN"; do
  kind=${corpus%%:*} CORPUS=${corpus#*:}
  cat "$CORPUS" > /dev/null   # hot cache for both

  first=(); loaded=(); marked=(); trss=0
  for _ in $(seq "$RUNS"); do
    rm -f "$OUT/tui.err" "$OUT/tui.time"
    tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 48 \
      "/usr/bin/time -f '%e %M' -o $OUT/tui.time $TRIAGE --exit-when-loaded $CORPUS 2>$OUT/tui.err"
    for _ in $(seq 600); do [ -s "$OUT/tui.time" ] && break; sleep 0.1; done
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    read -r f l m < <(sed -E 's/.*first_lines_ms=([0-9.]+) loaded_ms=([0-9.]+) marked_ms=([0-9.]+).*/\1 \2 \3/' "$OUT/tui.err")
    first+=("$f"); loaded+=("$l"); marked+=("$m")
    rss=$(cut -d' ' -f2 "$OUT/tui.time"); [ "$rss" -gt "$trss" ] && trss=$rss
  done

  ltimes=(); lrss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$OUT/lnav.time" lnav -n -c ':goto 100%' "$CORPUS" > /dev/null 2>&1 || true
    ltimes+=("$(cut -d' ' -f1 "$OUT/lnav.time")")
    rss=$(cut -d' ' -f2 "$OUT/lnav.time"); [ "$rss" -gt "$lrss" ] && lrss=$rss
  done

  F=$(printf '%s\n' "${first[@]}" | median)
  L=$(printf '%s\n' "${loaded[@]}" | median)
  M=$(printf '%s\n' "${marked[@]}" | median)
  LN=$(printf '%s\n' "${ltimes[@]}" | median)
  python3 - "$kind" "$F" "$L" "$trss" "$LN" "$lrss" "$M" <<'PY'
import sys
kind, first, loaded, trss, lnav, lrss, marked = sys.argv[1:]
first, loaded, trss, lnav, lrss = float(first), float(loaded) / 1000, int(trss), float(lnav), int(lrss)
marked = float(marked) / 1000
print(f"| triage (in tmux, 160x48) | {kind} | {first:.0f} ms | {loaded:.2f} s | {marked:.2f} s | {trss/1024:.0f} MiB |")
print(f"| lnav -n -c ':goto 100%' | {kind} | — | {lnav:.2f} s | — | {lrss/1024:.0f} MiB |")
open("target/bench/tui-ratios.txt", "a").write(
    f"- {kind}: triage lists every hit in {loaded/lnav:.2f}x lnav's time and has read every "
    f"line's own level in {marked/lnav:.2f}x, with {trss/lrss:.2f}x its memory\n")
PY
done
echo
cat "$OUT/tui-ratios.txt"
