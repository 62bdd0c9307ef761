#!/usr/bin/env bash
# Start-up time of img2yt (not a test): `--version`, and a full `credits`
# round trip against the offline backend on loopback. Prints the mean of
# N runs; fails when `--version` takes longer than 50 ms on average.
source "$(dirname "$0")/lib.sh"
runs=${RUNS:-30}
start_backend
"$bin" credits >/dev/null

mean_ms() { # command…
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null; done
  end=$(date +%s%N)
  echo $(( (end - start) / runs / 1000000 ))
}
v=$(mean_ms "$bin" --version)
c=$(mean_ms "$bin" credits)
echo "img2yt --version: ${v} ms (mean of $runs)"
echo "img2yt credits (loopback round trip, stored token): ${c} ms (mean of $runs)"
[ "$v" -lt 50 ] || { echo "start-up over budget (50 ms)"; exit 1; }
