//! One typed method per NemoVideo endpoint (PROTOCOL.md §1-§8). Each builds
//! a [`Spec`] and leaves sending and recovery to [`Client::execute`].

use reqwest::{header, Method};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

use super::{decode, ApiError, Body, Client, Spec};
use crate::wire::{
    ClaimToken, Credits, RenderOutput, RenderRequest, RenderStatus, RunSseRequest, UploadUrls,
    UploadedMedia,
};

/// Progress of one streamed upload: bytes sent so far in this attempt.
pub type UploadProgress = Arc<dyn Fn(u64) + Send + Sync>;

/// A local file to upload, already validated by the caller.
#[derive(Clone)]
pub struct UploadFile {
    pub path: PathBuf,
    pub name: String,
    pub size: u64,
    /// Hold the end of the body until this turns `true` (or its sender is
    /// dropped). The service lists media in the order their uploads
    /// *finish*, so parallel uploads wait for the previous file before
    /// finishing: the bytes travel in parallel, the order stays the user's.
    pub finish_after: Option<tokio::sync::watch::Receiver<bool>>,
}

/// The slowest upload rate a timeout should allow for, per parallel upload.
const SLOW_UPLOAD_BYTES_PER_SEC: u64 = 128 * 1024;
/// Uploads that may share the link (and wait for each other) at once.
const UPLOADS_SHARING_THE_LINK: u64 = 3;

impl Client {
    /// `GET /api/credits/balance/simple`.
    pub async fn credits(&self) -> Result<Credits, ApiError> {
        let spec = Spec {
            idempotent: true,
            ..Spec::new(Method::GET, |_| "/api/credits/balance/simple".into())
        };
        let data = self.json(spec).await?;
        // Every field has a default; a payload with none of them is not a
        // balance of zero but an answer img2yt cannot read.
        if !["available", "total", "frozen"]
            .iter()
            .any(|k| data.get(*k).is_some())
        {
            return Err(ApiError::Garbage {
                status: 200,
                raw: format!("a balance without figures: {data}"),
            });
        }
        decode(data)
    }

    /// `GET /api/state/nemo_agent/me/<sid>/latest` → `data` (with `state`
    /// inside, or the state itself: both are accepted by `timeline`).
    pub async fn state(&self) -> Result<Value, ApiError> {
        let spec = Spec {
            session: true,
            idempotent: true,
            retry_in_new_session: true,
            ..Spec::new(Method::GET, |sid| {
                format!("/api/state/nemo_agent/me/{sid}/latest")
            })
        };
        self.json(spec).await
    }

    /// `POST /api/auth/claim-token` for the current project.
    pub async fn claim_token(&self) -> Result<ClaimToken, ApiError> {
        let s = self.ensure_session().await?;
        let mut spec = Spec {
            idempotent: true,
            ..Spec::new(Method::POST, |_| "/api/auth/claim-token".into())
        };
        spec.body = Body::Json(Box::new(
            move |_| serde_json::json!({"task_id": s.task_id, "session_id": s.session_id}),
        ));
        decode(self.json(spec).await?)
    }

    /// The browser link for a claim token (§3). The API token never goes
    /// into it.
    pub fn claim_link(&self, claim_token: &str) -> String {
        format!(
            "{}/workspace/claim?ct={claim_token}",
            self.config().web_url.trim_end_matches('/')
        )
    }

    /// `POST /api/upload-video/…` with `{"urls": […], "source_type": "url"}`.
    pub async fn upload_urls(&self, urls: &[String]) -> Result<Vec<UploadedMedia>, ApiError> {
        let urls = urls.to_vec();
        let mut spec = Spec {
            session: true,
            retry_in_new_session: true,
            ..Spec::new(Method::POST, |sid| {
                format!("/api/upload-video/nemo_agent/me/{sid}")
            })
        };
        spec.body = Body::Json(Box::new(move |_| {
            serde_json::to_value(UploadUrls {
                urls: urls.clone(),
                source_type: "url".into(),
            })
            .expect("plain strings always serialize")
        }));
        Ok(UploadedMedia::list_from(&self.json(spec).await?))
    }

    /// `POST /api/upload-video/…` with one `files` part streamed from disk
    /// (memory stays flat whatever the size). The body is rebuilt for a
    /// retry, re-opening the file.
    pub async fn upload_file(
        &self,
        file: &UploadFile,
        progress: UploadProgress,
    ) -> Result<Vec<UploadedMedia>, ApiError> {
        let file = file.clone();
        let mut spec = Spec {
            session: true,
            retry_in_new_session: true,
            idempotent: true,
            ..Spec::new(Method::POST, |sid| {
                format!("/api/upload-video/nemo_agent/me/{sid}")
            })
        };
        spec.stream = false;
        // The overall timeout covers sending the body: 60 s is far too
        // short for 200 MB on a slow uplink shared by parallel uploads.
        spec.timeout += std::time::Duration::from_secs(
            file.size * UPLOADS_SHARING_THE_LINK / SLOW_UPLOAD_BYTES_PER_SEC,
        );
        // A stalled body is caught by the caller's progress watch; once it
        // is sent, the server decodes it (a HEIC takes seconds), and a retry
        // after a too-short wait would upload the file twice.
        spec.timeout_floor = std::time::Duration::from_secs(10);
        spec.body = Body::Multipart(Box::new(move || multipart_for(&file, progress.clone())));
        Ok(UploadedMedia::list_from(&self.json(spec).await?))
    }

