//! Property tests ("fuzzing") of everything that reads what a server or a
//! user sends: the SSE reader and the reply de-duplicator, the answer
//! reader, the render-poll and upload readers, and the dropped-path parser.
//!
//! `cargo test` runs a short pass (proptest's 256 cases per property); a
//! longer one: `PROPTEST_CASES=20000 cargo test --release --test fuzz`.
//! A failure prints the smallest input that breaks the property.

use bytes::Bytes;
use futures_util::StreamExt;
use proptest::prelude::*;
use serde_json::{json, Value};

use img2yt::api::ApiError;
use img2yt::chat::sse::{events_from, ChatEvent, Interpreter, MAX_LINE_BYTES};
use img2yt::input::paths::{extract, Env};
use img2yt::wire::adk::Event;
use img2yt::wire::{Reading, RenderStatus, UploadedMedia};

/// Marks text that must never be shown (tool names, thoughts).
const SECRET: &str = "SECRET";

fn read_all(chunks: Vec<Vec<u8>>) -> Vec<Result<(String, String), String>> {
    let body = futures_util::stream::iter(
        chunks
            .into_iter()
            .map(|c| Ok::<_, ApiError>(Bytes::from(c)))
            .collect::<Vec<_>>(),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(
        events_from(body)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect(),
    )
}

/// Cut `bytes` at the given points (any byte, inside characters too).
fn chunked(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    points.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for p in points.into_iter().chain([bytes.len()]) {
        out.push(bytes[last..p].to_vec());
        last = p;
    }
    out
}

/// Bytes that look like an event stream, with every kind of damage.
fn sse_bytes() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just(b"data: {\"content\":{\"parts\":[{\"text\":\"hi\"}]},\"partial\":true}".to_vec()),
        Just(b"data:".to_vec()),
        Just(b": keepalive".to_vec()),
        Just(b"event: heartbeat".to_vec()),
        Just(b"id: 7".to_vec()),
        Just(b"retry: 10".to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
        Just(b"\xff\xfe\xc3".to_vec()),
        Just("data: 视频已经准备好".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..40),
    ];
    let end = prop_oneof![
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(Vec::new())
    ];
    proptest::collection::vec((line, end), 0..30).prop_map(|v| {
        v.into_iter()
            .flat_map(|(l, e)| l.into_iter().chain(e))
            .collect()
    })
}

proptest! {
    /// No byte stream, however cut into reads, makes the reader panic, and
    /// a stream of whole events loses none of them.
    #[test]
    fn the_sse_reader_never_panics(bytes in sse_bytes(), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let _ = read_all(chunked(&bytes, &cuts));
    }

    #[test]
    fn the_sse_reader_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let _ = read_all(chunked(&bytes, &cuts));
    }

    #[test]
    fn events_survive_any_cutting_and_line_ending(
        texts in proptest::collection::vec("[a-z 视频é]{1,12}", 1..6),
        bom in any::<bool>(),
        crlf in any::<bool>(),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut s = String::from(if bom { "\u{feff}" } else { "" });
        for t in &texts {
            s += &format!("data: {t}{nl}{nl}");
        }
        let got: Vec<String> = read_all(chunked(s.as_bytes(), &cuts))
            .into_iter()
            .map(|r| r.unwrap().1)
            .collect();
        prop_assert_eq!(got, texts);
    }
}

