#!/usr/bin/env bash
# Peak memory of a 200 MB upload (not a test). Builds the release binary,
# starts the offline backend on loopback, uploads one 200 MB JPEG (real,
# non-sparse bytes: a small JPEG then random data after its end) and prints the wall time
# and the peak RSS of the img2yt process. Fails when the peak RSS reaches
# 64 MB: the upload must stream from disk, not hold the file in memory.
source "$(dirname "$0")/lib.sh"
budget_kb=$((64 * 1024))
size=$((200 * 1024 * 1024)) # the largest file the service takes
start_backend --data-dir "$tmp/data"

# The file: a real small JPEG (the backend decodes every upload), then
# random bytes after its end marker up to exactly 200 MB.
file="$tmp/big.jpg"
ffmpeg -v error -f lavfi -i testsrc=s=640x480 -frames:v 1 -y "$file"
head -c $((size - $(stat -c %s "$file"))) /dev/urandom >>"$file"
[ "$(stat -c %s "$file")" -eq "$size" ]

# A token and a project first, so only the upload is measured.
"$bin" new >/dev/null

start=$(date +%s%N)
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
  /usr/bin/time -o "$tmp/rss" -f %M "$bin" upload "$file" >"$tmp/out" 2>"$tmp/err" || {
    echo "upload failed:"; cat "$tmp/out" "$tmp/err"; exit 1; }
  rss_kb=$(tail -1 "$tmp/rss")
else
  # No GNU time: poll the process's high-water mark.
  "$bin" upload "$file" >"$tmp/out" 2>"$tmp/err" &
  wait_peak_rss $! || { echo "upload failed:"; cat "$tmp/out" "$tmp/err"; exit 1; }
fi
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))

received=$(find "$tmp/data/uploads" -type f -name '*big.jpg' -printf '%s\n' | head -1)
[ "${received:-0}" -eq "$size" ] || { echo "the server received ${received:-nothing}, not $size bytes"; exit 1; }

echo "$(cat "$tmp/out")"
echo "upload of 200 MB: wall ${ms} ms ($(( size / 1024 / 1024 * 1000 / (ms > 0 ? ms : 1) )) MB/s)"
echo "peak RSS of img2yt: $(( rss_kb / 1024 )) MB (${rss_kb} KB; budget $(( budget_kb / 1024 )) MB)"
[ "$rss_kb" -lt "$budget_kb" ] || { echo "peak RSS over budget"; exit 1; }
