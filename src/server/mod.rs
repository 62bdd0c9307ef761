//! The embedded NemoVideo-compatible backend: `img2yt serve`, `--local`,
//! and the server every test talks to over real HTTP on loopback.
//!
//! It speaks PROTOCOL.md with the same envelope, codes and event format,
//! keeps its world in memory and writes it through to SQLite in its data
//! dir ([`db`]; several processes may share one dir), stores uploads by
//! streaming them to disk and renders real MP4s with ffmpeg ([`jobs`]
//! runs them, and finishes those a dead process left). With fault injection on it also serves
//! `/__control/*` routes (see [`faults`]). It imports `wire` only: the
//! client never depends on it, and it never depends on the client.

pub mod agent;
pub mod db;
pub mod dialect;
mod error;
pub mod faults;
pub mod fonts;
pub mod jobs;
pub mod media;
pub mod render;
mod routes;
pub mod slideshow;
pub mod tools;
pub mod turn;
pub mod world;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use bytes::Bytes;
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

use faults::FaultAction;
use world::{LogEntry, World};

#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    /// Serve `/__control/*` (fault injection, scripts, request log).
    pub faults: bool,
    /// Where the database, uploads and renders go (default: a temporary
    /// folder, removed when the server goes).
    pub data_dir: Option<PathBuf>,
    /// Cap on the rendered short side (tests render tiny videos).
    pub max_p: Option<u32>,
    /// Where to write one line per request (never a token); the server
    /// itself prints nothing.
    pub log: Option<RequestLog>,
    /// Never charge; the balance says `"unlimited": true`.
    pub unlimited_credits: bool,
    /// The dialect of PROTOCOL.md it speaks ([`dialect`]).
    pub wire: dialect::Wire,
    /// How long a client may take to send a request's headers, and how
    /// long an idle kept-alive connection stays open (default 10 s).
    pub header_timeout: Option<Duration>,
}

/// What receives the request log: `img2yt serve` prints it, tests and
/// `--local` keep none.
#[derive(Clone)]
pub struct RequestLog(pub Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestLog")
    }
}

/// Requests kept in the log `/__control/log` shows (tests read it); older
/// ones go, so a long-running server's memory stays flat.
const LOG_ENTRIES: usize = 10_000;
/// See [`ServerConfig::header_timeout`].
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Shared {
    pub(crate) world: Mutex<World>,
    pub(crate) cfg: ServerConfig,
    pub(crate) data_dir: PathBuf,
    pub(crate) db: db::Db,
    /// One [`WriteTx`] at a time in this process.
    tx_lock: Mutex<()>,
    pub(crate) instance: jobs::Instance,
    /// Renders that may run at once in this process; the rest wait their
    /// turn (pending), so a burst of exports cannot start an ffmpeg each.
    pub(crate) render_slots: tokio::sync::Semaphore,
    _tmp: Option<tempfile::TempDir>,
}

impl Shared {
    pub fn new(cfg: ServerConfig) -> std::io::Result<Arc<Shared>> {
        let (data_dir, tmp) = match &cfg.data_dir {
            Some(d) => (d.clone(), None),
            None => {
                let t = tempfile::Builder::new()
                    .prefix("img2yt-server-")
                    .tempdir()?;
                (t.path().to_path_buf(), Some(t))
            }
        };
        create_private_dir(&data_dir)?;
        create_private_dir(&data_dir.join("uploads"))?;
        create_private_dir(&data_dir.join("renders"))?;
        let db = db::Db::open(&data_dir).map_err(std::io::Error::other)?;
        let instance = jobs::Instance::register(&data_dir)?;
        let world = World {
            unlimited: cfg.unlimited_credits,
            ..World::default()
        };
        let shared = Shared {
            world: Mutex::new(world),
            cfg,
            data_dir,
            db,
            tx_lock: Mutex::new(()),
            render_slots: tokio::sync::Semaphore::new(jobs::RENDER_SLOTS),
            instance,
            _tmp: tmp,
        };
        shared.sync().map_err(std::io::Error::other)?;
        Ok(Arc::new(shared))
    }

    /// Reload the stored part of the world when another process has
    /// written to the store since we last read it (one cheap pragma).
    pub(crate) fn sync(&self) -> std::result::Result<(), db::DbError> {
        let mut w = self.world();
        if self.db.changed()? {
            self.db.load()?.replace_in(&mut w);
        }
        Ok(())
    }

