//! The offline renderer, end to end: drafts made with the slideshow model
//! are set on the embedded server, exported with the real binary, and the
//! MP4 is checked with ffprobe and by reading back pixels and loudness.
//! Renders are tiny (the test server caps the short side at 90 px).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;
use img2yt::server::slideshow::{
    Aspect, Canvas, Mood, Music, MusicSource, Photo, Slideshow, Transition, TransitionKind,
};

/// Make `out` with ffmpeg from `args` (inputs and filters).
fn ffmpeg_make(args: &[&str], out: &Path) {
    let ok = Command::new("ffmpeg")
        .args(["-v", "error", "-y"])
        .args(args)
        .arg(out)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ffmpeg could not make {}", out.display());
}

/// A solid-colour image made by ffmpeg.
fn solid(dir: &Path, name: &str, color: &str, size: &str) -> PathBuf {
    let p = dir.join(name);
    let src = format!("color=c={color}:s={size}");
    ffmpeg_make(&["-f", "lavfi", "-i", &src, "-frames:v", "1"], &p);
    p
}

fn show_of(names: &[&str], ms: u64) -> Slideshow {
    let mut s = Slideshow::of(
        names
            .iter()
            .map(|n| Photo {
                file_id: None,
                name: n.to_string(),
                ms,
            })
            .collect(),
    );
    s.ken_burns = false;
    s
}

/// A folder for a test's input files.
fn input_dir(env: &TestEnv) -> PathBuf {
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn upload(env: &TestEnv, files: &[PathBuf]) {
    let mut args = vec!["upload".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args).ok();
}

/// Make `show` the project's draft (a scripted agent turn), then export
/// it to `name` in the work dir.
fn export_show(env: &TestEnv, show: &Slideshow, name: &str) -> (PathBuf, Run) {
    env.script(json!([
        {"type": "set_draft", "draft": show.to_draft()},
        {"type": "event", "event": {"content": {"role": "model", "parts": [{"text": "Done."}]}}}
    ]));
    env.run(&["send", "set the draft"]).ok();
    let r = env.run(&["export", "-o", name, "--force"]);
    r.ok();
    (env.work_dir().join(name), r)
}

/// Upload `files`, make `show` the project's draft, export it.
fn render(env: &TestEnv, files: &[PathBuf], show: &Slideshow) -> (PathBuf, Run) {
    upload(env, files);
    export_show(env, show, "out.mp4")
}

fn probe(path: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_streams",
            "-show_format",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "ffprobe failed on {}", path.display());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stream<'a>(p: &'a Value, kind: &str) -> &'a Value {
    p["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["codec_type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} stream in {p}"))
}

fn seconds(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

/// The average colour of the frame at `t` seconds (or of a region:
/// `crop` in ffmpeg's `w:h:x:y` form).
fn colour_at(path: &Path, t: f64, crop: Option<&str>) -> [u8; 3] {
    let vf = match crop {
        Some(c) => format!("crop={c},scale=1:1:flags=area,format=rgb24"),
        None => "scale=1:1:flags=area,format=rgb24".into(),
    };
    let mut ffmpeg = Command::new("ffmpeg");
    ffmpeg.args(["-v", "error"]);
    // (A still image has nothing after 0 s to seek to.)
    if t > 0.0 {
        ffmpeg.arg("-ss").arg(format!("{t:.3}"));
    }
    let out = ffmpeg
        .arg("-i")
        .arg(path)
        .args(["-frames:v", "1", "-vf", &vf, "-f", "rawvideo", "pipe:1"])
        .output()
        .unwrap();
    assert_eq!(
        out.stdout.len(),
        3,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    [out.stdout[0], out.stdout[1], out.stdout[2]]
}

fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (*x as i32 - y as i32).unsigned_abs())
        .sum()
}

/// Integrated loudness in LUFS, measured by ffmpeg's EBU R128 meter.
/// Each transition's midpoint (`t`) looks like neither of its photos
/// (`a`, `b`): further than `min` from both.
fn midpoints_differ(out: &Path, what: &str, at: &[(f64, [u8; 3], [u8; 3])], min: u32) {
    for &(t, a, b) in at {
        let middle = colour_at(out, t, None);
        assert!(
            distance(middle, a) > min && distance(middle, b) > min,
            "{what} at {t} s: the midpoint {middle:?} looks like a neighbour ({a:?}, {b:?})"
        );
    }
}

