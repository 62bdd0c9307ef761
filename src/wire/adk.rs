//! The `/run_sse` request and the Google ADK events it streams back (§4).
//!
//! Events are serialized with camelCase keys and null fields left out. Only
//! the fields the client acts on are typed; everything else is kept in
//! `extra` so the embedded server can write realistic events with the same
//! types.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST /run_sse` body (all snake_case).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunSseRequest {
    pub app_name: String,
    pub user_id: String,
    pub session_id: String,
    pub new_message: Content,
}

impl RunSseRequest {
    pub fn new(session_id: &str, text: &str) -> Self {
        RunSseRequest {
            app_name: "nemo_agent".into(),
            user_id: "me".into(),
            session_id: session_id.into(),
            new_message: Content {
                role: Some("user".into()),
                parts: vec![Part::text(text)],
            },
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Content {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default)]
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_call: Option<FunctionCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_response: Option<FunctionResponse>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Part {
    pub fn text(text: &str) -> Self {
        Part {
            text: Some(text.into()),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FunctionCall {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FunctionResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
}

/// One ADK event: a `data:` line of the stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `{"error": …}`: the server's failure for this turn (any JSON shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
    /// ADK's own error fields, seen on events from some agent servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Event {
    /// A model event with one text part.
    pub fn model_text(text: &str, partial: bool) -> Self {
        Event {
            content: Some(Content {
                role: Some("model".into()),
                parts: vec![Part::text(text)],
            }),
            partial: partial.then_some(true),
            author: Some("nemo_agent".into()),
            ..Default::default()
        }
    }

    /// The failure text of an error event, if this is one.
    pub fn error_text(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(match e {
                Value::String(s) => s.clone(),
                Value::Object(o) => o
                    .get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| e.to_string()),
                other => other.to_string(),
            });
        }
        self.error_message.clone()
    }

    pub fn is_partial(&self) -> bool {
        self.partial == Some(true)
    }
}
