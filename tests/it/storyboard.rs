//! The storyboard (issue 18): `img2yt storyboard` and `/storyboard` draw
//! the timeline as a PNG from the photos the user uploaded from here, and
//! show it inline only when the terminal says it can. A project of three
//! solid-colour photos is built against the embedded server; tiles are
//! checked by colour at the places `storyboard::Layout` puts them. The
//! terminal is played by the test through a pseudo-terminal.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use img2yt::storyboard::Layout;

use crate::support::*;

const RED: [u8; 3] = [220, 30, 30];
const GREEN: [u8; 3] = [30, 200, 60];
const BLUE: [u8; 3] = [30, 60, 220];

/// `img2yt ARGS` with the real network timeouts: nothing here waits on
/// purpose, and the tests' usual 0.01 scale makes a busy machine's slow
/// answer a timeout.
fn run(env: &TestEnv, args: &[&str]) -> Run {
    env.run_with(args, |c| {
        c.env("IMG2YT_TIME_SCALE", "1");
    })
}

fn cmd(env: &TestEnv) -> std::process::Command {
    let mut c = env.cmd();
    c.env("IMG2YT_TIME_SCALE", "1");
    c
}

fn solid(dir: &Path, name: &str, c: [u8; 3]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    image::RgbImage::from_pixel(64, 48, image::Rgb(c))
        .save(&p)
        .unwrap();
    p
}

/// Upload red, green and blue, make a video of them with music and a
/// title, then reverse the order: the storyboard must follow the timeline,
/// not the upload order. Returns the photos' paths (red, green, blue).
fn project(env: &TestEnv) -> Vec<PathBuf> {
    let dir = env.dir.path().join("photos");
    let files = vec![
        solid(&dir, "red.png", RED),
        solid(&dir, "green.png", GREEN),
        solid(&dir, "blue.png", BLUE),
    ];
    let mut args = vec!["upload".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(env, &args).ok();
    run(
        env,
        &[
            "send",
            "turn these into a video with music and transitions, title: Trip",
        ],
    )
    .ok();
    run(env, &["send", "reverse the order"]).ok();
    files
}

fn tile_colours(png: &Path) -> Vec<[u8; 3]> {
    let img = image::open(png).unwrap().to_rgb8();
    let lay = Layout::new(3, true);
    assert_eq!(
        img.dimensions(),
        (lay.width, lay.height),
        "3 tiles and music"
    );
    (0..3)
        .map(|i| {
            let (x, y) = lay.thumb(i).centre();
            img.get_pixel(x, y).0
        })
        .collect()
}

#[test]
fn tiles_follow_the_clips_order_and_json_gives_the_path() {
    let env = TestEnv::new();
    project(&env);
    let r = run(&env, &["storyboard", "-o", "b.png"]);
    r.ok();
    let png = env.work_dir().join("b.png");
    assert_eq!(tile_colours(&png), [BLUE, GREEN, RED]);
    // Not a terminal: the plain path, no escape sequence at all.
    assert!(
        r.stdout.contains(&format!("Storyboard: {}", png.display())),
        "{}",
        r.stdout
    );
    assert!(!r.all().contains('\x1b'), "{:?}", r.all());

    // --json: one object naming the file; an earlier storyboard is replaced.
    let r = run(&env, &["--json", "storyboard", "-o", "b.png"]);
    r.ok();
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["type"], "storyboard");
    assert_eq!(v["path"], png.display().to_string());
    assert_eq!(v["clips"], 3);
    assert_eq!(v["placeholders"], serde_json::json!([]));
}

