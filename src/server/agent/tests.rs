//! The agent's parser, as a table of utterances (English and Chinese) and
//! the edits they mean; then applying edits (clamps, reorder, remove) and
//! whole turns (undo, silent titles, costs).

use serde_json::json;

use super::apply::{apply, DEFAULT_VOLUME};
use super::intent::{parse, Edit, Edit::*, Sel::*};
use super::words::{self, Lang};
use super::{plan_turn, Step};
use crate::server::slideshow::{Aspect, Mood, MusicSource, Slideshow, TransitionKind as T};
use crate::server::world::{Media, Session};

fn t(s: &str) -> Edit {
    Title(s.to_string())
}

fn name(s: &str) -> crate::server::agent::intent::Sel {
    Name(s.to_string())
}

#[test]
fn the_parser_reads_the_documented_vocabulary() {
    let table: Vec<(&str, Vec<Edit>)> = vec![
        // making the video
        ("make a video", vec![Make]),
        ("make a slideshow from my uploads", vec![Make]),
        (
            "turn these images into a YouTube video with music and transitions",
            vec![Make, Music],
        ),
        ("turn these into a video", vec![Make]),
        ("把这些照片做成视频", vec![Make]),
        ("生成幻灯片", vec![Make]),
        (
            "make a video with calm music, 2 seconds per photo, title 'Iceland 2026'",
            vec![
                Make,
                MusicMood(Mood::Calm),
                PhotoSeconds(2.0),
                t("Iceland 2026"),
            ],
        ),
        // pacing
        ("2 seconds per photo", vec![PhotoSeconds(2.0)]),
        ("each photo 3s", vec![PhotoSeconds(3.0)]),
        (
            "show every picture for 1.5 seconds",
            vec![PhotoSeconds(1.5)],
        ),
        ("two seconds per photo", vec![PhotoSeconds(2.0)]),
        ("photos for half a second each", vec![PhotoSeconds(0.5)]),
        ("one and a half seconds per image", vec![PhotoSeconds(1.5)]),
        ("每张照片2秒", vec![PhotoSeconds(2.0)]),
        ("每张两秒", vec![PhotoSeconds(2.0)]),
        ("每张照片一秒半", vec![PhotoSeconds(1.5)]),
        ("每张照片停留十秒", vec![PhotoSeconds(10.0)]),
        ("slower", vec![Slower]),
        ("a bit slower please", vec![Slower]),
        ("speed it up", vec![Faster]),
        ("faster", vec![Faster]),
        ("慢一点", vec![Slower]),
        ("快一点", vec![Faster]),
        (
            "make the video 30 seconds long",
            vec![Make, TotalSeconds(30.0)],
        ),
        // transitions
        ("crossfade transitions", vec![Transition(T::Crossfade)]),
        ("use a cross-fade", vec![Transition(T::Crossfade)]),
        ("fade through black", vec![Transition(T::FadeBlack)]),
        (
            "dip to black between photos",
            vec![Transition(T::FadeBlack)],
        ),
        ("wipe transitions", vec![Transition(T::Wipe)]),
        ("slide transitions", vec![Transition(T::Slide)]),
        ("use slides", vec![Transition(T::Slide)]),
        ("each slide 3 seconds", vec![PhotoSeconds(3.0)]),
        ("no transitions", vec![Transition(T::None)]),
        ("just hard cuts", vec![Transition(T::None)]),
        ("淡入淡出", vec![Transition(T::Crossfade)]),
        ("交叉淡化", vec![Transition(T::Crossfade)]),
        ("黑场过渡", vec![Transition(T::FadeBlack)]),
        ("擦除转场", vec![Transition(T::Wipe)]),
        ("滑动", vec![Transition(T::Slide)]),
        ("无转场", vec![Transition(T::None)]),
        ("1 second transitions", vec![TransitionSeconds(1.0)]),
        ("transitions of 0.5s", vec![TransitionSeconds(0.5)]),
        (
            "make the crossfade 2 seconds",
            vec![Transition(T::Crossfade), TransitionSeconds(2.0)],
        ),
        ("转场1秒", vec![TransitionSeconds(1.0)]),
        ("过渡半秒", vec![TransitionSeconds(0.5)]),
        (
            "2 seconds per photo and 1 second transitions",
            vec![PhotoSeconds(2.0), TransitionSeconds(1.0)],
        ),
        ("slower transitions", vec![LongerTransitions]),
        ("shorter transitions", vec![ShorterTransitions]),
        // Ken Burns
        ("ken burns on", vec![KenBurns(true)]),
        ("turn off the ken burns effect", vec![KenBurns(false)]),
        ("no zoom", vec![KenBurns(false)]),
        ("add a slow zoom", vec![KenBurns(true)]),
        ("关闭缩放效果", vec![KenBurns(false)]),
        ("关闭肯·伯恩斯效果", vec![KenBurns(false)]),
        ("remove the zoom", vec![KenBurns(false)]),
        // text
        ("title: Iceland 2026", vec![t("Iceland 2026")]),
        (
            "set the title \"Paradise Found\" please",
            vec![t("Paradise Found")],
        ),
        ("title is Summer in Rome", vec![t("Summer in Rome")]),
        ("call it “Our Trip”", vec![t("Our Trip")]),
        ("标题：冰岛之旅", vec![t("冰岛之旅")]),
        ("标题「冰岛之旅」", vec![t("冰岛之旅")]),
        (
            "title: 2 seconds to midnight",
            vec![t("2 seconds to midnight")],
        ),
        ("remove the title", vec![RemoveTitle]),
        ("去掉标题", vec![RemoveTitle]),
        (
            "closing text 'Thanks for watching'",
            vec![Closing("Thanks for watching".into())],
        ),
        (
            "end with \"See you soon\"",
            vec![Closing("See you soon".into())],
        ),
        ("结尾文字：谢谢观看", vec![Closing("谢谢观看".into())]),
        ("no closing text", vec![RemoveClosing]),
        // music
        ("add music", vec![Music]),
        ("calm music", vec![MusicMood(Mood::Calm)]),
        ("upbeat music", vec![MusicMood(Mood::Upbeat)]),
        ("something lo-fi", vec![MusicMood(Mood::LoFi)]),
        ("happy background music", vec![MusicMood(Mood::Upbeat)]),
        ("舒缓音乐", vec![MusicMood(Mood::Calm)]),
        ("欢快的音乐", vec![MusicMood(Mood::Upbeat)]),
        ("低保真音乐", vec![MusicMood(Mood::LoFi)]),
        ("use my music", vec![MusicUpload(None)]),
        (
            "use song.mp3 as the music",
            vec![MusicUpload(Some("song.mp3".into()))],
        ),
        ("用我上传的音乐", vec![MusicUpload(None)]),
        ("volume 50%", vec![MusicVolume(50)]),
        ("music at 60 percent", vec![MusicVolume(60)]),
        ("set the volume to 40", vec![MusicVolume(40)]),
        ("音量50%", vec![MusicVolume(50)]),
        (
            "calm music at 70%",
            vec![MusicMood(Mood::Calm), MusicVolume(70)],
        ),
        ("louder", vec![Louder]),
        ("turn the music down", vec![Quieter]),
        ("make the music quieter", vec![Quieter]),
        ("音乐小声一点", vec![Quieter]),
        ("音乐大声一点", vec![Louder]),
        ("把音量调到30", vec![MusicVolume(30)]),
        ("lower the volume to 30%", vec![MusicVolume(30)]),
        ("no music", vec![NoMusic]),
        ("remove the background music", vec![NoMusic]),
        ("去掉音乐", vec![NoMusic]),
        ("静音", vec![NoMusic]),
        // canvas
        ("make it 9:16", vec![Aspect(Aspect::Portrait)]),
        (
            "vertical for YouTube Shorts",
            vec![Aspect(Aspect::Portrait)],
        ),
        ("square", vec![Aspect(Aspect::Square)]),
        ("1:1", vec![Aspect(Aspect::Square)]),
        ("back to landscape 16:9", vec![Aspect(Aspect::Landscape)]),
        ("竖屏", vec![Aspect(Aspect::Portrait)]),
        ("横屏", vec![Aspect(Aspect::Landscape)]),
        ("方形", vec![Aspect(Aspect::Square)]),
        ("720p", vec![Resolution(720)]),
        ("1080p please", vec![Resolution(1080)]),
        (
            "9:16 in 720p",
            vec![Aspect(Aspect::Portrait), Resolution(720)],
        ),
        // photo order
        (
            "move photo 3 to the front",
            vec![MovePhoto {
                from: Nth(3),
                to: Nth(1),
            }],
        ),
        (
            "move the last photo to the start",
            vec![MovePhoto {
                from: Last,
                to: Nth(1),
            }],
        ),
        (
            "put the second picture at the end",
            vec![MovePhoto {
                from: Nth(2),
                to: Last,
            }],
        ),
        (
            "move photo 5 to position 2",
            vec![MovePhoto {
                from: Nth(5),
                to: Nth(2),
            }],
        ),
        (
            "move beach.jpg to the end",
            vec![MovePhoto {
                from: name("beach.jpg"),
                to: Last,
            }],
        ),
        (
            "put beach.jpg first",
            vec![MovePhoto {
                from: name("beach.jpg"),
                to: Nth(1),
            }],
        ),
        (
            "move photo 2 last",
            vec![MovePhoto {
                from: Nth(2),
                to: Last,
            }],
        ),
        (
            "show the last photo first",
            vec![MovePhoto {
                from: Last,
                to: Nth(1),
            }],
        ),
        (
            "把第2张移到最前",
            vec![MovePhoto {
                from: Nth(2),
                to: Nth(1),
            }],
        ),
        (
            "把最后一张放到第一张",
            vec![MovePhoto {
                from: Last,
                to: Nth(1),
            }],
        ),
        (
            "把第三张移到最后",
            vec![MovePhoto {
                from: Nth(3),
                to: Last,
            }],
        ),
        ("swap photos 1 and 3", vec![SwapPhotos(Nth(1), Nth(3))]),
        ("交换第1张和第3张", vec![SwapPhotos(Nth(1), Nth(3))]),
        ("remove photo 3", vec![RemovePhotos(vec![Nth(3)])]),
        ("delete the third photo", vec![RemovePhotos(vec![Nth(3)])]),
        ("remove the last photo", vec![RemovePhotos(vec![Last])]),
        (
            "drop photos 2 and 4",
            vec![RemovePhotos(vec![Nth(2), Nth(4)])],
        ),
        (
            "remove beach.jpg",
            vec![RemovePhotos(vec![name("beach.jpg")])],
        ),
        (
            "delete 'My Photo.png'",
            vec![RemovePhotos(vec![name("My Photo.png")])],
        ),
        ("删除第3张", vec![RemovePhotos(vec![Nth(3)])]),
        ("删掉最后一张", vec![RemovePhotos(vec![Last])]),
        (
            "去掉第一张和最后一张",
            vec![RemovePhotos(vec![Nth(1), Last])],
        ),
        ("reverse the order", vec![ReversePhotos]),
        ("倒序", vec![ReversePhotos]),
        // undo
        ("undo", vec![Undo]),
        ("undo that", vec![Undo]),
        ("撤销", vec![Undo]),
        // several at once
        (
            "2 seconds per photo, wipe transitions, 9:16",
            vec![
                PhotoSeconds(2.0),
                Transition(T::Wipe),
                Aspect(Aspect::Portrait),
            ],
        ),
        (
            "每张照片2秒，擦除转场，竖屏",
            vec![
                PhotoSeconds(2.0),
                Transition(T::Wipe),
                Aspect(Aspect::Portrait),
            ],
        ),
        ("no music then title 'Done'", vec![NoMusic, t("Done")]),
        // not understood
        ("hello", vec![]),
        ("what can you do?", vec![]),
        ("你好", vec![]),
    ];
    let mut wrong = Vec::new();
    for (msg, want) in &table {
        let got = parse(msg);
        if &got != want {
            wrong.push(format!("{msg:?}\n   want {want:?}\n   got  {got:?}"));
        }
    }
    assert!(table.len() >= 80, "{} utterances", table.len());
    assert!(
        wrong.is_empty(),
        "{} of {} misread:\n{}",
        wrong.len(),
        table.len(),
        wrong.join("\n")
    );
}

