//! Rewriting an English GUI instruction: tokens, whether the verb is an
//! instruction to the reader, the object phrase it governs, and the
//! terminal wording that replaces it.

use super::triggers::{is_cjk, trigger_at, Kind, TMatch};
use super::vocab::{
    has, ADVERBS, BLOCK_PREV, CREDIT_WORDS, DETS, EXPORT_WORDS, FILE_NOUNS, GUI_NOUNS, KEYS,
    LOCATION, MODALS, OWN, PREPS, PRONOUNISH, REORDER, STOP, TIMELINE_WORDS, UPLOADISH,
    UPLOAD_WORDS, VIEW_VERBS,
};
use super::{rewrite_at, Class, GuiAction, Rewrite};

#[derive(Debug)]
pub(super) struct Tok {
    start: usize,
    end: usize,
    lower: String,
}

/// Latin words (letters, digits, inner hyphens and apostrophes) with their byte ranges.
pub(super) fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let latin = |c: char| c.is_alphanumeric() && !is_cjk(c);
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !latin(chars[i].1) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if latin(c) || c == '-' || c == '_' {
                j += 1;
            } else if (c == '\'' || c == '’') && j + 1 < chars.len() && latin(chars[j + 1].1) {
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(s.len(), |&(b, _)| b);
        let lower = s[start..end].to_lowercase().replace('’', "'");
        toks.push(Tok { start, end, lower });
        i = j;
    }
    toks
}

/// Punctuation that separates clauses; an object phrase never crosses it.
fn has_break(gap: &str) -> bool {
    gap.chars().any(|c| {
        matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '.' | '!' | '?' | '\n' | '—' | '–' | '|'
        ) || is_cjk(c)
    })
}

/// Token `i` follows byte offset `from` within the same clause.
fn connected(s: &str, toks: &[Tok], from: usize, i: usize) -> bool {
    i < toks.len() && toks[i].start >= from && !has_break(&s[from..toks[i].start])
}

fn prev_tok(s: &str, toks: &[Tok], i: usize) -> Option<usize> {
    (i > 0 && !has_break(&s[toks[i - 1].end..toks[i].start])).then(|| i - 1)
}

fn skip_adverbs(s: &str, toks: &[Tok], mut p: Option<usize>) -> Option<usize> {
    while let Some(i) = p {
        if !has(ADVERBS, &toks[i].lower) {
            break;
        }
        p = prev_tok(s, toks, i);
    }
    p
}

/// Rule 2 of the module doc: the verb is addressed to the reader.
fn imperative_ok(s: &str, toks: &[Tok], t0: usize) -> bool {
    let Some(i) = skip_adverbs(s, toks, prev_tok(s, toks, t0)) else {
        return true;
    };
    let w = toks[i].lower.as_str();
    if has(BLOCK_PREV, w) {
        return false;
    }
    if has(MODALS, w) {
        // "you can click" is an instruction, "it will open" / "we could drop" are not.
        return match skip_adverbs(s, toks, prev_tok(s, toks, i)) {
            None => true,
            Some(j) => matches!(
                toks[j].lower.as_str(),
                "you" | "please" | "and" | "or" | "then" | "so"
            ),
        };
    }
    true
}

fn ends_np(w: &str) -> bool {
    has(STOP, w) || has(PREPS, w)
}

/// The object of a GUI verb: noun phrase plus the prepositional phrases that name GUI places.
struct Parsed {
    /// Token range of the noun phrase.
    np: (usize, usize),
    /// Byte end of everything consumed (verb, object, GUI locations, closing markup).
    end: usize,
    /// First token after the consumed phrase.
    next: usize,
    /// Lowercase words of the noun phrase and the consumed prepositional phrases.
    words: Vec<String>,
}

const OPENERS: &str = "\"“'‘*`[「『【_";
const CLOSERS: &str = "\"”'’*`]」』】_»";

