//! What a message asks for: [`parse`] turns one chat message (English or
//! Chinese, with numbers and quoted text) into a list of [`Edit`]s. Pure:
//! it knows nothing of the draft, the uploads or the reply; `apply` does.
//!
//! A message is cut into clauses (`words::clauses`) and every clause is
//! read for each kind of wish, so "make a video with calm music, 2 seconds
//! per photo, title 'Iceland 2026'" is four edits. A number belongs to the
//! nearest keyword in its clause ("2 seconds per photo and 1 second
//! transitions"). A clause that moves, swaps or removes photos is also
//! read, part by part ("and", 和, 并), for other wishes; an unquoted title
//! ends at an "and" that starts another wish. Relative wishes stay
//! relative ("too quiet", "bump up the music" → `Louder`, never "add
//! music"). Every search is done once per clause and looked up by
//! position, so a 20,000-character message is planned in linear time.

use super::words::{
    self, durations, find_all, find_any, gap, has, numbers, percents, quote_marks, Lang,
};
use crate::server::slideshow::{Aspect, Mood, TransitionKind};

/// One change the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Make the video from the uploaded photos (or rebuild it).
    Make,
    /// Every photo stays this many seconds.
    PhotoSeconds(f64),
    /// The whole video lasts about this many seconds.
    TotalSeconds(f64),
    /// The whole video lasts at most this many seconds ("under 30
    /// seconds", 30秒以内).
    TotalAtMost(f64),
    Slower,
    Faster,
    /// Every photo this many seconds longer (negative: shorter): "half a
    /// second longer per photo", 每张多放一秒.
    PhotoDelta(f64),
    /// The whole video this many seconds longer or shorter.
    TotalDelta(f64),
    /// Transitions this many seconds longer or shorter.
    TransitionDelta(f64),
    /// The music's volume times this ("half as loud", 音量减半).
    VolumeTimes(f64),
    /// Every photo this many times as long ("double how long each photo
    /// stays").
    PhotoTimes(f64),
    /// Transitions this many times as long ("twice as long").
    TransitionTimes(f64),
    /// The photos in this order, the ones not named after them in the
    /// order they had ("Sequence: 2, 1, 3", "new order: forest.jpg,
    /// beach.jpg").
    Order(Vec<Sel>),
    Transition(TransitionKind),
    TransitionSeconds(f64),
    LongerTransitions,
    ShorterTransitions,
    KenBurns(bool),
    Title(String),
    RemoveTitle,
    Closing(String),
    RemoveClosing,
    /// Some music: the uploaded audio if there is one, else a generated
    /// track.
    Music,
    MusicMood(Mood),
    /// The uploaded audio file (this one, or the latest).
    MusicUpload(Option<String>),
    /// Percent; 100 is YouTube's reference loudness.
    MusicVolume(u32),
    Louder,
    Quieter,
    NoMusic,
    Aspect(Aspect),
    /// The short side: 720 or 1080.
    Resolution(u32),
    MovePhoto {
        from: Sel,
        to: Sel,
    },
    SwapPhotos(Sel, Sel),
    RemovePhotos(Vec<Sel>),
    ReversePhotos,
    Undo,
    /// A wish too vague to carry out without guessing: ask back, change
    /// nothing.
    Ask(Ask),
}

/// What the agent asks when a wish leaves something open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ask {
    /// "remove a photo", "swap them": which one(s)?
    WhichPhoto,
    /// "change the transition": to which kind?
    WhichTransition,
    /// "3 seconds per photo and the whole video 30 seconds": both cannot
    /// be (seconds per photo, seconds in all).
    PhotoOrTotal(f64, f64),
    /// "change the music": to which?
    WhichMusic,
    /// "adjust the volume": to what?
    WhichVolume,
    /// "change the title": to what words?
    TitleText,
    /// "make it 5": five what?
    Unit(f64),
}

/// Which photo: by position (1-based), the last one, counted from the end
/// (2: "second to last", 倒数第二张), or by file name.
#[derive(Debug, Clone, PartialEq)]
pub enum Sel {
    Nth(usize),
    Last,
    FromEnd(usize),
    Name(String),
    /// Just before / after another photo (a place to move to).
    Before(Box<Sel>),
    After(Box<Sel>),
}

const UNDO: &[&str] = &[
    "undo",
    "revert",
    "go back",
    "take that back",
    "change it back",
    "put it back",
    "撤销",
    "撤回",
    "上一步",
    "恢复原样",
    "还原",
];
const MAKE: &[&str] = &[
    "video",
    "vid",
    "film",
    "movie",
    "slideshow",
    "slide show",
    "montage",
    "turn these",
    "make these",
    "turn them",
    "turn my",
    "convert",
    "create",
    "视频",
    "幻灯片",
    "影片",
    "短片",
    "做成",
    "制作",
    "生成",
];
/// Words that undo a wish about the target that follows them ("no music",
/// "I don't want any zooming", "get rid of the title", 不要转场): see
/// [`negated`].
const REMOVE: &[&str] = &[
    "remove",
    "delete",
    "drop",
    "cut",
    "take out",
    "take away",
    "get rid of",
    "lose",
    "ditch",
    "scrap",
    "kill",
    "no",
    "without",
    "clear",
    "turn off",
    "switch off",
    "disable",
    "stop",
    "skip",
    "don't want",
    "dont want",
    "not want",
    "not need",
    "no want",
    "do not want",
    "don't need",
    "dont need",
    "do not need",
    "don't use",
    "do not use",
    "no need for",
    "去掉",
    "去除",
    "删除",
    "删掉",
    "不要",
    "不想要",
    "不需要",
    "不用",
    "取消",
    "移除",
    "拿掉",
    "撤掉",
    "关闭",
    "关掉",
    "停止",
    "没有",
    "别",
    "无",
];
const PHOTO_NOUNS: &[&str] = &[
    "photo",
    "photos",
    "picture",
    "pictures",
    "image",
    "images",
    "pic",
    "pics",
    "slide",
    "slides",
    "shot",
    "shots",
    "snap",
    "snaps",
    "frame",
    "frames",
    "photograph",
    "photographs",
    "one",
];
const ORDINALS: &[(&str, usize)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
];
const TRANSITION_WORDS: &[&str] = &[
    "transition",
    "transitions",
    "crossfade",
    "crossfades",
    "fade",
    "fades",
    "wipe",
    "wipes",
    "dissolve",
    "转场",
    "过渡",
    "淡入淡出",
    "交叉淡化",
    "擦除",
    "滑动",
    "黑场",
];
const PER_PHOTO_WORDS: &[&str] = &[
    "photo", "photos", "picture", "pictures", "image", "images", "pic", "pics", "slide", "slides",
    "each", "per", "every", "照片", "图片", "每张", "张", "每幅", "每个",
];
const TOTAL_WORDS: &[&str] = &[
    "video",
    "long",
    "total",
    "in all",
    "whole",
    "entire",
    "overall",
    "altogether",
    "总长",
    "总共",
    "一共",
    "视频",
    "整个",
    "全长",
    "整体",
    "总时长",
    "总时间",
    "全片",
];
const MUSIC_WORDS: &[&str] = &[
    "music",
    "song",
    "track",
    "bgm",
    "soundtrack",
    "tune",
    "audio",
    "background music",
    "音乐",
    "配乐",
    "背景乐",
    "歌",
    "曲",
];
const VOLUME_WORDS: &[&str] = &["volume", "vol", "loudness", "level", "音量"];
/// Every word that names something a wish can be about (the text keys,
/// the music, its volume, the transitions, the motion), for [`negated`]
/// and the topic a clause leaves for the next: one list made of the others.
static ALL_TARGETS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    [
        TITLE_KEYS,
        CLOSING_KEYS,
        MUSIC_WORDS,
        VOLUME_WORDS,
        TRANSITION_NOUNS,
        KB_WORDS,
        &[
            "opening",
            "opening text",
            "credits",
            "sign off",
            "end card",
            "caption",
        ],
    ]
    .concat()
});
/// The nouns that name the transitions themselves (not one kind).
const TRANSITION_NOUNS: &[&str] = &["transition", "transitions", "转场", "过渡", "过渡效果"];
/// Ken Burns: the motion on the photos.
const KB_WORDS: &[&str] = &[
    "ken burns",
    "ken-burns",
    "kenburns",
    "zoom",
    "zooming",
    "zooms",
    "zoom in",
    "pan and zoom",
    "pan",
    "pans",
    "panning",
    "motion",
    "movement",
    "moving",
    "animation",
    "animations",
    "animated",
    "肯伯恩斯",
    "肯·伯恩斯",
    "缩放",
    "推拉",
    "运镜",
    "动态效果",
    "动效",
    "动画",
    "镜头移动",
    "移动效果",
    "放大缩小",
    "忽大忽小",
    "一直在动",
    "晃来晃去",
    "动来动去",
];
/// Photos that do not move: Ken Burns off.
const STILL: &[&str] = &[
    "static",
    "still photos",
    "sit still",
    "keep still",
    "stay still",
    "stand still",
    "photos still",
    "pictures still",
    "images still",
    "hold still",
    "not move",
    "don't move",
    "dont move",
    "stop moving",
    "静态",
    "静止",
    "照片不动",
    "别动",
    "不要动",
    "不动",
];

/// Whether the text between two targets joins them ("and the", "和", ",").
fn conj(between: &str) -> bool {
    let t = between.trim();
    // 开头结尾: Chinese joins two nouns with nothing between.
    if between.is_empty() {
        return true;
    }
    for w in [
        "and",
        "&",
        "or",
        "as well as",
        "plus",
        ",",
        "、",
        "和",
        "与",
        "跟",
        "以及",
        "还有",
    ] {
        if let Some(r) = t.strip_prefix(w) {
            return r
                .split_whitespace()
                .all(|x| ["the", "also", "both", "all", "its", "my"].contains(&x));
        }
    }
    false
}

/// Whether a wish about the target found at `spans` is undone: a
/// [`REMOVE`] word before it with no other target between them ("no
/// music", "I don't want any zooming", "remove the background music" but
/// not the music in "no zoom, with calm music"), or an off word right
/// after it ("music off", 音乐不要了).
fn negated(low: &str, spans: &[(usize, usize)]) -> bool {
    // Most clauses undo nothing: one look for any undoing word at all
    // before the finer reading (which looks up every target).
    let take_out = has(low, &["out"]) && has(low, &["take", "leave", "cut", "get"]);
    if spans.is_empty() || !has(low, REMOVE) && !has(low, OFF_WORDS) && !take_out {
        return false;
    }
    // One span per target, the longest ("opening text", not also
    // "opening"), so neighbours never overlap.
    let mut targets: Vec<(usize, usize)> = Vec::new();
    for t in find_any(low, &ALL_TARGETS) {
        match targets.last_mut() {
            Some(last) if t.0 < last.1 => last.1 = last.1.max(t.1),
            _ => targets.push(t),
        }
    }
    // "标题和结尾都不要了": the off word after the last of joined targets.
    let joined_end = |mut e: usize| {
        let mut k = targets.partition_point(|t| t.0 < e);
        while let Some(&(ns, ne)) = targets.get(k) {
            if !conj(&low[e..ns]) {
                break;
            }
            e = ne;
            k += 1;
        }
        e
    };
    // "take the music out", "leave the zoom out": the verb's other half.
    let split_verb = |s: usize, e: usize| {
        starts_word(low[e..].trim_start(), "out")
            && !find_any(
                &low[(0..=s.saturating_sub(24))
                    .rev()
                    .find(|&i| low.is_char_boundary(i))
                    .unwrap_or(0)..s],
                &["take", "leave", "cut", "get"],
            )
            .is_empty()
    };
    // "zoom thing is cringe turn it off", "the music, get rid of it": an
    // undoing verb on a pronoun later in the clause, with no other target
    // between.
    // Found once, looked up by place: a long clause stays linear.
    let offs = find_any(
        low,
        &[
            "turn it off",
            "switch it off",
            "turn that off",
            "turn them off",
            "get rid of it",
            "get rid of them",
            "remove it",
            "remove them",
            "kill it",
            "lose it",
            "drop it",
            "ditch it",
            "disable it",
            "stop it",
            "cut it",
            "take it out",
            "take it off",
        ],
    );
    let pronoun_off = |e: usize| {
        let i = offs.partition_point(|o| o.0 < e);
        offs.get(i).is_some_and(|&(s, _)| {
            let k = targets.partition_point(|t| t.0 < e);
            targets.get(k).is_none_or(|t| t.0 >= s)
        })
    };
    if spans.iter().any(|&(s, e)| {
        off_after(low, e) || off_after(low, joined_end(e)) || split_verb(s, e) || pronoun_off(e)
    }) {
        return true;
    }
    let negs = find_any(low, REMOVE);
    if negs.is_empty() {
        return false;
    }
    spans.iter().any(|&(s, _)| {
        // "remove the title and the closing text": targets joined by "and"
        // share the negation in front of the first.
        let mut s = s;
        let mut k = targets.partition_point(|t| t.1 <= s);
        while let Some(&(ps, pe)) = k.checked_sub(1).map(|k| &targets[k]) {
            if pe > s || !conj(&low[pe..s]) {
                break;
            }
            s = ps;
            k -= 1;
        }
        let i = negs.partition_point(|n| n.1 <= s);
        let Some(&(_, ne)) = i.checked_sub(1).map(|i| &negs[i]) else {
            return false;
        };
        // Another target between the negation and this one takes it.
        let j = targets.partition_point(|t| t.0 < ne);
        let between = targets[j..]
            .iter()
            .take_while(|t| t.0 < s)
            .any(|t| t.1 <= s);
        !between && s - ne <= 40
    })
}

/// Read a message (the edits only; the parser tests read this).
#[cfg(test)]
pub fn parse(msg: &str) -> Vec<Edit> {
    parse_all(msg, &[]).0
}

/// Words that ask for nothing: a clause of only these is not a wish.
const FILLER: &[&str] = &[
    "please", "pls", "plz", "thanks", "thank", "you", "thx", "ok", "okay", "hi", "hey", "and",
    "also", "but", "then", "so", "now", "too", "just", "that", "it", "all", "cool", "great",
    "nice", "many", "much", "lot", "a", "very", "cheers", "regards", "love", "xx", "xoxo", "谢谢",
    "请", "好的", "好", "麻烦", "了", "哦", "吧", "啊", "呢", "嗯",
];

fn filler(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    let mut rest = low.as_str();
    // Chinese filler has no spaces: strip known words from the front.
    loop {
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        if rest.is_empty() {
            return true;
        }
        let Some(w) = FILLER.iter().find(|w| starts_word(rest, w)) else {
            return false;
        };
        rest = &rest[w.len()..];
    }
}

