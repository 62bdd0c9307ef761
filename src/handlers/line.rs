//! One line of input, as typed at the prompt or read from a pipe, once the
//! router has decided what it asks for (`router::decide`, called by the
//! REPL): this carries the decision out, the upload first, then the action.

use std::io::IsTerminal;
use std::path::PathBuf;
use tokio_util::sync::CancellationToken;

use super::export::Options;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::router::{self, Action, Decision, COMMANDS};

/// What the loop does after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// Carry out what one line asks for.
pub async fn handle(ctx: &Ctx, decision: Decision, cancel: &CancellationToken) -> Result<Flow> {
    let Decision {
        upload,
        note,
        action,
    } = decision;
    if let Some(up) = upload {
        if let Some(n) = up.note {
            ctx.out.note(n);
        }
        let report = super::upload::upload(ctx, up.named, cancel).await?;
        // Nothing accepted: the instruction that came with the files is
        // not acted on (it was about them).
        if action == Action::Nothing || report.accepted.is_empty() {
            return super::upload::finish(report).map(|_| Flow::Continue);
        }
    }
    if let Some(n) = note {
        ctx.out.note(n);
    }
    run(ctx, action, cancel).await
}

/// Export from the prompt; at a terminal, say how to watch the result
/// (never opened by itself, and never offered to a script).
async fn export(ctx: &Ctx, output: Option<PathBuf>, cancel: &CancellationToken) -> Result<()> {
    let opts = Options {
        output,
        quality: "high".into(),
        force: false,
    };
    let delivered = super::export::run(ctx, &opts, cancel).await?;
    *ctx.last_video.lock().unwrap_or_else(|e| e.into_inner()) = Some(delivered.path);
    if std::io::stdin().is_terminal() && ctx.out.stdout_is_tty() {
        ctx.out.note("Type /play to watch it.");
    }
    Ok(())
}

async fn run(ctx: &Ctx, action: Action, cancel: &CancellationToken) -> Result<Flow> {
    match action {
        Action::Nothing => {}
        Action::Unknown(cmd) => {
            return Err(Error::Usage(format!(
                "Unknown command {cmd}. Type /help to see the commands."
            )))
        }
        Action::Help(topic) => ctx.out.line(help(topic.trim())),
        Action::UploadHelp => ctx.out.line(UPLOAD_HELP),
        Action::Export(path) => export(ctx, path, cancel).await?,
        Action::Storyboard(path) => {
            super::storyboard::run(ctx, path).await?;
        }
        Action::Credits => super::credits::run(ctx).await?,
        Action::Status => super::status::run(ctx, "/storyboard").await?,
        Action::Play => super::project::play(ctx)?,
        Action::Publish(args) => super::publish::from_prompt(ctx, &args, cancel).await?,
        Action::New => super::project::new(ctx).await?,
        Action::Open => super::project::open(ctx, false).await?,
        Action::Quit => return Ok(Flow::Quit),
        Action::History => history(ctx),
        Action::Chat(text) => {
            super::chat::send(ctx, &text, cancel).await?;
        }
    }
    Ok(Flow::Continue)
}

const UPLOAD_HELP: &str = "To upload, drag photos (or a folder) onto this terminal and press Enter, or type /upload followed by paths, a glob like ~/trip/*.jpg, or a link.";

/// `/history`: the last 20 lines said.
fn history(ctx: &Ctx) {
    let path = ctx.store.paths().history_file();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let start = lines.len().saturating_sub(20);
    if lines.is_empty() {
        ctx.out.line("Nothing said yet.");
    }
    for l in &lines[start..] {
        ctx.out.line(format!("  {l}"));
    }
}

/// `/help` and `/help COMMAND`.
pub fn help(topic: &str) -> String {
    if let Some(c) = (!topic.is_empty()).then(|| router::lookup(topic)).flatten() {
        let aliases = if c.aliases.is_empty() {
            String::new()
        } else {
            format!(
                " (also {})",
                c.aliases
                    .iter()
                    .map(|a| format!("/{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return format!(
            "{}{aliases}\n  {}\n  e.g. {}",
            c.usage, c.summary, c.example
        );
    }
    let mut s = String::from(
        "Talk to the editor in plain words — \"turn these images into a YouTube video with music and transitions\", \"slower transitions\", \"title: Iceland 2026\".\nDrag photos or a folder onto the terminal to upload them. Commands:\n",
    );
    // Columns as wide as the longest usage and summary.
    let uw = COMMANDS
        .iter()
        .map(|c| c.usage.chars().count())
        .max()
        .unwrap_or(0);
    let sw = COMMANDS
        .iter()
        .map(|c| c.summary.chars().count())
        .max()
        .unwrap_or(0);
    for c in COMMANDS {
        s.push_str(&format!(
            "  {:<uw$} {:<sw$} e.g. {}\n",
            c.usage, c.summary, c.example
        ));
    }
    s.push_str("Words work too: \"export\", \"credits\", \"status\" (导出, 积分, 状态). Ctrl-C cancels the current step; Ctrl-D or /quit leaves.");
    s
}
