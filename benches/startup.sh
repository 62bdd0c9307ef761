#!/usr/bin/env bash
# Start-up time of img2yt (not a test): `--version`, and a full `credits`
# round trip against the offline backend on loopback. Prints the mean of
# N runs; fails when `--version` takes longer than 50 ms on average.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/img2yt
runs=${RUNS:-30}
tmp=$(mktemp -d)
trap 'kill "${srv:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$bin" serve --port 0 >"$tmp/serve.log" 2>&1 &
srv=$!
for _ in $(seq 50); do grep -q listening "$tmp/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$tmp/serve.log" | head -1)
export IMG2YT_CONFIG_DIR="$tmp/cfg" NEMO_API_URL="$url"
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