fn parse_object(s: &str, toks: &[Tok], first: usize, trig: (usize, usize), kind: Kind) -> Parsed {
    let mut i = first;
    let mut end = trig.1;
    if connected(s, toks, end, i) {
        let w = toks[i].lower.as_str();
        if (w == "on" && matches!(kind, Kind::Click | Kind::Press))
            || (w == "up" && kind == Kind::Open)
        {
            end = toks[i].end;
            i += 1;
        }
    }
    let np_start = i;
    while connected(s, toks, end, i) && i - np_start < 8 && !ends_np(&toks[i].lower) {
        end = toks[i].end;
        i += 1;
    }
    let np = (np_start, i);
    let mut words: Vec<String> = toks[np_start..i].iter().map(|t| t.lower.clone()).collect();
    while connected(s, toks, end, i) {
        let w = toks[i].lower.as_str();
        let prep = has(PREPS, w)
            || (w == "to"
                && connected(s, toks, toks[i].end, i + 1)
                && has(DETS, &toks[i + 1].lower));
        if !prep {
            break;
        }
        let j0 = i + 1;
        let mut j = j0;
        let mut e2 = toks[i].end;
        while connected(s, toks, e2, j) && j - j0 < 8 && !ends_np(&toks[j].lower) {
            e2 = toks[j].end;
            j += 1;
        }
        let gui_place = toks[j0..j].iter().any(|t| {
            let w = t.lower.as_str();
            has(GUI_NOUNS, w) || has(LOCATION, w) || has(UPLOADISH, w)
        });
        if j == j0 || !gui_place {
            break;
        }
        words.extend(toks[i..j].iter().map(|t| t.lower.clone()));
        end = e2;
        i = j;
    }
    if s[trig.0..end].contains(|c| OPENERS.contains(c)) {
        while let Some(c) = s[end..].chars().next().filter(|&c| CLOSERS.contains(c)) {
            end += c.len_utf8();
        }
    }
    Parsed {
        np,
        end,
        next: i,
        words,
    }
}

/// "to <verb>" right after the object: the purpose, kept after the replacement.
fn tail_infinitive(s: &str, toks: &[Tok], p: &Parsed) -> Option<String> {
    let mut i = p.next;
    if !connected(s, toks, p.end, i) {
        return None;
    }
    if toks[i].lower == "in"
        && toks.get(i + 1).is_some_and(|t| t.lower == "order")
        && toks.get(i + 2).is_some_and(|t| t.lower == "to")
    {
        i += 2;
    }
    if toks[i].lower != "to" || !connected(s, toks, toks[i].end, i + 1) {
        return None;
    }
    let v = &toks[i + 1].lower;
    if has(DETS, v) || v.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(v.clone())
}

/// The rest of the clause after the object (for "click here to download").
fn tail_words(s: &str, toks: &[Tok], p: &Parsed) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = p.end;
    let mut i = p.next;
    while out.len() < 10 && connected(s, toks, from, i) {
        out.push(toks[i].lower.clone());
        from = toks[i].end;
        i += 1;
    }
    out
}

const SUBORDINATORS: &str = "once after when if before until while as";

/// "once you open …", "after opening …".
fn in_subordinate(s: &str, toks: &[Tok], t0: usize) -> bool {
    let mut p = skip_adverbs(s, toks, prev_tok(s, toks, t0));
    if let Some(i) = p.filter(|&i| toks[i].lower == "you") {
        p = skip_adverbs(s, toks, prev_tok(s, toks, i));
    }
    p.is_some_and(|i| has(SUBORDINATORS, &toks[i].lower))
}

/// "open the Settings menu and turn on captions": the byte offset of "turn", when the verb after
/// "and" is an ordinary edit (not itself a GUI step) that can follow "ask me to".
fn and_verb(s: &str, toks: &[Tok], p: &Parsed) -> Option<usize> {
    let i = p.next;
    if !connected(s, toks, p.end, i)
        || toks[i].lower != "and"
        || !connected(s, toks, toks[i].end, i + 1)
    {
        return None;
    }
    let w = &toks[i + 1];
    let plain = !has(DETS, &w.lower) && !has(STOP, &w.lower) && !has(PREPS, &w.lower);
    let gui = match trigger_at(s, w.start, true) {
        TMatch::Full(kind, end, g) => rewrite_at(s, toks, w.start, end, kind, g).is_some(),
        _ => false,
    };
    (plain && !gui && !w.lower.starts_with(|c: char| c.is_ascii_digit())).then_some(w.start)
}

