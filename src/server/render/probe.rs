//! What the renderer needs to know about a photo before it plans: its EXIF
//! orientation (read from the file's header, never by decoding it) and how
//! far it is from a good exposure (to pick the thumbnail; measured once at
//! upload by `server::media`).

use std::path::Path;

/// EXIF orientation 1-8 (1 = upright). Anything unreadable is upright.
pub fn orientation(path: &Path) -> u8 {
    let Ok(file) = std::fs::File::open(path) else {
        return 1;
    };
    let mut reader = std::io::BufReader::new(file);
    exif::Reader::new()
        .read_from_container(&mut reader)
        .ok()
        .and_then(|e| {
            e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
        })
        .filter(|o| (1..=8).contains(o))
        .map(|o| o as u8)
        .unwrap_or(1)
}

/// How far a JPEG of `size` (upright) can be shrunk while decoding
/// (ffmpeg's `-lowres`, 1/2^n per side) and still fill its place on a
/// `canvas`-sized frame. Only JPEGs (the decoder that supports it); 0 when
/// the size is unknown.
pub fn lowres(path: &Path, size: Option<(u32, u32)>, canvas: (u32, u32)) -> u8 {
    let is_jpeg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"));
    let Some((w, h)) = size.filter(|_| is_jpeg) else {
        return 0;
    };
    // The photo is fitted inside the canvas: it is shrunk by the larger of
    // the two ratios, and may be decoded that much smaller.
    let shrink = (w as f64 / canvas.0 as f64).max(h as f64 / canvas.1 as f64);
    let mut n = 0u8;
    while n < 3 && f64::from(1u32 << (n + 1)) <= shrink {
        n += 1;
    }
    n
}

/// Whether a file is a JPEG, by its first bytes (never by its name).
pub fn is_jpeg(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 3];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|_| magic == [0xff, 0xd8, 0xff])
}

/// A photo's size once upright, read from its header.
pub fn upright_size(path: &Path, orientation: u8) -> Option<(u32, u32)> {
    let dim = imagesize::size(path).ok()?;
    let (w, h) = (dim.width as u32, dim.height as u32);
    (w > 0 && h > 0).then_some(if orientation >= 5 { (h, w) } else { (w, h) })
}

/// ffmpeg filters that turn a photo with EXIF orientation `o` upright.
pub fn upright_filters(o: u8) -> &'static str {
    match o {
        2 => "hflip,",
        3 => "hflip,vflip,",
        4 => "vflip,",
        5 => "transpose=cclock_flip,",
        6 => "transpose=clock,",
        7 => "transpose=clock_flip,",
        8 => "transpose=cclock,",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_filters() {
        assert_eq!(upright_filters(1), "");
        assert_eq!(upright_filters(6), "transpose=clock,");
        assert_eq!(upright_filters(8), "transpose=cclock,");
        assert_eq!(orientation(Path::new("/nonexistent.jpg")), 1);
        assert_eq!(lowres(Path::new("/nonexistent.jpg"), None, (1920, 1080)), 0);
        let jpg = Path::new("a.jpg");
        assert_eq!(lowres(jpg, Some((4000, 3000)), (1920, 1080)), 1);
        assert_eq!(lowres(jpg, Some((1920, 1080)), (1920, 1080)), 0);
        assert_eq!(
            lowres(Path::new("a.png"), Some((8000, 6000)), (1920, 1080)),
            0
        );
    }
}
