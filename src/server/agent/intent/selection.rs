//! Which photo a clause means ([`Sel`]): by position ("the third",
//! 第三张, "second to last"), by file name, or as a place before or after
//! another. Found once per clause and looked up by position.

use super::keywords::{starts_word, ORDINALS, PHOTO_NOUNS};
use super::Sel;
use crate::server::agent::words::{self, durations, find_all, find_any, numbers, quote_marks};

/// Places named without a noun after them ("swap 1st and 2nd", "the
/// fourth" correcting "the third"): ordinal words, 2nd/3rd, "last", 第N.
pub(super) fn bare_places(low: &str) -> Vec<(usize, Sel)> {
    let mut out = Vec::new();
    for (w, k) in ORDINALS {
        for (s, _) in find_all(low, w) {
            out.push((s, Sel::Nth(*k)));
        }
    }
    for n in numbers(low) {
        let t = &low[n.end..];
        if ["st", "nd", "rd", "th"].iter().any(|x| starts_word(t, x)) {
            out.push((n.start, Sel::Nth(n.value as usize)));
        }
    }
    for (s, _) in find_all(low, "last") {
        out.push((s, Sel::Last));
    }
    for (s, e) in find_all(low, "第") {
        if let Some(n) = numbers(&low[e..]).first().filter(|n| n.start == 0) {
            out.push((s, Sel::Nth(n.value as usize)));
        }
    }
    out.retain(|(_, s)| !matches!(s, Sel::Nth(0)));
    out.sort_by_key(|(p, _)| *p);
    out
}

/// Where a photo should go: "the front", "the end", "position 2", "2",
/// "最前", "最后", "第2位".
pub(super) fn target(rest: &str) -> Option<Sel> {
    let rest = rest.trim_start();
    // "the very end", "the very front"
    let very = rest
        .strip_prefix("the very ")
        .or_else(|| rest.strip_prefix("very "));
    let owned;
    let rest = match very {
        Some(r) => {
            owned = format!("the {r}");
            owned.as_str()
        }
        None => rest,
    };
    let first = [
        "the opening shot",
        "the opener",
        "opening shot",
        "the opening",
        "the first shot",
        "the front",
        "front",
        "the start",
        "start",
        "the beginning",
        "beginning",
        "the top",
        "top",
        "first",
        "the first",
        "最前",
        "开头",
        "前面",
        "首位",
        "第一",
    ];
    let last = [
        "the end",
        "end",
        "the back",
        "back",
        "the bottom",
        "bottom",
        "last",
        "the last",
        "最后",
        "末尾",
        "结尾",
        "后面",
        "最末",
    ];
    if first.iter().any(|w| starts_word(rest, w)) {
        return Some(Sel::Nth(1));
    }
    if last.iter().any(|w| starts_word(rest, w)) {
        return Some(Sel::Last);
    }
    // "second", "third from the end", "second to last"
    if let Some((w, k)) = ORDINALS.iter().find(|(w, _)| starts_word(rest, w)) {
        let after = rest[w.len()..].trim_start();
        let from_end = [
            "to last",
            "to the last",
            "from the end",
            "from last",
            "last",
        ]
        .iter()
        .any(|t| starts_word(after, t));
        return Some(if from_end {
            Sel::FromEnd(*k)
        } else {
            Sel::Nth(*k)
        });
    }
    let rest = [
        "position", "place", "spot", "number", "slot", "no.", "#", "第",
    ]
    .iter()
    .find_map(|w| rest.strip_prefix(w))
    .unwrap_or(rest)
    .trim_start();
    let n = numbers(rest).into_iter().next().filter(|n| n.start == 0)?;
    Sel::Nth(n.value as usize).filter_zero()
}

impl Sel {
    fn filter_zero(self) -> Option<Sel> {
        match self {
            Sel::Nth(0) => None,
            s => Some(s),
        }
    }
}