fn has_gui_noun(words: &[String]) -> bool {
    words.iter().any(|w| has(GUI_NOUNS, w))
        || words.windows(2).any(|p| {
            matches!(p[0].as_str(), "upload" | "drop" | "media")
                && matches!(
                    p[1].as_str(),
                    "area" | "zone" | "box" | "section" | "field" | "library" | "bin"
                )
        })
}

fn is_generic(words: &[String]) -> bool {
    words.iter().all(|w| {
        has(DETS, w)
            || has(GUI_NOUNS, w)
            || has(LOCATION, w)
            || has(PREPS, w)
            || matches!(
                w.as_str(),
                "here" | "there" | "it" | "this" | "that" | "them" | "below" | "above"
            )
    })
}

fn en_class(words: &[String]) -> Option<Class> {
    let any = |list: &str| words.iter().any(|w| has(list, w));
    if any(EXPORT_WORDS) {
        Some(Class::Export)
    } else if any(CREDIT_WORDS) {
        Some(Class::Credits)
    } else if any(UPLOAD_WORDS) || (words.iter().any(|w| w == "add") && any(FILE_NOUNS)) {
        Some(Class::Upload)
    } else if any(TIMELINE_WORDS) {
        Some(Class::Timeline)
    } else {
        None
    }
}

/// Original text of the noun phrase without a trailing "here"/"below".
fn np_text<'a>(s: &'a str, toks: &[Tok], np: (usize, usize)) -> Option<&'a str> {
    let (a, mut b) = np;
    while b > a
        && matches!(
            toks[b - 1].lower.as_str(),
            "here" | "there" | "below" | "above"
        )
    {
        b -= 1;
    }
    (b > a).then(|| &s[toks[a].start..toks[b - 1].end])
}

fn gerundize(t: &str) -> String {
    for (base, ing) in [
        ("type ", "typing "),
        ("see ", "seeing "),
        ("drop ", "dropping "),
        ("ask ", "asking "),
        ("tell me to", "telling me to"),
        ("tell ", "telling "),
    ] {
        if let Some(rest) = t.strip_prefix(base) {
            return format!("{ing}{rest}");
        }
    }
    t.to_string()
}

