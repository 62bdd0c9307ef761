//! Pre-flight checks for one local file, run before a single byte is uploaded.
//!
//! The upload API takes up to 200 MB per file and decides what a file is from
//! its extension. Finding out that a file is missing, unreadable, too large or
//! not what its name says only *after* pushing it over a home connection
//! wastes minutes, so [`validate`] answers all of that locally, cheaply, and in
//! words a photographer understands ([`Refusal`]'s `Display`).
//!
//! Cheap means: the size comes from metadata (a 300 MB file is refused without
//! reading it) and the content check reads at most [`SNIFF_BYTES`] bytes.
//!
//! Left to others: finding the files in the first place (`input::paths`),
//! uploading, URL inputs (they are not local files), and deciding what to do
//! with a refusal (skip, ask, abort). This module never prints anything.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Largest file the API accepts: 200 MiB. Exactly this many bytes is fine;
/// one more is refused.
pub use crate::wire::MAX_UPLOAD_BYTES;

/// How many leading bytes [`validate`] reads to check the content. Every
/// signature in [`sniff`] sits in the first 16 bytes; 64 leaves room for
/// an MP4 `ftyp` box's list of compatible brands.
pub const SNIFF_BYTES: usize = 64;

/// Extensions the API accepts (lower case, without the dot).
pub use crate::wire::ACCEPTED_TYPES as ACCEPTED_EXTENSIONS;

/// The three kinds of media the editor understands. Only the kind matters
/// for the content check: a PNG saved as `.jpg` is still a picture and the
/// API copes with it, a text file saved as `.jpg` is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
}

impl MediaKind {
    /// The plain-language noun used in messages ("a JPG image").
    pub fn noun(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio file",
        }
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
        })
    }
}

/// A file that passed every check and may be uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The path as given to [`validate`].
    pub path: PathBuf,
    /// The file name, for progress bars and for the upload's name field.
    pub name: String,
    /// Size in bytes, from metadata (for progress bars).
    pub size: u64,
    /// Kind according to the extension (confirmed by the content).
    pub kind: MediaKind,
}

/// A file that must not be uploaded, and why.
///
/// `Display` gives one line, `"IMG_1.jpg: <reason>"`, meant to be shown to
/// the user as is: the file name rather than the full path (the user knows
/// which folder they dropped), and no error codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: PathBuf,
    pub reason: String,
}

impl Refusal {
    fn new(path: &Path, reason: impl Into<String>) -> Self {
        Refusal {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", display_name(&self.path), self.reason)
    }
}

impl std::error::Error for Refusal {}

/// Kind for an extension (without the dot; a leading dot is tolerated),
/// case-insensitive. `None` means the API would refuse the file.
pub fn kind_of_extension(ext: &str) -> Option<MediaKind> {
    let ext = ext.strip_prefix('.').unwrap_or(ext).to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "heic" => Some(MediaKind::Image),
        "mp4" | "mov" | "avi" | "webm" | "mkv" => Some(MediaKind::Video),
        "mp3" | "wav" | "m4a" | "aac" => Some(MediaKind::Audio),
        _ => None,
    }
}

/// Whether the API accepts this file judging by its extension alone. Used by
/// folder and glob expansion to skip `.txt`, `.DS_Store` and friends without
/// opening anything.
pub fn is_supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(kind_of_extension)
        .is_some()
}

