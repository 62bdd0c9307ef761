//! The protocol's endpoints, as the embedded server answers them.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use futures_util::stream;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;

use super::agent;
use super::error::{Reply, ServerError};
use super::jobs;
use super::media;
use super::turn::{Frame, Script};
use super::world::{Media, Phase, RenderJob, Session, UserId, World};
use super::Shared;
use crate::wire::{
    codes, lenient, media_kind_of, RunSseRequest, MAX_MESSAGE_CHARS, MAX_UPLOAD_BYTES,
};

/// The caller's user, from the bearer token.
pub fn user_of(world: &World, headers: &HeaderMap) -> Option<UserId> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = auth.strip_prefix("Bearer ")?.trim();
    world.tokens.get(token).cloned()
}

fn auth(world: &World, headers: &HeaderMap) -> Result<UserId, ServerError> {
    user_of(world, headers).ok_or_else(ServerError::token)
}

/// Where a user's render `id` is kept. Render ids are the client's
/// (`render_<unix ms>`), so two accounts may well pick the same one: each
/// account has its own.
fn render_key(user: &str, id: &str) -> String {
    format!("{user}:{id}")
}

/// The user's render `id` when it belongs to them (through its session);
/// another account's render is "not found", exactly like a missing one.
fn render_of<'a>(world: &'a World, user: &str, id: &str) -> Result<&'a RenderJob, ServerError> {
    world
        .renders
        .get(&render_key(user, id))
        .filter(|j| {
            world
                .sessions
                .get(&j.session)
                .is_some_and(|s| s.owner == user)
        })
        .ok_or_else(|| ServerError::Status(StatusCode::NOT_FOUND, "no such render".into()))
}

fn session_of<'a>(
    world: &'a mut World,
    user: &str,
    sid: &str,
) -> Result<&'a mut Session, ServerError> {
    world
        .sessions
        .get_mut(sid)
        .filter(|s| s.owner == user)
        .ok_or_else(ServerError::session)
}

