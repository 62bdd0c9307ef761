//! `storyboard` / `/storyboard`: fetch the timeline, match its clips to the
//! files this project uploaded from here, draw the picture ([`storyboard`])
//! and write it as a PNG; `ui` shows it inline or links to it.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::storyboard::{self, Board, Painter};
use crate::timeline;

/// Where the picture goes when no path is given: the current folder.
pub const DEFAULT_NAME: &str = "storyboard.png";

/// What was drawn, for the REPL and the tests.
#[derive(Debug)]
pub struct Drawn {
    pub path: PathBuf,
    pub clips: usize,
    /// Clips drawn as placeholders (no local copy, or not readable).
    pub placeholders: Vec<String>,
}

/// The note under the picture: which clips are placeholders, and why.
fn placeholder_note(missing: &[String], unreadable: &[String]) -> Option<String> {
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("no local copy of {}", missing.join(", ")));
    }
    if !unreadable.is_empty() {
        parts.push(format!("cannot read {}", unreadable.join(", ")));
    }
    let n = missing.len() + unreadable.len();
    let first = parts.first()?;
    let text = format!(
        "{}{}{}: drawn as {}.",
        first[..1].to_uppercase(),
        &first[1..],
        parts.get(1).map(|p| format!("; {p}")).unwrap_or_default(),
        if n == 1 {
            "a placeholder"
        } else {
            "placeholders"
        }
    );
    Some(text)
}

pub async fn run(ctx: &Ctx, output: Option<PathBuf>) -> Result<Drawn> {
    let path = absolute(&target(output));
    refuse_to_clobber(&path)?;
    let state = {
        let _s = ctx.out.spinner_with("Connecting…", false);
        ctx.api.state().await?
    };
    let draft = timeline::draft_of(&state).unwrap_or(Value::Null);
    let board = Board::from_timeline(&timeline::parse_draft(&draft));
    if board.clips.is_empty() {
        return Err(Error::NothingToExport(
            "Nothing to draw yet: the timeline has no clips. Upload photos and say what the video should be first.".into(),
        ));
    }
    let uploads = ctx
        .store
        .read()?
        .project
        .map(|p| p.uploads)
        .unwrap_or_default();
    let clips = board.clips.len();
    let (png, rgb, (missing, unreadable)) = {
        let _s = ctx.out.spinner_with("Drawing the storyboard…", false);
        tokio::task::spawn_blocking(move || {
            let pictures: Vec<storyboard::Picture> = board
                .clips
                .iter()
                .map(|c| match storyboard::local_copy(c, &uploads) {
                    Some(p) => storyboard::load(&p),
                    None => storyboard::Picture::Missing,
                })
                .collect();
            let names = |want: fn(&storyboard::Picture) -> bool| -> Vec<String> {
                board
                    .clips
                    .iter()
                    .zip(&pictures)
                    .filter(|(_, p)| want(p))
                    .map(|(c, _)| c.name.clone())
                    .collect()
            };
            let placeholders = (
                names(|p| matches!(p, storyboard::Picture::Missing)),
                names(|p| matches!(p, storyboard::Picture::Unreadable)),
            );
            let painter = Painter::for_text(&board.all_text());
            let rgb = storyboard::draw(&board, &pictures, &painter);
            encode_png(&rgb).map(|png| (png, rgb, placeholders))
        })
        .await
        .map_err(|e| Error::Io(format!("Could not draw the storyboard: {e}")))?
        .map_err(|e| Error::Io(format!("Could not draw the storyboard: {e}")))?
    };
    crate::store::atomic::write_atomic(&path, &png)
        .map_err(|e| Error::Io(format!("Cannot write {}: {e}", path.display())))?;
    if ctx.out.is_json() {
        ctx.out.json(json!({
            "type": "storyboard",
            "path": path,
            "clips": clips,
            "placeholders": missing.iter().chain(&unreadable).collect::<Vec<_>>(),
        }));
    } else {
        ctx.out.picture("Storyboard: ", &path, &png, &rgb);
        if let Some(note) = placeholder_note(&missing, &unreadable) {
            ctx.out.note(note);
        }
    }
    Ok(Drawn {
        path,
        clips,
        placeholders: missing.into_iter().chain(unreadable).collect(),
    })
}

/// The PNG with the adaptive filter, which makes a board of photos about a
/// fifth smaller than the default filter at little cost.
fn encode_png(rgb: &image::RgbImage) -> image::ImageResult<Vec<u8>> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Default, FilterType::Adaptive)
        .write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )?;
    Ok(png)
}

/// The file to write: the given path (a folder gets the default name), or
/// the default name in the current folder.
fn target(output: Option<PathBuf>) -> PathBuf {
    match output {
        Some(p) if p.is_dir() => p.join(DEFAULT_NAME),
        Some(p) => p,
        None => PathBuf::from(DEFAULT_NAME),
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A storyboard replaces an earlier one, but never a file that is not a
/// PNG (a typo in `-o` must not cost the user a document).
fn refuse_to_clobber(path: &Path) -> Result<()> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    let Ok(mut f) = std::fs::File::open(path) else {
        return Ok(());
    };
    let mut head = [0u8; 8];
    let is_png = std::io::Read::read_exact(&mut f, &mut head).is_ok() && head == PNG;
    if is_png {
        Ok(())
    } else {
        Err(Error::Input(format!(
            "{} exists and is not a PNG, so it was left alone; choose another name with -o.",
            path.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_the_placeholders_and_why() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(placeholder_note(&[], &[]), None);
        assert_eq!(
            placeholder_note(&v(&["a.jpg"]), &[]).unwrap(),
            "No local copy of a.jpg: drawn as a placeholder."
        );
        assert_eq!(
            placeholder_note(&v(&["a.jpg"]), &v(&["b.heic"])).unwrap(),
            "No local copy of a.jpg; cannot read b.heic: drawn as placeholders."
        );
        assert_eq!(
            placeholder_note(&[], &v(&["b.heic", "c.mov"])).unwrap(),
            "Cannot read b.heic, c.mov: drawn as placeholders."
        );
    }
}
