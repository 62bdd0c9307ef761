//! Text on the storyboard: a system font through `ab_glyph` when one is
//! installed, else the built-in 8×8 bitmap font (`font8x8`), so a clip's
//! name is always readable, if plainer, on a machine with no fonts at all.
//!
//! Finding the font file is [`crate::server::fonts`]' business (the renderer's
//! titles use the same search); this module only measures and paints.

use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};
use font8x8::UnicodeFonts;
use image::{Rgb, RgbImage};
use std::path::Path;

/// How text is drawn.
pub enum Painter {
    /// A real font, anti-aliased.
    Vector(FontVec),
    /// The built-in bitmap font: ASCII and Latin-1, others shown as `?`.
    Bitmap,
}

impl Painter {
    /// The font at `path` (the first face of a collection), or the bitmap
    /// font when it cannot be read.
    pub fn from_file(path: &Path) -> Painter {
        std::fs::read(path)
            .ok()
            .and_then(|data| FontVec::try_from_vec_and_index(data, 0).ok())
            .map_or(Painter::Bitmap, Painter::Vector)
    }

    /// The system font able to draw `sample` (all the board's text), else
    /// the bitmap font.
    pub fn for_text(sample: &str) -> Painter {
        match crate::server::fonts::font_for(sample) {
            crate::server::fonts::FontChoice::Found(p) => Painter::from_file(&p),
            crate::server::fonts::FontChoice::Missing { .. } => {
                match crate::server::fonts::font_for("") {
                    crate::server::fonts::FontChoice::Found(p) => Painter::from_file(&p),
                    crate::server::fonts::FontChoice::Missing { .. } => Painter::Bitmap,
                }
            }
        }
    }

    /// Whether the font draws `c` (rather than an empty box).
    pub fn has(&self, c: char) -> bool {
        match self {
            Painter::Vector(font) => font.glyph_id(c).0 != 0,
            Painter::Bitmap => {
                font8x8::BASIC_FONTS.get(c).is_some() || font8x8::LATIN_FONTS.get(c).is_some()
            }
        }
    }

    /// Width in pixels of `text` at `px` pixels high.
    pub fn width(&self, text: &str, px: f32) -> u32 {
        match self {
            Painter::Vector(font) => {
                let f = font.as_scaled(PxScale::from(px));
                let mut w = 0.0;
                let mut prev = None;
                for c in text.chars() {
                    let id = f.glyph_id(c);
                    if let Some(p) = prev {
                        w += f.kern(p, id);
                    }
                    w += f.h_advance(id);
                    prev = Some(id);
                }
                w.ceil() as u32
            }
            Painter::Bitmap => text.chars().count() as u32 * 8 * bitmap_scale(px),
        }
    }

    /// `text` cut with an ellipsis so that it fits in `max` pixels.
    pub fn fit(&self, text: &str, px: f32, max: u32) -> String {
        if self.width(text, px) <= max {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let cut = format!("{}…", chars.iter().collect::<String>().trim_end());
            if self.width(&cut, px) <= max {
                return cut;
            }
        }
        String::new()
    }

    /// Paint `text` with its top-left corner at `(x, top)`, cut to fit in
    /// `max` pixels. Pixels outside the image are skipped.
    pub fn draw(
        &self,
        img: &mut RgbImage,
        (x, top): (i32, i32),
        px: f32,
        color: Rgb<u8>,
        text: &str,
        max: u32,
    ) {
        let text = self.fit(text, px, max);
        match self {
            Painter::Vector(font) => {
                let f = font.as_scaled(PxScale::from(px));
                // Centre the glyphs' height in a line `px` high.
                let baseline = top as f32 + (px + f.ascent() + f.descent()) / 2.0;
                let mut caret = x as f32;
                let mut prev = None;
                for c in text.chars() {
                    let id = f.glyph_id(c);
                    if let Some(p) = prev {
                        caret += f.kern(p, id);
                    }
                    let glyph = id.with_scale_and_position(f.scale(), point(caret, baseline));
                    caret += f.h_advance(id);
                    prev = Some(id);
                    if let Some(outline) = font.outline_glyph(glyph) {
                        let b = outline.px_bounds();
                        outline.draw(|gx, gy, cov| {
                            blend(
                                img,
                                b.min.x as i32 + gx as i32,
                                b.min.y as i32 + gy as i32,
                                color,
                                cov,
                            );
                        });
                    }
                }
            }
            Painter::Bitmap => {
                let s = bitmap_scale(px);
                let y0 = top + (px as i32 - 8 * s as i32) / 2;
                for (i, c) in text.chars().enumerate() {
                    let rows = font8x8::BASIC_FONTS
                        .get(c)
                        .or_else(|| font8x8::LATIN_FONTS.get(c))
                        .or_else(|| font8x8::BASIC_FONTS.get(if c == '…' { '~' } else { '?' }))
                        .unwrap_or([0; 8]);
                    let x0 = x + (i as u32 * 8 * s) as i32;
                    for (ry, row) in rows.iter().enumerate() {
                        for rx in 0..8 {
                            if row >> rx & 1 == 1 {
                                for dy in 0..s {
                                    for dx in 0..s {
                                        blend(
                                            img,
                                            x0 + (rx * s + dx) as i32,
                                            y0 + (ry as u32 * s + dy) as i32,
                                            color,
                                            1.0,
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Whole-pixel scale of the 8×8 font for a line `px` high.
fn bitmap_scale(px: f32) -> u32 {
    ((px / 10.0).round() as u32).max(1)
}

/// Mix `color` into the pixel at (x, y) by `alpha` (0–1).
pub fn blend(img: &mut RgbImage, x: i32, y: i32, color: Rgb<u8>, alpha: f32) {
    if x < 0 || y < 0 || x as u32 >= img.width() || y as u32 >= img.height() {
        return;
    }
    let a = alpha.clamp(0.0, 1.0);
    let p = img.get_pixel_mut(x as u32, y as u32);
    for i in 0..3 {
        p.0[i] = (p.0[i] as f32 * (1.0 - a) + color.0[i] as f32 * a).round() as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bitmap_font_measures_and_fits() {
        let p = Painter::Bitmap;
        assert_eq!(p.width("abc", 10.0), 24);
        assert_eq!(p.width("abc", 20.0), 48);
        assert_eq!(p.fit("abcdef", 10.0, 40), "abcd…");
        assert_eq!(p.fit("abc", 10.0, 40), "abc");
    }

    #[test]
    fn the_bitmap_font_paints_inside_the_image_only() {
        let mut img = RgbImage::from_pixel(20, 12, Rgb([0, 0, 0]));
        let white = Rgb([255, 255, 255]);
        Painter::Bitmap.draw(&mut img, (0, 0), 10.0, white, "H", 20);
        assert!(img.pixels().any(|p| *p == white));
        // Off the edges: nothing panics.
        Painter::Bitmap.draw(&mut img, (-30, -30), 10.0, white, "Hello", 200);
        Painter::Bitmap.draw(&mut img, (15, 8), 30.0, white, "Hello", 200);
    }
}
