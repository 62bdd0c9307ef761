//! Export: render on the server, show it moving, download it safely, and
//! never lose a render to a closed terminal.
//!
//! The render id goes into the store right after the job is accepted and
//! leaves it only when the file is on disk, so any later run can pick the
//! job up: plain `export` only this project's ([`run`]), `export --pending`
//! any project's ([`run_pending`]), so one project's video is never
//! delivered as another's. Downloads go to a `.part` file next to the
//! target, are checked against the announced length, resume with a Range
//! request, and are renamed into place; an existing file is never
//! overwritten without `--force`, and the thumbnail saved beside the video
//! never overwrites anything (`--force` is for the video only).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;

use crate::api::ApiError;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::store::{self, PendingRender};
use crate::timeline;
use crate::wire::{RenderPhase, RenderStatus};
use futures_util::StreamExt;

const FIRST_POLL: Duration = Duration::from_secs(5);
const POLL_EVERY: Duration = Duration::from_secs(30);
/// The in-process offline backend is asked often: it is on this machine.
const LOCAL_POLL: Duration = Duration::from_millis(400);
/// Give up waiting (the job is kept) after this long.
const RENDER_LIMIT: Duration = Duration::from_secs(15 * 60);
const DOWNLOAD_TRIES: u32 = 3;

#[derive(Debug, Clone)]
pub struct Options {
    pub output: Option<PathBuf>,
    pub quality: String,
    pub force: bool,
}

/// What landed on disk.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub path: PathBuf,
    pub size: u64,
    /// The video's thumbnail next to it, when the server made one.
    pub thumbnail: Option<PathBuf>,
}

/// With `--local`, renders run on this machine with ffmpeg: a missing
/// ffmpeg is one clear line with the install command, before any work.
pub fn check_local_renderer(ctx: &Ctx) -> Result<()> {
    if ctx.local && crate::server::tools::which("ffmpeg").is_none() {
        return Err(Error::Render(crate::server::render::ffmpeg_install_hint()));
    }
    Ok(())
}

/// `export`: pick up a pending render of this project if there is one,
/// else render the current draft. Another project's pending render is
/// only mentioned, never delivered as this project's video.
pub async fn run(ctx: &Ctx, opts: &Options, cancel: &CancellationToken) -> Result<Delivered> {
    check_local_renderer(ctx)?;
    let sid = current_session(ctx);
    let pending = ctx.store.load().pending_renders;
    if let Some(job) = pending.iter().find(|j| j.session_id == sid) {
        match resume(ctx, job.clone(), true, opts, cancel).await {
            Err(Error::Api(e)) if is_gone(&e) => ctx
                .out
                .status("That render is no longer on the server; starting a new one."),
            done => return done,
        }
    } else if let Some(other) = pending.first() {
        ctx.out.note(format!(
            "A render of another project (started {}) is still waiting and was left alone: `img2yt export --pending` downloads it.",
            ago(other.started)
        ));
    }
    let state = {
        let _s = ctx.out.spinner_with("Checking the timeline…", false);
        tokio::select! {
            _ = cancel.cancelled() => return Err(Error::Interrupted),
            s = ctx.api.state() => s?,
        }
    };
    let draft = timeline::draft_of(&state).unwrap_or(Value::Null);
    if !timeline::is_exportable(&draft) {
        return Err(Error::NothingToExport(
            "Nothing to export yet: share some images and describe the video first (for example \"turn these images into a YouTube video with music and transitions\").".into(),
        ));
    }
    let title = ctx.store.load().project.and_then(|p| p.title).or_else(|| {
        timeline::parse_draft(&draft)
            .tracks
            .iter()
            .filter(|t| matches!(t.kind, timeline::TrackKind::Text))
            .find_map(|t| t.segments.iter().find_map(|s| s.label.clone()))
    });
    let target = target_path(opts.output.as_deref(), title.as_deref(), opts.force)?;
    let job = submit(ctx, &draft, &target, opts).await?;
    finish_job(ctx, job, opts, cancel, true).await
}

