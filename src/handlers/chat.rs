//! A chat turn: send one message over `/run_sse`, stream the reply, and make
//! sure the user is never left with silence or charged twice.
//!
//! - Text is shown as it arrives, after GUI translation (`chat::translate`).
//! - A turn that ends without text is a silent edit: the state is read
//!   again and what changed is reported (`timeline::diff`).
//! - A dropped stream or a timeout never re-sends the message: the state is
//!   polled instead (30 s, then 60 s, up to 5 unchanged reads, scaled).
//! - Ctrl-C stops waiting at once; the editor may still finish.

use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::api::ApiError;
use crate::chat::sse::{self, ChatEvent, Interpreter};
use crate::chat::translate::{GuiAction, TextFilter};
use crate::chat::two_stage_done;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::timeline;
use crate::ui::stream::ChatView;
use futures_util::StreamExt;

/// Built-in waits (before `IMG2YT_TIME_SCALE`).
const STILL_WORKING: Duration = Duration::from_secs(120);
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);
const TURN_LIMIT: Duration = Duration::from_secs(900);
const RECOVERY_WAITS: [u64; 5] = [30, 60, 60, 60, 60];

const DROPPED: &str = "The connection to the editor dropped.";
/// What follows every reason a reply ended early: the recovery.
const CHECKING: &str = "Checking whether your edit went through (nothing is sent again)…";

/// What a turn did, for the REPL and `make`.
#[derive(Debug, Default)]
pub struct Outcome {
    pub said: bool,
    pub changes: Vec<String>,
    pub state: Option<Value>,
}

/// How the stream ended.
enum End {
    Finished,
    Dropped(String),
    /// img2yt stopped reading (an event over the size limit).
    Refused(ApiError),
    TimedOut,
    Cancelled,
}

fn draft(state: &Option<Value>) -> Value {
    state
        .as_ref()
        .and_then(timeline::draft_of)
        .unwrap_or(Value::Null)
}

