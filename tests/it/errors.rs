//! PROTOCOL.md's error table, one fault at a time, through the real binary:
//! what the client recovers from by itself, what it tells the user, and
//! the exit code.

use serde_json::{json, Value};
use std::time::{Duration, Instant};

use crate::foundation::{
    client_id, client_id_file, header, is_uuid_v4, requests, run_bounded, ANON, BALANCE, CREDITS,
    EMPTY_TIMELINE, SESSION, STATE,
};
use crate::support::{Run, TestEnv};

const LIMIT: Duration = Duration::from_secs(20);

/// An environment that already has a token (and, for `status`, a project),
/// so a fault hits the request under test and nothing before it.
fn primed(first: &str) -> TestEnv {
    let env = TestEnv::new();
    env.run(&[first]).ok();
    env
}

/// Run bounded in time, so a recovery that hangs fails instead of blocking.
fn run(env: &TestEnv, args: &[&str]) -> Run {
    run_bounded(env, args, LIMIT, |_| {})
}

fn no_panic(r: &Run) {
    assert!(!r.all().contains("panicked"), "{}", r.all());
}

fn code_fault(path: &str, code: i64, times: u32) -> Value {
    json!({"path": path, "times": times, "action": {"type": "code", "code": code}})
}

fn status_fault(path: &str, status: u16, times: u32) -> Value {
    json!({"path": path, "times": times, "action": {"type": "status", "status": status}})
}

// ---- 1001: token bad or expired ----

#[test]
fn code_1001_renews_an_anonymous_token_silently() {
    let env = primed("credits");
    env.fault(code_fault(CREDITS, 1001, 1));
    let r = run(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(r.stderr, "", "the renewal is silent");
    assert_eq!(env.count("POST", ANON), 2, "exactly one renewal");
    assert_eq!(env.count("GET", CREDITS), 3, "the request is retried once");
}

#[test]
fn code_1001_twice_gives_up_after_one_renewal() {
    let env = primed("credits");
    env.fault(code_fault(CREDITS, 1001, 2));
    let r = run(&env, &["credits"]);
    r.code(4);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service keeps refusing img2yt's starter token. Try again later, or set NEMO_TOKEN to a token from nemovideo.com.\n"
    );
    assert_eq!(r.stdout, "");
    assert_eq!(env.count("POST", ANON), 2);
    assert_eq!(env.count("GET", CREDITS), 3);
}

