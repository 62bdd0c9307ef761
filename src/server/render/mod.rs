//! Rendering a draft to a YouTube-ready MP4 (and its thumbnail), for the
//! embedded backend.
//!
//! The pictures are ours: [`compose`] decodes each photo once and makes
//! every frame, in 4:2:0 YUV, on a few threads. ffmpeg only encodes:
//! [`encode`] builds its command (pure, unit-tested), which reads the raw
//! frames from a pipe and makes the soundtrack. [`render`] gathers what a
//! render needs (media paths, EXIF orientation, fonts, the best photo for
//! the thumbnail), feeds the frames to ffmpeg, counts them for a live
//! figure, and drains ffmpeg's stderr concurrently so a failing render
//! says why (ripgrep's `CommandReader` habit).

/// Shared with the client's storyboard, which draws text too.
pub mod compose;
pub mod encode;
pub mod music;
mod pipe;
pub mod probe;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::AsyncReadExt;

use super::fonts::{self, FontChoice};
use super::media::{self, Shown};
use super::slideshow::{MusicSource, Slideshow};
use super::tools;
use super::tools::which;
use super::world::Media;
use compose::timeline::Timeline;
use compose::{Pool, Scene, Source, Thumbnail};
use encode::{Job, Plan, Sound};

/// What a render job asks for.
pub struct RenderRequest<'a> {
    pub id: &'a str,
    pub draft: &'a Value,
    pub media: &'a [Media],
    /// Cap on the short side of the canvas (tiny test renders, previews).
    pub max_p: Option<u32>,
    /// Folder the video and its thumbnail are written to.
    pub out_dir: &'a Path,
}

/// What a finished render produced.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub video: PathBuf,
    pub thumbnail: Option<PathBuf>,
    pub duration_s: f64,
    pub width: u32,
    pub height: u32,
    /// Things the user should know (a missing CJK font, …).
    pub warnings: Vec<String>,
}

/// The x264 preset: `IMG2YT_X264_PRESET`, else "veryfast" (a good
/// speed/quality balance for photo slideshows, which compress easily).
fn preset() -> String {
    std::env::var("IMG2YT_X264_PRESET")
        .ok()
        .filter(|p| {
            [
                "ultrafast",
                "superfast",
                "veryfast",
                "faster",
                "fast",
                "medium",
                "slow",
                "slower",
                "veryslow",
            ]
            .contains(&p.as_str())
        })
        .unwrap_or_else(|| "veryfast".into())
}

/// One line telling the user how to install ffmpeg on this system.
pub fn ffmpeg_install_hint() -> String {
    let how = match install_command() {
        Some(c) => format!("with: {c}"),
        None => "with your package manager".into(),
    };
    format!("ffmpeg is not installed, and the offline backend renders with it; install it {how}")
}

/// One line for an ffmpeg built without a part the renderer needs
/// (Fedora's ffmpeg-free has no libx264, say), instead of ffmpeg's words.
fn missing_part(stderr: &str) -> Option<String> {
    let what = if stderr.contains("Unknown encoder 'libx264'") {
        "the H.264 encoder (libx264)".to_string()
    } else {
        let name = stderr
            .split("No such filter: '")
            .nth(1)?
            .split('\'')
            .next()?;
        format!("the {name} filter")
    };
    let how = match install_command() {
        Some(c) => format!(", for example with: {c}"),
        None => " with your package manager".into(),
    };
    Some(format!(
        "this ffmpeg was built without {what}, which the offline backend needs; install a full ffmpeg build{how}"
    ))
}

/// How to install ffmpeg on this system, when it is known.
fn install_command() -> Option<String> {
    tools::install_command(&tools::Packages {
        brew: "ffmpeg",
        winget: Some("ffmpeg"),
        apt: "ffmpeg",
        dnf: "ffmpeg",
        pacman: "ffmpeg",
        zypper: "ffmpeg",
        apk: "ffmpeg",
    })
}

