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

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

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
/// The process's own current folder and home, owned, for the callers that
/// read the user's input (tests build an [`Env`] of their own).
#[derive(Debug, Clone)]
pub struct Dirs {
    cwd: PathBuf,
    home: Option<PathBuf>,
}

impl Dirs {
    pub fn current() -> Dirs {
        Dirs {
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            home: directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()),
        }
    }

    /// Given folders (tests).
    pub fn at(cwd: PathBuf, home: Option<PathBuf>) -> Dirs {
        Dirs { cwd, home }
    }

    pub fn env(&self) -> Env<'_> {
        Env {
            cwd: &self.cwd,
            home: self.home.as_deref(),
        }
    }

    /// `~/x` → the home folder's `x`; other paths as written (without
    /// the quotes a drag may add).
    pub fn expand_home(&self, p: &str) -> PathBuf {
        let p = p.trim().trim_matches(|c| c == '"' || c == '\'');
        match (p.strip_prefix("~/"), &self.home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => p.into(),
        }
    }
}

/// What to upload, read from paths the user named on purpose (`/upload`,
/// `img2yt upload`, `img2yt make`), with "word: why" for each that named
/// nothing usable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    pub found: Extracted,
    pub refused: Vec<String>,
}

impl Named {
    /// Command-line arguments, one path each ([`expand_args`]).
    pub fn args(args: &[String], env: &Env) -> Named {
        Named::from(expand_args(args, env))
    }

    /// The argument of `/upload` ([`expand_line`]).
    pub fn line(line: &str, env: &Env) -> Named {
        Named::from(expand_line(line, env))
    }

    /// Paths dropped into a line of text: nothing is refused, the words
    /// stay in [`Extracted::rest`].
    pub fn dropped(found: Extracted) -> Named {
        Named {
            found,
            refused: Vec::new(),
        }
    }
}

impl From<(Extracted, Vec<(String, String)>)> for Named {
    fn from((found, errors): (Extracted, Vec<(String, String)>)) -> Named {
        Named {
            found,
            refused: errors
                .into_iter()
                .map(|(arg, why)| format!("{arg}: {why}"))
                .collect(),
        }
    }
}

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

mod globs;
mod natural;
mod words;

#[cfg(test)]
mod tests;

use globs::*;
pub use natural::natural_cmp;
use words::*;
