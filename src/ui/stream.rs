//! How a chat turn looks: the agent's text streamed to stdout the moment it
//! arrives, tool activity as a spinner (terminal) or a plain status line
//! (pipe) on stderr, and one JSON object per event in `--json` mode.
//!
//! The text is the agent's, so it goes through a [`Sanitizer`] that lasts
//! the whole message: an escape sequence cut between two pieces is dropped
//! whole, in `--json` mode too (its text events are what a person would
//! have seen).

use serde_json::json;

use super::sanitize::Sanitizer;
use super::{Out, Spinner};

pub struct ChatView {
    out: Out,
    spinner: Option<Spinner>,
    /// The cursor is at the start of a line on stdout.
    line_start: bool,
    /// Text shown in the current message (leading spaces are trimmed).
    message_started: bool,
    last_label: Option<String>,
    /// Spaces at the end of the text shown, not printed yet.
    held_spaces: String,
    /// Where the message's text is, inside an escape sequence or not.
    sanitizer: Sanitizer,
}

impl ChatView {
    pub fn new(out: &Out) -> ChatView {
        ChatView {
            out: out.clone(),
            spinner: None,
            line_start: true,
            message_started: false,
            last_label: None,
            held_spaces: String::new(),
            sanitizer: Sanitizer::default(),
        }
    }

    /// Show a piece of the agent's text.
    pub fn text(&mut self, piece: &str) {
        let piece = self.sanitizer.feed(piece);
        let piece = if self.message_started {
            &piece[..]
        } else {
            piece.trim_start()
        };
        if piece.is_empty() {
            return;
        }
        self.spinner = None;
        self.message_started = true;
        self.out.json(json!({"type": "text", "text": piece}));
        // Spaces at the end are held until more text follows on the line,
        // so no line ends in them (as when a GUI sentence after them was
        // removed by the translation).
        let body = piece.trim_end_matches([' ', '\t']);
        if body.is_empty() {
            self.held_spaces.push_str(piece);
            return;
        }
        let held = std::mem::replace(&mut self.held_spaces, piece[body.len()..].to_string());
        if !held.is_empty() && !body.starts_with(['\n', '\r']) {
            self.out.text(&held);
        }
        self.out.text(body);
        self.line_start = body.ends_with('\n');
    }

    /// A new message of the agent starts: it goes on its own line.
    pub fn new_message(&mut self) {
        self.end_line();
        self.message_started = false;
        self.sanitizer.reset();
    }

    /// Finish the current line of text, if any.
    pub fn end_line(&mut self) {
        self.held_spaces.clear();
        if !self.line_start {
            self.out.text("\n");
            self.line_start = true;
        }
    }

    /// The agent is working (a tool call): show what, with elapsed time.
    pub fn working(&mut self, label: &str, tool: &str) {
        self.out
            .json(json!({"type": "tool", "name": tool, "label": label}));
        if self.last_label.as_deref() == Some(label) && self.spinner.is_some() {
            return;
        }
        self.last_label = Some(label.to_string());
        self.end_line();
        // Clear the old spinner before drawing the new one, or its clearing
        // would wipe the new line and leave stale frames behind.
        self.spinner = None;
        self.spinner = Some(self.out.spinner(&format!("{label}…")));
    }

    /// Waiting with no tool named yet.
    pub fn waiting(&mut self, label: &str) {
        if self.spinner.is_none() {
            self.spinner = Some(self.out.spinner_with(&format!("{label}…"), false));
        }
    }

    pub fn still_working(&mut self) {
        self.end_line();
        self.out
            .json(json!({"type": "status", "message": "Still working…"}));
        match &self.spinner {
            Some(s) if !s.is_hidden() => s.suspend(|| self.out.status("⏳ Still working…")),
            _ => self.out.status("⏳ Still working…"),
        }
    }

    /// A status line (stage done, recovery progress).
    pub fn notice(&mut self, msg: &str) {
        self.spinner = None;
        self.end_line();
        self.out.json(json!({"type": "status", "message": msg}));
        self.out.status(msg);
    }

    /// The server's failure for this turn, shown plainly.
    pub fn error(&mut self, msg: &str) {
        self.spinner = None;
        self.end_line();
        self.out
            .json(json!({"type": "agent_error", "message": msg}));
        self.out.error_line(msg);
    }

    /// What a silent edit changed, one line each, on stdout.
    pub fn changes(&mut self, lines: &[String]) {
        self.spinner = None;
        self.end_line();
        self.out.json(json!({"type": "changes", "lines": lines}));
        for l in lines {
            self.out.line(l);
        }
    }

    pub fn done(&mut self, said: bool, changed: bool) {
        self.spinner = None;
        self.end_line();
        self.out
            .json(json!({"type": "done", "said": said, "changed": changed}));
    }

    pub fn clear_spinner(&mut self) {
        self.spinner = None;
    }
}
