//! The chat turn (`send`, PROTOCOL.md §4) through the real binary against
//! scripted `/run_sse` turns: what the user sees on stdout and stderr (each
//! text exactly once), exit codes, and that a message is never sent twice.
//!
//! Waits are scaled by `IMG2YT_TIME_SCALE=0.01`: "still working" after
//! 1.2 s, the idle timeout after 6 s, recovery reads after 0.3 s then 0.6 s.
//!
//! Most turns are one row of the `cases!` table (a [`Turn`]: the project,
//! the frames, what must come of it); the tests after it need more than a
//! row can say.

use serde_json::{json, Value};
use std::io::Read;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::foundation::{run_bounded, STATE};
use crate::support::{fixture, Run, TestEnv};

const LIMIT: Duration = Duration::from_secs(30);
const RUN_SSE: &str = "/run_sse";

const DROPPED: &str = "The connection to the editor dropped. Checking whether your edit went through (nothing is sent again)…\n";
const TIMED_OUT: &str = "The editor has not answered for a long time. Checking whether your edit went through (nothing is sent again)…\n";
const STILL: &str = "⏳ Still working…\n";
const TITLE_ADDED: &str = "✅ Title added: 'Paradise Found' (0-3s)\n";

// ---- building scripts ----

fn adk_text(t: &str, partial: bool) -> Value {
    let mut e = json!({
        "content": {"parts": [{"text": t}], "role": "model"},
        "invocationId": "e-1", "author": "nemo_agent",
        "actions": {"stateDelta": {}, "artifactDelta": {}, "requestedAuthConfigs": {}},
        "timestamp": 1763900000.5
    });
    if partial {
        e["partial"] = json!(true);
    }
    e
}

fn event(e: Value) -> Value {
    json!({"type": "event", "event": e})
}

/// A partial text piece.
fn piece(t: &str) -> Value {
    event(adk_text(t, true))
}

/// A complete (non-partial) text: a lone message or an aggregate.
fn say(t: &str) -> Value {
    event(adk_text(t, false))
}

fn call(name: &str) -> Value {
    event(json!({
        "content": {"parts": [{"functionCall": {"id": "adk-1", "name": name, "args": {"secret_arg": "ARGS-NEVER-SHOWN"}}}], "role": "model"},
        "invocationId": "e-1", "author": "nemo_agent"
    }))
}

fn response(name: &str) -> Value {
    event(json!({
        "content": {"parts": [{"functionResponse": {"id": "adk-1", "name": name,
            "response": {"ok": true, "text": "RESPONSE-NEVER-SHOWN"}}}], "role": "user"},
        "invocationId": "e-1", "author": "nemo_agent"
    }))
}

fn thought(t: &str) -> Value {
    event(json!({
        "content": {"parts": [{"text": t, "thought": true}], "role": "model"},
        "partial": true, "invocationId": "e-1", "author": "nemo_agent"
    }))
}

fn agent_error(msg: &str) -> Value {
    event(json!({ "error": msg }))
}

fn set_draft(d: Value) -> Value {
    json!({"type": "set_draft", "draft": d})
}

fn sleep(ms: u64) -> Value {
    json!({"type": "sleep", "ms": ms})
}

fn comment(t: &str) -> Value {
    json!({"type": "comment", "text": t})
}

fn heartbeat() -> Value {
    json!({"type": "heartbeat"})
}

fn empty() -> Value {
    json!({"type": "empty"})
}

fn drop_conn() -> Value {
    json!({"type": "drop"})
}

/// `n` heartbeats of every kind, `ms` apart.
fn heartbeats(n: usize, ms: u64) -> Vec<Value> {
    let kinds = [comment("keepalive"), heartbeat(), empty()];
    (0..n)
        .flat_map(|i| [kinds[i % 3].clone(), sleep(ms)])
        .collect()
}

// ---- drafts ----

fn video_track() -> Value {
    json!({"tt": 0, "d": 6000, "m": {"name": "Slideshow"}, "sg": [
        {"d": 3000, "m": {"name": "red.jpg"}},
        {"d": 3000, "m": {"name": "blue.png"}}
    ]})
}

