//! Saying what a [`Timeline`] holds in words: the one-line [`summary`], the
//! [`short`] greeting form, and the time and label formatting the chart and
//! the diff share.

use super::{Timeline, Track, TrackKind};

const EMPTY_MESSAGE: &str =
    "Timeline is empty — share some images and describe the video you want.";

/// The one-line summary, e.g.
/// `Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)`.
/// A timeline with no segments at all gets an invitation instead, since
/// that is what the user needs to hear.
pub fn summary(tl: &Timeline) -> String {
    if is_empty(tl) {
        return EMPTY_MESSAGE.to_string();
    }
    let n = tl.tracks.len();
    let mut out = format!("Timeline ({n} {}):", plural(n, "track", "tracks"));
    for (i, t) in tl.tracks.iter().enumerate() {
        out.push_str(&format!(" {}. {}: {}", i + 1, t.label, content(t, '"')));
        if let Some((s, e)) = span(t) {
            let vol = match (t.kind, t.volume) {
                (TrackKind::Audio, Some(v)) => format!(", {v}%"),
                _ => String::new(),
            };
            out.push_str(&format!(" ({}{vol})", fmt_range(s, e)));
        }
    }
    out
}

/// Short form for a greeting: "3 tracks, 28 s" (or "empty").
pub fn short(tl: &Timeline) -> String {
    if is_empty(tl) {
        return "empty".to_string();
    }
    let n = tl.tracks.len();
    let d = tl.duration_ms;
    let dur = if needs_minutes(d) {
        clock(d)
    } else {
        format!("{} s", seconds(d))
    };
    format!("{n} {}, {dur}", plural(n, "track", "tracks"))
}