/// Check one file before upload. The checks run in this order, and the first
/// failure is returned, so the user gets the most basic problem first:
///
/// 1. it exists;
/// 2. it is a regular file (not a folder, a pipe, a socket or a device);
/// 3. its name has no line break or other control character (the upload
///    carries the name in a header line, where a line break cannot go);
/// 4. it can be opened for reading (without waiting: a pipe put in its place
///    since step 2 is refused, not read);
/// 5. its extension is one the API accepts;
/// 6. it is at most [`MAX_UPLOAD_BYTES`] (from metadata, nothing is read);
/// 7. its first bytes match the kind its extension promises (it is not
///    empty, not text, not a video named `.jpg`).
pub fn validate(path: &Path) -> Result<Accepted, Refusal> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Refusal::new(
                path,
                "file not found (it may have been moved, renamed or deleted)",
            ))
        }
        Err(e) => return Err(Refusal::new(path, cannot_read(&e))),
    };
    if !meta.is_file() {
        return Err(Refusal::new(path, not_regular(&meta)));
    }
    if let Some(reason) = bad_name(path) {
        return Err(Refusal::new(path, reason));
    }
    // Open before anything else reads it: a file we cannot read would
    // otherwise fail halfway through the upload.
    let file = open_no_wait(path).map_err(|e| Refusal::new(path, cannot_read(&e)))?;
    match file.metadata() {
        Ok(m) if m.is_file() => {}
        Ok(m) => return Err(Refusal::new(path, not_regular(&m))),
        Err(e) => return Err(Refusal::new(path, cannot_read(&e))),
    }

    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = match kind_of_extension(&ext) {
        Some(k) => k,
        None if ext.is_empty() => {
            return Err(Refusal::new(
                path,
                format!(
                    "has no file extension, so its type is unknown — accepted: {}",
                    accepted_list()
                ),
            ))
        }
        None => {
            return Err(Refusal::new(
                path,
                format!(
                    "unsupported type .{} — accepted: {}",
                    ext.to_lowercase(),
                    accepted_list()
                ),
            ))
        }
    };

    let size = meta.len();
    if size > MAX_UPLOAD_BYTES {
        return Err(Refusal::new(path, too_big(size, kind)));
    }

    let mut header = Vec::with_capacity(SNIFF_BYTES);
    if let Err(e) = file.take(SNIFF_BYTES as u64).read_to_end(&mut header) {
        return Err(Refusal::new(path, cannot_read(&e)));
    }
    check_content(&header, &ext, kind).map_err(|reason| Refusal::new(path, reason))?;

    Ok(Accepted {
        path: path.to_path_buf(),
        name: display_name(path),
        size,
        kind,
    })
}

/// Kind of media from a file's first bytes (magic numbers), or `None` when
/// nothing is recognised. Only signatures of the accepted formats are known.
/// Pass at least the first 16 bytes; 64 lets an MP4 `ftyp` box's compatible
/// brands be seen (an `.m4a` whose main brand is a generic `mp42` is still
/// reported as [`MediaKind::Video`] here, which [`validate`] accounts for).
pub fn sniff(header: &[u8]) -> Option<MediaKind> {
    sniff_format(header).map(|f| f.kind)
}

/// What [`sniff_format`] recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sniffed {
    kind: MediaKind,
    /// Also fits this kind: an MP4 container with a generic brand may be
    /// audio-only (`.m4a`).
    also: Option<MediaKind>,
    /// Shown in messages: "(its content looks like an MP4 video)".
    label: &'static str,
}

impl Sniffed {
    const fn new(kind: MediaKind, label: &'static str) -> Self {
        Sniffed {
            kind,
            also: None,
            label,
        }
    }

    fn fits(&self, kind: MediaKind) -> bool {
        self.kind == kind || self.also == Some(kind)
    }
}

fn sniff_format(h: &[u8]) -> Option<Sniffed> {
    use MediaKind::*;
    let at = |offset: usize, sig: &[u8]| h.get(offset..offset + sig.len()) == Some(sig);

    if at(0, &[0xFF, 0xD8, 0xFF]) {
        return Some(Sniffed::new(Image, "a JPEG image"));
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Some(Sniffed::new(Image, "a PNG image"));
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return Some(Sniffed::new(Image, "a GIF image"));
    }
    if at(0, b"RIFF") {
        if at(8, b"WEBP") {
            return Some(Sniffed::new(Image, "a WebP image"));
        }
        if at(8, b"AVI ") {
            return Some(Sniffed::new(Video, "an AVI video"));
        }
        if at(8, b"WAVE") {
            return Some(Sniffed::new(Audio, "a WAV audio file"));
        }
    }
    if at(4, b"ftyp") {
        return Some(sniff_ftyp(h));
    }
    // QuickTime files older than the `ftyp` box start straight with one of
    // these atoms.
    if [b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"]
        .iter()
        .any(|atom| at(4, *atom))
    {
        return Some(Sniffed::new(Video, "a QuickTime video"));
    }
    if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        return Some(Sniffed::new(Video, "a WebM/MKV video"));
    }
    if at(0, b"ID3") || at(0, b"ADIF") {
        return Some(Sniffed::new(Audio, "an audio file"));
    }
    // MPEG audio frame sync (11 set bits): MP3 frames (FF Fx / FF Ex) and
    // AAC ADTS headers (FF F1, FF F9) alike.
    if h.len() >= 2 && h[0] == 0xFF && h[1] & 0xE0 == 0xE0 {
        return Some(Sniffed::new(Audio, "an audio file"));
    }
    None
}

