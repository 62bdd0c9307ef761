#!/usr/bin/env bash
# Peak memory of `img2yt publish` for a 200 MB video (not a test). Builds
# the release binary, starts a small Google-shaped sink on loopback (token
# endpoint + the resumable upload protocol: POST → Location, PUT chunks →
# 308 + Range, it keeps only a running SHA-256), publishes one 200 MB file
# of random bytes and prints the wall time and the peak RSS of img2yt.
# Fails when the peak RSS reaches 32 MB (the upload must stream from disk)
# or when the bytes that arrived are not the file's.
source "$(dirname "$0")/lib.sh"
budget_kb=$((32 * 1024))
size=$((200 * 1024 * 1024))
file="$tmp/big.mp4"
head -c "$size" /dev/urandom >"$file"
want=$(sha256sum "$file" | cut -d' ' -f1)

cat >"$tmp/sink.py" <<'PY'
import hashlib, json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
state = {"total": 0, "got": 0, "sha": hashlib.sha256()}
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers: self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/token"):
            self.reply(200, json.dumps({"access_token": "ya29.bench", "expires_in": 3599, "token_type": "Bearer"}).encode())
        elif self.path.startswith("/upload/youtube/v3/videos"):
            state["total"] = int(self.headers["X-Upload-Content-Length"])
            host = self.headers["Host"]
            self.reply(200, headers=[("Location", f"http://{host}/upload/youtube/v3/videos?uploadType=resumable&upload_id=bench")])
        else:
            self.reply(404)
    def do_PUT(self):
        n = int(self.headers.get("Content-Length", 0))
        while n > 0:
            piece = self.rfile.read(min(n, 1 << 16))
            if not piece: return
            n -= len(piece); state["got"] += len(piece); state["sha"].update(piece)
        if state["got"] == state["total"] and state["total"] > 0:
            print(state["sha"].hexdigest(), flush=True)
            self.reply(200, json.dumps({"id": "bench", "status": {"privacyStatus": "private", "uploadStatus": "uploaded"}}).encode())
        else:
            self.reply(308, headers=[("Range", f"bytes=0-{state['got'] - 1}")] if state["got"] else [])
s = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(f"http://127.0.0.1:{s.server_address[1]}", flush=True)
s.serve_forever()
PY
python3 "$tmp/sink.py" >"$tmp/sink.out" 2>&1 &
srv=$!
for _ in $(seq 50); do [ -s "$tmp/sink.out" ] && break; sleep 0.1; done
g=$(head -1 "$tmp/sink.out")
export IMG2YT_CONFIG_DIR="$tmp/cfg" NO_COLOR=1 \
  IMG2YT_OAUTH_TOKEN_URL="$g/token" IMG2YT_YOUTUBE_API_BASE="$g" \
  IMG2YT_OAUTH_AUTH_URL="$g/auth" IMG2YT_OAUTH_REVOKE_URL="$g/revoke" \
  IMG2YT_YOUTUBE_CLIENT_SECRETS="$tmp/client_secret.json"
echo '{"installed":{"client_id":"bench","client_secret":"bench"}}' >"$tmp/client_secret.json"
mkdir -p "$tmp/cfg"
echo '{"sign_in":{"client_id":"bench","refresh_token":"1//bench"}}' >"$tmp/cfg/youtube.json"

start=$(date +%s%N)
"$bin" publish "$file" --title bench >"$tmp/out" 2>"$tmp/err" &
wait_peak_rss $! || { echo "publish failed:"; cat "$tmp/out" "$tmp/err"; exit 1; }
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))

got=$(sed -n 2p "$tmp/sink.out")
[ "$got" = "$want" ] || { echo "the sink received other bytes ($got, not $want)"; exit 1; }
cat "$tmp/out"
echo "publish of 200 MB: wall ${ms} ms ($(( size / 1024 / 1024 * 1000 / (ms > 0 ? ms : 1) )) MB/s)"
echo "peak RSS of img2yt: $(( rss_kb / 1024 )) MB (${rss_kb} KB; budget $(( budget_kb / 1024 )) MB)"
[ "$rss_kb" -lt "$budget_kb" ] || { echo "peak RSS over budget"; exit 1; }