/// Send `text` to the editor and show the reply.
pub async fn send(ctx: &Ctx, text: &str, cancel: &CancellationToken) -> Result<Outcome> {
    let chars = text.chars().count();
    if chars > crate::wire::MAX_MESSAGE_CHARS {
        return Err(Error::Usage(format!(
            "Your message is {chars} characters long; the editor takes at most {}. Shorten it or say it in several messages.",
            group_thousands(crate::wire::MAX_MESSAGE_CHARS)
        )));
    }
    let mut view = ChatView::new(&ctx.out);
    view.waiting("Sending");
    // The state before, to tell what a silent edit changed. Best effort:
    // a failure here must not stop the message.
    let before = tokio::select! {
        _ = cancel.cancelled() => return Err(Error::Interrupted),
        s = ctx.api.state() => s.ok(),
    };
    let resp = tokio::select! {
        _ = cancel.cancelled() => return Err(Error::Interrupted),
        r = ctx.api.run_sse(text) => match r {
            Ok(resp) => resp,
            // The connection was made and the message written, then it
            // broke before the reply began: the editor may be working on
            // it. Like a drop mid-stream: check, never send it again.
            Err(e @ (ApiError::Broken { .. } | ApiError::Timeout { .. })) => {
                ctx.out.debug(format!("no reply stream: {e}"));
                view.notice(&format!("{DROPPED} {CHECKING}"));
                return recover(ctx, &mut view, before, cancel).await;
            }
            Err(e) => return Err(e.into()),
        },
    };
    view.waiting("Thinking");
    let mut interp = Interpreter::new();
    let mut filter = TextFilter::new();
    let mut events = Box::pin(sse::events(resp));
    let start = Instant::now();
    let mut last_text = Instant::now();
    let mut next_notice = ctx.scaled(STILL_WORKING);
    let mut agent_error: Option<String> = None;
    let mut two_stage = false;
    let mut stage_one_told = false;
    let mut said_text = String::new();
    let end = loop {
        let idle_deadline = last_text + ctx.scaled(IDLE_TIMEOUT);
        let notice_at = last_text + next_notice;
        let limit = start + ctx.scaled(TURN_LIMIT);
        let item = tokio::select! {
            biased;
            _ = cancel.cancelled() => break End::Cancelled,
            _ = tokio::time::sleep_until(limit.min(idle_deadline)) => break End::TimedOut,
            _ = tokio::time::sleep_until(notice_at) => {
                view.still_working();
                next_notice += ctx.scaled(STILL_WORKING);
                continue;
            }
            item = events.next() => item,
        };
        let (kind, data) = match item {
            None => break End::Finished,
            Some(Err(e @ ApiError::TooLarge { .. })) => break End::Refused(e),
            Some(Err(e)) => break End::Dropped(e.to_string()),
            Some(Ok(ev)) => ev,
        };
        if kind == "heartbeat" {
            continue;
        }
        let evs = match interp.feed_data(&data) {
            Ok(evs) => evs,
            Err(why) => {
                ctx.out.debug(why);
                continue;
            }
        };
        for ev in evs {
            match ev {
                ChatEvent::Text(t) => {
                    let shown = filter.push(&t);
                    if !two_stage {
                        said_text.push_str(&t);
                        two_stage = two_stage_done(&said_text);
                        // Only a phrase's start can be waiting for the next
                        // piece: keep a short tail, so a long reply is not
                        // scanned again for every piece.
                        keep_tail(&mut said_text, 64);
                    }
                    if !shown.is_empty() {
                        view.text(&shown);
                        last_text = Instant::now();
                        next_notice = ctx.scaled(STILL_WORKING);
                    }
                }
                ChatEvent::NewMessage => {
                    let rest = end_message(&mut filter);
                    if !rest.is_empty() {
                        view.text(&rest);
                    }
                    view.new_message();
                }
                ChatEvent::Tool(name) => {
                    let rest = end_message(&mut filter);
                    if !rest.is_empty() {
                        view.text(&rest);
                    }
                    if two_stage && !stage_one_told {
                        stage_one_told = true;
                        view.notice("✅ Stage 1 done: the raw video is ready. The editor is now adding music, titles and effects.");
                    }
                    view.working(&sse::tool_label(&name), &name);
                }
                ChatEvent::Error(msg) => {
                    view.error(&format!("The editor reported a problem: {msg}"));
                    agent_error = Some(msg);
                }
                ChatEvent::Alive => {}
            }
        }
    };
    let rest = filter.finish();
    if !rest.is_empty() {
        view.text(&rest);
    }
    view.end_line();
    // A reply that was only a GUI instruction ("Open the timeline panel.")
    // was answered by doing it (showing the timeline): not a silent turn.
    let said = filter.said_anything() || !filter.actions().is_empty();
    match end {
        End::Finished => {}
        End::Cancelled => {
            view.notice("Stopped waiting. The editor may still finish this in the background — `status` will show it.");
            return Err(Error::Interrupted);
        }
        End::Dropped(why) => {
            ctx.out.debug(format!("stream ended early: {why}"));
            view.notice(&format!("{DROPPED} {CHECKING}"));
            return recover(ctx, &mut view, before, cancel).await;
        }
        End::Refused(e) => {
            view.notice(&format!("{e} {CHECKING}"));
            return recover(ctx, &mut view, before, cancel).await;
        }
        End::TimedOut => {
            view.notice(&format!(
                "The editor has not answered for a long time. {CHECKING}"
            ));
            return recover(ctx, &mut view, before, cancel).await;
        }
    }
    if let Some(msg) = agent_error.filter(|_| !said) {
        view.done(false, false);
        // Already shown plainly as it arrived (`view.error`): reporting it
        // again would print the same failure twice. Only the exit code is
        // left, and the error object scripts expect in `--json` mode.
        let err = Error::Agent(msg);
        ctx.out.json(serde_json::json!({
            "type": "error",
            "message": err.to_string(),
            "exit_code": err.exit_code(),
        }));
        return Err(Error::Reported(err.exit_code()));
    }
    let mut outcome = Outcome {
        said,
        ..Default::default()
    };
    let actions = filter.actions();
    let wants_timeline = actions.contains(&GuiAction::ShowTimeline) || two_stage;
    if !said || wants_timeline {
        outcome.state = ctx.api.state().await.ok();
    }
    if !said {
        let changes = timeline::diff(&draft(&before), &draft(&outcome.state));
        if changes.is_empty() {
            view.changes(&["The editor finished without changes.".to_string()]);
        } else {
            view.changes(&changes);
        }
        outcome.changes = changes;
    }
    if let (true, Some(state)) = (wants_timeline, &outcome.state) {
        let tl = timeline::parse_draft(&draft(&Some(state.clone())));
        view.clear_spinner();
        ctx.out.line(timeline::summary(&tl));
    }
    if actions.contains(&GuiAction::ShowCredits) {
        if let Ok(c) = ctx.api.credits().await {
            ctx.out.line(super::credits::human(&c));
        }
    }
    view.done(said, !outcome.changes.is_empty());
    Ok(outcome)
}

/// `20000` as `20,000`.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Keep at most the last `max` bytes of `s` (cut at a character boundary).
fn keep_tail(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = s.len() - max;
        while !s.is_char_boundary(cut) {
            cut += 1;
        }
        s.drain(..cut);
    }
}

/// End the current message (a tool call or a new message follows): the
/// filter releases what it held, through an empty push.
fn end_message(filter: &mut TextFilter) -> String {
    filter.new_message();
    filter.push("")
}

/// After a drop or timeout: poll the state, never re-send.
async fn recover(
    ctx: &Ctx,
    view: &mut ChatView,
    before: Option<Value>,
    cancel: &CancellationToken,
) -> Result<Outcome> {
    let baseline = draft(&before);
    for (i, secs) in RECOVERY_WAITS.iter().enumerate() {
        let wait = ctx.scaled(Duration::from_secs(*secs));
        view.waiting(&format!(
            "Checking the timeline ({} of {})",
            i + 1,
            RECOVERY_WAITS.len()
        ));
        tokio::select! {
            _ = cancel.cancelled() => {
                view.notice("Stopped checking. The editor may still finish — `status` will show it.");
                return Err(Error::Interrupted);
            }
            _ = tokio::time::sleep(wait) => {}
        }
        let Ok(state) = ctx.api.state().await else {
            continue;
        };
        let now = draft(&Some(state.clone()));
        if before.is_some() && now != baseline {
            let mut changes = timeline::diff(&baseline, &now);
            if changes.is_empty() {
                changes.push("✅ The editor updated the timeline.".into());
            }
            view.changes(&changes);
            view.done(false, true);
            return Ok(Outcome {
                said: false,
                changes,
                state: Some(state),
            });
        }
    }
    view.done(false, false);
    Err(Error::Agent(
        "The edit did not go through. Nothing was sent twice; say it again to retry.".into(),
    ))
}
