//! The storyboard: the timeline as one picture. A tile per clip in
//! timeline order (the photo, its time range, its name), the transition
//! into the next clip between tiles, text tracks (the title) as bands over
//! the tiles they cover, and the music as a strip at the bottom.
//!
//! Everything here is pure but [`load`]: [`Board::from_timeline`] reads a
//! parsed [`Timeline`], [`local_copy`] matches a clip to the user's upload
//! records, and [`draw`] turns a board and its pictures into an RGB image.
//! Fetching the draft, writing the PNG and showing it are the handler's
//! and `ui`'s business.

pub mod layout;
pub mod text;

use image::{imageops, DynamicImage, ImageDecoder, ImageReader, Rgb, RgbImage};
use std::path::{Path, PathBuf};

use crate::store::UploadRecord;
use crate::timeline::{self, Timeline, TrackKind, Transition};
pub use layout::{Layout, Rect};
pub use text::Painter;

/// One clip of the video track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clip {
    pub name: String,
    pub start_ms: u64,
    pub end_ms: u64,
    pub file_id: Option<String>,
    /// Into the next clip (`None` for the last one, or when the draft does
    /// not say).
    pub transition: Option<Transition>,
}

/// A text segment (title, closing words) or a music segment, placed in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// "Title", "Text", "BGM", "Audio".
    pub role: String,
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
    /// Audio only: volume in percent.
    pub volume: Option<u32>,
}

/// What the storyboard shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    pub clips: Vec<Clip>,
    pub texts: Vec<Band>,
    pub music: Vec<Band>,
    pub duration_ms: u64,
}

/// A clip's picture, or why there is none.
#[derive(Debug, Clone)]
pub enum Picture {
    Photo(RgbImage),
    /// No local copy: not uploaded from this machine, or moved since.
    Missing,
    /// There, but not a picture img2yt can read (a video, HEIC, …).
    Unreadable,
}

impl Board {
    /// The clips of every video track in timeline order, with the text and
    /// audio tracks beside them.
    pub fn from_timeline(tl: &Timeline) -> Board {
        let mut clips: Vec<Clip> = Vec::new();
        let mut texts = Vec::new();
        let mut music = Vec::new();
        for track in &tl.tracks {
            match track.kind {
                TrackKind::Video => {
                    for s in &track.segments {
                        clips.push(Clip {
                            name: s.label.clone().unwrap_or_else(|| "clip".into()),
                            start_ms: s.start_ms,
                            end_ms: s.end_ms,
                            file_id: s.file_id.clone(),
                            transition: s.transition.clone().or_else(|| track.transition.clone()),
                        });
                    }
                }
                TrackKind::Text | TrackKind::Audio => {
                    let to = if track.kind == TrackKind::Text {
                        &mut texts
                    } else {
                        &mut music
                    };
                    for s in &track.segments {
                        to.push(Band {
                            role: track.label.clone(),
                            text: s.label.clone().unwrap_or_default(),
                            start_ms: s.start_ms,
                            end_ms: s.end_ms,
                            volume: s.volume.or(track.volume),
                        });
                    }
                }
                TrackKind::Other(_) => {}
            }
        }
        clips.sort_by_key(|c| c.start_ms);
        if let Some(last) = clips.last_mut() {
            last.transition = None;
        }
        Board {
            clips,
            texts,
            music,
            duration_ms: tl.duration_ms,
        }
    }

    /// All the text the board will show, for picking a font that has its
    /// characters.
    pub fn all_text(&self) -> String {
        let mut s = String::new();
        for c in &self.clips {
            s.push_str(&c.name);
        }
        for b in self.texts.iter().chain(&self.music) {
            s.push_str(&b.text);
        }
        s
    }
}

/// The local file a clip was uploaded from, by the upload records: the
/// record with the clip's file id, else the last one with its name. URLs
/// are not local copies.
pub fn local_copy(clip: &Clip, uploads: &[UploadRecord]) -> Option<PathBuf> {
    let by_id = clip.file_id.as_ref().and_then(|id| {
        uploads
            .iter()
            .rev()
            .find(|u| u.file_id.as_ref() == Some(id))
    });
    let by_name = || {
        uploads.iter().rev().find(|u| {
            u.name == clip.name || u.source.as_deref().and_then(file_name) == Some(&clip.name)
        })
    };
    let src = by_id.or_else(by_name)?.source.as_deref()?;
    if src.contains("://") {
        return None;
    }
    Some(PathBuf::from(src))
}

fn file_name(path: &str) -> Option<&str> {
    Path::new(path).file_name()?.to_str()
}