fn title_track(t: &str) -> Value {
    json!({"tt": 7, "sg": [{"d": 3000, "m": {"text": t}}]})
}

fn video_draft() -> Value {
    json!({"t": [video_track()], "d": 6000})
}

fn titled_draft() -> Value {
    json!({"t": [video_track(), title_track("Paradise Found")], "d": 6000})
}

// ---- running ----

fn send(env: &TestEnv, msg: &str) -> Run {
    run_bounded(env, &["send", msg], LIMIT, |_| {})
}

/// Queue `frames` and send one message.
fn turn(env: &TestEnv, frames: Vec<Value>) -> Run {
    env.script(Value::Array(frames));
    send(env, "do it")
}

/// A project whose timeline already holds a two-photo video, so a turn's
/// change can be reported against it.
fn with_video() -> TestEnv {
    let env = TestEnv::new();
    let r = turn(&env, vec![set_draft(video_draft()), say("Ready.")]);
    r.ok();
    assert_eq!(r.stdout, "Ready.\n");
    env
}

/// A project with two uploaded photos (red.jpg, blue.png) and nothing else.
fn with_two_photos() -> TestEnv {
    let env = TestEnv::new();
    env.run(&[
        "upload",
        fixture("red.jpg").to_str().unwrap(),
        fixture("blue.png").to_str().unwrap(),
    ])
    .ok();
    env
}

/// Request counts, to compare before and after a turn.
struct Counts {
    run_sse: usize,
    state: usize,
}

fn counts(env: &TestEnv) -> Counts {
    Counts {
        run_sse: env.count("POST", RUN_SSE),
        state: env.count("GET", STATE),
    }
}

fn no_ansi(r: &Run) {
    assert!(!r.stdout.contains('\x1b'), "ANSI on stdout: {:?}", r.stdout);
    assert!(!r.stderr.contains('\x1b'), "ANSI on stderr: {:?}", r.stderr);
}

// ---- the table ----

/// One row: the project a turn starts from, the frames the editor sends,
/// and what must come of it. Nothing is checked that the row does not name.
struct Turn {
    on_video: bool,
    frames: Vec<Value>,
    message: &'static str,
    code: Option<i32>,
    stdout: Option<String>,
    stderr: Option<String>,
    hidden: Vec<&'static str>,
    no_controls: bool,
    /// `POST /run_sse` during the turn: 1, never resent.
    sent: Option<usize>,
    /// `GET state` during the turn.
    reads: Option<usize>,
}

/// What a checked turn left, for the tests that look further.
struct Done {
    env: TestEnv,
    r: Run,
    took: Duration,
}

impl Turn {
    /// A turn in a new project.
    fn fresh(frames: Vec<Value>) -> Turn {
        Turn {
            on_video: false,
            frames,
            message: "do it",
            code: None,
            stdout: None,
            stderr: None,
            hidden: Vec::new(),
            no_controls: false,
            sent: None,
            reads: None,
        }
    }

    /// A turn in a project that already holds a two-photo video
    /// ([`with_video`]).
    fn on_video(frames: Vec<Value>) -> Turn {
        Turn {
            on_video: true,
            ..Turn::fresh(frames)
        }
    }

    fn message(mut self, m: &'static str) -> Turn {
        self.message = m;
        self
    }

    fn ok(self) -> Turn {
        self.exits(0)
    }

    fn exits(mut self, code: i32) -> Turn {
        self.code = Some(code);
        self
    }

    fn stdout(mut self, s: impl Into<String>) -> Turn {
        self.stdout = Some(s.into());
        self
    }

    fn stderr(mut self, s: impl Into<String>) -> Turn {
        self.stderr = Some(s.into());
        self
    }

    /// Text that must appear nowhere in what the user sees.
    fn hides(mut self, s: &'static str) -> Turn {
        self.hidden.push(s);
        self
    }

    /// No control character but newline and tab on either stream.
    fn no_controls(mut self) -> Turn {
        self.no_controls = true;
        self
    }

    fn sent(mut self, n: usize) -> Turn {
        self.sent = Some(n);
        self
    }

