//! From bytes on the wire to [`ChatEvent`]s: eventsource-stream does the SSE
//! framing (on input made safe for it first, see [`events`]); [`Interpreter`]
//! (pure, table-tested) turns ADK events into what the user should see, once.
//!
//! The de-duplication rule (PROTOCOL.md §4): partial text pieces are shown
//! as they arrive; a non-partial text that repeats them is their aggregate
//! and adds only what the pieces did not already show; a non-partial text
//! with no pieces before it is shown whole. Pieces and aggregates are
//! matched per turn (`invocationId`), not by position: a real ADK runner
//! sends a model call's aggregate *after* the tool call it made
//! (pieces → functionCall → functionResponse → aggregate), other servers
//! before it or not at all, and one turn may hold several model messages.
//! A new message starts after a tool call or a finished aggregate, which
//! the renderer needs for spacing and for dropping a trailing "temporary
//! issue".

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};

use crate::api::ApiError;
use crate::wire::adk::Event;

/// The longest SSE line accepted; a server that never ends a line cannot
/// make the client buffer without bound.
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// The largest event (all its lines together) accepted: an event made of
/// many long `data:` lines is refused as a whole, not only a long line.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// About how many bytes of complete lines are handed to the SSE parser at
/// a time (see [`line_pieces`]).
const PIECE: usize = 8 * 1024;

/// How many invocations' streamed text is kept for their aggregates.
const MAX_INVOCATIONS: usize = 8;

/// How much streamed text waiting for its aggregate is kept per turn; past
/// it the oldest is forgotten and the aggregate is matched by its end.
const MAX_UNMATCHED: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatEvent {
    /// Text to show now.
    Text(String),
    /// A new message starts (not sent before the turn's first message).
    NewMessage,
    /// The agent called a tool (for a status line; never printed raw).
    Tool(String),
    /// The server's failure for this turn.
    Error(String),
    /// A heartbeat or an event with nothing to show: the wait is alive.
    Alive,
}

/// Streamed text of one invocation that no aggregate has accounted for yet.
#[derive(Debug, Default)]
struct Pending {
    invocation: String,
    text: String,
    /// Byte offsets in `text` where a shown message began (after a tool
    /// call or a finished aggregate): an aggregate lines up with one.
    starts: Vec<usize>,
    /// The front of `text` was dropped ([`MAX_UNMATCHED`]).
    truncated: bool,
}

impl Pending {
    /// Forget `range` of the text (accounted for by an aggregate); what
    /// followed it starts a message.
    fn consume(&mut self, range: std::ops::Range<usize>) {
        let n = range.len();
        self.text.drain(range.clone());
        self.starts.retain(|&s| s < range.start || s >= range.end);
        self.starts
            .iter_mut()
            .filter(|s| **s >= range.end)
            .for_each(|s| *s -= n);
        if range.start > 0 && range.start < self.text.len() {
            self.starts.push(range.start);
            self.starts.sort_unstable();
        }
        if self.text.trim().is_empty() {
            self.text.clear();
            self.starts.clear();
            self.truncated = false;
        }
    }
}

/// Turns ADK events into [`ChatEvent`]s, remembering what was shown.
#[derive(Debug, Default)]
pub struct Interpreter {
    pending: Vec<Pending>,
    /// Whether any message has started in this turn.
    started: bool,
    /// The current message is still streaming: more pieces continue it.
    /// A tool call or a finished aggregate closes it.
    open: bool,
}

