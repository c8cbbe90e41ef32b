#!/usr/bin/env bash
# Measures wall time from `npm start` to the banner, N times (default 3), then stops it with SIGINT.
# Usage: bench/start-to-banner.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
for run in $(seq 1 "$runs"); do
  out="$(mktemp)"
  start_ns=$(date +%s%N)
  # Its own process group, so that SIGINT reaches npm, tsx and node together, as Ctrl-C does.
  setsid npm start >"$out" 2>&1 &
  pid=$!
  until grep -q 'Press Ctrl-C' "$out"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "npm start exited:"; cat "$out"; exit 1; fi
    sleep 0.05
  done
  end_ns=$(date +%s%N)
  echo "run $run: banner after $(( (end_ns - start_ns) / 1000000 )) ms ($(grep -o 'ready in [0-9.]* s' "$out"))"
  kill -INT -- "-$pid" 2>/dev/null || true
  wait "$pid" || true
  grep -q '^Stopped\.' "$out" || { echo "run $run: did not stop cleanly:"; tail -5 "$out"; }
  rm -f "$out"
done
