//! Input router: decides what one line typed at the img2yt prompt means.
//!
//! The router is a pure function from a line of text to an [`Intent`]: a
//! slash command, a local action picked by keywords (export, credits, status,
//! upload help), or a message for the cloud editing agent. It does no I/O and
//! executes nothing; printing, network calls and file access belong to the
//! caller. Dropped file paths are detected by the caller *before* calling
//! [`route`]: the router only makes sure such a line is never mistaken for a
//! slash command (`/home/a/x.jpg` is not `/home`).
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

mod keywords;
mod publish;

use keywords::{
    Action, ActionWords, ACTIONS, IMAGE_EXTENSIONS, SHARED_EN, SHARED_ZH, VIDEO_EXTENSIONS,
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
        usage: "/publish [VIDEO]",
        summary: "Put the video on YouTube (private)",
        example: "/publish",
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
        Some((Action::Export, path)) => Intent::Export { path },
        Some((Action::Credits, _)) => Intent::Credits,
        Some((Action::Status, _)) => Intent::Status,
        Some((Action::Upload, _)) => Intent::UploadHelp,
        Some((Action::Storyboard, path)) => Intent::Storyboard { path },
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
fn keyword_action(text: &str) -> Option<(Action, Option<String>)> {
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
            Action::Export | Action::Upload | Action::Storyboard
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
        Action::Export if path.as_deref().is_some_and(has_image_extension) => None,
        Action::Export => Some((Action::Export, path)),
        // The storyboard is a PNG; any other file named is content.
        Action::Storyboard if path.as_deref().is_some_and(|p| !is_png(p)) => None,
        Action::Storyboard => Some((Action::Storyboard, path)),
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
mod tests {
    use super::*;

    fn chat(s: &str) -> Intent {
        Intent::Chat(s.trim().to_string())
    }
    fn slash(command: Command, arg: &str) -> Intent {
        Intent::Slash {
            command,
            arg: arg.to_string(),
        }
    }
    fn export() -> Intent {
        Intent::Export { path: None }
    }
    fn export_to(p: &str) -> Intent {
        Intent::Export {
            path: Some(p.to_string()),
        }
    }
    fn storyboard(p: Option<&str>) -> Intent {
        Intent::Storyboard {
            path: p.map(Into::into),
        }
    }
    fn unknown(s: &str) -> Intent {
        Intent::UnknownSlash(s.to_string())
    }

    /// (line, expected intent); Chinese lines start after the marker comment.
    fn cases() -> Vec<(&'static str, Intent)> {
        use Command as C;
        use Intent::{Credits, Nothing, Status, UploadHelp};
        vec![
            // --- blank and comments
            ("", Nothing),
            ("   ", Nothing),
            ("# a note to self", Nothing),
            ("  #todo later", Nothing),
            // --- slash commands and aliases
            ("/upload", slash(C::Upload, "")),
            ("/u ~/a.jpg", slash(C::Upload, "~/a.jpg")),
            ("/add a.jpg  b.jpg ", slash(C::Upload, "a.jpg  b.jpg")),
            ("/credits", slash(C::Credits, "")),
            ("/balance", slash(C::Credits, "")),
            ("/c", slash(C::Credits, "")),
            ("/CREDITS", slash(C::Credits, "")),
            ("/status", slash(C::Status, "")),
            ("/state", slash(C::Status, "")),
            ("/tracks", slash(C::Status, "")),
            ("/s", slash(C::Status, "")),
            ("/export", slash(C::Export, "")),
            (
                "/export ~/Videos/trip.mp4",
                slash(C::Export, "~/Videos/trip.mp4"),
            ),
            ("/download out.mp4", slash(C::Export, "out.mp4")),
            ("/e", slash(C::Export, "")),
            ("/new", slash(C::New, "")),
            ("/New  ", slash(C::New, "")),
            ("/open", slash(C::Open, "")),
            ("/link", slash(C::Open, "")),
            ("/web", slash(C::Open, "")),
            ("/help", slash(C::Help, "")),
            ("  /help  ", slash(C::Help, "")),
            ("/h", slash(C::Help, "")),
            ("/?", slash(C::Help, "")),
            ("/help export", slash(C::Help, "export")),
            ("/quit", slash(C::Quit, "")),
            ("/exit", slash(C::Quit, "")),
            ("/q", slash(C::Quit, "")),
            ("/Q", slash(C::Quit, "")),
            ("/history", slash(C::History, "")),
            ("／help", slash(C::Help, "")),
            // --- unknown slash commands
            ("/foo", unknown("/foo")),
            ("/foo bar baz", unknown("/foo")),
            ("/exportt", unknown("/exportt")),
            ("/", unknown("/")),
            // --- path-like slash lines: not commands, and no keyword routing
            ("/home/a/x.jpg", chat("/home/a/x.jpg")),
            (
                "/Users/me/My Photos/a.jpg",
                chat("/Users/me/My Photos/a.jpg"),
            ),
            ("/tmp/export.mp4", chat("/tmp/export.mp4")),
            ("/x.jpg", chat("/x.jpg")),
            // --- export, English
            ("export", export()),
            ("Export", export()),
            ("EXPORT!", export()),
            ("export.", export()),
            ("export?", export()),
            ("export it", export()),
            ("export it please", export()),
            ("please export the video", export()),
            ("export 1080p MP4", export()),
            ("export now", export()),
            ("go ahead and export", export()),
            ("download it", export()),
            ("download", export()),
            ("download the video", export()),
            ("Download the final video!", export()),
            ("send me the video", export()),
            ("can you send me the video?", export()),
            ("render it and send me the file", export()),
            ("render the video", export()),
            ("render it in 1080p", export()),
            // --- export with a path
            ("export to trip.mp4", export_to("trip.mp4")),
            ("export to trip.mp4.", export_to("trip.mp4")),
            (
                "export to ~/Videos/trip.mp4",
                export_to("~/Videos/trip.mp4"),
            ),
            ("Export as \"my trip.mp4\"", export_to("my trip.mp4")),
            ("export to out/Trip.MP4", export_to("out/Trip.MP4")),
            ("download it to ./renders/", export_to("./renders/")),
            // --- credits, English
            ("credits", Credits),
            ("credits?", Credits),
            ("Credits!", Credits),
            ("balance", Credits),
            ("what's my balance", Credits),
            ("What’s my balance?", Credits),
            ("how many credits do I have", Credits),
            ("how many credits do i have left?", Credits),
            ("check my credits", Credits),
            ("credit balance", Credits),
            ("show my credits", Credits),
            // --- status, English
            ("status", Status),
            ("Status?", Status),
            ("what's the status", Status),
            ("what is the status of my video", Status),
            ("show tracks", Status),
            ("show the tracks", Status),
            ("project status", Status),
            ("check status", Status),
            ("show the timeline", Status),
            ("show me the timeline", Status),
            ("timeline?", Status),
            ("render status", Status),
            ("render progress", Status),
            ("whats the progress", Status),
            ("preview the timeline", Status),
            // --- upload, English
            ("upload", UploadHelp),
            ("Upload photos", UploadHelp),
            ("how do I upload photos?", UploadHelp),
            ("I want to upload more pictures", UploadHelp),
            // --- edits that mention a keyword: chat
            ("balance the audio levels", chat("balance the audio levels")),
            ("balance it", chat("balance it")),
            (
                "download the music you added",
                chat("download the music you added"),
            ),
            (
                "download the song you added",
                chat("download the song you added"),
            ),
            (
                "add a status bar at the top",
                chat("add a status bar at the top"),
            ),
            (
                "make the export look cinematic",
                chat("make the export look cinematic"),
            ),
            ("export the title in bold", chat("export the title in bold")),
            (
                "upload speed is slow, make the video shorter",
                chat("upload speed is slow, make the video shorter"),
            ),
            (
                "show the credits at the end",
                chat("show the credits at the end"),
            ),
            ("roll the credits", chat("roll the credits")),
            (
                "fade out the music before the credits",
                chat("fade out the music before the credits"),
            ),
            (
                "change the status text to red",
                chat("change the status text to red"),
            ),
            (
                "use a warmer color balance",
                chat("use a warmer color balance"),
            ),
            ("export settings", chat("export settings")),
            ("export to youtube", chat("export to youtube")),
            ("export and show credits", chat("export and show credits")),
            ("credits ~/a.mp4", chat("credits ~/a.mp4")),
            (
                "can you please tell me if you could export the video now with all of it",
                chat("can you please tell me if you could export the video now with all of it"),
            ),
            ("  make it brighter  ", chat("make it brighter")),
            ("is the export done", chat("is the export done")),
            ("export ~/frame.jpg", chat("export ~/frame.jpg")),
            (
                "add music to the timeline",
                chat("add music to the timeline"),
            ),
            ("add a progress bar", chat("add a progress bar")),
            ("render the title in red", chat("render the title in red")),
            ("export status", chat("export status")),
            ("upload ~/a.jpg", UploadHelp),
            (
                "https://example.com/a.mp4",
                chat("https://example.com/a.mp4"),
            ),
            // --- 中文 (Chinese) from here on
            ("导出", export()),
            ("导出！", export()),
            ("导出视频", export()),
            ("导出视频。", export()),
            ("帮我导出一下", export()),
            ("导出 1080p MP4", export()),
            ("导出1080p的mp4", export()),
            ("我要下载视频", export()),
            ("下载视频", export()),
            ("把视频发给我", export()),
            ("导出到 ~/a.mp4", export_to("~/a.mp4")),
            ("把视频导出到 ~/a.mp4", export_to("~/a.mp4")),
            ("导出到~/视频/旅行.mp4", export_to("~/视频/旅行.mp4")),
            ("导出为 trip.mp4", export_to("trip.mp4")),
            ("积分", Credits),
            ("积分？", Credits),
            ("我还有多少积分", Credits),
            ("还剩多少积分？", Credits),
            ("余额", Credits),
            ("查看余额", Credits),
            ("我的余额是多少", Credits),
            ("查一下积分", Credits),
            ("状态", Status),
            ("查看状态", Status),
            ("现在是什么状态？", Status),
            ("显示轨道", Status),
            ("项目状态", Status),
            ("上传", UploadHelp),
            ("我想上传照片", UploadHelp),
            ("怎么上传图片？", UploadHelp),
            ("我要上传一些照片", UploadHelp),
            ("把背景音乐调低一点", chat("把背景音乐调低一点")),
            ("在顶部加一个状态栏", chat("在顶部加一个状态栏")),
            ("导出的时候加上字幕", chat("导出的时候加上字幕")),
            ("下载你加的音乐", chat("下载你加的音乐")),
            (
                "上传速度太慢了，把视频剪短一点",
                chat("上传速度太慢了，把视频剪短一点"),
            ),
            ("把积分显示在片尾", chat("把积分显示在片尾")),
            ("给视频加一个余额显示", chat("给视频加一个余额显示")),
            ("改一下导出的标题", chat("改一下导出的标题")),
            ("把状态改成红色", chat("把状态改成红色")),
            ("用电影感的风格导出", chat("用电影感的风格导出")),
            ("设置导出的分辨率", chat("设置导出的分辨率")),
            ("导出视频到桌面", chat("导出视频到桌面")),
            ("把轨道里的音乐删掉", chat("把轨道里的音乐删掉")),
            ("导出和积分", chat("导出和积分")),
            ("调整一下音量平衡", chat("调整一下音量平衡")),
            ("你好", chat("你好")),
            ("做一个旅行视频", chat("做一个旅行视频")),
            // --- the storyboard
            ("/storyboard", slash(C::Storyboard, "")),
            ("/board b.png", slash(C::Storyboard, "b.png")),
            ("/sb", slash(C::Storyboard, "")),
            ("storyboard", storyboard(None)),
            ("show me the storyboard", storyboard(None)),
            ("can I see the story board of the video?", storyboard(None)),
            ("draw the timeline as a storyboard", storyboard(None)),
            (
                "save the storyboard to board.png",
                storyboard(Some("board.png")),
            ),
            ("storyboard to ~/b.png", storyboard(Some("~/b.png"))),
            ("storyboard trip.mp4", chat("storyboard trip.mp4")),
            (
                "add a storyboard at the end",
                chat("add a storyboard at the end"),
            ),
            (
                "make the storyboard brighter",
                chat("make the storyboard brighter"),
            ),
            ("timeline storyboard", storyboard(None)),
            ("看看故事板", storyboard(None)),
            ("显示分镜", storyboard(None)),
            ("生成时间线的故事板", storyboard(None)),
            ("给分镜加音乐", chat("给分镜加音乐")),
        ]
    }

    #[test]
    fn routes_table_of_utterances() {
        let cases = cases();
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(line, want)| {
                let got = route(line);
                (got != *want).then(|| format!("{line:?}: want {want:?}, got {got:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "misrouted:\n{}", failures.join("\n"));
    }

    #[test]
    fn table_is_big_and_bilingual() {
        let cases = cases();
        let zh = cases.iter().filter(|(l, _)| l.chars().any(is_cjk)).count();
        assert!(cases.len() >= 100, "only {} cases", cases.len());
        assert!(zh >= 30, "only {zh} Chinese cases");
    }

    #[test]
    fn every_command_parses_by_name_and_alias() {
        for info in COMMANDS {
            for name in std::iter::once(&info.name).chain(info.aliases) {
                for typed in [name.to_string(), name.to_uppercase()] {
                    let line = format!("/{typed} some arg");
                    assert_eq!(
                        parse_slash(&line),
                        Some(slash(info.command.clone(), "some arg")),
                        "{line}"
                    );
                    assert_eq!(route(&line), slash(info.command.clone(), "some arg"));
                }
            }
            assert!(info.usage.starts_with(&format!("/{}", info.name)));
            assert!(info.example.starts_with(&format!("/{}", info.name)));
            assert_eq!(info.command.info().name, info.name);
        }
    }

    #[test]
    fn command_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for info in COMMANDS {
            for name in std::iter::once(&info.name).chain(info.aliases) {
                assert!(seen.insert(*name), "duplicate command name {name}");
            }
        }
    }

    #[test]
    fn parse_slash_leaves_non_commands_alone() {
        assert_eq!(parse_slash("export"), None);
        assert_eq!(parse_slash(""), None);
        assert_eq!(parse_slash("/home/a/x.jpg"), None);
        assert_eq!(parse_slash("/x.JPG"), None);
        assert_eq!(parse_slash("/tmp/My Photos/a.png"), None);
        assert_eq!(parse_slash("/nope"), Some(unknown("/nope")));
    }

    #[test]
    fn lookup_accepts_slash_and_case() {
        assert_eq!(lookup("export").map(|i| i.name), Some("export"));
        assert_eq!(lookup("/E").map(|i| i.name), Some("export"));
        assert_eq!(lookup("?").map(|i| i.name), Some("help"));
        assert!(lookup("nope").is_none());
    }

    #[test]
    fn routed_note_only_for_local_actions() {
        assert_eq!(
            routed_note(&Intent::Credits).as_deref(),
            Some("→ credits (type /credits; anything else goes to the editor)")
        );
        assert_eq!(
            routed_note(&export()).as_deref(),
            Some("→ export (type /export; anything else goes to the editor)")
        );
        assert_eq!(
            routed_note(&export_to("trip.mp4")).as_deref(),
            Some("→ export to trip.mp4 (type /export; anything else goes to the editor)")
        );
        assert_eq!(
            routed_note(&Intent::Status).as_deref(),
            Some("→ status (type /status; anything else goes to the editor)")
        );
        assert_eq!(
            routed_note(&Intent::UploadHelp).as_deref(),
            Some("→ upload help (type /upload; anything else goes to the editor)")
        );
        assert_eq!(routed_note(&Intent::Nothing), None);
        assert_eq!(routed_note(&chat("hi")), None);
        assert_eq!(routed_note(&slash(Command::Credits, "")), None);
        assert_eq!(routed_note(&unknown("/x")), None);
    }

    /// The edit guard is "not a frame word"; make sure nobody weakens it by
    /// adding an edit verb or edited object to a frame list.
    #[test]
    fn edit_words_are_never_frame_words() {
        const EDIT_EN: &[&str] = &[
            "add", "added", "make", "change", "balance", "put", "set", "adjust", "remove",
            "increase", "decrease", "fade", "use", "apply", "cut", "trim", "audio", "music",
            "song", "track", "clip", "title", "text", "bar", "levels", "speed", "look",
        ];
        const EDIT_ZH: &[&str] = &[
            "加", "改", "调", "设置", "换", "删", "剪", "用", "音乐", "字幕", "标题", "栏",
        ];
        for words in ACTIONS {
            for w in EDIT_EN {
                assert!(
                    !words.en_frame.contains(w) && !SHARED_EN.contains(w),
                    "{w} is a frame word"
                );
            }
            // Chinese is segmented into whole words, so "可用" (available)
            // does not smuggle in "用" (use); compare whole words.
            for w in EDIT_ZH {
                assert!(
                    !words.zh_frame.contains(w) && !SHARED_ZH.contains(w),
                    "{w} is a frame word"
                );
            }
        }
    }

    #[test]
    fn tables_are_lowercase_and_disjoint_from_triggers() {
        for words in ACTIONS {
            // Another action's trigger may be a frame word here ("render
            // status": it yields, see `keyword_action`); its own, or a shared
            // word, never.
            for w in words.en_frame.iter().chain(SHARED_EN) {
                assert_eq!(*w, w.to_lowercase());
                for other in ACTIONS {
                    let shared = SHARED_EN.contains(w);
                    if other.action == words.action || shared {
                        assert!(
                            !other.en_triggers.iter().any(|p| p.len() == 1 && p[0] == *w),
                            "{w} is both a frame word and a trigger"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn extracts_paths() {
        assert_eq!(
            extract_path("export to (trip.mp4)").map(|p| p.0).as_deref(),
            Some("trip.mp4")
        );
        assert_eq!(extract_path("export 1080p MP4"), None);
        assert_eq!(extract_path("see https://x.io/a.mp4"), None);
        assert_eq!(
            extract_path("save to C:\\Videos\\a.mp4")
                .map(|p| p.0)
                .as_deref(),
            Some("C:\\Videos\\a.mp4")
        );
        assert_eq!(
            extract_path("导出为“旅行 视频.mp4”")
                .map(|p| p.0)
                .as_deref(),
            Some("旅行 视频.mp4")
        );
    }
}
