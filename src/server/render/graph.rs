//! The render plan: one ffmpeg command whose filter graph is built from the
//! slideshow. Pure (no I/O), so every choice here is unit-tested.
//!
//! Shape of the graph: each photo is decoded once (big JPEGs at reduced
//! size; JPEGs alike share one decoder through the concat demuxer), turned
//! upright (EXIF), fitted and padded with transparency in a short chain
//! (ffmpeg keeps every chain's buffers until the end). All photos then go
//! through one shared chain: the blurred, darkened fill of each photo (no
//! black bars), the composite, one colour conversion to BT.709, and
//! `zoompan` holding or moving each photo (on a frame twice the canvas
//! size, so the motion steps by half a pixel and looks smooth). With
//! transitions two zoompans take turns, so the two photos of a transition
//! are drawn side by side; each photo's first frames go to a stream of
//! their own, laid over the previous photo's last frames by one `overlay`
//! for all transitions. Titles are drawn with `drawtext` from text files
//! (no escaping of user text); music is synthesised (mastered to −14 LUFS)
//! or read from the upload (normalised with `loudnorm`). The thumbnail is a
//! second output of the same process, cut from the best-exposed photo.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::music;
use crate::server::slideshow::{Aspect, Mood, Slideshow, TransitionKind};

/// Frames per second of every video the renderer writes.
pub const FPS: u64 = 30;
/// Ken Burns frames are cut from a frame this many times the canvas size.
/// Measured on a test pattern, the frame-to-frame wobble of a zoom is at
/// most 0.49 px at 2×, 0.66 px at 1.75×, 1.2 px at 1.5× and 3.2 px at 1×.
const KB_SUPERSAMPLE: u32 = 2;
/// How far Ken Burns zooms (12 %).
const KB_ZOOM: f64 = 0.12;
/// Loudness target (YouTube's reference) and true-peak ceiling.
const LUFS: f64 = -14.0;
const TRUE_PEAK: f64 = -1.5;
/// BT.601 (every composed photo) to BT.709 (what the output is tagged as),
/// in place of the colours. Not `scale`'s `in_color_matrix`: for a change
/// of matrix this swscale converts through a full-size RGB copy of the
/// frame and keeps it for the whole render (17 MB at 1080p).
const TO_709: &str = "colormatrix=bt601:bt709";
/// The thumbnail's size (YouTube's recommended 16:9 thumbnail).
pub const THUMB: (u32, u32) = (1280, 720);

/// What one photo slot shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Visual {
    Image {
        path: PathBuf,
        orientation: u8,
        /// A JPEG by its first bytes (photos that can share a decoder).
        jpeg: bool,
        /// Decode at 1/2^n size (JPEG only): a 12-megapixel photo needs
        /// no more than half its pixels for a 1080p frame, and decoding
        /// fewer is faster and holds less memory.
        lowres: u8,
        /// Width and height once upright, when the header says.
        size: Option<(u32, u32)>,
    },
    Video {
        path: PathBuf,
    },
    /// The draft names media this backend does not have.
    Missing,
}

/// The soundtrack.
#[derive(Debug, Clone, PartialEq)]
pub enum Sound {
    Silence,
    Generated(Mood),
    File(PathBuf),
}

/// A text drawn over the video (title or closing text).
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// A file holding the text (drawtext reads it: nothing to escape).
    pub textfile: PathBuf,
    pub font: PathBuf,
    /// How many characters wide the text is (CJK counts double).
    pub width_chars: usize,
    pub from_ms: u64,
    pub to_ms: u64,
}

/// Everything the plan is built from.
#[derive(Debug, Clone)]
pub struct Job {
    pub show: Slideshow,
    /// Canvas size in pixels.
    pub size: (u32, u32),
    /// One per photo, in order.
    pub visuals: Vec<Visual>,
    pub sound: Sound,
    pub overlays: Vec<Overlay>,
    /// The photo the thumbnail is cut from, and the title drawn on it.
    pub thumbnail: Option<(usize, PathBuf, Option<Overlay>)>,
    pub video_out: PathBuf,
    /// x264 preset.
    pub preset: String,
    /// x264 frame threads: one per core. Its default, 1.5 per core, buys
    /// little while the filter graph keeps a core busy, and every frame
    /// thread holds frames of its own.
    pub threads: usize,
}

/// The ffmpeg command and what it will produce.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub args: Vec<String>,
    pub total_frames: u64,
    /// Concat lists (path, text) to write before running ffmpeg.
    pub lists: Vec<(PathBuf, String)>,
}

impl Plan {
    pub fn duration_s(&self) -> f64 {
        self.total_frames as f64 / FPS as f64
    }
}

/// Milliseconds → frames, to the nearest frame.
pub fn frames(ms: u64) -> u64 {
    (ms * FPS + 500) / 1000
}

fn secs(frames: u64) -> String {
    secs_f(frames as f64)
}

/// A (possibly fractional) number of frames, in seconds.
fn secs_f(frames: f64) -> String {
    format!("{:.6}", frames / FPS as f64)
}

/// Escape a value for a filter option inside a filter graph: first for the
/// option parser (`\ ' :`), then for the graph parser (`\ ' [ ] , ;`).
pub fn opt(v: &str) -> String {
    fn esc(s: &str, special: &[char]) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        for c in s.chars() {
            if special.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }
    esc(
        &esc(v, &['\\', '\'', ':']),
        &['\\', '\'', '[', ']', ',', ';'],
    )
}

/// `between(n,a,b)+…` over frame ranges `(first, length)`: true inside any.
fn any_of(ranges: &[(u64, u64)]) -> String {
    ranges
        .iter()
        .map(|&(a, l)| format!("between(n,{a},{})", a + l - 1))
        .collect::<Vec<_>>()
        .join("+")
}

/// A per-frame value inside the transition windows (`f(first, length)`),
/// 0 outside them.
fn per_window(windows: &[(u64, u64)], f: impl Fn(u64, u64) -> String) -> String {
    windows.iter().rev().fold("0".to_string(), |rest, &(a, l)| {
        format!("if(between(n,{a},{}),{},{rest})", a + l - 1, f(a, l))
    })
}

/// What photos sharing a decoder have in common: the decoding scale, the
/// EXIF orientation and, for photos to turn upright, the size.
type GroupKey = (u8, u8, Option<(u32, u32)>);

/// A stream some photos' frames come from, in order: `extra` more frames
/// follow each photo's own (a zoompan draws one more, see `plan`).
struct Source {
    label: String,
    extra: u64,
    members: Vec<usize>,
}

