//! `img2yt publish` against the Google-shaped fake (`google_fake`): the
//! first sign-in with PKCE and `state`, an upload in several chunks, a
//! dropped connection, a 503 and a 401 mid-upload, Ctrl-C and a second
//! run resuming the same session, every metadata limit, the quota, the
//! thumbnail, signing out — and the refresh token never shown.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::google_fake::{Fault, GoogleFake, CLIENT_ID, CLIENT_SECRET, UNIT};
use crate::support::Run;

struct Env {
    fake: GoogleFake,
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("client_secret.json"),
            serde_json::json!({"installed": {
                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                "token_uri": "https://oauth2.googleapis.com/token",
                "redirect_uris": ["http://localhost"]}})
            .to_string(),
        )
        .unwrap();
        Env {
            fake: GoogleFake::start(),
            dir,
        }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// A video of `len` bytes that are not all alike (a shifted byte
    /// would show).
    fn video(&self, name: &str, len: usize) -> PathBuf {
        let p = self.dir.path().join(name);
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// As if signed in before: a refresh token the fake honours, kept.
    fn signed_in(&self) -> String {
        let t = self.fake.grant_refresh_token();
        std::fs::create_dir_all(self.config()).unwrap();
        std::fs::write(
            self.config().join("youtube.json"),
            serde_json::json!({"sign_in": {"client_id": CLIENT_ID, "refresh_token": t}})
                .to_string(),
        )
        .unwrap();
        t
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.bare_cmd();
        c.arg("publish").args(args);
        c
    }

    /// The binary with this fake's environment and no arguments.
    fn bare_cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_img2yt"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("IMG2YT_CONFIG_DIR", self.config())
            .env("NEMO_API_URL", "http://127.0.0.1:9")
            .env("NO_COLOR", "1")
            .env("IMG2YT_TIME_SCALE", "0.01")
            .env("IMG2YT_YOUTUBE_CHUNK_SIZE", UNIT.to_string())
            .env(
                "IMG2YT_YOUTUBE_CLIENT_SECRETS",
                self.dir.path().join("client_secret.json"),
            )
            .envs(self.fake.env())
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = self.cmd(args).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The one finished upload: its bytes equal the file's, and Google
    /// saw nothing it would reject.
    #[track_caller]
    fn assert_uploaded(&self, video: &Path) -> (String, serde_json::Value) {
        let done = self.fake.finished();
        assert_eq!(done.len(), 1, "one video");
        let (id, bytes, meta) = done.into_iter().next().unwrap();
        assert!(bytes == std::fs::read(video).unwrap(), "the bytes differ");
        self.assert_no_violations();
        (id, meta)
    }

    #[track_caller]
    fn assert_no_violations(&self) {
        let v = self.fake.with(|w| w.violations.clone());
        assert!(v.is_empty(), "{v:?}");
    }

    /// No secret in anything img2yt printed or put in a URL.
    #[track_caller]
    fn assert_secret_kept(&self, run: &Run, secret: &str) {
        assert!(!run.all().contains(secret), "{}", run.all());
        let log = self.fake.with(|w| w.log.clone());
        assert!(log.iter().all(|l| !l.contains(secret)), "{log:?}");
        assert!(log.iter().all(|l| !l.contains("ya29.")), "{log:?}");
    }
}

/// Start `img2yt publish` with `args` and read its stderr up to the first
/// line that starts with `prefix` (the sign-in link): the process, the rest
/// of its stderr, what was read so far and the link. The caller waits for
/// the process (clippy cannot see through the return).
#[allow(clippy::zombie_processes)]
fn until_sign_in_link(
    env: &Env,
    args: &[&str],
    prefix: &str,
) -> (
    std::process::Child,
    BufReader<std::process::ChildStderr>,
    String,
    String,
) {
    let mut child = env
        .cmd(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no sign-in link in {seen}"
        );
        seen.push_str(&line);
        if line.trim().starts_with(prefix) {
            let url = line.trim().to_string();
            return (child, stderr, seen, url);
        }
    }
}

