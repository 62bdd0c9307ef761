//! The store on disk: private modes, a corrupt file moved aside, and
//! several img2yt processes writing at once.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use crate::foundation::{
    client_id, client_id_file, finish, header, requests, spawn, ANON, BALANCE, SESSION,
};
use crate::support::TestEnv;

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Leftover temp files from atomic writes, anywhere under `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            found.extend(temp_files(&e.path()));
        } else if name.starts_with(".store-") || name.ends_with(".tmp") {
            found.push(e.path().display().to_string());
        }
    }
    found
}

#[cfg(unix)]
#[test]
fn store_and_client_id_are_private() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    env.run(&["new"]).ok();
    env.run(&["open"]).ok();
    assert_eq!(mode(&env.config_dir().join("store.json")), 0o600);
    assert_eq!(mode(&client_id_file(&env)), 0o600);
    // The token is in the store, and only there.
    let raw = std::fs::read_to_string(env.config_dir().join("store.json")).unwrap();
    assert!(raw.contains(&env.token()));
    assert!(temp_files(&env.config_dir()).is_empty());
}

#[test]
fn a_corrupt_store_is_moved_aside_and_the_command_still_works() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(env.config_dir().join("store.json"), "{not json").unwrap();
    let r = env.run(&["credits"]);
    r.ok();
    assert_eq!(r.stdout, BALANCE);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].starts_with(
            "warning: Your img2yt settings file was unusable because it is not valid ("
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].ends_with("and img2yt started fresh."),
        "{}",
        lines[0]
    );
    let aside: Vec<_> = std::fs::read_dir(env.config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store.corrupt-") && n.ends_with(".json"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    let aside_path = env.config_dir().join(&aside[0]);
    assert!(
        lines[0].contains(&format!("moved to {}", aside_path.display())),
        "{}",
        lines[0]
    );
    assert_eq!(std::fs::read_to_string(&aside_path).unwrap(), "{not json");
    // A fresh, valid store replaced it.
    assert!(env.store()["token"]["value"].is_string());
    // Once only.
    let r = env.run(&["credits"]);
    r.ok();
    assert_eq!(r.stderr, "");
}

#[test]
fn a_store_of_the_wrong_shape_loses_only_the_bad_values() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_dir().join("store.json"),
        r#"{"version": 1, "token": "not an object", "project": 5}"#,
    )
    .unwrap();
    let r = env.run(&["status"]);
    r.ok();
    assert_eq!(
        r.stderr,
        "warning: Some of your img2yt settings could not be read and were left out (project, token); the rest was kept.\n"
    );
    assert!(env.store()["project"]["session_id"].is_string());
    assert!(set_aside(&env).is_empty(), "{:?}", set_aside(&env));
}

#[test]
fn concurrent_runs_lose_no_project() {
    let env = TestEnv::new();
    env.run(&["credits"]).ok();
    let children: Vec<_> = (0..8)
        .map(|_| {
            let mut c = env.cmd();
            c.args(["--json", "new"]);
            spawn(c)
        })
        .collect();
    let mut created = BTreeSet::new();
    for child in children {
        let r = finish(child, Duration::from_secs(60), "--json new");
        r.ok();
        let v: Value = serde_json::from_str(r.stdout.trim()).unwrap();
        created.insert(v["session_id"].as_str().unwrap().to_string());
    }
    assert_eq!(created.len(), 8);

    let store = env.store();
    let current = store["project"]["session_id"].as_str().unwrap().to_string();
    assert!(created.contains(&current));
    let earlier: Vec<String> = store["earlier_projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["session_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(earlier.len(), 7, "{earlier:?}");
    let mut all: BTreeSet<String> = earlier.into_iter().collect();
    assert_eq!(all.len(), 7, "no duplicates");
    assert!(
        all.insert(current),
        "the current project is not also earlier"
    );
    assert_eq!(all, created);
    assert!(
        temp_files(&env.config_dir()).is_empty(),
        "{:?}",
        temp_files(&env.config_dir())
    );
    assert_eq!(env.count("POST", ANON), 1, "the shared token was reused");
}

#[test]
fn concurrent_first_runs_share_one_client_id() {
    let env = TestEnv::new();
    let children: Vec<_> = (0..6)
        .map(|_| {
            let mut c = env.cmd();
            c.arg("credits");
            spawn(c)
        })
        .collect();
    for child in children {
        let r = finish(child, Duration::from_secs(60), "credits");
        r.ok();
        assert_eq!(r.stdout, BALANCE);
    }
    let id = client_id(&env);
    let anon = requests(&env, "POST", ANON);
    assert!(!anon.is_empty());
    for e in &anon {
        assert_eq!(header(e, "x-client-id"), Some(id.as_str()), "{e}");
    }
    // One client id, so one anonymous user on the server.
    assert_eq!(env.world()["users"], 1);
    assert!(env.store()["token"]["value"].is_string());
    assert!(temp_files(&env.config_dir()).is_empty());
}

// ---- one bad value, a newer format ----

fn store_file(env: &TestEnv) -> std::path::PathBuf {
    env.config_dir().join("store.json")
}

fn write_store(env: &TestEnv, v: &Value) {
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(store_file(env), serde_json::to_vec_pretty(v).unwrap()).unwrap();
}

/// Files in the config dir other than the store, the lock and the client id.
fn set_aside(env: &TestEnv) -> Vec<String> {
    std::fs::read_dir(env.config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store.") && n != "store.json" && n != "store.lock")
        .collect()
}

#[test]
fn a_bad_value_in_the_project_costs_that_value_not_the_project() {
    let env = TestEnv::new();
    env.run(&["new"]).ok();
    let mut v = env.store();
    let sid = v["project"]["session_id"].as_str().unwrap().to_string();
    let tid = v["project"]["task_id"].as_str().unwrap().to_string();
    v["project"]["uploads"] = Value::from("oops");
    v["project"]["claim_token"] = Value::from(5);
    v["project"]["from_a_later_img2yt"] = Value::from(true);
    write_store(&env, &v);
    let sessions = env.count("POST", SESSION);

    let r = env.run(&["status"]);
    r.ok();
    let warnings: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(warnings[0].starts_with("warning: "), "{}", r.stderr);
    assert!(
        warnings[0].contains("project.uploads") && warnings[0].contains("project.claim_token"),
        "{}",
        r.stderr
    );
    assert_eq!(
        env.count("POST", SESSION),
        sessions,
        "the same project, not a new one"
    );
    assert!(set_aside(&env).is_empty(), "{:?}", set_aside(&env));

    // The next write keeps the project and its unknown field, with the bad
    // values left out.
    let dir = env.work_dir();
    crate::support::photos(&dir, &["a.jpg"]);
    env.run(&["upload", "a.jpg"]).ok();
    let v = env.store();
    assert_eq!(v["project"]["session_id"], sid.as_str());
    assert_eq!(v["project"]["task_id"], tid.as_str());
    assert_eq!(v["project"]["from_a_later_img2yt"], true);
    assert_eq!(v["project"]["claim_token"], Value::Null);
    assert_eq!(v["project"]["uploads"][0]["name"], "a.jpg");
    assert!(v["token"]["value"].is_string());
    // Said once: the file is clean now.
    let r = env.run(&["status"]);
    r.ok();
    assert_eq!(r.stderr, "");
}

#[test]
fn a_store_from_a_newer_img2yt_is_refused_and_left_untouched() {
    let env = TestEnv::new();
    write_store(
        &env,
        &serde_json::json!({
            "version": 99,
            "token": {"value": "t-from-the-future", "obtained_at": 1, "origin": "anonymous"},
            "project": {"session_id": "s-99", "task_id": "t-99"},
            "a_new_kind_of_thing": [1, 2, 3]
        }),
    );
    let before = std::fs::read(store_file(&env)).unwrap();
    for args in [&["credits"][..], &["status"][..], &["new"][..]] {
        let r = env.run(args);
        assert_ne!(r.code, 0, "{args:?}: {}", r.all());
        assert_eq!(r.stdout, "", "{args:?}");
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", r.stderr);
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains("made by a newer img2yt"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(std::fs::read(store_file(&env)).unwrap(), before, "{args:?}");
        assert!(set_aside(&env).is_empty(), "{:?}", set_aside(&env));
    }
    assert!(env.log().is_empty(), "nothing was sent: {:?}", env.log());
}
