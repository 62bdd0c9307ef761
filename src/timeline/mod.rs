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

use serde_json::{Map, Value};
use std::borrow::Cow;

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

const EMPTY_MESSAGE: &str =
    "Timeline is empty — share some images and describe the video you want.";

/// Keys that may hold something to show as a segment's name, in order of
/// preference.
const LABEL_KEYS: &[&str] = &[
    "name",
    "title",
    "text",
    "label",
    "style",
    "file_name",
    "filename",
    "prompt",
    "desc",
    "description",
    "content",
    "value",
];
/// Last resort for a name: the file part of a location.
const LOCATION_KEYS: &[&str] = &["file", "path", "url", "src", "uri"];
const START_KEYS: &[&str] = &["s", "st", "start", "start_ms", "offset"];
const DURATION_KEYS: &[&str] = &["d", "dur", "duration", "duration_ms"];
const END_KEYS: &[&str] = &["end", "end_ms"];
const VOLUME_KEYS: &[&str] = &["volume", "vol", "volume_pct", "volume_percent"];
const TRACK_KEYS: &[&str] = &["t", "tracks"];
const SEGMENT_KEYS: &[&str] = &["sg", "segments"];
/// Keys that mark an object as one track (rather than tracks keyed by id).
const TRACK_ITEM_KEYS: &[&str] = &["tt", "sg", "segments"];
/// Keys that mark an object as one segment.
const SEGMENT_ITEM_KEYS: &[&str] = &["m", "d"];
const TYPE_KEYS: &[&str] = &["tt", "track_type", "type"];
const FILE_ID_KEYS: &[&str] = &["file_id", "fileId", "media_id", "asset_id"];
const TRANSITION_KEYS: &[&str] = &["transition", "transition_type", "trans"];
const TRANSITION_MS_KEYS: &[&str] = &["transition_ms", "transition_duration", "trans_ms"];
/// Longest label we show before cutting it with an ellipsis.
const MAX_LABEL_CHARS: usize = 40;
/// Widest chart we draw, so a silly width cannot allocate without bound.
const MAX_CHART_WIDTH: usize = 1000;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

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

