//! `--local` (issue: offline projects that last): the embedded backend
//! keeps its projects in SQLite in a data dir, so they survive restarts,
//! two processes can share them, and a render whose process was killed is
//! finished by the next `export`. Credits are unlimited offline. Every
//! test runs the real binary with `--local` (the test server is not used).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::export::assert_playable_mp4;
use crate::foundation::{finish, run_bounded, spawn};
use crate::support::{photos, Run, TestEnv};

const PROMPT: &str = "turn these images into a YouTube video with music and transitions";
const LIMIT: Duration = Duration::from_secs(90);

/// The data dir `--local` uses with the tests' `IMG2YT_CONFIG_DIR`.
fn data_dir(env: &TestEnv) -> PathBuf {
    env.config_dir().join("local")
}

fn database(env: &TestEnv) -> PathBuf {
    data_dir(env).join("backend.sqlite3")
}

/// `img2yt --local ARGS…`, tiny renders.
fn local(env: &TestEnv, args: &[&str]) -> Run {
    local_with(env, args, |_| {})
}

fn local_with(env: &TestEnv, args: &[&str], f: impl FnOnce(&mut Command)) -> Run {
    let mut all = vec!["--local"];
    all.extend_from_slice(args);
    run_bounded(env, &all, LIMIT, |c| {
        c.env("IMG2YT_SERVER_MAX_HEIGHT", "90");
        f(c);
    })
}

fn local_cmd(env: &TestEnv, args: &[&str]) -> Command {
    let mut c = env.cmd();
    c.arg("--local")
        .args(args)
        .env("IMG2YT_SERVER_MAX_HEIGHT", "90");
    c
}

