//! Export (issue #5): render on the server, show it moving, download it
//! safely (foreign CDN host without the token, fallback route, resume with
//! Range), never overwrite without `--force`, never lose a render to a
//! killed or interrupted process; and `make` end to end. Everything goes
//! through the real binary and the embedded server (real ffmpeg renders).

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::foundation::{finish, header, requests, run_bounded, spawn, CREDITS};
use crate::support::{photos, Run, TestEnv};

const PROMPT: &str = "turn these images into a YouTube video with music and transitions";
/// `POST` here submits a render.
const SUBMIT: &str = "/api/render/proxy/lambda";
/// `GET` here (plus the id) polls a render.
const STATUS: &str = "/api/render/proxy/lambda/";
/// The API's own download route (`/api/render/proxy/<id>/download`).
const PROXY: &str = "/api/render/proxy/";
/// The "foreign" host's path for `output.url`.
const CDN: &str = "/cdn/";
const LIMIT: Duration = Duration::from_secs(60);

// ---- helpers ----

/// A project with two uploaded photos and a timeline the agent built.
fn with_draft() -> TestEnv {
    let env = TestEnv::new();
    let ph = photos(&env.dir.path().join("photos"), &["a.jpg", "b.png"]);
    let (a, b) = (ph[0].to_str().unwrap(), ph[1].to_str().unwrap());
    env.run(&["upload", a, b]).ok();
    env.run(&["send", PROMPT]).ok();
    env
}

fn export(env: &TestEnv, args: &[&str]) -> Run {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    run_bounded(env, &all, LIMIT, |_| {})
}

/// The render jobs img2yt remembers in store.json.
fn pending(env: &TestEnv) -> Vec<Value> {
    let raw = std::fs::read(env.config_dir().join("store.json")).unwrap_or_default();
    serde_json::from_slice::<Value>(&raw)
        .ok()
        .and_then(|v| v["pending_renders"].as_array().cloned())
        .unwrap_or_default()
}

