//! How many photos and how many clips a slideshow shows, said apart ("2
//! photos and 1 clip"): an animated GIF or an uploaded video is a clip,
//! and a reply that called it a photo would be wrong about what is there.

use crate::server::slideshow::Photo;
use crate::server::world::Media;

/// The photos and clips of a slideshow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub photos: usize,
    pub clips: usize,
}

impl Count {
    /// Count `shown` (a slideshow's pictures) by what `media` says each is:
    /// a "video" is a clip, anything else (a photo, or a file this backend
    /// does not have) a photo.
    pub fn of(shown: &[Photo], media: &[Media]) -> Count {
        let clips = shown
            .iter()
            .filter(|p| {
                p.file_id
                    .as_deref()
                    .and_then(|id| media.iter().find(|m| m.file_id == id))
                    .or_else(|| media.iter().find(|m| m.name == p.name))
                    .is_some_and(|m| m.kind == "video")
            })
            .count();
        Count {
            photos: shown.len() - clips,
            clips,
        }
    }

    /// "2 photos and 1 clip", "1 photo", "3 clips".
    pub fn en(&self) -> String {
        let one = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        match (self.photos, self.clips) {
            (p, 0) => one(p, "photo"),
            (0, c) => one(c, "clip"),
            (p, c) => format!("{} and {}", one(p, "photo"), one(c, "clip")),
        }
    }

    /// "2张照片和1段视频", "1张照片", "3段视频".
    pub fn zh(&self) -> String {
        match (self.photos, self.clips) {
            (p, 0) => format!("{p}张照片"),
            (0, c) => format!("{c}段视频"),
            (p, c) => format!("{p}张照片和{c}段视频"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media(name: &str, kind: &str) -> Media {
        Media {
            name: name.into(),
            kind: kind.into(),
            size: 1,
            path: None,
            url: None,
            file_id: format!("id-{name}"),
            exposure: None,
        }
    }

    fn shown(names: &[&str]) -> Vec<Photo> {
        names
            .iter()
            .map(|n| Photo {
                file_id: Some(format!("id-{n}")),
                name: n.to_string(),
                ms: 3000,
            })
            .collect()
    }

    #[test]
    fn photos_and_clips_are_counted_apart() {
        let m = [
            media("a.jpg", "image"),
            media("b.heic", "image"),
            media("c.gif", "video"),
            media("d.mp4", "video"),
        ];
        for (names, en, zh) in [
            (
                &["a.jpg", "b.heic", "c.gif"][..],
                "2 photos and 1 clip",
                "2张照片和1段视频",
            ),
            (&["a.jpg"][..], "1 photo", "1张照片"),
            (&["c.gif", "d.mp4"][..], "2 clips", "2段视频"),
            (
                &["a.jpg", "d.mp4"][..],
                "1 photo and 1 clip",
                "1张照片和1段视频",
            ),
            (&["a.jpg", "gone.jpg"][..], "2 photos", "2张照片"),
        ] {
            let c = Count::of(&shown(names), &m);
            assert_eq!((c.en().as_str(), c.zh().as_str()), (en, zh), "{names:?}");
        }
    }
}
