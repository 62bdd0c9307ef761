//! Lenient readers for JSON whose shape the public documents leave open.
//!
//! Real servers send ids as numbers or strings and figures as numbers,
//! numeric strings or `null`; these helpers accept all of them instead of
//! failing a whole response over one field.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A JSON value read as a string: strings as they are, numbers and booleans
/// printed, everything else `None`.
pub fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A JSON value read as a number: numbers, numeric strings ("35", "35%",
/// " 1.5 "), everything else `None`.
pub fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse().ok(),
        _ => None,
    }
}

/// The first of `keys` present in `obj` that reads as a string.
pub fn first_string(obj: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| obj.get(*k).and_then(as_string))
}

/// `deserialize_with` for an optional id that may be a string or a number.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(as_string))
}

/// `deserialize_with` for a required id that may be a string or a number.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = Value::deserialize(d)?;
    as_string(&v).ok_or_else(|| serde::de::Error::custom(format!("expected an id, got {v}")))
}

/// `deserialize_with` for a figure that may be a number, a numeric string or
/// missing (then 0).
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(as_f64)
        .unwrap_or(0.0))
}

/// `deserialize_with` for an optional figure.
pub fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.as_ref().and_then(as_f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_loose_numbers_and_ids() {
        assert_eq!(as_f64(&json!("35%")), Some(35.0));
        assert_eq!(as_f64(&json!(0.5)), Some(0.5));
        assert_eq!(as_f64(&json!(null)), None);
        assert_eq!(as_string(&json!(42)), Some("42".into()));
        assert_eq!(as_string(&json!("")), None);
        assert_eq!(
            first_string(&json!({"b": "x", "a": 1}), &["a", "b"]),
            Some("1".into())
        );
    }
}
