//! The compositor: every pixel of the video is made here, and ffmpeg only
//! encodes (see [`super::encode`]).
//!
//! Each photo is decoded once and composed once into a still a little
//! larger than the canvas ([`still`]); each output frame is a sub-pixel
//! Ken Burns view of one still, or the mix of two during a transition,
//! with titles laid over ([`frame`], [`text`]), already in the 4:2:0 YUV
//! the encoder wants. What each frame shows is decided by a pure
//! [`timeline`]. Clips are decoded by ffmpeg into frames ([`clip`]).
//!
//! [`run`] walks the frames in order on its own thread and hands them to a
//! small pool of workers through bounded queues, collecting them back in
//! order: memory holds a few frames and at most three stills, however
//! many photos there are. Photos are decoded ahead on one more thread.
//! Frames leave through a channel; when its receiver is dropped (the
//! render was cancelled), everything stops.

pub mod clip;
pub mod frame;
pub mod resample;
pub mod still;
pub mod text;
pub mod timeline;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::server::slideshow::Aspect;
use frame::{Layer, Painter};
use still::Yuv;
use text::{Drawn, TextLayer};
use timeline::{Mix, Timeline, View, KB_ZOOM};

/// The colour standing in for media the backend does not have.
const MISSING: [u8; 3] = [0x1f, 0x26, 0x30];

/// What one slot of the show is made from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Image {
        path: PathBuf,
        /// EXIF orientation 1-8.
        orientation: u8,
        /// For error messages.
        name: String,
    },
    Clip {
        path: PathBuf,
    },
    /// The draft names media this backend does not have.
    Missing,
}

/// The thumbnail: cut from photo `index`, with the title drawn on it.
pub struct Thumbnail {
    pub index: usize,
    pub path: PathBuf,
    pub size: (u32, u32),
    pub title: Option<Drawn>,
}

/// Everything a render's pictures are made from.
pub struct Scene {
    pub size: (u32, u32),
    pub timeline: Timeline,
    pub sources: Vec<Source>,
    pub ken_burns: bool,
    pub aspect: Aspect,
    /// Texts and when they show (ms).
    pub texts: Vec<(TextLayer, (u64, u64))>,
    pub thumbnail: Option<Thumbnail>,
    /// Frame workers (at least 1).
    pub workers: usize,
}

/// Frame buffers handed back by whoever consumed them, for reuse.
#[derive(Clone, Default)]
pub struct Pool(Arc<Mutex<Vec<Vec<u8>>>>);

impl Pool {
    pub fn put(&self, buf: Vec<u8>) {
        if let Ok(mut p) = self.0.lock() {
            p.push(buf);
        }
    }

    /// A buffer of `len` bytes, reused when one was handed back.
    pub fn take(&self, len: usize) -> Vec<u8> {
        let mut b = self
            .0
            .lock()
            .ok()
            .and_then(|mut p| p.pop())
            .unwrap_or_default();
        b.resize(len, 0);
        b
    }
}

/// One frame for a worker to draw.
struct Job {
    base: (Arc<Yuv>, View),
    over: Option<(Arc<Yuv>, View, Mix)>,
    texts: Vec<(Arc<TextLayer>, f32)>,
    buf: Vec<u8>,
}

/// The still size for a canvas: larger by the Ken Burns zoom, so the
/// camera only ever downscales; the canvas itself without Ken Burns.
pub fn still_size((w, h): (u32, u32), ken_burns: bool) -> (u32, u32) {
    if !ken_burns {
        return (w, h);
    }
    let up = |x: u32| ((x as f64 * (1.0 + KB_ZOOM)).ceil() as u32 + 1) & !1;
    (up(w), up(h))
}