/// A clause without the parts that ask for something that cannot be done
/// ("remove the background from the cat pic" removes no photo).
fn without_unsupported(clause: &str) -> String {
    let mut out = clause.to_string();
    // From the keyword to the end of its part: "make a video in 4K" still
    // makes the video, "remove the background from the cat pic" removes no
    // photo.
    for (_, e, k, _, _) in unsupported_parts(clause).into_iter().rev() {
        out.replace_range(k.min(e)..e, " ");
    }
    out
}

/// An order given as a list after "order"/"sequence"/顺序 (and a colon,
/// "is", "should be", 改成…): the photos, and the text without the list.
fn order_list(text: &str, quotes: &[String], photos: &[String]) -> Option<(Vec<Sel>, String)> {
    let low = text.to_ascii_lowercase();
    let (_, ke) = find_any(&low, &["order", "sequence", "顺序", "排序"])
        .into_iter()
        .next()?;
    let rest = low[ke..].trim_start();
    let mut from = low.len() - rest.len();
    for w in [
        "please",
        "should be",
        "is",
        "to",
        "will be",
        ":",
        "：",
        "改成",
        "改为",
        "是",
        "为",
    ] {
        let r = low[from..].trim_start();
        if starts_word(r, w) {
            from = low.len() - r.len() + w.len();
        }
    }
    let end = ["\n", ". ", "。"]
        .iter()
        .filter_map(|m| low[from..].find(m).map(|i| from + i))
        .min()
        .unwrap_or(low.len());
    let list = name_photos(&text[from..end], photos);
    let items: Vec<&str> = list
        .split([',', '，', '、', '>', '→'])
        .flat_map(|p| p.split(" then "))
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().trim_end_matches(['.', '。']).trim())
        .filter(|p| !p.is_empty())
        .collect();
    if items.len() < 2 {
        return None;
    }
    let mut order = Vec::new();
    for item in items {
        let l = item.to_ascii_lowercase();
        let sel = if let Ok(k) = l.parse::<usize>() {
            Sel::Nth(k)
        } else if let Some((_, s)) = selections(item, &l, quotes).into_iter().next() {
            s
        } else if let [(_, s)] = bare_places(&l).as_slice() {
            s.clone()
        } else {
            return None;
        };
        order.push(sel);
    }
    let rest = format!("{} {}", &text[..ke.min(end)], &text[end..]);
    // The words before the list ("New order please") are not a wish.
    let head = rest[..ke.min(rest.len())].to_string();
    let rest = if head.split_whitespace().count() <= 3 {
        text[end..].to_string()
    } else {
        rest
    };
    Some((order, rest))
}

/// "wipe instead of crossfade", "rather than blending", 用滑动而不是擦除:
/// the part after the marker becomes a clause of its own that starts with
/// "not", which [`is_contrast`] sets aside.
fn contrast_as_clause(text: &str) -> String {
    let mut out = text.to_string();
    for (w, by) in [
        (" instead of ", ", not "),
        (" rather than ", ", not "),
        ("而不是", "，不是"),
    ] {
        out = out.replace(w, by);
    }
    // "每张3秒不是2秒": a 不是 inside a clause starts one (not 是不是, 要不是,
    // 不是很).
    let mut cut = String::with_capacity(out.len() + 8);
    let mut prev: Option<char> = None;
    let mut rest = out.as_str();
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("不是")
            && !matches!(prev, None | Some('是' | '要' | '，' | ',' | ' '))
            && !rest.starts_with("不是很")
        {
            cut.push('，');
        }
        cut.push(c);
        prev = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    cut
}

/// Words that open a correction of the wish before ("wait", "I meant",
/// "actually", 不对, 我是说, 算了): the clause without them, and whether
/// there were any.
fn correction(clause: &str) -> (bool, &str) {
    const MARKS: &[&str] = &[
        "no wait",
        "no actually",
        "hmm actually",
        "hmm",
        "um",
        "uh",
        "no sorry",
        "sorry no",
        "no no",
        "wait",
        "oops",
        "sorry",
        "i meant",
        "i mean",
        "actually",
        "scratch that",
        "correction",
        "make that",
        "no no",
        "nah",
        "nvm",
        "never mind",
        "on second thought",
        "啊不对",
        "啊不",
        "不对",
        "不好意思",
        "我是说",
        "我的意思是",
        "我算错了",
        "算了",
        "等等",
        "等一下",
        "哦不",
        "说错了",
        "改一下",
        "抱歉",
        "啊",
    ];
    let mut rest = clause.trim();
    let mut marked = false;
    loop {
        let low = rest.to_ascii_lowercase();
        let Some(m) = MARKS.iter().find(|m| starts_word(&low, m)) else {
            break;
        };
        // "make that 45" keeps its verb: only the marker goes.
        let keep = *m == "make that" || *m == "nvm" || *m == "never mind" || *m == "算了";
        marked = true;
        if keep {
            break;
        }
        rest = rest[m.len()..].trim_start_matches([' ', ',', '，', '!', '！', '.', '-', '—']);
        rest = rest.strip_prefix("是").unwrap_or(rest).trim();
    }
    (marked, rest)
}

/// "not the third", 不是第一张: what is not wanted, said to set up the
/// correction that follows.
fn is_contrast(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    ["not ", "不是"].iter().any(|w| low.starts_with(w))
        && !["not too", "not so", "不是很"]
            .iter()
            .any(|w| low.starts_with(w))
}

/// "never mind", "leave it", 算了，还是留着吧: the wish before is withdrawn.
fn withdraws(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    has(
        &low,
        &[
            "never mind",
            "nvm",
            "forget it",
            "leave it",
            "keep it",
            "keep the",
            "stick with",
            "stay with",
            "go back to",
            "is fine",
            "留着",
            "不用了",
            "不改了",
            "不要改",
            "保持原样",
            "就这样",
        ],
    ) || low.trim() == "算了"
}

/// The part of the draft an edit is about, so a correction replaces the
/// wish it corrects ("each photo 4 seconds, I mean the whole video 40").
fn kind(e: &Edit) -> &'static str {
    match e {
        Edit::PhotoSeconds(_)
        | Edit::TotalSeconds(_)
        | Edit::TotalAtMost(_)
        | Edit::Slower
        | Edit::Faster
        | Edit::PhotoDelta(_)
        | Edit::TotalDelta(_) => "length",
        Edit::Transition(_) => "transition",
        Edit::TransitionSeconds(_)
        | Edit::LongerTransitions
        | Edit::ShorterTransitions
        | Edit::TransitionDelta(_) => "transition length",
        Edit::KenBurns(_) => "motion",
        Edit::Title(_) | Edit::RemoveTitle => "title",
        Edit::Closing(_) | Edit::RemoveClosing => "closing",
        Edit::Music | Edit::MusicMood(_) | Edit::MusicUpload(_) | Edit::NoMusic => "music",
        Edit::MusicVolume(_) | Edit::Louder | Edit::Quieter | Edit::VolumeTimes(_) => "volume",
        Edit::PhotoTimes(_) => "length",
        Edit::TransitionTimes(_) => "transition length",
        Edit::Order(_) => "photos",
        Edit::Aspect(_) => "aspect",
        Edit::Resolution(_) => "resolution",
        Edit::MovePhoto { .. }
        | Edit::SwapPhotos(..)
        | Edit::RemovePhotos(_)
        | Edit::ReversePhotos => "photos",
        Edit::Make => "make",
        Edit::Undo => "undo",
        Edit::Ask(_) => "ask",
    }
}

/// The number an edit carries, to be corrected in place.
fn number_of(e: &mut Edit) -> Option<&mut f64> {
    match e {
        Edit::PhotoSeconds(x)
        | Edit::TotalSeconds(x)
        | Edit::TotalAtMost(x)
        | Edit::TransitionSeconds(x)
        | Edit::PhotoDelta(x)
        | Edit::TotalDelta(x)
        | Edit::TransitionDelta(x) => Some(x),
        _ => None,
    }
}

/// A photo wish with the photos a correction names instead.
fn reselect(e: &mut Edit, mut sels: Vec<Sel>) {
    match e {
        // "put city.png second, no sorry, third": a place corrects where
        // the named photo goes.
        Edit::MovePhoto {
            from: Sel::Name(_),
            to,
        } if !matches!(sels[0], Sel::Name(_)) => *to = sels.remove(0),
        Edit::MovePhoto { from, .. } => *from = sels.remove(0),
        Edit::RemovePhotos(v) => *v = sels,
        Edit::SwapPhotos(a, b) => {
            if sels.len() >= 2 {
                *b = sels.remove(1);
            }
            *a = sels.remove(0);
        }
        _ => {}
    }
}

/// Whether a clause talks about the video at all: one without a single
/// word of the editing language ("my grandson told me to ask you", "it was
/// the last day of our holiday") is conversation, not a wish left undone.
fn talks_editing(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    has(&low, &ALL_TARGETS)
        || has(&low, PHOTO_NOUNS)
        || has(&low, REMOVE)
        || has(&low, MOVE_VERBS)
        || has(
            &low,
            &[
                "change",
                "add",
                "set",
                "use",
                "turn",
                "switch",
                "make",
                "want",
                "need",
                "can you",
                "could you",
                "please",
                "改",
                "换",
                "加",
                "调",
                "要",
                "弄",
                "帮我",
                "给我",
            ],
        )
        || !numbers(&low).is_empty()
        || Lang::of(&low) == Lang::Zh && low.chars().count() > 12
}

/// A clause with the photos it names by their file name's stem ("the dog
/// pic", "remove IMG_2041", 海边那张) written as the file name, so the rest
/// of the grammar reads them like "dog.jpg". Not in a clause that sets a
/// text (the title "海边的回忆" stays as typed), and never a stem that is a
/// word of the editing language ("music.jpg" does not make "add music"
/// name a photo).
fn name_photos(clause: &str, photos: &[String]) -> String {
    let low = clause.to_ascii_lowercase();
    let texty = find_any(&low, TITLE_KEYS)
        .iter()
        .chain(&find_any(&low, CLOSING_KEYS))
        .chain(&find_any(&low, DIRECT_KEYS))
        .any(|&(s, e)| !POSITION_KEYS.contains(&&low[s..e]));
    if photos.is_empty() || texty {
        return clause.to_string();
    }
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for name in photos.iter().take(200) {
        let lname = name.to_ascii_lowercase();
        let Some((stem, _)) = lname.rsplit_once('.') else {
            continue;
        };
        let ascii = stem.is_ascii();
        let short = if ascii {
            stem.len() < 3
        } else {
            stem.chars().count() < 2
        };
        if short
            || ALL_TARGETS.contains(&stem)
            || words::is_vocab(stem)
            || stem.parse::<f64>().is_ok()
        {
            continue;
        }
        for (s, e) in find_all(&low, stem) {
            // Already the file name ("dog.jpg"), or part of a longer one.
            if low[e..].starts_with('.') || low[..s].ends_with(['.', '_', '-']) {
                continue;
            }
            // "make it Beach Weekend": a capitalised word next to another is
            // part of a name for the screen, not the photo.
            let capital = |w: Option<&str>| {
                w.and_then(|w| w.chars().next())
                    .is_some_and(|c| c.is_ascii_uppercase())
            };
            let here = capital(Some(&clause[s..e]));
            let next = clause[e..].split_whitespace().next();
            let prev = clause[..s].split_whitespace().last();
            // (A sentence's first word is capitalised anyway: "Remove Beach".)
            let prev_counts = clause[..s].split_whitespace().count() > 1;
            if here && (capital(next) || prev_counts && capital(prev)) {
                continue;
            }
            spans.push((s, e, name));
        }
    }
    if spans.is_empty() {
        return clause.to_string();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(clause.len() + 16);
    let mut at = 0;
    for (s, e, name) in spans {
        if s < at {
            continue;
        }
        out.push_str(&clause[at..s]);
        // Spaces around a name glued to Chinese words: 把 海边.jpg 那张.
        out.push(' ');
        out.push_str(name);
        out.push(' ');
        at = e;
    }
    out.push_str(&clause[at..]);
    out
}

/// Text keys that are also places in the photo order ("put the cat at the
/// start"): they do not stop [`name_photos`].
const POSITION_KEYS: &[&str] = &[
    "at the start",
    "at the beginning",
    "in the beginning",
    "in the start",
    "at the end",
    "开头",
];

/// Read a message: the edits, and the clauses that ask for something not
/// understood (said back to the user, never silently dropped).
/// `photos` are the file names of the project's photos, so that "the dog
/// pic" or 海边那张 names dog.jpg or 海边.jpg.
pub fn parse_all(msg: &str, photos: &[String]) -> (Vec<Edit>, Vec<String>) {
    let (text, quotes) = words::unquote(msg);
    // Outside quotes only: a quoted title is kept as typed.
    let text = words::fix_typos(&words::normalise(&text));
    // "wipe instead of crossfade": what follows is what is not wanted.
    let text = contrast_as_clause(&text);
    let mut edits: Vec<Edit> = Vec::new();
    // "Sequence: 2, 1, 3", "new order: forest.jpg, beach.jpg": a list the
    // clause cutter would cut apart, read first.
    let text = match order_list(&text, &quotes, photos) {
        Some((order, rest)) => {
            edits.push(Edit::Order(order));
            rest
        }
        None => text,
    };
    let mut unread = Vec::new();
    // What the clauses so far were about, worked out only when a clause
    // needs it, each clause read for it once.
    let mut topics = Topics::default();
    // After "wait", "I meant", 不对, 算了, "not the third": the next wish
    // replaces the one it corrects.
    let mut correcting = false;
    let mut last_wish: Vec<Edit> = Vec::new();
    // A title or closing text typed without quotes that ran to the end of
    // its clause, and where that clause ended in `text`: "closing text:
    // Thanks, Grandma!" goes on past the comma when what follows is no wish.
    let mut open_text: Option<(usize, usize)> = None;
    let mut said_before = false;
    for raw in words::clauses(&text) {
        let at = raw.as_ptr() as usize - text.as_ptr() as usize;
        let (marked, clause) = correction(raw);
        correcting |= marked;
        if let Some((i, end)) = open_text.take() {
            let alone = clause_edits(clause, &quotes);
            let talk = clause.split_whitespace().count() > 4
                || [
                    "if", "when", "because", "so", "and", "but", "or", "as", "since", "please",
                    "thanks", "thank", "could", "can", "would", "i", "we", "it", "that", "this",
                ]
                .iter()
                .any(|w| starts_word(&clause.to_ascii_lowercase(), w));
            if !marked
                && !talk
                && alone.is_empty()
                && unsupported(clause).is_empty()
                && !is_contrast(clause)
            {
                let more = words::requote(&text[end..at + raw.len()], &quotes);
                if let Some(Edit::Title(t) | Edit::Closing(t)) = edits.get_mut(i) {
                    t.push_str(more.trim_end());
                    open_text = Some((i, at + raw.len()));
                    continue;
                }
            }
        }
        if clause.is_empty() || filler(clause) {
            continue;
        }
        if is_contrast(clause) {
            correcting = true;
            continue;
        }
        // "720p so it uploads faster", "slower because my mom reads
        // slowly", 因为…: why, not what, once the wish is said ("could the
        // video be made so it fits my phone standing up" says it there).
        if said_before
            && [
                "because",
                "so that",
                "so it",
                "so they",
                "so people",
                "since",
                "因为",
                "为了",
                "这样",
                "好让",
                "以便",
            ]
            .iter()
            .any(|w| starts_word(&clause.to_ascii_lowercase(), w))
        {
            continue;
        }
        // "never mind", 算了，还是留着吧: the last wish is withdrawn.
        if correcting && withdraws(clause) {
            edits.retain(|e| !last_wish.contains(e));
            correcting = false;
            continue;
        }
        let named = name_photos(&without_unsupported(clause), photos);
        let clause = named.as_str();
        let mut found = with_topic(clause, &quotes, &mut || topics.now(&quotes));
        if correcting {
            let low = clause.to_ascii_lowercase();
            let mut sels: Vec<Sel> = selections(clause, &low, &quotes)
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            if sels.is_empty() {
                sels = bare_places(&low).into_iter().map(|(_, s)| s).collect();
            }
            let only_photos =
                found.is_empty() || matches!(found.as_slice(), [Edit::Ask(Ask::WhichPhoto)]);
            if only_photos && !sels.is_empty() {
                // "delete photo 5, I mean 4", "不是第一张，是第二张".
                if let Some(e) = edits.iter_mut().rev().find(|e| kind(e) == "photos") {
                    reselect(e, sels);
                    correcting = false;
                    topics.said(clause);
                    continue;
                }
            }
            // "4 seconds per photo, no actually make it 3": a bare number
            // corrects the last number said.
            if let [Edit::Ask(Ask::Unit(n))] = found.as_slice() {
                if let Some(e) = edits.iter_mut().rev().find_map(|e| number_of(e)) {
                    *e = *n;
                    correcting = false;
                    continue;
                }
            }
            if !found.is_empty() {
                let kinds: Vec<&str> = found.iter().map(kind).collect();
                edits.retain(|e| !kinds.contains(&kind(e)));
                correcting = false;
            }
        }
        topics.said(clause);
        if found.is_empty()
            && !filler(clause)
            && unsupported(clause).is_empty()
            && talks_editing(clause)
        {
            unread.push(words::requote(clause, &quotes));
        }
        said_before = found.iter().any(|e| !matches!(e, Edit::Make | Edit::Music));
        if !found.is_empty() {
            last_wish = found.clone();
        }
        for e in found.drain(..) {
            if !edits.contains(&e) {
                // Its text reaching the clause's end: it may go on.
                if let Edit::Title(t) | Edit::Closing(t) = &e {
                    let tail = clause.trim_end().trim_end_matches(['.', '。']);
                    if tail.ends_with(t.as_str()) && !t.is_empty() {
                        open_text = Some((edits.len(), at + raw.len()));
                    }
                }
                edits.push(e);
            }
        }
    }
    // "3 seconds per photo and the whole video 30 seconds" cannot both be:
    // ask which, change neither.
    let per = edits.iter().find_map(|e| match e {
        Edit::PhotoSeconds(s) => Some(*s),
        _ => None,
    });
    let total = edits.iter().find_map(|e| match e {
        Edit::TotalSeconds(s) | Edit::TotalAtMost(s) => Some(*s),
        _ => None,
    });
    if let (Some(p), Some(t)) = (per, total) {
        edits.retain(|e| {
            !matches!(
                e,
                Edit::PhotoSeconds(_) | Edit::TotalSeconds(_) | Edit::TotalAtMost(_)
            )
        });
        edits.push(Edit::Ask(Ask::PhotoOrTotal(p, t)));
    }
    // "转场时间改成0.3秒，太拖了": a complaint after the exact value is the
    // reason for it, not a second change.
    let exact: Vec<&str> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::TransitionSeconds(_) => Some("transition length"),
            Edit::PhotoSeconds(_) | Edit::TotalSeconds(_) | Edit::TotalAtMost(_) => Some("length"),
            Edit::MusicVolume(_) => Some("volume"),
            _ => None,
        })
        .collect();
    edits.retain(|e| {
        let relative = matches!(
            e,
            Edit::LongerTransitions
                | Edit::ShorterTransitions
                | Edit::Slower
                | Edit::Faster
                | Edit::Louder
                | Edit::Quieter
        );
        !(relative && exact.contains(&kind(e)))
    });
    // A bare "music" next to a precise wish about the music adds nothing.
    let precise = edits.iter().any(|e| {
        matches!(
            e,
            Edit::MusicMood(_)
                | Edit::MusicUpload(_)
                | Edit::NoMusic
                | Edit::Louder
                | Edit::Quieter
        )
    });
    // "use Yellow by Coldplay as the music": a song by name is out of
    // scope (said by `unsupported`), not a wish for some music.
    if precise || named_song(msg).is_some() {
        edits.retain(|e| *e != Edit::Music);
    }
    (edits, unread)
}

