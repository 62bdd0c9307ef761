//! The offline backend's persistent store: one SQLite file,
//! `<data_dir>/backend.sqlite3`, holding what must survive a restart —
//! accounts and tokens, sessions (with their media and draft) and render
//! jobs (with the draft and media needed to run them again).
//!
//! The in-memory [`World`](super::world::World) stays the working copy;
//! this module only writes rows through (one call per change) and reads
//! them all back as a [`Snapshot`]. Several processes may open the same
//! file (two `img2yt --local` at once): [`Db::changed`] tells when another
//! connection has written, so the caller reloads. Last writer wins per row.
//! Faults, scripts and the request log are never stored.
//!
//! The file holds tokens, so it is created with mode 0600 (SQLite gives its
//! `-wal` and `-shm` files the same mode).

use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::world::{Account, Media, Phase, RenderJob, Session, UserId, World};

/// The schema's version (`PRAGMA user_version`); bump it and add a step
/// to [`migrate`] when the schema changes.
pub const SCHEMA_VERSION: i64 = 1;

pub const FILE_NAME: &str = "backend.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The file exists but is not a (healthy) SQLite database.
    #[error("the database {} is damaged ({reason}); move it aside to start afresh", path.display())]
    Corrupt { path: PathBuf, reason: String },
    /// Written by a newer img2yt with a schema this one does not know.
    #[error("the database {} was made by a newer img2yt (schema {found}); update img2yt or use another data folder", path.display())]
    TooNew { path: PathBuf, found: i64 },
    /// Cannot be opened, read or written (permissions, disk full, locked).
    #[error("the database {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// Every stored row, as the world holds them.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub tokens: HashMap<String, UserId>,
    pub accounts: HashMap<UserId, Account>,
    pub client_tokens: HashMap<String, String>,
    pub sessions: HashMap<String, Session>,
    pub renders: HashMap<String, RenderJob>,
}

impl Snapshot {
    /// Put what is stored (accounts, tokens, sessions, renders) in `world`
    /// in place of what it held; faults, scripts and the log stay.
    pub fn replace_in(self, world: &mut World) {
        world.tokens = self.tokens;
        world.accounts = self.accounts;
        world.client_tokens = self.client_tokens;
        world.sessions = self.sessions;
        world.renders = self.renders;
    }
}

/// What the job runner needs to know about a stored, unfinished job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLease {
    pub id: String,
    /// The instance running it (see `jobs::Instance`), if any.
    pub runner: Option<String>,
    /// Unix milliseconds of the runner's last heartbeat.
    pub updated_at: i64,
}

pub struct Db {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// `PRAGMA data_version` when this process last read everything.
    seen: Mutex<i64>,
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis() as i64
}

