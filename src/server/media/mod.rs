//! Every accepted upload made into something the renderer shows well, and
//! every upload the backend cannot decode refused when it arrives (issue
//! 23), not at export.
//!
//! The renderer reads JPEG, PNG, still WebP, video and audio with ffmpeg.
//! What ffmpeg 5.1 cannot read gets a *derivative* beside the upload, made
//! once: a HEIC/HEIF photo becomes an upright JPEG (libheif, see [`heif`]),
//! a one-frame GIF a PNG, an animated GIF or WebP a short looping H.264
//! clip (see [`animation`]). [`prepare`] decodes an upload for real (at
//! upload: a file whose header is right but whose picture is cut short is
//! refused then); [`shown`] is what a renderer asks for (the derivative, or
//! the upload itself), and makes a missing derivative of an older upload.
//! Which track a file goes to and how it is composed is the renderer's.

mod animation;
mod count;
mod heif;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

pub use count::Count;
pub use heif::install_hint as heif_install_hint;

/// What the renderer shows for an upload, and the file it reads for it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// A still picture (an upright one when it is a derivative).
    Photo(PathBuf),
    /// Moving pictures: an uploaded video, or the clip made of an animation.
    Clip(PathBuf),
    /// A song.
    Song(PathBuf),
}

impl Shown {
    /// The kind the protocol's `video_infos` and the draft speak of.
    pub fn kind(&self) -> &'static str {
        match self {
            Shown::Photo(_) => "image",
            Shown::Clip(_) => "video",
            Shown::Song(_) => "audio",
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Shown::Photo(p) | Shown::Clip(p) | Shown::Song(p) => p,
        }
    }
}

/// Why an upload cannot be shown: a sentence for the user, without the
/// file's name (the caller names it) and without a decoder's raw output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable(pub String);

impl std::fmt::Display for Undecodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a file is, by its first bytes (never by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Heif,
    Gif,
    WebP {
        animated: bool,
    },
    /// Anything ffmpeg reads itself (JPEG, PNG, video, audio).
    Other,
}

fn format_of(path: &Path) -> Format {
    let mut h = [0u8; 32];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut h))
        .unwrap_or(0);
    format_of_header(&h[..n])
}

fn format_of_header(h: &[u8]) -> Format {
    if h.starts_with(b"GIF87a") || h.starts_with(b"GIF89a") {
        return Format::Gif;
    }
    if h.len() >= 21 && &h[..4] == b"RIFF" && &h[8..12] == b"WEBP" {
        // The extended format's flags: bit 1 is "animation".
        let animated = &h[12..16] == b"VP8X" && h[20] & 0x02 != 0;
        return Format::WebP { animated };
    }
    if h.len() >= 12 && &h[4..8] == b"ftyp" {
        const HEIF_BRANDS: [&[u8; 4]; 8] = [
            b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
        ];
        if HEIF_BRANDS.iter().any(|b| &h[8..12] == *b) {
            return Format::Heif;
        }
    }
    Format::Other
}

/// The derivative of `upload` that is a photo (HEIF → JPEG, GIF → PNG).
fn photo_of(upload: &Path, ext: &str) -> PathBuf {
    beside(upload, &format!("photo.{ext}"))
}

/// The derivative of `upload` that is a clip (an animation).
fn clip_of(upload: &Path) -> PathBuf {
    beside(upload, "clip.mp4")
}

fn beside(upload: &Path, suffix: &str) -> PathBuf {
    let mut name = upload.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    upload.with_file_name(name)
}

/// Every file [`prepare`] may have written beside `upload` (to remove them
/// with it).
pub fn derivatives(upload: &Path) -> Vec<PathBuf> {
    vec![
        photo_of(upload, "jpg"),
        photo_of(upload, "png"),
        clip_of(upload),
    ]
}

/// The derivative already made for `upload`, if any.
fn existing(upload: &Path) -> Option<Shown> {
    let clip = clip_of(upload);
    if clip.is_file() {
        return Some(Shown::Clip(clip));
    }
    ["jpg", "png"]
        .into_iter()
        .map(|e| photo_of(upload, e))
        .find(|p| p.is_file())
        .map(Shown::Photo)
}

