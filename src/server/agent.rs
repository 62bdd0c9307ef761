//! The embedded server's offline "agent" behind `/run_sse`.
//!
//! A turn is a list of [`Frame`]s written to the SSE body one by one. Tests
//! queue exact scripts through `/__control/script` (partials + aggregate,
//! tools only, heartbeats, drops, CJK split across writes…); without one,
//! [`plan_turn`] reads the message, edits the draft the way the cloud agent
//! would, and answers with ADK-shaped events: partial text, a function call
//! and response, and the final aggregate. About one edit in three answers
//! with tool events only, as the real backend does.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::world::{Media, Session};
use crate::wire::adk::{Content, Event, FunctionCall, FunctionResponse, Part};

/// One piece of a scripted turn.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Frame {
    /// `data: <event JSON>`.
    Event {
        event: Value,
    },
    /// Bytes exactly as given (may be a partial line).
    Raw {
        text: String,
    },
    /// A `data:` frame written in two writes split at byte `at` (which may
    /// fall inside a multi-byte character).
    Split {
        event: Value,
        at: usize,
    },
    /// `: comment`.
    Comment {
        #[serde(default)]
        text: String,
    },
    /// `event: heartbeat` with empty data.
    Heartbeat,
    /// An empty `data:` line.
    Empty,
    Sleep {
        ms: u64,
    },
    /// Close the connection abruptly.
    Drop,
    /// Replace the session's draft at this point of the turn.
    SetDraft {
        draft: Value,
    },
    /// Repeat `frame` `times` times (large streams without a large script).
    Repeat {
        times: u32,
        frame: Box<Frame>,
    },
}

/// A queued script for the next `/run_sse` turn.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Script {
    pub frames: Vec<Frame>,
}

fn text_event(inv: &str, text: &str, partial: bool) -> Value {
    let mut e = Event::model_text(text, partial);
    e.invocation_id = Some(inv.into());
    e.id = Some(uuid::Uuid::new_v4().simple().to_string());
    serde_json::to_value(e).expect("serializable")
}

fn call_event(inv: &str, name: &str, args: Value) -> Value {
    let e = Event {
        content: Some(Content {
            role: Some("model".into()),
            parts: vec![Part {
                function_call: Some(FunctionCall {
                    id: Some(format!("adk-{}", uuid::Uuid::new_v4().simple())),
                    name: name.into(),
                    args: Some(args),
                }),
                ..Default::default()
            }],
        }),
        invocation_id: Some(inv.into()),
        author: Some("nemo_agent".into()),
        ..Default::default()
    };
    serde_json::to_value(e).expect("serializable")
}

fn response_event(inv: &str, name: &str) -> Value {
    let e = Event {
        content: Some(Content {
            role: Some("user".into()),
            parts: vec![Part {
                function_response: Some(FunctionResponse {
                    id: None,
                    name: name.into(),
                    response: Some(json!({"ok": true})),
                }),
                ..Default::default()
            }],
        }),
        invocation_id: Some(inv.into()),
        author: Some("nemo_agent".into()),
        ..Default::default()
    };
    serde_json::to_value(e).expect("serializable")
}

/// Stream `text` as partial pieces of a few words, then the aggregate.
fn say(frames: &mut Vec<Frame>, inv: &str, text: &str) {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    for chunk in words.chunks(3) {
        frames.push(Frame::Event {
            event: text_event(inv, &chunk.concat(), true),
        });
        frames.push(Frame::Sleep { ms: 20 });
    }
    frames.push(Frame::Event {
        event: text_event(inv, text, false),
    });
}

fn tool(frames: &mut Vec<Frame>, inv: &str, name: &str, args: Value) {
    frames.push(Frame::Event {
        event: call_event(inv, name, args),
    });
    frames.push(Frame::Comment {
        text: "keepalive".into(),
    });
    frames.push(Frame::Event {
        event: response_event(inv, name),
    });
}

/// What a turn costs and does.
pub struct Turn {
    pub frames: Vec<Frame>,
    pub cost: f64,
}

fn segment(d: u64, m: Value) -> Value {
    json!({"d": d, "m": m})
}