impl Interpreter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Start a new message unless the current one is still open.
    fn boundary(&mut self, out: &mut Vec<ChatEvent>) {
        if self.started && !self.open {
            out.push(ChatEvent::NewMessage);
        }
        self.started = true;
    }

    fn pending_mut(&mut self, invocation: &str) -> &mut Pending {
        if let Some(i) = self.pending.iter().position(|p| p.invocation == invocation) {
            return &mut self.pending[i];
        }
        // A turn has an invocation or a few; a server that sends a new id
        // with every event must not make each lookup longer.
        if self.pending.len() >= MAX_INVOCATIONS {
            self.pending.remove(0);
        }
        self.pending.push(Pending {
            invocation: invocation.to_string(),
            ..Pending::default()
        });
        self.pending.last_mut().expect("just pushed")
    }

    /// One parsed event in, what to show out.
    pub fn feed(&mut self, ev: &Event) -> Vec<ChatEvent> {
        let mut out = Vec::new();
        if let Some(err) = ev.error_text() {
            out.push(ChatEvent::Error(err));
            return out;
        }
        let Some(content) = &ev.content else {
            out.push(ChatEvent::Alive);
            return out;
        };
        // The user's own message echoed back is never shown.
        let from_user =
            content.role.as_deref() == Some("user") || ev.author.as_deref() == Some("user");
        let invocation = ev.invocation_id.clone().unwrap_or_default();
        let mut text = String::new();
        for part in &content.parts {
            if let Some(call) = &part.function_call {
                self.open = false;
                out.push(ChatEvent::Tool(call.name.clone()));
            } else if part.function_response.is_some() {
                self.open = false;
            } else if part.thought != Some(true) && !from_user {
                text.push_str(part.text.as_deref().unwrap_or(""));
            }
        }
        if !text.is_empty() {
            if ev.is_partial() {
                let starts_message = !self.open;
                self.boundary(&mut out);
                self.open = true;
                let p = self.pending_mut(&invocation);
                if starts_message {
                    p.starts.push(p.text.len());
                }
                p.text.push_str(&text);
                if p.text.len() > MAX_UNMATCHED {
                    let mut cut = p.text.len() - MAX_UNMATCHED / 2;
                    while !p.text.is_char_boundary(cut) {
                        cut += 1;
                    }
                    p.consume(0..cut);
                    p.truncated = true;
                }
                out.push(ChatEvent::Text(text));
            } else {
                self.aggregate(&invocation, &text, &mut out);
            }
        }
        if out.is_empty() {
            out.push(ChatEvent::Alive);
        }
        out
    }

    /// A complete (non-partial) text: the aggregate of pieces already shown,
    /// or a message of its own.
    fn aggregate(&mut self, invocation: &str, text: &str, out: &mut Vec<ChatEvent>) {
        // Its own turn's pieces first; then, for a server whose ids do not
        // hold still, any other turn's pieces that it lines up with.
        let mut order: Vec<usize> = (0..self.pending.len())
            .filter(|&i| !self.pending[i].text.is_empty())
            .collect();
        order.sort_by_key(|&i| self.pending[i].invocation != invocation);
        for i in order {
            let p = &mut self.pending[i];
            let Some(m) = match_aggregate(&p.text, &p.starts, p.truncated, text) else {
                continue;
            };
            // The aggregate ends the message when it reaches the end of
            // what was streamed (not when a later message has begun).
            let reached_end = m.consumed.end == p.text.len();
            p.consume(m.consumed);
            let mut rest = &text[m.new_from..];
            if !rest.trim().is_empty() {
                // Spacing comes from what was shown, or from the new
                // message's start, not twice.
                if !self.open || m.shown_ends_in_space {
                    rest = rest.trim_start();
                }
                if !self.open {
                    self.boundary(out);
                }
                out.push(ChatEvent::Text(rest.to_string()));
            }
            if reached_end {
                self.open = false;
            }
            return;
        }
        // Not the aggregate of anything shown: a message of its own.
        self.open = false;
        self.boundary(out);
        out.push(ChatEvent::Text(text.to_string()));
    }

    /// A `data:` payload in, what to show out. Empty data is a heartbeat;
    /// a payload that is not an event is ignored (and reported for
    /// `--verbose` by the caller).
    pub fn feed_data(&mut self, data: &str) -> Result<Vec<ChatEvent>, String> {
        let data = data.trim();
        if data.is_empty() || data == "[DONE]" {
            return Ok(vec![ChatEvent::Alive]);
        }
        match serde_json::from_str::<Event>(data) {
            Ok(ev) => Ok(self.feed(&ev)),
            Err(e) => Err(format!("ignored an event img2yt cannot read ({e})")),
        }
    }
}