/// An upload once decoded: what it is shown as and, for a photo, how well
/// exposed it is (the best photo becomes the thumbnail).
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub shown: Shown,
    /// Lower is better (see [`exposure_penalty`]);
    /// `None` without ffmpeg or for clips and songs.
    pub exposure: Option<f64>,
}

/// Decode `upload` for real and make what the renderer needs of it.
/// `kind` is what its name says ("image", "video", "audio"). A file a
/// decoder refuses is [`Undecodable`]; a check that needs ffmpeg is
/// skipped when ffmpeg is not installed (export then says how to get it).
pub async fn prepare(upload: &Path, kind: &str) -> Result<Prepared, Undecodable> {
    let shown = derive(upload, kind, true).await?;
    let mut exposure = None;
    if have_ffmpeg() {
        match &shown {
            // Decoding a photo and measuring it are one ffmpeg run.
            Shown::Photo(p) => exposure = measure_exposure(p).await?,
            // An animation's clip was made from frames decoded whole.
            Shown::Clip(p) if p == upload => ffmpeg_decodes(p, "v").await?,
            Shown::Clip(_) => {}
            Shown::Song(p) => ffmpeg_decodes(p, "a").await?,
        }
    }
    Ok(Prepared { shown, exposure })
}

/// What a renderer shows for `upload`: its derivative (made now for an
/// upload from before derivatives existed), else the upload itself.
pub async fn shown(upload: &Path, kind: &str) -> Result<Shown, Undecodable> {
    derive(upload, kind, false).await
}

async fn derive(upload: &Path, kind: &str, verify: bool) -> Result<Shown, Undecodable> {
    if let Some(d) = existing(upload) {
        return Ok(d);
    }
    let own = upload.to_path_buf();
    if kind == "audio" {
        return Ok(Shown::Song(own));
    }
    match format_of(upload) {
        Format::Heif => {
            let out = photo_of(upload, "jpg");
            heif::decode(upload, &out).await?;
            Ok(Shown::Photo(out))
        }
        Format::Gif => animation::derive(upload, &photo_of(upload, "png"), &clip_of(upload)).await,
        Format::WebP { animated: true } => {
            animation::derive(upload, &photo_of(upload, "png"), &clip_of(upload)).await
        }
        // ffmpeg shows a still WebP as it is; its picture is checked here
        // (ffmpeg's WebP decoder says little about a damaged one).
        Format::WebP { animated: false } => {
            if verify {
                animation::check_still(upload).await?;
            }
            Ok(Shown::Photo(own))
        }
        Format::Other if kind == "video" => Ok(Shown::Clip(own)),
        Format::Other => Ok(Shown::Photo(own)),
    }
}

fn have_ffmpeg() -> bool {
    super::tools::which("ffmpeg").is_some()
}

/// ffmpeg decodes the first picture (`stream` "v") or the first second of
/// sound ("a") of `path`.
async fn ffmpeg_decodes(path: &Path, stream: &str) -> Result<(), Undecodable> {
    let map = format!("0:{stream}:0");
    let limit: &[&str] = if stream == "v" {
        &["-frames:v", "1"]
    } else {
        &["-t", "1"]
    };
    let what = if stream == "v" { "picture" } else { "sound" };
    let mut args = vec!["-map", &map];
    args.extend_from_slice(limit);
    args.extend_from_slice(&["-f", "null", "-"]);
    ffmpeg(path, &args, what).await.map(|_| ())
}

/// Measure a photo's exposure (a 32×32 greyscale thumbnail), which decodes
/// it whole.
async fn measure_exposure(path: &Path) -> Result<Option<f64>, Undecodable> {
    let Some(gray) = ffmpeg(
        path,
        &[
            "-frames:v",
            "1",
            "-vf",
            "scale=32:32:flags=area,format=gray",
            "-f",
            "rawvideo",
            "pipe:1",
        ],
        "picture",
    )
    .await?
    else {
        return Ok(None);
    };
    if gray.len() != 32 * 32 {
        return Err(Undecodable(reason("", "picture")));
    }
    Ok(Some(exposure_penalty(&gray)))
}