#[test]
fn an_expired_token_is_replaced_and_saved() {
    let env = primed("credits");
    let old = env.token();
    env.fault(json!({"path": CREDITS, "action": {"type": "expire_token"}}));
    let r = run(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(r.stderr, "");
    let new = env.token();
    assert_ne!(
        new, old,
        "the server forgot the old token: a new one is stored"
    );
    let credits = requests(&env, "GET", CREDITS);
    let statuses: Vec<&Value> = credits.iter().map(|e| &e["status"]).collect();
    assert_eq!(statuses, [&json!(200), &json!(401), &json!(200)]);
    // The next run uses the new token without asking again.
    env.run(&["credits"]).ok();
    assert_eq!(env.count("POST", ANON), 2);
}

#[test]
fn code_1001_with_a_user_token_says_how_to_fix_nemo_token() {
    let env = primed("credits");
    let token = env.token();
    env.fault(code_fault(CREDITS, 1001, 1));
    let r = run_bounded(&env, &["credits"], LIMIT, |c| {
        c.env("NEMO_TOKEN", &token);
    });
    r.code(4);
    assert_eq!(
        r.stderr,
        "error: Your NEMO_TOKEN is invalid or expired. Make a new token at nemovideo.com and set NEMO_TOKEN to it, or unset NEMO_TOKEN to use a free starter token.\n"
    );
    assert_eq!(
        env.count("POST", ANON),
        1,
        "a user's token is never replaced"
    );
    assert_eq!(
        env.count("GET", CREDITS),
        2,
        "and the request is not retried"
    );
    assert_eq!(env.token(), token);
}

#[test]
fn an_unknown_nemo_token_is_refused_with_exit_4() {
    let env = TestEnv::new();
    let r = run_bounded(&env, &["credits"], LIMIT, |c| {
        c.env("NEMO_TOKEN", "nmv_usr_not_a_real_token_0000");
    });
    r.code(4);
    assert!(
        r.stderr.contains("NEMO_TOKEN is invalid or expired"),
        "{}",
        r.stderr
    );
    assert!(!r.all().contains("not_a_real_token"));
    assert_eq!(env.count("POST", ANON), 0);
}

#[test]
fn a_nemo_token_is_used_but_never_written_to_disk() {
    let env = primed("credits");
    let token = env.token();
    std::fs::remove_file(env.config_dir().join("store.json")).unwrap();
    let r = run_bounded(&env, &["status"], LIMIT, |c| {
        c.env("NEMO_TOKEN", &token);
    });
    r.ok();
    assert_eq!(r.stdout, EMPTY_TIMELINE);
    let store = env.store();
    assert!(store["project"]["session_id"].is_string());
    assert!(store["token"].is_null(), "{store}");
    let raw = std::fs::read_to_string(env.config_dir().join("store.json")).unwrap();
    assert!(!raw.contains(&token));
    assert_eq!(env.count("POST", ANON), 1);
}

// ---- 1002: session not found ----

fn assert_session_replaced(env: &TestEnv, r: &Run, old: &str) {
    r.ok();
    assert_eq!(r.stdout, EMPTY_TIMELINE);
    assert_eq!(
        r.stderr,
        "warning: Your project had expired on the server; img2yt started a new, empty one.\n"
    );
    let store = env.store();
    let new = store["project"]["session_id"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(store["earlier_projects"][0]["session_id"], old);
    assert_eq!(store["earlier_projects"].as_array().unwrap().len(), 1);
    assert_eq!(env.count("POST", SESSION), 2);
    let states = requests(env, "GET", STATE);
    assert_eq!(states.len(), 3, "first run, the 1002, the retry");
    assert_eq!(states[1]["uri"], format!("{STATE}{old}/latest"));
    assert_eq!(states[2]["uri"], format!("{STATE}{new}/latest"));
    assert_eq!(states[2]["status"], 200);
}

#[test]
fn a_lost_session_is_replaced_and_the_state_read_again() {
    let env = primed("status");
    let old = env.store()["project"]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    env.fault(json!({"path": STATE, "action": {"type": "lose_session"}}));
    let r = run(&env, &["status"]);
    assert_session_replaced(&env, &r, &old);
    assert_eq!(requests(&env, "GET", STATE)[1]["status"], 404);
}

#[test]
fn code_1002_is_handled_like_a_lost_session() {
    let env = primed("status");
    let old = env.store()["project"]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    env.fault(code_fault(STATE, 1002, 1));
    let r = run(&env, &["status"]);
    assert_session_replaced(&env, &r, &old);
}

#[test]
fn code_1002_twice_is_reported_not_looped() {
    let env = primed("status");
    env.fault(code_fault(STATE, 1002, 2));
    let r = run(&env, &["status"]);
    r.code(8);
    assert!(
        r.stderr.contains("started a new, empty one"),
        "{}",
        r.stderr
    );
    assert_eq!(env.count("POST", SESSION), 2, "one replacement only");
    assert_eq!(env.count("GET", STATE), 3);
}

// ---- 2001: out of credits ----

#[test]
fn code_2001_gives_an_anonymous_user_the_registration_link() {
    let env = primed("status");
    let bind = env.store()["project"]["bind_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(bind.starts_with("bind_"));
    env.fault(code_fault(STATE, 2001, 1));
    let r = run(&env, &["status"]);
    r.code(5);
    assert_eq!(
        r.stderr,
        format!(
            "error: You are out of credits. Register for free to get more: https://web.example/?bind={bind}\n"
        )
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn code_2001_tells_a_registered_user_to_top_up() {
    let env = primed("status");
    let token = env.token();
    env.fault(code_fault(STATE, 2001, 1));
    let r = run_bounded(&env, &["status"], LIMIT, |c| {
        c.env("NEMO_TOKEN", &token);
    });
    r.code(5);
    assert_eq!(
        r.stderr,
        "error: You are out of credits. Top up at nemovideo.com to continue.\n"
    );
}

#[test]
fn code_2001_in_json_mode_writes_an_error_object() {
    let env = primed("status");
    env.fault(code_fault(STATE, 2001, 1));
    let r = run(&env, &["--json", "status"]);
    r.code(5);
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["type"], "error");
    assert_eq!(v["exit_code"], 5);
    assert!(v["message"].as_str().unwrap().contains("?bind=bind_"));
}

// ---- 4001 / 4002 (mapping; uploads come later) ----

#[test]
fn code_4001_lists_the_accepted_types() {
    let env = primed("status");
    env.fault(code_fault(STATE, 4001, 1));
    let r = run(&env, &["status"]);
    r.code(3);
    assert_eq!(
        r.stderr,
        "error: The service does not accept this file type. Accepted: jpg, jpeg, png, gif, webp, heic, mp4, mov, avi, webm, mkv, mp3, wav, m4a, aac.\n"
    );
}

#[test]
fn code_4002_suggests_compressing_and_names_the_limit() {
    let env = primed("status");
    env.fault(code_fault(STATE, 4002, 1));
    let r = run(&env, &["status"]);
    r.code(3);
    assert_eq!(
        r.stderr,
        "error: The file is too large for the service (the limit is 200 MB). Compress or trim it and try again.\n"
    );
}

// ---- HTTP 400 on anonymous-token: a new client id ----

#[test]
fn http_400_on_anonymous_token_makes_a_new_client_id() {
    let env = TestEnv::new();
    let old = "3f2b8c1a-5d6e-4f70-8a9b-0c1d2e3f4a5b";
    std::fs::create_dir_all(client_id_file(&env).parent().unwrap()).unwrap();
    std::fs::write(client_id_file(&env), format!("{old}\n")).unwrap();
    env.fault(status_fault(ANON, 400, 1));
    let r = run(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    let new = client_id(&env);
    assert!(is_uuid_v4(&new), "{new}");
    assert_ne!(new, old, "a new client id was written");
    let anon = requests(&env, "POST", ANON);
    assert_eq!(anon.len(), 2);
    assert_eq!(header(&anon[0], "x-client-id"), Some(old));
    assert_eq!(anon[0]["status"], 400);
    assert_eq!(header(&anon[1], "x-client-id"), Some(new.as_str()));
    assert_eq!(anon[1]["status"], 200);
}

#[test]
fn http_400_twice_on_anonymous_token_is_a_service_error() {
    let env = TestEnv::new();
    env.fault(status_fault(ANON, 400, 5));
    let r = run(&env, &["credits"]);
    r.code(8);
    no_panic(&r);
    assert_eq!(env.count("POST", ANON), 2, "one new client id, one retry");
}

// ---- HTTP 402: export needs registration ----

#[test]
fn http_402_says_register_to_unlock_export() {
    let env = primed("credits");
    env.fault(status_fault(CREDITS, 402, 1));
    let r = run(&env, &["credits"]);
    r.code(6);
    assert_eq!(
        r.stderr,
        "error: Register at nemovideo.com to unlock export (the free plan cannot export).\n"
    );
    assert_eq!(env.count("GET", CREDITS), 2, "402 is not retried");
}

// ---- HTTP 429: wait, retry once ----

#[test]
fn http_429_once_waits_visibly_and_retries() {
    let env = primed("credits");
    env.fault(status_fault(CREDITS, 429, 1));
    let start = Instant::now();
    let r = run(&env, &["credits"]);
    let took = start.elapsed();
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(
        r.stderr,
        "The service asked img2yt to slow down; retrying in 1s…\n"
    );
    // 30 s scaled by 0.01.
    assert!(took >= Duration::from_millis(300), "no wait: {took:?}");
    assert_eq!(env.count("GET", CREDITS), 3);
}

#[test]
fn http_429_twice_is_rate_limited() {
    let env = primed("credits");
    env.fault(status_fault(CREDITS, 429, 2));
    let r = run(&env, &["credits"]);
    r.code(8);
    assert_eq!(
        r.stderr,
        "The service asked img2yt to slow down; retrying in 1s…\nerror: The service is limiting how fast img2yt may ask; wait a minute and try again.\n"
    );
    assert_eq!(env.count("GET", CREDITS), 3, "one retry only");
}

#[test]
fn http_429_on_anonymous_token_waits_and_retries() {
    let env = TestEnv::new();
    env.fault(status_fault(ANON, 429, 1));
    let r = run(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert!(r.stderr.contains("slow down"), "{}", r.stderr);
    assert_eq!(env.count("POST", ANON), 2);
}

// ---- 5xx, drops and garbage ----

#[test]
fn http_503_once_on_a_get_is_retried() {
    let env = primed("credits");
    env.fault(status_fault(CREDITS, 503, 1));
    let r = run(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(r.stderr, "");
    let credits = requests(&env, "GET", CREDITS);
    assert_eq!(credits.len(), 3);
    assert_eq!(credits[1]["status"], 503);
    assert_eq!(credits[2]["status"], 200);
}

#[test]
fn http_503_four_times_gives_up() {
    let env = primed("credits");
    env.fault(status_fault(CREDITS, 503, 4));
    let r = run(&env, &["credits"]);
    r.code(8);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service had a problem (HTTP 503). Try again in a moment.\n"
    );
    assert_eq!(
        env.count("GET", CREDITS),
        5,
        "1 + 4 attempts, the first run's 1"
    );
}

#[test]
fn http_503_on_anonymous_token_is_retried() {
    let env = TestEnv::new();
    env.fault(status_fault(ANON, 503, 1));
    let r = run(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(env.count("POST", ANON), 2);
}

#[test]
fn http_503_on_creating_a_session_is_not_resent() {
    // Not idempotent: sending it again could create two projects.
    let env = primed("credits");
    env.fault(status_fault(SESSION, 503, 1));
    let r = run(&env, &["new"]);
    r.code(8);
    assert_eq!(env.count("POST", SESSION), 1);
}

#[test]
fn a_garbage_body_is_one_line_and_no_panic() {
    let env = primed("credits");
    env.fault(json!({"path": CREDITS, "action": {"type": "garbage"}}));
    let r = run(&env, &["credits"]);
    r.code(8);
    no_panic(&r);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service sent an answer img2yt cannot read.\n"
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn a_wrongly_shaped_answer_is_garbage_not_a_panic() {
    let env = primed("credits");
    env.fault(json!({"path": CREDITS, "action": {"type": "respond",
        "body": {"code": 0, "message": "ok", "data": "lots"}}}));
    let r = run(&env, &["credits"]);
    r.code(8);
    no_panic(&r);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service sent an answer img2yt cannot read.\n"
    );
}

#[test]
fn an_oversized_body_is_refused() {
    let env = primed("credits");
    env.fault(json!({"path": CREDITS, "action": {"type": "oversized", "bytes": 20_000_000}}));
    let r = run(&env, &["credits"]);
    r.code(8);
    no_panic(&r);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service sent an answer larger than 16777216 bytes; img2yt stopped reading it.\n"
    );
}

#[test]
fn a_dropped_connection_on_a_get_is_retried() {
    let env = primed("credits");
    env.fault(json!({"path": CREDITS, "action": {"type": "drop"}}));
    let r = run(&env, &["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    assert_eq!(r.stderr, "");
    assert_eq!(env.count("GET", CREDITS), 3);
}

#[test]
fn a_server_that_does_not_answer_times_out() {
    let env = primed("credits");
    // 60 s × 0.01 = 0.6 s per attempt (floor 0.5 s).
    env.fault(json!({"path": CREDITS, "times": 10, "action": {"type": "delay", "ms": 3000}}));
    let start = Instant::now();
    let r = run(&env, &["credits"]);
    r.code(7);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service did not answer in time. Try again in a moment.\n"
    );
    // Four attempts of ~0.6 s each, but nowhere near the server's 3 s each.
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(2000), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_dead_server_is_a_network_error_with_the_local_hint() {
    let mut env = primed("credits");
    let port = env.url.rsplit(':').next().unwrap().to_string();
    env.stop_server();
    let r = run(&env, &["credits"]);
    r.code(7);
    assert_eq!(
        r.stderr,
        format!(
            "error: Cannot reach the NemoVideo service at 127.0.0.1:{port}. Check your network connection and try again.\nTo work offline, run img2yt with --local.\n"
        )
    );
    // A fresh user (no token yet) gets the same answer.
    std::fs::remove_file(env.config_dir().join("store.json")).unwrap();
    let r = run(&env, &["status"]);
    r.code(7);
    assert!(r.stderr.contains("Cannot reach the NemoVideo service"));
    assert!(r.stderr.contains("--local"));
}

// ---- faults on the anonymous-token request itself ----

#[test]
fn code_1001_on_anonymous_token_is_reported_not_hung() {
    let env = TestEnv::new();
    env.fault(code_fault(ANON, 1001, 1));
    let r = run(&env, &["credits"]);
    r.code(4);
    no_panic(&r);
}

#[test]
fn code_2001_on_anonymous_token_is_reported_not_hung() {
    let env = TestEnv::new();
    env.fault(code_fault(ANON, 2001, 1));
    let r = run(&env, &["credits"]);
    r.code(5);
    assert!(r.stderr.contains("out of credits"), "{}", r.stderr);
}

#[test]
fn an_anonymous_token_answer_without_a_token_is_garbage() {
    let env = TestEnv::new();
    env.fault(json!({"path": ANON, "action": {"type": "respond",
        "body": {"code": 0, "message": "ok", "data": {"credits": 100}}}}));
    let r = run(&env, &["credits"]);
    r.code(8);
    no_panic(&r);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service sent an answer img2yt cannot read.\n"
    );
}

// ---- the terminal obeys img2yt, not the server ----

#[test]
fn escape_sequences_in_a_server_error_message_never_reach_the_terminal() {
    let env = primed("credits");
    let hostile =
        "bad \u{1b}[2J\u{1b}]0;pwned\u{7}thing\u{1b}]52;c;SGVsbG8=\u{1b}\\\r\u{9d}0;x\u{7}";
    for args in [&["credits"][..], &["--verbose", "credits"][..]] {
        env.fault(json!({"path": CREDITS, "times": 1,
            "action": {"type": "code", "code": 9999, "message": hostile}}));
        let r = run(&env, args);
        r.code(8);
        no_panic(&r);
        for (name, s) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
            assert!(
                !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "a control character on {name} ({args:?}): {s:?}"
            );
        }
        assert!(
            r.stderr
                .lines()
                .any(|l| l == "error: The NemoVideo service could not do that: bad thing"),
            "{args:?}: {}",
            r.stderr
        );
    }
}
