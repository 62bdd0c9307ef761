//! PROTOCOL.md's error table, one fault at a time, through the real binary:
//! what the client recovers from by itself, what it tells the user, and
//! the exit code.
//!
//! Most faults are one row of the `cases!` table: who runs, what the
//! server does wrong, and what must come of it. The tests below the table
//! need more than a row can say (a file written first, a wait measured,
//! a loop).

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

/// A fault given by its action alone, once.
fn action(path: &str, action: Value) -> Value {
    json!({"path": path, "action": action})
}

// ---- the table ----

/// One row: a user (fresh, or after a first command), a fault, a command,
/// and what must come of it. Nothing is checked that the row does not
/// name, except that img2yt never panics.
#[derive(Default)]
struct Case {
    first: Option<&'static str>,
    fault: Option<Value>,
    args: &'static [&'static str],
    /// `NEMO_TOKEN` set to the token the first command stored.
    user_token: bool,
    env: Vec<(&'static str, &'static str)>,
    code: i32,
    stdout: Option<&'static str>,
    stderr: Option<&'static str>,
    stderr_has: Vec<&'static str>,
    hidden: Vec<&'static str>,
    counts: Vec<(&'static str, &'static str, usize)>,
    statuses: Vec<(&'static str, &'static str, &'static [u16])>,
}

impl Case {
    /// A user with no token yet.
    fn fresh() -> Case {
        Case::default()
    }

    /// A user who has run `first` already (see [`primed`]).
    fn after(first: &'static str) -> Case {
        Case {
            first: Some(first),
            ..Case::default()
        }
    }

    fn fault(mut self, f: Value) -> Case {
        self.fault = Some(f);
        self
    }

    fn user_token(mut self) -> Case {
        self.user_token = true;
        self
    }

    fn env(mut self, key: &'static str, value: &'static str) -> Case {
        self.env.push((key, value));
        self
    }

    /// The command, and the exit code it must end with.
    fn run(mut self, args: &'static [&'static str], code: i32) -> Case {
        self.args = args;
        self.code = code;
        self
    }

    fn stdout(mut self, s: &'static str) -> Case {
        self.stdout = Some(s);
        self
    }

    fn stderr(mut self, s: &'static str) -> Case {
        self.stderr = Some(s);
        self
    }

    fn stderr_has(mut self, s: &'static str) -> Case {
        self.stderr_has.push(s);
        self
    }

    /// Text that must appear nowhere in what the user sees.
    fn hides(mut self, s: &'static str) -> Case {
        self.hidden.push(s);
        self
    }

    /// How many requests the server saw, the first command's included.
    fn count(mut self, method: &'static str, path: &'static str, n: usize) -> Case {
        self.counts.push((method, path, n));
        self
    }

    /// The status of every request the server saw there, in order.
    fn statuses(mut self, method: &'static str, path: &'static str, s: &'static [u16]) -> Case {
        self.statuses.push((method, path, s));
        self
    }

    /// Run the row; every failed assertion names it.
    fn check(self, name: &str) -> (TestEnv, Run) {
        let env = match self.first {
            Some(first) => primed(first),
            None => TestEnv::new(),
        };
        let token = self.user_token.then(|| env.token());
        if let Some(f) = self.fault {
            env.fault(f);
        }
        let r = run_bounded(&env, self.args, LIMIT, |c| {
            if let Some(t) = &token {
                c.env("NEMO_TOKEN", t);
            }
            for (k, v) in &self.env {
                c.env(k, v);
            }
        });
        let all = r.all();
        assert_eq!(r.code, self.code, "{name}: exit code; saw:\n{all}");
        assert!(!all.contains("panicked"), "{name}: a panic:\n{all}");
        if let Some(out) = self.stdout {
            assert_eq!(r.stdout, out, "{name}: stdout");
        }
        if let Some(err) = self.stderr {
            assert_eq!(r.stderr, err, "{name}: stderr");
        }
        for s in self.stderr_has {
            assert!(
                r.stderr.contains(s),
                "{name}: {s:?} not on stderr:\n{}",
                r.stderr
            );
        }
        for s in self.hidden {
            assert!(!all.contains(s), "{name}: {s:?} shown:\n{all}");
        }
        for (method, path, n) in self.counts {
            assert_eq!(
                env.count(method, path),
                n,
                "{name}: {method} {path} requests"
            );
        }
        for (method, path, want) in self.statuses {
            let got: Vec<Value> = requests(&env, method, path)
                .iter()
                .map(|e| e["status"].clone())
                .collect();
            let want: Vec<Value> = want.iter().map(|s| json!(s)).collect();
            assert_eq!(got, want, "{name}: statuses of {method} {path}");
        }
        if let Some(t) = token {
            assert_eq!(env.token(), t, "{name}: a user's token is never replaced");
        }
        (env, r)
    }
}

