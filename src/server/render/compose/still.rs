//! Photos, decoded once and composed once: the picture turned upright
//! (EXIF), contained in a canvas-shaped still over a blurred, darkened
//! cover fill of itself (no black bars on a portrait), in 4:2:0 BT.709
//! YUV, which the frames are cut from. Decoding is the `image` crate's
//! (zune-jpeg for JPEGs); what it cannot read, ffmpeg decodes.

use std::path::Path;
use std::process::Stdio;

use fast_image_resize as fr;
use image::{DynamicImage, GenericImageView};

/// A picture in 4:2:0 BT.709 limited-range YUV, its planes back to back
/// (I420, exactly what the encoder reads). Width and height are even.
#[derive(Clone, PartialEq)]
pub struct Yuv {
    pub w: u32,
    pub h: u32,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Yuv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Yuv({}x{})", self.w, self.h)
    }
}

/// Bytes of an I420 picture.
pub fn i420_len(w: u32, h: u32) -> usize {
    let (w, h) = (w as usize, h as usize);
    w * h + 2 * (w / 2) * (h / 2)
}

/// The three planes of an I420 buffer of `w`×`h`.
pub fn planes_mut(buf: &mut [u8], w: u32, h: u32) -> [&mut [u8]; 3] {
    let y = (w * h) as usize;
    let c = ((w / 2) * (h / 2)) as usize;
    let (py, rest) = buf.split_at_mut(y);
    let (pu, pv) = rest.split_at_mut(c);
    [py, pu, &mut pv[..c]]
}

/// One RGB colour in BT.709 limited-range YUV.
pub fn yuv_of(rgb: [u8; 3]) -> [u8; 3] {
    let [r, g, b] = rgb.map(|c| c as f64 / 255.0);
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let u = (b - y) / 1.8556;
    let v = (r - y) / 1.5748;
    [16.0 + 219.0 * y, 128.0 + 224.0 * u, 128.0 + 224.0 * v]
        .map(|x| x.round().clamp(0.0, 255.0) as u8)
}

impl Yuv {
    pub fn planes(&self) -> [&[u8]; 3] {
        let y = (self.w * self.h) as usize;
        let c = ((self.w / 2) * (self.h / 2)) as usize;
        [
            &self.data[..y],
            &self.data[y..y + c],
            &self.data[y + c..y + 2 * c],
        ]
    }

    /// A plain frame of one colour.
    pub fn solid(w: u32, h: u32, rgb: [u8; 3]) -> Yuv {
        let mut data = vec![0u8; i420_len(w, h)];
        let c = yuv_of(rgb);
        for (plane, v) in planes_mut(&mut data, w, h).into_iter().zip(c) {
            plane.fill(v);
        }
        Yuv { w, h, data }
    }

    /// From packed RGB (`w`×`h`, both even).
    pub fn from_rgb(w: u32, h: u32, rgb: &[u8]) -> Yuv {
        use yuvutils_rs::{
            rgb_to_yuv420, BufferStoreMut, YuvConversionMode, YuvPlanarImageMut, YuvRange,
            YuvStandardMatrix,
        };
        let mut data = vec![0u8; i420_len(w, h)];
        {
            let [y, u, v] = planes_mut(&mut data, w, h);
            let mut img = YuvPlanarImageMut {
                y_plane: BufferStoreMut::Borrowed(y),
                y_stride: w,
                u_plane: BufferStoreMut::Borrowed(u),
                u_stride: w / 2,
                v_plane: BufferStoreMut::Borrowed(v),
                v_stride: w / 2,
                width: w,
                height: h,
            };
            rgb_to_yuv420(
                &mut img,
                rgb,
                w * 3,
                YuvRange::Limited,
                YuvStandardMatrix::Bt709,
                YuvConversionMode::Balanced,
            )
            .expect("planes sized for the picture");
        }
        Yuv { w, h, data }
    }
}

/// The least of a photo's pixels a render uses, upright: the photo
/// contained in its still, and covering the thumbnail when the thumbnail
/// is cut from it. Decoding keeps no more than that needs (see
/// [`shrink`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keep {
    pub contain: (u32, u32),
    pub cover: Option<(u32, u32)>,
}

impl Keep {
    /// Every pixel: for a caller that does not resize.
    pub const ALL: Keep = Keep {
        contain: (u32::MAX, u32::MAX),
        cover: None,
    };
}