/// Run ffmpeg on `input` with output `args`; its stdout, or why it failed
/// in words for users. `None` when ffmpeg cannot be started (nothing was
/// learnt; export says how to install it).
async fn ffmpeg(input: &Path, args: &[&str], what: &str) -> Result<Option<Vec<u8>>, Undecodable> {
    let out = tokio::process::Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-i"])
        .arg(input)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await;
    let Ok(out) = out else {
        return Ok(None);
    };
    if out.status.success() {
        return Ok(Some(out.stdout));
    }
    let err = String::from_utf8_lossy(&out.stderr);
    if lacks_a_part(&err) {
        return Ok(None);
    }
    if err.contains("matches no streams") {
        return Err(Undecodable(format!("it holds no {what}")));
    }
    Err(Undecodable(reason(&err, what)))
}

/// Whether ffmpeg failed for want of a part of its own (an encoder, a
/// filter, an option an odd build lacks) rather than because of the file:
/// the file is not blamed, and the render names the missing part.
fn lacks_a_part(ffmpeg_error: &str) -> bool {
    [
        "Unknown encoder",
        "Encoder not found",
        "No such filter",
        "Unrecognized option",
        "Error initializing filter",
    ]
    .iter()
    .any(|m| ffmpeg_error.contains(m))
}

/// A decoder's complaint as a plain sentence: "the file ends before its
/// picture does" for a file cut short, else the decoder's last words,
/// without addresses or paths.
pub(crate) fn reason(decoder_text: &str, what: &str) -> String {
    let t = decoder_text.to_ascii_lowercase();
    let cut = [
        "end of file",
        "unexpected eof",
        "unexpectedeof",
        "truncat",
        "overread",
        "moov atom not found",
        "chunk too big",
        "outside of file bounds",
        "ends early",
        "failed to fill whole buffer",
    ];
    if cut.iter().any(|c| t.contains(c)) {
        return format!("the file ends before its {what} does (it was cut short or is damaged)");
    }
    let last = decoder_text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("");
    // "[png @ 0x55…] chunk too big" → "chunk too big".
    let last = match last.strip_prefix('[').and_then(|l| l.split_once("] ")) {
        Some((_, rest)) => rest,
        None => last,
    };
    let last: String = last.chars().take(120).collect();
    if last.is_empty() {
        format!("its {what} could not be decoded (the file is damaged or not what its name says)")
    } else {
        format!("its {what} could not be decoded ({last})")
    }
}

/// A render's ffmpeg failure said about the file it could not read: the
/// input its message names, else the first of `inputs` (each file's path
/// with the name its user knows) that ffmpeg cannot decode on its own.
/// `None` when every input decodes (the failure is not about a file).
pub async fn blame(ffmpeg_error: &str, inputs: &[(PathBuf, String)]) -> Option<String> {
    let what = |name: &str| match crate::wire::media_kind_of(name) {
        Some("audio") => "sound",
        _ => "picture",
    };
    if let Some((path, name)) = inputs
        .iter()
        .find(|(p, _)| ffmpeg_error.contains(&*p.to_string_lossy()))
    {
        // ffmpeg's lines name the file by its path: "<path>: Invalid data …".
        let text = ffmpeg_error
            .replace(&format!("{}: ", path.to_string_lossy()), "")
            .replace(&*path.to_string_lossy(), name);
        return Some(format!(
            "{name} could not be rendered: {}",
            reason(&text, what(name))
        ));
    }
    for (path, name) in inputs {
        let stream = if what(name) == "sound" { "a" } else { "v" };
        if let Err(why) = ffmpeg_decodes(path, stream).await {
            return Some(format!("{name} could not be rendered: {why}"));
        }
    }
    None
}

