//! Whether a line asks to publish the video on YouTube ("upload it to
//! YouTube", "publish the video", 「发布到YouTube」, 「上传到油管」). Pure.
//!
//! The same whitelist idea as the keyword rule in the router: the line must
//! be nothing but the request. "publish" is a trigger by itself; "upload",
//! "post" and "put" (上传, 传, 发) only with YouTube named, so "upload" and
//! "upload more photos" still mean photos. Any word outside the small frame
//! vocabulary ("add a title that says publish") leaves the line to the
//! editor.

/// Triggers that mean publishing by themselves.
const PUBLISH_EN: &[&str] = &["publish"];
/// Verbs that mean publishing only next to a YouTube word.
const SEND_EN: &[&str] = &["upload", "post", "put", "send", "share"];
const YOUTUBE_EN: &[&str] = &["youtube", "yt"];
const FRAME_EN: &[&str] = &[
    "please", "can", "could", "you", "now", "it", "the", "my", "this", "that", "video", "movie",
    "to", "on", "onto", "up", "and", "just", "go", "ahead", "lets", "let", "us", "me", "a",
    "final", "finished", "channel", "i", "want", "would", "like", "pls",
];

const PUBLISH_ZH: &[&str] = &["发布", "发表"];
const SEND_ZH: &[&str] = &["上传", "传", "发", "放"];
const YOUTUBE_ZH: &[&str] = &["youtube", "油管", "优兔", "yt"];
const FRAME_ZH: &[&str] = &[
    "请", "帮我", "帮忙", "一下", "把", "视频", "影片", "它", "这个", "到", "去", "上", "吧",
    "我的", "给我", "频道", "现在", "可以", "吗", "了",
];

/// Does `text` ask to publish the video on YouTube, and nothing else?
pub fn is_publish_request(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.chars().any(is_han) {
        return zh(&lower);
    }
    let words: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '!' | '?' | '.' | ';'))
        .map(|w| w.replace(['\'', '’'], ""))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 12 {
        return false;
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let asks = has(PUBLISH_EN) || (has(SEND_EN) && has(YOUTUBE_EN));
    asks && words.iter().all(|w| {
        [PUBLISH_EN, SEND_EN, YOUTUBE_EN, FRAME_EN]
            .iter()
            .any(|l| l.contains(&w.as_str()))
    })
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Chinese: segment greedily, longest known word first; anything left
/// over (but spaces and punctuation) is a foreign word.
fn zh(text: &str) -> bool {
    if text.chars().count() > 20 {
        return false;
    }
    let words: Vec<&str> = [PUBLISH_ZH, SEND_ZH, YOUTUBE_ZH, FRAME_ZH].concat();
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() || c.is_ascii_punctuation() || "，。！？、「」".contains(c) {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let best = words
            .iter()
            .filter(|w| rest.starts_with(**w))
            .max_by_key(|w| w.len());
        match best {
            Some(w) => {
                found.push(*w);
                rest = &rest[w.len()..];
            }
            None => return false,
        }
    }
    let has = |list: &[&str]| found.iter().any(|w| list.contains(w));
    has(PUBLISH_ZH) || (has(SEND_ZH) && has(YOUTUBE_ZH))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_requests() {
        for line in [
            "upload it to YouTube",
            "publish the video",
            "publish",
            "Publish it!",
            "please upload the video to youtube",
            "put it on YouTube",
            "let's post it on YT",
            "发布到YouTube",
            "上传到油管",
            "请把视频发布到油管",
            "帮我上传到 YouTube 吧",
            "发布视频",
        ] {
            assert!(is_publish_request(line), "{line:?} should publish");
        }
    }

    #[test]
    fn not_publish_requests() {
        for line in [
            "upload",
            "upload more photos",
            "upload ~/trip/*.jpg",
            "export",
            "add a title that says publish",
            "make it look like a youtube intro",
            "youtube",
            "上传照片",
            "上传",
            "加一个油管风格的片头",
            "publish the video with louder music",
        ] {
            assert!(!is_publish_request(line), "{line:?} should not publish");
        }
    }
}