    /// Start a read-modify-write of the stored world: no other process
    /// writes until the returned guard is dropped, and the world is
    /// reloaded first if one did. Take it before locking the world.
    pub(crate) fn write_tx(&self) -> std::result::Result<WriteTx<'_>, db::DbError> {
        let guard = unpoisoned(&self.tx_lock);
        self.db.begin()?;
        let tx = WriteTx {
            db: &self.db,
            _guard: guard,
        };
        self.sync()?;
        Ok(tx)
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// The world, locked. A handler that panicked while holding it left
    /// it as consistent as any request leaves it (each change is written
    /// through to the store as a whole), so a panic never takes every
    /// later request down with it.
    pub(crate) fn world(&self) -> std::sync::MutexGuard<'_, World> {
        unpoisoned(&self.world)
    }

    /// A success answer carrying `data`, in the dialect this server speaks.
    pub(crate) fn ok(&self, data: serde_json::Value) -> error::Reply {
        Ok(axum::Json(self.cfg.wire.answer(data)).into_response())
    }
}

/// An open write of the store ([`Shared::write_tx`]); committed on drop,
/// whatever the request's outcome (a refusal has written nothing).
pub(crate) struct WriteTx<'a> {
    db: &'a db::Db,
    _guard: std::sync::MutexGuard<'a, ()>,
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        let _ = self.db.commit();
    }
}

/// Lock `m`, ignoring poisoning: see [`Shared::world`].
pub(crate) fn unpoisoned<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Create `dir` (and its parents) readable by this user only; one that
/// exists already (a temporary folder, an older data dir) is made so.
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// All routes of the protocol (and the control routes when enabled).
pub fn router(shared: Arc<Shared>) -> Router {
    let mut r = Router::new()
        .route("/api/auth/anonymous-token", post(routes::anonymous_token))
        .route(
            "/api/tasks/me/with-session/nemo_agent",
            post(routes::create_session),
        )
        .route("/api/auth/claim-token", post(routes::claim_token))
        .route("/api/credits/balance/simple", get(routes::credits))
        .route("/api/state/nemo_agent/me/{sid}/latest", get(routes::state))
        .route(
            "/api/upload-video/nemo_agent/me/{sid}",
            post(routes::upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/run_sse", post(routes::run_sse))
        .route("/api/render/proxy/lambda", post(routes::render_submit))
        .route("/api/render/proxy/lambda/{id}", get(routes::render_status))
        .route(
            "/api/render/proxy/{id}/download",
            get(routes::render_download),
        )
        .route("/cdn/renders/{file}", get(routes::cdn))
        .route("/workspace/claim", get(routes::claim_page));
    if shared.cfg.faults {
        r = r
            .route(
                "/__control/faults",
                post(routes::add_fault).delete(routes::clear_faults),
            )
            .route("/__control/log", get(routes::get_log))
            .route(
                "/__control/script",
                post(routes::add_script).layer(DefaultBodyLimit::max(64 << 20)),
            )
            .route("/__control/account", post(routes::set_account))
            .route("/__control/world", get(routes::get_world))
            .route("/__control/log/clear", delete(clear_log));
    }
    r.layer(middleware::from_fn_with_state(shared.clone(), observe))
        .with_state(shared)
}

async fn clear_log(State(sh): State<Arc<Shared>>) -> Response {
    sh.world().log.clear();
    StatusCode::NO_CONTENT.into_response()
}

/// Log every request and apply injected faults before the handler runs.
async fn observe(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let uri = req.uri().to_string();
    let path = req.uri().path().to_string();
    // Another process sharing the data dir may have changed things; a
    // failed read keeps the cached world (a write will report trouble).
    let _ = sh.sync();
    if path.starts_with("/__control") {
        return next.run(req).await;
    }
    let (user, action) = {
        let mut w = sh.world();
        let user = routes::user_of(&w, req.headers());
        let mut action = None;
        if let Some(f) = w.faults.iter_mut().find(|f| f.matches(&method, &path)) {
            if f.skip > 0 {
                f.skip -= 1;
            } else {
                f.times = f.times.saturating_sub(1);
                action = Some(f.action.clone());
            }
        }
        w.faults.retain(|f| f.times > 0);
        (user, action)
    };
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            let v = if k == header::AUTHORIZATION {
                "(present)".to_string()
            } else {
                v.to_str().unwrap_or("").to_string()
            };
            (k.to_string(), v)
        })
        .collect();
    let resp = match action {
        None => next.run(req).await,
        Some(a) => apply_fault(&sh, a, user.as_deref(), req, next).await,
    };
    let status = resp.status().as_u16();
    if let Some(log) = &sh.cfg.log {
        let who = user
            .as_deref()
            .map(|u| format!(" (user {u})"))
            .unwrap_or_default();
        (log.0)(&format!("{method} {path} → {status}{who}"));
    }
    // Only a test server (`--faults`) shows its log; keep none otherwise.
    if sh.cfg.faults {
        push_bounded(
            &mut sh.world().log,
            LogEntry {
                method,
                uri,
                status,
                user,
                headers,
            },
            LOG_ENTRIES,
        );
    }
    as_envelope(&path, resp).await
}

