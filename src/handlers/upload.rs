//! Uploading: validate every file before a byte is sent, stream the good
//! ones (up to three at a time, each with its own progress bar), upload URLs
//! by reference, and record what the server accepted in the store.

use futures_util::StreamExt;
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

use crate::api::{ApiError, UploadFile};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::input::paths::{Dirs, Named};
use crate::input::validate::{self, MediaKind};
use crate::store::UploadRecord;

/// Parallel uploads at most.
const PARALLEL: usize = 3;
/// An upload that sends nothing for this long is given up.
const STALL_AFTER: Duration = Duration::from_secs(60);
/// More images than this get a gentle note (transitions stay smooth).
const IMAGE_NOTE_OVER: usize = 10;

/// What an upload did.
#[derive(Debug, Default)]
pub struct Report {
    pub accepted: Vec<UploadRecord>,
    /// One line per refused file or argument: "name: reason".
    pub refused: Vec<String>,
}

/// `img2yt upload ARGS…`: every argument is a file, folder, glob or URL.
pub async fn run_args(ctx: &Ctx, args: &[String], cancel: &CancellationToken) -> Result<Report> {
    let named = Named::args(args, &Dirs::current().env());
    let report = upload(ctx, named, cancel).await?;
    finish(report)
}

/// Turn refusals into an exit code once the good files are up.
pub fn finish(report: Report) -> Result<Report> {
    if report.refused.is_empty() {
        Ok(report)
    } else if report.accepted.is_empty() {
        Err(Error::Input(if report.refused.len() == 1 {
            "Nothing was uploaded.".into()
        } else {
            format!(
                "Nothing was uploaded ({} files refused).",
                report.refused.len()
            )
        }))
    } else {
        Err(Error::Input(format!(
            "{} uploaded, {} refused (see above).",
            report.accepted.len(),
            report.refused.len()
        )))
    }
}

/// Validate and upload what `named` holds, with the refusals already
/// known (arguments that matched nothing). Folders and globs that gave
/// nothing are refused here, whoever found them.
pub async fn upload(ctx: &Ctx, named: Named, cancel: &CancellationToken) -> Result<Report> {
    let Named { found, mut refused } = named;
    refused.extend(found.empty.iter().map(|(e, why)| format!("{e}: {why}")));
    for r in &refused {
        ctx.out.warn(format!("skipped {r}"));
    }
    let mut files = Vec::new();
    for path in &found.files {
        match validate::validate(path) {
            Ok(a) => files.push(a),
            Err(r) => {
                ctx.out.warn(format!("skipped {r}"));
                refused.push(r.to_string());
            }
        }
    }
    let images = files.iter().filter(|f| f.kind == MediaKind::Image).count();
    if images > IMAGE_NOTE_OVER {
        ctx.out.note(format!(
            "Note: {images} images. Ten or fewer keep transitions smooth and processing fast; all of them will be uploaded."
        ));
    }
    let mut report = Report {
        refused,
        ..Default::default()
    };
    if files.is_empty() && found.urls.is_empty() {
        if report.refused.is_empty() {
            return Err(Error::Input(
                "Nothing to upload: name photos, a folder, a glob like ~/trip/*.jpg, or a URL."
                    .into(),
            ));
        }
        return Ok(report);
    }
    {
        let _s = ctx.out.spinner_with("Connecting…", false);
        tokio::select! {
            _ = cancel.cancelled() => return Err(Error::Interrupted),
            r = ctx.api.ensure_session() => { r?; }
        }
    }
    let multi = ctx.out.multi();
    let total = files.len();
    // Each upload finishes only after the previous one (see
    // `UploadFile::finish_after`): the service keeps media in the order
    // uploads complete, and that order is the video's.
    let mut previous: Option<tokio::sync::watch::Receiver<bool>> = None;
    let jobs: Vec<_> = files
        .into_iter()
        .map(|f| {
            let (done, rx) = tokio::sync::watch::channel(false);
            (f, previous.replace(rx), done)
        })
        .collect();
    let stall_after = ctx.scaled(STALL_AFTER);
    let uploads =
        futures_util::stream::iter(jobs.into_iter().enumerate().map(|(i, (f, after, done))| {
            let bar = multi.add(ctx.out.bytes_bar(Some(f.size), &f.name));
            let api = ctx.api.clone();
            async move {
                let b = bar.clone();
                let moved = Arc::new(Stall::default());
                let m = moved.clone();
                let progress: crate::api::UploadProgress = Arc::new(move |n| {
                    b.set_position(n);
                    m.progress(n);
                });
                let file = UploadFile {
                    path: f.path.clone(),
                    name: f.name.clone(),
                    size: f.size,
                    finish_after: after,
                };
                let size = file.size;
                // A dead network mid-upload is noticed by the lack of
                // progress, not only by the (long) overall timeout.
                let r = tokio::select! {
                    r = api.upload_file(&file, progress) => r,
                    _ = moved.stalled(size, stall_after) => Err(ApiError::Timeout {
                        detail: format!("no upload progress for {stall_after:?}"),
                    }),
                };
                let _ = done.send(true);
                bar.finish_and_clear();
                (i, f, r)
            }
        }))
        .buffered(PARALLEL);
    tokio::pin!(uploads);
    loop {
        let next = tokio::select! {
            _ = cancel.cancelled() => {
                record(ctx, &report.accepted)?;
                return Err(Error::Interrupted);
            }
            n = uploads.next() => n,
        };
        let Some((i, f, result)) = next else { break };
        match result {
            Ok(media) => {
                let server_name = media.first().map(|m| m.name.clone());
                let rec = UploadRecord {
                    name: server_name.unwrap_or_else(|| f.name.clone()),
                    size: Some(f.size),
                    file_id: media.first().and_then(|m| m.file_id.clone()),
                    source: Some(f.path.display().to_string()),
                };
                multi.suspend(|| {
                    ctx.out.status(format!(
                        "  ✓ {} ({}) [{}/{total}]",
                        f.name,
                        human_size(f.size),
                        i + 1
                    ))
                });
                report.accepted.push(rec);
            }
            Err(e @ (ApiError::UnsupportedType { .. } | ApiError::FileTooLarge { .. })) => {
                let line = format!("{}: refused by the service — {}", f.name, why(&f.name, &e));
                multi.suspend(|| ctx.out.warn(format!("skipped {line}")));
                report.refused.push(line);
            }
            Err(ApiError::LocalFile { detail, .. }) => {
                // Gone or changed since it was checked: say why in the
                // same words as the check before the upload would.
                let line = match validate::validate(&f.path) {
                    Err(r) => r.to_string(),
                    Ok(_) => format!("{}: could not be read any more ({detail})", f.name),
                };
                multi.suspend(|| ctx.out.warn(format!("skipped {line}")));
                report.refused.push(line);
            }
            Err(e) => {
                record(ctx, &report.accepted)?;
                return Err(e.into());
            }
        }
    }
    if !found.urls.is_empty() {
        let _s = ctx.out.spinner_with("Uploading links…", false);
        let media = tokio::select! {
            _ = cancel.cancelled() => return Err(Error::Interrupted),
            m = ctx.api.upload_urls(&found.urls) => m?,
        };
        let names: Vec<String> = if media.is_empty() {
            found.urls.clone()
        } else {
            media.iter().map(|m| m.name.clone()).collect()
        };
        for (n, url) in names
            .iter()
            .zip(found.urls.iter().chain(std::iter::repeat(&String::new())))
        {
            report.accepted.push(UploadRecord {
                name: n.clone(),
                size: None,
                file_id: None,
                source: Some(url.clone()).filter(|u| !u.is_empty()),
            });
        }
    }
    record(ctx, &report.accepted)?;
    show(ctx, &report);
    Ok(report)
}

