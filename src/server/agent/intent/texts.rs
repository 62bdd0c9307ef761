//! The title and the closing text: the keys that introduce them, and
//! where the words end when they are typed with or without quotes.

use super::keywords::starts_word;
use super::keywords::{CLOSING_KEYS, DIRECT_KEYS, DIRECT_ZH, POSITION_KEYS, TITLE_KEYS};
use super::negation::negated;

use super::{clause_edits, Edit};
use crate::server::agent::words::{self, find_all, find_any, gap, quote_marks};

/// Title and closing text; returns where the clause's other wishes end.
pub(super) fn texts(clause: &str, low: &str, quotes: &[String], out: &mut Vec<Edit>) -> usize {
    let mut cut = low.len();
    // "closing title" is the closing text, not the title.
    let closing_at = find_any(low, CLOSING_KEYS);
    let mut title_at = find_any(low, TITLE_KEYS);
    title_at.extend(find_any(low, DIRECT_KEYS));
    title_at.sort_unstable();
    let title_at: Vec<_> = title_at
        .into_iter()
        .filter(|t| {
            // Only the closing keys next to it can touch it (both lists are
            // in text order; scanning all would be quadratic).
            let i = closing_at.partition_point(|c| c.0 < t.0);
            // "closing title" is the closing text; 开头结尾 (a title key
            // before a closing key) is two texts.
            !closing_at[i.saturating_sub(2)..(i + 2).min(closing_at.len())]
                .iter()
                .any(|c| c.0 < t.0 && gap(*c, *t) <= 1)
        })
        .filter(|(s, _)| !low[..*s].ends_with("sub"))
        .collect();
    for (keys, set, remove) in [
        (
            &title_at,
            Edit::Title as fn(String) -> Edit,
            Edit::RemoveTitle,
        ),
        (&closing_at, Edit::Closing, Edit::RemoveClosing),
    ] {
        let Some(&(ks, ke)) = keys.first() else {
            continue;
        };
        let ke = keys.iter().map(|k| k.1).max().unwrap_or(ke);
        let direct = DIRECT_KEYS
            .iter()
            .chain(DIRECT_ZH)
            .any(|k| low[..ke].ends_with(k));
        let mut more = Vec::new();
        // "drop the 'Bye' at the end": a quote before a negated key names
        // the text to remove.
        let neg = negated(low, keys);
        // "put 'Hi' at the beginning and 'Bye' at the end", "put thanks for
        // watching at the end": a place key takes the text before it.
        let place = POSITION_KEYS.contains(&&low[ks..keys[0].1]);
        let before = || {
            quote_before(low, ks, quotes)
                .or_else(|| {
                    place
                        .then(|| text_before(clause, low, ks, quotes))
                        .flatten()
                })
                .filter(|_| !neg)
        };
        let found = if place {
            before().or_else(|| text_after(clause, low, ke, quotes, direct, &mut more))
        } else {
            text_after(clause, low, ke, quotes, direct, &mut more).or_else(before)
        };
        match found {
            Some((t, quoted)) => {
                out.push(set(t));
                out.extend(more);
                if !quoted {
                    cut = cut.min(ks);
                }
            }
            None if neg => out.push(remove),
            None => {}
        }
    }
    cut
}

/// Words between a text key and its text, longest first.
const TEXT_INTROS: &[&str] = &[
    "with the words",
    "the words",
    "the text",
    "the line",
    "should be changed to",
    "should say",
    "should read",
    "which says",
    "that says",
    "that reads",
    "with the words",
    "with the text",
    "changed to",
    "should be",
    "will be",
    "to read",
    "to say",
    "saying",
    "reading",
    "with text",
    "to be",
    "says",
    "reads",
    "say",
    "read",
    "be",
    "is",
    "to",
    "of",
    "with",
    ":",
    "：",
    "=",
    "-",
    "改成",
    "改为",
    "换成",
    "设为",
    "设成",
    "设置为",
    "应该是",
    "应该叫",
    "应该写",
    "加一句",
    "加上一句",
    "写一句",
    "加上",
    "写上",
    "写着",
    "写成",
    "显示为",
    "显示",
    "叫做",
    "就叫",
    "是",
    "为",
    "写",
    "叫",
    "用",
];