/// The photos a clause names, with where: "photo 3", "photos 2 and 5",
/// "#3", "the third photo", "the 3rd one", "the last photo", "第3张",
/// "第三张和第五张", "最后一张", "beach.jpg", a quoted file name.
pub(super) fn selections(clause: &str, low: &str, quotes: &[String]) -> Vec<(usize, Sel)> {
    let mut out: Vec<(usize, Sel)> = Vec::new();
    // Found once and looked up by position: one scan per noun found would
    // make a long message quadratic.
    let nums = numbers(low);
    let num_at = |at: usize| num_starting(&nums, at);
    let duration_starts: Vec<usize> = durations(low).iter().map(|d| d.start).collect();
    // "photo 3", "photos 2 and 5"
    for noun in PHOTO_NOUNS.iter().filter(|n| **n != "one") {
        for (_, e) in find_all(low, noun) {
            let mut at = e;
            let rest = &low[at..];
            let t = rest.trim_start();
            at += rest.len() - t.len();
            let t2 = t.strip_prefix("number ").or_else(|| t.strip_prefix('#'));
            if let Some(t2) = t2 {
                at += t.len() - t2.len();
            }
            let Some(n) = num_at(at).filter(|n| n.value >= 1.0 && n.value.fract() == 0.0) else {
                continue;
            };
            // Not "photo 3 seconds" (a duration) nor "photos 2s".
            if duration_starts.binary_search(&n.start).is_ok() {
                continue;
            }
            out.push((n.start, Sel::Nth(n.value as usize)));
            more_numbers(low, n.end, &nums, &mut out);
        }
    }
    // "#3"
    for (i, _) in find_all(low, "#") {
        if let Some(n) = num_at(i + 1) {
            out.push((i, Sel::Nth(n.value as usize)));
        }
    }
    // "the third photo", "the 3rd one", "the last photo"
    let noun_next = |at: usize| {
        let t = low[at..].trim_start();
        PHOTO_NOUNS.iter().any(|n| starts_word(t, n))
    };
    // "the first and last pics": an ordinal, "and", an ordinal and a noun.
    let nouns_after = |at: usize| {
        noun_next(at) || {
            let t = low[at..].trim_start();
            let t = ["and ", "& "].iter().find_map(|w| t.strip_prefix(w));
            t.is_some_and(|t| {
                let t = t.trim_start().trim_start_matches("the ").trim_start();
                let at = low.len() - t.len();
                // "3rd": a number and its suffix
                let nth = num_starting(&nums, at)
                    .filter(|n| {
                        ["st", "nd", "rd", "th"]
                            .iter()
                            .any(|x| starts_word(&low[n.end..], x))
                    })
                    .is_some_and(|n| noun_next(n.end + 2));
                nth || ORDINALS
                    .iter()
                    .map(|(w, _)| *w)
                    .chain(["last"])
                    .any(|w| starts_word(t, w) && noun_next(at + w.len()))
            })
        }
    };
    for (w, k) in ORDINALS {
        for (s, e) in find_all(low, w) {
            if nouns_after(e) {
                out.push((s, Sel::Nth(*k)));
            }
        }
    }
    for n in &nums {
        let t = &low[n.end..];
        if ["st", "nd", "rd", "th"].iter().any(|x| starts_word(t, x)) && nouns_after(n.end + 2) {
            out.push((n.start, Sel::Nth(n.value as usize)));
        }
    }
    // "the second to last photo", "third from the end", "penultimate",
    // "last but one": counted from the end. The "last" inside is not the
    // last photo.
    let mut from_end: Vec<(usize, usize)> = Vec::new();
    for tail in [
        "to last",
        "to the last",
        "from last",
        "from the last",
        "from the end",
        "from the back",
    ] {
        for (ts, te) in find_all(low, tail) {
            let head = low[..ts].trim_end();
            let k = ORDINALS
                .iter()
                .find(|(w, _)| head.ends_with(w))
                .map(|(w, k)| (head.len() - w.len(), *k))
                .or_else(|| {
                    let h = head.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                    let n = nums.iter().find(|n| n.end == h.len())?;
                    Some((n.start, n.value as usize))
                });
            if let Some((at, k)) = k.filter(|(_, k)| *k >= 1) {
                out.push((at, if k == 1 { Sel::Last } else { Sel::FromEnd(k) }));
                from_end.push((at, te));
            }
        }
    }
    for (w, k) in [("penultimate", 2), ("last but one", 2), ("next to last", 2)] {
        for (s, e) in find_all(low, w) {
            out.push((s, Sel::FromEnd(k)));
            from_end.push((s, e));
        }
    }
    // "the first two photos", "the last 3 pics", 前两张, 最后两张: a run.
    let mut runs = Vec::new();
    for (w, from_start) in [
        ("first", true),
        ("last", false),
        ("前", true),
        ("后", false),
    ] {
        for (s, e) in find_all(low, w) {
            let t = low[e..].trim_start();
            let at = low.len() - t.len();
            let Some(n) =
                num_at(at).filter(|n| n.value >= 2.0 && n.value <= 20.0 && n.value.fract() == 0.0)
            else {
                continue;
            };
            let after = low[n.end..].trim_start();
            // "swap the first two", "the last three, please": the run ends
            // the phrase when no noun follows.
            let ends = after.is_empty()
                || [",", ".", "and", "then", "please", "，", "。"]
                    .iter()
                    .any(|x| starts_word(after, x));
            let noun = PHOTO_NOUNS.iter().any(|x| starts_word(after, x))
                || ["张", "幅", "个"].iter().any(|x| after.starts_with(x))
                || ends;
            if !noun {
                continue;
            }
            let k = n.value as usize;
            for i in 1..=k {
                let sel = match (from_start, k + 1 - i) {
                    (true, _) => Sel::Nth(i),
                    (false, 1) => Sel::Last,
                    (false, j) => Sel::FromEnd(j),
                };
                // One place per photo, so the sort keeps their order.
                runs.push((s + i - 1, sel));
            }
            from_end.push((s, n.end));
        }
    }
    // 倒数第二张
    for (s, e) in find_all(low, "倒数") {
        let at = e + low[e..].strip_prefix('第').map_or(0, |_| '第'.len_utf8());
        if let Some(n) = num_at(at).filter(|n| n.value >= 1.0) {
            let k = n.value as usize;
            out.push((s, if k == 1 { Sel::Last } else { Sel::FromEnd(k) }));
            from_end.push((s, n.end));
        }
    }
    let inside = |at: usize| from_end.iter().any(|&(s, e)| s <= at && at < e);
    out.retain(|(at, sel)| {
        matches!(sel, Sel::FromEnd(_) | Sel::Last) && from_end.iter().any(|f| f.0 == *at)
            || !inside(*at)
    });
    out.extend(runs);
    for w in ["last", "final"] {
        for (s, e) in find_all(low, w) {
            if nouns_after(e) && !inside(s) {
                out.push((s, Sel::Last));
            }
        }
    }
    // 第3张, 第三张和第五张, 最后一张
    for (s, e) in find_all(low, "第") {
        if low[..s].ends_with("倒数") {
            continue;
        }
        if let Some(n) = num_at(e) {
            if n.value >= 1.0 && !low[n.end..].starts_with('秒') {
                out.push((s, Sel::Nth(n.value as usize)));
                more_numbers(low, n.end, &nums, &mut out);
            }
        }
    }
    for (s, _) in find_any(
        low,
        &["最后一张", "最后那张", "最后一个", "最后一幅", "最后1张"],
    ) {
        out.push((s, Sel::Last));
    }
    // file names, bare or quoted
    for (s, e) in file_names(low) {
        out.push((s, Sel::Name(clause[s..e].to_string())));
    }
    for (s, _, n) in quote_marks(low) {
        if let Some(q) = quotes
            .get(n)
            .filter(|q| crate::wire::media_kind_of(q).is_some())
        {
            out.push((s, Sel::Name(q.clone())));
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out.dedup();
    out
}

/// The number that starts at byte `at` (`nums` is in text order).
fn num_starting(nums: &[words::Num], at: usize) -> Option<words::Num> {
    nums.binary_search_by_key(&at, |n| n.start)
        .ok()
        .map(|i| nums[i])
}

/// "… and 5", "… 和第5张", "…, 7": further positions after a first one.
fn more_numbers(low: &str, mut at: usize, nums: &[words::Num], out: &mut Vec<(usize, Sel)>) {
    loop {
        let rest = &low[at..];
        let t = rest.trim_start();
        let Some(t2) = ["and ", "& ", ",", "、", "和", "与", "跟", "or "]
            .iter()
            .find_map(|s| t.strip_prefix(s))
        else {
            return;
        };
        let t3 = t2.trim_start();
        let t3 = t3.strip_prefix('第').unwrap_or(t3);
        let start = low.len() - t3.len();
        let Some(n) = num_starting(nums, start).filter(|n| n.value >= 1.0) else {
            return;
        };
        out.push((n.start, Sel::Nth(n.value as usize)));
        at = n.end;
    }
}

/// Where a file name inside a run of text ends: after the first
/// ".ext" that makes it a file name.
fn name_end(w: &str) -> Option<usize> {
    w.match_indices('.').find_map(|(d, _)| {
        let ext = w[d + 1..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let e = d + 1 + ext;
        (ext > 0 && words::is_file_name(&w[..e])).then_some(e)
    })
}

/// Spans of file names with a photo, video or audio extension.
pub(super) fn file_names(low: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let is_name_char = |c: char| c.is_alphanumeric() || "._-".contains(c);
    let mut start = None;
    for (i, c) in low.char_indices().chain(std::iter::once((low.len(), ' '))) {
        match (is_name_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = low[s..i].trim_end_matches('.');
                if words::is_file_name(w) {
                    out.push((s, s + w.len()));
                } else {
                    // "把海边.jpg去掉", "把dog.jpg和cat.jpg换个位置": each name
                    // ends with its extension; words glued before it are
                    // matched by `apply`.
                    let mut from = 0;
                    while let Some(e) = name_end(&w[from..]) {
                        out.push((s + from, s + from + e));
                        from += e;
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}
