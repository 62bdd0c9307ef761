//! The top-level error: wraps each layer's error, decides the exit code,
//! and offers a hint. Printing is left to `ui::report`.

use crate::api::ApiError;
use crate::store::StoreError;
use crate::youtube::YoutubeError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Youtube(#[from] YoutubeError),
    /// Bad input from the user (a refused file, a bad argument).
    #[error("{0}")]
    Input(String),
    /// A command that does not exist (an unknown `/command` in a script).
    #[error("{0}")]
    Usage(String),
    /// There is nothing to export yet.
    #[error("{0}")]
    NothingToExport(String),
    /// A render failed on the server.
    #[error("{0}")]
    Render(String),
    /// A local file could not be written (download target, …).
    #[error("{0}")]
    Io(String),
    /// The embedded server could not start.
    #[error("{0}")]
    Server(String),
    /// The editor failed this turn (an error event, or no result after a
    /// dropped stream).
    #[error("{0}")]
    Agent(String),
    /// A failure already shown to the user (piped input stopping at a
    /// failing line): only its exit code is left.
    #[error("")]
    Reported(u8),
    /// The step was cancelled with Ctrl-C.
    #[error("Cancelled.")]
    Interrupted,
}

/// Exit codes, documented in `--help` and the README.
pub mod exit {
    pub const OK: u8 = 0;
    pub const ERROR: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INPUT: u8 = 3;
    pub const AUTH: u8 = 4;
    pub const CREDITS: u8 = 5;
    pub const EXPORT_BLOCKED: u8 = 6;
    pub const NETWORK: u8 = 7;
    pub const SERVICE: u8 = 8;
    pub const RENDER: u8 = 9;
    pub const NOTHING_TO_EXPORT: u8 = 10;
    /// YouTube refused the upload (quota, upload limit, forbidden, the
    /// metadata): trying again the same way will not help today.
    pub const YOUTUBE_REFUSED: u8 = 11;
    pub const INTERRUPTED: u8 = 130;
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Api(e) => match e {
                ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Broken { .. } => {
                    exit::NETWORK
                }
                ApiError::TokenRejected { .. } | ApiError::Forbidden { .. } => exit::AUTH,
                ApiError::OutOfCredits { .. } => exit::CREDITS,
                ApiError::ExportBlocked => exit::EXPORT_BLOCKED,
                ApiError::UnsupportedType { .. }
                | ApiError::FileTooLarge { .. }
                | ApiError::LocalFile { .. } => exit::INPUT,
                ApiError::SessionLost
                | ApiError::RateLimited
                | ApiError::Refused { .. }
                | ApiError::Service { .. }
                | ApiError::Garbage { .. }
                | ApiError::TooLarge { .. } => exit::SERVICE,
            },
            Error::Youtube(e) => youtube_exit_code(e),
            Error::Store(_) | Error::Io(_) | Error::Server(_) => exit::ERROR,
            Error::Input(_) => exit::INPUT,
            Error::Usage(_) => exit::USAGE,
            Error::NothingToExport(_) => exit::NOTHING_TO_EXPORT,
            Error::Render(_) => exit::RENDER,
            Error::Agent(_) => exit::SERVICE,
            Error::Reported(code) => *code,
            Error::Interrupted => exit::INTERRUPTED,
        }
    }

    /// A second line worth showing under the message, if any.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Store(e) if e.is_disk_full() => {
                Some("Your disk is full; free some space and try again. Nothing was lost.")
            }
            Error::Api(ApiError::Connect { .. }) => {
                Some("To work offline, run img2yt with --local.")
            }
            _ => None,
        }
    }

    /// Technical detail for `--verbose`.
    pub fn detail(&self) -> Option<String> {
        match self {
            Error::Api(e) => e.detail(),
            Error::Youtube(e) => e.detail(),
            _ => None,
        }
    }
}

fn youtube_exit_code(e: &YoutubeError) -> u8 {
    match e {
        YoutubeError::Metadata(_)
        | YoutubeError::ClientSecrets { .. }
        | YoutubeError::LocalFile { .. } => exit::INPUT,
        YoutubeError::NoClientSecrets => exit::USAGE,
        YoutubeError::SignIn(_) | YoutubeError::SignInAgain => exit::AUTH,
        YoutubeError::Connect { .. } => exit::NETWORK,
        YoutubeError::Service { .. } | YoutubeError::Garbage { .. } => exit::SERVICE,
        YoutubeError::Keep { .. } => exit::ERROR,
        YoutubeError::Interrupted => exit::INTERRUPTED,
        YoutubeError::QuotaExceeded { .. }
        | YoutubeError::UploadLimitExceeded { .. }
        | YoutubeError::Forbidden { .. }
        | YoutubeError::Refused { .. } => exit::YOUTUBE_REFUSED,
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