/// Photos decoded and composed in order, one ahead, on a thread of their
/// own (which also writes the thumbnail from its photo's pixels). The
/// hand-over is a rendezvous: the next photo is decoded while the current
/// one shows (seconds, where decoding takes a fraction of one), and a
/// finished still never waits in a queue beside the one being decoded,
/// which kept up to four stills alive instead of three and made the
/// peak depend on how decoding and transitions happened to line up.
fn spawn_decoder(
    sources: Vec<Source>,
    size: (u32, u32),
    thumbnail: Option<Thumbnail>,
) -> mpsc::Receiver<(usize, Result<Arc<Yuv>, String>)> {
    let (tx, rx) = mpsc::sync_channel(0);
    std::thread::spawn(move || {
        for (i, s) in sources.iter().enumerate() {
            let Source::Image {
                path,
                orientation,
                name,
            } = s
            else {
                continue;
            };
            let thumb = thumbnail.as_ref().filter(|t| t.index == i);
            let keep = still::Keep {
                contain: size,
                cover: thumb.map(|t| t.size),
            };
            let r = still::decode(path, *orientation, keep)
                .map_err(|e| format!("the photo \"{name}\" could not be read: {e}"))
                .map(|img| {
                    if let Some(t) = thumb {
                        write_thumbnail(&img, t);
                    }
                    Arc::new(still::compose(img, size))
                });
            let failed = r.is_err();
            if tx.send((i, r)).is_err() || failed {
                return;
            }
        }
    });
    rx
}

/// The thumbnail: the photo covering its size, the title on it, as a
/// high-quality JPEG. A failure only means no thumbnail.
fn write_thumbnail(img: &image::DynamicImage, t: &Thumbnail) {
    let mut rgb = still::cover_rgb(img, t.size);
    if let Some(title) = &t.title {
        title.over_rgb(&mut rgb, t.size);
    }
    let Ok(file) = std::fs::File::create(&t.path) else {
        return;
    };
    let mut enc =
        image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), 92);
    if enc
        .encode(&rgb, t.size.0, t.size.1, image::ExtendedColorType::Rgb8)
        .is_err()
    {
        let _ = std::fs::remove_file(&t.path);
    }
}

fn spawn_worker(
    size: (u32, u32),
    jobs: mpsc::Receiver<Job>,
    done: mpsc::Sender<Vec<u8>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut painter = Painter::new(size);
        while let Ok(mut job) = jobs.recv() {
            let base = Layer {
                pic: &job.base.0,
                view: job.base.1,
            };
            let over = job
                .over
                .as_ref()
                .map(|(pic, view, mix)| (Layer { pic, view: *view }, *mix));
            painter.paint(base, over, &mut job.buf);
            for (t, alpha) in &job.texts {
                painter.text(t, *alpha, &mut job.buf);
            }
            if done.send(job.buf).is_err() {
                return;
            }
        }
    })
}

/// Make every frame of `scene`, in order, into `out` (an `Err` ends the
/// stream with the reason). Returns when done, failed or cancelled.
pub fn run(scene: Scene, out: tokio::sync::mpsc::Sender<Result<Vec<u8>, String>>, pool: Pool) {
    if let Err(e) = frames(scene, &out, &pool) {
        let _ = out.blocking_send(Err(e));
    }
}

