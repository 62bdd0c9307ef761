//! Finding a real font for text: the renderer's titles and the
//! storyboard's labels. Fontconfig when it is there, then the usual places
//! on macOS, Windows and Linux. Text in Chinese, Japanese or
//! Korean needs a font that has those characters; without one the title
//! would come out as empty boxes, so it is left out with a clear warning.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A font for some text, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum FontChoice {
    Found(PathBuf),
    Missing { warning: String },
}

/// True for characters only a CJK font draws.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // kana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // Hangul
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF00..=0xFFEF // full-width forms
        | 0x3000..=0x303F // CJK punctuation
    )
}

/// The language fontconfig should cover for `text`'s script.
fn lang_of(text: &str) -> Option<&'static str> {
    if text
        .chars()
        .any(|c| (0xAC00..=0xD7AF).contains(&(c as u32)))
    {
        Some("ko")
    } else if text
        .chars()
        .any(|c| (0x3040..=0x30FF).contains(&(c as u32)))
    {
        Some("ja")
    } else if text.chars().any(is_cjk) {
        Some("zh-cn")
    } else {
        None
    }
}

fn fc(args: &[&str]) -> Option<String> {
    let out = Command::new(args[0]).args(&args[1..]).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn existing(paths: &[&str]) -> Option<PathBuf> {
    paths
        .iter()
        .map(Path::new)
        .find(|p| p.is_file())
        .map(Path::to_path_buf)
}

const LATIN: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    "/System/Library/Fonts/Helvetica.ttc",
    "/Library/Fonts/Arial Bold.ttf",
    "C:\\Windows\\Fonts\\arialbd.ttf",
    "C:\\Windows\\Fonts\\segoeuib.ttf",
];

/// Where CJK fonts usually are when fontconfig cannot say.
pub const CJK: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:\\Windows\\Fonts\\msyh.ttc",
];

/// The install hint for a CJK font on this system.
fn cjk_hint() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS ships one; check that fonts are not disabled in Font Book"
    } else if cfg!(windows) {
        "add the Chinese, Japanese or Korean language pack in Settings"
    } else {
        "Debian/Ubuntu: sudo apt install fonts-noto-cjk"
    }
}

/// A bold sans-serif font able to draw `text`.
pub fn font_for(text: &str) -> FontChoice {
    match lang_of(text) {
        None => fc(&["fc-match", "-f", "%{file}", "sans-serif:bold"])
            .map(PathBuf::from)
            .filter(|p| p.is_file())
            .or_else(|| existing(LATIN))
            .map(FontChoice::Found)
            .unwrap_or(FontChoice::Missing {
                warning: "No font was found for the title text, so it was left out; install one (Debian/Ubuntu: sudo apt install fonts-dejavu-core).".into(),
            }),
        Some(lang) => fc(&["fc-list", &format!(":lang={lang}"), "file"])
            .and_then(|list| {
                let mut files: Vec<PathBuf> = list
                    .lines()
                    .filter_map(|l| l.trim().strip_suffix(':').or(Some(l.trim())))
                    .filter(|l| !l.is_empty())
                    .map(PathBuf::from)
                    .filter(|p| p.is_file())
                    .collect();
                // Prefer a bold face, then anything sans.
                files.sort_by_key(|p| {
                    let n = p.to_string_lossy().to_lowercase();
                    (!n.contains("bold"), !n.contains("sans"))
                });
                files.into_iter().next()
            })
            .or_else(|| existing(CJK))
            .map(FontChoice::Found)
            .unwrap_or_else(|| FontChoice::Missing {
                warning: format!(
                    "No Chinese/Japanese/Korean font is installed, so that text would show as empty boxes and was left out of the video; install one ({}) and export again.",
                    cjk_hint()
                ),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert_eq!(lang_of("Iceland 2026"), None);
        assert_eq!(lang_of("冰岛之旅"), Some("zh-cn"));
        assert_eq!(lang_of("ひらがな"), Some("ja"));
        assert_eq!(lang_of("서울"), Some("ko"));
        assert!(is_cjk('。'));
        assert!(!is_cjk('é'));
    }

    #[test]
    fn a_latin_font_is_a_file_or_a_warning() {
        match font_for("Hello") {
            FontChoice::Found(p) => assert!(p.is_file()),
            FontChoice::Missing { warning } => assert!(warning.contains("install")),
        }
    }
}
