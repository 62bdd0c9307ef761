#!/usr/bin/env python3
"""SSE latency benchmark (not a test): how long after the server writes a
text piece does it appear on img2yt's stdout? The offline backend sends
10 partial pieces 300 ms apart; we timestamp each stdout chunk. With
streaming, chunks arrive ~300 ms apart; with buffering they would arrive
together at the end. Fails if the first piece shows later than 250 ms
before the last one, or any gap is under 200 ms (i.e. pieces were batched)."""
import json, os, re, subprocess, sys, tempfile, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
binary = os.path.join(root, "target", "release", "img2yt")
tmp = tempfile.mkdtemp()
srv = subprocess.Popen([binary, "serve", "--port", "0", "--faults"], stdout=subprocess.PIPE, text=True)
try:
    url = re.search(r"http://[0-9.:]+", srv.stdout.readline()).group(0)
    frames = []
    for i in range(10):
        ev = {"content": {"role": "model", "parts": [{"text": f"piece{i} "}]}, "partial": True}
        frames += [{"type": "event", "event": ev}, {"type": "sleep", "ms": 300}]
    req = urllib.request.Request(url + "/__control/script", data=json.dumps({"frames": frames}).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req)
    env = dict(os.environ, IMG2YT_CONFIG_DIR=os.path.join(tmp, "cfg"), NEMO_API_URL=url)
    p = subprocess.Popen([binary, "send", "hello"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    stamps = []
    while True:
        chunk = os.read(p.stdout.fileno(), 4096)
        if not chunk:
            break
        for m in re.finditer(rb"piece\d", chunk):
            stamps.append(time.monotonic())
    p.wait()
    gaps = [round((b - a) * 1000) for a, b in zip(stamps, stamps[1:])]
    print(f"pieces seen: {len(stamps)}, gaps between them (ms): {gaps}")
    if len(stamps) != 10 or min(gaps) < 200:
        print("text was not streamed as it arrived")
        sys.exit(1)
    print("ok: each piece appeared as it was sent")
finally:
    srv.kill()