/// `export --pending` (and the REPL's start-up offer): finish a render
/// left waiting by an earlier run — this project's first, else the oldest
/// of any project — instead of rendering the current draft.
pub async fn run_pending(
    ctx: &Ctx,
    opts: &Options,
    cancel: &CancellationToken,
) -> Result<Delivered> {
    check_local_renderer(ctx)?;
    let sid = current_session(ctx);
    let pending = ctx.store.load().pending_renders;
    let Some(job) = pending
        .iter()
        .find(|j| j.session_id == sid)
        .or(pending.first())
        .cloned()
    else {
        return Err(Error::NothingToExport(
            "No render is waiting to be downloaded; `img2yt export` renders the current project."
                .into(),
        ));
    };
    let own = job.session_id == sid;
    let done = match resume(ctx, job, own, opts, cancel).await {
        Err(Error::Api(e)) if is_gone(&e) => {
            return Err(Error::Render(
                "That render is no longer on the server, so there is nothing to download.".into(),
            ))
        }
        done => done?,
    };
    let left = ctx.store.load().pending_renders.len();
    if left > 0 {
        ctx.out.note(format!(
            "{left} more waiting: run `img2yt export --pending` again to download the next."
        ));
    }
    Ok(done)
}

/// Finish a pending render; `own` says it belongs to the current project
/// (only then may a failed render be redone from the current timeline).
/// The path stored with the job is only the default: `-o` wins, and the
/// store learns the new path so a later run delivers it there too.
async fn resume(
    ctx: &Ctx,
    mut job: PendingRender,
    own: bool,
    opts: &Options,
    cancel: &CancellationToken,
) -> Result<Delivered> {
    if let Some(output) = opts.output.as_deref() {
        let title = own
            .then(|| ctx.store.load().project.and_then(|p| p.title))
            .flatten();
        let target = target_path(Some(output), title.as_deref(), opts.force)?;
        job.output = std::path::absolute(&target).unwrap_or(target);
        job.force = opts.force;
        let j = job.clone();
        ctx.store.update(move |d| {
            if let Some(stored) = d.pending_renders.iter_mut().find(|s| s.id == j.id) {
                stored.output = j.output;
                stored.force = j.force;
            }
        })?;
    }
    ctx.out.status(format!(
        "Picking up the render {}started {} (it was not downloaded yet).",
        if own { "" } else { "of another project, " },
        ago(job.started)
    ));
    finish_job(ctx, job, opts, cancel, own).await
}

/// The current project's session id ("" when there is none yet).
fn current_session(ctx: &Ctx) -> String {
    ctx.api.session().map(|s| s.session_id).unwrap_or_default()
}

/// Submit a render and remember it before the first poll.
async fn submit(ctx: &Ctx, draft: &Value, target: &Path, opts: &Options) -> Result<PendingRender> {
    let mut id = format!("render_{}", chrono::Utc::now().timestamp_millis());
    {
        let _s = ctx.out.spinner_with("Starting the render…", false);
        let answer = ctx.api.render_submit(&id, draft, &opts.quality).await?;
        // A server may name the job itself; poll the id it gives back.
        if let Some(theirs) =
            crate::wire::lenient::first_string(&answer, &["id", "render_id", "renderId", "job_id"])
        {
            id = theirs;
        }
    }
    let job = PendingRender {
        id,
        session_id: current_session(ctx),
        started: store::now_secs(),
        // Absolute: a later run picking the job up may start elsewhere.
        output: std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf()),
        quality: Some(opts.quality.clone()),
        force: opts.force,
    };
    let j = job.clone();
    ctx.store.update(move |d| d.pending_renders.push(j))?;
    Ok(job)
}

/// The server does not know this render (any more): polling it again
/// cannot help.
fn is_gone(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Service {
            status: 404 | 410,
            ..
        }
    )
}

fn forget(ctx: &Ctx, id: &str) -> Result<()> {
    let id = id.to_string();
    ctx.store
        .update(move |d| d.pending_renders.retain(|j| j.id != id))?;
    Ok(())
}

