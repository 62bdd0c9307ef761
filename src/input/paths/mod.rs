//! Finding dropped files, folders, globs and URLs in a line of text.
//!
//! Dragging photos from a file manager into a terminal "types" their paths,
//! and every terminal types them differently:
//!
//! | terminal                    | what arrives                                   |
//! |-----------------------------|------------------------------------------------|
//! | GNOME Terminal (VTE)        | `'/home/a/My Photos/x.jpg' ` (always quoted)    |
//! | Konsole                     | `'/home/a/My Photos/x.jpg'`, or `file://` URIs |
//! | macOS Terminal, iTerm2      | `/Users/a/Trip\ \(1\)/IMG_0001.JPG `           |
//! | Windows Terminal            | `"C:\Users\a\My Pictures\x.jpg"`               |
//! | VS Code                     | `'/home/a/My Photos/x.jpg'` or `"…"`           |
//!
//! and the user usually types an instruction around them ("make these into a
//! video"). [`extract`] takes such a line apart: paths and URLs go to
//! [`Extracted::files`] / [`Extracted::urls`], the words go to
//! [`Extracted::rest`]. [`expand_args`] does the same for command-line
//! arguments, where every argument is meant as a path.
//!
//! The guiding rule is that *the disk decides*: text is only taken as a path
//! when the path exists (or, for a glob, matches). Quotes and backslashes
//! are read the way a POSIX shell reads them, but when that reading gives no
//! existing path the original words are kept verbatim, so prose such as
//! "don't use the 2nd photo" is never mangled.
//!
//! Left to others: whether a file may be uploaded (size, type, content —
//! see `input::validate`; this module only uses its extension list to pick
//! files out of folders and globs), fetching URLs, and telling the user about
//! [`Extracted::empty`] folders or the errors from [`expand_args`]. Nothing
//! here prints, and nothing reads file contents.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::validate::is_supported;

/// What [`extract`] / [`expand_args`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Local files found, in the user's order; folders expanded to their
    /// supported files in natural order (img2 before img10); globs expanded
    /// (sorted naturally). A file named twice is kept once, at its first
    /// place. Files named explicitly are kept whatever their extension, so
    /// that validation can tell the user why a `.txt` is refused.
    pub files: Vec<PathBuf>,
    /// http(s) URLs found (to be uploaded by URL), in order, without repeats.
    pub urls: Vec<String>,
    /// Folders or globs that matched but gave nothing to upload, as the user
    /// wrote them (unquoted), each with why in a short lower-case phrase
    /// ("is a folder with no photos or videos in it"), so the caller can say
    /// so.
    pub empty: Vec<(String, String)>,
    /// The rest of the text with the paths/URLs removed, whitespace-trimmed
    /// and single-spaced (the instruction that came with them: "make these
    /// into a video").
    pub rest: String,
}

/// Where relative paths and `~` point. Passed in rather than read from the
/// process so that callers (and tests) control it.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub cwd: &'a Path,
    /// `None` disables `~` expansion.
    pub home: Option<&'a Path>,
}

/// Most words a path with unescaped spaces may span
/// (`/home/a/My Holiday Photos 2024/x.jpg` pasted raw is 4 words).
const MAX_UNQUOTED_WORDS: usize = 8;
/// Most trailing (or leading) punctuation characters peeled off a token.
const MAX_PUNCT_STRIP: usize = 4;
/// Most alternatives one `{a,b,…}` pattern may expand to.
const MAX_BRACE_ALTERNATIVES: usize = 64;
/// Why a folder gave nothing to upload.
const EMPTY_FOLDER: &str = "is a folder with no photos or videos in it";
/// Why a glob that matched something gave nothing to upload.
const EMPTY_GLOB: &str = "matched no photos or videos";
/// Most paths one glob may produce, so that `/**/*.jpg` cannot hang the
/// prompt by walking the whole disk.
const MAX_GLOB_MATCHES: usize = 10_000;

/// Extract from free text: a token counts as a path only if it exists on disk
/// (after unquoting/unescaping/URI-decoding/~ expansion/relative-to-cwd) or
/// is a glob that matches something; words that merely look like paths but
/// do not exist stay text. URLs (http:// https://) always count.
///
/// One more guard keeps ordinary words ordinary: a *bare* word — no `/`, no
/// quotes or backslashes, not a `file://` URI — only counts when it names
/// supported files (`IMG_1.jpg`, `*.jpg`). So "make a video from my photos"
/// stays text even if the current folder happens to contain `photos/`; write
/// `photos/` or `'photos'` to mean the folder. Lone `.`, `..` and `~` are
/// bare too.
///
/// Trailing punctuation (`/tmp/a.jpg,` or `…/c.png.`) is dropped along with
/// the path. A path pasted with raw, unescaped spaces is still found when
/// the words joined back together exist.
pub fn extract(line: &str, env: &Env) -> Extracted {
    let ctx = Ctx {
        env,
        explicit: false,
    };
    let (mut extracted, kept) = ctx.scan(line);
    extracted.rest = kept.join(" ");
    extracted
}

/// For the argument of `/upload`, where every word is meant as a path,
/// URL, glob or folder: the whole line when it names one thing or only
/// pasted paths (as [`expand_args`] reads one argument), otherwise word by
/// word, so a folder or a pipe among photos is named with its own reason
/// and a word that names nothing is reported, never dropped. Returns what
/// was found and (word, reason) for each word that gave nothing.
pub fn expand_line(line: &str, env: &Env) -> (Extracted, Vec<(String, String)>) {
    let line = line.trim();
    let (whole, errors) = expand_args(&[line.to_string()], env);
    if errors.is_empty() {
        return (whole, errors);
    }
    let ctx = Ctx {
        env,
        explicit: true,
    };
    let (found, kept) = ctx.scan(line);
    let errors = kept
        .into_iter()
        .map(|w| (w.to_string(), ctx.why_not(strip_matching_quotes(w).0)))
        .collect();
    (found, errors)
}