fn find<'a>(media: &'a [Media], file_id: Option<&str>, name: &str) -> Option<&'a Media> {
    file_id
        .and_then(|id| media.iter().find(|m| m.file_id == id))
        .or_else(|| media.iter().find(|m| m.name == name))
        .filter(|m| m.path.as_ref().is_some_and(|p| p.is_file()))
}

/// A font able to draw `text`, or a warning (once) and none.
fn font(text: &str, warnings: &mut Vec<String>) -> Option<PathBuf> {
    match fonts::font_for(text) {
        FontChoice::Found(p) => Some(p),
        FontChoice::Missing { warning } => {
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
            None
        }
    }
}

/// `text` drawn for a `size` frame, or a warning and nothing.
fn drawn(text: &str, size: (u32, u32), warnings: &mut Vec<String>) -> Option<compose::text::Drawn> {
    let f = font(text, warnings)?;
    match compose::text::draw(text, &f, size) {
        Ok(d) => Some(d),
        Err(e) => {
            warnings.push(format!("The text \"{text}\" was left out: {e}"));
            None
        }
    }
}

/// A file of the render in progress: `<out_dir>/<id>.part.<ext>` (a
/// render that dies leaves only such files, which the next one removes).
fn part_path(req: &RenderRequest, ext: &str) -> PathBuf {
    req.out_dir.join(format!("{}.part.{ext}", req.id))
}

/// Render a draft to `<out_dir>/<id>.mp4` and `<id>.jpg` (its thumbnail);
/// `progress` gets 0-100 as frames are encoded.
pub async fn render(req: RenderRequest<'_>, progress: impl Fn(f64)) -> Result<Rendered, String> {
    if which("ffmpeg").is_none() {
        return Err(ffmpeg_install_hint());
    }
    let show = Slideshow::from_draft(req.draft).ok_or("the draft has no photos to show")?;
    if show.photos.is_empty() {
        return Err("the draft has no photos to show".into());
    }
    let canvas = show.canvas.capped(req.max_p);
    let size = canvas.size();
    let mut warnings = Vec::new();

    let mut sources = Vec::with_capacity(show.photos.len());
    let mut best: Option<(usize, f64)> = None;
    // Every file ffmpeg reads, with the name its user knows it by.
    let mut inputs: Vec<(PathBuf, String)> = Vec::new();
    for (i, p) in show.photos.iter().enumerate() {
        let found = find(req.media, p.file_id.as_deref(), &p.name)
            .filter(|m| m.kind == "image" || m.kind == "video");
        // What the renderer reads of each upload: the photo or clip itself,
        // or what was made of it on arrival (a HEIC's JPEG, a GIF's clip).
        let shown = match found {
            Some(m) => {
                let upload = m.path.as_deref().expect("checked");
                let s = media::shown(upload, &m.kind)
                    .await
                    .map_err(|why| format!("{} cannot be shown: {why}", m.name))?;
                inputs.push((s.path().to_path_buf(), m.name.clone()));
                Some((m, s))
            }
            None => None,
        };
        let s = match shown {
            Some((_, Shown::Clip(path))) => Source::Clip { path },
            Some((m, Shown::Photo(path))) => {
                let score = m.exposure.unwrap_or(f64::MAX / 2.0);
                if best.is_none_or(|(_, b)| score < b) {
                    best = Some((i, score));
                }
                Source::Image {
                    orientation: probe::orientation(&path),
                    path,
                    name: p.name.clone(),
                }
            }
            _ => {
                warnings.push(format!(
                    "\"{}\" is not among this project's uploads, so a plain frame stands in for it.",
                    p.name
                ));
                Source::Missing
            }
        };
        sources.push(s);
    }

    let sound = match show.music.as_ref().map(|m| &m.source) {
        None => Sound::Silence,
        Some(MusicSource::Generated { mood }) => {
            let (mood, wav) = (*mood, part_path(&req, "music.wav"));
            let to = wav.clone();
            tokio::task::spawn_blocking(move || {
                std::fs::write(&to, music::wav(&music::samples(mood)))
            })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("cannot write the generated music: {e}"))?;
            Sound::Generated {
                wav,
                gain_db: music::gain_db(mood),
            }
        }
        Some(MusicSource::Upload { file_id, name }) => {
            match find(req.media, file_id.as_deref(), name).filter(|m| m.kind == "audio") {
                Some(m) => {
                    let path = m.path.clone().expect("checked");
                    inputs.push((path.clone(), m.name.clone()));
                    Sound::File(path)
                }
                None => {
                    warnings.push(format!(
                        "The music file \"{name}\" is not among this project's uploads, so the video is silent."
                    ));
                    Sound::Silence
                }
            }
        }
    };

    let part = |ext: &str| part_path(&req, ext);
    let mut texts = Vec::new();
    for (t, span) in [
        (&show.title, show.title_span()),
        (&show.closing, show.closing_span()),
    ] {
        if let Some(d) = t.as_deref().and_then(|t| drawn(t, size, &mut warnings)) {
            texts.push((d.layer(size), span));
        }
    }
    let thumbnail = best.map(|(index, _)| Thumbnail {
        index,
        path: part("jpg"),
        size: encode::THUMB,
        title: show
            .title
            .as_deref()
            .filter(|_| !texts.is_empty())
            .and_then(|t| drawn(t, encode::THUMB, &mut Vec::new())),
    });
    let timeline = Timeline::of(&show, size.0);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let job = Job {
        size,
        total_frames: timeline.total(),
        sound,
        volume: show.music.as_ref().map_or(0, |m| m.volume),
        video_out: part("mp4"),
        preset: preset(),
        threads: (cores * 3).div_ceil(2),
    };
    let plan = encode::plan(&job);
    let scene = Scene {
        size,
        timeline,
        sources,
        ken_burns: show.ken_burns,
        aspect: show.canvas.aspect,
        texts,
        thumbnail,
        workers: cores,
    };
    // A file that cannot be decoded is named, never shown in a decoder's
    // words.
    let result = match run(&plan, scene, progress).await {
        Err(e) => Err(media::blame(&e, &inputs).await.unwrap_or(e)),
        ok => ok,
    };
    let _ = std::fs::remove_file(part("music.wav"));
    if result.is_err() {
        let _ = std::fs::remove_file(part("jpg"));
    }
    result?;
    let video = req.out_dir.join(format!("{}.mp4", req.id));
    std::fs::rename(part("mp4"), &video).map_err(|e| format!("cannot keep the video: {e}"))?;
    let thumb = part("jpg");
    let thumbnail = thumb.is_file().then(|| {
        let to = encode::thumbnail_path(&video);
        std::fs::rename(&thumb, &to).ok().map(|_| to)
    });
    Ok(Rendered {
        video,
        thumbnail: thumbnail.flatten(),
        duration_s: plan.duration_s(),
        width: size.0,
        height: size.1,
        warnings,
    })
}

