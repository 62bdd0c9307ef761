//! Titles and closing text: drawn once with the font file
//! [`crate::server::fonts`] picked (CJK too), as drawtext drew
//! them before — white, centred, about 11 % of the frame high, a soft
//! black border and a shadow — then laid over each frame they show on.

use std::path::Path;

use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};

use super::still::planes_mut;

/// Text drawn once, premultiplied RGBA (0-1) in a box placed on the
/// canvas at (`x`, `y`).
#[derive(Debug, Clone)]
pub struct Drawn {
    pub x: i32,
    pub y: i32,
    pub w: u32,
    pub h: u32,
    px: Vec<[f32; 4]>,
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
    let mut caret = 0.0f32;
    let mut prev = None;
    let mut outlined = Vec::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            caret += sf.kern(p, id);
        }
        let g = id.with_scale_and_position(scale, point(caret, sf.ascent()));
        caret += sf.h_advance(id);
        prev = Some(id);
        outlined.extend(font.outline_glyph(g));
    }
    let Some(first) = outlined.first() else {
        return Err("the text has nothing to draw".into());
    };
    let mut ink = first.px_bounds();
    for g in &outlined {
        let b = g.px_bounds();
        ink.min.x = ink.min.x.min(b.min.x);
        ink.min.y = ink.min.y.min(b.min.y);
        ink.max.x = ink.max.x.max(b.max.x);
        ink.max.y = ink.max.y.max(b.max.y);
    }
    let pad = 2 * border + 1;
    let (iw, ih) = (
        (ink.max.x - ink.min.x).ceil() as i32,
        (ink.max.y - ink.min.y).ceil() as i32,
    );
    let (mw, mh) = ((iw + 2 * pad) as usize, (ih + 2 * pad) as usize);
    let mut cov = vec![0f32; mw * mh];
    for g in &outlined {
        let b = g.px_bounds();
        let (ox, oy) = (
            (b.min.x - ink.min.x) as i32 + pad,
            (b.min.y - ink.min.y) as i32 + pad,
        );
        g.draw(|x, y, c| {
            let (x, y) = (ox + x as i32, oy + y as i32);
            if x >= 0 && y >= 0 && (x as usize) < mw && (y as usize) < mh {
                let p = &mut cov[y as usize * mw + x as usize];
                *p = (*p + c).min(1.0);
            }
        });
    }
    // The border: the glyphs grown by `border` pixels all round.
    let r2 = (border as f32 + 0.5).powi(2);
    let disc: Vec<(i32, i32)> = (-border..=border)
        .flat_map(|dy| (-border..=border).map(move |dx| (dx, dy)))
        .filter(|&(dx, dy)| (dx * dx + dy * dy) as f32 <= r2)
        .collect();
    let mut grown = vec![0f32; mw * mh];
    for y in 0..mh as i32 {
        for x in 0..mw as i32 {
            let c = cov[y as usize * mw + x as usize];
            if c <= 0.0 {
                continue;
            }
            for &(dx, dy) in &disc {
                let (gx, gy) = (x + dx, y + dy);
                if gx >= 0 && gy >= 0 && (gx as usize) < mw && (gy as usize) < mh {
                    let p = &mut grown[gy as usize * mw + gx as usize];
                    *p = p.max(c);
                }
            }
        }
    }
    // Shadow (black 45 %, offset by the border), border (black 55 %),
    // then the white text, each laid over the last.
    let mut px = vec![[0f32; 4]; mw * mh];
    for y in 0..mh {
        for x in 0..mw {
            let sh = match (
                x.checked_sub(border as usize),
                y.checked_sub(border as usize),
            ) {
                (Some(sx), Some(sy)) => cov[sy * mw + sx] * 0.45,
                _ => 0.0,
            };
            let mut acc = [0.0, 0.0, 0.0, sh];
            for (a, white) in [(grown[y * mw + x] * 0.55, 0.0), (cov[y * mw + x], 1.0)] {
                acc = [
                    white * a + acc[0] * (1.0 - a),
                    white * a + acc[1] * (1.0 - a),
                    white * a + acc[2] * (1.0 - a),
                    a + acc[3] * (1.0 - a),
                ];
            }
            px[y * mw + x] = acc;
        }
    }
    Ok(Drawn {
        x: ((w as i32 - iw) as f32 / 2.0).round() as i32 - pad,
        y: ((h as i32 - ih) as f32 / 2.0).round() as i32 - pad,
        w: mw as u32,
        h: mh as u32,
        px,
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
                let p = self.px[(row * self.w as i32 + col) as usize];
                let d = &mut rgb[(y as usize * w as usize + x as usize) * 3..][..3];
                for c in 0..3 {
                    d[c] = (p[c] * 255.0 + d[c] as f32 * (1.0 - p[3]))
                        .round()
                        .clamp(0.0, 255.0) as u8;
                }
            }
        }
    }

    /// The same in 4:2:0 BT.709 YUV, clipped to the `w`×`h` canvas.
    pub fn layer(&self, (w, h): (u32, u32)) -> TextLayer {
        // An even box inside the canvas.
        let x0 = self.x.max(0) as u32 & !1;
        let y0 = self.y.max(0) as u32 & !1;
        let x1 = (((self.x + self.w as i32).max(0) as u32 + 1) & !1).min(w);
        let y1 = (((self.y + self.h as i32).max(0) as u32 + 1) & !1).min(h);
        let (lw, lh) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        // Premultiplied Y, U, V and alpha of one canvas pixel.
        let at = |x: u32, y: u32| -> [f32; 4] {
            let (cx, cy) = (x as i32 - self.x, y as i32 - self.y);
            if cx < 0 || cy < 0 || cx >= self.w as i32 || cy >= self.h as i32 {
                return [0.0; 4];
            }
            let [r, g, b, a] = self.px[(cy * self.w as i32 + cx) as usize];
            let luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            [
                16.0 * a + 219.0 * luma,
                128.0 * a + 224.0 * (b - luma) / 1.8556,
                128.0 * a + 224.0 * (r - luma) / 1.5748,
                a,
            ]
        };
        let mut luma = Vec::with_capacity((lw * lh) as usize);
        for y in y0..y0 + lh {
            for x in x0..x0 + lw {
                let p = at(x, y);
                luma.push([(p[3] * 255.0).round() as u8, p[0].round() as u8]);
            }
        }
        let mut chroma = Vec::with_capacity((lw * lh / 4) as usize);
        for y in (y0..y0 + lh).step_by(2) {
            for x in (x0..x0 + lw).step_by(2) {
                let mut s = [0f32; 4];
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = at(x + dx, y + dy);
                    for k in 0..4 {
                        s[k] += p[k] / 4.0;
                    }
                }
                chroma.push([
                    (s[3] * 255.0).round() as u8,
                    s[1].round() as u8,
                    s[2].round() as u8,
                ]);
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

/// Drawn text in 4:2:0 YUV, premultiplied: per pixel (alpha, Y), per
/// chroma sample (alpha, U, V), on an even box of the canvas.
#[derive(Debug, Clone)]
pub struct TextLayer {
    x0: u32,
    y0: u32,
    w: u32,
    h: u32,
    luma: Vec<[u8; 2]>,
    chroma: Vec<[u8; 3]>,
}

impl TextLayer {
    /// Over an I420 frame of `cw`×`ch` at opacity `g` (256ths).
    pub fn over(&self, out: &mut [u8], cw: u32, ch: u32, g: u32) {
        if g == 0 || self.w == 0 || self.h == 0 {
            return;
        }
        let blend = |d: &mut u8, a: u8, v: u8| {
            let a = a as u32 * g;
            *d = ((*d as u32 * (255 * 256 - a) + v as u32 * g * 255 + 255 * 128) / (255 * 256))
                as u8;
        };
        let [py, pu, pv] = planes_mut(out, cw, ch);
        for row in 0..self.h {
            let d = &mut py[((self.y0 + row) * cw + self.x0) as usize..][..self.w as usize];
            let s = &self.luma[(row * self.w) as usize..][..self.w as usize];
            for (d, &[a, v]) in d.iter_mut().zip(s) {
                blend(d, a, v);
            }
        }
        let (w2, c2) = (self.w / 2, cw / 2);
        for row in 0..self.h / 2 {
            let at = ((self.y0 / 2 + row) * c2 + self.x0 / 2) as usize;
            let s = &self.chroma[(row * w2) as usize..][..w2 as usize];
            for (k, &[a, u, v]) in s.iter().enumerate() {
                blend(&mut pu[at + k], a, u);
                blend(&mut pv[at + k], a, v);
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
}
