//! The `{"code", "message", "data"}` envelope every JSON endpoint answers
//! with, and the codes PROTOCOL.md names.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient::{as_f64, as_string};

/// Error codes carried in the envelope's `code` (0 is success).
pub mod codes {
    pub const OK: i64 = 0;
    /// Token bad or expired.
    pub const TOKEN_INVALID: i64 = 1001;
    /// Session not found (expired after idle time).
    pub const SESSION_NOT_FOUND: i64 = 1002;
    /// Out of credits.
    pub const OUT_OF_CREDITS: i64 = 2001;
    /// Unsupported file type.
    pub const UNSUPPORTED_TYPE: i64 = 4001;
    /// File too large.
    pub const FILE_TOO_LARGE: i64 = 4002;

    /// Codes PROTOCOL.md names, which say more than any HTTP status.
    pub fn is_known(code: i64) -> bool {
        matches!(
            code,
            TOKEN_INVALID | SESSION_NOT_FOUND | OUT_OF_CREDITS | UNSUPPORTED_TYPE | FILE_TOO_LARGE
        )
    }
}

/// The envelope as the server writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub code: i64,
    pub message: String,
    pub data: Option<T>,
}

impl<T: Serialize> Envelope<T> {
    pub fn ok(data: T) -> Self {
        Envelope {
            code: codes::OK,
            message: "success".into(),
            data: Some(data),
        }
    }
}

impl Envelope<Value> {
    pub fn error(code: i64, message: impl Into<String>) -> Self {
        Envelope {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// Read an envelope from any JSON document, as leniently as the client
    /// must: `code` may be a number, a numeric string or a word ("ok",
    /// "success"), the message may be called `message`, `msg` or `error`.
    /// `None` when the document is not an object or has no code at all
    /// (then it is not an envelope).
    pub fn from_value(v: Value) -> Option<Self> {
        let obj = v.as_object()?;
        let code = obj.get("code").and_then(code_of)?;
        let message = ["message", "msg", "error"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(as_string))
            .unwrap_or_default();
        let data = obj.get("data").cloned().filter(|d| !d.is_null());
        Some(Envelope {
            code,
            message,
            data,
        })
    }
}

/// What a JSON answer of a successful HTTP status means, whatever its shape
/// (PROTOCOL.md, "Response envelope"): the document is the contract, and
/// it shows the envelope but does not promise it everywhere (§8's poll
/// answer has `status` at the top level and no envelope).
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Success: the payload (the envelope's `data`, or the whole document
    /// when there is no `data`: the field may be at the top).
    Ok(Value),
    /// The body says the request failed: an envelope code, or a document
    /// that is nothing but an error (`{"error": "…"}`, `"success": false`).
    Failed { code: i64, message: String },
}

/// Code for a failure the body states without a numeric code.
pub const UNNUMBERED_FAILURE: i64 = -1;

impl Reading {
    /// Read a JSON answer; `None` when it is not JSON a client can use (a
    /// bare string or number). Only the payload is copied, once: an answer
    /// may be megabytes.
    pub fn of(v: &Value) -> Option<Reading> {
        let obj = match v {
            Value::Array(_) => return Some(Reading::Ok(v.clone())),
            Value::Object(obj) => obj,
            _ => return None,
        };
        // The payload is `data` when there is one, else the document.
        let payload = || match obj.get("data") {
            Some(d) if !d.is_null() => d.clone(),
            _ => v.clone(),
        };
        if let Some(code) = obj.get("code").and_then(code_of) {
            return Some(if code == codes::OK {
                Reading::Ok(payload())
            } else {
                Reading::Failed {
                    code,
                    message: message_of(obj, &["message", "msg", "error"]),
                }
            });
        }
        let says_no = ["success", "ok"]
            .iter()
            .any(|k| obj.get(*k) == Some(&Value::Bool(false)));
        let error_only = obj.keys().all(|k| ERROR_KEYS.contains(&k.as_str()))
            && obj
                .get("error")
                .or_else(|| obj.get("errors"))
                .is_some_and(|e| !e.is_null() && e != &Value::Bool(false));
        if says_no || error_only {
            return Some(Reading::Failed {
                code: UNNUMBERED_FAILURE,
                message: message_of(obj, &["message", "msg", "error", "detail", "errors"]),
            });
        }
        Some(Reading::Ok(payload()))
    }
}

/// The first of `keys` whose value reads as an error's text.
fn message_of(obj: &serde_json::Map<String, Value>, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| obj.get(*k).and_then(error_text))
        .unwrap_or_default()
}

/// Keys a body that is nothing but an error may have.
const ERROR_KEYS: &[&str] = &[
    "error",
    "errors",
    "message",
    "msg",
    "detail",
    "status_code",
    "statusCode",
    "success",
    "ok",
    "timestamp",
    "path",
    "request_id",
    "requestId",
];

/// An error's text, from a string or from an object with a message.
fn error_text(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => ["message", "msg", "detail"]
            .iter()
            .find_map(|k| o.get(*k).and_then(as_string)),
        Value::Array(a) => a.iter().find_map(error_text),
        Value::Bool(_) => None,
        other => as_string(other),
    }
}