/// On Linux, ffmpeg is killed when the thread that started it ends.
/// `kill_on_drop` covers every way img2yt stops but SIGKILL (or a crash):
/// then ffmpeg would go on rendering, for nobody, next to the render the
/// next img2yt takes over. Renders are started from the runtime's worker
/// threads, which live as long as the runtime; clips are decoded by
/// ffmpegs started from the compositor's thread, which lives as long as
/// the render.
#[cfg(target_os = "linux")]
fn die_with_parent_hook() -> impl FnMut() -> std::io::Result<()> + Send + Sync + 'static {
    let parent = std::process::id() as libc::pid_t;
    move || {
        // SAFETY: runs between fork and exec and only makes
        // async-signal-safe calls (prctl, getppid, _exit); no allocation.
        unsafe {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before the prctl.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
        }
        Ok(())
    }
}

#[cfg(target_os = "linux")]
fn die_with_parent(cmd: &mut tokio::process::Command) {
    // SAFETY: see `die_with_parent_hook`.
    unsafe {
        cmd.pre_exec(die_with_parent_hook());
    }
}

#[cfg(target_os = "linux")]
pub(crate) fn die_with_parent_std(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: see `die_with_parent_hook`.
    unsafe {
        cmd.pre_exec(die_with_parent_hook());
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_: &mut tokio::process::Command) {}

#[cfg(not(target_os = "linux"))]
pub(crate) fn die_with_parent_std(_: &mut std::process::Command) {}

/// Large buffers (decoded photos, stills, frames) are mapped and unmapped
/// on their own, so memory goes back to the system as soon as they are
/// freed. glibc otherwise raises its mmap threshold to the size of the
/// first large buffer freed (up to 32 MB) and keeps later ones on heaps
/// that do not shrink, one per thread.
fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Run a render: the compositor makes `scene`'s frames on its own threads,
/// they are written to the encoder started from `plan`, and `progress`
/// gets 0-100 as they go. Dropping the future stops both (the compositor
/// when its channel closes, ffmpeg by `kill_on_drop`).
pub async fn run(plan: &Plan, scene: Scene, progress: impl Fn(f64)) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new("ffmpeg");
    die_with_parent(&mut cmd);
    let mut child = cmd
        .args(&plan.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ffmpeg_install_hint(),
            _ => format!("cannot run ffmpeg: {e}"),
        })?;
    let mut stderr = child.stderr.take().expect("piped");
    let drain = tokio::spawn(async move {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s).await;
        s
    });
    let stdin = child.stdin.take().expect("piped");
    let mut pipe = pipe::Frames::new(stdin).map_err(|e| format!("cannot feed ffmpeg: {e}"))?;
    return_large_buffers();
    // One frame waiting for the pipe: the encoder never waits for the
    // compositor's next one, and memory stays a few frames.
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let pool = Pool::default();
    {
        let pool = pool.clone();
        std::thread::spawn(move || compose::run(scene, tx, pool));
    }
    let total = plan.total_frames;
    let mut written = 0u64;
    let mut failure = None;
    let mut ended = None;
    loop {
        // ffmpeg may stop before it has read a frame (an ffmpeg without
        // libx264, say): that ends the render at once.
        let item = tokio::select! {
            item = rx.recv() => item,
            status = child.wait() => {
                ended = Some(status.map_err(|e| e.to_string())?);
                break;
            }
        };
        let Some(item) = item else { break };
        match item {
            Ok(frame) => {
                // A write fails when ffmpeg has stopped: its stderr says why.
                if pipe.send(frame, &pool).await.is_err() {
                    break;
                }
                written += 1;
                if total > 0 {
                    progress((written as f64 / total as f64 * 100.0).clamp(0.0, 99.0));
                }
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    drop(rx);
    if let Some(e) = failure {
        let _ = child.kill().await;
        return Err(e);
    }
    // The frames ffmpeg may not have read yet stay alive until it exits.
    let lent = pipe.close();
    let status = match ended {
        Some(s) => s,
        None => child.wait().await.map_err(|e| e.to_string())?,
    };
    drop(lent);
    let err = drain.await.unwrap_or_default();
    if !status.success() {
        if let Some(line) = missing_part(&err) {
            return Err(line);
        }
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        return Err(format!("ffmpeg failed ({status}): {first}\n{}", err.trim()));
    }
    if written < total {
        return Err("the render stopped unexpectedly".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_hint_is_one_line_with_a_command() {
        let h = ffmpeg_install_hint();
        assert!(!h.contains('\n'));
        assert!(h.contains("install"), "{h}");
    }

    #[test]
    fn an_ffmpeg_without_a_needed_part_is_named_in_one_line() {
        let x264 = missing_part(
            "[vost#0:0 @ 0x1] Unknown encoder 'libx264'\nError selecting an encoder\n",
        )
        .unwrap();
        assert!(x264.starts_with("this ffmpeg was built without the H.264 encoder (libx264)"));
        assert!(x264.contains("install a full ffmpeg build"), "{x264}");
        let filter = missing_part(
            "[AVFilterGraph @ 0x1] No such filter: 'colormatrix'\nError initializing complex filters.\n",
        )
        .unwrap();
        assert!(
            filter.contains("without the colormatrix filter"),
            "{filter}"
        );
        for s in [x264, filter] {
            assert!(!s.contains('\n'), "{s}");
        }
        assert_eq!(
            missing_part("Invalid data found when processing input"),
            None
        );
    }
}
