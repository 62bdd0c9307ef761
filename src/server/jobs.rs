//! Render jobs in the background, and taking over jobs whose process died.
//!
//! [`start`] runs one job: it calls [`render::render`] and writes the
//! job's phase and progress to the world and (throttled) to the store,
//! with a heartbeat while ffmpeg works. Every server process registers an
//! [`Instance`]: a lock file it holds while it lives. A stored job that is
//! pending or processing is *stale* when the instance running it no longer
//! holds its lock (killed with SIGKILL, say) or its heartbeat is older than
//! [`STALE_AFTER`]; [`resume_stale`] claims such a job (once, even with two
//! processes racing) and renders it again from the draft and media stored
//! with it. How a render is made is left to [`render`].

use serde_json::Value;
use std::cell::Cell;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::db::{now_ms, DbError, JobLease};
use super::render;
use super::world::{Media, Phase, RenderJob};
use super::Shared;

/// A job whose heartbeat is older than this is run again elsewhere.
pub const STALE_AFTER: Duration = Duration::from_secs(10);
/// How often a running job says it is alive.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// Progress is written to the store at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// This server process, as other processes on the same data dir see it:
/// `<data_dir>/instances/<id>.lock`, locked for as long as it runs.
pub struct Instance {
    id: String,
    path: PathBuf,
    _lock: File,
}

