//! What each output frame shows: which visual (or two, during a
//! transition), how far into it, how the two are mixed, and where the Ken
//! Burns camera looks. Pure (no pixels, no I/O), so the timing is
//! table-tested; [`super::frame`] draws what it says.

use crate::server::slideshow::{Aspect, Slideshow, TransitionKind};

/// Frames per second of every video the renderer writes.
pub const FPS: u64 = 30;
/// How far Ken Burns zooms (12 %). Stills are composed this much larger
/// than the canvas, so the camera only ever downscales.
pub const KB_ZOOM: f64 = 0.12;

/// Milliseconds → frames, to the nearest frame.
pub fn frames(ms: u64) -> u64 {
    (ms * FPS + 500) / 1000
}

/// How two visuals are combined during a transition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mix {
    /// `out = from·a + to·b + black·(1 − a − b)`: a crossfade (a + b = 1)
    /// or a fade through black (one of them 0).
    Weights(f32, f32),
    /// The incoming visual slides in from the right: its left edge is at
    /// this column (even, for the 4:2:0 chroma).
    Slide(u32),
    /// The incoming visual is revealed from the left up to this column
    /// (even).
    Wipe(u32),
}

/// A visual at one of its own frames.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct At {
    /// The visual's index in the show.
    pub i: usize,
    /// Frame number within the visual (0 = its first).
    pub k: u64,
}

/// What one output frame shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shot {
    pub base: At,
    /// The incoming visual of a transition, and how it is mixed in.
    pub over: Option<(At, Mix)>,
}

/// Frame boundaries of every visual, from the draft's millisecond starts,
/// so the whole video is within one frame of the draft however many photos
/// it has.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub start: Vec<u64>,
    pub end: Vec<u64>,
    pub kind: TransitionKind,
    /// The canvas width, for slides and wipes.
    pub width: u32,
}

impl Timeline {
    pub fn of(show: &Slideshow, width: u32) -> Timeline {
        let starts = show.starts();
        Timeline {
            start: starts.iter().map(|&s| frames(s)).collect(),
            end: starts
                .iter()
                .zip(&show.photos)
                .map(|(&s, p)| frames(s + p.ms))
                .collect(),
            kind: show.transition.kind,
            width,
        }
    }

    pub fn total(&self) -> u64 {
        self.end.last().copied().unwrap_or(0)
    }

    /// Frames visual `i` lasts.
    pub fn len(&self, i: usize) -> u64 {
        self.end[i] - self.start[i]
    }

    /// What frame `f` shows.
    pub fn at(&self, f: u64) -> Shot {
        // The last visual that has started: the incoming one of a
        // transition, or the only one.
        let i = self.start.partition_point(|&s| s <= f).saturating_sub(1);
        let here = At {
            i,
            k: f - self.start[i],
        };
        if i == 0 || f >= self.end[i - 1] || self.kind == TransitionKind::None {
            return Shot {
                base: here,
                over: None,
            };
        }
        let prev = At {
            i: i - 1,
            k: f - self.start[i - 1],
        };
        // Position within the transition, as ffmpeg's `fade` counted it:
        // 0 at its first frame, (l − 1)/l at its last.
        let l = self.end[i - 1] - self.start[i];
        let p = (f - self.start[i]) as f64 / l as f64;
        let w = self.width as f64;
        let even = |x: f64| (x / 2.0).floor() as u32 * 2;
        let mix = match self.kind {
            TransitionKind::Crossfade | TransitionKind::None => {
                Mix::Weights((1.0 - p) as f32, p as f32)
            }
            // The outgoing visual fades to black over the first half, the
            // incoming one in from black over the second.
            TransitionKind::FadeBlack => Mix::Weights(
                (1.0 - 2.0 * p).max(0.0) as f32,
                (2.0 * p - 1.0).max(0.0) as f32,
            ),
            TransitionKind::Slide => Mix::Slide(even(w * (1.0 - p)).min(self.width)),
            TransitionKind::Wipe => Mix::Wipe(even(w * p).min(self.width)),
        };
        Shot {
            base: prev,
            over: Some((here, mix)),
        }
    }
}

/// Where the Ken Burns camera looks: the part of the still shown, as
/// fractions of the still's width and height (left, top, width, height).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl View {
    /// The whole still (no Ken Burns).
    pub const WHOLE: View = View {
        left: 0.0,
        top: 0.0,
        width: 1.0,
        height: 1.0,
    };
}

