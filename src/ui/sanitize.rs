//! Text img2yt did not write itself (the agent's replies, a server's error
//! message, names and titles from the draft, file names) is shown, never
//! obeyed. A terminal acts on escape sequences wherever they come from: an
//! OSC 52 writes the clipboard, an OSC 0 renames the window, `ESC [2J`
//! clears the screen. So every such text loses its control characters (C0
//! and C1, except newline and tab) and its escape sequences whole — CSI,
//! OSC, DCS, APC, PM and SOS strings, the two-character ESC forms, and
//! their 8-bit C1 spellings — before it is styled. Our own colours are
//! added after, by `ui` alone.
//!
//! Streamed text arrives in pieces and a sequence may be cut between two:
//! [`Sanitizer`] keeps where it is inside a sequence from one piece to the
//! next, so the rest of a cut sequence is swallowed too instead of shown as
//! `[2J`. Nothing is ever held back: inside a sequence there is nothing to
//! show, outside it each character goes out at once.

use std::borrow::Cow;

/// Where the filter is: in text, or somewhere inside an escape sequence.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Text,
    /// After ESC.
    Esc,
    /// After ESC and intermediate bytes (`ESC ( B`, `ESC # 8`).
    EscIntermediate,
    /// Control sequence (`ESC [` or U+009B): parameters until a final byte.
    Csi,
    /// A string (OSC, DCS, APC, PM, SOS) until BEL or ST.
    Str,
    /// ESC inside a string: `\` ends it (ST), anything else starts anew.
    StrEsc,
}

/// A filter for text that arrives in pieces (see the module doc).
#[derive(Debug, Default, Clone)]
pub struct Sanitizer {
    state: State,
}

impl Sanitizer {
    /// The showable part of the next piece.
    pub fn feed(&mut self, piece: &str) -> String {
        let mut out = String::with_capacity(piece.len());
        for c in piece.chars() {
            self.step(c, &mut out);
        }
        out
    }

    /// Forget an unfinished sequence (the message it was in has ended).
    pub fn reset(&mut self) {
        self.state = State::Text;
    }

    fn step(&mut self, c: char, out: &mut String) {
        // CAN and SUB abort any sequence (ECMA-48); they are not shown.
        if matches!(c, '\u{18}' | '\u{1a}') {
            self.state = State::Text;
            return;
        }
        match self.state {
            State::Text => match c {
                '\u{1b}' => self.state = State::Esc,
                '\u{9b}' => self.state = State::Csi,
                '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => self.state = State::Str,
                '\n' | '\t' => out.push(c),
                c if c.is_control() => {}
                c => out.push(c),
            },
            State::Esc => match c {
                '[' => self.state = State::Csi,
                ']' | 'P' | 'X' | '^' | '_' => self.state = State::Str,
                ' '..='/' => self.state = State::EscIntermediate,
                '0'..='~' => self.state = State::Text,
                _ => self.restart(c, out),
            },
            State::EscIntermediate => match c {
                ' '..='/' => {}
                '0'..='~' => self.state = State::Text,
                _ => self.restart(c, out),
            },
            State::Csi => match c {
                ' '..='?' => {}
                '@'..='~' => self.state = State::Text,
                _ => self.restart(c, out),
            },
            State::Str => match c {
                '\u{7}' | '\u{9c}' => self.state = State::Text,
                '\u{1b}' => self.state = State::StrEsc,
                _ => {}
            },
            State::StrEsc => match c {
                '\\' => self.state = State::Text,
                _ => {
                    self.state = State::Esc;
                    self.step(c, out);
                }
            },
        }
    }

    /// A character that cannot continue the sequence ends it unfinished
    /// and is taken as text (a newline stays a newline, an ESC starts anew).
    fn restart(&mut self, c: char, out: &mut String) {
        self.state = State::Text;
        self.step(c, out);
    }
}

/// `s` without control characters and escape sequences (an unfinished
/// sequence at the end is dropped too); borrowed when there was none.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(Sanitizer::default().feed(s))
}