/// The transitions, from the `sources` (each photo `nf[i]` frames long) to
/// `[vj]` (`total` frames). `windows` are the transitions' places in the
/// output and `heads` the photo coming in over each, with the length.
///
/// Every photo's frames are split in two: its head, and the rest. The
/// rests, joined, are the video; the heads, in a stream of their own padded
/// with transparent frames, are laid over it by one `overlay` (switched off
/// between transitions), whatever the number of photos: a filter per
/// transition would keep its own frame buffers until the end. Crossfade and
/// fade through black fade the head's alpha in; the slide moves the head in
/// over the outgoing photo; the wipe reveals it from the left, cut by a
/// moving `crop`. All of it in 4:2:0 YUV (this ffmpeg's `xfade` is not, and
/// its conversions cost more than all the motion).
#[allow(clippy::too_many_arguments)]
fn transitions(
    g: &mut Vec<String>,
    kind: TransitionKind,
    windows: &[(u64, u64)],
    heads: &[(usize, u64)],
    sources: &[Source],
    nf: &[u64],
    total: u64,
    (w, h): (u32, u32),
) {
    let head_of = |i: usize| heads.iter().position(|hd| hd.0 == i);
    for s in sources {
        let x = &s.label;
        // Frames of the source for the rest of each photo (with its extra
        // frame, so each cut ends at once) and for each head (with the
        // frame after it, which the rest needs next anyway).
        let (mut rest, mut head) = (Vec::new(), Vec::new());
        let mut at = 0u64;
        for &i in &s.members {
            let hl = head_of(i).map_or(0, |k| heads[k].1);
            rest.push((at + hl, nf[i] - hl + s.extra));
            if hl > 0 {
                head.push((at, hl + 1));
            }
            at += nf[i] + s.extra;
        }
        let cut = |g: &mut Vec<String>,
                   from: &str,
                   what: &str,
                   ranges: &[(u64, u64)],
                   outs: &[String],
                   lens: &[u64]| {
            g.push(format!(
                "[{from}]select={},{what}setpts=N{}",
                opt(&any_of(ranges)),
                if outs.len() == 1 {
                    format!("[{from}c0]")
                } else {
                    format!(
                        ",split={}{}",
                        outs.len(),
                        (0..outs.len())
                            .map(|j| format!("[{from}c{j}]"))
                            .collect::<String>()
                    )
                }
            ));
            let mut p = 0u64;
            for (j, (o, &l)) in outs.iter().zip(lens).enumerate() {
                g.push(format!(
                    "[{from}c{j}]trim=start_frame={p}:end_frame={},setpts=PTS-STARTPTS[{o}]",
                    p + l
                ));
                p += l + 1;
            }
        };
        if head.is_empty() {
            g.push(format!("[{x}]null[{x}m]"));
        } else {
            g.push(format!("[{x}]split=2[{x}m][{x}h]"));
        }
        let outs: Vec<String> = s.members.iter().map(|i| format!("mq{i}")).collect();
        // Each cut leaves out its photo's extra frame, which ends it.
        let lens: Vec<u64> = rest.iter().map(|r| r.1 - s.extra).collect();
        cut(g, &format!("{x}m"), "", &rest, &outs, &lens);
        if !head.is_empty() {
            let hs: Vec<usize> = s
                .members
                .iter()
                .copied()
                .filter(|&i| head_of(i).is_some())
                .collect();
            let outs: Vec<String> = hs
                .iter()
                .map(|&i| format!("hk{}", head_of(i).expect("a head")))
                .collect();
            let lens: Vec<u64> = hs
                .iter()
                .map(|&i| heads[head_of(i).expect("a head")].1)
                .collect();
            // The alpha plane comes after an explicit 4:2:0 step: otherwise
            // format negotiation would give the source an alpha plane.
            cut(
                g,
                &format!("{x}h"),
                "format=yuv420p,format=yuva420p,",
                &head,
                &outs,
                &lens,
            );
        }
    }

    let fade_black = kind == TransitionKind::FadeBlack;
    let rests: String = (0..nf.len()).map(|i| format!("[mq{i}]")).collect();
    let mut m = format!(
        "{rests}concat=n={}:v=1:a=0,settb=1/{FPS},setpts=N",
        nf.len()
    );
    if fade_black {
        // The outgoing photo fades to black over the first half.
        for &(a, l) in windows {
            write!(
                m,
                ",fade=t=out:st={}:d={}:enable={}",
                secs(a),
                secs_f(l as f64 / 2.0),
                opt(&any_of(&[(a, l)]))
            )
            .expect("string");
        }
    }
    g.push(format!("{m}[vm]"));
    let k = heads.len();
    // Transparent frames between the transitions, from one source.
    let mut gaps: Vec<(u64, u64)> = Vec::new();
    let mut at = 0u64;
    for &(a, l) in windows {
        gaps.push((at, a.saturating_sub(at)));
        at = a + l;
    }
    gaps.push((at, total.saturating_sub(at)));
    let fill: u64 = gaps.iter().map(|g| g.1).sum();
    let used: Vec<usize> = (0..gaps.len()).filter(|&j| gaps[j].1 > 0).collect();
    if !used.is_empty() {
        let outs: String = used.iter().map(|j| format!("[fx{j}]")).collect();
        g.push(format!(
            "color=c=black@0:s={w}x{h}:r={FPS},format=yuva420p,trim=end_frame={fill}{}",
            if used.len() == 1 {
                outs.clone()
            } else {
                format!(",split={}{outs}", used.len())
            }
        ));
        let mut at = 0u64;
        for &j in &used {
            g.push(format!(
                "[fx{j}]trim=start_frame={at}:end_frame={},setpts=PTS-STARTPTS[fk{j}]",
                at + gaps[j].1
            ));
            at += gaps[j].1;
        }
    }
    let mut seq = String::new();
    for (j, gap) in gaps.iter().enumerate() {
        if gap.1 > 0 {
            write!(seq, "[fk{j}]").expect("string");
        }
        if j < k {
            write!(seq, "[hk{j}]").expect("string");
        }
    }
    let parts = seq.matches('[').count();
    let mut hv = format!("{seq}concat=n={parts}:v=1:a=0,settb=1/{FPS},setpts=N");
    let mut x = "0".to_string();
    match kind {
        TransitionKind::Crossfade | TransitionKind::None | TransitionKind::FadeBlack => {
            for &(a, l) in windows {
                let (st, d) = if fade_black {
                    (secs_f(a as f64 + l as f64 / 2.0), secs_f(l as f64 / 2.0))
                } else {
                    (secs(a), secs(l))
                };
                write!(
                    hv,
                    ",fade=t=in:st={st}:d={d}:alpha=1:enable={}",
                    opt(&any_of(&[(a, l)]))
                )
                .expect("string");
            }
        }
        TransitionKind::Slide => {
            x = opt(&per_window(windows, |a, l| format!("{w}*(1-(n-{a})/{l})")));
        }
        TransitionKind::Wipe => {
            // The head on a double-width canvas (transparent on the left),
            // cropped where the edge is and put back in place: only the
            // part left of the edge shows.
            let edge = per_window(windows, |a, l| format!("2*trunc({w}*(n-{a})/{l}/2)"));
            write!(
                hv,
                ",pad={}:{h}:{w}:0:color=black@0,crop={w}:{h}:{}:0",
                2 * w,
                opt(&edge)
            )
            .expect("string");
            x = opt(&format!("{edge}-{w}"));
        }
    }
    g.push(format!("{hv}[vh]"));
    g.push(format!(
        "[vm][vh]overlay=x={x}:y=0:format=yuv420:enable={},setsar=1[vj]",
        opt(&any_of(windows))
    ));
}

