//! The integration tests: one binary, one module per area. Each test starts
//! the embedded server on a loopback port and drives the real `img2yt`
//! binary (or the real client) against it.

#[macro_use]
mod support;

mod layout;

mod agent;
mod chat;
mod cli;
mod conformance;
mod errors;
mod export;
mod foundation;
mod google_fake;
mod hardening;
mod heif_edit;
mod local;
mod media;
mod pipe;
mod publish;
mod render;
mod repl;
mod store;
mod storyboard;
mod upload;