/// A JSON line made safe to print: serde_json escapes C0 controls but
/// writes C1 ones (U+0080–U+009F, 8-bit CSI and OSC among them) as they
/// are. They can only occur inside strings, where `\u00XX` means the same
/// character, so the data is unchanged.
pub fn escape_c1_in_json(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if ('\u{80}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_texts() {
        let table: &[(&str, &str)] = &[
            ("plain text", "plain text"),
            ("two\nlines\tand a tab", "two\nlines\tand a tab"),
            ("ünïcödé — 中文 ✅", "ünïcödé — 中文 ✅"),
            // OSC 52 clipboard write, ended by BEL or by ST.
            ("a\u{1b}]52;c;SGVsbG8=\u{7}b", "ab"),
            ("a\u{1b}]52;c;SGVsbG8=\u{1b}\\b", "ab"),
            // Title change, 8-bit OSC and 8-bit ST.
            ("a\u{1b}]0;pwned\u{7}b", "ab"),
            ("a\u{9d}0;pwned\u{9c}b", "ab"),
            ("a\u{9d}0;pwned\u{7}b", "ab"),
            // CSI: clear screen, colours, private modes, 8-bit CSI.
            ("a\u{1b}[2Jb", "ab"),
            ("\u{1b}[1;31mred\u{1b}[0m", "red"),
            ("a\u{1b}[?1049hb", "ab"),
            ("a\u{9b}2Jb", "ab"),
            // DCS, APC, PM, SOS strings.
            ("a\u{1b}P1$qm\u{1b}\\b", "ab"),
            ("a\u{1b}_Gf=100;AAAA\u{1b}\\b", "ab"),
            ("a\u{1b}^privacy\u{1b}\\b", "ab"),
            ("a\u{1b}Xsos\u{1b}\\b", "ab"),
            ("a\u{90}dcs\u{9c}b", "ab"),
            // Two-character forms: full reset, save cursor, charset.
            ("a\u{1b}cb", "ab"),
            ("a\u{1b}7b", "ab"),
            ("a\u{1b}(Bb", "ab"),
            ("a\u{1b}#8b", "ab"),
            // Lone and unfinished: a lone ESC, ESC before a newline, an
            // unfinished CSI or OSC at the end.
            ("a\u{1b}", "a"),
            ("a\u{1b}\nb", "a\nb"),
            ("a\u{1b}[12", "a"),
            ("a\u{1b}]0;never ended", "a"),
            // A CSI broken by a control character ends there.
            ("a\u{1b}[1\nb", "a\nb"),
            ("a\u{1b}[1\u{1b}[2Jb", "ab"),
            // ESC inside a string that is not ST starts a new sequence.
            ("a\u{1b}]0;x\u{1b}[2Jb", "ab"),
            // CAN and SUB abort a sequence.
            ("a\u{1b}]0;x\u{18}b", "ab"),
            ("a\u{1b}[1\u{1a}b", "ab"),
            // Other controls: BEL, backspace, CR, DEL, C1 NEL, form feed.
            ("a\u{7}b\u{8}c\rd\u{7f}e\u{85}f\u{c}g", "abcdefg"),
            ("line\r\n", "line\n"),
        ];
        for (input, want) in table {
            assert_eq!(sanitize(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("fine\ttext\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn sequences_cut_between_pieces() {
        let table: &[(&[&str], &str)] = &[
            (&["photos\u{1b}", "[2J and"], "photos and"),
            (&["a\u{1b}]0;pw", "ned\u{7}b"], "ab"),
            (&["a\u{1b}]52;c;SGVs", "bG8=\u{1b}", "\\b"], "ab"),
            (&["a\u{1b}[", "1;", "31", "mb"], "ab"),
            (&["a\u{9b}", "2Jb"], "ab"),
            (&["a\u{1b}", "", "cb"], "ab"),
            (&["a", "b"], "ab"),
        ];
        for (pieces, want) in table {
            let mut s = Sanitizer::default();
            let got: String = pieces.iter().map(|p| s.feed(p)).collect();
            assert_eq!(got, *want, "pieces {pieces:?}");
            // Cut anywhere, the whole text gives the same.
            assert_eq!(sanitize(&pieces.concat()), *want, "pieces {pieces:?}");
        }
    }

    #[test]
    fn every_cut_of_a_hostile_text_gives_the_same() {
        let text = "Copied\u{1b}]52;c;SGVsbG8=\u{7} your \u{1b}]0;pwned\u{1b}\\photos\u{1b}[2J and \u{9b}1mmore\u{1b}c.";
        let want = "Copied your photos and more.";
        assert_eq!(sanitize(text), want);
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &i in &cuts {
            for &j in cuts.iter().filter(|&&j| j >= i) {
                let mut s = Sanitizer::default();
                let got = [&text[..i], &text[i..j], &text[j..]]
                    .iter()
                    .map(|p| s.feed(p))
                    .collect::<String>();
                assert_eq!(got, want, "cut at {i} and {j}");
            }
        }
    }

    #[test]
    fn reset_forgets_an_unfinished_sequence() {
        let mut s = Sanitizer::default();
        assert_eq!(s.feed("a\u{1b}]0;never ended"), "a");
        s.reset();
        assert_eq!(s.feed("next message"), "next message");
    }

    #[test]
    fn json_lines() {
        let table: &[(&str, &str)] = &[
            (r#"{"text":"plain ü"}"#, r#"{"text":"plain ü"}"#),
            ("{\"text\":\"a\u{9b}2Jb\"}", r#"{"text":"a\u009b2Jb"}"#),
            (
                "{\"text\":\"\u{9d}0;x\u{9c}\"}",
                r#"{"text":"\u009d0;x\u009c"}"#,
            ),
        ];
        for (line, want) in table {
            let got = escape_c1_in_json(line);
            assert_eq!(got, *want);
            let a: serde_json::Value = serde_json::from_str(line).unwrap();
            let b: serde_json::Value = serde_json::from_str(&got).unwrap();
            assert_eq!(a, b, "the data is unchanged");
        }
    }
}