/// Ken Burns motion for photo `i` over `n` frames on a canvas of `aspect`:
/// zoom in, zoom out, and pans along the canvas's long side, in turn.
fn ken_burns(i: usize, n: u64, aspect: Aspect) -> (String, String, String) {
    let p = format!("(frame/{})", n.saturating_sub(1).max(1));
    let z = KB_ZOOM;
    let centre_x = "(iw-iw/zoom)/2".to_string();
    let centre_y = "(ih-ih/zoom)/2".to_string();
    let along = |forward: bool| {
        let t = if forward {
            p.clone()
        } else {
            format!("(1-{p})")
        };
        if aspect == Aspect::Portrait {
            (centre_x.clone(), format!("(ih-ih/zoom)*{t}"))
        } else {
            (format!("(iw-iw/zoom)*{t}"), centre_y.clone())
        }
    };
    match i % 4 {
        0 => (format!("1+{z}*{p}"), centre_x, centre_y),
        1 => (format!("1+{z}*(1-{p})"), centre_x, centre_y),
        2 => {
            let (x, y) = along(true);
            (format!("{}", 1.0 + z * 0.75), x, y)
        }
        _ => {
            let (x, y) = along(false);
            (format!("{}", 1.0 + z * 0.75), x, y)
        }
    }
}

/// A photo stored turned (EXIF `orientation`), fitted into `w`×`h`,
/// turned upright and padded with transparency to `w`×`h`. It is fitted
/// first (into the turned box) and turned after: turning the decoded frame
/// would keep a full-size turned copy until the end. `scale` makes one
/// 4:2:0 format of every photo, so the turn (which keeps the format and
/// size of the first frame it sees) gets frames alike. `eval` is
/// `:eval=frame` for a chain that photos of different sizes share.
fn fit_upright(orientation: u8, (w, h): (u32, u32), eval: &str) -> String {
    let (bw, bh) = if orientation >= 5 { (h, w) } else { (w, h) };
    format!(
        "scale={bw}:{bh}:force_original_aspect_ratio=decrease:flags=lanczos{eval},format=yuva420p,{}pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black@0{eval},setsar=1",
        super::probe::upright_filters(orientation)
    )
}

/// `filters` (each followed by a comma, or none) to follow another filter.
fn then(filters: &str) -> String {
    match filters.trim_end_matches(',') {
        "" => String::new(),
        f => format!(",{f}"),
    }
}

/// The thumbnail: photo `i`'s decoded frame (split off as `[i{i}t]`),
/// covering 1280×720, with the title when there is one.
fn thumbnail_chain(i: usize, job: &Job) -> String {
    let (tw, th) = THUMB;
    let mut t = format!(
        "[i{i}t]scale={tw}:{th}:force_original_aspect_ratio=increase:flags=bicubic,crop={tw}:{th},setsar=1"
    );
    if let Some((_, _, Some(o))) = &job.thumbnail {
        t.push(',');
        t.push_str(&drawtext(o, tw, th, false));
    }
    t.push_str(",format=yuvj420p[thumb]");
    t
}

/// drawtext for an overlay on a `w`×`h` frame; `fade` fades it in and out.
fn drawtext(o: &Overlay, w: u32, h: u32, fade: bool) -> String {
    let by_height = h as f64 * 0.11;
    let by_width = w as f64 * 0.88 / (o.width_chars.max(1) as f64 * 0.58);
    let size = by_height.min(by_width).max(8.0).round();
    let border = (size / 14.0).round().max(1.0);
    let mut s = format!(
        "drawtext=fontfile={}:textfile={}:expansion=none:fontsize={size}:fontcolor=white:borderw={border}:bordercolor=black@0.55:shadowcolor=black@0.45:shadowx={border}:shadowy={border}:x=(w-text_w)/2:y=(h-text_h)/2",
        opt(&o.font.to_string_lossy()),
        opt(&o.textfile.to_string_lossy()),
    );
    if fade {
        let (a, b) = (o.from_ms as f64 / 1000.0, o.to_ms as f64 / 1000.0);
        let f = ((b - a) / 4.0).clamp(0.01, 0.5);
        write!(
            s,
            ":alpha={}:enable={}",
            opt(&format!(
                "clip(min((t-{a:.3})/{f:.3},({b:.3}-t)/{f:.3}),0,1)"
            )),
            opt(&format!("between(t,{a:.3},{b:.3})"))
        )
        .expect("string");
    }
    s
}