/// How an aggregate lines up with the streamed text it may repeat.
#[derive(Debug, PartialEq)]
struct AggregateMatch {
    /// The bytes of the streamed text it accounts for.
    consumed: std::ops::Range<usize>,
    /// Where the aggregate's text not yet shown begins.
    new_from: usize,
    /// What was shown ended with whitespace.
    shown_ends_in_space: bool,
}

/// Shortest run of characters that lines an aggregate up with streamed
/// text anywhere but at a message's start or end (fewer prove nothing).
const MIN_ALIGN: usize = 12;
/// Longest tail tried when the aggregate differs in the middle.
const MAX_ALIGN: usize = 64;
/// Characters an aggregate that differs from its pieces must still start
/// with, to be taken for theirs.
const MIN_PREFIX: usize = 8;

/// The non-whitespace characters of `text` with their byte offsets.
fn visible(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.char_indices().filter(|(_, c)| !c.is_whitespace())
}

/// The byte offset in `text` just after its `n`-th visible character.
fn after_visible(text: &str, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    visible(text)
        .nth(n - 1)
        .map_or(text.len(), |(i, c)| i + c.len_utf8())
}

/// Knuth-Morris-Pratt failure table: `t[i]` is the length of the longest
/// proper border of `p[..=i]`.
fn borders(p: &[char]) -> Vec<usize> {
    let mut t = vec![0; p.len()];
    let mut k = 0;
    for i in 1..p.len() {
        while k > 0 && p[i] != p[k] {
            k = t[k - 1];
        }
        if p[i] == p[k] {
            k += 1;
        }
        t[i] = k;
    }
    t
}

/// Match aggregate `agg` against `shown` (pieces not yet accounted for),
/// ignoring whitespace. The aggregate may repeat a message exactly, cover
/// several, extend the last one, or differ from it in the middle (then it
/// is lined up by the end of what was shown). An occurrence counts when it
/// starts where a shown message did, ends where the shown text does, or is
/// long enough not to be chance. `None`: not the aggregate of this text.
/// Linear in the two lengths, whatever a server sends.
fn match_aggregate(
    shown: &str,
    starts: &[usize],
    truncated: bool,
    agg: &str,
) -> Option<AggregateMatch> {
    let shown_ends_in_space = shown.ends_with(char::is_whitespace);
    let done = |consumed: std::ops::Range<usize>, new_from: usize| {
        Some(AggregateMatch {
            consumed,
            new_from,
            shown_ends_in_space,
        })
    };
    let (s_at, s): (Vec<usize>, Vec<char>) = visible(shown).unzip();
    let a_len = visible(agg).count();
    if a_len == 0 {
        return done(0..0, agg.len());
    }
    // Visible indexes where shown messages began, or could have: after a
    // sentence's end.
    let at_start = |i: usize| {
        (i == 0 && !truncated)
            || (i > 0 && matches!(s[i - 1], '.' | '!' | '?' | '…' | '。' | '！' | '？'))
            || starts.iter().any(|&b| {
                let first = s_at.partition_point(|&x| x < b);
                first == i
            })
    };
    let head: Vec<char> = visible(agg).take(s.len() + 1).map(|x| x.1).collect();
    let table = borders(&head);
    // Scan the shown text with the aggregate's head as the pattern.
    let mut k = 0;
    for (i, c) in s.iter().enumerate() {
        while k > 0 && (k == head.len() || head[k] != *c) {
            k = table[k - 1];
        }
        if head[k] == *c {
            k += 1;
        }
        if k == a_len {
            // The whole aggregate occurs here: already shown.
            let begin = i + 1 - a_len;
            if at_start(begin) || i + 1 == s.len() || a_len >= MIN_ALIGN {
                // Earlier text stays for its own aggregate; so does the
                // whitespace before this one.
                return done(s_at[begin]..s_at[i] + s[i].len_utf8(), agg.len());
            }
        }
    }
    // The aggregate starts in what was shown and runs past its end: show
    // the rest. `k` is the longest such overlap; shorter ones follow the
    // failure links.
    let mut overlap = k.min(a_len - 1);
    while overlap > 0 {
        let begin = s.len() - overlap;
        if at_start(begin) || overlap >= MIN_ALIGN {
            return done(s_at[begin]..shown.len(), after_visible(agg, overlap));
        }
        overlap = table[overlap - 1];
    }
    if s.is_empty() {
        return done(0..shown.len(), 0);
    }
    // Different in the middle: it must start as the shown text did; then
    // find where the end of what was shown sits in it and show only what
    // follows. A tail that occurs has every shorter tail occurring too, so
    // the longest is found by halving.
    let common = s.iter().zip(&head).take_while(|(x, y)| x == y).count();
    if !truncated && common < MIN_PREFIX.min(s.len()) {
        return None;
    }
    let tail: String = s[s.len().saturating_sub(MAX_ALIGN)..].iter().collect();
    let norm: String = visible(agg).map(|x| x.1).collect();
    let tail_chars: Vec<usize> = tail.char_indices().map(|x| x.0).collect();
    let find = |len: usize| norm.rfind(&tail[tail_chars[tail_chars.len() - len]..]);
    let (mut lo, mut hi) = (MIN_ALIGN.min(tail_chars.len()), tail_chars.len());
    find(lo)?;
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if find(mid).is_some() {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let at = find(lo)?;
    let end_chars = norm[..at].chars().count() + lo;
    done(0..shown.len(), after_visible(agg, end_chars))
}

/// The human label for a tool call, from its name.
pub fn tool_label(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&[
        "generate_video",
        "seedance",
        "video_gen",
        "text_to_video",
        "image_to_video",
    ]) || (n.contains("generate") && !has(&["music", "audio", "voice", "image"]))
    {
        "Generating video — may take 2-5 min".into()
    } else if has(&[
        "music",
        "audio",
        "voiceover",
        "voice",
        "tts",
        "sound",
        "bgm",
    ]) {
        "Generating audio".into()
    } else if has(&[
        "understand",
        "analyze",
        "analyse",
        "caption",
        "describe",
        "vision",
    ]) {
        "Analyzing media".into()
    } else if has(&["edit", "draft", "multitrack", "timeline", "track"]) {
        "Editing timeline".into()
    } else if has(&["render", "export"]) {
        "Preparing export".into()
    } else {
        format!("Working: {name}")
    }
}