/// The text a keyword introduces: the first quote after it, or what
/// follows "title:", "title is", "标题：", "标题是", "标题改成" to the end of
/// the clause.
fn text_after(
    clause: &str,
    low: &str,
    at: usize,
    quotes: &[String],
    direct: bool,
    more: &mut Vec<Edit>,
) -> Option<(String, bool)> {
    if let Some((_, _, n)) = quote_marks(low).into_iter().find(|(s, _, _)| *s >= at) {
        return quotes.get(n).map(|q| (q.clone(), true));
    }
    let rest = low[at..].trim_start();
    let from = at + (low.len() - at - rest.len());
    // What joins a key to its text: "title: X", "the title should say X",
    // "an outro saying X", "标题改成X", "结尾写上X"; two may follow each
    // other ("should say: X"). Longest first, so 写上 is not 写 + 上.
    let mut intro_len = 0;
    for round in 0..2 {
        let r = &rest[intro_len..];
        // The second may only be a colon or "the words": "say: Hi",
        // "should read the words …" (not the "With" of "say With love").
        let Some(w) = TEXT_INTROS
            .iter()
            .filter(|w| {
                round == 0 || [":", "：", "the words", "the text", "the line", "-"].contains(w)
            })
            // 标题写错了: "written wrong", not "write".
            .find(|w| starts_word(r, w) && !(**w == "写" && r[w.len()..].starts_with('错')))
        else {
            break;
        };
        intro_len += w.len() + (r.len() - w.len() - r[w.len()..].trim_start().len());
    }
    // "title Paris": a capital or a digit right after the key is the text.
    let bare = rest.chars().next().is_some_and(|c| {
        c.is_ascii_digit() || clause[from..].starts_with(|c: char| c.is_ascii_uppercase())
    });
    // "put the title first day of school on it": after "put/add the
    // title" the words that follow are the text, capital or not.
    let after_verb = [
        "put the", "add the", "add a", "put a", "use the", "with the", "with a",
    ]
    .iter()
    .any(|v| {
        low[..at]
            .trim_end()
            .trim_end_matches(|c: char| c.is_alphabetic())
            .trim_end()
            .ends_with(v)
    }) && ![
        "at", "on", "in", "to", "for", "from", "of", "and", "or", "please", "with", "is", "should",
        "under", "over", "below", "above", "beside", "next", "into", "onto", "across", "each",
        "every", "per", "that", "which", "too", "there", "here",
    ]
    .iter()
    .any(|w| starts_word(rest, w));
    if intro_len == 0 && !direct && !bare && !after_verb {
        return None;
    }
    let intro = &rest[..intro_len];
    // "name it Summer 2026 and use a wipe": the text ends at an "and"
    // followed by another wish ("title: Salt and Pepper" keeps its "and").
    // Only the first few are tried, so a long clause stays linear.
    let body = from + intro.len();
    let mut end = clause.len();
    // "call it Tom and Jerry and make it square": the part up to the next
    // "and" must be a wish itself.
    // Titles are short: a long rest is not searched (nor re-read per
    // title key, which would make a long clause quadratic).
    let ands: Vec<_> = if clause.len() - body <= 200 {
        find_all(&low[body..], "and").into_iter().take(4).collect()
    } else {
        Vec::new()
    };
    for (i, &(a, b)) in ands.iter().enumerate() {
        let next = ands.get(i + 1).map_or(clause.len(), |n| body + n.0);
        if !clause_edits(&clause[body + b..next], quotes).is_empty() {
            end = body + a;
            more.extend(clause_edits(&clause[body + b..], quotes));
            break;
        }
    }
    // The text keeps its "!" and "?": "title: Wow!". Words said to the
    // editor, not meant for the screen, are not kept: "Trip 2024
    // instead", "Happy Family 吧", "Paris please".
    let mut t = clause[body..end]
        .trim()
        .trim_end_matches(['.', '。'])
        .trim();
    loop {
        let low_t = t.to_ascii_lowercase();
        let Some(w) = [
            " instead",
            " on it",
            " on the video",
            " on top",
            " on there",
            " please",
            " pls",
            " plz",
            " thanks",
            " thank you",
            " for me",
            " for the video",
            "吧",
            "呗",
            "啊",
            "哦",
            "呀",
            "就行",
            "就好",
            "好了",
            "谢谢",
            "可以吗",
            "行吗",
            "好吗",
        ]
        .iter()
        .find(|w| low_t.ends_with(*w) && low_t.len() > w.len()) else {
            break;
        };
        t = t[..t.len() - w.len()]
            .trim_end()
            .trim_end_matches([',', '，'])
            .trim_end();
    }
    // "could it say With love from Grandma?": the question mark is the
    // question's, not the text's.
    let asks = [
        "could",
        "can",
        "would",
        "will",
        "may",
        "is it possible",
        "能不能",
        "可以",
        "能否",
        "能",
    ]
    .iter()
    .any(|w| starts_word(low.trim_start(), w));
    if asks {
        t = t.trim_end_matches(['?', '？']).trim_end();
    }
    let t = words::requote(t, quotes);
    let t = t.trim().to_string();
    // "the title is fine", 标题挺好的: a judgement, not the words to show.
    let judgement = [
        "fine",
        "ok",
        "okay",
        "good",
        "great",
        "perfect",
        "nice",
        "wrong",
        "bad",
        "boring",
        "too long",
        "too short",
        "fine as is",
        "好",
        "不错",
        "挺好",
        "挺好的",
        "可以",
        "没问题",
    ]
    .contains(&t.to_lowercase().as_str());
    (!t.is_empty() && !judgement).then_some((t, false))
}

