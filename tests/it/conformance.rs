//! The client against every dialect of PROTOCOL.md the embedded server can
//! speak (`img2yt serve --wire NAME`, listed in `server::dialect`): the
//! whole journey, and the error codes of the document's table, each run by
//! the real binary against a real `img2yt serve` process on loopback.
//!
//! Every dialect must leave the user with exactly what `doc` does: the same
//! lines on stdout (each sentence of a reply once), the same saved MP4. A
//! failure names the dialect.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Stdio;

use img2yt::server::dialect::Wire;

use crate::support::{fixture, Run, TestEnv};

const UPLOAD: &str = "/api/upload-video/nemo_agent/me/";

/// The journey as a piped script: token → session → upload 2 photos →
/// the make prompt → status → a silent edit → an edit whose stream drops
/// → credits → export → download.
fn script() -> String {
    format!(
        "/upload {} {}\n\
         turn these images into a YouTube video with music and transitions\n\
         show the timeline\n\
         title: Iceland 2026\n\
         slower transitions\n\
         how many credits do I have\n\
         render it and send me the file out.mp4\n",
        fixture("red.jpg").display(),
        fixture("blue.png").display(),
    )
}

/// What the user sees on stdout, with the run's random parts made stable.
fn normalize(s: &str) -> String {
    s.lines()
        .map(|l| {
            let mut l = l.to_string();
            if let Some(i) = l.find("ct=clm_") {
                l.replace_range(i + 7.., "<claim>");
            }
            if let (Some(a), Some(b)) = (l.find("Saved out.mp4 ("), l.find(" KB, ")) {
                l.replace_range(a + "Saved out.mp4 (".len()..b + 3, "<size>");
            }
            l + "\n"
        })
        .collect()
}

/// The journey's stdout, as `doc` gives it and every dialect must.
const JOURNEY: &str = "\
Uploaded 2 files: red.jpg (242 B), blue.png (170 B)
Your raw video is ready: 2 photos, 6.25 seconds, with crossfade transitions. Now adding music and finishing touches…
Added a generated Lo-fi track (synthesised here, not a recorded song) at 100% volume. See the timeline below, then type `export` when you're happy.
Timeline (2 tracks): 1. Video: 2 clips (0-6.3s) 2. BGM: Lo-fi (generated) (0-6.3s, 100%)
Timeline (2 tracks): 1. Video: 2 clips (0-6.3s) 2. BGM: Lo-fi (generated) (0-6.3s, 100%)
Uploaded (2): red.jpg (242 B), blue.png (170 B)
✅ Title added: 'Iceland 2026' (0-3s)
✅ Video: 0-6.3s → 0-5.9s
✅ BGM: 0-6.3s → 0-5.9s
✅ Duration 6.3s → 5.9s
Credits: 30 available · 0 frozen · 100 total
✅ Saved out.mp4 (<size>, 5.9 s, 160×90)
Thumbnail for YouTube: out.jpg
Open it in the browser: https://web.example/workspace/claim?ct=clm_<claim>
";