fn loudness(path: &Path) -> f64 {
    let out = Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-i"])
        .arg(path)
        .args(["-map", "0:a", "-af", "ebur128", "-f", "null", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let summary = err.rsplit("Summary:").next().unwrap();
    summary
        .lines()
        .find_map(|l| l.trim().strip_prefix("I:"))
        .and_then(|v| v.trim().trim_end_matches("LUFS").trim().parse().ok())
        .unwrap_or_else(|| panic!("no loudness in {err}"))
}

#[test]
fn a_short_draft_renders_youtube_ready_to_the_frame() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    let files = [
        solid(&dir, "a.jpg", "0xc03030", "320x240"),
        solid(&dir, "b.png", "0x3050c0", "240x320"),
        solid(&dir, "c.webp", "0x30a050", "300x300"),
    ];
    let mut show = show_of(&["a.jpg", "b.png", "c.webp"], 2300);
    show.ken_burns = true;
    show.title = Some("Iceland 2026".into());
    show.music = Some(Music {
        source: MusicSource::Generated { mood: Mood::Upbeat },
        volume: 100,
    });
    let (out, r) = render(&env, &files, &show);
    let p = probe(&out);
    let v = stream(&p, "video");
    let a = stream(&p, "audio");
    let draft_s = show.to_draft()["d"].as_f64().unwrap() / 1000.0;
    let frame = 1.0 / 30.0;
    let vd = seconds(&v["duration"]);
    assert!(
        (vd - draft_s).abs() <= frame + 1e-6,
        "video {vd} s, draft {draft_s} s"
    );
    let ad = seconds(&a["duration"]);
    assert!(
        (ad - draft_s).abs() <= frame + 0.022,
        "audio {ad} s, draft {draft_s} s"
    );
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(160), Some(90))
    );
    assert_eq!(v["r_frame_rate"], "30/1");
    assert_eq!(v["codec_name"], "h264");
    assert_eq!(v["profile"], "High");
    assert_eq!(v["pix_fmt"], "yuv420p");
    for k in ["color_space", "color_transfer", "color_primaries"] {
        assert_eq!(v[k], "bt709", "{k}");
    }
    assert_eq!(a["codec_name"], "aac");
    assert_eq!(a["profile"], "LC");
    assert_eq!(a["sample_rate"], "48000");
    assert_eq!(a["channels"], 2);
    let lufs = loudness(&out);
    assert!((lufs + 14.0).abs() <= 1.5, "loudness {lufs} LUFS, want -14");
    // +faststart: the index (moov) comes before the media data (mdat).
    let bytes = std::fs::read(&out).unwrap();
    let at = |tag: &[u8]| bytes.windows(4).position(|w| w == tag).unwrap();
    assert!(at(b"moov") < at(b"mdat"), "moov after mdat: no faststart");
    // The thumbnail lands next to the video, at YouTube's size.
    let thumb = env.work_dir().join("out.jpg");
    let t = probe(&thumb);
    let ts = stream(&t, "video");
    assert_eq!(
        (ts["width"].as_u64(), ts["height"].as_u64()),
        (Some(1280), Some(720))
    );
    assert!(
        r.stdout.contains("Thumbnail for YouTube: out.jpg"),
        "{}",
        r.stdout
    );
}