/// Build the command.
pub fn plan(job: &Job) -> Result<Plan, String> {
    let show = &job.show;
    let n = show.photos.len();
    if n == 0 || job.visuals.len() != n {
        return Err("the draft has no photos to show".into());
    }
    let (w, h) = job.size;
    let (kw, kh) = (w * KB_SUPERSAMPLE, h * KB_SUPERSAMPLE);

    // Photo boundaries in frames, from millisecond positions, so the whole
    // video is within one frame of the draft however many photos it has.
    let starts = show.starts();
    let start_f: Vec<u64> = starts.iter().map(|&s| frames(s)).collect();
    let end_f: Vec<u64> = starts
        .iter()
        .zip(&show.photos)
        .map(|(&s, p)| frames(s + p.ms))
        .collect();
    let total_frames = end_f[n - 1];
    let total = secs(total_frames);

    let mut args: Vec<String> = [
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-progress",
        "pipe:1",
        "-nostats",
    ]
    .map(String::from)
    .to_vec();
    let mut g: Vec<String> = Vec::new();
    let mut input = 0usize;

    // Photos (not clips) share one motion chain, in order: each is
    // composed once, the composites are concatenated (one frame each) and
    // a single `zoompan` holds or moves each for its own number of frames.
    // One chain means one set of large frame buffers, however many photos
    // there are.
    //
    // JPEGs decoded at the same scale and turned upright the same way share
    // one decoder and one chain too: the concat demuxer reads them one after
    // the other, and `scale` and `pad` follow each photo's size
    // (`eval=frame`). An input of its own per photo would hold a decoded
    // frame and the chain's buffers per photo until the end.
    let thumb_at = job.thumbnail.as_ref().map(|t| t.0);
    //
    // `transpose` and the flips that turn a photo upright keep the size
    // and pixel format of the first frame they see (a photo of another size
    // crashes this ffmpeg), so photos that need them share a decoder only
    // with photos of the same size (see `fit_upright`).
    let mut groups: Vec<(GroupKey, Vec<usize>)> = Vec::new();
    for (i, visual) in job.visuals.iter().enumerate() {
        if let Visual::Image {
            jpeg: true,
            lowres,
            orientation,
            size,
            ..
        } = visual
        {
            if *orientation != 1 && size.is_none() {
                continue;
            }
            let key = (*lowres, *orientation, size.filter(|_| *orientation != 1));
            match groups.iter_mut().find(|g| g.0 == key) {
                // The thumbnail's photo goes first: ffmpeg asks for the
                // thumbnail before anything else, and a photo later in the
                // list would make it decode (and hold) all the ones before.
                Some(g) if thumb_at == Some(i) => g.1.insert(0, i),
                Some(g) => g.1.push(i),
                None => groups.push((key, vec![i])),
            }
        }
    }
    groups.retain(|g| g.1.len() > 1);
    let mut lists: Vec<(PathBuf, String)> = Vec::new();
    let mut stills: Vec<usize> = Vec::new();
    for (i, visual) in job.visuals.iter().enumerate() {
        let nf = end_f[i] - start_f[i];
        let thumb_here = thumb_at == Some(i) && matches!(visual, Visual::Image { .. });
        if let Some((gi, ((lowres, orientation, _), members))) =
            groups.iter().enumerate().find(|(_, g)| g.1.contains(&i))
        {
            stills.push(i);
            if members.iter().min() != Some(&i) {
                continue;
            }
            let list = job.video_out.with_extension(format!("photos{gi}.txt"));
            let mut text = String::from("ffconcat version 1.0\n");
            for &j in members {
                if let Visual::Image { path, .. } = &job.visuals[j] {
                    let p = path.to_string_lossy().replace('\'', "'\\''");
                    writeln!(text, "file '{p}'\nduration 1").expect("string");
                }
            }
            if *lowres > 0 {
                args.extend(["-lowres".to_string(), lowres.to_string()]);
            }
            args.extend(
                [
                    "-threads",
                    "1",
                    "-reinit_filter",
                    "0",
                    "-f",
                    "concat",
                    "-safe",
                    "0",
                    "-noautorotate",
                    "-i",
                ]
                .map(String::from),
            );
            args.push(list.to_string_lossy().into_owned());
            lists.push((list, text));
            let k = input;
            input += 1;
            let outs: String = (0..members.len()).map(|j| format!("[g{gi}s{j}]")).collect();
            let src = match thumb_at.filter(|t| members[0] == *t) {
                Some(t) => {
                    g.push(format!(
                        "[{k}:v]split=2[g{gi}d][g{gi}t];[g{gi}t]trim=end_frame=1{}[i{t}t]",
                        then(super::probe::upright_filters(*orientation))
                    ));
                    g.push(thumbnail_chain(t, job));
                    format!("[g{gi}d]")
                }
                None => format!("[{k}:v]"),
            };
            g.push(format!(
                "{src}{},split={}{outs}",
                fit_upright(*orientation, (w, h), ":eval=frame"),
                members.len()
            ));
            // Each photo is cut out with `trim`, not `select`: a cut made by
            // `select` ends only when the whole list has been read, so the
            // first photo would make ffmpeg decode them all at once and push
            // them down the chain ahead of time. A `trim` ends when the next
            // photo arrives. (The thumbnail's cut ends the same way; its
            // output, done after one frame, would otherwise keep asking.)
            for (j, &m) in members.iter().enumerate() {
                g.push(format!(
                    "[g{gi}s{j}]trim=start_frame={j}:end_frame={}[c{m}]",
                    j + 1
                ));
            }
            continue;
        }
        match visual {
            Visual::Missing => {
                g.push(format!(
                    "color=c=0x1f2630:s={w}x{h}:r={FPS},trim=end_frame={nf},format=yuv420p,setsar=1[v{i}]"
                ));
                continue;
            }
            Visual::Image { path, lowres, .. } => {
                if *lowres > 0 {
                    args.extend(["-lowres".to_string(), lowres.to_string()]);
                }
                // One decoding thread: a photo is one frame, and every
                // thread of a frame-threaded decoder (PNG's) holds buffers
                // of its own until the end.
                args.extend(
                    ["-threads", "1", "-framerate", "30", "-noautorotate", "-i"].map(String::from),
                );
                args.push(path.to_string_lossy().into_owned());
            }
            Visual::Video { path } => {
                args.extend(["-t".to_string(), secs(nf + FPS), "-i".to_string()]);
                args.push(path.to_string_lossy().into_owned());
            }
        }
        let k = input;
        input += 1;
        if let Visual::Image { orientation, .. } = visual {
            // A photo's own chain is as short as it can be (each keeps its
            // buffers until the end): upright, fitted, padded with
            // transparency to the canvas. The fill, the compositing and the
            // motion happen in the chain all photos share.
            let src = if thumb_here {
                g.push(match super::probe::upright_filters(*orientation) {
                    "" => format!("[{k}:v]split=2[i{i}b][i{i}t]"),
                    f => format!("[{k}:v]split=2[i{i}b][i{i}u];[i{i}u]null{}[i{i}t]", then(f)),
                });
                format!("[i{i}b]")
            } else {
                format!("[{k}:v]")
            };
            g.push(format!(
                "{src}{}[c{i}]",
                fit_upright(*orientation, (w, h), "")
            ));
            stills.push(i);
            if thumb_here {
                g.push(thumbnail_chain(i, job));
            }
            continue;
        }
        let upright = match visual {
            Visual::Image { orientation, .. } => super::probe::upright_filters(*orientation),
            _ => "",
        };
        let pre = if matches!(visual, Visual::Video { .. }) {
            format!("fps={FPS},")
        } else {
            String::new()
        };
        let outs = format!("split=2[i{i}a][i{i}b]");
        g.push(format!("[{k}:v]{pre}{upright}{outs}"));
        // Photos are composed in BT.601 limited-range YUV (what swscale
        // makes of a JPEG or a PNG by default) and the shared chain turns
        // them into BT.709 once: a colour conversion per photo would keep a
        // large conversion context per photo alive until the end. A clip
        // has its own chain and converts here.
        let to709 = if matches!(visual, Visual::Video { .. }) {
            ":out_color_matrix=bt709:out_range=tv"
        } else {
            ""
        };
        // The fill: the photo itself covering the canvas, small, blurred,
        // darker and less saturated, then scaled up (cheap at 1/8 size).
        let (bw, bh) = ((w / 8).max(16) & !1, (h / 8).max(16) & !1);
        g.push(format!(
            "[i{i}a]scale={bw}:{bh}:force_original_aspect_ratio=increase:flags=bilinear{to709},crop={bw}:{bh},format=yuv420p,gblur=sigma={},lutyuv=y=16+(val-16)*0.6:u=128+(val-128)*0.8:v=128+(val-128)*0.8,scale={w}:{h}:flags=bicubic[i{i}bg]",
            (bw.min(bh) as f64 / 12.0).max(2.0).round()
        ));
        g.push(format!(
            "[i{i}b]scale={w}:{h}:force_original_aspect_ratio=decrease:flags=lanczos{to709},format=yuv420p[i{i}fg]"
        ));
        let composite =
            format!("[i{i}bg][i{i}fg]overlay=x=(W-w)/2:y=(H-h)/2:format=yuv420,setsar=1");
        g.push(format!(
            "{composite},tpad=stop_mode=clone:stop={nf},trim=end_frame={nf},setpts=PTS-STARTPTS,fps={FPS}[v{i}]"
        ));
    }
    // Transitions: (first output frame, length) of each, and the photo
    // whose first frames (its "head") are laid over the previous photo's
    // last frames.
    let transition = show.transition.kind;
    let plain = transition == TransitionKind::None || show.transition.ms == 0;
    let mut windows: Vec<(u64, u64)> = Vec::new();
    let mut heads: Vec<(usize, u64)> = Vec::new();
    if !plain {
        for i in 0..n - 1 {
            let ov = end_f[i].saturating_sub(start_f[i + 1]);
            if ov > 0 {
                windows.push((start_f[i + 1], ov));
                heads.push((i + 1, ov));
            }
        }
    }
    if !stills.is_empty() {
        // Per-photo values, chosen by zoompan's input frame number.
        // `f(j, i)` for the `j`-th photo of the show (visual `i`), for the
        // photos `which` (positions in `stills`) in the order a zoompan
        // gets them.
        let pick_of = |which: &[usize], f: &dyn Fn(usize, usize) -> String| -> String {
            let all: Vec<String> = which.iter().map(|&j| f(j, stills[j])).collect();
            if all.iter().all(|e| *e == all[0]) {
                return all[0].clone();
            }
            let mut e = all[all.len() - 1].clone();
            for (k, v) in all.iter().enumerate().rev().skip(1) {
                e = format!("if(eq(in,{k}),{v},{e})");
            }
            e
        };
        let every: Vec<usize> = (0..stills.len()).collect();
        let pick = |f: &dyn Fn(usize, usize) -> String| pick_of(&every, f);
        let nf = |i: usize| end_f[i] - start_f[i];
        let kb = |which: &[usize], part: usize| {
            pick_of(which, &|j, i| {
                if !show.ken_burns {
                    return ["1", "0", "0"][part].to_string();
                }
                let m = ken_burns(j, nf(i), show.canvas.aspect);
                [m.0, m.1, m.2][part].clone()
            })
        };
        // `fifo` hands composed photos on only when a zoompan asks: the
        // filters before it take every frame that reaches them at once, and
        // without it photos that arrive early would wait as 2× frames.
        let pre = if show.ken_burns {
            // zoompan crops at whole pixels: on a frame twice the size
            // those steps are half a pixel, and the motion is smooth.
            format!("{TO_709},fifo,scale={kw}:{kh}:flags=bicubic,")
        } else {
            format!("{TO_709},fifo,")
        };
        // The fill: each photo zoomed to cover the canvas (by its own
        // factor), small, blurred, darker and less saturated, scaled back
        // up; the fitted photo goes over it.
        let cover = pick(&|_, i| match &job.visuals[i] {
            Visual::Image {
                size: Some((pw, ph)),
                ..
            } => {
                let (sx, sy) = (w as f64 / *pw as f64, h as f64 / *ph as f64);
                format!("{:.4}", (sx.max(sy) / sx.min(sy) * 1.02).max(1.0))
            }
            _ => "1".into(),
        });
        let (bw, bh) = ((w / 8).max(16) & !1, (h / 8).max(16) & !1);
        let ins: String = stills.iter().map(|i| format!("[c{i}]")).collect();
        let m = stills.len();
        g.push(format!(
            "{ins}concat=n={m}:v=1:a=0,settb=1/{FPS},setpts=N,split=2[sfg][sbg]"
        ));
        g.push(format!(
            "[sbg]zoompan=z={}:x=(iw-iw/zoom)/2:y=(ih-ih/zoom)/2:d=1:s={bw}x{bh}:fps={FPS},format=yuv420p,gblur=sigma={},lutyuv=y=16+(val-16)*0.6:u=128+(val-128)*0.8:v=128+(val-128)*0.8,scale={w}:{h}:flags=bicubic,settb=1/{FPS},setpts=N[sfill]",
            opt(&cover),
            (bw.min(bh) as f64 / 12.0).max(2.0).round()
        ));
        // zoompan for the photos `which`, each for its own number of frames
        // and `extra` more.
        let zoompan = |which: &[usize], extra: u64| {
            format!(
                "zoompan=z={}:x={}:y={}:d={}:s={w}x{h}:fps={FPS},setsar=1",
                opt(&kb(which, 0)),
                opt(&kb(which, 1)),
                opt(&kb(which, 2)),
                opt(&pick_of(which, &|_, i| (nf(i) + extra).to_string()))
            )
        };
        let chain = format!("[sfill][sfg]overlay=x=0:y=0:format=yuv420,{pre}");
        if windows.is_empty() {
            g.push(format!("{chain}{}", zoompan(&every, 0)));
        } else {
            // With transitions, two zoompans take turns (photos 1, 3, 5…
            // and 2, 4, 6…), so the outgoing and the incoming photo of a
            // transition are drawn side by side, frame by frame, and
            // neither is held in memory waiting for the other. Each draws
            // one frame more per photo, which tells the cuts downstream
            // where that photo ends without waiting for the next one.
            let (even, odd): (Vec<usize>, Vec<usize>) = every.iter().partition(|&&j| j % 2 == 0);
            if odd.is_empty() {
                g.push(format!("{chain}{}[zA]", zoompan(&even, 1)));
            } else {
                g.push(format!("{chain}split=2[ka][kb]"));
                g.push(format!(
                    "[ka]select=not(mod(n\\,2)),{}[zA]",
                    zoompan(&even, 1)
                ));
                g.push(format!("[kb]select=mod(n\\,2),{}[zB]", zoompan(&odd, 1)));
            }
        }
    }

    let nf: Vec<u64> = (0..n).map(|i| end_f[i] - start_f[i]).collect();
    let cur = if windows.is_empty() {
        // One linear stream of every photo's frames, in order: the shared
        // chain's output itself when every visual is a photo (the usual case),
        // else runs of it and the clips' own streams, concatenated.
        if stills.len() == n {
            g.last_mut().expect("the shared chain").push_str("[lin]");
        } else {
            // Runs of consecutive photos, cut from the shared chain in order.
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for &i in &stills {
                match runs.last_mut() {
                    Some(r) if r.1 == i => r.1 = i + 1,
                    _ => runs.push((i, i + 1)),
                }
            }
            let mut segs: Vec<String> = Vec::new();
            if !runs.is_empty() {
                let outs: String = (0..runs.len()).map(|j| format!("[sr{j}]")).collect();
                let last = g.last_mut().expect("the shared chain");
                if runs.len() == 1 {
                    last.push_str("[sr0]");
                } else {
                    write!(last, ",split={}{outs}", runs.len()).expect("string");
                }
                let mut at = 0u64;
                for (j, &(a, b)) in runs.iter().enumerate() {
                    let len: u64 = nf[a..b].iter().sum();
                    g.push(format!(
                        "[sr{j}]trim=start_frame={at}:end_frame={},setpts=PTS-STARTPTS[sq{a}]",
                        at + len
                    ));
                    at += len;
                }
            }
            let mut i = 0;
            while i < n {
                match runs.iter().find(|r| r.0 == i) {
                    Some(&(_, b)) => {
                        segs.push(format!("[sq{i}]"));
                        i = b;
                    }
                    None => {
                        segs.push(format!("[v{i}]"));
                        i += 1;
                    }
                }
            }
            if segs.len() == 1 {
                g.push(format!("{}null[lin]", segs[0]));
            } else {
                g.push(format!(
                    "{}concat=n={}:v=1:a=0,settb=1/{FPS},setpts=N[lin]",
                    segs.concat(),
                    segs.len()
                ));
            }
        }
        "lin".to_string()
    } else {
        // Where each photo's frames come from: one of the two zoompans, or
        // the clip's own stream.
        let mut sources: Vec<Source> = Vec::new();
        for (label, parity) in [("zA", 0), ("zB", 1)] {
            let members: Vec<usize> = stills
                .iter()
                .enumerate()
                .filter(|(j, _)| j % 2 == parity)
                .map(|(_, &i)| i)
                .collect();
            if !members.is_empty() {
                sources.push(Source {
                    label: label.into(),
                    extra: 1,
                    members,
                });
            }
        }
        for i in (0..n).filter(|i| !stills.contains(i)) {
            sources.push(Source {
                label: format!("v{i}"),
                extra: 0,
                members: vec![i],
            });
        }
        transitions(
            &mut g,
            transition,
            &windows,
            &heads,
            &sources,
            &nf,
            total_frames,
            (w, h),
        );
        "vj".to_string()
    };
    let mut v = format!("[{cur}]");
    for o in &job.overlays {
        v.push_str(&drawtext(o, w, h, true));
        v.push(',');
    }
    v.push_str("format=yuv420p[vout]");
    g.push(v);

    // The soundtrack. A music file is normalised with `loudnorm`; the
    // generated loops are mastered to −14 LUFS already (see `music`). A
    // limiter keeps true peaks under −1.5 dBTP either way.
    let master = |chain: &mut String, volume: u32, mastered: Option<f64>| {
        let fade_in = (total_frames as f64 / FPS as f64 / 4.0).min(1.0);
        let fade_out = (total_frames as f64 / FPS as f64 / 4.0).min(2.0);
        let out_at = total_frames as f64 / FPS as f64 - fade_out;
        let gain = if volume >= 100 {
            0.0
        } else {
            20.0 * (volume.max(1) as f64 / 100.0).log10()
        };
        write!(
            chain,
            ",atrim=duration={total},asetpts=N/SR/TB,afade=t=in:d={fade_in:.3},afade=t=out:st={out_at:.3}:d={fade_out:.3}"
        )
        .expect("string");
        match mastered {
            Some(db) => write!(chain, ",volume={:.2}dB", db + gain),
            None => write!(
                chain,
                ",loudnorm=I={LUFS}:TP={TRUE_PEAK}:LRA=11,aresample={},volume={gain:.2}dB",
                music::RATE
            ),
        }
        .expect("string");
        write!(
            chain,
            ",alimiter=limit={:.4}:level=false",
            10f64.powf(TRUE_PEAK / 20.0)
        )
        .expect("string");
    };
    let volume = show.music.as_ref().map(|m| m.volume).unwrap_or(0);
    let mut a = match &job.sound {
        Sound::Generated(mood) if volume > 0 => {
            let l = music::synth(*mood);
            let mut a = format!(
                "aevalsrc=exprs={}:s={}:d={:.6},aformat=sample_fmts=fltp,aloop=loop=-1:size={}",
                opt(&format!("{}|{}", l.left, l.right)),
                music::RATE,
                l.seconds,
                l.samples
            );
            master(&mut a, volume, Some(l.gain_db));
            a
        }
        Sound::File(path) if volume > 0 => {
            args.extend(["-stream_loop", "-1", "-i"].map(String::from));
            args.push(path.to_string_lossy().into_owned());
            let mut a = format!(
                "[{input}:a]aformat=channel_layouts=stereo,aresample={}",
                music::RATE
            );
            master(&mut a, volume, None);
            a
        }
        _ => format!(
            "anullsrc=r={}:cl=stereo,atrim=duration={total}",
            music::RATE
        ),
    };
    write!(
        a,
        ",aformat=sample_fmts=fltp:sample_rates={}:channel_layouts=stereo[aout]",
        music::RATE
    )
    .expect("string");
    g.push(a);

    args.push("-filter_complex".into());
    args.push(g.join(";"));
    args.extend(
        [
            "-map",
            "[vout]",
            "-map",
            "[aout]",
            "-c:v",
            "libx264",
            "-preset",
            &job.preset,
            "-profile:v",
            "high",
            "-threads",
            &job.threads.to_string(),
            // The threaded lookahead's buffer: x264's default is one frame
            // more than the B-frames. One frame fewer is a 1080p frame less
            // in memory, with the same output and no loss of speed here.
            "-x264-params",
            "sync-lookahead=2",
            "-crf",
            "20",
            "-maxrate",
            "12M",
            "-bufsize",
            "24M",
            // YouTube's advice: closed GOPs of half the frame rate, two
            // consecutive B-frames.
            "-g",
            "15",
            "-bf",
            "2",
            "-pix_fmt",
            "yuv420p",
            "-r",
            "30",
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
            "-colorspace",
            "bt709",
            "-color_range",
            "tv",
            "-c:a",
            "aac",
            "-profile:a",
            "aac_low",
            "-b:a",
            "192k",
            "-ar",
            "48000",
            "-ac",
            "2",
            "-movflags",
            "+faststart",
        ]
        .map(String::from),
    );
    args.push(job.video_out.to_string_lossy().into_owned());
    if let Some((i, path, _)) = &job.thumbnail {
        if matches!(job.visuals[*i], Visual::Image { .. }) {
            args.extend(
                [
                    "-map",
                    "[thumb]",
                    "-frames:v",
                    "1",
                    "-q:v",
                    "2",
                    "-update",
                    "1",
                ]
                .map(String::from),
            );
            args.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(Plan {
        args,
        total_frames,
        lists,
    })
}

/// The thumbnail's path next to a video: `trip.mp4` → `trip.jpg`.
pub fn thumbnail_path(video: &Path) -> PathBuf {
    video.with_extension("jpg")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::slideshow::{Music, MusicSource, Photo, Transition};

    fn job(n: usize) -> Job {
        let photos = (0..n)
            .map(|i| Photo {
                file_id: Some(format!("f{i}")),
                name: format!("p{i}.jpg"),
                ms: 3500,
            })
            .collect();
        let mut show = Slideshow::of(photos);
        show.music = Some(Music {
            source: MusicSource::Generated { mood: Mood::Calm },
            volume: 100,
        });
        Job {
            show,
            size: (320, 180),
            visuals: (0..n)
                .map(|i| Visual::Image {
                    path: format!("/d/p{i}.jpg").into(),
                    orientation: if i == 1 { 6 } else { 1 },
                    jpeg: false,
                    lowres: if i == 2 { 1 } else { 0 },
                    size: Some((400, 300)),
                })
                .collect(),
            sound: Sound::Generated(Mood::Calm),
            overlays: vec![],
            thumbnail: Some((0, "/d/out.jpg".into(), None)),
            video_out: "/d/out.mp4".into(),
            preset: "veryfast".into(),
            threads: 2,
        }
    }

    fn graph(p: &Plan) -> &str {
        let i = p.args.iter().position(|a| a == "-filter_complex").unwrap();
        &p.args[i + 1]
    }

    #[test]
    fn frames_follow_the_draft_to_the_frame() {
        // 10 × 3.5 s with 0.75 s crossfades: 28.25 s = 847.5 → 848 frames.
        let p = plan(&job(10)).unwrap();
        assert_eq!(p.total_frames, 848);
        let g = graph(&p);
        assert_eq!(g.matches("fade=t=in:st=").count(), 9);
        assert!(!g.contains("xfade"), "a crossfade stays in 4:2:0: {g}");
        // One overlay for all nine transitions (and one for the fill).
        assert_eq!(g.matches("overlay=").count(), 2, "{g}");
        // The second photo starts at 2.75 s (frame 82.5 → 83) while the
        // first ends at frame 105: a 22-frame crossfade, then 23 (the
        // rounding alternates, the total stays exact).
        assert!(
            g.contains(
                "fade=t=in:st=2.766667:d=0.733333:alpha=1:enable=between(n\\,83\\,104),fade=t=in:st=5.500000:d=0.766667:alpha=1:enable=between(n\\,165\\,187)"
            ),
            "{g}"
        );
        // Two zoompans take turns, one frame more per photo.
        assert!(g.contains("split=2[ka][kb]"), "{g}");
        assert!(g.contains("[ka]select=not(mod(n\\,2)),zoompan="), "{g}");
        assert!(g.contains("[kb]select=mod(n\\,2),zoompan="), "{g}");
        assert!(g.contains(":d=106:"), "{g}");
        // Photo 1 (the second zoompan's first): its head is frames 0-21
        // and the frame after it; the rest is frames 22-104 and the extra
        // frame 105, which ends the cut at once.
        assert!(g.contains("[zBh]select=between(n\\,0\\,22)+"), "{g}");
        assert!(g.contains("[zBm]select=between(n\\,22\\,105)+"), "{g}");
        assert!(
            g.contains("[zBmc0]trim=start_frame=0:end_frame=83,setpts=PTS-STARTPTS[mq1]"),
            "{g}"
        );
        assert!(
            g.contains("[mq0][mq1][mq2][mq3][mq4][mq5][mq6][mq7][mq8][mq9]concat=n=10:v=1:a=0"),
            "{g}"
        );
        assert!(
            g.contains("[vm][vh]overlay=x=0:y=0:format=yuv420:enable=between(n\\,83\\,104)+"),
            "{g}"
        );
    }

    #[test]
    fn photos_are_decoded_once_and_turned_upright() {
        let p = plan(&job(3)).unwrap();
        let a = p.args.join(" ");
        assert_eq!(a.matches("-noautorotate -i").count(), 3);
        assert_eq!(a.matches("-lowres 1 -threads 1 -framerate").count(), 1);
        assert!(!a.contains("-loop 1"), "images are not re-read per frame");
        let g = graph(&p);
        // Each photo's own chain: fitted into the turned box, turned
        // upright, padded with transparency.
        assert!(
            g.contains("[1:v]scale=180:320:force_original_aspect_ratio=decrease:flags=lanczos,format=yuva420p,transpose=clock,pad=320:180"),
            "{g}"
        );
        // The thumbnail's photo is split once more (before it is fitted;
        // a photo to turn is turned for the thumbnail too).
        assert!(g.contains("[0:v]split=2[i0b][i0t]"), "{g}");
        let mut k = job(3);
        k.thumbnail = Some((1, "/d/out.jpg".into(), None));
        let p1 = plan(&k).unwrap();
        assert!(
            graph(&p1).contains("[1:v]split=2[i1b][i1u];[i1u]null,transpose=clock[i1t]"),
            "{}",
            graph(&p1)
        );
        // One chain for every photo's fill and motion, each with its own
        // cover zoom (a 400×300 photo on 16:9: 1.333 × 1.02) and length.
        assert!(g.contains("[c0][c1][c2]concat=n=3:v=1:a=0"), "{g}");
        assert!(g.contains("[sbg]zoompan=z=1.3600:"), "{g}");
        assert_eq!(g.matches("zoompan=").count(), 3, "{g}");
        assert!(
            g.contains(
                "overlay=x=0:y=0:format=yuv420,colormatrix=bt601:bt709,fifo,scale=640:360:flags=bicubic,"
            ),
            "{g}"
        );
        assert!(g.contains(":d=106:"), "equal lengths need no choice: {g}");
        // Photos 0 and 2 in the first zoompan: zoom in, then a pan.
        assert!(
            g.contains("[ka]select=not(mod(n\\,2)),zoompan=z=if(eq(in\\,0)\\,1+0.12*(frame/104)\\,1.09):x=if(eq(in\\,0)\\,(iw-iw/zoom)/2\\,(iw-iw/zoom)*(frame/104))"),
            "{g}"
        );
        // Photo 2 is frames 106-211 of the first zoompan: its first 23
        // go over photo 1's last 23 (with the frame after them, which ends
        // their cut at once), the rest follow in the main stream.
        assert!(
            g.contains(
                "[zAh]select=between(n\\,106\\,129),format=yuv420p,format=yuva420p,setpts=N[zAhc0]"
            ),
            "{g}"
        );
        assert!(
            g.contains("[zAm]select=between(n\\,0\\,105)+between(n\\,129\\,211),setpts=N,split=2[zAmc0][zAmc1]"),
            "{g}"
        );
        assert!(
            g.contains("[zAmc1]trim=start_frame=106:end_frame=188,setpts=PTS-STARTPTS[mq2]"),
            "{g}"
        );
        assert!(
            g.contains("[zAhc0]trim=start_frame=0:end_frame=23,setpts=PTS-STARTPTS[hk1]"),
            "{g}"
        );
        // Transparent frames between the transitions, from one source.
        assert!(
            g.contains("[fk0][hk0][fk1][hk1][fk2]concat=n=5:v=1:a=0"),
            "{g}"
        );
        assert_eq!(g.matches("color=c=black@0:").count(), 1, "{g}");
        assert!(g.contains("s=320x180:fps=30"), "{g}");
        assert!(a.contains("-map [thumb] -frames:v 1"), "{a}");
    }

    #[test]
    fn jpegs_alike_share_one_decoder() {
        let mut j = job(5);
        for v in &mut j.visuals {
            if let Visual::Image { jpeg, .. } = v {
                *jpeg = true;
            }
        }
        let p = plan(&j).unwrap();
        // Photo 1 (turned upright) and photo 2 (decoded at half size) have
        // inputs of their own; 0, 3 and 4 share one, read by the concat
        // demuxer from a list, with the thumbnail's photo (0) first.
        assert_eq!(p.lists.len(), 1);
        let (path, text) = &p.lists[0];
        assert_eq!(path, Path::new("/d/out.photos0.txt"));
        assert_eq!(
            text,
            "ffconcat version 1.0\nfile '/d/p0.jpg'\nduration 1\nfile '/d/p3.jpg'\nduration 1\nfile '/d/p4.jpg'\nduration 1\n"
        );
        let a = p.args.join(" ");
        assert_eq!(a.matches(" -i ").count(), 3, "{a}");
        assert!(
            a.contains(
                "-threads 1 -reinit_filter 0 -f concat -safe 0 -noautorotate -i /d/out.photos0.txt"
            ),
            "{a}"
        );
        let g = graph(&p);
        assert!(
            g.contains("[0:v]split=2[g0d][g0t];[g0t]trim=end_frame=1[i0t];[i0t]scale=1280:720"),
            "{g}"
        );
        assert!(
            g.contains("[g0d]scale=320:180:force_original_aspect_ratio=decrease:flags=lanczos:eval=frame,format=yuva420p,pad=320:180:(ow-iw)/2:(oh-ih)/2:color=black@0:eval=frame,setsar=1,split=3[g0s0][g0s1][g0s2]"),
            "{g}"
        );
        // Each photo's cut ends when the next one arrives.
        assert!(
            g.contains("[g0s0]trim=start_frame=0:end_frame=1[c0]"),
            "{g}"
        );
        assert!(
            g.contains("[g0s2]trim=start_frame=2:end_frame=3[c4]"),
            "{g}"
        );
        assert!(g.contains("[c0][c1][c2][c3][c4]concat=n=5"), "{g}");
        // Photos to turn upright share a decoder only with photos of the
        // same size, through one 4:2:0 format.
        let mut k = job(4);
        for (n, v) in k.visuals.iter_mut().enumerate() {
            *v = Visual::Image {
                path: format!("/d/s{n}.jpg").into(),
                orientation: 6,
                jpeg: true,
                lowres: 0,
                size: Some(if n == 3 { (300, 400) } else { (600, 800) }),
            };
        }
        let p = plan(&k).unwrap();
        assert_eq!(p.lists.len(), 1, "{:?}", p.lists);
        assert!(!p.lists[0].1.contains("s3.jpg"), "{:?}", p.lists);
        let g = graph(&p);
        assert!(
            g.contains("[0:v]split=2[g0d][g0t];[g0t]trim=end_frame=1,transpose=clock[i0t]"),
            "{g}"
        );
        assert!(
            g.contains("[g0d]scale=180:320:force_original_aspect_ratio=decrease:flags=lanczos:eval=frame,format=yuva420p,transpose=clock,pad=320:180"),
            "{g}"
        );
        // A quote in a path is escaped for the list.
        j.visuals[3] = Visual::Image {
            path: "/d/it's.jpg".into(),
            orientation: 1,
            jpeg: true,
            lowres: 0,
            size: None,
        };
        let p = plan(&j).unwrap();
        assert!(
            p.lists[0].1.contains("file '/d/it'\\''s.jpg'"),
            "{:?}",
            p.lists
        );
    }

    #[test]
    fn one_photo_and_a_clip_need_one_zoompan() {
        let mut j = job(2);
        j.visuals[1] = Visual::Video {
            path: "/d/clip.mp4".into(),
        };
        let g = graph(&plan(&j).unwrap()).to_string();
        assert!(g.contains(",zoompan="), "{g}");
        assert!(g.contains("setsar=1[zA]"), "{g}");
        assert!(!g.contains("[kb]") && !g.contains("[zB]"), "{g}");
        // The clip's head goes over the photo's last frames; its rest ends
        // with the clip itself.
        assert!(g.contains("[v1]split=2[v1m][v1h]"), "{g}");
        assert!(g.contains("[zA]null[zAm]"), "{g}");
        assert!(g.contains("[mq0][mq1]concat=n=2"), "{g}");
    }

    #[test]
    fn no_transition_concatenates_and_no_ken_burns_holds() {
        let mut j = job(3);
        j.show.transition = Transition {
            kind: TransitionKind::None,
            ms: 750,
        };
        j.show.ken_burns = false;
        let p = plan(&j).unwrap();
        assert_eq!(p.total_frames, 315);
        let g = graph(&p);
        assert!(g.contains("setsar=1[lin];[lin]format=yuv420p[vout]"), "{g}");
        assert!(!g.contains("[mm]"), "{g}");
        assert!(!g.contains("xfade"), "{g}");
        // Held still: zoom 1 on the canvas itself, no supersampling.
        assert!(g.contains("zoompan=z=1:x=0:y=0:d=105"), "{g}");
        assert!(!g.contains("scale=640:360"), "{g}");
    }

    #[test]
    fn youtube_output_settings() {
        let a = plan(&job(2)).unwrap().args.join(" ");
        for want in [
            "-c:v libx264",
            "-profile:v high",
            "-pix_fmt yuv420p",
            "-r 30",
            "-colorspace bt709",
            "-color_primaries bt709",
            "-color_trc bt709",
            "-c:a aac",
            "-profile:a aac_low",
            "-ar 48000",
            "-ac 2",
            "-movflags +faststart",
            "-progress pipe:1",
        ] {
            assert!(a.contains(want), "missing {want}: {a}");
        }
        assert!(
            !a.contains("loudnorm"),
            "generated music comes mastered: {a}"
        );
        assert!(a.contains("alimiter=limit=0.8414"), "{a}");
    }

    #[test]
    fn silence_when_there_is_no_music() {
        let mut j = job(2);
        j.show.music = None;
        j.sound = Sound::Silence;
        let g = graph(&plan(&j).unwrap()).to_string();
        assert!(g.contains("anullsrc=r=48000:cl=stereo"), "{g}");
        assert!(!g.contains("loudnorm"), "{g}");
    }

    #[test]
    fn escaping_for_filter_options() {
        assert_eq!(opt("/a/b.txt"), "/a/b.txt");
        assert_eq!(opt("C:\\f.ttf"), "C\\\\:\\\\\\\\f.ttf");
        assert_eq!(opt("it's"), "it\\\\\\'s");
        assert_eq!(opt("min(a,b)"), "min(a\\,b)");
    }

    #[test]
    fn refuses_an_empty_show() {
        let mut j = job(1);
        j.show.photos.clear();
        assert!(plan(&j).is_err());
    }
}