impl Instance {
    pub fn register(data_dir: &Path) -> io::Result<Instance> {
        let dir = data_dir.join("instances");
        std::fs::create_dir_all(&dir)?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        // Locked before it gets its name, so nobody sees it unlocked.
        let tmp = dir.join(format!("{id}.tmp"));
        let file = File::create(&tmp)?;
        file.try_lock().map_err(io::Error::from)?;
        let path = dir.join(format!("{id}.lock"));
        std::fs::rename(&tmp, &path)?;
        Ok(Instance {
            id,
            path,
            _lock: file,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the instance `id` still runs. A dead one's lock file is
    /// removed; when it cannot be told, say alive (the heartbeat decides).
    pub fn is_alive(&self, id: &str) -> bool {
        if id == self.id {
            return true;
        }
        if id.contains(['/', '\\', '.']) {
            return false;
        }
        let path = self.path.with_file_name(format!("{id}.lock"));
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return false,
            Err(_) => return true,
        };
        match file.try_lock() {
            Ok(()) => {
                drop(file);
                let _ = std::fs::remove_file(&path);
                false
            }
            Err(_) => true,
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether a stored unfinished job needs someone to run it: its runner
/// is gone, or has not said it is alive for [`STALE_AFTER`] (hung). This
/// process's own jobs are running (their task ends only with a result).
fn is_stale(sh: &Shared, lease: &JobLease, now: i64) -> bool {
    match &lease.runner {
        Some(r) if r == sh.instance.id() => false,
        Some(r) if !sh.instance.is_alive(r) => true,
        None => true,
        Some(_) => now - lease.updated_at > STALE_AFTER.as_millis() as i64,
    }
}

/// Run again every stale unfinished job (or only job `only`). Returns how
/// many this process took over.
pub fn resume_stale(sh: &Arc<Shared>, only: Option<&str>) -> Result<usize, DbError> {
    let now = now_ms();
    let mut taken = 0;
    for lease in sh.db.unfinished_renders(only)? {
        if !is_stale(sh, &lease, now) {
            continue;
        }
        let Some((draft, media)) = sh.db.claim_render(&lease, sh.instance.id())? else {
            continue; // another process was quicker
        };
        {
            let mut w = sh.world();
            if let Some(j) = w.renders.get_mut(&lease.id) {
                j.phase = Phase::Pending;
                j.progress = 0.0;
                j.error = None;
            }
        }
        // The dead process's unfinished files go. Its ffmpeg dies with it
        // on Linux; elsewhere it may still be writing (into a file that is
        // no longer there), so this render writes under another name.
        let stem = super::media::safe_name(&lease.id);
        remove_parts(&sh.data_dir.join("renders"), &stem);
        let file = secret_name(&stem);
        tokio::spawn(run(sh.clone(), lease.id, file, draft, media));
        taken += 1;
    }
    Ok(taken)
}

/// Remove job `stem`'s unfinished files from `dir`.
fn remove_parts(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if is_part_of(&e.file_name().to_string_lossy(), stem) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether `name` is one of job `stem`'s unfinished files:
/// `<stem>-<secret>.part.<ext>` (or `<stem>.part.<ext>`).
fn is_part_of(name: &str, stem: &str) -> bool {
    let Some(rest) = name.strip_prefix(stem) else {
        return false;
    };
    let rest = match rest.strip_prefix('-') {
        Some(r) => r.find('.').map_or("", |i| &r[i..]),
        None => rest,
    };
    rest.starts_with(".part.")
}

/// A render's file name: its id and 128 random bits, so that its
/// token-free CDN link cannot be guessed from the id (`render_<unix ms>`).
/// Each run gets a new one: a job run again after a crash never writes
/// into the file a dead process may still hold.
fn secret_name(stem: &str) -> String {
    format!("{stem}-{}", uuid::Uuid::new_v4().simple())
}

/// Render job `id` in the background. The job is already in the world
/// and the store, owned by this instance.
pub fn start(sh: Arc<Shared>, id: String, draft: Value, media: Vec<Media>) {
    let file = secret_name(&super::media::safe_name(&id));
    tokio::spawn(run(sh, id, file, draft, media));
}

/// Change the job in the world and, when `store`, in the store too.
/// False when another process has taken the job over.
fn update(sh: &Shared, id: &str, store: bool, f: impl FnOnce(&mut RenderJob)) -> bool {
    let mut w = sh.world();
    let Some(j) = w.renders.get_mut(id) else {
        return true;
    };
    let mut changed = j.clone();
    f(&mut changed);
    if store {
        // On an error the world still has it; a later write may store it.
        if let Ok(false) = sh.db.put_render_state(&changed, sh.instance.id()) {
            return false;
        }
    }
    *j = changed;
    true
}

/// How many renders one process runs at once. ffmpeg uses every core
/// already; two at a time keeps one long render from blocking a short one.
pub const RENDER_SLOTS: usize = 2;

/// Render job `id` to `<data_dir>/renders/<file>.mp4`.
async fn run(sh: Arc<Shared>, id: String, file: String, draft: Value, media: Vec<Media>) {
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Pending until a slot is free (the semaphore is never closed).
    let Ok(_slot) = sh.render_slots.acquire().await else {
        return;
    };
    if !update(&sh, &id, true, |j| j.phase = Phase::Processing) {
        return;
    }
    let out_dir = sh.data_dir.join("renders");
    let req = render::RenderRequest {
        id: &file,
        draft: &draft,
        media: &media,
        max_p: sh.cfg.max_p,
        out_dir: &out_dir,
    };
    let progress = {
        let (sh, id) = (sh.clone(), id.clone());
        let last_write = Cell::new(Instant::now());
        move |p: f64| {
            let store = last_write.get().elapsed() >= PROGRESS_EVERY;
            if store {
                last_write.set(Instant::now());
            }
            update(&sh, &id, store, |j| j.progress = p);
        }
    };
    let rendering = render::render(req, progress);
    tokio::pin!(rendering);
    let mut beat = tokio::time::interval(HEARTBEAT);
    let result = loop {
        tokio::select! {
            r = &mut rendering => break r,
            _ = beat.tick() => {
                // Taken over (this process was thought dead): stop, which
                // kills ffmpeg.
                if let Ok(false) = sh.db.heartbeat(&id, sh.instance.id()) {
                    return;
                }
            }
        }
    };
    match result {
        Ok(done) => {
            let size = std::fs::metadata(&done.video).map(|m| m.len()).ok();
            update(&sh, &id, true, |j| {
                j.phase = Phase::Completed;
                j.progress = 100.0;
                j.output = Some(done.video.clone());
                j.thumbnail = done.thumbnail.clone();
                j.warnings = done.warnings.clone();
                j.size = size;
                j.duration_s = Some(done.duration_s);
                j.width = done.width;
                j.height = done.height;
            });
        }
        Err(e) => {
            update(&sh, &id, true, |j| {
                j.phase = Phase::Failed;
                j.error = Some(e.clone());
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jobs_unfinished_files_and_only_those() {
        for yes in [
            "render_17.part.mp4",
            "render_17.part.photos0.txt",
            "render_17-0123abcd.part.jpg",
            "render_17-3f1c0e2a9b8d4c7e8f6a5b4c3d2e1f00.part.mp4",
        ] {
            assert!(is_part_of(yes, "render_17"), "{yes}");
        }
        for no in [
            "render_17.mp4",
            "render_17.jpg",
            "render_170.part.mp4",
            "render_17-0123abcd.mp4",
            "render_1.part.mp4",
        ] {
            assert!(!is_part_of(no, "render_17"), "{no}");
        }
    }
}
