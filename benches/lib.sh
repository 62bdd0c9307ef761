# Shared by the benchmark scripts (sourced, not run): build the release
# binary, make a temp dir cleaned up on exit, and start the offline backend.
#   start_backend [serve flags…]  → sets $url, points img2yt at it
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/img2yt
tmp=$(mktemp -d)
srv=
cleanup() {
  if [ -n "$srv" ]; then kill "$srv" 2>/dev/null || true; wait "$srv" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

start_backend() {
  "$bin" serve --port 0 "$@" >"$tmp/serve.log" 2>&1 &
  srv=$!
  for _ in $(seq 100); do grep -q listening "$tmp/serve.log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$tmp/serve.log" | head -1)
  [ -n "$url" ] || { echo "the backend did not start:"; cat "$tmp/serve.log"; exit 1; }
  export IMG2YT_CONFIG_DIR="$tmp/cfg" NEMO_API_URL="$url" NO_COLOR=1
}

# Wait for process $1 (a child of this shell) and set rss_kb to its peak
# RSS in KiB (its VmHWM, polled every 10 ms); the exit status is the
# process's.
wait_peak_rss() {
  local pid=$1 hwm
  rss_kb=0
  while [ -r "/proc/$pid/status" ]; do
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$hwm" ] && [ "$hwm" -gt "$rss_kb" ] && rss_kb=$hwm
    sleep 0.01
  done
  wait "$pid"
}