fn is_empty(tl: &Timeline) -> bool {
    tl.tracks.iter().all(|t| t.segments.is_empty())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

pub(super) fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

/// Times of a minute or more (after rounding to tenths) switch to m:ss.
fn needs_minutes(ms: u64) -> bool {
    ms.saturating_add(50) / 100 >= 600
}

/// Seconds with at most one decimal: "10", "2.5".
fn seconds(ms: u64) -> String {
    let tenths = ms.saturating_add(50) / 100;
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// "1:05" or "1:02:03".
fn clock(ms: u64) -> String {
    let s = ms.saturating_add(500) / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// "0-10s", "0-2.5s", "1:05-1:30".
pub fn fmt_range(s: u64, e: u64) -> String {
    if needs_minutes(e.max(s)) {
        format!("{}-{}", clock(s), clock(e))
    } else {
        format!("{}-{}s", seconds(s), seconds(e))
    }
}

/// "28s" or "1:05".
pub fn fmt_duration(ms: u64) -> String {
    if needs_minutes(ms) {
        clock(ms)
    } else {
        format!("{}s", seconds(ms))
    }
}

pub(super) fn span(t: &Track) -> Option<(u64, u64)> {
    let s = t.segments.iter().map(|s| s.start_ms).min()?;
    let e = t.segments.iter().map(|s| s.end_ms).max()?;
    Some((s, e))
}

pub(super) fn noun(kind: TrackKind, n: usize) -> String {
    let (one, many) = match kind {
        TrackKind::Video | TrackKind::Audio => ("clip", "clips"),
        TrackKind::Text => ("text", "texts"),
        TrackKind::Other(_) => ("segment", "segments"),
    };
    format!("{n} {}", plural(n, one, many))
}

/// The single name a track can be called by: its only segment's label, or
/// the label all its segments share. Text is quoted with `q`.
pub(super) fn single_name(t: &Track, q: char) -> Option<String> {
    let first = t.segments.first()?.label.as_ref()?;
    if !t.segments.iter().all(|s| s.label.as_ref() == Some(first)) {
        return None;
    }
    Some(match t.kind {
        TrackKind::Text => format!("{q}{first}{q}"),
        _ => first.clone(),
    })
}

/// What a track holds, in a few words: `city timelapse`, `"A", "B"`, `5 clips`.
pub(super) fn content(t: &Track, q: char) -> String {
    let n = t.segments.len();
    if n == 0 {
        return "empty".to_string();
    }
    if t.kind == TrackKind::Text && n > 1 && n <= 3 {
        let labels: Option<Vec<String>> = t
            .segments
            .iter()
            .map(|s| s.label.as_ref().map(|l| format!("{q}{l}{q}")))
            .collect();
        if let Some(l) = labels {
            return l.join(", ");
        }
    }
    if n == 1 || t.kind != TrackKind::Video {
        if let Some(name) = single_name(t, q) {
            return name;
        }
    }
    noun(t.kind, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::parse_draft;
    use crate::timeline::samples::{images, video_bgm_title};
    use serde_json::{json, Value};

    #[test]
    fn summaries() {
        let cases: Vec<(&str, Value, &str)> = vec![
            ("no tracks", json!({"t": []}), EMPTY_MESSAGE),
            ("tracks without segments", json!({"t": [{"tt": 0, "sg": []}]}), EMPTY_MESSAGE),
            ("null draft", Value::Null, EMPTY_MESSAGE),
            (
                "five images",
                images(5, 4000),
                "Timeline (1 track): 1. Video: 5 clips (0-20s)",
            ),
            (
                "video, bgm, title",
                video_bgm_title(),
                "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: \"Urban Dreams\" (0-3s)",
            ),
            (
                "unknown track type 3",
                json!({"t": [
                    {"tt": 0, "sg": [{"d": 5000}]},
                    {"tt": 3, "sg": [{"d": 5000, "m": {"desc": "sparkle sticker"}}]}
                ]}),
                "Timeline (2 tracks): 1. Video: 1 clip (0-5s) 2. Track type 3: sparkle sticker (0-5s)",
            ),
            (
                "weird shapes: strings for numbers, offsets, junk segments",
                json!({"t": [
                    {"tt": "0", "sg": [{"d": "2500.0", "m": {"title": "  intro \n shot "}}, 7, null, "junk"]},
                    {"tt": 1.0, "sg": [{"start_ms": "1000", "d": 4000.4, "m": {"volume": "35%", "label": "voice over"}}]},
                    {"tt": 7, "sg": [
                        {"st": 0, "d": 1500, "m": {"text": "Hello"}},
                        {"offset": 2000, "d": 1000, "m": {"text": {"content": "World"}}}
                    ]},
                    {"tt": 7, "sg": [{"s": 500, "d": 1000, "m": "Caption"}]},
                    "not a track",
                    {"sg": {"d": 1000}}
                ]}),
                "Timeline (5 tracks): 1. Video: intro shot (0-2.5s) 2. Audio: voice over (1-5s, 35%) 3. Title: \"Hello\", \"World\" (0-3s) 4. Text: \"Caption\" (0.5-1.5s) 5. Track: 1 segment (0-1s)",
            ),
            (
                "stringified draft inside a state",
                json!({"state": {"draft": video_bgm_title().to_string()}}),
                "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: \"Urban Dreams\" (0-3s)",
            ),
            (
                "minutes and music hint on the second audio track",
                json!({"t": [
                    {"tt": 0, "sg": [{"d": 65000}, {"d": 25000}]},
                    {"tt": 1, "sg": [{"d": 3000, "m": {"name": "whoosh"}}]},
                    {"tt": 1, "m": {"volume": 20}, "sg": [{"d": 90000, "m": {"name": "Sunny song"}}]}
                ]}),
                "Timeline (3 tracks): 1. Video: 2 clips (0:00-1:30) 2. Audio: whoosh (0-3s) 3. BGM: Sunny song (0:00-1:30, 20%)",
            ),
        ];
        for (name, draft, want) in cases {
            assert_eq!(summary(&parse_draft(&draft)), want, "case: {name}");
        }
    }

    #[test]
    fn short_forms() {
        assert_eq!(short(&parse_draft(&video_bgm_title())), "3 tracks, 10 s");
        assert_eq!(short(&parse_draft(&images(7, 4000))), "1 track, 28 s");
        assert_eq!(short(&parse_draft(&images(1, 65000))), "1 track, 1:05");
        assert_eq!(short(&parse_draft(&json!({}))), "empty");
    }
}
