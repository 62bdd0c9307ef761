//! ADK events as a Google ADK runner serializes them (PROTOCOL.md §4):
//! camelCase keys, null fields left out, and on every event the `id`,
//! `timestamp`, `invocationId`, `author` and `actions` a real runner sends.

use serde_json::{json, Value};

use crate::wire::adk::{Content, Event, FunctionCall, FunctionResponse, Part};

/// The agent's name, as `author`.
const AUTHOR: &str = "nemo_agent";

/// An event with the fields every ADK event carries.
fn adk(inv: &str, role: &str, parts: Vec<Part>, partial: bool) -> Value {
    let mut e = Event {
        content: Some(Content {
            role: Some(role.into()),
            parts,
        }),
        partial: partial.then_some(true),
        invocation_id: Some(inv.into()),
        author: Some(AUTHOR.into()),
        id: Some(uuid::Uuid::new_v4().to_string()),
        ..Default::default()
    };
    e.extra.insert(
        "actions".into(),
        json!({"stateDelta": {}, "artifactDelta": {}, "requestedAuthConfigs": {}}),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default();
    e.extra.insert("timestamp".into(), json!(now));
    serde_json::to_value(e).expect("serializable")
}

/// A model text: a streamed piece (`partial`) or a whole text / aggregate.
pub fn text(inv: &str, text: &str, partial: bool) -> Value {
    adk(inv, "model", vec![Part::text(text)], partial)
}

/// Hidden reasoning (`thought: true`), never to be shown.
pub fn thought(inv: &str, text: &str, partial: bool) -> Value {
    adk(inv, "model", vec![thought_part(text)], partial)
}

fn thought_part(text: &str) -> Part {
    Part {
        thought: Some(true),
        ..Part::text(text)
    }
}

/// Put a thought part before the text of an event (a model's aggregate
/// carries its reasoning first).
pub fn prepend_thought(event: &mut Value, text: &str) {
    if let Some(parts) = event["content"]["parts"].as_array_mut() {
        parts.insert(
            0,
            serde_json::to_value(thought_part(text)).expect("serializable"),
        );
    }
}

/// The model calling a tool.
pub fn call(inv: &str, name: &str, args: Value) -> Value {
    let part = Part {
        function_call: Some(FunctionCall {
            id: Some(format!("adk-{}", uuid::Uuid::new_v4())),
            name: name.into(),
            args: Some(args),
        }),
        ..Default::default()
    };
    adk(inv, "model", vec![part], false)
}

/// The tool's answer (role `user`, as ADK sends it).
pub fn response(inv: &str, name: &str) -> Value {
    let part = Part {
        function_response: Some(FunctionResponse {
            id: None,
            name: name.into(),
            response: Some(json!({"ok": true})),
        }),
        ..Default::default()
    };
    adk(inv, "user", vec![part], false)
}

/// A text cut into streamed pieces of a few words.
pub fn pieces(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    words.chunks(3).map(|c| c.concat()).collect()
}
