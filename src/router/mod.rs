//! Input router: decides what one line typed at the img2yt prompt means.
//!
//! [`decide`] is the one call a line makes: it returns the whole
//! [`Decision`] (files to upload first, the note, the [`Action`] with its
//! paths resolved). Underneath, [`route`] is a pure function from the words
//! of a line to an [`Intent`]: a slash command, a local action picked by
//! keywords (export, credits, status, upload help), or a message for the
//! editing agent; it only makes sure a dropped path is never mistaken for a
//! slash command (`/home/a/x.jpg` is not `/home`). Only `decide` looks at
//! the disk (through `input::paths`); nothing here prints or executes.
//!
//! # Order
//!
//! 1. Blank line or `#` comment → [`Intent::Nothing`].
//! 2. Line starting with `/` → [`parse_slash`]; a path-like line falls
//!    through to [`Intent::Chat`] untouched (no keyword routing on paths).
//! 3. Keyword rule below → a local action.
//! 4. Everything else → [`Intent::Chat`] with the trimmed line.
//!
//! # Keyword rule
//!
//! A line becomes a local action only when it is *nothing but* a request for
//! that action:
//!
//! 1. **Trigger** — it contains a trigger of exactly one action. English
//!    triggers match whole words (or whole-word phrases such as "send me");
//!    Chinese triggers match as substrings. Two different actions → Chat.
//! 2. **Frame** — every other word belongs to a small closed vocabulary:
//!    shared frame words (please, can you, what's, my, the; 请, 帮我, 一下, 吗)
//!    plus that action's own (export: it, video, 1080p, mp4, "to" and an
//!    output path; credits: how many, left, have; status: project, progress;
//!    upload: photos, more). Chinese runs are segmented greedily, longest word
//!    first, against the same lists; any character left over is a foreign
//!    word.
//!    Matching ignores case, punctuation and apostrophes ("What's my
//!    balance?" = "whats my balance"). A path counts as frame only for
//!    export (as its target; an image path asks for a still, so Chat) and
//!    upload (the caller then explains how to add files).
//! 3. **Short** — at most 12 English words and 20 Chinese characters
//!    (`MAX_EN_WORDS`, `MAX_ZH_CHARS` in `keywords.rs`).
//!
//! Rule 2 *is* the edit guard. Edit verbs (add, make, change, balance, put,
//! set, adjust, remove, increase, decrease, fade, use, apply; 加, 改, 调, 设置)
//! and edited objects (audio, music, title, bar; 音乐, 字幕, 栏) are never
//! frame words, so "balance the audio levels", "add a status bar at the top"
//! and "download the music you added" reach the agent without any special
//! case. A trigger used as a verb on something else, or as a noun modifier,
//! is caught the same way: whatever it acts on or modifies is not a frame
//! word. The tables live in `keywords.rs`.
//!
//! Why a whitelist rather than a list of edit words: Chat is the safe
//! default. The agent understands anything, while a local action swallows
//! the line; a wrong Chat costs one round trip, a wrong local action loses
//! the user's edit request. So the router acts locally only when sure, and
//! [`routed_note`] makes the remaining misroutes visible.

mod decide;
mod keywords;
mod publish;

pub use decide::{decide, Action, Decision, Upload};

use keywords::{
    Action as Local, ActionWords, ACTIONS, IMAGE_EXTENSIONS, SHARED_EN, SHARED_ZH, VIDEO_EXTENSIONS,
};

/// A slash command, independent of the alias the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Upload,
    Credits,
    Status,
    Export,
    New,
    Open,
    Help,
    Quit,
    History,
    Play,
    Storyboard,
    Publish,
}

impl Command {
    /// The table entry for this command, so callers can print its usage.
    pub fn info(&self) -> &'static CommandInfo {
        COMMANDS
            .iter()
            .find(|info| info.command == *self)
            .expect("every Command has a COMMANDS entry")
    }
}

