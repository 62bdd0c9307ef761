//! The dialects of PROTOCOL.md the embedded server can speak
//! (`img2yt serve --wire NAME`, `IMG2YT_SERVER_WIRE` for `--local`).
//!
//! `doc`, the default, sends exactly the shapes the document shows: the
//! render poll without an envelope, real ADK events in a real ADK runner's
//! order, every kind of heartbeat. Every other dialect changes one thing
//! that the document leaves open (marked **unknown**, "may", or shown one
//! way where a real server could plausibly send another), so the client's
//! tests prove it against the contract, not against one server. Each
//! dialect names the section it comes from in [`Wire::source`].
//!
//! What varies is applied in three places: JSON answers ([`Wire::answer`],
//! [`Wire::render_poll`], [`Wire::upload_answer`]), the order and kinds of
//! events in an agent turn ([`Wire::turn`]), and how events are written
//! on the wire ([`Wire::line_end`], [`Wire::splits_events`]).

use clap::ValueEnum;
use serde_json::{json, Value};

use super::turn::{events, Frame, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Wire {
    /// Exactly what PROTOCOL.md shows.
    #[default]
    Doc,
    /// The render poll in an envelope, `status` both at the top and in `data`.
    EnvelopedPoll,
    /// The render poll's fields only inside `data`.
    StatusInData,
    /// Render progress in percent (0-100) instead of a fraction.
    PercentProgress,
    /// No progress figure on the render poll.
    NoProgress,
    /// A completed render without `output.url`: the client downloads from the API.
    NoOutputUrl,
    /// Every JSON answer without the envelope (the payload at the top).
    Bare,
    /// The upload answer as a list of files.
    UploadList,
    /// A model call's aggregate text before its tool call, not after.
    AggregateFirst,
    /// Streamed pieces only, never an aggregate.
    NoAggregate,
    /// Whole texts only, no streamed pieces.
    WholeText,
    /// Hidden reasoning (`thought: true` parts), streamed and aggregated.
    Thoughts,
    /// CR LF line endings.
    Crlf,
    /// CR line endings.
    Cr,
    /// Every event written in two writes, cut inside a character when it can be.
    Split,
}

impl Wire {
    /// Every dialect, `doc` first.
    pub fn all() -> &'static [Wire] {
        Wire::value_variants()
    }

    /// The name `--wire` takes.
    pub fn name(self) -> &'static str {
        match self {
            Wire::Doc => "doc",
            Wire::EnvelopedPoll => "enveloped-poll",
            Wire::StatusInData => "status-in-data",
            Wire::PercentProgress => "percent-progress",
            Wire::NoProgress => "no-progress",
            Wire::NoOutputUrl => "no-output-url",
            Wire::Bare => "bare",
            Wire::UploadList => "upload-list",
            Wire::AggregateFirst => "aggregate-first",
            Wire::NoAggregate => "no-aggregate",
            Wire::WholeText => "whole-text",
            Wire::Thoughts => "thoughts",
            Wire::Crlf => "crlf",
            Wire::Cr => "cr",
            Wire::Split => "split",
        }
    }

    /// Where in PROTOCOL.md the variation comes from.
    pub fn source(self) -> &'static str {
        match self {
            Wire::Doc => "§4 and §8 as shown",
            Wire::EnvelopedPoll | Wire::StatusInData => {
                "Response envelope; §8.3 (status top-level, envelope not promised)"
            }
            Wire::PercentProgress | Wire::NoProgress => "§8.3 (progress field unknown)",
            Wire::NoOutputUrl => "§8.4 (if output.url fails: the API download)",
            Wire::Bare => "Response envelope (an HTTP 200 without code)",
            Wire::UploadList => "§5 (response data: unknown shape)",
            Wire::AggregateFirst | Wire::NoAggregate => "§4 (an aggregate may follow)",
            Wire::WholeText => "§4 (a text event with no partials before it)",
            Wire::Thoughts => "§4 (a part may be thought: true)",
            Wire::Crlf | Wire::Cr | Wire::Split => "§4 (SSE framing; each data: line one event)",
        }
    }

    /// A successful JSON answer carrying `data`.
    pub fn answer(self, data: Value) -> Value {
        match self {
            Wire::Bare => data,
            _ => json!({"code": 0, "message": "success", "data": data}),
        }
    }

    /// The render poll answer, from the fields §8 names (`id`, `status`,
    /// `progress` as a fraction, `output` with `url`, …).
    pub fn render_poll(self, mut poll: Value) -> Value {
        match self {
            Wire::PercentProgress => {
                if let Some(p) = poll["progress"].as_f64() {
                    poll["progress"] = json!((p * 100.0).round());
                }
            }
            Wire::NoProgress => {
                if let Some(o) = poll.as_object_mut() {
                    o.remove("progress");
                }
            }
            Wire::NoOutputUrl => {
                if let Some(o) = poll["output"].as_object_mut() {
                    o.remove("url");
                }
            }
            Wire::EnvelopedPoll => {
                let data = poll.clone();
                poll["code"] = json!(0);
                poll["message"] = json!("success");
                poll["data"] = data;
            }
            Wire::StatusInData => return json!({"code": 0, "message": "success", "data": poll}),
            _ => {}
        }
        poll
    }

    /// The upload answer's payload for the files stored.
    pub fn upload_answer(self, files: Vec<Value>) -> Value {
        match (self, files.len()) {
            (Wire::UploadList, _) => Value::Array(files),
            (_, 1) => files.into_iter().next().expect("one file"),
            _ => json!({ "files": files }),
        }
    }

    /// Line ending of the event stream.
    pub fn line_end(self) -> &'static str {
        match self {
            Wire::Crlf => "\r\n",
            Wire::Cr => "\r",
            _ => "\n",
        }
    }

    /// Whether each event is written in two writes.
    pub fn splits_events(self) -> bool {
        self == Wire::Split
    }

    /// An agent turn as this dialect sends it. In `doc`, as a Google ADK
    /// runner does: a model call streams its text in pieces, then the tool
    /// call it made and the tool's response, then the aggregate of the
    /// pieces; the stream carries all three kinds of heartbeat.
    pub fn turn(self, steps: &[Step], inv: &str) -> Vec<Frame> {
        let mut frames = vec![Frame::Comment {
            text: "connected".into(),
        }];
        // The aggregate of the last text, until the tool its model call made.
        let mut waiting: Option<Value> = None;
        for step in steps {
            match step {
                Step::Say(text) => {
                    if let Some(agg) = waiting.take() {
                        frames.push(Frame::Event { event: agg });
                    }
                    if self == Wire::Thoughts {
                        frames.push(Frame::Event {
                            event: events::thought(inv, "Working out what changed…", true),
                        });
                    }
                    if self != Wire::WholeText {
                        for piece in events::pieces(text) {
                            frames.push(Frame::Event {
                                event: events::text(inv, &piece, true),
                            });
                            frames.push(Frame::Sleep { ms: 20 });
                        }
                    }
                    let mut agg = events::text(inv, text, false);
                    if self == Wire::Thoughts {
                        events::prepend_thought(
                            &mut agg,
                            "Working out what changed, then saying it.",
                        );
                    }
                    match self {
                        Wire::NoAggregate => {}
                        Wire::AggregateFirst | Wire::WholeText => {
                            frames.push(Frame::Event { event: agg })
                        }
                        _ => waiting = Some(agg),
                    }
                }
                Step::Tool { name, args } => {
                    frames.push(Frame::Event {
                        event: events::call(inv, name, args.clone()),
                    });
                    frames.push(Frame::Comment {
                        text: "keepalive".into(),
                    });
                    frames.push(Frame::Heartbeat);
                    frames.push(Frame::Empty);
                    frames.push(Frame::Event {
                        event: events::response(inv, name),
                    });
                    if let Some(agg) = waiting.take() {
                        frames.push(Frame::Event { event: agg });
                    }
                }
                Step::SetDraft(draft) => frames.push(Frame::SetDraft {
                    draft: draft.clone(),
                }),
            }
        }
        if let Some(agg) = waiting {
            frames.push(Frame::Event { event: agg });
        }
        frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_dialect_has_a_source() {
        for w in Wire::all() {
            assert_eq!(Wire::from_str(w.name(), false).unwrap(), *w);
            assert!(!w.source().is_empty());
        }
        assert_eq!(Wire::default(), Wire::Doc);
    }

    #[test]
    fn doc_poll_has_no_envelope() {
        let poll = json!({"id": "render_1", "status": "pending", "progress": 0.25});
        assert_eq!(Wire::Doc.render_poll(poll.clone()), poll);
        assert_eq!(
            Wire::PercentProgress.render_poll(poll.clone())["progress"],
            25.0
        );
        assert!(Wire::NoProgress
            .render_poll(poll.clone())
            .get("progress")
            .is_none());
        let inside = Wire::StatusInData.render_poll(poll.clone());
        assert!(inside.get("status").is_none());
        assert_eq!(inside["data"]["status"], "pending");
    }

    #[test]
    fn doc_sends_the_aggregate_after_the_tool_it_called() {
        let steps = [
            Step::Say("Adding a lo-fi track now.".into()),
            Step::Tool {
                name: "edit_draft".into(),
                args: json!({}),
            },
        ];
        let kinds: Vec<&str> = Wire::Doc
            .turn(&steps, "e-1")
            .iter()
            .filter_map(|f| match f {
                Frame::Event { event } => Some(if event["partial"] == true {
                    "piece"
                } else if event["content"]["parts"][0].get("functionCall").is_some() {
                    "call"
                } else if event["content"]["parts"][0]
                    .get("functionResponse")
                    .is_some()
                {
                    "response"
                } else {
                    "aggregate"
                }),
                _ => None,
            })
            .collect();
        assert_eq!(kinds, ["piece", "piece", "call", "response", "aggregate"]);
    }
}
