//! From a draft to a [`Timeline`]: finding the draft in a state document,
//! telling track kinds apart, and turning raw tracks and segments into
//! labelled ones. Kept apart from the describing code so parsing can be
//! read and tested on its own.

use super::json::{
    first, gather, get_path, id_text, in_meta, label_in, list, location_in, meta, millis, norm,
    number, transition_in, transition_of, volume, Meta, DURATION_KEYS, END_KEYS, FILE_ID_KEYS,
    SEGMENT_ITEM_KEYS, SEGMENT_KEYS, START_KEYS, TRACK_ITEM_KEYS, TRACK_KEYS, TYPE_KEYS,
    VOLUME_KEYS,
};
use super::{Segment, Timeline, Track, TrackKind, Transition};
use serde_json::{Map, Value};

/// Parse a draft (the `draft` value) defensively.
///
/// Also accepts a stringified draft or a whole state document, because
/// callers should not have to know which of the two they are holding.
pub fn parse_draft(draft: &Value) -> Timeline {
    match resolve(draft) {
        Some(d) => parse_resolved(&d),
        None => Timeline::default(),
    }
}

/// Find the draft in a state document (`{"draft":…}` or
/// `{"state":{"draft":…}}`, also the full `{"data":{"state":…}}` answer),
/// parsing stringified JSON. `None` when there is no draft object.
pub fn draft_of(state: &Value) -> Option<Value> {
    let state = norm(state);
    let o = state.as_object()?;
    const PATHS: &[&[&str]] = &[
        &["draft"],
        &["state", "draft"],
        &["data", "state", "draft"],
        &["data", "draft"],
    ];
    for path in PATHS {
        if let Some(d) = get_path(&state, path) {
            if d.is_object() {
                return Some(d);
            }
        }
    }
    // Already a draft: hand it back rather than making the caller guess.
    if TRACK_KEYS.iter().any(|k| o.contains_key(*k)) {
        return Some(state.into_owned());
    }
    None
}

/// A draft object from whatever we were handed: a draft, a stringified
/// draft, or a state document.
fn resolve(v: &Value) -> Option<Value> {
    let n = norm(v);
    let o = n.as_object()?;
    if TRACK_KEYS.iter().any(|k| o.contains_key(*k)) {
        return Some(n.into_owned());
    }
    draft_of(&n)
}

/// The contract's rule: ready to export when at least one track has a
/// non-empty `sg`. Deliberately the raw rule (even unreadable segments
/// count), so we agree with the server about what it will accept.
pub fn is_exportable(draft: &Value) -> bool {
    let Some(d) = resolve(draft) else {
        return false;
    };
    let Some(o) = d.as_object() else {
        return false;
    };
    let Some(tracks) = first(o, TRACK_KEYS) else {
        return false;
    };
    list(tracks, TRACK_ITEM_KEYS).iter().any(|t| {
        let t = norm(t);
        t.as_object()
            .and_then(|o| first(o, SEGMENT_KEYS))
            .is_some_and(|sg| !list(sg, SEGMENT_ITEM_KEYS).is_empty())
    })
}

fn kind_of(o: &Map<String, Value>) -> TrackKind {
    let Some(v) = first(o, TYPE_KEYS) else {
        return TrackKind::Other(-1);
    };
    if let Some(s) = v.as_str() {
        match s.trim().to_ascii_lowercase().as_str() {
            "video" | "image" | "images" | "main" => return TrackKind::Video,
            "audio" | "music" | "bgm" | "sound" | "voice" => return TrackKind::Audio,
            "text" | "title" | "subtitle" | "caption" | "captions" => return TrackKind::Text,
            _ => {}
        }
    }
    match number(v) {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => match f as i64 {
            0 => TrackKind::Video,
            1 => TrackKind::Audio,
            7 => TrackKind::Text,
            n => TrackKind::Other(n),
        },
        _ => TrackKind::Other(-1),
    }
}

struct RawSeg {
    start: Option<u64>,
    dur: Option<u64>,
    end: Option<u64>,
    label: Option<String>,
    volume: Option<u32>,
    file_id: Option<String>,
    transition: Option<Transition>,
}

struct RawTrack {
    kind: TrackKind,
    segments: Vec<Segment>,
    volume: Option<u32>,
    transition: Option<Transition>,
    music: bool,
    voice: bool,
}