/// An envelope code: a number, a numeric string, or a word meaning success.
fn code_of(v: &Value) -> Option<i64> {
    if let Some(n) = as_f64(v) {
        return Some(n as i64);
    }
    match v.as_str()?.trim().to_ascii_lowercase().as_str() {
        "ok" | "success" | "succeeded" => Some(codes::OK),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_envelope() {
        let e = Envelope::from_value(json!({"code": "1001", "msg": "expired"})).unwrap();
        assert_eq!(e.code, 1001);
        assert_eq!(e.message, "expired");
        assert!(e.data.is_none());
        assert!(Envelope::from_value(json!([1, 2])).is_none());
        assert!(Envelope::from_value(json!({"data": {}})).is_none());
        assert_eq!(
            Envelope::from_value(json!({"code": "OK", "data": {"a": 1}}))
                .unwrap()
                .code,
            0
        );
    }

    #[test]
    fn every_answer_shape_the_document_allows() {
        let ok = |v: Value| match Reading::of(&v) {
            Some(Reading::Ok(d)) => d,
            other => panic!("not a success: {other:?}"),
        };
        let failed = |v: Value| match Reading::of(&v) {
            Some(Reading::Failed { code, message }) => (code, message),
            other => panic!("not a failure: {other:?}"),
        };
        // Enveloped, the payload in `data`.
        assert_eq!(
            ok(json!({"code": 0, "message": "success", "data": {"available": 5}})),
            json!({"available": 5})
        );
        // Enveloped with the fields at the top (no `data`).
        assert_eq!(
            ok(json!({"code": 0, "status": "pending"}))["status"],
            "pending"
        );
        // §8's poll answer: no envelope at all.
        assert_eq!(
            ok(json!({"id": "render_1", "status": "pending", "progress": 0}))["status"],
            "pending"
        );
        // Bare payload with a `data` object of its own.
        assert_eq!(ok(json!({"data": {"token": "t"}})), json!({"token": "t"}));
        assert_eq!(ok(json!([1, 2])), json!([1, 2]));
        // A failed render is a successful answer about a failed job.
        assert_eq!(
            ok(json!({"id": "r", "status": "failed", "error": "encoder died"}))["status"],
            "failed"
        );
        assert_eq!(
            failed(json!({"code": 2001, "msg": "no credits"})),
            (2001, "no credits".into())
        );
        assert_eq!(
            failed(json!({"error": "session expired"})),
            (UNNUMBERED_FAILURE, "session expired".into())
        );
        assert_eq!(
            failed(json!({"error": {"message": "boom"}, "statusCode": 500})),
            (UNNUMBERED_FAILURE, "boom".into())
        );
        assert_eq!(
            failed(json!({"success": false, "message": "nope", "data": null})).1,
            "nope"
        );
        assert!(Reading::of(&json!("hello")).is_none());
        assert!(Reading::of(&json!(3)).is_none());
    }
}
