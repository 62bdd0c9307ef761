//! All terminal output goes through here: stdout is data (results, the
//! agent's replies), stderr is status and progress. Colour, spinners and
//! progress bars appear only on a terminal; `--json` turns results into one
//! JSON object per line; `--quiet` keeps results and errors only.
//!
//! Every text handed to [`Out`] is shown, never obeyed: its control
//! characters and escape sequences are removed ([`sanitize`]) before `Out`
//! adds its own colours, so callers pass plain text and ask for a style by
//! method ([`Out::note`], [`Out::heading`], [`Out::dim_line`]), never by
//! styling the text themselves.
//!
//! Pictures (the storyboard) are the one thing written as raw escape
//! sequences, and only to a terminal that said it can show them
//! ([`picture`], [`Out::picture`]).

pub mod picture;
pub mod progress;
pub mod publish;
pub mod report;
pub mod sanitize;
pub mod stream;

use serde_json::Value;
use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

pub use progress::Spinner;

#[derive(Debug, Clone, Copy)]
pub struct OutOptions {
    pub json: bool,
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// The one handle to the terminal, cheap to clone.
#[derive(Clone)]
pub struct Out {
    inner: Arc<Inner>,
}

struct Inner {
    opts: OutOptions,
    stdout_tty: bool,
    stderr_tty: bool,
}

/// Test hook read by the real binary: pretend both streams are terminals
/// (progress bars stay hidden; only the choice of layout changes).
fn pretend_term() -> bool {
    std::env::var_os("IMG2YT_TEST_PRETEND_TERM").is_some()
}

impl Out {
    pub fn new(mut opts: OutOptions) -> Out {
        let stdout_tty = io::stdout().is_terminal() || pretend_term();
        let stderr_tty = io::stderr().is_terminal() || pretend_term();
        if !stderr_tty && !stdout_tty {
            opts.color = false;
        }
        Out {
            inner: Arc::new(Inner {
                opts,
                stdout_tty,
                stderr_tty,
            }),
        }
    }

    pub fn opts(&self) -> OutOptions {
        self.inner.opts
    }

    pub fn is_json(&self) -> bool {
        self.inner.opts.json
    }

    pub fn is_verbose(&self) -> bool {
        self.inner.opts.verbose
    }

    /// stdout is a terminal (layout choices such as the timeline chart).
    pub fn stdout_is_tty(&self) -> bool {
        self.inner.stdout_tty
    }

    /// Spinners and bars may be drawn (stderr is a real terminal).
    pub fn animate(&self) -> bool {
        self.inner.stderr_tty
            && io::stderr().is_terminal()
            && !self.inner.opts.quiet
            && !self.inner.opts.json
    }

    /// A human result line on stdout (nothing in `--json` mode).
    pub fn line(&self, text: impl Display) {
        if !self.inner.opts.json {
            write_stdout(&format!("{}\n", clean(text)));
        }
    }

    /// A dim result line on stdout (the timeline chart).
    pub fn dim_line(&self, text: impl Display) {
        if !self.inner.opts.json {
            write_stdout(&format!("{}\n", self.dim(&clean(text))));
        }
    }

    /// Text on stdout exactly as given, flushed at once (streamed replies;
    /// [`stream::ChatView`] also joins sequences cut between pieces).
    pub fn text(&self, text: &str) {
        if !self.inner.opts.json {
            write_stdout(&sanitize::sanitize(text));
        }
    }

    /// A document img2yt generated itself (a completion script, the man
    /// page) on stdout exactly as it is, whatever the mode.
    pub fn document(&self, bytes: &[u8]) {
        write_stdout(&String::from_utf8_lossy(bytes));
    }

    /// A picture img2yt wrote (the storyboard), after `label`: drawn inline
    /// when stdout and stdin are a terminal that says it can show images
    /// ([`picture`]), then its path, as a link where the terminal supports
    /// them. Plain path when stdout is not a terminal; nothing in `--json`
    /// mode (the caller's JSON names the path).
    pub fn picture(&self, label: &str, path: &Path, png: &[u8], rgb: &image::RgbImage) {
        if self.inner.opts.json {
            return;
        }
        let tty = io::stdout().is_terminal();
        if tty && io::stdin().is_terminal() {
            if let Some(caps) = ask_terminal() {
                let cols = console::Term::stdout()
                    .size_checked()
                    .map_or(80, |(_, w)| w);
                write_stdout_bytes(&picture::encode(caps, png, rgb, cols));
            }
        }
        let shown = clean(path.display());
        let shown = if tty && supports_hyperlinks::supports_hyperlinks() {
            picture::link(path, &shown)
        } else {
            shown
        };
        write_stdout(&format!("{}{shown}\n", clean(label)));
    }

