//! `img2yt publish`: put a video on YouTube. Picks the video (exporting
//! the project first when there is none), checks the metadata before a
//! byte is sent, signs in (once; the refresh token is kept), uploads with
//! the resumable protocol, sets the thumbnail, and ends with the watch link.

use clap::Parser;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

use crate::cli::PublishArgs;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::youtube::keep::{Keep, SignIn};
use crate::youtube::metadata::{self, Metadata, Privacy};
use crate::youtube::oauth::{self, Authorizer, ClientSecrets};
use crate::youtube::thumbnail;
use crate::youtube::upload::{self, Progress, Uploader};
use crate::youtube::{Endpoints, YoutubeError};

pub async fn run(ctx: &Ctx, args: &PublishArgs, cancel: &CancellationToken) -> Result<()> {
    let endpoints = Endpoints::from_env();
    let keep = Keep::new(&ctx.store.paths().config_dir);
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .pool_idle_timeout(crate::api::POOL_IDLE)
        .build()
        .map_err(|e| Error::Io(format!("Cannot start the HTTP client: {e}")))?;
    if args.sign_out {
        return sign_out(ctx, &http, &endpoints, &keep).await;
    }
    // The client file first: nothing is exported or checked for nothing.
    let secrets_path = args
        .client_secrets
        .as_deref()
        .filter(|p| !p.as_os_str().is_empty())
        .ok_or(YoutubeError::NoClientSecrets)?;
    let secrets = ClientSecrets::load(secrets_path)?;
    if let Some(t) = args.thumbnail.as_deref().filter(|t| !t.is_file()) {
        return Err(Error::Input(format!(
            "The thumbnail {} is not a file.",
            t.display()
        )));
    }
    let (video, exported_thumbnail) = match &args.video {
        Some(v) => (v.clone(), None),
        None => last_video(ctx, cancel).await?,
    };
    check_video(&video)?;
    let meta = metadata_of(ctx, args, &video);
    let problems = metadata::problems(&meta);
    if !problems.is_empty() {
        return Err(YoutubeError::Metadata(problems).into());
    }
    let auth = authorize(ctx, &http, &endpoints, &keep, secrets, cancel).await?;

    let total = std::fs::metadata(&video).map(|m| m.len()).unwrap_or(0);
    ctx.out.status(format!(
        "Uploading {} ({}) to YouTube as {}…",
        video.display(),
        indicatif::HumanBytes(total),
        meta.privacy.as_str()
    ));
    let bar = ctx.out.upload_bar(total);
    let uploader = Uploader {
        http: &http,
        endpoints: &endpoints,
        auth: &auth,
        keep: &keep,
        chunk: upload::chunk_size(),
        time_scale: ctx.time_scale,
    };
    let result = uploader
        .upload(&video, &meta, shown_on(ctx, &bar), cancel)
        .await;
    bar.finish_and_clear();
    let resource = result?;
    let id = resource["id"].as_str().unwrap_or_default().to_string();
    if id.is_empty() {
        return Err(YoutubeError::Garbage {
            status: 200,
            raw: "the finished upload has no video id".into(),
        }
        .into());
    }
    let privacy = report_status(ctx, &resource, meta.privacy);

    let thumbnail = args
        .thumbnail
        .clone()
        .or(exported_thumbnail)
        .or_else(|| thumbnail_beside(&video));
    if let Some(t) = thumbnail {
        set_thumbnail(ctx, &http, &endpoints, &auth, &id, &t).await;
    }
    ctx.out
        .published(&id, &format!("https://youtu.be/{id}"), &privacy);
    Ok(())
}

/// The metadata from the flags; the title defaults to the project's, else
/// the file name.
fn metadata_of(ctx: &Ctx, args: &PublishArgs, video: &Path) -> Metadata {
    Metadata {
        title: args
            .title
            .clone()
            .or_else(|| project_title(ctx))
            .unwrap_or_else(|| file_title(video)),
        description: args.description.clone(),
        tags: args
            .tags
            .as_deref()
            .map(metadata::parse_tags)
            .unwrap_or_default(),
        privacy: args.privacy,
        category: args.category.trim().to_string(),
        made_for_kids: args.made_for_kids,
    }
}

/// The upload's progress, drawn on `bar` with status lines above it.
fn shown_on(ctx: &Ctx, bar: &indicatif::ProgressBar) -> upload::OnProgress {
    let out = ctx.out.clone();
    let b = bar.clone();
    Arc::new(move |p| match p {
        Progress::Start {
            offset,
            total,
            resumed,
            kept_other_metadata,
        } => {
            if resumed {
                b.suspend(|| {
                    out.status(format!(
                        "Resuming the upload begun earlier: {} of {} already on YouTube.",
                        indicatif::HumanBytes(offset),
                        indicatif::HumanBytes(total)
                    ))
                });
            }
            if kept_other_metadata {
                b.suspend(|| {
                    out.warn("YouTube keeps the title, description, tags and privacy given when this upload began; change them in YouTube Studio once it is up.")
                });
            }
            b.set_position(offset);
        }
        Progress::Sent(n) => b.set_position(n),
        Progress::Retry { why, wait } => b.suspend(|| {
            out.status(format!(
                "The upload was interrupted ({why}); asking YouTube where it stands in {}s.",
                wait.as_secs_f64().ceil() as u64
            ))
        }),
        Progress::NewSession => {
            b.suspend(|| out.warn("YouTube no longer had the earlier upload; starting it again."))
        }
    })
}