fn video_track(session: &Session, clip_ms: u64) -> Value {
    let images: Vec<&Media> = session
        .media
        .iter()
        .filter(|m| m.kind == "image" || m.kind == "video")
        .collect();
    let sg: Vec<Value> = images
        .iter()
        .map(|m| {
            segment(
                clip_ms,
                json!({"name": m.name, "file_id": m.file_id, "transition": "crossfade"}),
            )
        })
        .collect();
    let d = clip_ms * sg.len() as u64;
    json!({"tt": 0, "d": d, "sg": sg, "m": {"name": "Slideshow"}})
}

fn tracks_mut(draft: &mut Value) -> &mut Vec<Value> {
    if !draft.is_object() {
        *draft = json!({});
    }
    let obj = draft.as_object_mut().expect("object");
    let t = obj.entry("t").or_insert_with(|| json!([]));
    if !t.is_array() {
        *t = json!([]);
    }
    t.as_array_mut().expect("array")
}

fn duration(draft: &Value) -> u64 {
    draft["t"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .filter(|t| t["tt"] == 0)
                .filter_map(|t| t["d"].as_u64())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

fn fix_durations(draft: &mut Value) {
    let total = duration(draft);
    if let Some(obj) = draft.as_object_mut() {
        obj.insert("d".into(), json!(total));
    }
    for t in tracks_mut(draft) {
        if t["tt"] == 1 {
            t["d"] = json!(total);
            if let Some(sg) = t["sg"].as_array_mut() {
                for s in sg {
                    s["d"] = json!(total);
                }
            }
        }
    }
}

/// Pull `title: X`, `title "X"` or `标题：X` out of a message.
fn title_in(msg: &str) -> Option<String> {
    let lower = msg.to_lowercase();
    for key in [
        "title:",
        "title is",
        "title \"",
        "title '",
        "标题：",
        "标题:",
    ] {
        if let Some(i) = lower.find(key) {
            let start = i + key.len() - usize::from(key.ends_with('"') || key.ends_with('\''));
            let rest = msg[start..].trim();
            let t = rest
                .trim_matches(|c: char| c == '"' || c == '\'' || c == '“' || c == '”')
                .trim_end_matches(['.', '!'])
                .trim();
            let t = t.split(['"', '”']).next().unwrap_or(t).trim();
            if !t.is_empty() {
                return Some(t.to_string());
            }
        }
    }
    None
}

/// Decide what the agent does with a message.
pub fn plan_turn(session: &mut Session, msg: &str, invocation: &str) -> Turn {
    let lower = msg.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let mut frames = vec![Frame::Comment {
        text: "connected".into(),
    }];
    let inv = invocation;
    let has_video = duration(&session.draft) > 0;
    let mut cost = 0.0;

    if has(&[
        "video",
        "slideshow",
        "视频",
        "turn these",
        "make these",
        "convert",
    ]) && !has_video
    {
        let images = session
            .media
            .iter()
            .filter(|m| m.kind == "image" || m.kind == "video")
            .count();
        if images == 0 {
            say(
                &mut frames,
                inv,
                "I don't see any images in this project yet. Drag your photos into the upload area, then ask me again.",
            );
            return Turn { frames, cost };
        }
        cost = 50.0;
        tool(
            &mut frames,
            inv,
            "understand_media",
            json!({"count": images}),
        );
        tool(
            &mut frames,
            inv,
            "edit_draft",
            json!({"action": "create_slideshow"}),
        );
        let mut draft = json!({"t": [video_track(session, 3000)], "d": 0, "version": 1});
        let stage_two = has(&["music", "bgm", "音乐", "song"]);
        if stage_two {
            tracks_mut(&mut draft).push(json!({"tt": 1, "sg": [segment(0, json!({"name": "Lo-fi", "volume": 35}))], "m": {"name": "Lo-fi", "type": "bgm"}}));
        }
        if let Some(title) = title_in(msg) {
            tracks_mut(&mut draft)
                .push(json!({"tt": 7, "sg": [segment(3000, json!({"text": title}))]}));
        }
        fix_durations(&mut draft);
        frames.push(Frame::SetDraft {
            draft: draft.clone(),
        });
        session.draft = draft;
        let secs = duration(&session.draft) / 1000;
        let mut reply = format!(
            "Your raw video is ready: {images} photo{}, {secs} seconds, with crossfade transitions.",
            if images == 1 { "" } else { "s" }
        );
        if stage_two {
            reply.push_str(" Now adding music and finishing touches…");
            say(&mut frames, inv, &reply);
            tool(
                &mut frames,
                inv,
                "generate_music",
                json!({"style": "lo-fi"}),
            );
            say(
                &mut frames,
                inv,
                " Added a Lo-fi track at 35% volume. Preview it in the timeline, then click the Export button when you're happy.",
            );
        } else {
            reply.push_str(" You can preview it in the timeline.");
            say(&mut frames, inv, &reply);
        }
        return Turn { frames, cost };
    }

    if !has_video {
        say(
            &mut frames,
            inv,
            "Share some images first, then tell me what kind of video you want — for example \"turn these images into a YouTube video with music and transitions\".",
        );
        return Turn { frames, cost };
    }

    cost = 10.0;
    let mut draft = session.draft.clone();
    let mut said: Option<String> = None;
    let mut silent = false;
    if has(&["slower", "慢"]) || has(&["faster", "快"]) {
        let slower = has(&["slower", "慢"]);
        for t in tracks_mut(&mut draft) {
            if t["tt"] == 0 {
                let mut total = 0;
                if let Some(sg) = t["sg"].as_array_mut() {
                    for s in sg.iter_mut() {
                        let d = s["d"].as_u64().unwrap_or(3000);
                        let nd = if slower {
                            d + 1000
                        } else {
                            d.saturating_sub(1000).max(1000)
                        };
                        s["d"] = json!(nd);
                        total += nd;
                    }
                }
                t["d"] = json!(total);
            }
        }
        fix_durations(&mut draft);
        said = Some(format!(
            "Done — each photo now stays {} on screen.",
            if slower {
                "a second longer"
            } else {
                "a second shorter"
            }
        ));
    } else if let Some(title) = title_in(msg) {
        let tracks = tracks_mut(&mut draft);
        tracks.retain(|t| t["tt"] != 7);
        tracks.push(json!({"tt": 7, "sg": [segment(3000, json!({"text": title}))]}));
        silent = true;
    } else if has(&["remove the music", "no music", "remove music", "去掉音乐"]) {
        tracks_mut(&mut draft).retain(|t| t["tt"] != 1);
        said = Some("Removed the background music.".into());
    } else if has(&["music", "bgm", "音乐"]) {
        let vol = lower
            .split(|c: char| !c.is_ascii_digit())
            .find_map(|n| n.parse::<u64>().ok().filter(|v| *v <= 100));
        let tracks = tracks_mut(&mut draft);
        if let Some(t) = tracks.iter_mut().find(|t| t["tt"] == 1) {
            let v = vol.unwrap_or(20);
            t["sg"][0]["m"]["volume"] = json!(v);
            silent = true;
        } else {
            tracks.push(json!({"tt": 1, "sg": [segment(0, json!({"name": "Lo-fi", "volume": vol.unwrap_or(35)}))], "m": {"name": "Lo-fi"}}));
            said = Some("Added a Lo-fi background track.".into());
        }
        fix_durations(&mut draft);
    } else if has(&["bigger", "larger", "bold", "smaller"]) {
        for t in tracks_mut(&mut draft) {
            if t["tt"] == 7 {
                t["sg"][0]["m"]["size"] = json!(if has(&["smaller"]) { 36 } else { 72 });
            }
        }
        silent = true;
    } else {
        cost = 0.0;
        said = Some("I can change the pacing (\"slower transitions\"), add or adjust music, set a title (\"title: Iceland 2026\"), or rebuild the video. What would you like?".into());
    }
    tool(&mut frames, inv, "edit_draft", json!({"message": msg}));
    if draft != session.draft {
        frames.push(Frame::SetDraft {
            draft: draft.clone(),
        });
        session.draft = draft;
    }
    if let (Some(text), false) = (said, silent) {
        say(&mut frames, inv, &text);
    }
    Turn { frames, cost }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            title_in("title: Iceland 2026").as_deref(),
            Some("Iceland 2026")
        );
        assert_eq!(
            title_in("set the title \"Paradise Found\" please").as_deref(),
            Some("Paradise Found")
        );
        assert_eq!(title_in("标题：冰岛之旅").as_deref(), Some("冰岛之旅"));
        assert_eq!(title_in("make it nicer"), None);
    }
}
