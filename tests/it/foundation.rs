//! The first commands (`credits`, `status`, `new`, `open`), the token and
//! client-id lifecycle, attribution headers, token secrecy, `serve` as a
//! child process, `--local`, and a closed stdout. Shared helpers for
//! `errors` and `store` live here too.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{Run, TestEnv};

pub const BALANCE: &str = "Credits: 100 available · 0 frozen · 100 total\n";
/// `credits` against the offline backend (`--local`, `serve`).
pub const LOCAL_BALANCE: &str = "Credits: unlimited (offline backend)\n";
pub const EMPTY_TIMELINE: &str =
    "Timeline is empty — share some images and describe the video you want.\n";
pub const ANON: &str = "/api/auth/anonymous-token";
pub const CREDITS: &str = "/api/credits/balance/simple";
pub const SESSION: &str = "/api/tasks/me/with-session/nemo_agent";
pub const STATE: &str = "/api/state/nemo_agent/me/";
pub const CLAIM: &str = "/api/auth/claim-token";

/// Logged requests whose method is `method` and whose URI starts with
/// `prefix`, in order.
pub fn requests(env: &TestEnv, method: &str, prefix: &str) -> Vec<Value> {
    env.log()
        .into_iter()
        .filter(|e| e["method"] == method && e["uri"].as_str().unwrap_or("").starts_with(prefix))
        .collect()
}

/// A logged request header (names are lower-case in the log).
pub fn header<'a>(entry: &'a Value, name: &str) -> Option<&'a str> {
    entry["headers"][name].as_str()
}

pub fn is_uuid_v4(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4) && s.len() == 36
}

pub fn client_id_file(env: &TestEnv) -> std::path::PathBuf {
    env.config_dir().join("nemovideo").join("client_id")
}

pub fn client_id(env: &TestEnv) -> String {
    std::fs::read_to_string(client_id_file(env))
        .unwrap()
        .trim()
        .to_string()
}

