//! Request and response bodies of the JSON endpoints (PROTOCOL.md §1-§8).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient;

/// `POST /api/auth/anonymous-token` → data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnonymousToken {
    pub token: String,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub credits: Option<f64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /api/tasks/me/with-session/nemo_agent` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateSession {
    pub task_name: String,
    pub language: String,
}

/// `POST /api/tasks/me/with-session/nemo_agent` → data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionCreated {
    #[serde(deserialize_with = "lenient::string")]
    pub task_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub session_id: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionCreated {
    /// The id for the registration link (`?bind=`): PROTOCOL.md leaves the
    /// field unknown, so look for `bind_id` and fall back to the task id.
    pub fn bind_id(&self) -> String {
        bind_id_in(&Value::Object(self.extra.clone())).unwrap_or_else(|| self.task_id.clone())
    }
}

/// Look for a bind id anywhere a server might put one.
pub fn bind_id_in(v: &Value) -> Option<String> {
    lenient::first_string(v, &["bind_id", "bindId"])
}

/// `POST /api/auth/claim-token` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClaimTokenRequest {
    pub task_id: String,
    pub session_id: String,
}

/// `POST /api/auth/claim-token` → data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClaimToken {
    pub claim_token: String,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    pub expires_in: Option<f64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `GET /api/credits/balance/simple` → data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Credits {
    #[serde(default, deserialize_with = "lenient::number")]
    pub available: f64,
    #[serde(default, deserialize_with = "lenient::number")]
    pub frozen: f64,
    #[serde(default, deserialize_with = "lenient::number")]
    pub total: f64,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Credits {
    /// The offline backend says `"unlimited": true` (an extension: the
    /// cloud never sends it, and then the numbers are the balance).
    pub fn unlimited(&self) -> bool {
        self.extra.get("unlimited").and_then(Value::as_bool) == Some(true)
    }
}

/// Upload by URL body (§5).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadUrls {
    pub urls: Vec<String>,
    pub source_type: String,
}

/// One file the server says it accepted. The response shape is unknown
/// (§5): this is read from whatever object or list the server sends.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UploadedMedia {
    pub name: String,
    #[serde(default)]
    pub file_id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
}

impl UploadedMedia {
    /// Read the accepted files out of an upload response's `data`, whatever
    /// its shape: an object, a list, or an object holding a list under
    /// `files`/`items`/`list`/`results`/`data`.
    pub fn list_from(data: &Value) -> Vec<UploadedMedia> {
        fn one(v: &Value) -> Option<UploadedMedia> {
            match v {
                Value::String(s) => Some(UploadedMedia {
                    name: s.rsplit('/').next().unwrap_or(s).to_string(),
                    file_id: None,
                    url: Some(s.clone()),
                    size: None,
                }),
                Value::Object(_) => {
                    let url = lenient::first_string(v, &["url", "file_url", "src"]);
                    let name = lenient::first_string(
                        v,
                        &["filename", "file_name", "name", "original_name", "title"],
                    )
                    .or_else(|| {
                        url.as_deref()
                            .map(|u| u.rsplit('/').next().unwrap_or(u).to_string())
                    })?;
                    Some(UploadedMedia {
                        name,
                        file_id: lenient::first_string(v, &["file_id", "fileId", "id"]),
                        url,
                        size: ["size", "file_size", "bytes"]
                            .iter()
                            .find_map(|k| v.get(*k).and_then(lenient::as_f64))
                            .map(|f| f as u64),
                    })
                }
                _ => None,
            }
        }
        match data {
            Value::Array(items) => items.iter().filter_map(one).collect(),
            Value::Object(obj) => {
                for key in ["files", "items", "list", "results", "data", "uploads"] {
                    if let Some(Value::Array(items)) = obj.get(key) {
                        return items.iter().filter_map(one).collect();
                    }
                }
                one(data).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}

/// `POST /api/render/proxy/lambda` body. `sessionId` is camelCase, the one
/// exception in the API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderRequest {
    pub id: String,
    #[serde(rename = "sessionId")]
    pub session_id: String,
    /// The draft exactly as the state returned it (unknown keys too).
    pub draft: Value,
    pub output: RenderOutput,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderOutput {
    pub format: String,
    pub quality: String,
}

/// The state of a render job, read from `GET /api/render/proxy/lambda/<id>`.
/// `status` is top-level per §8; it is looked for inside `data` too, and the
/// progress figure (unknown) under several names, as 0-1 or 0-100.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderStatus {
    pub status: RenderPhase,
    /// Percent, 0-100, when the server gives one (a figure ≤ 1 is read as
    /// a fraction).
    pub progress: Option<f64>,
    /// The figure as sent, for callers that follow a job over several
    /// polls and can tell a server that counts in percent.
    pub progress_raw: Option<f64>,
    pub output_url: Option<String>,
    pub size: Option<u64>,
    pub duration_s: Option<f64>,
    pub width: Option<u64>,
    pub height: Option<u64>,
    pub error: Option<String>,
    /// A preview image of the video, when the server made one (field
    /// **unknown** in the protocol: `thumbnail_url`, `thumbnail`,
    /// `cover_url`, `poster` in `output` or at the top).
    pub thumbnail_url: Option<String>,
    /// Notes the server wants the user to read (the offline backend says
    /// when a title was left out for want of a font, …).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderPhase {
    Pending,
    Processing,
    Completed,
    Failed,
    Other(String),
}

impl RenderStatus {
    pub fn from_value(v: &Value) -> Option<RenderStatus> {
        let data = v.get("data").filter(|d| d.is_object());
        let find = |keys: &[&str]| {
            lenient::first_string(v, keys)
                .or_else(|| data.and_then(|d| lenient::first_string(d, keys)))
        };
        let status = find(&["status", "state"])?;
        let status = match status.to_ascii_lowercase().as_str() {
            "pending" | "queued" | "waiting" => RenderPhase::Pending,
            "processing" | "running" | "rendering" | "in_progress" => RenderPhase::Processing,
            "completed" | "complete" | "done" | "success" | "succeeded" | "finished" => {
                RenderPhase::Completed
            }
            "failed" | "error" | "failure" | "cancelled" | "canceled" => RenderPhase::Failed,
            other => RenderPhase::Other(other.to_string()),
        };
        let num = |keys: &[&str]| {
            let pick = |o: &Value| {
                keys.iter()
                    .find_map(|k| o.get(*k).and_then(lenient::as_f64))
            };
            pick(v).or_else(|| data.and_then(pick))
        };
        let progress_raw = num(&["progress", "percent", "percentage"]);
        let progress = progress_raw.map(|p| {
            let p = if p <= 1.0 { p * 100.0 } else { p };
            p.clamp(0.0, 100.0)
        });
        let output = v
            .get("output")
            .or_else(|| data.and_then(|d| d.get("output")))
            .cloned()
            .unwrap_or(Value::Null);
        let out_num = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| output.get(*k).and_then(lenient::as_f64))
        };
        let output_url = match &output {
            Value::String(s) => Some(s.clone()),
            o => lenient::first_string(o, &["url", "download_url", "downloadUrl"]),
        }
        .or_else(|| find(&["url", "download_url", "downloadUrl", "output_url"]));
        Some(RenderStatus {
            status,
            progress,
            progress_raw,
            output_url,
            size: out_num(&["size", "file_size", "bytes"]).map(|f| f as u64),
            duration_s: out_num(&["duration", "duration_s"]),
            width: out_num(&["width"]).map(|f| f as u64),
            height: out_num(&["height"]).map(|f| f as u64),
            error: find(&["error", "error_message", "reason"]),
            thumbnail_url: lenient::first_string(&output, THUMB_KEYS)
                .or_else(|| find(THUMB_KEYS))
                .filter(|u| u.starts_with("http://") || u.starts_with("https://")),
            warnings: [Some(v), data, output.is_object().then_some(&output)]
                .into_iter()
                .flatten()
                .flat_map(|o| match o.get("warnings").or_else(|| o.get("warning")) {
                    Some(Value::Array(a)) => a.iter().filter_map(lenient::as_string).collect(),
                    Some(w) => lenient::as_string(w).into_iter().collect(),
                    None => Vec::new(),
                })
                .filter(|w| !w.trim().is_empty())
                .collect(),
        })
    }
}

const THUMB_KEYS: &[&str] = &[
    "thumbnail_url",
    "thumbnail",
    "thumbnailUrl",
    "cover_url",
    "poster",
];

/// File types the upload endpoint accepts (§5), as shown to users.
pub const ACCEPTED_TYPES: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "heic", "mp4", "mov", "avi", "webm", "mkv", "mp3", "wav",
    "m4a", "aac",
];

/// The kind of media an accepted extension names ("image", "video",
/// "audio"), case-insensitive; `None` for anything else.
pub fn media_kind_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "heic" => "image",
        "mp4" | "mov" | "avi" | "webm" | "mkv" => "video",
        "mp3" | "wav" | "m4a" | "aac" => "audio",
        _ => return None,
    })
}

/// The longest chat message img2yt sends, in characters. PROTOCOL.md names
/// no limit; a message longer than this is a paste gone wrong, and a
/// bounded message keeps one user's turn from stalling a server (the
/// offline backend refuses longer ones).
pub const MAX_MESSAGE_CHARS: usize = 20_000;

/// The largest file the upload endpoint takes (§5).
pub const MAX_UPLOAD_BYTES: u64 = 200 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn upload_shapes() {
        let a = UploadedMedia::list_from(
            &json!({"file_id": 1, "filename": "a.jpg", "url": "http://x/a.jpg"}),
        );
        assert_eq!(a[0].name, "a.jpg");
        assert_eq!(a[0].file_id.as_deref(), Some("1"));
        let b = UploadedMedia::list_from(&json!({"files": [{"url": "http://x/b.png"}, 3]}));
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].name, "b.png");
        let c = UploadedMedia::list_from(&json!(["http://x/c.jpg"]));
        assert_eq!(c[0].name, "c.jpg");
        assert!(UploadedMedia::list_from(&json!(null)).is_empty());
    }

    #[test]
    fn render_status_shapes() {
        let s =
            RenderStatus::from_value(&json!({"status": "processing", "progress": 0.4})).unwrap();
        assert_eq!(s.status, RenderPhase::Processing);
        assert_eq!(s.progress, Some(40.0));
        let s = RenderStatus::from_value(
            &json!({"code": 0, "data": {"status": "completed", "output": {"url": "http://h/x.mp4", "size": "1234"}}}),
        )
        .unwrap();
        assert_eq!(s.status, RenderPhase::Completed);
        assert_eq!(s.output_url.as_deref(), Some("http://h/x.mp4"));
        assert_eq!(s.size, Some(1234));
        assert!(RenderStatus::from_value(&json!({"nothing": 1})).is_none());
    }

    #[test]
    fn session_ids_may_be_numbers() {
        let s: SessionCreated =
            serde_json::from_value(json!({"task_id": 12, "session_id": "s-1", "bind_id": "b9"}))
                .unwrap();
        assert_eq!(s.task_id, "12");
        assert_eq!(s.bind_id(), "b9");
    }
}