/// What a line means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Blank line or a `#` comment.
    Nothing,
    /// A slash command with its argument text (trimmed, may be empty).
    Slash {
        command: Command,
        arg: String,
    },
    /// `/something` we do not know: the caller says so and lists commands.
    /// Holds the command word as typed, e.g. `/foo`.
    UnknownSlash(String),
    /// Local actions chosen by keywords (never sent to the chat).
    /// `path` is set when the line names an output file, as in
    /// "export to trip.mp4" or "导出到 ~/a.mp4".
    Export {
        path: Option<String>,
    },
    Credits,
    Status,
    /// "show me the storyboard", 故事板: the timeline as a picture, saved to
    /// `path` when the line names a `.png`.
    Storyboard {
        path: Option<String>,
    },
    /// The user talks about uploading but gave no paths: the caller explains how to drop files.
    UploadHelp,
    /// Put the video on YouTube ("upload it to YouTube", 「发布到YouTube」).
    Publish,
    /// Everything else goes to the editing agent.
    Chat(String),
}

/// One slash command as shown in help and completion.
pub struct CommandInfo {
    /// The variant this entry parses to; ties the table to the enum.
    pub command: Command,
    /// Canonical name without the slash.
    pub name: &'static str,
    /// Other accepted names, without the slash.
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    pub summary: &'static str,
    pub example: &'static str,
}

/// One static table drives help, completion and parsing.
pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        command: Command::Upload,
        name: "upload",
        aliases: &["u", "add"],
        usage: "/upload PATH...",
        summary: "Upload photos (or just drop files onto the terminal)",
        example: "/upload ~/Pictures/trip/*.jpg",
    },
    CommandInfo {
        command: Command::Credits,
        name: "credits",
        aliases: &["balance", "c"],
        usage: "/credits",
        summary: "Show your remaining credits",
        example: "/credits",
    },
    CommandInfo {
        command: Command::Status,
        name: "status",
        aliases: &["state", "tracks", "s"],
        usage: "/status",
        summary: "Show the project's tracks and render state",
        example: "/status",
    },
    CommandInfo {
        command: Command::Storyboard,
        name: "storyboard",
        aliases: &["board", "sb"],
        usage: "/storyboard [PATH]",
        summary: "Draw the timeline as a picture (PNG)",
        example: "/storyboard ~/board.png",
    },
    CommandInfo {
        command: Command::Export,
        name: "export",
        aliases: &["download", "e"],
        usage: "/export [PATH]",
        summary: "Render the video and save it locally",
        example: "/export ~/Videos/trip.mp4",
    },
    CommandInfo {
        command: Command::New,
        name: "new",
        aliases: &[],
        usage: "/new",
        summary: "Start a new project",
        example: "/new",
    },
    CommandInfo {
        command: Command::Open,
        name: "open",
        aliases: &["link", "web"],
        usage: "/open",
        summary: "Open the project in the web editor",
        example: "/open",
    },
    CommandInfo {
        command: Command::Help,
        name: "help",
        aliases: &["h", "?"],
        usage: "/help [COMMAND]",
        summary: "List commands, or explain one",
        example: "/help export",
    },
    CommandInfo {
        command: Command::Quit,
        name: "quit",
        aliases: &["exit", "q"],
        usage: "/quit",
        summary: "Leave img2yt",
        example: "/quit",
    },
    CommandInfo {
        command: Command::History,
        name: "history",
        aliases: &[],
        usage: "/history",
        summary: "Show the conversation so far",
        example: "/history",
    },
    CommandInfo {
        command: Command::Play,
        name: "play",
        aliases: &["watch"],
        usage: "/play",
        summary: "Watch the video you just exported",
        example: "/play",
    },
    CommandInfo {
        command: Command::Publish,
        name: "publish",
        aliases: &["youtube", "yt"],
        usage: "/publish [VIDEO] [FLAGS]",
        summary: "Put the video on YouTube (private unless --privacy)",
        example: "/publish --privacy unlisted",
    },
];

