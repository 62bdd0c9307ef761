//! The small Unicode [`chart`] of a timeline, one bar per track. Apart from
//! `describe.rs` because drawing bars to scale is its own small problem.

use super::describe::{content, fmt_range, pad, span};
use super::{Timeline, Track, TrackKind};

/// Widest chart we draw, so a silly width cannot allocate without bound.
const MAX_CHART_WIDTH: usize = 1000;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::parse_draft;
    use crate::timeline::samples::video_bgm_title;
    use serde_json::json;

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
}