/// ISO base media files (MP4, MOV, M4A, HEIC) share one container; the
/// brands in the `ftyp` box say which it is.
fn sniff_ftyp(h: &[u8]) -> Sniffed {
    use MediaKind::*;
    const IMAGE: &[&[u8; 4]] = &[
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis",
    ];
    const AUDIO: &[&[u8; 4]] = &[b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "];
    const GENERIC: &[&[u8; 4]] = &[b"mp41", b"mp42", b"mp71", b"dash", b"avc1", b"mmp4"];
    // Box layout: size(4) "ftyp" major(4) minor_version(4) compatible(4)*.
    let box_end = h
        .get(0..4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .unwrap_or(0)
        .clamp(12, h.len().max(12));
    let major = h.get(8..12);
    let compatible = h
        .get(16..box_end.min(h.len()))
        .unwrap_or(&[])
        .chunks_exact(4);
    let is = |set: &[&[u8; 4]], brand: &[u8]| set.iter().any(|b| b.as_slice() == brand);

    match major {
        Some(b) if is(IMAGE, b) => return Sniffed::new(Image, "a HEIC image"),
        Some(b) if is(AUDIO, b) => return Sniffed::new(Audio, "an M4A audio file"),
        // A specific video brand (qt, M4V, 3gp…) settles it, even though
        // iTunes lists "M4A " among an M4V's compatible brands.
        Some(b) if !(b.starts_with(b"iso") || is(GENERIC, b)) => {
            return Sniffed::new(Video, "an MP4 video")
        }
        _ => {}
    }
    // Generic MP4 brand: the compatible brands may tell more.
    let mut compatible = compatible;
    if compatible.clone().any(|b| is(AUDIO, b)) {
        return Sniffed::new(Audio, "an M4A audio file");
    }
    if compatible.any(|b| is(IMAGE, b)) {
        return Sniffed::new(Image, "a HEIC image");
    }
    Sniffed {
        kind: Video,
        also: Some(Audio),
        label: "an MP4 video",
    }
}

/// The content half of [`validate`]: `Err` holds the user-facing reason.
fn check_content(header: &[u8], ext: &str, kind: MediaKind) -> Result<(), String> {
    let claimed = format!("{} {}", article_for(ext), ext.to_uppercase());
    if header.is_empty() {
        return Err("is empty (0 bytes) — it may not have finished downloading or copying".into());
    }
    match sniff_format(header) {
        Some(found) if found.fits(kind) => Ok(()),
        Some(found) => Err(format!(
            "is not really {claimed} {} (its content looks like {}) — rename it to the right extension",
            kind.noun(),
            found.label
        )),
        None => {
            let looks_like = if header.iter().all(|&b| b == 0) {
                Some("all zeros, so the file is probably damaged or not fully downloaded")
            } else if looks_like_html(header) {
                Some("a web page")
            } else if looks_like_text(header) {
                Some("text")
            } else {
                None
            };
            match (looks_like, kind) {
                (Some(what), _) => Err(format!(
                    "is not really {claimed} {} (its content looks like {what})",
                    kind.noun()
                )),
                // Picture formats have fixed, well-known signatures: an
                // unknown header means a damaged or mislabelled file.
                (None, MediaKind::Image) => Err(format!(
                    "is not really {claimed} image (its content is not a picture format we recognise — the file may be damaged)"
                )),
                // Video and audio files vary too much (padding before the
                // first MP3 frame, odd container brands) to refuse on an
                // unknown but binary header; the server has the final word.
                (None, _) => Ok(()),
            }
        }
    }
}

/// "a" or "an" before an extension read out letter by letter ("an MP4",
/// "a JPG", "a HEIC" — usually said "heek").
fn article_for(ext: &str) -> &'static str {
    match ext.chars().next().map(|c| c.to_ascii_uppercase()) {
        Some('A' | 'E' | 'F' | 'I' | 'L' | 'M' | 'N' | 'O' | 'R' | 'S' | 'X') => "an",
        _ => "a",
    }
}

fn looks_like_text(h: &[u8]) -> bool {
    // The header may end in the middle of a multi-byte character.
    let valid = match std::str::from_utf8(h) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&h[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !valid.is_empty()
        && valid
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c'))
}

fn looks_like_html(h: &[u8]) -> bool {
    let text = String::from_utf8_lossy(h).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<!doctype html") || text.starts_with("<html") || text.starts_with("<head")
}

/// Open for reading without waiting for a writer, should the path be a
/// pipe after all (it may have been swapped since it was looked at).
fn open_no_wait(path: &Path) -> io::Result<File> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    // libc is a dependency on Linux only; elsewhere the check after
    // opening still refuses a pipe, but the open itself may wait.
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// Why something that exists is not a file that can be uploaded.
fn not_regular(meta: &fs::Metadata) -> String {
    if meta.is_dir() {
        return "is a folder, not a file (add the folder itself to include the photos and videos inside it)".into();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        let what = if t.is_fifo() {
            "a pipe"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else {
            "not a file"
        };
        format!("is not a regular file ({what})")
    }
    #[cfg(not(unix))]
    {
        "is not a regular file (it looks like a device or a pipe)".into()
    }
}

/// A file name the upload cannot carry, and why.
fn bad_name(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy();
    if name.contains(['\n', '\r']) {
        Some("its name contains a line break; rename it and try again")
    } else if name.chars().any(char::is_control) {
        Some("its name contains a control character; rename it and try again")
    } else {
        None
    }
}

fn cannot_read(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "cannot be read: permission denied (check the file's permissions or sharing settings)"
                .into()
        }
        io::ErrorKind::NotFound => {
            "file not found (it may have been moved, renamed or deleted)".into()
        }
        _ => format!("cannot be read ({e})"),
    }
}

fn too_big(size: u64, kind: MediaKind) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let limit_mb = MAX_UPLOAD_BYTES / (1024 * 1024);
    let mb = format!("{:.1}", size as f64 / MIB);
    // 200 MiB + 1 byte would print as "200.0 MB", which reads as allowed.
    let shown = if mb.parse::<f64>().unwrap_or(0.0) <= limit_mb as f64 {
        format!("just over {limit_mb} MB")
    } else {
        format!("{mb} MB")
    };
    let advice = match kind {
        MediaKind::Image => "save it at a smaller size or compress it",
        MediaKind::Video => "compress it or trim it to a shorter clip",
        MediaKind::Audio => "compress it or trim it",
    };
    format!("is too large ({shown}; the limit is {limit_mb} MB) — {advice}, then add it again")
}