/// For explicit arguments (`img2yt upload ARGS…`): every argument is meant as
/// a path/URL/glob/folder; returns files/urls plus a list of (arg, reason)
/// for the ones that do not exist / matched nothing.
///
/// Unlike [`extract`], bare names count (`photos`, `.`), and the shell has
/// already removed one level of quoting. An argument that still carries
/// quotes or escapes, or several pasted paths (`img2yt upload "$(pbpaste)"`),
/// is read like a dropped line as a fallback, as long as nothing but paths
/// is in it. [`Extracted::rest`] is always empty. Reasons are short
/// lower-case phrases for "ARG: reason" messages.
pub fn expand_args(args: &[String], env: &Env) -> (Extracted, Vec<(String, String)>) {
    let ctx = Ctx {
        env,
        explicit: true,
    };
    let mut out = Collector::default();
    let mut errors = Vec::new();
    for arg in args {
        let value = arg.trim();
        if value.is_empty() {
            errors.push((arg.clone(), "empty argument".to_string()));
            continue;
        }
        match ctx.resolve(value, true) {
            Some(Found::Unreadable { reason, .. }) => errors.push((arg.clone(), reason)),
            Some(found) => out.add(found),
            None => {
                let pasted = extract(value, env);
                let found_any =
                    !(pasted.files.is_empty() && pasted.urls.is_empty() && pasted.empty.is_empty());
                if found_any && pasted.rest.is_empty() {
                    out.add(Found::Files(pasted.files));
                    out.urls_extend(pasted.urls);
                    out.empty.extend(pasted.empty);
                } else {
                    errors.push((arg.clone(), ctx.why_not(value)));
                }
            }
        }
    }
    (out.finish(), errors)
}

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

/// One resolved token.
#[derive(Debug)]
enum Found {
    Url(String),
    /// A file, or a folder's / glob's supported files (never empty).
    Files(Vec<PathBuf>),
    /// A folder or glob that yielded no supported file, and why.
    Empty {
        label: String,
        reason: String,
    },
    /// A folder that exists but cannot be listed.
    Unreadable {
        label: String,
        reason: String,
    },
}

/// Accumulates results in order, dropping repeats.
#[derive(Default)]
struct Collector {
    files: Vec<PathBuf>,
    seen_files: HashSet<PathBuf>,
    urls: Vec<String>,
    empty: Vec<(String, String)>,
}

impl Collector {
    fn add(&mut self, found: Found) {
        match found {
            Found::Url(u) => self.urls_extend([u]),
            Found::Files(files) => {
                for f in files {
                    if self.seen_files.insert(f.clone()) {
                        self.files.push(f);
                    }
                }
            }
            Found::Empty { label, reason } | Found::Unreadable { label, reason } => {
                if !self.empty.iter().any(|(l, _)| *l == label) {
                    self.empty.push((label, reason));
                }
            }
        }
    }

    fn urls_extend(&mut self, urls: impl IntoIterator<Item = String>) {
        for u in urls {
            if !self.urls.contains(&u) {
                self.urls.push(u);
            }
        }
    }

    fn finish(self) -> Extracted {
        Extracted {
            files: self.files,
            urls: self.urls,
            empty: self.empty,
            rest: String::new(),
        }
    }
}

struct Ctx<'e, 'a> {
    env: &'e Env<'a>,
    /// `expand_args`: bare names count, unreadable folders are errors.
    explicit: bool,
}

