//! GIF and WebP, decoded with the `image` crate (ffmpeg 5.1 reads no
//! animated WebP, and its GIF reader takes no frame rate, which the
//! renderer sets on every photo).
//!
//! A one-frame GIF becomes a PNG. An animation becomes an H.264 clip at
//! the renderer's 30 fps, each frame held as long as its delay says, that
//! **loops** as the file asks (forever, or its own number of times, then
//! holds its last frame) for up to [`LOOP_UP_TO_S`] seconds, the longest a
//! photo may stay: a clip shorter than its place on the timeline holds
//! its last frame there, as every clip does.

use image::codecs::{gif::GifDecoder, webp::WebPDecoder};
use image::{AnimationDecoder, Frame, ImageDecoder, ImageResult};
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::{lacks_a_part, reason, write_private, Shown, Undecodable};
use crate::server::tools::which;

/// The clip's frame rate (the renderer's).
const FPS: u32 = 30;
/// How long an animation that loops forever is made to last.
pub const LOOP_UP_TO_S: f64 = 60.0;
/// Browsers show a frame whose delay is under 20 ms for 100 ms; so do we.
const SHORTEST_DELAY_MS: f64 = 20.0;
const DEFAULT_DELAY_MS: f64 = 100.0;
/// The largest side a clip gets (the largest canvas's).
const MAX_SIDE: u32 = 1920;

/// A GIF or WebP, opened.
struct Animation {
    frames: image::Frames<'static>,
    size: (u32, u32),
    /// How often it plays (`None`: forever).
    loops: Option<u32>,
}

fn open(path: &Path) -> Result<Animation, Undecodable> {
    use std::io::{Read, Seek};
    let bad = |e: image::ImageError| Undecodable(reason(&e.to_string(), "picture"));
    let unreadable = |e: std::io::Error| Undecodable(format!("it could not be read ({e})"));
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut magic = [0u8; 3];
    file.read_exact(&mut magic).map_err(|e| bad(e.into()))?;
    file.rewind().map_err(unreadable)?;
    let r = BufReader::new(file);
    let times = |l: image::metadata::LoopCount| match l {
        image::metadata::LoopCount::Infinite => None,
        image::metadata::LoopCount::Finite(n) => Some(n.get()),
    };
    if &magic == b"GIF" {
        let d = GifDecoder::new(r).map_err(bad)?;
        Ok(Animation {
            size: d.dimensions(),
            loops: times(d.loop_count()),
            frames: d.into_frames(),
        })
    } else {
        let d = WebPDecoder::new(r).map_err(bad)?;
        Ok(Animation {
            size: d.dimensions(),
            loops: times(d.loop_count()),
            frames: d.into_frames(),
        })
    }
}

/// Check that a still WebP decodes whole.
pub async fn check_still(path: &Path) -> Result<(), Undecodable> {
    let path = path.to_path_buf();
    blocking(move || {
        let bad = |e: image::ImageError| Undecodable(reason(&e.to_string(), "picture"));
        let file = std::fs::File::open(&path)
            .map_err(|e| Undecodable(format!("it could not be read ({e})")))?;
        let d = WebPDecoder::new(BufReader::new(file)).map_err(bad)?;
        image::DynamicImage::from_decoder(d).map_err(bad)?;
        Ok(())
    })
    .await
}

/// Make the photo (`png`) or the clip (`clip`) of a GIF or WebP, decoding
/// every frame. Without ffmpeg an animation is checked but its clip is
/// left to be made at export (which says how to install ffmpeg).
pub async fn derive(upload: &Path, png: &Path, clip: &Path) -> Result<Shown, Undecodable> {
    let (upload, png, clip) = (upload.to_path_buf(), png.to_path_buf(), clip.to_path_buf());
    blocking(move || {
        let Animation {
            mut frames,
            size,
            loops,
        } = open(&upload)?;
        let bad = |e: image::ImageError| Undecodable(reason(&e.to_string(), "picture"));
        let first = match frames.next() {
            Some(f) => f.map_err(bad)?,
            None => return Err(Undecodable(reason("", "picture"))),
        };
        let second = match frames.next() {
            None => return still(first, &png),
            Some(f) => f.map_err(bad)?,
        };
        let all = std::iter::once(Ok(first))
            .chain(std::iter::once(Ok(second)))
            .chain(frames);
        if which("ffmpeg").is_none() {
            // Decoded whole all the same, so a damaged file is refused.
            for f in all {
                f.map_err(bad)?;
            }
            return Ok(Shown::Clip(upload));
        }
        Ok(Shown::Clip(if encode(all, size, loops, &clip)? {
            clip
        } else {
            upload
        }))
    })
    .await
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Undecodable> + Send + 'static,
) -> Result<T, Undecodable> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(Undecodable(format!("its decoding failed ({e})"))))
}

fn still(frame: Frame, png: &Path) -> Result<Shown, Undecodable> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    frame
        .into_buffer()
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| Undecodable(format!("its picture could not be kept ({e})")))?;
    write_private(png, bytes.get_ref())
        .map_err(|e| Undecodable(format!("its picture could not be kept ({e})")))?;
    Ok(Shown::Photo(png.to_path_buf()))
}

/// How many 30 fps frames each picture is shown for, given the delays so
/// far: the running total is rounded, so the clip keeps the file's timing
/// without drifting. A picture shorter than a video frame may get none.
fn repeats(shown_so_far: u64, end_ms: f64) -> u64 {
    let end = (end_ms * f64::from(FPS) / 1000.0).round() as u64;
    end.saturating_sub(shown_so_far)
}

