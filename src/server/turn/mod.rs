//! The pieces of an SSE turn: [`Frame`]s (what the writer in `routes`
//! sends, one by one), queued [`Script`]s, and the agent's [`Step`]s before
//! a dialect turns them into frames; the ADK events themselves are built in
//! [`events`]. Apart from the agent, which decides the steps, so that the
//! agent, the dialects and the world's script queue all lean on it and on
//! nothing of each other.

pub mod events;

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// Bytes exactly as given, valid UTF-8 or not.
    Bytes {
        bytes: Vec<u8>,
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

/// One thing the agent does in a turn. The dialect the server speaks
/// (`server::dialect`) decides how it goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Text for the user (streamed, aggregated, as the dialect says).
    Say(String),
    /// A tool call and its response.
    Tool { name: String, args: Value },
    /// Replace the session's draft at this point of the turn.
    SetDraft(Value),
}
