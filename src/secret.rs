//! A string that must never be shown: the bearer token.
//!
//! `Debug` and `Display` print a redacted form, so a token cannot leak
//! through a log line, an error message or `--verbose` output by accident.
//! The only way to the value is [`Secret::expose`], used where the
//! `Authorization` header is built.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The raw value, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A form safe to show: the prefix and the last four characters, e.g.
    /// `nmv_usr_…3f9a`.
    pub fn redacted(&self) -> String {
        let s = &self.0;
        let prefix: String = s.split_inclusive('_').take(2).collect();
        let prefix = if prefix.len() < s.len() && prefix.len() <= 8 {
            prefix
        } else {
            String::new()
        };
        let tail: String = if s.chars().count() > 12 {
            s.chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect()
        } else {
            String::new()
        };
        format!("{prefix}…{tail}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_the_value() {
        let s = Secret::new("nmv_usr_0123456789abcdef");
        assert_eq!(format!("{s:?}"), "(redacted)");
        assert_eq!(s.to_string(), "nmv_usr_…cdef");
        assert!(!s.to_string().contains("0123456789"));
        assert_eq!(Secret::new("short").to_string(), "…");
    }
}
