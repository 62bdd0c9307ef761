//! Words to values for the agent's parser: quoted text, clauses, keywords,
//! numbers (digits, English and Chinese words), durations, percentages and
//! the message's language. Pure string work; what the words mean for the
//! video is `intent`'s business.
//!
//! Offsets are byte offsets into the clause. Matching runs on
//! `to_ascii_lowercase()`, which keeps every offset, so a match found in the
//! lowered text cuts the original text at the same place (titles keep their
//! case).

/// Marks the place of the quoted text number N in an unquoted message:
/// `QUOTE_OPEN`, N in digits, `QUOTE_CLOSE` (private-use characters, which
/// nobody types).
pub const QUOTE_OPEN: char = '\u{E000}';
pub const QUOTE_CLOSE: char = '\u{E001}';

/// The language a reply is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// Chinese when the message (outside its quotes) has Chinese
    /// characters.
    pub fn of(msg: &str) -> Lang {
        let (text, _) = unquote(msg);
        if text.chars().any(is_han) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The English or the Chinese text.
    pub fn pick(self, en: impl Into<String>, zh: impl Into<String>) -> String {
        match self {
            Lang::En => en.into(),
            Lang::Zh => zh.into(),
        }
    }
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Quote pairs people type: straight, curly, CJK corner brackets.
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('“', '”'),
    ('‘', '’'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
];

/// Take quoted text out of a message: the message with each quote replaced
/// by a marker, and the quoted texts in order. A straight single quote only
/// opens after a space or punctuation and only closes before one, so
/// "don't" and "photo's" are not quotes.
pub fn unquote(msg: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = msg.chars().collect();
    let mut out = String::with_capacity(msg.len());
    let mut quotes = Vec::new();
    // Closing marks known to occur nowhere after the current place: an
    // unclosed quote is searched for once, not once per opening mark.
    let mut never_closed: Vec<char> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let close = QUOTES.iter().find(|(o, _)| *o == c).map(|(_, cl)| *cl);
        let opens = close.is_some() && (c != '\'' || i == 0 || !chars[i - 1].is_alphanumeric());
        if let (Some(close), true) = (close, opens) {
            let end = if never_closed.contains(&close) {
                None
            } else {
                (i + 1..chars.len()).find(|&j| {
                    chars[j] == close
                        && (close != '\''
                            || j + 1 == chars.len()
                            || !chars[j + 1].is_alphanumeric())
                })
            };
            if end.is_none() && !never_closed.contains(&close) {
                never_closed.push(close);
            }
            if let Some(end) = end {
                let inner: String = chars[i + 1..end].iter().collect();
                let inner = inner.trim().to_string();
                if !inner.is_empty() {
                    out.push(' ');
                    out.push(QUOTE_OPEN);
                    out.push_str(&quotes.len().to_string());
                    out.push(QUOTE_CLOSE);
                    out.push(' ');
                    quotes.push(inner);
                    i = end + 1;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    (out, quotes)
}

/// The quote markers in `s`: (start, end, index).
pub fn quote_marks(s: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find(QUOTE_OPEN).map(|i| i + from) {
        let body = i + QUOTE_OPEN.len_utf8();
        let Some(j) = s[body..].find(QUOTE_CLOSE).map(|j| j + body) else {
            break;
        };
        if let Ok(n) = s[body..j].parse() {
            out.push((i, j + QUOTE_CLOSE.len_utf8(), n));
        }
        from = j + QUOTE_CLOSE.len_utf8();
    }
    out
}

/// Put the quoted texts back in place of their markers.
pub fn requote(s: &str, quotes: &[String]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (i, j, n) in quote_marks(s) {
        out.push_str(&s[at..i]);
        out.push_str(quotes.get(n).map(String::as_str).unwrap_or(""));
        at = j;
    }
    out.push_str(&s[at..]);
    out
}

/// Split a message into clauses: at , ; and sentence ends (in both
/// languages), a full stop followed by a space, new lines, "then" and 然后.
/// One clause usually holds one wish; numbers belong to their clause.
pub fn clauses(text: &str) -> Vec<&str> {
    let mut cuts = vec![0];
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let cut = match c {
            ',' | ';' | '，' | '；' | '。' | '\n' | '…' | '—' => true,
            // "title: Wow!": the mark stays with its clause.
            '!' | '?' | '！' | '？' => {
                cuts.push(i + c.len_utf8());
                cuts.push(i + c.len_utf8());
                continue;
            }
            '.' => bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()),
            _ => false,
        };
        if cut {
            cuts.push(i);
            cuts.push(i + c.len_utf8());
        }
    }
    let lower = text.to_ascii_lowercase();
    // A reason starts a clause of its own and keeps its word, so the reader
    // can set it aside ("720p so it uploads faster" is no wish for speed).
    for w in [
        " because ",
        " so that ",
        " so it ",
        " so they ",
        " so people ",
        " since ",
        "因为",
        "为了",
    ] {
        for (i, _) in lower.match_indices(w) {
            // "so that it is second": where, not why.
            let next = &lower[i + w.len()..];
            if ["it is", "it's", "is ", "it becomes", "they are"]
                .iter()
                .any(|n| next.starts_with(n))
            {
                continue;
            }
            cuts.push(i);
            cuts.push(i);
        }
    }
    // A correction starts a clause of its own, keeping its word ("remove
    // the third picture no wait the fourth one", 每张2秒不对是3秒).
    for w in [
        " no wait",
        " no actually",
        " hmm actually",
        " actually",
        " i mean",
        " i meant",
        "不对",
        "我是说",
    ] {
        for (i, _) in lower.match_indices(w) {
            // A whole word: "no wait," and "no wait " but not "actually's".
            let next = lower[i + w.len()..].chars().next();
            if next.is_some_and(|c| c.is_alphanumeric()) && w.is_ascii() {
                continue;
            }
            cuts.push(i);
            cuts.push(i);
        }
    }
    for w in [
        " then ", " also ", " but ", "然后", "并且", "同时", "另外", "还有",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(w).map(|i| i + from) {
            cuts.push(i);
            cuts.push(i + w.len());
            from = i + w.len();
        }
    }
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.chunks(2)
        .map(|p| text[p[0]..p[1]].trim())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Common misspellings of the words the parser looks for, and the word
/// meant. Only words nobody means as typed, so a title is not "corrected".
const TYPOS: &[(&str, &str)] = &[
    ("transtions", "transitions"),
    ("transitons", "transitions"),
    ("trasitions", "transitions"),
    ("tranistions", "transitions"),
    ("transistions", "transitions"),
    ("transtion", "transition"),
    ("transiton", "transition"),
    ("muisc", "music"),
    ("msuic", "music"),
    ("musci", "music"),
    ("musik", "music"),
    ("secnds", "seconds"),
    ("secods", "seconds"),
    ("seonds", "seconds"),
    ("seconsd", "seconds"),
    ("secodns", "seconds"),
    ("titel", "title"),
    ("tittle", "title"),
    ("verticle", "vertical"),
    ("vertial", "vertical"),
    ("horizonal", "horizontal"),
    ("pitcure", "picture"),
    ("picutre", "picture"),
    ("vidoe", "video"),
    ("viedo", "video"),
    ("slideshwo", "slideshow"),
    ("quiter", "quieter"),
    ("volumn", "volume"),
    ("volum", "volume"),
    ("txt", "text"),
    ("vol", "volume"),
    ("revers", "reverse"),
];

/// The editing language's own words, for [`fix_typos`]: a word one slip of
/// the finger away from exactly one of these is read as it.
const VOCAB: &[&str] = &[
    "transition",
    "transitions",
    "crossfade",
    "crossfades",
    "dissolve",
    "music",
    "soundtrack",
    "background",
    "volume",
    "louder",
    "quieter",
    "softer",
    "seconds",
    "second",
    "minutes",
    "minute",
    "title",
    "heading",
    "closing",
    "ending",
    "caption",
    "vertical",
    "horizontal",
    "portrait",
    "landscape",
    "square",
    "widescreen",
    "picture",
    "pictures",
    "photo",
    "photos",
    "image",
    "images",
    "video",
    "slideshow",
    "slower",
    "faster",
    "shorter",
    "longer",
    "reverse",
    "remove",
    "delete",
    "upbeat",
    "relaxing",
    "calm",
    "zooming",
    "motion",
    "movement",
    "percent",
    "position",
    "swap",
    "switch",
    "between",
    "each",
    "whole",
    "total",
    "every",
];
/// Whether a word is one of the editing language's own.
pub fn is_vocab(w: &str) -> bool {
    VOCAB.contains(&w)
}

/// Real words one slip away from a [`VOCAB`] word: never "corrected".
const KNOWN: &[&str] = &[
    "reading", "leading", "reader", "loader", "faces", "master", "closer", "lover", "mover",
    "movie", "movies", "tracks", "still", "tiles", "lower", "upper", "there", "three", "where",
    "little", "titled", "titles", "settle", "subtle", "longest", "fastest", "slowest", "squared",
    "photon", "images", "imaged", "remote", "reserve", "revere", "endings", "secondly", "motions",
    "calmer", "whale", "whole", "totals", "evenly", "every", "musical", "musics", "videos",
];

/// Whether `a` is one edit from `b`: a letter added, dropped, changed, or
/// two neighbours swapped ("potrait", "musci", "volune").
fn one_slip(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 || a == b {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (x, y) = (&a[p..], &b[p..]);
    match x.len().cmp(&y.len()) {
        std::cmp::Ordering::Equal => {
            x[1..] == y[1..] || (x.len() >= 2 && x[0] == y[1] && x[1] == y[0] && x[2..] == y[2..])
        }
        std::cmp::Ordering::Less => x == &y[1..],
        std::cmp::Ordering::Greater => &x[1..] == y,
    }
}

/// The keyword a misspelt word stands for: from [`TYPOS`], or the one
/// [`VOCAB`] word it is a slip away from (words of six letters or more; of
/// five, only swapped neighbours, so "lower" is never "slower").
fn corrected(low: &str) -> Option<&'static str> {
    if let Some((_, fix)) = TYPOS.iter().find(|(t, _)| *t == low) {
        return Some(fix);
    }
    if low.len() < 5 || low.len() > 20 || VOCAB.contains(&low) || KNOWN.contains(&low) {
        return None;
    }
    let w = low.as_bytes();
    let mut found = VOCAB.iter().filter(|v| {
        let v = v.as_bytes();
        // Five letters: swapped neighbours ("musci") or one dropped from a
        // longer word ("delte", "swich", "squar").
        let swapped = w.len() == v.len() && w != v && {
            let d: Vec<usize> = (0..w.len()).filter(|&i| w[i] != v[i]).collect();
            d.len() == 2 && d[1] == d[0] + 1
        };
        one_slip(w, v) && (w.len() >= 6 || swapped || v.len() == w.len() + 1)
    });
    let first = found.next()?;
    found.next().is_none().then_some(*first)
}

/// `text` in the forms the grammar reads: full-width digits and letters as
/// ASCII (２秒, ＭＵＳＩＣ), and a hyphen inside a word pair as a space
/// ("second-to-last", "one-second", "zoom-in"), but not in a file name
/// ("my-trip.jpg").
pub fn normalise(text: &str) -> String {
    let wide: String = text
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '％' => '%',
            c => c,
        })
        .collect();
    // "2,5 seconds": a decimal comma, when a unit follows (not "photos
    // 2,3 and 4").
    let b = wide.as_bytes();
    let mut dec = String::with_capacity(wide.len());
    for (i, c) in wide.char_indices() {
        let comma = c == ','
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && {
                let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                let rest = wide[i + 1 + digits..].trim_start().to_ascii_lowercase();
                let bare_s = rest.starts_with('s')
                    && !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic());
                bare_s
                    || ["sec", "秒", "min", "分钟"]
                        .iter()
                        .any(|u| rest.starts_with(u))
            };
        dec.push(if comma { '.' } else { c });
    }
    let wide = dec;
    let mut out = String::with_capacity(wide.len());
    for (i, token) in wide.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if token.contains('.') || !token.contains('-') {
            out.push_str(token);
            continue;
        }
        let b = token.as_bytes();
        for (j, c) in token.char_indices() {
            let joins = c == '-'
                && j > 0
                && b[j - 1].is_ascii_alphanumeric()
                && b.get(j + 1).is_some_and(u8::is_ascii_alphabetic);
            out.push(if joins { ' ' } else { c });
        }
    }
    out
}