fn capitalize(t: &str) -> String {
    let mut cs = t.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

const DESCRIBE: &str = "tell me in words what you'd like to change";

pub(super) fn rewrite_en(
    s: &str,
    toks: &[Tok],
    q: usize,
    e: usize,
    kind: Kind,
    gerund: bool,
) -> Option<Rewrite> {
    if kind == Kind::ExportNoun {
        return Some(Rewrite {
            start: q,
            end: e,
            text: "`export` command".into(),
            action: GuiAction::OfferExport,
            vanishable: false,
        });
    }
    let t0 = toks.iter().position(|t| t.start == q)?;
    if !imperative_ok(s, toks, t0) {
        return None;
    }
    let first = toks.iter().position(|t| t.start >= e).unwrap_or(toks.len());
    let p = parse_object(s, toks, first, (q, e), kind);
    let np_words: Vec<&str> = toks[p.np.0..p.np.1]
        .iter()
        .map(|t| t.lower.as_str())
        .collect();
    let np = np_text(s, toks, p.np);
    let gui = has_gui_noun(&p.words);
    let inf = tail_infinitive(s, toks, &p);
    let (end, text, action, vanishable) = if matches!(kind, Kind::Drag | Kind::Drop) {
        let here = p.words.iter().any(|w| w == "here");
        let upload = p.words.iter().any(|w| has(UPLOADISH, w));
        if kind == Kind::Drop && !(gui || here || upload) {
            return None;
        }
        let file_np = np_words.iter().any(|w| has(FILE_NOUNS, w));
        let own = np_words.iter().any(|w| has(OWN, w));
        let reorder = tail_words(s, toks, &p)
            .iter()
            .chain(p.words.iter())
            .any(|w| has(REORDER, w));
        if upload || (file_np && (own || here) && !reorder) {
            let what = match np.map(str::to_lowercase).as_deref() {
                None => "drop the file paths".to_string(),
                Some("them" | "these" | "those") => "drop their file paths".to_string(),
                Some("it" | "this" | "that") => "drop its file path".to_string(),
                Some(n) if n.contains("file") => format!("drop the paths of {}", np.unwrap_or(n)),
                Some(n) => format!("drop the file paths of {}", np.unwrap_or(n)),
            };
            (
                p.end,
                format!("{what} into this terminal"),
                GuiAction::DropFiles,
                false,
            )
        } else if inf.is_some() {
            (
                p.end,
                "tell me in words how".into(),
                GuiAction::DescribeInWords,
                false,
            )
        } else if np.is_none() {
            (p.end, DESCRIBE.into(), GuiAction::DescribeInWords, false)
        } else {
            (
                e,
                "ask me to move".into(),
                GuiAction::DescribeInWords,
                false,
            )
        }
    } else {
        let label = toks[p.np.0..p.np.1].iter().any(|t| {
            s[t.start..].starts_with(|c: char| c.is_uppercase()) && &s[t.start..t.end] != "I"
        }) || s[e..p.end].contains(|c| "\"“'‘*`[「【".contains(c));
        let key = np_words
            .iter()
            .find(|w| !has(DETS, w))
            .is_some_and(|w| has(KEYS, w));
        let needs_object = match kind {
            Kind::Press => !(gui || label) || key,
            Kind::Select | Kind::Open | Kind::Look => !gui,
            _ => false,
        };
        if needs_object {
            return None;
        }
        let mut class = en_class(&p.words);
        if class.is_none() && is_generic(&p.words) {
            class = en_class(&tail_words(s, toks, &p));
        }
        if class == Some(Class::Timeline) && inf.as_deref().is_some_and(|v| !has(VIEW_VERBS, v)) {
            // "open the timeline to trim the intro": an edit, not a look at the state.
            class = None;
        }
        if class.is_none() && in_subordinate(s, toks, t0) {
            // "Once you open the editor, …": a precondition; the main clause says what to do.
            return None;
        }
        let pronounish = np_words.iter().all(|w| has(PRONOUNISH, w));
        let and_verb = (class.is_none() && inf.is_none())
            .then(|| and_verb(s, toks, &p))
            .flatten();
        let (text, action, vanishable): (String, GuiAction, bool) = match class {
            Some(Class::Export) => ("type `export`".into(), GuiAction::OfferExport, false),
            Some(Class::Credits) => ("type `/credits`".into(), GuiAction::ShowCredits, true),
            Some(Class::Upload) => (
                "drop the file paths into this terminal".into(),
                GuiAction::DropFiles,
                false,
            ),
            Some(Class::Timeline) if kind == Kind::Look => match np {
                Some(n) if !pronounish => (
                    format!("see the timeline below for {n}"),
                    GuiAction::ShowTimeline,
                    false,
                ),
                _ => (
                    "see the timeline below".into(),
                    GuiAction::ShowTimeline,
                    true,
                ),
            },
            Some(Class::Timeline) => ("type `/status`".into(), GuiAction::ShowTimeline, true),
            None if and_verb.is_some() => ("ask me to ".into(), GuiAction::DescribeInWords, false),
            None => {
                let confirm = np_words.len() == 1
                    && matches!(
                        np_words[0],
                        "save" | "apply" | "ok" | "confirm" | "done" | "continue" | "submit"
                    );
                let text = match np {
                    _ if inf.is_some() => "ask me".to_string(),
                    _ if confirm => "tell me to go ahead".to_string(),
                    Some(n) if kind == Kind::Select => format!("ask me for {n}"),
                    _ => DESCRIBE.to_string(),
                };
                (text, GuiAction::DescribeInWords, false)
            }
        };
        (and_verb.unwrap_or(p.end), text, action, vanishable)
    };
    let mut text = if gerund { gerundize(&text) } else { text };
    if s[q..].starts_with(|c: char| c.is_uppercase()) {
        text = capitalize(&text);
    }
    Some(Rewrite {
        start: q,
        end,
        text,
        action,
        vanishable,
    })
}
