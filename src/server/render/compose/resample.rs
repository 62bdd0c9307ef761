//! The Ken Burns camera's resampling: a sub-pixel crop of one plane,
//! scaled to the output by bilinear interpolation. The camera only ever
//! downscales, and by at most the Ken Burns zoom (12 %), so two taps a
//! side are enough; a general convolution (`fast_image_resize`) spends
//! most of its time on taps this never needs.
//!
//! Two passes per output row: the two source rows around it are blended
//! (whole rows, which the compiler vectorises, with AVX2 where the CPU
//! has it), then each output pixel mixes two neighbours of the blended
//! row. That second pass is a gather, which compilers do not vectorise:
//! on x86-64 with SSSE3 it makes eight output pixels per step, with one
//! byte shuffle and one multiply-add (`pshufb`, `pmaddubsw`); elsewhere a
//! plain loop computes exactly the same. This pass was most of the
//! compositor's time before.
//!
//! Vertical weights are 256ths; horizontal ones 64ths (the multiply-add
//! takes signed bytes), a 64th of a pixel being far below what shows.

/// One plane's resampler. It keeps its buffers between frames.
#[derive(Default)]
pub struct Resampler {
    /// Per output column: the left source column, and its partner's
    /// weight (0-64).
    cols: Vec<(u32, u8)>,
    /// The same eight columns at a time, for the shuffle.
    groups: Vec<Group>,
    /// One blended source row, and room for a 16-byte read past its end.
    row: Vec<u8>,
}

/// Eight output pixels: where their source bytes start in the blended
/// row, which two bytes each takes (offsets from there, pairwise), and
/// their weights (64ths, pairwise).
struct Group {
    base: usize,
    pick: [u8; 16],
    weight: [i8; 16],
}

/// Output pixel `i`'s centre mapped into the source: the pixel left of
/// it and how far past that pixel's centre (0-1).
fn locate(i: u32, start: f64, len: f64, out: u32, size: u32) -> (u32, f64) {
    let x = start + (i as f64 + 0.5) * len / out as f64 - 0.5;
    let x = x.clamp(0.0, size.saturating_sub(1) as f64);
    let i0 = (x.floor() as u32).min(size.saturating_sub(2));
    (i0, x - i0 as f64)
}

impl Resampler {
    /// The crop (`left`, `top`, `width`, `height`, in source pixels) of a
    /// `sw`×`sh` plane, scaled to fill `dst` (`dw`×`dh`).
    pub fn resample(
        &mut self,
        src: &[u8],
        size: (u32, u32),
        crop: (f64, f64, f64, f64),
        dst: &mut [u8],
        out: (u32, u32),
    ) {
        self.run(src, size, crop, dst, out, can_shuffle())
    }

    fn run(
        &mut self,
        src: &[u8],
        (sw, sh): (u32, u32),
        (left, top, cw, ch): (f64, f64, f64, f64),
        dst: &mut [u8],
        (dw, dh): (u32, u32),
        shuffle: bool,
    ) {
        if sw < 2 || sh < 1 || dw == 0 {
            return;
        }
        self.cols.clear();
        self.cols.extend((0..dw).map(|x| {
            let (i0, f) = locate(x, left, cw, dw, sw);
            (i0, (f * 64.0).round() as u8)
        }));
        let shuffled = shuffle && self.plan_groups();
        let sw = sw as usize;
        let first = self.cols[0].0 as usize;
        let last = self.cols[self.cols.len() - 1].0 as usize + 1;
        self.row.resize(sw + 16, 0);
        for (y, out) in dst
            .chunks_exact_mut(dw as usize)
            .enumerate()
            .take(dh as usize)
        {
            let (y0, fy) = locate(y as u32, top, ch, dh, sh);
            let y1 = (y0 + 1).min(sh - 1) as usize;
            let a = &src[y0 as usize * sw..][first..=last];
            let b = &src[y1 * sw..][first..=last];
            blend_rows(
                &mut self.row[first..=last],
                a,
                b,
                (fy * 256.0).round() as u16,
            );
            let done = if shuffled {
                mix_columns_shuffled(&self.row, &self.groups, out)
            } else {
                0
            };
            for (o, &(x0, f)) in out[done..].iter_mut().zip(&self.cols[done..]) {
                let x0 = x0 as usize;
                let (p, q, f) = (self.row[x0] as u32, self.row[x0 + 1] as u32, f as u32);
                *o = ((p * (64 - f) + q * f + 32) >> 6) as u8;
            }
        }
    }

    /// The columns eight at a time, when every eight fit one 16-byte
    /// read (always, for the camera's zooms).
    fn plan_groups(&mut self) -> bool {
        self.groups.clear();
        for g in self.cols.chunks_exact(8) {
            let base = g[0].0 as usize;
            let mut pick = [0u8; 16];
            let mut weight = [0i8; 16];
            for (k, &(i0, f)) in g.iter().enumerate() {
                let off = i0 as usize - base;
                if off + 1 > 15 {
                    self.groups.clear();
                    return false;
                }
                pick[2 * k] = off as u8;
                pick[2 * k + 1] = off as u8 + 1;
                weight[2 * k] = 64 - f as i8;
                weight[2 * k + 1] = f as i8;
            }
            self.groups.push(Group { base, pick, weight });
        }
        true
    }
}

