//! The interactive prompt, driven in a real pseudo-terminal: each test runs
//! the `img2yt` binary inside a detached tmux session (own socket, fixed
//! 120×40 size), types into it with `send-keys` / bracketed `paste-buffer`,
//! and polls `capture-pane` until the expected text shows up. tmux rather
//! than a pty crate: it is a real terminal emulator (rustyline's cursor
//! moves and indicatif's redraws are rendered, not just logged), needs no
//! extra dependency, and `remain-on-exit` reports the exit status.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::foundation::CREDITS;
use crate::support::{fixture, TestEnv};

/// How long any expected text may take to appear (generous: two cores,
/// several test binaries at once).
const WAIT: Duration = Duration::from_secs(30);

const GREETING: &str = "Share your images — drag them here — or tell me what you have in mind.";
const EDIT: &str = "turn these images into a YouTube video with music and transitions";
const UPLOAD: &str = "/api/upload-video/nemo_agent/me/";

static SOCKETS: AtomicUsize = AtomicUsize::new(0);

/// One `img2yt` running in its own tmux server.
struct Tmux {
    socket: PathBuf,
    conf: PathBuf,
    /// Where the wrapper shell writes img2yt's exit status once reaped.
    status: PathBuf,
}

impl Tmux {
    /// Start `img2yt ARGS` with the environment of `env.cmd()` (and a
    /// terminal type) in a detached 120×40 session.
    fn start(env: &TestEnv, args: &[&str]) -> Tmux {
        let n = SOCKETS.fetch_add(1, Ordering::SeqCst);
        let socket = env.dir.path().join(format!("tmux-{n}.sock"));
        let conf = env.dir.path().join("tmux.conf");
        // remain-on-exit keeps a dead pane around so its exit status can
        // be read; set in the config so it holds from the first moment.
        std::fs::write(
            &conf,
            "set -g remain-on-exit on\nset -g status off\nset -g history-limit 5000\n",
        )
        .unwrap();
        let status = env.dir.path().join(format!("exit-{n}"));
        let t = Tmux {
            socket,
            conf,
            status,
        };
        let c = env.cmd();
        // A shell waits for img2yt and records its exit status: tmux's own
        // `pane_dead_status` proved unreliable (tmux 3.3a sometimes leaves
        // the exited pane process an unreaped zombie). The shell ignores
        // Ctrl-C with a no-op trap (reset to the default in img2yt by
        // exec), so it survives to write the status.
        let mut argv: Vec<String> = vec![
            "sh".into(),
            "-c".into(),
            r#"trap : INT; "$@"; echo $? > "$0.tmp" && mv "$0.tmp" "$0""#.into(),
            t.status.to_string_lossy().into_owned(),
            "env".into(),
            "-i".into(),
        ];
        for (k, v) in c.get_envs() {
            if let Some(v) = v {
                argv.push(format!("{}={}", k.to_string_lossy(), v.to_string_lossy()));
            }
        }
        argv.push("TERM=screen".into());
        argv.push(c.get_program().to_string_lossy().into_owned());
        argv.extend(args.iter().map(|a| a.to_string()));
        let dir = c.get_current_dir().unwrap().to_string_lossy().into_owned();
        let mut tmux_args = vec![
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            &dir,
            "--",
        ];
        tmux_args.extend(argv.iter().map(String::as_str));
        let out = t.tmux(&tmux_args);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .env_remove("TMUX")
            .arg("-S")
            .arg(&self.socket)
            .arg("-f")
            .arg(&self.conf)
            .args(args)
            .output()
            .expect("tmux is installed")
    }