/// Read a child's pipe to the end on a thread (lossy UTF-8).
fn drain(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Spawn a prepared command with piped output; `finish` collects it.
pub fn spawn(
    mut c: Command,
) -> (
    Child,
    std::thread::JoinHandle<String>,
    std::thread::JoinHandle<String>,
) {
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let out = drain(child.stdout.take().unwrap());
    let err = drain(child.stderr.take().unwrap());
    (child, out, err)
}

/// Wait for a spawned img2yt, killing it and failing the test if it takes
/// longer than `limit` (a hang is a bug, not a slow test).
pub fn finish(
    (mut child, out, err): (
        Child,
        std::thread::JoinHandle<String>,
        std::thread::JoinHandle<String>,
    ),
    limit: Duration,
    what: &str,
) -> Run {
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "img2yt {what} still running after {limit:?} (hung)\n--- stderr\n{}",
                err.join().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// `env.run_with`, but bounded in time.
pub fn run_bounded(
    env: &TestEnv,
    args: &[&str],
    limit: Duration,
    f: impl FnOnce(&mut Command),
) -> Run {
    let mut c = env.cmd();
    c.args(args);
    f(&mut c);
    finish(spawn(c), limit, &args.join(" "))
}

// ---- the first commands ----

#[test]
fn credits_prints_the_balance() {
    let env = TestEnv::new();
    let r = env.run(&["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(r.stderr, "", "nothing on stderr off a terminal");
}

#[test]
fn credits_shows_frozen_credits_with_an_explanation() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    env.account(json!({"frozen": 10}));
    let r = env.run(&["credits"]);
    r.ok();
    assert_eq!(
        r.stdout,
        "Credits: 90 available · 10 frozen · 100 total (frozen credits are reserved by work in progress)\n"
    );
}

#[test]
fn credits_json_is_one_object_line() {
    let env = TestEnv::new();
    let r = env.run(&["--json", "credits"]);
    r.ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["type"], "credits");
    assert_eq!(v["available"].as_f64(), Some(100.0));
    assert_eq!(v["frozen"].as_f64(), Some(0.0));
    assert_eq!(v["total"].as_f64(), Some(100.0));
    assert!(
        !r.stdout.contains("Credits:"),
        "no human line in --json mode"
    );
}

#[test]
fn status_on_a_fresh_project_shows_the_empty_timeline() {
    let env = TestEnv::new();
    let r = env.run(&["status"]);
    r.ok();
    assert_eq!(r.stdout, EMPTY_TIMELINE);
    // The project it created on first use is remembered and was the one read.
    let sid = env.store()["project"]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(sid.starts_with("sess_"), "{sid}");
    let states = requests(&env, "GET", STATE);
    assert_eq!(states.len(), 1);
    assert_eq!(states[0]["uri"], format!("{STATE}{sid}/latest"));
    // `state` is an alias.
    env.run(&["state"]).ok();
    assert_eq!(env.count("GET", STATE), 2);
}

#[test]
fn new_then_status_reads_the_new_project() {
    let env = TestEnv::new();
    let r = env.run(&["new"]);
    r.ok();
    assert_eq!(
        r.stdout,
        "Started a new, empty project. Share your images — drag them here — or describe the video you want.\n"
    );
    let store = env.store();
    let sid = store["project"]["session_id"].as_str().unwrap().to_string();
    assert!(store["project"]["task_id"].as_str().is_some());
    assert!(store["project"]["bind_id"]
        .as_str()
        .unwrap()
        .starts_with("bind_"));

    let r = env.run(&["status"]);
    r.ok();
    assert_eq!(r.stdout, EMPTY_TIMELINE);
    assert_eq!(env.count("POST", SESSION), 1, "status reuses the project");
    let states = requests(&env, "GET", STATE);
    assert_eq!(states.len(), 1);
    assert_eq!(states[0]["uri"], format!("{STATE}{sid}/latest"));

    // A second `new` keeps the first project in the history.
    let r = env.run(&["--json", "new"]);
    r.ok();
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["type"], "project");
    let store = env.store();
    assert_eq!(store["project"]["session_id"], v["session_id"]);
    assert_ne!(v["session_id"], sid.as_str());
    assert_eq!(store["earlier_projects"][0]["session_id"], sid.as_str());
}

#[test]
fn open_prints_a_claim_link_and_stores_the_claim_token() {
    let env = TestEnv::new();
    let r = env.run(&["open"]);
    r.ok();
    let prefix = "Open your project in the browser: ";
    let line = r.stdout.trim_end();
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    let link = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("unexpected output: {line}"));
    let ct = link
        .strip_prefix("https://web.example/workspace/claim?ct=")
        .unwrap_or_else(|| panic!("unexpected link: {link}"));
    assert!(ct.starts_with("clm_"), "{ct}");
    let store = env.store();
    assert_eq!(store["project"]["claim_token"], ct);
    // The claim request named the stored project.
    assert_eq!(env.count("POST", CLAIM), 1);
    assert_eq!(env.count("POST", SESSION), 1);

    let r = env.run(&["--json", "open"]);
    r.ok();
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["type"], "link");
    let url = v["url"].as_str().unwrap();
    assert!(url.starts_with("https://web.example/workspace/claim?ct=clm_"));
    assert_eq!(
        env.store()["project"]["claim_token"].as_str(),
        url.split("ct=").nth(1)
    );
    assert_eq!(env.count("POST", SESSION), 1, "open reuses the project");
}

// ---- token, session and client id ----

#[test]
fn a_second_run_reuses_the_token_and_the_session() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    env.run(&["credits"]).ok();
    env.run(&["status"]).ok();
    env.run(&["status"]).ok();
    env.run(&["open"]).ok();
    assert_eq!(
        env.count("POST", ANON),
        1,
        "one anonymous token for all runs"
    );
    assert_eq!(env.count("POST", SESSION), 1, "one session for all runs");
    assert_eq!(env.count("GET", CREDITS), 2);
    assert_eq!(env.count("GET", STATE), 2);
    // Every authenticated request acted as the same user.
    let users: Vec<Value> = env
        .log()
        .into_iter()
        .filter(|e| e["uri"] != ANON)
        .map(|e| e["user"].clone())
        .collect();
    assert_eq!(users.len(), 6);
    assert!(
        users.iter().all(|u| *u == users[0] && u.is_string()),
        "{users:?}"
    );
}