/// `/publish [VIDEO] [FLAGS]` or plain words at the prompt: the same flags
/// as `img2yt publish` (private unless `--privacy` says otherwise, the
/// client file from `IMG2YT_YOUTUBE_CLIENT_SECRETS`), the words split as a
/// shell would and `~` expanded.
pub async fn from_prompt(ctx: &Ctx, arg: &str, cancel: &CancellationToken) -> Result<()> {
    let Some(words) = shlex::split(arg) else {
        return Err(Error::Usage(
            "A quote in /publish is never closed; type /publish --help for its flags.".into(),
        ));
    };
    let mut args = match PromptPublish::try_parse_from(words) {
        Ok(p) => p.args,
        Err(e) if !e.use_stderr() => {
            // --help: the same text `img2yt publish --help` shows.
            ctx.out.line(e.render().to_string().trim_end());
            return Ok(());
        }
        Err(e) => {
            let first = e.render().to_string();
            let first = first.lines().next().unwrap_or_default();
            return Err(Error::Usage(format!(
                "{}; type /publish --help for its flags.",
                first.trim_start_matches("error: ")
            )));
        }
    };
    let dirs = crate::input::paths::Dirs::current();
    let home = |p: &mut Option<PathBuf>| {
        if let Some(path) = p.as_mut() {
            *path = dirs.expand_home(&path.to_string_lossy());
        }
    };
    home(&mut args.video);
    home(&mut args.thumbnail);
    home(&mut args.client_secrets);
    run(ctx, &args, cancel).await
}

/// `/publish`'s words, read by `img2yt publish`'s own flags.
#[derive(clap::Parser)]
#[command(name = "/publish", no_binary_name = true, disable_version_flag = true)]
struct PromptPublish {
    #[command(flatten)]
    args: PublishArgs,
}

/// The video this run exported, else export the project now.
async fn last_video(ctx: &Ctx, cancel: &CancellationToken) -> Result<(PathBuf, Option<PathBuf>)> {
    let last = ctx
        .last_video
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(v) = last {
        return Ok((v, None));
    }
    if let Some((v, thumb)) = super::export::remembered(ctx) {
        ctx.out.status(format!(
            "Publishing {}, this project's last export.",
            v.display()
        ));
        return Ok((v, thumb));
    }
    ctx.out
        .status("No video named and none exported yet: exporting the project first.");
    let opts = super::export::Options {
        output: None,
        quality: "high".into(),
        force: false,
    };
    let d = super::export::run(ctx, &opts, cancel).await?;
    *ctx.last_video.lock().unwrap_or_else(|e| e.into_inner()) = Some(d.path.clone());
    Ok((d.path, d.thumbnail))
}

fn check_video(video: &Path) -> Result<()> {
    match std::fs::metadata(video) {
        Ok(m) if m.is_file() && m.len() > 0 => Ok(()),
        Ok(m) if m.is_file() => Err(Error::Input(format!(
            "{} is empty; there is nothing to publish.",
            video.display()
        ))),
        Ok(_) => Err(Error::Input(format!(
            "{} is not a video file.",
            video.display()
        ))),
        Err(e) => Err(Error::Input(format!(
            "Cannot read {}: {e}",
            video.display()
        ))),
    }
}

fn project_title(ctx: &Ctx) -> Option<String> {
    ctx.store
        .load()
        .project
        .and_then(|p| p.title)
        .filter(|t| !t.trim().is_empty())
}

fn file_title(video: &Path) -> String {
    video
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
        .unwrap_or_default()
}

fn thumbnail_beside(video: &Path) -> Option<PathBuf> {
    let stem = video.file_stem()?.to_string_lossy().to_string();
    [
        video.with_extension("jpg"),
        video.with_file_name(format!("{stem}-thumbnail.jpg")),
    ]
    .into_iter()
    .find(|p| p != video && p.is_file())
}