/// How much smaller (1, 2, 4 or 8 times) an upright `pw`×`ph` picture
/// may be decoded and still keep `keep` without enlarging anything.
pub fn shrink((pw, ph): (u32, u32), keep: Keep) -> u32 {
    if pw == 0 || ph == 0 {
        return 1;
    }
    let (cw, ch) = contain((pw, ph), keep.contain);
    let mut most = (pw as f64 / cw as f64).min(ph as f64 / ch as f64);
    if let Some(t) = keep.cover {
        let (_, _, w, h) = cover_crop((pw, ph), t, 1.0);
        most = most.min(w / t.0 as f64).min(h / t.1 as f64);
    }
    [8, 4, 2]
        .into_iter()
        .find(|&k| k as f64 <= most)
        .unwrap_or(1)
}

/// Decode a photo and turn it upright (EXIF `orientation`, 1-8), keeping
/// at least `keep` of it: a large JPEG is decoded straight to a half, a
/// quarter or an eighth of its size.
pub fn decode(path: &Path, orientation: u8, keep: Keep) -> Result<DynamicImage, String> {
    // Read once, whole: the JPEG decoder reads a byte at a time, which
    // costs more through a file reader than the file's few megabytes in
    // memory, and the full decode reads the same bytes when it has to.
    let decoded = std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            decode_jpeg_smaller(&bytes, orientation, keep)
                .map(Ok)
                .unwrap_or_else(|| {
                    image::ImageReader::new(std::io::Cursor::new(&bytes))
                        .with_guessed_format()
                        .map_err(|e| e.to_string())
                        .and_then(|r| r.decode().map_err(|e| e.to_string()))
                })
        });
    let mut img = match decoded {
        Ok(img) => img,
        Err(ours) => {
            decode_with_ffmpeg(path).map_err(
                |theirs| {
                    if theirs.is_empty() {
                        ours
                    } else {
                        theirs
                    }
                },
            )?
        }
    };
    if let Some(o) = image::metadata::Orientation::from_exif(orientation) {
        img.apply_orientation(o);
    }
    Ok(img)
}

/// A JPEG larger than `keep` needs, decoded at 1/2, 1/4 or 1/8 of its
/// size by a reduced IDCT (each 8×8 block's lowest frequencies turned
/// into 4×4, 2×2 or 1 pixels): a quarter of the pixels or fewer from the
/// start, where a full decode would make them all only to resize them.
/// `None` for anything else (not a JPEG, small enough, CMYK, or a file
/// this decoder refuses): the full decode then reads it, and says what is
/// wrong with it if anything is.
fn decode_jpeg_smaller(bytes: &[u8], orientation: u8, keep: Keep) -> Option<DynamicImage> {
    use jpeg_decoder::{CodingProcess, Decoder, PixelFormat};
    if !bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return None;
    }
    let mut d = Decoder::new(bytes);
    d.read_info().ok()?;
    let info = d.info()?;
    // Lossless JPEGs have no DCT to scale.
    if !matches!(info.pixel_format, PixelFormat::RGB24 | PixelFormat::L8)
        || info.coding_process == CodingProcess::Lossless
    {
        return None;
    }
    let (w, h) = (info.width as u32, info.height as u32);
    let upright = if orientation >= 5 { (h, w) } else { (w, h) };
    let k = shrink(upright, keep);
    if k == 1 {
        return None;
    }
    let (sw, sh) = d.scale(w.div_ceil(k) as u16, h.div_ceil(k) as u16).ok()?;
    let px = d.decode().ok()?;
    let (sw, sh) = (sw as u32, sh as u32);
    let channels = info.pixel_format.pixel_bytes();
    if px.len() != sw as usize * sh as usize * channels {
        return None;
    }
    match info.pixel_format {
        PixelFormat::RGB24 => image::RgbImage::from_raw(sw, sh, px).map(DynamicImage::ImageRgb8),
        _ => image::GrayImage::from_raw(sw, sh, px).map(DynamicImage::ImageLuma8),
    }
}

/// ffmpeg decodes what the `image` crate cannot read: the first frame,
/// as it is stored (not turned), handed over as a PNG.
fn decode_with_ffmpeg(path: &Path) -> Result<DynamicImage, String> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-noautorotate", "-i"])
        .arg(path)
        .args([
            "-frames:v",
            "1",
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "-pix_fmt",
            "rgba",
            "pipe:1",
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run ffmpeg: {e}"))?;
    if !out.status.success() || out.stdout.is_empty() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().next().unwrap_or("").trim().to_string());
    }
    image::load_from_memory_with_format(&out.stdout, image::ImageFormat::Png)
        .map_err(|e| e.to_string())
}

