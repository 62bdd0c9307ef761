//! Whole turns, table-driven: each row starts from a fresh project (a
//! video made from N photos, photos uploaded but no video yet, or a video
//! with music), says one message the way people type it, and states the
//! exact change to the slideshow. The test builds the expected slideshow by
//! applying that change to the one before the turn and compares the whole
//! value, so an edit nobody asked for fails the row. Out-of-scope rows
//! assert an unchanged draft and a reply that names the request.

use super::plan_turn;
use super::Step;
use crate::server::slideshow::{
    Aspect as A, Mood, Music, MusicSource, Slideshow, TransitionKind as T,
};
use crate::server::world::Session;

/// The photos a project starts with, in upload order.
const NAMES: &[&str] = &[
    "beach.jpg",
    "海边.jpg",
    "city.png",
    "forest.jpg",
    "dog.jpg",
    "cat.jpg",
];

/// Where a row starts.
#[derive(Debug, Clone, Copy)]
enum St {
    /// A video made from the first N photos.
    V(usize),
    /// N photos uploaded, no video yet.
    U(usize),
    /// A video of N photos with calm music at this volume.
    M(usize, u32),
    /// A video of N photos with the title "Trip" and closing text "Bye".
    Tx(usize),
}

/// One expected change to the slideshow.
#[derive(Debug, Clone)]
enum Ch {
    /// Every photo stays this many seconds.
    Secs(f64),
    /// The whole video lasts about this long (within 0.1 s per photo);
    /// every photo the same length.
    Total(f64),
    Kind(T),
    TransMs(u64),
    Kb(bool),
    Title(&'static str),
    NoTitle,
    Closing(&'static str),
    NoClosing,
    Gen(Mood),
    Vol(u32),
    NoMusic,
    Aspect(A),
    Res(u32),
    /// The photos afterwards, as 1-based positions before the turn.
    Order(&'static [usize]),
}

struct Row {
    st: St,
    msg: &'static str,
    want: Vec<Ch>,
    /// Texts the reply must contain.
    says: Vec<&'static str>,
}

fn r(st: St, msg: &'static str, want: Vec<Ch>) -> Row {
    Row {
        st,
        msg,
        want,
        says: vec![],
    }
}

fn rs(st: St, msg: &'static str, want: Vec<Ch>, says: &[&'static str]) -> Row {
    Row {
        st,
        msg,
        want,
        says: says.to_vec(),
    }
}

/// Out of scope: nothing changes and the reply names the request.
fn oos(st: St, msg: &'static str, names: &'static str) -> Row {
    rs(st, msg, vec![], &[names])
}

fn session(n: usize) -> Session {
    super::tests::session(&NAMES[..n])
}

/// The session a row starts from, and the slideshow its change applies
/// to (for `U`, the video "make a video" would make).
fn start(st: St) -> (Session, Slideshow) {
    let n = match st {
        St::V(n) | St::U(n) | St::M(n, _) | St::Tx(n) => n,
    };
    let mut s = session(n);
    plan_turn(&mut s, "make a video", "e-0");
    if let St::M(_, v) = st {
        let mut show = Slideshow::from_draft(&s.draft).unwrap();
        show.music = Some(Music {
            source: MusicSource::Generated { mood: Mood::Calm },
            volume: v,
        });
        s.draft = show.to_draft();
    }
    if let St::Tx(_) = st {
        let mut show = Slideshow::from_draft(&s.draft).unwrap();
        show.title = Some("Trip".into());
        show.closing = Some("Bye".into());
        s.draft = show.to_draft();
    }
    let show = Slideshow::from_draft(&s.draft).unwrap();
    if let St::U(_) = st {
        s = session(n);
    }
    (s, show)
}

fn expect(before: &Slideshow, after: &Slideshow, want: &[Ch], msg: &str) -> Slideshow {
    let mut e = before.clone();
    for c in want {
        match c {
            Ch::Secs(s) => e.photos.iter_mut().for_each(|p| p.ms = (s * 1000.0) as u64),
            Ch::Total(s) => {
                let ms = after.photos.first().map(|p| p.ms).unwrap_or(0);
                e.photos.iter_mut().for_each(|p| p.ms = ms);
                let mut probe = e.clone();
                probe.transition = after.transition;
                let d = probe.duration_ms() as f64;
                let slack = 100.0 * e.photos.len() as f64;
                // "under 30 seconds": never longer.
                let at_most = ["under", "no longer", "以内"]
                    .iter()
                    .any(|w| msg.contains(w));
                if (d - s * 1000.0).abs() > slack || at_most && d > s * 1000.0 {
                    // Leave e as it is: the comparison fails and shows why.
                    e.photos.iter_mut().for_each(|p| p.ms = 0);
                }
            }
            Ch::Kind(k) => e.transition.kind = *k,
            Ch::TransMs(ms) => e.transition.ms = *ms,
            Ch::Kb(on) => e.ken_burns = *on,
            Ch::Title(t) => e.title = Some(t.to_string()),
            Ch::NoTitle => e.title = None,
            Ch::Closing(t) => e.closing = Some(t.to_string()),
            Ch::NoClosing => e.closing = None,
            Ch::Gen(m) => {
                let volume = e.music.as_ref().map(|m| m.volume).unwrap_or(100);
                e.music = Some(Music {
                    source: MusicSource::Generated { mood: *m },
                    volume,
                })
            }
            Ch::Vol(v) => e.music.as_mut().expect("music").volume = *v,
            Ch::NoMusic => e.music = None,
            Ch::Aspect(a) => e.canvas.aspect = *a,
            Ch::Res(p) => e.canvas.p = *p,
            Ch::Order(o) => e.photos = o.iter().map(|i| e.photos[i - 1].clone()).collect(),
        }
    }
    // The documented rule: a transition lasts at most half the shortest
    // photo.
    let shortest = e.photos.iter().map(|p| p.ms).min().unwrap_or(0);
    if e.transition.kind != T::None && e.transition.ms > shortest / 2 {
        e.transition.ms = (shortest / 2).max(1);
    }
    e
}

fn said(steps: &[Step]) -> String {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Say(t) => Some(t.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_zh(msg: &str) -> bool {
    super::words::Lang::of(msg) == super::words::Lang::Zh
}

/// What is wrong with a row's turn, if anything.
fn check(row: &Row) -> Option<String> {
    let (mut s, before) = start(row.st);
    let had_video = Slideshow::from_draft(&s.draft).is_some();
    let turn = plan_turn(&mut s, row.msg, "e-1");
    let reply = said(&turn.steps);
    let after = Slideshow::from_draft(&s.draft);
    let mut why = Vec::new();
    match (&after, row.want.is_empty() && had_video) {
        (None, _) => why.push("no video afterwards".to_string()),
        (Some(after), _) => {
            let want = expect(&before, after, &row.want, row.msg);
            if *after != want {
                why.push(format!("draft\n      want {want:?}\n      got  {after:?}"));
            }
        }
    }
    for needle in &row.says {
        if !reply.to_lowercase().contains(&needle.to_lowercase()) {
            why.push(format!("reply lacks {needle:?}"));
        }
    }
    if had_video && !row.want.is_empty() && reply.contains("already uses") {
        why.push("reply has an unrelated sentence".into());
    }
    if row.says.is_empty() && (reply.contains("didn't understand") || reply.contains("没看懂")) {
        why.push("a clause was not understood".into());
    }
    let lengths = ["runs", "is ready:", "总长", "原始视频已生成"];
    if lengths
        .iter()
        .map(|w| reply.matches(w).count())
        .sum::<usize>()
        > 1
    {
        why.push("reply states the length twice".into());
    }
    if is_zh(row.msg) {
        let english = [" the ", " is ", " and ", " was ", "No ", " font "];
        if english.iter().any(|w| reply.contains(w)) {
            why.push("a Chinese reply has English in it".into());
        }
    }
    (!why.is_empty()).then(|| {
        format!(
            "{:?} {:?}: {}\n   reply: {reply}",
            row.st,
            row.msg,
            why.join("; ")
        )
    })
}

fn rows() -> Vec<Row> {
    use Ch::*;
    use St::*;
    vec![
        // ---- title ----
        r(V(3), "name it Summer 2026", vec![Title("Summer 2026")]),
        r(
            V(4),
            "change the heading to Road Trip",
            vec![Title("Road Trip")],
        ),
        r(V(3), "call the video Road Trip", vec![Title("Road Trip")]),
        r(V(3), "call it Our Trip", vec![Title("Our Trip")]),
        r(V(3), "title: Wow!", vec![Title("Wow!")]),
        r(
            V(3),
            "title: Are we there yet?",
            vec![Title("Are we there yet?")],
        ),
        r(V(3), "title: Iceland 2026", vec![Title("Iceland 2026")]),
        r(
            V(3),
            "set the title \"Paradise Found\" please",
            vec![Title("Paradise Found")],
        ),
        r(
            V(3),
            "title is Summer in Rome",
            vec![Title("Summer in Rome")],
        ),
        r(V(3), "caption: Best day ever", vec![Title("Best day ever")]),
        r(
            V(4),
            "put 'Hello Lisbon' as the title",
            vec![Title("Hello Lisbon")],
        ),
        r(
            V(3),
            "title: 2 seconds to midnight",
            vec![Title("2 seconds to midnight")],
        ),
        r(V(3), "remove the title", vec![]),
        r(V(3), "标题：冰岛之旅", vec![Title("冰岛之旅")]),
        r(V(3), "标题「冰岛之旅」", vec![Title("冰岛之旅")]),
        r(V(3), "标题改成 夏日回忆", vec![Title("夏日回忆")]),
        r(V(4), "片名叫 海边的一天", vec![Title("海边的一天")]),
        r(U(3), "name it Summer 2026", vec![Title("Summer 2026")]),
        r(U(3), "call the video Road Trip", vec![Title("Road Trip")]),
        r(
            U(4),
            "change the heading to Road Trip",
            vec![Title("Road Trip")],
        ),
        r(U(3), "title: Wow!", vec![Title("Wow!")]),
        r(U(3), "标题：冰岛之旅", vec![Title("冰岛之旅")]),
        // ---- closing text ----
        r(
            V(3),
            "closing text 'Thanks for watching'",
            vec![Closing("Thanks for watching")],
        ),
        r(
            V(3),
            "end with \"See you soon\"",
            vec![Closing("See you soon")],
        ),
        r(
            V(3),
            "outro: See you next time!",
            vec![Closing("See you next time!")],
        ),
        r(V(3), "ending text: The End", vec![Closing("The End")]),
        r(V(3), "结尾文字：谢谢观看", vec![Closing("谢谢观看")]),
        r(V(3), "片尾：下次见！", vec![Closing("下次见！")]),
        r(V(3), "no closing text", vec![]),
        r(U(3), "closing text: Bye!", vec![Closing("Bye!")]),
        r(Tx(3), "片尾文字不要了", vec![NoClosing]),
        r(Tx(3), "结尾不要了", vec![NoClosing]),
        r(Tx(3), "no closing text", vec![NoClosing]),
        r(Tx(3), "get rid of the outro", vec![NoClosing]),
        r(Tx(3), "drop the ending text", vec![NoClosing]),
        r(Tx(3), "去掉片尾", vec![NoClosing]),
        r(Tx(3), "remove the title", vec![NoTitle]),
        r(Tx(3), "去掉标题", vec![NoTitle]),
        r(Tx(3), "lose the heading", vec![NoTitle]),
        r(Tx(3), "标题不要了", vec![NoTitle]),
        r(Tx(3), "no title and no outro", vec![NoTitle, NoClosing]),
        r(Tx(3), "title: Road Trip!", vec![Title("Road Trip!")]),
        r(
            Tx(3),
            "change the ending to See ya",
            vec![Closing("See ya")],
        ),
        // ---- pacing: each photo ----
        r(V(3), "2 seconds per photo", vec![Secs(2.0)]),
        r(V(4), "each photo 3s", vec![Secs(3.0)]),
        r(V(3), "show every picture for 1.5 seconds", vec![Secs(1.5)]),
        r(V(3), "two seconds per photo", vec![Secs(2.0)]),
        r(V(3), "photos for half a second each", vec![Secs(0.5)]),
        r(V(3), "one and a half seconds per image", vec![Secs(1.5)]),
        r(V(3), "4 secs each pic", vec![Secs(4.0)]),
        r(V(4), "every picture five seconds", vec![Secs(5.0)]),
        r(V(3), "each slide 3 seconds", vec![Secs(3.0)]),
        r(
            V(3),
            "every photo should be on screen for 6 seconds",
            vec![Secs(6.0)],
        ),
        r(V(3), "每张照片2秒", vec![Secs(2.0)]),
        r(V(3), "每张两秒", vec![Secs(2.0)]),
        r(V(3), "每张照片一秒半", vec![Secs(1.5)]),
        r(V(3), "每张照片停留十秒", vec![Secs(10.0)]),
        r(V(4), "每张图片4秒", vec![Secs(4.0)]),
        r(U(3), "2 seconds per photo", vec![Secs(2.0)]),
        r(U(3), "每张照片3秒", vec![Secs(3.0)]),
        // ---- pacing: the whole video ----
        r(V(4), "make the whole video 20 seconds", vec![Total(20.0)]),
        r(
            V(4),
            "I want the whole thing to be 20 seconds",
            vec![Total(20.0)],
        ),
        r(V(4), "20 seconds in total", vec![Total(20.0)]),
        r(V(4), "overall 20 seconds please", vec![Total(20.0)]),
        r(
            V(4),
            "the entire thing should last 20 seconds",
            vec![Total(20.0)],
        ),
        r(V(3), "make it 15 seconds long", vec![Total(15.0)]),
        r(V(3), "make the video 30 seconds long", vec![Total(30.0)]),
        r(V(4), "can the video be twenty seconds", vec![Total(20.0)]),
        r(V(3), "total length 12 seconds", vec![Total(12.0)]),
        r(V(4), "keep it under 30 seconds overall", vec![Total(30.0)]),
        r(
            V(4),
            "no longer than 20 seconds in total",
            vec![Total(20.0)],
        ),
        r(V(4), "整个视频20秒以内", vec![Total(20.0)]),
        r(V(4), "总长20秒", vec![Total(20.0)]),
        r(V(4), "make it 20 seconds", vec![Total(20.0)]),
        r(V(4), "can you make it about 45 seconds", vec![Total(45.0)]),
        r(V(4), "I want a 20 second video", vec![Total(20.0)]),
        r(V(3), "make it 2 seconds", vec![Secs(2.0)]),
        r(V(4), "做成20秒", vec![Total(20.0)]),
        r(V(4), "整个视频20秒", vec![Total(20.0)]),
        r(V(3), "视频一共15秒", vec![Total(15.0)]),
        r(V(4), "整个视频做成三十秒", vec![Total(30.0)]),
        r(U(4), "make the whole video 20 seconds", vec![Total(20.0)]),
        r(U(4), "总长20秒", vec![Total(20.0)]),
        r(
            V(3),
            "标题：东京，片尾：再见",
            vec![Title("东京"), Closing("再见")],
        ),
        r(
            V(3),
            "转场两秒，每张照片三秒",
            vec![TransMs(1500), Secs(3.0)],
        ),
        // ---- relative pacing ----
        r(V(3), "slower", vec![Secs(5.3)]),
        r(V(3), "a bit slower please", vec![Secs(5.3)]),
        r(V(3), "speed it up", vec![Secs(2.3)]),
        r(V(3), "faster", vec![Secs(2.3)]),
        r(V(3), "慢一点", vec![Secs(5.3)]),
        r(V(3), "快一点", vec![Secs(2.3)]),
        // ---- transitions ----
        r(V(3), "crossfade transitions", vec![]),
        r(V(3), "fade through black", vec![Kind(T::FadeBlack)]),
        r(
            V(3),
            "dip to black between photos",
            vec![Kind(T::FadeBlack)],
        ),
        r(V(3), "wipe transitions", vec![Kind(T::Wipe)]),
        r(V(3), "use a wipe", vec![Kind(T::Wipe)]),
        r(V(3), "slide transitions", vec![Kind(T::Slide)]),
        r(V(3), "no transitions", vec![Kind(T::None)]),
        r(V(3), "just hard cuts", vec![Kind(T::None)]),
        r(V(3), "get rid of the transitions", vec![Kind(T::None)]),
        r(V(3), "黑场过渡", vec![Kind(T::FadeBlack)]),
        r(V(3), "擦除转场", vec![Kind(T::Wipe)]),
        r(V(3), "滑动", vec![Kind(T::Slide)]),
        r(V(3), "无转场", vec![Kind(T::None)]),
        r(V(3), "不要转场", vec![Kind(T::None)]),
        r(V(3), "1 second transitions", vec![TransMs(1000)]),
        r(V(3), "transitions of 0.5s", vec![TransMs(500)]),
        r(V(3), "转场1秒", vec![TransMs(1000)]),
        r(V(3), "过渡半秒", vec![TransMs(500)]),
        r(V(3), "slower transitions", vec![TransMs(1100)]),
        r(V(3), "shorter transitions", vec![TransMs(500)]),
        r(U(3), "use a wipe", vec![Kind(T::Wipe)]),
        // ---- Ken Burns ----
        r(V(3), "turn off the ken burns effect", vec![Kb(false)]),
        r(V(3), "no zoom", vec![Kb(false)]),
        r(V(3), "let the photos sit still", vec![Kb(false)]),
        r(V(3), "keep the pictures still", vec![Kb(false)]),
        r(V(3), "stop the zooming", vec![Kb(false)]),
        r(V(3), "照片别动来动去", vec![Kb(false)]),
        r(V(3), "关闭缩放效果", vec![Kb(false)]),
        r(V(3), "不要缩放", vec![Kb(false)]),
        r(V(3), "ken burns on", vec![]),
        r(U(3), "let the photos sit still", vec![Kb(false)]),
        // ---- music ----
        r(V(3), "add music", vec![Gen(Mood::LoFi)]),
        r(V(3), "calm music", vec![Gen(Mood::Calm)]),
        r(V(3), "upbeat music", vec![Gen(Mood::Upbeat)]),
        r(V(3), "something lo-fi", vec![Gen(Mood::LoFi)]),
        r(V(3), "happy background music", vec![Gen(Mood::Upbeat)]),
        r(V(3), "舒缓音乐", vec![Gen(Mood::Calm)]),
        r(V(3), "欢快的音乐", vec![Gen(Mood::Upbeat)]),
        r(V(3), "加点背景音乐", vec![Gen(Mood::LoFi)]),
        r(M(3, 100), "no music", vec![NoMusic]),
        r(M(3, 100), "remove the background music", vec![NoMusic]),
        r(M(3, 100), "去掉音乐", vec![NoMusic]),
        r(M(3, 100), "静音", vec![NoMusic]),
        r(M(3, 100), "volume 50%", vec![Vol(50)]),
        r(M(3, 100), "music at 60 percent", vec![Vol(60)]),
        r(M(3, 100), "set the volume to 40", vec![Vol(40)]),
        r(M(3, 100), "音量50%", vec![Vol(50)]),
        r(M(3, 100), "把音量调到30", vec![Vol(30)]),
        r(
            M(3, 60),
            "the music is too quiet, turn it up",
            vec![Vol(80)],
        ),
        r(M(3, 60), "bump up the music", vec![Vol(80)]),
        r(M(3, 60), "louder", vec![Vol(80)]),
        r(M(3, 60), "turn it up a bit", vec![Vol(80)]),
        r(M(3, 60), "crank up the music", vec![Vol(80)]),
        r(M(3, 60), "音乐太小声了", vec![Vol(80)]),
        r(M(3, 60), "音乐大声一点", vec![Vol(80)]),
        r(M(3, 60), "turn the music down", vec![Vol(40)]),
        r(M(3, 60), "the music is too loud", vec![Vol(40)]),
        r(M(3, 60), "make the music quieter", vec![Vol(40)]),
        r(M(3, 60), "音乐小声一点", vec![Vol(40)]),
        r(M(3, 60), "音乐太吵了", vec![Vol(40)]),
        rs(
            M(3, 100),
            "the music is too quiet, turn it up",
            vec![],
            &["100%"],
        ),
        rs(M(3, 100), "bump up the music", vec![], &["already at 100%"]),
        rs(M(3, 100), "音乐大声一点", vec![], &["已经是100%"]),
        r(M(3, 100), "switch to upbeat music", vec![Gen(Mood::Upbeat)]),
        // ---- canvas ----
        r(V(3), "make it 9:16", vec![Aspect(A::Portrait)]),
        r(
            V(3),
            "vertical for YouTube Shorts",
            vec![Aspect(A::Portrait)],
        ),
        r(V(3), "square please", vec![Aspect(A::Square)]),
        r(V(3), "竖屏", vec![Aspect(A::Portrait)]),
        r(V(3), "方形", vec![Aspect(A::Square)]),
        r(V(3), "720p", vec![Res(720)]),
        r(V(3), "9:16 in 720p", vec![Aspect(A::Portrait), Res(720)]),
        r(V(3), "1080p please", vec![]),
        // ---- photo order ----
        r(V(3), "move photo 3 to the front", vec![Order(&[3, 1, 2])]),
        r(
            V(4),
            "move the last photo to the start",
            vec![Order(&[4, 1, 2, 3])],
        ),
        r(
            V(3),
            "put the second picture at the end",
            vec![Order(&[1, 3, 2])],
        ),
        r(V(3), "move beach.jpg to the end", vec![Order(&[2, 3, 1])]),
        r(V(3), "put city.png first", vec![Order(&[3, 1, 2])]),
        r(V(4), "swap photos 1 and 3", vec![Order(&[3, 2, 1, 4])]),
        r(
            V(4),
            "switch the first and last pics",
            vec![Order(&[4, 2, 3, 1])],
        ),
        r(V(4), "remove photo 3", vec![Order(&[1, 2, 4])]),
        r(V(4), "delete the third photo", vec![Order(&[1, 2, 4])]),
        r(V(4), "remove the last photo", vec![Order(&[1, 2, 3])]),
        r(V(4), "drop photos 2 and 4", vec![Order(&[1, 3])]),
        r(V(4), "get rid of beach.jpg", vec![Order(&[2, 3, 4])]),
        r(V(3), "reverse the order", vec![Order(&[3, 2, 1])]),
        r(V(3), "把第2张移到最前", vec![Order(&[2, 1, 3])]),
        r(V(4), "把最后一张放到第一张", vec![Order(&[4, 1, 2, 3])]),
        r(V(4), "交换第1张和第3张", vec![Order(&[3, 2, 1, 4])]),
        r(V(4), "删除第3张", vec![Order(&[1, 2, 4])]),
        r(V(4), "删掉最后一张", vec![Order(&[1, 2, 3])]),
        r(V(4), "把海边.jpg去掉", vec![Order(&[1, 3, 4])]),
        r(V(3), "删除海边.jpg", vec![Order(&[1, 3])]),
        r(V(4), "把海边.jpg移到最后", vec![Order(&[1, 3, 4, 2])]),
        r(V(3), "倒序", vec![Order(&[3, 2, 1])]),
        r(U(4), "remove the last photo", vec![Order(&[1, 2, 3])]),
        // ---- several wishes ----
        r(
            V(4),
            "move the last photo to the front and use a wipe",
            vec![Order(&[4, 1, 2, 3]), Kind(T::Wipe)],
        ),
        r(
            V(4),
            "no transitions and remove the last photo",
            vec![Kind(T::None), Order(&[1, 2, 3])],
        ),
        r(
            V(3),
            "2 seconds per photo, wipe transitions, 9:16",
            vec![Secs(2.0), Kind(T::Wipe), Aspect(A::Portrait)],
        ),
        r(
            V(3),
            "每张照片2秒，擦除转场，竖屏",
            vec![Secs(2.0), Kind(T::Wipe), Aspect(A::Portrait)],
        ),
        r(
            V(3),
            "title: Lisbon then calm music",
            vec![Title("Lisbon"), Gen(Mood::Calm)],
        ),
        r(
            V(4),
            "swap photos 1 and 2 and make it square",
            vec![Order(&[2, 1, 3, 4]), Aspect(A::Square)],
        ),
        r(
            V(3),
            "no zoom, also slide transitions",
            vec![Kb(false), Kind(T::Slide)],
        ),
        r(
            V(4),
            "把第2张移到最前，然后用擦除转场",
            vec![Order(&[2, 1, 3, 4]), Kind(T::Wipe)],
        ),
        r(
            V(4),
            "删掉最后一张并且不要转场",
            vec![Order(&[1, 2, 3]), Kind(T::None)],
        ),
        r(
            V(3),
            "标题：夏天，音乐欢快一点",
            vec![Title("夏天"), Gen(Mood::Upbeat)],
        ),
        r(
            V(3),
            "calm music and 3 seconds per photo",
            vec![Gen(Mood::Calm), Secs(3.0)],
        ),
        r(
            V(3),
            "make it vertical but keep the photos still",
            vec![Aspect(A::Portrait), Kb(false)],
        ),
        r(
            U(3),
            "make a video with calm music, 2 seconds per photo, title 'Iceland 2026'",
            vec![Gen(Mood::Calm), Secs(2.0), Title("Iceland 2026")],
        ),
        r(
            U(4),
            "把这些照片做成视频，每张3秒，竖屏",
            vec![Secs(3.0), Aspect(A::Portrait)],
        ),
        // ---- casual wording, typos, numbers in words ----
        r(V(3), "pls make each photo 3 sec", vec![Secs(3.0)]),
        r(V(3), "3 secs per pic plz", vec![Secs(3.0)]),
        r(V(3), "each pic for ten seconds", vec![Secs(10.0)]),
        r(
            V(3),
            "make every photo last two and a half seconds",
            vec![Secs(2.5)],
        ),
        r(V(3), "can u make it slower", vec![Secs(5.3)]),
        r(V(3), "way too fast, slow it down", vec![Secs(5.3)]),
        r(V(3), "it's too slow", vec![Secs(2.3)]),
        r(V(3), "太快了", vec![Secs(5.3)]),
        r(V(3), "照片切换太慢了", vec![Secs(2.3)]),
        r(V(3), "transitions 1s", vec![TransMs(1000)]),
        r(
            V(3),
            "make the transitions half a second",
            vec![TransMs(500)],
        ),
        r(V(3), "fade to black between pics", vec![Kind(T::FadeBlack)]),
        r(V(3), "use wipes", vec![Kind(T::Wipe)]),
        r(V(3), "i want slide transitions", vec![Kind(T::Slide)]),
        r(V(3), "no fancy transitions, just cut", vec![Kind(T::None)]),
        r(V(3), "turn the zoom off", vec![Kb(false)]),
        r(V(3), "no ken burns pls", vec![Kb(false)]),
        r(V(3), "make it vertical", vec![Aspect(A::Portrait)]),
        r(V(3), "for youtube shorts", vec![Aspect(A::Portrait)]),
        r(
            V(3),
            "make it square for instagram",
            vec![Aspect(A::Square)],
        ),
        r(V(3), "lower res 720p is fine", vec![Res(720)]),
        r(V(3), "add some chill music", vec![Gen(Mood::LoFi)]),
        r(V(3), "put on some relaxing music", vec![Gen(Mood::Calm)]),
        r(V(3), "energetic music please!", vec![Gen(Mood::Upbeat)]),
        r(M(3, 100), "kill the music", vec![NoMusic]),
        r(M(3, 100), "music off", vec![NoMusic]),
        r(M(3, 100), "turn the music off", vec![NoMusic]),
        r(M(3, 100), "music volume 70 percent", vec![Vol(70)]),
        r(M(3, 80), "a little quieter", vec![Vol(60)]),
        r(M(3, 40), "the music is way too quiet", vec![Vol(60)]),
        r(V(4), "move pic 4 to the start", vec![Order(&[4, 1, 2, 3])]),
        r(V(4), "put photo 1 at the end", vec![Order(&[2, 3, 4, 1])]),
        r(
            V(4),
            "swap the 2nd and 3rd photos",
            vec![Order(&[1, 3, 2, 4])],
        ),
        r(V(4), "delete photo #2", vec![Order(&[1, 3, 4])]),
        r(V(4), "take out the first picture", vec![Order(&[2, 3, 4])]),
        r(V(4), "flip the order", vec![Order(&[4, 3, 2, 1])]),
        r(V(3), "reverse it", vec![Order(&[3, 2, 1])]),
        r(V(3), "title - Summer Vibes", vec![Title("Summer Vibes")]),
        r(
            V(3),
            "the title should be Our Wedding",
            vec![Title("Our Wedding")],
        ),
        r(V(3), "call it: Tokyo 2025", vec![Title("Tokyo 2025")]),
        r(V(3), "name the video Paris?", vec![Title("Paris?")]),
        r(
            V(3),
            "end text: thanks for watching!",
            vec![Closing("thanks for watching!")],
        ),
        r(V(3), "每张照片放三秒", vec![Secs(3.0)]),
        r(V(3), "每张图停两秒半", vec![Secs(2.5)]),
        r(V(3), "节奏慢一些", vec![Secs(5.3)]),
        r(V(3), "再快点", vec![Secs(2.3)]),
        r(V(3), "转场改成黑场", vec![Kind(T::FadeBlack)]),
        r(V(3), "用滑动转场", vec![Kind(T::Slide)]),
        r(V(3), "去掉转场", vec![Kind(T::None)]),
        r(V(3), "转场两秒", vec![TransMs(1750)]),
        r(V(3), "关掉肯伯恩斯", vec![Kb(false)]),
        r(V(3), "照片不要动", vec![Kb(false)]),
        r(V(3), "改成竖版", vec![Aspect(A::Portrait)]),
        r(V(3), "做成方形的", vec![Aspect(A::Square)]),
        r(V(3), "分辨率720p", vec![Res(720)]),
        r(V(3), "加一段轻松的音乐", vec![Gen(Mood::Calm)]),
        r(V(3), "配乐换成舒缓的", vec![Gen(Mood::Calm)]),
        r(M(3, 100), "不要音乐了", vec![NoMusic]),
        r(M(3, 100), "音量调到六十", vec![Vol(60)]),
        r(M(3, 60), "背景音乐声音大一点", vec![Vol(80)]),
        r(V(4), "把第四张放到最前面", vec![Order(&[4, 1, 2, 3])]),
        r(V(4), "第一张和第二张换一下位置", vec![Order(&[2, 1, 3, 4])]),
        r(V(4), "删掉第二张和第四张", vec![Order(&[1, 3])]),
        r(V(3), "顺序反过来", vec![Order(&[3, 2, 1])]),
        r(V(3), "标题：我们的夏天！", vec![Title("我们的夏天！")]),
        r(V(3), "片尾写 谢谢观看", vec![Closing("谢谢观看")]),
        r(
            U(3),
            "每张2秒，加欢快音乐",
            vec![Secs(2.0), Gen(Mood::Upbeat)],
        ),
        r(U(3), "照片别动来动去", vec![Kb(false)]),
        r(U(4), "把海边.jpg去掉", vec![Order(&[1, 3, 4])]),
        // ---- typos and more units ----
        r(V(3), "no transtions", vec![Kind(T::None)]),
        r(V(3), "wipe transitons", vec![Kind(T::Wipe)]),
        r(V(3), "add calm muisc", vec![Gen(Mood::Calm)]),
        r(V(3), "2 secnds per photo", vec![Secs(2.0)]),
        r(V(3), "3 sec per foto", vec![Secs(3.0)]),
        r(V(3), "titel: Summer", vec![Title("Summer")]),
        r(V(3), "make it a minute long", vec![Total(60.0)]),
        r(V(4), "half a minute in total", vec![Total(30.0)]),
        r(V(4), "整个视频一分钟", vec![Total(60.0)]),
        r(V(3), "每张照片五秒钟", vec![Secs(5.0)]),
        r(V(3), "title: “Our Trip”", vec![Title("Our Trip")]),
        r(V(3), "verticle please", vec![Aspect(A::Portrait)]),
        // ---- more several-wish messages ----
        r(
            V(4),
            "remove photo 2, then fade through black",
            vec![Order(&[1, 3, 4]), Kind(T::FadeBlack)],
        ),
        r(
            V(4),
            "put the last photo first, and no zoom",
            vec![Order(&[4, 1, 2, 3]), Kb(false)],
        ),
        r(
            V(4),
            "swap photos 1 and 4 and use slide transitions",
            vec![Order(&[4, 2, 3, 1]), Kind(T::Slide)],
        ),
        r(
            V(3),
            "title: Rome; closing text: Ciao!",
            vec![Title("Rome"), Closing("Ciao!")],
        ),
        r(
            V(3),
            "upbeat music, vertical, 720p",
            vec![Gen(Mood::Upbeat), Aspect(A::Portrait), Res(720)],
        ),
        r(
            V(4),
            "make the whole video 20 seconds and use a wipe",
            vec![Total(20.0), Kind(T::Wipe)],
        ),
        r(
            M(3, 60),
            "turn it up and make it square",
            vec![Vol(80), Aspect(A::Square)],
        ),
        r(
            V(3),
            "reverse the order and name it Backwards",
            vec![Order(&[3, 2, 1]), Title("Backwards")],
        ),
        r(
            V(4),
            "删除第一张，然后每张照片4秒",
            vec![Order(&[2, 3, 4]), Secs(4.0)],
        ),
        r(
            V(3),
            "标题：东京，片尾：再见，方形",
            vec![Title("东京"), Closing("再见"), Aspect(A::Square)],
        ),
        r(
            V(3),
            "不要缩放，另外转场用擦除",
            vec![Kb(false), Kind(T::Wipe)],
        ),
        r(
            M(3, 60),
            "音乐太吵了，还有照片别动",
            vec![Vol(40), Kb(false)],
        ),
        r(
            U(3),
            "name it Summer 2026 and use a wipe",
            vec![Title("Summer 2026"), Kind(T::Wipe)],
        ),
        r(
            U(4),
            "move the last photo to the front and use a wipe",
            vec![Order(&[4, 1, 2, 3]), Kind(T::Wipe)],
        ),
        r(U(3), "片尾：谢谢", vec![Closing("谢谢")]),
        r(
            V(3),
            "title: Salt and Pepper",
            vec![Title("Salt and Pepper")],
        ),
        r(
            V(3),
            "call it Tom and Jerry and make it square",
            vec![Title("Tom and Jerry"), Aspect(A::Square)],
        ),
        r(
            V(3),
            "title: Iceland and closing text: Bye",
            vec![Title("Iceland"), Closing("Bye")],
        ),
        r(U(3), "竖屏", vec![Aspect(A::Portrait)]),
        r(U(3), "no transitions", vec![Kind(T::None)]),
        r(U(3), "calm music", vec![Gen(Mood::Calm)]),
        // ---- one wish not understood: said, not dropped ----
        rs(
            V(3),
            "wipe transitions, make it sparkle",
            vec![Kind(T::Wipe)],
            &["make it sparkle"],
        ),
        rs(
            V(3),
            "calm music then make it pop more",
            vec![Gen(Mood::Calm)],
            &["make it pop more"],
        ),
        rs(
            V(3),
            "竖屏，加点魔法",
            vec![Aspect(A::Portrait)],
            &["加点魔法"],
        ),
        rs(
            V(3),
            "2 seconds per photo, add a logo",
            vec![Secs(2.0)],
            &["logo"],
        ),
        rs(V(3), "方形，加水印", vec![Aspect(A::Square)], &["水印"]),
        r(V(3), "square please, thanks!", vec![Aspect(A::Square)]),
        // ---- out of scope ----
        oos(V(3), "add my logo in the corner", "logo"),
        oos(V(3), "4K 60 fps please", "4K"),
        oos(V(3), "can you do 60 fps", "60 fps"),
        oos(V(3), "add a watermark", "watermark"),
        oos(V(3), "add subtitles to each photo", "subtitles"),
        oos(V(3), "put a vintage filter on the photos", "filter"),
        oos(V(3), "加个logo", "logo"),
        oos(V(3), "加水印", "水印"),
        oos(V(3), "导出4K", "4K"),
        oos(V(3), "给照片加滤镜", "滤镜"),
        rs(
            V(3),
            "make it 4K and vertical",
            vec![Aspect(A::Portrait)],
            &["4K"],
        ),
        rs(V(3), "1080p at 60fps", vec![], &["60fps"]),
        rs(U(3), "make a video in 4K", vec![], &["4K", "1080p"]),
        oos(V(3), "add captions under every photo", "captions"),
        oos(V(3), "make it black and white", "black and white"),
        oos(V(3), "add a voiceover", "voiceover"),
        oos(V(3), "加字幕", "字幕"),
        oos(V(3), "帧率改成60", "帧率"),
        oos(V(3), "照片调成黑白的", "黑白"),
        oos(V(3), "add a sticker", "sticker"),
        r(V(3), "结尾字幕：谢谢", vec![Closing("谢谢")]),
        // ---- not understood ----
        rs(V(3), "hello", vec![], &["I can"]),
        rs(V(3), "你好", vec![], &["我可以"]),
    ]
}

#[test]
fn every_utterance_changes_exactly_what_it_asks() {
    let rows = rows();
    let zh = rows.iter().filter(|r| is_zh(r.msg)).count();
    let wrong: Vec<String> = rows.iter().filter_map(check).collect();
    assert!(
        wrong.is_empty(),
        "{} of {} rows wrong ({} Chinese):\n{}",
        wrong.len(),
        rows.len(),
        zh,
        wrong.join("\n")
    );
    assert!(rows.len() >= 150, "{} rows", rows.len());
}

/// The longest message the client sends (20,000 characters), written to
/// hit every keyword search at once, one clause: planning stays linear.
#[test]
fn a_long_message_of_keywords_is_planned_quickly() {
    for unit in [
        "no transitions no music remove the title ",
        "move photo 2 to the front and use a wipe ",
        "the first and last pics 2nd and 3rd photos ",
        "把海边.jpg去掉和第二张再不要转场",
        "logo 4k fps filter vintage filter ",
        "calm music with wipe transitions and a title ",
        "volume 5 seconds per photo 7 ",
        "title: a and title: b and name it c and ",
    ] {
        let msg = unit.repeat(20_000 / unit.len());
        let (mut s, _) = start(St::M(4, 60));
        let t0 = std::time::Instant::now();
        plan_turn(&mut s, &msg, "e-1");
        let took = t0.elapsed();
        assert!(took.as_secs_f64() < 2.0, "{unit:?}: {took:?}");
    }
}

/// Rows from a file, for measuring the agent on requests written by people
/// who have not seen this table: `IMG2YT_UTTERANCES=rows.txt cargo test
/// --lib blind -- --ignored --nocapture`. Each line is `STATE | message |
/// changes` (`V3`, `U4`, `M4_80`, `T3`; `Secs(2)`, `Total(20)`,
/// `AtMost(30)`, `Slower`, `Faster`, `LongerTrans`, `ShorterTrans`,
/// `Kind(wipe)`, `TransSecs(1)`, `Kb(off)`, `Title(x)`, `NoTitle`,
/// `Closing(x)`, `NoClosing`, `Gen(calm)`, `Vol(60)`, `Louder`, `Quieter`,
/// `NoMusic`, `Aspect(square)`, `Res(720)`, `Order(2,1,3)`, `Same`,
/// `OOS(word)`, `ASK`).
#[test]
#[ignore]
fn blind_rows_from_file() {
    let Ok(path) = std::env::var("IMG2YT_UTTERANCES") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("rows file");
    let (n, wrong) = run_rows(&text);
    println!(
        "{}\n{} of {n} rows right",
        wrong.join("\n"),
        n - wrong.len()
    );
}

/// Rows written by people who had read only the README's table, never
/// this code or the table above (tests/utterances/): every one must pass.
#[test]
fn rows_written_from_the_readme_alone() {
    for (name, text) in [
        (
            "readme-only-1",
            include_str!("../../../tests/utterances/readme-only-1.txt"),
        ),
        (
            "readme-only-2",
            include_str!("../../../tests/utterances/readme-only-2.txt"),
        ),
        (
            "readme-only-3",
            include_str!("../../../tests/utterances/readme-only-3.txt"),
        ),
        (
            "readme-only-4",
            include_str!("../../../tests/utterances/readme-only-4.txt"),
        ),
        (
            "readme-only-5",
            include_str!("../../../tests/utterances/readme-only-5.txt"),
        ),
        (
            "readme-only-6",
            include_str!("../../../tests/utterances/readme-only-6.txt"),
        ),
        (
            "readme-only-7",
            include_str!("../../../tests/utterances/readme-only-7.txt"),
        ),
        (
            "readme-only-8",
            include_str!("../../../tests/utterances/readme-only-8.txt"),
        ),
    ] {
        let (n, wrong) = run_rows(text);
        assert!(
            wrong.is_empty(),
            "{name}: {} of {n} rows wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        assert!(n >= 150, "{name}: {n} rows");
    }
}

/// Check every `STATE | message | changes` line: (rows read, what failed).
fn run_rows(text: &str) -> (usize, Vec<String>) {
    let (mut n, mut wrong) = (0, Vec::new());
    for line in text
        .lines()
        .filter(|l| l.contains('|') && !l.starts_with('#'))
    {
        let mut parts = line.splitn(3, '|').map(str::trim);
        let (st, msg, want) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap_or(""),
        );
        let Some(row) = blind_row(st, msg, want) else {
            wrong.push(format!("unreadable row: {line}"));
            continue;
        };
        n += 1;
        if let Some(w) = check_blind(&row) {
            wrong.push(w);
        }
    }
    (n, wrong)
}

/// A relative change the blind rows may ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rel {
    Slower,
    Faster,
    LongerTrans,
    ShorterTrans,
    Louder,
    Quieter,
}

struct BlindRow {
    row: Row,
    rel: Vec<Rel>,
    at_most: Option<f64>,
    ask: bool,
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn blind_row(st: &str, msg: &str, want: &str) -> Option<BlindRow> {
    let n = |s: &str| s.parse::<usize>().ok();
    let st = match st.split_at(1) {
        ("V", k) => St::V(n(k)?),
        ("U", k) => St::U(n(k)?),
        ("T", k) => St::Tx(n(k)?),
        ("M", k) => {
            let (a, b) = k.split_once('_').unwrap_or((k, "100"));
            St::M(n(a)?, b.parse().ok()?)
        }
        _ => return None,
    };
    let mut b = BlindRow {
        row: rs(st, leak(msg), vec![], &[]),
        rel: vec![],
        at_most: None,
        ask: false,
    };
    for c in want.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let (name, arg) = match c.split_once('(') {
            Some((a, r)) => (a.trim(), r.strip_suffix(')')?.trim()),
            None => (c, ""),
        };
        let f = || arg.parse::<f64>().ok();
        let ch = match name {
            "Secs" => Ch::Secs(f()?),
            "Total" => Ch::Total(f()?),
            "AtMost" => {
                b.at_most = Some(f()?);
                Ch::Total(f()?)
            }
            "Kind" => Ch::Kind(match arg {
                "crossfade" => T::Crossfade,
                "fadeblack" => T::FadeBlack,
                "wipe" => T::Wipe,
                "slide" => T::Slide,
                "none" => T::None,
                _ => return None,
            }),
            "TransSecs" => Ch::TransMs((f()? * 1000.0).round() as u64),
            "Kb" => Ch::Kb(arg == "on"),
            "Title" => Ch::Title(leak(arg)),
            "NoTitle" => Ch::NoTitle,
            "Closing" => Ch::Closing(leak(arg)),
            "NoClosing" => Ch::NoClosing,
            "Gen" => Ch::Gen(match arg {
                "calm" => Mood::Calm,
                "upbeat" => Mood::Upbeat,
                "lofi" => Mood::LoFi,
                _ => return None,
            }),
            "Vol" => Ch::Vol(f()? as u32),
            "NoMusic" => Ch::NoMusic,
            "Aspect" => Ch::Aspect(match arg {
                "portrait" => A::Portrait,
                "square" => A::Square,
                "landscape" => A::Landscape,
                _ => return None,
            }),
            "Res" => Ch::Res(f()? as u32),
            "Order" => {
                let o: Option<Vec<usize>> = arg.split(',').map(|x| n(x.trim())).collect();
                Ch::Order(Box::leak(o?.into_boxed_slice()))
            }
            "Same" => continue,
            "OOS" => {
                b.row.says.push(leak(arg));
                continue;
            }
            "ASK" => {
                b.ask = true;
                continue;
            }
            rel => {
                b.rel.push(match rel {
                    "Slower" => Rel::Slower,
                    "Faster" => Rel::Faster,
                    "LongerTrans" => Rel::LongerTrans,
                    "ShorterTrans" => Rel::ShorterTrans,
                    "Louder" => Rel::Louder,
                    "Quieter" => Rel::Quieter,
                    _ => return None,
                });
                continue;
            }
        };
        b.row.want.push(ch);
    }
    Some(b)
}

/// `check` for a blind row: relative changes are checked by direction, an
/// upper bound by not being exceeded.
fn check_blind(b: &BlindRow) -> Option<String> {
    let (mut s, before) = start(b.row.st);
    let turn = plan_turn(&mut s, b.row.msg, "e-1");
    let reply = said(&turn.steps);
    let fail = |why: String| {
        Some(format!(
            "{:?} {:?}: {why}\n   reply: {reply}",
            b.row.st, b.row.msg
        ))
    };
    let Some(after) = Slideshow::from_draft(&s.draft) else {
        return fail("no video afterwards".into());
    };
    let mut want = expect(&before, &after, &b.row.want, b.row.msg);
    if let Some(max) = b.at_most {
        let d = after.duration_ms() as f64;
        if d <= max * 1000.0 + 1.0 && d > max * 1000.0 * 0.7 {
            want.photos = after.photos.clone();
        }
    }
    let moved = |a: u64, b: u64, up: bool| if up { a > b } else { a < b };
    for r in &b.rel {
        match r {
            Rel::Slower | Rel::Faster => {
                let (a, z) = (after.photos[0].ms, before.photos[0].ms);
                if moved(a, z, *r == Rel::Slower) {
                    want.photos.iter_mut().for_each(|p| p.ms = a);
                }
            }
            Rel::LongerTrans | Rel::ShorterTrans => {
                if moved(
                    after.transition.ms,
                    before.transition.ms,
                    *r == Rel::LongerTrans,
                ) {
                    want.transition.ms = after.transition.ms;
                }
            }
            Rel::Louder | Rel::Quieter => {
                let v = |s: &Slideshow| s.music.as_ref().map(|m| m.volume as u64).unwrap_or(0);
                if moved(v(&after), v(&before), *r == Rel::Louder) {
                    want.music = after.music.clone();
                }
            }
        }
    }
    let mut why = Vec::new();
    if after != want {
        why.push(diff(&want, &after));
    }
    for needle in &b.row.says {
        if !reply.to_lowercase().contains(&needle.to_lowercase()) {
            why.push(format!("reply lacks {needle:?}"));
        }
    }
    if b.ask && !reply.contains('?') && !reply.contains('？') {
        why.push("no question asked".into());
    }
    (!why.is_empty()).then(|| fail(why.join("; "))).flatten()
}

/// The fields of two slideshows that differ, as `field: want → got`.
fn diff(want: &Slideshow, got: &Slideshow) -> String {
    let mut out = Vec::new();
    let mut field = |name: &str, w: String, g: String| {
        if w != g {
            out.push(format!("{name}: {w} → {g}"));
        }
    };
    let photos = |s: &Slideshow| {
        s.photos
            .iter()
            .map(|p| format!("{}@{}", p.name, p.ms))
            .collect::<Vec<_>>()
            .join(",")
    };
    field("photos", photos(want), photos(got));
    field(
        "transition",
        format!("{:?}", want.transition),
        format!("{:?}", got.transition),
    );
    field(
        "ken_burns",
        want.ken_burns.to_string(),
        got.ken_burns.to_string(),
    );
    field(
        "title",
        format!("{:?}", want.title),
        format!("{:?}", got.title),
    );
    field(
        "closing",
        format!("{:?}", want.closing),
        format!("{:?}", got.closing),
    );
    field(
        "music",
        format!("{:?}", want.music),
        format!("{:?}", got.music),
    );
    field(
        "canvas",
        format!("{:?}", want.canvas),
        format!("{:?}", got.canvas),
    );
    out.join("; ")
}
