//! What this agent cannot do (a logo, 4K, posting to YouTube, a song by
//! name), found so the reply can say so and offer the nearest thing it can
//! do, and so those words are not read as other wishes.

use super::keywords::MUSIC_WORDS;
use super::music::mood;
use crate::server::agent::words::{self, find_any, has};

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
pub(super) fn unsupported_parts(msg: &str) -> Vec<Part> {
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