#[test]
fn a_sign_in_never_finished_in_the_browser_is_given_up() {
    let env = Env::new();
    let video = env.video("v.mp4", 1000);
    // The link is printed, nobody opens it: 10 minutes, scaled to 6 s.
    let (child, mut stderr, seen, _url) = until_sign_in_link(
        &env,
        &[video.to_str().unwrap()],
        &format!("{}/o/oauth2/v2/auth?", env.fake.url),
    );
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{seen}{rest}");
    assert!(
        rest.contains("no sign-in came back from the browser within 10 minutes; run img2yt publish again for a new link"),
        "{rest}"
    );
    assert_eq!(env.fake.count("POST /token"), 0);
    assert_eq!(env.fake.count("POST /upload/youtube/v3/videos"), 0);
}

#[test]
fn first_sign_in_with_pkce_then_an_upload_in_chunks() {
    let env = Env::new();
    let video = env.video("Iceland_trip.mp4", 2 * UNIT + 1000);
    let thumb = env.video("Iceland_trip.jpg", 5000);
    let (child, mut stderr, seen, url) = until_sign_in_link(
        &env,
        &["--json", "-v", video.to_str().unwrap()],
        &format!("{}/o/oauth2/v2/auth?", env.fake.url),
    );
    let q: std::collections::HashMap<String, String> = reqwest::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q["redirect_uri"].starts_with("http://127.0.0.1:"));
    // A forged return with another state is turned away; the wait goes on.
    let forged = format!("{}?state=forged&code=evil", q["redirect_uri"]);
    assert_eq!(env.fake.click(&forged), 400);
    assert_eq!(env.fake.click(&url), 200);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: seen + &rest,
    };
    run.ok();
    let (id, meta) = env.assert_uploaded(&video);
    let line: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(line["type"], "published");
    assert_eq!(line["id"], id.as_str());
    assert_eq!(line["url"], format!("https://youtu.be/{id}"));
    assert_eq!(meta["status"]["privacyStatus"], "private");
    assert_eq!(meta["snippet"]["title"], "Iceland trip");
    // Three chunks, and the thumbnail export left beside the video.
    assert_eq!(env.fake.count("PUT /upload/youtube/v3/videos"), 3);
    assert_eq!(env.fake.with(|w| w.thumbnails.clone()), vec![(id, 5000)]);
    let _ = thumb;
    // The refresh token is kept 0600 and never shown (not even with -v).
    let kept = std::fs::read_to_string(env.config().join("youtube.json")).unwrap();
    let refresh = env
        .fake
        .with(|w| w.refresh_tokens.iter().next().unwrap().clone());
    assert!(kept.contains(&refresh));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(env.config().join("youtube.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    env.assert_secret_kept(&run, &refresh);
}

#[test]
fn a_drop_a_503_and_a_401_mid_upload_are_resumed_without_resending() {
    let env = Env::new();
    let refresh = env.signed_in();
    let video = env.video("v.mp4", 4 * UNIT + 10);
    env.fake.fault(Fault::Pass);
    env.fake.fault(Fault::DropAfter(1000));
    env.fake.fault(Fault::Status(503));
    env.fake.fault(Fault::ExpireTokens);
    let run = env.run(&[
        "-v",
        video.to_str().unwrap(),
        "--privacy",
        "unlisted",
        "--tags",
        "a, b c",
    ]);
    run.ok();
    let (_, meta) = env.assert_uploaded(&video);
    assert_eq!(meta["status"]["privacyStatus"], "unlisted");
    assert_eq!(meta["snippet"]["tags"], serde_json::json!(["a", "b c"]));
    assert!(
        run.stdout
            .contains("Published on YouTube (unlisted): https://youtu.be/"),
        "{}",
        run.all()
    );
    assert_eq!(
        env.fake.count("POST /upload/youtube/v3/videos"),
        1,
        "one session"
    );
    assert!(
        env.fake.with(|w| w.faults.is_empty()),
        "every fault happened"
    );
    // The drop and the 503 each interrupt it; a kept-alive connection the
    // fake closed afterwards may interrupt once more, and is resumed the
    // same way (the bytes above are still the file's, sent once).
    assert!(
        run.stderr.matches("The upload was interrupted").count() >= 2,
        "{}",
        run.stderr
    );
    // --verbose names the kept sign-in only in its redacted form.
    let tail: String = refresh
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(
        run.stderr
            .contains(&format!("using the kept YouTube sign-in (…{tail})")),
        "{}",
        run.stderr
    );
    // The first access token, then a fresh one after the 401 (a kept-alive
    // connection the fake closed may cost one more try).
    assert!(env.fake.count("POST /token") >= 2);
    env.assert_secret_kept(&run, &refresh);
}

#[test]
fn an_outage_at_the_token_endpoint_after_a_401_is_waited_out() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 2 * UNIT + 10);
    env.fake.fault(Fault::Pass);
    env.fake.fault(Fault::ExpireTokensThenOutage(2));
    let run = env.run(&[video.to_str().unwrap()]);
    run.ok();
    env.assert_uploaded(&video);
    assert_eq!(
        run.stderr.matches("(the token endpoint failed)").count(),
        2,
        "{}",
        run.all()
    );
    assert_eq!(env.fake.with(|w| w.token_outages), 0);
    // The first token, the two refused refreshes, the one that worked.
    assert!(env.fake.count("POST /token") >= 4);
}