/// The clauses read so far, and what the last of them that named
/// something was about: worked out on demand, each clause once, so a long
/// message stays linear.
#[derive(Default)]
struct Topics {
    clauses: Vec<String>,
    read: usize,
    last: Option<String>,
}

impl Topics {
    fn said(&mut self, clause: &str) {
        self.clauses.push(clause.to_string());
    }

    fn now(&mut self, quotes: &[String]) -> Option<String> {
        while self.read < self.clauses.len() {
            if let Some(t) = clause_topic(&self.clauses[self.read], quotes) {
                self.last = Some(t);
            }
            self.read += 1;
        }
        self.last.clone()
    }
}

/// What a clause is about, said the way a clause that follows can name it
/// ("the zoom is making me dizzy, get rid of it": the zoom): the last
/// target it names, or the one photo it names.
fn clause_topic(clause: &str, quotes: &[String]) -> Option<String> {
    let low = clause.to_ascii_lowercase();
    let sels = selections(clause, &low, quotes);
    // "有一张照片拍糊了，删掉": a photo not yet named, so what follows asks
    // which.
    if sels.is_empty() && has(&low, VAGUE_PHOTOS) {
        return Some("a photo".into());
    }
    if let [(_, sel)] = sels.as_slice() {
        return match sel {
            Sel::Nth(k) => Some(format!("photo {k}")),
            Sel::Last => Some("the last photo".into()),
            Sel::FromEnd(k) => Some(format!("photo {k} from the end")),
            Sel::Name(n) => Some(n.clone()),
            Sel::Before(_) | Sel::After(_) => None,
        };
    }
    let topics: [(&[&str], &str); 7] = [
        (TRANSITION_WORDS, "the transitions"),
        (MUSIC_WORDS, "the music"),
        (
            &["quieter", "louder", "softer", "小声", "大声"],
            "the music",
        ),
        (VOLUME_WORDS, "the volume"),
        (KB_WORDS, "the zoom"),
        (TITLE_KEYS, "the title"),
        (CLOSING_KEYS, "the closing text"),
    ];
    topics
        .iter()
        .filter_map(|(kws, name)| find_any(&low, kws).last().map(|s| (s.0, *name)))
        .max_by_key(|(at, _)| *at)
        .map(|(_, name)| name.to_string())
}

/// A clause read with what the clause before was about: a pronoun stands
/// for it ("make them longer" after "the transitions are too abrupt",
/// "把它去掉" after "音乐太吵了"), and a bare length after a clause about
/// transitions is theirs ("fade to black, one and a half seconds").
fn with_topic(
    clause: &str,
    quotes: &[String],
    topic: &mut dyn FnMut() -> Option<String>,
) -> Vec<Edit> {
    let found = clause_edits(clause, quotes);
    let low = clause.to_ascii_lowercase();
    // Most clauses stand on their own: the topic is only looked for when
    // this one might lean on it.
    let leans = found.is_empty()
        || matches!(
            found.as_slice(),
            [Edit::Ask(_)
                | Edit::PhotoSeconds(_)
                | Edit::TotalSeconds(_)
                | Edit::Slower
                | Edit::Faster]
        )
        || has(&low, &["them", "they", "those", "these", "它们"]);
    if !leans {
        return found;
    }
    let Some(topic) = topic() else {
        return found;
    };
    let topic = topic.as_str();
    let plural = ["them", "they", "those", "these", "它们"];
    let single = ["it", "that", "this", "它", "这个", "那个"];
    let pick = |ws: &[&str]| ws.iter().find_map(|w| find_all(&low, w).first().copied());
    // A plural pronoun is the earlier topic when that was plural; "it" only
    // when the clause means nothing on its own ("make it faster" is the
    // video).
    // A question asked back ("make that 45": 45 what?) is what a clause
    // means alone only when the topic does not answer it.
    let nothing = found.is_empty() || matches!(found.as_slice(), [Edit::Ask(_)]);
    let at = match pick(&plural) {
        Some(at) if topic.ends_with('s') || topic.starts_with("the transitions") => Some(at),
        _ if nothing => pick(&single).or(pick(&plural)),
        _ => None,
    };
    // Chinese leaves the pronoun out: "(缩放)关掉吧".
    let at = at.or(nothing.then_some((0, 0)));
    if let Some((s, e)) = at {
        let swapped = format!("{} {topic} {}", &clause[..s], &clause[e..]);
        let mut again = clause_edits(&swapped, quotes);
        // Only text that looks meant for the screen (a capital, a digit, a
        // CJK character): "if that is not too much trouble" is no title.
        again.retain(|e| match e {
            Edit::Title(t) | Edit::Closing(t) => {
                t.chars().next().is_some_and(|c| !c.is_ascii_lowercase())
            }
            _ => true,
        });
        // The topic's own name is not a wish ("make the music pop more"
        // is no more understood than "make it pop more").
        if again.iter().any(|e| !matches!(e, Edit::Music | Edit::Make)) {
            return again;
        }
    }
    // "fade to black, one and a half seconds", "wipe, 0.8 seconds each",
    // "about a second long": a length that names nothing else is the
    // transitions' when they were the topic ("each" and "long" say how it
    // is measured, not what).
    let names = |ws: &[&str]| {
        find_any(&low, ws)
            .iter()
            .any(|&(s, e)| !matches!(&low[s..e], "each" | "per" | "every" | "long"))
    };
    let bare = !names(PER_PHOTO_WORDS) && !names(TOTAL_WORDS) && !names(TRANSITION_WORDS);
    match found.as_slice() {
        [Edit::PhotoSeconds(x) | Edit::TotalSeconds(x)] if bare && topic == "the transitions" => {
            vec![Edit::TransitionSeconds(*x)]
        }
        // "转场太生硬了，慢一点", "the fades are rushed, slow them down":
        // slower or faster, right after the transitions, is theirs.
        [Edit::Slower] if bare && topic == "the transitions" => vec![Edit::LongerTransitions],
        [Edit::Faster] if bare && topic == "the transitions" => vec![Edit::ShorterTransitions],
        _ => found,
    }
}

fn clause_edits(clause: &str, quotes: &[String]) -> Vec<Edit> {
    let low = clause.to_ascii_lowercase();
    if has(&low, UNDO) {
        return vec![Edit::Undo];
    }
    if let Some(e) = photo_op(clause, &low, quotes) {
        // "remove beach.jpg and put city.png first": two photo wishes,
        // each read on its own.
        let parts = and_parts(clause);
        let ops: Vec<Option<Edit>> = parts
            .iter()
            .map(|p| photo_op(p, &p.to_ascii_lowercase(), quotes))
            .collect();
        if ops.iter().flatten().count() >= 2 {
            let mut out = Vec::new();
            for (part, op) in parts.iter().zip(ops) {
                match op {
                    Some(e) => out.push(e),
                    None => out.extend(part_edits(part, clause, quotes)),
                }
            }
            return out;
        }
        // "move the last photo to the front and use a wipe": the parts
        // that name no photo are read for other wishes.
        let mut out = vec![e];
        for part in and_parts(clause) {
            let plow = part.to_ascii_lowercase();
            if selections(part, &plow, quotes).is_empty() {
                out.extend(part_edits(part, clause, quotes));
            }
        }
        return out;
    }
    other_edits(clause, &low, quotes)
}

/// A part of `clause` read on its own: as a whole clause when it is
/// shorter (so the reading ends), else for its other wishes only.
fn part_edits(part: &str, clause: &str, quotes: &[String]) -> Vec<Edit> {
    if part.len() < clause.len() {
        clause_edits(part, quotes)
    } else {
        other_edits(part, &part.to_ascii_lowercase(), quotes)
    }
}

/// Every wish in a clause but the photo moves, swaps and removals.
fn other_edits(clause: &str, low: &str, quotes: &[String]) -> Vec<Edit> {
    let mut text_edits = Vec::new();
    // Text taken from "title: …" to the end of the clause is not read for
    // other wishes ("title: 2 seconds to midnight").
    let cut = texts(clause, low, quotes, &mut text_edits);
    let (clause, low) = (&clause[..cut], &low[..cut]);
    let mut out = Vec::new();
    if has(
        low,
        &[
            "reverse",
            "backwards",
            "flip the order",
            "flip it",
            "倒序",
            "反转",
            "颠倒",
            "倒过来",
            "反过来",
            "倒着",
            "倒放",
            "反着放",
            "从后往前",
            "in reverse",
            "other way round",
            "other way around",
        ],
    ) || (has(low, &["flip", "invert", "turn around", "swap around"])
        && has(low, &["order", "sequence", "顺序"]))
    {
        out.push(Edit::ReversePhotos);
    }
    if has(low, MAKE) {
        out.push(Edit::Make);
    }
    out.extend(text_edits);
    transitions(low, &mut out);
    pacing(low, &mut out);
    ken_burns(low, &mut out);
    music(clause, low, quotes, &mut out);
    canvas(low, &mut out);
    // A bare mention of the music ("change the music") is not a wish.
    if out.is_empty() || out == [Edit::Music] {
        if let Some(q) = vague(low) {
            out = vec![Edit::Ask(q)];
        }
    }
    out
}

