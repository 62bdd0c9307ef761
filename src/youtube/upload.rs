//! The resumable upload protocol, as Google documents it for
//! `videos.insert`: one `POST …?uploadType=resumable` with the metadata
//! opens a session (its URI comes back in `Location`), then the file goes up
//! in `PUT` chunks whose sizes are multiples of 256 KiB, each with its
//! `Content-Range`. `308 Resume Incomplete` + `Range` says what arrived.
//!
//! After a dropped connection or a 5xx, img2yt asks where the server stands
//! (`Content-Range: bytes */N`) and goes on from there after an exponential
//! backoff, so no byte is sent again once YouTube has confirmed it. A 401
//! gets a fresh access token; a 404/410 on the session starts a new one.
//! The session URI is kept ([`super::keep`]) as soon as it exists, so a
//! later run resumes it.
//!
//! The file is streamed from disk a small buffer at a time: memory stays
//! the same whatever the video's size. Progress is a callback; drawing it
//! is `ui`'s business.

use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, LOCATION, RANGE};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::sync::CancellationToken;

use super::keep::{FileKey, Keep, PendingUpload};
use super::metadata::Metadata;
use super::oauth::Authorizer;
use super::{Endpoints, YoutubeError};
use crate::secret::Secret;

/// Chunks are multiples of this (Google's rule for all but the last).
pub const CHUNK_UNIT: u64 = 256 * 1024;
/// 8 MiB a request: few round trips, and little to send again after a drop.
pub const DEFAULT_CHUNK: u64 = 32 * CHUNK_UNIT;
/// Failures in a row, without a byte of progress, before giving up.
const MAX_FAILURES: u32 = 8;

/// What the upload reports as it goes.
#[derive(Debug, Clone)]
pub enum Progress {
    /// The upload (re)starts at `offset` of `total` bytes; `resumed` when a
    /// session from an earlier run was picked up.
    Start {
        offset: u64,
        total: u64,
        resumed: bool,
        /// Resumed, and this run asked for other metadata than the session
        /// was opened with (YouTube keeps the first).
        kept_other_metadata: bool,
    },
    /// `offset` bytes have gone out (not all confirmed yet).
    Sent(u64),
    /// A request failed and will be tried again after `wait`.
    Retry { why: String, wait: Duration },
    /// YouTube no longer knew the session: the upload starts over.
    NewSession,
}

pub type OnProgress = Arc<dyn Fn(Progress) + Send + Sync>;

/// The chunk size from `IMG2YT_YOUTUBE_CHUNK_SIZE` (bytes, rounded up to a
/// multiple of 256 KiB), else [`DEFAULT_CHUNK`].
pub fn chunk_size() -> u64 {
    std::env::var("IMG2YT_YOUTUBE_CHUNK_SIZE")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|v| *v > 0)
        .map(|v| v.div_ceil(CHUNK_UNIT) * CHUNK_UNIT)
        .unwrap_or(DEFAULT_CHUNK)
}

/// The wait before try `n` (1-based): 1 s, 2 s, 4 s … up to 64 s, scaled.
pub fn backoff(n: u32, time_scale: f64) -> Duration {
    Duration::from_secs(1u64 << n.saturating_sub(1).min(6)).mul_f64(time_scale)
}

/// What the server said about the session.
#[derive(Debug)]
enum Status {
    /// It holds the first `n` bytes.
    At(u64),
    /// The upload is complete: the video resource.
    Done(Value),
    /// It does not know the session (404/410).
    Gone,
}

/// Why a request did not give a [`Status`].
#[derive(Debug)]
enum Step {
    /// A dropped connection, a timeout, a 5xx: ask again after a wait.
    Retry(String),
    /// The access token was refused.
    Unauthorized,
    Fatal(YoutubeError),
}

impl Step {
    /// A request that never got an answer: worth asking again.
    fn dropped(uri: &str, e: &reqwest::Error) -> Step {
        Step::Retry(YoutubeError::transport(uri, e).detail().unwrap_or_default())
    }
}