/// The packed 8-bit pixels of `img` (RGB, or RGBA when it has alpha),
/// borrowed when it already is one of those.
fn pixels(img: &DynamicImage) -> (std::borrow::Cow<'_, [u8]>, fr::PixelType) {
    use std::borrow::Cow;
    match img {
        DynamicImage::ImageRgb8(b) => (Cow::Borrowed(b.as_raw()), fr::PixelType::U8x3),
        DynamicImage::ImageRgba8(b) => (Cow::Borrowed(b.as_raw()), fr::PixelType::U8x4),
        i if i.color().has_alpha() => (Cow::Owned(i.to_rgba8().into_raw()), fr::PixelType::U8x4),
        i => (Cow::Owned(i.to_rgb8().into_raw()), fr::PixelType::U8x3),
    }
}

/// Resize (a crop of) `img` to `w`×`h` packed RGB; alpha, if any, is
/// dropped after resizing (premultiplied, so transparent pixels do not
/// bleed).
fn resized_rgb(
    img: &DynamicImage,
    crop: Option<(f64, f64, f64, f64)>,
    (w, h): (u32, u32),
    filter: fr::FilterType,
) -> (Vec<u8>, Option<Vec<u8>>) {
    let (pw, ph) = img.dimensions();
    let (src, kind) = pixels(img);
    let src = fr::images::ImageRef::new(pw, ph, &src, kind).expect("a whole picture");
    let mut dst = fr::images::Image::new(w, h, kind);
    let mut opts = fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(filter));
    if let Some((l, t, cw, ch)) = crop {
        opts = opts.crop(l, t, cw, ch);
    }
    fr::Resizer::new()
        .resize(&src, &mut dst, &opts)
        .expect("same pixel types");
    let buf = dst.into_vec();
    if kind == fr::PixelType::U8x3 {
        return (buf, None);
    }
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    let mut alpha = Vec::with_capacity((w * h) as usize);
    for p in buf.chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
        alpha.push(p[3]);
    }
    (rgb, Some(alpha))
}

/// The centred crop of a `pw`×`ph` picture with the shape of `w`×`h`,
/// zoomed in a further `zoom`.
pub fn cover_crop((pw, ph): (u32, u32), (w, h): (u32, u32), zoom: f64) -> (f64, f64, f64, f64) {
    let (pw, ph) = (pw as f64, ph as f64);
    let target = w as f64 / h as f64;
    let (mut cw, mut ch) = if pw / ph > target {
        (ph * target, ph)
    } else {
        (pw, pw / target)
    };
    cw /= zoom;
    ch /= zoom;
    ((pw - cw) / 2.0, (ph - ch) / 2.0, cw, ch)
}

/// A separable Gaussian blur of packed RGB, edges clamped.
fn blur(rgb: &mut [u8], w: usize, h: usize, sigma: f64) {
    let r = (sigma * 3.0).ceil() as isize;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32)
        .collect();
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    let src: Vec<f32> = rgb.iter().map(|&v| v as f32).collect();
    let across = blur_pass(&src, w, h, &k, true);
    let both = blur_pass(&across, w, h, &k, false);
    for (out, v) in rgb.iter_mut().zip(both) {
        *out = v.round().clamp(0.0, 255.0) as u8;
    }
}

/// One pass of [`blur`]'s kernel `k` along the rows (`along_rows`) or the
/// columns of packed RGB, edges clamped.
fn blur_pass(src: &[f32], w: usize, h: usize, k: &[f32], along_rows: bool) -> Vec<f32> {
    let r = (k.len() / 2) as isize;
    let mut out = vec![0f32; src.len()];
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0f32; 3];
            for (j, kv) in k.iter().enumerate() {
                let d = j as isize - r;
                let (sx, sy) = if along_rows {
                    ((x as isize + d).clamp(0, w as isize - 1) as usize, y)
                } else {
                    (x, (y as isize + d).clamp(0, h as isize - 1) as usize)
                };
                let p = (sy * w + sx) * 3;
                for c in 0..3 {
                    acc[c] += src[p + c] * kv;
                }
            }
            out[(y * w + x) * 3..][..3].copy_from_slice(&acc);
        }
    }
    out
}