    fn reads(mut self, n: usize) -> Turn {
        self.reads = Some(n);
        self
    }

    fn check(self, name: &str) -> Done {
        let env = if self.on_video {
            with_video()
        } else {
            TestEnv::new()
        };
        self.check_on(env, name)
    }

    /// Run the turn in `env`; every failed assertion names the row.
    fn check_on(self, env: TestEnv, name: &str) -> Done {
        let before = counts(&env);
        env.script(Value::Array(self.frames));
        let start = Instant::now();
        let r = send(&env, self.message);
        let took = start.elapsed();
        let all = r.all();
        if let Some(code) = self.code {
            assert_eq!(r.code, code, "{name}: exit code; saw:\n{all}");
        }
        if let Some(out) = &self.stdout {
            assert_eq!(&r.stdout, out, "{name}: stdout");
        }
        if let Some(err) = &self.stderr {
            assert_eq!(&r.stderr, err, "{name}: stderr");
        }
        for s in self.hidden {
            assert!(!all.contains(s), "{name}: {s:?} shown:\n{all}");
        }
        if self.no_controls {
            no_controls(&r);
        }
        if let Some(n) = self.sent {
            let sent = env.count("POST", RUN_SSE) - before.run_sse;
            assert_eq!(sent, n, "{name}: messages sent (never resent)");
        }
        if let Some(n) = self.reads {
            let reads = env.count("GET", STATE) - before.state;
            assert_eq!(reads, n, "{name}: state reads");
        }
        Done { env, r, took }
    }
}

const TEMPORARY: &str =
    "I encountered a temporary issue while processing your request. Please try again.";