/// Read a clip's picture, small: upright (EXIF orientation applied) and
/// no larger than a tile. What the `image` crate cannot read is handed to
/// the programs the offline backend uses, when they are installed: a HEIC
/// photo to libheif's decoder, anything else (a video clip) to ffmpeg for
/// one frame.
pub fn load(path: &Path) -> Picture {
    if !path.is_file() {
        return Picture::Missing;
    }
    let decoded = (|| -> image::ImageResult<DynamicImage> {
        let mut decoder = ImageReader::open(path)?
            .with_guessed_format()?
            .into_decoder()?;
        let orientation = decoder.orientation()?;
        let mut img = DynamicImage::from_decoder(decoder)?;
        img.apply_orientation(orientation);
        Ok(img)
    })();
    let heif = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "heic" | "heif"));
    let fallback = || {
        if heif {
            heif_by_libheif(path)
        } else {
            frame_by_ffmpeg(path)
        }
    };
    match decoded.ok().or_else(fallback) {
        Some(img) => {
            let (w, h) = (layout::THUMB_W, layout::THUMB_H);
            Picture::Photo(img.thumbnail(w * 2, h * 2).to_rgb8())
        }
        None => Picture::Unreadable,
    }
}

/// A HEIC photo through libheif's `heif-dec` (`heif-convert` on older
/// systems), which applies its rotation and joins its tiles; written as a
/// PNG in a folder of its own and read back as it is (HEIF's pixels are
/// already upright, whatever an EXIF tag says).
fn heif_by_libheif(path: &Path) -> Option<DynamicImage> {
    let dir = tempfile::tempdir().ok()?;
    let out = dir.path().join("photo.png");
    let ran = ["heif-dec", "heif-convert"].into_iter().any(|program| {
        std::process::Command::new(program)
            .arg(path)
            .arg(&out)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    let written = [out.clone(), dir.path().join("photo-1.png")]
        .into_iter()
        .find(|p| p.is_file())
        .filter(|_| ran)?;
    image::open(written).ok()
}

/// One frame of a video (half a second in, past a fade from black; else
/// the first) or a still ffmpeg can read, as a PNG through a pipe.
fn frame_by_ffmpeg(path: &Path) -> Option<DynamicImage> {
    let grab = |seek: &[&str]| {
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-nostdin"])
            .args(seek)
            .arg("-i")
            .arg(path)
            .args(["-frames:v", "1", "-vf", "scale=384:-2", "-f", "image2pipe"])
            .args(["-c:v", "png", "-"])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        let img = image::load_from_memory_with_format(&out.stdout, image::ImageFormat::Png);
        out.status.success().then_some(img.ok()).flatten()
    };
    grab(&["-ss", "0.5"]).or_else(|| grab(&[]))
}

// Colours: a dark page, so that photos stand out.
const PAGE: Rgb<u8> = Rgb([28, 28, 34]);
const FRAME: Rgb<u8> = Rgb([0, 0, 0]);
const INK: Rgb<u8> = Rgb([232, 232, 236]);
const DIM: Rgb<u8> = Rgb([150, 150, 162]);
const ACCENT: Rgb<u8> = Rgb([245, 184, 61]);
const ACCENT_INK: Rgb<u8> = Rgb([34, 26, 8]);
const MUSIC: Rgb<u8> = Rgb([52, 120, 140]);
const MUSIC_WAVE: Rgb<u8> = Rgb([96, 176, 196]);
const HOLE: Rgb<u8> = Rgb([58, 58, 68]);
const HOLE_HATCH: Rgb<u8> = Rgb([74, 74, 86]);

/// Text sizes in pixels.
const HEADER_PX: f32 = 18.0;
const CAPTION_PX: f32 = 13.0;
const SMALL_PX: f32 = 12.0;

/// Draw the storyboard. `pictures[i]` is clip `i`'s picture; a missing
/// entry counts as no local copy.
pub fn draw(board: &Board, pictures: &[Picture], painter: &Painter) -> RgbImage {
    let lay = Layout::new(board.clips.len(), !board.music.is_empty());
    let mut img = RgbImage::from_pixel(lay.width, lay.height, PAGE);
    let n = board.clips.len();
    let header = format!(
        "Storyboard · {n} {} · {}",
        if n == 1 { "clip" } else { "clips" },
        timeline::fmt_duration(board.duration_ms)
    );
    let h = lay.header();
    painter.draw(&mut img, (h.x, h.y), HEADER_PX, INK, &header, h.w);

    for (i, clip) in board.clips.iter().enumerate() {
        let t = lay.thumb(i);
        match pictures.get(i) {
            Some(Picture::Photo(p)) => photo_tile(&mut img, t, p),
            other => {
                let why = match other {
                    Some(Picture::Unreadable) => "cannot read it",
                    _ => "no local copy",
                };
                hole_tile(&mut img, t, painter, &clip.name, why);
            }
        }
        let c = lay.caption(i);
        let range = timeline::fmt_range(clip.start_ms, clip.end_ms);
        painter.draw(
            &mut img,
            (c.x, c.y),
            CAPTION_PX,
            INK,
            &format!("{}  {range}", i + 1),
            c.w,
        );
        painter.draw(&mut img, (c.x, c.y + 18), SMALL_PX, DIM, &clip.name, c.w);
        if i + 1 < n {
            transition(&mut img, lay.gap(i), painter, clip.transition.as_ref());
        }
    }

    text_bands(&mut img, &lay, board, painter);
    music_strip(&mut img, &lay, board, painter);
    img
}

/// Text tracks: a band above the tiles each one covers, row by row.
fn text_bands(img: &mut RgbImage, lay: &Layout, board: &Board, painter: &Painter) {
    let n = board.clips.len();
    for band in &board.texts {
        let covered: Vec<usize> = (0..n)
            .filter(|&i| overlaps(&board.clips[i], band))
            .collect();
        for row in 0..lay.rows {
            let in_row: Vec<usize> = covered
                .iter()
                .copied()
                .filter(|&i| lay.row_of(i) == row)
                .collect();
            let (Some(&a), Some(&b)) = (in_row.first(), in_row.last()) else {
                continue;
            };
            let (ta, tb) = (lay.thumb(a), lay.thumb(b));
            let lane = lay.lane(row);
            let r = Rect {
                x: ta.x,
                y: lane.y,
                w: (tb.x + tb.w as i32 - ta.x) as u32,
                h: lane.h,
            };
            fill(img, r, ACCENT);
            let label = format!("{}: {}", band.role, band.text);
            painter.draw(
                img,
                (r.x + 6, r.y + 4),
                CAPTION_PX,
                ACCENT_INK,
                &label,
                r.w.saturating_sub(12),
            );
        }
    }
}

/// Music: a strip along the bottom, placed in time across the width.
fn music_strip(img: &mut RgbImage, lay: &Layout, board: &Board, painter: &Painter) {
    if let Some(strip) = lay.music() {
        let total = board.duration_ms.max(1) as f64;
        for band in &board.music {
            let x0 = strip.x + (strip.w as f64 * band.start_ms as f64 / total) as i32;
            let x1 = strip.x
                + (strip.w as f64 * band.end_ms.min(board.duration_ms) as f64 / total) as i32;
            let r = Rect {
                x: x0,
                y: strip.y,
                w: (x1 - x0).max(4) as u32,
                h: strip.h,
            };
            fill(img, r, MUSIC);
            wave(img, r);
            let vol = band.volume.map(|v| format!(" · {v}%")).unwrap_or_default();
            let label = format!("♪ {}: {}{vol}", band.role, band.text);
            let label = if painter.has('♪') {
                label
            } else {
                label.replacen("♪ ", "", 1)
            };
            let tw = painter
                .width(&label, CAPTION_PX)
                .min(r.w.saturating_sub(16))
                + 12;
            fill(
                img,
                Rect {
                    x: r.x + 4,
                    y: r.y + 5,
                    w: tw,
                    h: r.h - 10,
                },
                MUSIC,
            );
            painter.draw(
                img,
                (r.x + 10, r.y + 7),
                CAPTION_PX,
                INK,
                &label,
                r.w.saturating_sub(20),
            );
        }
    }
}

fn overlaps(c: &Clip, b: &Band) -> bool {
    c.start_ms < b.end_ms && b.start_ms < c.end_ms
}

/// The whole photo fitted inside the tile, on black (the video fills the
/// sides with a blurred copy; a thumbnail is clearer without it).
fn photo_tile(img: &mut RgbImage, t: Rect, photo: &RgbImage) {
    fill(img, t, FRAME);
    let (pw, ph) = photo.dimensions();
    if pw == 0 || ph == 0 {
        return;
    }
    let scale = (t.w as f64 / pw as f64).min(t.h as f64 / ph as f64);
    let (w, h) = (
        ((pw as f64 * scale).round() as u32).clamp(1, t.w),
        ((ph as f64 * scale).round() as u32).clamp(1, t.h),
    );
    let small = imageops::resize(photo, w, h, imageops::FilterType::Triangle);
    let x = t.x + ((t.w - w) / 2) as i32;
    let y = t.y + ((t.h - h) / 2) as i32;
    imageops::overlay(img, &small, x as i64, y as i64);
}

/// A hatched tile with the clip's name, for a clip with no picture.
fn hole_tile(img: &mut RgbImage, t: Rect, painter: &Painter, name: &str, why: &str) {
    fill(img, t, HOLE);
    for y in 0..t.h {
        for x in 0..t.w {
            if (x + y) % 14 < 3 {
                text::blend(img, t.x + x as i32, t.y + y as i32, HOLE_HATCH, 1.0);
            }
        }
    }
    let max = t.w.saturating_sub(16);
    let nw = painter.width(name, CAPTION_PX).min(max);
    let ww = painter.width(why, SMALL_PX).min(max);
    let cy = t.y + t.h as i32 / 2;
    fill(
        img,
        Rect {
            x: t.x + 4,
            y: cy - 20,
            w: t.w - 8,
            h: 40,
        },
        HOLE,
    );
    painter.draw(
        img,
        (t.x + (t.w - nw) as i32 / 2, cy - 18),
        CAPTION_PX,
        INK,
        name,
        max,
    );
    painter.draw(
        img,
        (t.x + (t.w - ww) as i32 / 2, cy + 2),
        SMALL_PX,
        DIM,
        why,
        max,
    );
}

/// An arrow with the transition's name above and its length below.
fn transition(img: &mut RgbImage, g: Rect, painter: &Painter, t: Option<&Transition>) {
    let mid = g.y + g.h as i32 / 2;
    let (x0, x1) = (g.x + 10, g.x + g.w as i32 - 10);
    fill(
        img,
        Rect {
            x: x0,
            y: mid - 1,
            w: (x1 - x0 - 6) as u32,
            h: 3,
        },
        DIM,
    );
    for k in 0..8 {
        // Arrowhead: a triangle pointing right.
        fill(
            img,
            Rect {
                x: x1 - 8 + k,
                y: mid - 7 + k,
                w: 1,
                h: (15 - 2 * k) as u32,
            },
            DIM,
        );
    }
    let Some(t) = t else { return };
    let name = transition_name(&t.name);
    let w = painter.width(&name, SMALL_PX).min(g.w);
    painter.draw(
        img,
        (g.x + (g.w - w) as i32 / 2, mid - 24),
        SMALL_PX,
        INK,
        &name,
        g.w,
    );
    if let Some(ms) = t.ms.filter(|_| name != "cut") {
        let len = format!("{}s", seconds(ms));
        let w = painter.width(&len, SMALL_PX).min(g.w);
        painter.draw(
            img,
            (g.x + (g.w - w) as i32 / 2, mid + 10),
            SMALL_PX,
            DIM,
            &len,
            g.w,
        );
    }
}

/// How a person names a transition key.
pub fn transition_name(key: &str) -> String {
    match key
        .trim()
        .to_ascii_lowercase()
        .replace(['-', ' '], "_")
        .as_str()
    {
        "none" | "cut" | "hard_cut" | "" => "cut".into(),
        "fade_black" | "fadeblack" | "fade_to_black" | "dip_to_black" => "fade black".into(),
        other => other.replace('_', " "),
    }
}

/// "0.75", "1", "2.5": seconds with at most two decimals.
fn seconds(ms: u64) -> String {
    let s = format!("{:.2}", ms as f64 / 1000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A soft waveform over a music strip, so it reads as sound.
fn wave(img: &mut RgbImage, r: Rect) {
    let mid = r.y + r.h as i32 / 2;
    for dx in (0..r.w).step_by(4) {
        let x = dx as f64;
        let a = ((x * 0.11).sin() * 0.5 + (x * 0.037).sin() * 0.35 + 0.15).abs();
        let half = (a * (r.h as f64 / 2.0 - 4.0)).max(1.0) as i32;
        fill(
            img,
            Rect {
                x: r.x + dx as i32,
                y: mid - half,
                w: 2,
                h: (2 * half) as u32,
            },
            MUSIC_WAVE,
        );
    }
}

fn fill(img: &mut RgbImage, r: Rect, color: Rgb<u8>) {
    let (iw, ih) = (img.width() as i32, img.height() as i32);
    let (x0, y0) = (r.x.max(0), r.y.max(0));
    let (x1, y1) = ((r.x + r.w as i32).min(iw), (r.y + r.h as i32).min(ih));
    for y in y0..y1 {
        for x in x0..x1 {
            img.put_pixel(x as u32, y as u32, color);
        }
    }
}

#[cfg(test)]
mod tests;