fn run_journey(wire: Wire) -> Result<(), String> {
    let env = TestEnv::serve(&["--wire", wire.name()]);
    // The third message's reply stream breaks after 120 bytes: the client
    // must find the edit in the state, never send it again.
    env.fault(json!({"path": "/run_sse", "skip": 2, "action": {"type": "truncate", "bytes": 120}}));
    let script_file = env.dir.path().join("journey.txt");
    std::fs::write(&script_file, script()).unwrap();
    let r = env.run_with(&[], |c| {
        c.stdin(Stdio::from(std::fs::File::open(&script_file).unwrap()));
    });
    let fail = |what: &str| {
        Err(format!(
            "{what}\n--- stdout\n{}--- stderr\n{}",
            r.stdout, r.stderr
        ))
    };
    if r.code != 0 {
        return fail(&format!("exit {}", r.code));
    }
    let seen = normalize(&r.stdout);
    if seen != JOURNEY {
        return fail(&format!(
            "stdout differs from the document's:\n{}",
            diff(JOURNEY, &seen)
        ));
    }
    for hidden in [
        "Working out what changed",
        "functionCall",
        "edit_draft",
        "thought",
    ] {
        if r.all().contains(hidden) {
            return fail(&format!("{hidden:?} was shown"));
        }
    }
    let mp4 = env.work_dir().join("out.mp4");
    match std::fs::read(&mp4) {
        Ok(b) if b.len() > 1000 && &b[4..8] == b"ftyp" => {}
        _ => return fail("no playable out.mp4"),
    }
    if let Some(d) = probe_duration(&mp4) {
        if (d - 5.9).abs() > 0.1 {
            return fail(&format!("out.mp4 lasts {d} s"));
        }
    }
    let log = env.log();
    let sends = env.count("POST", "/run_sse");
    if sends != 3 {
        return fail(&format!(
            "{sends} messages sent for 3 lines (a resend after the drop?)"
        ));
    }
    let downloads: Vec<&Value> = log
        .iter()
        .filter(|e| {
            let uri = e["uri"].as_str().unwrap_or("");
            uri.starts_with("/cdn/renders/") && uri.ends_with(".mp4") || uri.ends_with("/download")
        })
        .collect();
    if downloads.is_empty() {
        return fail("the video was never downloaded");
    }
    for d in &downloads {
        let uri = d["uri"].as_str().unwrap_or("");
        let authed = d["headers"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|h| h[0].as_str() == Some("authorization"));
        if uri.starts_with("/cdn/") && authed {
            return fail(&format!("the token went to the download host: {uri}"));
        }
    }
    if env.count("POST", UPLOAD) != 2 {
        return fail("the photos were not uploaded once each");
    }
    Ok(())
}

