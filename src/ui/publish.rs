//! What `img2yt publish` shows: the sign-in link (always, even with
//! `--quiet`: without it nothing can happen), the question whether to open
//! it, the upload's progress bar and the watch link at the end.

use indicatif::ProgressBar;
use std::io::IsTerminal;

use super::{clean, write_stderr, write_stdout, Out};

impl Out {
    /// The sign-in URL on stderr, on a line of its own so it can be copied.
    pub fn sign_in_link(&self, url: &str) {
        write_stderr(&format!(
            "To let img2yt upload to your YouTube channel, open this link and sign in:\n\n  {url}\n\n"
        ));
    }

    /// Ask a yes/no question on a terminal (default yes). Off a terminal,
    /// or with `--json`, the answer is no: nothing is done unasked.
    pub async fn ask_yes(&self, question: &str) -> bool {
        if self.is_json() || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            return false;
        }
        write_stderr(&format!("{question} [Y/n] "));
        let answer = tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map(|_| line)
        })
        .await;
        matches!(answer, Ok(Ok(a)) if !a.trim().to_lowercase().starts_with('n'))
    }

    /// The upload's byte bar (hidden off a terminal).
    pub fn upload_bar(&self, total: u64) -> ProgressBar {
        self.bytes_bar(Some(total), "Uploading to YouTube")
    }

    /// The result: the watch link and the privacy it went up with, or
    /// `{"type":"published",…}` with `--json`.
    pub fn published(&self, id: &str, url: &str, privacy: &str) {
        if self.is_json() {
            self.json(serde_json::json!({
                "type": "published", "id": id, "url": url, "privacy": privacy,
            }));
        } else {
            let link = self.link(&clean(url));
            write_stdout(&format!("Published on YouTube ({privacy}): {link}\n"));
        }
    }

    /// A link: an OSC 8 hyperlink on a terminal that shows them, else the
    /// URL itself.
    fn link(&self, url: &str) -> String {
        // The same test the storyboard's path link uses.
        let osc8 = std::io::stdout().is_terminal() && supports_hyperlinks::supports_hyperlinks();
        if osc8 {
            format!("\x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\")
        } else {
            url.to_string()
        }
    }
}