/// Poll a job to the end, download it, and report. A failed render of the
/// current project (`own`) is retried once with a new id; another
/// project's cannot be, as its timeline is not the one at hand.
async fn finish_job(
    ctx: &Ctx,
    mut job: PendingRender,
    opts: &Options,
    cancel: &CancellationToken,
    own: bool,
) -> Result<Delivered> {
    let mut retried = false;
    let status = loop {
        let st = match poll(ctx, &job, cancel).await {
            Ok(st) => st,
            Err(Error::Api(e)) if is_gone(&e) => {
                forget(ctx, &job.id)?;
                return Err(Error::Api(e));
            }
            Err(e) => return Err(e),
        };
        if st.status == RenderPhase::Completed {
            break st;
        }
        let why = st.error.clone().unwrap_or_else(|| "no reason given".into());
        forget(ctx, &job.id)?;
        if !own {
            return Err(Error::Render(format!(
                "The render of the other project failed ({why}); it is no longer waiting."
            )));
        }
        if retried {
            return Err(Error::Render(format!(
                "The render failed twice ({why}). Your timeline is safe; try `export` again in a while."
            )));
        }
        retried = true;
        ctx.out
            .status(format!("The render failed ({why}); trying once more…"));
        let state = ctx.api.state().await?;
        let draft = timeline::draft_of(&state).unwrap_or(Value::Null);
        let target = job.output.clone();
        job = submit(ctx, &draft, &target, opts).await?;
    };
    let target = free_target(&job.output, opts.force || job.force);
    let mut delivered = download(ctx, &job, &status, &target, cancel).await?;
    if let Some(url) = &status.thumbnail_url {
        delivered.thumbnail = thumbnail(ctx, url, &target, cancel).await;
    }
    forget(ctx, &job.id)?;
    if own {
        remember(ctx, &delivered);
    }
    report(ctx, &delivered, &status, own).await;
    Ok(delivered)
}