/// Finds a command by name or alias, case-insensitively, with or without
/// the leading slash (so `/help export` and completion can share it).
pub fn lookup(name: &str) -> Option<&'static CommandInfo> {
    let name = name.strip_prefix(['/', '／']).unwrap_or(name);
    COMMANDS.iter().find(|info| {
        info.name.eq_ignore_ascii_case(name)
            || info.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// Routes one input line: slash first, then the keyword rule, else chat.
pub fn route(line: &str) -> Intent {
    let text = line.trim();
    if text.is_empty() || text.starts_with('#') {
        return Intent::Nothing;
    }
    if text.starts_with(['/', '／']) {
        // A path-like line is the caller's business; keywords inside a path
        // ("/tmp/export.mp4") must not turn it into an action.
        return parse_slash(text).unwrap_or_else(|| Intent::Chat(text.to_string()));
    }
    if publish::is_publish_request(text) {
        return Intent::Publish;
    }
    match keyword_action(text) {
        Some((Local::Export, path)) => Intent::Export { path },
        Some((Local::Credits, _)) => Intent::Credits,
        Some((Local::Status, _)) => Intent::Status,
        Some((Local::Upload, _)) => Intent::UploadHelp,
        Some((Local::Storyboard, path)) => Intent::Storyboard { path },
        None => Intent::Chat(text.to_string()),
    }
}

/// Parses a slash command. `None` when the line does not start with `/`, or
/// when its first word looks like a file path (`/home/a/x.jpg`, `/x.jpg`) so
/// the caller can treat it as a dropped file. The full-width `／` that
/// Chinese input methods produce is accepted too.
pub fn parse_slash(line: &str) -> Option<Intent> {
    let text = line.trim();
    let rest = text.strip_prefix(['/', '／'])?;
    let (word, arg) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    if looks_like_path_word(word) {
        return None;
    }
    Some(match lookup(word) {
        Some(info) => Intent::Slash {
            command: info.command.clone(),
            arg: arg.to_string(),
        },
        None => Intent::UnknownSlash(format!("/{word}")),
    })
}

/// Command names are plain words; a second slash, a backslash or a file
/// extension means the user dropped or typed an absolute path.
fn looks_like_path_word(word: &str) -> bool {
    if word.contains(['/', '\\']) {
        return true;
    }
    match word.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// A few dim words the caller prints when a line was routed to a local
/// action, so a misroute is visible and the user knows how to reach the
/// editor instead. `None` for lines that were not keyword-routed.
pub fn routed_note(intent: &Intent) -> Option<String> {
    let (what, command) = match intent {
        Intent::Export { path: None } => ("export".to_string(), "/export"),
        Intent::Export { path: Some(p) } => (format!("export to {p}"), "/export"),
        Intent::Credits => ("credits".to_string(), "/credits"),
        Intent::Status => ("status".to_string(), "/status"),
        Intent::UploadHelp => ("upload help".to_string(), "/upload"),
        Intent::Storyboard { path: None } => ("storyboard".to_string(), "/storyboard"),
        Intent::Storyboard { path: Some(p) } => (format!("storyboard to {p}"), "/storyboard"),
        Intent::Publish => ("publish to YouTube".to_string(), "/publish"),
        Intent::Nothing | Intent::Slash { .. } | Intent::UnknownSlash(_) | Intent::Chat(_) => {
            return None
        }
    };
    Some(format!(
        "→ {what} (type {command}; anything else goes to the editor)"
    ))
}

/// Applies the keyword rule from the module doc. Returns the action and,
/// for export, the output path named in the line.
fn keyword_action(text: &str) -> Option<(Local, Option<String>)> {
    let (path, rest) = match extract_path(text) {
        Some((path, rest)) => (Some(path), rest),
        None => (None, text.to_string()),
    };
    let lower = rest.to_lowercase().replace(['\'', '’'], "");
    let tokens = tokenize(&lower);

    let en_words = tokens.iter().filter(|t| matches!(t, Token::En(_))).count();
    let zh_chars: usize = tokens
        .iter()
        .map(|t| match t {
            Token::Zh(s) => s.chars().count(),
            Token::En(_) => 0,
        })
        .sum();
    if en_words > keywords::MAX_EN_WORDS || zh_chars > keywords::MAX_ZH_CHARS {
        return None;
    }

    // Rule 1: exactly one action is triggered. A trigger that is also a
    // frame word of another triggered action yields to it: in "render
    // status" the render is what the status is about.
    let mut hits: Vec<(&ActionWords, Vec<bool>, Vec<&str>)> = Vec::new();
    for words in ACTIONS {
        let mut covered = vec![false; tokens.len()];
        let mut said: Vec<&str> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                Token::En(w) => {
                    for phrase in words.en_triggers {
                        if en_phrase_at(&tokens, i, phrase) {
                            covered[i..i + phrase.len()].fill(true);
                            said.push(if phrase.len() == 1 { w.as_str() } else { "" });
                        }
                    }
                }
                Token::Zh(run) => {
                    said.extend(words.zh_triggers.iter().filter(|t| run.contains(*t)))
                }
            }
        }
        if !said.is_empty() {
            hits.push((words, covered, said));
        }
    }
    if hits.len() > 1 {
        let frames_of_others = |me: &ActionWords, word: &str| {
            hits.iter().any(|(other, _, _)| {
                other.action != me.action
                    && (other.en_frame.contains(&word) || other.zh_frame.contains(&word))
            })
        };
        hits = hits
            .iter()
            .filter(|(me, _, said)| !said.iter().all(|w| frames_of_others(me, w)))
            .cloned()
            .collect();
    }
    let [(words, covered, _)] = <[_; 1]>::try_from(hits).ok()?;

    // A path only makes sense as an export target (or a photo to upload,
    // which the caller explains how to do); anywhere else it is content.
    if path.is_some()
        && !matches!(
            words.action,
            Local::Export | Local::Upload | Local::Storyboard
        )
    {
        return None;
    }

    // Rule 2: everything else is frame.
    let all_frame = tokens
        .iter()
        .zip(&covered)
        .all(|(token, &cov)| match token {
            Token::En(w) => {
                cov || words.en_frame.contains(&w.as_str()) || SHARED_EN.contains(&w.as_str())
            }
            Token::Zh(run) => segments_into(run, &[words.zh_triggers, words.zh_frame, SHARED_ZH]),
        });
    if !all_frame {
        return None;
    }
    match words.action {
        // "export a.jpg" asks for a still frame: something only the editor can do.
        Local::Export if path.as_deref().is_some_and(has_image_extension) => None,
        Local::Export => Some((Local::Export, path)),
        // The storyboard is a PNG; any other file named is content.
        Local::Storyboard if path.as_deref().is_some_and(|p| !is_png(p)) => None,
        Local::Storyboard => Some((Local::Storyboard, path)),
        action => Some((action, None)),
    }
}

/// A word of the lowercased line: an ASCII-style word or a run of Chinese.
#[derive(Debug)]
enum Token {
    En(String),
    Zh(String),
}

/// Splits on anything that is neither a letter/digit nor a CJK ideograph.
/// Ideographs form their own runs so "导出1080p" gives two tokens.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut current_zh = false;
    for c in text.chars() {
        let kind = if is_cjk(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match kind {
            Some(zh) if current.is_empty() || zh == current_zh => {
                current_zh = zh;
                current.push(c);
            }
            Some(zh) => {
                push_token(&mut tokens, &mut current, current_zh);
                current_zh = zh;
                current.push(c);
            }
            None => push_token(&mut tokens, &mut current, current_zh),
        }
    }
    push_token(&mut tokens, &mut current, current_zh);
    tokens
}

fn push_token(tokens: &mut Vec<Token>, current: &mut String, zh: bool) {
    if current.is_empty() {
        return;
    }
    let word = std::mem::take(current);
    tokens.push(if zh { Token::Zh(word) } else { Token::En(word) });
}

/// CJK Unified Ideographs and Extension A; punctuation is excluded so that
/// "，" and "？" separate words like spaces do.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn en_phrase_at(tokens: &[Token], start: usize, phrase: &[&str]) -> bool {
    phrase.len() <= tokens.len() - start
        && phrase
            .iter()
            .zip(&tokens[start..])
            .all(|(p, t)| matches!(t, Token::En(w) if w == p))
}