pub struct Uploader<'a> {
    pub http: &'a reqwest::Client,
    pub endpoints: &'a Endpoints,
    pub auth: &'a Authorizer,
    pub keep: &'a Keep,
    pub chunk: u64,
    pub time_scale: f64,
}

impl Uploader<'_> {
    /// Upload `file` with `meta`, resuming a kept session for the same
    /// file. Returns the video resource YouTube sent back.
    pub async fn upload(
        &self,
        file: &Path,
        meta: &Metadata,
        on: OnProgress,
        cancel: &CancellationToken,
    ) -> Result<Value, YoutubeError> {
        let key = FileKey::of(file)?;
        let total = key.size;
        let kept = self.keep.read().pending_for(&key).cloned();
        // YouTube fixed the metadata when the session began: say so when
        // this run asks for other metadata.
        let kept_other_metadata = kept
            .as_ref()
            .and_then(|p| p.metadata.as_ref())
            .is_some_and(|m| *m != meta.to_json());
        let mut session = kept.map(|p| p.session_uri);
        let mut resumed = session.is_some();
        let mut offset: Option<u64> = None;
        let mut failures = 0u32;
        // The most YouTube has confirmed of this session: failures only
        // count again from zero once it grows.
        let mut confirmed = 0u64;
        loop {
            if cancel.is_cancelled() {
                return Err(YoutubeError::Interrupted);
            }
            let step = match (&session, offset) {
                (None, _) => match or_cancel(cancel, self.start(meta, total, file)).await? {
                    Ok(uri) => {
                        self.keep.update(|k| {
                            k.forget_upload(&key);
                            k.prune(crate::store::now_secs());
                            k.uploads.push(PendingUpload {
                                path: key.path.clone(),
                                size: key.size,
                                mtime: key.mtime,
                                session_uri: uri.clone(),
                                started: crate::store::now_secs(),
                                metadata: Some(meta.to_json()),
                            });
                        })?;
                        session = Some(uri);
                        offset = Some(0);
                        on(Progress::Start {
                            offset: 0,
                            total,
                            resumed: false,
                            kept_other_metadata: false,
                        });
                        continue;
                    }
                    Err(e) => Err(e),
                },
                (Some(uri), None) => {
                    let r = or_cancel(cancel, self.query(uri, total)).await?;
                    if let Ok(Status::At(at)) = &r {
                        on(Progress::Start {
                            offset: *at,
                            total,
                            resumed,
                            kept_other_metadata: resumed && kept_other_metadata,
                        });
                        resumed = false;
                    }
                    r
                }
                (Some(uri), Some(at)) => {
                    let end = (at + self.chunk).min(total);
                    or_cancel(
                        cancel,
                        self.put_chunk(uri, file, at, end, total, on.clone()),
                    )
                    .await?
                }
            };
            match step {
                Ok(Status::Done(video)) => {
                    self.keep.update(|k| k.forget_upload(&key))?;
                    return Ok(video);
                }
                Ok(Status::At(at)) => {
                    if at > confirmed {
                        confirmed = at;
                        failures = 0;
                    }
                    if at > total {
                        return Err(YoutubeError::Garbage {
                            status: 308,
                            raw: format!("Range says {at} bytes arrived of {total}"),
                        });
                    }
                    offset = Some(at);
                }
                Ok(Status::Gone) => {
                    self.keep.update(|k| k.forget_upload(&key))?;
                    on(Progress::NewSession);
                    confirmed = 0;
                    session = None;
                    offset = None;
                    resumed = false;
                }
                Err(Step::Unauthorized) => {
                    failures += 1;
                    if failures > MAX_FAILURES {
                        return Err(YoutubeError::SignInAgain);
                    }
                    offset = None;
                    // A new access token; a refresh that got no answer (a
                    // dropped connection, a 5xx) is waited out like any
                    // other, and the refused chunk is asked about again.
                    match self.auth.refresh().await {
                        Ok(_) => {}
                        Err(e @ (YoutubeError::Connect { .. } | YoutubeError::Service { .. })) => {
                            let why = e.detail().unwrap_or_default();
                            self.pause(failures, why, &on, cancel).await?;
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(Step::Retry(why)) => {
                    failures += 1;
                    if failures > MAX_FAILURES {
                        return Err(YoutubeError::Service {
                            status: 0,
                            detail: why,
                        });
                    }
                    self.pause(failures, why, &on, cancel).await?;
                    offset = None;
                }
                Err(Step::Fatal(e)) => return Err(e),
            }
        }
    }

    /// Say why the upload waits, then wait before the next try (or stop
    /// at Ctrl-C).
    async fn pause(
        &self,
        failures: u32,
        why: String,
        on: &OnProgress,
        cancel: &CancellationToken,
    ) -> Result<(), YoutubeError> {
        let wait = backoff(failures, self.time_scale);
        on(Progress::Retry { why, wait });
        tokio::select! {
            _ = tokio::time::sleep(wait) => Ok(()),
            _ = cancel.cancelled() => Err(YoutubeError::Interrupted),
        }
    }

    /// Open a session: the metadata goes in the POST, the URI comes back
    /// in `Location`.
    async fn start(&self, meta: &Metadata, total: u64, file: &Path) -> Result<Secret, Step> {
        let url = format!(
            "{}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status",
            self.endpoints.api_base
        );
        let token = self.auth.access_token().await.map_err(Step::Fatal)?;
        let resp = self
            .http
            .post(&url)
            .bearer_auth(token.expose())
            .header(CONTENT_TYPE, "application/json; charset=UTF-8")
            .header("X-Upload-Content-Length", total)
            .header("X-Upload-Content-Type", video_type(file))
            .body(meta.to_json().to_string())
            .send()
            .await
            .map_err(|e| {
                Step::Retry(
                    YoutubeError::transport(&url, &e)
                        .detail()
                        .unwrap_or_default(),
                )
            })?;
        let status = resp.status().as_u16();
        match status {
            200 | 201 => {
                let location = resp
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                match location {
                    Some(l) => Ok(Secret::new(absolute(&url, &l))),
                    None => Err(Step::Fatal(YoutubeError::Garbage {
                        status,
                        raw: "no Location header on the new upload session".into(),
                    })),
                }
            }
            _ => Err(failure(resp).await),
        }
    }

    /// Ask how much of the file the session holds (`bytes */N`).
    async fn query(&self, uri: &Secret, total: u64) -> Result<Status, Step> {
        let token = self.auth.access_token().await.map_err(Step::Fatal)?;
        let resp = self
            .http
            .put(uri.expose())
            .bearer_auth(token.expose())
            .header(CONTENT_LENGTH, 0)
            .header(CONTENT_RANGE, format!("bytes */{total}"))
            .send()
            .await
            .map_err(|e| Step::dropped(uri.expose(), &e))?;
        status_of(resp).await
    }

    /// Send bytes `start..end` of `total` from `file`, streamed from disk.
    async fn put_chunk(
        &self,
        uri: &Secret,
        file: &Path,
        start: u64,
        end: u64,
        total: u64,
        on: OnProgress,
    ) -> Result<Status, Step> {
        let token = self.auth.access_token().await.map_err(Step::Fatal)?;
        let local = |e: std::io::Error| {
            Step::Fatal(YoutubeError::LocalFile {
                path: file.display().to_string(),
                detail: e.to_string(),
            })
        };
        let mut f = tokio::fs::File::open(file).await.map_err(local)?;
        f.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(local)?;
        let mut sent = start;
        let body = tokio_util::io::ReaderStream::with_capacity(f.take(end - start), 64 * 1024).map(
            move |piece| {
                if let Ok(b) = &piece {
                    sent += b.len() as u64;
                    on(Progress::Sent(sent));
                }
                piece
            },
        );
        let range = if end > start {
            format!("bytes {start}-{}/{total}", end - 1)
        } else {
            format!("bytes */{total}")
        };
        let resp = self
            .http
            .put(uri.expose())
            .bearer_auth(token.expose())
            .header(CONTENT_LENGTH, end - start)
            .header(CONTENT_TYPE, video_type(file))
            .header(CONTENT_RANGE, range)
            .body(reqwest::Body::wrap_stream(body))
            .send()
            .await
            .map_err(|e| Step::dropped(uri.expose(), &e))?;
        status_of(resp).await
    }
}

/// The video's media type, from its extension (`video/*` when unknown,
/// which YouTube accepts too).
pub fn video_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "mp4" | "m4v" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "mkv" => "video/x-matroska",
        "avi" => "video/x-msvideo",
        _ => "video/*",
    }
}