pub async fn anonymous_token(State(sh): State<Arc<Shared>>, headers: HeaderMap) -> Reply {
    let client_id = headers
        .get("x-client-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ServerError::bad("missing X-Client-Id"))?
        .to_string();
    let _tx = sh.write_tx()?;
    let mut w = sh.world();
    // One starter token per client id while it is valid.
    if let Some(t) = w.client_tokens.get(&client_id).cloned() {
        if w.tokens.contains_key(&t) {
            let user = w.tokens[&t].clone();
            let credits = w.credits(&user)["available"].clone();
            return sh.ok(json!({"token": t, "credits": credits, "expires_in": 604800}));
        }
    }
    let user = format!("u{}", sh.db.next_number("users")?);
    let (user, token) = w.new_user(user, true);
    sh.db
        .put_user(&user, &w.accounts[&user], &token, Some(&client_id))?;
    w.client_tokens.insert(client_id, token.clone());
    let credits = w.credits(&user)["available"].clone();
    sh.ok(json!({"token": token, "credits": credits, "expires_in": 604800}))
}

pub async fn create_session(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Option<Json<Value>>,
) -> Reply {
    let _tx = sh.write_tx()?;
    let mut w = sh.world();
    let user = auth(&w, &headers)?;
    let language = body
        .as_ref()
        .and_then(|b| lenient::first_string(b, &["language"]))
        .unwrap_or_else(|| "en".into());
    let id = format!("sess_{}", uuid::Uuid::new_v4().simple());
    let task_id = format!("task_{}", sh.db.next_number("tasks")?);
    let bind_id = format!("bind_{}", &id[5..13]);
    let session = Session {
        id: id.clone(),
        task_id: task_id.clone(),
        bind_id: bind_id.clone(),
        owner: user,
        language,
        draft: json!({"t": [], "d": 0}),
        media: Vec::new(),
        generated: Vec::new(),
        history: Vec::new(),
    };
    sh.db.put_session(&session)?;
    w.sessions.insert(id.clone(), session);
    sh.ok(json!({"task_id": task_id, "session_id": id, "bind_id": bind_id}))
}

pub async fn claim_token(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Reply {
    let mut w = sh.world();
    let user = auth(&w, &headers)?;
    let sid = lenient::first_string(&body, &["session_id"]).unwrap_or_default();
    session_of(&mut w, &user, &sid)?;
    sh.ok(
        json!({"claim_token": format!("clm_{}", uuid::Uuid::new_v4().simple()), "expires_in": 604800}),
    )
}

pub async fn credits(State(sh): State<Arc<Shared>>, headers: HeaderMap) -> Reply {
    let w = sh.world();
    let user = auth(&w, &headers)?;
    sh.ok(w.credits(&user))
}

pub async fn state(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(sid): Path<String>,
) -> Reply {
    let mut w = sh.world();
    let user = auth(&w, &headers)?;
    sh.ok(session_of(&mut w, &user, &sid)?.state())
}

fn unsupported(name: &str) -> ServerError {
    ServerError::Code(
        codes::UNSUPPORTED_TYPE,
        StatusCode::OK,
        format!("unsupported file type: {name}"),
    )
}

/// A file whose name and header are right but whose picture or sound
/// cannot be decoded: refused as a file the service cannot take (§5's
/// 4001), with the file's name and why.
fn undecodable(name: &str, why: &media::Undecodable) -> ServerError {
    ServerError::Code(
        codes::UNSUPPORTED_TYPE,
        StatusCode::OK,
        format!("{name}: {why}"),
    )
}

fn too_large() -> ServerError {
    ServerError::Code(
        codes::FILE_TOO_LARGE,
        StatusCode::OK,
        "file too large (max 200MB)".into(),
    )
}

/// Multipart `files` parts streamed to disk, or `{"urls": […]}`.
pub async fn upload(State(sh): State<Arc<Shared>>, Path(sid): Path<String>, req: Request) -> Reply {
    let headers = req.headers().clone();
    {
        let mut w = sh.world();
        let user = auth(&w, &headers)?;
        session_of(&mut w, &user, &sid)?;
    }
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/"));
    let mut added = Vec::new();
    // Everything written for this request goes again unless it is kept:
    // a refused file, a broken connection or a later refusal in the batch
    // leaves nothing behind.
    let mut written = Written::default();
    if is_multipart {
        if headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            .is_some_and(|n| n > MAX_UPLOAD_REQUEST_BYTES)
        {
            return Err(too_large());
        }
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| ServerError::bad(e.body_text()))?;
        let (mut parts, mut total) = (0usize, 0u64);
        while let Some(mut field) = mp
            .next_field()
            .await
            .map_err(|e| ServerError::bad(e.body_text()))?
        {
            parts += 1;
            if parts > MAX_UPLOAD_PARTS {
                return Err(ServerError::bad(format!(
                    "too many parts (at most {MAX_UPLOAD_PARTS} files per request)"
                )));
            }
            if field.name() != Some("files") {
                continue;
            }
            let name = field
                .file_name()
                .unwrap_or("upload")
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("upload")
                .to_string();
            let kind = media_kind_of(&name).ok_or_else(|| unsupported(&name))?;
            let file_id = format!("file_{}", uuid::Uuid::new_v4().simple());
            let path = sh
                .data_dir
                .join("uploads")
                .join(format!("{file_id}-{}", media::safe_name(&name)));
            let mut f = private_file(&path).await?;
            written.0.push(path.clone());
            let mut size = 0u64;
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| ServerError::bad(e.body_text()))?
            {
                size += chunk.len() as u64;
                total += chunk.len() as u64;
                if size > MAX_UPLOAD_BYTES || total > MAX_UPLOAD_REQUEST_BYTES {
                    return Err(too_large());
                }
                f.write_all(&chunk).await.map_err(|e| {
                    ServerError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
                })?;
            }
            f.flush().await.ok();
            drop(f);
            // Decoded for real now, so a file that cannot be shown is
            // refused here, not at export; what the renderer needs made of
            // it (a HEIC's JPEG, a GIF's clip) is made once, beside it.
            written.0.extend(media::derivatives(&path));
            let prepared = media::prepare(&path, kind)
                .await
                .map_err(|why| undecodable(&name, &why))?;
            added.push(Media {
                name,
                kind: prepared.shown.kind().into(),
                size,
                path: Some(path),
                url: None,
                file_id,
                exposure: prepared.exposure,
            });
        }
    } else {
        let body = axum::body::to_bytes(req.into_body(), 1 << 20)
            .await
            .map_err(|_| ServerError::bad("body too large"))?;
        let v: Value = serde_json::from_slice(&body)
            .map_err(|_| ServerError::bad("expected JSON or multipart"))?;
        for url in v["urls"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u.as_str())
        {
            let name = url
                .split(['?', '#'])
                .next()
                .unwrap_or(url)
                .rsplit('/')
                .next()
                .unwrap_or(url)
                .to_string();
            let kind = media_kind_of(&name).unwrap_or("image");
            added.push(Media {
                name,
                kind: kind.into(),
                size: 0,
                path: None,
                url: Some(url.to_string()),
                file_id: format!("file_{}", uuid::Uuid::new_v4().simple()),
                exposure: None,
            });
        }
    }
    if added.is_empty() {
        return Err(ServerError::bad("no files or urls in the request"));
    }
    let _tx = sh.write_tx()?;
    let mut w = sh.world();
    let user = auth(&w, &headers)?;
    let s = session_of(&mut w, &user, &sid)?;
    let out: Vec<Value> = added
        .iter()
        .map(|m| json!({"file_id": m.file_id, "filename": m.name, "size": m.size, "url": m.url.clone().unwrap_or_else(|| format!("/media/{}", m.file_id))}))
        .collect();
    s.media.extend(added);
    sh.db.put_session(s)?;
    written.keep();
    sh.ok(sh.cfg.wire.upload_answer(out))
}