/// "put thanks for watching at the end", "add the words the end at the
/// end": the unquoted text between a verb and a place key.
fn text_before(clause: &str, low: &str, at: usize, quotes: &[String]) -> Option<(String, bool)> {
    let head = &low[..at];
    let (_, ve) = find_any(
        head,
        &["put", "add", "write", "show", "display", "have", "加", "写"],
    )
    .into_iter()
    .last()?;
    let mut from = ve;
    for w in [
        "the words",
        "the text",
        "a line saying",
        "a line",
        "the line",
        "saying",
        "that says",
        "text",
    ] {
        let r = low[from..at].trim_start();
        if starts_word(r, w) {
            from = at - r.len() + w.len();
            break;
        }
    }
    let t = clause[from..at].trim();
    let words = t.split_whitespace().count();
    // Not "put it at the end" nor a whole sentence.
    let pronoun = ["it", "this", "that", "them", "the video", "everything"]
        .contains(&t.to_ascii_lowercase().as_str());
    // Quoted text is the quotes' business.
    let quoted = t.contains(words::QUOTE_OPEN);
    if t.is_empty() || pronoun || quoted || words > 12 {
        return None;
    }
    Some((words::requote(t, quotes), false))
}

/// "put 'Hello Lisbon' as the title": the quote just before "as (the)".
fn quote_before(low: &str, at: usize, quotes: &[String]) -> Option<(String, bool)> {
    let head = low[..at].trim_end();
    // "put 'Hi' at the start", "'Bye' as the last text": the quote may
    // also touch the key.
    let head = ["as the", "as a", "as", "for the", "on the"]
        .iter()
        .find_map(|w| head.strip_suffix(w))
        .unwrap_or(head)
        .trim_end();
    let (_, e, n) = quote_marks(head).into_iter().last()?;
    (e == head.len()).then(|| quotes.get(n).map(|q| (q.clone(), true)))?
}
