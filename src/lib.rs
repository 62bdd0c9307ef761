//! img2yt: turn your photos into a finished YouTube video from the terminal.
//!
//! Read this crate like a table of contents:
//!
//! - [`cli`] — flags and subcommands; [`app`] resolves them into a context
//!   and runs the command; [`error`] maps failures to exit codes.
//! - [`wire`] — the NemoVideo wire types, shared by client and server.
//! - [`api`] — the HTTP client, with all error recovery in one place.
//! - [`store`] — the token/project store (atomic, 0600, locked).
//! - [`timeline`] — pure reading of drafts: summary, chart, diff.
//! - [`storyboard`] — pure drawing of the timeline as one picture.
//! - [`fonts`] — finding a system font (the renderer's titles and the
//!   storyboard's text).
//! - [`handlers`] — one per user action; the only code combining api,
//!   store and ui.
//! - [`ui`] — everything that writes to the terminal.
//! - [`youtube`] — publishing: Google sign-in, the resumable upload,
//!   YouTube's metadata limits.
//! - [`server`] — the embedded NemoVideo-compatible backend (`img2yt
//!   serve`, `--local`, and every test); the client never depends on it.

pub mod api;
pub mod app;
pub mod chat;
pub mod cli;
pub mod ctx;
pub mod error;
pub mod handlers;
pub mod input;
pub mod repl;
pub mod router;
pub mod secret;
pub mod server;
pub mod store;
pub mod storyboard;
pub mod timeline;
pub mod ui;
pub mod wire;
pub mod youtube;