/// The camera for the `j`-th photo of the show (photos only: clips do not
/// move) at its frame `k` of `n`, on a still composed `1 + KB_ZOOM` times
/// the canvas: zoom in, zoom out, and pans along the canvas's long side,
/// in turn. Zoom is relative to the whole still: at 1 all of it is shown
/// (downscaled to the canvas), at 1 + KB_ZOOM a canvas's worth, 1:1.
pub fn ken_burns(j: usize, k: u64, n: u64, aspect: Aspect) -> View {
    let p = (k as f64 / n.saturating_sub(1).max(1) as f64).min(1.0);
    let z = KB_ZOOM;
    let (zoom, px, py) = match j % 4 {
        0 => (1.0 + z * p, 0.5, 0.5),
        1 => (1.0 + z * (1.0 - p), 0.5, 0.5),
        m => {
            let t = if m == 2 { p } else { 1.0 - p };
            if aspect == Aspect::Portrait {
                (1.0 + z * 0.75, 0.5, t)
            } else {
                (1.0 + z * 0.75, t, 0.5)
            }
        }
    };
    let size = 1.0 / zoom;
    View {
        left: (1.0 - size) * px,
        top: (1.0 - size) * py,
        width: size,
        height: size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::slideshow::{Photo, Transition};

    fn show(n: usize, kind: TransitionKind) -> Slideshow {
        let mut s = Slideshow::of(
            (0..n)
                .map(|i| Photo {
                    file_id: None,
                    name: format!("p{i}.jpg"),
                    ms: 3500,
                })
                .collect(),
        );
        s.transition = Transition { kind, ms: 750 };
        s
    }

    #[test]
    fn frames_follow_the_draft_to_the_frame() {
        // 10 × 3.5 s with 0.75 s crossfades: 28.25 s = 847.5 → 848 frames.
        let t = Timeline::of(&show(10, TransitionKind::Crossfade), 320);
        assert_eq!(t.total(), 848);
        // The second photo starts at 2.75 s (frame 82.5 → 83) while the
        // first ends at frame 105: a 22-frame crossfade.
        assert_eq!((t.start[1], t.end[0]), (83, 105));
        assert_eq!(t.at(82).over, None);
        assert_eq!(t.at(82).base, At { i: 0, k: 82 });
        let s = t.at(83);
        assert_eq!(s.base, At { i: 0, k: 83 });
        assert_eq!(s.over, Some((At { i: 1, k: 0 }, Mix::Weights(1.0, 0.0))));
        // The midpoint is an even blend.
        assert_eq!(
            t.at(94).over.unwrap().1,
            Mix::Weights(0.5, 0.5),
            "frame 94 is 11 of 22"
        );
        assert_eq!(
            t.at(105),
            Shot {
                base: At { i: 1, k: 22 },
                over: None
            }
        );
        assert_eq!(t.at(847).base, At { i: 9, k: 105 - 1 });
    }

    #[test]
    fn each_transition_mixes_its_own_way() {
        let mid = |kind| Timeline::of(&show(2, kind), 320).at(94).over.unwrap().1;
        assert_eq!(mid(TransitionKind::FadeBlack), Mix::Weights(0.0, 0.0));
        assert_eq!(mid(TransitionKind::Slide), Mix::Slide(160));
        assert_eq!(mid(TransitionKind::Wipe), Mix::Wipe(160));
        let fb = Timeline::of(&show(2, TransitionKind::FadeBlack), 320);
        assert_eq!(fb.at(88).over.unwrap().1, Mix::Weights(12.0 / 22.0, 0.0));
        // No transition: a cut, and no frame shows two photos.
        let cut = Timeline::of(&show(3, TransitionKind::None), 320);
        assert_eq!(cut.total(), 315);
        assert!((0..315).all(|f| cut.at(f).over.is_none()));
        assert_eq!(cut.at(105).base, At { i: 1, k: 0 });
    }

    #[test]
    fn ken_burns_zooms_and_pans_in_turn() {
        let whole = ken_burns(0, 0, 105, Aspect::Landscape);
        assert_eq!(whole, View::WHOLE);
        let end = ken_burns(0, 104, 105, Aspect::Landscape);
        assert!((end.width - 1.0 / 1.12).abs() < 1e-9);
        assert!((end.left - (1.0 - 1.0 / 1.12) / 2.0).abs() < 1e-9);
        assert_eq!(ken_burns(1, 104, 105, Aspect::Landscape), View::WHOLE);
        let pan = ken_burns(2, 0, 105, Aspect::Landscape);
        assert_eq!((pan.left, pan.top > 0.0), (0.0, true));
        let pan = ken_burns(3, 0, 105, Aspect::Portrait);
        assert!(pan.top > 0.0 && pan.left > 0.0);
        // Smooth: the camera moves by a fraction of a pixel per frame.
        let a = ken_burns(0, 50, 105, Aspect::Landscape);
        let b = ken_burns(0, 51, 105, Aspect::Landscape);
        assert!((a.left - b.left) * 2150.0 < 1.0);
    }
}
