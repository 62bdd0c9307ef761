//! Reading the words of a line the way a shell and a terminal's drag and
//! drop write them: quoted and escaped words, `file://` URIs with percent
//! escapes, `~`, punctuation stuck to a path, web links.

use std::path::{Component, Path, PathBuf};

use super::*;

/// A token read the way a POSIX shell reads a word.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ShellToken {
    /// Byte offset just past the token.
    pub(super) end: usize,
    pub(super) value: String,
    /// Quotes or backslash escapes were involved.
    pub(super) quoted: bool,
}

/// Read one shell word starting at byte `start`: `'…'` is literal, `"…"`
/// honours `\` only before `$ \` " \` and newline (so `"C:\Users\a"` keeps
/// its backslashes), and an unquoted `\` makes the next character literal
/// (`Trip\ \(1\)`). `None` when a quote is never closed — that is prose with
/// an apostrophe, not a dropped path.
pub(super) fn shell_token(line: &str, start: usize) -> Option<ShellToken> {
    #[derive(PartialEq)]
    enum State {
        Plain,
        Single,
        Double,
    }
    let mut state = State::Plain;
    let mut value = String::new();
    let mut quoted = false;
    let mut chars = line[start..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match state {
            State::Plain => match c {
                c if c.is_whitespace() => {
                    return Some(ShellToken {
                        end: start + i,
                        value,
                        quoted,
                    })
                }
                '\\' => {
                    quoted = true;
                    match chars.next() {
                        Some((_, '\n')) => {}
                        Some((_, next)) => value.push(next),
                        None => value.push('\\'),
                    }
                }
                '\'' => {
                    quoted = true;
                    state = State::Single;
                }
                '"' => {
                    quoted = true;
                    state = State::Double;
                }
                c => value.push(c),
            },
            State::Single => match c {
                '\'' => state = State::Plain,
                c => value.push(c),
            },
            State::Double => match c {
                '"' => state = State::Plain,
                '\\' => match chars.peek() {
                    Some(&(_, '\n')) => {
                        chars.next();
                    }
                    Some(&(_, next @ ('$' | '`' | '"' | '\\'))) => {
                        value.push(next);
                        chars.next();
                    }
                    _ => value.push('\\'),
                },
                c => value.push(c),
            },
        }
    }
    (state == State::Plain).then_some(ShellToken {
        end: line.len(),
        value,
        quoted,
    })
}

/// Byte spans of the whitespace-separated words of `line`.
pub(super) fn split_words(line: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, line.len()));
    }
    words
}

/// `"…"` / `'…'` around a whole word, removed; the flag says whether there
/// were any.
pub(super) fn strip_matching_quotes(word: &str) -> (&str, bool) {
    for q in ['"', '\''] {
        if word.len() >= 2 && word.starts_with(q) && word.ends_with(q) {
            return (&word[1..word.len() - 1], true);
        }
    }
    (word, false)
}

/// Words worth joining with the next ones when they do not exist alone.
pub(super) fn looks_like_path_start(word: &str) -> bool {
    let b = word.as_bytes();
    word.starts_with('/')
        || word.starts_with("~/")
        || word.starts_with("./")
        || word.starts_with("../")
        || word.starts_with("\\\\")
        || is_file_uri(word)
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'\\' | b'/'))
}

pub(super) fn is_separator(c: char) -> bool {
    c == '/' || (cfg!(windows) && c == '\\')
}

pub(super) fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

pub(super) fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

pub(super) fn is_web_url(s: &str) -> bool {
    starts_with_ignore_case(s, "http://") || starts_with_ignore_case(s, "https://")
}

pub(super) fn is_file_uri(s: &str) -> bool {
    starts_with_ignore_case(s, "file:/")
}

/// `~` or `~/…` → the part after the tilde (relative to home). `~user` is
/// not supported: it is rare in drops and common in prose ("~10 photos").
pub(super) fn strip_tilde(value: &str) -> Option<&str> {
    if value == "~" {
        return Some("");
    }
    let rest = value.strip_prefix('~')?;
    let after = rest.strip_prefix(is_separator)?;
    Some(after)
}

/// Drop `.` components (`/cwd/./x.jpg` → `/cwd/x.jpg`). `..` is kept: with
/// symlinks, removing it lexically could point somewhere else.
pub(super) fn clean_path(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// `file:///home/a/My%20Photos/x.jpg`, `file://localhost/…`, `file:/…` and
/// `file:///C:/…` to a path. The host part is ignored: a path from another
/// machine will simply not exist here.
pub(super) fn file_uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = &uri["file:".len()..];
    let path = match rest.strip_prefix("//") {
        Some(authority_and_path) => &authority_and_path[authority_and_path.find('/')?..],
        None => rest,
    };
    let mut bytes = percent_decode(path);
    // file:///C:/Users → C:/Users
    if bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':' {
        bytes.remove(0);
    }
    if bytes.is_empty() {
        return None;
    }
    Some(bytes_to_path(bytes))
}

/// `%XX` sequences decoded; malformed ones are kept as they are.
pub(super) fn percent_decode(s: &str) -> Vec<u8> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(unix)]
pub(super) fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
pub(super) fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// The value as typed, then with up to [`MAX_PUNCT_STRIP`] characters of
/// punctuation peeled off the end and/or an opening bracket or quote off the
/// start, one at a time, so `/tmp/Trip (1),` finds `/tmp/Trip (1)` before
/// over-stripping to `/tmp/Trip (1`.
pub(super) fn punctuation_variants(value: &str) -> Vec<&str> {
    const TRAILING: &[char] = &[
        ',', '.', ';', ':', '!', '?', ')', ']', '}', '>', '"', '\'', '…',
    ];
    const LEADING: &[char] = &['(', '[', '{', '<', '"', '\''];
    let mut starts = vec![value];
    let mut s = value;
    for _ in 0..MAX_PUNCT_STRIP {
        match s.strip_prefix(LEADING) {
            Some(t) if !t.is_empty() => {
                starts.push(t);
                s = t;
            }
            _ => break,
        }
    }
    let mut out: Vec<&str> = Vec::new();
    for start in starts {
        let mut s = start;
        out.push(s);
        for _ in 0..MAX_PUNCT_STRIP {
            match s.strip_suffix(TRAILING) {
                Some(t) if !t.is_empty() => {
                    out.push(t);
                    s = t;
                }
                _ => break,
            }
        }
    }
    let mut seen = HashSet::new();
    out.retain(|v| seen.insert(*v));
    out
}

/// A URL as found in prose: trailing quotes, brackets and sentence
/// punctuation removed; a closing bracket the URL itself opened
/// (`…/Foo_(bar)`) is kept. Spaces (only possible in a quoted URL) are
/// encoded as `%20`, since a quoted `'https://…/my photo.jpg'` clearly
/// means that file. `None` if there is no host or there are line breaks.
pub(super) fn clean_url(value: &str) -> Option<String> {
    if value.contains(|c: char| c.is_whitespace() && c != ' ') {
        return None;
    }
    let mut url = value;
    loop {
        let before = url;
        url = url.trim_end_matches([',', '.', ';', ':', '!', '?', '"', '\'', '>']);
        for (open, close) in [('(', ')'), ('[', ']')] {
            if url.ends_with(close) && url.matches(close).count() > url.matches(open).count() {
                url = &url[..url.len() - 1];
            }
        }
        if url == before {
            break;
        }
    }
    let after_scheme = &url[url.find("://")? + 3..];
    let host = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty() && !host.contains(' ')).then(|| url.replace(' ', "%20"))
}
