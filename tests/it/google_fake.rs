//! A Google-shaped fake on loopback, written from Google's documents (not
//! from img2yt's client): the OAuth endpoints for installed apps (auth with
//! PKCE S256 and `state`, token, revoke), the YouTube resumable upload
//! (`POST …?uploadType=resumable` → `Location`; `PUT` with `Content-Range`;
//! `308` + `Range`; `bytes */N` status queries) and `thumbnails.set`.
//!
//! It keeps what arrives as it arrives (as Google persists what it got), so
//! a connection dropped mid-chunk leaves a partial upload to resume. Faults
//! are queued per upload `PUT`. It runs its own accept loop so a fault can
//! drop the TCP connection mid-request, as a real network does.

#![allow(dead_code)]

use axum::body::Body;
use axum::extract::{Form, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

pub const CLIENT_ID: &str = "1234-fake.apps.googleusercontent.com";
pub const CLIENT_SECRET: &str = "GOCSPX-fake-client-secret";
pub const UNIT: usize = 256 * 1024;

/// What an upload `PUT` does instead of behaving.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Behave (to let earlier chunks through).
    Pass,
    /// Keep this many bytes of the chunk, then drop the connection.
    DropAfter(usize),
    /// Answer with this status (and Google's error body) without reading.
    Status(u16),
    /// Every access token given so far expires: this and later requests
    /// with them get 401.
    ExpireTokens,
    /// As `ExpireTokens`, and the next this many token refreshes get a 503.
    ExpireTokensThenOutage(usize),
    /// Keep this many bytes of the chunk, then hang (the test sends Ctrl-C).
    StallAfter(usize),
}

#[derive(Debug, Default)]
pub struct Upload {
    pub total: u64,
    pub bytes: Vec<u8>,
    pub metadata: Value,
    pub video_id: Option<String>,
}

#[derive(Default)]
pub struct World {
    pub base: String,
    codes: HashMap<String, (String, String)>,
    pub refresh_tokens: HashSet<String>,
    access_tokens: HashSet<String>,
    pub uploads: HashMap<String, Upload>,
    pub faults: VecDeque<Fault>,
    /// Refuse new upload sessions with this reason (quotaExceeded, …).
    pub refuse_with: Option<(u16, String)>,
    pub thumbnails_forbidden: bool,
    /// Keep every video private, as Google does for an unverified app.
    pub unverified_app: bool,
    pub thumbnails: Vec<(String, usize)>,
    /// Every request: "METHOD uri" (to check no token is in a URL).
    pub log: Vec<String>,
    /// Everything Google would reject: starts that are not where Google
    /// stands, chunks that are not multiples of 256 KiB, …
    pub violations: Vec<String>,
    pub stalled: bool,
    /// Answer this many token refreshes with a 503 (an outage at the token
    /// endpoint while an upload waits for a new access token).
    pub token_outages: usize,
    pub revoked: Vec<String>,
    counter: u64,
}

impl World {
    fn next(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}x{}", self.counter, uuid_like(self.counter))
    }
}