const READ_ERROR: &str = "error: The NemoVideo service sent an answer img2yt cannot read.\n";

cases! {
    // ---- 1001: token bad or expired ----

    /// The renewal is silent: exactly one, and the request retried once.
    code_1001_renews_an_anonymous_token_silently: Case::after("credits")
        .fault(code_fault(CREDITS, 1001, 1))
        .run(&["credits"], 0)
        .stdout(BALANCE)
        .stderr("")
        .count("POST", ANON, 2)
        .count("GET", CREDITS, 3);

    code_1001_twice_gives_up_after_one_renewal: Case::after("credits")
        .fault(code_fault(CREDITS, 1001, 2))
        .run(&["credits"], 4)
        .stderr("error: The NemoVideo service keeps refusing img2yt's starter token. Try again later, or set NEMO_TOKEN to a token from nemovideo.com.\n")
        .stdout("")
        .count("POST", ANON, 2)
        .count("GET", CREDITS, 3);

    /// A user's token is never replaced, and the request is not retried.
    code_1001_with_a_user_token_says_how_to_fix_nemo_token: Case::after("credits")
        .fault(code_fault(CREDITS, 1001, 1))
        .user_token()
        .run(&["credits"], 4)
        .stderr("error: Your NEMO_TOKEN is invalid or expired. Make a new token at nemovideo.com and set NEMO_TOKEN to it, or unset NEMO_TOKEN to use a free starter token.\n")
        .count("POST", ANON, 1)
        .count("GET", CREDITS, 2);

    an_unknown_nemo_token_is_refused_with_exit_4: Case::fresh()
        .env("NEMO_TOKEN", "nmv_usr_not_a_real_token_0000")
        .run(&["credits"], 4)
        .stderr_has("NEMO_TOKEN is invalid or expired")
        .hides("not_a_real_token")
        .count("POST", ANON, 0);

    // ---- 1002: session not found ----

    code_1002_twice_is_reported_not_looped: Case::after("status")
        .fault(code_fault(STATE, 1002, 2))
        .run(&["status"], 8)
        .stderr_has("started a new, empty one")
        .count("POST", SESSION, 2) // one replacement only
        .count("GET", STATE, 3);

    // ---- 2001: out of credits ----

    code_2001_tells_a_registered_user_to_top_up: Case::after("status")
        .fault(code_fault(STATE, 2001, 1))
        .user_token()
        .run(&["status"], 5)
        .stderr("error: You are out of credits. Top up at nemovideo.com to continue.\n");

    // ---- 4001 / 4002 (mapping; uploads come later) ----

    code_4001_lists_the_accepted_types: Case::after("status")
        .fault(code_fault(STATE, 4001, 1))
        .run(&["status"], 3)
        .stderr("error: The service does not accept this file type. Accepted: jpg, jpeg, png, gif, webp, heic, mp4, mov, avi, webm, mkv, mp3, wav, m4a, aac.\n");

    code_4002_suggests_compressing_and_names_the_limit: Case::after("status")
        .fault(code_fault(STATE, 4002, 1))
        .run(&["status"], 3)
        .stderr("error: The file is too large for the service (the limit is 200 MB). Compress or trim it and try again.\n");

    // ---- HTTP 400 on anonymous-token: a new client id ----

    /// One new client id, one retry.
    http_400_twice_on_anonymous_token_is_a_service_error: Case::fresh()
        .fault(status_fault(ANON, 400, 5))
        .run(&["credits"], 8)
        .count("POST", ANON, 2);

    // ---- HTTP 402: export needs registration ----

    /// 402 is not retried.
    http_402_says_register_to_unlock_export: Case::after("credits")
        .fault(status_fault(CREDITS, 402, 1))
        .run(&["credits"], 6)
        .stderr("error: Register at nemovideo.com to unlock export (the free plan cannot export).\n")
        .count("GET", CREDITS, 2);

    // ---- HTTP 429: wait, retry once ----

    /// One retry only.
    http_429_twice_is_rate_limited: Case::after("credits")
        .fault(status_fault(CREDITS, 429, 2))
        .run(&["credits"], 8)
        .stderr("The service asked img2yt to slow down; retrying in 1s…\nerror: The service is limiting how fast img2yt may ask; wait a minute and try again.\n")
        .count("GET", CREDITS, 3);

    http_429_on_anonymous_token_waits_and_retries: Case::fresh()
        .fault(status_fault(ANON, 429, 1))
        .run(&["credits"], 0)
        .stdout(BALANCE)
        .stderr_has("slow down")
        .count("POST", ANON, 2);

    // ---- 5xx, drops and garbage ----

    http_503_once_on_a_get_is_retried: Case::after("credits")
        .fault(status_fault(CREDITS, 503, 1))
        .run(&["credits"], 0)
        .stdout(BALANCE)
        .stderr("")
        .statuses("GET", CREDITS, &[200, 503, 200]);

    /// 1 + 4 attempts, and the first run's 1.
    http_503_four_times_gives_up: Case::after("credits")
        .fault(status_fault(CREDITS, 503, 4))
        .run(&["credits"], 8)
        .stderr("error: The NemoVideo service had a problem (HTTP 503). Try again in a moment.\n")
        .count("GET", CREDITS, 5);

    http_503_on_anonymous_token_is_retried: Case::fresh()
        .fault(status_fault(ANON, 503, 1))
        .run(&["credits"], 0)
        .stdout(BALANCE)
        .count("POST", ANON, 2);

    /// Not idempotent: sending it again could create two projects.
    http_503_on_creating_a_session_is_not_resent: Case::after("credits")
        .fault(status_fault(SESSION, 503, 1))
        .run(&["new"], 8)
        .count("POST", SESSION, 1);

    a_garbage_body_is_one_line_and_no_panic: Case::after("credits")
        .fault(action(CREDITS, json!({"type": "garbage"})))
        .run(&["credits"], 8)
        .stderr(READ_ERROR)
        .stdout("");

    a_wrongly_shaped_answer_is_garbage_not_a_panic: Case::after("credits")
        .fault(action(CREDITS, json!({"type": "respond",
            "body": {"code": 0, "message": "ok", "data": "lots"}})))
        .run(&["credits"], 8)
        .stderr(READ_ERROR);

    an_oversized_body_is_refused: Case::after("credits")
        .fault(action(CREDITS, json!({"type": "oversized", "bytes": 20_000_000})))
        .run(&["credits"], 8)
        .stderr("error: The NemoVideo service sent an answer larger than 16777216 bytes; img2yt stopped reading it.\n");

    a_dropped_connection_on_a_get_is_retried: Case::after("credits")
        .fault(action(CREDITS, json!({"type": "drop"})))
        .run(&["credits"], 0)
        .stdout(BALANCE)
        .stderr("")
        .count("GET", CREDITS, 3);

    // ---- faults on the anonymous-token request itself ----

    code_1001_on_anonymous_token_is_reported_not_hung: Case::fresh()
        .fault(code_fault(ANON, 1001, 1))
        .run(&["credits"], 4);

    code_2001_on_anonymous_token_is_reported_not_hung: Case::fresh()
        .fault(code_fault(ANON, 2001, 1))
        .run(&["credits"], 5)
        .stderr_has("out of credits");

    an_anonymous_token_answer_without_a_token_is_garbage: Case::fresh()
        .fault(action(ANON, json!({"type": "respond",
            "body": {"code": 0, "message": "ok", "data": {"credits": 100}}})))
        .run(&["credits"], 8)
        .stderr(READ_ERROR);
}