/// A small Unicode chart, one row per track, bars to scale over `width`
/// columns (clamped to 1..=1000):
///
/// ```text
/// Video  ████████████████████████████████  0-10s  city timelapse
/// BGM    ████████████████████████████████  0-10s  Lo-fi 35%
/// Title  ██████████░░░░░░░░░░░░░░░░░░░░░░  0-3s   "Urban Dreams"
/// ```
///
/// Consecutive segments alternate `█` and `▓` so clip boundaries stay
/// visible; gaps are `░`. A column belongs to the segment covering its
/// midpoint, and a segment too short to cover any midpoint still gets the
/// column it starts in, so nothing on the timeline is invisible. Rows are
/// joined by `\n` with no trailing newline and no indentation; a timeline
/// without tracks gives an empty string.
pub fn chart(tl: &Timeline, width: usize) -> String {
    if tl.tracks.is_empty() {
        return String::new();
    }
    let w = width.clamp(1, MAX_CHART_WIDTH);
    let total = tl.duration_ms.max(
        tl.tracks
            .iter()
            .filter_map(span)
            .map(|s| s.1)
            .max()
            .unwrap_or(0),
    );
    let rows: Vec<(String, String, String, String)> = tl
        .tracks
        .iter()
        .map(|t| {
            let range = span(t).map_or_else(|| "—".to_string(), |(s, e)| fmt_range(s, e));
            let mut text = content(t, '"');
            if let (TrackKind::Audio, Some(v)) = (t.kind, t.volume) {
                text.push_str(&format!(" {v}%"));
            }
            (t.label.clone(), bar(t, total, w), range, text)
        })
        .collect();
    let lw = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let rw = rows.iter().map(|r| r.2.chars().count()).max().unwrap_or(0);
    rows.iter()
        .map(|(label, bar, range, text)| {
            let line = format!("{}  {bar}  {}  {text}", pad(label, lw), pad(range, rw));
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What changed between two drafts, as lines for the user, e.g.
/// `✅ Title added: 'Paradise Found' (0-3s)`, `✅ BGM: Lo-fi, volume 35% → 20%`,
/// `✅ Video: 5 clips → 6 clips (0-28s)`, `✅ Title removed: 'Old'`,
/// `✅ Duration 20s → 28s`, `✅ Title changed: 'A' → 'B'`.
///
/// Either side may be a draft, a stringified draft, a state document, or
/// missing (`null`), which counts as an empty timeline. Tracks without
/// segments are invisible and ignored. Tracks are matched within their
/// type, first by shared segment labels, then by position; text tracks are
/// compared text by text, media tracks by clip count, span and names.
/// A change only counts when it changes what we would display (so 10.00 s →
/// 10.02 s is nothing). Empty vec when nothing meaningful changed.
pub fn diff(before: &Value, after: &Value) -> Vec<String> {
    let b = parse_draft(before);
    let a = parse_draft(after);
    let bt: Vec<&Track> = b.tracks.iter().filter(|t| !t.segments.is_empty()).collect();
    let at: Vec<&Track> = a.tracks.iter().filter(|t| !t.segments.is_empty()).collect();

    // partner[i] = index into `bt` matched with `at[i]`.
    let mut partner: Vec<Option<usize>> = vec![None; at.len()];
    let mut taken = vec![false; bt.len()];
    // First pass: same type and the most segment labels in common.
    for (ai, t) in at.iter().enumerate() {
        let mut best: Option<(usize, usize)> = None;
        for (bi, u) in bt.iter().enumerate() {
            if taken[bi] || u.kind != t.kind {
                continue;
            }
            let score = shared_labels(u, t);
            if score > 0 && best.is_none_or(|(_, s)| score > s) {
                best = Some((bi, score));
            }
        }
        if let Some((bi, _)) = best {
            partner[ai] = Some(bi);
            taken[bi] = true;
        }
    }
    // Second pass: whatever is left, by position within the type.
    for (ai, t) in at.iter().enumerate() {
        if partner[ai].is_some() {
            continue;
        }
        if let Some(bi) = (0..bt.len()).find(|&bi| !taken[bi] && bt[bi].kind == t.kind) {
            partner[ai] = Some(bi);
            taken[bi] = true;
        }
    }

    let mut out = Vec::new();
    for (ai, t) in at.iter().enumerate() {
        match partner[ai] {
            Some(bi) => track_changes(bt[bi], t, &mut out),
            None => track_added(t, &mut out),
        }
    }
    for (bi, u) in bt.iter().enumerate() {
        if !taken[bi] {
            track_removed(u, &mut out);
        }
    }
    if !bt.is_empty() && !at.is_empty() {
        let (x, y) = (fmt_duration(b.duration_ms), fmt_duration(a.duration_ms));
        if x != y {
            out.push(format!("✅ Duration {x} → {y}"));
        }
    }
    out
}

/// Media lists from the state: uploaded (`video_infos`) and generated
/// (`generated_media`), each as display lines such as
/// `beach.jpg (1920×1080, 2.4 MB)` or `intro.mp4 (12.5 MB, 12s)`.
///
/// Shapes are unknown, so arrays of objects or strings, objects keyed by
/// id, wrapper objects with an `items`/`list` array and stringified JSON are
/// all accepted. A numeric `duration` of 1000 or more is taken as
/// milliseconds and anything smaller as seconds (`d`/`duration_ms` are
/// always milliseconds).
pub fn media_lines(state: &Value) -> (Vec<String>, Vec<String>) {
    (
        media_of(state, "video_infos"),
        media_of(state, "generated_media"),
    )
}

// ---------------------------------------------------------------------------
// JSON plumbing
// ---------------------------------------------------------------------------

/// Undo stringified JSON (up to three layers). Only strings that look like
/// JSON containers or quoted strings are parsed, so "35%" stays a string.
fn norm(v: &Value) -> Cow<'_, Value> {
    let mut cur = Cow::Borrowed(v);
    for _ in 0..3 {
        let parsed = match cur.as_ref() {
            Value::String(s) => {
                let t = s.trim();
                if t.starts_with('{') || t.starts_with('[') || t.starts_with('"') {
                    serde_json::from_str::<Value>(t).ok()
                } else {
                    None
                }
            }
            _ => None,
        };
        match parsed {
            Some(p) => cur = Cow::Owned(p),
            None => break,
        }
    }
    cur
}

/// First non-null value under any of `keys`.
fn first<'a>(o: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().filter_map(|k| o.get(*k)).find(|v| !v.is_null())
}

fn get_path(v: &Value, path: &[&str]) -> Option<Value> {
    let v = norm(v);
    match path.split_first() {
        None => (!v.is_null()).then(|| v.into_owned()),
        Some((k, rest)) => get_path(v.as_object()?.get(*k)?, rest),
    }
}

/// A list of items: an array, an object keyed by id (its values), or a
/// single item object (recognised by one of `item_keys`).
fn list(v: &Value, item_keys: &[&str]) -> Vec<Value> {
    let v = norm(v);
    match v.as_ref() {
        Value::Array(a) => a.clone(),
        Value::Object(o) => {
            if item_keys.iter().any(|k| o.contains_key(*k)) {
                vec![v.into_owned()]
            } else {
                o.values().cloned().collect()
            }
        }
        _ => Vec::new(),
    }
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

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

/// Milliseconds from a number or a string ("1500", "1500ms", "1.5s").
/// Negative values clamp to zero.
fn millis(v: &Value) -> Option<u64> {
    let f = match v {
        Value::String(s) => {
            let t = s.trim().to_ascii_lowercase();
            if let Some(x) = t.strip_suffix("ms") {
                x.trim().parse::<f64>().ok()
            } else if let Some(x) = t.strip_suffix('s') {
                x.trim().parse::<f64>().ok().map(|f| f * 1000.0)
            } else {
                t.parse::<f64>().ok()
            }
        }
        _ => number(v),
    }?;
    if !f.is_finite() {
        return None;
    }
    // `as` saturates, so huge values cannot wrap.
    Some(if f <= 0.0 { 0 } else { f.round() as u64 })
}

/// Volume in percent from 0.35, 35 or "35%". A bare number up to 1 is a
/// fraction (so 1 means 100%); anything larger is already a percentage.
fn volume(v: &Value) -> Option<u32> {
    let (f, pct) = match v {
        Value::String(s) => {
            let t = s.trim();
            match t.strip_suffix('%') {
                Some(x) => (x.trim().parse::<f64>().ok()?, true),
                None => (t.parse::<f64>().ok()?, false),
            }
        }
        Value::Number(n) => (n.as_f64()?, false),
        _ => return None,
    };
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    let p = if pct || f > 1.0 { f } else { f * 100.0 };
    Some(p.round().min(10_000.0) as u32)
}

/// Collapse whitespace and cut long labels, so one label never breaks the
/// one-line summary.
fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return None;
    }
    if s.chars().count() > MAX_LABEL_CHARS {
        let cut: String = s.chars().take(MAX_LABEL_CHARS - 1).collect();
        Some(format!("{}…", cut.trim_end()))
    } else {
        Some(s)
    }
}