cases! {
    // ---- text: partials, aggregates, messages ----

    partial_pieces_and_their_aggregate_are_printed_once: Turn::fresh(vec![
        comment("connected"),
        piece("Adding "),
        piece("a lo-fi "),
        piece("track at 35% volume."),
        say("Adding a lo-fi track at 35% volume."),
    ])
    .ok()
    .stdout("Adding a lo-fi track at 35% volume.\n")
    .stderr("")
    .sent(1);

    an_aggregate_longer_than_its_pieces_adds_only_the_rest: Turn::fresh(vec![
        piece("Adding "),
        say("Adding a title."),
    ])
    .ok()
    .stdout("Adding a title.\n");

    a_lone_complete_text_is_printed_whole: Turn::fresh(vec![
        say("Done — each photo now stays 4 seconds."),
    ])
    .ok()
    .stdout("Done — each photo now stays 4 seconds.\n")
    .stderr("");

    text_after_a_tool_call_starts_a_new_line_and_tools_are_status_lines: Turn::fresh(vec![
        thought("SECRET PLAN: pick music first"),
        piece("Adding "),
        piece("music."),
        say("Adding music."),
        call("generate_music"),
        comment("keepalive"),
        response("generate_music"),
        call("edit_draft"),
        response("edit_draft"),
        thought("SECRET: now say done"),
        piece("Done"),
        piece(" — it plays under all photos."),
        say("Done — it plays under all photos."),
    ])
    .ok()
    .stdout("Adding music.\nDone — it plays under all photos.\n")
    .stderr("Generating audio…\nEditing timeline…\n")
    .hides("SECRET")
    .hides("RESPONSE-NEVER-SHOWN")
    .hides("ARGS-NEVER-SHOWN")
    .hides("functionCall");

    a_video_generation_says_it_takes_minutes: Turn::fresh(vec![
        call("generate_video"),
        response("generate_video"),
        say("Your video is ready."),
    ])
    .ok()
    .stdout("Your video is ready.\n")
    .stderr("Generating video — may take 2-5 min…\n");

    // ---- errors ----

    an_error_event_alone_is_shown_plainly_with_exit_8: Turn::fresh(vec![
        agent_error("The video model is overloaded."),
    ])
    .exits(8)
    .stdout("")
    .stderr("error: The editor reported a problem: The video model is overloaded.\n")
    .sent(1);

    an_error_after_text_is_shown_and_the_text_kept: Turn::fresh(vec![
        say("I started on the music."),
        agent_error("music service unavailable"),
    ])
    .ok()
    .stdout("I started on the music.\n")
    .stderr("error: The editor reported a problem: music service unavailable\n");

    // ---- heartbeats, still working ----

    /// 2.8 s of heartbeats of every kind: notices at 1.2 s and 2.4 s.
    heartbeats_keep_the_wait_alive_and_still_working_is_said: Turn::fresh(
        [heartbeats(14, 200), vec![say("Here it is.")]].concat(),
    )
    .ok()
    .stdout("Here it is.\n")
    .stderr(format!("{STILL}{STILL}"))
    .sent(1);

    // ---- the "temporary issue" noise ----

    a_trailing_temporary_issue_after_text_is_dropped: Turn::fresh(vec![
        piece("Added the "),
        piece("title."),
        say("Added the title."),
        call("edit_draft"),
        response("edit_draft"),
        piece("I encountered a "),
        piece("temporary issue while processing your request. "),
        piece("Please try again."),
        say(TEMPORARY),
    ])
    .ok()
    .stdout("Added the title.\n")
    .stderr("Editing timeline…\n");

    a_temporary_issue_alone_is_shown: Turn::fresh(vec![say(TEMPORARY)])
        .stdout(format!("{TEMPORARY}\n"));

    // ---- silent edits ----

    /// The state is read before and after.
    a_silent_edit_reports_what_changed: Turn::on_video(vec![
        call("edit_draft"),
        comment("keepalive"),
        response("edit_draft"),
        set_draft(titled_draft()),
    ])
    .ok()
    .stdout(TITLE_ADDED)
    .stderr("Editing timeline…\n")
    .reads(2)
    .sent(1);

    a_silent_turn_without_changes_says_so: Turn::on_video(vec![
        call("edit_draft"),
        response("edit_draft"),
    ])
    .ok()
    .stdout("The editor finished without changes.\n")
    .stderr("Editing timeline…\n");

    // ---- GUI translation ----

    gui_instructions_are_translated: Turn::fresh(vec![
        piece("Your video is ready. Cli"),
        piece("ck the Export button to download it."),
        say("Your video is ready. Click the Export button to download it."),
    ])
    .ok()
    .stdout("Your video is ready. Type `export` to download it.\n");

    // ---- recovery after a drop ----

    a_drop_after_the_edit_landed_reports_the_change_without_a_resend: Turn::on_video(vec![
        piece("Adding the title"),
        call("edit_draft"),
        set_draft(titled_draft()),
        sleep(100),
        drop_conn(),
    ])
    .ok()
    .stdout(format!("Adding the title\n{TITLE_ADDED}"))
    .stderr(format!("Editing timeline…\n{DROPPED}"))
    .sent(1);

    // ---- two-stage generation ----

    stage_one_is_announced_once_however_many_tools_follow: Turn::fresh(vec![
        call("edit_draft"),
        response("edit_draft"),
        set_draft(video_draft()),
        say("Your raw video is ready: 2 photos, 6 seconds."),
        call("generate_music"),
        response("generate_music"),
        call("add_title"),
        response("add_title"),
        call("edit_draft"),
        response("edit_draft"),
        say("Added music and a title."),
    ])
    .ok()
    .stderr(
        "Editing timeline…\n\
         ✅ Stage 1 done: the raw video is ready. The editor is now adding music, titles and effects.\n\
         Generating audio…\nWorking: add_title…\nEditing timeline…\n",
    )
    .stdout(
        "Your raw video is ready: 2 photos, 6 seconds.\nAdded music and a title.\nTimeline (1 track): 1. Video: 2 clips (0-6s)\n",
    );

    // ---- size and encoding ----

    /// Each frame cut one byte into a three-byte character.
    a_cjk_sentence_split_inside_a_character_prints_correctly: Turn::fresh(vec![
        split_in(adk_text("你好，我已经为你的视频", true), '好'),
        split_in(adk_text("添加了背景音乐。", true), '音'),
        split_in(adk_text("你好，我已经为你的视频添加了背景音乐。", false), '视'),
    ])
    .ok()
    .stdout("你好，我已经为你的视频添加了背景音乐。\n")
    .hides("\u{FFFD}");

    // ---- the terminal obeys img2yt, not the server ----

    escape_sequences_in_the_agents_text_never_reach_the_terminal: Turn::fresh(hostile_pieces())
        .ok()
        .no_controls()
        .stdout("Copied your photos and more words.\n")
        .stderr("");

    escape_sequences_in_an_agent_error_or_a_tool_name_never_reach_the_terminal: Turn::fresh(vec![
        call("\u{1b}]0;pwned\u{7}resize\u{1b}[2J"),
        agent_error("over\u{1b}[2Jloaded\u{1b}]52;c;SGVsbG8=\u{7}"),
    ])
    .message("go")
    .exits(8)
    .no_controls()
    .stderr("Working: resize…\nerror: The editor reported a problem: overloaded\n");
}