// ---- words ----

#[test]
fn numbers_quotes_and_languages() {
    let n = |s: &str| {
        words::numbers(s)
            .iter()
            .map(|n| n.value)
            .collect::<Vec<_>>()
    };
    assert_eq!(n("twenty five and 1.5"), vec![25.0, 1.5]);
    assert_eq!(n("两秒 十五 一点五"), vec![2.0, 15.0, 1.5]);
    assert_eq!(n("慢一点"), vec![1.0]);
    let (text, quotes) = words::unquote("title 'Don't stop' and don't 「冰岛」");
    assert_eq!(quotes, vec!["Don't stop".to_string(), "冰岛".to_string()]);
    assert!(text.contains("don't"));
    assert_eq!(Lang::of("标题：冰岛"), Lang::Zh);
    assert_eq!(Lang::of("title '冰岛'"), Lang::En);
    assert_eq!(words::secs(6250), "6.25");
    assert_eq!(words::seconds(Lang::En, 1000), "1 second");
}

// ---- applying ----

pub(super) fn media(names: &[&str]) -> Vec<Media> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| Media {
            name: n.to_string(),
            kind: crate::wire::media_kind_of(n).unwrap_or("image").into(),
            size: 100,
            path: None,
            url: None,
            file_id: format!("f{i}"),
            exposure: None,
        })
        .collect()
}

