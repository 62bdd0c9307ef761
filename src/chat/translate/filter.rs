//! [`TextFilter`]: the translator applied to a streamed reply. Ordinary
//! text passes at once, a possible GUI phrase is held until its sentence
//! ends, and the backend's trailing "temporary issue" noise is dropped.

use super::triggers::{trigger_at, TMatch};
use super::{translate_sentence, GuiAction};

/// Openings of the backend's canned error message (lowercase). After real text it is noise.
const TEMP_ISSUE: &[&str] = &[
    "i encountered a temporary issue",
    "我遇到了一个临时问题",
    "我遇到了临时问题",
    "遇到了一个临时问题",
    "遇到了临时问题",
];

/// Where the current message stands with respect to [`TEMP_ISSUE`].
#[derive(Debug, Default)]
enum Probe {
    /// Not checking (first message, or nothing shown yet, or already diverged).
    #[default]
    Off,
    /// Text of a later message, held while it is still a prefix of the phrase.
    Holding(String),
    /// The message is the noise message: swallow it.
    Dropping,
}

enum Phrase {
    Matched,
    Prefix,
    Diverged,
}

fn probe_phrase(buf: &str) -> Phrase {
    let t = buf.trim_start().to_ascii_lowercase();
    if TEMP_ISSUE.iter().any(|p| t.starts_with(p)) {
        Phrase::Matched
    } else if TEMP_ISSUE.iter().any(|p| p.starts_with(t.as_str())) {
        Phrase::Prefix
    } else {
        Phrase::Diverged
    }
}

/// Streaming wrapper.
///
/// Shows the reply as it arrives: a piece comes back from [`push`](Self::push) at once unless
/// the current sentence has reached a trigger word (or ends with what may become one, like
/// "cli" or "点"). From there the sentence is held until it ends (`. ! ?` followed by a
/// non-alphanumeric character, `。！？`, a newline, a new message or [`finish`](Self::finish)) and
/// is then emitted through [`translate_sentence`]. Because that function never changes text
/// before the first trigger, the concatenated output equals translating each whole sentence.
///
/// It also drops the backend's trailing "I encountered a temporary issue" message when real text
/// was already shown in the turn. Use one filter per turn.
#[derive(Debug, Default)]
pub struct TextFilter {
    actions: Vec<GuiAction>,
    said: bool,
    /// Text produced by `new_message` (which returns nothing), handed out by the next call.
    pending_out: String,
    /// Whitespace at the end of everything emitted so far.
    tail_ws: String,
    probe: Probe,
    /// The current sentence, raw.
    sentence: String,
    /// Bytes of `sentence` already emitted (always before any trigger).
    emitted: usize,
    /// A complete trigger starts here: hold to the end of the sentence.
    hold_from: Option<usize>,
    /// The sentence ended in `.`/`!`/`?`; the next character decides whether it is over.
    pending_term: bool,
    /// `. ! ?` only end a sentence with letters ("1." in a list does not).
    has_letter: bool,
    /// Whitespace after a sentence that vanished entirely, not yet emitted.
    vanish_ws: Option<String>,
}

