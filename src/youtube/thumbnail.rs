//! `thumbnails.set`: the custom thumbnail, a JPEG under Google's 2 MB limit.
//! A larger one is made smaller with ffmpeg (at most 1280 pixels wide,
//! lower JPEG quality step by step) rather than refused.

use std::path::Path;
use std::process::Stdio;

use super::oauth::Authorizer;
use super::{Endpoints, YoutubeError};

/// Google's limit for a custom thumbnail.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// The thumbnail's bytes, made smaller when over [`MAX_BYTES`]. `Err` says
/// in words why there is none to send.
pub async fn fit(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it ({e})"))?;
    if bytes.len() <= MAX_BYTES {
        return Ok(bytes);
    }
    for quality in ["4", "8", "16", "31"] {
        let out = tokio::process::Command::new("ffmpeg")
            .args(["-v", "error", "-nostdin", "-i"])
            .arg(path)
            .args([
                "-vf",
                "scale='min(1280,iw)':-2",
                "-frames:v",
                "1",
                "-q:v",
                quality,
                "-f",
                "mjpeg",
                "-",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| {
                format!("it is over 2 MB and ffmpeg, which would shrink it, cannot run ({e})")
            })?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(format!(
                "it is over 2 MB and ffmpeg could not shrink it ({})",
                err.lines().next().unwrap_or("no reason given")
            ));
        }
        if out.stdout.len() <= MAX_BYTES && !out.stdout.is_empty() {
            return Ok(out.stdout);
        }
    }
    Err("it is over 2 MB even at the lowest quality".into())
}

/// Set `jpeg` as `video_id`'s thumbnail (one retry with a fresh access
/// token after a 401).
pub async fn set(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    auth: &Authorizer,
    video_id: &str,
    jpeg: Vec<u8>,
) -> Result<(), YoutubeError> {
    let url = format!(
        "{}/upload/youtube/v3/thumbnails/set?videoId={video_id}&uploadType=media",
        endpoints.api_base
    );
    let mut refreshed = false;
    loop {
        let token = auth.access_token().await?;
        let resp = http
            .post(&url)
            .bearer_auth(token.expose())
            .header(reqwest::header::CONTENT_TYPE, "image/jpeg")
            .body(jpeg.clone())
            .send()
            .await
            .map_err(|e| YoutubeError::transport(&url, &e))?;
        let status = resp.status().as_u16();
        if status == 401 && !refreshed {
            auth.refresh().await?;
            refreshed = true;
            continue;
        }
        if (200..300).contains(&status) {
            return Ok(());
        }
        let body = resp.text().await.unwrap_or_default();
        return Err(YoutubeError::from_google(status, &body));
    }
}
