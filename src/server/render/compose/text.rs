//! Titles and closing text: drawn once with the font file
//! [`crate::server::fonts`] picked (CJK too), as ffmpeg's
//! `drawtext` drew them before — white, centred, about 11 % of the frame
//! high, a soft black border and a shadow — then laid over each frame they
//! show on.
//!
//! The look follows drawtext's own steps, so that old and new videos agree
//! (on grey, 35-38 dB PSNR for four titles and 33 dB for "Iceland 2026",
//! against 15-25 dB when the text was centred by its ink and kerned): glyphs on whole pixels (FreeType's
//! rounded advances, no kerning), flat edges on whole pixel rows (what
//! FreeType's hinting does), the text's box centred with drawtext's
//! arithmetic (the sum of advances wide, the glyph boxes' whole-pixel
//! extent high, positions truncated), the border a stroke of the outline
//! (a round pen), and three layers — shadow, border, text — each glyph
//! blended in turn, at the fade's opacity each.

use std::path::Path;

use ab_glyph::{point, Font, FontVec, Outline, OutlineCurve, OutlinedGlyph, PxScale, ScaleFont};

use super::still::planes_mut;

/// The shadow's and the border's opacity (drawtext's `black@0.45` and
/// `black@0.55`); the text is opaque white.
const SHADOW: f32 = 0.45;
const BORDER: f32 = 0.55;

/// Text drawn once: per pixel of a box placed on the canvas at (`x`, `y`),
/// the opacity of its three layers (black shadow, black border, white
/// text, 0-1), laid over in that order.
#[derive(Debug, Clone)]
pub struct Drawn {
    pub x: i32,
    pub y: i32,
    pub w: u32,
    pub h: u32,
    px: Vec<[f32; 3]>,
}

