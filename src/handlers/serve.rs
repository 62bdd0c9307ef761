//! `img2yt serve`: the embedded backend on a port of its own, its URL and
//! request log on the terminal, until Ctrl-C. The server knows nothing of
//! the client's flags or terminal; this turns one into the other.

use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::ServeArgs;
use crate::error::{Error, Result};
use crate::server::{self, dialect::Wire, RequestLog, ServerConfig};
use crate::ui::Out;

/// Serve until Ctrl-C.
///
/// Without `--data-dir` it keeps its data in `default_dir` (the folder
/// `--local` uses, so both see the same projects), or, with `--faults`
/// (a test server), in a temporary folder. Credits are unlimited unless
/// faults are on (tests need real balances).
pub async fn run(args: ServeArgs, default_dir: Option<PathBuf>, out: &Out) -> Result<()> {
    let data_dir = match (&args.data_dir, args.faults) {
        (Some(d), _) => Some(d.clone()),
        (None, false) => default_dir,
        (None, true) => None,
    };
    let log_out = out.clone();
    let cfg = ServerConfig {
        faults: args.faults,
        data_dir,
        max_p: args.max_height,
        log: Some(RequestLog(Arc::new(move |l| log_out.line(l)))),
        unlimited_credits: !args.faults,
        wire: args.wire,
        header_timeout: None,
    };
    let addr = format!("{}:{}", args.host, args.port);
    let bound = server::bind(&addr, cfg)
        .await
        .map_err(|e| Error::Server(e.to_string()))?;
    let local = bound.addr;
    out.line(format!(
        "img2yt offline backend listening on http://{local}"
    ));
    if args.wire != Wire::Doc {
        out.status(format!(
            "Speaking the {} dialect ({})",
            args.wire.name(),
            args.wire.source()
        ));
    }
    out.status(format!(
        "Use it from another shell with: NEMO_API_URL=http://{local} img2yt …{}",
        if args.faults {
            "  (fault injection on)"
        } else {
            ""
        }
    ));
    if let Some(d) = bound.data_dir() {
        out.status(format!("Projects are kept in {}", d.display()));
    }
    if !local.ip().is_loopback() {
        out.warn("listening beyond loopback: anyone who can reach this port can use it");
    }
    bound
        .run(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Error::Server(e.to_string()))
}