/// Wait (bounded) until store.json holds a pending render.
fn wait_for_pending(env: &TestEnv, child: &mut std::process::Child) -> Value {
    let start = Instant::now();
    loop {
        if let Some(j) = pending(env).first() {
            return j.clone();
        }
        if let Some(st) = child.try_wait().unwrap() {
            panic!("img2yt ended ({st}) before a render was pending");
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no pending render in store.json after 30 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The render ids polled, in order of first appearance.
fn polled_ids(env: &TestEnv) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for e in requests(env, "GET", STATUS) {
        let id = e["uri"].as_str().unwrap()[STATUS.len()..].to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Drop every injected fault that is left.
fn clear_faults(env: &TestEnv) {
    env.rt.block_on(async {
        let r = reqwest::Client::new()
            .delete(format!("{}/__control/faults", env.url))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    });
}

/// Requests img2yt made (not the test's own fetches).
fn client_requests(env: &TestEnv, method: &str, prefix: &str) -> Vec<Value> {
    requests(env, method, prefix)
        .into_iter()
        .filter(|e| header(e, "user-agent").is_some_and(|u| u.starts_with("img2yt/")))
        .collect()
}

/// The server's rendered file, fetched afresh in full (faults cleared)
/// by its owner from the API (the CDN name cannot be guessed).
fn server_file(env: &TestEnv, id: &str) -> Vec<u8> {
    clear_faults(env);
    let url = format!("{}/api/render/proxy/{id}/download", env.url);
    env.rt.block_on(async {
        let r = reqwest::Client::new()
            .get(&url)
            .bearer_auth(env.token())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{url}");
        r.bytes().await.unwrap().to_vec()
    })
}

/// ffprobe's view of a file: format and first video stream.
fn probe(path: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "format=format_name,duration:stream=codec_name,width,height",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(
        out.status.success(),
        "ffprobe refused {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A playable H.264 MP4 at the test render size; returns its duration.
#[track_caller]
pub fn assert_playable_mp4(path: &Path) -> f64 {
    let p = probe(path);
    assert!(
        p["format"]["format_name"]
            .as_str()
            .unwrap_or("")
            .contains("mp4"),
        "{p}"
    );
    let s = &p["streams"][0];
    assert_eq!(s["codec_name"], "h264", "{p}");
    assert_eq!(
        (s["width"].as_u64(), s["height"].as_u64()),
        (Some(160), Some(90)),
        "{p}"
    );
    let d: f64 = p["format"]["duration"].as_str().unwrap().parse().unwrap();
    assert!(d > 0.0, "{p}");
    d
}

/// `kill -<sig> <pid>`.
fn signal(child: &std::process::Child, sig: &str) {
    let st = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
}

/// Status answers saying the render is still going, `times` times.
fn still_processing(env: &TestEnv, times: u32) {
    env.fault(json!({"path": STATUS, "method": "GET", "times": times,
        "action": {"type": "respond", "body": {"code": 0, "status": "processing", "progress": 40}}}));
}

fn no_part_files(dir: &Path) {
    let parts: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(parts.is_empty(), "left behind: {parts:?}");
}

// ---- the full export ----

#[test]
fn export_renders_downloads_and_reports() {
    let env = with_draft();
    let sse_before = env.count("POST", "/run_sse");
    let r = export(&env, &["-o", "out.mp4"]);
    r.ok();
    let out = env.work_dir().join("out.mp4");
    let size = std::fs::metadata(&out).unwrap().len();
    let first = r.stdout.lines().next().unwrap_or("");
    assert!(first.starts_with("✅ Saved out.mp4 ("), "{}", r.stdout);
    // Two 3.5 s photos crossfading for 0.75 s: 6.25 s, 188 frames.
    assert!(first.ends_with(", 6.3 s, 160×90)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Thumbnail for YouTube: out.jpg"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Open it in the browser: https://web.example/workspace/claim?ct=clm_"),
        "{}",
        r.stdout
    );
    let d = assert_playable_mp4(&out);
    assert!((d - 6.25).abs() < 0.1, "duration {d}");
    assert!(pending(&env).is_empty(), "{:?}", pending(&env));
    no_part_files(&env.work_dir());

    // The file is the server's, byte for byte.
    let ids = polled_ids(&env);
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(std::fs::read(&out).unwrap(), server_file(&env, &ids[0]));
    assert_eq!(size, server_file(&env, &ids[0]).len() as u64);

    // API requests carry the token; the CDN host gets none.
    let submits = requests(&env, "POST", SUBMIT);
    assert_eq!(submits.len(), 1);
    assert_eq!(header(&submits[0], "authorization"), Some("(present)"));
    let polls = requests(&env, "GET", STATUS);
    assert!(!polls.is_empty());
    for p in &polls {
        assert_eq!(header(p, "authorization"), Some("(present)"), "{p}");
    }
    // The video, then its thumbnail: both from the CDN host, no token.
    let cdn = client_requests(&env, "GET", CDN);
    assert_eq!(cdn.len(), 2, "{cdn:?}");
    assert!(cdn[1]["uri"].as_str().unwrap().ends_with(".jpg"), "{cdn:?}");
    let api_host = env.url.trim_start_matches("http://");
    for c in &cdn {
        assert_eq!(header(c, "authorization"), None, "{c}");
        assert_ne!(header(c, "host"), Some(api_host), "a foreign host");
    }
    assert!(client_requests(&env, "GET", &format!("{PROXY}{}/download", ids[0])).is_empty());
    // Export is free and never goes through the chat.
    assert_eq!(env.count("POST", "/run_sse"), sse_before);
}

#[test]
fn nothing_to_export_says_what_to_do_first() {
    let env = TestEnv::new();
    let r = export(&env, &["-o", "out.mp4"]);
    r.code(10);
    assert!(
        r.stderr
            .contains("share some images and describe the video"),
        "{}",
        r.stderr
    );
    assert_eq!(env.count("POST", "/run_sse"), 0);
    assert_eq!(env.count("POST", SUBMIT), 0);
    assert!(!env.work_dir().join("out.mp4").exists());
    assert!(pending(&env).is_empty());
}

// ---- failed renders ----

fn gpu_lost(env: &TestEnv, times: u32) {
    env.fault(json!({"path": STATUS, "method": "GET", "times": times,
        "action": {"type": "respond", "body": {"code": 0, "status": "failed", "error": "GPU lost"}}}));
}

#[test]
fn a_failed_render_is_retried_once_with_a_new_id() {
    let env = with_draft();
    gpu_lost(&env, 1);
    let r = export(&env, &["-o", "out.mp4"]);
    r.ok();
    assert!(r.stderr.contains("GPU lost"), "{}", r.stderr);
    assert_eq!(env.count("POST", SUBMIT), 2);
    let ids = polled_ids(&env);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1], "the retry has a new id");
    assert_eq!(env.world()["renders"], 2);
    assert_playable_mp4(&env.work_dir().join("out.mp4"));
    assert!(r.stdout.starts_with("✅ Saved out.mp4 ("), "{}", r.stdout);
    assert!(pending(&env).is_empty(), "{:?}", pending(&env));
}

#[test]
fn a_render_failing_twice_stops_with_exit_9_and_leaves_no_job() {
    let env = with_draft();
    gpu_lost(&env, 2);
    let r = export(&env, &["-o", "out.mp4"]);
    r.code(9);
    assert!(r.stderr.contains("failed twice"), "{}", r.stderr);
    assert!(r.stderr.contains("GPU lost"), "{}", r.stderr);
    assert_eq!(env.count("POST", SUBMIT), 2);
    assert_eq!(
        env.count("POST", SUBMIT),
        env.world()["renders"].as_u64().unwrap() as usize
    );
    assert!(pending(&env).is_empty(), "{:?}", pending(&env));
    assert!(!env.work_dir().join("out.mp4").exists());
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

// ---- downloads ----

#[test]
fn a_failing_output_url_falls_back_to_the_api_download_route() {
    let env = with_draft();
    env.fault(json!({"path": CDN, "times": 10, "action": {"type": "status", "status": 500}}));
    let r = export(&env, &["-o", "out.mp4"]);
    r.ok();
    let ids = polled_ids(&env);
    let cdn = client_requests(&env, "GET", CDN);
    assert!(
        !cdn.is_empty() && cdn.iter().all(|e| e["status"] == 500),
        "{cdn:?}"
    );
    let proxied = requests(&env, "GET", &format!("{PROXY}{}/download", ids[0]));
    assert_eq!(proxied.len(), 1, "{proxied:?}");
    assert_eq!(proxied[0]["status"], 200);
    assert_eq!(
        header(&proxied[0], "authorization"),
        Some("(present)"),
        "the API host gets the token"
    );
    let out = env.work_dir().join("out.mp4");
    assert_eq!(std::fs::read(&out).unwrap(), server_file(&env, &ids[0]));
    assert_playable_mp4(&out);
    assert!(pending(&env).is_empty());
    no_part_files(&env.work_dir());
}

#[test]
fn a_download_cut_in_the_middle_resumes_with_range() {
    const CUT: u64 = 20_000;
    let env = with_draft();
    env.fault(json!({"path": CDN, "times": 1, "action": {"type": "truncate", "bytes": CUT}}));
    let r = export(&env, &["-o", "out.mp4"]);
    r.ok();
    let ids = polled_ids(&env);
    let full = server_file(&env, &ids[0]);
    assert!(
        full.len() as u64 > 2 * CUT,
        "the render is big enough to cut"
    );
    // The video's requests (the thumbnail is fetched from the CDN too).
    let cdn: Vec<_> = client_requests(&env, "GET", CDN)
        .into_iter()
        .filter(|r| r["uri"].as_str().is_some_and(|u| u.ends_with(".mp4")))
        .collect();
    assert_eq!(cdn.len(), 2, "{cdn:?}");
    assert_eq!(header(&cdn[0], "range"), None, "{}", cdn[0]);
    assert_eq!(
        header(&cdn[1], "range"),
        Some(format!("bytes={CUT}-").as_str()),
        "{}",
        cdn[1]
    );
    assert_eq!(cdn[1]["status"], 206);
    assert_eq!(header(&cdn[1], "authorization"), None);
    let out = env.work_dir().join("out.mp4");
    assert_eq!(std::fs::read(&out).unwrap(), full, "byte for byte");
    assert_playable_mp4(&out);
    assert!(r.stdout.starts_with("✅ Saved out.mp4 ("), "{}", r.stdout);
    assert!(pending(&env).is_empty());
    no_part_files(&env.work_dir());
}

#[test]
fn an_existing_file_gets_a_suffix_unless_forced() {
    let env = with_draft();
    let out = env.work_dir().join("out.mp4");
    std::fs::write(&out, b"my old video").unwrap();
    let r = export(&env, &["-o", "out.mp4"]);
    r.ok();
    assert_eq!(std::fs::read(&out).unwrap(), b"my old video");
    let second = env.work_dir().join("out-2.mp4");
    assert_playable_mp4(&second);
    assert!(r.stdout.starts_with("✅ Saved out-2.mp4 ("), "{}", r.stdout);

    let r = export(&env, &["-o", "out.mp4", "--force"]);
    r.ok();
    assert!(r.stdout.starts_with("✅ Saved out.mp4 ("), "{}", r.stdout);
    assert_playable_mp4(&out);
    assert!(!env.work_dir().join("out-3.mp4").exists());
    assert_playable_mp4(&second);
    assert!(pending(&env).is_empty());
}

/// `export -o out.mp4` started in the background, once its job is
/// recorded as pending: the running process and the job.
fn export_until_pending(
    env: &TestEnv,
) -> (
    (
        std::process::Child,
        std::thread::JoinHandle<String>,
        std::thread::JoinHandle<String>,
    ),
    Value,
) {
    let mut c = env.cmd();
    c.args(["export", "-o", "out.mp4"]);
    let mut run = spawn(c);
    let job = wait_for_pending(env, &mut run.0);
    (run, job)
}

/// An export killed (SIGKILL, no chance to clean up) once its render is
/// pending, while status polls are held up: the job it left behind.
fn export_killed_mid_render(env: &TestEnv) -> Value {
    env.fault(json!({"path": STATUS, "method": "GET", "times": 3,
        "action": {"type": "delay", "ms": 1500}}));
    let ((mut child, o, e), job) = export_until_pending(env);
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = (o.join(), e.join());
    job
}

// ---- jobs that outlive their process ----

#[test]
fn a_render_left_by_a_killed_process_is_picked_up() {
    let env = with_draft();
    let job = export_killed_mid_render(&env);
    assert!(!env.work_dir().join("out.mp4").exists());
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(pending(&env).len(), 1);

    // Other commands mention it.
    let r = run_bounded(&env, &["credits"], LIMIT, |_| {});
    r.ok();
    assert!(
        r.stderr
            .contains("A render from earlier is waiting to be downloaded"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("img2yt export"), "{}", r.stderr);
    assert_eq!(pending(&env).len(), 1, "credits leaves the job alone");
    assert_eq!(env.count("GET", CREDITS), 1);

    let r = export(&env, &[]);
    r.ok();
    assert!(r.stderr.contains("Picking up the render"), "{}", r.stderr);
    assert_eq!(env.count("POST", SUBMIT), 1, "no second render");
    let out = env.work_dir().join("out.mp4");
    assert!(r.stdout.starts_with("✅ Saved out.mp4 ("), "{}", r.stdout);
    assert_eq!(std::fs::read(&out).unwrap(), server_file(&env, &id));
    assert_playable_mp4(&out);
    assert!(pending(&env).is_empty(), "{:?}", pending(&env));
}

#[test]
fn a_picked_up_render_lands_where_it_was_asked_for_from_another_folder() {
    let env = with_draft();
    export_killed_mid_render(&env);

    let elsewhere = env.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let r = run_bounded(&env, &["export"], LIMIT, |c| {
        c.current_dir(&elsewhere);
    });
    r.ok();
    let want = env.work_dir().join("out.mp4");
    assert!(
        !elsewhere.join("out.mp4").exists(),
        "landed in the wrong folder"
    );
    assert_playable_mp4(&want);
    assert!(
        r.stdout.contains(&format!("✅ Saved {} (", want.display())),
        "{}",
        r.stdout
    );
    assert!(pending(&env).is_empty());
}

#[test]
fn ctrl_c_while_polling_keeps_the_job() {
    let env = with_draft();
    still_processing(&env, 1000);
    let (run, job) = export_until_pending(&env);
    // Let it poll a few times first.
    let start = Instant::now();
    while env.count("GET", STATUS) < 2 {
        assert!(start.elapsed() < Duration::from_secs(20), "no polling");
        std::thread::sleep(Duration::from_millis(10));
    }
    signal(&run.0, "-INT");
    let r = finish(run, Duration::from_secs(10), "export (SIGINT)");
    r.code(130);
    assert!(r.stderr.contains("kept"), "{}", r.stderr);
    assert!(r.stderr.contains("img2yt export"), "{}", r.stderr);
    let left = pending(&env);
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["id"], job["id"]);
    assert!(!env.work_dir().join("out.mp4").exists());

    // And the next run gets it.
    clear_faults(&env);
    let r = export(&env, &[]);
    r.ok();
    assert!(r.stderr.contains("Picking up the render"), "{}", r.stderr);
    assert_eq!(env.count("POST", SUBMIT), 1);
    assert_playable_mp4(&env.work_dir().join("out.mp4"));
    assert!(pending(&env).is_empty());
}

#[test]
fn ctrl_c_during_a_slow_status_request_stops_at_once() {
    let env = with_draft();
    env.fault(json!({"path": STATUS, "method": "GET", "times": 5,
        "action": {"type": "delay", "ms": 5000}}));
    let (run, job) = export_until_pending(&env);
    // The first poll is on its way (and held by the server).
    std::thread::sleep(Duration::from_millis(300));
    signal(&run.0, "-INT");
    let sent = Instant::now();
    let r = finish(run, Duration::from_secs(15), "export (SIGINT)");
    let took = sent.elapsed();
    r.code(130);
    assert!(
        took < Duration::from_secs(1),
        "Ctrl-C took {took:?} to stop a poll"
    );
    assert!(r.stderr.contains("kept"), "{}", r.stderr);
    assert_eq!(pending(&env).len(), 1);
    assert_eq!(pending(&env)[0]["id"], job["id"]);
    assert!(!env.work_dir().join("out.mp4").exists());
}

// ---- errors ----

#[test]
fn http_402_on_submit_says_register_and_exits_6() {
    let env = with_draft();
    env.account(json!({"export_blocked": true}));
    let r = export(&env, &["-o", "out.mp4"]);
    r.code(6);
    assert!(
        r.stderr
            .contains("Register at nemovideo.com to unlock export"),
        "{}",
        r.stderr
    );
    assert_eq!(env.count("POST", SUBMIT), 1);
    assert!(pending(&env).is_empty());
    assert!(!env.work_dir().join("out.mp4").exists());
    assert_eq!(env.count("POST", "/run_sse"), 1, "only the earlier send");
}

// ---- make ----

#[test]
fn make_goes_from_photos_to_a_playable_mp4() {
    let env = TestEnv::new();
    photos(&env.work_dir().join("photos"), &["a.jpg", "b.jpg", "c.jpg"]);
    let r = run_bounded(
        &env,
        &["make", "photos/*.jpg", "-p", PROMPT, "-o", "trip.mp4"],
        LIMIT,
        |_| {},
    );
    r.ok();
    let out = env.work_dir().join("trip.mp4");
    assert_playable_mp4(&out);
    assert!(r.stdout.contains("✅ Saved trip.mp4 ("), "{}", r.stdout);
    assert_eq!(env.count("POST", "/api/upload-video/"), 3);
    assert_eq!(env.count("POST", "/run_sse"), 1);
    assert_eq!(env.count("POST", SUBMIT), 1);
    assert!(pending(&env).is_empty());
}

#[test]
fn make_without_valid_files_stops_at_the_upload_step() {
    let env = TestEnv::new();
    std::fs::write(env.work_dir().join("notes.txt"), "not a photo").unwrap();
    for args in [
        vec!["make", "notes.txt", "-p", PROMPT, "-o", "trip.mp4"],
        vec!["make", "nothing/*.jpg", "-p", PROMPT, "-o", "trip.mp4"],
    ] {
        let r = run_bounded(&env, &args, LIMIT, |_| {});
        r.code(3);
        assert!(!r.stderr.contains("[2/3]"), "{}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
    }
    assert_eq!(env.count("POST", "/run_sse"), 0);
    assert_eq!(env.count("POST", SUBMIT), 0);
    assert!(!env.work_dir().join("trip.mp4").exists());
}

#[test]
fn a_status_route_that_keeps_failing_does_not_poll_for_ever() {
    let env = with_draft();
    env.fault(json!({"path": STATUS, "method": "GET", "times": 100000,
        "action": {"type": "status", "status": 503}}));
    // The render limit is 15 min, 9 s at IMG2YT_TIME_SCALE=0.01.
    let r = run_bounded(
        &env,
        &["export", "-o", "out.mp4"],
        Duration::from_secs(40),
        |_| {},
    );
    r.code(9);
    assert!(r.stderr.contains("kept"), "{}", r.stderr);
    assert_eq!(pending(&env).len(), 1, "the job is kept for later");
    assert!(!env.work_dir().join("out.mp4").exists());
}

#[test]
fn a_pending_render_the_server_no_longer_knows_does_not_block_export() {
    let env = with_draft();
    let path = env.config_dir().join("store.json");
    let mut store: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let sid = store["project"]["session_id"].clone();
    store["pending_renders"] = json!([{
        "id": "render_1", "session_id": sid, "started": 1,
        "output": env.work_dir().join("old.mp4"), "quality": "high", "force": false
    }]);
    std::fs::write(&path, serde_json::to_vec(&store).unwrap()).unwrap();
    let r = export(&env, &["-o", "out.mp4"]);
    r.ok();
    assert!(r.stderr.contains("Picking up the render"), "{}", r.stderr);
    assert!(r.stderr.contains("no longer on the server"), "{}", r.stderr);
    assert_eq!(
        env.count("POST", SUBMIT),
        1,
        "a new render of the current draft"
    );
    assert!(r.stdout.starts_with("✅ Saved out.mp4 ("), "{}", r.stdout);
    assert_playable_mp4(&env.work_dir().join("out.mp4"));
    assert!(!env.work_dir().join("old.mp4").exists());
    assert!(pending(&env).is_empty(), "{:?}", pending(&env));
}

// ---- pending renders belong to their project; `-o` wins; thumbnails ----

/// Start `export -o OUT`, let it poll, Ctrl-C it: the render is left
/// pending in store.json. Returns that job.
fn interrupted_export(env: &TestEnv, out: &str) -> Value {
    still_processing(env, 1000);
    let polls_before = env.count("GET", STATUS);
    let mut c = env.cmd();
    c.args(["export", "-o", out]);
    let mut run = spawn(c);
    let job = wait_for_pending(env, &mut run.0);
    let start = Instant::now();
    while env.count("GET", STATUS) <= polls_before {
        assert!(start.elapsed() < Duration::from_secs(20), "no polling");
        std::thread::sleep(Duration::from_millis(10));
    }
    signal(&run.0, "-INT");
    finish(run, Duration::from_secs(10), "export (SIGINT)").code(130);
    clear_faults(env);
    assert!(!env.work_dir().join(out).exists());
    job
}

#[test]
fn export_never_delivers_another_projects_pending_render() {
    let env = with_draft();
    let job_a = interrupted_export(&env, "A.mp4");
    let id_a = job_a["id"].as_str().unwrap().to_string();

    // A second project with one photo of its own.
    env.run(&["new"]).ok();
    let ph = photos(&env.dir.path().join("second"), &["c.jpg"]);
    env.run(&["upload", ph[0].to_str().unwrap()]).ok();
    env.run(&["send", PROMPT]).ok();

    let r = export(&env, &["-o", "B.mp4"]);
    r.ok();
    assert!(!r.stderr.contains("Picking up"), "{}", r.stderr);
    assert!(
        r.stderr.contains("img2yt export --pending"),
        "says how to get the other render: {}",
        r.stderr
    );
    assert!(
        !env.work_dir().join("A.mp4").exists(),
        "project A's render was taken"
    );
    let b = env.work_dir().join("B.mp4");
    assert!(r.stdout.starts_with("✅ Saved B.mp4 ("), "{}", r.stdout);
    assert_eq!(env.count("POST", SUBMIT), 2, "project B is rendered");
    let ids = polled_ids(&env);
    let id_b = ids.iter().find(|i| **i != id_a).expect("B's render polled");
    assert!(
        std::fs::read(&b).unwrap() == server_file(&env, id_b),
        "B.mp4 is not B's render"
    );
    // One 3.5 s photo, not project A's two.
    let d = assert_playable_mp4(&b);
    assert!((d - 3.5).abs() < 0.1, "duration {d}");
    let left = pending(&env);
    assert_eq!(left.len(), 1, "A's render is still waiting: {left:?}");
    assert_eq!(left[0]["id"], job_a["id"]);

    // Other commands point at the way to get it.
    let r = env.run(&["credits"]);
    r.ok();
    assert!(r.stderr.contains("img2yt export --pending"), "{}", r.stderr);

    // And it is reachable: `export --pending` delivers it where it was asked for.
    let r = export(&env, &["--pending"]);
    r.ok();
    assert!(r.stderr.contains("Picking up the render"), "{}", r.stderr);
    assert!(r.stdout.starts_with("✅ Saved A.mp4 ("), "{}", r.stdout);
    assert_eq!(env.count("POST", SUBMIT), 2, "no new render");
    let a = env.work_dir().join("A.mp4");
    assert!(
        std::fs::read(&a).unwrap() == server_file(&env, &id_a),
        "A.mp4 is not A's render"
    );
    assert!(
        std::fs::read(&b).unwrap() == server_file(&env, id_b),
        "B.mp4 is not B's render"
    );
    assert!(pending(&env).is_empty(), "{:?}", pending(&env));

    // With nothing waiting, `--pending` says so and renders nothing.
    let r = export(&env, &["--pending"]);
    r.code(10);
    assert!(r.stderr.contains("No render is waiting"), "{}", r.stderr);
    assert_eq!(env.count("POST", SUBMIT), 2);
}

#[test]
fn a_picked_up_render_goes_where_the_new_output_says() {
    let env = with_draft();
    let job = interrupted_export(&env, "A.mp4");
    let r = export(&env, &["-o", "B.mp4"]);
    r.ok();
    assert!(r.stderr.contains("Picking up the render"), "{}", r.stderr);
    assert_eq!(env.count("POST", SUBMIT), 1, "no second render");
    assert!(r.stdout.starts_with("✅ Saved B.mp4 ("), "{}", r.stdout);
    assert!(
        !env.work_dir().join("A.mp4").exists(),
        "-o was ignored for the stored path"
    );
    let b = env.work_dir().join("B.mp4");
    assert!(
        std::fs::read(&b).unwrap() == server_file(&env, job["id"].as_str().unwrap()),
        "B.mp4 is not the picked-up render"
    );
    assert!(
        r.stdout.contains("Thumbnail for YouTube: B.jpg"),
        "{}",
        r.stdout
    );
    assert!(pending(&env).is_empty(), "{:?}", pending(&env));
}

#[test]
fn force_never_lets_the_thumbnail_replace_a_photo() {
    let env = TestEnv::new();
    let ph = photos(&env.work_dir().join("trip"), &["trip.jpg", "beach.png"]);
    let photo = std::fs::read(&ph[0]).unwrap();
    let r = run_bounded(
        &env,
        &[
            "make",
            "trip/trip.jpg",
            "trip/beach.png",
            "-p",
            PROMPT,
            "-o",
            "trip/trip.mp4",
            "--force",
        ],
        LIMIT,
        |_| {},
    );
    r.ok();
    assert!(
        std::fs::read(&ph[0]).unwrap() == photo,
        "the photo was replaced"
    );
    assert_playable_mp4(&env.work_dir().join("trip/trip.mp4"));
    let thumb = env.work_dir().join("trip/trip-thumbnail.jpg");
    assert!(
        r.stdout
            .contains("Thumbnail for YouTube: trip/trip-thumbnail.jpg"),
        "{}",
        r.stdout
    );
    let first = std::fs::read(&thumb).unwrap();
    assert!(first.starts_with(&[0xFF, 0xD8]), "a JPEG");

    // `--force` again: the video is replaced, no existing file is.
    std::fs::write(&thumb, b"edited by hand").unwrap();
    let r = export(&env, &["-o", "trip/trip.mp4", "--force"]);
    r.ok();
    assert!(
        r.stdout.starts_with("✅ Saved trip/trip.mp4 ("),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Thumbnail for YouTube: trip/trip-thumbnail-2.jpg"),
        "{}",
        r.stdout
    );
    assert!(
        std::fs::read(&ph[0]).unwrap() == photo,
        "the photo was replaced"
    );
    assert!(
        std::fs::read(&thumb).unwrap() == b"edited by hand",
        "our thumbnail was replaced"
    );
    assert!(env.work_dir().join("trip/trip-thumbnail-2.jpg").is_file());
    assert!(!env.work_dir().join("trip/trip-2.mp4").exists());
    no_part_files(&env.work_dir().join("trip"));
}