/// `e` as an SSE frame cut one byte into `ch`, a three-byte character.
fn split_in(e: Value, ch: char) -> Value {
    let full = format!("data: {e}\n\n");
    let at = full.find(ch).unwrap() + 1;
    assert!(!full.is_char_boundary(at));
    json!({"type": "split", "event": e, "at": at})
}

/// A clipboard write (OSC 52), a title change and a clear screen, the last
/// two also cut in two between pieces, then their aggregate.
fn hostile_pieces() -> Vec<Value> {
    let pieces = [
        "Copied\u{1b}]52;c;SGVsbG8=\u{7} ",
        "your \u{1b}]0;pwned\u{7}photos\u{1b}",
        "[2J and ",
        "more\u{1b}]0;pw",
        "ned\u{7} words.\u{9b}2J",
    ];
    let mut frames: Vec<Value> = pieces.iter().map(|p| piece(p)).collect();
    frames.push(say(&pieces.concat()));
    frames
}

/// Nothing that could drive the terminal: no ESC, BEL or other control
/// character (C0 or C1) besides newline and tab, on either stream.
fn no_controls(r: &Run) {
    for (name, s) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert!(
            !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
            "a control character on {name}: {s:?}"
        );
    }
}

// ---- what a row cannot say ----

#[test]
fn ten_minutes_of_heartbeats_time_out_into_recovery_without_a_resend() {
    // The edit lands, then only heartbeats for 9 s (the timeout is 6 s).
    let mut frames = vec![call("edit_draft"), set_draft(titled_draft())];
    frames.extend(heartbeats(45, 200));
    let Done { r, took, .. } = Turn::on_video(frames)
        .ok()
        .stdout(TITLE_ADDED)
        .sent(1)
        .check("ten_minutes_of_heartbeats_time_out_into_recovery_without_a_resend");
    assert!(took >= Duration::from_secs(6), "gave up after {took:?}");
    let notices = r.stderr.matches(STILL).count();
    assert!((4..=5).contains(&notices), "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!("Editing timeline…\n{}{TIMED_OUT}", STILL.repeat(notices))
    );
}

#[test]
fn a_drop_with_no_change_gives_up_after_five_reads_without_a_resend() {
    let Done { took, .. } = Turn::on_video(vec![call("edit_draft"), sleep(100), drop_conn()])
        .exits(8)
        .stdout("")
        .stderr(format!(
            "Editing timeline…\n{DROPPED}error: The edit did not go through. Nothing was sent twice; say it again to retry.\n"
        ))
        .sent(1)
        .reads(6) // one before, five reads
        .check("a_drop_with_no_change_gives_up_after_five_reads_without_a_resend");
    // 0.3 s + 4 × 0.6 s of scaled waits.
    assert!(
        took >= Duration::from_millis(2700),
        "gave up after {took:?}"
    );
}

#[test]
fn a_drop_before_any_reply_byte_is_recovered_not_reported_as_a_network_error() {
    // The message reached the editor, then the connection broke before
    // the response headers: the edit may still land, so it is checked,
    // never resent.
    let name = "a_drop_before_any_reply_byte_is_recovered_not_reported_as_a_network_error";
    let Done { env, .. } = Turn::on_video(vec![set_draft(titled_draft()), drop_conn()])
        .ok()
        .stdout(TITLE_ADDED)
        .stderr(DROPPED)
        .sent(1)
        .check(name);
    // The same without a change: the failure after five reads.
    Turn::fresh(vec![drop_conn()])
        .exits(8)
        .stderr(format!("{DROPPED}error: The edit did not go through. Nothing was sent twice; say it again to retry.\n"))
        .sent(1)
        .reads(6)
        .check_on(env, name);
}