    /// The whole pane, scrollback included, wrapped lines joined.
    fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", "t"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Poll the pane until `ok` holds; fail with the screen after `WAIT`.
    #[track_caller]
    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > WAIT {
                panic!("timed out waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until `text` appears `n` times on the screen.
    #[track_caller]
    fn wait_n(&self, text: &str, n: usize) -> String {
        self.wait_until(&format!("{n}× {text:?}"), |s| s.matches(text).count() >= n)
    }

    #[track_caller]
    fn wait_for(&self, text: &str) -> String {
        self.wait_n(text, 1)
    }

    /// Wait for an idle prompt: the last non-blank line is the bare `›`.
    #[track_caller]
    fn wait_prompt(&self) -> String {
        self.wait_until("an empty prompt", |s| last_line(s) == "›")
    }

    /// Type `text` literally, then press Enter.
    fn type_line(&self, text: &str) {
        assert!(self
            .tmux(&["send-keys", "-t", "t", "-l", text])
            .status
            .success());
        self.keys(&["Enter"]);
    }

    /// Press keys by tmux name (`C-c`, `Up`, `Enter`).
    fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys", "-t", "t"];
        a.extend_from_slice(keys);
        assert!(self.tmux(&a).status.success());
    }

    /// Paste `text` as a terminal does on drag-and-drop (bracketed paste,
    /// since rustyline asks for it).
    fn paste(&self, text: &str) {
        assert!(self.tmux(&["set-buffer", "--", text]).status.success());
        assert!(self
            .tmux(&["paste-buffer", "-p", "-d", "-t", "t"])
            .status
            .success());
    }

    /// `Some(exit status)` once img2yt has ended and been reaped.
    fn exit_status(&self) -> Option<i32> {
        let s = std::fs::read_to_string(&self.status).ok()?;
        Some(s.trim().parse().expect("a number"))
    }

    /// tmux's view: the pane's process has ended.
    fn pane_dead(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "t", "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Wait for the program to end and return its exit status.
    #[track_caller]
    fn wait_exit(&self) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(code) = self.exit_status() {
                self.wait_until("the pane to close", |_| self.pane_dead());
                return code;
            }
            if start.elapsed() > WAIT {
                panic!("img2yt did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Assert the program is still running.
    #[track_caller]
    fn assert_running(&self) {
        assert_eq!(
            self.exit_status(),
            None,
            "img2yt exited; the screen:\n{}",
            self.screen()
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn last_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// The prompt line without the dim hint rustyline shows after it
/// (`/quit  — Leave img2yt`).
fn typed(s: &str) -> &str {
    let l = last_line(s);
    l.split("  — ").next().unwrap_or(l).trim_end()
}

/// A photo at `…/My Photos/a b.jpg`, the kind of path a file manager drops.
fn spaced_photo(env: &TestEnv) -> PathBuf {
    let dir = env.dir.path().join("My Photos");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("a b.jpg");
    std::fs::copy(fixture("red.jpg"), &p).unwrap();
    p
}

#[test]
fn repl_greets_uploads_a_dropped_path_edits_shows_status_and_quits() {
    let env = TestEnv::new();
    let photo = spaced_photo(&env);
    let t = Tmux::start(&env, &[]);
    let s = t.wait_for(GREETING);
    assert!(
        s.contains("Type /help for commands, Ctrl-D to leave."),
        "{s}"
    );
    t.wait_prompt();

    // Dropped from a file manager: quoted, with a trailing space, pasted.
    t.paste(&format!("'{}' ", photo.display()));
    t.keys(&["Enter"]);
    t.wait_for("Uploaded 1 file: a b.jpg (242 B)");
    t.wait_prompt();
    assert_eq!(env.count("POST", UPLOAD), 1);

    // An edit: the agent's reply streams onto the screen.
    t.type_line(EDIT);
    t.wait_for("Your raw video is ready: 1 photo, 3.5 seconds, with crossfade transitions.");
    t.wait_for(
        "Added a generated Lo-fi track (synthesised here, not a recorded song) at 100% volume.",
    );
    t.wait_prompt();

    t.type_line("/status");
    let s = t.wait_n(
        "Timeline (2 tracks): 1. Video: a b.jpg (0-3.5s) 2. BGM: Lo-fi (generated) (0-3.5s, 100%)",
        2,
    );
    assert!(s.contains("› /status\nTimeline (2 tracks)"), "{s}");
    t.wait_prompt();

    t.type_line("/quit");
    assert_eq!(t.wait_exit(), 0, "{}", t.screen());
    assert!(t.screen().contains("Bye! Your project is kept"));

    // Back again: the project in one line.
    let t = Tmux::start(&env, &[]);
    let s = t.wait_for("Welcome back — 2 tracks, 3.5 s.\n");
    assert!(!s.contains(GREETING), "no first-run greeting: {s}");
    t.wait_prompt();
    t.keys(&["C-d"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn repl_ctrl_c_during_a_slow_reply_returns_to_the_prompt() {
    let env = TestEnv::new();
    env.script(json!([
        {"type": "event", "event": {"author": "nemo_agent", "partial": true,
            "content": {"role": "model", "parts": [{"text": "Thinking it over "}]}}},
        {"type": "sleep", "ms": 60000},
        {"type": "event", "event": {"author": "nemo_agent",
            "content": {"role": "model", "parts": [{"text": "LATE REPLY"}]}}},
    ]));
    let t = Tmux::start(&env, &[]);
    t.wait_for(GREETING);
    t.wait_prompt();
    t.type_line("make the transitions slower");
    t.wait_for("Thinking it over");
    let asked = Instant::now();
    t.keys(&["C-c"]);
    t.wait_for("Stopped waiting.");
    t.wait_prompt();
    assert!(
        asked.elapsed() < Duration::from_secs(30),
        "the prompt came back long before the reply would have ended"
    );
    t.assert_running();

    // Still answering.
    let before = env.count("GET", CREDITS);
    t.type_line("/credits");
    let s = t.wait_for("Credits: 100 available · 0 frozen · 100 total");
    assert_eq!(env.count("GET", CREDITS), before + 1);
    assert!(!s.contains("LATE REPLY"), "{s}");
    t.wait_prompt();
    t.type_line("/quit");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn repl_ctrl_c_at_the_prompt_does_not_exit() {
    let env = TestEnv::new();
    let t = Tmux::start(&env, &[]);
    t.wait_for(GREETING);
    t.wait_prompt();
    // At an empty prompt.
    t.keys(&["C-c"]);
    t.wait_for("(Line cleared. Ctrl-D or /quit leaves.)");
    t.wait_prompt();
    t.assert_running();
    // With half a line typed: the line is dropped, not run.
    assert!(t
        .tmux(&["send-keys", "-t", "t", "-l", "/credits"])
        .status
        .success());
    t.wait_until("the typed text", |s| typed(s) == "› /credits");
    t.keys(&["C-c"]);
    t.wait_n("(Line cleared. Ctrl-D or /quit leaves.)", 2);
    t.wait_prompt();
    t.assert_running();
    assert_eq!(env.count("GET", CREDITS), 0, "the cleared line was not run");
    t.type_line("/credits");
    t.wait_for("Credits: 100 available");
    t.wait_prompt();
    t.type_line("/quit");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn repl_keeps_history_across_runs_in_a_private_file() {
    let env = TestEnv::new();
    let t = Tmux::start(&env, &[]);
    t.wait_for(GREETING);
    t.wait_prompt();
    t.type_line("/credits");
    t.wait_for("Credits: 100 available");
    t.wait_prompt();
    t.type_line("how many credits do I have");
    t.wait_n("Credits: 100 available", 2);
    t.wait_prompt();
    t.type_line("/quit");
    assert_eq!(t.wait_exit(), 0);
    drop(t);

    let history = env.config_dir().join("history.txt");
    let meta = std::fs::metadata(&history).expect("the history file exists");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&history).unwrap();
    assert!(text.contains("how many credits do I have"), "{text}");

    // A returning user: welcomed back; Up brings back the earlier lines.
    let t = Tmux::start(&env, &[]);
    t.wait_for("Welcome back — your project is empty.");
    t.wait_prompt();
    t.keys(&["Up"]);
    t.wait_until("the last line from history", |s| typed(s) == "› /quit");
    t.keys(&["Up"]);
    t.wait_until("the line before it", |s| {
        typed(s) == "› how many credits do I have"
    });
    let before = env.count("GET", CREDITS);
    t.keys(&["Enter"]);
    t.wait_n("Credits: 100 available", 1);
    t.wait_prompt();
    assert_eq!(
        env.count("GET", CREDITS),
        before + 1,
        "the recalled line ran"
    );
    t.type_line("/quit");
    assert_eq!(t.wait_exit(), 0);
    assert_eq!(
        std::fs::metadata(&history).unwrap().permissions().mode() & 0o777,
        0o600
    );
}