/// An [`Authorizer`] for the kept account, or a sign-in first.
async fn authorize(
    ctx: &Ctx,
    http: &reqwest::Client,
    endpoints: &Endpoints,
    keep: &Keep,
    secrets: ClientSecrets,
    cancel: &CancellationToken,
) -> Result<Authorizer> {
    let kept = keep
        .read()
        .sign_in
        .filter(|s| s.client_id == secrets.client_id);
    if let Some(s) = kept {
        ctx.out.debug(format!(
            "using the kept YouTube sign-in ({})",
            s.refresh_token
        ));
        let auth = Authorizer::new(
            http.clone(),
            endpoints.clone(),
            secrets,
            s.refresh_token,
            None,
        );
        match auth.access_token().await {
            Ok(_) => return Ok(auth),
            Err(YoutubeError::SignInAgain) => {
                ctx.out
                    .warn("Your YouTube sign-in was revoked or has expired; sign in again.");
                keep.update(|k| k.sign_in = None)?;
                let secrets = auth.into_secrets();
                return sign_in_fresh(ctx, http, endpoints, keep, secrets, cancel).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    sign_in_fresh(ctx, http, endpoints, keep, secrets, cancel).await
}

async fn sign_in_fresh(
    ctx: &Ctx,
    http: &reqwest::Client,
    endpoints: &Endpoints,
    keep: &Keep,
    secrets: ClientSecrets,
    cancel: &CancellationToken,
) -> Result<Authorizer> {
    let pending = oauth::begin(endpoints, &secrets).await?;
    ctx.out.sign_in_link(pending.url());
    if ctx.out.ask_yes("Open it in your browser now?").await {
        if let Err(e) = open_in_browser(pending.url()) {
            ctx.out.warn(format!(
                "Could not open a browser ({e}); open the link above yourself."
            ));
        }
    }
    ctx.out
        .status("Waiting for the sign-in to finish in the browser…");
    let wait = ctx.scaled(Duration::from_secs(60 * oauth::SIGN_IN_MINUTES));
    let tokens = pending
        .finish(http, endpoints, &secrets, wait, cancel)
        .await?;
    let client_id = secrets.client_id.clone();
    let refresh = tokens.refresh.clone();
    keep.update(|k| {
        k.sign_in = Some(SignIn {
            client_id,
            refresh_token: refresh,
        })
    })?;
    ctx.out.status("Signed in to YouTube.");
    Ok(Authorizer::new(
        http.clone(),
        endpoints.clone(),
        secrets,
        tokens.refresh,
        Some((tokens.access, tokens.expires_in)),
    ))
}

/// `$BROWSER` when set, else the system's opener.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    let cmd = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open".into()
            } else if cfg!(windows) {
                "explorer".into()
            } else {
                "xdg-open".into()
            }
        });
    std::process::Command::new(cmd.trim())
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// Say what YouTube made of the upload; returns the privacy it has.
fn report_status(ctx: &Ctx, resource: &Value, asked: Privacy) -> String {
    let status = &resource["status"];
    let privacy = status["privacyStatus"]
        .as_str()
        .unwrap_or(asked.as_str())
        .to_string();
    if asked != Privacy::Private && privacy == "private" {
        ctx.out.warn(format!(
            "YouTube kept the video private although you asked for {}: videos uploaded through an OAuth app Google has not verified stay private. Change it in YouTube Studio, or have the app verified.",
            asked.as_str()
        ));
    }
    if status["uploadStatus"].as_str() == Some("rejected") {
        ctx.out.warn(format!(
            "YouTube rejected the video after the upload ({}).",
            status["rejectionReason"]
                .as_str()
                .unwrap_or("no reason given")
        ));
    }
    privacy
}

/// `thumbnails.set`. A channel that may not set custom thumbnails gets a
/// note, any other failure a warning: the video is published either way.
async fn set_thumbnail(
    ctx: &Ctx,
    http: &reqwest::Client,
    endpoints: &Endpoints,
    auth: &Authorizer,
    video_id: &str,
    path: &Path,
) {
    let jpeg = match thumbnail::fit(path).await {
        Ok(j) => j,
        Err(why) => {
            ctx.out.warn(format!(
                "The thumbnail {} was not used: {why}.",
                path.display()
            ));
            return;
        }
    };
    match thumbnail::set(http, endpoints, auth, video_id, jpeg).await {
        Ok(()) => ctx.out.status("Thumbnail set."),
        Err(YoutubeError::Forbidden { .. }) => ctx.out.note(
            "Note: this channel may not set custom thumbnails yet (verify it at youtube.com/verify); YouTube picks one from the video.",
        ),
        Err(e) => ctx.out.warn(format!("The thumbnail was not set: {e}")),
    }
}

/// `--sign-out`: revoke the refresh token at Google and forget it.
async fn sign_out(
    ctx: &Ctx,
    http: &reqwest::Client,
    endpoints: &Endpoints,
    keep: &Keep,
) -> Result<()> {
    let Some(s) = keep.read().sign_in else {
        ctx.out.result(
            "Not signed in to YouTube; nothing to do.",
            serde_json::json!({"type": "signed_out", "was_signed_in": false}),
        );
        return Ok(());
    };
    let revoked = oauth::revoke(http, endpoints, &s.refresh_token).await;
    keep.update(|k| k.sign_in = None)?;
    if let Err(e) = &revoked {
        ctx.out.warn(format!(
            "Google could not be told ({e}); img2yt forgot the sign-in anyway. Remove img2yt's access at myaccount.google.com/permissions."
        ));
    }
    ctx.out.result(
        "Signed out of YouTube: img2yt's access was revoked and forgotten.",
        serde_json::json!({"type": "signed_out", "was_signed_in": true, "revoked": revoked.is_ok()}),
    );
    Ok(())
}