fn show(n: usize) -> (Slideshow, Vec<Media>) {
    let names: Vec<String> = (1..=n).map(|i| format!("p{i}.jpg")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let m = media(&refs);
    let s = apply(None, &[Make], &m, Lang::En).show.unwrap();
    (s, m)
}

fn names(s: &Slideshow) -> Vec<&str> {
    s.photos.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn making_needs_photos_and_starts_from_the_uploads() {
    let out = apply(None, &[Make], &media(&["song.mp3"]), Lang::En);
    assert!(out.show.is_none());
    assert!(
        out.reply().starts_with("I don't see any images"),
        "{}",
        out.reply()
    );
    let out = apply(None, &[t("Hi")], &media(&[]), Lang::Zh);
    assert!(out.reply().starts_with("请先上传"), "{}", out.reply());
    // An edit before any video makes the video with it.
    let out = apply(None, &[t("Hi")], &media(&["a.jpg", "b.png"]), Lang::En);
    let s = out.show.unwrap();
    assert!(out.made);
    assert_eq!(s.title.as_deref(), Some("Hi"));
    assert_eq!(
        out.lines[0],
        "Your raw video is ready: 2 photos, 6.25 seconds, with crossfade transitions."
    );
}

#[test]
fn values_are_clamped_and_the_reply_says_so() {
    let (s, m) = show(3);
    let out = apply(Some(s.clone()), &[PhotoSeconds(100.0)], &m, Lang::En);
    assert_eq!(out.show.as_ref().unwrap().photos[0].ms, 60_000);
    assert!(
        out.reply().contains("between 0.5 and 60 seconds"),
        "{}",
        out.reply()
    );
    let out = apply(Some(s.clone()), &[TransitionSeconds(10.0)], &m, Lang::En);
    let after = out.show.unwrap();
    // 3 s is the longest transition, and half a 3.5 s photo is 1.75 s.
    assert_eq!(after.transition.ms, 1750);
    assert!(out.lines[0].contains("0.1 to 3 seconds"), "{:?}", out.lines);
    assert!(
        out.lines[1].contains("at most half a photo"),
        "{:?}",
        out.lines
    );
    let out = apply(Some(s.clone()), &[PhotoSeconds(0.2)], &m, Lang::Zh);
    assert_eq!(out.show.clone().unwrap().photos[0].ms, 500);
    assert!(out.reply().contains("0.5到60秒"), "{}", out.reply());
}

#[test]
fn photos_are_reordered_removed_and_reversed() {
    let (s, m) = show(4);
    let mv = apply(
        Some(s.clone()),
        &[MovePhoto {
            from: Nth(3),
            to: Nth(1),
        }],
        &m,
        Lang::En,
    );
    assert_eq!(
        names(mv.show.as_ref().unwrap()),
        ["p3.jpg", "p1.jpg", "p2.jpg", "p4.jpg"]
    );
    assert_eq!(
        mv.lines[0],
        "Moved p3.jpg from position 3 to position 1 of 4."
    );
    let sw = apply(Some(s.clone()), &[SwapPhotos(Nth(1), Last)], &m, Lang::En);
    assert_eq!(
        names(sw.show.as_ref().unwrap()),
        ["p4.jpg", "p2.jpg", "p3.jpg", "p1.jpg"]
    );
    let rm = apply(
        Some(s.clone()),
        &[RemovePhotos(vec![Nth(2), name("p4.JPG")])],
        &m,
        Lang::En,
    );
    assert_eq!(names(rm.show.as_ref().unwrap()), ["p1.jpg", "p3.jpg"]);
    assert_eq!(
        rm.lines[0],
        "Removed photos 2 and 4 (p2.jpg, p4.jpg); 2 photos left."
    );
    let rv = apply(Some(s.clone()), &[ReversePhotos], &m, Lang::Zh);
    assert_eq!(
        names(rv.show.as_ref().unwrap()),
        ["p4.jpg", "p3.jpg", "p2.jpg", "p1.jpg"]
    );
    // Out of range: nothing changes, and the reply says why.
    let bad = apply(Some(s.clone()), &[RemovePhotos(vec![Nth(9)])], &m, Lang::En);
    assert_eq!(bad.show.as_ref(), Some(&s));
    assert_eq!(
        bad.reply(),
        "There is no photo 9: the video has 4 photos. Which one did you mean (1 to 4)?"
    );
    let all = apply(
        Some(s.clone()),
        &[RemovePhotos(vec![Nth(1), Nth(2), Nth(3), Nth(4)])],
        &m,
        Lang::En,
    );
    assert_eq!(all.show.as_ref(), Some(&s));
}

#[test]
fn music_is_generated_or_the_upload_and_honestly_named() {
    let (s, m) = show(2);
    let out = apply(Some(s.clone()), &[MusicMood(Mood::Calm)], &m, Lang::En);
    let music = out.show.clone().unwrap().music.unwrap();
    assert_eq!(music.source, MusicSource::Generated { mood: Mood::Calm });
    assert_eq!(music.volume, DEFAULT_VOLUME);
    assert!(
        out.reply().contains("generated Calm track"),
        "{}",
        out.reply()
    );
    assert_eq!(out.generated, Some(Mood::Calm));
    // No audio uploaded: say how to upload one.
    let out = apply(Some(s.clone()), &[MusicUpload(None)], &m, Lang::En);
    assert!(out.show.clone().unwrap().music.is_none());
    assert!(out.reply().contains("/upload song.mp3"), "{}", out.reply());
    let mut m2 = m.clone();
    m2.extend(
        media(&["x.png", "song.mp3"])
            .into_iter()
            .skip(1)
            .map(|mut x| {
                x.file_id = "aud".into();
                x
            }),
    );
    let out = apply(Some(s.clone()), &[Music, MusicVolume(150)], &m2, Lang::En);
    let music = out.show.clone().unwrap().music.unwrap();
    assert_eq!(
        music.source,
        MusicSource::Upload {
            file_id: Some("aud".into()),
            name: "song.mp3".into()
        }
    );
    assert_eq!(music.volume, 100);
    assert!(
        out.reply().contains("louder would only distort"),
        "{}",
        out.reply()
    );
}

// ---- whole turns ----

pub(super) fn session(files: &[&str]) -> Session {
    Session {
        id: "s".into(),
        task_id: "t".into(),
        bind_id: "b".into(),
        owner: "u".into(),
        language: "en".into(),
        draft: json!({"t": [], "d": 0}),
        media: media(files),
        generated: Vec::new(),
        history: Vec::new(),
    }
}

/// The texts a turn says.
fn said(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Say(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn tools(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Tool { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_turn_edits_the_draft_and_undo_restores_it() {
    let mut s = session(&["a.jpg", "b.jpg", "c.jpg"]);
    let made = plan_turn(&mut s, "make a video", "e-1");
    assert_eq!(made.cost, 50.0);
    assert_eq!(tools(&made.steps), ["understand_media", "edit_draft"]);
    let first = s.draft.clone();
    let turn = plan_turn(&mut s, "2 seconds per photo, wipe transitions, 9:16", "e-2");
    assert_eq!(turn.cost, 10.0);
    let show = Slideshow::from_draft(&s.draft).unwrap();
    assert_eq!(show.photos[0].ms, 2000);
    assert_eq!(show.transition.kind, T::Wipe);
    assert_eq!(show.canvas.aspect, Aspect::Portrait);
    assert_eq!(
        said(&turn.steps),
        ["Each photo now stays 2 seconds.\nTransitions are now wipe (0.75 seconds each).\nThe video is now 9:16 (vertical, for YouTube Shorts), 1080×1920.\nThe video now runs 4.5 seconds."]
    );
    let undo = plan_turn(&mut s, "undo", "e-3");
    assert_eq!(s.draft, first);
    assert_eq!(
        said(&undo.steps),
        ["Undone: the video is back to how it was before \"2 seconds per photo, wipe transitions, 9:16\"."]
    );
    plan_turn(&mut s, "撤销", "e-4");
    assert!(Slideshow::from_draft(&s.draft).is_none());
    let none = plan_turn(&mut s, "undo", "e-5");
    assert_eq!(said(&none.steps), ["There is nothing to undo yet."]);
    assert_eq!(none.cost, 0.0);
}

#[test]
fn titles_are_silent_music_is_two_stage_and_nonsense_is_free() {
    let mut s = session(&["a.jpg", "b.jpg"]);
    let turn = plan_turn(
        &mut s,
        "turn these images into a video with calm music",
        "e-1",
    );
    assert_eq!(
        tools(&turn.steps),
        ["understand_media", "edit_draft", "generate_music"]
    );
    let texts = said(&turn.steps);
    assert!(
        texts[0].ends_with("Now adding music and finishing touches…"),
        "{texts:?}"
    );
    assert!(
        texts[1].starts_with(" Added a generated Calm track"),
        "{texts:?}"
    );
    let turn = plan_turn(&mut s, "title: Paradise Found", "e-2");
    assert!(said(&turn.steps).is_empty());
    assert_eq!(
        Slideshow::from_draft(&s.draft).unwrap().title.as_deref(),
        Some("Paradise Found")
    );
    let before = s.draft.clone();
    let turn = plan_turn(&mut s, "你好", "e-3");
    assert_eq!(turn.cost, 0.0);
    assert_eq!(s.draft, before);
    assert!(said(&turn.steps)[0].starts_with("“你好”里我没有找到"));
}

#[test]
fn every_example_in_the_readme_table_is_understood() {
    let readme = include_str!("../../../README.md");
    let table = readme
        .split("### The offline agent understands")
        .nth(1)
        .and_then(|s| s.split("\n\n").nth(2))
        .expect("the table");
    for row in table.lines().skip(2) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let photos: Vec<String> = ["beach.jpg", "海边.jpg", "city.png", "forest.jpg", "dog.jpg"]
            .map(String::from)
            .to_vec();
        for example in cells[2..4].iter().flat_map(|c| c.split(", ")) {
            let (edits, unread) = super::intent::parse_all(example, &photos);
            assert!(
                !edits.is_empty() && unread.is_empty(),
                "not understood: {example:?}"
            );
        }
    }
}
