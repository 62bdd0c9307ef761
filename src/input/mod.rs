//! Pure-ish input handling: finding dropped paths in a line of text
//! ([`paths`]) and checking files before any byte is sent ([`validate`]).
//! Neither prints nor talks to the network.

pub mod paths;
pub mod validate;
