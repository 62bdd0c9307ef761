//! Drawing one output frame in 4:2:0 YUV: the Ken Burns view of a still
//! (a sub-pixel crop resampled to the canvas, plane by plane), the mix of
//! two visuals during a transition, and text laid over. Works on exactly
//! the canvas's pixels, with the camera's own SIMD resampling
//! ([`super::resample`]) and plain loops the compiler vectorises.

use super::resample::Resampler;
use super::still::{planes_mut, Yuv};
use super::text::TextLayer;
use super::timeline::{Mix, View};

/// Black in limited-range YUV, per plane.
const BLACK: [u8; 3] = [16, 128, 128];

/// One worker's tools: a resampler (it keeps its buffers between frames)
/// and a second frame for the incoming visual of a transition.
pub struct Painter {
    w: u32,
    h: u32,
    resampler: Resampler,
    scratch: Vec<u8>,
}

/// What to draw for one layer: a picture, and the part of it to show.
#[derive(Clone, Copy)]
pub struct Layer<'a> {
    pub pic: &'a Yuv,
    pub view: View,
}

impl Painter {
    pub fn new((w, h): (u32, u32)) -> Painter {
        Painter {
            w,
            h,
            resampler: Resampler::default(),
            scratch: Vec::new(),
        }
    }

    /// `layer` drawn over the whole of `out` (an I420 canvas).
    pub fn view(&mut self, layer: Layer, out: &mut [u8]) {
        let (w, h) = (self.w, self.h);
        let pic = layer.pic;
        if pic.w == w && pic.h == h && layer.view == View::WHOLE {
            out.copy_from_slice(&pic.data);
            return;
        }
        let v = layer.view;
        let dst = planes_mut(out, w, h);
        for (n, (src, dst)) in pic.planes().into_iter().zip(dst).enumerate() {
            let (pw, ph, dw, dh) = if n == 0 {
                (pic.w, pic.h, w, h)
            } else {
                (pic.w / 2, pic.h / 2, w / 2, h / 2)
            };
            let crop = (
                v.left * pw as f64,
                v.top * ph as f64,
                v.width * pw as f64,
                v.height * ph as f64,
            );
            self.resampler.resample(src, (pw, ph), crop, dst, (dw, dh));
        }
    }

    /// A frame: `base`, with `over` mixed in during a transition.
    pub fn paint(&mut self, base: Layer, over: Option<(Layer, Mix)>, out: &mut [u8]) {
        let Some((over, mix)) = over else {
            self.view(base, out);
            return;
        };
        let (w, h) = (self.w, self.h);
        match mix {
            Mix::Weights(a, b) => {
                let (a, b) = (weight(a), weight(b));
                match (a, b) {
                    (_, 0) => self.view(base, out),
                    (0, _) => self.view(over, out),
                    _ => {
                        self.view(base, out);
                        let mut s = self.take_scratch();
                        self.view(over, &mut s);
                        mix_weights(out, &s, a, b, w, h);
                        self.scratch = s;
                        return;
                    }
                }
                if a + b < 256 {
                    mix_weights(out, &[], a.max(b), 0, w, h);
                }
            }
            Mix::Slide(x) if x >= w => self.view(base, out),
            Mix::Wipe(0) => self.view(base, out),
            Mix::Slide(0) => self.view(over, out),
            Mix::Wipe(x) if x >= w => self.view(over, out),
            Mix::Slide(x) | Mix::Wipe(x) => {
                self.view(base, out);
                let mut s = self.take_scratch();
                self.view(over, &mut s);
                let slide = matches!(mix, Mix::Slide(_));
                let dst = planes_mut(out, w, h);
                let src = planes_mut(&mut s, w, h);
                for (n, (d, s)) in dst.into_iter().zip(src).enumerate() {
                    let (pw, x) = if n == 0 { (w, x) } else { (w / 2, x / 2) };
                    let (pw, x) = (pw as usize, x as usize);
                    for (drow, srow) in d.chunks_exact_mut(pw).zip(s.chunks_exact(pw)) {
                        if slide {
                            // The incoming picture's left part, moved right.
                            drow[x..].copy_from_slice(&srow[..pw - x]);
                        } else {
                            drow[..x].copy_from_slice(&srow[..x]);
                        }
                    }
                }
                self.scratch = s;
            }
        }
    }

