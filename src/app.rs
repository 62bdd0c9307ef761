//! Resolves flags, environment and the store into a [`Ctx`] once, then runs
//! the chosen command. Like ripgrep's `HiArgs`: everything downstream gets
//! validated settings, never raw flags.

use futures_util::future::BoxFuture;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

use crate::api::{self, ApiConfig, Hooks, SessionRef};
use crate::cli::{Cli, Command};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::handlers;
use crate::secret::Secret;
use crate::store::{self, Paths, Project, Store, StoredToken, TokenOrigin};
use crate::ui::{Out, OutOptions};

/// The public NemoVideo API (PROTOCOL.md, configuration table).
pub const DEFAULT_API_URL: &str = "https://mega-api-prod.nemovideo.ai";
pub const DEFAULT_WEB_URL: &str = "https://nemovideo.com";

/// Run the parsed command line; the exit code comes from the error.
pub async fn run(cli: Cli) -> Result<()> {
    let color = !cli.common.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let out = Out::new(OutOptions {
        json: cli.client.json,
        color,
        quiet: cli.common.quiet,
        verbose: cli.common.verbose,
    });
    let local_dir = || store::paths::local_data_dir(cli.common.config_dir.as_deref());
    match &cli.command {
        Some(Command::Serve(args)) => {
            if let Some(flag) = args.client_only.given() {
                return Err(Error::Usage(format!(
                    "{flag} is for the client commands; `img2yt serve --help` lists what serve takes."
                )));
            }
            return handlers::serve::run(args.clone(), local_dir().ok(), &out).await;
        }
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "img2yt", &mut script);
            out.document(&script);
            return Ok(());
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut page)
                .map_err(|e| Error::Io(format!("Cannot write the man page: {e}")))?;
            out.document(&page);
            return Ok(());
        }
        _ => {}
    }
    // `--local`: an in-process offline backend on a loopback port, with
    // its projects kept in a data dir of its own.
    let mut api_url = cli.client.api_url.clone();
    let _local = if cli.client.local {
        let dir = local_dir()
            .map_err(|e| Error::Io(format!("Cannot find a folder for offline projects: {e}")))?;
        let (url, handle) = crate::server::spawn_local(dir)
            .await
            .map_err(|e| Error::Server(format!("Could not start the offline backend: {e}")))?;
        out.debug(format!("offline backend at {url}"));
        api_url = Some(url);
        Some(handle)
    } else {
        None
    };
    let mut ctx = build_ctx(&cli, api_url, out)?;
    ctx.local = cli.client.local;
    for w in ctx.store.take_warnings() {
        ctx.out.warn(w);
    }
    if !matches!(
        cli.command,
        Some(Command::Export { .. }) | Some(Command::Make { .. }) | None
    ) {
        if let Some(note) = handlers::export::pending_note(&ctx) {
            ctx.out.note(note);
        }
    }
    match cli.command {
        None => crate::repl::run(&ctx, cli.client.keep_going).await,
        Some(Command::Credits) => handlers::credits::run(&ctx).await,
        Some(Command::Status) => handlers::status::run(&ctx, "img2yt storyboard").await,
        Some(Command::Storyboard { output }) => {
            handlers::storyboard::run(&ctx, output).await.map(|_| ())
        }
        Some(Command::New) => handlers::project::new(&ctx).await,
        Some(Command::Open { browser }) => handlers::project::open(&ctx, browser).await,
        Some(Command::Upload { paths }) => {
            let cancel = cancel_on_ctrl_c();
            handlers::upload::run_args(&ctx, &paths, &cancel)
                .await
                .map(|_| ())
        }
        Some(Command::Send { message }) => {
            let cancel = cancel_on_ctrl_c();
            handlers::chat::send(&ctx, &message.join(" "), &cancel)
                .await
                .map(|_| ())
        }
        Some(Command::Export { args, pending }) => {
            let cancel = cancel_on_ctrl_c();
            let opts = export_options(&args);
            if pending {
                handlers::export::run_pending(&ctx, &opts, &cancel).await
            } else {
                handlers::export::run(&ctx, &opts, &cancel).await
            }
            .map(|_| ())
        }
        Some(Command::Make {
            inputs,
            prompt,
            continue_project,
            export,
        }) => {
            let cancel = cancel_on_ctrl_c();
            handlers::make::run(
                &ctx,
                &inputs,
                &prompt,
                continue_project,
                &export_options(&export),
                &cancel,
            )
            .await
        }
        Some(Command::Publish(args)) => {
            let cancel = cancel_on_ctrl_c();
            handlers::publish::run(&ctx, &args, &cancel).await
        }
        Some(Command::Serve(_) | Command::Completions { .. } | Command::Man) => {
            unreachable!("handled above")
        }
    }
}

fn export_options(a: &crate::cli::ExportArgs) -> handlers::export::Options {
    handlers::export::Options {
        output: a.output.clone(),
        quality: a.quality.as_str().into(),
        force: a.force,
    }
}

/// A token cancelled by the first Ctrl-C, for one-shot commands: the step
/// stops cleanly (exit 130) instead of the process dying mid-write.
pub fn cancel_on_ctrl_c() -> CancellationToken {
    let token = CancellationToken::new();
    let t = token.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            t.cancel();
        }
    });
    token
}

/// The time scale from `IMG2YT_TIME_SCALE` (default 1.0; bad values ignored).
pub fn time_scale() -> f64 {
    std::env::var("IMG2YT_TIME_SCALE")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(1.0)
}