/// Something displayable from a label-ish value: a string, a number, or
/// (for rich text) an object or array holding one.
fn label_value(v: &Value, depth: u8) -> Option<String> {
    if depth > 3 {
        return None;
    }
    match v {
        // Only a stringified object is unwrapped: a title such as "[2024]"
        // is text, not an array.
        Value::String(s) => match norm(v).as_ref() {
            Value::Object(o) => label_in(o, depth + 1),
            _ => clean(s),
        },
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => label_in(o, depth + 1),
        Value::Array(a) => a.iter().find_map(|x| label_value(x, depth + 1)),
        _ => None,
    }
}

fn label_in(o: &Map<String, Value>, depth: u8) -> Option<String> {
    LABEL_KEYS
        .iter()
        .filter_map(|k| o.get(*k))
        .find_map(|v| label_value(v, depth))
}

fn location_in(o: &Map<String, Value>) -> Option<String> {
    LOCATION_KEYS
        .iter()
        .filter_map(|k| o.get(*k))
        .filter_map(Value::as_str)
        .find_map(basename)
}

/// The file part of a URL or path, without query or fragment.
fn basename(s: &str) -> Option<String> {
    let s = s.split(['?', '#']).next().unwrap_or("");
    let s = s.trim_end_matches(['/', '\\']);
    clean(s.rsplit(['/', '\\']).next().unwrap_or(s))
}

/// A segment's or track's metadata: `m` as an object, or `m` as a bare
/// string, which is then the label itself.
enum Meta {
    Obj(Map<String, Value>),
    Text(String),
    None,
}

fn meta(o: &Map<String, Value>) -> Meta {
    let Some(raw) = o.get("m") else {
        return Meta::None;
    };
    match (norm(raw).as_ref(), raw) {
        (Value::Object(m), _) => Meta::Obj(m.clone()),
        (_, Value::String(s)) => clean(s).map_or(Meta::None, Meta::Text),
        (_, Value::Number(n)) => Meta::Text(n.to_string()),
        _ => Meta::None,
    }
}

