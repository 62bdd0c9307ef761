//! Piped stdin (no terminal): each line runs as at the prompt, results on
//! stdout, status on stderr; the first failing line stops the run with its
//! exit code unless `--keep-going`. Also `--help` and `/help`.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::foundation::{finish, spawn, CREDITS, SESSION, STATE};
use crate::support::{fixture, Run, TestEnv};

const LIMIT: Duration = Duration::from_secs(60);
const EDIT: &str = "turn these images into a YouTube video with music and transitions";
const UPLOAD: &str = "/api/upload-video/nemo_agent/me/";

/// Run `img2yt ARGS` with `input` on its stdin (a pipe), bounded in time.
fn pipe(
    env: &TestEnv,
    args: &[&str],
    input: &str,
    f: impl FnOnce(&mut std::process::Command),
) -> Run {
    let mut c = env.cmd();
    c.args(args).stdin(Stdio::piped());
    f(&mut c);
    let mut spawned = spawn(c);
    let mut stdin = spawned.0.stdin.take().unwrap();
    let what = format!("{args:?} < {input:?}");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        // A line that stops the run may close the pipe early.
        let _ = stdin.write_all(input.as_bytes());
    });
    let run = finish(spawned, LIMIT, &what);
    writer.join().unwrap();
    run
}

fn no_ansi(run: &Run) {
    assert!(
        !run.stdout.contains('\x1b'),
        "ANSI on stdout: {:?}",
        run.stdout
    );
    assert!(
        !run.stderr.contains('\x1b'),
        "ANSI on stderr: {:?}",
        run.stderr
    );
}

/// Requests of this run that come from a line (not from the token or the
/// project set-up), as "METHOD uri-prefix" for readable asserts.
fn line_requests(env: &TestEnv) -> Vec<String> {
    env.log()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["method"].as_str().unwrap_or(""),
                e["uri"].as_str().unwrap_or("")
            )
        })
        .filter(|r| !r.contains("/api/auth/anonymous-token") && !r.contains(SESSION))
        .collect()
}

/// Replace what differs between runs: the claim token in the link and the
/// size of the rendered file.
fn normalize(s: &str) -> String {
    s.lines()
        .map(|l| {
            let mut l = l.to_string();
            if let Some(i) = l.find("ct=clm_") {
                let end = l[i..]
                    .find(|c: char| c.is_whitespace())
                    .map_or(l.len(), |n| i + n);
                l.replace_range(i + 7..end, "<claim>");
            }
            if let (Some(a), Some(b)) = (l.find("Saved out.mp4 ("), l.find(" KB, ")) {
                l.replace_range(a + "Saved out.mp4 (".len()..b + 3, "<size>");
            }
            l + "\n"
        })
        .collect()
}

#[test]
fn pipe_runs_a_script_upload_edit_credits_export() {
    let env = TestEnv::new();
    let script = format!(
        "# two photos into a video\n\
         /upload {} {}\n\
         \n\
         {EDIT}\n\
         how many credits do I have\n\
         export out.mp4\n",
        fixture("red.jpg").display(),
        fixture("blue.png").display(),
    );
    // Colour allowed: off a terminal there must still be no escape codes.
    let r = pipe(&env, &[], &script, |c| {
        c.env_remove("NO_COLOR");
    });
    r.ok();
    no_ansi(&r);
    assert_eq!(
        normalize(&r.stdout),
        "Uploaded 2 files: red.jpg (242 B), blue.png (170 B)\n\
         Your raw video is ready: 2 photos, 6.25 seconds, with crossfade transitions. Now adding music and finishing touches…\n\
         Added a generated Lo-fi track (synthesised here, not a recorded song) at 100% volume. See the timeline below, then type `export` when you're happy.\n\
         Timeline (2 tracks): 1. Video: 2 clips (0-6.3s) 2. BGM: Lo-fi (generated) (0-6.3s, 100%)\n\
         Credits: 50 available · 0 frozen · 100 total\n\
         ✅ Saved out.mp4 (<size>, 6.3 s, 160×90)\n\
         Thumbnail for YouTube: out.jpg\n\
         Open it in the browser: https://web.example/workspace/claim?ct=clm_<claim>\n"
    );
    // Status lines went to stderr.
    for status in [
        "  ✓ red.jpg (242 B) [1/2]",
        "  ✓ blue.png (170 B) [2/2]",
        "✅ Stage 1 done: the raw video is ready.",
        "→ credits (type /credits; anything else goes to the editor)",
        "→ export to out.mp4 (type /export; anything else goes to the editor)",
        "Rendering your video…",
    ] {
        assert!(
            r.stderr.contains(status),
            "{status:?} not on stderr:\n{}",
            r.stderr
        );
        assert!(!r.stdout.contains(status.trim()), "{status:?} on stdout");
    }
    assert!(!r.stderr.contains("error"), "{}", r.stderr);
    let mp4 = std::fs::read(env.work_dir().join("out.mp4")).unwrap();
    assert_eq!(&mp4[4..8], b"ftyp", "an MP4");
    // The comment and the blank line were not sent anywhere.
    assert_eq!(env.count("POST", "/run_sse"), 1);
    assert_eq!(env.count("POST", UPLOAD), 2);
}