/// The fill behind a photo, small: the photo covering `w`×`h` (zoomed 2 %
/// more), at an eighth of the size, blurred, darker (luma × 0.6) and less
/// saturated (chroma × 0.8). It is scaled back up to `w`×`h`.
fn fill_small(img: &DynamicImage, (w, h): (u32, u32)) -> DynamicImage {
    let (bw, bh) = ((w / 8).max(16) & !1, (h / 8).max(16) & !1);
    let crop = cover_crop(img.dimensions(), (bw, bh), 1.02);
    let (mut small, _) = resized_rgb(img, Some(crop), (bw, bh), fr::FilterType::Bilinear);
    blur(
        &mut small,
        bw as usize,
        bh as usize,
        (bw.min(bh) as f64 / 12.0).max(2.0).round(),
    );
    for p in small.chunks_exact_mut(3) {
        let y = 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32;
        for c in p.iter_mut() {
            *c = (0.8 * *c as f32 - 0.2 * y).round().clamp(0.0, 255.0) as u8;
        }
    }
    DynamicImage::ImageRgb8(
        image::RgbImage::from_raw(bw, bh, small).expect("sized for the picture"),
    )
}

/// The size a `pw`×`ph` picture takes contained in `w`×`h` (at least 1×1).
pub fn contain((pw, ph): (u32, u32), (w, h): (u32, u32)) -> (u32, u32) {
    let s = (w as f64 / pw as f64).min(h as f64 / ph as f64);
    (
        ((pw as f64 * s).round() as u32).clamp(1, w),
        ((ph as f64 * s).round() as u32).clamp(1, h),
    )
}

/// A photo's still: `w`×`h`, the photo contained and centred over its
/// fill (which shows where the photo is transparent, too).
/// Takes the decoded photo, to let go of it (the largest buffer of a
/// render) as soon as it has been resized.
pub fn compose(img: DynamicImage, (w, h): (u32, u32)) -> Yuv {
    let (fw, fh) = contain(img.dimensions(), (w, h));
    let covers = fw == w && fh == h && !img.color().has_alpha();
    let small = (!covers).then(|| fill_small(&img, (w, h)));
    let (fg, alpha) = resized_rgb(&img, None, (fw, fh), fr::FilterType::Lanczos3);
    drop(img);
    let Some(small) = small else {
        return Yuv::from_rgb(w, h, &fg);
    };
    let mut rgb = resized_rgb(&small, None, (w, h), fr::FilterType::CatmullRom).0;
    // Centred on an even pixel, as the filter-graph renderer placed
    // photos (its 4:2:0 `pad` rounded down to whole chroma samples): a
    // pixel's shift is invisible, but old and new videos then agree.
    let (x0, y0) = (
        (((w - fw) / 2) & !1) as usize,
        (((h - fh) / 2) & !1) as usize,
    );
    let (w, fw) = (w as usize, fw as usize);
    for row in 0..fh as usize {
        let dst = &mut rgb[((y0 + row) * w + x0) * 3..][..fw * 3];
        let src = &fg[row * fw * 3..][..fw * 3];
        match &alpha {
            None => dst.copy_from_slice(src),
            Some(a) => {
                // Premultiplied by the resize: over = src + dst·(1 − α).
                for (x, (d, s)) in dst.chunks_exact_mut(3).zip(src.chunks_exact(3)).enumerate() {
                    let inv = 255 - a[row * fw + x] as u32;
                    for c in 0..3 {
                        d[c] = (s[c] as u32 + (d[c] as u32 * inv + 127) / 255).min(255) as u8;
                    }
                }
            }
        }
    }
    Yuv::from_rgb(w as u32, h, &rgb)
}

