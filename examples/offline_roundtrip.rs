//! Use img2yt as a library: start the embedded NemoVideo-compatible server
//! on a loopback port, point the API client at it, and walk through the
//! first steps of a project — a starter token, the balance, a session, an
//! uploaded photo, one chat turn read as events, and the new timeline.
//!
//! Run: `cargo run --example offline_roundtrip`

use futures_util::future::BoxFuture;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;

use img2yt::api::{self, ApiConfig, Hooks, SessionRef, UploadFile};
use img2yt::chat::sse::{self, ChatEvent, Interpreter};
use img2yt::secret::Secret;
use img2yt::server::{self, ServerConfig};
use img2yt::timeline;

/// Hooks that only print: a real program saves the token and session.
struct Print;

impl Hooks for Print {
    fn wait<'a>(&'a self, message: &'a str, d: Duration) -> BoxFuture<'a, ()> {
        eprintln!("{message} {d:?}");
        Box::pin(tokio::time::sleep(d))
    }
    fn notice(&self, message: &str) {
        eprintln!("{message}");
    }
    fn debug(&self, _line: &str) {}
    fn token_obtained(&self, token: &Secret) {
        eprintln!("got a starter token {token}");
    }
    fn session_created(&self, s: &SessionRef, _lost: bool) {
        eprintln!("new session {}", s.session_id);
    }
    fn client_id_replaced(&self, _id: &str) {}
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let srv = server::spawn(ServerConfig::default()).await?;
    let client = api::Client::new(
        ApiConfig {
            api_url: srv.url.clone(),
            web_url: "https://nemovideo.com".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            platform: "unknown".into(),
            language: "en".into(),
            time_scale: 1.0,
        },
        None,
        uuid::Uuid::new_v4().to_string(),
        None,
        Arc::new(Print),
    );

    let credits = client.credits().await?;
    println!("credits: {} available", credits.available);

    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/red.jpg");
    let file = UploadFile {
        size: std::fs::metadata(&photo)?.len(),
        name: "red.jpg".into(),
        path: photo,
        finish_after: None,
    };
    let accepted = client.upload_file(&file, Arc::new(|_| {})).await?;
    println!("uploaded: {}", accepted[0].name);

    let resp = client
        .run_sse("turn these images into a YouTube video with music")
        .await?;
    let mut events = Box::pin(sse::events(resp));
    let mut interp = Interpreter::new();
    while let Some(item) = events.next().await {
        let (_kind, data) = item?;
        for ev in interp.feed_data(&data).unwrap_or_default() {
            match ev {
                ChatEvent::Text(t) => print!("{t}"),
                ChatEvent::Tool(name) => println!("\n[{}]", sse::tool_label(&name)),
                ChatEvent::NewMessage => println!(),
                _ => {}
            }
        }
    }
    println!();

    let state = client.state().await?;
    let draft = timeline::draft_of(&state).unwrap_or_default();
    println!("{}", timeline::summary(&timeline::parse_draft(&draft)));
    Ok(())
}