fn uuid_like(n: u64) -> String {
    format!("{:016x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

type Shared = Arc<Mutex<World>>;

/// The fake, running on its own runtime.
pub struct GoogleFake {
    pub url: String,
    pub world: Shared,
    pub rt: tokio::runtime::Runtime,
    stop: CancellationToken,
}

impl Drop for GoogleFake {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

#[derive(Clone)]
struct Kill(CancellationToken);

impl GoogleFake {
    pub fn start() -> GoogleFake {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let world: Shared = Arc::default();
        let stop = CancellationToken::new();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        world.lock().unwrap().base = url.clone();
        let app = Router::new()
            .route("/o/oauth2/v2/auth", get(auth))
            .route("/token", post(token))
            .route("/revoke", post(revoke))
            .route("/upload/youtube/v3/videos", post(start).put(put))
            .route("/upload/youtube/v3/thumbnails/set", post(thumbnail))
            .with_state(world.clone());
        let s = stop.clone();
        let w = world.clone();
        rt.spawn(async move {
            loop {
                let sock = tokio::select! {
                    a = listener.accept() => match a { Ok((s, _)) => s, Err(_) => continue },
                    _ = s.cancelled() => return,
                };
                let app = app.clone();
                let kill = CancellationToken::new();
                let w = w.clone();
                tokio::spawn(async move {
                    let k = kill.clone();
                    let svc = hyper::service::service_fn(
                        move |mut req: hyper::Request<hyper::body::Incoming>| {
                            req.extensions_mut().insert(Kill(k.clone()));
                            w.lock()
                                .unwrap()
                                .log
                                .push(format!("{} {}", req.method(), req.uri()));
                            app.clone().oneshot(req.map(Body::new))
                        },
                    );
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(sock), svc);
                    tokio::select! {
                        _ = conn => {}
                        _ = kill.cancelled() => {}
                    }
                });
            }
        });
        GoogleFake {
            url,
            world,
            rt,
            stop,
        }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        f(&mut self.world.lock().unwrap())
    }

    /// A refresh token the fake will honour, as if signed in before.
    pub fn grant_refresh_token(&self) -> String {
        self.with(|w| {
            let t = w.next("1//refresh-");
            w.refresh_tokens.insert(t.clone());
            t
        })
    }

    /// Forget every upload session (they expire after a week on Google).
    pub fn expire_sessions(&self) {
        self.with(|w| w.uploads.clear());
    }

    pub fn fault(&self, f: Fault) {
        self.with(|w| w.faults.push_back(f));
    }

    /// The one finished upload's bytes and metadata.
    pub fn finished(&self) -> Vec<(String, Vec<u8>, Value)> {
        self.with(|w| {
            w.uploads
                .values()
                .filter_map(|u| {
                    u.video_id
                        .clone()
                        .map(|id| (id, u.bytes.clone(), u.metadata.clone()))
                })
                .collect()
        })
    }

    pub fn count(&self, prefix: &str) -> usize {
        self.with(|w| w.log.iter().filter(|l| l.starts_with(prefix)).count())
    }

    /// Follow the sign-in URL as a browser would: the fake's consent page
    /// redirects to img2yt's loopback port. Returns the final status.
    pub fn click(&self, url: &str) -> u16 {
        self.rt.block_on(async {
            reqwest::get(url)
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        })
    }

    /// The env vars that point img2yt at this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "IMG2YT_OAUTH_AUTH_URL",
                format!("{}/o/oauth2/v2/auth", self.url),
            ),
            ("IMG2YT_OAUTH_TOKEN_URL", format!("{}/token", self.url)),
            ("IMG2YT_OAUTH_REVOKE_URL", format!("{}/revoke", self.url)),
            ("IMG2YT_YOUTUBE_API_BASE", self.url.clone()),
        ]
    }
}

fn google_error(status: u16, reason: &str, message: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        axum::Json(json!({"error": {
            "code": status, "message": message,
            "errors": [{"message": message, "domain": "youtube.video", "reason": reason}],
        }})),
    )
        .into_response()
}

fn oauth_error(error: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": error, "error_description": error})),
    )
        .into_response()
}

fn bearer_ok(w: &World, headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| w.access_tokens.contains(t))
}

fn unauthorized() -> Response {
    google_error(401, "authError", "Invalid Credentials")
}

async fn auth(
    State(world): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let mut w = world.lock().unwrap();
    let p = |k: &str| q.get(k).cloned().unwrap_or_default();
    let redirect = p("redirect_uri");
    let problems = [
        (p("client_id") != CLIENT_ID, "client_id"),
        (p("response_type") != "code", "response_type"),
        (!redirect.starts_with("http://127.0.0.1:"), "redirect_uri"),
        (
            !p("scope")
                .split(' ')
                .any(|s| s == "https://www.googleapis.com/auth/youtube.upload"),
            "scope",
        ),
        (
            p("code_challenge_method") != "S256",
            "code_challenge_method",
        ),
        (p("code_challenge").len() != 43, "code_challenge"),
        (p("state").is_empty(), "state"),
    ];
    if let Some((_, what)) = problems.iter().find(|(bad, _)| *bad) {
        w.violations.push(format!("auth: bad {what}"));
        return (StatusCode::BAD_REQUEST, format!("bad {what}")).into_response();
    }
    let code = w.next("4/code-");
    w.codes
        .insert(code.clone(), (p("code_challenge"), redirect.clone()));
    let mut to = reqwest::Url::parse(&redirect).unwrap();
    to.query_pairs_mut()
        .append_pair("state", &p("state"))
        .append_pair("code", &code)
        .append_pair("scope", "https://www.googleapis.com/auth/youtube.upload");
    (StatusCode::FOUND, [("location", to.to_string())]).into_response()
}

