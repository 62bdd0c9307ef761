//! `status` / `state`: the timeline summary, and on a terminal a small chart
//! plus the uploaded and generated media.

use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::timeline;

/// `storyboard_cmd` is how the user asks for the storyboard where they
/// are (`img2yt storyboard`, `/storyboard`): a terminal hears of it once a
/// run, under a timeline that has clips.
pub async fn run(ctx: &Ctx, storyboard_cmd: &str) -> Result<()> {
    let state = {
        let _s = ctx.out.spinner_with("Connecting…", false);
        ctx.api.state().await?
    };
    show(ctx, &state);
    let has_clips = timeline::parse_draft(&timeline::draft_of(&state).unwrap_or(Value::Null))
        .tracks
        .iter()
        .any(|t| t.kind == timeline::TrackKind::Video && !t.segments.is_empty());
    if has_clips
        && !ctx.out.is_json()
        && ctx.out.stdout_is_tty()
        && !ctx
            .storyboard_mentioned
            .swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        ctx.out
            .note(format!("See it as a picture: {storyboard_cmd}"));
    }
    Ok(())
}

/// Show a state document (also used after edits and by the REPL).
pub fn show(ctx: &Ctx, state: &Value) {
    let draft = timeline::draft_of(state).unwrap_or(Value::Null);
    let tl = timeline::parse_draft(&draft);
    let (uploaded, generated) = timeline::media_lines(state);
    if ctx.out.is_json() {
        ctx.out.json(json!({
            "type": "status",
            "summary": timeline::summary(&tl),
            "duration_ms": tl.duration_ms,
            "tracks": tl.tracks.len(),
            "exportable": timeline::is_exportable(&draft),
            "uploaded": uploaded,
            "generated": generated,
            "draft": draft,
        }));
        return;
    }
    ctx.out.line(timeline::summary(&tl));
    if ctx.out.stdout_is_tty() && !tl.tracks.is_empty() {
        let width = console::Term::stdout()
            .size_checked()
            .map_or(80, |(_, w)| w as usize);
        let chart = timeline::chart(&tl, width.clamp(40, 120).saturating_sub(40));
        ctx.out.dim_line(chart.trim_end());
    }
    if !uploaded.is_empty() {
        ctx.out.line(format!(
            "Uploaded ({}): {}",
            uploaded.len(),
            uploaded.join(", ")
        ));
    }
    if !generated.is_empty() {
        ctx.out.line(format!(
            "Generated ({}): {}",
            generated.len(),
            generated.join(", ")
        ));
    }
}