/// Run `step` unless Ctrl-C comes first.
async fn or_cancel<T>(
    cancel: &CancellationToken,
    step: impl std::future::Future<Output = T>,
) -> Result<T, YoutubeError> {
    tokio::select! {
        r = step => Ok(r),
        _ = cancel.cancelled() => Err(YoutubeError::Interrupted),
    }
}

/// `Location` may be relative; make it absolute against the request URL.
fn absolute(base: &str, location: &str) -> String {
    reqwest::Url::parse(base)
        .and_then(|b| b.join(location))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| location.to_string())
}

/// The first byte not yet held, from a `308`'s `Range: bytes=0-N`.
pub fn next_offset(range: Option<&str>) -> Option<u64> {
    let Some(r) = range else { return Some(0) };
    let r = r.trim();
    let last = r.strip_prefix("bytes=").unwrap_or(r).split('-').nth(1)?;
    last.trim().parse::<u64>().ok().map(|n| n + 1)
}

async fn status_of(resp: reqwest::Response) -> Result<Status, Step> {
    let status = resp.status().as_u16();
    match status {
        308 => {
            let range = resp
                .headers()
                .get(RANGE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            next_offset(range.as_deref())
                .map(Status::At)
                .ok_or_else(|| {
                    Step::Fatal(YoutubeError::Garbage {
                        status,
                        raw: format!("Range: {range:?}"),
                    })
                })
        }
        200 | 201 => match resp.text().await {
            Ok(body) => serde_json::from_str(&body)
                .map(Status::Done)
                .map_err(|_| Step::Fatal(YoutubeError::Garbage { status, raw: body })),
            // The answer was cut: ask again where the upload stands.
            Err(e) => Err(Step::Retry(format!("the answer broke off: {e}"))),
        },
        404 | 410 => Ok(Status::Gone),
        _ => Err(failure(resp).await),
    }
}

/// A refusal, a 401, or a failure worth retrying.
async fn failure(resp: reqwest::Response) -> Step {
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap_or_default();
    match status {
        401 => Step::Unauthorized,
        429 | 500 | 502 | 503 | 504 => Step::Retry(format!("HTTP {status}")),
        _ => Step::Fatal(YoutubeError::from_google(status, &body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_from_range() {
        assert_eq!(next_offset(None), Some(0));
        assert_eq!(next_offset(Some("bytes=0-262143")), Some(262144));
        assert_eq!(next_offset(Some("bytes=0-0")), Some(1));
        assert_eq!(next_offset(Some("0-99")), Some(100));
        assert_eq!(next_offset(Some("nonsense")), None);
    }

    #[test]
    fn chunks_are_whole_units_and_waits_double() {
        assert_eq!(DEFAULT_CHUNK % CHUNK_UNIT, 0);
        assert_eq!(backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(30, 1.0), Duration::from_secs(64));
        assert_eq!(backoff(3, 0.0), Duration::ZERO);
    }
}