/// Append to a log that keeps only its last `cap` entries.
fn push_bounded<T>(log: &mut std::collections::VecDeque<T>, entry: T, cap: usize) {
    while log.len() >= cap {
        log.pop_front();
    }
    log.push_back(entry);
}

/// A failure the framework answered in plain text (a malformed JSON body,
/// an unknown route, a body over its limit) in the protocol's envelope, as
/// every other failure is. Downloads and the web page keep their own.
async fn as_envelope(path: &str, resp: Response) -> Response {
    let api = path.starts_with("/api/") || path == "/run_sse";
    let plain = !resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json") || ct.contains("event-stream"));
    let status = resp.status();
    if !api || !plain || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let body = axum::body::to_bytes(resp.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let message = match text.trim() {
        "" => status.canonical_reason().unwrap_or("error").to_lowercase(),
        t => t.to_string(),
    };
    (
        status,
        axum::Json(json!({"code": status.as_u16(), "message": message, "data": null})),
    )
        .into_response()
}

async fn apply_fault(
    sh: &Arc<Shared>,
    action: FaultAction,
    user: Option<&str>,
    req: Request,
    next: Next,
) -> Response {
    // An injected answer comes after the request body was read, as a real
    // server reads an upload before refusing it; answering mid-upload
    // would make the client see a broken connection instead of the answer.
    let passes_through = matches!(
        action,
        FaultAction::Delay { .. }
            | FaultAction::ExpireToken
            | FaultAction::LoseSession
            | FaultAction::Truncate { .. }
    );
    let req = if passes_through {
        req
    } else {
        let (parts, body) = req.into_parts();
        let mut data = body.into_data_stream();
        while let Some(chunk) = futures_util::StreamExt::next(&mut data).await {
            if chunk.is_err() {
                break;
            }
        }
        Request::from_parts(parts, Body::empty())
    };
    let json_resp = |status: u16, body: serde_json::Value| {
        (
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            axum::Json(body),
        )
            .into_response()
    };
    match action {
        FaultAction::Code {
            code,
            status,
            message,
        } => json_resp(
            status.unwrap_or(200),
            json!({"code": code, "message": message.unwrap_or_else(|| format!("injected error {code}")), "data": null}),
        ),
        FaultAction::Status {
            status,
            body,
            content_type,
        } => Response::builder()
            .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .header(
                header::CONTENT_TYPE,
                content_type.unwrap_or_else(|| "text/html".into()),
            )
            .body(Body::from(body.unwrap_or_default()))
            .expect("valid response"),
        FaultAction::Respond { status, body } => json_resp(status.unwrap_or(200), body),
        FaultAction::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        FaultAction::Drop => {
            let chunks: Vec<std::io::Result<Bytes>> = vec![
                Ok(Bytes::from_static(b"{\"code\":0,\"da")),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "dropped",
                )),
            ];
            Response::builder()
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, "4096")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .expect("valid response")
        }
        FaultAction::Truncate { bytes } => {
            use futures_util::StreamExt;
            let (parts, body) = next.run(req).await.into_parts();
            let cut = futures_util::stream::unfold(
                (body.into_data_stream(), bytes, false),
                |(mut body, left, done)| async move {
                    if done {
                        return None;
                    }
                    if left == 0 {
                        // Let what was sent reach the client before the
                        // connection goes (hyper drops unflushed bytes).
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        let err = std::io::Error::new(
                            std::io::ErrorKind::ConnectionReset,
                            "truncated by fault injection",
                        );
                        return Some((Err(err), (body, 0, true)));
                    }
                    match body.next().await {
                        Some(Ok(mut chunk)) => {
                            if chunk.len() as u64 > left {
                                chunk.truncate(left as usize);
                            }
                            let left = left - chunk.len() as u64;
                            Some((Ok(chunk), (body, left, false)))
                        }
                        Some(Err(e)) => Some((Err(std::io::Error::other(e)), (body, 0, true))),
                        // The body was shorter than the cut: nothing to break.
                        None => None,
                    }
                },
            );
            Response::from_parts(parts, Body::from_stream(cut))
        }
        FaultAction::Garbage => Response::builder()
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                "<html><body>502 Bad Gateway</body></html>\u{0}\u{1}garbage",
            ))
            .expect("valid response"),
        FaultAction::Oversized { bytes } => {
            let pad = "x".repeat(bytes);
            Response::builder()
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!(
                    "{{\"code\":0,\"message\":\"ok\",\"data\":{{\"pad\":\"{pad}\"}}}}"
                )))
                .expect("valid response")
        }
        FaultAction::ExpireToken => {
            if let Some(u) = user {
                sh.world().tokens.retain(|_, v| v != u);
                let _ = sh.db.drop_tokens_of(u);
            }
            next.run(req).await
        }
        FaultAction::Panic => {
            let _world = sh.world();
            panic!("injected panic (fault injection)");
        }
        FaultAction::LoseSession => {
            if let Some(u) = user {
                sh.world
                    .lock()
                    .unwrap()
                    .sessions
                    .retain(|_, s| s.owner != u);
                let _ = sh.db.drop_sessions_of(u);
            }
            next.run(req).await
        }
    }
}