#[test]
fn every_transition_shows_mid_way_between_its_photos() {
    for kind in [
        TransitionKind::Crossfade,
        TransitionKind::FadeBlack,
        TransitionKind::Wipe,
        TransitionKind::Slide,
    ] {
        let env = TestEnv::new();
        let dir = input_dir(&env);
        let files = [
            solid(&dir, "red.jpg", "0xd02020", "160x90"),
            solid(&dir, "blue.jpg", "0x2020d0", "160x90"),
            solid(&dir, "green.jpg", "0x20c020", "160x90"),
        ];
        let mut show = show_of(&["red.jpg", "blue.jpg", "green.jpg"], 3000);
        show.transition = Transition { kind, ms: 1000 };
        let (out, _) = render(&env, &files, &show);
        // Red alone until 2 s, into blue 2-3 s, blue alone 3-4 s, into
        // green 4-5 s, then green alone: both transitions are checked.
        let red = colour_at(&out, 1.0, None);
        let blue = colour_at(&out, 3.5, None);
        let green = colour_at(&out, 6.0, None);
        assert!(
            red[0] > 150 && red[2] < 90,
            "{kind:?}: red first, got {red:?}"
        );
        assert!(
            blue[2] > 150 && blue[0] < 90,
            "{kind:?}: then blue, got {blue:?}"
        );
        assert!(
            green[1] > 150 && green[0] < 90,
            "{kind:?}: green last, got {green:?}"
        );
        midpoints_differ(
            &out,
            &format!("{kind:?}"),
            &[(2.5, red, blue), (4.5, blue, green)],
            60,
        );
    }
}

#[test]
fn a_clip_and_a_missing_photo_take_part_in_the_transitions() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    let clip = dir.join("clip.mp4");
    ffmpeg_make(
        &[
            "-f",
            "lavfi",
            "-i",
            "color=c=0x20c020:s=160x90:r=30:d=4",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
        ],
        &clip,
    );
    let files = [
        solid(&dir, "red.jpg", "0xd02020", "160x90"),
        clip,
        solid(&dir, "blue.jpg", "0x2020d0", "160x90"),
    ];
    // The draft also names a photo this project never had: a plain frame
    // stands in for it, and the transitions go through it too.
    let mut show = show_of(&["red.jpg", "clip.mp4", "blue.jpg", "gone.jpg"], 3000);
    show.transition = Transition {
        kind: TransitionKind::Crossfade,
        ms: 1000,
    };
    let (out, _) = render(&env, &files, &show);
    let p = probe(&out);
    let draft_s = show.to_draft()["d"].as_f64().unwrap() / 1000.0;
    let vd = seconds(&stream(&p, "video")["duration"]);
    assert!(
        (vd - draft_s).abs() <= 1.0 / 30.0 + 1e-6,
        "video {vd} s, draft {draft_s} s"
    );
    // Red alone until 2 s, into the clip 2-3 s, the clip alone 3-4 s, into
    // blue 4-5 s, blue alone 5-6 s, into the stand-in 6-7 s.
    let red = colour_at(&out, 1.0, None);
    let green = colour_at(&out, 3.5, None);
    let blue = colour_at(&out, 5.5, None);
    let plain = colour_at(&out, 8.0, None);
    assert!(red[0] > 150 && red[2] < 90, "red first, got {red:?}");
    assert!(
        green[1] > 150 && green[0] < 90,
        "then the clip, got {green:?}"
    );
    assert!(blue[2] > 150 && blue[0] < 90, "then blue, got {blue:?}");
    assert!(
        plain.iter().all(|&c| c < 90),
        "a dark stand-in last, got {plain:?}"
    );
    midpoints_differ(
        &out,
        "crossfade",
        &[(2.5, red, green), (4.5, green, blue), (6.5, blue, plain)],
        40,
    );
}

#[test]
fn a_crossfade_midpoint_is_an_even_blend_of_its_photos() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    let files = [
        solid(&dir, "red.jpg", "0xd02020", "160x90"),
        solid(&dir, "blue.jpg", "0x2020d0", "160x90"),
    ];
    let mut show = show_of(&["red.jpg", "blue.jpg"], 3000);
    show.transition = Transition {
        kind: TransitionKind::Crossfade,
        ms: 1000,
    };
    let (out, _) = render(&env, &files, &show);
    // Into blue from 2 s to 3 s: at 2.5 s, half of each.
    let (red, blue) = (colour_at(&out, 1.0, None), colour_at(&out, 4.0, None));
    let mid = colour_at(&out, 2.5, None);
    let half: [u8; 3] = std::array::from_fn(|c| ((red[c] as u32 + blue[c] as u32) / 2) as u8);
    assert!(
        distance(mid, half) <= 24,
        "the midpoint {mid:?} is not halfway between {red:?} and {blue:?}"
    );
}

