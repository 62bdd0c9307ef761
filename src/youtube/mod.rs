//! Publishing to YouTube: sign-in ([`oauth`]), the resumable upload
//! ([`upload`]), the metadata checks ([`metadata`]) and what is kept
//! between runs ([`keep`]). Knows nothing about terminals: progress is a
//! callback and errors are [`YoutubeError`], whose `Display` is written for
//! users. `handlers::publish` puts it together with `ui`.
//!
//! Every endpoint can be moved with an environment variable ([`Endpoints`]),
//! for tests against a fake on loopback and for people behind proxies.

pub mod keep;
pub mod metadata;
pub mod oauth;
pub mod thumbnail;
pub mod upload;

use serde_json::Value;

/// Google's endpoints, each overridable from the environment.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub auth_url: String,
    pub token_url: String,
    pub revoke_url: String,
    /// `https://www.googleapis.com`; `/upload/youtube/v3/…` and
    /// `/youtube/v3/…` are appended.
    pub api_base: String,
}

impl Endpoints {
    pub fn from_env() -> Endpoints {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        Endpoints {
            auth_url: var(
                "IMG2YT_OAUTH_AUTH_URL",
                "https://accounts.google.com/o/oauth2/v2/auth",
            ),
            token_url: var(
                "IMG2YT_OAUTH_TOKEN_URL",
                "https://oauth2.googleapis.com/token",
            ),
            revoke_url: var(
                "IMG2YT_OAUTH_REVOKE_URL",
                "https://oauth2.googleapis.com/revoke",
            ),
            api_base: var("IMG2YT_YOUTUBE_API_BASE", "https://www.googleapis.com")
                .trim_end_matches('/')
                .to_string(),
        }
    }
}

/// Everything that can go wrong publishing, in plain words. Technical
/// detail (Google's own message, a transport error) is kept for
/// `--verbose` ([`YoutubeError::detail`]).
#[derive(Debug, thiserror::Error)]
pub enum YoutubeError {
    /// The metadata breaks one of YouTube's limits: one sentence each.
    #[error("{}", .0.join("\n"))]
    Metadata(Vec<String>),
    #[error("To publish, img2yt needs your own Google OAuth client: pass --client-secrets client_secret.json or set IMG2YT_YOUTUBE_CLIENT_SECRETS (the README's \"Publish to YouTube\" says how to make one).")]
    NoClientSecrets,
    #[error("Cannot use the OAuth client file {path}: {why}")]
    ClientSecrets { path: String, why: String },
    #[error("Signing in to YouTube did not work: {0}")]
    SignIn(String),
    #[error(
        "Your YouTube sign-in was revoked or has expired; run img2yt publish again to sign in."
    )]
    SignInAgain,
    #[error("Cannot reach Google at {host}. Check your network connection and try again; the upload resumes where it stopped.")]
    Connect { host: String, detail: String },
    #[error("YouTube's daily upload quota for this OAuth client is used up; try again tomorrow (one upload costs 1600 of the default 10 000 daily units).")]
    QuotaExceeded { detail: String },
    #[error(
        "This YouTube channel has reached its upload limit for now; try again in a day or so."
    )]
    UploadLimitExceeded { detail: String },
    #[error("YouTube does not let this account do that: {message}")]
    Forbidden { message: String },
    #[error("YouTube refused the video: {message}")]
    Refused { status: u16, message: String },
    #[error("YouTube had a problem (HTTP {status}) and kept having it; run img2yt publish again later to resume.")]
    Service { status: u16, detail: String },
    #[error("Google sent an answer img2yt cannot read (HTTP {status}).")]
    Garbage { status: u16, raw: String },
    #[error("Could not read {path}: {detail}")]
    LocalFile { path: String, detail: String },
    #[error("Could not save YouTube settings in {path}: {detail}")]
    Keep { path: String, detail: String },
    #[error("Cancelled; run img2yt publish again to resume the upload.")]
    Interrupted,
}