    /// `POST /run_sse`: the open event stream (status checked first).
    pub async fn run_sse(&self, text: &str) -> Result<reqwest::Response, ApiError> {
        let text = text.to_string();
        let mut spec = Spec {
            session: true,
            stream: true,
            ..Spec::new(Method::POST, |_| "/run_sse".into())
        };
        spec.body = Body::Json(Box::new(move |sid| {
            serde_json::to_value(RunSseRequest::new(sid, &text)).expect("serializable")
        }));
        self.stream(spec).await
    }

    /// `POST /api/render/proxy/lambda`.
    pub async fn render_submit(
        &self,
        id: &str,
        draft: &Value,
        quality: &str,
    ) -> Result<Value, ApiError> {
        let (id, draft, quality) = (id.to_string(), draft.clone(), quality.to_string());
        let mut spec = Spec {
            session: true,
            ..Spec::new(Method::POST, |_| "/api/render/proxy/lambda".into())
        };
        spec.body = Body::Json(Box::new(move |sid| {
            serde_json::to_value(RenderRequest {
                id: id.clone(),
                session_id: sid.to_string(),
                draft: draft.clone(),
                output: RenderOutput {
                    format: "mp4".into(),
                    quality: quality.clone(),
                },
            })
            .expect("serializable")
        }));
        self.json(spec).await
    }

    /// `GET /api/render/proxy/lambda/<id>`. The status is top-level in the
    /// answer per §8, so the raw answer is read rather than only `data`.
    pub async fn render_status(&self, id: &str) -> Result<RenderStatus, ApiError> {
        let id = id.to_string();
        let spec = Spec {
            idempotent: true,
            ..Spec::new(Method::GET, move |_| {
                format!("/api/render/proxy/lambda/{id}")
            })
        };
        let (_, full) = self.json_full(spec).await?;
        RenderStatus::from_value(&full).ok_or_else(|| ApiError::Garbage {
            status: 200,
            raw: format!("render status without a status: {full}"),
        })
    }

    /// `GET /api/render/proxy/<id>/download` on the API host (with auth and
    /// attribution), optionally from byte `from` (Range).
    pub async fn render_download(
        &self,
        id: &str,
        from: u64,
    ) -> Result<reqwest::Response, ApiError> {
        let id = id.to_string();
        let mut spec = Spec {
            idempotent: true,
            stream: true,
            ..Spec::new(Method::GET, move |_| {
                format!("/api/render/proxy/{id}/download")
            })
        };
        if from > 0 {
            spec.extra_headers
                .push((header::RANGE, format!("bytes={from}-")));
        }
        self.stream(spec).await
    }

    /// Is `url` on the API host? Then it gets auth and attribution headers;
    /// a foreign host (a CDN) gets neither.
    pub fn is_api_host(&self, url: &str) -> bool {
        let origin = |u: &str| {
            reqwest::Url::parse(u).ok().map(|u| {
                (
                    u.scheme().to_string(),
                    u.host_str().map(str::to_string),
                    u.port_or_known_default(),
                )
            })
        };
        origin(url).is_some() && origin(url) == origin(&self.config().api_url)
    }

    /// GET a foreign URL (the render's `output.url`) with no Authorization
    /// header, optionally from byte `from`.
    pub async fn download_url(&self, url: &str, from: u64) -> Result<reqwest::Response, ApiError> {
        let mut rb = self.http().get(url);
        if self.is_api_host(url) {
            let token = self.token().await?;
            rb = self.attribution(rb).bearer_auth(token.expose());
        }
        if from > 0 {
            rb = rb.header(header::RANGE, format!("bytes={from}-"));
        }
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let resp = rb
            .send()
            .await
            .map_err(|e| super::transport_error(&host, e))?;
        if !resp.status().is_success() {
            return Err(ApiError::Service {
                status: resp.status().as_u16(),
                detail: format!("download from {host}"),
            });
        }
        Ok(resp)
    }
}

/// Build a multipart form with one streamed `files` part.
fn multipart_for(
    file: &UploadFile,
    progress: super::endpoints::UploadProgress,
) -> Result<reqwest::multipart::Form, ApiError> {
    use futures_util::StreamExt;
    let std_file = std::fs::File::open(&file.path).map_err(|e| ApiError::LocalFile {
        path: file.path.display().to_string(),
        detail: e.to_string(),
    })?;
    let mut sent = 0u64;
    progress(0);
    let stream =
        tokio_util::io::ReaderStream::with_capacity(tokio::fs::File::from_std(std_file), 64 * 1024)
            .map(move |chunk| {
                if let Ok(c) = &chunk {
                    sent += c.len() as u64;
                    progress(sent);
                }
                chunk
            });
    // Nothing more is sent, but the part (and so the request) only ends
    // once the previous upload is done.
    let gate = file.finish_after.clone();
    let hold = futures_util::stream::once(async move {
        if let Some(mut g) = gate {
            let _ = g.wait_for(|done| *done).await;
        }
    })
    .filter_map(|()| async { None });
    let body = reqwest::Body::wrap_stream(stream.chain(hold));
    let part = reqwest::multipart::Part::stream_with_length(body, file.size)
        .file_name(file.name.clone())
        .mime_str(mime_for(&file.name))
        .expect("static mime types are valid");
    Ok(reqwest::multipart::Form::new().part("files", part))
}

/// The MIME type for an accepted extension.
pub fn mime_for(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        "webm" => "video/webm",
        "mkv" => "video/x-matroska",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        _ => "application/octet-stream",
    }
}
