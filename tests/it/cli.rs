//! The command line fits in like a well-made CLI: completion scripts and a
//! man page made from the same clap definitions (so they cannot drift),
//! and each command's help offering only what that command takes.

use crate::support::TestEnv;

/// Every subcommand a user can type.
const SUBCOMMANDS: &[&str] = &[
    "credits",
    "status",
    "new",
    "open",
    "upload",
    "send",
    "export",
    "make",
    "serve",
    "completions",
    "man",
];

#[test]
fn completion_scripts_are_valid_and_name_every_subcommand() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = env.run(&["completions", shell]);
        r.ok();
        for sub in SUBCOMMANDS {
            assert!(r.stdout.contains(sub), "{shell}'s script lacks {sub}");
        }
        if shell == "bash" {
            let dir = tempfile::tempdir().unwrap();
            let script = dir.path().join("img2yt.bash");
            std::fs::write(&script, &r.stdout).unwrap();
            let st = std::process::Command::new("bash")
                .arg("-n")
                .arg(&script)
                .status()
                .unwrap();
            assert!(st.success(), "bash -n rejects the script");
        }
    }
}

#[test]
fn the_man_page_renders_and_lists_every_subcommand() {
    let env = TestEnv::new();
    let r = env.run(&["man"]);
    r.ok();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("img2yt.1");
    std::fs::write(&page, &r.stdout).unwrap();
    let out = std::process::Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man (man-db) is installed by .ci/run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Turn your photos into a finished YouTube video"),
        "{text}"
    );
    for sub in SUBCOMMANDS {
        assert!(
            text.contains(&format!("img2yt-{sub}")),
            "the man page lacks {sub}:\n{text}"
        );
    }
}

#[test]
fn serve_offers_only_what_serve_takes() {
    let env = TestEnv::new();
    let r = env.run(&["serve", "--help"]);
    r.ok();
    // The options offered: lines that start with a flag.
    let offered: Vec<&str> = r
        .stdout
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .collect();
    for client_flag in [
        "--keep-going",
        "--local",
        "--api-url",
        "--web-url",
        "--json",
        "--lang",
    ] {
        assert!(
            !offered.iter().any(|l| l.starts_with(client_flag)),
            "serve --help offers {client_flag}:\n{}",
            r.stdout
        );
    }
    for own in ["--port", "--data-dir", "--wire", "--config-dir"] {
        assert!(r.stdout.contains(own), "serve --help lacks {own}");
    }
    // Given anyway, a client flag is refused in one line, not ignored.
    let r = env.run(&["serve", "--local"]);
    r.code(2);
    assert!(
        r.stderr.contains("--local is for the client commands"),
        "{}",
        r.stderr
    );
    // The client commands still take them.
    let r = env.run(&["credits", "--json"]);
    r.ok();
    assert!(
        r.stdout.starts_with("{\"type\":\"credits\""),
        "{}",
        r.stdout
    );
}