/// SSE events from a response body, with bounded lines and events. Each
/// item is a `(event type, data)` pair; comments are consumed by the parser.
pub fn events(
    resp: reqwest::Response,
) -> impl Stream<Item = Result<(String, String), ApiError>> + Send {
    events_from(resp.bytes_stream().map(|r| {
        r.map_err(|e| ApiError::Broken {
            detail: format!("the reply stream broke: {e}"),
        })
    }))
}

/// [`events`] over any byte stream (the fuzz tests feed it directly).
///
/// The parser is handed whole lines only, made safe first: eventsource-stream
/// 0.2 panics on a stream that starts with a byte-order mark and, after one
/// invalid UTF-8 byte, silently drops every later event, so the BOM is
/// removed here and invalid bytes become U+FFFD (a cut at a line end never
/// splits a character). Gathering lines here also keeps a long line
/// arriving in many small chunks linear: the parser rescans its whole
/// buffer whenever bytes arrive.
pub fn events_from<S>(body: S) -> impl Stream<Item = Result<(String, String), ApiError>> + Send
where
    S: Stream<Item = Result<Bytes, ApiError>> + Send + 'static,
{
    let lines = futures_util::stream::unfold(
        (Box::pin(body), BytesMut::new(), Reader::default()),
        |(mut body, mut pending, mut reader)| async move {
            if reader.done {
                return None;
            }
            loop {
                match body.next().await {
                    Some(Ok(chunk)) => {
                        let last_end = chunk.iter().rposition(|&c| c == b'\n' || c == b'\r');
                        pending.extend_from_slice(&chunk);
                        let whole = match last_end {
                            Some(i) => {
                                let cut = pending.len() - chunk.len() + i + 1;
                                Some(pending.split_to(cut).freeze())
                            }
                            None => None,
                        };
                        let ok = match &whole {
                            Some(w) => reader.size.feed(w),
                            None => true,
                        };
                        // `pending` is the unfinished line alone now.
                        if !ok
                            || pending.len() > MAX_LINE_BYTES
                            || reader.size.bytes + pending.len() > MAX_EVENT_BYTES
                        {
                            reader.done = true;
                            let limit = if pending.len() > MAX_LINE_BYTES {
                                MAX_LINE_BYTES
                            } else {
                                MAX_EVENT_BYTES
                            };
                            let err = ApiError::TooLarge { limit };
                            return Some((Err(err), (body, pending, reader)));
                        }
                        if let Some(whole) = whole {
                            let pieces = line_pieces(reader.clean(whole));
                            return Some((Ok(pieces), (body, pending, reader)));
                        }
                    }
                    Some(Err(e)) => {
                        reader.done = true;
                        return Some((Err(e), (body, pending, reader)));
                    }
                    None if pending.is_empty() => return None,
                    None => {
                        reader.done = true;
                        let rest = reader.clean(pending.split().freeze());
                        return Some((Ok(vec![rest]), (body, pending, reader)));
                    }
                }
            }
        },
    )
    .flat_map(|r| {
        futures_util::stream::iter(match r {
            Ok(pieces) => pieces.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        })
    });
    eventsource_stream::EventStream::new(lines).map(|r| match r {
        Ok(ev) => Ok((ev.event, ev.data)),
        Err(eventsource_stream::EventStreamError::Transport(e)) => Err(e),
        Err(e) => Err(ApiError::Broken {
            detail: format!("the reply stream was malformed: {e}"),
        }),
    })
}