impl Ctx<'_, '_> {
    /// Every path and URL in `line`, and the words that are neither.
    fn scan<'l>(&self, line: &'l str) -> (Extracted, Vec<&'l str>) {
        let words = split_words(line);
        let mut out = Collector::default();
        let mut kept: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match self.match_at(line, &words, i) {
                Some((end, found)) => {
                    out.add(found);
                    while i < words.len() && words[i].0 < end {
                        i += 1;
                    }
                }
                None => {
                    kept.push(&line[words[i].0..words[i].1]);
                    i += 1;
                }
            }
        }
        (out.finish(), kept)
    }

    /// Try to read a path or URL starting at word `i`. Returns the byte
    /// offset where it ends (always the end of some word) and what it is.
    ///
    /// Three readings are tried, most faithful first:
    /// 1. shell-like (quotes, backslash escapes), which may span words;
    /// 2. the word verbatim — `/tmp/it's.jpg`, or `C:\x.jpg` on Windows,
    ///    which reading 1 would mangle;
    /// 3. the word joined with the following ones, for paths pasted with
    ///    raw spaces (`/home/a/My Photos/x.jpg`), shortest first.
    fn match_at(&self, line: &str, words: &[(usize, usize)], i: usize) -> Option<(usize, Found)> {
        let (start, end) = words[i];
        let shell = shell_token(line, start);
        if let Some(tok) = &shell {
            if let Some(found) = self.resolve(&tok.value, tok.quoted) {
                return Some((tok.end, found));
            }
        }

        let raw = &line[start..end];
        let (verbatim, quoted) = strip_matching_quotes(raw);
        let same_as_shell = shell
            .as_ref()
            .is_some_and(|t| t.end == end && t.value == verbatim);
        if !same_as_shell {
            if let Some(found) = self.resolve(verbatim, quoted) {
                return Some((end, found));
            }
        }

        if looks_like_path_start(raw) && !raw.contains(['\'', '"']) {
            for k in i + 1..words.len().min(i + MAX_UNQUOTED_WORDS) {
                if line[words[k - 1].1..words[k].0].contains(['\n', '\r']) {
                    break;
                }
                let joined = &line[start..words[k].1];
                if let Some(found) = self.resolve(joined, false) {
                    return Some((words[k].1, found));
                }
            }
        }
        None
    }

    /// Resolve one unquoted value to a URL, file, folder or glob.
    ///
    /// `quoted`: the user quoted or escaped it, which shows intent, so the
    /// bare-word guard of [`extract`] does not apply.
    fn resolve(&self, value: &str, quoted: bool) -> Option<Found> {
        if value.is_empty() {
            return None;
        }
        let unwrapped = value.trim_start_matches(['<', '(', '[', '"', '\'']);
        if is_web_url(unwrapped) {
            return clean_url(unwrapped).map(Found::Url);
        }
        let variants = punctuation_variants(value);
        for v in &variants {
            if let Some(found) = self.resolve_literal(v, quoted) {
                return Some(found);
            }
        }
        // Only once no variant exists literally: `photo[1].jpg` is a file.
        variants
            .iter()
            .filter(|v| has_glob_chars(v))
            .find_map(|v| self.resolve_glob(v, quoted))
    }

    fn is_bare(&self, value: &str, quoted: bool) -> bool {
        !self.explicit && !quoted && !is_file_uri(value) && !value.contains(is_separator)
    }

    fn resolve_literal(&self, value: &str, quoted: bool) -> Option<Found> {
        // A lone `/` in a sentence ("portrait / landscape") is not a request
        // to scan the root folder.
        if !self.explicit && value.chars().all(is_separator) {
            return None;
        }
        let (path, label) = self.to_path(value)?;
        let meta = fs::metadata(&path).ok()?;
        let bare = self.is_bare(value, quoted);
        if meta.is_dir() {
            if bare {
                return None;
            }
            return Some(match list_folder(&path) {
                Ok(files) if files.is_empty() => Found::Empty {
                    label,
                    reason: EMPTY_FOLDER.into(),
                },
                Ok(files) => Found::Files(files),
                Err(e) => Found::Unreadable {
                    label,
                    reason: format!("cannot open this folder ({})", describe_io(&e)),
                },
            });
        }
        if bare && !(meta.is_file() && is_supported(&path)) {
            return None;
        }
        Some(Found::Files(vec![path]))
    }

    fn resolve_glob(&self, value: &str, quoted: bool) -> Option<Found> {
        let bare = self.is_bare(value, quoted);
        // A `*` or `???` in a sentence is not a request to upload the whole
        // current folder.
        if bare && !value.chars().any(char::is_alphanumeric) {
            return None;
        }
        let (base, pattern) = self.glob_base(value)?;
        let options = glob::MatchOptions {
            // `*.jpg` should find the `IMG_0001.JPG` cameras write.
            case_sensitive: false,
            require_literal_separator: true,
            // Like a shell: `*` does not match hidden files.
            require_literal_leading_dot: true,
        };
        let mut matched_any = false;
        let mut files = Vec::new();
        let mut seen = HashSet::new();
        'patterns: for alternative in expand_braces(pattern) {
            let Ok(paths) = glob::glob_with(&format!("{base}{alternative}"), options) else {
                continue;
            };
            for path in paths.flatten().take(MAX_GLOB_MATCHES) {
                matched_any = true;
                if is_hidden(&path) || !is_supported(&path) || !path.is_file() {
                    continue;
                }
                let path = clean_path(&path);
                if seen.insert(path.clone()) {
                    files.push(path);
                    if files.len() >= MAX_GLOB_MATCHES {
                        break 'patterns;
                    }
                }
            }
        }
        if !matched_any || (bare && files.is_empty()) {
            return None;
        }
        if files.is_empty() {
            return Some(Found::Empty {
                label: value.to_string(),
                reason: EMPTY_GLOB.into(),
            });
        }
        files.sort_by(|a, b| natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
        Some(Found::Files(files))
    }

    /// The absolute path a value names, and the label to show for it.
    fn to_path(&self, value: &str) -> Option<(PathBuf, String)> {
        if is_file_uri(value) {
            let path = file_uri_to_path(value)?;
            let label = path.display().to_string();
            return Some((path, label));
        }
        let path = if let Some(rest) = strip_tilde(value) {
            self.env.home?.join(rest)
        } else {
            self.env.cwd.join(value)
        };
        Some((clean_path(&path), value.to_string()))
    }

    /// Split a glob into the (escaped) folder to put in front and the
    /// user's pattern. The glob crate resolves relative patterns against the
    /// process's folder, not [`Env::cwd`], and a folder such as
    /// `Photos [2024]` or `{old}` must not be read as a pattern itself.
    fn glob_base<'v>(&self, value: &'v str) -> Option<(String, &'v str)> {
        if is_file_uri(value) {
            return None;
        }
        let (base, rest) = match strip_tilde(value) {
            Some(rest) => (self.env.home?, rest),
            None if Path::new(value).is_absolute() => return Some((String::new(), value)),
            None => (self.env.cwd, value),
        };
        let mut prefix = glob::Pattern::escape(base.to_str()?);
        if !prefix.ends_with(is_separator) {
            prefix.push('/');
        }
        Some((prefix, rest))
    }

    /// Reason for an argument of [`expand_args`] that gave nothing.
    fn why_not(&self, value: &str) -> String {
        if is_web_url(value) {
            return "not a complete web address".into();
        }
        if has_glob_chars(value) {
            return "matched no files".into();
        }
        match self.to_path(value) {
            Some((path, _)) => match fs::metadata(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    format!("cannot be opened ({})", describe_io(&e))
                }
                _ => "no such file or folder".into(),
            },
            None if strip_tilde(value).is_some() => {
                "no such file or folder (your home folder is unknown)".into()
            }
            None => "no such file or folder".into(),
        }
    }
}