/// `text` with misspelt keywords (ASCII words, any case) replaced by the
/// word meant; one pass.
pub fn fix_typos(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let low = word.to_ascii_lowercase();
        match corrected(&low) {
            Some(fix) => out.push_str(fix),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Where `kw` occurs in `low` as a whole word: an ASCII end of the keyword
/// must not touch another ASCII letter or digit (so "soft" is not found in
/// "softer"); Chinese keywords match anywhere.
pub fn find_all(low: &str, kw: &str) -> Vec<(usize, usize)> {
    whole_words(low, kw).collect()
}

/// [`find_all`] as it goes, so a yes/no question stops at the first.
fn whole_words<'a>(low: &'a str, kw: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let b = low.as_bytes();
    let alnum = move |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let first = kw.as_bytes()[0].is_ascii_alphanumeric();
    let last = kw.as_bytes()[kw.len() - 1].is_ascii_alphanumeric();
    low.match_indices(kw)
        .map(|(i, _)| (i, i + kw.len()))
        .filter(move |&(i, j)| {
            let left_ok = !first || i == 0 || !alnum(i - 1);
            let right_ok = !last || !alnum(j);
            left_ok && right_ok
        })
}

/// Every place any of `kws` occurs, in order.
pub fn find_any(low: &str, kws: &[&str]) -> Vec<(usize, usize)> {
    let mut out: Vec<_> = kws.iter().flat_map(|k| find_all(low, k)).collect();
    out.sort_unstable();
    out
}

/// Whether any of `kws` occurs.
pub fn has(low: &str, kws: &[&str]) -> bool {
    kws.iter().any(|k| whole_words(low, k).next().is_some())
}

/// Bytes between two spans (0 when they overlap).
pub fn gap(a: (usize, usize), b: (usize, usize)) -> usize {
    if a.1 <= b.0 {
        b.0 - a.1
    } else {
        a.0.saturating_sub(b.1)
    }
}

/// A number found in text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    pub start: usize,
    pub end: usize,
    pub value: f64,
}