/// Whether a Chinese run is made only of the given words, taking the
/// longest match at each position (good enough for short commands).
fn segments_into(run: &str, lists: &[&[&str]]) -> bool {
    let mut rest = run;
    while !rest.is_empty() {
        let longest = lists
            .iter()
            .flat_map(|list| list.iter())
            .filter(|w| rest.starts_with(*w))
            .map(|w| w.len())
            .max();
        match longest {
            Some(len) => rest = &rest[len..],
            None => return false,
        }
    }
    true
}

/// Finds the first output path in a line and returns it with the line minus
/// the path. Quoted paths may contain spaces; unquoted ones are one
/// whitespace-separated word, from which a leading Chinese prefix
/// ("导出到~/a.mp4") and trailing punctuation are cut off.
fn extract_path(text: &str) -> Option<(String, String)> {
    if let Some(found) = extract_quoted_path(text) {
        return Some(found);
    }
    let mut offset = 0;
    for word in text.split_whitespace() {
        let start = offset + text[offset..].find(word).unwrap_or(0);
        offset = start + word.len();
        // Skip a non-ASCII prefix such as "导出到".
        let Some(ascii_at) = word.find(|c: char| c.is_ascii() && !c.is_ascii_whitespace()) else {
            continue;
        };
        let lead = word[ascii_at..]
            .find(|c: char| !matches!(c, '(' | '[' | '{' | '<'))
            .unwrap_or(0);
        let ascii_at = ascii_at + lead;
        let candidate = word[ascii_at..].trim_end_matches(|c: char| {
            matches!(c, ',' | ';' | ':' | '!' | '?' | '.' | ')' | ']' | '}' | '>')
                || (!c.is_ascii() && !c.is_alphanumeric())
        });
        if looks_like_path(candidate) {
            let from = start + ascii_at;
            let to = from + candidate.len();
            let rest = format!("{} {}", &text[..from], &text[to..]);
            return Some((candidate.to_string(), rest));
        }
    }
    None
}