impl Db {
    /// Open (creating when missing) `<dir>/backend.sqlite3`.
    pub fn open(dir: &Path) -> Result<Db, DbError> {
        let path = dir.join(FILE_NAME);
        let err = |source: rusqlite::Error| classify(&path, source);
        create_private(&path).map_err(|e| DbError::Sqlite {
            path: path.clone(),
            source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
        })?;
        let conn = Connection::open(&path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        // The first statement reads the header: a damaged file fails here.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        migrate(&conn, &path)?;
        let db = Db {
            conn: Mutex::new(conn),
            path,
            seen: Mutex::new(-1),
        };
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> DbError {
        classify(&self.path, e)
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, DbError> {
        let conn = super::unpoisoned(&self.conn);
        f(&conn).map_err(|e| self.err(e))
    }

    /// True when another connection has written since the last [`load`]
    /// (cheap: one pragma). The first call is always true.
    ///
    /// [`load`]: Db::load
    pub fn changed(&self) -> Result<bool, DbError> {
        let v = self.with(data_version)?;
        Ok(v != *super::unpoisoned(&self.seen))
    }

    /// Take the store's write lock (waiting up to 5 s for another
    /// process to finish): what is read and written until [`commit`] is
    /// one step no other process interleaves with. Every statement on this
    /// connection joins it, so the caller keeps it short.
    ///
    /// [`commit`]: Db::commit
    pub fn begin(&self) -> Result<(), DbError> {
        self.with(|c| c.execute_batch("BEGIN IMMEDIATE"))
    }

    pub fn commit(&self) -> Result<(), DbError> {
        self.with(|c| c.execute_batch("COMMIT"))
    }

    /// Read every row, in one consistent read.
    pub fn load(&self) -> Result<Snapshot, DbError> {
        let mut conn = super::unpoisoned(&self.conn);
        let r = (|| {
            // A savepoint: a read transaction of its own, or a part of
            // the one [`begin`] opened.
            let tx = conn.savepoint()?;
            let version = data_version(&tx)?;
            let snap = read_all(&tx)?;
            tx.commit()?;
            Ok((version, snap))
        })();
        let (version, snap) = r.map_err(|e| self.err(e))?;
        *super::unpoisoned(&self.seen) = version;
        Ok(snap)
    }

    /// The next number of a counter shared by every process (user and
    /// task ids stay unique when two processes create them at once).
    pub fn next_number(&self, counter: &str) -> Result<u64, DbError> {
        self.with(|c| {
            c.query_row(
                "INSERT INTO counters (name, value) VALUES (?1, 1)
                 ON CONFLICT(name) DO UPDATE SET value = value + 1
                 RETURNING value",
                [counter],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
        })
    }

    /// A new user with its token (and the client id it was made for).
    pub fn put_user(
        &self,
        user: &str,
        account: &Account,
        token: &str,
        client_id: Option<&str>,
    ) -> Result<(), DbError> {
        let mut conn = super::unpoisoned(&self.conn);
        let r = (|| {
            let tx = conn.savepoint()?;
            put_account(&tx, user, account)?;
            tx.execute(
                "INSERT OR REPLACE INTO tokens (token, user_id) VALUES (?1, ?2)",
                params![token, user],
            )?;
            if let Some(id) = client_id {
                tx.execute(
                    "INSERT OR REPLACE INTO client_tokens (client_id, token) VALUES (?1, ?2)",
                    params![id, token],
                )?;
            }
            tx.commit()
        })();
        r.map_err(|e| self.err(e))
    }

    pub fn put_account(&self, user: &str, account: &Account) -> Result<(), DbError> {
        self.with(|c| put_account(c, user, account))
    }

    /// Forget a user's tokens (fault injection: an expired token).
    pub fn drop_tokens_of(&self, user: &str) -> Result<(), DbError> {
        self.with(|c| c.execute("DELETE FROM tokens WHERE user_id = ?1", [user]))
            .map(|_| ())
    }

    /// Forget a user's sessions (fault injection: a lost session).
    pub fn drop_sessions_of(&self, user: &str) -> Result<(), DbError> {
        self.with(|c| c.execute("DELETE FROM sessions WHERE owner = ?1", [user]))
            .map(|_| ())
    }

    /// Write a session whole: its media list and draft included.
    pub fn put_session(&self, s: &Session) -> Result<(), DbError> {
        let media = media_json(&s.media);
        self.with(|c| {
            c.execute(
                "INSERT OR REPLACE INTO sessions
                 (id, task_id, bind_id, owner, language, draft, media, generated, history,
                  updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    s.id,
                    s.task_id,
                    s.bind_id,
                    s.owner,
                    s.language,
                    s.draft.to_string(),
                    media.to_string(),
                    Value::from(s.generated.clone()).to_string(),
                    Value::from(s.history.clone()).to_string(),
                    now_ms(),
                ],
            )
        })
        .map(|_| ())
    }

    /// A new job, with the draft and media it renders and its runner.
    pub fn insert_render(
        &self,
        job: &RenderJob,
        draft: &Value,
        media: &[Media],
        runner: &str,
    ) -> Result<(), DbError> {
        self.with(|c| {
            c.execute(
                "INSERT OR REPLACE INTO renders
                 (id, session, phase, progress, draft, media, runner, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    job.id,
                    job.session,
                    job.phase.as_str(),
                    job.progress,
                    draft.to_string(),
                    media_json(media).to_string(),
                    runner,
                    now_ms(),
                ],
            )
        })?;
        self.put_render_state(job, runner).map(|_| ())
    }

    /// A job's phase, progress and results; also its heartbeat. Written
    /// only while `runner` owns the job: false when another took it over.
    pub fn put_render_state(&self, job: &RenderJob, runner: &str) -> Result<bool, DbError> {
        let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.to_string_lossy().into_owned());
        self.with(|c| {
            c.execute(
                "UPDATE renders SET phase = ?2, progress = ?3, output = ?4, thumbnail = ?5,
                 size = ?6, duration_s = ?7, width = ?8, height = ?9, error = ?10, updated_at = ?11,
                 warnings = ?13
                 WHERE id = ?1 AND runner = ?12",
                params![
                    job.id,
                    job.phase.as_str(),
                    job.progress,
                    path(&job.output),
                    path(&job.thumbnail),
                    job.size.map(|s| s as i64),
                    job.duration_s,
                    job.width,
                    job.height,
                    job.error,
                    now_ms(),
                    runner,
                    Value::from(job.warnings.clone()).to_string(),
                ],
            )
        })
        .map(|n| n == 1)
    }

    /// "Still rendering": refresh the heartbeat of a job this runner owns.
    /// False when another runner has taken the job over.
    pub fn heartbeat(&self, id: &str, runner: &str) -> Result<bool, DbError> {
        self.with(|c| {
            c.execute(
                "UPDATE renders SET updated_at = ?3 WHERE id = ?1 AND runner = ?2",
                params![id, runner, now_ms()],
            )
        })
        .map(|n| n == 1)
    }

    /// Unfinished jobs (pending or processing), with who runs them.
    pub fn unfinished_renders(&self, only: Option<&str>) -> Result<Vec<JobLease>, DbError> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT id, runner, updated_at FROM renders
                 WHERE phase IN ('pending', 'processing') AND (?1 IS NULL OR id = ?1)",
            )?;
            let rows = st.query_map([only], |r| {
                Ok(JobLease {
                    id: r.get(0)?,
                    runner: r.get(1)?,
                    updated_at: r.get(2)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Take a job over from `lease`'s runner, if nobody else did first.
    /// Returns the draft and media to render it with.
    pub fn claim_render(
        &self,
        lease: &JobLease,
        me: &str,
    ) -> Result<Option<(Value, Vec<Media>)>, DbError> {
        self.with(|c| {
            let n = c.execute(
                "UPDATE renders SET runner = ?2, updated_at = ?3, phase = 'pending', progress = 0
                 WHERE id = ?1 AND runner IS ?4 AND updated_at = ?5
                   AND phase IN ('pending', 'processing')",
                params![lease.id, me, now_ms(), lease.runner, lease.updated_at],
            )?;
            if n != 1 {
                return Ok(None);
            }
            c.query_row(
                "SELECT draft, media FROM renders WHERE id = ?1",
                [&lease.id],
                |r| {
                    let draft: String = r.get(0)?;
                    let media: String = r.get(1)?;
                    Ok((
                        serde_json::from_str(&draft).unwrap_or(Value::Null),
                        media_from_json(&media),
                    ))
                },
            )
            .optional()
        })
    }
}

/// Create the file with mode 0600 when missing, and tighten it when not.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        o.mode(0o600);
        o.open(path)?;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o600 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    o.open(path)?;
    Ok(())
}

fn classify(path: &Path, e: rusqlite::Error) -> DbError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => DbError::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
        _ => DbError::Sqlite {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

fn data_version(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("PRAGMA data_version", [], |r| r.get(0))
}

/// Bring the schema to [`SCHEMA_VERSION`], under a write lock so two
/// processes starting at once do it once.
fn migrate(conn: &Connection, path: &Path) -> Result<(), DbError> {
    let err = |e| classify(path, e);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(err)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    if version > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            path: path.to_path_buf(),
            found: version,
        });
    }
    conn.execute_batch("BEGIN IMMEDIATE").map_err(err)?;
    let r = (|| {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version < 1 {
            conn.execute_batch(SCHEMA_V1)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        conn.execute_batch("COMMIT")
    })();
    if r.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    r.map_err(err)
}

const SCHEMA_V1: &str = "
CREATE TABLE accounts (
    user_id   TEXT PRIMARY KEY,
    anonymous INTEGER NOT NULL,
    total     REAL NOT NULL,
    used      REAL NOT NULL,
    frozen    REAL NOT NULL
);
CREATE TABLE tokens (
    token   TEXT PRIMARY KEY,
    user_id TEXT NOT NULL
);
CREATE TABLE client_tokens (
    client_id TEXT PRIMARY KEY,
    token     TEXT NOT NULL
);
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
-- draft, media, generated and history (earlier drafts, for undo) are JSON;
-- media keeps each upload's absolute path.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    task_id    TEXT NOT NULL,
    bind_id    TEXT NOT NULL,
    owner      TEXT NOT NULL,
    language   TEXT NOT NULL,
    draft      TEXT NOT NULL,
    media      TEXT NOT NULL,
    generated  TEXT NOT NULL,
    history    TEXT NOT NULL DEFAULT '[]',
    updated_at INTEGER NOT NULL
);
-- draft and media are what the job renders, so another process can run it
-- again; runner + updated_at (a heartbeat, unix ms) say whether anyone is.
CREATE TABLE renders (
    id         TEXT PRIMARY KEY,
    session    TEXT NOT NULL,
    phase      TEXT NOT NULL,
    progress   REAL NOT NULL,
    output     TEXT,
    thumbnail  TEXT,
    size       INTEGER,
    duration_s REAL,
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    warnings   TEXT NOT NULL DEFAULT '[]',
    draft      TEXT NOT NULL,
    media      TEXT NOT NULL,
    runner     TEXT,
    updated_at INTEGER NOT NULL
);
";

fn put_account(c: &Connection, user: &str, a: &Account) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR REPLACE INTO accounts (user_id, anonymous, total, used, frozen)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user, a.anonymous, a.total, a.used, a.frozen],
    )
    .map(|_| ())
}

