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

/// The offline backend's data folder of a test server.
fn data_dir(env: &TestEnv) -> std::path::PathBuf {
    env.server.as_ref().unwrap().shared.data_dir().to_path_buf()
}

fn uploads_left(env: &TestEnv) -> Vec<String> {
    std::fs::read_dir(data_dir(env).join("uploads"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A multipart upload of `(file name, bytes)` parts, answering (status, body).
fn upload_parts(env: &TestEnv, sid: &str, parts: Vec<(&str, Vec<u8>)>) -> (u16, Value) {
    env.rt.block_on(async {
        let mut form = reqwest::multipart::Form::new();
        for (name, bytes) in parts {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        }
        let resp = reqwest::Client::new()
            .post(format!("{}/api/upload-video/nemo_agent/me/{sid}", env.url))
            .bearer_auth(env.token())
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    })
}

#[test]
fn a_refused_or_broken_upload_leaves_nothing_on_disk() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    env.run(&["new"]).ok();
    let sid = {
        env.run(&["status"]);
        env.store()["project"]["session_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let jpg = std::fs::read(fixture("red.jpg")).unwrap();
    // A good photo, then a refused type in the same batch.
    let (status, answer) = upload_parts(
        &env,
        &sid,
        vec![("a.jpg", jpg.clone()), ("notes.txt", b"hello".to_vec())],
    );
    assert_eq!(
        (status, answer["code"].as_i64()),
        (200, Some(4001)),
        "{answer}"
    );
    assert_eq!(
        uploads_left(&env),
        Vec::<String>::new(),
        "a refused batch left files"
    );
    // Too many parts: refused in the envelope, nothing kept.
    let many: Vec<(&str, Vec<u8>)> = (0..21).map(|_| ("p.jpg", jpg.clone())).collect();
    let (status, answer) = upload_parts(&env, &sid, many);
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("too many"),
        "{answer}"
    );
    assert_eq!(uploads_left(&env), Vec::<String>::new());
    // A connection that breaks in the middle of a file.
    use std::io::Write;
    let addr = env.url.trim_start_matches("http://");
    let mut tcp = std::net::TcpStream::connect(addr).unwrap();
    let body_start =
        "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.jpg\"\r\n\r\n";
    write!(
        tcp,
        "POST /api/upload-video/nemo_agent/me/{sid} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n\r\n{body_start}",
        env.token()
    )
    .unwrap();
    tcp.write_all(&vec![b'x'; 200_000]).unwrap();
    tcp.flush().unwrap();
    // Wait until the server has started writing the file, then break.
    let start = std::time::Instant::now();
    while uploads_left(&env).is_empty() && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        !uploads_left(&env).is_empty(),
        "the server never started the file"
    );
    drop(tcp);
    let start = std::time::Instant::now();
    while !uploads_left(&env).is_empty() && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        uploads_left(&env),
        Vec::<String>::new(),
        "a broken upload was left"
    );
}

#[test]
fn the_data_folder_and_uploads_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.run(&["upload", fixture("red.jpg").to_str().unwrap()])
        .ok();
    let dir = data_dir(&env);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    for sub in ["uploads", "renders"] {
        assert_eq!(mode(&dir.join(sub)), 0o700, "{sub}");
    }
    let upload = dir.join("uploads").join(&uploads_left(&env)[0]);
    assert_eq!(mode(&upload), 0o600);
}

#[test]
fn a_malformed_request_is_answered_in_the_envelope() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    let token = env.token();
    let (status, answer) = env.rt.block_on(async {
        let resp = reqwest::Client::new()
            .post(format!("{}/api/auth/claim-token", env.url))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    });
    let v: Value = serde_json::from_str(&answer).unwrap_or_else(|_| panic!("not JSON: {answer}"));
    assert_eq!(v["code"].as_u64(), Some(status as u64), "{v}");
    assert!(
        status >= 400 && !v["message"].as_str().unwrap().is_empty(),
        "{v}"
    );
    let (status, v) = call(
        &env,
        reqwest::Method::GET,
        "/api/no/such/route",
        Some(&token),
        None,
    );
    assert_eq!((status, v["code"].as_u64()), (404, Some(404)), "{v}");
}

#[test]
fn a_panic_in_one_request_does_not_take_the_next_down() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    env.fault(json!({"path": "/api/credits/balance/simple", "action": {"type": "panic"}}));
    let (status, _) = env.rt.block_on(async {
        match reqwest::Client::new()
            .get(format!("{}/api/credits/balance/simple", env.url))
            .bearer_auth(env.token())
            .send()
            .await
        {
            Ok(r) => (r.status().as_u16(), ()),
            Err(_) => (0, ()),
        }
    });
    assert_ne!(status, 200, "the injected panic did not happen");
    env.run(&["credits"]).ok();
}

#[test]
fn a_half_sent_request_or_an_idle_connection_is_closed() {
    use std::io::{Read, Write};
    let env = TestEnv::with(img2yt::server::ServerConfig {
        faults: true,
        header_timeout: Some(std::time::Duration::from_millis(300)),
        ..Default::default()
    });
    let addr = env.url.trim_start_matches("http://").to_string();
    let closed_within = |mut tcp: std::net::TcpStream| {
        tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut buf = Vec::new();
        // Ends (EOF) when the server closes; an error means it never did.
        tcp.read_to_end(&mut buf).map(|_| buf)
    };
    let mut half = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        half,
        "GET /api/credits/balance/simple HTTP/1.1\r\nHost: x\r\n"
    )
    .unwrap();
    assert!(
        closed_within(half).is_ok(),
        "a half-sent request kept its connection"
    );
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    write!(idle, "GET /workspace/claim HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let answer = closed_within(idle).expect("an idle kept-alive connection stayed open");
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "answered first"
    );
}

#[test]
fn two_accounts_may_pick_the_same_render_id() {
    // Found by benches/load.py: 50 users exporting at once pick
    // `render_<unix ms>` ids, and some pick the same millisecond.
    let env = TestEnv::new();
    let (sid, _, _, _) = project_with_video(&env);
    let theirs = new_account(&env);
    let (_, created) = call(
        &env,
        reqwest::Method::POST,
        "/api/tasks/me/with-session/nemo_agent",
        Some(&theirs),
        Some(json!({"task_name": "project", "language": "en"})),
    );
    let their_sid = created["data"]["session_id"].as_str().unwrap().to_string();
    for (token, sid) in [(env.token(), sid), (theirs, their_sid)] {
        let (status, answer) = call(
            &env,
            reqwest::Method::POST,
            "/api/render/proxy/lambda",
            Some(&token),
            Some(json!({"id": "render_1700000000000", "sessionId": sid,
                "draft": {"t": []}, "output": {"format": "mp4", "quality": "high"}})),
        );
        assert_eq!(status, 200, "{answer}");
    }
}