fn delay_ms(f: &Frame) -> f64 {
    let (n, d) = f.delay().numer_denom_ms();
    let ms = f64::from(n) / f64::from(d.max(1));
    if ms < SHORTEST_DELAY_MS {
        DEFAULT_DELAY_MS
    } else {
        ms
    }
}

/// The clip's size: the animation's, at most [`MAX_SIDE`], even (H.264
/// 4:2:0 needs it).
fn clip_size((w, h): (u32, u32)) -> (u32, u32) {
    let scale = (f64::from(MAX_SIDE) / f64::from(w.max(h).max(1))).min(1.0);
    let even = |v: u32| ((f64::from(v) * scale).round() as u32 / 2 * 2).max(2);
    (even(w), even(h))
}

/// Encode one pass of `frames` with ffmpeg, then loop it into `clip`.
/// False when this ffmpeg lacks a part it needs (libx264): the clip is
/// left to export, which names the part.
fn encode(
    frames: impl Iterator<Item = ImageResult<Frame>>,
    size: (u32, u32),
    loops: Option<u32>,
    clip: &Path,
) -> Result<bool, Undecodable> {
    let dir = clip.parent().unwrap_or(Path::new("."));
    let once = tempfile::Builder::new()
        .suffix(".mp4")
        .tempfile_in(dir)
        .map_err(|e| Undecodable(format!("its clip could not be made here ({e})")))?;
    let (cw, ch) = clip_size(size);
    let mut child = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-y", "-f", "rawvideo"])
        .args(["-pix_fmt", "rgba", "-s", &format!("{}x{}", size.0, size.1)])
        .args(["-framerate", &FPS.to_string(), "-i", "pipe:0"])
        .args([
            "-vf",
            &format!("scale={cw}:{ch}:flags=bicubic,format=yuv420p"),
        ])
        .args(["-c:v", "libx264", "-preset", "veryfast", "-crf", "18"])
        .args(["-movflags", "+faststart", "-f", "mp4"])
        .arg(once.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Undecodable(format!("ffmpeg could not be run ({e})")))?;
    let mut stderr = child.stderr.take().expect("piped");
    let drain = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut stdin = child.stdin.take().expect("piped");
    let (mut shown, mut end_ms) = (0u64, 0.0f64);
    let mut fed: Result<(), Undecodable> = Ok(());
    for f in frames {
        let f = match f {
            Ok(f) => f,
            Err(e) => {
                fed = Err(Undecodable(reason(&e.to_string(), "picture")));
                break;
            }
        };
        end_ms += delay_ms(&f);
        let n = repeats(shown, end_ms).max(u64::from(shown == 0));
        let buf = f.into_buffer();
        for _ in 0..n {
            if stdin.write_all(buf.as_raw()).is_err() {
                break;
            }
        }
        shown += n;
    }
    drop(stdin);
    if fed.is_err() {
        let _ = child.kill();
    }
    let status = child.wait();
    let err = drain.join().unwrap_or_default();
    fed?;
    if lacks_a_part(&err) {
        return Ok(false);
    }
    if !status.is_ok_and(|s| s.success()) {
        return Err(Undecodable(format!(
            "its clip could not be made ({})",
            err.lines().next().unwrap_or("ffmpeg failed")
        )));
    }
    let pass_s = shown as f64 / f64::from(FPS);
    let total_s = match loops {
        None => LOOP_UP_TO_S.max(pass_s),
        Some(n) => (pass_s * f64::from(n)).min(LOOP_UP_TO_S.max(pass_s)),
    };
    let looped = tempfile::Builder::new()
        .suffix(".mp4")
        .tempfile_in(dir)
        .map_err(|e| Undecodable(format!("its clip could not be made here ({e})")))?;
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-y", "-stream_loop", "-1", "-i"])
        .arg(once.path())
        .args(["-t", &format!("{total_s:.3}"), "-c", "copy"])
        .args(["-movflags", "+faststart", "-f", "mp4"])
        .arg(looped.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Undecodable(format!("ffmpeg could not be run ({e})")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Undecodable(format!(
            "its clip could not be made ({})",
            err.lines().next().unwrap_or("ffmpeg failed")
        )));
    }
    // Temporary files are 0600 already.
    looped
        .persist(clip)
        .map(|_| true)
        .map_err(|e| Undecodable(format!("its clip could not be kept ({})", e.error)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_keep_their_timing_at_30_fps() {
        // 100 ms frames: 3, 3, 4 video frames (300 ms is exactly 9).
        let mut shown = 0;
        let mut got = Vec::new();
        for end in [100.0, 200.0, 300.0] {
            let n = repeats(shown, end);
            got.push(n);
            shown += n;
        }
        assert_eq!(got, [3, 3, 3]);
        // A 20 ms frame after 0 may get no frame of its own.
        assert_eq!(repeats(0, 10.0), 0);
        assert_eq!(repeats(3, 150.0), 2);
    }

    #[test]
    fn clip_sizes_are_even_and_at_most_1920() {
        assert_eq!(clip_size((16, 16)), (16, 16));
        assert_eq!(clip_size((15, 9)), (14, 8));
        assert_eq!(clip_size((1, 1)), (2, 2));
        assert_eq!(clip_size((3840, 1080)), (1920, 540));
        assert_eq!(clip_size((500, 4000)), (240, 1920));
    }
}