#[test]
fn ctrl_c_then_publish_again_resumes_the_same_session() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 3 * UNIT);
    env.fake.fault(Fault::Pass);
    env.fake.fault(Fault::StallAfter(1000));
    let out = interrupt_once_stalled(&env, &video);
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stderr).contains("again to resume"));

    env.fake.with(|w| w.thumbnails_forbidden = true);
    let thumb = env.video("t.jpg", 100);
    let run = env.run(&[
        video.to_str().unwrap(),
        "--thumbnail",
        thumb.to_str().unwrap(),
        "--title",
        "A title asked for too late",
    ]);
    run.ok();
    assert!(run.stderr.contains("Resuming the upload"), "{}", run.stderr);
    // The session keeps the first run's metadata, and the user is told.
    assert!(
        run.stderr.contains(
            "YouTube keeps the title, description, tags and privacy given when this upload began"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("may not set custom thumbnails"),
        "{}",
        run.stderr
    );
    let (_, meta) = env.assert_uploaded(&video);
    assert_eq!(meta["snippet"]["title"], "v");
    assert_eq!(
        env.fake.count("POST /upload/youtube/v3/videos"),
        1,
        "one session"
    );
    // A finished upload is forgotten.
    let kept = std::fs::read_to_string(env.config().join("youtube.json")).unwrap();
    assert!(!kept.contains("upload_id"), "{kept}");
}

#[test]
fn every_metadata_limit_is_refused_before_a_byte_is_sent() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 100);
    let v = video.to_str().unwrap();
    let long_title = "x".repeat(101);
    let long_description = "é".repeat(2501);
    let long_tags = ["ab".repeat(125), "ab".repeat(125)].join(",");
    for (args, expected) in [
        (vec!["--title", &long_title], "at most 100"),
        (vec!["--title", "a <b>"], "title contains < or >"),
        (vec!["--description", &long_description], "5002 bytes"),
        (vec!["--description", "1 > 0"], "description contains"),
        (vec!["--tags", &long_tags], "501 characters"),
        (vec!["--category", "music"], "category"),
    ] {
        let mut a = vec![v];
        a.extend(args);
        let run = env.run(&a);
        run.code(3);
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
    assert!(env.fake.with(|w| w.log.is_empty()), "nothing sent");
}

#[test]
fn quota_exceeded_is_said_in_plain_words_with_its_own_exit_code() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 100);
    env.fake
        .with(|w| w.refuse_with = Some((403, "quotaExceeded".into())));
    let run = env.run(&[video.to_str().unwrap()]);
    run.code(11);
    assert!(run.stderr.contains("daily upload quota"), "{}", run.stderr);
    assert!(run.stderr.contains("try again tomorrow"), "{}", run.stderr);
}

