//! The embedded server and the client as an attacker or a careless user
//! would try them (issue 17): no account reads another's projects or
//! videos, one request cannot stall the server or fill its disk, and no
//! reply stream can crash or silence the client.

use serde_json::{json, Value};

use crate::support::{fixture, Run, TestEnv};

const PROMPT: &str = "turn these images into a YouTube video with music and transitions";

/// A raw request with `token`, answering (status, body).
fn call(
    env: &TestEnv,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    env.rt.block_on(async {
        let mut rb = reqwest::Client::new().request(method, format!("{}{path}", env.url));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    })
}

/// A starter token for a new account (its own client id).
fn new_account(env: &TestEnv) -> String {
    let (status, v) = env.rt.block_on(async {
        let resp = reqwest::Client::new()
            .post(format!("{}/api/auth/anonymous-token", env.url))
            .header("X-Client-Id", uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
    });
    assert_eq!(status, 200, "{v}");
    v["data"]["token"].as_str().unwrap().to_string()
}

/// A project with a finished, downloaded render; its session id, task id,
/// render id and the render's CDN link.
fn project_with_video(env: &TestEnv) -> (String, String, String, String) {
    env.run(&[
        "make",
        fixture("red.jpg").to_str().unwrap(),
        fixture("blue.png").to_str().unwrap(),
        "-p",
        PROMPT,
        "-o",
        "a.mp4",
    ])
    .ok();
    let store = env.store();
    let sid = store["project"]["session_id"].as_str().unwrap().to_string();
    let task = store["project"]["task_id"].as_str().unwrap().to_string();
    let render = env
        .log()
        .iter()
        .filter_map(|e| e["uri"].as_str())
        .find_map(|u| u.strip_prefix("/api/render/proxy/lambda/"))
        .unwrap()
        .to_string();
    let (_, poll) = call(
        env,
        reqwest::Method::GET,
        &format!("/api/render/proxy/lambda/{render}"),
        Some(&env.token()),
        None,
    );
    let url = poll["output"]["url"].as_str().unwrap().to_string();
    (sid, task, render, url)
}

#[test]
fn no_account_reaches_another_accounts_project_or_video() {
    let env = TestEnv::new();
    let (sid, task, render, url) = project_with_video(&env);
    let mine = env.token();
    let theirs = new_account(&env);
    use reqwest::Method as M;
    let routes: Vec<(M, String, Option<Value>)> = vec![
        (
            M::GET,
            format!("/api/state/nemo_agent/me/{sid}/latest"),
            None,
        ),
        (
            M::POST,
            format!("/api/upload-video/nemo_agent/me/{sid}"),
            Some(json!({"urls": ["https://example.com/x.jpg"], "source_type": "url"})),
        ),
        (
            M::POST,
            "/run_sse".into(),
            Some(
                json!({"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": {"role": "user", "parts": [{"text": "make a video"}]}}),
            ),
        ),
        (
            M::POST,
            "/api/auth/claim-token".into(),
            Some(json!({"task_id": task, "session_id": sid})),
        ),
        (
            M::POST,
            "/api/render/proxy/lambda".into(),
            Some(
                json!({"id": "render_theirs", "sessionId": sid, "draft": {"t": []},
                "output": {"format": "mp4", "quality": "high"}}),
            ),
        ),
        (M::GET, format!("/api/render/proxy/lambda/{render}"), None),
        (M::GET, format!("/api/render/proxy/{render}/download"), None),
    ];
    for (method, path, body) in routes {
        let (status, answer) = call(&env, method.clone(), &path, Some(&theirs), body.clone());
        assert_eq!(
            status, 404,
            "{method} {path} answered another account: {answer}"
        );
        assert!(
            !answer.to_string().contains(&sid),
            "{method} {path} told another account about the session: {answer}"
        );
        // The owner still gets an answer (the route works).
        if method == M::GET {
            let (status, answer) = call(&env, method.clone(), &path, Some(&mine), None);
            assert_eq!(status, 200, "{method} {path} refused its owner: {answer}");
        }
    }
    // The CDN link needs no token but cannot be guessed from the render id.
    let cdn = url.find("/cdn/").map(|i| &url[i..]).unwrap();
    assert!(
        !cdn.ends_with(&format!("/{render}.mp4")),
        "the CDN name is the render id: {cdn}"
    );
    let (status, _) = call(&env, M::GET, cdn, None, None);
    assert_eq!(status, 200, "the real link works");
    for guess in [
        format!("/cdn/renders/{render}.mp4"),
        format!("/cdn/renders/{render}.jpg"),
    ] {
        let (status, _) = call(&env, M::GET, &guess, None, None);
        assert_eq!(status, 404, "{guess} was served");
    }
}

/// The client's one-line report for a run, for the SSE tests below.
fn send(env: &TestEnv, frames: Value) -> Run {
    env.script(frames);
    env.run(&["send", "hello"])
}

#[test]
fn a_reply_stream_starting_with_a_byte_order_mark_is_read() {
    let env = TestEnv::new();
    let text = |t: &str| json!({"type": "event", "event": {"content": {"role": "model", "parts": [{"text": t}]}}});
    let r = send(
        &env,
        json!([{"type": "raw", "text": "\u{feff}"}, text("First."), {"type": "raw", "text": "\u{feff}\u{feff}"}, text("Second.")]),
    );
    r.ok();
    assert!(r.stdout.contains("First."), "{}", r.all());
    assert!(!r.all().contains("panicked"), "{}", r.all());
}

#[test]
fn an_invalid_byte_mid_stream_loses_no_later_event() {
    let env = TestEnv::new();
    let r = send(
        &env,
        json!([
            {"type": "bytes", "bytes": b"data: {\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"One \xff two. \"}]}}\n\n".to_vec()},
            {"type": "event", "event": {"content": {"role": "model", "parts": [{"text": "Three."}]}}},
        ]),
    );
    r.ok();
    assert!(r.stdout.contains("One"), "{}", r.all());
    assert!(
        r.stdout.contains("Three."),
        "a later event was lost: {}",
        r.all()
    );
}

#[test]
fn an_event_of_many_megabyte_lines_is_refused_in_one_line() {
    let env = TestEnv::new();
    let line = format!("data: {}\n", "x".repeat(1 << 20));
    let r = send(
        &env,
        json!([{"type": "repeat", "times": 300, "frame": {"type": "raw", "text": line}}]),
    );
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(!r.all().contains("panicked"), "{}", r.all());
    assert!(r.stderr.contains("larger than"), "{}", r.stderr);
}

#[test]
fn a_message_too_long_for_the_editor_is_refused_before_sending() {
    let env = TestEnv::new();
    env.run(&["upload", fixture("red.jpg").to_str().unwrap()])
        .ok();
    let long = "make it slower ".repeat(2_000); // 30,000 characters
    let r = env.run(&["send", &long]);
    r.code(2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("at most 20,000"), "{}", r.stderr);
    assert_eq!(env.count("POST", "/run_sse"), 0, "it was sent");
}

#[test]
fn the_server_refuses_a_huge_message_at_once() {
    let env = TestEnv::new();
    env.run(&["upload", fixture("red.jpg").to_str().unwrap()])
        .ok();
    let sid = env.store()["project"]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    let huge = "make it slower and add a title ".repeat(70_000); // ~2 MB
    let (status, answer) = call(
        &env,
        reqwest::Method::POST,
        "/run_sse",
        Some(&env.token()),
        Some(
            json!({"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"role": "user", "parts": [{"text": huge}]}}),
        ),
    );
    assert_eq!(status, 413, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or("")
            .contains("too long"),
        "{answer}"
    );
    assert_ne!(answer["code"], 0, "{answer}");
}
