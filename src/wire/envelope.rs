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
    /// must: `code` may be a number or a numeric string, the message may be
    /// called `message` or `msg`. `None` when the document is not an object
    /// or has no code at all (then it is not an envelope).
    pub fn from_value(v: Value) -> Option<Self> {
        let obj = v.as_object()?;
        let code = obj.get("code").and_then(as_f64)? as i64;
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
    }
}