/// An id as text: a string or a whole number.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A named transition in metadata (`transition` as a name, or as an object
/// with a `type`/`name` and a length).
fn transition_in(m: &Meta) -> Option<Transition> {
    match m {
        Meta::Obj(mo) => transition_of(mo),
        _ => None,
    }
}

/// [`transition_in`] for an object's own keys.
fn transition_of(o: &Map<String, Value>) -> Option<Transition> {
    let v = norm(first(o, TRANSITION_KEYS)?);
    let (name, ms) = match v.as_ref() {
        Value::String(s) => (clean(s)?, first(o, TRANSITION_MS_KEYS).and_then(millis)),
        Value::Object(o) => (
            first(o, &["type", "name", "kind"])
                .and_then(Value::as_str)
                .and_then(clean)?,
            first(o, &["ms", "d", "duration", "duration_ms"]).and_then(millis),
        ),
        _ => return None,
    };
    Some(Transition { name, ms })
}

/// A key from the metadata object, if there is one.
fn in_meta<'a>(m: &'a Meta, keys: &[&str]) -> Option<&'a Value> {
    match m {
        Meta::Obj(mo) => first(mo, keys),
        _ => None,
    }
}

/// Lower-cased text of a value's keys and strings, bounded in depth and
/// size, for guessing what an audio track holds.
fn gather(v: &Value, depth: u8, out: &mut String) {
    if depth > 4 || out.len() > 4096 {
        return;
    }
    match v {
        Value::String(s) => {
            out.push(' ');
            out.push_str(&s.to_lowercase());
        }
        Value::Object(o) => {
            for (k, x) in o {
                out.push(' ');
                out.push_str(&k.to_lowercase());
                gather(x, depth + 1, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| gather(x, depth + 1, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

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

fn pad(s: &str, w: usize) -> String {
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

fn span(t: &Track) -> Option<(u64, u64)> {
    let s = t.segments.iter().map(|s| s.start_ms).min()?;
    let e = t.segments.iter().map(|s| s.end_ms).max()?;
    Some((s, e))
}

fn noun(kind: TrackKind, n: usize) -> String {
    let (one, many) = match kind {
        TrackKind::Video | TrackKind::Audio => ("clip", "clips"),
        TrackKind::Text => ("text", "texts"),
        TrackKind::Other(_) => ("segment", "segments"),
    };
    format!("{n} {}", plural(n, one, many))
}

/// The single name a track can be called by: its only segment's label, or
/// the label all its segments share. Text is quoted with `q`.
fn single_name(t: &Track, q: char) -> Option<String> {
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
fn content(t: &Track, q: char) -> String {
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

fn bar(t: &Track, total: u64, w: usize) -> String {
    let mut cells = vec![None::<usize>; w];
    if total > 0 {
        let (total, w2) = (u128::from(total), 2 * w as u128);
        for (c, cell) in cells.iter_mut().enumerate() {
            let mid = (2 * c as u128 + 1) * total;
            *cell = t.segments.iter().position(|s| {
                u128::from(s.start_ms) * w2 <= mid && mid < u128::from(s.end_ms) * w2
            });
        }
        for (i, s) in t.segments.iter().enumerate() {
            if s.end_ms > s.start_ms && !cells.contains(&Some(i)) {
                let c = (u128::from(s.start_ms) * w as u128 / total).min(w as u128 - 1);
                cells[c as usize] = Some(i);
            }
        }
    }
    cells
        .iter()
        .map(|c| match c {
            Some(i) if i % 2 == 0 => '█',
            Some(_) => '▓',
            None => '░',
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------

fn shared_labels(a: &Track, b: &Track) -> usize {
    let mut pool: Vec<&String> = b.segments.iter().filter_map(|s| s.label.as_ref()).collect();
    let mut n = 0;
    for l in a.segments.iter().filter_map(|s| s.label.as_ref()) {
        if let Some(p) = pool.iter().position(|x| *x == l) {
            pool.swap_remove(p);
            n += 1;
        }
    }
    n
}

fn quoted(l: &Option<String>) -> String {
    match l {
        Some(l) => format!("'{l}'"),
        None => "(untitled)".to_string(),
    }
}

fn seg_range(s: &Segment) -> String {
    fmt_range(s.start_ms, s.end_ms)
}

fn track_added(t: &Track, out: &mut Vec<String>) {
    let l = &t.label;
    if t.kind == TrackKind::Text {
        for s in &t.segments {
            out.push(format!(
                "✅ {l} added: {} ({})",
                quoted(&s.label),
                seg_range(s)
            ));
        }
        return;
    }
    let Some((s, e)) = span(t) else { return };
    let vol = match (t.kind, t.volume) {
        (TrackKind::Audio, Some(v)) => format!(", {v}%"),
        _ => String::new(),
    };
    out.push(format!(
        "✅ {l} added: {} ({}{vol})",
        content(t, '\''),
        fmt_range(s, e)
    ));
}

fn track_removed(t: &Track, out: &mut Vec<String>) {
    let l = &t.label;
    if t.kind == TrackKind::Text {
        for s in &t.segments {
            out.push(format!("✅ {l} removed: {}", quoted(&s.label)));
        }
    } else if !t.segments.is_empty() {
        out.push(format!("✅ {l} removed: {}", content(t, '\'')));
    }
}

fn track_changes(b: &Track, a: &Track, out: &mut Vec<String>) {
    let l = &a.label;
    if a.kind == TrackKind::Text {
        text_changes(b, a, out);
    } else {
        media_changes(b, a, out);
    }
    // Volume, at track level, then per segment if the track has no single one.
    let name = single_name(a, '\'')
        .map(|n| format!("{n}, "))
        .unwrap_or_default();
    match (b.volume, a.volume) {
        (Some(x), Some(y)) if x != y => out.push(format!("✅ {l}: {name}volume {x}% → {y}%")),
        (None, Some(y)) => out.push(format!("✅ {l}: {name}volume set to {y}%")),
        (x, y) if x == y && b.segments.len() == a.segments.len() => {
            let changed = b
                .segments
                .iter()
                .zip(&a.segments)
                .any(|(p, q)| p.volume != q.volume && q.volume.is_some());
            if changed {
                out.push(format!("✅ {l}: volume adjusted"));
            }
        }
        _ => {}
    }
}

fn text_changes(b: &Track, a: &Track, out: &mut Vec<String>) {
    let l = &a.label;
    // Pair texts with the same wording first.
    let mut taken = vec![false; b.segments.len()];
    let mut fresh = Vec::new();
    for q in &a.segments {
        let hit = b
            .segments
            .iter()
            .enumerate()
            .position(|(i, p)| !taken[i] && p.label.is_some() && p.label == q.label);
        match hit {
            Some(i) => {
                taken[i] = true;
                let (x, y) = (seg_range(&b.segments[i]), seg_range(q));
                if x != y {
                    out.push(format!("✅ {l} {}: {x} → {y}", quoted(&q.label)));
                }
            }
            None => fresh.push(q),
        }
    }
    let mut gone = b
        .segments
        .iter()
        .enumerate()
        .filter(|(i, _)| !taken[*i])
        .map(|(_, s)| s);
    // Then treat the leftovers, in order, as rewordings.
    for q in fresh {
        match gone.next() {
            Some(p) => {
                let (x, y) = (seg_range(p), seg_range(q));
                let when = if x != y {
                    format!(" ({y})")
                } else {
                    String::new()
                };
                out.push(format!(
                    "✅ {l} changed: {} → {}{when}",
                    quoted(&p.label),
                    quoted(&q.label)
                ));
            }
            None => out.push(format!(
                "✅ {l} added: {} ({})",
                quoted(&q.label),
                seg_range(q)
            )),
        }
    }
    for p in gone {
        out.push(format!("✅ {l} removed: {}", quoted(&p.label)));
    }
}

fn media_changes(b: &Track, a: &Track, out: &mut Vec<String>) {
    let l = &a.label;
    let (nb, na) = (b.segments.len(), a.segments.len());
    let sb = span(b).map(|(s, e)| fmt_range(s, e)).unwrap_or_default();
    let sa = span(a).map(|(s, e)| fmt_range(s, e)).unwrap_or_default();
    if nb != na {
        out.push(format!(
            "✅ {l}: {} → {} ({sa})",
            noun(a.kind, nb),
            noun(a.kind, na)
        ));
        return;
    }
    let renamed: Vec<(&Segment, &Segment)> = b
        .segments
        .iter()
        .zip(&a.segments)
        .filter(|(p, q)| p.label != q.label && (p.label.is_some() || q.label.is_some()))
        .collect();
    if renamed.len() <= 3 {
        for (p, q) in &renamed {
            out.push(format!(
                "✅ {l} changed: {} → {}",
                quoted(&p.label),
                quoted(&q.label)
            ));
        }
    } else {
        out.push(format!("✅ {l}: {} changed", noun(a.kind, renamed.len())));
    }
    if sb != sa {
        out.push(format!("✅ {l}: {sb} → {sa}"));
    } else if b
        .segments
        .iter()
        .zip(&a.segments)
        .any(|(p, q)| seg_range(p) != seg_range(q))
    {
        out.push(format!("✅ {l}: clip timing adjusted ({sa})"));
    }
}

// ---------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------

fn media_of(state: &Value, key: &str) -> Vec<String> {
    const ROOTS: &[&[&str]] = &[&[], &["state"], &["data", "state"], &["data"]];
    let found = ROOTS.iter().find_map(|root| {
        let mut path: Vec<&str> = root.to_vec();
        path.push(key);
        get_path(state, &path)
    });
    let Some(v) = found else {
        return Vec::new();
    };
    media_items(&v)
        .iter()
        .filter_map(|(id, item)| media_line(id.as_deref(), item))
        .collect()
}

const MEDIA_ITEM_KEYS: &[&str] = &[
    "name",
    "file_name",
    "filename",
    "title",
    "url",
    "path",
    "id",
    "media_id",
    "size",
    "duration",
];

/// Items with the id they were keyed by, when they came as an object.
fn media_items(v: &Value) -> Vec<(Option<String>, Value)> {
    let v = norm(v);
    match v.as_ref() {
        Value::Array(a) => a.iter().map(|x| (None, x.clone())).collect(),
        Value::Object(o) => {
            if MEDIA_ITEM_KEYS
                .iter()
                .any(|k| o.get(*k).is_some_and(|x| !x.is_object() && !x.is_array()))
            {
                return vec![(None, v.into_owned())];
            }
            for k in ["items", "list", "media", "files", "data"] {
                if let Some(Value::Array(a)) = o.get(k) {
                    return a.iter().map(|x| (None, x.clone())).collect();
                }
            }
            o.iter()
                .map(|(k, x)| (Some(k.clone()), x.clone()))
                .collect()
        }
        Value::Null => Vec::new(),
        other => vec![(None, other.clone())],
    }
}

fn media_line(id: Option<&str>, item: &Value) -> Option<String> {
    let item = norm(item);
    let o = match item.as_ref() {
        Value::Object(o) => o,
        Value::String(s) => {
            let looks_like_location = s.contains('/') || s.contains('\\');
            let name = if looks_like_location {
                basename(s)
            } else {
                clean(s)
            };
            return name.or_else(|| id.and_then(clean));
        }
        Value::Number(n) => return Some(n.to_string()),
        _ => return id.and_then(clean),
    };
    let name = [
        "name",
        "file_name",
        "filename",
        "original_name",
        "title",
        "label",
        "prompt",
        "desc",
        "text",
    ]
    .iter()
    .filter_map(|k| o.get(*k))
    .find_map(|v| label_value(v, 0))
    .or_else(|| location_in(o))
    .or_else(|| first(o, &["id", "media_id"]).and_then(|v| label_value(v, 0)))
    .or_else(|| id.and_then(clean))
    .unwrap_or_else(|| "(unnamed)".to_string());

    let mut details = Vec::new();
    let (w, h) = (
        first(o, &["width", "w"]).and_then(number),
        first(o, &["height", "h"]).and_then(number),
    );
    if let (Some(w), Some(h)) = (w, h) {
        if w > 0.0 && h > 0.0 {
            details.push(format!("{}×{}", w.round() as u64, h.round() as u64));
        }
    }
    if let Some(s) = first(o, &["size", "file_size", "size_bytes", "bytes"]) {
        match number(s) {
            Some(b) if b > 0.0 => details.push(human_size(b)),
            Some(_) => {}
            None => details.extend(s.as_str().and_then(clean)),
        }
    }
    let dur_ms = first(o, &["duration_ms", "d"])
        .and_then(millis)
        .or_else(|| {
            first(o, &["duration", "dur", "length"]).and_then(|v| match number(v) {
                Some(f) if f >= 1000.0 => millis(v),
                Some(f) => millis(&Value::from(f * 1000.0)),
                None => millis(v),
            })
        });
    if let Some(d) = dur_ms.filter(|d| *d > 0) {
        details.push(fmt_duration(d));
    }
    Some(if details.is_empty() {
        name
    } else {
        format!("{name} ({})", details.join(", "))
    })
}

fn human_size(bytes: f64) -> String {
    const UNITS: &[&str] = &["B", "KB", "MB", "GB", "TB"];
    let mut v = bytes;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{} B", v.round() as u64)
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn video_bgm_title() -> Value {
        json!({
            "d": 10000,
            "t": [
                {"tt": 0, "sg": [{"d": 10000, "m": {"name": "city timelapse"}}]},
                {"tt": 1, "sg": [{"d": 10000, "m": {"name": "Lo-fi", "volume": 0.35}}]},
                {"tt": 7, "sg": [{"d": 3000, "m": {"text": "Urban Dreams"}}]}
            ]
        })
    }

    fn images(n: usize, each_ms: u64) -> Value {
        let sg: Vec<Value> = (0..n)
            .map(|i| json!({"d": each_ms, "m": {"file_name": format!("IMG_{i:03}.jpg")}}))
            .collect();
        json!({"t": [{"tt": 0, "sg": sg}]})
    }

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
    fn short_forms() {
        assert_eq!(short(&parse_draft(&video_bgm_title())), "3 tracks, 10 s");
        assert_eq!(short(&parse_draft(&images(7, 4000))), "1 track, 28 s");
        assert_eq!(short(&parse_draft(&images(1, 65000))), "1 track, 1:05");
        assert_eq!(short(&parse_draft(&json!({}))), "empty");
    }

    #[test]
    fn charts() {
        let got = chart(&parse_draft(&video_bgm_title()), 32);
        let want = "\
Video  ████████████████████████████████  0-10s  city timelapse
BGM    ████████████████████████████████  0-10s  Lo-fi 35%
Title  ██████████░░░░░░░░░░░░░░░░░░░░░░  0-3s   \"Urban Dreams\"";
        assert_eq!(got, want);

        let got = chart(
            &parse_draft(&json!({"t": [
                {"tt": 0, "sg": [{"d": 4000}, {"d": 4000}, {"d": 4000}, {"d": 4000}, {"d": 4000}]},
                {"tt": 7, "sg": [{"d": 2000, "m": {"text": "Hi"}}, {"s": 16000, "d": 4000, "m": {"text": "Bye"}}]},
                {"tt": 1, "sg": []}
            ]})),
            20,
        );
        let want = "\
Video  ████▓▓▓▓████▓▓▓▓████  0-20s  5 clips
Title  ██░░░░░░░░░░░░░░▓▓▓▓  0-20s  \"Hi\", \"Bye\"
BGM    ░░░░░░░░░░░░░░░░░░░░  —      empty";
        assert_eq!(got, want);

        // A blip too short to reach a column midpoint still shows.
        let got = chart(
            &parse_draft(
                &json!({"t": [{"tt": 7, "sg": [{"s": 5000, "d": 10, "m": "x"}]}], "d": 10000}),
            ),
            10,
        );
        assert_eq!(got, "Title  ░░░░░█░░░░  5-5s  \"x\"");
        assert_eq!(chart(&Timeline::default(), 10), "");
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

    fn with_tracks(tracks: Value) -> Value {
        json!({ "t": tracks })
    }

    #[test]
    fn diffs() {
        let video = json!({"tt": 0, "sg": [{"d": 10000, "m": {"name": "city timelapse"}}]});
        let bgm =
            |v: f64| json!({"tt": 1, "sg": [{"d": 10000, "m": {"name": "Lo-fi", "volume": v}}]});
        let title = |t: &str| json!({"tt": 7, "sg": [{"d": 3000, "m": {"text": t}}]});

        let cases: Vec<(&str, Value, Value, Vec<&str>)> = vec![
            (
                "title added",
                with_tracks(json!([video.clone()])),
                with_tracks(json!([video.clone(), title("Paradise Found")])),
                vec!["✅ Title added: 'Paradise Found' (0-3s)"],
            ),
            (
                "volume change",
                with_tracks(json!([video.clone(), bgm(0.35)])),
                with_tracks(json!([video.clone(), bgm(0.2)])),
                vec!["✅ BGM: Lo-fi, volume 35% → 20%"],
            ),
            (
                "segment count change",
                images(5, 4000),
                json!({"t": [{"tt": 0, "sg": [
                    {"d": 4000}, {"d": 4000}, {"d": 4000}, {"d": 4000}, {"d": 4000}, {"d": 8000}
                ]}]}),
                vec![
                    "✅ Video: 5 clips → 6 clips (0-28s)",
                    "✅ Duration 20s → 28s",
                ],
            ),
            (
                "track removed",
                with_tracks(json!([video.clone(), bgm(0.35), title("Old")])),
                with_tracks(json!([video.clone(), title("Old")])),
                vec!["✅ BGM removed: Lo-fi"],
            ),
            (
                "title removed",
                with_tracks(json!([video.clone(), title("Old")])),
                with_tracks(json!([video.clone()])),
                vec!["✅ Title removed: 'Old'"],
            ),
            (
                "title changed",
                with_tracks(json!([video.clone(), title("A")])),
                with_tracks(json!([video.clone(), title("B")])),
                vec!["✅ Title changed: 'A' → 'B'"],
            ),
            (
                "nothing changed, numbers spelled differently",
                video_bgm_title(),
                json!({"d": "10000", "t": [
                    {"tt": "0", "sg": [{"d": 10000.0, "m": {"name": "city timelapse"}}]},
                    {"tt": 1, "sg": [{"d": "10000", "m": {"name": "Lo-fi", "volume": "35%"}}]},
                    {"tt": 7.0, "sg": [{"d": 3001, "m": {"text": "Urban Dreams"}}]}
                ]}),
                vec![],
            ),
            (
                "before missing entirely",
                Value::Null,
                video_bgm_title(),
                vec![
                    "✅ Video added: city timelapse (0-10s)",
                    "✅ BGM added: Lo-fi (0-10s, 35%)",
                    "✅ Title added: 'Urban Dreams' (0-3s)",
                ],
            ),
            (
                "second text inserted before the first keeps the match",
                with_tracks(json!([video.clone(), title("Main")])),
                with_tracks(json!([video.clone(), title("New"), title("Main")])),
                vec!["✅ Title added: 'New' (0-3s)"],
            ),
            (
                "title moved",
                with_tracks(json!([title("A")])),
                with_tracks(json!([{"tt": 7, "sg": [{"s": 2000, "d": 3000, "m": {"text": "A"}}]}])),
                vec!["✅ Title 'A': 0-3s → 2-5s", "✅ Duration 3s → 5s"],
            ),
            (
                "video lengthened",
                with_tracks(json!([video.clone()])),
                with_tracks(
                    json!([{"tt": 0, "sg": [{"d": 12000, "m": {"name": "city timelapse"}}]}]),
                ),
                vec!["✅ Video: 0-10s → 0-12s", "✅ Duration 10s → 12s"],
            ),
            (
                "everything removed",
                video_bgm_title(),
                json!({"t": []}),
                vec![
                    "✅ Video removed: city timelapse",
                    "✅ BGM removed: Lo-fi",
                    "✅ Title removed: 'Urban Dreams'",
                ],
            ),
            (
                "states instead of drafts",
                json!({"state": {"draft": null}}),
                json!({"state": {"draft": with_tracks(json!([title("Hi")])).to_string()}}),
                vec!["✅ Title added: 'Hi' (0-3s)"],
            ),
        ];
        for (name, before, after, want) in cases {
            assert_eq!(diff(&before, &after), want, "case: {name}");
        }
    }

    #[test]
    fn media() {
        let state = json!({"state": {
            "video_infos": [
                {"name": "beach.jpg", "width": 1920, "height": 1080, "size": 2516582},
                {"url": "https://cdn.example.com/u/clip.mp4?sig=abc", "duration": 12.5, "file_size": "3 MB"},
                "https://cdn.example.com/u/raw.png",
                null
            ],
            "generated_media": {
                "m1": {"prompt": "sunset over the sea", "duration_ms": 5000},
                "m2": {"type": "video"},
                "m3": "ready.mp4"
            }
        }});
        let (up, gen) = media_lines(&state);
        assert_eq!(
            up,
            vec![
                "beach.jpg (1920×1080, 2.4 MB)",
                "clip.mp4 (3 MB, 12.5s)",
                "raw.png",
            ]
        );
        assert_eq!(gen, vec!["sunset over the sea (5s)", "m2", "ready.mp4"]);

        let (up, gen) = media_lines(&json!({"video_infos": "[\"a.jpg\", \"b.jpg\"]"}));
        assert_eq!(up, vec!["a.jpg", "b.jpg"]);
        assert!(gen.is_empty());
        let (up, gen) = media_lines(
            &json!({"generated_media": {"items": [{"name": "x.mp4", "duration": 65000}]}}),
        );
        assert!(up.is_empty());
        assert_eq!(gen, vec!["x.mp4 (1:05)"]);
        assert_eq!(media_lines(&json!(42)), (vec![], vec![]));
    }

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