#[test]
fn pipe_stops_at_a_failing_upload_and_runs_nothing_after_it() {
    let env = TestEnv::new();
    let r = pipe(
        &env,
        &[],
        "/credits\n/upload /nonexistent.jpg\n/status\nhow many credits do I have\nexport\n",
        |_| {},
    );
    r.code(3);
    no_ansi(&r);
    assert_eq!(r.stdout, "Credits: 100 available · 0 frozen · 100 total\n");
    assert_eq!(
        r.stderr,
        "warning: skipped /nonexistent.jpg: no such file or folder\n\
         error: Nothing was uploaded.\n\
         Stopped at line 2; the rest was not run (use --keep-going to go on).\n"
    );
    assert_eq!(line_requests(&env), vec![format!("GET {CREDITS}")]);
}

#[test]
fn pipe_stops_at_an_unknown_command_with_the_usage_code() {
    let env = TestEnv::new();
    let r = pipe(&env, &[], "# check\n/bogus\n/credits\n", |_| {});
    r.code(2);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "error: Unknown command /bogus. Type /help to see the commands.\n\
         Stopped at line 2; the rest was not run (use --keep-going to go on).\n"
    );
    assert!(env.log().is_empty(), "{:?}", env.log());
}

#[test]
fn pipe_keep_going_runs_every_line_and_exits_with_the_first_failure() {
    let env = TestEnv::new();
    let r = pipe(
        &env,
        &["--keep-going"],
        "/upload /nonexistent.jpg\n/bogus\n/credits\nexport\n/status\n",
        |_| {},
    );
    r.code(3);
    no_ansi(&r);
    assert_eq!(
        r.stdout,
        format!(
            "Credits: 100 available · 0 frozen · 100 total\n{}",
            crate::foundation::EMPTY_TIMELINE
        )
    );
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 3, "{}", r.stderr);
    assert!(errors[0].contains("Nothing was uploaded"), "{errors:?}");
    assert!(errors[1].contains("Unknown command /bogus"), "{errors:?}");
    assert!(errors[2].contains("Nothing to export yet"), "{errors:?}");
    assert!(!r.stderr.contains("Stopped at line"), "{}", r.stderr);
    let reqs = line_requests(&env);
    assert_eq!(reqs.first(), Some(&format!("GET {CREDITS}")), "{reqs:?}");
    assert!(
        reqs.last()
            .is_some_and(|r| r.starts_with(&format!("GET {STATE}"))),
        "/status ran last: {reqs:?}"
    );

    // Every line passing: 0.
    let r = pipe(&env, &["--keep-going"], "/credits\n\n# done\n", |_| {});
    r.ok();
    assert_eq!(r.stdout, "Credits: 100 available · 0 frozen · 100 total\n");
}

#[test]
fn pipe_quit_ends_the_run_with_success() {
    let env = TestEnv::new();
    let r = pipe(&env, &[], "/credits\n/quit\n/status\n", |_| {});
    r.ok();
    assert_eq!(r.stdout, "Credits: 100 available · 0 frozen · 100 total\n");
    assert_eq!(env.count("GET", STATE), 0, "nothing after /quit ran");
}

#[test]
fn pipe_ctrl_c_while_waiting_for_the_next_line_stops_with_130() {
    let env = TestEnv::new();
    let mut c = env.cmd();
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines() {
            if tx.send(l.unwrap()).is_err() {
                break;
            }
        }
    });
    stdin.write_all(b"/credits\n").unwrap();
    stdin.flush().unwrap();
    let first = rx.recv_timeout(LIMIT).expect("the first line ran");
    assert_eq!(first, "Credits: 100 available · 0 frozen · 100 total");
    // The producer is still there (stdin open); the user presses Ctrl-C.
    let st = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let err = child.stderr.take().unwrap();
    let run = finish(
        (
            child,
            std::thread::spawn(String::new),
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = std::io::Read::read_to_string(&mut BufReader::new(err), &mut s);
                s
            }),
        ),
        Duration::from_secs(20),
        "waiting for a line after Ctrl-C",
    );
    drop(stdin);
    run.code(130);
    assert_eq!(run.stderr, "Cancelled.\n");
}