fn extract_quoted_path(text: &str) -> Option<(String, String)> {
    const PAIRS: &[(char, char)] = &[
        ('"', '"'),
        ('\'', '\''),
        ('“', '”'),
        ('‘', '’'),
        ('「', '」'),
        ('`', '`'),
    ];
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let opener = PAIRS.iter().find(|(open, _)| *open == c);
        // An apostrophe inside a word ("what's") is not a quote.
        let at_boundary = prev.is_none_or(|p| !p.is_ascii_alphanumeric());
        prev = Some(c);
        let Some(&(_, close)) = opener.filter(|_| at_boundary) else {
            continue;
        };
        let inner_from = i + c.len_utf8();
        let Some(len) = text[inner_from..].find(close) else {
            continue;
        };
        let inner = &text[inner_from..inner_from + len];
        if looks_like_path(inner) {
            let after = inner_from + len + close.len_utf8();
            let rest = format!("{} {}", &text[..i], &text[after..]);
            return Some((inner.to_string(), rest));
        }
    }
    None
}

/// Absolute, home-relative or dot-relative paths, Windows drive paths, or a
/// name ending in a media extension (`trip.mp4`, `out/trip.MP4`). URLs are
/// not paths.
fn looks_like_path(s: &str) -> bool {
    if s.is_empty() || s.contains("://") {
        return false;
    }
    let bytes = s.as_bytes();
    let drive = bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    if s.starts_with("~/")
        || s.starts_with('/')
        || s.starts_with("./")
        || s.starts_with("../")
        || drive
    {
        return true;
    }
    match s.rsplit_once('.') {
        Some((stem, ext)) => {
            let name = stem.rsplit(['/', '\\']).next().unwrap_or(stem);
            !name.is_empty()
                && VIDEO_EXTENSIONS
                    .iter()
                    .chain(IMAGE_EXTENSIONS)
                    .any(|e| e.eq_ignore_ascii_case(ext))
        }
        None => false,
    }
}

fn is_png(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("png"))
}

fn has_image_extension(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

#[cfg(test)]
mod tests;
