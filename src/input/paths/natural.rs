//! Natural order of file names ("img2" before "img10"), the order a folder
//! or a glob's photos go into the video.

use std::cmp::Ordering;

/// Natural-order comparison of file names ("img2" < "img10"),
/// case-insensitive.
///
/// Runs of ASCII digits compare by value, whatever their length (no
/// overflow on 30-digit camera serials); everything else compares by
/// lower-cased character. Names that differ only in case or leading zeros
/// are ordered by those afterwards, so only identical strings are `Equal`
/// and sorting is deterministic.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut x = NatTokens::new(a);
    let mut y = NatTokens::new(b);
    let mut zeros_tiebreak = Ordering::Equal;
    loop {
        match (x.next(), y.next()) {
            (None, None) => break,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(NatTok::Num(p, pz)), Some(NatTok::Num(q, qz))) => {
                let ord = p.len().cmp(&q.len()).then_with(|| p.cmp(q));
                if ord != Ordering::Equal {
                    return ord;
                }
                if zeros_tiebreak == Ordering::Equal {
                    zeros_tiebreak = pz.cmp(&qz);
                }
            }
            (Some(s), Some(t)) => {
                let ord = s.as_char().cmp(&t.as_char());
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
    zeros_tiebreak.then_with(|| a.cmp(b))
}

/// One unit of [`natural_cmp`]: a digit run (without its leading zeros, and
/// how many there were) or one lower-cased character.
#[derive(Debug, Clone, Copy)]
enum NatTok<'a> {
    Num(&'a str, usize),
    Ch(char),
}

impl NatTok<'_> {
    /// A digit run sorts like a digit among other characters. Every
    /// non-digit is either below `'0'` or above `'9'`, so using `'0'` keeps
    /// the order consistent (and transitive).
    fn as_char(self) -> char {
        match self {
            NatTok::Num(..) => '0',
            NatTok::Ch(c) => c,
        }
    }
}

struct NatTokens<'a> {
    rest: &'a str,
    lower: std::char::ToLowercase,
}

impl<'a> NatTokens<'a> {
    fn new(s: &'a str) -> Self {
        // An already exhausted iterator to start with.
        let mut lower = 'a'.to_lowercase();
        lower.next();
        NatTokens { rest: s, lower }
    }
}

impl<'a> Iterator for NatTokens<'a> {
    type Item = NatTok<'a>;

    fn next(&mut self) -> Option<NatTok<'a>> {
        if let Some(c) = self.lower.next() {
            return Some(NatTok::Ch(c));
        }
        let c = self.rest.chars().next()?;
        if c.is_ascii_digit() {
            let len = self
                .rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(self.rest.len());
            let digits = &self.rest[..len];
            self.rest = &self.rest[len..];
            let value = digits.trim_start_matches('0');
            return Some(NatTok::Num(value, digits.len() - value.len()));
        }
        self.rest = &self.rest[c.len_utf8()..];
        self.lower = c.to_lowercase();
        self.lower.next().map(NatTok::Ch)
    }
}