/// Why frame making stopped early: a reason for the user, or nobody is
/// listening any more.
fn frames(
    scene: Scene,
    out: &tokio::sync::mpsc::Sender<Result<Vec<u8>, String>>,
    pool: &Pool,
) -> Result<(), String> {
    let (w, h) = scene.size;
    let len = still::i420_len(w, h);
    let tl = &scene.timeline;
    let total = tl.total();
    let ssize = still_size(scene.size, scene.ken_burns);
    let decoded = spawn_decoder(scene.sources.clone(), ssize, scene.thumbnail);
    let missing = Arc::new(Yuv::solid(w, h, MISSING));
    let texts: Vec<(Arc<TextLayer>, (u64, u64))> = scene
        .texts
        .into_iter()
        .map(|(t, span)| (Arc::new(t), span))
        .collect();
    // Ken Burns moves photos only: the j-th photo moves the j-th way.
    let mut nth_photo = Vec::with_capacity(scene.sources.len());
    let mut j = 0;
    for s in &scene.sources {
        nth_photo.push(j);
        if matches!(s, Source::Image { .. }) {
            j += 1;
        }
    }

    let n = scene.workers.max(1);
    let mut to_workers = Vec::with_capacity(n);
    let mut from_workers = Vec::with_capacity(n);
    for _ in 0..n {
        let (jt, jr) = mpsc::channel();
        let (dt, dr) = mpsc::channel();
        spawn_worker(scene.size, jr, dt);
        to_workers.push(jt);
        from_workers.push(dr);
    }
    // Frames in flight: one per worker, and one more so a worker never
    // waits for the collector.
    let window = (n + 1) as u64;

    let mut stills: HashMap<usize, Arc<Yuv>> = HashMap::new();
    let mut clips: HashMap<usize, clip::Clip> = HashMap::new();
    let stopped = || "the render stopped unexpectedly".to_string();
    // The picture and view of visual `at.i` at its frame `at.k`.
    let layer = |at: timeline::At,
                 stills: &mut HashMap<usize, Arc<Yuv>>,
                 clips: &mut HashMap<usize, clip::Clip>|
     -> Result<(Arc<Yuv>, View), String> {
        match &scene.sources[at.i] {
            Source::Missing => Ok((missing.clone(), View::WHOLE)),
            Source::Clip { path } => {
                let clip = match clips.entry(at.i) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(clip::Clip::open(path, tl.len(at.i), scene.size)?)
                    }
                };
                let f = clip.next_frame();
                Ok((
                    Arc::new(Yuv {
                        w,
                        h,
                        data: f.to_vec(),
                    }),
                    View::WHOLE,
                ))
            }
            Source::Image { .. } => {
                while !stills.contains_key(&at.i) {
                    let (i, r) = decoded.recv().map_err(|_| stopped())?;
                    stills.insert(i, r?);
                }
                let view = if scene.ken_burns {
                    timeline::ken_burns(nth_photo[at.i], at.k, tl.len(at.i), scene.aspect)
                } else {
                    View::WHOLE
                };
                Ok((stills[&at.i].clone(), view))
            }
        }
    };
    let collect = |f: u64| -> Result<bool, String> {
        let buf = from_workers[(f % n as u64) as usize]
            .recv()
            .map_err(|_| stopped())?;
        Ok(out.blocking_send(Ok(buf)).is_ok())
    };
    for f in 0..total {
        let shot = tl.at(f);
        let base = layer(shot.base, &mut stills, &mut clips)?;
        let over = match shot.over {
            Some((at, mix)) => {
                let (pic, view) = layer(at, &mut stills, &mut clips)?;
                Some((pic, view, mix))
            }
            None => None,
        };
        let t_ms = f as f64 * 1000.0 / timeline::FPS as f64;
        let texts = texts
            .iter()
            .map(|(t, span)| (t.clone(), text::opacity(*span, t_ms)))
            .filter(|(_, a)| *a > 0.0)
            .collect();
        let job = Job {
            base,
            over,
            texts,
            buf: pool.take(len),
        };
        to_workers[(f % n as u64) as usize]
            .send(job)
            .map_err(|_| stopped())?;
        // Stills and clips no later frame needs.
        stills.retain(|&i, _| tl.end[i] > f + 1);
        clips.retain(|&i, _| tl.end[i] > f + 1);
        if f >= window && !collect(f - window)? {
            return Ok(());
        }
    }
    for f in total.saturating_sub(window)..total {
        if !collect(f)? {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stills_leave_room_for_the_camera() {
        assert_eq!(still_size((1920, 1080), true), (2152, 1210));
        assert_eq!(still_size((1920, 1080), false), (1920, 1080));
        assert_eq!(still_size((160, 90), true), (180, 102));
    }
}