#[test]
fn escape_sequences_in_a_title_from_the_draft_never_reach_the_terminal() {
    let draft = json!({"t": [video_track(), title_track("Paradise\u{1b}]0;pwned\u{7} Found\u{1b}[2J")], "d": 6000});
    let Done { env, .. } = Turn::on_video(vec![call("edit_draft"), set_draft(draft)])
        .ok()
        .no_controls()
        .stdout(TITLE_ADDED)
        .check("escape_sequences_in_a_title_from_the_draft_never_reach_the_terminal");
    let r = env.run(&["status"]);
    r.ok();
    no_controls(&r);
    assert!(r.stdout.contains("\"Paradise Found\""), "{}", r.stdout);
}

// ---- the default agent and the timeline summary ----

#[test]
fn the_default_agent_title_edit_is_silent_and_reported() {
    let env = with_two_photos();
    send(&env, "turn these images into a video").ok();
    let r = send(&env, "title: Paradise Found");
    r.ok();
    assert_eq!(r.stdout, TITLE_ADDED);
}

#[test]
fn open_the_timeline_panel_shows_the_timeline_summary() {
    let env = with_video();
    let status = env.run(&["status"]);
    status.ok();
    let summary = status.stdout.lines().next().unwrap().to_string();
    assert!(summary.starts_with("Timeline (1 track)"), "{summary}");
    let r = turn(&env, vec![say("Done! Open the timeline panel.")]);
    r.ok();
    assert_eq!(r.stdout, format!("Done!\n{summary}\n"));
}

#[test]
fn a_reply_that_is_only_a_gui_instruction_is_answered_by_doing_it() {
    let env = with_video();
    let status = env.run(&["status"]);
    let summary = status.stdout.lines().next().unwrap().to_string();
    let r = turn(&env, vec![say("Open the timeline panel.")]);
    r.ok();
    // Not reported as a silent turn: showing the timeline is the answer.
    assert_eq!(r.stdout, format!("{summary}\n"));
}

// ---- Ctrl-C ----

#[test]
fn ctrl_c_stops_waiting_with_exit_130() {
    let env = TestEnv::new();
    env.script(json!([
        piece("Working on it"),
        call("generate_video"),
        sleep(60_000),
        say("never seen")
    ]));
    let mut c = env.cmd();
    c.args(["send", "make the video"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let out_thread = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !String::from_utf8_lossy(&seen).contains("Working on it") {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(b) => seen.extend(b),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "no text before the deadline: {:?}",
                    String::from_utf8_lossy(&seen)
                );
            }
        }
    }
    // The tool status line is printed right after the text; let it come.
    std::thread::sleep(Duration::from_millis(300));
    let pid = child.id().to_string();
    let st = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(st.success());
    let drained = std::thread::spawn(move || {
        let mut s = String::new();
        let mut e = stderr;
        let _ = e.read_to_string(&mut s);
        s
    });
    let done = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if done.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("img2yt did not stop after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    out_thread.join().unwrap();
    while let Ok(b) = rx.try_recv() {
        seen.extend(b);
    }
    let stdout = String::from_utf8(seen).unwrap();
    let stderr = drained.join().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "stdout {stdout:?} stderr {stderr:?}"
    );
    assert!(done.elapsed() < Duration::from_secs(5), "stopped at once");
    assert_eq!(stdout, "Working on it\n");
    assert_eq!(
        stderr,
        "Generating video — may take 2-5 min…\nStopped waiting. The editor may still finish this in the background — `status` will show it.\nCancelled.\n"
    );
    assert_eq!(env.count("POST", RUN_SSE), 1);
}

// ---- two-stage generation with the default agent ----