/// Most segments a draft sent to render may have, all tracks together
/// (one ffmpeg graph holds them all).
const MAX_DRAFT_SEGMENTS: usize = 500;

/// Most parts one upload request may carry.
const MAX_UPLOAD_PARTS: usize = 20;
/// Most bytes one upload request may carry, all files together.
const MAX_UPLOAD_REQUEST_BYTES: u64 = 1024 * 1024 * 1024;

/// Files an upload wrote, removed on drop unless kept.
#[derive(Default)]
struct Written(Vec<std::path::PathBuf>);

impl Written {
    fn keep(&mut self) {
        self.0.clear();
    }
}

impl Drop for Written {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// A new file only this user can read.
async fn private_file(path: &std::path::Path) -> Result<tokio::fs::File, ServerError> {
    let mut o = tokio::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    o.mode(0o600);
    o.open(path)
        .await
        .map_err(|e| ServerError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// The largest `/run_sse` body read (the message and its JSON framing).
const MAX_RUN_SSE_BODY: usize = 256 * 1024;
/// How often a turn is planned again when another request changed the
/// session while it was being planned.
const PLAN_ATTEMPTS: usize = 3;

fn too_long(what: String) -> ServerError {
    ServerError::Status(StatusCode::PAYLOAD_TOO_LARGE, what)
}

/// `POST /run_sse`: a scripted or planned turn written frame by frame.
///
/// No lock is held while the turn is planned: the session is copied,
/// planned on a blocking thread, and written back only if nobody changed
/// it meanwhile (else planned again), so one long message never makes
/// another user's request wait.
pub async fn run_sse(State(sh): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Reply {
    let body = axum::body::to_bytes(body, MAX_RUN_SSE_BODY)
        .await
        .map_err(|_| {
            too_long(format!(
                "message too long (the limit is {MAX_RUN_SSE_BODY} bytes)"
            ))
        })?;
    let req: RunSseRequest = serde_json::from_slice(&body)
        .map_err(|e| ServerError::bad(format!("expected a run_sse request: {e}")))?;
    let text: String = req
        .new_message
        .parts
        .iter()
        .filter_map(|p| p.text.as_deref())
        .collect();
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(too_long(format!(
            "message too long ({chars} characters; the limit is {MAX_MESSAGE_CHARS})"
        )));
    }
    let (user, scripted, invocation) = {
        let mut w = sh.world();
        let user = auth(&w, &headers)?;
        session_of(&mut w, &user, &req.session_id)?;
        let scripted = w.scripts.pop_front();
        (user, scripted, w.next("e-"))
    };
    let frames = match scripted {
        Some(s) => s.frames,
        None => plan_and_commit(&sh, &user, &req.session_id, text, invocation).await?,
    };
    let wire = sh.cfg.wire;
    let nl = wire.line_end();
    let ops: VecDeque<Op> = frames
        .into_iter()
        .map(|f| match f {
            Frame::Event { event } if wire.splits_events() => {
                let at = split_point(&event.to_string());
                Op::Frame(Frame::Split { event, at })
            }
            f => Op::Frame(f),
        })
        .collect();
    let body = stream::unfold(
        (sh.clone(), req.session_id.clone(), ops),
        move |(sh, sid, mut q)| async move {
            loop {
                let bytes = match q.pop_front()? {
                    Op::Write(b) => b,
                    Op::Frame(frame) => match frame {
                        Frame::Event { event } => Bytes::from(format!("data: {event}{nl}{nl}")),
                        Frame::Raw { text } => Bytes::from(text),
                        Frame::Bytes { bytes } => Bytes::from(bytes),
                        Frame::Comment { text } => Bytes::from(format!(": {text}{nl}{nl}")),
                        Frame::Heartbeat => {
                            Bytes::from(format!("event: heartbeat{nl}data:{nl}{nl}"))
                        }
                        Frame::Empty => Bytes::from(format!("data:{nl}{nl}")),
                        Frame::Sleep { ms } => {
                            tokio::time::sleep(Duration::from_millis(ms)).await;
                            continue;
                        }
                        Frame::Drop => {
                            // Let what was written so far reach the client
                            // before the connection is cut.
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            let err = std::io::Error::new(
                                std::io::ErrorKind::ConnectionReset,
                                "dropped by fault injection",
                            );
                            return Some((Err(err), (sh, sid, VecDeque::new())));
                        }
                        Frame::SetDraft { draft } => {
                            let _tx = sh.write_tx();
                            if let Some(s) = sh.world().sessions.get_mut(&sid) {
                                s.draft = draft;
                                // A failed write keeps the draft in memory.
                                let _ = sh.db.put_session(s);
                            }
                            continue;
                        }
                        Frame::Split { event, at } => {
                            // Two separate writes with a pause between them; the
                            // cut may fall inside a multi-byte character.
                            let full = Bytes::from(format!("data: {event}{nl}{nl}"));
                            let at = at.min(full.len());
                            q.push_front(Op::Write(full.slice(at..)));
                            q.push_front(Op::Frame(Frame::Sleep { ms: 30 }));
                            full.slice(..at)
                        }
                        Frame::Repeat { times, frame } => {
                            if times > 0 {
                                q.push_front(Op::Frame(Frame::Repeat {
                                    times: times - 1,
                                    frame: frame.clone(),
                                }));
                                q.push_front(Op::Frame(*frame));
                            }
                            continue;
                        }
                    },
                };
                if bytes.is_empty() {
                    continue;
                }
                return Some((Ok::<Bytes, std::io::Error>(bytes), (sh, sid, q)));
            }
        },
    );
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(body))
        .expect("valid response"))
}

/// Plan a turn on a copy of the session, then charge and store it.
async fn plan_and_commit(
    sh: &Arc<Shared>,
    user: &str,
    sid: &str,
    text: String,
    invocation: String,
) -> Result<Vec<Frame>, ServerError> {
    let text = Arc::new(text);
    for _ in 0..PLAN_ATTEMPTS {
        let before = session_of(&mut sh.world(), user, sid)?.clone();
        let (probe, turn) = {
            let (mut probe, text, inv) = (before.clone(), text.clone(), invocation.clone());
            tokio::task::spawn_blocking(move || {
                let turn = agent::plan_turn(&mut probe, &text, &inv);
                (probe, turn)
            })
            .await
            .map_err(|e| ServerError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        };
        let _tx = sh.write_tx()?;
        let mut w = sh.world();
        let now = session_of(&mut w, user, sid)?;
        if now.draft != before.draft || now.media.len() != before.media.len() {
            continue; // changed while planning: plan on what it is now
        }
        if turn.cost > 0.0 && !w.charge(user, turn.cost) {
            return Err(ServerError::Code(
                codes::OUT_OF_CREDITS,
                StatusCode::OK,
                "insufficient credits".into(),
            ));
        }
        sh.db.put_session(&probe)?;
        if turn.cost > 0.0 {
            sh.db.put_account(user, &w.accounts[user])?;
        }
        w.sessions.insert(sid.to_string(), probe);
        return Ok(turn.frames(sh.cfg.wire));
    }
    Err(ServerError::Status(
        StatusCode::CONFLICT,
        "the project kept changing; send the message again".into(),
    ))
}

/// Where to cut an event written in two writes (`--wire split`): inside
/// its first multi-byte character when it has one, else in the middle.
/// The offset counts from the start of the `data: ` line.
fn split_point(event: &str) -> usize {
    let prefix = "data: ".len();
    event
        .char_indices()
        .find(|(_, c)| c.len_utf8() > 1)
        .map(|(i, _)| prefix + i + 1)
        .unwrap_or(prefix + event.len() / 2)
}

/// What the SSE writer does next: a frame still to expand, or raw bytes.
enum Op {
    Frame(Frame),
    Write(Bytes),
}

/// `POST /api/render/proxy/lambda`: queue a job and render it in the
/// background.
pub async fn render_submit(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Reply {
    let id = lenient::first_string(&body, &["id"]).ok_or_else(|| ServerError::bad("missing id"))?;
    let sid = lenient::first_string(&body, &["sessionId"])
        .ok_or_else(|| ServerError::bad("missing sessionId"))?;
    let draft = body.get("draft").cloned().unwrap_or(Value::Null);
    let pieces: usize = draft["t"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t["sg"].as_array().map_or(0, Vec::len))
        .sum();
    if pieces > MAX_DRAFT_SEGMENTS {
        return Err(ServerError::bad(format!(
            "the timeline has {pieces} pieces; the offline renderer takes at most {MAX_DRAFT_SEGMENTS}"
        )));
    }
    let (key, media) = {
        let _tx = sh.write_tx()?;
        let mut w = sh.world();
        let user = auth(&w, &headers)?;
        if w.export_blocked {
            return Err(ServerError::Status(
                StatusCode::PAYMENT_REQUIRED,
                "free plan cannot export".into(),
            ));
        }
        let media = session_of(&mut w, &user, &sid)?.media.clone();
        let key = render_key(&user, &id);
        if w.renders.contains_key(&key) {
            return Err(ServerError::bad("you already have a render with this id"));
        }
        let job = RenderJob {
            id: key.clone(),
            session: sid.clone(),
            phase: Phase::Pending,
            progress: 0.0,
            output: None,
            size: None,
            duration_s: None,
            width: 0,
            height: 0,
            thumbnail: None,
            warnings: Vec::new(),
            error: None,
        };
        // Stored with what it renders, so another process can finish it.
        sh.db
            .insert_render(&job, &draft, &media, sh.instance.id())?;
        w.renders.insert(key.clone(), job);
        (key, media)
    };
    jobs::start(sh.clone(), key, draft, media);
    sh.ok(json!({"id": id, "status": "pending"}))
}

/// `GET /api/render/proxy/lambda/<id>`: `status` top-level, as §8 says.
pub async fn render_status(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    let unfinished = {
        let w = sh.world();
        let user = auth(&w, &headers)?;
        let job = render_of(&w, &user, &id)?;
        matches!(job.phase, Phase::Pending | Phase::Processing).then(|| job.id.clone())
    };
    if let Some(key) = unfinished {
        // Its process may have died mid-render: finish it here.
        jobs::resume_stale(&sh, Some(&key))?;
    }
    let w = sh.world();
    let user = auth(&w, &headers)?;
    let job = render_of(&w, &user, &id)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    // The file is served as if from a CDN: another origin than the API
    // (localhost ↔ 127.0.0.1), so a client must not send its token there.
    let host = match host.split_once(':') {
        Some(("127.0.0.1", port)) => format!("localhost:{port}"),
        Some(("localhost", port)) => format!("127.0.0.1:{port}"),
        _ => host.to_string(),
    };
    // §8 as shown: `status` at the top, no envelope. Progress as a
    // fraction (0-1): unambiguous with the client's reading of "≤ 1 is a
    // fraction", which an early 0.3 % would not be.
    let mut v = json!({"id": id, "status": job.phase.as_str(), "progress": (job.progress * 10.0).round() / 1000.0});
    if job.phase == Phase::Completed {
        v["output"] = json!({
            "url": format!("http://{host}/cdn/renders/{}", output_file(job)),
            "size": job.size, "duration": job.duration_s, "width": job.width, "height": job.height, "format": "mp4",
        });
        if let Some(thumb) = job.thumbnail.as_ref().and_then(|p| p.file_name()) {
            v["output"]["thumbnail_url"] = json!(format!(
                "http://{host}/cdn/renders/{}",
                thumb.to_string_lossy()
            ));
        }
        if !job.warnings.is_empty() {
            v["warnings"] = json!(job.warnings);
        }
    }
    if let Some(e) = &job.error {
        v["error"] = json!(e.lines().next().unwrap_or("render failed"));
    }
    Ok(Json(sh.cfg.wire.render_poll(v)).into_response())
}

/// The video's file name in the renders folder (a job run again after a
/// crash writes a file of another name).
fn output_file(job: &RenderJob) -> String {
    job.output
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.mp4", media::safe_name(&job.id)))
}

/// `GET /api/render/proxy/<id>/download` (auth; Range supported).
pub async fn render_download(
    State(sh): State<Arc<Shared>>,
    Path(id): Path<String>,
    req: Request,
) -> Reply {
    let path = {
        let w = sh.world();
        let user = auth(&w, req.headers())?;
        render_of(&w, &user, &id)?
            .output
            .clone()
            .ok_or_else(|| ServerError::Status(StatusCode::NOT_FOUND, "render not ready".into()))?
    };
    serve_file(path, req).await
}

/// `GET /cdn/renders/<file>`: the "foreign" host of `output.url` (no auth).
///
/// Like a CDN's, its links need no token: what guards a video is its name,
/// which carries 128 random bits ([`jobs::start`]), and only a finished
/// render's video and thumbnail are served, never a file being written.
pub async fn cdn(State(sh): State<Arc<Shared>>, Path(file): Path<String>, req: Request) -> Reply {
    let found = {
        let w = sh.world();
        w.renders
            .values()
            .filter(|j| j.phase == Phase::Completed)
            .flat_map(|j| [j.output.clone(), j.thumbnail.clone()])
            .flatten()
            .find(|p| p.file_name().is_some_and(|f| f.to_string_lossy() == file))
    };
    let path =
        found.ok_or_else(|| ServerError::Status(StatusCode::NOT_FOUND, "not found".into()))?;
    serve_file(path, req).await
}

async fn serve_file(path: std::path::PathBuf, req: Request) -> Reply {
    let mime = if path.extension().is_some_and(|e| e == "jpg") {
        "image/jpeg"
    } else {
        "video/mp4"
    };
    let resp =
        tower_http::services::ServeFile::new_with_mime(path, &mime.parse().expect("static mime"))
            .oneshot(req)
            .await
            .map_err(|e| ServerError::Status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(resp.map(Body::new))
}

/// The web app's claim page, so `open` links lead somewhere offline too.
pub async fn claim_page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><title>img2yt offline</title><p>This project lives in the offline img2yt backend; use the terminal to edit and export it.</p>",
    )
        .into_response()
}

// ---- control routes (only with --faults) ----

pub async fn add_fault(
    State(sh): State<Arc<Shared>>,
    Json(f): Json<super::faults::Fault>,
) -> Response {
    sh.world().faults.push(f);
    StatusCode::NO_CONTENT.into_response()
}

pub async fn clear_faults(State(sh): State<Arc<Shared>>) -> Response {
    sh.world().faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

pub async fn get_log(State(sh): State<Arc<Shared>>) -> Response {
    Json(sh.world().log.clone()).into_response()
}

pub async fn add_script(State(sh): State<Arc<Shared>>, Json(s): Json<Script>) -> Response {
    sh.world().scripts.push_back(s);
    StatusCode::NO_CONTENT.into_response()
}

/// Set account facts: `{"available": N}` for every user, `{"export_blocked": bool}`.
pub async fn set_account(State(sh): State<Arc<Shared>>, Json(v): Json<Value>) -> Response {
    let _tx = sh.write_tx();
    let mut w = sh.world();
    if let Some(b) = v["export_blocked"].as_bool() {
        w.export_blocked = b;
    }
    if let Some(n) = v["available"].as_f64() {
        for a in w.accounts.values_mut() {
            a.used = a.total - a.frozen - n;
        }
    }
    if let Some(n) = v["frozen"].as_f64() {
        for a in w.accounts.values_mut() {
            a.frozen = n;
        }
    }
    for (user, a) in &w.accounts {
        let _ = sh.db.put_account(user, a);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// The state of one session, for tests that need to look behind the API.
pub async fn get_world(State(sh): State<Arc<Shared>>) -> Response {
    let w = sh.world();
    let sessions: Vec<Value> = w
        .sessions
        .values()
        .map(|s| json!({"id": s.id, "owner": s.owner, "media": s.media.len(), "draft": s.draft}))
        .collect();
    Json(json!({"sessions": sessions, "users": w.accounts.len(), "renders": w.renders.len()}))
        .into_response()
}
