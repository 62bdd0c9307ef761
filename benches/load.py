#!/usr/bin/env python3
"""Load benchmark (not a test): CLIENTS img2yt users (50 by default) each do
the whole journey at once against one `img2yt serve` (upload two photos,
the make prompt, export), while one more sends a 2 MB message and a prober
asks for the credit balance as fast as it is answered. Prints the p50/p99
latency of `credits` under that load and the server's peak RSS, and checks
that nothing was lost: every uploaded file on the server has the hash of a
photo a client sent (each client's photos differ), and every client's
video downloaded and plays. Loopback only; bounded in count and time.

    python3 benches/load.py            # CLIENTS=10 for a quicker run
"""
import hashlib, json, os, re, shutil, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.request, uuid

CLIENTS = int(os.environ.get("CLIENTS", "50"))
LIMIT = 900  # seconds for the whole run
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
binary = os.path.join(root, "target", "release", "img2yt")
tmp = tempfile.mkdtemp(prefix="img2yt-load-")
data = os.path.join(tmp, "data")
srv = subprocess.Popen(
    [binary, "serve", "--port", "0", "--data-dir", data, "--max-height", "90"],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def post(url, body, headers):
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


try:
    url = re.search(r"http://[0-9.:]+", srv.stdout.readline()).group(0)
    threading.Thread(target=lambda: [None for _ in srv.stdout], daemon=True).start()
    fixtures = os.path.join(root, "tests", "fixtures")
    sent = {}  # sha256 → client
    for i in range(CLIENTS):
        d = os.path.join(tmp, f"c{i}")
        os.makedirs(d)
        for src, name in (("red.jpg", "a.jpg"), ("blue.png", "b.png")):
            with open(os.path.join(fixtures, src), "rb") as f:
                b = f.read()
            # Bytes after the image's end: ignored by decoders, a hash of its own.
            b += f"client {i} {name}".encode()
            with open(os.path.join(d, name), "wb") as f:
                f.write(b)
            sent[hashlib.sha256(b).hexdigest()] = i

    def token():
        _, body = post(url + "/api/auth/anonymous-token", b"", {"X-Client-Id": str(uuid.uuid4())})
        return json.loads(body)["data"]["token"]

    done = threading.Event()
    latencies = []

    def probe():
        t = token()
        while not done.is_set():
            req = urllib.request.Request(url + "/api/credits/balance/simple",
                                         headers={"Authorization": f"Bearer {t}"})
            start = time.monotonic()
            with urllib.request.urlopen(req, timeout=60) as r:
                r.read()
            latencies.append(time.monotonic() - start)
            time.sleep(0.02)

    huge = {}

    def huge_message():
        t = token()
        _, body = post(url + "/api/tasks/me/with-session/nemo_agent",
                       json.dumps({"task_name": "project", "language": "en"}).encode(),
                       {"Authorization": f"Bearer {t}", "Content-Type": "application/json"})
        sid = json.loads(body)["data"]["session_id"]
        msg = "make it slower and add a title " * 70_000
        start = time.monotonic()
        status, _ = post(url + "/run_sse", json.dumps({
            "app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"role": "user", "parts": [{"text": msg}]}}).encode(),
            {"Authorization": f"Bearer {t}", "Content-Type": "application/json"})
        huge["status"], huge["secs"] = status, time.monotonic() - start

    results = {}

    def journey(i):
        d = os.path.join(tmp, f"c{i}")
        # Render polls every 3 s instead of 30 s: more load, a shorter run.
        env = dict(os.environ, IMG2YT_CONFIG_DIR=os.path.join(d, "cfg"), NEMO_API_URL=url,
                   NO_COLOR="1", IMG2YT_TIME_SCALE="0.1")
        steps = [["upload", "a.jpg", "b.png"],
                 ["send", "turn these images into a YouTube video with music and transitions"],
                 ["export", "-o", "out.mp4"]]
        for s in steps:
            p = subprocess.run([binary] + s, cwd=d, env=env, capture_output=True, text=True,
                               timeout=LIMIT)
            if p.returncode != 0:
                results[i] = f"{' '.join(s)}: exit {p.returncode}: {p.stderr.strip()[-300:]}"
                return
        results[i] = "ok"

    prober = threading.Thread(target=probe)
    prober.start()
    time.sleep(0.5)
    start = time.monotonic()
    workers = [threading.Thread(target=journey, args=(i,)) for i in range(CLIENTS)]
    workers.append(threading.Thread(target=huge_message))
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=LIMIT)
    wall = time.monotonic() - start
    done.set()
    prober.join()

    with open(f"/proc/{srv.pid}/status") as f:
        peak = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) // 1024

    failed = {i: r for i, r in results.items() if r != "ok"}
    missing = [i for i in range(CLIENTS) if i not in results]
    uploads = os.path.join(data, "uploads")
    stored = {}
    for name in os.listdir(uploads):
        with open(os.path.join(uploads, name), "rb") as f:
            stored[name] = hashlib.sha256(f.read()).hexdigest()
    wrong = [n for n, h in stored.items() if h not in sent]
    unmatched = set(sent) - set(stored.values())
    bad_videos = []
    for i in range(CLIENTS):
        out = os.path.join(tmp, f"c{i}", "out.mp4")
        ok = os.path.exists(out)
        if ok and shutil.which("ffprobe"):
            ok = subprocess.run(["ffprobe", "-v", "error", out], capture_output=True).returncode == 0
        if not ok:
            bad_videos.append(i)

    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    print(f"{CLIENTS} clients, whole journey each, in {wall:.1f} s; {len(lat)} credits requests meanwhile")
    print(f"credits latency under load: p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lat[-1] * 1000:.1f} ms")
    print(f"2 MB message: HTTP {huge.get('status')} in {huge.get('secs', 0) * 1000:.1f} ms (refused as too long)")
    print(f"server peak RSS: {peak} MB")
    print(f"uploads stored: {len(stored)} of {len(sent)}, hashes not sent: {len(wrong)}, sent but missing: {len(unmatched)}")
    print(f"videos downloaded and playable: {CLIENTS - len(bad_videos)} of {CLIENTS}")
    lost = failed or missing or wrong or unmatched or bad_videos or huge.get("status") != 413
    for i, why in sorted(failed.items())[:5]:
        print(f"  client {i}: {why}")
    print("FAIL: something was lost" if lost else "ok: nothing lost")
    sys.exit(1 if lost else 0)
finally:
    srv.kill()
    shutil.rmtree(tmp, ignore_errors=True)