#[test]
fn two_stage_generation_reports_stage_one_and_shows_all_tracks() {
    let env = with_two_photos();
    let r = send(
        &env,
        "turn these images into a YouTube video with music and transitions",
    );
    r.ok();
    no_ansi(&r);
    let status = env.run(&["status"]);
    status.ok();
    let summary = status.stdout.lines().next().unwrap().to_string();
    assert!(
        summary.starts_with("Timeline (2 tracks): 1. Video"),
        "{summary}"
    );
    assert!(summary.contains("BGM: Lo-fi"), "{summary}");
    assert_eq!(
        r.stdout,
        format!(
            "Your raw video is ready: 2 photos, 6.25 seconds, with crossfade transitions. Now adding music and finishing touches…\n\
             Added a generated Lo-fi track (synthesised here, not a recorded song) at 100% volume. See the timeline below, then type `export` when you're happy.\n\
             {summary}\n"
        )
    );
    assert_eq!(
        r.stderr,
        "Analyzing media…\nEditing timeline…\n\
         ✅ Stage 1 done: the raw video is ready. The editor is now adding music, titles and effects.\n\
         Generating audio…\n"
    );
    assert_eq!(env.count("POST", RUN_SSE), 1);
    let world = env.world();
    assert!(world.to_string().contains("Lo-fi"));
}

// ---- output modes ----

#[test]
fn no_ansi_escapes_off_a_terminal_even_without_no_color() {
    let env = with_video();
    let mut frames = vec![piece("Working")];
    frames.extend(heartbeats(7, 200));
    frames.extend([
        say("Working on the title."),
        call("edit_draft"),
        response("edit_draft"),
        agent_error("minor hiccup"),
        set_draft(titled_draft()),
    ]);
    env.script(Value::Array(frames));
    let r = run_bounded(&env, &["send", "add a title"], LIMIT, |c| {
        c.env_remove("NO_COLOR");
    });
    r.ok();
    no_ansi(&r);
    assert!(r.stderr.contains(STILL), "{}", r.stderr);
    assert!(r
        .stderr
        .contains("error: The editor reported a problem: minor hiccup"));

    // And through the failure path.
    env.script(json!([call("edit_draft"), sleep(100), drop_conn()]));
    let r = run_bounded(&env, &["send", "again"], LIMIT, |c| {
        c.env_remove("NO_COLOR");
    });
    r.code(8);
    no_ansi(&r);
}

fn json_lines(r: &Run) -> Vec<Value> {
    r.stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}

#[test]
fn json_mode_writes_one_object_per_line_and_nothing_else() {
    let env = with_video();
    env.script(json!([
        piece("Adding "),
        piece("music."),
        say("Adding music."),
        call("generate_music"),
        response("generate_music"),
        agent_error("music service slow"),
        say("Done."),
    ]));
    let r = run_bounded(&env, &["--json", "send", "add music"], LIMIT, |_| {});
    r.ok();
    let lines = json_lines(&r);
    assert_eq!(
        lines,
        vec![
            json!({"type": "text", "text": "Adding "}),
            json!({"type": "text", "text": "music."}),
            json!({"type": "tool", "name": "generate_music", "label": "Generating audio"}),
            json!({"type": "agent_error", "message": "The editor reported a problem: music service slow"}),
            json!({"type": "text", "text": "Done."}),
            json!({"type": "done", "said": true, "changed": false}),
        ],
        "{}",
        r.stdout
    );

    // A silent edit: the changes object.
    env.script(json!([
        call("edit_draft"),
        response("edit_draft"),
        set_draft(titled_draft())
    ]));
    let r = run_bounded(&env, &["--json", "send", "title"], LIMIT, |_| {});
    r.ok();
    assert_eq!(
        json_lines(&r),
        vec![
            json!({"type": "tool", "name": "edit_draft", "label": "Editing timeline"}),
            json!({"type": "changes", "lines": [TITLE_ADDED.trim_end()]}),
            json!({"type": "done", "said": false, "changed": true}),
        ],
        "{}",
        r.stdout
    );
    for l in json_lines(&r) {
        let t = l["type"].as_str().unwrap();
        assert!(["text", "tool", "changes", "agent_error", "done"].contains(&t));
    }
}

