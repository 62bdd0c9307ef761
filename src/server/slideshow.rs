//! The offline backend's model of a video: a photo slideshow with
//! transitions, Ken Burns motion, a title, closing text and music, on a
//! canvas of a given shape.
//!
//! The draft (PROTOCOL.md §7, short keys) stays the one source of truth: the
//! agent reads it with [`Slideshow::from_draft`], edits the model and writes
//! it back with [`Slideshow::to_draft`]; the renderer reads it the same way.
//! Reading is lenient, so a draft from another client (or the cloud) still
//! renders: unknown keys are ignored and missing ones take the defaults.

use serde_json::{json, Map, Value};

use crate::wire::lenient;

/// Default time a photo stays on screen.
pub const DEFAULT_PHOTO_MS: u64 = 3500;
/// Default transition length.
pub const DEFAULT_TRANSITION_MS: u64 = 750;
/// How long the title and the closing text stay on screen.
pub const TEXT_MS: u64 = 3000;
/// Shortest and longest a photo may stay, whatever is asked.
pub const PHOTO_MS_RANGE: (u64, u64) = (500, 60_000);

#[derive(Debug, Clone, PartialEq)]
pub struct Slideshow {
    pub photos: Vec<Photo>,
    pub transition: Transition,
    pub ken_burns: bool,
    pub title: Option<String>,
    pub closing: Option<String>,
    pub music: Option<Music>,
    pub canvas: Canvas,
}

/// One photo (or video clip) on the video track, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    /// The upload's id; `None` for a draft that only names the file.
    pub file_id: Option<String>,
    pub name: String,
    pub ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionKind {
    Crossfade,
    FadeBlack,
    Wipe,
    Slide,
    None,
}

impl TransitionKind {
    pub const ALL: [TransitionKind; 5] = [
        TransitionKind::Crossfade,
        TransitionKind::FadeBlack,
        TransitionKind::Wipe,
        TransitionKind::Slide,
        TransitionKind::None,
    ];