/// A token read the way a POSIX shell reads a word.
#[derive(Debug, PartialEq, Eq)]
struct ShellToken {
    /// Byte offset just past the token.
    end: usize,
    value: String,
    /// Quotes or backslash escapes were involved.
    quoted: bool,
}

/// Read one shell word starting at byte `start`: `'…'` is literal, `"…"`
/// honours `\` only before `$ \` " \` and newline (so `"C:\Users\a"` keeps
/// its backslashes), and an unquoted `\` makes the next character literal
/// (`Trip\ \(1\)`). `None` when a quote is never closed — that is prose with
/// an apostrophe, not a dropped path.
fn shell_token(line: &str, start: usize) -> Option<ShellToken> {
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
fn split_words(line: &str) -> Vec<(usize, usize)> {
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
fn strip_matching_quotes(word: &str) -> (&str, bool) {
    for q in ['"', '\''] {
        if word.len() >= 2 && word.starts_with(q) && word.ends_with(q) {
            return (&word[1..word.len() - 1], true);
        }
    }
    (word, false)
}

/// Words worth joining with the next ones when they do not exist alone.
fn looks_like_path_start(word: &str) -> bool {
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

fn is_separator(c: char) -> bool {
    c == '/' || (cfg!(windows) && c == '\\')
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn is_web_url(s: &str) -> bool {
    starts_with_ignore_case(s, "http://") || starts_with_ignore_case(s, "https://")
}

fn is_file_uri(s: &str) -> bool {
    starts_with_ignore_case(s, "file:/")
}

/// `~` or `~/…` → the part after the tilde (relative to home). `~user` is
/// not supported: it is rare in drops and common in prose ("~10 photos").
fn strip_tilde(value: &str) -> Option<&str> {
    if value == "~" {
        return Some("");
    }
    let rest = value.strip_prefix('~')?;
    let after = rest.strip_prefix(is_separator)?;
    Some(after)
}

/// Drop `.` components (`/cwd/./x.jpg` → `/cwd/x.jpg`). `..` is kept: with
/// symlinks, removing it lexically could point somewhere else.
fn clean_path(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// `file:///home/a/My%20Photos/x.jpg`, `file://localhost/…`, `file:/…` and
/// `file:///C:/…` to a path. The host part is ignored: a path from another
/// machine will simply not exist here.
fn file_uri_to_path(uri: &str) -> Option<PathBuf> {
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
fn percent_decode(s: &str) -> Vec<u8> {
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
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// The value as typed, then with up to [`MAX_PUNCT_STRIP`] characters of
/// punctuation peeled off the end and/or an opening bracket or quote off the
/// start, one at a time, so `/tmp/Trip (1),` finds `/tmp/Trip (1)` before
/// over-stripping to `/tmp/Trip (1`.
fn punctuation_variants(value: &str) -> Vec<&str> {
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
fn clean_url(value: &str) -> Option<String> {
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

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '[']) || (s.contains('{') && s.contains(',') && s.contains('}'))
}

/// Shell-style brace expansion (`*.{jpg,png}` → `*.jpg`, `*.png`), which
/// the glob crate lacks. Nested braces work; a brace group without a comma
/// stays literal. At most [`MAX_BRACE_ALTERNATIVES`] results.
fn expand_braces(pattern: &str) -> Vec<String> {
    let mut done = Vec::new();
    let mut todo = vec![(pattern.to_string(), 0usize)];
    while let Some((p, from)) = todo.pop() {
        if done.len() + todo.len() >= MAX_BRACE_ALTERNATIVES {
            done.push(p);
            continue;
        }
        match find_brace_group(&p, from) {
            None => done.push(p),
            Some((open, close, commas)) => {
                let mut cuts = vec![open];
                cuts.extend(commas);
                cuts.push(close);
                // Pushed in reverse so that alternatives come out in order.
                for w in cuts.windows(2).rev() {
                    let expanded =
                        format!("{}{}{}", &p[..open], &p[w[0] + 1..w[1]], &p[close + 1..]);
                    todo.push((expanded, open));
                }
            }
        }
    }
    done
}

/// First `{…}` at or after byte `from` that has a top-level comma: its
/// brace positions and comma positions.
fn find_brace_group(p: &str, from: usize) -> Option<(usize, usize, Vec<usize>)> {
    let bytes = p.as_bytes();
    let mut search = from;
    while let Some(rel) = p.get(search..)?.find('{') {
        let open = search + rel;
        let mut depth = 0;
        let mut commas = Vec::new();
        for (i, &b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        if !commas.is_empty() {
                            return Some((open, i, commas));
                        }
                        break;
                    }
                }
                b',' if depth == 1 => commas.push(i),
                _ => {}
            }
        }
        search = open + 1;
    }
    None
}

/// A folder's supported files (not recursive, hidden files skipped), in
/// natural order of their names. Symlinks to files count.
fn list_folder(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| !is_hidden(p) && is_supported(p) && p.is_file())
        .map(|p| clean_path(&p))
        .collect();
    files.sort_by(|a, b| {
        let name = |p: &Path| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        };
        natural_cmp(&name(a), &name(b))
    });
    Ok(files)
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

    /// A real folder tree in the temp dir, removed on drop.
    ///
    /// ```text
    /// {R}/My Photos/{x.jpg,y.png}      {R}/Trip (1)/IMG_000{1,2}.JPG
    /// {R}/a b.jpg  c.png  it's.jpg  weird & odd!.jpg  100% real.jpg
    /// {R}/café.jpg  notes.txt          {R}/video/v.mp4
    /// {R}/photos/{img1.jpg,img2.jpg,img10.jpg,Img3.png,clip.MOV,
    ///             .hidden.jpg,notes.txt,sub/deep.jpg}
    /// {R}/empty/readme.txt             {R}/Photos [2024]/z.jpg
    /// {R}/home/pic.jpg                 {R}/home/trip/{p1.jpg,p2.jpg,p10.jpg,P3.JPG,clip.mov}
    /// ```
    struct Fixture {
        root: PathBuf,
        home: PathBuf,
    }

    impl Fixture {
        fn new(name: &str) -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let root = std::env::temp_dir().join(format!(
                "img2yt-paths-{}-{}-{}",
                std::process::id(),
                name,
                N.fetch_add(1, AtomicOrdering::Relaxed)
            ));
            // The tables paste {R} unquoted and unescaped, like a terminal
            // would for a plain path.
            assert!(
                root.to_str().is_some_and(|r| r
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/_-.".contains(c))),
                "temp dir {} needs quoting; set TMPDIR to a plain path",
                root.display()
            );
            let _ = fs::remove_dir_all(&root);
            for f in [
                "My Photos/x.jpg",
                "My Photos/y.png",
                "Trip (1)/IMG_0001.JPG",
                "Trip (1)/IMG_0002.JPG",
                "a b.jpg",
                "c.png",
                "it's.jpg",
                "weird & odd!.jpg",
                "100% real.jpg",
                "café.jpg",
                "notes.txt",
                "video/v.mp4",
                "photos/img1.jpg",
                "photos/img2.jpg",
                "photos/img10.jpg",
                "photos/Img3.png",
                "photos/clip.MOV",
                "photos/.hidden.jpg",
                "photos/notes.txt",
                "photos/sub/deep.jpg",
                "empty/readme.txt",
                "Photos [2024]/z.jpg",
                "home/pic.jpg",
                "home/trip/p1.jpg",
                "home/trip/p2.jpg",
                "home/trip/p10.jpg",
                "home/trip/P3.JPG",
                "home/trip/clip.mov",
            ] {
                let p = root.join(f);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(&p, b"x").unwrap();
            }
            let home = root.join("home");
            Fixture { root, home }
        }

        fn env(&self) -> Env<'_> {
            Env {
                cwd: &self.root,
                home: Some(&self.home),
            }
        }

        fn fill(&self, template: &str) -> String {
            template.replace("{R}", self.root.to_str().unwrap())
        }

        fn paths(&self, rel: &[&str]) -> Vec<PathBuf> {
            rel.iter().map(|r| self.root.join(r)).collect()
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.root);
        }
    }

    const PHOTOS: &[&str] = &[
        "photos/clip.MOV",
        "photos/img1.jpg",
        "photos/img2.jpg",
        "photos/Img3.png",
        "photos/img10.jpg",
    ];
    const TRIP_JPG: &[&str] = &[
        "home/trip/p1.jpg",
        "home/trip/p2.jpg",
        "home/trip/P3.JPG",
        "home/trip/p10.jpg",
    ];

    /// (where it comes from, what is pasted, files, urls, empty, rest)
    type Row = (
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
        &'static [&'static str],
        &'static str,
    );

    fn check_rows(fx: &Fixture, env: &Env, rows: &[Row]) {
        for (source, input, files, urls, empty, rest) in rows {
            let line = fx.fill(input);
            let got = extract(&line, env);
            let labels: Vec<String> = got.empty.iter().map(|(l, _)| l.clone()).collect();
            let got = (got.files, got.urls, labels, got.rest);
            let want = (
                fx.paths(files),
                urls.iter().map(|u| u.to_string()).collect::<Vec<_>>(),
                empty.iter().map(|e| fx.fill(e)).collect::<Vec<_>>(),
                fx.fill(rest),
            );
            assert_eq!(got, want, "{source}: {line:?}");
        }
    }

    #[test]
    fn terminal_drops() {
        let fx = Fixture::new("drops");
        #[rustfmt::skip]
        let rows: &[Row] = &[
            // GNOME Terminal (VTE) quotes every path with g_shell_quote and
            // adds a space after each.
            ("GNOME Terminal", "'{R}/My Photos/x.jpg' ", &["My Photos/x.jpg"], &[], &[], ""),
            ("GNOME Terminal, plain name", "'{R}/c.png' ", &["c.png"], &[], &[], ""),
            ("GNOME Terminal, three files",
             "'{R}/My Photos/x.jpg' '{R}/c.png' '{R}/Trip (1)/IMG_0001.JPG' ",
             &["My Photos/x.jpg", "c.png", "Trip (1)/IMG_0001.JPG"], &[], &[], ""),
            ("GNOME Terminal, apostrophe", r"'{R}/it'\''s.jpg' ", &["it's.jpg"], &[], &[], ""),
            ("GNOME Terminal, folder", "'{R}/photos' ", PHOTOS, &[], &[], ""),
            // Konsole: quoted paths, or file:// URIs (one per line or
            // space-separated) depending on the source application.
            ("Konsole, URI", "file://{R}/My%20Photos/x.jpg", &["My Photos/x.jpg"], &[], &[], ""),
            ("Konsole, URIs per line", "file://{R}/a%20b.jpg\nfile://{R}/c.png\n",
             &["a b.jpg", "c.png"], &[], &[], ""),
            ("Konsole, URIs per space", "file://{R}/100%25%20real.jpg file://{R}/caf%C3%A9.jpg ",
             &["100% real.jpg", "café.jpg"], &[], &[], ""),
            ("Konsole, localhost URI", "file://localhost{R}/Trip%20(1)/IMG_0002.JPG",
             &["Trip (1)/IMG_0002.JPG"], &[], &[], ""),
            ("Konsole, quoted", "'{R}/a b.jpg' {R}/c.png", &["a b.jpg", "c.png"], &[], &[], ""),
            // macOS Terminal and iTerm2 escape with backslashes.
            ("macOS Terminal", r"{R}/Trip\ \(1\)/IMG_0001.JPG ", &["Trip (1)/IMG_0001.JPG"], &[], &[], ""),
            ("macOS Terminal, several", r"{R}/a\ b.jpg {R}/c.png {R}/Trip\ \(1\)/IMG_0002.JPG ",
             &["a b.jpg", "c.png", "Trip (1)/IMG_0002.JPG"], &[], &[], ""),
            ("iTerm2, shell specials", r"{R}/weird\ \&\ odd\!.jpg {R}/it\'s.jpg ",
             &["weird & odd!.jpg", "it's.jpg"], &[], &[], ""),
            ("iTerm2, folder", r"{R}/My\ Photos ", &["My Photos/x.jpg", "My Photos/y.png"], &[], &[], ""),
            // Windows Terminal quotes paths with spaces in double quotes;
            // on this OS they do not exist and must stay text, unmangled.
            ("Windows Terminal", r#""C:\Users\a\My Pictures\x.jpg""#, &[], &[], &[],
             r#""C:\Users\a\My Pictures\x.jpg""#),
            ("Windows Terminal, no spaces", r"C:\Users\a\Pictures\x.jpg ", &[], &[], &[],
             r"C:\Users\a\Pictures\x.jpg"),
            ("Windows Terminal, WSL profile", "\"{R}/My Photos/x.jpg\" ", &["My Photos/x.jpg"], &[], &[], ""),
            // VS Code's terminal: quoted when needed, single or double.
            ("VS Code, single quotes", "'{R}/a b.jpg' ", &["a b.jpg"], &[], &[], ""),
            ("VS Code, double quotes", "\"{R}/a b.jpg\" \"{R}/c.png\"", &["a b.jpg", "c.png"], &[], &[], ""),
            ("VS Code, plain", "{R}/c.png ", &["c.png"], &[], &[], ""),
            // Pasted with raw spaces (file manager "copy path", some terminals).
            ("raw spaces", "{R}/My Photos/x.jpg please", &["My Photos/x.jpg"], &[], &[], "please"),
            ("raw spaces and comma", "{R}/My Photos/x.jpg, {R}/c.png",
             &["My Photos/x.jpg", "c.png"], &[], &[], ""),
            ("raw spaces in a URI", "file://{R}/My Photos/x.jpg", &["My Photos/x.jpg"], &[], &[], ""),
        ];
        check_rows(&fx, &fx.env(), rows);
    }

    #[test]
    fn paths_mixed_with_prose() {
        let fx = Fixture::new("prose");
        #[rustfmt::skip]
        let rows: &[Row] = &[
            ("instruction around paths", "make these into a video '{R}/a b.jpg' {R}/c.png please",
             &["a b.jpg", "c.png"], &[], &[], "make these into a video please"),
            ("apostrophes before a path", "don't use the 2nd photo '{R}/a b.jpg'",
             &["a b.jpg"], &[], &[], "don't use the 2nd photo"),
            ("apostrophes only", "don't use the 2nd photo, it's   blurry  ",
             &[], &[], &[], "don't use the 2nd photo, it's blurry"),
            ("quotes in prose", r#"title it "Summer '24" and don't fade"#,
             &[], &[], &[], r#"title it "Summer '24" and don't fade"#),
            ("trailing punctuation", r"use {R}/c.png, then {R}/a\ b.jpg.",
             &["c.png", "a b.jpg"], &[], &[], "use then"),
            ("brackets", "(see {R}/c.png) and \"{R}/a b.jpg\"!",
             &["c.png", "a b.jpg"], &[], &[], "(see and"),
            ("quoted folder then comma", "'{R}/Trip (1)', fast cuts",
             &["Trip (1)/IMG_0001.JPG", "Trip (1)/IMG_0002.JPG"], &[], &[], "fast cuts"),
            ("missing paths stay text", "over /nonexistent/x.jpg and ~/nope.png and '/gone/a b.jpg'",
             &[], &[], &[], "over /nonexistent/x.jpg and ~/nope.png and '/gone/a b.jpg'"),
            ("folders", "{R}/photos/ and also {R}/empty",
             PHOTOS, &[], &["{R}/empty"], "and also"),
            ("relative folder", "./photos", PHOTOS, &[], &[], ""),
            ("relative file", "c.png and photos/img1.jpg", &["c.png", "photos/img1.jpg"], &[], &[], "and"),
            ("bare words are not folders", "a video of my photos", &[], &[], &[], "a video of my photos"),
            ("tilde", "~/pic.jpg and ~/trip",
             &["home/pic.jpg", "home/trip/clip.mov", "home/trip/p1.jpg", "home/trip/p2.jpg",
               "home/trip/P3.JPG", "home/trip/p10.jpg"], &[], &[], "and"),
            ("lone tilde, dots, slash", "~ 10 photos . .. ... / //", &[], &[], &[], "~ 10 photos . .. ... / //"),
            ("glob", "~/trip/*.jpg", TRIP_JPG, &[], &[], ""),
            ("glob with braces", "all of ~/trip/*.{jpg,mov}",
             &["home/trip/clip.mov", "home/trip/p1.jpg", "home/trip/p2.jpg", "home/trip/P3.JPG",
               "home/trip/p10.jpg"], &[], &[], "all of"),
            ("relative glob", "./photos/img?.jpg please", &["photos/img1.jpg", "photos/img2.jpg"], &[], &[], "please"),
            ("quoted glob", "'{R}/My Photos/*'", &["My Photos/x.jpg", "My Photos/y.png"], &[], &[], ""),
            ("glob matching nothing", "~/nothing/*.jpg {R}/empty/*.jpg", &[], &[], &[],
             "~/nothing/*.jpg {R}/empty/*.jpg"),
            ("glob matching no supported file", "{R}/empty/* ok", &[], &[], &["{R}/empty/*"], "ok"),
            ("question marks and stars", "is it 5 * 3? what about [this] and *that*?", &[], &[], &[],
             "is it 5 * 3? what about [this] and *that*?"),
            ("urls", "https://example.com/a.jpg, and <http://x.org/b.png>. (https://en.wikipedia.org/wiki/Foo_(bar))",
             &[], &["https://example.com/a.jpg", "http://x.org/b.png", "https://en.wikipedia.org/wiki/Foo_(bar)"],
             &[], "and"),
            ("quoted urls", "'https://example.com/my photo.jpg' \"https://example.com/a.jpg\"",
             &[], &["https://example.com/my%20photo.jpg", "https://example.com/a.jpg"], &[], ""),
            ("not a url", "http:// is a prefix", &[], &[], &[], "http:// is a prefix"),
            ("repeats", "{R}/c.png {R}/c.png ./c.png https://a.b/c https://a.b/c",
             &["c.png"], &["https://a.b/c"], &[], ""),
            ("unsupported file kept for validation", "{R}/notes.txt", &["notes.txt"], &[], &[], ""),
        ];
        check_rows(&fx, &fx.env(), rows);
    }

    #[test]
    fn cwd_with_glob_characters_is_escaped() {
        let fx = Fixture::new("escape");
        let cwd = fx.root.join("Photos [2024]");
        let env = Env {
            cwd: &cwd,
            home: None,
        };
        let got = extract("*.jpg and ~/pic.jpg", &env);
        assert_eq!(got.files, vec![cwd.join("z.jpg")]);
        assert_eq!(got.rest, "and ~/pic.jpg");
    }

    #[test]
    fn explicit_arguments() {
        let fx = Fixture::new("args");
        let env = fx.env();
        let args: Vec<String> = [
            "c.png",
            "photos",
            "{R}/My Photos/x.jpg",
            "nope.jpg",
            "empty",
            "*.xyz",
            "https://example.com/v.mp4",
            "https://",
            "'{R}/a b.jpg' '{R}/it'\\''s.jpg'",
            "file://{R}/caf%C3%A9.jpg",
            "~/trip/p*.jpg",
            "notes.txt",
            "",
        ]
        .iter()
        .map(|a| fx.fill(a))
        .collect();
        let (got, errors) = expand_args(&args, &env);
        let mut files = vec!["c.png"];
        files.extend(PHOTOS);
        files.extend(["My Photos/x.jpg", "a b.jpg", "it's.jpg", "café.jpg"]);
        files.extend(TRIP_JPG);
        files.push("notes.txt");
        assert_eq!(got.files, fx.paths(&files));
        assert_eq!(got.urls, vec!["https://example.com/v.mp4".to_string()]);
        assert_eq!(
            got.empty,
            vec![("empty".to_string(), EMPTY_FOLDER.to_string())]
        );
        assert_eq!(got.rest, "");
        let errors: Vec<(&str, &str)> = errors
            .iter()
            .map(|(a, r)| (a.as_str(), r.as_str()))
            .collect();
        assert_eq!(
            errors,
            vec![
                ("nope.jpg", "no such file or folder"),
                ("*.xyz", "matched no files"),
                ("https://", "not a complete web address"),
                ("", "empty argument"),
            ]
        );
    }

    #[test]
    fn upload_lines_name_every_word() {
        let fx = Fixture::new("line");
        let env = fx.env();
        let owned = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter().map(|(a, b)| (fx.fill(a), b.to_string())).collect()
        };
        type Pairs = &'static [(&'static str, &'static str)];
        // (line, files, empty folders/globs, words that gave nothing)
        #[rustfmt::skip]
        let rows: &[(&str, &[&str], Pairs, Pairs)] = &[
            // One thing, even with raw spaces: read whole.
            ("My Photos", &["My Photos/x.jpg", "My Photos/y.png"], &[], &[]),
            ("{R}/My Photos/x.jpg", &["My Photos/x.jpg"], &[], &[]),
            ("empty", &[], &[("empty", EMPTY_FOLDER)], &[]),
            // Several words: each one counts, bare names included.
            ("empty c.png", &["c.png"], &[("empty", EMPTY_FOLDER)], &[]),
            ("c.png notes.txt", &["c.png", "notes.txt"], &[], &[]),
            ("c.png nope.jpg please", &["c.png"], &[],
             &[("nope.jpg", "no such file or folder"), ("please", "no such file or folder")]),
            ("'a b.jpg' *.xyz", &["a b.jpg"], &[], &[("*.xyz", "matched no files")]),
        ];
        for (line, files, empty, errors) in rows {
            let (got, errs) = expand_line(&fx.fill(line), &env);
            assert_eq!(got.files, fx.paths(files), "{line}");
            assert_eq!(got.empty, owned(empty), "{line}");
            assert_eq!(errs, owned(errors), "{line}");
        }
    }

    #[test]
    fn explicit_dot_and_tilde() {
        let fx = Fixture::new("dot");
        let photos = fx.root.join("photos");
        let env = Env {
            cwd: &photos,
            home: Some(&fx.home),
        };
        let (got, errors) = expand_args(&[".".into(), "~".into()], &env);
        assert!(errors.is_empty(), "{errors:?}");
        let mut want = fx.paths(PHOTOS);
        want.push(fx.home.join("pic.jpg"));
        assert_eq!(got.files, want);

        let no_home = Env {
            cwd: &photos,
            home: None,
        };
        let (_, errors) = expand_args(&["~/pic.jpg".into()], &no_home);
        assert_eq!(
            errors,
            vec![(
                "~/pic.jpg".to_string(),
                "no such file or folder (your home folder is unknown)".to_string()
            )]
        );
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folder() {
        use std::os::unix::fs::PermissionsExt;
        let fx = Fixture::new("unreadable");
        let locked = fx.root.join("locked");
        fs::create_dir(&locked).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let readable = fs::read_dir(&locked).is_ok(); // root ignores permissions
        let (got, errors) = expand_args(&[fx.fill("{R}/locked")], &fx.env());
        let got_line = extract(&fx.fill("{R}/locked/"), &fx.env());
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        if readable {
            assert_eq!(
                got.empty,
                vec![(fx.fill("{R}/locked"), EMPTY_FOLDER.to_string())]
            );
            return;
        }
        assert_eq!(
            errors,
            vec![(
                fx.fill("{R}/locked"),
                "cannot open this folder (permission denied)".to_string()
            )]
        );
        assert_eq!(
            got_line.empty,
            vec![(
                fx.fill("{R}/locked/"),
                "cannot open this folder (permission denied)".to_string()
            )]
        );
    }

    #[test]
    fn natural_order() {
        let mut names = vec![
            "img10.jpg",
            "IMG2.jpg",
            "img1.jpg",
            "img02.jpg",
            "Img2.jpg",
            "img_1.jpg",
            "img.jpg",
            "b.jpg",
            "A.jpg",
            "img12345678901234567890123.jpg",
            "img9.jpg",
            "a.jpg",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            vec![
                "A.jpg",
                "a.jpg",
                "b.jpg",
                "img.jpg",
                "img1.jpg",
                "IMG2.jpg",
                "Img2.jpg",
                "img02.jpg",
                "img9.jpg",
                "img10.jpg",
                "img12345678901234567890123.jpg",
                "img_1.jpg",
            ]
        );
        assert_eq!(natural_cmp("img2", "img10"), Ordering::Less);
        assert_eq!(natural_cmp("IMG10", "img2"), Ordering::Greater);
        assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
        assert_eq!(natural_cmp("Straße", "STRASSE"), Ordering::Greater);
    }

    #[test]
    fn shell_tokens() {
        let tok = |s: &str| shell_token(s, 0).map(|t| (t.value, t.quoted, t.end));
        // (input, Some((value, quoted, end)) or None for an unclosed quote)
        type Case<'a> = (&'a str, Option<(&'a str, bool, usize)>);
        let cases: &[Case] = &[
            ("plain rest", Some(("plain", false, 5))),
            ("'a b' c", Some(("a b", true, 5))),
            (r"a\ b\(1\) c", Some(("a b(1)", true, 9))),
            (r#""C:\Users\a" x"#, Some((r"C:\Users\a", true, 12))),
            (r#""say \"hi\"""#, Some((r#"say "hi""#, true, 12))),
            (r"'it'\''s'", Some(("it's", true, 9))),
            ("don't stop", None),
            (r"trailing\", Some((r"trailing\", true, 9))),
        ];
        for (input, want) in cases {
            let want = want.map(|(v, q, e)| (v.to_string(), q, e));
            assert_eq!(tok(input), want, "{input:?}");
        }
    }

    #[test]
    fn braces() {
        assert_eq!(expand_braces("*.{jpg,png}"), vec!["*.jpg", "*.png"]);
        assert_eq!(
            expand_braces("{a,b}/{c,d{e,f}}"),
            vec!["a/c", "a/de", "a/df", "b/c", "b/de", "b/df"]
        );
        assert_eq!(expand_braces("{x}/{y,z}"), vec!["{x}/y", "{x}/z"]);
        assert_eq!(expand_braces("no braces"), vec!["no braces"]);
        assert!(expand_braces("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}").len() <= 70);
    }

    #[test]
    fn uri_decoding() {
        assert_eq!(percent_decode("a%20b%zz%2"), b"a b%zz%2");
        assert_eq!(
            file_uri_to_path("file:///home/a/My%20Photos/x.jpg"),
            Some(PathBuf::from("/home/a/My Photos/x.jpg"))
        );
        assert_eq!(
            file_uri_to_path("FILE://localhost/tmp/x.jpg"),
            Some(PathBuf::from("/tmp/x.jpg"))
        );
        assert_eq!(
            file_uri_to_path("file:/tmp/x.jpg"),
            Some(PathBuf::from("/tmp/x.jpg"))
        );
        assert_eq!(
            file_uri_to_path("file:///C:/Users/a/x.jpg"),
            Some(PathBuf::from("C:/Users/a/x.jpg"))
        );
        assert_eq!(file_uri_to_path("file://host"), None);
    }
}
