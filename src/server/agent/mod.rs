//! The embedded server's offline editing agent behind `/run_sse`.
//!
//! A turn is a list of [`Frame`]s written to the SSE body one by one. Tests
//! queue exact scripts through `/__control/script` (partials + aggregate,
//! tools only, heartbeats, drops, CJK split across writes…); without one,
//! [`plan_turn`] reads the message ([`intent::parse_all`]), edits the session's
//! draft through the slideshow model ([`apply::apply`]) and answers the way
//! the cloud agent would: partial text, an `edit_draft` function call and
//! response, and the final aggregate. Title edits answer with tool events
//! only, as about one edit in three does on the real backend.
//!
//! Every wish in a message is applied and answered with its own line; a
//! clause that is not understood gets a line saying so
//! ([`intent::parse_all`]), and a request out of scope (a logo, 4K, a
//! frame rate, subtitles, filters…) gets a line naming it in the user's
//! words with the nearest thing the agent can do. An edit before there is
//! a video makes the video first. `utterances.rs` holds the whole-turn
//! table that checks each of these on the draft itself.
//!
//! The draft stays the one source of truth: each turn reads it with
//! `Slideshow::from_draft` and writes `to_draft()` back; the drafts before
//! each change are kept in the session's history for "undo".

mod apply;
mod intent;
mod words;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod utterances;

use serde_json::{json, Value};

use super::turn::{Frame, Step};

use super::dialect::Wire;
use super::slideshow::Slideshow;
use super::world::Session;
use apply::uploaded_photos;
use intent::Edit;
use words::Lang;

/// What making the video costs, in credits.
const MAKE_COST: f64 = 50.0;
/// What any other turn that changes the draft costs.
const EDIT_COST: f64 = 10.0;
/// How many earlier drafts "undo" can go back to.
const HISTORY: usize = 50;

/// What a turn costs and does.
pub struct Turn {
    pub steps: Vec<Step>,
    pub cost: f64,
    invocation: String,
}

impl Turn {
    /// The turn's frames in the dialect the server speaks.
    pub fn frames(&self, wire: Wire) -> Vec<Frame> {
        wire.turn(&self.steps, &self.invocation)
    }
}

/// Decide what the agent does with a message.
pub fn plan_turn(session: &mut Session, msg: &str, invocation: &str) -> Turn {
    let lang = Lang::of(msg);
    let names: Vec<String> = match Slideshow::from_draft(&session.draft) {
        Some(show) => show.photos.iter().map(|p| p.name.clone()).collect(),
        None => uploaded_photos(&session.media)
            .into_iter()
            .map(|p| p.name)
            .collect(),
    };
    let (edits, unread) = intent::parse_all(msg, &names);
    let mut t = TurnBuilder {
        steps: Vec::new(),
        cost: 0.0,
    };
    let before = Slideshow::from_draft(&session.draft);
    let cannot = cannot(msg, lang);
    if edits.is_empty() && !cannot.is_empty() {
        t.say(&cannot);
    } else if edits.is_empty() {
        let photos = uploaded_photos(&session.media).len();
        t.say(&help(msg, lang, before.is_some(), photos));
    } else if edits.iter().all(|e| matches!(e, Edit::Ask(_))) {
        // Only questions: ask, and make nothing (not even the video).
        let show = before
            .clone()
            .unwrap_or_else(|| Slideshow::of(uploaded_photos(&session.media)));
        let qs: Vec<String> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::Ask(q) => Some(apply::question(*q, &show, lang)),
                _ => None,
            })
            .collect();
        t.say(&qs.join(" "));
    } else if edits.contains(&Edit::Undo) {
        undo(session, lang, &mut t);
    } else if before.is_none() {
        make(session, msg, &edits, lang, &mut t);
    } else {
        edit(session, msg, before, &edits, lang, &mut t);
    }
    if !edits.is_empty() && !cannot.is_empty() {
        t.say(&format!("\n{cannot}"));
    }
    // Never drop a wish without saying so.
    if !edits.is_empty() && !edits.contains(&Edit::Undo) {
        for u in unread {
            t.say(&lang.pick(
                format!("\nI didn't understand \"{u}\", so I left that part out."),
                format!("\n没看懂“{u}”，这部分没有改。"),
            ));
        }
    }
    Turn {
        steps: t.steps,
        cost: t.cost,
        invocation: invocation.to_string(),
    }
}

