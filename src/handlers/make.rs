//! `make`: the quick-edit workflow in one command — new project, upload,
//! the prompt, export, download. Each step's failure stops the pipeline
//! with that step's own message and exit code.

use tokio_util::sync::CancellationToken;

use super::export::{self, Options};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::input::paths::{Dirs, Named};

pub async fn run(
    ctx: &Ctx,
    inputs: &[String],
    prompt: &str,
    continue_project: bool,
    opts: &Options,
    cancel: &CancellationToken,
) -> Result<()> {
    // Offline, the render needs ffmpeg: say so before anything is uploaded.
    export::check_local_renderer(ctx)?;
    if !continue_project {
        let _s = ctx.out.spinner_with("Connecting…", false);
        ctx.api.new_session(false).await?;
    }
    ctx.out.heading("[1/3] Uploading");
    if !inputs.is_empty() {
        let named = Named::args(inputs, &Dirs::current().env());
        let report = super::upload::upload(ctx, named, cancel).await?;
        if report.accepted.is_empty() {
            return Err(Error::Input(
                "None of the files could be uploaded; nothing to make a video from.".into(),
            ));
        }
    }
    ctx.out.heading("[2/3] Editing");
    super::chat::send(ctx, prompt, cancel).await?;
    ctx.out.heading("[3/3] Exporting");
    export::run(ctx, opts, cancel).await?;
    Ok(())
}