    fn take_scratch(&mut self) -> Vec<u8> {
        let mut s = std::mem::take(&mut self.scratch);
        s.resize(super::still::i420_len(self.w, self.h), 0);
        s
    }

    /// `text` over `out` at opacity `alpha` (0-1).
    pub fn text(&self, text: &TextLayer, alpha: f32, out: &mut [u8]) {
        text.over(out, self.w, self.h, weight(alpha));
    }
}

/// A weight 0-1 in 256ths.
fn weight(x: f32) -> u32 {
    (x.clamp(0.0, 1.0) * 256.0).round() as u32
}

/// `out = out·a + over·b + black·(256 − a − b)`, in 256ths; with `over`
/// empty, `out` is only faded towards black.
fn mix_weights(out: &mut [u8], over: &[u8], a: u32, b: u32, w: u32, h: u32) {
    let rest = 256 - a - b;
    let dst = planes_mut(out, w, h);
    let mut start = 0;
    for (n, d) in dst.into_iter().enumerate() {
        // At most 255·256 + 128: the sums fit 16 bits, twice as many
        // lanes per instruction as 32.
        let k = (BLACK[n] as u32 * rest + 128) as u16;
        let len = d.len();
        let s = over.get(start..start + len).unwrap_or(&[]);
        mix_plane(d, s, a as u16, b as u16, k);
        start += len;
    }
}

/// `d = (d·a + s·b + k) / 256` (`s` empty: no second term).
fn mix_plane(d: &mut [u8], s: &[u8], a: u16, b: u16, k: u16) {
    #[inline(always)]
    fn plain(d: &mut [u8], s: &[u8], a: u16, b: u16, k: u16) {
        if s.is_empty() {
            for p in d.iter_mut() {
                *p = ((*p as u16 * a + k) >> 8) as u8;
            }
            return;
        }
        for (p, &q) in d.iter_mut().zip(s) {
            *p = ((*p as u16 * a + q as u16 * b + k) >> 8) as u8;
        }
    }
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn wide(d: &mut [u8], s: &[u8], a: u16, b: u16, k: u16) {
            plain(d, s, a, b, k)
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked just above).
            unsafe { wide(d, s, a, b, k) };
            return;
        }
    }
    plain(d, s, a, b, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crossfade_midpoint_is_an_even_blend() {
        let (w, h) = (8, 4);
        let a = Yuv::solid(w, h, [255, 0, 0]);
        let b = Yuv::solid(w, h, [0, 0, 255]);
        let mut p = Painter::new((w, h));
        let mut out = vec![0u8; a.data.len()];
        let la = Layer {
            pic: &a,
            view: View::WHOLE,
        };
        let lb = Layer {
            pic: &b,
            view: View::WHOLE,
        };
        p.paint(la, Some((lb, Mix::Weights(0.5, 0.5))), &mut out);
        for (i, &v) in out.iter().enumerate() {
            let want = (a.data[i] as u32 + b.data[i] as u32) / 2;
            assert!((v as u32).abs_diff(want) <= 1, "{i}: {v} vs {want}");
        }
        // Halfway through black.
        p.paint(la, Some((lb, Mix::Weights(0.0, 0.0))), &mut out);
        assert_eq!(out, Yuv::solid(w, h, [0, 0, 0]).data);
        // A wipe: the incoming picture on the left.
        p.paint(la, Some((lb, Mix::Wipe(4))), &mut out);
        assert_eq!((out[0], out[7]), (b.data[0], a.data[0]));
        p.paint(la, Some((lb, Mix::Slide(2))), &mut out);
        assert_eq!((out[1], out[2]), (a.data[0], b.data[0]));
    }

    #[test]
    fn a_view_resamples_a_larger_still() {
        let big = Yuv::solid(18, 10, [10, 200, 30]);
        let mut p = Painter::new((16, 8));
        let mut out = vec![0u8; super::super::still::i420_len(16, 8)];
        p.view(
            Layer {
                pic: &big,
                view: View {
                    left: 0.03,
                    top: 0.02,
                    width: 0.9,
                    height: 0.9,
                },
            },
            &mut out,
        );
        assert!(out[..128].iter().all(|&v| v == big.data[0]));
    }
}