/// Wait for a job to finish, with a progress bar when the server gives a
/// figure and a spinner with elapsed time when it does not.
async fn poll(ctx: &Ctx, job: &PendingRender, cancel: &CancellationToken) -> Result<RenderStatus> {
    let spinner = ctx.out.spinner("Rendering your video…");
    let bar = ctx.out.percent_bar("Rendering");
    let start = tokio::time::Instant::now();
    let every = if ctx.local { LOCAL_POLL } else { POLL_EVERY };
    let mut wait = ctx.scaled(if ctx.local { LOCAL_POLL } else { FIRST_POLL });
    let mut last_progress: Option<u64> = None;
    let mut in_percent = false;
    let stopped = || {
        bar.finish_and_clear();
        ctx.out.status("Stopped waiting. The render goes on and is kept: run `img2yt export` later to download it.");
        Err(Error::Interrupted)
    };
    loop {
        tokio::select! {
            _ = cancel.cancelled() => {
                drop(spinner);
                return stopped();
            }
            _ = tokio::time::sleep(wait) => {}
        }
        wait = ctx.scaled(every);
        // Checked before every request, so a status route that keeps
        // failing cannot keep img2yt polling for ever.
        if start.elapsed() > ctx.scaled(RENDER_LIMIT) {
            bar.finish_and_clear();
            return Err(Error::Render(
                "The render is taking unusually long. It is kept: run `img2yt export` later to download it.".into(),
            ));
        }
        // A slow status request (with its retries) must not hold up Ctrl-C.
        let st = tokio::select! {
            _ = cancel.cancelled() => {
                drop(spinner);
                return stopped();
            }
            st = ctx.api.render_status(&job.id) => st,
        };
        let st = match st {
            Ok(st) => st,
            Err(e) if is_gone(&e) => {
                bar.finish_and_clear();
                return Err(e.into());
            }
            Err(e) if e.is_transient() => {
                ctx.out.debug(format!("render status: {e}"));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        match st.status {
            RenderPhase::Completed | RenderPhase::Failed => {
                bar.finish_and_clear();
                return Ok(st);
            }
            _ => {}
        }
        // A server counting in percent sends early figures ≤ 1 too: once
        // any figure above 1 was seen, read them all as percent.
        if st.progress_raw.is_some_and(|r| r > 1.0) {
            in_percent = true;
        }
        let progress = match (in_percent, st.progress_raw) {
            (true, Some(raw)) => Some(raw.clamp(0.0, 100.0)),
            _ => st.progress,
        };
        if let Some(p) = progress {
            if !spinner.is_hidden() {
                spinner.bar().finish_and_clear();
            }
            bar.set_position(p as u64);
            ctx.out.show_bar(&bar);
            if !ctx.out.animate() && last_progress != Some(p as u64 / 25) {
                ctx.out.status(format!("Rendering… {p:.0}%"));
            }
            last_progress = Some(p as u64 / 25);
        }
    }
}

/// Download the rendered file: `output.url` first (no Authorization to a
/// foreign host), then the API's download route; resume with Range.
async fn download(
    ctx: &Ctx,
    job: &PendingRender,
    st: &RenderStatus,
    target: &Path,
    cancel: &CancellationToken,
) -> Result<Delivered> {
    let part = part_path(target);
    let mut last_err: Option<Error> = None;
    let sources: Vec<Option<&str>> = match st.output_url.as_deref() {
        Some(u) => vec![Some(u), None],
        None => vec![None],
    };
    for source in sources {
        for _ in 0..DOWNLOAD_TRIES {
            let have = tokio::fs::metadata(&part)
                .await
                .map(|m| m.len())
                .unwrap_or(0);
            let request = async {
                match source {
                    Some(url) => ctx.api.download_url(url, have).await,
                    None => ctx.api.render_download(&job.id, have).await,
                }
            };
            let resp = tokio::select! {
                _ = cancel.cancelled() => {
                    ctx.out.status("Download stopped. The render is kept: run `img2yt export` to get it.");
                    return Err(Error::Interrupted);
                }
                r = request => r,
            };
            let resp = match resp {
                Ok(r) => r,
                Err(e) => {
                    ctx.out.debug(format!(
                        "download from {}: {e}",
                        source.unwrap_or("the API")
                    ));
                    last_err = Some(e.into());
                    break;
                }
            };
            match save(ctx, resp, &part, have, st.size, cancel).await {
                Ok(size) => {
                    place(&part, target)?;
                    return Ok(Delivered {
                        path: target.to_path_buf(),
                        size,
                        thumbnail: None,
                    });
                }
                Err(Error::Interrupted) => {
                    ctx.out.status("Download stopped. It resumes where it left off on the next `img2yt export`.");
                    return Err(Error::Interrupted);
                }
                Err(e @ Error::Io(_)) => return Err(e),
                Err(e) => {
                    ctx.out.debug(format!("download broke: {e}; resuming"));
                    last_err = Some(e);
                }
            }
        }
    }
    Err(last_err.unwrap_or_else(|| Error::Render("The video could not be downloaded.".into())))
}

/// Save the server's thumbnail next to the video (`trip.mp4` → `trip.jpg`).
/// A missing thumbnail never fails an export: the video is what was asked.
/// It never replaces a file either, not even with `--force` (which is for
/// the video the user named): `trip.jpg` may well be one of the photos.
async fn thumbnail(
    ctx: &Ctx,
    url: &str,
    video: &Path,
    cancel: &CancellationToken,
) -> Option<PathBuf> {
    let part = part_path(&video.with_extension("jpg"));
    let _ = tokio::fs::remove_file(&part).await;
    let saved = async {
        let resp = ctx.api.download_url(url, 0).await?;
        save(ctx, resp, &part, 0, None, cancel).await?;
        place_new(&part, video)
    };
    match saved.await {
        Ok(target) => Some(target),
        Err(e) => {
            let _ = tokio::fs::remove_file(&part).await;
            ctx.out.debug(format!("thumbnail from {url}: {e}"));
            None
        }
    }
}

/// Move the finished thumbnail `part` to the first free name for `video`'s
/// thumbnail. A hard link cannot replace a file, so a name taken between
/// the check and the move is skipped rather than overwritten; where the
/// filesystem has no hard links, a rename to the name just found free.
fn place_new(part: &Path, video: &Path) -> Result<PathBuf> {
    for _ in 0..100 {
        let target = thumbnail_target(video, |p| p.exists());
        match std::fs::hard_link(part, &target) {
            Ok(()) => {
                let _ = std::fs::remove_file(part);
                return Ok(target);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => return place(part, &target).map(|()| target),
        }
    }
    Err(Error::Io("No free name for the thumbnail.".into()))
}

/// The thumbnail's name: `trip.jpg` next to `trip.mp4`, else
/// `trip-thumbnail.jpg`, `trip-thumbnail-2.jpg`… — the first that does not
/// `exist`.
pub fn thumbnail_target(video: &Path, exists: impl Fn(&Path) -> bool) -> PathBuf {
    let stem = video
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::iter::once(video.with_extension("jpg"))
        .chain(std::iter::once(
            video.with_file_name(format!("{stem}-thumbnail.jpg")),
        ))
        .chain((2..).map(|n| video.with_file_name(format!("{stem}-thumbnail-{n}.jpg"))))
        .find(|p| !exists(p))
        .expect("some name is free")
}

/// Stream a response into `part`, appending when the server honoured the
/// Range request; returns the final size once it matches what was announced.
async fn save(
    ctx: &Ctx,
    resp: reqwest::Response,
    part: &Path,
    have: u64,
    announced: Option<u64>,
    cancel: &CancellationToken,
) -> Result<u64> {
    let resumed = resp.status() == reqwest::StatusCode::PARTIAL_CONTENT && have > 0;
    let start = if resumed { have } else { 0 };
    let expected = resp.content_length().map(|n| n + start).or(announced);
    let io_err = |e: std::io::Error| {
        if e.raw_os_error() == Some(28) {
            Error::Io(format!("Your disk is full; free some space and run `img2yt export` again (the render is kept). ({})", part.display()))
        } else {
            Error::Io(format!("Cannot write {}: {e}", part.display()))
        }
    };
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .append(resumed)
        .write(true)
        .truncate(!resumed)
        .open(part)
        .await
        .map_err(io_err)?;
    let bar = ctx.out.bytes_bar(expected, "Downloading");
    bar.set_position(start);
    let mut written = start;
    let mut body = resp.bytes_stream();
    loop {
        let chunk = tokio::select! {
            _ = cancel.cancelled() => {
                let _ = file.flush().await;
                bar.finish_and_clear();
                return Err(Error::Interrupted);
            }
            c = body.next() => c,
        };
        match chunk {
            None => break,
            Some(Ok(bytes)) => {
                file.write_all(&bytes).await.map_err(io_err)?;
                written += bytes.len() as u64;
                bar.set_position(written);
            }
            Some(Err(e)) => {
                let _ = file.flush().await;
                bar.finish_and_clear();
                return Err(ApiError::Broken {
                    detail: format!("download interrupted: {e}"),
                }
                .into());
            }
        }
    }
    file.flush().await.map_err(io_err)?;
    file.sync_all().await.map_err(io_err)?;
    bar.finish_and_clear();
    for want in [expected, announced].into_iter().flatten() {
        if written != want {
            return Err(ApiError::Broken {
                detail: format!("download incomplete: {written} of {want} bytes"),
            }
            .into());
        }
    }
    Ok(written)
}

/// Move the finished `.part` file to the target.
fn place(part: &Path, target: &Path) -> Result<()> {
    std::fs::rename(part, target).map_err(|e| {
        Error::Io(format!(
            "Cannot move the video to {}: {e}",
            target.display()
        ))
    })
}

fn part_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.part"))
}

/// Where the video goes: `-o PATH` (a folder gets the default name inside),
/// else `./<title or "img2yt">-<YYYYMMDD-HHMMSS>.mp4`. Only the file name of
/// a title is used, so it cannot lead elsewhere.
pub fn target_path(output: Option<&Path>, title: Option<&str>, force: bool) -> Result<PathBuf> {
    let default_name = || {
        let stem = title
            .map(safe_name)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "img2yt".into());
        format!(
            "{stem}-{}.mp4",
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        )
    };
    let path = match output {
        Some(p) if p.is_dir() => p.join(default_name()),
        Some(p) => {
            let p = if p.extension().is_none() {
                p.with_extension("mp4")
            } else {
                p.to_path_buf()
            };
            if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                if !parent.is_dir() {
                    return Err(Error::Input(format!(
                        "The folder {} does not exist.",
                        parent.display()
                    )));
                }
            }
            p
        }
        None => PathBuf::from(default_name()),
    };
    Ok(free_target(&path, force))
}