/// A greyscale JPEG (ffmpeg's encoder always writes colour ones).
fn grey_jpeg(path: &Path) {
    let img = image::GrayImage::from_pixel(64, 36, image::Luma([150]));
    let mut f = std::fs::File::create(path).unwrap();
    image::codecs::jpeg::JpegEncoder::new(&mut f)
        .encode(&img, 64, 36, image::ExtendedColorType::L8)
        .unwrap();
}

#[test]
fn every_kind_of_still_is_shown() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    let red = |name: &str, pix: &str, extra: &[&str]| {
        let p = dir.join(name);
        let mut args = vec![
            "-f",
            "lavfi",
            "-i",
            "color=c=0xd02020:s=64x36",
            "-frames:v",
            "1",
            "-pix_fmt",
            pix,
        ];
        args.extend_from_slice(extra);
        ffmpeg_make(&args, &p);
        p
    };
    let grey = dir.join("grey.jpg");
    grey_jpeg(&grey);
    let files = [
        red("deep.png", "rgb48be", &[]),
        red("palette.png", "pal8", &[]),
        red("webp.webp", "yuv420p", &["-c:v", "libwebp"]),
        red("alpha.png", "rgba", &[]),
        grey,
    ];
    let names = [
        "deep.png",
        "palette.png",
        "webp.webp",
        "alpha.png",
        "grey.jpg",
    ];
    let mut show = show_of(&names, 1000);
    show.transition = Transition {
        kind: TransitionKind::None,
        ms: 0,
    };
    let (out, r) = render(&env, &files, &show);
    assert!(!r.stderr.contains("plain frame"), "{}", r.stderr);
    for (i, name) in names.iter().enumerate() {
        let c = colour_at(&out, i as f64 + 0.5, Some("40:20:60:35"));
        if *name == "grey.jpg" {
            assert!(
                c.iter().all(|&v| v.abs_diff(150) < 16),
                "{name}: grey, got {c:?}"
            );
        } else {
            assert!(
                c[0] > 170 && c[1] < 70 && c[2] < 70,
                "{name}: red, got {c:?}"
            );
        }
    }
}

#[test]
fn a_still_the_decoder_crate_cannot_read_is_decoded_by_ffmpeg() {
    use img2yt::server::render::compose::still;
    let env = TestEnv::new();
    let dir = input_dir(&env);
    // BMP is not among the formats this build's decoder reads.
    let bmp = solid(&dir, "old.bmp", "0x2020d0", "40x30");
    let img = still::decode(&bmp, 6, still::Keep::ALL).unwrap();
    // Turned upright by the orientation given (90° clockwise).
    assert_eq!((img.width(), img.height()), (30, 40));
    let px = img.to_rgb8().get_pixel(10, 10).0;
    assert!(px[2] > 180 && px[0] < 60, "{px:?}");
    let err = still::decode(&dir.join("missing.jpg"), 1, still::Keep::ALL).unwrap_err();
    assert!(!err.is_empty());
}

#[test]
fn no_transition_cuts_and_keeps_the_length() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    let files = [
        solid(&dir, "red.jpg", "0xd02020", "160x90"),
        solid(&dir, "blue.jpg", "0x2020d0", "160x90"),
    ];
    let mut show = show_of(&["red.jpg", "blue.jpg"], 1500);
    show.transition.kind = TransitionKind::None;
    let (out, _) = render(&env, &files, &show);
    let v = probe(&out);
    let d = seconds(&stream(&v, "video")["duration"]);
    assert!((d - 3.0).abs() <= 1.0 / 30.0 + 1e-6, "{d}");
    assert!(colour_at(&out, 1.4, None)[0] > 150);
    assert!(colour_at(&out, 1.6, None)[2] > 150);
}

