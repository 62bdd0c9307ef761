//! The line sources: the interactive prompt (rustyline) and piped stdin.
//! Both feed every line to `handlers::line`; the REPL only reads lines,
//! keeps history and turns Ctrl-C into "cancel this step".

mod helper;

use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::Editor;
use std::future::Future;
use std::io::BufRead;
use std::io::IsTerminal;
use tokio_util::sync::CancellationToken;

use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::handlers::line::{self, Flow};
use crate::handlers::{export, status};
use crate::input::paths::Dirs;
use crate::router;
use crate::timeline;

pub use helper::complete_command;

/// Run `fut` with a fresh token that the first Ctrl-C cancels; the future
/// gets to finish (and say what happened) instead of being dropped.
pub async fn with_ctrl_c<F: Future>(cancel: &CancellationToken, fut: F) -> F::Output {
    tokio::pin!(fut);
    loop {
        tokio::select! {
            out = &mut fut => return out,
            r = tokio::signal::ctrl_c(), if !cancel.is_cancelled() => {
                if r.is_ok() {
                    cancel.cancel();
                }
            }
        }
    }
}

/// `img2yt` with no subcommand.
pub async fn run(ctx: &Ctx, keep_going: bool) -> Result<()> {
    if std::io::stdin().is_terminal() {
        interactive(ctx).await
    } else {
        pipe(ctx, keep_going).await
    }
}

/// Piped stdin: each line as at the prompt; stop at the first failure
/// (with its exit code) unless `keep_going`.
async fn pipe(ctx: &Ctx, keep_going: bool) -> Result<()> {
    let mut lines = stdin_lines();
    let mut first_failure: Option<u8> = None;
    let mut n = 0usize;
    // Ctrl-C while waiting for the next line stops the run: once the first
    // line has run, tokio's handler has replaced the default SIGINT action,
    // so without this the signal would be swallowed. One listener for the
    // whole run: a signal between two lines, when a per-wait `ctrl_c()`
    // would not be listening yet, is kept for the next wait.
    #[cfg(unix)]
    let mut interrupts = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| Error::Input(format!("Cannot listen for Ctrl-C: {e}")))?;
    loop {
        #[cfg(unix)]
        let interrupted = interrupts.recv();
        #[cfg(not(unix))]
        let interrupted = async { tokio::signal::ctrl_c().await.ok() };
        let next = tokio::select! {
            l = lines.recv() => l,
            Some(()) = interrupted => return Err(Error::Interrupted),
        };
        let line = match next {
            Some(Ok(l)) => l,
            None => break,
            Some(Err(e)) => return Err(Error::Input(format!("Cannot read the input: {e}"))),
        };
        n += 1;
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let decision = router::decide(t, &Dirs::current());
        let cancel = CancellationToken::new();
        match with_ctrl_c(&cancel, line::handle(ctx, decision, &cancel)).await {
            Ok(Flow::Quit) => break,
            Ok(Flow::Continue) => {}
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(e) => {
                ctx.out.report(&e);
                if !keep_going {
                    ctx.out.note(format!(
                        "Stopped at line {n}; the rest was not run (use --keep-going to go on)."
                    ));
                    return Err(Error::Reported(e.exit_code()));
                }
                first_failure.get_or_insert(e.exit_code());
            }
        }
    }
    match first_failure {
        Some(code) => Err(Error::Reported(code)),
        None => Ok(()),
    }
}

/// Lines of stdin, read on a plain thread. Not `tokio::io::stdin`: its read
/// runs on the runtime's blocking pool, and a read still waiting on an open
/// pipe (a run stopped by Ctrl-C) would keep the runtime from shutting
/// down, so the process would never exit. A plain thread dies with it.
fn stdin_lines() -> tokio::sync::mpsc::Receiver<std::io::Result<String>> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let failed = line.is_err();
            if tx.blocking_send(line).is_err() || failed {
                break;
            }
        }
    });
    rx
}

