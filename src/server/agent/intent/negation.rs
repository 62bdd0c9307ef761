//! Whether a wish is undone: "no music", "remove the title and the
//! closing text", "music off", 音乐不要了. Apart because every kind of wish
//! asks it, and the reading of what a negation reaches is subtle enough to
//! want its own file.

use super::keywords::{starts_word, ALL_TARGETS, REMOVE};
use crate::server::agent::words::{find_any, has};

/// Whether the text between two targets joins them ("and the", "和", ",").
fn conj(between: &str) -> bool {
    let t = between.trim();
    // 开头结尾: Chinese joins two nouns with nothing between.
    if between.is_empty() {
        return true;
    }
    for w in [
        "and",
        "&",
        "or",
        "as well as",
        "plus",
        ",",
        "、",
        "和",
        "与",
        "跟",
        "以及",
        "还有",
    ] {
        if let Some(r) = t.strip_prefix(w) {
            return r
                .split_whitespace()
                .all(|x| ["the", "also", "both", "all", "its", "my"].contains(&x));
        }
    }
    false
}

/// Whether a wish about the target found at `spans` is undone: a
/// [`REMOVE`] word before it with no other target between them ("no
/// music", "I don't want any zooming", "remove the background music" but
/// not the music in "no zoom, with calm music"), or an off word right
/// after it ("music off", 音乐不要了).
pub(super) fn negated(low: &str, spans: &[(usize, usize)]) -> bool {
    // Most clauses undo nothing: one look for any undoing word at all
    // before the finer reading (which looks up every target).
    let take_out = has(low, &["out"]) && has(low, &["take", "leave", "cut", "get"]);
    if spans.is_empty() || !has(low, REMOVE) && !has(low, OFF_WORDS) && !take_out {
        return false;
    }
    // One span per target, the longest ("opening text", not also
    // "opening"), so neighbours never overlap.
    let mut targets: Vec<(usize, usize)> = Vec::new();
    for t in find_any(low, &ALL_TARGETS) {
        match targets.last_mut() {
            Some(last) if t.0 < last.1 => last.1 = last.1.max(t.1),
            _ => targets.push(t),
        }
    }
    // "标题和结尾都不要了": the off word after the last of joined targets.
    let joined_end = |mut e: usize| {
        let mut k = targets.partition_point(|t| t.0 < e);
        while let Some(&(ns, ne)) = targets.get(k) {
            if !conj(&low[e..ns]) {
                break;
            }
            e = ne;
            k += 1;
        }
        e
    };
    // "take the music out", "leave the zoom out": the verb's other half.
    let split_verb = |s: usize, e: usize| {
        starts_word(low[e..].trim_start(), "out")
            && !find_any(
                &low[(0..=s.saturating_sub(24))
                    .rev()
                    .find(|&i| low.is_char_boundary(i))
                    .unwrap_or(0)..s],
                &["take", "leave", "cut", "get"],
            )
            .is_empty()
    };
    // "zoom thing is cringe turn it off", "the music, get rid of it": an
    // undoing verb on a pronoun later in the clause, with no other target
    // between.
    // Found once, looked up by place: a long clause stays linear.
    let offs = find_any(
        low,
        &[
            "turn it off",
            "switch it off",
            "turn that off",
            "turn them off",
            "get rid of it",
            "get rid of them",
            "remove it",
            "remove them",
            "kill it",
            "lose it",
            "drop it",
            "ditch it",
            "disable it",
            "stop it",
            "cut it",
            "take it out",
            "take it off",
        ],
    );
    let pronoun_off = |e: usize| {
        let i = offs.partition_point(|o| o.0 < e);
        offs.get(i).is_some_and(|&(s, _)| {
            let k = targets.partition_point(|t| t.0 < e);
            targets.get(k).is_none_or(|t| t.0 >= s)
        })
    };
    if spans.iter().any(|&(s, e)| {
        off_after(low, e) || off_after(low, joined_end(e)) || split_verb(s, e) || pronoun_off(e)
    }) {
        return true;
    }
    let negs = find_any(low, REMOVE);
    if negs.is_empty() {
        return false;
    }
    spans.iter().any(|&(s, _)| {
        // "remove the title and the closing text": targets joined by "and"
        // share the negation in front of the first.
        let mut s = s;
        let mut k = targets.partition_point(|t| t.1 <= s);
        while let Some(&(ps, pe)) = k.checked_sub(1).map(|k| &targets[k]) {
            if pe > s || !conj(&low[pe..s]) {
                break;
            }
            s = ps;
            k -= 1;
        }
        let i = negs.partition_point(|n| n.1 <= s);
        let Some(&(_, ne)) = i.checked_sub(1).map(|i| &negs[i]) else {
            return false;
        };
        // Another target between the negation and this one takes it.
        let j = targets.partition_point(|t| t.0 < ne);
        let between = targets[j..]
            .iter()
            .take_while(|t| t.0 < s)
            .any(|t| t.1 <= s);
        !between && s - ne <= 40
    })
}

/// "music off", "音乐去掉".
fn off_after(low: &str, at: usize) -> bool {
    let mut t = low[at..].trim_start();
    // "ken burns: off", "transitions: none", "zoom = off", "music is off"
    for w in [":", "：", "=", "should be", "is", "are", "to"] {
        if starts_word(t, w) {
            t = t[w.len()..].trim_start();
            break;
        }
    }
    // "片尾那句话删掉", "缩放效果关掉", "标题和结尾都不要了": a few words may
    // sit between the target and its off word.
    for _ in 0..4 {
        // "片尾那个bye删掉": the text itself, named after 那个.
        if low[..low.len() - t.len()].ends_with("那个")
            || low[..low.len() - t.len()].ends_with("这个")
        {
            let word = t.len()
                - t.trim_start_matches(|c: char| c.is_ascii_alphanumeric())
                    .len();
            t = t[word..].trim_start();
        }
        match [
            "麻烦",
            "帮我",
            "请",
            "那句话",
            "这句话",
            "那段话",
            "那句",
            "那段",
            "那个",
            "这个",
            "的文字",
            "的字",
            "文字",
            "字",
            "效果",
            "的",
            "也",
            "都",
            "全",
            "全部",
            "就",
            "给我",
            "可以",
            "please",
            "effect",
            "effects",
            "completely",
            "entirely",
            "altogether",
        ]
        .iter()
        .find(|w| starts_word(t, w))
        {
            Some(w) => t = t[w.len()..].trim_start(),
            None => break,
        }
    }
    OFF_WORDS.iter().any(|w| starts_word(t, w))
}

/// Words after a target that undo it ("music off", 音乐去掉).
const OFF_WORDS: &[&str] = &[
    "off",
    "none",
    "nothing",
    "gone",
    "去掉",
    "删掉",
    "删了",
    "去了",
    "关掉",
    "关闭",
    "关了",
    "不要了",
    "不要",
    "不用了",
    "删除",
    "拿掉",
    "取消",
    "撤掉",
];