/// Accepted extensions for messages, pictures first since that is what this
/// tool is mostly fed.
fn accepted_list() -> String {
    let mut list: Vec<&str> = Vec::with_capacity(ACCEPTED_EXTENSIONS.len());
    for kind in [MediaKind::Image, MediaKind::Video, MediaKind::Audio] {
        list.extend(
            ACCEPTED_EXTENSIONS
                .iter()
                .filter(|e| kind_of_extension(e) == Some(kind)),
        );
    }
    list.join(", ")
}

/// The name shown in a refusal, on one line: a line break or another
/// control character in it is spelled out (`bad\nname.jpg`).
fn display_name(path: &Path) -> String {
    let name = match path.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        None => path.display().to_string(),
    };
    if !name.chars().any(char::is_control) {
        return name;
    }
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const JPEG: &[u8] = &[
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    /// A fresh, empty directory for one test, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "img2yt-validate-{}-{}-{}",
                std::process::id(),
                name,
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn file(&self, name: &str, content: &[u8]) -> PathBuf {
            let p = self.0.join(name);
            fs::write(&p, content).unwrap();
            p
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn refused(path: &Path) -> Refusal {
        match validate(path) {
            Ok(a) => panic!(
                "{} should be refused, was accepted as {a:?}",
                path.display()
            ),
            Err(r) => r,
        }
    }

    #[test]
    fn accepts_a_real_jpeg() {
        let s = Scratch::new("ok");
        let p = s.file("IMG_1.JPG", JPEG);
        let a = validate(&p).unwrap();
        assert_eq!(
            a,
            Accepted {
                path: p.clone(),
                name: "IMG_1.JPG".into(),
                size: JPEG.len() as u64,
                kind: MediaKind::Image
            }
        );
    }

    #[test]
    fn accepts_each_kind() {
        let s = Scratch::new("kinds");
        let mut mp4 = vec![0, 0, 0, 0x18];
        mp4.extend_from_slice(b"ftypmp42\0\0\0\0isommp42");
        let cases: &[(&str, Vec<u8>, MediaKind)] = &[
            ("a.png", PNG.to_vec(), MediaKind::Image),
            ("a.mp4", mp4.clone(), MediaKind::Video),
            // Generic MP4 brand on an audio-only file.
            ("a.m4a", mp4, MediaKind::Audio),
            ("a.mp3", b"ID3\x04\0\0\0\0\0\0".to_vec(), MediaKind::Audio),
            (
                "a.wav",
                b"RIFF\x24\0\0\0WAVEfmt ".to_vec(),
                MediaKind::Audio,
            ),
            (
                "a.webm",
                vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F],
                MediaKind::Video,
            ),
        ];
        for (name, content, kind) in cases {
            let a = validate(&s.file(name, content)).unwrap_or_else(|r| panic!("{r}"));
            assert_eq!(a.kind, *kind, "{name}");
        }
    }

    #[test]
    fn refuses_missing_file() {
        let s = Scratch::new("missing");
        let r = refused(&s.0.join("IMG_1.jpg"));
        assert_eq!(
            r.to_string(),
            "IMG_1.jpg: file not found (it may have been moved, renamed or deleted)"
        );
    }

    #[test]
    fn refuses_folder() {
        let s = Scratch::new("folder");
        let dir = s.0.join("Holiday.jpg");
        fs::create_dir(&dir).unwrap();
        let r = refused(&dir);
        assert!(r.reason.starts_with("is a folder, not a file"), "{r}");
    }

    #[test]
    fn refuses_a_name_the_upload_cannot_carry_and_shows_it_on_one_line() {
        let s = Scratch::new("names");
        let table = [
            (
                "bad\nname.jpg",
                "bad\\nname.jpg: its name contains a line break; rename it and try again",
            ),
            (
                "bad\rname.jpg",
                "bad\\rname.jpg: its name contains a line break; rename it and try again",
            ),
            (
                "bad\u{1b}[2Jname.jpg",
                "bad\\u{1b}[2Jname.jpg: its name contains a control character; rename it and try again",
            ),
        ];
        for (name, want) in table {
            let r = refused(&s.file(name, JPEG));
            assert_eq!(r.to_string(), want);
        }
        // Spaces and non-ASCII letters are fine.
        assert!(validate(&s.file("Été à Oslo 1.jpg", JPEG)).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_pipe_without_waiting_for_a_writer() {
        let s = Scratch::new("fifo");
        let p = s.0.join("x.jpg");
        let ok = std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .is_ok_and(|st| st.success());
        if !ok {
            return;
        }
        let r = refused(&p);
        assert_eq!(r.to_string(), "x.jpg: is not a regular file (a pipe)");
        // Opening it does not wait either (a pipe swapped in after the check).
        #[cfg(target_os = "linux")]
        assert!(open_no_wait(&p).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_unreadable_file() {
        use std::os::unix::fs::PermissionsExt;
        let s = Scratch::new("unreadable");
        let p = s.file("secret.jpg", JPEG);
        fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
        if File::open(&p).is_ok() {
            // Running as root: permissions are not enforced, nothing to test.
            return;
        }
        let r = refused(&p);
        assert!(r.reason.contains("permission denied"), "{r}");
    }

    #[test]
    fn refuses_unsupported_extension_and_lists_accepted_types() {
        let s = Scratch::new("ext");
        let r = refused(&s.file("notes.TXT", b"hello"));
        assert_eq!(
            r.to_string(),
            "notes.TXT: unsupported type .txt — accepted: jpg, jpeg, png, gif, webp, heic, \
             mp4, mov, avi, webm, mkv, mp3, wav, m4a, aac"
        );
        let r = refused(&s.file("README", b"hello"));
        assert!(r.reason.starts_with("has no file extension"), "{r}");
    }

    #[test]
    fn size_limit_is_inclusive_and_checked_without_reading() {
        let s = Scratch::new("size");
        let p = s.0.join("huge.jpg");
        let mut f = File::create(&p).unwrap();
        f.write_all(JPEG).unwrap();
        // Sparse: no 200 MB actually written.
        f.set_len(MAX_UPLOAD_BYTES).unwrap();
        drop(f);
        assert_eq!(validate(&p).unwrap().size, 209_715_200);

        File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(MAX_UPLOAD_BYTES + 1)
            .unwrap();
        let r = refused(&p);
        assert_eq!(
            r.to_string(),
            "huge.jpg: is too large (just over 200 MB; the limit is 200 MB) — \
             save it at a smaller size or compress it, then add it again"
        );

        let v = s.0.join("long.mov");
        let f = File::create(&v).unwrap();
        f.set_len(300 * 1024 * 1024).unwrap();
        drop(f);
        let r = refused(&v);
        assert!(r.reason.contains("(300.0 MB;"), "{r}");
        assert!(r.reason.contains("trim"), "{r}");
    }

    #[test]
    fn refuses_text_named_jpg() {
        let s = Scratch::new("text");
        let r = refused(&s.file("IMG_1.jpg", b"this is not a photo\n"));
        assert_eq!(
            r.to_string(),
            "IMG_1.jpg: is not really a JPG image (its content looks like text)"
        );
        let r = refused(&s.file("page.png", b"<!DOCTYPE html><html><head>"));
        assert!(
            r.reason.ends_with("(its content looks like a web page)"),
            "{r}"
        );
        let r = refused(&s.file("clip.mp4", "héllo wörld".as_bytes()));
        assert_eq!(
            r.reason,
            "is not really an MP4 video (its content looks like text)"
        );
    }

    #[test]
    fn refuses_other_kind_but_accepts_same_kind_mismatch() {
        let s = Scratch::new("mismatch");
        // A PNG named .jpg: still a picture, fine.
        assert_eq!(
            validate(&s.file("x.jpg", PNG)).unwrap().kind,
            MediaKind::Image
        );
        // A WAV named .mp3: still audio, fine.
        assert!(validate(&s.file("x.mp3", b"RIFF\0\0\0\0WAVEfmt ")).is_ok());
        // A video named .jpg: not a picture.
        let r = refused(&s.file("y.jpg", b"\0\0\0\x14ftypqt  \0\0\0\0qt  "));
        assert_eq!(
            r.reason,
            "is not really a JPG image (its content looks like an MP4 video) — \
             rename it to the right extension"
        );
        // A JPEG named .mp4.
        let r = refused(&s.file("z.mp4", JPEG));
        assert!(r.reason.starts_with("is not really an MP4 video"), "{r}");
    }

    #[test]
    fn refuses_empty_zeroed_and_garbage_pictures() {
        let s = Scratch::new("broken");
        let r = refused(&s.file("a.jpg", b""));
        assert!(r.reason.starts_with("is empty (0 bytes)"), "{r}");
        let r = refused(&s.file("b.heic", &[0; 64]));
        assert!(r.reason.contains("all zeros"), "{r}");
        let r = refused(&s.file("c.gif", &[0x00, 0x13, 0x37, 0xFE, 0x01, 0x02]));
        assert!(
            r.reason.contains("not a picture format we recognise"),
            "{r}"
        );
        // Unknown binary audio/video gets the benefit of the doubt.
        assert!(validate(&s.file("d.aac", &[0x00, 0x13, 0x37, 0xFE, 0x01])).is_ok());
    }

    #[test]
    fn sniff_table() {
        use MediaKind::*;
        let cases: &[(&str, &[u8], Option<MediaKind>)] = &[
            ("jpeg", &[0xFF, 0xD8, 0xFF, 0xDB], Some(Image)),
            ("png", PNG, Some(Image)),
            ("gif87a", b"GIF87a\x01\0", Some(Image)),
            ("gif89a", b"GIF89a\x01\0", Some(Image)),
            ("webp", b"RIFF\x1a\0\0\0WEBPVP8 ", Some(Image)),
            ("heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", Some(Image)),
            ("heix", b"\0\0\0\x18ftypheix\0\0\0\0mif1heix", Some(Image)),
            ("mif1", b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic", Some(Image)),
            ("msf1", b"\0\0\0\x18ftypmsf1\0\0\0\0msf1hevc", Some(Image)),
            (
                "mp4 isom",
                b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41",
                Some(Video),
            ),
            (
                "mp4 mp42",
                b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom",
                Some(Video),
            ),
            ("mov qt", b"\0\0\0\x14ftypqt  \0\0\x02\0qt  ", Some(Video)),
            (
                "m4v",
                b"\0\0\0\x1cftypM4V \0\0\0\x01M4V M4A mp42",
                Some(Video),
            ),
            ("old quicktime", b"\0\0\0\x08wide\0\0\0\0mdat", Some(Video)),
            ("avi", b"RIFF\0\0\0\0AVI LIST", Some(Video)),
            ("webm/mkv", &[0x1A, 0x45, 0xDF, 0xA3, 0x01], Some(Video)),
            ("mp3 id3", b"ID3\x03\0\0\0\0\x0f\x76", Some(Audio)),
            ("mp3 frame FF FB", &[0xFF, 0xFB, 0x90, 0x64], Some(Audio)),
            ("mp3 frame FF E3", &[0xFF, 0xE3, 0x18, 0xC4], Some(Audio)),
            ("wav", b"RIFF\x24\x08\0\0WAVEfmt ", Some(Audio)),
            (
                "m4a",
                b"\0\0\0\x20ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0",
                Some(Audio),
            ),
            (
                "m4a compat",
                b"\0\0\0\x1cftypmp42\0\0\0\0mp42isomM4A ",
                Some(Audio),
            ),
            ("aac adts mpeg-4", &[0xFF, 0xF1, 0x50, 0x80], Some(Audio)),
            ("aac adts mpeg-2", &[0xFF, 0xF9, 0x50, 0x80], Some(Audio)),
            ("text", b"hello world", None),
            ("riff unknown", b"RIFF\0\0\0\0CDXA", None),
            ("empty", b"", None),
            ("short", &[0xFF], None),
        ];
        for (name, header, want) in cases {
            assert_eq!(sniff(header), *want, "{name}");
        }
    }

    #[test]
    fn extensions() {
        assert_eq!(kind_of_extension("JPG"), Some(MediaKind::Image));
        assert_eq!(kind_of_extension("jpeg"), kind_of_extension("jpg"));
        assert_eq!(kind_of_extension(".Mov"), Some(MediaKind::Video));
        assert_eq!(kind_of_extension("M4A"), Some(MediaKind::Audio));
        assert_eq!(kind_of_extension("txt"), None);
        assert_eq!(kind_of_extension(""), None);
        for ext in ACCEPTED_EXTENSIONS {
            assert!(kind_of_extension(ext).is_some(), "{ext}");
            assert!(is_supported(Path::new(&format!(
                "x.{}",
                ext.to_uppercase()
            ))));
        }
        assert!(!is_supported(Path::new("x.txt")));
        assert!(!is_supported(Path::new("jpg")));
        assert!(!is_supported(Path::new(".DS_Store")));
    }
}