/// A JPEG with an EXIF orientation tag, written by hand: ffmpeg cannot.
fn with_orientation(jpeg: &Path, orientation: u8) {
    let data = std::fs::read(jpeg).unwrap();
    assert_eq!(&data[..2], b"\xFF\xD8");
    let mut app1: Vec<u8> = vec![0xFF, 0xE1, 0x00, 0x22];
    app1.extend_from_slice(b"Exif\0\0MM\0\x2A\0\0\0\x08\0\x01");
    app1.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, orientation, 0, 0]);
    app1.extend_from_slice(&[0, 0, 0, 0]);
    let mut out = data[..2].to_vec();
    out.extend(app1);
    out.extend_from_slice(&data[2..]);
    std::fs::write(jpeg, out).unwrap();
}

#[test]
fn photos_keep_their_exif_orientation_and_get_a_blurred_fill() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    // Stored sideways: red on the left, blue on the right; the camera says
    // "turn 90° clockwise to view", which puts red on top. Four of them:
    // two alike, one in another chroma format, one of another size (photos
    // to turn upright share a decoder only when ffmpeg can take it).
    let mut files = Vec::new();
    for (name, half, pix) in [
        ("s1.jpg", "80x80", "yuvj420p"),
        ("s2.jpg", "80x80", "yuvj420p"),
        ("s3.jpg", "80x80", "yuvj422p"),
        ("s4.jpg", "60x80", "yuvj420p"),
    ] {
        let p = dir.join(name);
        let (red, blue) = (
            format!("color=c=0xd02020:s={half}"),
            format!("color=c=0x2020d0:s={half}"),
        );
        ffmpeg_make(
            &[
                "-f",
                "lavfi",
                "-i",
                &red,
                "-f",
                "lavfi",
                "-i",
                &blue,
                "-filter_complex",
                "[0][1]hstack",
                "-frames:v",
                "1",
                "-pix_fmt",
                pix,
            ],
            &p,
        );
        with_orientation(&p, 6);
        files.push(p);
    }
    let mut show = show_of(&["s1.jpg", "s2.jpg", "s3.jpg", "s4.jpg"], 1000);
    show.transition = Transition {
        kind: TransitionKind::None,
        ms: 0,
    };
    show.canvas = Canvas {
        aspect: Aspect::Landscape,
        p: 1080,
    };
    let (out, _) = render(&env, &files, &show);
    // Upright the first three are 1:2 on a 160×90 canvas: centred, 45 px
    // wide; the last is 2:3, 60 px wide (x 50-110), its own shape.
    let wide = colour_at(&out, 3.5, Some("4:20:51:2"));
    assert!(
        wide[0] > 150 && wide[2] < 100,
        "the 2:3 photo is 60 px wide: {wide:?}"
    );
    for t in [0.5, 1.5, 2.5] {
        let beside = colour_at(&out, t, Some("4:20:51:2"));
        // The photo's own red is 208; beside it is its darkened fill
        // (about 150).
        assert!(
            beside[0] < 175,
            "at {t} s the 1:2 photo is 45 px wide: {beside:?}"
        );
    }
    // Red on top and blue below in `path` at `t` s, in two crops.
    let red_over_blue = |path: &Path, t: f64, top: &str, bottom: &str| {
        let (top, bottom) = (
            colour_at(path, t, Some(top)),
            colour_at(path, t, Some(bottom)),
        );
        assert!(
            top[0] > 150 && top[2] < 100,
            "{path:?} at {t} s: the top should be red: {top:?}"
        );
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "{path:?} at {t} s: the bottom should be blue: {bottom:?}"
        );
    };
    for t in [0.5, 1.5, 2.5, 3.5] {
        red_over_blue(&out, t, "20:20:70:2", "20:20:70:68");
    }
    // The thumbnail is cut from an upright photo too, whether its photo
    // has a decoder of its own (here the 2:3 one, the best exposed) or
    // shares one (two photos alike).
    let upright_thumbnail = |video: &Path| {
        let thumb = video.with_extension("jpg");
        red_over_blue(&thumb, 0.0, "1280:100:0:0", "1280:100:0:620");
    };
    upright_thumbnail(&out);
    let mut two = show.clone();
    two.photos.truncate(2);
    upright_thumbnail(&export_show(&env, &two, "two.mp4").0);
    // The sides are a blurred, darkened fill of the photo, not black bars.
    let left = colour_at(&out, 0.5, Some("20:20:0:0"));
    assert!(
        left.iter().map(|&c| c as u32).sum::<u32>() > 60,
        "black bar: {left:?}"
    );
}