/// `path`, or with a `-2`, `-3`… suffix when it exists and `force` is off.
pub fn free_target(path: &Path, force: bool) -> PathBuf {
    if force || !path.exists() {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .expect("some suffix is free")
}

/// A title made safe as a file name: no separators, no dots leading out.
pub fn safe_name(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == ' ' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .trim_matches('-')
        .chars()
        .take(60)
        .collect()
}

fn ago(started: u64) -> String {
    let secs = store::now_secs().saturating_sub(started);
    match secs {
        0..=59 => "moments ago".into(),
        60..=3599 => format!("{} min ago", secs / 60),
        _ => format!("{} h ago", secs / 3600),
    }
}

/// Duration and resolution: from the server, else from ffprobe if present.
async fn probe(path: &Path) -> Option<(f64, u64, u64)> {
    let out = tokio::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "format=duration:stream=width,height",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .await
        .ok()?;
    let v: Value = serde_json::from_slice(&out.stdout).ok()?;
    let d = crate::wire::lenient::as_f64(&v["format"]["duration"])?;
    let s = &v["streams"][0];
    Some((d, s["width"].as_u64()?, s["height"].as_u64()?))
}

/// A path as shown to the user: short when it is in the current folder,
/// in full otherwise.
fn shown(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// `own`: the video is the current project's, so its browser link fits.
async fn report(ctx: &Ctx, d: &Delivered, st: &RenderStatus, own: bool) {
    let (duration, w, h) = match (st.duration_s, st.width, st.height) {
        (Some(d), Some(w), Some(h)) => (Some(d), Some(w), Some(h)),
        _ => match probe(&d.path).await {
            Some((d, w, h)) => (Some(d), Some(w), Some(h)),
            None => (st.duration_s, st.width, st.height),
        },
    };
    // The offline backend has no web app: a link would lead nowhere.
    let link = if ctx.local || !own {
        None
    } else {
        super::project::link(ctx).await.ok()
    };
    let mut facts = vec![super::upload::human_size(d.size)];
    if let Some(s) = duration {
        facts.push(format!("{s:.1} s"));
    }
    if let (Some(w), Some(h)) = (w, h) {
        facts.push(format!("{w}×{h}"));
    }
    ctx.out.result(
        format!("✅ Saved {} ({})", shown(&d.path).display(), facts.join(", ")),
        json!({"type": "export", "path": d.path, "size": d.size, "duration": duration, "width": w, "height": h, "thumbnail": d.thumbnail, "link": link, "warnings": st.warnings}),
    );
    if !ctx.out.is_json() {
        if let Some(t) = &d.thumbnail {
            ctx.out
                .line(format!("Thumbnail for YouTube: {}", shown(t).display()));
        }
        for w in &st.warnings {
            ctx.out.warn(w);
        }
    }
    if let Some(l) = link {
        if !ctx.out.is_json() {
            ctx.out.line(format!("Open it in the browser: {l}"));
        }
    }
}

/// A note for commands other than `export` when a render is waiting: plain
/// `export` gets only this project's, `export --pending` any project's.
pub fn pending_note(ctx: &Ctx) -> Option<String> {
    let pending = ctx.store.load().pending_renders;
    let sid = current_session(ctx);
    let command = if pending.iter().any(|j| j.session_id == sid) {
        "img2yt export"
    } else {
        "img2yt export --pending"
    };
    let n = pending.len();
    (n > 0).then(|| {
        format!(
            "A render from earlier is waiting to be downloaded: run `{command}` to get it{}.",
            if n > 1 {
                format!(" ({n} waiting)")
            } else {
                String::new()
            }
        )
    })
}

/// Where a project's last export is remembered (in the project's entry of
/// the store, so another project's video is never taken for this one's).
const LAST_EXPORT: &str = "last_export";

/// Remember `d` as the current project's last export, for a later
/// `img2yt publish` without a VIDEO. Best effort: publishing can always be
/// given the file.
pub fn remember(ctx: &Ctx, d: &Delivered) {
    let entry = serde_json::json!({"path": d.path, "thumbnail": d.thumbnail});
    let _ = ctx.store.update(|data| {
        if let Some(p) = data.project.as_mut() {
            p.extra.insert(LAST_EXPORT.into(), entry);
        }
    });
}

/// The current project's last export, if its file is still there.
pub fn remembered(ctx: &Ctx) -> Option<(PathBuf, Option<PathBuf>)> {
    let project = ctx.store.load().project?;
    let entry = project.extra.get(LAST_EXPORT)?;
    let path = PathBuf::from(entry["path"].as_str()?);
    let thumb = entry["thumbnail"].as_str().map(PathBuf::from);
    path.is_file()
        .then_some((path, thumb.filter(|t| t.is_file())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(safe_name("Iceland 2026"), "Iceland-2026");
        assert_eq!(safe_name("../../etc/passwd"), "etc-passwd");
        assert_eq!(safe_name("冰岛 之旅"), "冰岛-之旅");
    }

    #[test]
    fn existing_files_get_a_suffix() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("trip.mp4");
        assert_eq!(free_target(&p, false), p);
        std::fs::write(&p, b"x").unwrap();
        assert_eq!(free_target(&p, false), dir.path().join("trip-2.mp4"));
        std::fs::write(dir.path().join("trip-2.mp4"), b"x").unwrap();
        assert_eq!(free_target(&p, false), dir.path().join("trip-3.mp4"));
        assert_eq!(free_target(&p, true), p);
    }

    #[test]
    fn the_thumbnail_takes_a_free_name() {
        let taken = |names: &[&str]| {
            let names: Vec<PathBuf> = names.iter().map(|n| Path::new("trip").join(n)).collect();
            move |p: &Path| names.iter().any(|n| n == p)
        };
        let video = Path::new("trip/trip.mp4");
        for (existing, want) in [
            (&[][..], "trip.jpg"),
            (&["trip.jpg"][..], "trip-thumbnail.jpg"),
            (
                &["trip.jpg", "trip-thumbnail.jpg"][..],
                "trip-thumbnail-2.jpg",
            ),
            (
                &["trip.jpg", "trip-thumbnail.jpg", "trip-thumbnail-2.jpg"][..],
                "trip-thumbnail-3.jpg",
            ),
            // Only the names it would take matter.
            (&["trip-thumbnail.jpg"][..], "trip.jpg"),
        ] {
            assert_eq!(
                thumbnail_target(video, taken(existing)),
                Path::new("trip").join(want),
                "{existing:?}"
            );
        }
        // A video saved as .jpg is taken by then: its thumbnail goes beside it.
        assert_eq!(
            thumbnail_target(Path::new("v.jpg"), |p| p == Path::new("v.jpg")),
            Path::new("v-thumbnail.jpg")
        );
    }

    #[test]
    fn default_target_uses_the_title() {
        let dir = tempfile::tempdir().unwrap();
        let t = target_path(Some(dir.path()), Some("My Trip!"), false).unwrap();
        let name = t.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("My-Trip-") && name.ends_with(".mp4"),
            "{name}"
        );
        assert_eq!(t.parent().unwrap(), dir.path());
        assert!(target_path(Some(Path::new("/no/such/dir/x.mp4")), None, false).is_err());
    }
}
