//! HEIC/HEIF photos (what every iPhone saves), decoded by libheif's own
//! command-line decoder, run like ffmpeg is: `heif-dec` (libheif 1.16 and
//! later) or `heif-convert` (its older name, Debian 12's). ffmpeg 5.1
//! cannot read HEIF, and a binding crate would tie the build to the
//! system's libheif version.
//!
//! libheif applies the image's own transforms (rotation and mirroring
//! stored as `irot`/`imir` properties) and joins the tiles of a grid image
//! as phones write them, so its output is upright and whole. The EXIF block
//! it copies into that output still carries the camera's orientation tag,
//! which HEIF says to ignore: it is removed, so nothing turns the photo a
//! second time.

use std::path::Path;
use std::process::Stdio;

use super::{reason, write_private, Undecodable};
use crate::server::tools::{self, which};

/// The decoder on this system, newest name first.
fn program() -> Option<&'static str> {
    ["heif-dec", "heif-convert"]
        .into_iter()
        .find(|p| which(p).is_some())
}

/// One line saying how to get libheif's decoder on this system.
pub fn install_hint() -> String {
    let how = tools::install_command(&tools::Packages {
        brew: "libheif",
        winget: None,
        apt: "libheif-examples",
        dnf: "libheif-tools",
        pacman: "libheif",
        zypper: "heif-examples",
        apk: "libheif-tools",
    });
    let how = match how {
        Some(c) => format!("with: {c}"),
        None => "with your package manager (libheif's command-line tools)".into(),
    };
    format!(
        "HEIC photos are decoded with libheif's heif-dec, which is not installed; install it {how}"
    )
}

/// Decode `heic` into an upright JPEG at `out`.
pub async fn decode(heic: &Path, out: &Path) -> Result<(), Undecodable> {
    let Some(program) = program() else {
        return Err(Undecodable(install_hint()));
    };
    // The decoder picks its output format by the name's ending, and names
    // its outputs `x-1.jpg`, `x-2.jpg`… when the file holds several images:
    // a folder of its own keeps them apart from everything else.
    let dir = tempfile::Builder::new()
        .prefix(".heif-")
        .tempdir_in(out.parent().unwrap_or(Path::new(".")))
        .map_err(|e| Undecodable(format!("it could not be decoded here ({e})")))?;
    let target = dir.path().join("photo.jpg");
    let result = tokio::process::Command::new(program)
        .args(["-q", "92"])
        .arg(heic)
        .arg(&target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| Undecodable(format!("{program} could not be run ({e})")))?;
    let written = [target.clone(), dir.path().join("photo-1.jpg")]
        .into_iter()
        .find(|p| p.is_file());
    let Some(written) = written.filter(|_| result.status.success()) else {
        return Err(Undecodable(reason(
            &String::from_utf8_lossy(&result.stderr),
            "picture",
        )));
    };
    let jpeg = std::fs::read(&written)
        .map_err(|e| Undecodable(format!("its decoded picture could not be read ({e})")))?;
    write_private(out, &without_exif(&jpeg))
        .map_err(|e| Undecodable(format!("its decoded picture could not be kept ({e})")))
}

/// A JPEG without its EXIF segments (APP1 "Exif"), the rest byte for byte.
/// Anything that is not a well-formed JPEG header is returned unchanged.
fn without_exif(jpeg: &[u8]) -> Vec<u8> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return jpeg.to_vec();
    }
    let mut out = Vec::with_capacity(jpeg.len());
    out.extend_from_slice(&jpeg[..2]);
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        // Start of scan: the picture data follows, copied as it is.
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]) as usize;
        let end = i + 2 + len;
        if len < 2 || end > jpeg.len() {
            return jpeg.to_vec();
        }
        let exif = marker == 0xE1 && jpeg[i + 4..end].starts_with(b"Exif\0");
        if !exif {
            out.extend_from_slice(&jpeg[i..end]);
        }
        i = end;
    }
    out.extend_from_slice(&jpeg[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_is_removed_and_everything_else_kept() {
        let app0 = [0xFF, 0xE0, 0x00, 0x06, b'J', b'F', b'I', b'F'];
        let app1 = [
            0xFF, 0xE1, 0x00, 0x0A, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M',
        ];
        let xmp = [0xFF, 0xE1, 0x00, 0x06, b'h', b't', b't', b'p'];
        let scan = [0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 0xFF, 0xD9];
        let mut jpeg = vec![0xFF, 0xD8];
        for part in [&app0[..], &app1, &xmp, &scan] {
            jpeg.extend_from_slice(part);
        }
        let mut want = vec![0xFF, 0xD8];
        for part in [&app0[..], &xmp, &scan] {
            want.extend_from_slice(part);
        }
        assert_eq!(without_exif(&jpeg), want);
        assert_eq!(without_exif(b"not a jpeg"), b"not a jpeg");
        // A segment longer than the file: left alone.
        let broken = [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0];
        assert_eq!(without_exif(&broken), broken);
    }

    #[test]
    fn the_install_hint_is_one_line() {
        let h = install_hint();
        assert!(!h.contains('\n'));
        assert!(h.contains("install it"), "{h}");
    }
}
