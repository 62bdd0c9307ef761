//! The offline editing agent (the default `/run_sse` turn, no script)
//! through the real binary: plain words in English and Chinese change the
//! session's draft the way the reply says, "undo" restores it, and anything
//! else gets a list of what the agent can do, free of charge.

use serde_json::Value;

use crate::support::{photos, TestEnv};

/// A project with three uploaded photos: a.jpg, b.png, c.jpg.
fn with_photos() -> TestEnv {
    let env = TestEnv::new();
    let files = photos(&env.work_dir().join("trip"), &["a.jpg", "b.png", "c.jpg"]);
    let mut args = vec!["upload"];
    args.extend(files.iter().map(|p| p.to_str().unwrap()));
    env.run(&args).ok();
    env
}

fn send(env: &TestEnv, msg: &str) -> String {
    let r = env.run(&["send", msg]);
    r.ok();
    r.stdout.clone()
}

fn draft(env: &TestEnv) -> Value {
    env.world()["sessions"][0]["draft"].clone()
}

fn photo_names(draft: &Value) -> Vec<String> {
    draft["t"][0]["sg"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["m"]["name"].as_str().unwrap().to_string())
        .collect()
}

fn available(env: &TestEnv) -> f64 {
    let r = env.run(&["--json", "credits"]);
    r.ok();
    let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    v["available"].as_f64().unwrap()
}

#[test]
fn plain_words_change_the_draft_and_undo_restores_it() {
    let env = with_photos();
    let out = send(&env, "make a video");
    assert_eq!(
        out,
        "Your raw video is ready: 3 photos, 9 seconds, with crossfade transitions. You can see the timeline below.\n\
         Timeline (1 track): 1. Video: 3 clips (0-9s)\n"
    );
    let made = draft(&env);
    assert_eq!(photo_names(&made), ["a.jpg", "b.png", "c.jpg"]);

    let out = send(&env, "2 seconds per photo, wipe transitions, 9:16");
    assert_eq!(
        out,
        "Each photo now stays 2 seconds.\nTransitions are now wipe (0.75 seconds each).\n\
         The video is now 9:16 (vertical, for YouTube Shorts), 1080×1920.\nThe video now runs 4.5 seconds.\n"
    );
    let edited = draft(&env);
    let video = &edited["t"][0];
    assert!(video["sg"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["d"] == 2000));
    assert_eq!(video["m"]["transition"], "wipe");
    assert_eq!(edited["m"]["canvas"]["ratio"], "9:16");

    let out = send(&env, "move the last photo to the front");
    assert_eq!(out, "Moved c.jpg from position 3 to position 1 of 3.\n");
    assert_eq!(photo_names(&draft(&env)), ["c.jpg", "a.jpg", "b.png"]);

    let out = send(&env, "undo");
    assert_eq!(
        out,
        "Undone: the video is back to how it was before \"move the last photo to the front\".\n"
    );
    assert_eq!(draft(&env), edited);
    send(&env, "undo");
    assert_eq!(draft(&env), made);
}

#[test]
fn chinese_messages_get_chinese_replies() {
    let env = with_photos();
    let out = send(
        &env,
        "把这些照片做成视频，每张照片2秒，竖屏，标题：冰岛之旅",
    );
    assert!(
        out.starts_with("原始视频已生成：3张照片，4.5秒，交叉淡化。"),
        "{out}"
    );
    assert!(out.contains("标题已设为「冰岛之旅」"), "{out}");
    let d = draft(&env);
    assert_eq!(d["m"]["canvas"]["ratio"], "9:16");
    assert_eq!(d["t"][1]["sg"][0]["m"]["text"], "冰岛之旅");

    let out = send(&env, "删除第2张");
    assert_eq!(
        out,
        "已删除第2张（b.png），还剩2张。\n视频现在时长3.25秒。\n"
    );
    assert_eq!(photo_names(&draft(&env)), ["a.jpg", "c.jpg"]);
}

#[test]
fn anything_else_lists_what_the_agent_can_do_and_costs_nothing() {
    let env = with_photos();
    send(&env, "make a video");
    let before = (draft(&env), available(&env));
    let out = send(&env, "tell me a joke");
    assert!(
        out.starts_with("I didn't catch a change in \"tell me a joke\". I can: set the pacing"),
        "{out}"
    );
    assert!(out.contains("\"move photo 3 to the front\""), "{out}");
    assert_eq!((draft(&env), available(&env)), before);

    // Music from an upload, when there is none: how to upload one.
    let out = send(&env, "use my music");
    assert!(out.contains("Upload one first"), "{out}");
    assert_eq!(draft(&env), before.0);
}
