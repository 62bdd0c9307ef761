//! Fault injection for tests: "make the next N requests to PATH answer
//! this". Enabled only with `serve --faults` (or `IMG2YT_SERVER_FAULTS=1`),
//! through the control routes under `/__control/`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One injected fault.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    /// Matches requests whose path starts with this.
    pub path: String,
    /// Only this method, when given.
    #[serde(default)]
    pub method: Option<String>,
    /// How many requests it applies to (default 1).
    #[serde(default = "one")]
    pub times: u32,
    /// Requests to let through before it starts (default 0).
    #[serde(default)]
    pub skip: u32,
    pub action: FaultAction,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultAction {
    /// An envelope with this code, with this HTTP status (default 200).
    Code {
        code: i64,
        #[serde(default)]
        status: Option<u16>,
        #[serde(default)]
        message: Option<String>,
    },
    /// A bare HTTP status with this body (default empty).
    Status {
        status: u16,
        #[serde(default)]
        body: Option<String>,
        #[serde(default)]
        content_type: Option<String>,
    },
    /// This JSON body with this status (default 200).
    Respond {
        #[serde(default)]
        status: Option<u16>,
        body: Value,
    },
    /// Wait, then answer normally.
    Delay { ms: u64 },
    /// Close the connection in the middle of the answer.
    Drop,
    /// Let the real answer through (status and headers as they are) but
    /// cut its body after this many bytes and drop the connection: a
    /// download broken in the middle.
    Truncate { bytes: u64 },
    /// A 200 answer that is not JSON.
    Garbage,
    /// A 200 JSON answer of this many bytes.
    Oversized { bytes: usize },
    /// Invalidate the caller's token first (then it gets 1001).
    ExpireToken,
    /// Forget the session named in the request first (then it gets 1002).
    LoseSession,
    /// Panic in the handler while holding the world's lock (the next
    /// request must still be answered).
    Panic,
}

impl Fault {
    pub fn matches(&self, method: &str, path: &str) -> bool {
        path.starts_with(&self.path)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}