#[test]
fn the_client_id_is_a_shared_uuid_sent_as_x_client_id() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    let raw = std::fs::read_to_string(client_id_file(&env)).unwrap();
    let id = raw.trim();
    assert!(is_uuid_v4(id), "{raw:?}");
    assert_eq!(raw, format!("{id}\n"), "the file holds only the UUID");
    let anon = requests(&env, "POST", ANON);
    assert_eq!(anon.len(), 1);
    assert_eq!(header(&anon[0], "x-client-id"), Some(id));
    // Only the anonymous-token request carries it.
    assert!(env
        .log()
        .iter()
        .filter(|e| e["uri"] != ANON)
        .all(|e| header(e, "x-client-id").is_none()));

    // A token renewal later uses the same id, and the file is unchanged.
    env.fault(json!({"path": CREDITS, "action": {"type": "expire_token"}}));
    env.run(&["credits"]).ok();
    let anon = requests(&env, "POST", ANON);
    assert_eq!(anon.len(), 2);
    assert_eq!(header(&anon[1], "x-client-id"), Some(id));
    assert_eq!(client_id(&env), id);
}

#[test]
fn nemo_client_id_overrides_the_file() {
    let env = TestEnv::new();
    let id = "0b5f3c1e-8a4d-4e2b-9c7a-1d2e3f405162";
    env.run_with(&["credits"], |c| {
        c.env("NEMO_CLIENT_ID", id);
    })
    .ok();
    let anon = requests(&env, "POST", ANON);
    assert_eq!(header(&anon[0], "x-client-id"), Some(id));
}

#[test]
fn every_request_carries_the_attribution_headers() {
    let env = TestEnv::new();
    for args in [
        &["credits"][..],
        &["status"],
        &["new"],
        &["open"],
        &["--json", "credits"],
    ] {
        env.run(args).ok();
    }
    // One forced renewal so a second anonymous-token request is in the log.
    env.fault(json!({"path": CREDITS, "action": {"type": "code", "code": 1001}}));
    env.run(&["credits"]).ok();
    let log = env.log();
    assert!(log.len() >= 9, "{log:?}");
    for e in &log {
        assert_eq!(
            header(e, "x-skill-source"),
            Some("youtube-image-to-video"),
            "{e}"
        );
        assert_eq!(
            header(e, "x-skill-version"),
            Some(env!("CARGO_PKG_VERSION")),
            "{e}"
        );
        assert_eq!(header(e, "x-skill-platform"), Some("unknown"), "{e}");
        if e["uri"] == ANON {
            assert_eq!(header(e, "authorization"), None, "{e}");
        } else {
            assert_eq!(header(e, "authorization"), Some("(present)"), "{e}");
        }
    }
}

#[test]
fn skill_source_sets_the_platform_header() {
    let env = TestEnv::new();
    env.run_with(&["status"], |c| {
        c.env("SKILL_SOURCE", "clawhub");
    })
    .ok();
    let log = env.log();
    assert_eq!(log.len(), 3, "{log:?}");
    for e in &log {
        assert_eq!(header(e, "x-skill-platform"), Some("clawhub"), "{e}");
    }
}

/// Set the stored token's `obtained_at` to `days` ago (and optionally its
/// value), as if the store had been written back then.
fn age_token(env: &TestEnv, days: u64, value: Option<&str>) {
    let path = env.config_dir().join("store.json");
    let mut store = env.store();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    store["token"]["obtained_at"] = json!(now - days * 24 * 3600);
    if let Some(v) = value {
        store["token"]["value"] = json!(v);
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&store).unwrap()).unwrap();
}