#[test]
fn sign_out_revokes_and_forgets_the_refresh_token() {
    let env = Env::new();
    let refresh = env.signed_in();
    let run = env.run(&["--sign-out"]);
    run.ok();
    assert_eq!(env.fake.with(|w| w.revoked.clone()), vec![refresh.clone()]);
    let kept = std::fs::read_to_string(env.config().join("youtube.json")).unwrap();
    assert!(!kept.contains(&refresh));
    env.assert_secret_kept(&run, &refresh);
    // Without a client file, publishing says how to get one.
    let video = env.video("v.mp4", 100);
    let run = env.run_without_secrets(&[video.to_str().unwrap()]);
    run.code(2);
    assert!(run.stderr.contains("--client-secrets"), "{}", run.stderr);
}

impl Env {
    fn run_without_secrets(&self, args: &[&str]) -> Run {
        let out = self
            .cmd(args)
            .env_remove("IMG2YT_YOUTUBE_CLIENT_SECRETS")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// One line piped to img2yt's prompt (no terminal), until it exits.
fn piped_line(env: &Env, line: &str) -> std::process::Output {
    let mut child = env
        .bare_cmd()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(child.stdin.take().unwrap(), "{line}").unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn publish_from_the_prompt() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 1000);
    let out = piped_line(
        &env,
        &format!(
            "/publish --privacy unlisted --title \"Road trip\" --tags 'a, b c' '{}'",
            video.display()
        ),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Published on YouTube (unlisted): https://youtu.be/"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, meta) = env.assert_uploaded(&video);
    assert_eq!(meta["snippet"]["title"], "Road trip");
    assert_eq!(meta["snippet"]["tags"], serde_json::json!(["a", "b c"]));
}

#[test]
fn a_wrong_publish_flag_at_the_prompt_is_one_line_and_nothing_is_sent() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 1000);
    for (line, says) in [
        (
            format!("/publish --privacy everyone {}", video.display()),
            "invalid value 'everyone' for '--privacy <PRIVACY>'",
        ),
        (
            format!("/publish '{}", video.display()),
            "A quote in /publish is never closed",
        ),
    ] {
        let out = piped_line(&env, &line);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{line}: {stderr}");
        let error: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(error.len(), 1, "{line}: {stderr}");
        assert!(error[0].contains(says), "{line}: {stderr}");
        assert!(error[0].contains("/publish --help"), "{stderr}");
    }
    assert_eq!(env.fake.count("POST /upload/youtube/v3/videos"), 0);
}

#[test]
fn a_session_youtube_forgot_starts_over_and_an_unverified_app_is_said() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 2 * UNIT);
    env.fake.fault(Fault::StallAfter(1000));
    assert_eq!(
        interrupt_once_stalled(&env, &video).status.code(),
        Some(130)
    );
    env.fake.expire_sessions();
    env.fake.with(|w| w.unverified_app = true);
    let run = env.run(&[video.to_str().unwrap(), "--privacy", "public"]);
    run.ok();
    assert!(
        run.stderr.contains("no longer had the earlier upload"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not verified"), "{}", run.all());
    assert!(run.stdout.contains("(private)"), "{}", run.stdout);
    env.assert_uploaded(&video);
}

#[test]
fn a_revoked_sign_in_asks_to_sign_in_again() {
    let env = Env::new();
    let old = env.signed_in();
    env.fake.with(|w| w.refresh_tokens.clear());
    let video = env.video("v.mp4", 1000);
    let (child, _stderr, seen, url) =
        until_sign_in_link(&env, &[video.to_str().unwrap()], &env.fake.url);
    assert!(seen.contains("revoked or has expired"), "{seen}");
    assert_eq!(env.fake.click(&url), 200);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    env.assert_uploaded(&video);
    let kept = std::fs::read_to_string(env.config().join("youtube.json")).unwrap();
    assert!(!kept.contains(&old));
}

#[test]
fn a_thumbnail_over_2_mb_is_made_smaller() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 1000);
    let (w, h) = (1400u16, 1000u16);
    // Noise at the top quality: far over 2 MB as a JPEG.
    let mut seed = 1u32;
    let pixels: Vec<u8> = (0..w as usize * h as usize * 3)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as u8
        })
        .collect();
    let thumb = env.dir.path().join("big.jpg");
    jpeg_encoder::Encoder::new_file(&thumb, 100)
        .unwrap()
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    assert!(std::fs::metadata(&thumb).unwrap().len() > 2 * 1024 * 1024);
    let run = env.run(&[
        video.to_str().unwrap(),
        "--thumbnail",
        thumb.to_str().unwrap(),
    ]);
    run.ok();
    let sent = env.fake.with(|w| w.thumbnails.clone());
    assert_eq!(sent.len(), 1, "{}", run.stderr);
    assert!(sent[0].1 <= 2 * 1024 * 1024 && sent[0].1 > 0, "{sent:?}");
}

