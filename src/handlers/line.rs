//! One line of input, as typed at the prompt or read from a pipe: route it
//! (`router`), pick up dropped paths (`input::paths`), and run the handler.

use std::io::IsTerminal;
use tokio_util::sync::CancellationToken;

use super::export::Options;
use crate::app::Ctx;
use crate::error::{Error, Result};
use crate::input::paths;
use crate::router::{self, Command, Intent, COMMANDS};

/// What the loop does after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// Handle one line.
pub async fn handle(ctx: &Ctx, line: &str, cancel: &CancellationToken) -> Result<Flow> {
    let intent = router::route(line);
    // Only free text can carry dropped files: a line the router already
    // recognised as a local action ("export ~/trip.mp4") keeps its meaning
    // even when the path it names exists.
    if !matches!(intent, Intent::Chat(_) | Intent::UploadHelp) {
        return run(ctx, intent, cancel).await;
    }
    // Dropped paths: upload them, then treat the rest as the instruction.
    let (cwd, home) = super::upload::env_dirs();
    let found = paths::extract(
        line,
        &paths::Env {
            cwd: &cwd,
            home: home.as_deref(),
        },
    );
    // A dropped folder with nothing to upload is still an upload: say why
    // rather than send its path to the editor as words.
    if found.files.is_empty() && found.urls.is_empty() && found.empty.is_empty() {
        return run(ctx, intent, cancel).await;
    }
    ctx.out.note("→ upload (dropped files)");
    let report = super::upload::upload(ctx, &found, Vec::new(), cancel).await?;
    let rest = found.rest.trim();
    if rest.is_empty() {
        return super::upload::finish(report).map(|_| Flow::Continue);
    }
    if report.accepted.is_empty() {
        return super::upload::finish(report).map(|_| Flow::Continue);
    }
    run(ctx, router::route(rest), cancel).await
}

/// Export from the prompt; at a terminal, say how to watch the result
/// (never opened by itself, and never offered to a script).
async fn export(ctx: &Ctx, path: Option<String>, cancel: &CancellationToken) -> Result<()> {
    let delivered = super::export::run(ctx, &export_opts(path), cancel).await?;
    *ctx.last_video.lock().unwrap_or_else(|e| e.into_inner()) = Some(delivered.path);
    if std::io::stdin().is_terminal() && ctx.out.stdout_is_tty() {
        ctx.out.note("Type /play to watch it.");
    }
    Ok(())
}

fn export_opts(path: Option<String>) -> Options {
    Options {
        output: path
            .filter(|p| !p.trim().is_empty())
            .map(|p| expand_home(p.trim())),
        quality: "high".into(),
        force: false,
    }
}

fn expand_home(p: &str) -> std::path::PathBuf {
    let p = p.trim_matches(|c| c == '"' || c == '\'');
    match (p.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(b)) => b.home_dir().join(rest),
        _ => p.into(),
    }
}

async fn run(ctx: &Ctx, intent: Intent, cancel: &CancellationToken) -> Result<Flow> {
    if let Some(note) = router::routed_note(&intent) {
        ctx.out.note(note);
    }
    match intent {
        Intent::Nothing => {}
        Intent::UnknownSlash(cmd) => {
            return Err(Error::Usage(format!(
                "Unknown command {cmd}. Type /help to see the commands."
            )))
        }
        Intent::Slash { command, arg } => return slash(ctx, command, arg, cancel).await,
        Intent::Export { path } => export(ctx, path, cancel).await?,
        Intent::Credits => super::credits::run(ctx).await?,
        Intent::Status => super::status::run(ctx, "/storyboard").await?,
        Intent::Storyboard { path } => {
            super::storyboard::run(ctx, path.map(|p| expand_home(&p))).await?;
        }
        Intent::UploadHelp => ctx.out.line(UPLOAD_HELP),
        Intent::Publish => super::publish::from_prompt(ctx, "", cancel).await?,
        Intent::Chat(text) => {
            super::chat::send(ctx, &text, cancel).await?;
        }
    }
    Ok(Flow::Continue)
}

const UPLOAD_HELP: &str = "To upload, drag photos (or a folder) onto this terminal and press Enter, or type /upload followed by paths, a glob like ~/trip/*.jpg, or a link.";

async fn slash(
    ctx: &Ctx,
    command: Command,
    arg: String,
    cancel: &CancellationToken,
) -> Result<Flow> {
    match command {
        Command::Upload => {
            if arg.trim().is_empty() {
                ctx.out.line(UPLOAD_HELP);
                return Ok(Flow::Continue);
            }
            let (cwd, home) = super::upload::env_dirs();
            let env = paths::Env {
                cwd: &cwd,
                home: home.as_deref(),
            };
            let (found, errors) = paths::expand_line(&arg, &env);
            let pre = errors
                .into_iter()
                .map(|(a, why)| format!("{a}: {why}"))
                .collect();
            let report = super::upload::upload(ctx, &found, pre, cancel).await?;
            super::upload::finish(report)?;
        }
        Command::Credits => super::credits::run(ctx).await?,
        Command::Status => super::status::run(ctx, "/storyboard").await?,
        Command::Storyboard => {
            let path = (!arg.trim().is_empty()).then(|| expand_home(arg.trim()));
            super::storyboard::run(ctx, path).await?;
        }
        Command::Export => export(ctx, Some(arg), cancel).await?,
        Command::Play => super::project::play(ctx)?,
        Command::Publish => super::publish::from_prompt(ctx, &arg, cancel).await?,
        Command::New => super::project::new(ctx).await?,
        Command::Open => super::project::open(ctx, false).await?,
        Command::Help => ctx.out.line(help(arg.trim())),
        Command::Quit => return Ok(Flow::Quit),
        Command::History => {
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
    }
    Ok(Flow::Continue)
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
