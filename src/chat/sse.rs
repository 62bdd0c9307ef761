//! From bytes on the wire to [`ChatEvent`]s: eventsource-stream does the SSE
//! framing; [`Interpreter`] (pure, table-tested) turns ADK events into what
//! the user should see, once.
//!
//! The de-duplication rule (PROTOCOL.md §4): partial text pieces are shown
//! as they arrive; a non-partial event that repeats them is the aggregate
//! and adds only what the pieces missed; a non-partial text with no partials
//! before it is shown whole. A new message starts after an aggregate or a
//! tool call, which the renderer needs for spacing and for dropping a
//! trailing "temporary issue".

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};

use crate::api::ApiError;
use crate::wire::adk::Event;

/// The longest SSE line accepted; a server that never ends a line cannot
/// make the client buffer without bound.
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// About how many bytes of complete lines are handed to the SSE parser at
/// a time (see [`line_pieces`]).
const PIECE: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatEvent {
    /// Text to show now.
    Text(String),
    /// A new message starts (not sent before the turn's first message).
    NewMessage,
    /// The agent called a tool (for a status line; never printed raw).
    Tool(String),
    /// The server's failure for this turn.
    Error(String),
    /// A heartbeat or an event with nothing to show: the wait is alive.
    Alive,
}

/// Turns ADK events into [`ChatEvent`]s, remembering what was shown.
#[derive(Debug, Default)]
pub struct Interpreter {
    /// Text of the current message shown from partial pieces.
    partial: String,
    /// Whether any message has started in this turn.
    started: bool,
    /// The current message is finished (an aggregate or a tool call came):
    /// the next text starts a new one.
    closed: bool,
}

impl Interpreter {
    pub fn new() -> Self {
        Self::default()
    }

    fn begin_text(&mut self, out: &mut Vec<ChatEvent>) {
        if self.closed || !self.started {
            if self.started {
                out.push(ChatEvent::NewMessage);
            }
            self.started = true;
            self.closed = false;
            self.partial.clear();
        }
    }

    /// One parsed event in, what to show out.
    pub fn feed(&mut self, ev: &Event) -> Vec<ChatEvent> {
        let mut out = Vec::new();
        if let Some(err) = ev.error_text() {
            out.push(ChatEvent::Error(err));
            return out;
        }
        let Some(content) = &ev.content else {
            out.push(ChatEvent::Alive);
            return out;
        };
        let role_is_user = content.role.as_deref() == Some("user");
        for part in &content.parts {
            if let Some(call) = &part.function_call {
                self.closed = true;
                out.push(ChatEvent::Tool(call.name.clone()));
                continue;
            }
            if part.function_response.is_some() {
                self.closed = true;
                continue;
            }
            if part.thought == Some(true) || role_is_user {
                continue;
            }
            let Some(text) = part.text.as_deref().filter(|t| !t.is_empty()) else {
                continue;
            };
            if ev.is_partial() {
                self.begin_text(&mut out);
                self.partial.push_str(text);
                out.push(ChatEvent::Text(text.to_string()));
            } else if !self.closed && !self.partial.is_empty() {
                // The aggregate of the pieces already shown.
                if let Some(rest) = text.strip_prefix(self.partial.as_str()) {
                    if !rest.is_empty() {
                        out.push(ChatEvent::Text(rest.to_string()));
                    }
                } else if !self.partial.contains(text) && !text.contains(&*self.partial) {
                    // Not the aggregate after all: a message of its own.
                    out.push(ChatEvent::NewMessage);
                    out.push(ChatEvent::Text(text.to_string()));
                }
                self.closed = true;
                self.partial.clear();
            } else {
                self.begin_text(&mut out);
                out.push(ChatEvent::Text(text.to_string()));
                self.closed = true;
            }
        }
        if out.is_empty() {
            out.push(ChatEvent::Alive);
        }
        out
    }

