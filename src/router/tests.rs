//! What lines mean: slash commands, the keyword rule and its edit guard, in
//! English and Chinese.

use super::*;

fn chat(s: &str) -> Intent {
    Intent::Chat(s.trim().to_string())
}
fn slash(command: Command, arg: &str) -> Intent {
    Intent::Slash {
        command,
        arg: arg.to_string(),
    }
}
fn export() -> Intent {
    Intent::Export { path: None }
}
fn export_to(p: &str) -> Intent {
    Intent::Export {
        path: Some(p.to_string()),
    }
}
fn storyboard(p: Option<&str>) -> Intent {
    Intent::Storyboard {
        path: p.map(Into::into),
    }
}
fn unknown(s: &str) -> Intent {
    Intent::UnknownSlash(s.to_string())
}

/// (line, expected intent); Chinese lines start after the marker comment.
fn cases() -> Vec<(&'static str, Intent)> {
    use Command as C;
    use Intent::{Credits, Nothing, Status, UploadHelp};
    vec![
        // --- blank and comments
        ("", Nothing),
        ("   ", Nothing),
        ("# a note to self", Nothing),
        ("  #todo later", Nothing),
        // --- slash commands and aliases
        ("/upload", slash(C::Upload, "")),
        ("/u ~/a.jpg", slash(C::Upload, "~/a.jpg")),
        ("/add a.jpg  b.jpg ", slash(C::Upload, "a.jpg  b.jpg")),
        ("/credits", slash(C::Credits, "")),
        ("/balance", slash(C::Credits, "")),
        ("/c", slash(C::Credits, "")),
        ("/CREDITS", slash(C::Credits, "")),
        ("/status", slash(C::Status, "")),
        ("/state", slash(C::Status, "")),
        ("/tracks", slash(C::Status, "")),
        ("/s", slash(C::Status, "")),
        ("/export", slash(C::Export, "")),
        (
            "/export ~/Videos/trip.mp4",
            slash(C::Export, "~/Videos/trip.mp4"),
        ),
        ("/download out.mp4", slash(C::Export, "out.mp4")),
        ("/e", slash(C::Export, "")),
        ("/new", slash(C::New, "")),
        ("/New  ", slash(C::New, "")),
        ("/open", slash(C::Open, "")),
        ("/link", slash(C::Open, "")),
        ("/web", slash(C::Open, "")),
        ("/help", slash(C::Help, "")),
        ("  /help  ", slash(C::Help, "")),
        ("/h", slash(C::Help, "")),
        ("/?", slash(C::Help, "")),
        ("/help export", slash(C::Help, "export")),
        ("/quit", slash(C::Quit, "")),
        ("/exit", slash(C::Quit, "")),
        ("/q", slash(C::Quit, "")),
        ("/Q", slash(C::Quit, "")),
        ("/history", slash(C::History, "")),
        ("／help", slash(C::Help, "")),
        // --- unknown slash commands
        ("/foo", unknown("/foo")),
        ("/foo bar baz", unknown("/foo")),
        ("/exportt", unknown("/exportt")),
        ("/", unknown("/")),
        // --- path-like slash lines: not commands, and no keyword routing
        ("/home/a/x.jpg", chat("/home/a/x.jpg")),
        (
            "/Users/me/My Photos/a.jpg",
            chat("/Users/me/My Photos/a.jpg"),
        ),
        ("/tmp/export.mp4", chat("/tmp/export.mp4")),
        ("/x.jpg", chat("/x.jpg")),
        // --- export, English
        ("export", export()),
        ("Export", export()),
        ("EXPORT!", export()),
        ("export.", export()),
        ("export?", export()),
        ("export it", export()),
        ("export it please", export()),
        ("please export the video", export()),
        ("export 1080p MP4", export()),
        ("export now", export()),
        ("go ahead and export", export()),
        ("download it", export()),
        ("download", export()),
        ("download the video", export()),
        ("Download the final video!", export()),
        ("send me the video", export()),
        ("can you send me the video?", export()),
        ("render it and send me the file", export()),
        ("render the video", export()),
        ("render it in 1080p", export()),
        // --- export with a path
        ("export to trip.mp4", export_to("trip.mp4")),
        ("export to trip.mp4.", export_to("trip.mp4")),
        (
            "export to ~/Videos/trip.mp4",
            export_to("~/Videos/trip.mp4"),
        ),
        ("Export as \"my trip.mp4\"", export_to("my trip.mp4")),
        ("export to out/Trip.MP4", export_to("out/Trip.MP4")),
        ("download it to ./renders/", export_to("./renders/")),
        // --- credits, English
        ("credits", Credits),
        ("credits?", Credits),
        ("Credits!", Credits),
        ("balance", Credits),
        ("what's my balance", Credits),
        ("What’s my balance?", Credits),
        ("how many credits do I have", Credits),
        ("how many credits do i have left?", Credits),
        ("check my credits", Credits),
        ("credit balance", Credits),
        ("show my credits", Credits),
        // --- status, English
        ("status", Status),
        ("Status?", Status),
        ("what's the status", Status),
        ("what is the status of my video", Status),
        ("show tracks", Status),
        ("show the tracks", Status),
        ("project status", Status),
        ("check status", Status),
        ("show the timeline", Status),
        ("show me the timeline", Status),
        ("timeline?", Status),
        ("render status", Status),
        ("render progress", Status),
        ("whats the progress", Status),
        ("preview the timeline", Status),
        // --- upload, English
        ("upload", UploadHelp),
        ("Upload photos", UploadHelp),
        ("how do I upload photos?", UploadHelp),
        ("I want to upload more pictures", UploadHelp),
        // --- edits that mention a keyword: chat
        ("balance the audio levels", chat("balance the audio levels")),
        ("balance it", chat("balance it")),
        (
            "download the music you added",
            chat("download the music you added"),
        ),
        (
            "download the song you added",
            chat("download the song you added"),
        ),
        (
            "add a status bar at the top",
            chat("add a status bar at the top"),
        ),
        (
            "make the export look cinematic",
            chat("make the export look cinematic"),
        ),
        ("export the title in bold", chat("export the title in bold")),
        (
            "upload speed is slow, make the video shorter",
            chat("upload speed is slow, make the video shorter"),
        ),
        (
            "show the credits at the end",
            chat("show the credits at the end"),
        ),
        ("roll the credits", chat("roll the credits")),
        (
            "fade out the music before the credits",
            chat("fade out the music before the credits"),
        ),
        (
            "change the status text to red",
            chat("change the status text to red"),
        ),
        (
            "use a warmer color balance",
            chat("use a warmer color balance"),
        ),
        ("export settings", chat("export settings")),
        ("export to youtube", chat("export to youtube")),
        ("export and show credits", chat("export and show credits")),
        ("credits ~/a.mp4", chat("credits ~/a.mp4")),
        (
            "can you please tell me if you could export the video now with all of it",
            chat("can you please tell me if you could export the video now with all of it"),
        ),
        ("  make it brighter  ", chat("make it brighter")),
        ("is the export done", chat("is the export done")),
        ("export ~/frame.jpg", chat("export ~/frame.jpg")),
        (
            "add music to the timeline",
            chat("add music to the timeline"),
        ),
        ("add a progress bar", chat("add a progress bar")),
        ("render the title in red", chat("render the title in red")),
        ("export status", chat("export status")),
        ("upload ~/a.jpg", UploadHelp),
        (
            "https://example.com/a.mp4",
            chat("https://example.com/a.mp4"),
        ),
        // --- 中文 (Chinese) from here on
        ("导出", export()),
        ("导出！", export()),
        ("导出视频", export()),
        ("导出视频。", export()),
        ("帮我导出一下", export()),
        ("导出 1080p MP4", export()),
        ("导出1080p的mp4", export()),
        ("我要下载视频", export()),
        ("下载视频", export()),
        ("把视频发给我", export()),
        ("导出到 ~/a.mp4", export_to("~/a.mp4")),
        ("把视频导出到 ~/a.mp4", export_to("~/a.mp4")),
        ("导出到~/视频/旅行.mp4", export_to("~/视频/旅行.mp4")),
        ("导出为 trip.mp4", export_to("trip.mp4")),
        ("积分", Credits),
        ("积分？", Credits),
        ("我还有多少积分", Credits),
        ("还剩多少积分？", Credits),
        ("余额", Credits),
        ("查看余额", Credits),
        ("我的余额是多少", Credits),
        ("查一下积分", Credits),
        ("状态", Status),
        ("查看状态", Status),
        ("现在是什么状态？", Status),
        ("显示轨道", Status),
        ("项目状态", Status),
        ("上传", UploadHelp),
        ("我想上传照片", UploadHelp),
        ("怎么上传图片？", UploadHelp),
        ("我要上传一些照片", UploadHelp),
        ("把背景音乐调低一点", chat("把背景音乐调低一点")),
        ("在顶部加一个状态栏", chat("在顶部加一个状态栏")),
        ("导出的时候加上字幕", chat("导出的时候加上字幕")),
        ("下载你加的音乐", chat("下载你加的音乐")),
        (
            "上传速度太慢了，把视频剪短一点",
            chat("上传速度太慢了，把视频剪短一点"),
        ),
        ("把积分显示在片尾", chat("把积分显示在片尾")),
        ("给视频加一个余额显示", chat("给视频加一个余额显示")),
        ("改一下导出的标题", chat("改一下导出的标题")),
        ("把状态改成红色", chat("把状态改成红色")),
        ("用电影感的风格导出", chat("用电影感的风格导出")),
        ("设置导出的分辨率", chat("设置导出的分辨率")),
        ("导出视频到桌面", chat("导出视频到桌面")),
        ("把轨道里的音乐删掉", chat("把轨道里的音乐删掉")),
        ("导出和积分", chat("导出和积分")),
        ("调整一下音量平衡", chat("调整一下音量平衡")),
        ("你好", chat("你好")),
        ("做一个旅行视频", chat("做一个旅行视频")),
        // --- the storyboard
        ("/storyboard", slash(C::Storyboard, "")),
        ("/board b.png", slash(C::Storyboard, "b.png")),
        ("/sb", slash(C::Storyboard, "")),
        ("storyboard", storyboard(None)),
        ("show me the storyboard", storyboard(None)),
        ("can I see the story board of the video?", storyboard(None)),
        ("draw the timeline as a storyboard", storyboard(None)),
        (
            "save the storyboard to board.png",
            storyboard(Some("board.png")),
        ),
        ("storyboard to ~/b.png", storyboard(Some("~/b.png"))),
        ("storyboard trip.mp4", chat("storyboard trip.mp4")),
        (
            "add a storyboard at the end",
            chat("add a storyboard at the end"),
        ),
        (
            "make the storyboard brighter",
            chat("make the storyboard brighter"),
        ),
        ("timeline storyboard", storyboard(None)),
        ("看看故事板", storyboard(None)),
        ("显示分镜", storyboard(None)),
        ("生成时间线的故事板", storyboard(None)),
        ("给分镜加音乐", chat("给分镜加音乐")),
    ]
}