/// A file only this user can read, written whole or not at all.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // NamedTempFile is created 0600 already.
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// `name` as a safe file name in the data dir: anything but ASCII letters,
/// digits, `.`, `-` and `_` becomes `_`.
pub fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// How far a photo is from a good exposure: 0 is ideal, larger is worse.
/// `gray` is a small greyscale thumbnail (one byte per pixel).
pub fn exposure_penalty(gray: &[u8]) -> f64 {
    if gray.is_empty() {
        return f64::MAX;
    }
    let n = gray.len() as f64;
    let mean = gray.iter().map(|&v| v as f64).sum::<f64>() / n / 255.0;
    let clipped = gray.iter().filter(|&&v| !(8..=247).contains(&v)).count() as f64 / n;
    let var = gray
        .iter()
        .map(|&v| (v as f64 / 255.0 - mean).powi(2))
        .sum::<f64>()
        / n;
    // Mid-grey is the target; clipped pixels and a flat image cost extra.
    (mean - 0.46).abs() + clipped * 0.8 + (0.2 - var.sqrt()).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_exposed_beats_dark_bright_and_flat() {
        let good: Vec<u8> = (0..1024).map(|i| (40 + (i * 7) % 180) as u8).collect();
        let dark = vec![5u8; 1024];
        let bright = vec![252u8; 1024];
        let flat = vec![118u8; 1024];
        let g = exposure_penalty(&good);
        for worse in [&dark, &bright, &flat] {
            assert!(exposure_penalty(worse) > g);
        }
        assert_eq!(exposure_penalty(&[]), f64::MAX);
    }

    #[test]
    fn formats_by_their_first_bytes() {
        let anim = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x12\0\0\0\0\0\0\0";
        let still = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x10\0\0\0\0\0\0\0";
        for (h, f) in [
            (&b"GIF89a\x01\0\x01\0"[..], Format::Gif),
            (&b"GIF87a\x01\0\x01\0"[..], Format::Gif),
            (&anim[..], Format::WebP { animated: true }),
            (&still[..], Format::WebP { animated: false }),
            (
                &b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\0\0"[..],
                Format::WebP { animated: false },
            ),
            (&b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"[..], Format::Heif),
            (&b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic"[..], Format::Heif),
            (&b"\0\0\0\x18ftypisom\0\0\0\0isomavc1"[..], Format::Other),
            (&b"\xff\xd8\xff\xe0"[..], Format::Other),
            (&b""[..], Format::Other),
        ] {
            assert_eq!(format_of_header(h), f, "{h:?}");
        }
    }

    #[test]
    fn derivatives_sit_beside_the_upload() {
        let up = Path::new("/d/uploads/file_1-a.heic");
        assert_eq!(
            derivatives(up),
            [
                PathBuf::from("/d/uploads/file_1-a.heic.photo.jpg"),
                PathBuf::from("/d/uploads/file_1-a.heic.photo.png"),
                PathBuf::from("/d/uploads/file_1-a.heic.clip.mp4"),
            ]
        );
    }

    #[tokio::test]
    async fn a_render_error_names_the_file_it_could_not_read() {
        let inputs = [
            (PathBuf::from("/d/u/file_1-a.jpg"), "a.jpg".to_string()),
            (PathBuf::from("/d/u/file_2-b.mp3"), "b.mp3".to_string()),
        ];
        let e = "ffmpeg failed (exit status: 1): [mp3 @ 0x1] Failed to read frame size\n/d/u/file_2-b.mp3: Invalid data found when processing input";
        let got = blame(e, &inputs).await.unwrap();
        assert!(got.starts_with("b.mp3 could not be rendered: "), "{got}");
        assert!(!got.contains("/d/u"), "{got}");
        assert!(!got.contains("mp3 @"), "{got}");
    }

    #[test]
    fn an_ffmpeg_lacking_a_part_is_not_the_files_fault() {
        assert!(lacks_a_part("[vost#0:0 @ 0x5] Unknown encoder 'libx264'"));
        assert!(lacks_a_part("No such filter: 'colormatrix'"));
        assert!(!lacks_a_part("moov atom not found"));
        assert!(!lacks_a_part("Invalid data found when processing input"));
    }

    #[test]
    fn a_decoders_words_become_a_sentence() {
        assert_eq!(
            reason("Could not read HEIF/AVIF file: Invalid input: Unexpected end of file: Extent in iloc box references data outside of file bounds (points to file position 357)\n", "picture"),
            "the file ends before its picture does (it was cut short or is damaged)"
        );
        assert_eq!(
            reason("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5581] moov atom not found\nx.mp4: Invalid data found when processing input\n", "picture"),
            "the file ends before its picture does (it was cut short or is damaged)"
        );
        assert_eq!(
            reason("[h264 @ 0x55d] no frame!\n", "picture"),
            "its picture could not be decoded (no frame!)"
        );
        assert!(reason("", "sound").contains("sound could not be decoded"));
    }
}