#[test]
fn an_outage_that_does_not_end_gives_up_and_keeps_the_session() {
    let env = Env::new();
    env.signed_in();
    let video = env.video("v.mp4", 1000);
    for _ in 0..20 {
        env.fake.fault(Fault::Status(503));
    }
    // The waits (1 s, 2 s … 64 s) scaled down further than the others.
    let out = env
        .cmd(&[video.to_str().unwrap()])
        .env("IMG2YT_TIME_SCALE", "0.001")
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    run.code(8);
    assert!(
        run.stderr.contains("run img2yt publish again later"),
        "{}",
        run.stderr
    );
    // The session is kept: the next run resumes it.
    env.fake.with(|w| w.faults.clear());
    env.run(&[video.to_str().unwrap()]).ok();
    assert_eq!(env.fake.count("POST /upload/youtube/v3/videos"), 1);
    env.assert_uploaded(&video);
}

#[test]
fn upload_it_to_youtube_publishes_the_projects_last_export_with_its_thumbnail() {
    use crate::support::{photos, TestEnv};
    let nemo = TestEnv::new();
    let ph = photos(&nemo.dir.path().join("photos"), &["a.jpg", "b.png"]);
    nemo.run(&["upload", ph[0].to_str().unwrap(), ph[1].to_str().unwrap()])
        .ok();
    nemo.run(&[
        "send",
        "turn these images into a YouTube video with music and transitions",
    ])
    .ok();
    nemo.run(&["export", "-o", "trip.mp4"]).ok();
    let video = nemo.work_dir().join("trip.mp4");
    assert!(
        nemo.work_dir().join("trip.jpg").is_file(),
        "export saved a thumbnail"
    );

    let env = Env::new();
    let t = env.fake.grant_refresh_token();
    std::fs::write(
        nemo.config_dir().join("youtube.json"),
        serde_json::json!({"sign_in": {"client_id": CLIENT_ID, "refresh_token": t}}).to_string(),
    )
    .unwrap();
    // Plain words at the prompt (piped): routed to publish, not to the
    // photo upload.
    let mut c = nemo.cmd();
    c.envs(env.fake.env())
        .env(
            "IMG2YT_YOUTUBE_CLIENT_SECRETS",
            env.dir.path().join("client_secret.json"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    writeln!(child.stdin.take().unwrap(), "upload it to YouTube").unwrap();
    let out = child.wait_with_output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    run.ok();
    assert!(
        run.stdout.contains("Published on YouTube (private)"),
        "{}",
        run.all()
    );
    assert!(run.stderr.contains("last export"), "{}", run.stderr);
    let (id, _) = env.assert_uploaded(&video);
    let thumb = std::fs::metadata(nemo.work_dir().join("trip.jpg"))
        .unwrap()
        .len();
    assert_eq!(
        env.fake.with(|w| w.thumbnails.clone()),
        vec![(id, thumb as usize)]
    );
}

/// Publish `video`, and press Ctrl-C once the fake holds the upload still.
fn interrupt_once_stalled(env: &Env, video: &std::path::Path) -> std::process::Output {
    let child = env
        .cmd(&[video.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while !env.fake.with(|w| w.stalled) {
        std::thread::sleep(Duration::from_millis(20));
    }
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait_with_output().unwrap()
}
