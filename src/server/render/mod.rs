//! Rendering a draft to a YouTube-ready MP4 (and its thumbnail) with one
//! ffmpeg process, for the embedded backend.
//!
//! [`graph`] builds the command (pure, unit-tested); [`render`] gathers
//! what it needs (media paths, EXIF orientation, fonts, the best photo for
//! the thumbnail), runs ffmpeg, reads its `-progress` output for a live
//! figure and drains stderr concurrently so a failing render says why
//! (ripgrep's `CommandReader` habit).

/// Shared with the client's storyboard, which draws text too.
pub use crate::fonts;
pub mod graph;
pub mod music;
pub mod probe;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

use super::media::{self, Shown};
use super::slideshow::{MusicSource, Slideshow};
use super::world::Media;
use fonts::FontChoice;
use graph::{Job, Overlay, Plan, Sound, Visual};

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
fn install_command() -> Option<&'static str> {
    Some(if cfg!(target_os = "macos") {
        "brew install ffmpeg"
    } else if cfg!(windows) {
        "winget install ffmpeg"
    } else if which("apt-get").is_some() {
        "sudo apt install ffmpeg"
    } else if which("dnf").is_some() {
        "sudo dnf install ffmpeg"
    } else if which("pacman").is_some() {
        "sudo pacman -S ffmpeg"
    } else if which("zypper").is_some() {
        "sudo zypper install ffmpeg"
    } else if which("apk").is_some() {
        "sudo apk add ffmpeg"
    } else {
        return None;
    })
}

/// A program on PATH, without running it (start-up stays fast).
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let p = dir.join(program);
        if p.is_file() {
            return Some(p);
        }
        let exe = dir.join(format!("{program}.exe"));
        exe.is_file().then_some(exe)
    })
}

fn find<'a>(media: &'a [Media], file_id: Option<&str>, name: &str) -> Option<&'a Media> {
    file_id
        .and_then(|id| media.iter().find(|m| m.file_id == id))
        .or_else(|| media.iter().find(|m| m.name == name))
        .filter(|m| m.path.as_ref().is_some_and(|p| p.is_file()))
}

/// Text for an overlay: written to a file next to the output, with a font
/// that can draw it (or a warning and no overlay).
fn overlay(
    text: &str,
    (from_ms, to_ms): (u64, u64),
    file: PathBuf,
    warnings: &mut Vec<String>,
) -> Option<Overlay> {
    let font = match fonts::font_for(text) {
        FontChoice::Found(p) => p,
        FontChoice::Missing { warning } => {
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
            return None;
        }
    };
    if let Err(e) = std::fs::write(&file, text) {
        warnings.push(format!("The text \"{text}\" was left out: {e}"));
        return None;
    }
    let width_chars = text
        .chars()
        .map(|c| if fonts::is_cjk(c) { 2 } else { 1 })
        .sum();
    Some(Overlay {
        textfile: file,
        font,
        width_chars,
        from_ms,
        to_ms,
    })
}

