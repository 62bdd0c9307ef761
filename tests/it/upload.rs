//! Issue #4, uploads through the real binary: files, folders, globs and
//! URLs; what is refused before a byte is sent and what the service
//! refuses; files that vanish mid-run; retries; plain progress off a
//! terminal; what the store remembers; `--json`.

use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::foundation::{finish, requests, run_bounded, spawn, SESSION};
use crate::support::{photos, Run, TestEnv};

const UPLOAD: &str = "/api/upload-video/";
const LIMIT: Duration = Duration::from_secs(30);
/// The fixtures' sizes as the client shows them.
const JPG: &str = "242 B";
const PNG: &str = "170 B";
const NOTE_12: &str = "Note: 12 images. Ten or fewer keep transitions smooth and processing fast; all of them will be uploaded.";

/// Waits scaled to a tenth, not the usual hundredth: the 0.5 s timeout
/// floor that gives could fire on a loaded machine, and a timed-out upload
/// is retried, which would hide what these tests look at (how many
/// requests were sent, what the service refused).
const TIME_SCALE: &str = "0.1";

fn run(env: &TestEnv, args: &[&str]) -> Run {
    run_bounded(env, args, LIMIT, |c| {
        c.env("IMG2YT_TIME_SCALE", TIME_SCALE);
    })
}

fn no_panic(r: &Run) {
    assert!(!r.all().contains("panicked"), "{}", r.all());
}

fn arg(p: &Path) -> String {
    p.display().to_string()
}

fn size_of(name: &str) -> &'static str {
    if name.ends_with(".png") {
        PNG
    } else {
        JPG
    }
}

/// "Uploaded N files: a.jpg (242 B), …" for fixture photos.
fn uploaded_line(names: &[&str]) -> String {
    let list: Vec<String> = names
        .iter()
        .map(|n| format!("{n} ({})", size_of(n)))
        .collect();
    format!(
        "Uploaded {} file{}: {}\n",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        list.join(", ")
    )
}

/// The plain progress lines, one per uploaded file, in the user's order.
fn tick_lines(names: &[&str]) -> String {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("  ✓ {n} ({}) [{}/{}]\n", size_of(n), i + 1, names.len()))
        .collect()
}