/// Why the service refused `name`, in the fewest words: its own reason
/// when it gave one about this file (a file of an accepted type whose
/// picture cannot be decoded: "x.heic: the file ends before …"), else what
/// the refusal means in general (the accepted types, the size limit).
fn why(name: &str, e: &ApiError) -> String {
    match e {
        ApiError::UnsupportedType { detail } => detail
            .strip_prefix(name)
            .and_then(|d| d.strip_prefix(": "))
            .filter(|d| !d.trim().is_empty())
            .map_or_else(|| e.to_string(), str::to_string),
        _ => e.to_string(),
    }
}

/// Watches one upload's progress: the last byte count and when it moved.
#[derive(Default)]
struct Stall {
    sent: AtomicU64,
    /// Milliseconds since `EPOCH` when `sent` last changed.
    at_ms: AtomicU64,
}

static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn now_ms() -> u64 {
    EPOCH.get_or_init(Instant::now).elapsed().as_millis() as u64
}

impl Stall {
    fn progress(&self, n: u64) {
        if self.sent.swap(n, Ordering::Relaxed) != n || n == 0 {
            self.at_ms.store(now_ms(), Ordering::Relaxed);
        }
    }

    /// Resolves when the body is still being sent but has not moved for
    /// `after` (once every byte is sent, the server's answer is left to the
    /// request timeout).
    async fn stalled(&self, size: u64, after: Duration) {
        self.at_ms.store(now_ms(), Ordering::Relaxed);
        let tick = (after / 4).clamp(Duration::from_millis(20), Duration::from_secs(1));
        loop {
            tokio::time::sleep(tick).await;
            let idle = now_ms().saturating_sub(self.at_ms.load(Ordering::Relaxed));
            if self.sent.load(Ordering::Relaxed) < size && idle >= after.as_millis() as u64 {
                return;
            }
        }
    }
}

/// Remember accepted files in the current project.
fn record(ctx: &Ctx, accepted: &[UploadRecord]) -> Result<()> {
    if accepted.is_empty() {
        return Ok(());
    }
    let sid = ctx.api.session().map(|s| s.session_id);
    let accepted = accepted.to_vec();
    ctx.store.update(move |d| {
        if let Some(p) = d
            .project
            .as_mut()
            .filter(|p| Some(&p.session_id) == sid.as_ref())
        {
            p.uploads.extend(accepted);
        }
    })?;
    Ok(())
}

fn show(ctx: &Ctx, report: &Report) {
    if ctx.out.is_json() {
        ctx.out.json(json!({
            "type": "upload",
            "accepted": report.accepted.iter().map(|a| json!({"name": a.name, "size": a.size})).collect::<Vec<_>>(),
            "refused": report.refused,
        }));
        return;
    }
    if report.accepted.is_empty() {
        return;
    }
    let list: Vec<String> = report
        .accepted
        .iter()
        .map(|a| match a.size {
            Some(s) => format!("{} ({})", a.name, human_size(s)),
            None => a.name.clone(),
        })
        .collect();
    let n = report.accepted.len();
    ctx.out.line(format!(
        "Uploaded {n} file{}: {}",
        if n == 1 { "" } else { "s" },
        list.join(", ")
    ));
}

/// "1.2 MB", "830 KB", "12 B".
pub fn human_size(n: u64) -> String {
    const KB: f64 = 1024.0;
    let f = n as f64;
    if f >= KB * KB * KB {
        format!("{:.1} GB", f / KB / KB / KB)
    } else if f >= KB * KB {
        format!("{:.1} MB", f / KB / KB)
    } else if f >= KB {
        format!("{:.0} KB", f / KB)
    } else {
        format!("{n} B")
    }
}