impl YoutubeError {
    /// Technical detail for `--verbose` (never a token).
    pub fn detail(&self) -> Option<String> {
        match self {
            YoutubeError::Connect { detail, .. }
            | YoutubeError::QuotaExceeded { detail }
            | YoutubeError::UploadLimitExceeded { detail }
            | YoutubeError::Service { detail, .. } => Some(detail.clone()),
            YoutubeError::Garbage { raw, .. } => Some(raw.chars().take(500).collect()),
            _ => None,
        }
    }

    /// Google refused the request for a reason that retrying will not fix.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            YoutubeError::QuotaExceeded { .. }
                | YoutubeError::UploadLimitExceeded { .. }
                | YoutubeError::Forbidden { .. }
                | YoutubeError::Refused { .. }
        )
    }

    /// Turn a Google error answer (`{"error":{"errors":[{"reason":…}],
    /// "message":…}}`) into plain words.
    pub fn from_google(status: u16, body: &str) -> YoutubeError {
        let v: Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(_) if status >= 500 => {
                return YoutubeError::Service {
                    status,
                    detail: body.chars().take(500).collect(),
                }
            }
            Err(_) => {
                return YoutubeError::Garbage {
                    status,
                    raw: body.to_string(),
                }
            }
        };
        let err = &v["error"];
        let reason = err["errors"][0]["reason"]
            .as_str()
            .or_else(|| err["status"].as_str())
            .unwrap_or_default()
            .to_string();
        let message = err["message"]
            .as_str()
            .or_else(|| err["errors"][0]["message"].as_str())
            .unwrap_or("no reason given")
            .to_string();
        let detail = format!("HTTP {status} {reason}: {message}");
        match reason.as_str() {
            "quotaExceeded" | "dailyLimitExceeded" | "rateLimitExceeded" => {
                YoutubeError::QuotaExceeded { detail }
            }
            "uploadLimitExceeded" => YoutubeError::UploadLimitExceeded { detail },
            "forbidden" | "insufficientPermissions" | "youtubeSignupRequired" => {
                YoutubeError::Forbidden { message }
            }
            _ if status >= 500 => YoutubeError::Service { status, detail },
            _ if status == 403 => YoutubeError::Forbidden { message },
            _ => YoutubeError::Refused { status, message },
        }
    }

    pub(crate) fn transport(url: &str, e: &reqwest::Error) -> YoutubeError {
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "Google".into());
        YoutubeError::Connect {
            host,
            detail: without_query(&e.to_string()),
        }
    }
}

/// A transport error's text without any URL query (an upload session id is
/// a capability; a token never goes in a URL, but be safe).
fn without_query(s: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for c in s.chars() {
        if c == '?' {
            skipping = true;
            out.push_str("?…");
        } else if skipping && (c == ')' || c.is_whitespace()) {
            skipping = false;
        }
        if !skipping {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_reasons_become_plain_words() {
        let body = |reason: &str| {
            format!(
                r#"{{"error":{{"code":403,"message":"m","errors":[{{"reason":"{reason}","message":"m"}}]}}}}"#
            )
        };
        assert!(matches!(
            YoutubeError::from_google(403, &body("quotaExceeded")),
            YoutubeError::QuotaExceeded { .. }
        ));
        assert!(matches!(
            YoutubeError::from_google(400, &body("uploadLimitExceeded")),
            YoutubeError::UploadLimitExceeded { .. }
        ));
        assert!(matches!(
            YoutubeError::from_google(403, &body("forbidden")),
            YoutubeError::Forbidden { .. }
        ));
        assert!(matches!(
            YoutubeError::from_google(400, &body("invalidTitle")),
            YoutubeError::Refused { status: 400, .. }
        ));
        assert!(matches!(
            YoutubeError::from_google(502, "<html>"),
            YoutubeError::Service { status: 502, .. }
        ));
        assert!(YoutubeError::from_google(403, &body("quotaExceeded"))
            .to_string()
            .contains("try again tomorrow"));
    }

    #[test]
    fn queries_are_left_out_of_transport_errors() {
        assert_eq!(
            without_query("error sending request for url (http://h/u?upload_id=x)"),
            "error sending request for url (http://h/u?…)"
        );
    }
}