#[test]
fn json_mode_error_turn_has_the_agent_error_and_one_error_object() {
    let env = TestEnv::new();
    env.script(json!([agent_error("overloaded")]));
    let r = run_bounded(&env, &["--json", "send", "go"], LIMIT, |_| {});
    r.code(8);
    // stderr keeps the human line, once; stdout is JSON only.
    assert_eq!(
        r.stderr,
        "error: The editor reported a problem: overloaded\n"
    );
    assert_eq!(
        json_lines(&r),
        vec![
            json!({"type": "agent_error", "message": "The editor reported a problem: overloaded"}),
            json!({"type": "done", "said": false, "changed": false}),
            json!({"type": "error", "message": "overloaded", "exit_code": 8}),
        ]
    );
}

// ---- size ----

#[test]
fn a_two_megabyte_text_event_is_printed_whole() {
    let env = TestEnv::new();
    // One `data:` line of more than 2 MB, written in pieces (a script that
    // large would exceed the control route's body limit).
    let sentence = "The fjord glows at dawn and the boats drift by. ";
    let times = 2 * 1024 * 1024 / sentence.len() + 1;
    let big = sentence.repeat(times);
    assert!(big.len() > 2 * 1024 * 1024);
    env.script(json!([
            json!({"type": "raw", "text": "data: {\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\""}),
            json!({"type": "repeat", "times": times, "frame": {"type": "raw", "text": sentence}}),
            json!({"type": "raw", "text": "\"}]},\"author\":\"nemo_agent\"}\n\n"}),
    ]));
    let start = Instant::now();
    // About 3 s on an idle machine; the longer (scaled) turn limit and
    // bound keep a machine busy with other builds from failing it.
    let r = run_bounded(&env, &["send", "tell me a long story"], LIMIT, |c| {
        c.env("IMG2YT_TIME_SCALE", "0.05");
    });
    let took = start.elapsed();
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    assert!(took < Duration::from_secs(20), "took {took:?}");
    // The event takes a while to arrive: "still working" may be said.
    assert_eq!(r.stderr.replace(STILL, ""), "", "{}", r.stderr);
    assert_eq!(r.stdout.len(), big.trim_end().len() + 1);
    assert!(r.stdout == format!("{}\n", big.trim_end()), "text differs");
}

#[test]
fn a_stream_of_100000_events_is_handled() {
    let env = TestEnv::new();
    // 100,002 events: 50,000 text pieces, 50,000 keep-alive `data:` events
    // and 1,000 comments in between, two more pieces. A debug build needs
    // about 80 µs per text piece, so the turn gets a longer (scaled) time
    // limit than the default 9 s; the output must still be complete.
    env.script(json!([
        piece("Counting: "),
        {"type": "repeat", "times": 50_000, "frame": {"type": "event", "event": adk_text("x", true)}},
        {"type": "repeat", "times": 50_000, "frame": {"type": "empty"}},
        {"type": "repeat", "times": 1_000, "frame": {"type": "comment", "text": "keepalive"}},
        piece(" done."),
    ]));
    let start = Instant::now();
    let r = run_bounded(&env, &["send", "count"], LIMIT, |c| {
        c.env("IMG2YT_TIME_SCALE", "0.05");
    });
    let took = start.elapsed();
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(
        r.stdout == format!("Counting: {} done.\n", "x".repeat(50_000)),
        "{} bytes, ends {:?}",
        r.stdout.len(),
        &r.stdout[r.stdout.len().saturating_sub(40)..]
    );
    // 51,000 events without text in a row: "still working" may be said.
    assert_eq!(r.stderr.replace(STILL, ""), "", "{}", r.stderr);
}

// ---- credits ----

#[test]
fn send_when_out_of_credits_exits_5_with_the_registration_link() {
    let env = with_two_photos();
    env.account(json!({"available": 0}));
    let bind = env.store()["project"]["bind_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = send(&env, "turn these images into a YouTube video");
    r.code(5);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!(
            "error: You are out of credits. Register for free to get more: https://web.example/?bind={bind}\n"
        )
    );
    assert_eq!(env.count("POST", RUN_SSE), 1, "not retried");
}
