//! How an error is shown: one plain line, an optional hint, and technical
//! detail only with `--verbose`. In `--json` mode an error object is also
//! written to stdout so scripts can read it.

use super::Out;
use crate::error::Error;

impl Out {
    pub fn report(&self, err: &Error) {
        if matches!(err, Error::Reported(_)) {
            return;
        }
        if matches!(err, Error::Interrupted) {
            self.note("Cancelled.");
        } else {
            self.error_line(err);
        }
        if let Some(h) = err.hint() {
            self.note(h);
        }
        if let Some(d) = err.detail() {
            self.debug(d);
        }
        self.json(serde_json::json!({
            "type": "error",
            "message": err.to_string(),
            "exit_code": err.exit_code(),
        }));
    }
}