/// One ADK event of a random turn, its secret parts marked.
fn adk_event() -> impl Strategy<Value = Value> {
    let text = "[A-Za-z .,!视]{0,20}";
    prop_oneof![
        (text, any::<bool>(), 0..3u8).prop_map(|(t, partial, inv)| json!({"content": {"role": "model", "parts": [{"text": t}]}, "partial": partial, "invocationId": format!("e-{inv}")})),
        (text, any::<bool>()).prop_map(|(t, partial)| json!({"content": {"role": "model", "parts": [{"text": format!("{SECRET}{t}"), "thought": true}]}, "partial": partial})),
        (text, text).prop_map(|(a, b)| json!({"content": {"role": "model", "parts": [{"text": format!("{SECRET}{a}"), "thought": true}, {"text": b}]}})),
        Just(json!({"content": {"role": "model", "parts": [{"functionCall": {"name": format!("{SECRET}_tool"), "args": {"text": SECRET}}}]}})),
        Just(json!({"content": {"role": "user", "parts": [{"functionResponse": {"name": "x", "response": {"text": SECRET}}}]}})),
        Just(json!({"content": {"role": "user", "parts": [{"text": SECRET}]}})),
        Just(json!({"content": {"parts": []}})),
        Just(json!({"error": "quota"})),
        Just(json!({})),
        any::<i64>().prop_map(|n| json!({"content": n, "partial": "yes"})),
    ]
}

/// A reply of several messages, sent in one of the orders a server may
/// use, with tool calls, thoughts and heartbeats between.
fn reply_turn() -> impl Strategy<Value = (Vec<String>, Vec<Value>)> {
    let message = (0..4usize).prop_flat_map(|i| {
        (
            "[a-z]{1,8}( [a-z]{1,8}){0,8}\\.",
            proptest::collection::vec(any::<usize>(), 0..4),
            0..4u8,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(move |(body, cuts, placement, tool, thought)| {
                (format!("M{i}: {body}"), cuts, placement, tool, thought)
            })
    });
    proptest::collection::vec(message, 1..4).prop_map(|msgs| {
        let mut events = Vec::new();
        let mut late: Vec<Value> = Vec::new();
        let mut texts = Vec::new();
        for (text, cuts, placement, tool, thought) in msgs {
            let agg = json!({"content": {"role": "model", "parts": [{"text": text}]}, "invocationId": "e-1"});
            if thought {
                events.push(json!({"content": {"role": "model", "parts": [{"text": format!("{SECRET} plan"), "thought": true}]}, "partial": true, "invocationId": "e-1"}));
            }
            // placement 3: only the whole text, no pieces.
            if placement != 3 {
                for piece in chunked(text.as_bytes(), &cuts) {
                    // Pieces end at character boundaries (the text is ASCII).
                    let piece = String::from_utf8(piece).unwrap();
                    if !piece.is_empty() {
                        events.push(json!({"content": {"role": "model", "parts": [{"text": piece}]}, "partial": true, "invocationId": "e-1"}));
                    }
                }
            }
            match placement {
                0 | 3 => events.push(agg),
                1 => late.push(agg),
                _ => {} // no aggregate at all
            }
            if tool {
                events.push(json!({"content": {"role": "model", "parts": [{"functionCall": {"name": "edit_draft", "args": {}}}]}, "invocationId": "e-1"}));
                events.push(json!({"content": {"role": "user", "parts": [{"functionResponse": {"name": "edit_draft", "response": {}}}]}, "invocationId": "e-1"}));
                // ADK: the aggregate of a model call after its tool call.
                events.append(&mut late);
            }
            texts.push(text);
        }
        events.append(&mut late);
        (texts, events)
    })
}

fn shown(events: &[Value]) -> (String, Vec<ChatEvent>) {
    let mut i = Interpreter::new();
    let mut text = String::new();
    let mut all = Vec::new();
    for e in events {
        for c in i.feed_data(&e.to_string()).unwrap_or_default() {
            if let ChatEvent::Text(t) = &c {
                text.push_str(t);
            }
            all.push(c);
        }
    }
    (text, all)
}

proptest! {
    /// Whatever arrives, nothing secret is shown and nothing panics.
    #[test]
    fn tool_calls_and_thoughts_are_never_shown(events in proptest::collection::vec(adk_event(), 0..40)) {
        let (text, _) = shown(&events);
        prop_assert!(!text.contains(SECRET), "shown: {text:?}");
    }

    /// Each sentence of a reply is shown exactly once, in any event order.
    #[test]
    fn each_sentence_is_shown_once((texts, events) in reply_turn()) {
        let (text, _) = shown(&events);
        let want: String = texts.concat();
        prop_assert_eq!(text.replace(' ', ""), want.replace(' ', ""));
    }

    /// Any JSON answer reads as success, failure or nothing; never a panic.
    #[test]
    fn any_answer_body_reads_without_panic(v in json_value()) {
        let _ = Reading::of(&v);
        let _ = RenderStatus::from_value(&v);
        let _ = UploadedMedia::list_from(&v);
        let _ = img2yt::timeline::parse_draft(&v);
        let _ = serde_json::from_value::<Event>(v);
    }
}

/// Random JSON, biased towards the keys the readers look for.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("code".to_string()),
        Just("data".to_string()),
        Just("status".to_string()),
        Just("progress".to_string()),
        Just("output".to_string()),
        Just("url".to_string()),
        Just("error".to_string()),
        Just("files".to_string()),
        Just("t".to_string()),
        Just("sg".to_string()),
        Just("d".to_string()),
        "[a-z]{1,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "[ -~视]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    /// A dropped line, however it is quoted, escaped or encoded, never
    /// panics the path parser.
    #[test]
    fn the_path_parser_takes_any_line(line in "[ a-zA-Z0-9'\"\\\\/~.*?{},%:#@()\\[\\]视é\t-]{0,80}") {
        // `**` walks the whole disk from `/`; the glob limits are tested
        // elsewhere, here only the parsing is.
        let line = line.replace("**", "*");
        let dir = fixture_dir();
        let env = Env { cwd: dir, home: Some(dir) };
        let found = extract(&line, &env);
        for f in &found.files {
            prop_assert!(f.exists(), "{f:?} from {line:?}");
        }
        let with_uri = format!("file://{}/My%20Photos/b.png {line}", dir.display());
        let found = extract(&with_uri, &env);
        prop_assert!(found.files.iter().any(|f| f.ends_with("My Photos/b.png")), "{with_uri:?}");
    }
}

