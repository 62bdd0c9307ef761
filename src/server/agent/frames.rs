//! The pieces of an SSE turn: [`Frame`]s (what the writer in `routes`
//! sends, one by one), queued [`Script`]s, and builders for the ADK-shaped
//! events the local agent answers with (streamed text, tool call and
//! response). What the agent decides lives in the rest of the module.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::wire::adk::{Content, Event, FunctionCall, FunctionResponse, Part};

/// One piece of a scripted turn.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Frame {
    /// `data: <event JSON>`.
    Event {
        event: Value,
    },
    /// Bytes exactly as given (may be a partial line).
    Raw {
        text: String,
    },
    /// A `data:` frame written in two writes split at byte `at` (which may
    /// fall inside a multi-byte character).
    Split {
        event: Value,
        at: usize,
    },
    /// `: comment`.
    Comment {
        #[serde(default)]
        text: String,
    },
    /// `event: heartbeat` with empty data.
    Heartbeat,
    /// An empty `data:` line.
    Empty,
    Sleep {
        ms: u64,
    },
    /// Close the connection abruptly.
    Drop,
    /// Replace the session's draft at this point of the turn.
    SetDraft {
        draft: Value,
    },
    /// Repeat `frame` `times` times (large streams without a large script).
    Repeat {
        times: u32,
        frame: Box<Frame>,
    },
}

/// A queued script for the next `/run_sse` turn.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Script {
    pub frames: Vec<Frame>,
}

fn text_event(inv: &str, text: &str, partial: bool) -> Value {
    let mut e = Event::model_text(text, partial);
    e.invocation_id = Some(inv.into());
    e.id = Some(uuid::Uuid::new_v4().simple().to_string());
    serde_json::to_value(e).expect("serializable")
}

fn call_event(inv: &str, name: &str, args: Value) -> Value {
    let e = Event {
        content: Some(Content {
            role: Some("model".into()),
            parts: vec![Part {
                function_call: Some(FunctionCall {
                    id: Some(format!("adk-{}", uuid::Uuid::new_v4().simple())),
                    name: name.into(),
                    args: Some(args),
                }),
                ..Default::default()
            }],
        }),
        invocation_id: Some(inv.into()),
        author: Some("nemo_agent".into()),
        ..Default::default()
    };
    serde_json::to_value(e).expect("serializable")
}

fn response_event(inv: &str, name: &str) -> Value {
    let e = Event {
        content: Some(Content {
            role: Some("user".into()),
            parts: vec![Part {
                function_response: Some(FunctionResponse {
                    id: None,
                    name: name.into(),
                    response: Some(json!({"ok": true})),
                }),
                ..Default::default()
            }],
        }),
        invocation_id: Some(inv.into()),
        author: Some("nemo_agent".into()),
        ..Default::default()
    };
    serde_json::to_value(e).expect("serializable")
}

/// Stream `text` as partial pieces of a few words, then the aggregate.
pub fn say(frames: &mut Vec<Frame>, inv: &str, text: &str) {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    for chunk in words.chunks(3) {
        frames.push(Frame::Event {
            event: text_event(inv, &chunk.concat(), true),
        });
        frames.push(Frame::Sleep { ms: 20 });
    }
    frames.push(Frame::Event {
        event: text_event(inv, text, false),
    });
}

pub fn tool(frames: &mut Vec<Frame>, inv: &str, name: &str, args: Value) {
    frames.push(Frame::Event {
        event: call_event(inv, name, args),
    });
    frames.push(Frame::Comment {
        text: "keepalive".into(),
    });
    frames.push(Frame::Event {
        event: response_event(inv, name),
    });
}
