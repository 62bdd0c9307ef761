//! `new` (a fresh project) and `open` (the browser link via a claim token).

use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{Error, Result};

pub async fn new(ctx: &Ctx) -> Result<()> {
    let s = {
        let _s = ctx.out.spinner_with("Connecting…", false);
        ctx.api.new_session(false).await?
    };
    ctx.out.result(
        "Started a new, empty project. Share your images — drag them here — or describe the video you want.",
        json!({"type": "project", "session_id": s.session_id, "task_id": s.task_id}),
    );
    Ok(())
}

/// Get a claim-token link for the current project and remember the token.
pub async fn link(ctx: &Ctx) -> Result<String> {
    let claim = ctx.api.claim_token().await?;
    let link = ctx.api.claim_link(&claim.claim_token);
    let ct = claim.claim_token.clone();
    let sid = ctx.api.session().map(|s| s.session_id);
    ctx.store.update(|d| {
        if let Some(p) = d
            .project
            .as_mut()
            .filter(|p| Some(&p.session_id) == sid.as_ref())
        {
            p.claim_token = Some(ct);
        }
    })?;
    Ok(link)
}

pub async fn open(ctx: &Ctx, browser: bool) -> Result<()> {
    if ctx.local {
        ctx.out.result(
            "This project lives in the offline backend on this computer, so there is no web page for it: `status` shows the timeline and `export` makes the MP4.",
            json!({"type": "link", "url": null}),
        );
        return Ok(());
    }
    let link = {
        let _s = ctx.out.spinner_with("Connecting…", false);
        link(ctx).await?
    };
    ctx.out.result(
        format!("Open your project in the browser: {link}"),
        json!({"type": "link", "url": link}),
    );
    if browser {
        if let Err(e) = open_browser(&link) {
            ctx.out.warn(format!(
                "Could not open a browser ({e}); copy the link above."
            ));
        }
    }
    Ok(())
}

/// `/play`: open the video this run last saved with the system's player.
pub fn play(ctx: &Ctx) -> Result<()> {
    let last = ctx
        .last_video
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let Some(path) = last else {
        ctx.out
            .line("Nothing exported in this session yet: `/export` first, then `/play`.");
        return Ok(());
    };
    if !path.is_file() {
        return Err(Error::Input(format!(
            "{} is no longer there.",
            path.display()
        )));
    }
    open_with_system(&path.to_string_lossy()).map_err(|e| {
        Error::Io(format!(
            "Could not open a player ({e}); the video is {}.",
            path.display()
        ))
    })?;
    ctx.out.status(format!("Opening {}…", path.display()));
    Ok(())
}

fn open_browser(url: &str) -> std::io::Result<()> {
    open_with_system(url)
}

/// Open a link or a file with what the system uses for it.
fn open_with_system(target: &str) -> std::io::Result<()> {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(cmd)
        .arg(target)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
