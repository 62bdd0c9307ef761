//! Test environment: the embedded server in-process on `127.0.0.1:0` with
//! fault injection on, a private config dir, and the real `img2yt` binary.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use img2yt::server::{self, ServerConfig};

/// A table of cases, one `#[test]` per row named by the row, so rows run
/// in parallel and a failing one says which it is. A row is
/// `name: expression;` where the expression has a `check(&str)` method
/// (the area's case type); doc comments on a row stay on its test.
macro_rules! cases {
    ($($(#[$meta:meta])* $name:ident: $case:expr;)+) => {$(
        $(#[$meta])*
        #[test]
        fn $name() {
            $case.check(stringify!($name));
        }
    )+};
}

pub struct TestEnv {
    pub rt: tokio::runtime::Runtime,
    pub server: Option<server::Handle>,
    /// An `img2yt serve` process, when the server is one ([`TestEnv::serve`]).
    process: Option<std::process::Child>,
    pub url: String,
    pub dir: tempfile::TempDir,
    http: reqwest::Client,
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        if let Some(mut p) = self.process.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
    }
}

/// What a finished img2yt run left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Everything the user saw.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success:\n--- stdout\n{}--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code:\n--- stdout\n{}--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        Self::with(ServerConfig {
            faults: true,
            max_p: Some(90),
            ..ServerConfig::default()
        })
    }

    pub fn with(cfg: ServerConfig) -> TestEnv {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let handle = rt.block_on(server::spawn(cfg)).unwrap();
        TestEnv {
            url: handle.url.clone(),
            server: Some(handle),
            process: None,
            rt,
            dir: tempfile::tempdir().unwrap(),
            http: control_client(),
        }
    }

    /// The real `img2yt serve --faults` on a loopback port, with `args`
    /// added (`--wire NAME`, …), tiny renders.
    pub fn serve(args: &[&str]) -> TestEnv {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_img2yt"))
            .args(["serve", "--faults", "--port", "0", "--max-height", "90"])
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("IMG2YT_CONFIG_DIR", dir.path().join("server-config"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("img2yt serve said {first:?}"))
            .to_string();
        // Later request lines go nowhere (a full pipe would block it).
        let mut out = child.stdout.take().unwrap();
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        TestEnv {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            server: None,
            process: Some(child),
            url,
            dir,
            http: control_client(),
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn work_dir(&self) -> PathBuf {
        let d = self.dir.path().join("work");
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// The real binary, isolated: its own config dir, this server, no
    /// colour, waits scaled down so tests run fast.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_img2yt"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("IMG2YT_CONFIG_DIR", self.config_dir())
            .env("NEMO_API_URL", &self.url)
            .env("NEMO_WEB_URL", "https://web.example")
            .env("NO_COLOR", "1")
            .env("LANG", "en_US.UTF-8")
            .env("IMG2YT_TIME_SCALE", "0.01")
            .current_dir(self.work_dir())
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, |_| {})
    }

    pub fn run_with(&self, args: &[&str], f: impl FnOnce(&mut Command)) -> Run {
        let mut c = self.cmd();
        c.args(args);
        f(&mut c);
        let out = c.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Option<Value> {
        self.rt.block_on(async {
            let mut rb = self.http.request(method, format!("{}{path}", self.url));
            if let Some(b) = body {
                rb = rb.json(&b);
            }
            let resp = rb.send().await.unwrap();
            assert!(
                resp.status().is_success(),
                "control {path}: {}",
                resp.status()
            );
            resp.json::<Value>().await.ok()
        })
    }

    /// Inject a fault: `{"path": …, "times": n, "action": {"type": …}}`.
    pub fn fault(&self, f: Value) {
        self.control(reqwest::Method::POST, "/__control/faults", Some(f));
    }

    /// Queue an SSE script for the next `/run_sse`.
    pub fn script(&self, frames: Value) {
        self.control(
            reqwest::Method::POST,
            "/__control/script",
            Some(json!({ "frames": frames })),
        );
    }

    /// Remove every injected fault not yet used.
    pub fn clear_faults(&self) {
        self.control(reqwest::Method::DELETE, "/__control/faults", None);
    }

    pub fn account(&self, v: Value) {
        self.control(reqwest::Method::POST, "/__control/account", Some(v));
    }

    /// Every request the server saw (Authorization shown as "(present)").
    pub fn log(&self) -> Vec<Value> {
        self.control(reqwest::Method::GET, "/__control/log", None)
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
    }

    /// How many requests matched `method` and a path starting with `prefix`.
    pub fn count(&self, method: &str, prefix: &str) -> usize {
        self.log()
            .iter()
            .filter(|e| {
                e["method"] == method && e["uri"].as_str().unwrap_or("").starts_with(prefix)
            })
            .count()
    }

    pub fn world(&self) -> Value {
        self.control(reqwest::Method::GET, "/__control/world", None)
            .unwrap()
    }

    pub fn store(&self) -> Value {
        let raw = std::fs::read(self.config_dir().join("store.json")).unwrap();
        serde_json::from_slice(&raw).unwrap()
    }

    /// The stored token (tests check it never shows up anywhere).
    pub fn token(&self) -> String {
        self.store()["token"]["value"].as_str().unwrap().to_string()
    }

    /// Stop the server (a dead network from now on).
    pub fn stop_server(&mut self) {
        self.server.take();
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A fixture file's path.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copy fixture images into `dir` as `names`.
pub fn photos(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let src = fixture(if i % 2 == 0 { "red.jpg" } else { "blue.png" });
            let ext = Path::new(n)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("jpg");
            let src = if ext.eq_ignore_ascii_case("png") {
                fixture("blue.png")
            } else if ext.eq_ignore_ascii_case("jpg") || ext.eq_ignore_ascii_case("jpeg") {
                fixture("red.jpg")
            } else {
                src
            };
            let dst = dir.join(n);
            std::fs::copy(src, &dst).unwrap();
            dst
        })
        .collect()
}

/// The harness's client for control requests: idle connections are let go
/// before the server closes them (10 s), so a control request never races
/// a closing kept-alive connection.
fn control_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(img2yt::api::POOL_IDLE)
        .build()
        .unwrap()
}