struct TurnBuilder {
    steps: Vec<Step>,
    cost: f64,
}

impl TurnBuilder {
    fn say(&mut self, text: &str) {
        self.steps.push(Step::Say(text.to_string()));
    }

    fn tool(&mut self, name: &str, args: Value) {
        self.steps.push(Step::Tool {
            name: name.to_string(),
            args,
        });
    }

    fn set_draft(&mut self, draft: &Value) {
        self.steps.push(Step::SetDraft(draft.clone()));
    }
}

/// Remember the draft before a change, for "undo".
fn remember(session: &mut Session, msg: &str) {
    session
        .history
        .push(json!({"draft": session.draft.clone(), "said": msg}));
    if session.history.len() > HISTORY {
        session.history.remove(0);
    }
}

fn is_music(e: &Edit) -> bool {
    matches!(
        e,
        Edit::Music
            | Edit::MusicMood(_)
            | Edit::MusicUpload(_)
            | Edit::MusicVolume(_)
            | Edit::Louder
            | Edit::Quieter
            | Edit::NoMusic
    )
}

fn edit_names(edits: &[Edit]) -> Vec<String> {
    edits.iter().map(|e| format!("{e:?}")).collect()
}

/// No video yet: make it from the uploads with the asked edits (stage one),
/// then add the music (stage two), as the cloud agent's two-stage
/// generation does.
fn make(session: &mut Session, msg: &str, edits: &[Edit], lang: Lang, t: &mut TurnBuilder) {
    let (music, rest): (Vec<Edit>, Vec<Edit>) = edits.iter().cloned().partition(is_music);
    let first = apply::apply(None, &rest, &session.media, lang);
    let Some(show) = first.show.clone() else {
        t.say(&first.reply());
        return;
    };
    t.cost = MAKE_COST;
    t.tool(
        "understand_media",
        json!({"count": uploaded_photos(&session.media).len()}),
    );
    t.tool(
        "edit_draft",
        json!({"action": "create_slideshow", "edits": edit_names(&rest)}),
    );
    let raw = show.to_draft();
    t.set_draft(&raw);
    remember(session, msg);
    let second =
        (!music.is_empty()).then(|| apply::apply(Some(show.clone()), &music, &session.media, lang));
    match second.filter(|s| s.show.as_ref() != Some(&show)) {
        None => {
            let ending = lang.pick(
                " You can preview it in the timeline.",
                " 可以在时间线中预览。",
            );
            t.say(&format!("{}{ending}", first.reply()));
            session.draft = raw;
        }
        Some(second) => {
            let now = lang.pick(
                " Now adding music and finishing touches…",
                " 正在添加音乐和收尾效果…",
            );
            t.say(&format!("{}{now}", first.reply()));
            match second.generated {
                Some(m) => t.tool("generate_music", json!({"style": m.key()})),
                None => t.tool("edit_draft", json!({"edits": edit_names(&music)})),
            }
            let done = second.show.as_ref().expect("changed").to_draft();
            t.set_draft(&done);
            let ending = lang.pick(
                " Preview it in the timeline, then click the Export button when you're happy.",
                " 可以在时间线中预览，满意后点击导出按钮。",
            );
            t.say(&format!(" {}{ending}", second.reply()));
            session.draft = done;
        }
    }
}

/// A video exists: apply the edits and say what changed.
fn edit(
    session: &mut Session,
    msg: &str,
    before: Option<Slideshow>,
    edits: &[Edit],
    lang: Lang,
    t: &mut TurnBuilder,
) {
    let out = apply::apply(before.clone(), edits, &session.media, lang);
    let changed = out.show != before;
    if let Some(m) = out.generated {
        t.tool("generate_music", json!({"style": m.key()}));
    }
    t.tool(
        "edit_draft",
        json!({"edits": edit_names(edits), "message": msg}),
    );
    if changed {
        let draft = out.show.as_ref().expect("a video").to_draft();
        t.set_draft(&draft);
        remember(session, msg);
        session.draft = draft;
        t.cost = EDIT_COST;
    }
    // A title alone is answered with tool events only, as the cloud agent
    // often does: the client reads the state and reports the change.
    let silent = changed && !out.warned && matches!(edits, [Edit::Title(_)]);
    if !silent {
        t.say(&out.reply());
    }
}