/// Hints that an audio track is music. Short ones must be whole words
/// (so "beat" does not fire on "heartbeat"); stems may sit inside words.
const MUSIC_WORDS: &[&str] = &["bgm", "beat", "beats", "song", "songs", "tune"];
const MUSIC_STEMS: &[&str] = &[
    "music",
    "soundtrack",
    "lo-fi",
    "lofi",
    "melod",
    "instrumental",
];
/// Hints that an audio track is speech or effects, not background music
/// ("tts" as a stem would fire on "settings").
const VOICE_WORDS: &[&str] = &["tts", "sfx", "vo", "dub"];
const VOICE_STEMS: &[&str] = &["voice", "narrat", "speech", "dialog", "sound effect"];

fn hints(text: &str, words: &[&str], stems: &[&str]) -> bool {
    stems.iter().any(|w| text.contains(w))
        || text
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| words.contains(&t))
}

fn parse_resolved(d: &Value) -> Timeline {
    let Some(o) = d.as_object() else {
        return Timeline::default();
    };
    let draft_d = first(o, DURATION_KEYS).and_then(millis);
    let raw: Vec<RawTrack> = first(o, TRACK_KEYS)
        .map(|t| list(t, TRACK_ITEM_KEYS))
        .unwrap_or_default()
        .iter()
        .filter_map(|t| parse_track(&norm(t), draft_d))
        .collect();

    let has_segs = |r: &RawTrack| !r.segments.is_empty();
    let first_of = |kind: TrackKind, extra: &dyn Fn(&RawTrack) -> bool| {
        raw.iter()
            .position(|r| r.kind == kind && extra(r) && has_segs(r))
            .or_else(|| raw.iter().position(|r| r.kind == kind && extra(r)))
    };
    let title = first_of(TrackKind::Text, &|_| true);
    let any_music = raw.iter().any(|r| r.kind == TrackKind::Audio && r.music);
    let default_bgm = if any_music {
        None
    } else {
        first_of(TrackKind::Audio, &|r| !r.voice)
    };

    let tracks: Vec<Track> = raw
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let label = match r.kind {
                TrackKind::Video => "Video".to_string(),
                TrackKind::Audio if r.music || default_bgm == Some(i) => "BGM".to_string(),
                TrackKind::Audio => "Audio".to_string(),
                TrackKind::Text if title == Some(i) => "Title".to_string(),
                TrackKind::Text => "Text".to_string(),
                TrackKind::Other(n) if n < 0 => "Track".to_string(),
                TrackKind::Other(n) => format!("Track type {n}"),
            };
            Track {
                kind: r.kind,
                label,
                segments: r.segments,
                volume: r.volume,
                transition: r.transition,
            }
        })
        .collect();
    let end = tracks
        .iter()
        .flat_map(|t| t.segments.iter().map(|s| s.end_ms))
        .max()
        .unwrap_or(0);
    Timeline {
        duration_ms: end.max(draft_d.unwrap_or(0)),
        tracks,
    }
}