const EN_NUMBERS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("half a", 0.5),
    ("half", 0.5),
    ("a quarter of a", 0.25),
    ("a quarter", 0.25),
    ("quarter of a", 0.25),
    ("a couple of", 2.0),
    ("a couple", 2.0),
    ("a few", 3.0),
];

fn zh_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A run of Chinese numerals (一 … 九十九, 一百) as a value.
fn zh_value(run: &str) -> Option<f64> {
    let mut total = 0u32;
    let mut cur = 0u32;
    for c in run.chars() {
        match c {
            '十' => {
                total += cur.max(1) * 10;
                cur = 0;
            }
            '百' => {
                total += cur.max(1) * 100;
                cur = 0;
            }
            c => cur = zh_digit(c)?,
        }
    }
    Some(f64::from(total + cur))
}

/// Every number in `low`: digits ("2", "1.5"), English words ("two",
/// "twenty five", "one and a half", "half a") and Chinese numerals ("两",
/// "十五", "一点五").
pub fn numbers(low: &str) -> Vec<Num> {
    let b = low.as_bytes();
    let mut out: Vec<Num> = Vec::new();
    let mut i = 0;
    while i < low.len() {
        if !low.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &low[i..];
        let c = rest.chars().next().expect("in bounds");
        if c.is_ascii_digit() && !low[..i].ends_with(QUOTE_OPEN) {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
                j += 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
            }
            let value = low[i..j].parse().unwrap_or(0.0);
            out.push(Num {
                start: i,
                end: j,
                value,
            });
            i = j;
            continue;
        }
        if c == '十' || c == '百' || zh_digit(c).is_some() {
            let run_end = rest
                .char_indices()
                .find(|(_, c)| !(zh_digit(*c).is_some() || *c == '十' || *c == '百'))
                .map(|(k, _)| i + k)
                .unwrap_or(low.len());
            // 一下, 一些, 一直, 一起: "a little", "always", "together", not 1.
            let idiom = low[i..run_end] == *"一"
                && [
                    "下", "些", "直", "起", "样", "般", "定", "会", "切", "共", "律", "口气",
                ]
                .iter()
                .any(|w| low[run_end..].starts_with(w));
            // 一半: a half ("音量调到一半").
            if low[i..run_end] == *"一" && low[run_end..].starts_with('半') {
                let end = run_end + '半'.len_utf8();
                out.push(Num {
                    start: i,
                    end,
                    value: 0.5,
                });
                i = end;
                continue;
            }
            if let Some(mut value) = zh_value(&low[i..run_end]).filter(|_| !idiom) {
                let mut end = run_end;
                // 一点五 = 1.5 (but 慢一点 is "a bit slower": no digit after 点).
                if let Some(after) = low[run_end..].strip_prefix('点') {
                    if let Some(d) = after.chars().next().and_then(zh_digit) {
                        value += f64::from(d) / 10.0;
                        // Every Chinese numeral is three bytes in UTF-8.
                        end = run_end + '点'.len_utf8() + 3;
                    }
                }
                out.push(Num {
                    start: i,
                    end,
                    value,
                });
                i = end;
                continue;
            }
            i = run_end;
            continue;
        }
        let word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if word_start && c.is_ascii_alphabetic() {
            if let Some((w, v)) = EN_NUMBERS.iter().find(|(w, _)| {
                rest.starts_with(w) && !b.get(i + w.len()).is_some_and(u8::is_ascii_alphanumeric)
            }) {
                let mut value = *v;
                let mut end = i + w.len();
                // "twenty five", "twenty-five"
                if (20.0..100.0).contains(&value) {
                    for sep in [" ", "-"] {
                        let tail = &low[end..];
                        if let Some(t) = tail.strip_prefix(sep) {
                            if let Some((w2, v2)) = EN_NUMBERS[1..10].iter().find(|(w2, _)| {
                                t.starts_with(w2)
                                    && !t[w2.len()..]
                                        .bytes()
                                        .next()
                                        .is_some_and(|c| c.is_ascii_alphanumeric())
                            }) {
                                value += v2;
                                end += sep.len() + w2.len();
                                break;
                            }
                        }
                    }
                }
                out.push(Num {
                    start: i,
                    end,
                    value,
                });
                i = end;
                continue;
            }
        }
        i += c.len_utf8();
    }
    // "one and a half", "2 and a half"
    for n in out.iter_mut() {
        if low[n.end..].starts_with(" and a half") {
            n.value += 0.5;
            n.end += " and a half".len();
        }
    }
    out.retain(|n| !(n.value == 0.5 && out_has_half_tail(low, n)));
    out
}