    /// A `data:` payload in, what to show out. Empty data is a heartbeat;
    /// a payload that is not an event is ignored (and reported for
    /// `--verbose` by the caller).
    pub fn feed_data(&mut self, data: &str) -> Result<Vec<ChatEvent>, String> {
        let data = data.trim();
        if data.is_empty() || data == "[DONE]" {
            return Ok(vec![ChatEvent::Alive]);
        }
        match serde_json::from_str::<Event>(data) {
            Ok(ev) => Ok(self.feed(&ev)),
            Err(e) => Err(format!("ignored an event img2yt cannot read ({e})")),
        }
    }
}

/// The human label for a tool call, from its name.
pub fn tool_label(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&[
        "generate_video",
        "seedance",
        "video_gen",
        "text_to_video",
        "image_to_video",
    ]) || (n.contains("generate") && !has(&["music", "audio", "voice", "image"]))
    {
        "Generating video — may take 2-5 min".into()
    } else if has(&[
        "music",
        "audio",
        "voiceover",
        "voice",
        "tts",
        "sound",
        "bgm",
    ]) {
        "Generating audio".into()
    } else if has(&[
        "understand",
        "analyze",
        "analyse",
        "caption",
        "describe",
        "vision",
    ]) {
        "Analyzing media".into()
    } else if has(&["edit", "draft", "multitrack", "timeline", "track"]) {
        "Editing timeline".into()
    } else if has(&["render", "export"]) {
        "Preparing export".into()
    } else {
        format!("Working: {name}")
    }
}

/// SSE events from a response body, with bounded lines. Each item is a
/// `(event type, data)` pair; comments are consumed by the parser.
///
/// The parser is handed whole lines only: it rescans its whole buffer for
/// a line end whenever bytes arrive, so a long line (a 2 MB event) arriving
/// in many small chunks would cost time quadratic in its length. Lines are
/// gathered here instead, looking only at the new bytes of each chunk.
pub fn events(
    resp: reqwest::Response,
) -> impl Stream<Item = Result<(String, String), ApiError>> + Send {
    let lines = futures_util::stream::unfold(
        (Box::pin(resp.bytes_stream()), BytesMut::new(), false),
        |(mut body, mut pending, done)| async move {
            if done {
                return None;
            }
            loop {
                match body.next().await {
                    Some(Ok(chunk)) => {
                        let last_end = chunk.iter().rposition(|&c| c == b'\n' || c == b'\r');
                        pending.extend_from_slice(&chunk);
                        match last_end {
                            Some(i) => {
                                let cut = pending.len() - chunk.len() + i + 1;
                                let whole = pending.split_to(cut).freeze();
                                return Some((Ok(line_pieces(whole)), (body, pending, false)));
                            }
                            // `pending` is the unfinished line alone.
                            None if pending.len() > MAX_LINE_BYTES => {
                                let err = ApiError::TooLarge {
                                    limit: MAX_LINE_BYTES,
                                };
                                return Some((Err(err), (body, pending, true)));
                            }
                            None => {}
                        }
                    }
                    Some(Err(e)) => {
                        let err = ApiError::Broken {
                            detail: format!("the reply stream broke: {e}"),
                        };
                        return Some((Err(err), (body, pending, true)));
                    }
                    None if pending.is_empty() => return None,
                    None => {
                        let rest = pending.split().freeze();
                        return Some((Ok(vec![rest]), (body, pending, true)));
                    }
                }
            }
        },
    )
    .flat_map(|r| {
        futures_util::stream::iter(match r {
            Ok(pieces) => pieces.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        })
    });
    eventsource_stream::EventStream::new(lines).map(|r| match r {
        Ok(ev) => Ok((ev.event, ev.data)),
        Err(eventsource_stream::EventStreamError::Transport(e)) => Err(e),
        Err(e) => Err(ApiError::Broken {
            detail: format!("the reply stream was malformed: {e}"),
        }),
    })
}