fn parse_track(t: &Value, draft_d: Option<u64>) -> Option<RawTrack> {
    let o = t.as_object()?;
    let kind = kind_of(o);
    let m = meta(o);
    let track_d = first(o, DURATION_KEYS).and_then(millis);

    let raw: Vec<RawSeg> = first(o, SEGMENT_KEYS)
        .map(|s| list(s, SEGMENT_ITEM_KEYS))
        .unwrap_or_default()
        .iter()
        .filter_map(|s| {
            let s = norm(s);
            let so = s.as_object()?;
            let sm = meta(so);
            let label = match &sm {
                Meta::Text(t) => Some(t.clone()),
                Meta::Obj(mo) => label_in(mo, 0).or_else(|| location_in(mo)),
                Meta::None => None,
            }
            .or_else(|| label_in(so, 0))
            .or_else(|| location_in(so));
            Some(RawSeg {
                // Timing belongs to the segment; metadata is only a fallback.
                start: first(so, START_KEYS)
                    .or_else(|| in_meta(&sm, START_KEYS))
                    .and_then(millis),
                dur: first(so, DURATION_KEYS)
                    .or_else(|| in_meta(&sm, DURATION_KEYS))
                    .and_then(millis),
                end: first(so, END_KEYS)
                    .or_else(|| in_meta(&sm, END_KEYS))
                    .and_then(millis),
                label,
                volume: in_meta(&sm, VOLUME_KEYS)
                    .or_else(|| first(so, VOLUME_KEYS))
                    .and_then(volume),
                file_id: in_meta(&sm, FILE_ID_KEYS)
                    .or_else(|| first(so, FILE_ID_KEYS))
                    .and_then(id_text),
                transition: transition_in(&sm).or_else(|| transition_of(so)),
            })
        })
        .collect();

    // Place segments: an explicit start wins, otherwise end to end. A
    // missing length runs to the next explicit start, or for the last
    // segment to the end of the track (or draft).
    let mut segments = Vec::with_capacity(raw.len());
    let mut cursor = 0u64;
    for (i, r) in raw.iter().enumerate() {
        let start = r.start.unwrap_or(cursor);
        let dur = r
            .dur
            .or_else(|| r.end.map(|e| e.saturating_sub(start)))
            .or_else(|| {
                raw.get(i + 1)
                    .and_then(|n| n.start)
                    .map(|n| n.saturating_sub(start))
            })
            .or_else(|| {
                (i + 1 == raw.len())
                    .then(|| track_d.or(draft_d).map(|d| d.saturating_sub(start)))
                    .flatten()
            })
            .unwrap_or(0);
        let end = start.saturating_add(dur);
        cursor = end;
        segments.push(Segment {
            start_ms: start,
            end_ms: end,
            label: r.label.clone(),
            volume: r.volume,
            file_id: r.file_id.clone(),
            transition: r.transition.clone(),
        });
    }
    segments.sort_by_key(|s| s.start_ms);

    let own_volume = in_meta(&m, VOLUME_KEYS)
        .or_else(|| first(o, VOLUME_KEYS))
        .and_then(volume);
    let common = {
        let mut vols = segments.iter().filter_map(|s| s.volume);
        vols.next()
            .filter(|v| vols.all(|x| x == *v) && segments.iter().all(|s| s.volume.is_some()))
    };

    let (mut music, mut voice) = (false, false);
    if kind == TrackKind::Audio {
        let mut text = String::new();
        gather(t, 0, &mut text);
        music = hints(&text, MUSIC_WORDS, MUSIC_STEMS);
        voice = !music && hints(&text, VOICE_WORDS, VOICE_STEMS);
    }
    Some(RawTrack {
        kind,
        segments,
        volume: own_volume.or(common),
        transition: transition_in(&m),
        music,
        voice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::json::MAX_LABEL_CHARS;
    use crate::timeline::samples::{images, video_bgm_title};
    use crate::timeline::{fmt_duration, fmt_range};
    use serde_json::json;

    #[test]
    fn labels_and_audio_roles() {
        let tl = parse_draft(&json!({"t": [
            {"tt": 1, "sg": [{"d": 1000, "m": {"settings": {"heartbeat": 1}, "name": "rain"}}]},
            {"tt": 1, "sg": [{"d": 1000, "m": {"name": "Narration"}}]},
            {"tt": 7, "sg": [{"d": 1000, "m": "[2024]"}, {"d": 1000, "m": {"text": "[1, 2]"}}]},
            {"tt": 7, "sg": [{"d": 1000, "m": {"style": {"font": "Inter"}, "text": "x".repeat(60)}}]}
        ]}));
        let labels: Vec<&str> = tl.tracks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["BGM", "Audio", "Title", "Text"]);
        assert_eq!(tl.tracks[2].segments[0].label.as_deref(), Some("[2024]"));
        assert_eq!(tl.tracks[2].segments[1].label.as_deref(), Some("[1, 2]"));
        let long = tl.tracks[3].segments[0].label.clone().unwrap_or_default();
        assert_eq!(long.chars().count(), MAX_LABEL_CHARS);
        assert!(long.ends_with('…'));
        // A music hint wins BGM over the first audio track.
        let tl = parse_draft(&json!({"t": [
            {"tt": 1, "sg": [{"d": 1000, "m": {"name": "rain"}}]},
            {"tt": 1, "sg": [{"d": 1000, "m": {"name": "piano", "type": "music"}}]}
        ]}));
        let labels: Vec<&str> = tl.tracks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Audio", "BGM"]);
    }

    #[test]
    fn file_ids_and_transitions_are_kept() {
        let tl = parse_draft(&json!({"t": [{"tt": 0,
        "m": {"transition": "wipe", "transition_ms": "1.5s"},
        "sg": [
            {"d": 1000, "m": {"name": "a.jpg", "file_id": "f1"}},
            {"d": 1000, "file_id": 42, "transition": {"type": "slide", "ms": 500}},
            {"d": 1000, "m": {"name": "c.jpg"}}
        ]}]}));
        let t = &tl.tracks[0];
        let wipe = Transition {
            name: "wipe".into(),
            ms: Some(1500),
        };
        assert_eq!(t.transition, Some(wipe));
        let ids: Vec<Option<&str>> = t.segments.iter().map(|s| s.file_id.as_deref()).collect();
        assert_eq!(ids, [Some("f1"), Some("42"), None]);
        let slide = Transition {
            name: "slide".into(),
            ms: Some(500),
        };
        assert_eq!(t.segments[1].transition, Some(slide));
        assert_eq!(t.segments[0].transition, None);
    }

    #[test]
    fn parse_details() {
        let tl = parse_draft(&video_bgm_title());
        assert_eq!(tl.duration_ms, 10000);
        assert_eq!(tl.tracks[1].kind, TrackKind::Audio);
        assert_eq!(tl.tracks[1].volume, Some(35));
        assert_eq!(
            tl.tracks[2].segments,
            vec![Segment {
                start_ms: 0,
                end_ms: 3000,
                label: Some("Urban Dreams".into()),
                volume: None,
                file_id: None,
                transition: None,
            }]
        );
        // Missing length runs to the next explicit start, then to the track end.
        let tl = parse_draft(&json!({"t": [{"tt": 0, "d": 9000, "sg": [{}, {"s": 4000}]}]}));
        let spans: Vec<(u64, u64)> = tl.tracks[0]
            .segments
            .iter()
            .map(|s| (s.start_ms, s.end_ms))
            .collect();
        assert_eq!(spans, vec![(0, 4000), (4000, 9000)]);
        // A stale draft `d` never hides content.
        let tl = parse_draft(&json!({"d": 1000, "t": [{"tt": 0, "sg": [{"d": 5000}]}]}));
        assert_eq!(tl.duration_ms, 5000);
    }

    #[test]
    fn volumes_and_times() {
        for (v, want) in [
            (json!(0.35), Some(35)),
            (json!(35), Some(35)),
            (json!("35%"), Some(35)),
            (json!("0.2"), Some(20)),
            (json!(1), Some(100)),
            (json!(-1), None),
            (json!("loud"), None),
            (json!(null), None),
        ] {
            assert_eq!(volume(&v), want, "{v}");
        }
        assert_eq!(fmt_range(0, 10000), "0-10s");
        assert_eq!(fmt_range(0, 2500), "0-2.5s");
        assert_eq!(fmt_range(65000, 90000), "1:05-1:30");
        assert_eq!(fmt_range(0, 3_723_000), "0:00-1:02:03");
        assert_eq!(fmt_duration(59_960), "1:00");
        assert_eq!(millis(&json!("1.5s")), Some(1500));
        assert_eq!(millis(&json!("NaN")), None);
    }

    #[test]
    fn exportable() {
        assert!(!is_exportable(&json!({"t": []})));
        assert!(!is_exportable(&json!({"t": [{"tt": 0, "sg": []}]})));
        assert!(!is_exportable(&Value::Null));
        assert!(!is_exportable(&json!("not json")));
        assert!(is_exportable(&images(1, 1000)));
        assert!(is_exportable(&json!(images(1, 1000).to_string())));
    }

    #[test]
    fn finding_the_draft() {
        let d = video_bgm_title();
        assert_eq!(draft_of(&json!({"draft": d.clone()})), Some(d.clone()));
        assert_eq!(
            draft_of(&json!({"state": {"draft": d.clone()}})),
            Some(d.clone())
        );
        assert_eq!(
            draft_of(&json!({"data": {"state": {"draft": d.to_string()}}})),
            Some(d.clone())
        );
        assert_eq!(draft_of(&json!({"state": {"draft": null}})), None);
        assert_eq!(draft_of(&json!({"state": {}})), None);
        assert_eq!(draft_of(&json!({"draft": "{broken"})), None);
        assert_eq!(draft_of(&json!([1, 2])), None);
    }
}
