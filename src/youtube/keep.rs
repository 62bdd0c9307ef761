//! What publishing keeps between runs, in `youtube.json` in the config dir
//! (0600, written atomically under a lock, like the main store): the
//! refresh token of the signed-in account, and the session URI of each
//! upload not finished yet with the file's size and modification time, so
//! `img2yt publish` after Ctrl-C, a crash or a closed laptop resumes the
//! same upload instead of sending the file again.
//!
//! It is a file of its own, not a part of `store.json`: the refresh token
//! is a long-lived credential for another service, and signing out must be
//! able to forget it without touching the projects.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use super::YoutubeError;
use crate::secret::Secret;
use crate::store::atomic;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Kept {
    #[serde(default)]
    pub sign_in: Option<SignIn>,
    #[serde(default)]
    pub uploads: Vec<PendingUpload>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The account img2yt may publish to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignIn {
    /// The OAuth client the refresh token belongs to.
    pub client_id: String,
    pub refresh_token: Secret,
}

/// An upload session YouTube is holding for a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingUpload {
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch: a file changed
    /// since the session began is a new upload.
    pub mtime: u128,
    /// A capability to write into the upload: kept in this 0600 file only.
    pub session_uri: Secret,
    /// Unix seconds (YouTube keeps a session about a week).
    pub started: u64,
    /// The title, tags, privacy… the session was opened with: YouTube
    /// takes them when an upload begins, so a resumed one keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// Which file, as far as resuming is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileKey {
    pub path: PathBuf,
    pub size: u64,
    pub mtime: u128,
}

impl FileKey {
    pub fn of(path: &Path) -> Result<FileKey, YoutubeError> {
        let local = |e: std::io::Error| YoutubeError::LocalFile {
            path: path.display().to_string(),
            detail: e.to_string(),
        };
        let path = std::fs::canonicalize(path).map_err(local)?;
        let meta = std::fs::metadata(&path).map_err(local)?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Ok(FileKey {
            path,
            size: meta.len(),
            mtime,
        })
    }

    fn matches(&self, p: &PendingUpload) -> bool {
        p.path == self.path && p.size == self.size && p.mtime == self.mtime
    }
}

impl Kept {
    pub fn pending_for(&self, key: &FileKey) -> Option<&PendingUpload> {
        self.uploads.iter().find(|p| key.matches(p))
    }

    /// Forget the session of `key`'s file (finished, or gone on YouTube).
    pub fn forget_upload(&mut self, key: &FileKey) {
        self.uploads.retain(|p| p.path != key.path);
    }

    /// Forget sessions YouTube no longer holds (it keeps one about a week)
    /// and those of files that are gone, so the file stays small.
    pub fn prune(&mut self, now_secs: u64) {
        self.uploads
            .retain(|p| now_secs.saturating_sub(p.started) < SESSION_LIFE_SECS && p.path.exists());
    }
}

/// How long YouTube keeps an upload session.
const SESSION_LIFE_SECS: u64 = 7 * 24 * 3600;

/// Handle to `youtube.json`.
#[derive(Debug, Clone)]
pub struct Keep {
    file: PathBuf,
    lock: PathBuf,
}

impl Keep {
    pub fn new(config_dir: &Path) -> Keep {
        Keep {
            file: config_dir.join("youtube.json"),
            lock: config_dir.join("youtube.lock"),
        }
    }

    fn err(&self, e: impl std::fmt::Display) -> YoutubeError {
        YoutubeError::Keep {
            path: self.file.display().to_string(),
            detail: e.to_string(),
        }
    }

    /// What is kept; a missing or unreadable file reads as nothing kept
    /// (the worst case is signing in or uploading again).
    pub fn read(&self) -> Kept {
        std::fs::read(&self.file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Change the file under the lock and write it back atomically (0600).
    pub fn update<T>(&self, f: impl FnOnce(&mut Kept) -> T) -> Result<T, YoutubeError> {
        let _lock = atomic::Lock::acquire(&self.lock).map_err(|e| self.err(e))?;
        let mut kept = self.read();
        let out = f(&mut kept);
        let bytes = serde_json::to_vec_pretty(&kept).map_err(|e| self.err(e))?;
        atomic::write_atomic(&self.file, &bytes).map_err(|e| self.err(e))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_is_a_new_upload() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("v.mp4");
        std::fs::write(&f, b"abc").unwrap();
        let key = FileKey::of(&f).unwrap();
        let keep = Keep::new(dir.path());
        keep.update(|k| {
            k.uploads.push(PendingUpload {
                path: key.path.clone(),
                size: key.size,
                mtime: key.mtime,
                session_uri: Secret::new("http://x/s"),
                started: 1,
                metadata: None,
            })
        })
        .unwrap();
        assert!(keep.read().pending_for(&key).is_some());
        std::fs::write(&f, b"abcd").unwrap();
        assert!(keep.read().pending_for(&FileKey::of(&f).unwrap()).is_none());
        // A week later, or once the file is gone, the session is forgotten.
        let mut k = keep.read();
        k.prune(1 + SESSION_LIFE_SECS - 1);
        assert_eq!(k.uploads.len(), 1);
        k.prune(1 + SESSION_LIFE_SECS);
        assert!(k.uploads.is_empty());
        let mut k = keep.read();
        std::fs::remove_file(&f).unwrap();
        k.prune(2);
        assert!(k.uploads.is_empty());
    }
}