#[test]
fn a_title_is_drawn_over_the_first_seconds() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    let files = [solid(&dir, "dark.jpg", "0x101830", "160x90")];
    let mut show = show_of(&["dark.jpg"], 5000);
    show.title = Some("HELLO".into());
    let (out, r) = render(&env, &files, &show);
    if r.stderr.contains("No font was found") {
        eprintln!("no font on this machine: skipped the pixel check");
        return;
    }
    let centre = |t| colour_at(&out, t, Some("60:10:50:40"));
    let with_title = centre(1.5);
    let after = centre(4.5);
    assert!(
        distance(with_title, after) > 20,
        "title not visible: {with_title:?} vs {after:?}"
    );
}

/// `img2yt --local make` of one small photo with `PATH` set to `path`.
fn make_one_photo_with_path(env: &TestEnv, path: &Path) -> Run {
    let photo = solid(&input_dir(env), "a.jpg", "red", "64x64");
    env.run_with(
        &[
            "--local",
            "make",
            photo.to_str().unwrap(),
            "-p",
            "make a video",
        ],
        |c| {
            c.env("PATH", path);
        },
    )
}

#[test]
fn without_ffmpeg_local_make_says_how_to_install_it() {
    let env = TestEnv::new();
    let empty = env.dir.path().join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let r = make_one_photo_with_path(&env, &empty);
    r.code(9);
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(lines[0].contains("ffmpeg is not installed"), "{}", r.stderr);
    assert!(lines[0].contains("install it with"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn an_ffmpeg_without_libx264_is_named_in_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    // An ffmpeg built without libx264 (as Fedora's ffmpeg-free is) answers
    // like this; ffprobe is the real one.
    let bin = env.dir.path().join("lgpl-ffmpeg");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("ffmpeg");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho \"[vost#0:0 @ 0x5] Unknown encoder 'libx264'\" >&2\nexit 8\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ffprobe = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("ffprobe"))
        .find(|p| p.is_file())
        .expect("ffprobe on PATH");
    std::os::unix::fs::symlink(ffprobe, bin.join("ffprobe")).unwrap();
    let r = make_one_photo_with_path(&env, &bin);
    r.code(9);
    let last = r.stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap();
    assert!(
        last.starts_with(
            "error: The render failed twice (this ffmpeg was built without the H.264 encoder (libx264), which the offline backend needs; install a full ffmpeg build with your package manager)."
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Unknown encoder"), "{}", r.stderr);
}

#[test]
fn every_music_source_plays_at_youtube_loudness() {
    let env = TestEnv::new();
    let dir = input_dir(&env);
    let photos = [
        solid(&dir, "a.jpg", "0x404040", "160x90"),
        solid(&dir, "b.jpg", "0x606060", "160x90"),
    ];
    // A quiet song (a sine at about -30 LUFS) that the renderer must lift.
    let song = dir.join("song.wav");
    ffmpeg_make(&["-f", "lavfi", "-i", "sine=f=330:d=4,volume=0.03"], &song);
    let mut files = photos.to_vec();
    files.push(song);
    upload(&env, &files);
    let sources = [
        MusicSource::Generated { mood: Mood::Calm },
        MusicSource::Generated { mood: Mood::Upbeat },
        MusicSource::Generated { mood: Mood::LoFi },
        MusicSource::Upload {
            file_id: None,
            name: "song.wav".into(),
        },
    ];
    for source in sources {
        let mut show = show_of(&["a.jpg", "b.jpg"], 6000);
        show.music = Some(Music {
            source: source.clone(),
            volume: 100,
        });
        export_show(&env, &show, "music.mp4");
        let lufs = loudness(&env.work_dir().join("music.mp4"));
        assert!(
            (lufs + 14.0).abs() <= 1.5,
            "{source:?}: {lufs} LUFS, want -14"
        );
    }
}
