//! Reading the NemoVideo draft (the timeline) and describing it to a person.
//!
//! The editor's `GET state` answer carries `data.state.draft`, a compact
//! document with short keys: `t` (tracks), `tt` (track type: 0 video,
//! 1 audio, 7 text), `sg` (segments), `d` (duration in ms) and `m`
//! (free-form metadata). Only that much is in the contract, so everything
//! here is defensive: numbers may arrive as floats or strings, keys may be
//! missing or `null`, objects may be replaced by arrays, strings or numbers,
//! and the draft itself may be a JSON string holding JSON. Nothing in this
//! module panics on any [`Value`]; what cannot be understood is skipped.
//!
//! What it does: turn a draft into a [`Timeline`], then render that as a
//! one-line [`summary`], a [`short`] greeting form, a small Unicode
//! [`chart`], and a human [`diff`] between two drafts; plus [`media_lines`]
//! for the uploaded and generated media lists of a state document.
//!
//! What it leaves to others: no I/O, no HTTP, no terminal handling. All
//! output is plain text without ANSI escapes; colour, indentation and
//! wrapping are the caller's business.
//!
//! One file per concern: `json.rs` reads odd values safely, `parse.rs`
//! builds the [`Timeline`], `describe.rs` puts it in words, `chart.rs`
//! draws it, `diff.rs` compares two drafts and `media.rs` lists media.

mod chart;
mod describe;
mod diff;
mod json;
mod media;
mod parse;

pub use chart::chart;
pub use describe::{fmt_duration, fmt_range, short, summary};
pub use diff::diff;
pub use media::media_lines;
pub use parse::{draft_of, is_exportable, parse_draft};

/// One track of the timeline, already labelled for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    pub kind: TrackKind,
    /// The track's role as a person would name it: "Video", "BGM", "Audio",
    /// "Title", "Text", or "Track type N" for types we do not know.
    pub label: String,
    /// Segments sorted by start time.
    pub segments: Vec<Segment>,
    /// Volume in percent: the track's own volume, or the volume every
    /// segment agrees on. `None` when unknown or when segments disagree.
    pub volume: Option<u32>,
    /// The transition between this track's segments, when its metadata
    /// names one (`transition`, `transition_ms`).
    pub transition: Option<Transition>,
}

/// A transition as the draft names it ("crossfade", "fade_black", …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub name: String,
    pub ms: Option<u64>,
}

/// Track type from the `tt` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackKind {
    Video,
    Audio,
    Text,
    /// Any other type code. `Other(-1)` means the type was missing or
    /// unreadable, so there is no code to show.
    Other(i64),
}

/// One piece of a track, placed on the timeline in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub start_ms: u64,
    pub end_ms: u64,
    /// Whatever name-like thing the metadata carried (name, title, text,
    /// file name, prompt, …), whitespace-collapsed and shortened.
    pub label: Option<String>,
    /// Volume in percent, when the segment states one.
    pub volume: Option<u32>,
    /// The uploaded file this segment shows or plays (`file_id`), which
    /// the client's upload records map back to a local file.
    pub file_id: Option<String>,
    /// The transition into the next segment, when the segment names its
    /// own (otherwise the track's applies).
    pub transition: Option<Transition>,
}

/// A parsed draft.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    pub tracks: Vec<Track>,
    /// The larger of the draft's own `d` and the end of its last segment,
    /// so a stale `d` never hides content and trailing space is kept.
    pub duration_ms: u64,
}

/// Drafts the tests of several files below share.
#[cfg(test)]
mod samples {
    use serde_json::{json, Value};

    pub fn video_bgm_title() -> Value {
        json!({
            "d": 10000,
            "t": [
                {"tt": 0, "sg": [{"d": 10000, "m": {"name": "city timelapse"}}]},
                {"tt": 1, "sg": [{"d": 10000, "m": {"name": "Lo-fi", "volume": 0.35}}]},
                {"tt": 7, "sg": [{"d": 3000, "m": {"text": "Urban Dreams"}}]}
            ]
        })
    }

    pub fn images(n: usize, each_ms: u64) -> Value {
        let sg: Vec<Value> = (0..n)
            .map(|i| json!({"d": each_ms, "m": {"file_name": format!("IMG_{i:03}.jpg")}}))
            .collect();
        json!({"t": [{"tt": 0, "sg": sg}]})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use samples::video_bgm_title;
    use serde_json::{json, Value};

    /// Every function, on every combination of odd values in every slot.
    #[test]
    fn never_panics_on_any_shape() {
        let odd = vec![
            Value::Null,
            json!(true),
            json!(0),
            json!(-3.5),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(""),
            json!("x"),
            json!("NaN"),
            json!("inf"),
            json!("-1e999"),
            json!("{"),
            json!("[1,2]"),
            json!("{\"t\": 5}"),
            json!([]),
            json!([[]]),
            json!([null, 1, "a"]),
            json!({}),
            json!({"a": {"b": []}}),
        ];
        let mut drafts = Vec::new();
        for v in &odd {
            drafts.push(v.clone());
            drafts.push(json!({ "t": v }));
            drafts.push(json!({ "d": v, "t": [{"tt": 0, "sg": [{"d": 1000}]}] }));
            drafts.push(json!({ "t": [v] }));
            drafts.push(json!({ "t": [{"tt": v, "sg": [{"d": 1000}]}] }));
            drafts.push(json!({ "t": [{"tt": 1, "d": v, "m": v, "sg": v}] }));
            drafts.push(json!({ "t": [{"tt": 7, "sg": [v, v]}] }));
            drafts.push(json!({ "t": [{"tt": 1, "sg": [{"d": v, "s": v, "m": v}]}] }));
            drafts.push(json!({ "t": [{"tt": 0, "sg": [{"d": 5, "m": {"name": v, "volume": v, "text": v, "style": v}}]}] }));
            drafts.push(json!({ "t": [{"tt": 0, "sg": [{"start": v, "end": v, "offset": v}]}] }));
            drafts.push(json!({ "draft": v }));
            drafts.push(json!({ "state": v }));
            drafts.push(json!({ "state": {"draft": v, "video_infos": v, "generated_media": v} }));
            drafts.push(json!({ "video_infos": [v, {"name": v, "size": v, "duration": v, "width": v, "height": v}], "generated_media": {"k": v} }));
        }
        drafts.push(json!({"t": [{"tt": 0, "sg": [{"s": u64::MAX, "d": u64::MAX}, {"d": 1e30}]}]}));
        for d in &drafts {
            let tl = parse_draft(d);
            let _ = (summary(&tl), short(&tl), is_exportable(d), draft_of(d));
            for w in [0, 1, 7, usize::MAX] {
                let _ = chart(&tl, w);
            }
            let _ = media_lines(d);
            let _ = diff(d, &video_bgm_title());
            let _ = diff(&video_bgm_title(), d);
        }
        for a in drafts.iter().step_by(7) {
            for b in drafts.iter().step_by(5) {
                let _ = diff(a, b);
            }
        }
    }
}