fn undo(session: &mut Session, lang: Lang, t: &mut TurnBuilder) {
    let Some(entry) = session.history.pop() else {
        t.say(&lang.pick("There is nothing to undo yet.", "还没有可以撤销的修改。"));
        return;
    };
    let draft = entry["draft"].clone();
    let said: String = entry["said"]
        .as_str()
        .unwrap_or("")
        .chars()
        .take(80)
        .collect();
    t.tool("edit_draft", json!({"action": "undo"}));
    t.set_draft(&draft);
    t.cost = EDIT_COST;
    let gone = Slideshow::from_draft(&draft).is_none();
    let text = match (lang, gone) {
        (Lang::En, false) => format!("Undone: the video is back to how it was before \"{said}\"."),
        (Lang::En, true) => {
            format!("Undone: back to before \"{said}\", when there was no video yet.")
        }
        (Lang::Zh, false) => format!("已撤销：视频恢复到“{said}”之前的样子。"),
        (Lang::Zh, true) => format!("已撤销：回到“{said}”之前，那时还没有视频。"),
    };
    session.draft = draft;
    t.say(&text);
}

/// One line per out-of-scope request in the message, naming it and
/// offering the nearest thing the agent can do ("" when there is none).
fn cannot(msg: &str, lang: Lang) -> String {
    intent::unsupported(msg)
        .into_iter()
        .map(|(what, en, zh)| match lang {
            Lang::En => format!("I can't do \"{what}\" here: {en}."),
            Lang::Zh => format!("这里做不到“{what}”：{zh}。"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reply to a message the agent did not understand: what it can do,
/// after naming what was asked (so a request it cannot do is never met with
/// a list that ignores it).
fn help(msg: &str, lang: Lang, has_video: bool, photos: usize) -> String {
    let mut asked: String = msg.trim().chars().take(60).collect();
    if msg.trim().chars().count() > 60 {
        asked.push('…');
    }
    match lang {
        Lang::En => {
            let start = match (has_video, photos) {
                (true, _) => format!("I didn't catch a change in \"{asked}\". I can:"),
                (false, 0) => format!(
                    "I didn't catch a change in \"{asked}\". Upload some photos and say \"make a video\". Then I can:"
                ),
                (false, n) => format!(
                    "I didn't catch a change in \"{asked}\". Say \"make a video\" to start from your {n} photo{}. Then I can:",
                    if n == 1 { "" } else { "s" }
                ),
            };
            format!(
                "{start} set the pacing (\"2 seconds per photo\", \"slower\", \"make it 30 seconds long\"); \
                 change transitions (\"wipe\", \"fade through black\", \"slide\", \"crossfade\", \"no transitions\", \"1 second transitions\"); \
                 turn Ken Burns motion on or off; add a title or closing text (title: \"Iceland 2026\"); \
                 add music (\"calm\", \"upbeat\" or \"lo-fi\" music, generated here, or \"use my music\" after uploading audio), \
                 set its volume (\"volume 60%\", \"quieter\") or remove it; \
                 switch to 16:9, 9:16 (Shorts) or 1:1, 720p or 1080p; \
                 reorder photos (\"move photo 3 to the front\", \"swap photos 1 and 2\", \"remove the last photo\", \"reverse the order\"); and undo."
            )
        }
        Lang::Zh => {
            let start = match (has_video, photos) {
                (true, _) => format!("“{asked}”里我没有找到要做的修改。我可以："),
                (false, 0) => {
                    format!("“{asked}”里我没有找到要做的修改。先上传照片，然后说“做成视频”。之后我可以：")
                }
                (false, n) => format!(
                    "“{asked}”里我没有找到要做的修改。说“做成视频”，就用你的{n}张照片开始。之后我可以："
                ),
            };
            format!(
                "{start}调节节奏（“每张照片2秒”“慢一点”“快一点”）；\
                 更换转场（淡入淡出、黑场过渡、擦除、滑动、无转场，“转场1秒”）；\
                 开关肯·伯恩斯缩放效果；添加标题或结尾文字（标题：“冰岛之旅”）；\
                 添加音乐（舒缓、欢快或低保真，本机生成；上传音频后说“用我的音乐”），调音量（“音量50%”“小声一点”）或去掉音乐；\
                 改成横屏16:9、竖屏9:16（Shorts）或方形1:1，720p或1080p；\
                 调整照片顺序（“把第2张移到最前”“交换第1张和第3张”“删除第3张”“倒序”）；以及撤销。"
            )
        }
    }
}