/// The video's length by ffprobe, when it is installed.
fn probe_duration(path: &Path) -> Option<f64> {
    let out = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// Lines of `got` that are not in `want`, and the other way round.
fn diff(want: &str, got: &str) -> String {
    let mut out = String::new();
    for l in want.lines().filter(|l| !got.lines().any(|g| g == *l)) {
        out += &format!("- {l}\n");
    }
    for l in got.lines().filter(|l| !want.lines().any(|w| w == *l)) {
        out += &format!("+ {l}\n");
    }
    let dup: Vec<&str> = got
        .lines()
        .filter(|l| {
            got.lines().filter(|g| g == l).count() > want.lines().filter(|w| w == l).count()
        })
        .collect();
    if !dup.is_empty() {
        out += &format!("shown too often: {dup:?}\n");
    }
    out
}

/// Run `check` for every dialect, two at a time, and fail naming each
/// dialect that failed.
fn every_dialect(check: fn(Wire) -> Result<(), String>) {
    let wires = Wire::all();
    assert!(wires.len() >= 10, "the matrix needs at least 10 dialects");
    let failures: Vec<String> = wires
        .chunks(2)
        .flat_map(|pair| {
            std::thread::scope(|s| {
                let runs: Vec<_> = pair
                    .iter()
                    .map(|w| s.spawn(move || (w, std::panic::catch_unwind(|| check(*w)))))
                    .collect();
                runs.into_iter()
                    .filter_map(|h| {
                        let (w, result) = h.join().unwrap();
                        let why = match result {
                            Ok(Ok(())) => return None,
                            Ok(Err(why)) => why,
                            Err(panic) => panic
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_default(),
                        };
                        Some(format!("dialect {} ({}): {why}", w.name(), w.source()))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_whole_journey_in_every_dialect() {
    every_dialect(run_journey);
}

/// One row of the document's error table: a fault, the command that meets
/// it, and what the user must get.
struct ErrorCase {
    name: &'static str,
    fault: Value,
    args: &'static [&'static str],
    code: i32,
    says: &'static str,
}

fn error_cases() -> Vec<ErrorCase> {
    vec![
        ErrorCase {
            name: "1001 on a starter token: renewed and retried silently",
            fault: json!({"path": "/api/credits/balance/simple", "action": {"type": "code", "code": 1001}}),
            args: &["credits"],
            code: 0,
            says: "Credits: 50 available",
        },
        ErrorCase {
            name: "2001: out of credits with the registration link",
            fault: json!({"path": "/run_sse", "action": {"type": "code", "code": 2001}}),
            args: &["send", "make a video"],
            code: 5,
            says: "https://web.example/?bind=",
        },
        ErrorCase {
            name: "4001: the accepted types listed",
            fault: json!({"path": UPLOAD, "action": {"type": "code", "code": 4001}}),
            args: &["upload", "PHOTO"],
            code: 3,
            says: "Accepted: jpg",
        },
        ErrorCase {
            name: "4002: the 200 MB limit",
            fault: json!({"path": UPLOAD, "action": {"type": "code", "code": 4002}}),
            args: &["upload", "PHOTO"],
            code: 3,
            says: "200 MB",
        },
        ErrorCase {
            name: "HTTP 402 on export: register to unlock export",
            fault: json!({"path": "/api/render/proxy/lambda", "method": "POST", "action": {"type": "status", "status": 402}}),
            args: &["export", "-o", "x.mp4"],
            code: 6,
            says: "unlock export",
        },
        ErrorCase {
            name: "HTTP 429: wait, retry once",
            fault: json!({"path": "/api/credits/balance/simple", "action": {"type": "status", "status": 429}}),
            args: &["credits"],
            code: 0,
            says: "Credits: 50 available",
        },
        ErrorCase {
            name: "HTTP 500 with an HTML body: one plain line",
            fault: json!({"path": "/api/credits/balance/simple", "times": 9, "action": {"type": "status", "status": 500, "body": "<html>oops</html>"}}),
            args: &["credits"],
            code: 8,
            says: "had a problem (HTTP 500)",
        },
        // Last: it leaves a new, empty project.
        ErrorCase {
            name: "1002: a new session, the user told",
            fault: json!({"path": "/api/state/", "action": {"type": "lose_session"}}),
            args: &["status"],
            code: 0,
            says: "new, empty one",
        },
    ]
}

fn run_errors(wire: Wire) -> Result<(), String> {
    let env = TestEnv::serve(&["--wire", wire.name()]);
    let photo = fixture("red.jpg").display().to_string();
    // A project with a video, so that export reaches the render.
    let setup = env.run(&["upload", &photo]);
    let setup2 = env.run(&["send", "make a video"]);
    if setup.code != 0 || setup2.code != 0 {
        return Err(format!("set-up failed: {}{}", setup.all(), setup2.all()));
    }
    for case in error_cases() {
        env.fault(case.fault.clone());
        let args: Vec<&str> = case
            .args
            .iter()
            .map(|a| if *a == "PHOTO" { photo.as_str() } else { a })
            .collect();
        let r: Run = env.run(&args);
        let text = r.all();
        if r.code != case.code || !text.contains(case.says) || text.contains("panicked") {
            return Err(format!(
                "{}: exit {} (want {}), wanted {:?} in:\n{text}",
                case.name, r.code, case.code, case.says
            ));
        }
        if r.code != 0 && r.stderr.lines().filter(|l| l.starts_with("error:")).count() != 1 {
            return Err(format!("{}: not one error line:\n{}", case.name, r.stderr));
        }
        // Nothing left over for the next case.
        env.clear_faults();
    }
    // HTTP 400 on the anonymous token: a new client id, then a token.
    let fresh = TestEnv::serve(&["--wire", wire.name()]);
    fresh.fault(
        json!({"path": "/api/auth/anonymous-token", "action": {"type": "status", "status": 400}}),
    );
    let r = fresh.run(&["credits"]);
    if r.code != 0 || fresh.count("POST", "/api/auth/anonymous-token") != 2 {
        return Err(format!("400 on the token: exit {}\n{}", r.code, r.all()));
    }
    Ok(())
}

#[test]
fn every_error_code_of_the_document_in_every_dialect() {
    every_dialect(run_errors);
}