/// A folder with a few photos for the path parser to find.
fn fixture_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("My Photos")).unwrap();
        for f in ["a.jpg", "My Photos/b.png", "c d.jpg"] {
            std::fs::write(d.path().join(f), b"\xff\xd8\xff").unwrap();
        }
        d
    })
    .path()
}

#[test]
fn a_line_without_an_end_is_refused_at_the_limit() {
    // Chunks of 1 MB with no line end: refused at 8 MB, not read forever.
    let chunks: Vec<Vec<u8>> = (0..12).map(|_| vec![b'x'; 1 << 20]).collect();
    let got = read_all(chunks);
    assert_eq!(
        got.len(),
        1,
        "{:?}",
        got.iter().map(|r| r.is_ok()).collect::<Vec<_>>()
    );
    let err = got[0].as_ref().unwrap_err();
    assert!(err.contains(&MAX_LINE_BYTES.to_string()), "{err}");
}

#[test]
fn a_byte_order_mark_and_bad_bytes_lose_nothing() {
    let got = read_all(vec![
        b"\xEF\xBB".to_vec(),
        b"\xBFdata: one\n\ndata: t\xFFwo\n\n".to_vec(),
        b"data: three\r\n\r\n".to_vec(),
    ]);
    let data: Vec<String> = got.into_iter().map(|r| r.unwrap().1).collect();
    assert_eq!(data, vec!["one", "t\u{FFFD}wo", "three"]);
}

#[test]
fn an_event_of_many_long_lines_is_refused() {
    let line = format!("data: {}\n", "x".repeat(1 << 20));
    let got = read_all((0..20).map(|_| line.clone().into_bytes()).collect());
    assert!(
        matches!(got.last(), Some(Err(e)) if e.contains("larger than")),
        "{got:?}"
    );
    // A CR LF split across reads does not reset the count.
    let line = format!("data: {}\r", "x".repeat(1 << 20));
    let chunks = (0..20)
        .flat_map(|_| [line.clone().into_bytes(), b"\n".to_vec()])
        .collect();
    assert!(matches!(read_all(chunks).last(), Some(Err(_))));
}
