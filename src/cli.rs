//! Command-line flags and subcommands (clap derive). Parsing only: what the
//! flags mean together is resolved in `app`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use crate::server::dialect::Wire;

const AFTER_HELP: &str = "\
Examples:
  img2yt                                   start the interactive editor
  img2yt make photos/*.jpg -p \"turn these into a YouTube video with music\" -o trip.mp4
  img2yt upload ~/trip/                    upload a folder of photos
  img2yt send \"slower transitions\"         ask the editor for a change
  img2yt status                            show the timeline
  img2yt storyboard -o board.png           draw the timeline as a picture
  img2yt export -o trip.mp4                render and download the MP4
  img2yt publish trip.mp4                  put it on YouTube (private)
  img2yt serve --port 8787                 run the offline backend
  img2yt --local                           use an in-process offline backend

Exit codes: 0 ok, 1 error, 2 usage, 3 file refused, 4 token invalid, 5 out of
credits, 6 export needs registration, 7 network, 8 service error, 9 render
failed, 10 nothing to export, 11 YouTube refused (quota, upload limit,
forbidden), 130 interrupted.";

#[derive(Debug, Parser)]
#[command(name = "img2yt", version, about = "Turn your photos into a finished YouTube video, from the terminal.", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub client: ClientFlags,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes, `serve` included.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Keep settings, history and the client id in this folder.
    #[arg(long, env = "IMG2YT_CONFIG_DIR", global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Show technical details (requests, codes); the token stays redacted.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Only results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// No colour (also NO_COLOR).
    #[arg(long, global = true)]
    pub no_color: bool,
}

/// Flags of the client: which service it talks to and how it answers.
/// `serve` does not take them (see [`ClientOnly`]).
#[derive(Debug, Clone, Args)]
pub struct ClientFlags {
    /// NemoVideo API base URL.
    #[arg(long, env = "NEMO_API_URL", global = true, value_name = "URL")]
    pub api_url: Option<String>,
    /// Web app base URL (browser links).
    #[arg(long, env = "NEMO_WEB_URL", global = true, value_name = "URL")]
    pub web_url: Option<String>,
    /// Language of the editing session (default from LANG: zh* → zh, else en).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Newline-delimited JSON results on stdout, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// Piped input: go on after a failing line (exit with the first
    /// failure's code at the end).
    #[arg(long)]
    pub keep_going: bool,
    /// Use an in-process offline backend instead of the cloud (wins over
    /// --api-url and NEMO_API_URL).
    #[arg(long, global = true)]
    pub local: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show your credit balance.
    Credits,
    /// Show the timeline of the current project.
    #[command(alias = "state")]
    Status,
    /// Draw the timeline as a picture (PNG): a tile per clip with its
    /// photo and time range, transitions, title and music; shown inline in
    /// terminals that can display images.
    Storyboard {
        /// Where to save the PNG (a file or a folder; default
        /// ./storyboard.png). An earlier storyboard is replaced; any other
        /// file is left alone.
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Start a new, empty project.
    New,
    /// Print the link that opens the project in the browser.
    Open {
        /// Also open it in the default browser.
        #[arg(long)]
        browser: bool,
    },
    /// Upload photos, videos or music: files, folders, globs or URLs.
    Upload {
        #[arg(required = true, num_args = 1.., value_name = "PATH|URL")]
        paths: Vec<String>,
    },
    /// Send one message to the editor and stream its reply.
    Send {
        /// What you want, in plain words.
        #[arg(required = true, num_args = 1..)]
        message: Vec<String>,
    },
    /// Render the video and download the MP4.
    Export {
        #[command(flatten)]
        args: ExportArgs,
        /// Download a render left waiting by an earlier run (of any
        /// project) instead of rendering the current one.
        #[arg(long)]
        pending: bool,
    },
    /// The whole job in one go: new project, upload, edit, export.
    Make {
        /// Photos, folders, globs or URLs.
        #[arg(value_name = "PATH|URL")]
        inputs: Vec<String>,
        /// What the video should be.
        #[arg(short, long, value_name = "PROMPT")]
        prompt: String,
        /// Add to the current project instead of starting a new one.
        #[arg(long = "continue")]
        continue_project: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Upload a video to YouTube (private unless --privacy says otherwise).
    Publish(PublishArgs),
    /// Run the embedded NemoVideo-compatible backend.
    Serve(ServeArgs),
    /// Print a completion script for your shell (see the README's Install).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `img2yt man > ~/.local/share/man/man1/img2yt.1`.
    Man,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Enable the fault-injection control routes (for tests).
    #[arg(long, env = "IMG2YT_SERVER_FAULTS")]
    pub faults: bool,
    /// Where projects, uploads and renders are kept (default: the folder
    /// --local uses, see IMG2YT_DATA_DIR; with --faults a temporary one).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Render at most this many pixels on the short side (e.g. 360 for
    /// quick previews; drafts ask for 720 or 1080).
    #[arg(long, env = "IMG2YT_SERVER_MAX_HEIGHT", value_name = "PIXELS", value_parser = clap::value_parser!(u32).range(16..=4320))]
    pub max_height: Option<u32>,
    /// Speak this dialect of the protocol: `doc` (the default) is exactly
    /// PROTOCOL.md; the others each vary one thing the document leaves
    /// open (for testing clients).
    #[arg(long, env = "IMG2YT_SERVER_WIRE", value_enum, default_value_t = Wire::Doc, value_name = "NAME", hide_possible_values = false)]
    pub wire: Wire,
    #[command(flatten)]
    pub client_only: ClientOnly,
}

/// The client's global flags, shadowed on `serve` so that its help does
/// not offer them (clap does not give a global flag to a subcommand that
/// has one of the same name). Given anyway, they are refused.
#[derive(Debug, Clone, Args)]
pub struct ClientOnly {
    #[arg(long, hide = true)]
    pub api_url: Option<String>,
    #[arg(long, hide = true)]
    pub web_url: Option<String>,
    #[arg(long, hide = true)]
    pub lang: Option<String>,
    #[arg(long, hide = true)]
    pub json: bool,
    #[arg(long, hide = true)]
    pub local: bool,
}

impl ClientOnly {
    /// The first client flag given, as typed. The URLs are not counted:
    /// clap hands a subcommand the global flags' environment values too
    /// (`NEMO_API_URL`), which say nothing about what was typed.
    pub fn given(&self) -> Option<&'static str> {
        [
            (self.lang.is_some(), "--lang"),
            (self.json, "--json"),
            (self.local, "--local"),
        ]
        .into_iter()
        .find_map(|(set, name)| set.then_some(name))
    }
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Where to save the MP4 (a file or a folder).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Quality::High)]
    pub quality: Quality,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Quality {
    High,
    Medium,
    Low,
}

impl Quality {
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::High => "high",
            Quality::Medium => "medium",
            Quality::Low => "low",
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// The MP4 to publish (default: the video this run exported; exports
    /// the project first when there is none).
    #[arg(value_name = "VIDEO")]
    pub video: Option<PathBuf>,
    /// Title (default: the project's title, else the file name); 1-100
    /// characters.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Description, at most 5000 bytes.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub description: String,
    /// Comma-separated tags (500 characters in all, as YouTube counts).
    #[arg(long, value_name = "A,B")]
    pub tags: Option<String>,
    /// Who may watch it.
    #[arg(long, value_enum, default_value_t = crate::youtube::metadata::Privacy::Private)]
    pub privacy: crate::youtube::metadata::Privacy,
    /// YouTube category number (22 People & Blogs, 19 Travel & Events, 10 Music …).
    #[arg(long, value_name = "ID", default_value = crate::youtube::metadata::DEFAULT_CATEGORY)]
    pub category: String,
    /// Declare the video made for kids (YouTube asks every uploader).
    #[arg(long)]
    pub made_for_kids: bool,
    /// The thumbnail JPEG (default: the one export saved beside the video).
    #[arg(long, value_name = "PATH")]
    pub thumbnail: Option<PathBuf>,
    /// Your Google OAuth client (a "Desktop app" client_secret.json).
    #[arg(long, env = "IMG2YT_YOUTUBE_CLIENT_SECRETS", value_name = "PATH")]
    pub client_secrets: Option<PathBuf>,
    /// Revoke img2yt's access to your YouTube channel and forget it.
    #[arg(long, conflicts_with_all = ["video", "title", "tags", "thumbnail"])]
    pub sign_out: bool,
}