/// Complete lines in pieces of about [`PIECE`] bytes, each ending at a
/// line end: the parser copies the rest of its buffer for every line, so
/// small pieces keep many short lines linear, and a long line stays whole.
fn line_pieces(mut whole: Bytes) -> Vec<Bytes> {
    let mut pieces = Vec::with_capacity(whole.len() / PIECE + 1);
    while whole.len() > PIECE {
        match whole[PIECE..]
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
        {
            Some(j) => pieces.push(whole.split_to(PIECE + j + 1)),
            None => break,
        }
    }
    if !whole.is_empty() {
        pieces.push(whole);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(v: serde_json::Value) -> Event {
        serde_json::from_value(v).unwrap()
    }

    fn text(t: &str, partial: bool) -> Event {
        Event::model_text(t, partial)
    }

    fn shown(events: &[Event]) -> (String, usize) {
        let mut i = Interpreter::new();
        let mut s = String::new();
        let mut messages = 0;
        for e in events {
            for c in i.feed(e) {
                match c {
                    ChatEvent::Text(t) => s.push_str(&t),
                    ChatEvent::NewMessage => {
                        messages += 1;
                        s.push('|');
                    }
                    _ => {}
                }
            }
        }
        (s, messages)
    }

    #[test]
    fn partials_then_aggregate_shown_once() {
        let (s, _) = shown(&[
            text("Adding ", true),
            text("a lo-fi track", true),
            text("Adding a lo-fi track", false),
        ]);
        assert_eq!(s, "Adding a lo-fi track");
    }

    #[test]
    fn aggregate_longer_than_pieces_adds_the_rest() {
        let (s, _) = shown(&[text("Adding ", true), text("Adding a track.", false)]);
        assert_eq!(s, "Adding a track.");
    }

    #[test]
    fn lone_complete_text_is_shown_whole() {
        let (s, m) = shown(&[text("Done.", false)]);
        assert_eq!((s.as_str(), m), ("Done.", 0));
    }

    #[test]
    fn tool_calls_split_messages_and_are_never_text() {
        let call = ev(
            json!({"content": {"role": "model", "parts": [{"functionCall": {"name": "edit_draft", "args": {}}}]}}),
        );
        let resp = ev(
            json!({"content": {"role": "user", "parts": [{"functionResponse": {"name": "edit_draft", "response": {"ok": true}}}]}}),
        );
        let (s, m) = shown(&[
            text("One", true),
            text("One", false),
            call.clone(),
            resp,
            text("Two", true),
            text("Two", false),
        ]);
        assert_eq!(s, "One|Two");
        assert_eq!(m, 1);
        let mut i = Interpreter::new();
        assert_eq!(i.feed(&call), vec![ChatEvent::Tool("edit_draft".into())]);
    }

    #[test]
    fn thoughts_and_user_echo_are_hidden() {
        let thought = ev(
            json!({"content": {"role": "model", "parts": [{"text": "secret plan", "thought": true}]}}),
        );
        let echo = ev(json!({"content": {"role": "user", "parts": [{"text": "my message"}]}}));
        assert_eq!(shown(&[thought, echo]).0, "");
    }

    #[test]
    fn errors_and_heartbeats() {
        let mut i = Interpreter::new();
        assert_eq!(i.feed_data("").unwrap(), vec![ChatEvent::Alive]);
        assert_eq!(
            i.feed_data(r#"{"error": "quota exceeded"}"#).unwrap(),
            vec![ChatEvent::Error("quota exceeded".into())]
        );
        assert_eq!(
            i.feed_data(r#"{"error": {"message": "boom", "code": 500}}"#)
                .unwrap(),
            vec![ChatEvent::Error("boom".into())]
        );
        assert!(i.feed_data("not json").is_err());
    }

    #[test]
    fn labels() {
        for (name, label) in [
            ("generate_video", "Generating video — may take 2-5 min"),
            ("seedance_v1", "Generating video — may take 2-5 min"),
            ("edit_draft", "Editing timeline"),
            ("multitrack_apply", "Editing timeline"),
            ("generate_music", "Generating audio"),
            ("add_voiceover", "Generating audio"),
            ("understand_media", "Analyzing media"),
            ("analyze_images", "Analyzing media"),
            ("lookup_weather", "Working: lookup_weather"),
        ] {
            assert_eq!(tool_label(name), label, "{name}");
        }
    }
}
