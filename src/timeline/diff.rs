//! What changed between two drafts, as lines for the user ([`diff`]):
//! matching tracks before and after, then comparing texts, clips and
//! volumes. Apart so the matching rules read on their own.

use super::describe::{content, fmt_duration, fmt_range, noun, single_name, span};
use super::parse::parse_draft;
use super::{Segment, Track, TrackKind};
use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::samples::{images, video_bgm_title};
    use serde_json::json;

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
}