#[test]
fn help_lists_the_commands_with_examples() {
    let env = TestEnv::new();
    let r = env.run(&["--help"]);
    r.ok();
    // Column widths follow the longest command name.
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Usage: img2yt [OPTIONS] [COMMAND]",
        "credits  Show your credit balance",
        "status   Show the timeline of the current project",
        "export   Render the video and download the MP4",
        "make     The whole job in one go: new project, upload, edit, export",
        "--keep-going",
        "Examples:",
        "img2yt make photos/*.jpg -p \"turn these into a YouTube video with music\" -o trip.mp4",
        "img2yt export -o trip.mp4                render and download the MP4",
        "Exit codes: 0 ok, 1 error, 2 usage, 3 file refused",
    ] {
        assert!(
            squeeze(&r.stdout).contains(&squeeze(want)),
            "{want:?} not in --help:\n{}",
            r.stdout
        );
    }

    // `/help` in a pipe: every slash command, one example each.
    let r = pipe(&env, &[], "/help\n", |_| {});
    r.ok();
    assert_eq!(r.stderr, "");
    let commands: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("  /")).collect();
    assert_eq!(commands.len(), 12, "{}", r.stdout);
    for l in &commands {
        assert_eq!(l.matches(" e.g. ").count(), 1, "one example: {l}");
    }
    // The examples start in one column, whatever the longest usage.
    let col = commands[0].find(" e.g. ").unwrap();
    assert!(
        commands.iter().all(|l| l.find(" e.g. ") == Some(col)),
        "{}",
        r.stdout
    );
    let commands: Vec<String> = commands
        .iter()
        .map(|l| format!("  {}", squeeze(l)))
        .collect();
    for want in [
        "  /upload PATH... Upload photos (or just drop files onto the terminal) e.g. /upload ~/Pictures/trip/*.jpg",
        "  /credits Show your remaining credits e.g. /credits",
        "  /export [PATH] Render the video and save it locally e.g. /export ~/Videos/trip.mp4",
        "  /storyboard [PATH] Draw the timeline as a picture (PNG) e.g. /storyboard ~/board.png",
        "  /quit Leave img2yt e.g. /quit",
        "  /publish [VIDEO] [FLAGS] Put the video on YouTube (private unless --privacy) e.g. /publish --privacy unlisted",
    ] {
        assert!(commands.iter().any(|c| c == want), "{want:?} not in /help:\n{}", r.stdout);
    }
    assert!(
        r.stdout.starts_with("Talk to the editor in plain words"),
        "{}",
        r.stdout
    );
    assert!(
        env.log().is_empty(),
        "/help needs no network: {:?}",
        env.log()
    );

    // `/help export` explains one command.
    let r = pipe(&env, &[], "/help export\n", |_| {});
    r.ok();
    assert_eq!(
        r.stdout,
        "/export [PATH] (also /download, /e)\n  Render the video and save it locally\n  e.g. /export ~/Videos/trip.mp4\n"
    );
}

// A local action naming an existing file is that action, not a drop:
// "export out.mp4" when out.mp4 exists must export (to out-2.mp4), never
// upload out.mp4.
#[test]
fn export_to_an_existing_file_is_not_taken_for_a_dropped_path() {
    let env = TestEnv::new();
    std::fs::copy(fixture("red.jpg"), env.work_dir().join("a.jpg")).unwrap();
    std::fs::write(env.work_dir().join("out.mp4"), b"old").unwrap();
    let r = pipe(
        &env,
        &[],
        &format!("/upload a.jpg\n{EDIT}\nexport out.mp4\n"),
        |_| {},
    );
    r.ok();
    assert_eq!(
        env.count("POST", "/api/upload-video/"),
        1,
        "only a.jpg was uploaded"
    );
    assert!(r.stdout.contains("✅ Saved out-2.mp4"), "{}", r.stdout);
    assert_eq!(
        std::fs::read(env.work_dir().join("out.mp4")).unwrap(),
        b"old"
    );
}

#[test]
fn play_opens_the_video_just_exported_and_is_never_offered_to_a_script() {
    let env = TestEnv::new();
    // A stand-in for the system's opener that writes down what it was given.
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = env.dir.path().join("opened.txt");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = format!(
        "/play\n/upload {} {}\n{EDIT}\nexport out.mp4\n/play\n",
        fixture("red.jpg").display(),
        fixture("blue.png").display(),
    );
    let r = pipe(&env, &[], &script, |c| {
        c.env("PATH", &path);
    });
    r.ok();
    assert!(
        r.stdout.contains("Nothing exported in this session yet"),
        "{}",
        r.stdout
    );
    assert!(
        !r.all().contains("/play to watch"),
        "offered to a script:\n{}",
        r.all()
    );
    // The opener runs on its own; give it a moment to write.
    let start = std::time::Instant::now();
    while !opened.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let got = std::fs::read_to_string(&opened).expect("the opener was run");
    assert!(got.trim().ends_with("out.mp4"), "{got}");
}