#[test]
fn a_week_old_token_is_renewed_before_use() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    // A stale token the server would refuse: renewing it before use means
    // it is never sent at all.
    age_token(&env, 8, Some("nmv_usr_stale0000000000000000000000"));
    let before = env.log().len();
    let r = env.run(&["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(r.stderr, "");
    let run: Vec<Value> = env.log().into_iter().skip(before).collect();
    assert_eq!(run.len(), 2, "{run:?}");
    assert_eq!(run[0]["uri"], ANON, "the token is renewed first");
    assert_eq!(run[1]["uri"], CREDITS);
    assert_eq!(run[1]["status"], 200, "the stale token was never sent");
    let store = env.store();
    let token = store["token"]["value"].as_str().unwrap();
    assert_ne!(token, "nmv_usr_stale0000000000000000000000");
    assert!(token.starts_with("nmv_usr_"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let at = store["token"]["obtained_at"].as_u64().unwrap();
    assert!(
        now.abs_diff(at) < 120,
        "obtained_at {at} renewed to now {now}"
    );
}

#[test]
fn a_six_day_old_token_is_still_used() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    let token = env.token();
    age_token(&env, 6, None);
    env.run(&["credits"]).ok();
    assert_eq!(env.count("POST", ANON), 1);
    assert_eq!(env.token(), token);
}

// ---- the token never shows ----

#[test]
fn the_token_never_appears_in_output_urls_or_links() {
    let env = TestEnv::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut tokens = Vec::new();
    let go = |args: &[&str], runs: &mut Vec<Run>| runs.push(env.run(args));
    go(&["-v", "credits"], &mut runs);
    runs[0].ok();
    tokens.push(env.token());
    let first = tokens[0].clone();
    // -v shows at most a redacted form: the prefix and the last 4 characters.
    let redacted = format!("nmv_usr_…{}", &first[first.len() - 4..]);
    assert!(
        runs[0].stderr.contains(&redacted),
        "-v names the token only as {redacted}:\n{}",
        runs[0].stderr
    );
    go(&["-v", "status"], &mut runs);
    go(&["-v", "new"], &mut runs);
    go(&["-v", "open"], &mut runs);
    go(&["--json", "-v", "open"], &mut runs);
    go(&["-v", "--json", "status"], &mut runs);
    // A renewal with the same token, then a replaced token, both under -v.
    env.fault(json!({"path": CREDITS, "action": {"type": "code", "code": 1001}}));
    go(&["-v", "credits"], &mut runs);
    env.fault(json!({"path": STATE, "action": {"type": "expire_token"}}));
    go(&["-v", "status"], &mut runs);
    tokens.push(env.token());
    assert_ne!(tokens[0], tokens[1], "expire_token replaced the token");
    // Errors under -v print technical detail: still no token.
    env.fault(json!({"path": CREDITS, "action": {"type": "garbage"}}));
    go(&["-v", "credits"], &mut runs);
    env.fault(json!({"path": CREDITS, "action": {"type": "code", "code": 1001}, "times": 2}));
    go(&["-v", "credits"], &mut runs);
    env.fault(json!({"path": STATE, "action": {"type": "code", "code": 2001}}));
    go(&["-v", "--json", "status"], &mut runs);

    assert_eq!(runs.len(), 11);
    for (i, r) in runs.iter().enumerate() {
        if i < 8 {
            r.ok();
        }
        for t in &tokens {
            // The secret part, not only the whole string.
            let secret = &t["nmv_usr_".len()..];
            assert!(
                !r.all().contains(secret),
                "run {i} shows a token:\n{}",
                r.all()
            );
            assert!(
                !r.all().contains(&secret[..16]),
                "run {i} shows part of a token"
            );
        }
    }
    assert_eq!(runs[8].code, 8);
    assert_eq!(runs[9].code, 4);
    assert_eq!(runs[10].code, 5);
    let log = env.log();
    assert!(log.len() > 15);
    for e in &log {
        for t in &tokens {
            let secret = &t["nmv_usr_".len()..];
            assert!(!e["uri"].as_str().unwrap().contains(secret), "{e}");
            for (k, v) in e["headers"].as_object().unwrap() {
                assert!(
                    !v.as_str().unwrap_or("").contains(secret),
                    "header {k}: {e}"
                );
            }
        }
    }
}

// ---- `serve` and `--local` ----

/// Lines of a child's stdout, delivered through a channel.
fn lines_of(r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Read lines until one satisfies `want`; all lines read are returned.
fn wait_for_line(
    rx: &mpsc::Receiver<String>,
    seen: &mut Vec<String>,
    want: impl Fn(&str) -> bool,
) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    if let Some(l) = seen.iter().find(|l| want(l)) {
        return Some(l.clone());
    }
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(l) => {
                seen.push(l.clone());
                if want(&l) {
                    return Some(l);
                }
            }
            Err(_) => return None,
        }
    }
    None
}

