//! Wire types shared by the API client (`api`) and the embedded server
//! (`server`), so the two agree by construction.
//!
//! Nothing here does I/O. Where PROTOCOL.md calls a shape **unknown**, the
//! types are lenient (numbers may arrive as strings, ids as numbers) and keep
//! every field they do not know in an `extra` map, so a document passed back
//! to the server (the draft, for one) survives the round trip untouched.

pub mod adk;
pub mod envelope;
pub mod lenient;
pub mod types;

pub use adk::RunSseRequest;
pub use envelope::{codes, Envelope, Reading};
pub use types::*;