// ---- what a row cannot say ----

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
fn code_2001_gives_an_anonymous_user_the_registration_link() {
    let name = "code_2001_gives_an_anonymous_user_the_registration_link";
    let (env, r) = Case::after("status")
        .fault(code_fault(STATE, 2001, 1))
        .run(&["status"], 5)
        .stdout("")
        .check(name);
    let bind = env.store()["project"]["bind_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(bind.starts_with("bind_"), "{name}: {bind}");
    assert_eq!(
        r.stderr,
        format!(
            "error: You are out of credits. Register for free to get more: https://web.example/?bind={bind}\n"
        ),
        "{name}"
    );
}

#[test]
fn code_2001_in_json_mode_writes_an_error_object() {
    let (_, r) = Case::after("status")
        .fault(code_fault(STATE, 2001, 1))
        .run(&["--json", "status"], 5)
        .check("code_2001_in_json_mode_writes_an_error_object");
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["type"], "error");
    assert_eq!(v["exit_code"], 5);
    assert!(v["message"].as_str().unwrap().contains("?bind=bind_"));
}

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
fn a_server_that_does_not_answer_times_out() {
    let env = primed("credits");
    // 60 s × 0.01 = 0.6 s per attempt, raised to the 2 s floor.
    env.fault(json!({"path": CREDITS, "times": 10, "action": {"type": "delay", "ms": 30000}}));
    let start = Instant::now();
    let r = run(&env, &["credits"]);
    r.code(7);
    assert_eq!(
        r.stderr,
        "error: The NemoVideo service did not answer in time. Try again in a moment.\n"
    );
    // Four attempts of ~2 s each, but nowhere near the server's 30 s each.
    let took = start.elapsed();
    assert!(took >= Duration::from_secs(6), "{took:?}");
    assert!(took < Duration::from_secs(30), "{took:?}");
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