async fn token(State(world): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Response {
    let f = |k: &str| form.get(k).cloned().unwrap_or_default();
    let mut w = world.lock().unwrap();
    if f("client_id") != CLIENT_ID || f("client_secret") != CLIENT_SECRET {
        return oauth_error("invalid_client");
    }
    match f("grant_type").as_str() {
        "authorization_code" => {
            let Some((challenge, redirect)) = w.codes.remove(&f("code")) else {
                return oauth_error("invalid_grant");
            };
            let verifier = f("code_verifier");
            let computed = URL_SAFE_NO_PAD.encode(ring::digest::digest(
                &ring::digest::SHA256,
                verifier.as_bytes(),
            ));
            if computed != challenge || redirect != f("redirect_uri") {
                w.violations
                    .push("token: PKCE verifier or redirect_uri mismatch".into());
                return oauth_error("invalid_grant");
            }
            let access = w.next("ya29.access-");
            let refresh = w.next("1//refresh-");
            w.access_tokens.insert(access.clone());
            w.refresh_tokens.insert(refresh.clone());
            axum::Json(
                json!({"access_token": access, "expires_in": 3599, "refresh_token": refresh,
                "scope": "https://www.googleapis.com/auth/youtube.upload", "token_type": "Bearer"}),
            )
            .into_response()
        }
        "refresh_token" => {
            if w.token_outages > 0 {
                w.token_outages -= 1;
                return (StatusCode::SERVICE_UNAVAILABLE, "outage").into_response();
            }
            if !w.refresh_tokens.contains(&f("refresh_token")) {
                return oauth_error("invalid_grant");
            }
            let access = w.next("ya29.access-");
            w.access_tokens.insert(access.clone());
            axum::Json(json!({"access_token": access, "expires_in": 3599,
                "scope": "https://www.googleapis.com/auth/youtube.upload", "token_type": "Bearer"}))
            .into_response()
        }
        _ => oauth_error("unsupported_grant_type"),
    }
}

async fn revoke(
    State(world): State<Shared>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut w = world.lock().unwrap();
    let t = form.get("token").cloned().unwrap_or_default();
    if w.refresh_tokens.remove(&t) || w.access_tokens.remove(&t) {
        w.revoked.push(t);
        StatusCode::OK.into_response()
    } else {
        oauth_error("invalid_token")
    }
}

async fn start(
    State(world): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let mut w = world.lock().unwrap();
    if !bearer_ok(&w, &headers) {
        return unauthorized();
    }
    if q.get("uploadType").map(String::as_str) != Some("resumable") {
        w.violations
            .push("start: uploadType is not resumable".into());
        return google_error(400, "badRequest", "uploadType");
    }
    let parts: HashSet<&str> = q
        .get("part")
        .map(|p| p.split(',').collect())
        .unwrap_or_default();
    if !parts.contains("snippet") || !parts.contains("status") {
        w.violations.push("start: part lacks snippet,status".into());
    }
    if let Some((status, reason)) = w.refuse_with.clone() {
        return google_error(status, &reason, "refused by the fake");
    }
    let Ok(metadata) = serde_json::from_str::<Value>(&body) else {
        return google_error(400, "parseError", "body is not JSON");
    };
    let title = metadata["snippet"]["title"].as_str().unwrap_or_default();
    if title.is_empty() || title.chars().count() > 100 || title.contains(['<', '>']) {
        return google_error(
            400,
            "invalidTitle",
            "The request metadata specifies an invalid video title.",
        );
    }
    let Some(total) = headers
        .get("x-upload-content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    else {
        w.violations
            .push("start: no X-Upload-Content-Length".into());
        return google_error(400, "badRequest", "length");
    };
    let id = w.next("upload-");
    w.uploads.insert(
        id.clone(),
        Upload {
            total,
            metadata,
            ..Default::default()
        },
    );
    let location = format!(
        "{}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status&upload_id={id}",
        w.base
    );
    (StatusCode::OK, [("location", location)]).into_response()
}

fn incomplete(len: usize) -> Response {
    let mut r = Response::builder().status(308);
    if len > 0 {
        r = r.header("range", format!("bytes=0-{}", len - 1));
    }
    r.body(Body::empty()).unwrap()
}

fn finish(w: &mut World, id: &str) -> Response {
    let vid = w.next("vid");
    let unverified = w.unverified_app;
    let u = w.uploads.get_mut(id).unwrap();
    let vid = u.video_id.get_or_insert(vid).clone();
    let asked = u.metadata["status"]["privacyStatus"]
        .as_str()
        .unwrap_or("public");
    let privacy = if unverified { "private" } else { asked }.to_string();
    (
        StatusCode::OK,
        axum::Json(
            json!({"kind": "youtube#video", "id": vid, "snippet": u.metadata["snippet"],
            "status": {"uploadStatus": "uploaded", "privacyStatus": privacy}}),
        ),
    )
        .into_response()
}

async fn put(
    State(world): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let kill = req.extensions().get::<Kill>().cloned().unwrap();
    let headers = req.headers().clone();
    let id = q.get("upload_id").cloned().unwrap_or_default();
    let fault = {
        let mut w = world.lock().unwrap();
        if !w.uploads.contains_key(&id) {
            return google_error(404, "notFound", "upload session not found");
        }
        let is_query = headers
            .get("content-range")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|r| r.starts_with("bytes */"));
        let fault = if is_query { None } else { w.faults.pop_front() };
        if let Some(Fault::ExpireTokens | Fault::ExpireTokensThenOutage(_)) = fault {
            w.access_tokens.clear();
        }
        if let Some(Fault::ExpireTokensThenOutage(n)) = fault {
            w.token_outages = n;
        }
        if !bearer_ok(&w, &headers) {
            return unauthorized();
        }
        if let Some(Fault::Status(s)) = fault {
            return google_error(s, "backendError", "fake outage");
        }
        fault
    };
    let range = headers
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let Some(spec) = range.strip_prefix("bytes ") else {
        world
            .lock()
            .unwrap()
            .violations
            .push(format!("put: Content-Range {range:?}"));
        return google_error(400, "badRequest", "Content-Range");
    };
    let (span, total) = spec.split_once('/').unwrap_or(("", ""));
    let total: u64 = total.parse().unwrap_or(0);
    {
        let mut w = world.lock().unwrap();
        let u = w.uploads.get_mut(&id).unwrap();
        if total != u.total {
            let v = format!("put: total {total} != {}", u.total);
            w.violations.push(v);
            return google_error(400, "badRequest", "total");
        }
        if span == "*" {
            return if u.video_id.is_some() {
                finish(&mut w, &id)
            } else {
                incomplete(u.bytes.len())
            };
        }
    }
    let (a, b) = span.split_once('-').unwrap_or(("", ""));
    let (a, b): (u64, u64) = (a.parse().unwrap_or(u64::MAX), b.parse().unwrap_or(0));
    {
        let mut w = world.lock().unwrap();
        let held = w.uploads[&id].bytes.len() as u64;
        let len = b + 1 - a.min(b + 1);
        if a != held {
            w.violations.push(format!(
                "put: chunk starts at {a} but {held} bytes are held"
            ));
            return incomplete(held as usize);
        }
        if b + 1 != total && len % UNIT as u64 != 0 {
            w.violations.push(format!(
                "put: chunk of {len} bytes is not a multiple of 256 KiB"
            ));
        }
    }
    let mut body = req.into_body().into_data_stream();
    let mut got_here = 0usize;
    while let Some(piece) = body.next().await {
        let Ok(piece) = piece else { break };
        let mut piece = &piece[..];
        let limit = match &fault {
            Some(Fault::DropAfter(n)) | Some(Fault::StallAfter(n)) => Some(*n),
            _ => None,
        };
        if let Some(n) = limit {
            piece = &piece[..piece.len().min(n - got_here)];
        }
        got_here += piece.len();
        world
            .lock()
            .unwrap()
            .uploads
            .get_mut(&id)
            .unwrap()
            .bytes
            .extend_from_slice(piece);
        if limit == Some(got_here) {
            match fault {
                Some(Fault::DropAfter(_)) => {
                    kill.0.cancel();
                    std::future::pending::<()>().await;
                }
                _ => {
                    world.lock().unwrap().stalled = true;
                    std::future::pending::<()>().await;
                }
            }
        }
    }
    let mut w = world.lock().unwrap();
    let (held, total) = (w.uploads[&id].bytes.len(), w.uploads[&id].total);
    if held as u64 == total {
        finish(&mut w, &id)
    } else {
        incomplete(held)
    }
}

async fn thumbnail(
    State(world): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let mut w = world.lock().unwrap();
    if !bearer_ok(&w, &headers) {
        return unauthorized();
    }
    if w.thumbnails_forbidden {
        return google_error(403, "forbidden", "The authenticated user doesnt have permissions to upload and set custom video thumbnails.");
    }
    let id = q.get("videoId").cloned().unwrap_or_default();
    w.thumbnails.push((id, body.len()));
    axum::Json(json!({"kind": "youtube#thumbnailSetResponse", "items": [{"default": {"url": "https://i.ytimg.com/x.jpg"}}]}))
        .into_response()
}
