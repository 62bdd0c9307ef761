//! [`Ctx`]: what every handler gets, built once by `app` from the flags,
//! the environment and the store. Its own module so that the handlers and
//! the REPL lean on it, not on `app`, which calls them.

use std::sync::Arc;
use std::time::Duration;

use crate::api;
use crate::store::Store;
use crate::ui::Out;

/// Everything a command needs.
pub struct Ctx {
    pub api: Arc<api::Client>,
    pub store: Arc<Store>,
    pub out: Out,
    /// Multiplies every built-in wait (`IMG2YT_TIME_SCALE`).
    pub time_scale: f64,
    /// Talking to the in-process offline backend (`--local`): renders are
    /// polled often, and there is no web page to link to.
    pub local: bool,
    /// The video this run last saved, for `/play`.
    pub last_video: std::sync::Mutex<Option<std::path::PathBuf>>,
    /// `status` has mentioned the storyboard in this run (it says so once).
    pub storyboard_mentioned: std::sync::atomic::AtomicBool,
}

impl Ctx {
    pub fn scaled(&self, d: Duration) -> Duration {
        d.mul_f64(self.time_scale)
    }
}
