//! Drawing one output frame in 4:2:0 YUV: the Ken Burns view of a still
//! (a sub-pixel crop resampled to the canvas, plane by plane), the mix of
//! two visuals during a transition, and text laid over. Works on exactly
//! the canvas's pixels, with SIMD resampling (`fast_image_resize`) and
//! plain loops the compiler vectorises.

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

/// Bilinear resampling of a sub-pixel crop of one plane, for the Ken
/// Burns camera. The camera only ever downscales, and by at most the Ken
/// Burns zoom (12 %), so two taps a side are enough; done by hand because
/// a general convolution spends most of its time on taps this never needs
/// (it was 70 % of the compositor's time through `fast_image_resize`).
/// Rows are blended first (whole rows, which vectorise), then each output
/// pixel takes two neighbours of the blended row.
#[derive(Default)]
struct Resampler {
    /// Per output column: the left source column and its partner's weight
    /// (0-256).
    cols: Vec<(u32, u32)>,
    /// One blended source row, in 256ths.
    row: Vec<u16>,
}

impl Resampler {
    fn resample(
        &mut self,
        src: &[u8],
        (sw, sh): (u32, u32),
        (left, top, cw, ch): (f64, f64, f64, f64),
        dst: &mut [u8],
        (dw, dh): (u32, u32),
    ) {
        // Output pixel centres mapped into the source, as a position
        // between two pixel centres.
        let at = |i: u32, start: f64, len: f64, out: u32, size: u32| -> (u32, u32) {
            let x = start + (i as f64 + 0.5) * len / out as f64 - 0.5;
            let x = x.clamp(0.0, (size - 1) as f64);
            let i0 = (x.floor() as u32).min(size.saturating_sub(2));
            let f = ((x - i0 as f64) * 256.0).round().clamp(0.0, 256.0) as u32;
            (i0, f)
        };
        self.cols.clear();
        self.cols.extend((0..dw).map(|x| at(x, left, cw, dw, sw)));
        let first = self.cols.first().map_or(0, |c| c.0) as usize;
        let last = (self.cols.last().map_or(0, |c| c.0) as usize + 1).min(sw as usize - 1);
        self.row.resize(sw as usize, 0);
        let sw = sw as usize;
        for (y, out) in dst
            .chunks_exact_mut(dw as usize)
            .enumerate()
            .take(dh as usize)
        {
            let (y0, fy) = at(y as u32, top, ch, dh, sh);
            let y1 = (y0 + 1).min(sh - 1) as usize;
            let a = &src[y0 as usize * sw..][first..=last];
            let b = &src[y1 * sw..][first..=last];
            let (wa, wb) = ((256 - fy) as u16, fy as u16);
            for ((r, &p), &q) in self.row[first..=last].iter_mut().zip(a).zip(b) {
                *r = p as u16 * wa + q as u16 * wb;
            }
            let row = &self.row;
            for (o, &(x0, fx)) in out.iter_mut().zip(&self.cols) {
                let x0 = x0 as usize;
                let (p, q) = (row[x0] as u32, row[(x0 + 1).min(last)] as u32);
                *o = ((p * (256 - fx) + q * fx + (1 << 15)) >> 16) as u8;
            }
        }
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
    for (n, d) in dst.into_iter().enumerate() {
        let k = BLACK[n] as u32 * rest + 128;
        if over.is_empty() {
            for p in d.iter_mut() {
                *p = ((*p as u32 * a + k) >> 8) as u8;
            }
            continue;
        }
        let start = match n {
            0 => 0,
            1 => (w * h) as usize,
            _ => (w * h + (w / 2) * (h / 2)) as usize,
        };
        let s = &over[start..start + d.len()];
        for (p, &q) in d.iter_mut().zip(s) {
            *p = ((*p as u32 * a + q as u32 * b + k) >> 8) as u8;
        }
    }
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
    fn the_camera_moves_by_fractions_of_a_pixel() {
        // A ramp, 10 per pixel: a crop starting 2.5 pixels in reads 25,
        // 35, 45…, halfway between the pixels.
        let src: Vec<u8> = (0..4).flat_map(|_| (0..20).map(|x| x * 10)).collect();
        let mut out = vec![0u8; 40];
        Resampler::default().resample(&src, (20, 4), (2.5, 0.0, 10.0, 4.0), &mut out, (10, 4));
        assert_eq!(&out[..10], &[25, 35, 45, 55, 65, 75, 85, 95, 105, 115]);
        // Shrunk by 10 %: still a ramp, 11 per output pixel (to 1/256).
        Resampler::default().resample(&src, (20, 4), (0.0, 0.0, 11.0, 4.0), &mut out, (10, 4));
        assert_eq!(&out[..4], &[1, 11, 23, 34]);
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