/// What [`events_from`] remembers between chunks.
#[derive(Default)]
struct Reader {
    /// The first bytes were looked at for a byte-order mark.
    started: bool,
    size: EventSize,
    done: bool,
}

impl Reader {
    /// Whole lines made safe for the parser: no BOM at the start of the
    /// stream, valid UTF-8.
    fn clean(&mut self, mut whole: Bytes) -> Bytes {
        if !self.started {
            self.started = true;
            // Every one: a second would reach the parser's first line,
            // where it panics too.
            while whole.starts_with("\u{feff}".as_bytes()) {
                whole = whole.slice(3..);
            }
        }
        match String::from_utf8_lossy(&whole) {
            std::borrow::Cow::Borrowed(_) => whole,
            std::borrow::Cow::Owned(fixed) => Bytes::from(fixed),
        }
    }
}

/// The size of the event being received, counted over complete lines
/// (comments are not kept by the parser and do not count).
#[derive(Default)]
struct EventSize {
    bytes: usize,
    /// The last chunk ended with CR: a LF first in the next one ends the
    /// same line.
    after_cr: bool,
}

impl EventSize {
    /// Complete lines in; `false` once the event is larger than
    /// [`MAX_EVENT_BYTES`].
    fn feed(&mut self, lines: &[u8]) -> bool {
        let mut i = usize::from(self.after_cr && lines.first() == Some(&b'\n'));
        let mut start = i;
        while i < lines.len() {
            let c = lines[i];
            if c == b'\n' || c == b'\r' {
                let line = &lines[start..i];
                if line.is_empty() {
                    self.bytes = 0;
                } else if line[0] != b':' {
                    self.bytes += line.len();
                    if self.bytes > MAX_EVENT_BYTES {
                        return false;
                    }
                }
                if c == b'\r' && lines.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            i += 1;
        }
        self.after_cr = lines.last() == Some(&b'\r');
        true
    }
}

/// Complete lines in pieces of about [`PIECE`] bytes, each ending at a
/// line end: the parser copies the rest of its buffer for every line, so
/// small pieces keep many short lines linear, and a long line stays whole.
fn line_pieces(mut whole: Bytes) -> Vec<Bytes> {
    let mut pieces = Vec::with_capacity(whole.len() / PIECE + 1);
    while whole.len() > PIECE {
        match whole[PIECE..]
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
        {
            Some(j) => pieces.push(whole.split_to(PIECE + j + 1)),
            None => break,
        }
    }
    if !whole.is_empty() {
        pieces.push(whole);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(v: serde_json::Value) -> Event {
        serde_json::from_value(v).unwrap()
    }

    fn text(t: &str, partial: bool) -> Event {
        Event::model_text(t, partial)
    }

    fn shown(events: &[Event]) -> (String, usize) {
        let mut i = Interpreter::new();
        let mut s = String::new();
        let mut messages = 0;
        for e in events {
            for c in i.feed(e) {
                match c {
                    ChatEvent::Text(t) => s.push_str(&t),
                    ChatEvent::NewMessage => {
                        messages += 1;
                        s.push('|');
                    }
                    _ => {}
                }
            }
        }
        (s, messages)
    }

    #[test]
    fn partials_then_aggregate_shown_once() {
        let (s, _) = shown(&[
            text("Adding ", true),
            text("a lo-fi track", true),
            text("Adding a lo-fi track", false),
        ]);
        assert_eq!(s, "Adding a lo-fi track");
    }

    #[test]
    fn aggregate_longer_than_pieces_adds_the_rest() {
        let (s, _) = shown(&[text("Adding ", true), text("Adding a track.", false)]);
        assert_eq!(s, "Adding a track.");
    }

    #[test]
    fn lone_complete_text_is_shown_whole() {
        let (s, m) = shown(&[text("Done.", false)]);
        assert_eq!((s.as_str(), m), ("Done.", 0));
    }

    #[test]
    fn tool_calls_split_messages_and_are_never_text() {
        let call = ev(
            json!({"content": {"role": "model", "parts": [{"functionCall": {"name": "edit_draft", "args": {}}}]}}),
        );
        let resp = ev(
            json!({"content": {"role": "user", "parts": [{"functionResponse": {"name": "edit_draft", "response": {"ok": true}}}]}}),
        );
        let (s, m) = shown(&[
            text("One", true),
            text("One", false),
            call.clone(),
            resp,
            text("Two", true),
            text("Two", false),
        ]);
        assert_eq!(s, "One|Two");
        assert_eq!(m, 1);
        let mut i = Interpreter::new();
        assert_eq!(i.feed(&call), vec![ChatEvent::Tool("edit_draft".into())]);
    }

    fn inv(mut e: Event, id: &str) -> Event {
        e.invocation_id = Some(id.into());
        e
    }

    fn call(name: &str) -> Event {
        ev(
            json!({"content": {"role": "model", "parts": [{"functionCall": {"name": name, "args": {}}}]}, "invocationId": "e-1"}),
        )
    }

    fn response(name: &str) -> Event {
        ev(
            json!({"content": {"role": "user", "parts": [{"functionResponse": {"name": name, "response": {"ok": true}}}]}, "invocationId": "e-1"}),
        )
    }

    fn thought(t: &str, partial: bool) -> Event {
        let mut e = ev(
            json!({"content": {"role": "model", "parts": [{"text": t, "thought": true}]}, "invocationId": "e-1"}),
        );
        e.partial = partial.then_some(true);
        e
    }

    /// Every order in which a server may send one turn's events shows each
    /// sentence exactly once, messages apart.
    #[test]
    fn each_sentence_once_in_every_event_order() {
        let p = |t: &str| inv(text(t, true), "e-1");
        let agg = |t: &str| inv(text(t, false), "e-1");
        let cases: Vec<(&str, Vec<Event>, &str)> = vec![
            (
                "ADK: pieces, tool call and response, then the aggregate",
                vec![
                    p("Adding "),
                    p("a track."),
                    call("edit_draft"),
                    response("edit_draft"),
                    agg("Adding a track."),
                ],
                "Adding a track.",
            ),
            (
                "aggregate before the tool events",
                vec![
                    p("Adding "),
                    p("a track."),
                    agg("Adding a track."),
                    call("edit_draft"),
                    response("edit_draft"),
                ],
                "Adding a track.",
            ),
            (
                "no aggregate",
                vec![p("Adding "), p("a track."), call("edit_draft")],
                "Adding a track.",
            ),
            (
                "two messages, each aggregate after its tool",
                vec![
                    p("One. "),
                    call("a"),
                    response("a"),
                    agg("One. "),
                    p("Two."),
                    call("b"),
                    response("b"),
                    agg("Two."),
                ],
                "One. |Two.",
            ),
            (
                "two messages, both aggregates late",
                vec![p("One."), call("a"), p("Two."), agg("One."), agg("Two.")],
                "One.|Two.",
            ),
            (
                "one aggregate for two messages",
                vec![p("One."), call("a"), p("Two."), agg("One. Two.")],
                "One.|Two.",
            ),
            (
                "thoughts streamed and aggregated",
                vec![
                    thought("plan: ", true),
                    p("Done."),
                    thought("plan: call", false),
                    agg("Done."),
                ],
                "Done.",
            ),
            (
                "thought and text in one aggregate",
                vec![
                    p("Done."),
                    ev(
                        json!({"content": {"role": "model", "parts": [{"text": "why", "thought": true}, {"text": "Done."}]}, "invocationId": "e-1"}),
                    ),
                ],
                "Done.",
            ),
            (
                "aggregate longer than the pieces",
                vec![p("Adding "), call("a"), agg("Adding a track.")],
                "Adding |a track.",
            ),
            (
                "aggregate differs in the middle",
                vec![
                    p("Adding a lofi track "),
                    p("at 35 percent"),
                    agg("Adding a lo-fi track at 35 percent volume."),
                ],
                "Adding a lofi track at 35 percent volume.",
            ),
            (
                "aggregate with other whitespace",
                vec![p("Line one.\n"), p("Line two."), agg("Line one. Line two.")],
                "Line one.\nLine two.",
            ),
            (
                "whole texts without pieces",
                vec![agg("One."), call("a"), agg("Two.")],
                "One.|Two.",
            ),
            (
                "an aggregate that is another message",
                vec![p("Adding a track."), agg("Something else entirely.")],
                "Adding a track.|Something else entirely.",
            ),
        ];
        for (name, events, want) in cases {
            assert_eq!(shown(&events).0, want, "{name}");
        }
    }

    #[test]
    fn invocations_are_matched_apart() {
        let (s, _) = shown(&[
            inv(text("Alpha. ", true), "e-1"),
            inv(text("Beta.", true), "e-2"),
            inv(text("Beta.", false), "e-2"),
            inv(text("Alpha.", false), "e-1"),
        ]);
        assert_eq!(s, "Alpha. Beta.");
    }

    #[test]
    fn thoughts_and_user_echo_are_hidden() {
        let thought = ev(
            json!({"content": {"role": "model", "parts": [{"text": "secret plan", "thought": true}]}}),
        );
        let echo = ev(json!({"content": {"role": "user", "parts": [{"text": "my message"}]}}));
        assert_eq!(shown(&[thought, echo]).0, "");
    }

    #[test]
    fn errors_and_heartbeats() {
        let mut i = Interpreter::new();
        assert_eq!(i.feed_data("").unwrap(), vec![ChatEvent::Alive]);
        assert_eq!(
            i.feed_data(r#"{"error": "quota exceeded"}"#).unwrap(),
            vec![ChatEvent::Error("quota exceeded".into())]
        );
        assert_eq!(
            i.feed_data(r#"{"error": {"message": "boom", "code": 500}}"#)
                .unwrap(),
            vec![ChatEvent::Error("boom".into())]
        );
        assert!(i.feed_data("not json").is_err());
    }

    #[test]
    fn labels() {
        for (name, label) in [
            ("generate_video", "Generating video — may take 2-5 min"),
            ("seedance_v1", "Generating video — may take 2-5 min"),
            ("edit_draft", "Editing timeline"),
            ("multitrack_apply", "Editing timeline"),
            ("generate_music", "Generating audio"),
            ("add_voiceover", "Generating audio"),
            ("understand_media", "Analyzing media"),
            ("analyze_images", "Analyzing media"),
            ("lookup_weather", "Working: lookup_weather"),
        ] {
            assert_eq!(tool_label(name), label, "{name}");
        }
    }
}