/// Serve on an already-bound listener until `shutdown` resolves.
///
/// Its own accept loop rather than `axum::serve`, which gives hyper no
/// timer: without one a client that sends half a request (or keeps a
/// connection open and says nothing) holds it forever. Here each
/// connection must send its headers within the header timeout, and an
/// idle kept-alive connection is closed after it. HTTP/1 only: the
/// protocol needs nothing more, and protocol detection would wait
/// without a timer too.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;
    let timeout = shared.cfg.header_timeout.unwrap_or(HEADER_TIMEOUT);
    let app = router(shared);
    let (closing, closed) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            _ = &mut shutdown => break,
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: let some close.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = hyper_util::service::TowerToHyperService::new(
            app.clone()
                .map_request(|req: axum::http::Request<hyper::body::Incoming>| req.map(Body::new)),
        );
        let mut closed = closed.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = closed.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    let _ = closing.send(true);
    Ok(())
}

/// A server running in this process; dropping it shuts it down.
pub struct Handle {
    pub url: String,
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Start a server on `127.0.0.1:0` in this runtime.
pub async fn spawn(cfg: ServerConfig) -> std::io::Result<Handle> {
    spawn_on("127.0.0.1:0", cfg).await
}

async fn spawn_on(addr: &str, cfg: ServerConfig) -> std::io::Result<Handle> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let shared = Shared::new(cfg)?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let s = shared.clone();
    tokio::spawn(async move {
        let _ = serve(listener, s, async {
            let _ = rx.await;
        })
        .await;
    });
    Ok(Handle {
        url: format!("http://{addr}"),
        addr,
        shared,
        stop: Some(tx),
    })
}

/// `--local`: an in-process server for this run, keeping its projects in
/// `data_dir` (shared with other `--local` runs), with unlimited credits.
pub async fn spawn_local(data_dir: PathBuf) -> std::io::Result<(String, Handle)> {
    let h = spawn(ServerConfig {
        max_p: max_p_from_env(),
        data_dir: Some(data_dir),
        unlimited_credits: true,
        wire: wire_from_env(),
        ..ServerConfig::default()
    })
    .await?;
    Ok((h.url.clone(), h))
}

/// `IMG2YT_SERVER_WIRE`: the dialect `--local`'s backend speaks (tests of
/// the client against each dialect); unknown names keep `doc`.
fn wire_from_env() -> dialect::Wire {
    use clap::ValueEnum;
    std::env::var("IMG2YT_SERVER_WIRE")
        .ok()
        .and_then(|s| dialect::Wire::from_str(s.trim(), true).ok())
        .unwrap_or_default()
}

fn max_p_from_env() -> Option<u32> {
    std::env::var("IMG2YT_SERVER_MAX_HEIGHT")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .filter(|p| (16..=4320).contains(p))
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("Cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("Cannot start the offline backend: {0}")]
    Start(std::io::Error),
}

/// A server bound to its address, its world open, ready to [`Bound::run`].
pub struct Bound {
    listener: TcpListener,
    shared: Arc<Shared>,
    pub addr: SocketAddr,
}

/// Bind `addr` and open the world `cfg` describes; the jobs a dead process
/// left are finished without waiting for a poll.
pub async fn bind(addr: &str, cfg: ServerConfig) -> std::result::Result<Bound, StartError> {
    let listen = |source| StartError::Listen {
        addr: addr.to_string(),
        source,
    };
    let listener = TcpListener::bind(addr).await.map_err(listen)?;
    let local = listener.local_addr().map_err(listen)?;
    let shared = Shared::new(cfg).map_err(StartError::Start)?;
    let _ = jobs::resume_stale(&shared, None);
    Ok(Bound {
        listener,
        shared,
        addr: local,
    })
}

impl Bound {
    /// Where projects are kept (`None`: a temporary folder).
    pub fn data_dir(&self) -> Option<&std::path::Path> {
        self.shared.cfg.data_dir.as_deref()
    }

    /// Serve until `shutdown` resolves.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        serve(self.listener, self.shared, shutdown).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_request_log_keeps_only_its_last_entries() {
        let mut log = std::collections::VecDeque::new();
        for i in 0..25 {
            super::push_bounded(&mut log, i, 10);
        }
        assert_eq!(log.len(), 10);
        assert_eq!(log.front(), Some(&15));
        assert_eq!(log.back(), Some(&24));
    }
}