async fn interactive(ctx: &Ctx) -> Result<()> {
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_dups(true)
        .map_err(|e| Error::Io(e.to_string()))?
        .max_history_size(1000)
        .map_err(|e| Error::Io(e.to_string()))?
        .completion_type(CompletionType::List)
        .bracketed_paste(true)
        .build();
    let mut ed: Editor<helper::ReplHelper, FileHistory> = Editor::with_config(config)
        .map_err(|e| Error::Io(format!("Cannot start the prompt: {e}")))?;
    ed.set_helper(Some(helper::ReplHelper::new(ctx.out.opts().color)));
    let history = ctx.store.paths().history_file();
    let _ = ed.load_history(&history);

    let pending = greet(ctx).await;
    if pending {
        let (e, answer) = read(
            ed,
            "A render from earlier is ready to download. Get it now? [Y/n] ".into(),
        )
        .await;
        ed = e;
        if let Ok(a) = answer {
            if !a.trim().to_lowercase().starts_with('n') {
                let cancel = CancellationToken::new();
                let opts = export::Options {
                    output: None,
                    quality: "high".into(),
                    force: false,
                };
                if let Err(e) = with_ctrl_c(&cancel, export::run_pending(ctx, &opts, &cancel)).await
                {
                    ctx.out.report(&e);
                }
            }
        }
    }

    let prompt = if ctx.out.opts().color {
        "\x1b[1;36m›\x1b[0m ".to_string()
    } else {
        "› ".to_string()
    };
    loop {
        let (e, r) = read(ed, prompt.clone()).await;
        ed = e;
        match r {
            Ok(line) => {
                let t = line.trim();
                if t.is_empty() {
                    continue;
                }
                let _ = ed.add_history_entry(t);
                if ed.save_history(&history).is_ok() {
                    let _ = crate::store::atomic::set_private(&history);
                }
                let decision = router::decide(t, &Dirs::current());
                let cancel = CancellationToken::new();
                match with_ctrl_c(&cancel, line::handle(ctx, decision, &cancel)).await {
                    Ok(Flow::Quit) => break,
                    Ok(Flow::Continue) => {}
                    Err(Error::Interrupted) => {}
                    Err(e) => ctx.out.report(&e),
                }
            }
            Err(ReadlineError::Interrupted) => {
                ctx.out.note("(Line cleared. Ctrl-D or /quit leaves.)");
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(Error::Io(format!("The prompt failed: {e}"))),
        }
    }
    ctx.out
        .note("Bye! Your project is kept — run img2yt again to continue.");
    Ok(())
}

type Ed = Editor<helper::ReplHelper, FileHistory>;

/// Read a line on a blocking thread (rustyline is synchronous).
async fn read(mut ed: Ed, prompt: String) -> (Ed, rustyline::Result<String>) {
    tokio::task::spawn_blocking(move || {
        let r = ed.readline(&prompt);
        (ed, r)
    })
    .await
    .expect("the prompt thread does not panic")
}

/// "Connecting…", then a greeting: what to do for a new user, the project
/// in one line for a returning one. Returns whether a render is waiting.
async fn greet(ctx: &Ctx) -> bool {
    let returning = ctx.api.session().is_some();
    let state = {
        let _s = ctx.out.spinner("Connecting…");
        match ctx.api.ensure_session().await {
            Ok(_) if returning => ctx.api.state().await.map(Some),
            Ok(_) => Ok(None),
            Err(e) => Err(e),
        }
    };
    match state {
        Ok(Some(state)) => {
            let draft = timeline::draft_of(&state).unwrap_or_default();
            let tl = timeline::parse_draft(&draft);
            if tl.tracks.is_empty() {
                ctx.out.line("Welcome back — your project is empty. Share your images (drag them here) or tell me what you have in mind.");
            } else {
                ctx.out
                    .line(format!("Welcome back — {}.", timeline::short(&tl)));
                if ctx.out.is_verbose() {
                    status::show(ctx, &state);
                }
            }
        }
        Ok(None) => ctx.out.line(GREETING),
        Err(e) => {
            ctx.out.report(&e.into());
            ctx.out.line(GREETING);
        }
    }
    !ctx.store.load().pending_renders.is_empty()
}

const GREETING: &str = "Share your images — drag them here — or tell me what you have in mind.\nTry: \"turn these images into a YouTube video with music and transitions\" · \"title: Iceland 2026\" · \"export 1080p MP4\"\nType /help for commands, Ctrl-D to leave.";