/// `img` covering `w`×`h` (centred crop), packed RGB: the thumbnail.
pub fn cover_rgb(img: &DynamicImage, (w, h): (u32, u32)) -> Vec<u8> {
    let crop = cover_crop(img.dimensions(), (w, h), 1.0);
    resized_rgb(img, Some(crop), (w, h), fr::FilterType::CatmullRom).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blur_keeps_flat_colour_and_spreads_a_point_evenly() {
        let (w, h) = (9, 7);
        let mut flat = vec![90u8; w * h * 3];
        blur(&mut flat, w, h, 1.5);
        assert!(flat.iter().all(|&v| v == 90));
        let mut dot = vec![0u8; w * h * 3];
        let at = |x: usize, y: usize, c: usize| (y * w + x) * 3 + c;
        dot[at(4, 3, 0)] = 255;
        blur(&mut dot, w, h, 1.0);
        let red = |x, y| dot[at(x, y, 0)];
        assert!(red(4, 3) > red(5, 3) && red(5, 3) > red(6, 3) && red(6, 3) > 0);
        // The same both ways along rows and columns, and only in red.
        assert_eq!(red(3, 3), red(5, 3));
        assert_eq!(red(4, 2), red(4, 4));
        assert_eq!(red(5, 3), red(4, 4));
        assert!((0..w * h).all(|i| dot[i * 3 + 1] == 0 && dot[i * 3 + 2] == 0));
    }

    #[test]
    fn colours_in_bt709_limited_range() {
        assert_eq!(yuv_of([0, 0, 0]), [16, 128, 128]);
        assert_eq!(yuv_of([255, 255, 255]), [235, 128, 128]);
        assert_eq!(yuv_of([255, 0, 0]), [63, 102, 240]);
        let s = Yuv::solid(4, 2, [255, 255, 255]);
        assert_eq!(
            s.data,
            vec![235, 235, 235, 235, 235, 235, 235, 235, 128, 128, 128, 128]
        );
        let c = Yuv::from_rgb(2, 2, &[255, 0, 0].repeat(4));
        assert!(
            c.data[0].abs_diff(63) <= 1 && c.data[5].abs_diff(240) <= 1,
            "{:?}",
            c.data
        );
    }

    #[test]
    fn a_portrait_sits_on_its_fill_without_black_bars() {
        // A tall white photo on a 16:9 still: the sides are its fill
        // (darker than the photo, but far from black).
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            30,
            60,
            image::Rgb([250, 250, 250]),
        ));
        let s = compose(img, (64, 36));
        let [y, _, _] = s.planes();
        let (left, mid) = (y[18 * 64 + 2], y[18 * 64 + 32]);
        assert!(mid > 225, "{mid}");
        assert!((100..200).contains(&left), "{left}");
        assert_eq!(contain((30, 60), (64, 36)), (18, 36));
        assert_eq!(
            cover_crop((400, 300), (16, 9), 1.0),
            (0.0, 37.5, 400.0, 225.0)
        );
    }

    #[test]
    fn transparency_shows_the_fill() {
        let mut px = image::RgbaImage::from_pixel(64, 36, image::Rgba([255, 0, 0, 255]));
        for x in 0..32 {
            for y in 0..36 {
                px.put_pixel(x, y, image::Rgba([0, 0, 255, 0]));
            }
        }
        let s = compose(DynamicImage::ImageRgba8(px), (64, 36));
        let [y, _, v] = s.planes();
        // The right half is the red photo; the left is the fill, not the
        // transparent pixels' blue.
        assert!(v[9 * 32 + 28] > 200, "{}", v[9 * 32 + 28]);
        assert!(y[18 * 64 + 4] < 100, "{}", y[18 * 64 + 4]);
    }

    /// A JPEG of one colour, in CMYK or progressive, as cameras, print
    /// workflows and web exports write them (ffmpeg's encoder writes
    /// neither).
    fn jpeg(path: &Path, (w, h): (u16, u16), rgb: [u8; 3], cmyk: bool, progressive: bool) {
        let mut e = jpeg_encoder::Encoder::new_file(path, 92).unwrap();
        e.set_progressive(progressive);
        let n = w as usize * h as usize;
        if cmyk {
            // Ink amounts (0: none): the colour with no black.
            let px = [255 - rgb[0], 255 - rgb[1], 255 - rgb[2], 0];
            e.encode(&px.repeat(n), w, h, jpeg_encoder::ColorType::Cmyk)
                .unwrap();
        } else {
            e.encode(&rgb.repeat(n), w, h, jpeg_encoder::ColorType::Rgb)
                .unwrap();
        }
    }

    #[test]
    fn cmyk_and_progressive_jpegs_keep_their_colours() {
        let dir = tempfile::tempdir().unwrap();
        let red = [200, 30, 40];
        let want = yuv_of(red);
        for (name, cmyk, progressive) in [
            ("cmyk.jpg", true, false),
            ("progressive.jpg", false, true),
            ("cmyk-progressive.jpg", true, true),
        ] {
            let path = dir.path().join(name);
            jpeg(&path, (64, 36), red, cmyk, progressive);
            let img = decode(&path, 1, Keep::ALL).unwrap();
            assert_eq!((img.width(), img.height()), (64, 36), "{name}");
            let s = compose(img, (32, 18));
            let [y, u, v] = s.planes();
            let got = [y[9 * 32 + 16], u[4 * 16 + 8], v[4 * 16 + 8]];
            for (g, w) in got.iter().zip(want) {
                assert!(g.abs_diff(w) <= 6, "{name}: {got:?}, want {want:?}");
            }
        }
    }

    #[test]
    fn a_photo_is_decoded_no_larger_than_the_render_needs() {
        let keep = |contain, cover| Keep { contain, cover };
        let still = (2152, 1210);
        // A 12 MP photo: contained, it is 1613×1210, so half its size.
        assert_eq!(shrink((4000, 3000), keep(still, None)), 2);
        assert_eq!(shrink((4000, 3000), keep(still, Some((1280, 720)))), 2);
        // Upright portraits and larger photos shrink by their own shape.
        assert_eq!(shrink((3000, 4000), keep(still, None)), 2);
        assert_eq!(shrink((8000, 6000), keep(still, None)), 4);
        assert_eq!(shrink((24000, 18000), keep(still, None)), 8);
        // Nothing a still would have to enlarge.
        assert_eq!(shrink((3000, 2000), keep(still, None)), 1);
        assert_eq!(shrink((1000, 750), keep(still, None)), 1);
        // A panorama is wide enough to halve for its still, but the
        // thumbnail cut from it needs all of its height.
        assert_eq!(shrink((8000, 1000), keep(still, None)), 2);
        assert_eq!(shrink((8000, 1000), keep(still, Some((1280, 720)))), 1);
        assert_eq!(shrink((4000, 3000), Keep::ALL), 1);
    }

    #[test]
    fn a_large_jpeg_is_decoded_smaller_with_its_colours_and_turn() {
        let dir = tempfile::tempdir().unwrap();
        let teal = [20, 140, 150];
        let keep = Keep {
            contain: (64, 36),
            cover: None,
        };
        // The picture's size, and its middle pixel is teal.
        let teal_of_size = |img: &DynamicImage, size: (u32, u32), within: u8| {
            assert_eq!((img.width(), img.height()), size);
            let px = img.to_rgb8().get_pixel(size.0 / 2, size.1 / 2).0;
            for (g, w) in px.iter().zip(teal) {
                assert!(g.abs_diff(w) <= within, "{px:?}, want {teal:?}");
            }
        };
        let path = dir.path().join("big.jpg");
        jpeg(&path, (256, 192), teal, false, true);
        // Contained in 64×36 it is 48×36: a quarter of 256×192 keeps that.
        teal_of_size(&decode(&path, 1, keep).unwrap(), (64, 48), 4);
        // Sideways (EXIF 6): turned upright after decoding.
        let img = decode(&path, 6, keep).unwrap();
        assert_eq!((img.width(), img.height()), (48, 64));
        // All of it when asked.
        let img = decode(&path, 1, Keep::ALL).unwrap();
        assert_eq!((img.width(), img.height()), (256, 192));
        // CMYK goes the full decoder's way, colours and all.
        let path = dir.path().join("cmyk.jpg");
        jpeg(&path, (256, 192), teal, true, false);
        teal_of_size(&decode(&path, 1, keep).unwrap(), (256, 192), 6);
        // Greyscale too, as grey.
        let path = dir.path().join("grey.jpg");
        jpeg_encoder::Encoder::new_file(&path, 92)
            .unwrap()
            .encode(&[90u8; 256 * 192], 256, 192, jpeg_encoder::ColorType::Luma)
            .unwrap();
        let img = decode(&path, 1, keep).unwrap();
        assert_eq!((img.width(), img.height()), (64, 48));
        assert!(img
            .as_luma8()
            .is_some_and(|g| g.get_pixel(9, 9).0[0].abs_diff(90) <= 2));
        // What is not a JPEG still decodes.
        let path = dir.path().join("a.png");
        image::RgbImage::from_pixel(256, 192, image::Rgb(teal))
            .save(&path)
            .unwrap();
        teal_of_size(&decode(&path, 1, keep).unwrap(), (256, 192), 1);
    }
}
