//! Applying [`Edit`]s to a [`Slideshow`], and saying exactly what changed,
//! in the user's language. Values are clamped to sane ranges (a photo 0.5-60
//! s, a transition 0.1-3 s and never more than half a photo, music volume
//! 0-100 %) and the reply says when they were. Pure: the draft, the undo
//! history and the SSE frames are the turn's business (`mod.rs`).

use super::intent::{Ask, Edit, Sel};
use super::words::{self, seconds, secs, Lang};
use crate::server::slideshow::{
    Aspect, Canvas, Mood, Music, MusicSource, Photo, Slideshow, TransitionKind, DEFAULT_PHOTO_MS,
    PHOTO_MS_RANGE, TEXT_MS,
};
use crate::server::world::Media;

mod music;
mod order;
mod timing;

/// Volume of new music. 100 % plays at YouTube's reference loudness (-14
/// LUFS): a slideshow has no other sound, so the music is the whole mix and
/// should sit where YouTube expects a finished video to be.
pub const DEFAULT_VOLUME: u32 = 100;
/// Shortest and longest a transition may be.
pub const TRANSITION_MS_RANGE: (u64, u64) = (100, 3000);
/// How much "slower" / "faster" stretches or shrinks.
const STEP: f64 = 1.5;
/// How much "louder" / "quieter" moves the volume, in points.
const VOLUME_STEP: u32 = 20;

/// What applying a message's edits did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The video afterwards (`None`: still no video).
    pub show: Option<Slideshow>,
    /// One sentence per change (or per thing that could not be done).
    pub lines: Vec<String>,
    /// This turn created the video.
    pub made: bool,
    /// A track was generated this turn (the `generate_music` tool).
    pub generated: Option<Mood>,
    /// Something needs the user's attention (no font for a title): the
    /// turn is never a silent one.
    pub warned: bool,
}

impl Outcome {
    /// The reply: every line, in order, one change a line.
    pub fn reply(&self) -> String {
        self.lines.join("\n")
    }
}

/// The photos (and clips) uploaded to the session, in upload order.
pub fn uploaded_photos(media: &[Media]) -> Vec<Photo> {
    media
        .iter()
        .filter(|m| m.kind == "image" || m.kind == "video")
        .map(|m| Photo {
            file_id: Some(m.file_id.clone()),
            name: m.name.clone(),
            ms: DEFAULT_PHOTO_MS,
        })
        .collect()
}

/// Apply `edits` in order. Without a video, the first edit makes one from
/// the uploaded photos ("title: X" before any video makes the video with
/// that title); without photos nothing happens and the reply says how to
/// start. `Edit::Undo` is not handled here.
pub fn apply(show: Option<Slideshow>, edits: &[Edit], media: &[Media], lang: Lang) -> Outcome {
    let made = show.is_none();
    let show = match show {
        Some(s) => s,
        None => {
            let photos = uploaded_photos(media);
            if photos.is_empty() {
                let line = if edits.contains(&Edit::Make) {
                    lang.pick(
                        "I don't see any images in this project yet. Drag your photos into the upload area, then ask me again.",
                        "这个项目里还没有图片。先把照片拖到上传区，然后再告诉我。",
                    )
                } else {
                    lang.pick(
                        "Share some images first, then tell me what kind of video you want — for example \"turn these images into a YouTube video with music and transitions\".",
                        "请先上传一些图片，再告诉我想要什么样的视频——比如“把这些图片做成带音乐和转场的 YouTube 视频”。",
                    )
                };
                return Outcome {
                    show: None,
                    lines: vec![line],
                    made: false,
                    generated: None,
                    warned: false,
                };
            }
            Slideshow::of(photos)
        }
    };
    let mut ed = Editor {
        start: show.clone(),
        s: show,
        media,
        lang,
        lines: Vec::new(),
        generated: None,
        made,
        warned: false,
        others: edits.len() > 1,
        told_length: false,
    };
    for e in edits {
        ed.edit(e);
    }
    ed.finish()
}

struct Editor<'a> {
    start: Slideshow,
    s: Slideshow,
    media: &'a [Media],
    lang: Lang,
    lines: Vec<String>,
    generated: Option<Mood>,
    made: bool,
    warned: bool,
    /// The message asks for more than this one edit.
    others: bool,
    /// A line already says how long the video now runs.
    told_length: bool,
}

/// The photos' names for a reply: the first ten, then "…".
fn names_of(show: &Slideshow, sep: &str) -> String {
    let names: Vec<&str> = show
        .photos
        .iter()
        .take(10)
        .map(|p| p.name.as_str())
        .collect();
    let more = if show.photos.len() > 10 { ", …" } else { "" };
    format!("{}{more}", names.join(sep))
}

