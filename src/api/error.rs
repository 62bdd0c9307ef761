//! `ApiError`: everything that can go wrong talking to the NemoVideo API,
//! with a `Display` written for users. Raw status codes, envelope codes and
//! bodies are kept for `--verbose` ([`ApiError::detail`]).

use crate::wire::ACCEPTED_TYPES;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Cannot reach the NemoVideo service at {host}. Check your network connection and try again.")]
    Connect { host: String, detail: String },
    #[error("The NemoVideo service did not answer in time. Try again in a moment.")]
    Timeout { detail: String },
    #[error("{}", token_message(*user_supplied))]
    TokenRejected { user_supplied: bool },
    #[error("Your project had expired on the server, so img2yt started a new, empty one. Share your images again to continue.")]
    SessionLost,
    #[error("{}", credits_message(register_url.as_deref()))]
    OutOfCredits { register_url: Option<String> },
    #[error("The service does not accept this file type. Accepted: {}.", ACCEPTED_TYPES.join(", "))]
    UnsupportedType { detail: String },
    #[error("The file is too large for the service (the limit is 200 MB). Compress or trim it and try again.")]
    FileTooLarge { detail: String },
    #[error("Register at nemovideo.com to unlock export (the free plan cannot export).")]
    ExportBlocked,
    #[error("The service is limiting how fast img2yt may ask; wait a minute and try again.")]
    RateLimited,
    #[error("Your NemoVideo token is not allowed to do this ({detail}).")]
    Forbidden { detail: String },
    #[error("The NemoVideo service could not do that: {message}")]
    Refused { code: i64, message: String },
    #[error("The NemoVideo service had a problem (HTTP {status}). Try again in a moment.")]
    Service { status: u16, detail: String },
    #[error("The NemoVideo service sent an answer img2yt cannot read.")]
    Garbage { status: u16, raw: String },
    #[error("The NemoVideo service sent an answer larger than {limit} bytes; img2yt stopped reading it.")]
    TooLarge { limit: usize },
    #[error("The connection to the NemoVideo service broke: {detail}")]
    Broken { detail: String },
    #[error("Could not read {path}: {detail}")]
    LocalFile { path: String, detail: String },
}

fn token_message(user_supplied: bool) -> &'static str {
    if user_supplied {
        "Your NEMO_TOKEN is invalid or expired. Make a new token at nemovideo.com and set NEMO_TOKEN to it, or unset NEMO_TOKEN to use a free starter token."
    } else {
        "The NemoVideo service keeps refusing img2yt's starter token. Try again later, or set NEMO_TOKEN to a token from nemovideo.com."
    }
}

fn credits_message(register_url: Option<&str>) -> String {
    match register_url {
        Some(url) => format!("You are out of credits. Register for free to get more: {url}"),
        None => "You are out of credits. Top up at nemovideo.com to continue.".into(),
    }
}

impl ApiError {
    /// Technical detail for `--verbose` (never contains the token).
    pub fn detail(&self) -> Option<String> {
        match self {
            ApiError::Connect { detail, .. }
            | ApiError::Timeout { detail }
            | ApiError::UnsupportedType { detail }
            | ApiError::FileTooLarge { detail }
            | ApiError::Broken { detail }
            | ApiError::Service { detail, .. } => Some(detail.clone()),
            ApiError::Refused { code, message } => Some(format!("code {code}: {message}")),
            ApiError::Garbage { status, raw } => Some(format!(
                "HTTP {status}, body: {}",
                raw.chars().take(300).collect::<String>()
            )),
            _ => None,
        }
    }

    /// True for failures where the same request may succeed if sent again
    /// (used by callers that retry whole steps, like uploads).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Connect { .. }
                | ApiError::Timeout { .. }
                | ApiError::Broken { .. }
                | ApiError::Service { .. }
        )
    }
}