/// The session language: `--lang`, else from `LANG` (`zh*` → zh, else en).
pub fn language(flag: Option<&str>) -> String {
    if let Some(l) = flag.filter(|l| !l.is_empty()) {
        return l.to_string();
    }
    let lang = std::env::var("LC_ALL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("LANG").ok())
        .unwrap_or_default();
    if lang.to_ascii_lowercase().starts_with("zh") {
        "zh".into()
    } else {
        "en".into()
    }
}

/// `X-Skill-Platform`: `SKILL_SOURCE`, else detected from the install path.
pub fn platform() -> String {
    if let Ok(s) = std::env::var("SKILL_SOURCE") {
        if !s.trim().is_empty() {
            return s.trim().to_string();
        }
    }
    let exe = std::env::current_exe()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    if exe.contains("/.clawhub/") {
        "clawhub".into()
    } else if exe.contains("/.cursor/skills/") {
        "cursor".into()
    } else {
        "unknown".into()
    }
}

/// Read the shared client id, creating it (a fresh UUID v4) when missing or
/// unreadable. `NEMO_CLIENT_ID` wins.
pub fn client_id(file: &Path) -> String {
    if let Ok(id) = std::env::var("NEMO_CLIENT_ID") {
        if !id.trim().is_empty() {
            return id.trim().to_string();
        }
    }
    if let Some(id) = read_client_id(file) {
        return id;
    }
    let id = uuid::Uuid::new_v4().to_string();
    // Create it only if it is still missing: several first runs at once
    // must end up sharing one id, not each use its own.
    match store::atomic::create_atomic(file, format!("{id}\n").as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if let Some(theirs) = read_client_id(file) {
                return theirs;
            }
            // There but unusable: replace it.
            let _ = write_client_id(file, &id);
        }
        _ => {}
    }
    id
}

fn read_client_id(file: &Path) -> Option<String> {
    let s = std::fs::read_to_string(file).ok()?;
    let s = s.trim();
    uuid::Uuid::parse_str(s).is_ok().then(|| s.to_string())
}

fn write_client_id(file: &Path, id: &str) -> std::io::Result<()> {
    store::atomic::write_atomic(file, format!("{id}\n").as_bytes())
}

pub fn build_ctx(cli: &Cli, api_url: Option<String>, out: Out) -> Result<Ctx> {
    let g = &cli.client;
    let mut paths = Paths::resolve(cli.common.config_dir.clone())
        .map_err(|e| Error::Io(format!("Cannot find a folder for img2yt's settings: {e}")))?;
    paths.local = g.local;
    let store = Arc::new(Store::new(paths.clone()));
    let data = store.read()?;
    let time_scale = time_scale();
    let cfg = ApiConfig {
        api_url: api_url
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_API_URL.into())
            .trim_end_matches('/')
            .to_string(),
        web_url: g
            .web_url
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_WEB_URL.into()),
        version: env!("CARGO_PKG_VERSION").into(),
        platform: platform(),
        language: language(g.lang.as_deref()),
        time_scale,
    };
    let env_token = std::env::var("NEMO_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let token = match env_token {
        Some(t) => Some((Secret::new(t.trim()), TokenOrigin::Env)),
        None => data
            .token
            .filter(|t| t.origin == TokenOrigin::Anonymous && !t.is_stale(store::now_secs()))
            .map(|t| (t.value, TokenOrigin::Anonymous)),
    };
    let session = data.project.as_ref().map(|p| SessionRef {
        session_id: p.session_id.clone(),
        task_id: p.task_id.clone(),
        bind_id: p.bind_id.clone(),
    });
    let hooks = Arc::new(AppHooks {
        store: store.clone(),
        out: out.clone(),
        client_id_file: paths.client_id_file.clone(),
    });
    let client_id = client_id(&paths.client_id_file);
    let api = Arc::new(api::Client::new(cfg, token, client_id, session, hooks));
    Ok(Ctx {
        api,
        store,
        out,
        time_scale,
        local: false,
        last_video: Default::default(),
        storyboard_mentioned: Default::default(),
    })
}

/// What the API client reports, shown through `ui` and saved in the store.
struct AppHooks {
    store: Arc<Store>,
    out: Out,
    client_id_file: PathBuf,
}

impl AppHooks {
    fn save(&self, f: impl FnOnce(&mut store::StoreData)) {
        if let Err(e) = self.store.update(f) {
            self.out.warn(format!("{e} (continuing without saving)"));
        }
    }
}

impl Hooks for AppHooks {
    fn wait<'a>(&'a self, message: &'a str, duration: Duration) -> BoxFuture<'a, ()> {
        Box::pin(self.out.countdown(message, duration))
    }

    fn notice(&self, message: &str) {
        self.out.status(message);
    }

    fn debug(&self, line: &str) {
        self.out.debug(line);
    }

    fn token_obtained(&self, token: &Secret) {
        let token = token.clone();
        self.save(move |d| {
            d.token = Some(StoredToken {
                value: token,
                obtained_at: store::now_secs(),
                origin: TokenOrigin::Anonymous,
            })
        });
    }

    fn session_created(&self, s: &SessionRef, replaced_lost: bool) {
        if replaced_lost {
            self.out
                .warn("Your project had expired on the server; img2yt started a new, empty one.");
        }
        let project = Project {
            session_id: s.session_id.clone(),
            task_id: s.task_id.clone(),
            bind_id: s.bind_id.clone(),
            created: store::now_secs(),
            ..Default::default()
        };
        self.save(move |d| d.switch_project(project));
    }

    fn client_id_replaced(&self, client_id: &str) {
        if let Err(e) = write_client_id(&self.client_id_file, client_id) {
            self.out
                .warn(format!("Could not save the new client id: {e}"));
        }
    }
}