#[test]
fn routes_table_of_utterances() {
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(line, want)| {
            let got = route(line);
            (got != *want).then(|| format!("{line:?}: want {want:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "misrouted:\n{}", failures.join("\n"));
}

#[test]
fn table_is_big_and_bilingual() {
    let cases = cases();
    let zh = cases.iter().filter(|(l, _)| l.chars().any(is_cjk)).count();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    assert!(zh >= 30, "only {zh} Chinese cases");
}

#[test]
fn every_command_parses_by_name_and_alias() {
    for info in COMMANDS {
        for name in std::iter::once(&info.name).chain(info.aliases) {
            for typed in [name.to_string(), name.to_uppercase()] {
                let line = format!("/{typed} some arg");
                assert_eq!(
                    parse_slash(&line),
                    Some(slash(info.command.clone(), "some arg")),
                    "{line}"
                );
                assert_eq!(route(&line), slash(info.command.clone(), "some arg"));
            }
        }
        assert!(info.usage.starts_with(&format!("/{}", info.name)));
        assert!(info.example.starts_with(&format!("/{}", info.name)));
        assert_eq!(info.command.info().name, info.name);
    }
}

#[test]
fn command_names_are_unique() {
    let mut seen = std::collections::HashSet::new();
    for info in COMMANDS {
        for name in std::iter::once(&info.name).chain(info.aliases) {
            assert!(seen.insert(*name), "duplicate command name {name}");
        }
    }
}

#[test]
fn parse_slash_leaves_non_commands_alone() {
    assert_eq!(parse_slash("export"), None);
    assert_eq!(parse_slash(""), None);
    assert_eq!(parse_slash("/home/a/x.jpg"), None);
    assert_eq!(parse_slash("/x.JPG"), None);
    assert_eq!(parse_slash("/tmp/My Photos/a.png"), None);
    assert_eq!(parse_slash("/nope"), Some(unknown("/nope")));
}

#[test]
fn lookup_accepts_slash_and_case() {
    assert_eq!(lookup("export").map(|i| i.name), Some("export"));
    assert_eq!(lookup("/E").map(|i| i.name), Some("export"));
    assert_eq!(lookup("?").map(|i| i.name), Some("help"));
    assert!(lookup("nope").is_none());
}

#[test]
fn routed_note_only_for_local_actions() {
    assert_eq!(
        routed_note(&Intent::Credits).as_deref(),
        Some("→ credits (type /credits; anything else goes to the editor)")
    );
    assert_eq!(
        routed_note(&export()).as_deref(),
        Some("→ export (type /export; anything else goes to the editor)")
    );
    assert_eq!(
        routed_note(&export_to("trip.mp4")).as_deref(),
        Some("→ export to trip.mp4 (type /export; anything else goes to the editor)")
    );
    assert_eq!(
        routed_note(&Intent::Status).as_deref(),
        Some("→ status (type /status; anything else goes to the editor)")
    );
    assert_eq!(
        routed_note(&Intent::UploadHelp).as_deref(),
        Some("→ upload help (type /upload; anything else goes to the editor)")
    );
    assert_eq!(routed_note(&Intent::Nothing), None);
    assert_eq!(routed_note(&chat("hi")), None);
    assert_eq!(routed_note(&slash(Command::Credits, "")), None);
    assert_eq!(routed_note(&unknown("/x")), None);
}

/// The edit guard is "not a frame word"; make sure nobody weakens it by
/// adding an edit verb or edited object to a frame list.
#[test]
fn edit_words_are_never_frame_words() {
    const EDIT_EN: &[&str] = &[
        "add", "added", "make", "change", "balance", "put", "set", "adjust", "remove", "increase",
        "decrease", "fade", "use", "apply", "cut", "trim", "audio", "music", "song", "track",
        "clip", "title", "text", "bar", "levels", "speed", "look",
    ];
    const EDIT_ZH: &[&str] = &[
        "加", "改", "调", "设置", "换", "删", "剪", "用", "音乐", "字幕", "标题", "栏",
    ];
    for words in ACTIONS {
        for w in EDIT_EN {
            assert!(
                !words.en_frame.contains(w) && !SHARED_EN.contains(w),
                "{w} is a frame word"
            );
        }
        // Chinese is segmented into whole words, so "可用" (available)
        // does not smuggle in "用" (use); compare whole words.
        for w in EDIT_ZH {
            assert!(
                !words.zh_frame.contains(w) && !SHARED_ZH.contains(w),
                "{w} is a frame word"
            );
        }
    }
}

#[test]
fn tables_are_lowercase_and_disjoint_from_triggers() {
    for words in ACTIONS {
        // Another action's trigger may be a frame word here ("render
        // status": it yields, see `keyword_action`); its own, or a shared
        // word, never.
        for w in words.en_frame.iter().chain(SHARED_EN) {
            assert_eq!(*w, w.to_lowercase());
            for other in ACTIONS {
                let shared = SHARED_EN.contains(w);
                if other.action == words.action || shared {
                    assert!(
                        !other.en_triggers.iter().any(|p| p.len() == 1 && p[0] == *w),
                        "{w} is both a frame word and a trigger"
                    );
                }
            }
        }
    }
}

#[test]
fn extracts_paths() {
    assert_eq!(
        extract_path("export to (trip.mp4)").map(|p| p.0).as_deref(),
        Some("trip.mp4")
    );
    assert_eq!(extract_path("export 1080p MP4"), None);
    assert_eq!(extract_path("see https://x.io/a.mp4"), None);
    assert_eq!(
        extract_path("save to C:\\Videos\\a.mp4")
            .map(|p| p.0)
            .as_deref(),
        Some("C:\\Videos\\a.mp4")
    );
    assert_eq!(
        extract_path("导出为“旅行 视频.mp4”")
            .map(|p| p.0)
            .as_deref(),
        Some("旅行 视频.mp4")
    );
}