/// Kills the `serve` child however the test ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_runs_as_a_child_and_logs_requests() {
    let env = TestEnv::new();
    let mut c = env.cmd();
    c.args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = KillOnDrop(c.spawn().unwrap());
    let rx = lines_of(child.0.stdout.take().unwrap());
    let mut seen = Vec::new();
    let first = wait_for_line(&rx, &mut seen, |l| l.contains("listening on"))
        .unwrap_or_else(|| panic!("no listening line; stdout so far: {seen:?}"));
    let url = first
        .strip_prefix("img2yt offline backend listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"));
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("not a loopback URL: {url}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);

    let r = env.run_with(&["credits"], |c| {
        c.env("NEMO_API_URL", url);
    });
    r.ok();
    // `serve` without --faults is the offline backend: no credit limit.
    assert_eq!(r.stdout, LOCAL_BALANCE);
    assert!(
        wait_for_line(&rx, &mut seen, |l| l
            == "GET /api/credits/balance/simple → 200 (user u1)")
        .is_some(),
        "no request line for credits: {seen:?}"
    );
    assert!(
        seen.iter()
            .any(|l| l == "POST /api/auth/anonymous-token → 200"),
        "{seen:?}"
    );
    let token = env.token();
    assert!(seen.iter().all(|l| !l.contains(&token["nmv_usr_".len()..])));
    // The request went to the child, not to the test's own server.
    assert_eq!(env.log().len(), 0);
    // Fault injection is off unless asked for.
    let r = env.run_with(&["status"], |c| {
        c.env("NEMO_API_URL", url);
    });
    r.ok();
    assert!(wait_for_line(&rx, &mut seen, |l| l.starts_with("GET /api/state/")).is_some());
    drop(child);
}

#[test]
fn local_works_without_any_server() {
    let mut env = TestEnv::new();
    env.stop_server();
    let r = run_bounded(
        &env,
        &["--local", "credits"],
        Duration::from_secs(30),
        |c| {
            c.env_remove("NEMO_API_URL");
        },
    );
    r.ok();
    assert_eq!(r.stdout, LOCAL_BALANCE);
    // A second offline run: the offline backend kept the token.
    let r = run_bounded(&env, &["--local", "status"], Duration::from_secs(30), |c| {
        c.env_remove("NEMO_API_URL");
    });
    r.ok();
    assert_eq!(r.stdout, EMPTY_TIMELINE);
    assert_eq!(r.stderr, "");
}

#[test]
fn local_wins_over_an_exported_nemo_api_url() {
    // A user with NEMO_API_URL in their shell profile can still go offline.
    let mut env = TestEnv::new();
    env.stop_server();
    let r = run_bounded(
        &env,
        &["--local", "credits"],
        Duration::from_secs(30),
        |_| {},
    );
    r.ok();
    assert_eq!(r.stdout, LOCAL_BALANCE);
}

// ---- a closed stdout ----

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = TestEnv::new();
    for args in [&["credits"][..], &["--json", "credits"], &["status"]] {
        // `img2yt credits | head -0`: the reader is gone before img2yt writes.
        let mut c = env.cmd();
        c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        drop(child.stdout.take());
        let err = drain(child.stderr.take().unwrap());
        let status = child.wait().unwrap();
        let err = err.join().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("error"), "{args:?}: {err}");
    }
}