    /// One JSON object on its own line (only in `--json` mode). JSON
    /// escapes control characters in strings; the C1 ones it leaves are
    /// escaped here.
    pub fn json(&self, value: Value) {
        if self.inner.opts.json {
            let line = value.to_string();
            write_stdout(&format!("{}\n", sanitize::escape_c1_in_json(&line)));
        }
    }

    /// A result: the human line, or the JSON object in `--json` mode.
    pub fn result(&self, human: impl Display, json: Value) {
        if self.inner.opts.json {
            self.json(json);
        } else {
            self.line(human);
        }
    }

    /// A status line on stderr (hidden by `--quiet`).
    pub fn status(&self, text: impl Display) {
        self.status_styled(clean(text));
    }

    /// A dim note on stderr, e.g. how a line was routed.
    pub fn note(&self, text: impl Display) {
        self.status_styled(self.dim(&clean(text)));
    }

    /// A bold status line on stderr (the steps of `make`).
    pub fn heading(&self, text: impl Display) {
        self.status_styled(self.bold(&clean(text)));
    }

    fn status_styled(&self, styled: String) {
        if !self.inner.opts.quiet {
            write_stderr(&format!("{styled}\n"));
        }
    }

    /// A warning on stderr, shown even with `--quiet`.
    pub fn warn(&self, text: impl Display) {
        write_stderr(&format!("{} {}\n", self.yellow("warning:"), clean(text)));
    }

    /// A technical line on stderr, only with `--verbose`.
    pub fn debug(&self, text: impl Display) {
        if self.inner.opts.verbose {
            let t = self.dim(&format!("[debug] {}", clean(text)));
            write_stderr(&format!("{t}\n"));
        }
    }

    pub fn error_line(&self, text: impl Display) {
        write_stderr(&format!("{} {}\n", self.red("error:"), clean(text)));
    }

    fn paint(&self, s: &str, style: console::Style) -> String {
        if self.inner.opts.color {
            style.force_styling(true).apply_to(s).to_string()
        } else {
            s.to_string()
        }
    }

    // Styles are private to `ui`: a caller styling text itself would see
    // its colours removed with the rest of the escape sequences.
    fn dim(&self, s: &str) -> String {
        self.paint(s, console::Style::new().dim())
    }
    fn bold(&self, s: &str) -> String {
        self.paint(s, console::Style::new().bold())
    }
    fn red(&self, s: &str) -> String {
        self.paint(s, console::Style::new().red().bold())
    }
    fn yellow(&self, s: &str) -> String {
        self.paint(s, console::Style::new().yellow())
    }
}

/// A text shown but not obeyed (see the module doc).
fn clean(text: impl Display) -> String {
    let text = text.to_string();
    match sanitize::sanitize(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(s) => s,
    }
}

/// Write to stdout and flush. A closed pipe (`img2yt status | head -1`) is
/// not an error: the reader has all it wanted, so exit quietly with success.
fn write_stdout(s: &str) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

fn write_stdout_bytes(b: &[u8]) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(b).and_then(|_| out.flush()) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Which image protocol the terminal on stdin/stdout speaks, if any.
/// `TERM` can only rule a terminal out: a dumb one would not answer, and
/// the Linux console prints the kitty query it does not know as text.
#[cfg(unix)]
fn ask_terminal() -> Option<picture::Caps> {
    if std::env::var("TERM").is_ok_and(|t| t == "dumb" || t == "linux") {
        return None;
    }
    let mut term = picture::Stdio::open().ok()?;
    let program = std::env::var("TERM_PROGRAM").ok();
    picture::detect(&mut term, picture::TIMEOUT, program.as_deref())
}

/// Asking needs raw mode, which img2yt only does on Unix for now.
#[cfg(not(unix))]
fn ask_terminal() -> Option<picture::Caps> {
    None
}

fn write_stderr(s: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(s.as_bytes());
    let _ = err.flush();
}
