//! The uploaded and generated media lists of a state document as display
//! lines ([`media_lines`]), whatever shape the server gives them.

use super::describe::fmt_duration;
use super::json::{
    basename, clean, first, get_path, label_value, location_in, millis, norm, number,
};
use serde_json::Value;

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
}