/// Render a draft to `<out_dir>/<id>.mp4` and `<id>.jpg` (its thumbnail);
/// `progress` gets 0-100 as ffmpeg reports it.
pub async fn render(req: RenderRequest<'_>, progress: impl Fn(f64)) -> Result<Rendered, String> {
    if which("ffmpeg").is_none() {
        return Err(ffmpeg_install_hint());
    }
    let show = Slideshow::from_draft(req.draft).ok_or("the draft has no photos to show")?;
    let canvas = show.canvas.capped(req.max_p);
    let size = canvas.size();
    let mut warnings = Vec::new();

    let mut visuals = Vec::with_capacity(show.photos.len());
    let mut best: Option<(usize, f64)> = None;
    // Every file ffmpeg reads, with the name its user knows it by.
    let mut inputs: Vec<(PathBuf, String)> = Vec::new();
    for (i, p) in show.photos.iter().enumerate() {
        let found = find(req.media, p.file_id.as_deref(), &p.name)
            .filter(|m| m.kind == "image" || m.kind == "video");
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
        let v = match shown {
            Some((_, Shown::Clip(path))) => Visual::Video { path },
            Some((m, Shown::Photo(path))) => {
                let score = m.exposure.unwrap_or(f64::MAX / 2.0);
                if best.is_none_or(|(_, b)| score < b) {
                    best = Some((i, score));
                }
                let orientation = probe::orientation(&path);
                let upright = probe::upright_size(&path, orientation);
                Visual::Image {
                    jpeg: probe::is_jpeg(&path),
                    lowres: probe::lowres(&path, upright, size),
                    size: upright,
                    orientation,
                    path,
                }
            }
            _ => {
                warnings.push(format!(
                    "\"{}\" is not among this project's uploads, so a plain frame stands in for it.",
                    p.name
                ));
                Visual::Missing
            }
        };
        visuals.push(v);
    }

    let sound = match show.music.as_ref().map(|m| &m.source) {
        None => Sound::Silence,
        Some(MusicSource::Generated { mood }) => Sound::Generated(*mood),
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

    let part = |ext: &str| req.out_dir.join(format!("{}.part.{ext}", req.id));
    let mut overlays = Vec::new();
    if let Some(t) = &show.title {
        overlays.extend(overlay(
            t,
            show.title_span(),
            part("title.txt"),
            &mut warnings,
        ));
    }
    if let Some(t) = &show.closing {
        overlays.extend(overlay(
            t,
            show.closing_span(),
            part("closing.txt"),
            &mut warnings,
        ));
    }
    let thumbnail = best.map(|(i, _)| {
        let title = overlays.first().filter(|_| show.title.is_some()).cloned();
        (i, part("jpg"), title)
    });
    let job = Job {
        show,
        size,
        visuals,
        sound,
        overlays,
        thumbnail,
        video_out: part("mp4"),
        preset: preset(),
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let plan = graph::plan(&job)?;
    let mut result = Ok(());
    for (path, text) in &plan.lists {
        if let Err(e) = std::fs::write(path, text) {
            result = Err(format!("cannot write the render's photo list: {e}"));
        }
    }
    if result.is_ok() {
        // A file ffmpeg cannot decode is named, never shown in its words.
        result = match run(&plan, progress).await {
            Err(e) => Err(media::blame(&e, &inputs).await.unwrap_or(e)),
            ok => ok,
        };
    }
    for f in ["title.txt", "closing.txt"] {
        let _ = std::fs::remove_file(part(f));
    }
    for (path, _) in &plan.lists {
        let _ = std::fs::remove_file(path);
    }
    result?;
    let video = req.out_dir.join(format!("{}.mp4", req.id));
    std::fs::rename(part("mp4"), &video).map_err(|e| format!("cannot keep the video: {e}"))?;
    let thumbnail = job.thumbnail.as_ref().and_then(|(_, p, _)| {
        let to = graph::thumbnail_path(&video);
        std::fs::rename(p, &to).ok().map(|_| to)
    });
    Ok(Rendered {
        video,
        thumbnail,
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
/// threads, which live as long as the runtime.
#[cfg(target_os = "linux")]
fn die_with_parent(cmd: &mut tokio::process::Command) {
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: the closure runs between fork and exec and only makes
    // async-signal-safe calls (prctl, getppid, _exit); it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before the prctl.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_: &mut tokio::process::Command) {}

/// Run a plan; `progress` gets 0-100 as ffmpeg reports it.
pub async fn run(plan: &Plan, progress: impl Fn(f64)) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new("ffmpeg");
    die_with_parent(&mut cmd);
    let mut child = cmd
        .args(&plan.args)
        // glibc otherwise raises its mmap threshold after the first large
        // frames are freed and keeps later ones on the heap, where freed
        // frame buffers are never handed back: a fixed trim threshold keeps
        // large buffers mapped and returned (about 50 MB less at 1080p).
        // Other C libraries ignore the variable.
        .env("MALLOC_TRIM_THRESHOLD_", "4194304")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
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
    let total_us = plan.duration_s() * 1e6;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        // `out_time_ms` is in microseconds too (an old ffmpeg misnomer).
        if let Some(us) = line
            .strip_prefix("out_time_us=")
            .or_else(|| line.strip_prefix("out_time_ms="))
        {
            if let Ok(us) = us.trim().parse::<f64>() {
                if total_us > 0.0 {
                    progress((us / total_us * 100.0).clamp(0.0, 99.0));
                }
            }
        }
    }
    let status = child.wait().await.map_err(|e| e.to_string())?;
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

    #[test]
    fn which_finds_a_shell_and_not_nonsense() {
        if cfg!(unix) {
            assert!(which("sh").is_some());
        }
        assert!(which("img2yt-no-such-program").is_none());
    }
}