/// `count` photos in a folder of their own; returns the folder.
fn photo_dir(env: &TestEnv, name: &str, count: usize) -> String {
    let dir = env.dir.path().join(name);
    let names: Vec<String> = (1..=count).map(|i| format!("{name}{i}.jpg")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    photos(&dir, &names);
    dir.to_str().unwrap().to_string()
}

/// One query on the backend's database, read-only, as another process.
fn query(db: &Path, sql: &str) -> Vec<Vec<String>> {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    let mut st = c.prepare(sql).unwrap();
    let n = st.column_count();
    st.query_map([], |r| {
        (0..n)
            .map(|i| {
                let v: rusqlite::types::Value = r.get(i)?;
                Ok(match v {
                    rusqlite::types::Value::Text(s) => s,
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Real(f) => f.to_string(),
                    rusqlite::types::Value::Null => "NULL".into(),
                    rusqlite::types::Value::Blob(_) => "BLOB".into(),
                })
            })
            .collect()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_local_project_survives_restarts() {
    let env = TestEnv::new();
    let dir = photo_dir(&env, "trip", 2);
    // Three processes, each with its own in-process backend.
    let r = local(&env, &["upload", &dir]);
    r.ok();
    assert!(r.stdout.starts_with("Uploaded 2 files"), "{}", r.stdout);
    local(&env, &["send", PROMPT]).ok();
    let r = local(&env, &["status"]);
    r.ok();
    assert!(
        r.stdout
            .starts_with("Timeline (2 tracks): 1. Video: 2 clips (0-"),
        "{}",
        r.stdout
    );
    // Uploads are files in the data dir; the database names them.
    let paths = query(&database(&env), "SELECT media FROM sessions");
    let uploads = data_dir(&env).join("uploads");
    assert_eq!(std::fs::read_dir(&uploads).unwrap().count(), 2);
    assert!(paths[0][0].contains(uploads.to_str().unwrap()), "{paths:?}");
    assert_eq!(env.count("GET", "/"), 0, "the test server was not used");
}

#[test]
fn two_local_processes_share_one_data_dir() {
    let env = TestEnv::new();
    let shared = env.dir.path().join("shared-data");
    let with_dir = |c: &mut Command| {
        c.env("IMG2YT_DATA_DIR", &shared);
    };
    let first = photo_dir(&env, "first", 1);
    local_with(&env, &["upload", &first], with_dir).ok();
    // Two at once, into the same project.
    let (a, b) = (photo_dir(&env, "left", 3), photo_dir(&env, "right", 3));
    let mut ca = local_cmd(&env, &["upload", &a]);
    with_dir(&mut ca);
    let mut cb = local_cmd(&env, &["upload", &b]);
    with_dir(&mut cb);
    let (ra, rb) = (spawn(ca), spawn(cb));
    finish(ra, LIMIT, "upload left").ok();
    finish(rb, LIMIT, "upload right").ok();

    let r = local_with(&env, &["status"], with_dir);
    r.ok();
    let all = r.all();
    assert!(all.contains("Uploaded (7)"), "{all}");
    for n in ["first1", "left1", "left3", "right1", "right3"] {
        assert!(all.contains(&format!("{n}.jpg")), "{n} missing: {all}");
    }
    assert!(shared.join("backend.sqlite3").is_file());
    assert!(!data_dir(&env).exists(), "IMG2YT_DATA_DIR wins");
}

#[test]
fn a_local_render_killed_mid_way_is_finished_by_the_next_export() {
    let env = TestEnv::new();
    // Enough photos that the render takes a few seconds.
    let dir = photo_dir(&env, "long", 12);
    local(&env, &["upload", &dir]).ok();
    local(&env, &["send", PROMPT]).ok();

    let (mut child, o, e) = spawn(local_cmd(&env, &["export", "-o", "out.mp4"]));
    let db = database(&env);
    let start = Instant::now();
    let (id, runner) = loop {
        let rows = query(&db, "SELECT id, phase, runner FROM renders");
        if let Some(r) = rows.iter().find(|r| r[1] == "processing") {
            break (r[0].clone(), r[2].clone());
        }
        if let Some(st) = child.try_wait().unwrap() {
            panic!("img2yt export ended ({st}) before its render was processing");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never processing"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    // Its ffmpeg is at work (Linux: seen in /proc).
    #[cfg(target_os = "linux")]
    let dir = data_dir(&env).to_string_lossy().into_owned();
    #[cfg(target_os = "linux")]
    while !ffmpeg_writing_under(&dir) {
        if let Some(st) = child.try_wait().unwrap() {
            panic!("img2yt export ended ({st}) before its ffmpeg was seen");
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no ffmpeg");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: its backend dies mid-render
    child.wait().unwrap();
    let _ = (o.join(), e.join());
    let phase = query(&db, &format!("SELECT phase FROM renders WHERE id = '{id}'"));
    assert_eq!(phase[0][0], "processing", "the render was not cut short");
    assert!(!env.work_dir().join("out.mp4").exists());
    // Its ffmpeg died with it rather than rendering on for nobody: it
    // left its video unfinished (an MP4 with `+faststart` is readable only
    // once ffmpeg has written it all).
    #[cfg(target_os = "linux")]
    {
        let start = Instant::now();
        while ffmpeg_writing_under(&dir) {
            assert!(start.elapsed() < LIMIT, "ffmpeg never ended");
            std::thread::sleep(Duration::from_millis(20));
        }
        let renders = data_dir(&env).join("renders");
        for f in std::fs::read_dir(&renders).unwrap().flatten() {
            let f = f.path();
            if f.to_string_lossy().ends_with(".part.mp4") {
                let read = std::process::Command::new("ffprobe")
                    .args(["-v", "error", "-show_format"])
                    .arg(&f)
                    .output()
                    .unwrap();
                assert!(!read.status.success(), "finished after the kill: {f:?}");
            }
        }
    }

    // The whole render again: a render limit that a loaded machine cannot
    // miss.
    let r = local_with(&env, &["export"], |c| {
        c.env("IMG2YT_TIME_SCALE", "0.2");
    });
    r.ok();
    assert!(r.stderr.contains("Picking up the render"), "{}", r.stderr);
    assert!(r.stdout.starts_with("✅ Saved out.mp4 ("), "{}", r.stdout);
    assert_playable_mp4(&env.work_dir().join("out.mp4"));
    let parts: Vec<_> = std::fs::read_dir(data_dir(&env).join("renders"))
        .unwrap()
        .flatten()
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .filter(|f| f.contains(".part."))
        .collect();
    assert!(parts.is_empty(), "unfinished files left: {parts:?}");
    let rows = query(&db, "SELECT id, phase, runner FROM renders");
    assert_eq!(rows.len(), 1, "no second render: {rows:?}");
    assert_eq!(rows[0][1], "completed");
    assert_ne!(rows[0][2], runner, "another process finished it");
}

/// Whether an ffmpeg process has an argument under `dir` (from /proc).
#[cfg(target_os = "linux")]
fn ffmpeg_writing_under(dir: &str) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return false;
    };
    procs.flatten().any(|p| {
        let Ok(cmdline) = std::fs::read(p.path().join("cmdline")) else {
            return false;
        };
        let mut args = cmdline.split(|&b| b == 0).map(String::from_utf8_lossy);
        args.next().is_some_and(|a| a.ends_with("ffmpeg")) && args.any(|a| a.starts_with(dir))
    })
}

#[test]
fn local_credits_are_unlimited() {
    let env = TestEnv::new();
    let r = local(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, "Credits: unlimited (offline backend)\n");
    let r = local(&env, &["--json", "credits"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["type"], "credits");
    assert_eq!(v["unlimited"], true);
    assert!(v["available"].as_f64().unwrap() > 0.0, "{v}");
    // Editing costs nothing offline.
    let dir = photo_dir(&env, "p", 2);
    local(&env, &["upload", &dir]).ok();
    local(&env, &["send", PROMPT]).ok();
    let r = local(&env, &["credits"]);
    assert_eq!(r.stdout, "Credits: unlimited (offline backend)\n");
}

#[cfg(unix)]
#[test]
fn the_local_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    local(&env, &["credits"]).ok();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&database(&env)), 0o600, "it holds tokens");
    assert_eq!(mode(&data_dir(&env)), 0o700);
}

#[test]
fn a_damaged_local_database_stops_with_one_clear_line() {
    let env = TestEnv::new();
    std::fs::create_dir_all(data_dir(&env)).unwrap();
    let garbage = vec![b'x'; 4096];
    std::fs::write(database(&env), &garbage).unwrap();
    let r = local(&env, &["credits"]);
    r.code(1);
    assert_eq!(r.stdout, "");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].contains("is damaged"), "{}", r.stderr);
    assert!(lines[0].contains("move it aside"), "{}", r.stderr);
    assert!(
        lines[0].contains(database(&env).to_str().unwrap()),
        "{}",
        r.stderr
    );
    // Left as it was, for the user to rescue or move.
    assert_eq!(std::fs::read(database(&env)).unwrap(), garbage);
}

#[test]
fn the_cloud_and_local_projects_are_kept_apart() {
    let env = TestEnv::new();
    let photos = photo_dir(&env, "cloud", 1);
    env.run(&["upload", &photos]).ok();
    let cloud = env.store();
    local(&env, &["upload", &photos]).ok();
    // The cloud's token and project are untouched by a `--local` run…
    assert_eq!(env.store()["token"], cloud["token"]);
    assert_eq!(env.store()["project"], cloud["project"]);
    let raw = std::fs::read(env.config_dir().join("store-local.json")).unwrap();
    let local_store: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    assert_ne!(local_store["token"], cloud["token"]);
    // …so going back to the cloud finds its project as it was.
    let r = env.run(&["status"]);
    r.ok();
    assert!(!r.all().contains("expired"), "{}", r.all());
    assert!(r.stdout.contains("Uploaded (1)"), "{}", r.stdout);
}

#[test]
fn a_title_this_machine_cannot_draw_is_flagged_when_it_is_set() {
    // Fontconfig with no fonts at all: a CJK title has no font unless one
    // sits in a well-known place (then there is nothing to flag).
    let env = TestEnv::new();
    let conf = env.dir.path().join("fonts.conf");
    std::fs::write(
        &conf,
        "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig></fontconfig>",
    )
    .unwrap();
    if img2yt::server::fonts::CJK
        .iter()
        .any(|p| Path::new(p).exists())
    {
        eprintln!("a CJK font is installed: nothing to flag");
        return;
    }
    let photos = photo_dir(&env, "cjk", 1);
    local(&env, &["upload", &photos]).ok();
    local(&env, &["send", "make a video"]).ok();
    let r = local_with(&env, &["send", "标题：冰岛之旅"], |c| {
        c.env("FONTCONFIG_FILE", &conf);
    });
    r.ok();
    assert!(r.stdout.contains("冰岛之旅"), "{}", r.stdout);
    // In the message's language, the note too (issue 22).
    assert!(r.stdout.contains("本机没有安装中日韩字体"), "{}", r.stdout);
    assert!(!r.stdout.contains("No Chinese"), "{}", r.stdout);
    assert!(r.stdout.contains("fonts-noto-cjk"), "{}", r.stdout);
}