/// `row = a·(256 − f) + b·f`, in 256ths, rounded.
fn blend_rows(row: &mut [u8], a: &[u8], b: &[u8], f: u16) {
    #[inline(always)]
    fn plain(row: &mut [u8], a: &[u8], b: &[u8], f: u16) {
        let wa = 256 - f;
        for ((r, &p), &q) in row.iter_mut().zip(a).zip(b) {
            *r = ((p as u16 * wa + q as u16 * f + 128) >> 8) as u8;
        }
    }
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn wide(row: &mut [u8], a: &[u8], b: &[u8], f: u16) {
            plain(row, a, b, f)
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked just above).
            unsafe { wide(row, a, b, f) };
            return;
        }
    }
    plain(row, a, b, f)
}

fn can_shuffle() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("ssse3")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The groups' output pixels (eight each) into `out`; returns how many
/// were made. `row` has 16 readable bytes from every group's base.
#[cfg(target_arch = "x86_64")]
fn mix_columns_shuffled(row: &[u8], groups: &[Group], out: &mut [u8]) -> usize {
    #[target_feature(enable = "ssse3")]
    fn mix(row: &[u8], groups: &[Group], out: &mut [u8]) {
        use std::arch::x86_64::*;
        let half = _mm_set1_epi16(32);
        for (g, o) in groups.iter().zip(out.chunks_exact_mut(8)) {
            let src: &[u8; 16] = row[g.base..g.base + 16].try_into().expect("16 bytes");
            // SAFETY: the loads read 16 bytes of arrays 16 bytes long, the
            // store writes 8 bytes into a chunk 8 bytes long.
            unsafe {
                let s = _mm_loadu_si128(src.as_ptr().cast());
                let pick = _mm_loadu_si128(g.pick.as_ptr().cast());
                let weight = _mm_loadu_si128(g.weight.as_ptr().cast());
                let pairs = _mm_shuffle_epi8(s, pick);
                let sum = _mm_maddubs_epi16(pairs, weight);
                let v = _mm_srli_epi16(_mm_add_epi16(sum, half), 6);
                _mm_storel_epi64(o.as_mut_ptr().cast(), _mm_packus_epi16(v, v));
            }
        }
    }
    if groups.is_empty() {
        return 0;
    }
    // SAFETY: groups are only planned when the CPU has SSSE3.
    unsafe { mix(row, groups, out) };
    groups.len().min(out.len() / 8) * 8
}

#[cfg(not(target_arch = "x86_64"))]
fn mix_columns_shuffled(_: &[u8], _: &[Group], _: &mut [u8]) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_camera_moves_by_fractions_of_a_pixel() {
        // A ramp, 10 per pixel: a crop starting 2.5 pixels in reads 25,
        // 35, 45…, halfway between the pixels.
        let src: Vec<u8> = (0..4).flat_map(|_| (0..20).map(|x| x * 10)).collect();
        let mut out = vec![0u8; 40];
        Resampler::default().resample(&src, (20, 4), (2.5, 0.0, 10.0, 4.0), &mut out, (10, 4));
        assert_eq!(&out[..10], &[25, 35, 45, 55, 65, 75, 85, 95, 105, 115]);
        // Shrunk by 10 %: still a ramp, 11 per output pixel, output
        // pixel i reading the source at 1.1·(i + ½) − ½ (to a 64th).
        Resampler::default().resample(&src, (20, 4), (0.0, 0.0, 11.0, 4.0), &mut out, (10, 4));
        for (i, &v) in out[..10].iter().enumerate() {
            let want = 10.0 * (1.1 * (i as f64 + 0.5) - 0.5);
            assert!(
                (v as f64 - want).abs() <= 0.5 + 10.0 / 64.0,
                "{i}: {v} vs {want}"
            );
        }
    }

    #[test]
    fn the_shuffle_computes_what_the_plain_loop_does() {
        // Noise, every zoom of the camera and a few offsets, wide enough
        // for the eight-pixel steps and a tail after them.
        let (sw, sh) = (231u32, 40u32);
        let src: Vec<u8> = (0..sw * sh)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let (dw, dh) = (203u32, 35u32);
        for zoom in [1.0, 1.03, 1.07, 1.12] {
            for left in [0.0, 0.3, 5.75] {
                let crop = (left, 0.6, dw as f64 * zoom, dh as f64 * zoom);
                let mut a = vec![0u8; (dw * dh) as usize];
                let mut b = a.clone();
                Resampler::default().run(&src, (sw, sh), crop, &mut a, (dw, dh), can_shuffle());
                Resampler::default().run(&src, (sw, sh), crop, &mut b, (dw, dh), false);
                assert_eq!(a, b, "zoom {zoom}, left {left}");
            }
        }
    }
}