#[test]
fn a_clip_whose_file_is_gone_gets_a_placeholder() {
    let env = TestEnv::new();
    let files = project(&env);
    std::fs::remove_file(&files[1]).unwrap();
    let r = run(&env, &["storyboard"]);
    r.ok();
    assert!(
        r.stderr.contains("No local copy of green.png"),
        "{}",
        r.stderr
    );
    let png = env.work_dir().join("storyboard.png");
    let colours = tile_colours(&png);
    assert_eq!((colours[0], colours[2]), (BLUE, RED));
    // The middle tile is the grey placeholder, not a photo.
    let img = image::open(&png).unwrap().to_rgb8();
    let t = Layout::new(3, true).thumb(1);
    let corner = img.get_pixel(t.x as u32 + 5, t.y as u32 + 1).0;
    assert!(
        corner[0] == corner[1] && corner[1] < corner[2] && corner[2] < 100,
        "{corner:?}"
    );
    let r = run(&env, &["--json", "storyboard"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["placeholders"], serde_json::json!(["green.png"]));
}

#[test]
fn other_files_are_not_overwritten_and_an_empty_timeline_says_so() {
    let env = TestEnv::new();
    let notes = env.work_dir().join("notes.png");
    std::fs::write(&notes, "my notes").unwrap();
    let r = run(&env, &["storyboard", "-o", "notes.png"]);
    r.code(3);
    assert!(r.stderr.contains("is not a PNG"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");

    let r = run(&env, &["storyboard"]);
    r.code(10);
    assert!(r.stderr.contains("Nothing to draw yet"), "{}", r.stderr);
    assert!(!env.work_dir().join("storyboard.png").exists());
}

/// The REPL reading `input` from a pipe; (stdout, stderr) of a successful run.
fn piped(env: &TestEnv, input: &str, extra: &[(&str, &str)]) -> (String, String) {
    let mut c = cmd(env);
    c.envs(extra.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{stdout}{stderr}");
    (stdout, stderr)
}

#[test]
fn the_repl_command_and_plain_words_write_it_too() {
    let env = TestEnv::new();
    project(&env);
    let (stdout, stderr) = piped(&env, "/storyboard board.png\nshow me the storyboard\n", &[]);
    let png = env.work_dir().join("board.png");
    assert!(stdout.contains(&format!("Storyboard: {}", png.display())));
    assert_eq!(tile_colours(&png), [BLUE, GREEN, RED]);
    // In words too, handled here rather than by the editor, and said so.
    assert!(
        stderr.contains("→ storyboard (type /storyboard"),
        "{stderr}"
    );
    let png = env.work_dir().join("storyboard.png");
    assert!(stdout.contains(&format!("Storyboard: {}", png.display())));
    assert_eq!(tile_colours(&png), [BLUE, GREEN, RED]);
}

/// Run `img2yt ARGS` with stdin and stdout on a pseudo-terminal played by
/// the test: once the program has asked its questions (up to DA1, `ESC [ c`),
/// `reply` is typed back. Returns everything the program wrote there.
#[cfg(unix)]
fn at_terminal(
    env: &TestEnv,
    args: &[&str],
    reply: &'static [u8],
    extra: &[(&str, &str)],
) -> String {
    on_pty(env, args, reply, extra, true).0
}

/// [`at_terminal`], with stdout on the terminal or on a pipe; returns what
/// the terminal showed and what the pipe got.
#[cfg(unix)]
fn on_pty(
    env: &TestEnv,
    args: &[&str],
    reply: &'static [u8],
    extra: &[(&str, &str)],
    stdout_on_terminal: bool,
) -> (String, String) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    let mut c = cmd(env);
    c.args(args)
        .envs(extra.iter().copied())
        .stdin(slave.try_clone().unwrap())
        .stderr(Stdio::piped());
    if stdout_on_terminal {
        c.stdout(slave.try_clone().unwrap());
    } else {
        c.stdout(Stdio::piped());
    }
    let child = c.spawn().unwrap();
    // Only the child holds the terminal now, so reading it ends when the
    // child does.
    drop(c);
    drop(slave);
    let mut m = std::fs::File::from(master);
    let mut typist = m.try_clone().unwrap();
    let screen = std::thread::spawn(move || {
        let (mut seen, mut buf, mut replied) = (Vec::new(), [0u8; 4096], false);
        while let Ok(n) = m.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if !replied && seen.windows(3).any(|w| w == b"\x1b[c") {
                typist.write_all(reply).unwrap();
                replied = true;
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    });
    let out = child.wait_with_output().unwrap();
    let screen = screen.join().unwrap();
    assert!(
        out.status.success(),
        "{screen:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (screen, String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(unix)]
#[test]
fn inline_pictures_only_when_the_terminal_says_it_can() {
    let env = TestEnv::new();
    project(&env);
    let png = env.work_dir().join("b.png");
    let args = ["storyboard", "-o", "b.png"];

    // kitty answers its graphics query: the PNG goes to it in chunks.
    let s = at_terminal(&env, &args, b"\x1b_Gi=31;OK\x1b\\\x1b[?62;22c", &[]);
    assert!(s.contains("\x1b_Gi=31,s=1,v=1,a=q"), "asked first: {s:?}");
    assert!(s.contains("\x1b_Gf=100,a=T,q=2,"), "{s:?}");
    assert!(
        s.contains(&format!("Storyboard: {}", png.display())),
        "{s:?}"
    );

    // DA1 lists 4: sixel.
    let s = at_terminal(&env, &args, b"\x1b[?62;4;22c", &[]);
    assert!(s.contains("\x1bP") && !s.contains("\x1b_Gf="), "{s:?}");

    // iTerm2 by its XTVERSION.
    let s = at_terminal(&env, &args, b"\x1bP>|iTerm2 3.5.0\x1b\\\x1b[?62;22c", &[]);
    assert!(s.contains("\x1b]1337;File=inline=1;"), "{s:?}");

    // A terminal without images: asked, nothing drawn; with links on, the
    // path is an OSC 8 link to the file.
    let s = at_terminal(&env, &args, b"\x1b[?62;22c", &[("FORCE_HYPERLINK", "1")]);
    assert!(s.contains("\x1b[c"), "{s:?}");
    assert!(
        !s.contains("\x1b_Gf=") && !s.contains("\x1bP") && !s.contains("1337;File"),
        "{s:?}"
    );
    assert!(
        s.contains(&format!("\x1b]8;;file://{}\x1b\\", png.display())),
        "{s:?}"
    );
    // The same terminal naming itself iTerm in TERM_PROGRAM is believed only
    // because it answered.
    let s = at_terminal(
        &env,
        &args,
        b"\x1b[?62;22c",
        &[("TERM_PROGRAM", "iTerm.app")],
    );
    assert!(s.contains("1337;File=inline=1"), "{s:?}");

    // TERM alone decides nothing: kitty's TERM, a silent terminal, no picture.
    let s = at_terminal(&env, &args, b"", &[("TERM", "xterm-kitty")]);
    assert!(!s.contains("\x1b_Gf="), "{s:?}");

    // The Linux console is not asked at all (it would print the question).
    let s = at_terminal(&env, &args, b"\x1b[?62;4c", &[("TERM", "linux")]);
    assert!(!s.contains('\x1b'), "{s:?}");

    // stdin a terminal that would say yes, but stdout a pipe: nothing
    // asked, nothing drawn, the plain path.
    let (screen, piped) = on_pty(
        &env,
        &args,
        b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4c",
        &[("FORCE_HYPERLINK", "1")],
        false,
    );
    assert_eq!(screen, "");
    assert_eq!(piped, format!("Storyboard: {}\n", png.display()));
}

#[test]
fn status_mentions_the_storyboard_once() {
    let env = TestEnv::new();
    project(&env);
    let (stdout, stderr) = piped(
        &env,
        "/status\n/status\n",
        &[("IMG2YT_TEST_PRETEND_TERM", "1")],
    );
    let all = format!("{stdout}{stderr}");
    assert_eq!(all.matches("/storyboard").count(), 1, "{all}");
    assert_eq!(all.matches("Timeline (").count(), 2, "{all}");
    // A script is not told.
    let r = run(&env, &["status"]);
    assert!(!r.all().contains("storyboard"), "{}", r.all());
}