    /// The key written into the draft.
    pub fn key(self) -> &'static str {
        match self {
            TransitionKind::Crossfade => "crossfade",
            TransitionKind::FadeBlack => "fade_black",
            TransitionKind::Wipe => "wipe",
            TransitionKind::Slide => "slide",
            TransitionKind::None => "none",
        }
    }

    /// How a person would call it.
    pub fn label(self) -> &'static str {
        match self {
            TransitionKind::Crossfade => "crossfade",
            TransitionKind::FadeBlack => "fade through black",
            TransitionKind::Wipe => "wipe",
            TransitionKind::Slide => "slide",
            TransitionKind::None => "no transition",
        }
    }

    /// Reads the draft key, and the names other editors use.
    pub fn parse(s: &str) -> Option<TransitionKind> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Some(match s.as_str() {
            "crossfade" | "cross_fade" | "dissolve" | "fade" | "mix" => TransitionKind::Crossfade,
            "fade_black" | "fadeblack" | "fade_through_black" | "fade_to_black"
            | "dip_to_black" => TransitionKind::FadeBlack,
            "wipe" | "wipeleft" | "wipe_left" | "wiperight" => TransitionKind::Wipe,
            "slide" | "slideleft" | "slide_left" | "push" => TransitionKind::Slide,
            "none" | "cut" | "hard_cut" | "" => TransitionKind::None,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub kind: TransitionKind,
    pub ms: u64,
}

impl Default for Transition {
    fn default() -> Self {
        Transition {
            kind: TransitionKind::Crossfade,
            ms: DEFAULT_TRANSITION_MS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mood {
    Calm,
    Upbeat,
    LoFi,
}

impl Mood {
    pub const ALL: [Mood; 3] = [Mood::Calm, Mood::Upbeat, Mood::LoFi];

    pub fn key(self) -> &'static str {
        match self {
            Mood::Calm => "calm",
            Mood::Upbeat => "upbeat",
            Mood::LoFi => "lofi",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mood::Calm => "Calm",
            Mood::Upbeat => "Upbeat",
            Mood::LoFi => "Lo-fi",
        }
    }

    pub fn parse(s: &str) -> Option<Mood> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' ', '_'], "");
        Some(match s.as_str() {
            "calm" | "relaxed" | "gentle" | "soft" | "ambient" => Mood::Calm,
            "upbeat" | "happy" | "energetic" | "fun" | "cheerful" => Mood::Upbeat,
            "lofi" | "chill" | "chillhop" => Mood::LoFi,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MusicSource {
    /// An audio file the user uploaded.
    Upload {
        file_id: Option<String>,
        name: String,
    },
    /// A track the renderer synthesises (no samples, no licence question).
    Generated { mood: Mood },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Music {
    pub source: MusicSource,
    /// Percent. 100 % plays at YouTube's reference loudness (−14 LUFS);
    /// lower values sit that much below it.
    pub volume: u32,
}

impl Music {
    /// The name shown on the timeline ("Calm (generated)", "song.mp3").
    pub fn name(&self) -> String {
        match &self.source {
            MusicSource::Upload { name, .. } => name.clone(),
            MusicSource::Generated { mood } => format!("{} (generated)", mood.label()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    /// 16:9, a normal YouTube video.
    Landscape,
    /// 9:16, YouTube Shorts.
    Portrait,
    /// 1:1.
    Square,
}

impl Aspect {
    pub fn ratio(self) -> &'static str {
        match self {
            Aspect::Landscape => "16:9",
            Aspect::Portrait => "9:16",
            Aspect::Square => "1:1",
        }
    }

    pub fn parse(s: &str) -> Option<Aspect> {
        Some(match s.trim().replace(' ', "").as_str() {
            "16:9" | "16x9" | "landscape" | "horizontal" => Aspect::Landscape,
            "9:16" | "9x16" | "portrait" | "vertical" | "shorts" => Aspect::Portrait,
            "1:1" | "1x1" | "square" => Aspect::Square,
            _ => return None,
        })
    }
}

/// The output frame: its shape and its short side ("1080p").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canvas {
    pub aspect: Aspect,
    /// Short side in pixels: 720 or 1080.
    pub p: u32,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            aspect: Aspect::Landscape,
            p: 1080,
        }
    }
}

impl Canvas {
    /// Width and height in pixels (both even, as H.264 wants).
    pub fn size(self) -> (u32, u32) {
        let p = self.p & !1;
        let long = (p as u64 * 16 / 9) as u32 & !1;
        match self.aspect {
            Aspect::Landscape => (long, p),
            Aspect::Portrait => (p, long),
            Aspect::Square => (p, p),
        }
    }

    /// The same shape with its short side at most `max_p` (quick previews
    /// and tests render tiny).
    pub fn capped(self, max_p: Option<u32>) -> Canvas {
        match max_p {
            Some(m) if m < self.p => Canvas {
                p: m.max(16),
                ..self
            },
            _ => self,
        }
    }
}

impl Slideshow {
    /// A new slideshow of these photos with every default.
    pub fn of(photos: Vec<Photo>) -> Slideshow {
        Slideshow {
            photos,
            transition: Transition::default(),
            ken_burns: true,
            title: None,
            closing: None,
            music: None,
            canvas: Canvas::default(),
        }
    }

    /// The overlap of two photos during a transition, never more than half
    /// the shorter photo (so every photo is seen on its own for a moment).
    pub fn overlap_ms(&self, i: usize) -> u64 {
        if self.transition.kind == TransitionKind::None || i + 1 >= self.photos.len() {
            return 0;
        }
        let shorter = self.photos[i].ms.min(self.photos[i + 1].ms);
        self.transition.ms.min(shorter / 2)
    }

    /// When each photo starts on the timeline, in ms.
    pub fn starts(&self) -> Vec<u64> {
        let mut at = 0u64;
        let mut out = Vec::with_capacity(self.photos.len());
        for (i, p) in self.photos.iter().enumerate() {
            out.push(at);
            at += p.ms.saturating_sub(self.overlap_ms(i));
        }
        out
    }

    /// Length of the finished video in ms.
    pub fn duration_ms(&self) -> u64 {
        let n = self.photos.len();
        let sum: u64 = self.photos.iter().map(|p| p.ms).sum();
        let overlaps: u64 = (0..n).map(|i| self.overlap_ms(i)).sum();
        sum.saturating_sub(overlaps)
    }

    /// When the title is shown: from 0, for at most [`TEXT_MS`].
    pub fn title_span(&self) -> (u64, u64) {
        let total = self.duration_ms();
        (0, TEXT_MS.min(total))
    }

    /// When the closing text is shown: the last [`TEXT_MS`].
    pub fn closing_span(&self) -> (u64, u64) {
        let total = self.duration_ms();
        (total.saturating_sub(TEXT_MS), total)
    }

    /// The draft, in PROTOCOL.md §7's short keys. Segments carry an
    /// explicit `start` because transitions overlap neighbouring photos.
    pub fn to_draft(&self) -> Value {
        let total = self.duration_ms();
        let starts = self.starts();
        let sg: Vec<Value> = self
            .photos
            .iter()
            .zip(&starts)
            .map(|(p, s)| {
                let mut m = Map::new();
                m.insert("name".into(), json!(p.name));
                if let Some(id) = &p.file_id {
                    m.insert("file_id".into(), json!(id));
                }
                json!({"start": s, "d": p.ms, "m": m})
            })
            .collect();
        let mut tracks = vec![json!({
            "tt": 0,
            "d": total,
            "m": {
                "name": "Slideshow",
                "transition": self.transition.kind.key(),
                "transition_ms": self.transition.ms,
                "ken_burns": self.ken_burns,
            },
            "sg": sg,
        })];
        if let Some(music) = &self.music {
            let name = music.name();
            let mut m = Map::new();
            m.insert("name".into(), json!(name));
            m.insert("type".into(), json!("bgm"));
            m.insert("volume".into(), json!(music.volume));
            match &music.source {
                MusicSource::Upload { file_id, .. } => {
                    if let Some(id) = file_id {
                        m.insert("file_id".into(), json!(id));
                    }
                }
                MusicSource::Generated { mood } => {
                    m.insert("mood".into(), json!(mood.key()));
                    m.insert("generated".into(), json!(true));
                }
            }
            tracks.push(json!({
                "tt": 1,
                "d": total,
                "m": {"name": name, "type": "bgm"},
                "sg": [{"start": 0, "d": total, "m": m}],
            }));
        }
        for (role, text, (s, e)) in [
            ("title", &self.title, self.title_span()),
            ("closing", &self.closing, self.closing_span()),
        ] {
            if let Some(text) = text {
                tracks.push(json!({
                    "tt": 7,
                    "d": e - s,
                    "m": {"role": role},
                    "sg": [{"start": s, "d": e - s, "m": {"text": text, "role": role}}],
                }));
            }
        }
        json!({
            "d": total,
            "t": tracks,
            "m": {"canvas": {"ratio": self.canvas.aspect.ratio(), "p": self.canvas.p}, "made_by": "img2yt-local"},
        })
    }

    /// Read a draft. `None` when it has no video segments at all.
    pub fn from_draft(draft: &Value) -> Option<Slideshow> {
        let draft = match draft {
            Value::String(s) => serde_json::from_str(s).ok()?,
            d => d.clone(),
        };
        let tracks = draft.get("t").and_then(Value::as_array)?;
        let of_type = |tt: i64| {
            tracks
                .iter()
                .filter(move |t| lenient::as_f64(&t["tt"]).map(|v| v as i64) == Some(tt))
        };
        let mut show = Slideshow::of(Vec::new());
        for t in of_type(0) {
            let tm = &t["m"];
            if let Some(k) =
                lenient::first_string(tm, &["transition"]).and_then(|s| TransitionKind::parse(&s))
            {
                show.transition.kind = k;
            }
            if let Some(ms) = lenient::as_f64(&tm["transition_ms"]) {
                show.transition.ms = ms.max(0.0) as u64;
            }
            if let Some(b) = tm["ken_burns"].as_bool() {
                show.ken_burns = b;
            }
            for s in t["sg"].as_array().into_iter().flatten() {
                let m = &s["m"];
                let name = lenient::first_string(m, &["name", "file_name", "filename", "title"])
                    .unwrap_or_else(|| format!("photo {}", show.photos.len() + 1));
                let ms = lenient::as_f64(&s["d"])
                    .or_else(|| lenient::as_f64(&m["d"]))
                    .map(|d| d as u64)
                    .unwrap_or(DEFAULT_PHOTO_MS)
                    .clamp(PHOTO_MS_RANGE.0, PHOTO_MS_RANGE.1);
                // A per-segment transition (another editor's draft) sets the
                // show's when the track did not.
                if tm.get("transition").is_none() {
                    if let Some(k) = lenient::first_string(m, &["transition"])
                        .and_then(|s| TransitionKind::parse(&s))
                    {
                        show.transition.kind = k;
                    }
                }
                show.photos.push(Photo {
                    file_id: lenient::first_string(m, &["file_id", "fileId", "id"]),
                    name,
                    ms,
                });
            }
        }
        if show.photos.is_empty() {
            return None;
        }
        // Another editor's draft places photos end to end and says nothing
        // of overlaps: lengthen each photo by the transition so the video
        // keeps the length the draft states.
        let ours = of_type(0).any(|t| t["m"].get("transition_ms").is_some());
        let placed = of_type(0)
            .flat_map(|t| t["sg"].as_array().into_iter().flatten())
            .any(|s| s.get("start").is_some());
        if !ours && !placed && show.transition.kind != TransitionKind::None {
            let n = show.photos.len();
            let ms = show.transition.ms;
            for p in show.photos.iter_mut().take(n - 1) {
                p.ms += ms.min(p.ms);
            }
        }
        if let Some(s) = of_type(1)
            .flat_map(|t| t["sg"].as_array().into_iter().flatten())
            .next()
        {
            let m = &s["m"];
            let volume = lenient::as_f64(&m["volume"])
                .map(|v| {
                    if v <= 1.0 && v.fract() != 0.0 {
                        v * 100.0
                    } else {
                        v
                    }
                })
                .map(|v| v.clamp(0.0, 100.0).round() as u32)
                .unwrap_or(100);
            let mood = lenient::first_string(m, &["mood", "style"]).and_then(|s| Mood::parse(&s));
            let file_id = lenient::first_string(m, &["file_id", "fileId"]);
            let name =
                lenient::first_string(m, &["name", "title"]).unwrap_or_else(|| "Music".into());
            let source = match (mood, &file_id) {
                (_, Some(_)) => MusicSource::Upload { file_id, name },
                (Some(mood), None) => MusicSource::Generated { mood },
                (None, None) => MusicSource::Generated {
                    mood: Mood::parse(name.split_whitespace().next().unwrap_or(""))
                        .unwrap_or(Mood::Calm),
                },
            };
            show.music = Some(Music { source, volume });
        }
        for t in of_type(7) {
            for s in t["sg"].as_array().into_iter().flatten() {
                let m = &s["m"];
                let Some(text) = lenient::first_string(m, &["text", "title", "name"]) else {
                    continue;
                };
                let role = lenient::first_string(m, &["role"])
                    .or_else(|| lenient::first_string(&t["m"], &["role"]));
                if role.as_deref() == Some("closing") {
                    show.closing = Some(text);
                } else if show.title.is_none() {
                    show.title = Some(text);
                }
            }
        }
        let canvas = &draft["m"]["canvas"];
        if let Some(a) =
            lenient::first_string(canvas, &["ratio", "aspect"]).and_then(|s| Aspect::parse(&s))
        {
            show.canvas.aspect = a;
        }
        if let Some(p) = lenient::as_f64(&canvas["p"]) {
            show.canvas.p = if p <= 720.0 { 720 } else { 1080 };
        }
        Some(show)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photos(n: usize) -> Vec<Photo> {
        (0..n)
            .map(|i| Photo {
                file_id: Some(format!("f{i}")),
                name: format!("p{i}.jpg"),
                ms: DEFAULT_PHOTO_MS,
            })
            .collect()
    }

    #[test]
    fn durations_subtract_overlaps() {
        let s = Slideshow::of(photos(10));
        assert_eq!(s.duration_ms(), 10 * 3500 - 9 * 750);
        assert_eq!(s.starts()[1], 2750);
        let mut s = s;
        s.transition.kind = TransitionKind::None;
        assert_eq!(s.duration_ms(), 35_000);
    }

    #[test]
    fn draft_round_trips() {
        let mut s = Slideshow::of(photos(3));
        s.title = Some("Iceland 2026".into());
        s.closing = Some("Thanks for watching".into());
        s.music = Some(Music {
            source: MusicSource::Generated { mood: Mood::LoFi },
            volume: 80,
        });
        s.canvas = Canvas {
            aspect: Aspect::Portrait,
            p: 720,
        };
        s.transition = Transition {
            kind: TransitionKind::Wipe,
            ms: 1000,
        };
        s.ken_burns = false;
        let back = Slideshow::from_draft(&s.to_draft()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn reads_foreign_drafts() {
        let d = json!({"t": [
            {"tt": 0, "sg": [{"d": "2000", "m": {"name": "a.jpg", "transition": "crossfade"}}, {"d": 1500.0, "m": {}}]},
            {"tt": 1, "sg": [{"d": 3500, "m": {"name": "Lo-fi", "volume": 35}}]},
            {"tt": 7, "sg": [{"d": 3000, "m": {"text": "Hello"}}]}
        ]});
        let s = Slideshow::from_draft(&d).unwrap();
        assert_eq!(s.photos.len(), 2);
        // End to end in the draft: the crossfade comes out of a longer
        // first photo, so the video keeps the draft's 3.5 s.
        assert_eq!(s.photos[0].ms, 2750);
        assert_eq!(s.duration_ms(), 3500);
        assert_eq!(s.photos[1].name, "photo 2");
        assert_eq!(s.title.as_deref(), Some("Hello"));
        assert_eq!(
            s.music,
            Some(Music {
                source: MusicSource::Generated { mood: Mood::LoFi },
                volume: 35
            })
        );
        assert!(Slideshow::from_draft(&json!({"t": []})).is_none());
        assert!(Slideshow::from_draft(&json!(null)).is_none());
    }

    #[test]
    fn canvas_sizes() {
        let c = |aspect, p| Canvas { aspect, p }.size();
        assert_eq!(c(Aspect::Landscape, 1080), (1920, 1080));
        assert_eq!(c(Aspect::Portrait, 1080), (1080, 1920));
        assert_eq!(c(Aspect::Square, 720), (720, 720));
        assert_eq!(c(Aspect::Landscape, 720), (1280, 720));
        assert_eq!(Canvas::default().capped(Some(90)).size(), (160, 90));
    }
}
