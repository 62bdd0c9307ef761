//! The JSON plumbing under the timeline: the draft's keys (short and long
//! spellings) and defensive readers that turn any [`Value`] into a number,
//! a duration, a label or a transition without panicking. Apart from
//! `parse.rs` so the reading rules can be found, and changed, in one place.

use super::Transition;
use serde_json::{Map, Value};
use std::borrow::Cow;

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
pub(super) const START_KEYS: &[&str] = &["s", "st", "start", "start_ms", "offset"];
pub(super) const DURATION_KEYS: &[&str] = &["d", "dur", "duration", "duration_ms"];
pub(super) const END_KEYS: &[&str] = &["end", "end_ms"];
pub(super) const VOLUME_KEYS: &[&str] = &["volume", "vol", "volume_pct", "volume_percent"];
pub(super) const TRACK_KEYS: &[&str] = &["t", "tracks"];
pub(super) const SEGMENT_KEYS: &[&str] = &["sg", "segments"];
/// Keys that mark an object as one track (rather than tracks keyed by id).
pub(super) const TRACK_ITEM_KEYS: &[&str] = &["tt", "sg", "segments"];
/// Keys that mark an object as one segment.
pub(super) const SEGMENT_ITEM_KEYS: &[&str] = &["m", "d"];
pub(super) const TYPE_KEYS: &[&str] = &["tt", "track_type", "type"];
pub(super) const FILE_ID_KEYS: &[&str] = &["file_id", "fileId", "media_id", "asset_id"];
const TRANSITION_KEYS: &[&str] = &["transition", "transition_type", "trans"];
const TRANSITION_MS_KEYS: &[&str] = &["transition_ms", "transition_duration", "trans_ms"];
/// Longest label we show before cutting it with an ellipsis.
pub(super) const MAX_LABEL_CHARS: usize = 40;

/// Undo stringified JSON (up to three layers). Only strings that look like
/// JSON containers or quoted strings are parsed, so "35%" stays a string.
pub(super) fn norm(v: &Value) -> Cow<'_, Value> {
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
pub(super) fn first<'a>(o: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().filter_map(|k| o.get(*k)).find(|v| !v.is_null())
}

pub(super) fn get_path(v: &Value, path: &[&str]) -> Option<Value> {
    let v = norm(v);
    match path.split_first() {
        None => (!v.is_null()).then(|| v.into_owned()),
        Some((k, rest)) => get_path(v.as_object()?.get(*k)?, rest),
    }
}

/// A list of items: an array, an object keyed by id (its values), or a
/// single item object (recognised by one of `item_keys`).
pub(super) fn list(v: &Value, item_keys: &[&str]) -> Vec<Value> {
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

pub(super) fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

/// Milliseconds from a number or a string ("1500", "1500ms", "1.5s").
/// Negative values clamp to zero.
pub(super) fn millis(v: &Value) -> Option<u64> {
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
pub(super) fn volume(v: &Value) -> Option<u32> {
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
pub(super) fn clean(s: &str) -> Option<String> {
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
pub(super) fn label_value(v: &Value, depth: u8) -> Option<String> {
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

pub(super) fn label_in(o: &Map<String, Value>, depth: u8) -> Option<String> {
    LABEL_KEYS
        .iter()
        .filter_map(|k| o.get(*k))
        .find_map(|v| label_value(v, depth))
}

pub(super) fn location_in(o: &Map<String, Value>) -> Option<String> {
    LOCATION_KEYS
        .iter()
        .filter_map(|k| o.get(*k))
        .filter_map(Value::as_str)
        .find_map(basename)
}

/// The file part of a URL or path, without query or fragment.
pub(super) fn basename(s: &str) -> Option<String> {
    let s = s.split(['?', '#']).next().unwrap_or("");
    let s = s.trim_end_matches(['/', '\\']);
    clean(s.rsplit(['/', '\\']).next().unwrap_or(s))
}

/// A segment's or track's metadata: `m` as an object, or `m` as a bare
/// string, which is then the label itself.
pub(super) enum Meta {
    Obj(Map<String, Value>),
    Text(String),
    None,
}

pub(super) fn meta(o: &Map<String, Value>) -> Meta {
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
pub(super) fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A named transition in metadata (`transition` as a name, or as an object
/// with a `type`/`name` and a length).
pub(super) fn transition_in(m: &Meta) -> Option<Transition> {
    match m {
        Meta::Obj(mo) => transition_of(mo),
        _ => None,
    }
}

/// [`transition_in`] for an object's own keys.
pub(super) fn transition_of(o: &Map<String, Value>) -> Option<Transition> {
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
pub(super) fn in_meta<'a>(m: &'a Meta, keys: &[&str]) -> Option<&'a Value> {
    match m {
        Meta::Obj(mo) => first(mo, keys),
        _ => None,
    }
}

/// Lower-cased text of a value's keys and strings, bounded in depth and
/// size, for guessing what an audio track holds.
pub(super) fn gather(v: &Value, depth: u8, out: &mut String) {
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