impl TextFilter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new model message starts within the same turn (the caller knows from the event stream).
    ///
    /// Ends the previous message's unfinished sentence (its text comes out of the next `push` or
    /// `finish`) and, when text was already shown, starts watching for the noise message.
    pub fn new_message(&mut self) {
        let mut out = std::mem::take(&mut self.pending_out);
        self.flush_message(&mut out);
        self.pending_out = out;
        self.probe = if self.said {
            Probe::Holding(String::new())
        } else {
            Probe::Off
        };
    }

    /// Feed a piece; returns the text that is safe to show now.
    pub fn push(&mut self, piece: &str) -> String {
        let mut out = std::mem::take(&mut self.pending_out);
        let released;
        let text = match &mut self.probe {
            Probe::Dropping => return out,
            Probe::Off => piece,
            Probe::Holding(buf) => {
                buf.push_str(piece);
                match probe_phrase(buf) {
                    Phrase::Matched => {
                        self.probe = Probe::Dropping;
                        return out;
                    }
                    Phrase::Prefix => return out,
                    Phrase::Diverged => {
                        released = std::mem::take(buf);
                        self.probe = Probe::Off;
                        released.as_str()
                    }
                }
            }
        };
        self.feed(text, &mut out);
        out
    }

    /// The turn ended: flush everything held back.
    pub fn finish(&mut self) -> String {
        let mut out = std::mem::take(&mut self.pending_out);
        self.flush_message(&mut out);
        self.vanish_ws = None;
        out
    }

    /// Deduplicated actions collected so far, in first-seen order.
    pub fn actions(&self) -> Vec<GuiAction> {
        self.actions.clone()
    }

    /// True when any text has been shown in this turn.
    ///
    /// Counts visible (non-whitespace) text, including text already queued for the next call.
    pub fn said_anything(&self) -> bool {
        self.said
    }

    fn flush_message(&mut self, out: &mut String) {
        if let Probe::Holding(buf) = std::mem::take(&mut self.probe) {
            // Never became the noise phrase: it is ordinary text.
            self.feed(&buf, out);
        }
        self.end_sentence(out);
    }

    fn feed(&mut self, text: &str, out: &mut String) {
        for c in text.chars() {
            self.feed_char(c, out);
        }
        self.release(out);
    }

    fn feed_char(&mut self, c: char, out: &mut String) {
        if self.pending_term {
            if matches!(c, '.' | '!' | '?') {
                self.sentence.push(c);
                return;
            }
            self.pending_term = false;
            if !c.is_alphanumeric() {
                self.end_sentence(out);
            }
        }
        if let Some(ws) = self.vanish_ws.as_mut() {
            if c.is_whitespace() {
                ws.push(c);
                return;
            }
            let ws = self.vanish_ws.take().unwrap_or_default();
            self.emit_separator(&ws, out);
        }
        self.sentence.push(c);
        self.has_letter |= c.is_alphabetic();
        match c {
            '\n' | '。' | '！' | '？' => self.end_sentence(out),
            '.' | '!' | '?' if self.has_letter => self.pending_term = true,
            _ => {}
        }
    }

    /// Emits the sentence up to the hold point.
    fn release(&mut self, out: &mut String) {
        let hold = self.hold_point();
        if hold > self.emitted {
            let text = self.sentence[self.emitted..hold].to_string();
            self.emit(&text, out);
            self.emitted = hold;
        }
    }

    fn hold_point(&mut self) -> usize {
        if let Some(h) = self.hold_from {
            return h;
        }
        for (i, _) in self.sentence[self.emitted..].char_indices() {
            let q = self.emitted + i;
            match trigger_at(&self.sentence, q, false) {
                TMatch::Full(..) => {
                    self.hold_from = Some(q);
                    return q;
                }
                TMatch::Partial => return q,
                TMatch::None => {}
            }
        }
        self.sentence.len()
    }

    fn end_sentence(&mut self, out: &mut String) {
        self.pending_term = false;
        if self.sentence.is_empty() {
            return;
        }
        let sentence = std::mem::take(&mut self.sentence);
        let emitted = std::mem::take(&mut self.emitted);
        self.hold_from = None;
        self.has_letter = false;
        let (text, actions) = translate_sentence(&sentence);
        for a in actions {
            if !self.actions.contains(&a) {
                self.actions.push(a);
            }
        }
        // translate_sentence keeps the text before the first trigger; should that ever fail,
        // show the original rather than repeat or garble what is already on screen.
        let rest = match text.strip_prefix(&sentence[..emitted]) {
            Some(r) => r,
            None => &sentence[emitted..],
        };
        self.emit(rest, out);
        if text.trim().is_empty() && !sentence.trim().is_empty() {
            let body = sentence.trim_end().len();
            self.vanish_ws = Some(sentence[body..].to_string());
        }
    }

    /// After a sentence vanished, print only as much of the whitespace that followed it as is
    /// needed to keep paragraphs apart, so no blank lines or double spaces are left behind.
    fn emit_separator(&mut self, ws: &str, out: &mut String) {
        if !self.said {
            return;
        }
        let have = self.tail_ws.matches('\n').count();
        let want = ws.matches('\n').count();
        if self.tail_ws.is_empty() {
            self.emit(ws, out);
        } else if want > have {
            let from = match have {
                0 => 0,
                n => ws.match_indices('\n').nth(n - 1).map_or(0, |(i, _)| i + 1),
            };
            self.emit(&ws[from..], out);
        }
    }

    fn emit(&mut self, s: &str, out: &mut String) {
        if s.is_empty() {
            return;
        }
        out.push_str(s);
        match s.char_indices().rev().find(|(_, c)| !c.is_whitespace()) {
            Some((i, c)) => {
                self.said = true;
                self.tail_ws = s[i + c.len_utf8()..].to_string();
            }
            None => self.tail_ws.push_str(s),
        }
    }
}