/// "half" right after "and a" was folded into the number before it.
fn out_has_half_tail(low: &str, n: &Num) -> bool {
    low[..n.start].ends_with("and a ")
}

/// A length of time found in text: a number and a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dur {
    pub start: usize,
    pub end: usize,
    pub secs: f64,
}

/// Every duration in `low`: "2 seconds", "1.5s", "half a second", "500 ms",
/// "2秒", "两秒", "一秒半", "半秒".
pub fn durations(low: &str) -> Vec<Dur> {
    let mut out = Vec::new();
    for n in numbers(low) {
        let rest = &low[n.end..];
        // "2-second transitions", "one-second wipes"
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let trimmed = rest.trim_start();
        let skip = low.len() - n.end - trimmed.len();
        let unit = [
            ("minutes", 60.0),
            ("minute", 60.0),
            ("mins", 60.0),
            ("min", 60.0),
            ("分钟", 60.0),
            ("milliseconds", 0.001),
            ("millisecond", 0.001),
            ("ms", 0.001),
            ("seconds", 1.0),
            ("second", 1.0),
            ("secs", 1.0),
            ("sec", 1.0),
            ("s", 1.0),
            ("秒钟", 1.0),
            ("秒", 1.0),
        ]
        .into_iter()
        .find(|(u, _)| {
            trimmed.starts_with(u)
                && !trimmed[u.len()..]
                    .bytes()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
        });
        if let Some((u, f)) = unit {
            let mut end = n.end + skip + u.len();
            let mut secs = n.value * f;
            if low[end..].starts_with('半') {
                secs += 0.5;
                end += '半'.len_utf8();
            }
            out.push(Dur {
                start: n.start,
                end,
                secs,
            });
        }
    }
    // Spans without a number before them ("half a minute", "a minute",
    // 半秒); the longest phrase first, so "half a minute" is not also "a
    // minute". Kept sorted, so the overlap check is a binary search.
    out.sort_by_key(|d| d.start);
    for (phrase, secs) in [
        ("half a minute", 30.0),
        ("a minute and a half", 90.0),
        ("a second and a half", 1.5),
        ("one second and a half", 1.5),
        ("a minute", 60.0),
        ("a second", 1.0),
        ("一分半钟", 90.0),
        ("一分半", 90.0),
        ("半分钟", 30.0),
        ("半秒", 0.5),
    ] {
        for (i, j) in find_all(low, phrase) {
            let k = out.partition_point(|d| d.start <= i);
            let inside = k > 0 && i < out[k - 1].end || out.get(k).is_some_and(|d| d.start < j);
            if !inside {
                out.insert(
                    k,
                    Dur {
                        start: i,
                        end: j,
                        secs,
                    },
                );
            }
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// Every percentage: "50%", "50 %", "50 percent", "百分之五十".
pub fn percents(low: &str) -> Vec<Num> {
    let mut out: Vec<Num> = numbers(low)
        .into_iter()
        .filter_map(|n| {
            let rest = low[n.end..].trim_start();
            let skip = low.len() - n.end - rest.len();
            ["%", "％", "percent", "per cent"]
                .iter()
                .find(|u| rest.starts_with(*u))
                .map(|u| Num {
                    end: n.end + skip + u.len(),
                    ..n
                })
        })
        .collect();
    for (i, j) in find_all(low, "百分之") {
        if let Some(n) = numbers(&low[j..]).first().filter(|n| n.start == 0) {
            out.push(Num {
                start: i,
                end: j + n.end,
                value: n.value,
            });
        }
    }
    out
}

/// A length in seconds for people: "2", "1.5", "0.75".
pub fn secs(ms: u64) -> String {
    let s = format!("{:.2}", ms as f64 / 1000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "1 second", "2 seconds", "1.5 seconds"; "2秒" in Chinese.
pub fn seconds(lang: Lang, ms: u64) -> String {
    let n = secs(ms);
    match lang {
        Lang::En if ms == 1000 => "1 second".into(),
        Lang::En => format!("{n} seconds"),
        Lang::Zh => format!("{n}秒"),
    }
}

/// Whether `s` looks like the name of a file img2yt uploads ("beach.jpg").
pub fn is_file_name(s: &str) -> bool {
    !s.contains(char::is_whitespace) && crate::wire::media_kind_of(s).is_some()
}

/// Whether `s` names an audio file ("song.mp3", "my song.m4a").
pub fn is_audio_name(s: &str) -> bool {
    crate::wire::media_kind_of(s.trim()) == Some("audio")
}