/// A wish that names what to change but not how ("change the
/// transition", 换个音乐, "adjust the volume", "change the title", "make it
/// 5"): the question to ask back.
fn vague(low: &str) -> Option<Ask> {
    let change = has(
        low,
        &[
            "change",
            "switch",
            "different",
            "another",
            "new",
            "other",
            "adjust",
            "edit",
            "fix",
            "换",
            "改",
            "调",
            "别的",
            "其他",
        ],
    );
    if change && has(low, TRANSITION_NOUNS) {
        return Some(Ask::WhichTransition);
    }
    if change && (has(low, VOLUME_WORDS) || has(low, &["音量", "声音"])) {
        return Some(Ask::WhichVolume);
    }
    if change && has(low, MUSIC_WORDS) {
        return Some(Ask::WhichMusic);
    }
    let adds = has(low, &["add", "put", "加", "加个", "加上"]);
    if (change || adds) && has(low, &["title", "heading", "标题", "片名"]) {
        return Some(Ask::TitleText);
    }
    // "change the text": which one, to what?
    if change && has(low, &["text", "words", "wording", "文字", "字"]) {
        return Some(Ask::TitleText);
    }
    // "调整一下顺序", "change the order": which photo goes where?
    if change && has(low, &["order", "sequence", "顺序", "排序"]) {
        return Some(Ask::WhichPhoto);
    }
    // "把它挪到前面去", "move it to the front" with nothing before to say
    // what "it" is.
    if has(low, &["move", "移到", "挪到", "放到", "挪", "移"])
        && has(low, &["it", "它", "this one", "that one"])
    {
        return Some(Ask::WhichPhoto);
    }
    // "make it 5", "set it to 3": a number with no unit and nothing named.
    let nums = numbers(low);
    if let [n] = nums.as_slice() {
        let verb = has(
            low,
            &["make", "set", "change", "改成", "设成", "弄成", "调成"],
        );
        let unit = !durations(low).is_empty() || !percents(low).is_empty();
        let rest = low[n.end..].trim();
        if verb && !unit && (rest.is_empty() || filler(rest)) && n.value > 0.0 {
            return Some(Ask::Unit(n.value));
        }
    }
    None
}

// ---- photos: move, swap, remove ----

/// A clause cut at "and", "&", "plus", 和, 再, 并: one pass over the text.
fn and_parts(clause: &str) -> Vec<&str> {
    let low = clause.to_ascii_lowercase();
    let mut cuts = find_any(&low, &["and", "&", "plus", "再", "并", "和"]);
    cuts.dedup_by_key(|c| c.0);
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in cuts {
        if s >= at {
            out.push(clause[at..s].trim());
            at = e;
        }
    }
    out.push(clause[at..].trim());
    out.retain(|p| !p.is_empty());
    out
}

/// Photos named without saying which: "remove a photo", "swap them",
/// "move that one to the end", 删一张, 把那张移到前面.
const VAGUE_PHOTOS: &[&str] = &[
    "a photo",
    "a picture",
    "a pic",
    "an image",
    "a slide",
    "one photo",
    "one picture",
    "the photo",
    "the picture",
    "the pic",
    "the image",
    "one of the photos",
    "one of the pictures",
    "some photos",
    "some pictures",
    "that one",
    "this one",
    "that photo",
    "this photo",
    "that picture",
    "this picture",
    "those two",
    "these two",
    "the two",
    "一张",
    "那张",
    "这两张",
    "那两张",
    "这张",
    "某张",
    "几张",
];
const SWAP_VERBS: &[&str] = &[
    "swap",
    "switch",
    "exchange",
    "trade",
    "交换",
    "互换",
    "对调",
    "调换",
    "换一下",
    "换位置",
    "换个位置",
    "调个位置",
    "换一换",
    "换换",
    "对换",
    "换位",
];
/// Verbs that take photos out: "remove photo 2", "a video without the last
/// photo", "skip beach.jpg", 把海边.jpg删了.
const PHOTO_REMOVE: &[&str] = &[
    "remove",
    "delete",
    "drop",
    "cut",
    "take out",
    "take away",
    "get rid of",
    "lose",
    "ditch",
    "without",
    "except",
    "exclude",
    "leave out",
    "skip",
    "删除",
    "删掉",
    "删了",
    "删",
    "去掉",
    "去了",
    "移除",
    "不要",
    "拿掉",
    "除了",
    "yeet",
    "toss",
    "nix",
    "axe",
    "trash",
    "bin",
    "zap",
    "removed",
    "deleted",
    "taken out",
    "doesn't belong",
    "does not belong",
    "shouldn't be in",
    "should not be in",
    "no need for",
];
/// English verbs that move a photo somewhere: "move photo 3 to the front",
/// "the last picture should be second", "beach.jpg goes last".
const MOVE_VERBS: &[&str] = &[
    "move",
    "put",
    "place",
    "bring",
    "shift",
    "show",
    "should be",
    "should go",
    "should come",
    "goes",
    "comes",
    "go",
    "come",
    "make",
    "needs to be",
    "has to be",
    "be",
    "start with",
    "begin with",
    "open with",
    "lead with",
];

fn photo_op(clause: &str, low: &str, quotes: &[String]) -> Option<Edit> {
    let mut sels = selections(clause, low, quotes);
    // "swap 1st and 2nd", "swap the first and the last": places with no
    // noun after them.
    if sels.len() < 2 && has(low, SWAP_VERBS) {
        let bare = bare_places(low);
        if bare.len() >= 2 {
            sels = bare;
        }
    }
    if sels.is_empty() {
        let verb = has(low, SWAP_VERBS)
            || has(low, PHOTO_REMOVE)
            || has(low, &["take"]) && has(low, &["out"])
            || has(
                low,
                &[
                    "move", "put", "移到", "放到", "挪到", "放在", "放第", "放最",
                ],
            );
        let vague = has(low, VAGUE_PHOTOS) || (has(low, SWAP_VERBS) && has(low, &["them", "它们"]));
        return (verb && vague).then_some(Edit::Ask(Ask::WhichPhoto));
    }
    if has(low, SWAP_VERBS) {
        // "swap 1st and 2nd", "swap the first and the last": places with
        // no noun after them.
        let sels = if sels.len() < 2 {
            bare_places(low)
        } else {
            sels
        };
        if sels.len() < 2 {
            return Some(Edit::Ask(Ask::WhichPhoto));
        }
        let mut it = sels.into_iter().map(|(_, s)| s);
        return Some(Edit::SwapPhotos(it.next()?, it.next()?));
    }
    let move_verb = find_any(
        low,
        &[
            "移到",
            "放到",
            "挪到",
            "调到",
            "放在",
            "移动到",
            "移至",
            "换到",
            "排到",
            "排在",
            "放第",
            "放最",
            "排第",
            "排最",
        ],
    );
    let en_move = has(low, MOVE_VERBS);
    if let Some(&(vs, ve)) = move_verb.first() {
        // 放第一个 / 放最前: the place starts inside the verb.
        let ve = if low[..ve].ends_with('第') || low[..ve].ends_with('最') {
            ve - 3
        } else {
            ve
        };
        let from_at = sels.iter().find(|(p, _)| *p < vs).map(|(p, _)| *p);
        let Some(from) = sels.iter().find(|(p, _)| *p < vs).map(|(_, s)| s.clone()) else {
            // "猫那张放第一个": a photo named by what is in it.
            return has(&low[..vs], VAGUE_PHOTOS).then_some(Edit::Ask(Ask::WhichPhoto));
        };
        let to = target(&low[ve..]).or_else(|| {
            // "把beach.jpg放到海边.jpg后面": next to another photo.
            // A name glued to the verb (放到海边.jpg) starts where it does.
            // …or glued before it (要排在beach.jpg): the next photo named.
            let (at, other) = sels
                .iter()
                .find(|(p, _)| *p >= vs || Some(*p) > from_at && from_at.is_some())?;
            let after = file_names(low)
                .into_iter()
                .find(|(s, _)| s == at)
                .map_or(*at, |(_, e)| e);
            let rest = &low[after..];
            let other = Box::new(other.clone());
            Some(
                if ["后面", "之后", "后边", "后头"]
                    .iter()
                    .any(|w| rest.starts_with(w))
                {
                    Sel::After(other)
                } else if ["前面", "之前", "前边", "前头"]
                    .iter()
                    .any(|w| rest.starts_with(w))
                {
                    Sel::Before(other)
                } else {
                    *other
                },
            )
        })?;
        return Some(Edit::MovePhoto { from, to });
    }
    if let Some(e) = en_move.then(|| en_move_op(low, &sels)).flatten() {
        return Some(e);
    }
    if has(low, PHOTO_REMOVE) {
        return Some(Edit::RemovePhotos(
            sels.into_iter().map(|(_, s)| s).collect(),
        ));
    }
    None
}

/// "move photo 3 to the front", "put beach.jpg first", "the last picture
/// should be second": the first photo named goes where the rest says.
fn en_move_op(low: &str, sels: &[(usize, Sel)]) -> Option<Edit> {
    {
        let (from_at, from) = sels.first()?.clone();
        // "forest.jpg should come before city.png", "put dog.jpg after
        // photo 4": next to another photo.
        for (w, before) in [
            (" before ", true),
            (" b4 ", true),
            (" after ", false),
            (" ahead of ", true),
        ] {
            let Some(cut) = low[from_at..].find(w).map(|i| from_at + i + w.len()) else {
                continue;
            };
            if let Some((_, other)) = sels.iter().find(|(p, _)| *p >= cut) {
                let other = Box::new(other.clone());
                let to = if before {
                    Sel::Before(other)
                } else {
                    Sel::After(other)
                };
                return Some(Edit::MovePhoto { from, to });
            }
        }
        // Not the "to" of "second to last".
        let cut = [" to ", " at ", " into ", " in "]
            .iter()
            .flat_map(|w| {
                low[from_at..]
                    .match_indices(w)
                    .map(move |(i, _)| from_at + i + w.len())
            })
            .filter(|&c| {
                let to_last = ["last", "the last"]
                    .iter()
                    .any(|l| starts_word(&low[c..], l));
                let head = low[..c].trim_end().trim_end_matches(" to").trim_end();
                let ordinal = ORDINALS.iter().any(|(w, _)| head.ends_with(w))
                    || ["nd", "rd", "th"].iter().any(|x| head.ends_with(x));
                !(to_last && ordinal)
            })
            .min();
        let to = match cut {
            Some(cut) => target(&low[cut..])
                .or_else(|| sels.iter().find(|(p, _)| *p >= cut).map(|(_, s)| s.clone())),
            None => None,
        };
        // "put beach.jpg first", "the last picture should be second",
        // "make dog.jpg the first one": the place after the verb.
        let to = to.or_else(|| {
            let (_, ve) = find_any(low, MOVE_VERBS)
                .into_iter()
                .filter(|v| v.0 > from_at)
                .find(|v| !sels.iter().any(|(p, _)| *p >= v.0 && *p < v.1))?;
            let rest = low[ve..].trim_start();
            let rest = rest.strip_prefix("the ").unwrap_or(rest);
            target(rest)
        });
        // "put the dog pic first obv", "put city.png second", "could the
        // beach.jpg photo be last?", "start with forest.jpg": a place word
        // anywhere after the photo.
        let to = to.or_else(|| {
            if has(low, &["start with", "begin with", "open with", "lead with"]) {
                return Some(Sel::Nth(1));
            }
            let after = &low[from_at..];
            after
                .match_indices(' ')
                .map(|(i, _)| &after[i + 1..])
                .find_map(|w| {
                    [
                        "first", "last", "second", "third", "fourth", "fifth", "sixth", "1st",
                        "2nd", "3rd", "4th", "5th", "6th", "opening", "opener", "front", "start",
                        "end",
                    ]
                    .iter()
                    .any(|x| {
                        // "the first photo" names a photo, "the opening
                        // shot" a place.
                        starts_word(w, x)
                            && (x.starts_with("open")
                                || !PHOTO_NOUNS
                                    .iter()
                                    .filter(|n| **n != "one")
                                    .any(|n| starts_word(w[x.len()..].trim_start(), n)))
                    })
                    .then(|| target(w))
                    .flatten()
                })
        })?;
        // "the last two shots should go first", "put photos 4 and 5 first":
        // several photos to the front, in the order named.
        if to == Sel::Nth(1) && sels.len() > 1 {
            return Some(Edit::Order(sels.iter().map(|(_, s)| s.clone()).collect()));
        }
        Some(Edit::MovePhoto { from, to })
    }
}

/// Places named without a noun after them ("swap 1st and 2nd", "the
/// fourth" correcting "the third"): ordinal words, 2nd/3rd, "last", 第N.
fn bare_places(low: &str) -> Vec<(usize, Sel)> {
    let mut out = Vec::new();
    for (w, k) in ORDINALS {
        for (s, _) in find_all(low, w) {
            out.push((s, Sel::Nth(*k)));
        }
    }
    for n in numbers(low) {
        let t = &low[n.end..];
        if ["st", "nd", "rd", "th"].iter().any(|x| starts_word(t, x)) {
            out.push((n.start, Sel::Nth(n.value as usize)));
        }
    }
    for (s, _) in find_all(low, "last") {
        out.push((s, Sel::Last));
    }
    for (s, e) in find_all(low, "第") {
        if let Some(n) = numbers(&low[e..]).first().filter(|n| n.start == 0) {
            out.push((s, Sel::Nth(n.value as usize)));
        }
    }
    out.retain(|(_, s)| !matches!(s, Sel::Nth(0)));
    out.sort_by_key(|(p, _)| *p);
    out
}

/// Where a photo should go: "the front", "the end", "position 2", "2",
/// "最前", "最后", "第2位".
fn target(rest: &str) -> Option<Sel> {
    let rest = rest.trim_start();
    // "the very end", "the very front"
    let very = rest
        .strip_prefix("the very ")
        .or_else(|| rest.strip_prefix("very "));
    let owned;
    let rest = match very {
        Some(r) => {
            owned = format!("the {r}");
            owned.as_str()
        }
        None => rest,
    };
    let first = [
        "the opening shot",
        "the opener",
        "opening shot",
        "the opening",
        "the first shot",
        "the front",
        "front",
        "the start",
        "start",
        "the beginning",
        "beginning",
        "the top",
        "top",
        "first",
        "the first",
        "最前",
        "开头",
        "前面",
        "首位",
        "第一",
    ];
    let last = [
        "the end",
        "end",
        "the back",
        "back",
        "the bottom",
        "bottom",
        "last",
        "the last",
        "最后",
        "末尾",
        "结尾",
        "后面",
        "最末",
    ];
    if first.iter().any(|w| starts_word(rest, w)) {
        return Some(Sel::Nth(1));
    }
    if last.iter().any(|w| starts_word(rest, w)) {
        return Some(Sel::Last);
    }
    // "second", "third from the end", "second to last"
    if let Some((w, k)) = ORDINALS.iter().find(|(w, _)| starts_word(rest, w)) {
        let after = rest[w.len()..].trim_start();
        let from_end = [
            "to last",
            "to the last",
            "from the end",
            "from last",
            "last",
        ]
        .iter()
        .any(|t| starts_word(after, t));
        return Some(if from_end {
            Sel::FromEnd(*k)
        } else {
            Sel::Nth(*k)
        });
    }
    let rest = [
        "position", "place", "spot", "number", "slot", "no.", "#", "第",
    ]
    .iter()
    .find_map(|w| rest.strip_prefix(w))
    .unwrap_or(rest)
    .trim_start();
    let n = numbers(rest).into_iter().next().filter(|n| n.start == 0)?;
    Sel::Nth(n.value as usize).filter_zero()
}

