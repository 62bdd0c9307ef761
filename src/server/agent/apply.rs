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
        if let crate::server::render::fonts::FontChoice::Missing { warning } =
            crate::server::render::fonts::font_for(text)
        {
            // The whole reply is in the message's language.
            let cjk = text.chars().any(crate::server::render::fonts::is_cjk);
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

    // ---- photos ----

    fn make(&mut self) {
        if self.made {
            return;
        }
        // "make the whole video 20 seconds", "call the video Road Trip":
        // "video" named the thing to change, not a wish to rebuild it (which
        // would undo the other wishes of the message).
        if self.others {
            return;
        }
        let mut photos = uploaded_photos(self.media);
        let ids = |ps: &[Photo]| ps.iter().map(|p| p.file_id.clone()).collect::<Vec<_>>();
        if photos.is_empty() || ids(&photos) == ids(&self.s.photos) {
            let n = self.s.photos.len();
            self.say(
                format!(
                    "The video already uses {}. Upload more and say \"make a video\" again to add them.",
                    plural(n, "photo", "photos")
                ),
                format!("视频已经用上了{n}张照片。上传更多照片后再说一次“做成视频”即可加入。"),
            );
            return;
        }
        let ms = self
            .s
            .photos
            .first()
            .map(|p| p.ms)
            .unwrap_or(DEFAULT_PHOTO_MS);
        for p in &mut photos {
            p.ms = ms;
        }
        let n = photos.len();
        self.s.photos = photos;
        self.say(
            format!(
                "Rebuilt the video from all {} you uploaded, in upload order; your other settings are kept.",
                plural(n, "photo", "photos")
            ),
            format!("已按上传顺序用全部{n}张照片重新生成视频，其他设置保持不变。"),
        );
    }

    fn set_photo_ms(&mut self, ms: u64) -> (u64, bool) {
        let c = ms.clamp(PHOTO_MS_RANGE.0, PHOTO_MS_RANGE.1);
        for p in &mut self.s.photos {
            p.ms = c;
        }
        (c, c != ms)
    }

    fn photo_seconds(&mut self, s: f64) {
        let (ms, clamped) = self.set_photo_ms((s * 1000.0).round().max(0.0) as u64);
        let note = if clamped {
            self.lang.pick(
                " (photos stay between 0.5 and 60 seconds)",
                "（照片时长限定在0.5到60秒之间）",
            )
        } else {
            String::new()
        };
        self.say(
            format!("Each photo now stays {}{note}.", seconds(Lang::En, ms)),
            format!("每张照片现在停留{}{note}。", seconds(Lang::Zh, ms)),
        );
    }

    /// `at_most`: never longer than `s` (photo lengths rounded down).
    fn total_seconds(&mut self, s: f64, at_most: bool) {
        let n = self.s.photos.len() as f64;
        let total = s * 1000.0;
        let t = match self.s.transition.kind {
            TransitionKind::None => 0.0,
            _ => self.s.transition.ms as f64,
        };
        // total = n·p − (n−1)·overlap, overlap = min(t, p/2).
        let mut p = (total + (n - 1.0) * t) / n;
        if t > p / 2.0 {
            p = 2.0 * total / (n + 1.0);
        }
        let p = if at_most {
            (p / 100.0).floor() * 100.0
        } else {
            round_ms(p) as f64
        };
        let (ms, clamped) = self.set_photo_ms(p as u64);
        let d = self.s.duration_ms();
        self.told_length = true;
        if self.made && !clamped {
            // The first line ("Your raw video is ready: …") gives the length.
            self.say(
                format!("Each photo now stays {}.", seconds(Lang::En, ms)),
                format!("每张照片现在停留{}。", seconds(Lang::Zh, ms)),
            );
            return;
        }
        let note = if clamped {
            self.lang.pick(
                format!(
                    " — as close to {} as photos of 0.5 to 60 seconds allow",
                    seconds(Lang::En, total as u64)
                ),
                format!(
                    "，照片时长限定在0.5到60秒之间，只能尽量接近{}",
                    seconds(Lang::Zh, total as u64)
                ),
            )
        } else {
            String::new()
        };
        self.say(
            format!(
                "Each photo now stays {}, so the video runs {}{note}.",
                seconds(Lang::En, ms),
                seconds(Lang::En, d)
            ),
            format!(
                "每张照片现在停留{}，视频总长{}{note}。",
                seconds(Lang::Zh, ms),
                seconds(Lang::Zh, d)
            ),
        );
    }

    fn stretch_photos(&mut self, f: f64) {
        let Some(was) = self.s.photos.first().map(|p| p.ms) else {
            return;
        };
        let mut hit_limit = false;
        for p in &mut self.s.photos {
            let want = round_ms(p.ms as f64 * f);
            p.ms = want.clamp(PHOTO_MS_RANGE.0, PHOTO_MS_RANGE.1);
            hit_limit |= p.ms != want;
        }
        let now = self.s.photos[0].ms;
        let slower = f > 1.0;
        if now == was {
            let (en, zh) = if slower {
                ("the longest I allow (60 seconds)", "最长（60秒）")
            } else {
                ("the shortest I allow (0.5 seconds)", "最短（0.5秒）")
            };
            self.say(
                format!("Photos already stay {en}."),
                format!("照片停留时间已经是{zh}。"),
            );
            return;
        }
        let note = if hit_limit {
            self.lang.pick(" (the limit)", "（已到上限）")
        } else {
            String::new()
        };
        self.say(
            format!(
                "{}: each photo now stays {}{note} (was {}).",
                if slower { "Slower" } else { "Faster" },
                seconds(Lang::En, now),
                secs(was)
            ),
            format!(
                "{}：每张照片现在停留{}{note}（原来{}秒）。",
                if slower { "放慢了" } else { "加快了" },
                seconds(Lang::Zh, now),
                secs(was)
            ),
        );
    }

    // ---- transitions and motion ----

    fn transition(&mut self, k: TransitionKind) {
        if self.s.transition.kind == k {
            if !self.made {
                self.say(
                    format!("The transitions are already {}.", k.label()),
                    format!("转场已经是{}。", kind_zh(k)),
                );
            }
            return;
        }
        self.s.transition.kind = k;
        if self.made {
            return;
        }
        if k == TransitionKind::None {
            self.say(
                "Removed the transitions: each photo now cuts straight to the next.",
                "已去掉转场：照片之间直接切换。",
            );
        } else {
            let ms = self.s.transition.ms;
            self.say(
                format!(
                    "Transitions are now {} ({} each).",
                    k.label(),
                    seconds(Lang::En, ms)
                ),
                format!(
                    "转场已改为{}（每次{}）。",
                    kind_zh(k),
                    seconds(Lang::Zh, ms)
                ),
            );
        }
    }

    fn transition_ms(&mut self, ms: u64) {
        let c = ms.clamp(TRANSITION_MS_RANGE.0, TRANSITION_MS_RANGE.1);
        let note = if c != ms {
            self.lang.pick(
                " (transitions last 0.1 to 3 seconds)",
                "（转场时长限定在0.1到3秒之间）",
            )
        } else {
            String::new()
        };
        self.s.transition.ms = c;
        if self.s.transition.kind == TransitionKind::None {
            self.s.transition.kind = TransitionKind::Crossfade;
            self.say(
                format!(
                    "Transitions are back, as crossfades of {}{note}.",
                    seconds(Lang::En, c)
                ),
                format!("已恢复转场：交叉淡化，每次{}{note}。", seconds(Lang::Zh, c)),
            );
        } else {
            self.say(
                format!("Transitions now last {}{note}.", seconds(Lang::En, c)),
                format!("转场现在每次{}{note}。", seconds(Lang::Zh, c)),
            );
        }
    }

    fn ken_burns(&mut self, on: bool) {
        let (en, zh) = if on {
            ("on", "开启")
        } else {
            ("off", "关闭")
        };
        if self.s.ken_burns == on {
            self.say(
                format!("Ken Burns motion is already {en}."),
                format!("肯·伯恩斯效果已经是{zh}状态。"),
            );
            return;
        }
        self.s.ken_burns = on;
        self.say(
            format!("Ken Burns motion (a slow zoom and pan on each photo) is now {en}."),
            format!("肯·伯恩斯效果（照片缓慢缩放平移）已{zh}。"),
        );
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

    // ---- music ----

    fn audio(&self) -> Vec<&Media> {
        self.media.iter().filter(|m| m.kind == "audio").collect()
    }

    fn volume_now(&self) -> u32 {
        self.s
            .music
            .as_ref()
            .map(|m| m.volume)
            .unwrap_or(DEFAULT_VOLUME)
    }

    fn some_music(&mut self) {
        if let Some(m) = &self.s.music {
            let name = m.name();
            let v = m.volume;
            self.say(
                format!("There is already music: {name} at {v}% volume. Say \"calm music\", \"upbeat music\" or \"use my music\" to change it."),
                format!("已经有音乐了：{name}，音量{v}%。可以说“舒缓音乐”“欢快音乐”或“用我的音乐”来更换。"),
            );
            return;
        }
        if self.audio().is_empty() {
            self.mood(Mood::LoFi);
        } else {
            self.upload_music(None);
        }
    }

    fn mood(&mut self, m: Mood) {
        let v = self.volume_now();
        let had = self.s.music.is_some();
        self.s.music = Some(Music {
            source: MusicSource::Generated { mood: m },
            volume: v,
        });
        self.generated = Some(m);
        let label = m.label();
        self.say(
            format!(
                "{} a generated {label} track (synthesised here, not a recorded song) at {v}% volume.",
                if had { "Switched the music to" } else { "Added" }
            ),
            format!(
                "{}一段生成的{}配乐（本机合成，不是录制的歌曲），音量{v}%。",
                if had { "音乐已换成" } else { "已添加" },
                mood_zh(m)
            ),
        );
    }

    fn upload_music(&mut self, name: Option<&str>) {
        let audio = self.audio();
        let pick = match name {
            Some(n) => {
                let n = n.to_lowercase();
                audio
                    .iter()
                    .find(|m| m.name.to_lowercase() == n)
                    .or_else(|| audio.iter().find(|m| m.name.to_lowercase().contains(&n)))
                    .copied()
            }
            None => audio.last().copied(),
        };
        let Some(m) = pick else {
            if audio.is_empty() {
                self.say(
                    "I don't see an uploaded audio file. Upload one first (mp3, wav, m4a or aac: drag it here or type /upload song.mp3), then say \"use my music\".",
                    "还没有上传音频文件。请先上传一个（mp3、wav、m4a 或 aac：拖到这里，或输入 /upload song.mp3），然后说“用我的音乐”。",
                );
            } else {
                let names: Vec<&str> = audio.iter().map(|m| m.name.as_str()).collect();
                let n = name.unwrap_or_default();
                self.say(
                    format!(
                        "There is no uploaded audio called {n}; uploaded: {}.",
                        names.join(", ")
                    ),
                    format!("没有名为 {n} 的音频；已上传：{}。", names.join("、")),
                );
            }
            return;
        };
        let v = self.volume_now();
        let name = m.name.clone();
        self.s.music = Some(Music {
            source: MusicSource::Upload {
                file_id: Some(m.file_id.clone()),
                name: name.clone(),
            },
            volume: v,
        });
        self.say(
            format!("The music is now your upload {name}, at {v}% volume."),
            format!("音乐已换成你上传的 {name}，音量{v}%。"),
        );
    }

    fn no_music_yet(&mut self) -> bool {
        if self.s.music.is_some() {
            return false;
        }
        self.say(
            "There is no music yet: say \"calm music\", \"upbeat music\", \"lo-fi music\" or \"use my music\" first.",
            "还没有音乐：先说“舒缓音乐”“欢快音乐”“低保真音乐”或“用我的音乐”。",
        );
        true
    }

    fn set_volume(&mut self, v: u32, note: String) {
        if let Some(m) = &mut self.s.music {
            m.volume = v;
        }
        self.say(
            format!("Music volume is now {v}%{note} (100% is YouTube's reference loudness)."),
            format!("音乐音量已调到{v}%{note}（100% 即 YouTube 的参考响度）。"),
        );
    }

    fn volume(&mut self, v: u32) {
        if self.no_music_yet() {
            return;
        }
        let note = if v > 100 {
            self.lang.pick(
                ", the most: louder would only distort",
                "，这是上限：再大只会失真",
            )
        } else {
            String::new()
        };
        self.set_volume(v.min(100), note);
    }

    fn nudge_volume(&mut self, up: bool) {
        if self.no_music_yet() {
            return;
        }
        let v = self.volume_now();
        if up && v >= 100 {
            self.say(
                "The music is already at 100%, YouTube's reference loudness; louder would only distort.",
                "音乐已经是100%，即 YouTube 的参考响度；再大只会失真。",
            );
        } else if !up && v <= VOLUME_STEP / 2 {
            self.say(
                format!("The music is already at {v}%; say \"no music\" to remove it."),
                format!("音乐已经只有{v}%；说“去掉音乐”可以删除它。"),
            );
        } else if up {
            self.set_volume((v + VOLUME_STEP).min(100), String::new());
        } else {
            self.set_volume(
                v.saturating_sub(VOLUME_STEP).max(VOLUME_STEP / 2),
                String::new(),
            );
        }
    }

    fn no_music(&mut self) {
        if self.s.music.take().is_some() {
            self.say("Removed the music.", "已去掉音乐。");
        } else if !self.made {
            self.say("There is no music to remove.", "目前没有音乐。");
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

    // ---- photo order ----

    /// The 0-based index a selection names, or a line saying why not.
    fn resolve(&mut self, sel: &Sel) -> Option<usize> {
        let n = self.s.photos.len();
        match sel {
            Sel::Nth(k) if (1..=n).contains(k) => Some(k - 1),
            Sel::Last if n > 0 => Some(n - 1),
            Sel::FromEnd(k) if (1..=n).contains(k) => Some(n - k),
            Sel::Name(name) => {
                let l = name.to_lowercase();
                let ps = &self.s.photos;
                if let Some(i) = ps
                    .iter()
                    .position(|p| p.name.to_lowercase() == l)
                    .or_else(|| ps.iter().position(|p| p.name.to_lowercase().contains(&l)))
                    // "把海边.jpg": words glued before the name.
                    .or_else(|| {
                        (0..ps.len())
                            .filter(|&i| l.ends_with(&ps[i].name.to_lowercase()))
                            .max_by_key(|&i| ps[i].name.len())
                    })
                {
                    return Some(i);
                }
                let (en, zh) = (names_of(&self.s, ", "), names_of(&self.s, "、"));
                self.say(
                    format!(
                        "There is no photo called {name}; the photos are {en}. Which one did you mean?"
                    ),
                    format!("没有名为 {name} 的照片；照片有：{zh}。你指的是哪一张？"),
                );
                None
            }
            Sel::Nth(k) => {
                self.say(
                    format!(
                        "There is no photo {k}: the video has {}. Which one did you mean (1 to {n})?",
                        plural(n, "photo", "photos")
                    ),
                    format!("没有第{k}张：视频里只有{n}张照片。你指的是第几张（1到{n}）？"),
                );
                None
            }
            Sel::FromEnd(k) => {
                self.say(
                    format!(
                        "There is no photo {k} from the end: the video has {}.",
                        plural(n, "photo", "photos")
                    ),
                    format!("没有倒数第{k}张：视频里只有{n}张照片。"),
                );
                None
            }
            Sel::Last | Sel::Before(_) | Sel::After(_) => None,
        }
    }

    /// The named photos first, in the order given, then the others as they
    /// were.
    fn order(&mut self, sels: &[Sel]) {
        let mut picked: Vec<usize> = Vec::new();
        for sel in sels {
            let Some(i) = self.resolve(sel) else {
                return;
            };
            if picked.contains(&i) {
                self.say(
                    format!(
                        "Photo {} is named twice in that order; say each photo once.",
                        i + 1
                    ),
                    format!("第{}张在顺序里出现了两次；每张照片只说一次。", i + 1),
                );
                return;
            }
            picked.push(i);
        }
        let n = self.s.photos.len();
        let rest = (0..n).filter(|i| !picked.contains(i));
        let order: Vec<usize> = picked.iter().copied().chain(rest).collect();
        if order.iter().copied().eq(0..n) {
            self.say(
                "The photos are already in that order.",
                "照片已经是这个顺序了。",
            );
            return;
        }
        let old = std::mem::take(&mut self.s.photos);
        self.s.photos = order.iter().map(|&i| old[i].clone()).collect();
        self.say(
            format!("New order: {}.", names_of(&self.s, ", ")),
            format!("新的顺序：{}。", names_of(&self.s, "、")),
        );
    }

    fn move_photo(&mut self, from: &Sel, to: &Sel) {
        let Some(i) = self.resolve(from) else {
            return;
        };
        let n = self.s.photos.len();
        let j = match to {
            Sel::Nth(k) => k.saturating_sub(1).min(n - 1),
            Sel::Last => n - 1,
            Sel::FromEnd(k) => n.saturating_sub(*k),
            Sel::Name(_) => match self.resolve(to) {
                Some(j) => j,
                None => return,
            },
            // Where the other photo is once this one is taken out.
            Sel::Before(other) | Sel::After(other) => {
                let Some(k) = self.resolve(other) else {
                    return;
                };
                let k = if i < k { k - 1 } else { k };
                if matches!(to, Sel::After(_)) {
                    k + 1
                } else {
                    k
                }
            }
        };
        let name = self.s.photos[i].name.clone();
        if i == j {
            self.say(
                format!("{name} is already photo {}.", i + 1),
                format!("{name} 已经是第{}张。", i + 1),
            );
            return;
        }
        let p = self.s.photos.remove(i);
        self.s.photos.insert(j, p);
        self.say(
            format!(
                "Moved {name} from position {} to position {} of {n}.",
                i + 1,
                j + 1
            ),
            format!("已把 {name} 从第{}张移到第{}张（共{n}张）。", i + 1, j + 1),
        );
    }

    fn swap(&mut self, a: &Sel, b: &Sel) {
        let (Some(i), Some(j)) = (self.resolve(a), self.resolve(b)) else {
            return;
        };
        if i == j {
            self.say("Those are the same photo.", "这是同一张照片。");
            return;
        }
        self.s.photos.swap(i, j);
        let (ni, nj) = (&self.s.photos[j].name, &self.s.photos[i].name);
        let (en, zh) = (
            format!("Swapped photo {} ({ni}) and photo {} ({nj}).", i + 1, j + 1),
            format!("已交换第{}张（{ni}）和第{}张（{nj}）。", i + 1, j + 1),
        );
        self.say(en, zh);
    }

    fn remove(&mut self, sels: &[Sel]) {
        let mut idx: Vec<usize> = Vec::new();
        for s in sels {
            match self.resolve(s) {
                Some(i) if !idx.contains(&i) => idx.push(i),
                Some(_) => {}
                None => return,
            }
        }
        if idx.is_empty() {
            return;
        }
        if idx.len() >= self.s.photos.len() {
            self.say(
                "That would remove every photo, and a video needs at least one. Upload others first, or say which to keep.",
                "这样会删掉所有照片，视频至少需要一张。请先上传别的照片，或告诉我保留哪张。",
            );
            return;
        }
        idx.sort_unstable();
        let names: Vec<String> = idx.iter().map(|&i| self.s.photos[i].name.clone()).collect();
        let nums: Vec<String> = idx.iter().map(|i| (i + 1).to_string()).collect();
        for &i in idx.iter().rev() {
            self.s.photos.remove(i);
        }
        let left = self.s.photos.len();
        self.say(
            format!(
                "Removed {} {} ({}); {} left.",
                if idx.len() == 1 { "photo" } else { "photos" },
                nums.join(" and "),
                names.join(", "),
                plural(left, "photo", "photos")
            ),
            format!(
                "已删除第{}张（{}），还剩{left}张。",
                nums.join("、"),
                names.join("、")
            ),
        );
    }

    fn reverse(&mut self) {
        if self.s.photos.len() < 2 {
            self.say(
                "There is only one photo, so the order stays.",
                "只有一张照片，顺序不变。",
            );
            return;
        }
        self.s.photos.reverse();
        let first = self.s.photos[0].name.clone();
        let last = self.s.photos[self.s.photos.len() - 1].name.clone();
        self.say(
            format!("Reversed the order: {first} now comes first and {last} last."),
            format!("已倒序：现在 {first} 在最前，{last} 在最后。"),
        );
    }
}