/// The names of the media the server holds for the stored project, in the
/// order it received them (read back through the state endpoint, as the
/// agent would see them).
fn server_media(env: &TestEnv) -> Vec<String> {
    let store = env.store();
    let sid = store["project"]["session_id"].as_str().unwrap().to_string();
    let token = env.token();
    let url = format!("{}/api/state/nemo_agent/me/{sid}/latest", env.url);
    let v: Value = env.rt.block_on(async {
        reqwest::Client::new()
            .get(url)
            .bearer_auth(token)
            .header("X-Skill-Source", img2yt::api::SKILL_SOURCE)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    v["data"]["state"]["video_infos"]
        .as_array()
        .unwrap_or_else(|| panic!("no video_infos in {v}"))
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

/// How many media the server holds in all sessions (`env.world()`).
fn world_media(env: &TestEnv) -> u64 {
    env.world()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["media"].as_u64().unwrap())
        .sum()
}

/// The names recorded in store.json under project.uploads.
fn stored_uploads(env: &TestEnv) -> Vec<Value> {
    env.store()["project"]["uploads"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn stored_names(env: &TestEnv) -> Vec<String> {
    stored_uploads(env)
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

/// A run that uploaded nothing: its exit code and the one message, no
/// panic, nothing on stdout, `sent` upload requests and no media on the
/// server.
#[track_caller]
fn nothing_uploaded(env: &TestEnv, r: &Run, code: i32, stderr: &str, sent: usize) {
    r.code(code);
    no_panic(r);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, stderr);
    assert_eq!(env.count("POST", UPLOAD), sent, "{:#?}", env.log());
    assert_eq!(world_media(env), 0);
}

/// Upload fixture photos of these names, made in the work dir, in one call.
fn upload_photos(env: &TestEnv, names: &[&str]) -> Run {
    photos(&env.work_dir(), names);
    let mut argv = vec!["upload"];
    argv.extend(names);
    run(env, &argv)
}

fn names(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("img{i}.jpg")).collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// A JPEG of exactly `len` bytes without writing them (sparse).
fn sparse_jpeg(path: &Path, len: u64) {
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(&[
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ])
    .unwrap();
    f.set_len(len).unwrap();
}

// ---- how many images ----

#[test]
fn one_image() {
    let env = TestEnv::new();
    let files = photos(&env.work_dir().join("trip"), &["beach.jpg"]);
    let r = run(&env, &["upload", &arg(&files[0])]);
    r.ok();
    assert_eq!(r.stdout, uploaded_line(&["beach.jpg"]));
    assert_eq!(r.stderr, tick_lines(&["beach.jpg"]));
    assert_eq!(server_media(&env), ["beach.jpg"]);
    assert_eq!(env.count("POST", UPLOAD), 1);
}

#[test]
fn five_images_in_the_users_order() {
    let env = TestEnv::new();
    // Deliberately not in alphabetical order: the user's order wins.
    let order = ["e.jpg", "b.png", "d.jpg", "a.png", "c.jpg"];
    let files = photos(&env.work_dir().join("trip"), &order);
    let args: Vec<String> = files.iter().map(|f| arg(f)).collect();
    let mut argv = vec!["upload"];
    argv.extend(strs(&args));
    let r = run(&env, &argv);
    r.ok();
    assert_eq!(r.stdout, uploaded_line(&order));
    assert_eq!(r.stderr, tick_lines(&order));
    assert_eq!(world_media(&env), 5);
    assert_eq!(server_media(&env), order);
    assert_eq!(stored_names(&env), order);
}

#[test]
fn twelve_images_get_a_gentle_note_and_all_go_up() {
    let env = TestEnv::new();
    let all = names(12);
    let r = upload_photos(&env, &strs(&all));
    r.ok();
    assert_eq!(r.stdout, uploaded_line(&strs(&all)));
    assert_eq!(
        r.stderr,
        format!("{NOTE_12}\n{}", tick_lines(&strs(&all))),
        "a note, not a warning or a refusal"
    );
    assert_eq!(server_media(&env), all);
    assert_eq!(env.count("POST", UPLOAD), 12);
}

#[test]
fn ten_images_get_no_note() {
    let env = TestEnv::new();
    let all = names(10);
    let r = upload_photos(&env, &strs(&all));
    r.ok();
    assert_eq!(r.stderr, tick_lines(&strs(&all)));
    assert_eq!(server_media(&env), all);
}

// ---- folders, globs, URLs ----

#[test]
fn a_folder_in_natural_order_ignoring_unsupported_files() {
    let env = TestEnv::new();
    let dir = env.work_dir().join("Holiday 2024");
    photos(&dir, &["img10.jpg", "img2.png", "IMG1.jpg"]);
    std::fs::write(dir.join("notes.txt"), "packing list").unwrap();
    std::fs::write(dir.join(".DS_Store"), [0u8; 8]).unwrap();
    std::fs::create_dir(dir.join("raw")).unwrap();
    photos(&dir.join("raw"), &["img3.jpg"]);
    let r = run(&env, &["upload", &arg(&dir)]);
    r.ok();
    let order = ["IMG1.jpg", "img2.png", "img10.jpg"];
    assert_eq!(r.stdout, uploaded_line(&order));
    assert_eq!(
        r.stderr,
        tick_lines(&order),
        "unsupported files pass silently"
    );
    assert_eq!(server_media(&env), order);
}

#[test]
fn a_relative_folder_from_the_current_directory() {
    let env = TestEnv::new();
    photos(&env.work_dir().join("photos"), &["img2.jpg", "img1.jpg"]);
    let r = run(&env, &["upload", "photos"]);
    r.ok();
    assert_eq!(server_media(&env), ["img1.jpg", "img2.jpg"]);
}

#[test]
fn a_folder_without_supported_files_is_refused() {
    let env = TestEnv::new();
    let dir = env.work_dir().join("docs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "x").unwrap();
    let r = run(&env, &["upload", &arg(&dir)]);
    let msg = format!(
        "warning: skipped {}: is a folder with no photos or videos in it\nerror: Nothing was uploaded.\n",
        arg(&dir)
    );
    nothing_uploaded(&env, &r, 3, &msg, 0);
}

#[test]
fn a_glob_given_as_one_argument() {
    let env = TestEnv::new();
    let dir = env.work_dir().join("trip");
    photos(&dir, &["b10.jpg", "b9.jpg", "a.png", "c.jpeg"]);
    // Quoted, so the binary sees the pattern, not the shell's expansion.
    let pattern = format!("{}/*.jpg", arg(&dir));
    let r = run(&env, &["upload", &pattern]);
    r.ok();
    assert_eq!(r.stdout, uploaded_line(&["b9.jpg", "b10.jpg"]));
    assert_eq!(server_media(&env), ["b9.jpg", "b10.jpg"]);
    // Relative to the current directory too.
    let r = run(&env, &["upload", "trip/*.png"]);
    r.ok();
    assert_eq!(r.stdout, uploaded_line(&["a.png"]));
    assert_eq!(server_media(&env), ["b9.jpg", "b10.jpg", "a.png"]);
}

#[test]
fn a_glob_that_matches_nothing_is_refused() {
    let env = TestEnv::new();
    let r = run(&env, &["upload", "nowhere/*.jpg"]);
    r.code(3);
    assert!(
        r.stderr.starts_with("warning: skipped nowhere/*.jpg: "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.ends_with("error: Nothing was uploaded.\n"));
    assert_eq!(env.count("POST", UPLOAD), 0);
}

#[test]
fn a_url_is_uploaded_by_reference() {
    let env = TestEnv::new();
    let r = run(&env, &["upload", "https://example.com/a.jpg"]);
    r.ok();
    assert_eq!(r.stdout, "Uploaded 1 file: a.jpg\n");
    let ups = requests(&env, "POST", UPLOAD);
    assert_eq!(ups.len(), 1);
    assert!(
        ups[0]["headers"]["content-type"]
            .as_str()
            .unwrap()
            .starts_with("application/json"),
        "{}",
        ups[0]
    );
    assert_eq!(server_media(&env), ["a.jpg"]);
    let stored = stored_uploads(&env);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["name"], "a.jpg");
    assert_eq!(stored[0]["source"], "https://example.com/a.jpg");
    // No fetch of the URL happened: nothing but the API was asked.
    assert!(env
        .log()
        .iter()
        .all(|e| !e["uri"].as_str().unwrap().contains("example.com")));
}

#[test]
fn files_and_a_url_in_one_call() {
    let env = TestEnv::new();
    let files = photos(&env.work_dir(), &["a.jpg", "b.png"]);
    let r = run(
        &env,
        &[
            "upload",
            &arg(&files[0]),
            "https://example.com/clip.mp4",
            &arg(&files[1]),
        ],
    );
    r.ok();
    assert_eq!(
        r.stdout,
        format!("Uploaded 3 files: a.jpg ({JPG}), b.png ({PNG}), clip.mp4\n")
    );
    assert_eq!(env.count("POST", UPLOAD), 3);
    assert_eq!(world_media(&env), 3);
}

// ---- refused before a byte is sent ----

#[test]
fn a_file_over_200_mb_is_refused_without_any_upload_request() {
    let env = TestEnv::new();
    let huge = env.work_dir().join("huge.jpg");
    sparse_jpeg(&huge, 200 * 1024 * 1024 + 1);
    let r = run(&env, &["upload", &arg(&huge)]);
    nothing_uploaded(
        &env,
        &r,
        3,
        "warning: skipped huge.jpg: is too large (just over 200 MB; the limit is 200 MB) — \
         save it at a smaller size or compress it, then add it again\n\
         error: Nothing was uploaded.\n",
        0,
    );
    assert!(
        env.log().is_empty(),
        "nothing at all is sent when nothing can be uploaded: {:#?}",
        env.log()
    );
}

#[test]
fn a_text_file_named_jpg_is_refused_and_the_good_ones_still_go() {
    let env = TestEnv::new();
    let dir = env.work_dir();
    let good = photos(&dir, &["a.jpg", "b.png"]);
    std::fs::write(dir.join("notes.jpg"), "remember to buy milk\n").unwrap();
    let r = run(
        &env,
        &["upload", &arg(&good[0]), "notes.jpg", &arg(&good[1])],
    );
    r.code(3);
    no_panic(&r);
    assert_eq!(r.stdout, uploaded_line(&["a.jpg", "b.png"]));
    assert_eq!(
        r.stderr,
        format!(
            "warning: skipped notes.jpg: is not really a JPG image (its content looks like text)\n\
             {}error: 2 uploaded, 1 refused (see above).\n",
            tick_lines(&["a.jpg", "b.png"])
        )
    );
    assert_eq!(server_media(&env), ["a.jpg", "b.png"]);
    assert_eq!(stored_names(&env), ["a.jpg", "b.png"]);
}

#[test]
fn a_missing_file_is_named_and_the_others_go() {
    let env = TestEnv::new();
    let good = photos(&env.work_dir(), &["a.jpg"]);
    let r = run(&env, &["upload", "gone.jpg", &arg(&good[0])]);
    r.code(3);
    assert_eq!(r.stdout, uploaded_line(&["a.jpg"]));
    assert!(
        r.stderr.starts_with("warning: skipped gone.jpg: "),
        "{}",
        r.stderr
    );
    assert!(r
        .stderr
        .ends_with("error: 1 uploaded, 1 refused (see above).\n"));
    assert_eq!(server_media(&env), ["a.jpg"]);
}

// ---- a file that disappears mid-run ----

#[test]
fn a_file_deleted_while_the_first_ones_are_in_flight_is_reported() {
    let env = TestEnv::new();
    let order = ["p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg", "p5.jpg"];
    let files = photos(&env.work_dir(), &order);
    // The first three uploads (run in parallel) are held 300 ms by the
    // server, well below the client's timeout at this time scale; p5 is
    // only opened once one of them is done.
    env.fault(json!({"path": UPLOAD, "times": 3, "action": {"type": "delay", "ms": 300}}));
    let mut c = env.cmd();
    c.env("IMG2YT_TIME_SCALE", TIME_SCALE)
        .arg("upload")
        .args(&files);
    let child = spawn(c);
    // The session exists once the uploads are about to start.
    let start = Instant::now();
    while env.count("POST", SESSION) == 0 {
        assert!(start.elapsed() < LIMIT, "no session was created");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::fs::remove_file(&files[4]).unwrap();
    let r = finish(child, LIMIT, "upload");
    r.code(3);
    no_panic(&r);
    let kept = ["p1.jpg", "p2.jpg", "p3.jpg", "p4.jpg"];
    assert_eq!(r.stdout, uploaded_line(&kept));
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        6,
        "4 ticks, p5's line, the summary:\n{}",
        r.stderr
    );
    assert_eq!(
        lines[..4].join("\n") + "\n",
        (1..=4)
            .map(|i| format!("  ✓ p{i}.jpg ({JPG}) [{i}/5]\n"))
            .collect::<String>()
    );
    assert_eq!(
        lines[4],
        "warning: skipped p5.jpg: file not found (it may have been moved, renamed or deleted)"
    );
    assert_eq!(lines[5], "error: 4 uploaded, 1 refused (see above).");
    assert_eq!(server_media(&env), kept);
    assert_eq!(stored_names(&env), kept);
}

// ---- the service refuses, fails, or cannot be reached ----

fn code_fault(code: i64, times: u32) -> Value {
    json!({"path": UPLOAD, "times": times, "action": {"type": "code", "code": code}})
}

fn status_fault(status: u16, times: u32) -> Value {
    json!({"path": UPLOAD, "times": times, "action": {"type": "status", "status": status}})
}

/// Fixture photos of these names, uploaded by their full paths in one
/// call to a service that meets them with `fault`.
fn upload_meeting(fault: Value, names: &[&str]) -> (TestEnv, Run) {
    let env = TestEnv::new();
    let files = photos(&env.work_dir(), names);
    env.fault(fault);
    let paths: Vec<String> = files.iter().map(|f| arg(f)).collect();
    let mut argv = vec!["upload"];
    argv.extend(strs(&paths));
    let r = run(&env, &argv);
    (env, r)
}

#[test]
fn code_4001_from_the_service_refuses_that_file() {
    let (env, r) = upload_meeting(code_fault(4001, 1), &["a.jpg"]);
    // A refusal is not retried: one request.
    nothing_uploaded(
        &env,
        &r,
        3,
        "warning: skipped a.jpg: refused by the service — The service does not accept this file type. \
         Accepted: jpg, jpeg, png, gif, webp, heic, mp4, mov, avi, webm, mkv, mp3, wav, m4a, aac.\n\
         error: Nothing was uploaded.\n",
        1,
    );
}

#[test]
fn code_4002_from_the_service_refuses_one_file_and_the_other_goes() {
    let (env, r) = upload_meeting(code_fault(4002, 1), &["a.jpg", "b.png"]);
    r.code(3);
    no_panic(&r);
    // The uploads run in parallel: either one may meet the fault.
    let media = server_media(&env);
    assert_eq!(media.len(), 1, "{media:?}");
    let (good, bad) = if media[0] == "a.jpg" {
        ("a.jpg", "b.png")
    } else {
        ("b.png", "a.jpg")
    };
    assert_eq!(r.stdout, uploaded_line(&[good]));
    assert!(
        r.stderr.contains(&format!(
            "warning: skipped {bad}: refused by the service — The file is too large for the service \
             (the limit is 200 MB). Compress or trim it and try again.\n"
        )),
        "{}",
        r.stderr
    );
    assert!(r
        .stderr
        .ends_with("error: 1 uploaded, 1 refused (see above).\n"));
    assert_eq!(stored_names(&env), [good]);
}

#[test]
fn http_500_once_is_retried_and_the_upload_succeeds() {
    let (env, r) = upload_meeting(status_fault(500, 1), &["a.jpg"]);
    r.ok();
    assert_eq!(r.stdout, uploaded_line(&["a.jpg"]));
    let ups = requests(&env, "POST", UPLOAD);
    assert_eq!(ups.len(), 2, "{ups:#?}");
    assert_eq!(ups[0]["status"], 500);
    assert_eq!(ups[1]["status"], 200);
    assert_eq!(server_media(&env), ["a.jpg"], "uploaded once, not twice");
}

#[test]
fn http_500_four_times_gives_up_with_exit_8() {
    let (env, r) = upload_meeting(status_fault(500, 4), &["a.jpg"]);
    // 1 + 3 retries.
    nothing_uploaded(
        &env,
        &r,
        8,
        "error: The NemoVideo service had a problem (HTTP 500). Try again in a moment.\n",
        4,
    );
    assert!(stored_uploads(&env).is_empty());
}

#[test]
fn a_dead_server_is_a_network_error() {
    let mut env = TestEnv::new();
    env.run(&["new"]).ok();
    let f = photos(&env.work_dir(), &["a.jpg"]);
    env.stop_server();
    let r = run(&env, &["upload", &arg(&f[0])]);
    r.code(7);
    no_panic(&r);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("error: Cannot reach the NemoVideo service at 127.0.0.1:"),
        "{}",
        r.stderr
    );
}

// ---- output off a terminal ----

#[test]
fn progress_off_a_terminal_is_plain_lines_without_escapes() {
    let env = TestEnv::new();
    let all = names(7);
    photos(&env.work_dir(), &strs(&all));
    let mut argv = vec!["upload"];
    argv.extend(strs(&all));
    // Colour allowed by the environment: the pipes alone must turn it off.
    let r = run_bounded(&env, &argv, LIMIT, |c| {
        c.env("IMG2YT_TIME_SCALE", TIME_SCALE)
            .env_remove("NO_COLOR")
            .env("TERM", "xterm-256color");
    });
    r.ok();
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
    assert!(!r.stderr.contains('\x1b'), "{:?}", r.stderr);
    assert!(!r.stderr.contains('\r'), "{:?}", r.stderr);
    assert_eq!(r.stderr, tick_lines(&strs(&all)));
    assert_eq!(r.stdout, uploaded_line(&strs(&all)));
}

// ---- what is remembered, --json ----

#[test]
fn accepted_files_are_recorded_in_the_store() {
    let env = TestEnv::new();
    let dir = env.work_dir();
    let f = photos(&dir, &["a.jpg", "b.png"]);
    std::fs::write(dir.join("bad.png"), "not a picture").unwrap();
    let r = run(&env, &["upload", &arg(&f[0]), "bad.png", &arg(&f[1])]);
    r.code(3);
    let stored = stored_uploads(&env);
    assert_eq!(stored.len(), 2, "{stored:#?}");
    for (rec, (name, path, size)) in stored
        .iter()
        .zip([("a.jpg", &f[0], 242), ("b.png", &f[1], 170)])
    {
        assert_eq!(rec["name"], name);
        assert_eq!(rec["size"], size);
        assert_eq!(rec["source"], arg(path));
        assert!(
            rec["file_id"].as_str().unwrap().starts_with("file_"),
            "{rec}"
        );
    }
    // A second upload adds to the list.
    let g = photos(&dir.join("more"), &["c.jpg"]);
    run(&env, &["upload", &arg(&g[0])]).ok();
    assert_eq!(stored_names(&env), ["a.jpg", "b.png", "c.jpg"]);
    // A new project starts with none.
    env.run(&["new"]).ok();
    assert!(stored_uploads(&env).is_empty());
}

#[test]
fn json_upload_is_one_line_with_accepted_and_refused() {
    let env = TestEnv::new();
    let f = photos(&env.work_dir(), &["a.jpg", "b.png"]);
    let r = run(&env, &["--json", "upload", &arg(&f[0]), &arg(&f[1])]);
    r.ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        v,
        json!({
            "type": "upload",
            "accepted": [{"name": "a.jpg", "size": 242}, {"name": "b.png", "size": 170}],
            "refused": [],
        })
    );
}

#[test]
fn json_upload_with_a_refusal_still_reports_both() {
    let env = TestEnv::new();
    let dir = env.work_dir();
    let f = photos(&dir, &["a.jpg"]);
    std::fs::write(dir.join("notes.jpg"), "text").unwrap();
    let r = run(&env, &["--json", "upload", "notes.jpg", &arg(&f[0])]);
    r.code(3);
    let objects: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    // The upload object, then the exit status as every command's error
    // object.
    assert_eq!(
        objects,
        [
            json!({
                "type": "upload",
                "accepted": [{"name": "a.jpg", "size": 242}],
                "refused": ["notes.jpg: is not really a JPG image (its content looks like text)"],
            }),
            json!({
                "type": "error",
                "message": "1 uploaded, 1 refused (see above).",
                "exit_code": 3,
            }),
        ],
        "{}",
        r.stdout
    );
    assert_eq!(server_media(&env), ["a.jpg"]);
}

// A network that stops taking bytes mid-upload is noticed by the lack of
// progress (60 s, scaled to 0.6 s here), long before the overall timeout
// sized for a slow uplink.
#[test]
fn an_upload_that_stops_moving_is_given_up() {
    let env = TestEnv::new();
    let dir = env.work_dir();
    let big = dir.join("big.jpg");
    // Far more than loopback socket buffers hold while the server waits.
    sparse_jpeg(&big, 64 * 1024 * 1024);
    env.run(&["credits"]).ok();
    env.fault(
        json!({"path": "/api/upload-video/", "times": 5, "action": {"type": "delay", "ms": 20000}}),
    );
    let r = run_bounded(
        &env,
        &["upload", &arg(&big)],
        Duration::from_secs(15),
        |_| {},
    );
    r.code(7);
    assert!(r.stderr.contains("did not answer in time"), "{}", r.stderr);
    no_panic(&r);
}

// ---- names and kinds of file the service cannot take ----

/// Lines piped to the real binary (no terminal), bounded in time.
fn pipe_lines(env: &TestEnv, input: &str) -> Run {
    let mut c = env.cmd();
    c.env("IMG2YT_TIME_SCALE", TIME_SCALE)
        .stdin(std::process::Stdio::piped());
    let mut spawned = spawn(c);
    let mut stdin = spawned.0.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let r = finish(spawned, LIMIT, "piped lines");
    writer.join().unwrap();
    r
}

/// A named pipe: opening it to read would wait for a writer forever.
fn fifo(path: &Path) {
    let st = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(st.success(), "mkfifo {}", path.display());
}

#[test]
fn a_file_name_with_a_line_break_is_refused_alone_and_the_others_go() {
    let env = TestEnv::new();
    let dir = env.work_dir();
    let good = photos(&dir, &["a.jpg", "b.png"]);
    let bad = photos(&dir, &["bad\nname.jpg", "bad\rtoo.jpg"]);
    let r = run(
        &env,
        &[
            "upload",
            &arg(&good[0]),
            &arg(&bad[0]),
            &arg(&good[1]),
            &arg(&bad[1]),
        ],
    );
    r.code(3);
    no_panic(&r);
    assert_eq!(r.stdout, uploaded_line(&["a.jpg", "b.png"]));
    assert_eq!(
        r.stderr,
        format!(
            "warning: skipped bad\\nname.jpg: its name contains a line break; rename it and try again\n\
             warning: skipped bad\\rtoo.jpg: its name contains a line break; rename it and try again\n\
             {}error: 2 uploaded, 2 refused (see above).\n",
            tick_lines(&["a.jpg", "b.png"])
        )
    );
    assert_eq!(env.count("POST", UPLOAD), 2);
    assert_eq!(server_media(&env), ["a.jpg", "b.png"]);
    assert_eq!(stored_names(&env), ["a.jpg", "b.png"]);
}

#[test]
fn a_folder_named_like_a_photo_and_a_pipe_get_their_own_reasons() {
    let env = TestEnv::new();
    let dir = env.work_dir();
    let good = photos(&dir, &["a.jpg"]);
    std::fs::create_dir_all(dir.join("somedir.jpg")).unwrap();
    std::fs::write(dir.join("somedir.jpg/notes.txt"), "x").unwrap();
    fifo(&dir.join("x.jpg"));
    let r = run(&env, &["upload", "somedir.jpg/", "x.jpg", &arg(&good[0])]);
    r.code(3);
    no_panic(&r);
    assert_eq!(r.stdout, uploaded_line(&["a.jpg"]));
    assert_eq!(
        r.stderr,
        format!(
            "warning: skipped somedir.jpg/: is a folder with no photos or videos in it\n\
             warning: skipped x.jpg: is not a regular file (a pipe)\n\
             {}error: 1 uploaded, 2 refused (see above).\n",
            tick_lines(&["a.jpg"])
        )
    );
    assert_eq!(env.count("POST", UPLOAD), 1);
}

#[test]
fn a_folder_and_a_pipe_are_named_in_upload_lines_too() {
    let env = TestEnv::new();
    let dir = env.work_dir();
    let good = photos(&dir, &["a.jpg"]);
    std::fs::create_dir_all(dir.join("somedir.jpg")).unwrap();
    fifo(&dir.join("x.jpg"));
    let stopped = "Stopped at line 1; the rest was not run (use --keep-going to go on).\n";
    // `/upload` with one folder: not "Nothing to upload: name photos…".
    let r = pipe_lines(&env, "/upload somedir.jpg\n");
    r.code(3);
    no_panic(&r);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!(
            "warning: skipped somedir.jpg: is a folder with no photos or videos in it\n\
             error: Nothing was uploaded.\n{stopped}"
        )
    );
    // With a pipe: not "somedir.jpg x.jpg: no such file or folder".
    let r = pipe_lines(&env, "/upload somedir.jpg x.jpg\n");
    r.code(3);
    assert_eq!(
        r.stderr,
        format!(
            "warning: skipped somedir.jpg: is a folder with no photos or videos in it\n\
             warning: skipped x.jpg: is not a regular file (a pipe)\n\
             error: Nothing was uploaded (2 files refused).\n{stopped}"
        )
    );
    // With a photo too: the folder and the pipe are not dropped silently.
    let r = pipe_lines(&env, "/upload somedir.jpg x.jpg a.jpg\n");
    r.code(3);
    assert_eq!(r.stdout, uploaded_line(&["a.jpg"]));
    assert_eq!(
        r.stderr,
        format!(
            "warning: skipped somedir.jpg: is a folder with no photos or videos in it\n\
             warning: skipped x.jpg: is not a regular file (a pipe)\n\
             {}error: 1 uploaded, 2 refused (see above).\n{stopped}",
            tick_lines(&["a.jpg"])
        )
    );
    // A dropped folder next to a dropped photo.
    let folder = format!("{}/", arg(&dir.join("somedir.jpg")));
    let r = pipe_lines(&env, &format!("{folder} {}\n", arg(&good[0])));
    r.code(3);
    assert_eq!(r.stdout, uploaded_line(&["a.jpg"]));
    assert_eq!(
        r.stderr,
        format!(
            "→ upload (dropped files)\n\
             warning: skipped {folder}: is a folder with no photos or videos in it\n\
             {}error: 1 uploaded, 1 refused (see above).\n{stopped}",
            tick_lines(&["a.jpg"])
        )
    );
    assert_eq!(env.count("POST", UPLOAD), 2);
}