fn starts_word(s: &str, w: &str) -> bool {
    s.starts_with(w)
        && !(w.as_bytes()[w.len() - 1].is_ascii_alphanumeric()
            && s.as_bytes()
                .get(w.len())
                .is_some_and(u8::is_ascii_alphanumeric))
}

impl Sel {
    fn filter_zero(self) -> Option<Sel> {
        match self {
            Sel::Nth(0) => None,
            s => Some(s),
        }
    }
}

/// The photos a clause names, with where: "photo 3", "photos 2 and 5",
/// "#3", "the third photo", "the 3rd one", "the last photo", "第3张",
/// "第三张和第五张", "最后一张", "beach.jpg", a quoted file name.
fn selections(clause: &str, low: &str, quotes: &[String]) -> Vec<(usize, Sel)> {
    let mut out: Vec<(usize, Sel)> = Vec::new();
    // Found once and looked up by position: one scan per noun found would
    // make a long message quadratic.
    let nums = numbers(low);
    let num_at = |at: usize| num_starting(&nums, at);
    let duration_starts: Vec<usize> = durations(low).iter().map(|d| d.start).collect();
    // "photo 3", "photos 2 and 5"
    for noun in PHOTO_NOUNS.iter().filter(|n| **n != "one") {
        for (_, e) in find_all(low, noun) {
            let mut at = e;
            let rest = &low[at..];
            let t = rest.trim_start();
            at += rest.len() - t.len();
            let t2 = t.strip_prefix("number ").or_else(|| t.strip_prefix('#'));
            if let Some(t2) = t2 {
                at += t.len() - t2.len();
            }
            let Some(n) = num_at(at).filter(|n| n.value >= 1.0 && n.value.fract() == 0.0) else {
                continue;
            };
            // Not "photo 3 seconds" (a duration) nor "photos 2s".
            if duration_starts.binary_search(&n.start).is_ok() {
                continue;
            }
            out.push((n.start, Sel::Nth(n.value as usize)));
            more_numbers(low, n.end, &nums, &mut out);
        }
    }
    // "#3"
    for (i, _) in find_all(low, "#") {
        if let Some(n) = num_at(i + 1) {
            out.push((i, Sel::Nth(n.value as usize)));
        }
    }
    // "the third photo", "the 3rd one", "the last photo"
    let noun_next = |at: usize| {
        let t = low[at..].trim_start();
        PHOTO_NOUNS.iter().any(|n| starts_word(t, n))
    };
    // "the first and last pics": an ordinal, "and", an ordinal and a noun.
    let nouns_after = |at: usize| {
        noun_next(at) || {
            let t = low[at..].trim_start();
            let t = ["and ", "& "].iter().find_map(|w| t.strip_prefix(w));
            t.is_some_and(|t| {
                let t = t.trim_start().trim_start_matches("the ").trim_start();
                let at = low.len() - t.len();
                // "3rd": a number and its suffix
                let nth = num_starting(&nums, at)
                    .filter(|n| {
                        ["st", "nd", "rd", "th"]
                            .iter()
                            .any(|x| starts_word(&low[n.end..], x))
                    })
                    .is_some_and(|n| noun_next(n.end + 2));
                nth || ORDINALS
                    .iter()
                    .map(|(w, _)| *w)
                    .chain(["last"])
                    .any(|w| starts_word(t, w) && noun_next(at + w.len()))
            })
        }
    };
    for (w, k) in ORDINALS {
        for (s, e) in find_all(low, w) {
            if nouns_after(e) {
                out.push((s, Sel::Nth(*k)));
            }
        }
    }
    for n in &nums {
        let t = &low[n.end..];
        if ["st", "nd", "rd", "th"].iter().any(|x| starts_word(t, x)) && nouns_after(n.end + 2) {
            out.push((n.start, Sel::Nth(n.value as usize)));
        }
    }
    // "the second to last photo", "third from the end", "penultimate",
    // "last but one": counted from the end. The "last" inside is not the
    // last photo.
    let mut from_end: Vec<(usize, usize)> = Vec::new();
    for tail in [
        "to last",
        "to the last",
        "from last",
        "from the last",
        "from the end",
        "from the back",
    ] {
        for (ts, te) in find_all(low, tail) {
            let head = low[..ts].trim_end();
            let k = ORDINALS
                .iter()
                .find(|(w, _)| head.ends_with(w))
                .map(|(w, k)| (head.len() - w.len(), *k))
                .or_else(|| {
                    let h = head.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                    let n = nums.iter().find(|n| n.end == h.len())?;
                    Some((n.start, n.value as usize))
                });
            if let Some((at, k)) = k.filter(|(_, k)| *k >= 1) {
                out.push((at, if k == 1 { Sel::Last } else { Sel::FromEnd(k) }));
                from_end.push((at, te));
            }
        }
    }
    for (w, k) in [("penultimate", 2), ("last but one", 2), ("next to last", 2)] {
        for (s, e) in find_all(low, w) {
            out.push((s, Sel::FromEnd(k)));
            from_end.push((s, e));
        }
    }
    // "the first two photos", "the last 3 pics", 前两张, 最后两张: a run.
    let mut runs = Vec::new();
    for (w, from_start) in [
        ("first", true),
        ("last", false),
        ("前", true),
        ("后", false),
    ] {
        for (s, e) in find_all(low, w) {
            let t = low[e..].trim_start();
            let at = low.len() - t.len();
            let Some(n) =
                num_at(at).filter(|n| n.value >= 2.0 && n.value <= 20.0 && n.value.fract() == 0.0)
            else {
                continue;
            };
            let after = low[n.end..].trim_start();
            // "swap the first two", "the last three, please": the run ends
            // the phrase when no noun follows.
            let ends = after.is_empty()
                || [",", ".", "and", "then", "please", "，", "。"]
                    .iter()
                    .any(|x| starts_word(after, x));
            let noun = PHOTO_NOUNS.iter().any(|x| starts_word(after, x))
                || ["张", "幅", "个"].iter().any(|x| after.starts_with(x))
                || ends;
            if !noun {
                continue;
            }
            let k = n.value as usize;
            for i in 1..=k {
                let sel = match (from_start, k + 1 - i) {
                    (true, _) => Sel::Nth(i),
                    (false, 1) => Sel::Last,
                    (false, j) => Sel::FromEnd(j),
                };
                // One place per photo, so the sort keeps their order.
                runs.push((s + i - 1, sel));
            }
            from_end.push((s, n.end));
        }
    }
    // 倒数第二张
    for (s, e) in find_all(low, "倒数") {
        let at = e + low[e..].strip_prefix('第').map_or(0, |_| '第'.len_utf8());
        if let Some(n) = num_at(at).filter(|n| n.value >= 1.0) {
            let k = n.value as usize;
            out.push((s, if k == 1 { Sel::Last } else { Sel::FromEnd(k) }));
            from_end.push((s, n.end));
        }
    }
    let inside = |at: usize| from_end.iter().any(|&(s, e)| s <= at && at < e);
    out.retain(|(at, sel)| {
        matches!(sel, Sel::FromEnd(_) | Sel::Last) && from_end.iter().any(|f| f.0 == *at)
            || !inside(*at)
    });
    out.extend(runs);
    for w in ["last", "final"] {
        for (s, e) in find_all(low, w) {
            if nouns_after(e) && !inside(s) {
                out.push((s, Sel::Last));
            }
        }
    }
    // 第3张, 第三张和第五张, 最后一张
    for (s, e) in find_all(low, "第") {
        if low[..s].ends_with("倒数") {
            continue;
        }
        if let Some(n) = num_at(e) {
            if n.value >= 1.0 && !low[n.end..].starts_with('秒') {
                out.push((s, Sel::Nth(n.value as usize)));
                more_numbers(low, n.end, &nums, &mut out);
            }
        }
    }
    for (s, _) in find_any(
        low,
        &["最后一张", "最后那张", "最后一个", "最后一幅", "最后1张"],
    ) {
        out.push((s, Sel::Last));
    }
    // file names, bare or quoted
    for (s, e) in file_names(low) {
        out.push((s, Sel::Name(clause[s..e].to_string())));
    }
    for (s, _, n) in quote_marks(low) {
        if let Some(q) = quotes
            .get(n)
            .filter(|q| crate::wire::media_kind_of(q).is_some())
        {
            out.push((s, Sel::Name(q.clone())));
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out.dedup();
    out
}

/// The number that starts at byte `at` (`nums` is in text order).
fn num_starting(nums: &[words::Num], at: usize) -> Option<words::Num> {
    nums.binary_search_by_key(&at, |n| n.start)
        .ok()
        .map(|i| nums[i])
}

/// "… and 5", "… 和第5张", "…, 7": further positions after a first one.
fn more_numbers(low: &str, mut at: usize, nums: &[words::Num], out: &mut Vec<(usize, Sel)>) {
    loop {
        let rest = &low[at..];
        let t = rest.trim_start();
        let Some(t2) = ["and ", "& ", ",", "、", "和", "与", "跟", "or "]
            .iter()
            .find_map(|s| t.strip_prefix(s))
        else {
            return;
        };
        let t3 = t2.trim_start();
        let t3 = t3.strip_prefix('第').unwrap_or(t3);
        let start = low.len() - t3.len();
        let Some(n) = num_starting(nums, start).filter(|n| n.value >= 1.0) else {
            return;
        };
        out.push((n.start, Sel::Nth(n.value as usize)));
        at = n.end;
    }
}

/// Where a file name inside a run of text ends: after the first
/// ".ext" that makes it a file name.
fn name_end(w: &str) -> Option<usize> {
    w.match_indices('.').find_map(|(d, _)| {
        let ext = w[d + 1..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let e = d + 1 + ext;
        (ext > 0 && words::is_file_name(&w[..e])).then_some(e)
    })
}

/// Spans of file names with a photo, video or audio extension.
fn file_names(low: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let is_name_char = |c: char| c.is_alphanumeric() || "._-".contains(c);
    let mut start = None;
    for (i, c) in low.char_indices().chain(std::iter::once((low.len(), ' '))) {
        match (is_name_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let w = low[s..i].trim_end_matches('.');
                if words::is_file_name(w) {
                    out.push((s, s + w.len()));
                } else {
                    // "把海边.jpg去掉", "把dog.jpg和cat.jpg换个位置": each name
                    // ends with its extension; words glued before it are
                    // matched by `apply`.
                    let mut from = 0;
                    while let Some(e) = name_end(&w[from..]) {
                        out.push((s + from, s + from + e));
                        from += e;
                    }
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

// ---- title and closing text ----

/// Keys the title follows after a colon or "to": "title: …", "change the
/// heading to …". [`DIRECT_KEYS`] name it too.
const TITLE_KEYS: &[&str] = &[
    "title",
    "heading",
    "headline",
    "caption",
    "opening text",
    "intro text",
    "at the start",
    "at the beginning",
    "in the beginning",
    "in the start",
    "begin with",
    "begins with",
    "start with",
    "starts with",
    "open with",
    "opens with",
    "intro",
    "视频开头",
    "开场文字",
    "开场白",
    "开场",
    "起个名字",
    "起名",
    "取名",
    "命名为",
    "名字",
    "opening title",
    "the name",
    "video name",
    "name of the video",
    "标题",
    "片名",
    "题目",
    "开头文字",
    "片头文字",
    "片头",
    "开头",
];
/// Chinese keys the text follows directly, with no mark between:
/// "最后加一句 我们的夏天".
const DIRECT_ZH: &[&str] = &[
    "最后加一句",
    "最后加上",
    "最后写上",
    "最后显示",
    "开头加一句",
    "开头写上",
    "开头加上",
    "名字叫",
];

/// Keys the text follows directly: "name it Summer 2026".
const DIRECT_KEYS: &[&str] = &[
    "titled",
    "called",
    "named",
    "call it",
    "name it",
    "call the video",
    "name the video",
    "call the slideshow",
    "rename it",
    "rename the video",
    "rename",
    "entitle the film",
    "entitle the video",
    "entitle it",
    "entitle",
    "name the slideshow",
    "title it",
    "caption it",
    "label it",
    "call this",
    "name this",
    "title this",
];
const CLOSING_KEYS: &[&str] = &[
    "closing text",
    "closing",
    "ending",
    "ending text",
    "end card",
    "end text",
    "end with",
    "end it with",
    "finish with",
    "finish it with",
    "at the end",
    "last text",
    "final text",
    "视频最后",
    "最后那行字",
    "最后那句话",
    "最后那句",
    "最后一行",
    "最后的字",
    "最后的文字",
    "last line",
    "final line",
    "closing line",
    "ending line",
    "last words",
    "final words",
    "closing words",
    "ending words",
    "end line",
    "credits",
    "end credits",
    "sign off",
    "signoff",
    "sign-off",
    "片子最后",
    "最后加一句",
    "最后加上",
    "最后写上",
    "最后显示",
    "结束时",
    "outro",
    "credits text",
    "结尾文字",
    "结尾字幕",
    "片尾文字",
    "片尾",
    "结尾",
];

/// Title and closing text; returns where the clause's other wishes end.
fn texts(clause: &str, low: &str, quotes: &[String], out: &mut Vec<Edit>) -> usize {
    let mut cut = low.len();
    // "closing title" is the closing text, not the title.
    let closing_at = find_any(low, CLOSING_KEYS);
    let mut title_at = find_any(low, TITLE_KEYS);
    title_at.extend(find_any(low, DIRECT_KEYS));
    title_at.sort_unstable();
    let title_at: Vec<_> = title_at
        .into_iter()
        .filter(|t| {
            // Only the closing keys next to it can touch it (both lists are
            // in text order; scanning all would be quadratic).
            let i = closing_at.partition_point(|c| c.0 < t.0);
            // "closing title" is the closing text; 开头结尾 (a title key
            // before a closing key) is two texts.
            !closing_at[i.saturating_sub(2)..(i + 2).min(closing_at.len())]
                .iter()
                .any(|c| c.0 < t.0 && gap(*c, *t) <= 1)
        })
        .filter(|(s, _)| !low[..*s].ends_with("sub"))
        .collect();
    for (keys, set, remove) in [
        (
            &title_at,
            Edit::Title as fn(String) -> Edit,
            Edit::RemoveTitle,
        ),
        (&closing_at, Edit::Closing, Edit::RemoveClosing),
    ] {
        let Some(&(ks, ke)) = keys.first() else {
            continue;
        };
        let ke = keys.iter().map(|k| k.1).max().unwrap_or(ke);
        let direct = DIRECT_KEYS
            .iter()
            .chain(DIRECT_ZH)
            .any(|k| low[..ke].ends_with(k));
        let mut more = Vec::new();
        // "drop the 'Bye' at the end": a quote before a negated key names
        // the text to remove.
        let neg = negated(low, keys);
        // "put 'Hi' at the beginning and 'Bye' at the end", "put thanks for
        // watching at the end": a place key takes the text before it.
        let place = POSITION_KEYS.contains(&&low[ks..keys[0].1]);
        let before = || {
            quote_before(low, ks, quotes)
                .or_else(|| {
                    place
                        .then(|| text_before(clause, low, ks, quotes))
                        .flatten()
                })
                .filter(|_| !neg)
        };
        let found = if place {
            before().or_else(|| text_after(clause, low, ke, quotes, direct, &mut more))
        } else {
            text_after(clause, low, ke, quotes, direct, &mut more).or_else(before)
        };
        match found {
            Some((t, quoted)) => {
                out.push(set(t));
                out.extend(more);
                if !quoted {
                    cut = cut.min(ks);
                }
            }
            None if neg => out.push(remove),
            None => {}
        }
    }
    cut
}

/// Words between a text key and its text, longest first.
const TEXT_INTROS: &[&str] = &[
    "with the words",
    "the words",
    "the text",
    "the line",
    "should be changed to",
    "should say",
    "should read",
    "which says",
    "that says",
    "that reads",
    "with the words",
    "with the text",
    "changed to",
    "should be",
    "will be",
    "to read",
    "to say",
    "saying",
    "reading",
    "with text",
    "to be",
    "says",
    "reads",
    "say",
    "read",
    "be",
    "is",
    "to",
    "of",
    "with",
    ":",
    "：",
    "=",
    "-",
    "改成",
    "改为",
    "换成",
    "设为",
    "设成",
    "设置为",
    "应该是",
    "应该叫",
    "应该写",
    "加一句",
    "加上一句",
    "写一句",
    "加上",
    "写上",
    "写着",
    "写成",
    "显示为",
    "显示",
    "叫做",
    "就叫",
    "是",
    "为",
    "写",
    "叫",
    "用",
];

/// The text a keyword introduces: the first quote after it, or what
/// follows "title:", "title is", "标题：", "标题是", "标题改成" to the end of
/// the clause.
fn text_after(
    clause: &str,
    low: &str,
    at: usize,
    quotes: &[String],
    direct: bool,
    more: &mut Vec<Edit>,
) -> Option<(String, bool)> {
    if let Some((_, _, n)) = quote_marks(low).into_iter().find(|(s, _, _)| *s >= at) {
        return quotes.get(n).map(|q| (q.clone(), true));
    }
    let rest = low[at..].trim_start();
    let from = at + (low.len() - at - rest.len());
    // What joins a key to its text: "title: X", "the title should say X",
    // "an outro saying X", "标题改成X", "结尾写上X"; two may follow each
    // other ("should say: X"). Longest first, so 写上 is not 写 + 上.
    let mut intro_len = 0;
    for round in 0..2 {
        let r = &rest[intro_len..];
        // The second may only be a colon or "the words": "say: Hi",
        // "should read the words …" (not the "With" of "say With love").
        let Some(w) = TEXT_INTROS
            .iter()
            .filter(|w| {
                round == 0 || [":", "：", "the words", "the text", "the line", "-"].contains(w)
            })
            // 标题写错了: "written wrong", not "write".
            .find(|w| starts_word(r, w) && !(**w == "写" && r[w.len()..].starts_with('错')))
        else {
            break;
        };
        intro_len += w.len() + (r.len() - w.len() - r[w.len()..].trim_start().len());
    }
    // "title Paris": a capital or a digit right after the key is the text.
    let bare = rest.chars().next().is_some_and(|c| {
        c.is_ascii_digit() || clause[from..].starts_with(|c: char| c.is_ascii_uppercase())
    });
    // "put the title first day of school on it": after "put/add the
    // title" the words that follow are the text, capital or not.
    let after_verb = [
        "put the", "add the", "add a", "put a", "use the", "with the", "with a",
    ]
    .iter()
    .any(|v| {
        low[..at]
            .trim_end()
            .trim_end_matches(|c: char| c.is_alphabetic())
            .trim_end()
            .ends_with(v)
    }) && ![
        "at", "on", "in", "to", "for", "from", "of", "and", "or", "please", "with", "is", "should",
        "under", "over", "below", "above", "beside", "next", "into", "onto", "across", "each",
        "every", "per", "that", "which", "too", "there", "here",
    ]
    .iter()
    .any(|w| starts_word(rest, w));
    if intro_len == 0 && !direct && !bare && !after_verb {
        return None;
    }
    let intro = &rest[..intro_len];
    // "name it Summer 2026 and use a wipe": the text ends at an "and"
    // followed by another wish ("title: Salt and Pepper" keeps its "and").
    // Only the first few are tried, so a long clause stays linear.
    let body = from + intro.len();
    let mut end = clause.len();
    // "call it Tom and Jerry and make it square": the part up to the next
    // "and" must be a wish itself.
    // Titles are short: a long rest is not searched (nor re-read per
    // title key, which would make a long clause quadratic).
    let ands: Vec<_> = if clause.len() - body <= 200 {
        find_all(&low[body..], "and").into_iter().take(4).collect()
    } else {
        Vec::new()
    };
    for (i, &(a, b)) in ands.iter().enumerate() {
        let next = ands.get(i + 1).map_or(clause.len(), |n| body + n.0);
        if !clause_edits(&clause[body + b..next], quotes).is_empty() {
            end = body + a;
            more.extend(clause_edits(&clause[body + b..], quotes));
            break;
        }
    }
    // The text keeps its "!" and "?": "title: Wow!". Words said to the
    // editor, not meant for the screen, are not kept: "Trip 2024
    // instead", "Happy Family 吧", "Paris please".
    let mut t = clause[body..end]
        .trim()
        .trim_end_matches(['.', '。'])
        .trim();
    loop {
        let low_t = t.to_ascii_lowercase();
        let Some(w) = [
            " instead",
            " on it",
            " on the video",
            " on top",
            " on there",
            " please",
            " pls",
            " plz",
            " thanks",
            " thank you",
            " for me",
            " for the video",
            "吧",
            "呗",
            "啊",
            "哦",
            "呀",
            "就行",
            "就好",
            "好了",
            "谢谢",
            "可以吗",
            "行吗",
            "好吗",
        ]
        .iter()
        .find(|w| low_t.ends_with(*w) && low_t.len() > w.len()) else {
            break;
        };
        t = t[..t.len() - w.len()]
            .trim_end()
            .trim_end_matches([',', '，'])
            .trim_end();
    }
    // "could it say With love from Grandma?": the question mark is the
    // question's, not the text's.
    let asks = [
        "could",
        "can",
        "would",
        "will",
        "may",
        "is it possible",
        "能不能",
        "可以",
        "能否",
        "能",
    ]
    .iter()
    .any(|w| starts_word(low.trim_start(), w));
    if asks {
        t = t.trim_end_matches(['?', '？']).trim_end();
    }
    let t = words::requote(t, quotes);
    let t = t.trim().to_string();
    // "the title is fine", 标题挺好的: a judgement, not the words to show.
    let judgement = [
        "fine",
        "ok",
        "okay",
        "good",
        "great",
        "perfect",
        "nice",
        "wrong",
        "bad",
        "boring",
        "too long",
        "too short",
        "fine as is",
        "好",
        "不错",
        "挺好",
        "挺好的",
        "可以",
        "没问题",
    ]
    .contains(&t.to_lowercase().as_str());
    (!t.is_empty() && !judgement).then_some((t, false))
}

/// "put thanks for watching at the end", "add the words the end at the
/// end": the unquoted text between a verb and a place key.
fn text_before(clause: &str, low: &str, at: usize, quotes: &[String]) -> Option<(String, bool)> {
    let head = &low[..at];
    let (_, ve) = find_any(
        head,
        &["put", "add", "write", "show", "display", "have", "加", "写"],
    )
    .into_iter()
    .last()?;
    let mut from = ve;
    for w in [
        "the words",
        "the text",
        "a line saying",
        "a line",
        "the line",
        "saying",
        "that says",
        "text",
    ] {
        let r = low[from..at].trim_start();
        if starts_word(r, w) {
            from = at - r.len() + w.len();
            break;
        }
    }
    let t = clause[from..at].trim();
    let words = t.split_whitespace().count();
    // Not "put it at the end" nor a whole sentence.
    let pronoun = ["it", "this", "that", "them", "the video", "everything"]
        .contains(&t.to_ascii_lowercase().as_str());
    // Quoted text is the quotes' business.
    let quoted = t.contains(words::QUOTE_OPEN);
    if t.is_empty() || pronoun || quoted || words > 12 {
        return None;
    }
    Some((words::requote(t, quotes), false))
}

/// "put 'Hello Lisbon' as the title": the quote just before "as (the)".
fn quote_before(low: &str, at: usize, quotes: &[String]) -> Option<(String, bool)> {
    let head = low[..at].trim_end();
    // "put 'Hi' at the start", "'Bye' as the last text": the quote may
    // also touch the key.
    let head = ["as the", "as a", "as", "for the", "on the"]
        .iter()
        .find_map(|w| head.strip_suffix(w))
        .unwrap_or(head)
        .trim_end();
    let (_, e, n) = quote_marks(head).into_iter().last()?;
    (e == head.len()).then(|| quotes.get(n).map(|q| (q.clone(), true)))?
}

// ---- transitions and pacing ----

fn transitions(low: &str, out: &mut Vec<Edit>) {
    let kind = if has(
        low,
        &[
            "no transition",
            "no transitions",
            "without transition",
            "without transitions",
            "hard cut",
            "hard cuts",
            "jump cut",
            "jump cuts",
            "just cuts",
            "simple cuts",
            "直接切",
            "straight cuts",
            "just cut",
            "transitions off",
            "无转场",
            "不要转场",
            "去掉转场",
            "没有转场",
            "取消转场",
            "直接切换",
            "硬切",
        ],
    ) || negated(low, &find_any(low, TRANSITION_NOUNS))
    {
        Some(TransitionKind::None)
    } else if has(
        low,
        &[
            "fade through black",
            "fade to black",
            "fade black",
            "fades to black",
            "through black",
            "dip to black",
            "black transition",
            "black transitions",
            "黑场",
            "渐黑",
            "闪黑",
        ],
    ) || has(
        low,
        &[
            "黑一下",
            "先黑",
            "变黑",
            "go dark",
            "goes dark",
            "fade out and in",
        ],
    ) || (has(low, &["black", "dark", "黑屏", "黑色"])
        && has(
            low,
            &[
                "between",
                "transition",
                "transitions",
                "fade",
                "之间",
                "转场",
                "过渡",
                "切换",
            ],
        ))
    {
        Some(TransitionKind::FadeBlack)
    } else if has(low, &["wipe", "wipes", "擦除", "划像"]) {
        Some(TransitionKind::Wipe)
    } else if has(
        low,
        &[
            "slide transition",
            "slide transitions",
            "sliding",
            "slide in",
            "slides in",
            "push",
            "滑动",
            "推移",
            "滑入",
        ],
    ) || (has(low, &["slide", "slides"])
        && (has(low, &["transition", "transitions"]) || numbers(low).is_empty()))
    {
        Some(TransitionKind::Slide)
    } else if has(
        low,
        &[
            "crossfade",
            "crossfades",
            "cross-fade",
            "cross fade",
            "dissolve",
            "fade",
            "fades",
            "淡入淡出",
            "交叉淡化",
            "叠化",
            "溶解",
            "淡化",
        ],
    ) {
        Some(TransitionKind::Crossfade)
    } else {
        None
    };
    if let Some(k) = kind {
        out.push(Edit::Transition(k));
    }
}

/// Whether a length is a change by that much: +1 for "2 seconds longer",
/// "an extra second", "add a second", 多放一秒, 延长一秒; -1 for "1 sec
/// shorter", "less", 少一秒, 缩短一秒.
fn relative_sign(low: &str, d: &words::Dur) -> Option<f64> {
    let after = low[d.end..].trim_start();
    let after = [
        "per photo",
        "each",
        "per picture",
        "for each photo",
        "every photo",
    ]
    .iter()
    .find_map(|w| after.strip_prefix(w))
    .unwrap_or(after)
    .trim_start();
    let before = low[..d.start].trim_end();
    let ends = |ws: &[&str]| ws.iter().any(|w| before.ends_with(w));
    let starts = |ws: &[&str]| ws.iter().any(|w| starts_word(after, w));
    // A bare 多 / 少 just before the number, but not 最多 ("at most"), 至少,
    // 多少 ("how many").
    let bare_zh = |c: &str, not: &[&str]| {
        before.ends_with(c) && !not.iter().any(|n| before.ends_with(&format!("{n}{c}")))
    };
    if starts(&["longer", "more", "extra", "slower"])
        || ends(&[
            "an extra",
            "extra",
            "add",
            "by another",
            "多放",
            "多停",
            "多停留",
            "多加",
            "再加",
            "加长",
            "延长",
            "增加",
            "多给",
        ])
        || bare_zh("多", &["最", "至", "不", "很", "好", "差不"])
    {
        Some(1.0)
    } else if starts(&["shorter", "less", "fewer", "faster", "quicker", "off"])
        || ends(&[
            "shave",
            "knock",
            "trim",
            "take",
            "cut",
            "shave off",
            "knock off",
            "take off",
        ])
        || ends(&["少放", "少停", "减少", "缩短", "减去", "少给", "减"])
        || bare_zh("少", &["至", "最", "不", "多", "很"])
    {
        Some(-1.0)
    } else if before.ends_with("by") {
        // "make the photos longer by a second"
        let head = before.trim_end_matches("by");
        if has(head, &["longer", "lengthen", "extend", "slower"]) {
            Some(1.0)
        } else if has(head, &["shorter", "shorten", "cut", "faster"]) {
            Some(-1.0)
        } else {
            None
        }
    } else {
        None
    }
}

fn pacing(low: &str, out: &mut Vec<Edit>) {
    let durs = durations(low);
    let trans = find_any(low, TRANSITION_WORDS);
    let mut per_photo = find_any(low, PER_PHOTO_WORDS);
    // "1.5 sec each transition": a quantifier belongs to the noun after
    // it, so "each" here names the transitions, not the photos.
    // "transitions 1 second each": with no photo named, a bare "each"
    // is the transitions' too.
    let photo_named = has(low, PHOTO_NOUNS) || has(low, &["照片", "图片", "张"]);
    per_photo.retain(|&(s, e)| {
        let q = matches!(&low[s..e], "each" | "per" | "every" | "每个" | "每");
        let next_is_transition = TRANSITION_WORDS
            .iter()
            .any(|w| starts_word(low[e..].trim_start(), w));
        !(q && (next_is_transition || !photo_named && has(low, TRANSITION_WORDS)))
    });
    let mut total = find_any(low, TOTAL_WORDS);
    // "make the transitions 2 seconds long": "long" says how long the
    // thing named is, the whole video only when nothing else is named.
    if !trans.is_empty() || !per_photo.is_empty() {
        total.retain(|&(s, e)| &low[s..e] != "long");
    }
    // The spans are in text order: the nearest is among the few around
    // the duration's place (a scan of all of them per duration would make
    // a long message quadratic).
    let nearest = |spans: &[(usize, usize)], d: &words::Dur| {
        let i = spans.partition_point(|s| s.0 < d.start);
        spans[i.saturating_sub(4)..(i + 4).min(spans.len())]
            .iter()
            .map(|s| gap(*s, (d.start, d.end)))
            .min()
            .unwrap_or(usize::MAX)
    };
    let at_most = has(
        low,
        &[
            "under",
            "at most",
            "no more than",
            "no longer than",
            "max",
            "maximum",
            "less than",
            "not more than",
            "not longer than",
            "tops",
            "别超过",
            "不要超过",
            "不能超过",
            "不超过",
            "以内",
            "之内",
            "最多",
        ],
    );
    // "double how long each photo stays", "transitions twice as long",
    // "half as long": a factor, for whatever the clause names.
    if durs.is_empty() {
        let factor = if has(
            low,
            &[
                "double",
                "twice as long",
                "twice the",
                "两倍",
                "翻倍",
                "加倍",
            ],
        ) {
            Some(2.0)
        } else if has(low, &["triple", "three times as long", "三倍"]) {
            Some(3.0)
        } else if has(low, &["half as long", "halve", "减半", "一半时间"]) {
            Some(0.5)
        } else {
            None
        };
        if let Some(f) = factor.filter(|_| !has(low, MUSIC_WORDS) && !has(low, VOLUME_WORDS)) {
            out.push(if trans.is_empty() {
                Edit::PhotoTimes(f)
            } else {
                Edit::TransitionTimes(f)
            });
            return;
        }
    }
    for d in &durs {
        let (t, p, v) = (
            nearest(&trans, d),
            nearest(&per_photo, d),
            nearest(&total, d),
        );
        // "make it 20 seconds", "about 45 seconds": with no word saying
        // what lasts that long, a length no one wants per photo (10 s or
        // more) is the whole video's.
        let bare = t == usize::MAX && p == usize::MAX && v == usize::MAX;
        // "half a second longer", "1 sec shorter", 多放一秒, 少一秒: a
        // change by that much, to whatever it belongs to.
        if let Some(sign) = relative_sign(low, d) {
            let x = sign * d.secs;
            out.push(if t < p && t < v {
                Edit::TransitionDelta(x)
            } else if v < p && v < t || bare && d.secs >= 10.0 {
                Edit::TotalDelta(x)
            } else {
                Edit::PhotoDelta(x)
            });
            continue;
        }
        // Ties go to the photo: "each photo 2 seconds with fades".
        let e = if (bare && d.secs >= 10.0 || v < p && v < t) && at_most {
            Edit::TotalAtMost(d.secs)
        } else if bare && d.secs >= 10.0 {
            Edit::TotalSeconds(d.secs)
        } else if t < p && t < v {
            Edit::TransitionSeconds(d.secs)
        } else if v < p && v < t {
            Edit::TotalSeconds(d.secs)
        } else {
            Edit::PhotoSeconds(d.secs)
        };
        out.push(e);
    }
    // "音乐欢快一点", "faster music": the music's mood, not the pacing.
    if !durs.is_empty() || has(low, MUSIC_WORDS) {
        return;
    }
    let slower = has(
        low,
        &[
            "slower",
            "too fast",
            "too quick",
            "rushed",
            "hurried",
            "abrupt",
            "harsh",
            "too sudden",
            "生硬",
            "太突然",
            "too short",
            "can't keep up",
            "太赶",
            "太短",
            "看不清",
            "太快",
            "slow down",
            "slow it down",
            "longer",
            "more time",
            "linger",
            "慢一点",
            "慢一些",
            "慢点",
            "慢些",
            "放慢",
            "更慢",
            "再慢",
            "长一点",
            "长一些",
        ],
    );
    let faster = has(
        low,
        &[
            "faster",
            "too slow",
            "drags",
            "dragging",
            "too long",
            "太长",
            "拖沓",
            "太拖",
            "太慢",
            "speed up",
            "speed it up",
            "quicker",
            "shorter",
            "less time",
            "snappier",
            "快一点",
            "快一些",
            "快点",
            "快些",
            "加快",
            "更快",
            "再快",
            "短一点",
            "短一些",
        ],
    );
    let about_transitions = !trans.is_empty();
    match (slower, faster, about_transitions) {
        (true, false, false) => out.push(Edit::Slower),
        (false, true, false) => out.push(Edit::Faster),
        (true, false, true) => out.push(Edit::LongerTransitions),
        (false, true, true) => out.push(Edit::ShorterTransitions),
        _ => {}
    }
}

fn ken_burns(low: &str, out: &mut Vec<Edit>) {
    let kws = KB_WORDS;
    let at = find_any(low, kws);
    // "keep them still", "can the pictures just be still?"
    let ends_still = low
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(" please")
        .ends_with("still");
    let Some(&(s, e)) = at.first() else {
        if has(low, STILL) || ends_still {
            out.push(Edit::KenBurns(false));
        }
        return;
    };
    let less = find_any(low, &["less", "fewer", "少一点", "少点"])
        .iter()
        .any(|o| gap(*o, (s, e)) <= 12);
    // "the zoom is making people seasick", "缩放看得我头晕": a complaint
    // about the motion is a wish to stop it.
    let complaint = has(
        low,
        &[
            "cringe",
            "annoying",
            "distracting",
            "seasick",
            "dizzy",
            "nauseous",
            "sick",
            "headache",
            "hate",
            "too much",
            "头晕",
            "晕",
            "难受",
            "烦",
            "受不了",
        ],
    );
    out.push(Edit::KenBurns(!(less || complaint || negated(low, &at))));
}

// ---- music ----

fn music(clause: &str, low: &str, quotes: &[String], out: &mut Vec<Edit>) {
    let music_at = find_any(low, MUSIC_WORDS);
    let about_music = !music_at.is_empty();
    let mute = has(low, &["mute", "silent", "silence", "静音"]);
    let removed = negated(low, &music_at);
    if mute || removed {
        out.push(Edit::NoMusic);
        return;
    }
    // The uploaded audio: "my music", "use song.mp3", "我上传的音乐".
    let audio_name = file_names(low)
        .into_iter()
        .map(|(s, e)| clause[s..e].to_string())
        .chain(
            quote_marks(low)
                .into_iter()
                .filter_map(|(_, _, n)| quotes.get(n).cloned()),
        )
        .find(|n| words::is_audio_name(n));
    let mine = has(
        low,
        &[
            "my music",
            "my song",
            "my own",
            "my audio",
            "my track",
            "uploaded",
            "i uploaded",
            "我的音乐",
            "我的歌",
            "我上传的",
            "上传的",
            "自己的音乐",
        ],
    ) && about_music;
    if audio_name.is_some() || mine {
        out.push(Edit::MusicUpload(audio_name));
    } else if let Some(m) = mood(low, about_music) {
        out.push(Edit::MusicMood(m));
    }
    // Volume: "volume 50%", "music at 60%", "音量50%", "volume to 40".
    let vol_at = find_any(low, VOLUME_WORDS);
    // "turn the music up / down"
    let turned = has(low, &["turn", "turned"]) && (about_music || !vol_at.is_empty());
    let turned_up = turned && has(low, &["up"]);
    let turned_down = turned && has(low, &["down"]);
    let pct = percents(low);
    // A set: a lookup per number keeps a long clause linear.
    let dur_starts: std::collections::HashSet<usize> =
        durations(low).iter().map(|d| d.start).collect();
    let level = pct
        .first()
        .filter(|_| about_music || !vol_at.is_empty())
        .copied()
        .or_else(|| {
            let v = vol_at.first()?;
            numbers(low)
                .into_iter()
                .filter(|n| !dur_starts.contains(&n.start))
                .filter(|n| gap(*v, (n.start, n.end)) <= 12)
                .min_by_key(|n| gap(*v, (n.start, n.end)))
        })
        .or_else(|| {
            // "lower the music to 50", "turn the music up to 90", "could
            // the music be at about half", 音乐调到60: a level after "to"/"at".
            if !about_music {
                return None;
            }
            numbers(low)
                .into_iter()
                .filter(|n| !dur_starts.contains(&n.start))
                .find(|n| {
                    let head = low[..n.start].trim_end();
                    let head = [
                        "about", "around", "roughly", "maybe", "like", "大概", "大约",
                    ]
                    .iter()
                    .find_map(|w| head.strip_suffix(w))
                    .unwrap_or(head)
                    .trim_end();
                    ["at", "to", "调到", "开到", "降到", "减到", "调成", "到"]
                        .iter()
                        .any(|w| head.ends_with(w))
                })
        });
    // "too quiet, turn it up", "bump up the music", "太吵了".
    let up = has(
        low,
        &[
            "too quiet",
            "too soft",
            "too low",
            "can't hear",
            "cannot hear",
            "bump up",
            "bump it up",
            "crank",
            "pump up",
            "turn it up",
            "太小声",
            "太小了",
            "听不见",
            "听不清",
        ],
    );
    let down = has(
        low,
        &[
            "too loud",
            "too much music",
            "drowns",
            "turn it down",
            "tone it down",
            "太吵",
            "太大声",
            "太响",
            "太大了",
        ],
    );
    let volume_talk = about_music || !vol_at.is_empty();
    if volume_talk
        && has(
            low,
            &[
                "减半",
                "halve",
                "half as loud",
                "in half",
                "half the volume",
                "by half",
                "小一半",
                "降一半",
                "减一半",
                "调小一半",
            ],
        )
    {
        out.push(Edit::VolumeTimes(0.5));
    } else if volume_talk && has(low, &["double", "twice as loud", "加倍", "翻倍"]) {
        out.push(Edit::VolumeTimes(2.0));
    } else if volume_talk
        && has(
            low,
            &[
                "最大",
                "max volume",
                "volume to max",
                "volume max",
                "maximum volume",
                "to the max",
                "max it",
                "full volume",
                "full blast",
                "all the way up",
                "拉满",
                "开满",
                "最响",
            ],
        )
    {
        out.push(Edit::MusicVolume(100));
    } else if let Some(n) = level {
        // "half volume", "volume 0.3": a fraction of the full level.
        let v = if n.value > 0.0 && n.value < 1.0 {
            n.value * 100.0
        } else {
            n.value
        };
        out.push(Edit::MusicVolume(v.max(0.0).round() as u32));
    } else if up && !down {
        out.push(Edit::Louder);
    } else if down && !up {
        out.push(Edit::Quieter);
    } else if has(
        low,
        &[
            "louder",
            "turn up",
            "turn it up",
            "more volume",
            "increase the volume",
            "raise the volume",
            "volume up",
            "大声",
            "调大",
            "响一点",
            "提高音量",
            "增大音量",
            "大一点",
            "大点",
        ],
    ) && (about_music || !vol_at.is_empty() || has(low, &["louder", "大声"]))
        || turned_up
    {
        out.push(Edit::Louder);
    } else if has(
        low,
        &[
            "quieter",
            "softer",
            "turn down",
            "turn it down",
            "lower the volume",
            "lower the music",
            "less loud",
            "decrease the volume",
            "volume down",
            "小声",
            "调小",
            "轻一点",
            "降低音量",
            "减小音量",
            "小一点",
            "小点",
        ],
    ) && (about_music || !vol_at.is_empty() || has(low, &["quieter", "小声"]))
        || turned_down
    {
        out.push(Edit::Quieter);
    } else if about_music
        && !out.iter().any(|e| {
            matches!(
                e,
                Edit::MusicUpload(_) | Edit::MusicMood(_) | Edit::MusicVolume(_)
            )
        })
    {
        out.push(Edit::Music);
    }
}

/// "music off", "音乐去掉".
fn off_after(low: &str, at: usize) -> bool {
    let mut t = low[at..].trim_start();
    // "ken burns: off", "transitions: none", "zoom = off", "music is off"
    for w in [":", "：", "=", "should be", "is", "are", "to"] {
        if starts_word(t, w) {
            t = t[w.len()..].trim_start();
            break;
        }
    }
    // "片尾那句话删掉", "缩放效果关掉", "标题和结尾都不要了": a few words may
    // sit between the target and its off word.
    for _ in 0..4 {
        // "片尾那个bye删掉": the text itself, named after 那个.
        if low[..low.len() - t.len()].ends_with("那个")
            || low[..low.len() - t.len()].ends_with("这个")
        {
            let word = t.len()
                - t.trim_start_matches(|c: char| c.is_ascii_alphanumeric())
                    .len();
            t = t[word..].trim_start();
        }
        match [
            "麻烦",
            "帮我",
            "请",
            "那句话",
            "这句话",
            "那段话",
            "那句",
            "那段",
            "那个",
            "这个",
            "的文字",
            "的字",
            "文字",
            "字",
            "效果",
            "的",
            "也",
            "都",
            "全",
            "全部",
            "就",
            "给我",
            "可以",
            "please",
            "effect",
            "effects",
            "completely",
            "entirely",
            "altogether",
        ]
        .iter()
        .find(|w| starts_word(t, w))
        {
            Some(w) => t = t[w.len()..].trim_start(),
            None => break,
        }
    }
    OFF_WORDS.iter().any(|w| starts_word(t, w))
}

/// Words after a target that undo it ("music off", 音乐去掉).
const OFF_WORDS: &[&str] = &[
    "off",
    "none",
    "nothing",
    "gone",
    "去掉",
    "删掉",
    "删了",
    "去了",
    "关掉",
    "关闭",
    "关了",
    "不要了",
    "不要",
    "不用了",
    "删除",
    "拿掉",
    "取消",
    "撤掉",
];

fn mood(low: &str, about_music: bool) -> Option<Mood> {
    // Words that name a mood only when music is the subject ("calm
    // music"), and words that always do ("lo-fi").
    let table: &[(Mood, &[&str], &[&str])] = &[
        (
            Mood::LoFi,
            &["lo-fi", "lofi", "lo fi", "chillhop", "低保真"],
            &["chill", "chilled", "mellow"],
        ),
        (
            Mood::Upbeat,
            &["upbeat", "欢快", "动感", "活泼", "轻快"],
            &[
                "happy",
                "energetic",
                "cheerful",
                "fun",
                "lively",
                "exciting",
                "快乐",
                "激昂",
                "热闹",
                "energy",
                "more energy",
                "party",
                "hype",
                "livelier",
                "dull",
                "boring",
                "sleepy",
                "燃",
                "嗨",
                "带劲",
                "有活力",
                "热血",
                "激情",
                "沉闷",
                "无聊",
                "欢乐",
            ],
        ),
        (
            Mood::Calm,
            &["舒缓"],
            &[
                "calm", "relaxing", "relaxed", "gentle", "soft", "peaceful", "ambient", "soothing",
                "轻柔", "平静", "安静", "柔和", "放松", "抒情", "轻松",
            ],
        ),
    ];
    table.iter().find_map(|(m, always, with_music)| {
        (has(low, always) || (about_music && has(low, with_music))).then_some(*m)
    })
}

// ---- canvas ----

fn canvas(low: &str, out: &mut Vec<Edit>) {
    let aspects: &[(Aspect, &[&str])] = &[
        (
            Aspect::Portrait,
            &[
                "9:16",
                "9x16",
                "9 by 16",
                "portrait",
                "vertical",
                "standing up",
                "upright phone",
                "for my phone",
                "on my phone",
                "phone screen",
                "手机竖着",
                "phone format",
                "mobile format",
                "for mobile",
                "phone size",
                "手机格式",
                "手机屏",
                "shorts",
                "youtube short",
                "tiktok",
                "reels",
                "竖屏",
                "竖版",
                "竖向",
                "竖的",
            ],
        ),
        (
            Aspect::Square,
            &[
                "1:1",
                "1x1",
                "square",
                "instagram post",
                "instagram format",
                "insta format",
                "ig format",
                "for instagram",
                "方形",
                "正方形",
                "方屏",
                "1比1",
            ],
        ),
        (
            Aspect::Landscape,
            &[
                "16:9",
                "16x9",
                "16 by 9",
                "landscape",
                "horizontal",
                "widescreen",
                "wide screen",
                "横屏",
                "横版",
                "横向",
                "宽屏",
            ],
        ),
    ];
    if let Some((a, _)) = aspects.iter().find(|(_, kws)| has(low, kws)) {
        out.push(Edit::Aspect(*a));
    }
    if has(
        low,
        &["1080p", "1080", "full hd", "fhd", "1920x1080", "1080x1920"],
    ) {
        out.push(Edit::Resolution(1080));
    } else if has(low, &["720p", "720", "1280x720", "720x1280"]) {
        out.push(Edit::Resolution(720));
    }
}

// ---- out of scope ----

/// Things people ask for that this agent cannot do, with the nearest thing
/// it can: (keywords, English offer, Chinese offer).
const OUT_OF_SCOPE: &[(&[&str], &str, &str)] = &[
    (
        &["logo", "watermark", "水印", "贴纸", "sticker", "stickers"],
        "the nearest I can do is a title or closing text (title: \"…\", closing text: \"…\")",
        "最接近的是标题或结尾文字（标题：“…”，结尾文字：“…”）",
    ),
    (
        &["4k", "2160p", "uhd", "8k", "1440p", "2k"],
        "the sharpest video I make is 1080p (say \"1080p\")",
        "我能做的最高清晰度是1080p（说“1080p”）",
    ),
    (
        &[
            "fps",
            "24fps",
            "25fps",
            "30fps",
            "50fps",
            "60fps",
            "120fps",
            "frame rate",
            "framerate",
            "frames per second",
            "帧率",
            "帧",
        ],
        "the frame rate is fixed; I can change the pacing instead (\"2 seconds per photo\", \"faster\")",
        "帧率是固定的；我可以改节奏（“每张照片2秒”“快一点”）",
    ),
    (
        &[
            "subtitle",
            "subtitles",
            "captions",
            "caption each",
            "text on each",
            "voiceover",
            "voice over",
            "narration",
            "字幕",
            "配音",
            "旁白",
        ],
        "the nearest I can do is one title at the start and one closing text at the end",
        "最接近的是开头一个标题和结尾一段文字",
    ),
    (
        &[
            "filter",
            "filters",
            "black and white",
            "sepia",
            "vintage",
            "color grade",
            "colour grade",
            "brightness",
            "contrast",
            "saturation",
            "滤镜",
            "调色",
            "黑白",
            "亮度",
            "美颜",
            "blur the",
            "vignette",
            "green screen",
            "split screen",
            "picture in picture",
            "模糊",
            "分屏",
            "画中画",
            "brighten",
            "brighter",
            "red-eye",
            "red eye",
            "mosaic",
            "pixelate",
            "blur faces",
            "blur the faces",
            "马赛克",
            "打码",
            "sharpen",
            "调亮",
            "变亮",
        ],
        "I don't change how the photos look; the nearest is the transitions (\"fade through black\") or Ken Burns motion",
        "我不改照片本身的样子；最接近的是转场（“黑场过渡”）或肯·伯恩斯缩放效果",
    ),
    (
        &["rotate", "rotated", "crop", "cropped", "旋转", "裁剪", "剪裁", "转正"],
        "photos are turned upright by their own orientation and fitted whole; I can remove a photo or move it (\"remove photo 3\")",
        "照片会按自身的方向信息摆正并完整显示；我可以删除或移动某张照片（“删除第3张”）",
    ),
    (
        &[
            "font", "fonts", "font size", "text size", "text color", "text colour", "title color",
            "title colour", "bold", "italic", "字体", "字号", "颜色", "加粗",
        ],
        "the look of the text is fixed; I can change its words (title: \"…\", closing text: \"…\")",
        "文字的样式是固定的；我可以改文字内容（标题：“…”，结尾文字：“…”）",
    ),
    (
        &[
            "remove the background",
            "background removal",
            "remove background",
            "emoji",
            "emojis",
            "抠图",
            "抠",
            "表情",
        ],
        "I don't change what is in the photos; the nearest is a title or closing text (title: \"…\")",
        "我不改照片里的内容；最接近的是标题或结尾文字（标题：“…”）",
    ),
    (
        &["to the beat", "beat sync", "on the beat", "卡点", "踩点"],
        "every photo stays the same time; I can set it to match a tempo (\"2 seconds per photo\")",
        "每张照片停留的时间相同；我可以按节奏设置时长（“每张照片2秒”）",
    ),
    (
        &["slow motion", "slow mo", "slowmo", "慢动作", "变速", "speed ramp"],
        "clips play at their own speed; I can make the photos stay longer (\"slower\")",
        "视频片段按原速播放；我可以让照片停留更久（“慢一点”）",
    ),
    (
        &[
            "sound effect", "sound effects", "sfx", "echo", "reverb", "音效", "回声", "混响",
        ],
        "the sound is one music track; I can change its mood (\"calm\", \"upbeat\", \"lo-fi\") or volume",
        "声音只有一条音乐；我可以换风格（舒缓、欢快、低保真）或调音量",
    ),
];

/// Where people ask to post the video, which this agent cannot do.
const PLATFORMS: &[&str] = &[
    "instagram",
    "insta",
    "facebook",
    "tiktok",
    "twitter",
    "whatsapp",
    "snapchat",
    "youtube",
    "抖音",
    "小红书",
    "朋友圈",
    "微信",
    "微博",
    "b站",
    "bilibili",
    "快手",
    "油管",
];
const POST_VERBS: &[&str] = &[
    "upload",
    "post",
    "share",
    "publish",
    "send",
    "put it on",
    "put on",
    "发到",
    "发布到",
    "发布",
    "上传到",
    "分享到",
    "发给",
    "传到",
    "发",
];

/// "upload it to my Instagram", 帮我发到抖音上: from the verb to the place.
fn posting(low: &str) -> Option<(usize, usize)> {
    let verbs = find_any(low, POST_VERBS);
    let places = find_any(low, PLATFORMS);
    verbs.iter().find_map(|&(vs, ve)| {
        places
            .iter()
            .find(|&&(ps, _)| ps >= ve && ps - ve <= 24)
            .map(|&(_, pe)| (vs, pe))
    })
}

/// A song asked for by name, which only a real music library could play:
/// "use Here Comes the Sun by the Beatles as the music", 背景音乐用《晴天》.
/// Moods, "my music" and uploaded file names are not names of songs.
pub fn named_song(msg: &str) -> Option<String> {
    let low = msg.to_ascii_lowercase();
    let mine = |x: &str| {
        let l = x.to_ascii_lowercase();
        has(
            &l,
            &["my", "mine", "own", "uploaded", "我的", "我上传", "自己"],
        ) || words::is_audio_name(x.trim())
            || mood(&l, true).is_some()
            || [
                "some",
                "music",
                "a song",
                "song",
                "background",
                "bgm",
                "the",
            ]
            .contains(&l.trim())
    };
    // 《晴天》 with music words: a song's title.
    if let (Some(a), Some(b)) = (msg.find('《'), msg.find('》')) {
        let name = &msg[a..b + '》'.len_utf8()];
        if a < b && has(&low, MUSIC_WORDS) && !mine(name) {
            return Some(name.to_string());
        }
    }
    for tail in [
        " as the music",
        " as music",
        " as the song",
        " as the soundtrack",
        " as the background music",
        " as background music",
        " as the bgm",
        " for the music",
        " for music",
    ] {
        if let Some(i) = low.find(tail) {
            let head = &low[..i];
            let start = ["use ", "play ", "put ", "add ", "set "]
                .iter()
                .filter_map(|v| head.rfind(v).map(|j| j + v.len()))
                .max()?;
            let name = msg[start..i].trim();
            if !name.is_empty() && !mine(name) {
                return Some(name.to_string());
            }
        }
    }
    // 背景音乐用周杰伦的晴天, 音乐换成稻香: what follows the verb, when it is
    // no mood, no upload and no file.
    for key in [
        "背景音乐用",
        "音乐用",
        "配乐用",
        "bgm用",
        "背景音乐换成",
        "音乐换成",
        "bgm换成",
        "歌换成",
        "放一首",
        "来一首",
    ] {
        if let Some(i) = low.find(key) {
            let from = i + key.len();
            let end = msg[from..]
                .find(['，', ',', '。', '！', '？', '吧', '!', '?'])
                .map_or(msg.len(), |e| from + e);
            let name = msg[from..end].trim();
            let generic = ["的", "一点", "点", "一首", "音乐", "歌"]
                .iter()
                .any(|g| name.ends_with(g));
            if name.chars().count() >= 2 && !mine(name) && !generic {
                return Some(name.to_string());
            }
        }
    }
    // "play Yellow by Coldplay", "add the song 'Yellow'"
    for key in [
        " by ",
        "use the song ",
        "play the song ",
        "add the song ",
        "use the track ",
        "play the track ",
    ] {
        if let Some(i) = low.find(key) {
            if !has(&low, MUSIC_WORDS) && key == " by " && !low.starts_with("play") {
                continue;
            }
            let from = if key == " by " {
                ["play ", "use ", "add "]
                    .iter()
                    .filter_map(|v| low[..i].rfind(v).map(|j| j + v.len()))
                    .max()?
            } else {
                i + key.len()
            };
            let end = msg[from..]
                .find([',', '.', ';', '!', '?'])
                .map_or(msg.len(), |e| from + e);
            let name = msg[from..end].trim();
            if !name.is_empty() && !mine(name) && name.len() <= 80 {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// What a message asks for that cannot be done: the words it used (with a
/// number just before them: "60 fps") and, per request, the offer in
/// English and Chinese. One scan per keyword.
pub fn unsupported(msg: &str) -> Vec<(String, &'static str, &'static str)> {
    unsupported_parts(msg)
        .into_iter()
        .map(|(s, e, _, en, zh)| (msg[s..e].to_string(), en, zh))
        .collect()
}

/// Where each request that cannot be done is in `msg` (the part of the
/// sentence that asks for it: "add some emojis", 给猫那张抠个图), with the
/// offers in English and Chinese.
type Part = (usize, usize, usize, &'static str, &'static str);

/// (where the part starts, where it ends, where its keyword starts, offer
/// in English, offer in Chinese).
fn unsupported_parts(msg: &str) -> Vec<Part> {
    let low = msg.to_ascii_lowercase();
    let mut out: Vec<Part> = Vec::new();
    for (kws, en, zh) in OUT_OF_SCOPE {
        let mut found = find_any(&low, kws);
        // 结尾字幕 is the closing text.
        found.retain(|&(s, _)| !(low[..s].ends_with("结尾") || low[..s].ends_with("片尾")));
        // "remove the background music" is about the music.
        found.retain(|&(_, e)| {
            let next = low[e..].trim_start();
            let word = next
                .split([' ', ',', '，', '。'])
                .next()
                .unwrap_or("")
                .chars()
                .take(12)
                .collect::<String>();
            !(word.is_ascii() && has(&word, MUSIC_WORDS))
        });
        let Some(&(s, mut e)) = found.first() else {
            continue;
        };
        // "vintage filter": neighbouring keywords name one request.
        for &(s2, e2) in &found[1..] {
            if s2 > e + 1 {
                break;
            }
            e = e.max(e2);
        }
        let head = low[..s].trim_end_matches(' ');
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let s = if digits > 0 { head.len() - digits } else { s };
        let (ps, pe) = request_part(msg, &low, s, e);
        out.push((ps, pe, s, en, zh));
    }
    if let Some((s, e)) = posting(&low) {
        let (ps, pe) = request_part(msg, &low, s, e);
        out.push((
            ps,
            pe,
            s,
            "I can't post videos for you; say \"export\" to get the MP4 and upload it there yourself",
            "我不能替你发布视频；说“导出”拿到MP4文件后自己上传",
        ));
    }
    if let Some(name) = named_song(msg) {
        let s = msg.find(&name).unwrap_or(0);
        let (ps, pe) = request_part(msg, &low, s, s + name.len());
        out.push((
            ps,
            pe,
            s,
            "I can't fetch songs by name; I can play music generated here (\"calm\", \"upbeat\" or \"lo-fi\") or an audio file you upload (\"use my music\")",
            "我没法按歌名找歌；可以用本机生成的音乐（舒缓、欢快或低保真），或你上传的音频文件（“用我的音乐”）",
        ));
    }
    out.sort_by_key(|o| o.0);
    // Two keywords of one part name it once.
    out.dedup_by(|b, a| b.0 < a.1);
    out
}

/// The part of the sentence around `s..e` that asks for it: from the last
/// comma, full stop or "and" before it to the first after it; the keyword
/// alone when that part is long.
fn request_part(msg: &str, low: &str, s: usize, e: usize) -> (usize, usize) {
    const MARKS: &[&str] = &[
        ",", ";", ". ", "!", "?", "，", "；", "。", "！", "？", "\n", " and ", " then ", " also ",
        " but ", "然后", "并且", "顺便", "另外", "还有",
    ];
    let start = MARKS
        .iter()
        .filter_map(|m| low[..s].rfind(m).map(|i| i + m.len()))
        .max()
        .unwrap_or(0);
    let end = MARKS
        .iter()
        .filter_map(|m| low[e..].find(m).map(|i| e + i))
        .min()
        .unwrap_or(msg.len());
    let part = msg[start..end].trim();
    if part.is_empty() || part.chars().count() > 80 {
        return (s, e);
    }
    let lead = msg[start..end].len() - msg[start..end].trim_start().len();
    let mut ps = start + lead;
    for w in [
        "please ",
        "pls ",
        "and ",
        "also ",
        "then ",
        "can you ",
        "could you ",
    ] {
        if low[ps..].starts_with(w) {
            ps += w.len();
        }
    }
    (ps, ps.max(start + lead + part.len()))
}
