//! The session/token store: one JSON file in the config dir shared by every
//! img2yt command and process.
//!
//! It holds the token (and when it was obtained, so a week-old anonymous
//! token is renewed before use), the current project, earlier projects and
//! render jobs still running on the server. Every change is a
//! read-modify-write under an exclusive lock ([`Store::update`]), written
//! atomically with mode 0600. A corrupt file is moved aside with a warning and
//! img2yt starts afresh; it never crashes over it. A value of the wrong type
//! costs only that value, with a warning ([`decode`]). A file written by a
//! newer img2yt is refused and left as it is: rewriting it in this version's
//! format would lose what the newer one keeps there. What is shown to the
//! user is left to `ui`; this module only reports warnings.

pub mod atomic;
mod decode;
pub mod paths;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::secret::Secret;
pub use paths::Paths;

/// The store's format version; bump it and add a step to [`migrate`] when
/// the format changes incompatibly.
pub const VERSION: u32 = 1;

/// How old an anonymous token may get before it is renewed (tokens last 7
/// days; renewing a little early avoids a failed request at the boundary).
pub const TOKEN_MAX_AGE_SECS: u64 = 7 * 24 * 3600 - 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenOrigin {
    /// From `NEMO_TOKEN`: never renewed by img2yt, never written to disk.
    Env,
    /// Obtained by img2yt from the anonymous-token endpoint.
    Anonymous,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredToken {
    pub value: Secret,
    /// Unix seconds.
    pub obtained_at: u64,
    pub origin: TokenOrigin,
}

impl StoredToken {
    pub fn is_stale(&self, now: u64) -> bool {
        self.origin == TokenOrigin::Anonymous
            && now.saturating_sub(self.obtained_at) >= TOKEN_MAX_AGE_SECS
    }
}

/// One project: a backend session with one timeline.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Project {
    pub session_id: String,
    pub task_id: String,
    #[serde(default)]
    pub bind_id: Option<String>,
    #[serde(default)]
    pub claim_token: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub created: u64,
    /// Files the server accepted for this project, in upload order.
    #[serde(default)]
    pub uploads: Vec<UploadRecord>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UploadRecord {
    pub name: String,
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub file_id: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// A render started on the server whose file is not on disk yet.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PendingRender {
    pub id: String,
    pub session_id: String,
    /// Unix seconds.
    pub started: u64,
    pub output: PathBuf,
    #[serde(default)]
    pub quality: Option<String>,
    #[serde(default)]
    pub force: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoreData {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub token: Option<StoredToken>,
    #[serde(default)]
    pub project: Option<Project>,
    #[serde(default)]
    pub earlier_projects: Vec<Project>,
    #[serde(default)]
    pub pending_renders: Vec<PendingRender>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StoreData {
    /// Make `project` current, keeping the previous one in the history.
    pub fn switch_project(&mut self, project: Project) {
        if let Some(old) = self.project.take() {
            if old.session_id != project.session_id {
                self.earlier_projects
                    .retain(|p| p.session_id != old.session_id);
                self.earlier_projects.insert(0, old);
                self.earlier_projects.truncate(50);
            }
        }
        self.project = Some(project);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read or write img2yt's settings in {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot save img2yt's settings: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("Your img2yt settings in {} were made by a newer img2yt (format {version}; this one reads up to {VERSION}). Update img2yt, or point IMG2YT_CONFIG_DIR at another folder.", path.display())]
    Newer { path: PathBuf, version: u64 },
}

impl StoreError {
    pub fn is_disk_full(&self) -> bool {
        matches!(self, StoreError::Io { source, .. } if source.raw_os_error() == Some(28))
    }
}

/// Handle to the store file. Cheap to share; every operation re-reads the
/// file so two processes always see each other's changes.
#[derive(Debug)]
pub struct Store {
    paths: Paths,
    warnings: Mutex<Vec<String>>,
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Store {
    pub fn new(paths: Paths) -> Store {
        Store {
            paths,
            warnings: Mutex::new(Vec::new()),
        }
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Warnings gathered so far (a corrupt file moved aside), for `ui` to
    /// show once.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap())
    }

    fn io_err(&self, path: &Path, source: io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Read the store (no lock needed: writes are atomic renames). A store
    /// made by a newer img2yt is an error, and the file is left untouched.
    pub fn read(&self) -> Result<StoreData, StoreError> {
        let path = self.paths.store_file();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(StoreData::default()),
            Err(e) => {
                self.move_aside(&path, &format!("it cannot be read ({e})"));
                return Ok(StoreData::default());
            }
        };
        let value = match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => v,
            Err(e) => {
                self.move_aside(&path, &format!("it is not valid ({e})"));
                return Ok(StoreData::default());
            }
        };
        match decode::decode(value) {
            Ok((data, left_out)) => {
                if !left_out.is_empty() {
                    self.warn(format!(
                        "Some of your img2yt settings could not be read and were left out ({}); the rest was kept.",
                        left_out.join(", ")
                    ));
                }
                Ok(migrate(data))
            }
            Err(decode::Unusable::Newer(version)) => Err(StoreError::Newer { path, version }),
            Err(decode::Unusable::NotAnObject) => {
                self.move_aside(&path, "it is not a JSON object");
                Ok(StoreData::default())
            }
        }
    }

    /// [`Store::read`] where an error cannot be reported: a store made by a
    /// newer img2yt reads as empty ([`Store::update`] still refuses to write
    /// over it, and startup has refused it already).
    pub fn load(&self) -> StoreData {
        self.read().unwrap_or_default()
    }

    /// Keep a warning for `ui`, once however often the file is read.
    fn warn(&self, msg: String) {
        let mut w = self.warnings.lock().unwrap();
        if !w.contains(&msg) {
            w.push(msg);
        }
    }

    fn move_aside(&self, path: &Path, why: &str) {
        let aside = path.with_extension(format!("corrupt-{}.json", now_secs()));
        let msg = match fs::rename(path, &aside) {
            Ok(()) => format!(
                "Your img2yt settings file was unusable because {why}; it was moved to {} and img2yt started fresh.",
                aside.display()
            ),
            Err(_) => format!("Your img2yt settings file was unusable because {why}; img2yt started fresh."),
        };
        self.warn(msg);
    }

    /// Change the store under the lock: re-read, apply `f`, write back
    /// atomically. Returns what `f` returns.
    pub fn update<T>(&self, f: impl FnOnce(&mut StoreData) -> T) -> Result<T, StoreError> {
        let lock_path = self.paths.lock_file();
        let _lock = Lock::acquire(&lock_path).map_err(|e| self.io_err(&lock_path, e))?;
        let mut data = self.read()?;
        let out = f(&mut data);
        data.version = VERSION;
        let bytes = serde_json::to_vec_pretty(&data)?;
        let path = self.paths.store_file();
        atomic::write_atomic(&path, &bytes).map_err(|e| self.io_err(&path, e))?;
        Ok(out)
    }
}

use atomic::Lock;

/// Bring an older store up to [`VERSION`]. Version 0 (no version field) is
/// the same format.
fn migrate(mut data: StoreData) -> StoreData {
    if data.version == 0 {
        data.version = VERSION;
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::resolve(Some(dir.path().to_path_buf())).unwrap();
        (dir, Store::new(paths))
    }

    #[test]
    fn round_trip_and_unknown_fields_survive() {
        let (dir, store) = store();
        fs::write(
            dir.path().join("store.json"),
            r#"{"version":1,"future_field":{"a":1},"project":{"session_id":"s","task_id":"t","later":true}}"#,
        )
        .unwrap();
        store
            .update(|d| d.project.as_mut().unwrap().title = Some("Iceland".into()))
            .unwrap();
        let raw: Value =
            serde_json::from_slice(&fs::read(dir.path().join("store.json")).unwrap()).unwrap();
        assert_eq!(raw["future_field"]["a"], 1);
        assert_eq!(raw["project"]["later"], true);
        assert_eq!(raw["project"]["title"], "Iceland");
    }

    #[test]
    fn corrupt_file_is_moved_aside() {
        let (dir, store) = store();
        fs::write(dir.path().join("store.json"), "{not json").unwrap();
        let data = store.load();
        assert!(data.project.is_none());
        let w = store.take_warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("moved to"));
        assert!(!dir.path().join("store.json").exists());
    }

    #[test]
    fn stale_tokens() {
        let t = StoredToken {
            value: Secret::new("x"),
            obtained_at: 0,
            origin: TokenOrigin::Anonymous,
        };
        assert!(t.is_stale(8 * 24 * 3600));
        assert!(!t.is_stale(3600));
        let env = StoredToken {
            origin: TokenOrigin::Env,
            ..t
        };
        assert!(!env.is_stale(8 * 24 * 3600));
    }
}