/// The question asked back for a wish too vague to carry out.
pub fn question(q: Ask, show: &Slideshow, lang: Lang) -> String {
    let n = show.photos.len();
    match q {
        Ask::WhichPhoto => lang.pick(
            format!(
                "Which photo do you mean? Say its number or file name, like \"remove photo 2\" or \"swap photos 1 and 3\" (the video has {}: {}).",
                plural(n, "photo", "photos"),
                names_of(show, ", ")
            ),
            format!(
                "你指的是哪一张？请说第几张或文件名，比如“删除第2张”“交换第1张和第3张”（视频里有{n}张：{}）。",
                names_of(show, "、")
            ),
        ),
        Ask::WhichTransition => {
            let k = show.transition.kind;
            lang.pick(
                format!(
                    "Which transition would you like: crossfade, fade through black, wipe, slide, or none (hard cuts)? They are {} now.",
                    k.label()
                ),
                format!(
                    "想换成哪种转场：交叉淡化、黑场过渡、擦除、滑动，还是无转场？现在是{}。",
                    kind_zh(k)
                ),
            )
        }
        Ask::WhichMusic => lang.pick(
            "Which music would you like: calm, upbeat or lo-fi (generated here), or your own (upload an audio file and say \"use my music\")?",
            "想换成哪种音乐：舒缓、欢快还是低保真（本机生成），或者你自己的（上传音频后说“用我的音乐”）？",
        ),
        Ask::WhichVolume => {
            let now = show
                .music
                .as_ref()
                .map(|m| format!("{}%", m.volume))
                .unwrap_or_else(|| lang.pick("no music yet", "还没有音乐"));
            lang.pick(
                format!("How loud should the music be? Say a level like \"volume 60%\", or \"louder\" / \"quieter\" (now: {now})."),
                format!("音乐要多大声？可以说“音量60%”，或者“大声一点”/“小声一点”（现在：{now}）。"),
            )
        }
        Ask::TitleText => lang.pick(
            "What should the title say? For example: title: \"Iceland 2026\".",
            "标题要写什么？比如：标题：“冰岛之旅”。",
        ),
        Ask::Unit(x) => {
            let x = words::secs((x * 1000.0) as u64);
            lang.pick(
                format!("{x} of what: {x} seconds per photo, a {x}-second video, or photo {x}? Say which and I'll do it."),
                format!("{x}指的是什么：每张照片{x}秒、整个视频{x}秒，还是第{x}张？说清楚我就照做。"),
            )
        }
        Ask::PhotoOrTotal(p, t) => {
            let whole = p * n as f64;
            lang.pick(
                format!(
                    "{} per photo and {} in all cannot both be: {} photos at {} each make about {}. Which should I keep, the length per photo or the total?",
                    seconds(Lang::En, (p * 1000.0) as u64),
                    seconds(Lang::En, (t * 1000.0) as u64),
                    n,
                    seconds(Lang::En, (p * 1000.0) as u64),
                    seconds(Lang::En, (whole * 1000.0) as u64)
                ),
                format!(
                    "每张{}和总长{}没法同时做到：{n}张照片每张{}大约是{}。要保留哪一个，每张的时长还是总长？",
                    seconds(Lang::Zh, (p * 1000.0) as u64),
                    seconds(Lang::Zh, (t * 1000.0) as u64),
                    seconds(Lang::Zh, (p * 1000.0) as u64),
                    seconds(Lang::Zh, (whole * 1000.0) as u64)
                ),
            )
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn round_ms(ms: f64) -> u64 {
    ((ms / 100.0).round() * 100.0).max(0.0) as u64
}

fn mood_zh(m: Mood) -> &'static str {
    match m {
        Mood::Calm => "舒缓",
        Mood::Upbeat => "欢快",
        Mood::LoFi => "低保真",
    }
}

fn kind_zh(k: TransitionKind) -> &'static str {
    match k {
        TransitionKind::Crossfade => "交叉淡化",
        TransitionKind::FadeBlack => "黑场过渡",
        TransitionKind::Wipe => "擦除",
        TransitionKind::Slide => "滑动",
        TransitionKind::None => "无转场",
    }
}

fn aspect_words(lang: Lang, a: Aspect) -> String {
    match a {
        Aspect::Landscape => lang.pick(
            "landscape, a normal YouTube video",
            "横屏，普通 YouTube 视频",
        ),
        Aspect::Portrait => lang.pick("vertical, for YouTube Shorts", "竖屏，适合 YouTube Shorts"),
        Aspect::Square => lang.pick("square", "方形"),
    }
}

impl Editor<'_> {
    /// Said when the text is set, not discovered after a render: this
    /// machine has no font for it (Chinese, Japanese, Korean).
    fn font_warning(&mut self, text: &str) {
        // Once a turn: a title and a closing text need the same font.
        if self.warned {
            return;
        }
        if let crate::server::fonts::FontChoice::Missing { warning } =
            crate::server::fonts::font_for(text)
        {
            // The whole reply is in the message's language.
            let cjk = text.chars().any(crate::server::fonts::is_cjk);
            let line = match (self.lang, cjk) {
                (Lang::En, _) => warning,
                (Lang::Zh, true) => "本机没有安装中日韩字体，这段文字会显示成空白方框，所以没有放进视频；安装一种中文字体（例如 Debian/Ubuntu：sudo apt install fonts-noto-cjk）后再导出。".to_string(),
                (Lang::Zh, false) => "本机没有找到可用的字体，这段文字没有放进视频；安装一种字体（例如 Debian/Ubuntu：sudo apt install fonts-dejavu-core）后再导出。".to_string(),
            };
            self.lines.push(line);
            self.warned = true;
        }
    }

    fn say(&mut self, en: impl Into<String>, zh: impl Into<String>) {
        let line = self.lang.pick(en, zh);
        self.lines.push(line);
    }

    fn edit(&mut self, e: &Edit) {
        match e {
            Edit::Make => self.make(),
            Edit::PhotoSeconds(s) => self.photo_seconds(*s),
            Edit::TotalSeconds(s) => self.total_seconds(*s, false),
            Edit::TotalAtMost(s) => self.total_seconds(*s, true),
            Edit::PhotoDelta(d) => {
                let now = self.s.photos.first().map_or(0, |p| p.ms) as f64 / 1000.0;
                self.photo_seconds((now + d).max(0.0));
            }
            Edit::TotalDelta(d) => {
                let now = self.s.duration_ms() as f64 / 1000.0;
                self.total_seconds((now + d).max(0.0), false);
            }
            Edit::TransitionDelta(d) => {
                let now = self.s.transition.ms as f64;
                self.transition_ms((now + d * 1000.0).max(0.0).round() as u64);
            }
            Edit::PhotoTimes(f) => {
                let now = self.s.photos.first().map_or(0, |p| p.ms) as f64 / 1000.0;
                self.photo_seconds(now * f);
            }
            Edit::TransitionTimes(f) => {
                let now = self.s.transition.ms as f64;
                self.transition_ms((now * f).round() as u64);
            }
            Edit::Order(sels) => self.order(sels),
            Edit::VolumeTimes(x) => {
                if !self.no_music_yet() {
                    let v = (self.volume_now() as f64 * x).round() as u32;
                    self.volume(v.max(1));
                }
            }
            Edit::Slower => self.stretch_photos(STEP),
            Edit::Faster => self.stretch_photos(1.0 / STEP),
            Edit::Transition(k) => self.transition(*k),
            Edit::TransitionSeconds(s) => self.transition_ms((s * 1000.0).round() as u64),
            Edit::LongerTransitions => {
                self.transition_ms(round_ms(self.s.transition.ms as f64 * STEP))
            }
            Edit::ShorterTransitions => {
                self.transition_ms(round_ms(self.s.transition.ms as f64 / STEP))
            }
            Edit::KenBurns(on) => self.ken_burns(*on),
            Edit::Title(t) => self.title(Some(t)),
            Edit::RemoveTitle => self.title(None),
            Edit::Closing(t) => self.closing(Some(t)),
            Edit::RemoveClosing => self.closing(None),
            Edit::Music => self.some_music(),
            Edit::MusicMood(m) => self.mood(*m),
            Edit::MusicUpload(name) => self.upload_music(name.as_deref()),
            Edit::MusicVolume(v) => self.volume(*v),
            Edit::Louder => self.nudge_volume(true),
            Edit::Quieter => self.nudge_volume(false),
            Edit::NoMusic => self.no_music(),
            Edit::Aspect(a) => self.aspect(*a),
            Edit::Resolution(p) => self.resolution(*p),
            Edit::MovePhoto { from, to } => self.move_photo(from, to),
            Edit::SwapPhotos(a, b) => self.swap(a, b),
            Edit::RemovePhotos(sels) => self.remove(sels),
            Edit::ReversePhotos => self.reverse(),
            Edit::Undo => {}
            Edit::Ask(q) => {
                let line = question(*q, &self.s, self.lang);
                self.lines.push(line);
            }
        }
    }

    fn finish(mut self) -> Outcome {
        // A transition is at most half the shortest photo, so every photo is
        // seen on its own for a moment.
        let shortest = self.s.photos.iter().map(|p| p.ms).min().unwrap_or(0);
        if self.s.transition.kind != TransitionKind::None && self.s.transition.ms > shortest / 2 {
            self.s.transition.ms = (shortest / 2).max(1);
            let t = self.s.transition.ms;
            self.say(
                format!(
                    "Transitions are now {} so each photo is seen on its own for a moment (a transition lasts at most half a photo).",
                    seconds(Lang::En, t)
                ),
                format!("转场缩短为{}，让每张照片都能单独停留片刻（转场最长为照片时长的一半）。", seconds(Lang::Zh, t)),
            );
        }
        let lang = self.lang;
        if self.made {
            let count = crate::server::media::Count::of(&self.s.photos, self.media);
            let dur = self.s.duration_ms();
            let kind = self.s.transition.kind;
            let head = lang.pick(
                format!(
                    "Your raw video is ready: {}, {}, {}.",
                    count.en(),
                    seconds(Lang::En, dur),
                    if kind == TransitionKind::None {
                        "with no transitions".to_string()
                    } else {
                        format!("with {} transitions", kind.label())
                    }
                ),
                format!(
                    "原始视频已生成：{}，{}，{}。",
                    count.zh(),
                    seconds(Lang::Zh, dur),
                    kind_zh(kind)
                ),
            );
            self.lines.insert(0, head);
        } else if self.s.duration_ms() != self.start.duration_ms()
            && !self.s.photos.is_empty()
            && !self.told_length
        {
            let d = self.s.duration_ms();
            self.say(
                format!("The video now runs {}.", seconds(Lang::En, d)),
                format!("视频现在时长{}。", seconds(Lang::Zh, d)),
            );
        }
        Outcome {
            show: Some(self.s),
            lines: self.lines,
            made: self.made,
            generated: self.generated,
            warned: self.warned,
        }
    }

    // ---- text ----

    fn title(&mut self, t: Option<&String>) {
        let secs_on = seconds(self.lang, TEXT_MS);
        match t {
            Some(t) => {
                self.s.title = Some(t.clone());
                self.say(
                    format!("Title set: '{t}' (the first {secs_on})."),
                    format!("标题已设为「{t}」（开头{secs_on}）。"),
                );
                self.font_warning(t);
            }
            None if self.s.title.take().is_some() => self.say("Removed the title.", "已去掉标题。"),
            None => self.say("There is no title to remove.", "目前没有标题。"),
        }
    }

    fn closing(&mut self, t: Option<&String>) {
        let secs_on = seconds(self.lang, TEXT_MS);
        match t {
            Some(t) => {
                self.s.closing = Some(t.clone());
                self.say(
                    format!("Closing text set: '{t}' (the last {secs_on})."),
                    format!("结尾文字已设为「{t}」（最后{secs_on}）。"),
                );
                self.font_warning(t);
            }
            None if self.s.closing.take().is_some() => {
                self.say("Removed the closing text.", "已去掉结尾文字。")
            }
            None => self.say("There is no closing text to remove.", "目前没有结尾文字。"),
        }
    }

    // ---- canvas ----

    fn aspect(&mut self, a: Aspect) {
        let words = aspect_words(self.lang, a);
        if self.s.canvas.aspect == a {
            self.say(
                format!("The video is already {} ({words}).", a.ratio()),
                format!("视频已经是{}（{words}）。", a.ratio()),
            );
            return;
        }
        self.s.canvas.aspect = a;
        let (w, h) = self.s.canvas.size();
        self.say(
            format!("The video is now {} ({words}), {w}×{h}.", a.ratio()),
            format!("视频已改为{}（{words}），{w}×{h}。", a.ratio()),
        );
    }

    fn resolution(&mut self, p: u32) {
        let (w, h) = Canvas { p, ..self.s.canvas }.size();
        if self.s.canvas.p == p {
            self.say(
                format!("The video is already {p}p ({w}×{h})."),
                format!("视频已经是{p}p（{w}×{h}）。"),
            );
            return;
        }
        self.s.canvas.p = p;
        self.say(
            format!("The video is now {p}p ({w}×{h})."),
            format!("视频已改为{p}p（{w}×{h}）。"),
        );
    }
}
