//! Spinners, progress bars and countdowns (indicatif), drawn on stderr only
//! when it is a terminal. Off a terminal a spinner prints its message once as
//! a plain status line, so scripts still see what is happening.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

use super::Out;

/// A spinner with a message and elapsed seconds; cleared on drop.
pub struct Spinner {
    bar: ProgressBar,
}

impl Spinner {
    pub fn set_message(&self, msg: impl Into<String>) {
        self.bar.set_message(super::clean(msg.into()));
    }

    /// Print a line above the spinner without garbling it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    pub fn bar(&self) -> &ProgressBar {
        &self.bar
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

impl Out {
    /// A spinner; off a terminal the message is printed once instead
    /// (unless `quiet_off_tty`).
    pub fn spinner(&self, msg: &str) -> Spinner {
        self.spinner_with(msg, true)
    }

    pub fn spinner_with(&self, msg: &str, print_off_tty: bool) -> Spinner {
        if !self.animate() {
            if print_off_tty {
                self.status(msg);
            }
            return Spinner {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let tpl = if self.opts().color {
            "{spinner:.cyan} {msg} {elapsed:.dim}"
        } else {
            "{spinner} {msg} {elapsed}"
        };
        bar.set_style(
            ProgressStyle::with_template(tpl)
                .expect("static template")
                .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
        );
        bar.set_message(super::clean(msg));
        bar.enable_steady_tick(Duration::from_millis(100));
        Spinner { bar }
    }

    /// A byte progress bar (rate, ETA) for a transfer of `len` bytes
    /// (`None`: unknown length → spinner with bytes). Hidden off a terminal.
    pub fn bytes_bar(&self, len: Option<u64>, msg: &str) -> ProgressBar {
        if !self.animate() {
            return ProgressBar::hidden();
        }
        // Built hidden and given its target last: `set_message` draws, and a
        // bar drawn before a MultiProgress adopts it leaves a stale line.
        let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::hidden());
        let tpl = match (len.is_some(), self.opts().color) {
            (true, true) => "{msg:20!} {percent:>3}% [{wide_bar:.cyan/blue}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
            (true, false) => "{msg:20!} {percent:>3}% [{wide_bar}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
            (false, _) => "{spinner} {msg} {bytes} {bytes_per_sec}",
        };
        bar.set_style(
            ProgressStyle::with_template(tpl)
                .expect("static template")
                .progress_chars("━╸ "),
        );
        bar.set_message(super::clean(msg));
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar
    }

    /// A group of bars drawn together (parallel uploads); hidden off a
    /// terminal.
    pub fn multi(&self) -> MultiProgress {
        if self.animate() {
            MultiProgress::with_draw_target(ProgressDrawTarget::stderr())
        } else {
            MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
        }
    }

    /// A percentage bar for a job whose progress the server reports.
    /// It starts hidden: call [`Out::show_bar`] once there is a figure, so
    /// it never draws over the spinner it replaces.
    pub fn percent_bar(&self, msg: &str) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(Some(100), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} {percent:>3}% [{wide_bar}] {elapsed}")
                .expect("static template")
                .progress_chars("━╸ "),
        );
        bar.set_message(super::clean(msg));
        bar
    }

    /// Start drawing a bar made hidden (on a terminal only).
    pub fn show_bar(&self, bar: &ProgressBar) {
        if self.animate() && bar.is_hidden() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Wait `dur`, showing a countdown on a terminal and one line off it.
    pub async fn countdown(&self, msg: &str, dur: Duration) {
        if !self.animate() {
            self.status(format!("{msg} {}s…", dur.as_secs_f64().ceil() as u64));
            tokio::time::sleep(dur).await;
            return;
        }
        let bar = ProgressBar::with_draw_target(
            Some(dur.as_millis() as u64),
            ProgressDrawTarget::stderr(),
        );
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {prefix}s").expect("static template"),
        );
        bar.set_message(super::clean(msg));
        let start = tokio::time::Instant::now();
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            let left = dur.saturating_sub(start.elapsed());
            bar.set_prefix(format!("{}", left.as_secs_f64().ceil() as u64));
            bar.tick();
            if left.is_zero() {
                break;
            }
            tick.tick().await;
        }
        bar.finish_and_clear();
    }
}
