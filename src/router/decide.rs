//! One line, one decision. [`route`] reads the words of a line; [`decide`]
//! adds what only the disk can say (which words are dropped files, what
//! `/upload`'s arguments name, where `~/trip.mp4` is), so the handler gets
//! everything at once and only carries it out: upload first when the line
//! names files, then one [`Action`], with the note to print before it.

use std::path::PathBuf;

use super::{route, routed_note, Command, Intent};
use crate::input::paths::{self, Dirs, Named};

/// Everything one line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Files and links to upload before anything else.
    pub upload: Option<Upload>,
    /// Dim words to print before the action: what a keyword-routed line was
    /// taken for, so a misroute is visible.
    pub note: Option<String>,
    /// What to do (after the upload, and only if it accepted something).
    pub action: Action,
}

/// Files to upload, and the note that says why when they were dropped into
/// a line rather than named by `/upload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub named: Named,
    pub note: Option<&'static str>,
}

/// What a line asks img2yt to do, whether typed as a slash command or in
/// words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Blank, a comment, or dropped files alone.
    Nothing,
    /// `/something` img2yt does not know, as typed.
    Unknown(String),
    /// `/help` and its topic (may be empty).
    Help(String),
    /// Talk of uploading without paths: how to add files.
    UploadHelp,
    /// Render and download, to this file when the line names one.
    Export(Option<PathBuf>),
    /// The timeline as a picture, to this file when the line names one.
    Storyboard(Option<PathBuf>),
    Credits,
    Status,
    Play,
    New,
    Open,
    History,
    Quit,
    /// Put the last export on YouTube, with `/publish`'s flags (may be empty).
    Publish(String),
    /// Everything else goes to the editor.
    Chat(String),
}

/// Decide what `line` asks for; `dirs` says where relative paths and `~`
/// point.
pub fn decide(line: &str, dirs: &Dirs) -> Decision {
    let intent = route(line);
    // Only free text can carry dropped files: a line the router recognised
    // as a local action ("export ~/trip.mp4") keeps its meaning even when
    // the path it names exists.
    if matches!(intent, Intent::Chat(_) | Intent::UploadHelp) {
        let found = paths::extract(line, &dirs.env());
        // A dropped folder with nothing to upload is still an upload: it is
        // refused with its reason rather than sent to the editor as words.
        if !(found.files.is_empty() && found.urls.is_empty() && found.empty.is_empty()) {
            let rest = route(&found.rest);
            let (note, action) = match rest {
                // "upload these ~/a.jpg": the upload was the whole wish.
                Intent::UploadHelp => (None, Action::Nothing),
                other => (routed_note(&other), action(other, dirs)),
            };
            return Decision {
                upload: Some(Upload {
                    named: Named::dropped(found),
                    note: Some("→ upload (dropped files)"),
                }),
                note,
                action,
            };
        }
    }
    if let Intent::Slash {
        command: Command::Upload,
        arg,
    } = &intent
    {
        if !arg.trim().is_empty() {
            return Decision {
                upload: Some(Upload {
                    named: Named::line(arg, &dirs.env()),
                    note: None,
                }),
                note: None,
                action: Action::Nothing,
            };
        }
    }
    Decision {
        upload: None,
        note: routed_note(&intent),
        action: action(intent, dirs),
    }
}

/// The action an intent asks for, its paths resolved.
fn action(intent: Intent, dirs: &Dirs) -> Action {
    let path = |p: Option<String>| {
        p.filter(|p| !p.trim().is_empty())
            .map(|p| dirs.expand_home(&p))
    };
    match intent {
        Intent::Nothing => Action::Nothing,
        Intent::UnknownSlash(cmd) => Action::Unknown(cmd),
        Intent::Export { path: p } => Action::Export(path(p)),
        Intent::Storyboard { path: p } => Action::Storyboard(path(p)),
        Intent::Credits => Action::Credits,
        Intent::Status => Action::Status,
        Intent::UploadHelp => Action::UploadHelp,
        Intent::Publish => Action::Publish(String::new()),
        Intent::Chat(text) => Action::Chat(text),
        Intent::Slash { command, arg } => match command {
            Command::Upload => Action::UploadHelp,
            Command::Credits => Action::Credits,
            Command::Status => Action::Status,
            Command::Storyboard => Action::Storyboard(path(Some(arg))),
            Command::Export => Action::Export(path(Some(arg))),
            Command::Play => Action::Play,
            Command::Publish => Action::Publish(arg),
            Command::New => Action::New,
            Command::Open => Action::Open,
            Command::Help => Action::Help(arg),
            Command::Quit => Action::Quit,
            Command::History => Action::History,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(tmp: &std::path::Path) -> Dirs {
        Dirs::at(tmp.to_path_buf(), Some(tmp.join("home")))
    }

    #[test]
    fn dropped_files_are_uploaded_then_the_rest_is_routed() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.jpg");
        std::fs::write(&a, b"x").unwrap();
        let d = decide(
            &format!("'{}' export to ~/t.mp4", a.display()),
            &dirs(tmp.path()),
        );
        let up = d.upload.expect("an upload");
        assert_eq!(up.named.found.files, vec![a.clone()]);
        assert_eq!(up.note, Some("→ upload (dropped files)"));
        assert_eq!(
            d.action,
            Action::Export(Some(tmp.path().join("home").join("t.mp4")))
        );
        assert!(d.note.unwrap().starts_with("→ export to ~/t.mp4"));

        let d = decide(&format!("{} make it warm", a.display()), &dirs(tmp.path()));
        assert_eq!(d.action, Action::Chat("make it warm".into()));
        assert_eq!(d.note, None);

        let d = decide(&format!("upload these {}", a.display()), &dirs(tmp.path()));
        assert!(d.upload.is_some());
        assert_eq!(d.action, Action::Nothing);
    }

    #[test]
    fn a_local_action_keeps_its_meaning_when_its_path_exists() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("trip.mp4");
        std::fs::write(&out, b"x").unwrap();
        let d = decide(&format!("export to {}", out.display()), &dirs(tmp.path()));
        assert_eq!(d.upload, None);
        assert_eq!(d.action, Action::Export(Some(out)));
    }

    #[test]
    fn slash_upload_names_its_files_and_refuses_the_rest() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("b.png"), b"x").unwrap();
        let d = decide("/upload b.png nothing.jpg", &dirs(tmp.path()));
        let up = d.upload.unwrap();
        assert_eq!(up.named.found.files, vec![tmp.path().join("b.png")]);
        assert_eq!(up.named.refused.len(), 1, "{:?}", up.named.refused);
        assert!(up.named.refused[0].starts_with("nothing.jpg: "));
        assert_eq!(up.note, None);
        assert_eq!(
            decide("/upload", &dirs(tmp.path())).action,
            Action::UploadHelp
        );
    }

    #[test]
    fn slash_commands_and_words_reach_the_same_action() {
        let tmp = tempfile::tempdir().unwrap();
        let d = |l: &str| decide(l, &dirs(tmp.path()));
        assert_eq!(d("/export").action, Action::Export(None));
        assert_eq!(d("export").action, Action::Export(None));
        assert_eq!(d("/export").note, None);
        assert!(d("export").note.is_some());
        assert_eq!(d("/credits").action, d("how many credits do I have").action);
        assert_eq!(
            d("/publish --privacy public").action,
            Action::Publish("--privacy public".into())
        );
        assert_eq!(d("/nope").action, Action::Unknown("/nope".into()));
        assert_eq!(d("/help export").action, Action::Help("export".into()));
        assert_eq!(d("  ").action, Action::Nothing);
    }
}