/// Media as stored: unlike the state's `video_infos`, with the file path.
fn media_json(media: &[Media]) -> Value {
    media
        .iter()
        .map(|m| {
            json!({
                "name": m.name, "kind": m.kind, "size": m.size,
                "path": m.path.as_ref().map(|p| p.to_string_lossy()),
                "url": m.url, "file_id": m.file_id, "exposure": m.exposure,
            })
        })
        .collect()
}

fn media_from_json(s: &str) -> Vec<Media> {
    let v: Value = serde_json::from_str(s).unwrap_or(Value::Null);
    let text = |m: &Value, k: &str| m[k].as_str().map(str::to_string);
    v.as_array()
        .into_iter()
        .flatten()
        .map(|m| Media {
            name: text(m, "name").unwrap_or_default(),
            kind: text(m, "kind").unwrap_or_else(|| "image".into()),
            size: m["size"].as_u64().unwrap_or(0),
            path: text(m, "path").map(PathBuf::from),
            url: text(m, "url"),
            file_id: text(m, "file_id").unwrap_or_default(),
            exposure: m["exposure"].as_f64(),
        })
        .collect()
}

fn json_col(s: String, fallback: Value) -> Value {
    serde_json::from_str(&s).unwrap_or(fallback)
}

fn json_list(s: String) -> Vec<Value> {
    json_col(s, json!([]))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn phase_of(s: &str) -> Phase {
    match s {
        "processing" => Phase::Processing,
        "completed" => Phase::Completed,
        "failed" => Phase::Failed,
        _ => Phase::Pending,
    }
}

fn read_all(c: &Connection) -> rusqlite::Result<Snapshot> {
    let mut snap = Snapshot::default();
    let mut st = c.prepare("SELECT token, user_id FROM tokens")?;
    for row in st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (t, u) = row?;
        snap.tokens.insert(t, u);
    }
    let mut st = c.prepare("SELECT client_id, token FROM client_tokens")?;
    for row in st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (id, t) = row?;
        snap.client_tokens.insert(id, t);
    }
    let mut st = c.prepare("SELECT user_id, anonymous, total, used, frozen FROM accounts")?;
    for row in st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Account {
                anonymous: r.get(1)?,
                total: r.get(2)?,
                used: r.get(3)?,
                frozen: r.get(4)?,
            },
        ))
    })? {
        let (u, a) = row?;
        snap.accounts.insert(u, a);
    }
    let mut st = c.prepare(
        "SELECT id, task_id, bind_id, owner, language, draft, media, generated, history
         FROM sessions",
    )?;
    for row in st.query_map([], |r| {
        Ok(Session {
            id: r.get(0)?,
            task_id: r.get(1)?,
            bind_id: r.get(2)?,
            owner: r.get(3)?,
            language: r.get(4)?,
            draft: json_col(r.get(5)?, json!({"t": [], "d": 0})),
            media: media_from_json(&r.get::<_, String>(6)?),
            generated: json_list(r.get(7)?),
            history: json_list(r.get(8)?),
        })
    })? {
        let s = row?;
        snap.sessions.insert(s.id.clone(), s);
    }
    let mut st = c.prepare(
        "SELECT id, session, phase, progress, output, thumbnail, size, duration_s,
                width, height, error, warnings FROM renders",
    )?;
    for row in st.query_map([], |r| {
        Ok(RenderJob {
            id: r.get(0)?,
            session: r.get(1)?,
            phase: phase_of(&r.get::<_, String>(2)?),
            progress: r.get(3)?,
            output: r.get::<_, Option<String>>(4)?.map(PathBuf::from),
            thumbnail: r.get::<_, Option<String>>(5)?.map(PathBuf::from),
            size: r.get::<_, Option<i64>>(6)?.map(|s| s as u64),
            duration_s: r.get(7)?,
            width: r.get(8)?,
            height: r.get(9)?,
            error: r.get(10)?,
            warnings: json_list(r.get(11)?)
                .iter()
                .filter_map(|w| w.as_str().map(str::to_string))
                .collect(),
        })
    })? {
        let j = row?;
        snap.renders.insert(j.id.clone(), j);
    }
    Ok(snap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account {
            anonymous: true,
            total: 100.0,
            used: 50.0,
            frozen: 0.0,
        }
    }

    fn session() -> Session {
        Session {
            id: "sess_1".into(),
            task_id: "task_1".into(),
            bind_id: "bind_1".into(),
            owner: "u1".into(),
            language: "zh".into(),
            draft: json!({"t": [{"tt": 0, "sg": [{"d": 3000, "m": {"zz": 1, "aa": "标题"}}]}], "d": 3000}),
            media: vec![Media {
                name: "a b.jpg".into(),
                kind: "image".into(),
                size: 42,
                path: Some(PathBuf::from("/data/uploads/file_1-a_b.jpg")),
                url: None,
                file_id: "file_1".into(),
                exposure: Some(0.25),
            }],
            generated: vec![json!({"kind": "video"})],
            history: vec![json!({"t": [], "d": 0})],
        }
    }

    fn job() -> RenderJob {
        RenderJob {
            id: "render_1".into(),
            session: "sess_1".into(),
            phase: Phase::Pending,
            progress: 0.0,
            output: None,
            thumbnail: None,
            warnings: Vec::new(),
            size: None,
            duration_s: None,
            width: 0,
            height: 0,
            error: None,
        }
    }

    #[test]
    fn users_sessions_and_jobs_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.put_user("u1", &account(), "nmv_usr_x", Some("client-1"))
            .unwrap();
        let s = session();
        db.put_session(&s).unwrap();
        let mut j = job();
        db.insert_render(&j, &s.draft, &s.media, "me").unwrap();
        j.phase = Phase::Completed;
        j.progress = 100.0;
        j.output = Some(PathBuf::from("/data/renders/render_1.mp4"));
        j.size = Some(1234);
        j.duration_s = Some(3.0);
        (j.width, j.height) = (160, 90);
        j.warnings = vec!["no CJK font".into()];
        assert!(db.put_render_state(&j, "me").unwrap());
        assert!(!db.put_render_state(&j, "someone else").unwrap());

        let snap = Db::open(dir.path()).unwrap().load().unwrap();
        assert_eq!(snap.tokens["nmv_usr_x"], "u1");
        assert_eq!(snap.client_tokens["client-1"], "nmv_usr_x");
        assert_eq!(snap.accounts["u1"].used, 50.0);
        let back = &snap.sessions["sess_1"];
        assert_eq!(back.draft, s.draft);
        // Key order survives (the client sends the draft back as received).
        assert_eq!(back.draft.to_string(), s.draft.to_string());
        assert_eq!(back.media[0].path, s.media[0].path);
        assert_eq!(back.media[0].name, "a b.jpg");
        assert_eq!(back.generated, s.generated);
        assert_eq!(back.history, s.history);
        assert_eq!(back.media[0].exposure, Some(0.25));
        assert_eq!(back.language, "zh");
        let r = &snap.renders["render_1"];
        assert_eq!(r.phase, Phase::Completed);
        assert_eq!(r.output, j.output);
        assert_eq!((r.size, r.width, r.height), (Some(1234), 160, 90));
        assert_eq!(r.warnings, ["no CJK font"]);
    }

    #[test]
    fn another_connection_writing_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let a = Db::open(dir.path()).unwrap();
        let b = Db::open(dir.path()).unwrap();
        assert!(a.changed().unwrap(), "never read yet");
        a.load().unwrap();
        assert!(!a.changed().unwrap());
        a.put_session(&session()).unwrap();
        assert!(!a.changed().unwrap(), "its own writes do not count");
        b.put_account("u1", &account()).unwrap();
        assert!(a.changed().unwrap());
        assert_eq!(a.load().unwrap().accounts.len(), 1);
        assert!(!a.changed().unwrap());
    }

    #[test]
    fn counters_are_shared() {
        let dir = tempfile::tempdir().unwrap();
        let a = Db::open(dir.path()).unwrap();
        let b = Db::open(dir.path()).unwrap();
        assert_eq!(a.next_number("users").unwrap(), 1);
        assert_eq!(b.next_number("users").unwrap(), 2);
        assert_eq!(a.next_number("tasks").unwrap(), 1);
    }

    #[test]
    fn a_job_is_claimed_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let s = session();
        db.insert_render(&job(), &s.draft, &s.media, "dead")
            .unwrap();
        let lease = db.unfinished_renders(None).unwrap().remove(0);
        assert_eq!(lease.runner.as_deref(), Some("dead"));
        let (draft, media) = db.claim_render(&lease, "me").unwrap().unwrap();
        assert_eq!(draft, s.draft);
        assert_eq!(media[0].file_id, "file_1");
        assert!(db.claim_render(&lease, "other").unwrap().is_none());
        assert!(db.heartbeat("render_1", "me").unwrap());
        assert!(!db.heartbeat("render_1", "dead").unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        db.put_account("u1", &account()).unwrap();
        let mode = std::fs::metadata(db.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_damaged_file_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), vec![b'x'; 8192]).unwrap();
        let e = Db::open(dir.path()).err().expect("refused");
        assert!(matches!(e, DbError::Corrupt { .. }), "{e:?}");
        assert!(e.to_string().contains("move it aside"), "{e}");
    }
}