/// How many characters wide `text` is (CJK counts double).
fn width_chars(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if crate::server::fonts::is_cjk(c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// The font size drawtext used: 11 % of the height, less when the text
/// would not fit 88 % of the width.
pub fn font_size(text: &str, (w, h): (u32, u32)) -> f32 {
    let by_height = h as f64 * 0.11;
    let by_width = w as f64 * 0.88 / (width_chars(text).max(1) as f64 * 0.58);
    by_height.min(by_width).max(8.0).round() as f32
}

/// One glyph's coverage (0-1), `w` wide, its top-left pixel at (`x`, `y`)
/// on the canvas.
struct Bitmap {
    x: i32,
    y: i32,
    w: usize,
    h: usize,
    cov: Vec<f32>,
}

impl Bitmap {
    fn at(&self, x: i32, y: i32) -> f32 {
        let (cx, cy) = (x - self.x, y - self.y);
        if cx < 0 || cy < 0 || cx as usize >= self.w || cy as usize >= self.h {
            return 0.0;
        }
        self.cov[cy as usize * self.w + cx as usize]
    }

    /// The glyph stroked with a round pen of radius `r` pixels, outline
    /// and inside (FreeType's outside border, which drawtext draws): each
    /// pixel covered as far as its centre lies within `r` + ½ of the ink.
    /// An edge pixel covered `c` has its edge `c` − ½ beyond its centre.
    fn stroked(&self, r: i32) -> Bitmap {
        let (w, h) = (self.w + 2 * r as usize + 2, self.h + 2 * r as usize + 2);
        let off = r + 1;
        let reach = r + 1;
        let disc: Vec<(i32, i32, f32)> = (-reach..=reach)
            .flat_map(|dy| (-reach..=reach).map(move |dx| (dx, dy)))
            .map(|(dx, dy)| (dx, dy, ((dx * dx + dy * dy) as f32).sqrt()))
            .filter(|&(_, _, d)| d <= r as f32 + 1.5)
            .collect();
        // Per pixel, the least distance to the ink's edge.
        let mut dist = vec![f32::MAX; w * h];
        for y in 0..self.h {
            for x in 0..self.w {
                // The rasteriser leaves crumbs of coverage (1e-7) all
                // over a glyph's box: they are not ink.
                let c = self.cov[y * self.w + x];
                if c < 1.0 / 512.0 {
                    continue;
                }
                let (px, py) = (x as i32 + off, y as i32 + off);
                for &(dx, dy, d) in &disc {
                    let i = (py + dy) as usize * w + (px + dx) as usize;
                    dist[i] = dist[i].min(d - (c - 0.5));
                }
            }
        }
        Bitmap {
            x: self.x - off,
            y: self.y - off,
            w,
            h,
            cov: dist
                .into_iter()
                .map(|d| (r as f32 + 0.5 - d).clamp(0.0, 1.0))
                .collect(),
        }
    }
}

/// What FreeType's hinting did to drawtext's glyphs, as far as it shows:
/// the font's flat edges (tops, baselines, bars, and where curves run
/// flat) on whole pixel rows, the outline between them stretched to fit.
/// `sy` is pixels per font unit.
fn snap_rows(mut o: Outline, sy: f32) -> Outline {
    use OutlineCurve::*;
    let mut refs: Vec<f32> = Vec::new();
    for c in &o.curves {
        match *c {
            Line(a, b) if a.y == b.y => refs.push(a.y),
            Quad(a, c, b) => {
                if a.y == c.y {
                    refs.push(a.y);
                }
                if c.y == b.y {
                    refs.push(b.y);
                }
            }
            Cubic(a, c1, c2, b) => {
                if a.y == c1.y {
                    refs.push(a.y);
                }
                if c2.y == b.y {
                    refs.push(b.y);
                }
            }
            _ => {}
        }
    }
    refs.sort_by(f32::total_cmp);
    refs.dedup();
    if refs.is_empty() {
        return o;
    }
    let to: Vec<f32> = refs.iter().map(|r| (r * sy).round() / sy).collect();
    let map = |y: f32| -> f32 {
        let k = refs.partition_point(|&r| r <= y);
        if k == 0 {
            return y + to[0] - refs[0];
        }
        if k == refs.len() {
            return y + to[k - 1] - refs[k - 1];
        }
        let (r0, r1, t0, t1) = (refs[k - 1], refs[k], to[k - 1], to[k]);
        t0 + (y - r0) * (t1 - t0) / (r1 - r0)
    };
    let fix = |p: &mut ab_glyph::Point| p.y = map(p.y);
    for c in &mut o.curves {
        match c {
            Line(a, b) => {
                fix(a);
                fix(b);
            }
            Quad(a, b, d) => {
                fix(a);
                fix(b);
                fix(d);
            }
            Cubic(a, b, d, e) => {
                fix(a);
                fix(b);
                fix(d);
                fix(e);
            }
        }
    }
    o.bounds.min.y = map(o.bounds.min.y);
    o.bounds.max.y = map(o.bounds.max.y);
    o
}

/// Draw `text` with `font` for a `w`×`h` canvas, centred on it.
pub fn draw(text: &str, font: &Path, (w, h): (u32, u32)) -> Result<Drawn, String> {
    let data = std::fs::read(font).map_err(|e| format!("cannot read the font: {e}"))?;
    let font = FontVec::try_from_vec_and_index(data, 0)
        .map_err(|_| format!("{} is not a font this renderer can use", font.display()))?;
    let size = font_size(text, (w, h));
    let border = (size / 14.0).round().max(1.0) as i32;
    // ab_glyph scales by the font's height; drawtext's size is the em.
    let upem = font.units_per_em().unwrap_or(1000.0);
    let scale = PxScale::from(size * font.height_unscaled() / upem);
    let sf = font.as_scaled(scale);
    // drawtext's layout: whole-pixel advances from the pen's start, no
    // kerning (drawtext asked FreeType for it by character codes where
    // FreeType wants glyph indices, so in effect it never kerned); the
    // text's height is that of the glyphs' whole-pixel boxes (a glyph with
    // no ink counts as a point on the baseline).
    let mut pen = 0i32;
    let (mut top, mut bottom) = (i32::MAX, i32::MIN);
    let mut outlined = Vec::new();
    let rows = sf.scale_factor().vertical;
    for c in text.chars().filter(|c| !c.is_control()) {
        let id = sf.glyph_id(c);
        let g = id.with_scale_and_position(scale, point(pen as f32, 0.0));
        let hinted = font
            .outline(id)
            .map(|o| OutlinedGlyph::new(g, snap_rows(o, rows), sf.scale_factor()));
        match hinted {
            Some(o) => {
                let b = o.px_bounds();
                top = top.min(b.min.y as i32);
                bottom = bottom.max(b.max.y as i32);
                outlined.push(o);
            }
            None => {
                top = top.min(0);
                bottom = bottom.max(0);
            }
        }
        pen += sf.h_advance(id).round() as i32;
    }
    if outlined.is_empty() {
        return Err("the text has nothing to draw".into());
    }
    // x = (w − text_w)/2, y = (h − text_h)/2, truncated as drawtext did.
    let x0 = ((w as i32 - pen) as f64 / 2.0) as i32;
    let y0 = ((h as i32 - (bottom - top)) as f64 / 2.0) as i32 - top;
    let glyphs: Vec<Bitmap> = outlined
        .iter()
        .map(|o| {
            let b = o.px_bounds();
            let (gw, gh) = (b.width() as usize, b.height() as usize);
            let mut cov = vec![0f32; gw * gh];
            o.draw(|x, y, c| {
                if let Some(p) = cov.get_mut(y as usize * gw + x as usize) {
                    *p = c.clamp(0.0, 1.0);
                }
            });
            Bitmap {
                x: x0 + b.min.x as i32,
                y: y0 + b.min.y as i32,
                w: gw,
                h: gh,
                cov,
            }
        })
        .collect();
    let strokes: Vec<Bitmap> = glyphs.iter().map(|g| g.stroked(border)).collect();
    // The box: every stroke, and every glyph moved by the shadow.
    let (mut bx0, mut by0, mut bx1, mut by1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for (g, s) in glyphs.iter().zip(&strokes) {
        bx0 = bx0.min(s.x);
        by0 = by0.min(s.y);
        bx1 = bx1.max(s.x + s.w as i32).max(g.x + border + g.w as i32);
        by1 = by1.max(s.y + s.h as i32).max(g.y + border + g.h as i32);
    }
    let (bw, bh) = ((bx1 - bx0) as usize, (by1 - by0) as usize);
    // Each layer glyph by glyph, each laid over the last: where two
    // glyphs' borders overlap, the black is laid on twice.
    let mut clear = vec![[1f32; 3]; bw * bh];
    for (g, s) in glyphs.iter().zip(&strokes) {
        for y in 0..bh as i32 {
            for x in 0..bw as i32 {
                let (cx, cy) = (bx0 + x, by0 + y);
                let k = &mut clear[y as usize * bw + x as usize];
                k[0] *= 1.0 - SHADOW * g.at(cx - border, cy - border);
                k[1] *= 1.0 - BORDER * s.at(cx, cy);
                k[2] *= 1.0 - g.at(cx, cy);
            }
        }
    }
    Ok(Drawn {
        x: bx0,
        y: by0,
        w: bw as u32,
        h: bh as u32,
        px: clear.into_iter().map(|k| k.map(|v| 1.0 - v)).collect(),
    })
}

impl Drawn {
    /// Over packed RGB `w`×`h` (the thumbnail).
    pub fn over_rgb(&self, rgb: &mut [u8], (w, h): (u32, u32)) {
        for row in 0..self.h as i32 {
            let y = self.y + row;
            if y < 0 || y >= h as i32 {
                continue;
            }
            for col in 0..self.w as i32 {
                let x = self.x + col;
                if x < 0 || x >= w as i32 {
                    continue;
                }
                let [s, b, t] = self.px[(row * self.w as i32 + col) as usize];
                let d = &mut rgb[(y as usize * w as usize + x as usize) * 3..][..3];
                for c in d.iter_mut() {
                    let v = *c as f32 * (1.0 - s) * (1.0 - b);
                    *c = (v * (1.0 - t) + 255.0 * t).round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }

    /// The same in 4:2:0 YUV, clipped to the `w`×`h` canvas: the layers'
    /// opacities per pixel, and averaged over each 2×2 block for the
    /// chroma (as drawtext blends a 4:2:0 frame).
    pub fn layer(&self, (w, h): (u32, u32)) -> TextLayer {
        // An even box inside the canvas.
        let x0 = self.x.max(0) as u32 & !1;
        let y0 = self.y.max(0) as u32 & !1;
        let x1 = (((self.x + self.w as i32).max(0) as u32 + 1) & !1).min(w);
        let y1 = (((self.y + self.h as i32).max(0) as u32 + 1) & !1).min(h);
        let (lw, lh) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        let at = |x: u32, y: u32| -> [f32; 3] {
            let (cx, cy) = (x as i32 - self.x, y as i32 - self.y);
            if cx < 0 || cy < 0 || cx >= self.w as i32 || cy >= self.h as i32 {
                return [0.0; 3];
            }
            self.px[(cy * self.w as i32 + cx) as usize]
        };
        let q = |a: [f32; 3]| a.map(|v| (v * 255.0).round() as u8);
        let mut luma = Vec::with_capacity((lw * lh) as usize);
        for y in y0..y0 + lh {
            for x in x0..x0 + lw {
                luma.push(q(at(x, y)));
            }
        }
        let mut chroma = Vec::with_capacity((lw * lh / 4) as usize);
        for y in (y0..y0 + lh).step_by(2) {
            for x in (x0..x0 + lw).step_by(2) {
                let mut s = [0f32; 3];
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = at(x + dx, y + dy);
                    for k in 0..3 {
                        s[k] += p[k] / 4.0;
                    }
                }
                chroma.push(q(s));
            }
        }
        TextLayer {
            x0,
            y0,
            w: lw,
            h: lh,
            luma,
            chroma,
        }
    }
}

/// Drawn text in 4:2:0 YUV, on an even box of the canvas: per pixel,
/// and per chroma sample, the opacity of the shadow, the border and the
/// text (0-255).
#[derive(Debug, Clone)]
pub struct TextLayer {
    x0: u32,
    y0: u32,
    w: u32,
    h: u32,
    luma: Vec<[u8; 3]>,
    chroma: Vec<[u8; 3]>,
}

/// Black and white in limited-range YUV: luma, then both chroma planes.
const INK: [[u8; 3]; 2] = [[16, 16, 235], [128, 128, 128]];

impl TextLayer {
    /// Over an I420 frame of `cw`×`ch` at opacity `g` (256ths): the
    /// shadow, the border and the text, each at `g` times its own
    /// opacity, as drawtext's `alpha` faded them.
    pub fn over(&self, out: &mut [u8], cw: u32, ch: u32, g: u32) {
        if g == 0 || self.w == 0 || self.h == 0 {
            return;
        }
        let blend = |d: &mut u8, a: [u8; 3], ink: [u8; 3]| {
            if a == [0; 3] {
                return;
            }
            let mut v = *d as u32;
            for (a, ink) in a.into_iter().zip(ink) {
                let a = a as u32 * g;
                v = (v * (255 * 256 - a) + ink as u32 * a + 255 * 128) / (255 * 256);
            }
            *d = v as u8;
        };
        let [py, pu, pv] = planes_mut(out, cw, ch);
        for row in 0..self.h {
            let d = &mut py[((self.y0 + row) * cw + self.x0) as usize..][..self.w as usize];
            let s = &self.luma[(row * self.w) as usize..][..self.w as usize];
            for (d, &a) in d.iter_mut().zip(s) {
                blend(d, a, INK[0]);
            }
        }
        let (w2, c2) = (self.w / 2, cw / 2);
        for row in 0..self.h / 2 {
            let at = ((self.y0 / 2 + row) * c2 + self.x0 / 2) as usize;
            let s = &self.chroma[(row * w2) as usize..][..w2 as usize];
            for (k, &a) in s.iter().enumerate() {
                blend(&mut pu[at + k], a, INK[1]);
                blend(&mut pv[at + k], a, INK[1]);
            }
        }
    }
}

/// A title's opacity at `t_ms`: fading in and out over a quarter of its
/// span (at most half a second), 0 outside it.
pub fn opacity((from, to): (u64, u64), t_ms: f64) -> f32 {
    let (a, b) = (from as f64, to as f64);
    if t_ms < a || t_ms > b {
        return 0.0;
    }
    let f = ((b - a) / 4.0).clamp(10.0, 500.0);
    ((t_ms - a) / f).min((b - t_ms) / f).clamp(0.0, 1.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_fades_as_drawtext_had_them() {
        assert_eq!(font_size("Iceland", (1920, 1080)), 119.0);
        // Long text shrinks to fit the width.
        assert_eq!(font_size(&"x".repeat(40), (1920, 1080)), 73.0);
        assert_eq!(font_size("冰岛之旅", (1920, 1080)), 119.0);
        assert_eq!(opacity((0, 3000), 0.0), 0.0);
        assert_eq!(opacity((0, 3000), 250.0), 0.5);
        assert_eq!(opacity((0, 3000), 1500.0), 1.0);
        assert_eq!(opacity((0, 3000), 3001.0), 0.0);
    }

    #[test]
    fn text_is_white_and_centred_with_a_dark_edge() {
        let crate::server::fonts::FontChoice::Found(font) = crate::server::fonts::font_for("Hi")
        else {
            return; // no font on this machine: the renderer warns instead
        };
        let d = draw("HH", &font, (320, 180)).unwrap();
        let (cx, cy) = (d.x + d.w as i32 / 2, d.y + d.h as i32 / 2);
        assert!((cx - 160).abs() <= 3 && (cy - 90).abs() <= 3, "{cx},{cy}");
        let mut rgb = vec![128u8; 320 * 180 * 3];
        d.over_rgb(&mut rgb, (320, 180));
        let max = rgb.iter().max().unwrap();
        let min = rgb.iter().min().unwrap();
        assert!(*max > 240 && *min < 70, "{max} {min}");
        let mut yuv = super::super::still::Yuv::solid(320, 180, [128, 128, 128]).data;
        d.layer((320, 180)).over(&mut yuv, 320, 180, 256);
        assert!(yuv[..320 * 180].iter().any(|&v| v > 225));
    }

    #[test]
    fn glyphs_sit_on_whole_pixel_rows_as_drawtext_drew_them() {
        let crate::server::fonts::FontChoice::Found(font) = crate::server::fonts::font_for("H")
        else {
            return; // no font on this machine: the renderer warns instead
        };
        // The flat top and foot of "H" are whole rows: down the middle of
        // a stem, the text is fully there or not at all.
        let hh = draw("H", &font, (640, 360)).unwrap();
        let col = (0..hh.h)
            .map(|y| hh.px[(y * hh.w) as usize + stem_column(&hh)][2])
            .collect::<Vec<_>>();
        assert!(col.iter().any(|&a| a > 0.99), "{col:?}");
        assert!(col.iter().all(|&a| !(0.01..=0.99).contains(&a)), "{col:?}");
    }

    /// A column through the middle of the first stem of `d`'s text.
    fn stem_column(d: &Drawn) -> usize {
        let mid = d.h / 2;
        let row: Vec<f32> = (0..d.w)
            .map(|x| d.px[(mid * d.w + x) as usize][2])
            .collect();
        let start = row.iter().position(|&a| a > 0.99).unwrap();
        let len = row[start..].iter().take_while(|&&a| a > 0.99).count();
        start + len / 2
    }
}
