//! rustyline glue: completion of slash commands and file paths, hints from
//! history and command usage, dim hints when colour is on.

use std::borrow::Cow;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use crate::router::COMMANDS;

pub struct ReplHelper {
    files: FilenameCompleter,
    history: HistoryHinter,
    color: bool,
}

impl ReplHelper {
    pub fn new(color: bool) -> Self {
        ReplHelper {
            files: FilenameCompleter::new(),
            history: HistoryHinter::new(),
            color,
        }
    }
}

/// Slash commands (names and aliases) starting with `word`.
pub fn complete_command(word: &str) -> Vec<String> {
    let w = word.trim_start_matches('/').to_lowercase();
    let mut out: Vec<String> = COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .filter(|n| n.len() > 1 && n.starts_with(&w))
        .map(|n| format!("/{n}"))
        .collect();
    out.dedup();
    out
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = &line[..pos];
        if head.starts_with('/') && !head.contains(' ') && !head[1..].contains('/') {
            let pairs = complete_command(head)
                .into_iter()
                .map(|c| Pair {
                    display: c.clone(),
                    replacement: format!("{c} "),
                })
                .collect();
            return Ok((0, pairs));
        }
        self.files.complete(line, pos, ctx)
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if line.starts_with('/') && pos == line.len() && !line.contains(' ') {
            let matches = complete_command(line);
            if let [only] = matches.as_slice() {
                let rest = &only[line.len().min(only.len())..];
                let usage = crate::router::lookup(only).map(|c| c.summary).unwrap_or("");
                return Some(format!("{rest}  — {usage}"));
            }
        }
        self.history.hint(line, pos, ctx)
    }
}

impl Highlighter for ReplHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
}

impl Validator for ReplHelper {}
impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_commands_and_aliases() {
        assert_eq!(complete_command("/ex"), vec!["/export", "/exit"]);
        assert_eq!(complete_command("/cr"), vec!["/credits"]);
        assert!(complete_command("/zz").is_empty());
        assert!(complete_command("/").len() >= 9);
    }
}
