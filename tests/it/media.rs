//! Every kind of file a photo folder holds renders offline (issue 23):
//! each is made here (ffmpeg, libheif's heif-enc, jpeg-encoder for the JPEG
//! colour models ffmpeg cannot write), uploaded with `--local`, made into
//! a video (1 second each, no transitions, no Ken Burns, so a still stays
//! still) and exported at 90 px. Each is then found in the video by the
//! draft: its own second is a real picture (not a flat frame), an
//! animation or clip moves, a photo does not, and the video lasts what the
//! draft says. A file whose header is right but whose picture is cut off is
//! refused at upload, by name, while the others arrive.

use jpeg_encoder::ColorType;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::heif_edit;
use crate::support::{Run, TestEnv};

/// How a row's file is made.
enum Make<'a> {
    /// ffmpeg writes it from these arguments (space-separated).
    Ffmpeg(&'a str),
    /// A PNG of this lavfi source, made a HEIC by libheif's heif-enc.
    Heic(&'a str),
    /// jpeg-encoder writes a 96×64 pattern in this colour model.
    Jpeg(ColorType, Progressive),
}

#[derive(Clone, Copy, PartialEq)]
enum Progressive {
    No,
    Yes,
}

/// One kind of file: its name, how it is made, whether it moves.
struct Row<'a>(&'a str, Make<'a>, Moves);

#[derive(Clone, Copy, PartialEq, Debug)]
enum Moves {
    Still,
    Moving,
    /// An animation shorter than its place on the timeline, which loops.
    Loops,
}

use Make::*;
use Moves::*;

const PATTERN: &str = "-f lavfi -i testsrc2=s=64x48 -frames:v 1";
const MOVING: &str = "-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t";

/// `img2yt --local ARGS…` rendering at most 90 px high, with real
/// timeouts: an upload is answered once its file is decoded (an animation
/// made into a clip), which takes longer than the other tests' scaled-down
/// half second on a busy machine. Offline renders are polled every 0.4 s
/// all the same.
fn local(env: &TestEnv, args: &[&str]) -> Run {
    let mut all = vec!["--local"];
    all.extend_from_slice(args);
    env.run_with(&all, |c| {
        c.env("IMG2YT_SERVER_MAX_HEIGHT", "90")
            .env("IMG2YT_TIME_SCALE", "1");
    })
}

fn ffmpeg(args: &[&str], out: &Path) {
    let r = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-y"])
        .args(args)
        .arg(out)
        .output()
        .expect("ffmpeg runs");
    assert!(
        r.status.success(),
        "ffmpeg could not make {} (is an encoder it needs missing from this ffmpeg build?): {}",
        out.display(),
        String::from_utf8_lossy(&r.stderr)
    );
}

/// A 96×64 pattern (gradients and a checkerboard) as RGB bytes.
fn pattern() -> Vec<[u8; 3]> {
    (0..64u32)
        .flat_map(|y| {
            (0..96u32).map(move |x| {
                let check = if (x / 8 + y / 8) % 2 == 0 { 230 } else { 20 };
                [(x * 255 / 95) as u8, (y * 255 / 63) as u8, check]
            })
        })
        .collect()
}

fn make(dir: &Path, Row(name, how, _): &Row) -> PathBuf {
    let out = dir.join(name);
    match how {
        Ffmpeg(args) => ffmpeg(&args.split(' ').collect::<Vec<_>>(), &out),
        Heic(src) => {
            let png = dir.join(format!("{name}.png"));
            ffmpeg(&["-f", "lavfi", "-i", src, "-frames:v", "1"], &png);
            let r = Command::new("heif-enc")
                .args(["-q", "60", "-o"])
                .arg(&out)
                .arg(&png)
                .output()
                .expect(
                    "heif-enc (libheif-examples) makes the test's HEIC files: apt install libheif-examples",
                );
            assert!(
                r.status.success(),
                "heif-enc could not make {name} (is libheif's HEVC encoder missing?): {}",
                String::from_utf8_lossy(&r.stderr)
            );
        }
        Jpeg(color, progressive) => {
            let rgb = pattern();
            let data: Vec<u8> = match color {
                ColorType::Luma => rgb.iter().map(|p| p[0] / 2 + p[2] / 2).collect(),
                ColorType::Cmyk => rgb
                    .iter()
                    .flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], 0])
                    .collect(),
                _ => rgb.concat(),
            };
            let mut e = jpeg_encoder::Encoder::new_file(&out, 90).unwrap();
            e.set_progressive(*progressive == Progressive::Yes);
            e.encode(&data, 96, 64, *color).unwrap();
        }
    }
    out
}

/// The frame at `t` seconds, 80×45 greyscale.
fn gray(video: &Path, t: f64) -> Vec<u8> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-ss", &format!("{t:.3}"), "-i"])
        .arg(video)
        .args(["-frames:v", "1", "-vf", "scale=80:45,format=gray"])
        .args(["-f", "rawvideo", "pipe:1"])
        .output()
        .unwrap();
    assert_eq!(out.stdout.len(), 80 * 45, "no frame at {t} s");
    out.stdout
}

fn std_dev(px: &[u8]) -> f64 {
    let n = px.len() as f64;
    let mean = px.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    (px.iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}

fn mean_diff(a: &[u8], b: &[u8]) -> f64 {
    let sum: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).abs())
        .sum();
    sum / a.len() as f64
}

fn duration(video: &Path) -> f64 {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format=duration"])
        .args(["-of", "default=nw=1:nk=1"])
        .arg(video)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// The project's draft, as `status --json` shows it.
fn draft(env: &TestEnv) -> Value {
    let r = local(env, &["--json", "status"]);
    r.ok();
    let v: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    v["draft"].clone()
}

/// (start, length) in seconds of the segment showing `name`.
fn segment(draft: &Value, name: &str) -> (f64, f64) {
    let seg = draft["t"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["sg"].as_array().unwrap())
        .find(|s| s["m"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in the draft: {draft}"));
    (
        seg["start"].as_f64().unwrap() / 1000.0,
        seg["d"].as_f64().unwrap() / 1000.0,
    )
}

/// Make every row's file, upload them all, make a video of them, export
/// it, and check each row in it.
fn renders(rows: &[Row]) {
    let env = TestEnv::new();
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<String> = rows
        .iter()
        .map(|r| make(&dir, r).display().to_string())
        .collect();
    let mut args = vec!["upload"];
    args.extend(files.iter().map(String::as_str));
    local(&env, &args).ok();
    let r = local(
        &env,
        &[
            "send",
            "make a video, 1 second per photo, no transitions, Ken Burns off",
        ],
    );
    r.ok();
    let clips = rows.iter().filter(|r| r.2 != Still).count();
    let photos = rows.len() - clips;
    let n = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let count = match (photos, clips) {
        (p, 0) => n(p, "photo"),
        (0, c) => n(c, "clip"),
        (p, c) => format!("{} and {}", n(p, "photo"), n(c, "clip")),
    } + ",";
    assert!(
        r.stdout.contains(&count),
        "expected {count:?} in {}",
        r.stdout
    );
    local(&env, &["export", "-o", "out.mp4"]).ok();
    let video = env.work_dir().join("out.mp4");
    let draft = draft(&env);
    let want = draft["d"].as_f64().unwrap() / 1000.0;
    let got = duration(&video);
    assert!(
        (got - want).abs() < 0.1,
        "the video lasts {got} s, the draft {want} s"
    );
    for Row(name, _, moves) in rows {
        let (start, len) = segment(&draft, name);
        let (a, b) = (
            gray(&video, start + len * 0.3),
            gray(&video, start + len * 0.7),
        );
        let detail = std_dev(&a);
        assert!(
            detail > 12.0,
            "{name}: its segment shows a flat frame (spread {detail:.1})"
        );
        let change = mean_diff(&a, &b);
        match moves {
            Moving => assert!(
                change > 8.0,
                "{name}: its segment does not move ({change:.2})"
            ),
            Still => assert!(change < 2.0, "{name}: a still photo moves ({change:.2})"),
            // A half-second loop shows the same picture a cycle apart, and
            // another one in between.
            Loops => {
                let (c, d) = (gray(&video, start + 0.35), gray(&video, start + 0.85));
                let between = gray(&video, start + 0.55);
                assert!(
                    mean_diff(&c, &d) < 4.0 && mean_diff(&c, &between) > 8.0,
                    "{name}: it does not loop ({:.2} a cycle apart, {:.2} half a cycle)",
                    mean_diff(&c, &d),
                    mean_diff(&c, &between)
                );
            }
        }
    }
}

#[test]
fn photos_of_every_kind_render() {
    renders(&[
        Row("iphone.heic", Heic("testsrc2=s=96x64"), Still),
        Row("one-frame.gif", Ffmpeg(PATTERN), Still),
        Row(
            "still.webp",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48 -frames:v 1 -c:v libwebp"),
            Still,
        ),
        Row("cmyk.jpg", Jpeg(ColorType::Cmyk, Progressive::No), Still),
        Row(
            "progressive.jpg",
            Jpeg(ColorType::Rgb, Progressive::Yes),
            Still,
        ),
        Row(
            "greyscale.jpg",
            Jpeg(ColorType::Luma, Progressive::No),
            Still,
        ),
        Row(
            "tiny.jpg",
            Ffmpeg("-f lavfi -i testsrc2=s=16x16 -frames:v 1"),
            Still,
        ),
        Row(
            "panorama.jpg",
            Ffmpeg("-f lavfi -i testsrc2=s=8000x1000 -frames:v 1"),
            Still,
        ),
        Row(
            "very-tall.jpg",
            Ffmpeg("-f lavfi -i testsrc2=s=300x3000 -frames:v 1"),
            Still,
        ),
        Row(
            "16-bit.png",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48 -frames:v 1 -pix_fmt rgb48be"),
            Still,
        ),
        Row(
            "palette.png",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48 -frames:v 1 -pix_fmt pal8"),
            Still,
        ),
        Row(
            "transparent.png",
            Ffmpeg(
                "-f lavfi -i testsrc2=s=64x48 -frames:v 1 -vf format=rgba,colorchannelmixer=aa=0.5",
            ),
            Still,
        ),
    ]);
}

#[test]
fn animations_and_clips_of_every_kind_render_and_move() {
    renders(&[
        Row("animated.gif", Ffmpeg(MOVING), Moving),
        Row(
            "half-second.gif",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=0.5 -vf rotate=2*PI*t"),
            Loops,
        ),
        Row(
            "animated.webp",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t -c:v libwebp_anim -loop 0"),
            Moving,
        ),
        Row(
            "h264.mp4",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t -c:v libx264 -pix_fmt yuv420p"),
            Moving,
        ),
        Row(
            "hevc.mov",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t -c:v libx265 -x265-params log-level=error -pix_fmt yuv420p -tag:v hvc1"),
            Moving,
        ),
        Row(
            "vp9.webm",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t -c:v libvpx-vp9 -deadline realtime -cpu-used 8"),
            Moving,
        ),
        Row(
            "mpeg4.avi",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t -c:v mpeg4"),
            Moving,
        ),
        Row(
            "h264.mkv",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t -c:v libx264 -pix_fmt yuv420p"),
            Moving,
        ),
        Row(
            "sideways-phone.mp4",
            Ffmpeg("-f lavfi -i testsrc2=s=64x48:r=10:d=1 -vf rotate=PI*t -c:v libx264 -pix_fmt yuv420p -metadata:s:v:0 rotate=90"),
            Moving,
        ),
        Row("photo.jpg", Ffmpeg(PATTERN), Still),
    ]);
}

#[test]
fn songs_of_every_kind_play_as_my_music() {
    let env = TestEnv::new();
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let photo = make(&dir, &Row("photo.jpg", Ffmpeg(PATTERN), Still));
    const SINE: &str = "-f lavfi -i sine=f=440:d=2";
    for (name, codec) in [
        ("song.mp3", "-c:a libmp3lame"),
        ("song.wav", "-c:a pcm_s16le"),
        ("song.m4a", "-c:a aac"),
        ("song.aac", "-c:a aac -f adts"),
    ] {
        let song = make(&dir, &Row(name, Ffmpeg(&format!("{SINE} {codec}")), Still));
        local(&env, &["new"]).ok();
        local(
            &env,
            &["upload", photo.to_str().unwrap(), song.to_str().unwrap()],
        )
        .ok();
        let r = local(&env, &["send", "make a video with my music"]);
        r.ok();
        assert!(r.stdout.contains(name), "{name}: {}", r.stdout);
        local(&env, &["export", "-o", "song.mp4", "--force"]).ok();
        let video = env.work_dir().join("song.mp4");
        let want = draft(&env)["d"].as_f64().unwrap() / 1000.0;
        let got = duration(&video);
        assert!(
            (got - want).abs() < 0.1,
            "{name}: {got} s, the draft {want} s"
        );
        let out = Command::new("ffmpeg")
            .args(["-v", "info", "-nostdin", "-i"])
            .arg(&video)
            .args(["-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-"])
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&out.stderr);
        let mean: f64 = log
            .split("mean_volume: ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no sound in the video: {log}"));
        assert!(mean > -40.0, "{name}: the video is silent ({mean} dB)");
    }
}

/// A HEIC of a detailed picture (over 3 KB), made by heif-enc.
fn big_heic(dir: &Path, name: &str) -> PathBuf {
    let p = make(dir, &Row(name, Heic("testsrc2=s=320x240"), Still));
    let len = std::fs::metadata(&p).unwrap().len();
    assert!(len > 6000, "the test's HEIC is only {len} bytes");
    p
}

fn cut(path: &Path, keep: usize) {
    let bytes = std::fs::read(path).unwrap();
    std::fs::write(path, &bytes[..keep]).unwrap();
}

#[test]
fn a_file_cut_short_is_refused_at_upload_by_name_and_the_others_arrive() {
    let env = TestEnv::new();
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let good = make(&dir, &Row("good.jpg", Ffmpeg(PATTERN), Still));
    let heic = big_heic(&dir, "cut.heic");
    cut(&heic, 3 * 1024);
    let gif = make(&dir, &Row("cut.gif", Ffmpeg(MOVING), Moving));
    cut(&gif, 200);
    let moving = make(&dir, &Row("moving.gif", Ffmpeg(MOVING), Moving));
    let files: Vec<&str> = [&good, &heic, &gif, &moving]
        .iter()
        .map(|p| p.to_str().unwrap())
        .collect();
    let mut args = vec!["upload"];
    args.extend(files);
    let r = local(&env, &args);
    r.code(3);
    for name in ["cut.heic", "cut.gif"] {
        assert!(
            r.stderr.contains(&format!(
                "skipped {name}: refused by the service — the file ends before its picture does"
            )),
            "{name} is not refused by name and why: {}",
            r.stderr
        );
    }
    assert!(
        r.stdout.starts_with("Uploaded 2 files: good.jpg (") && r.stdout.contains("moving.gif ("),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("2 uploaded, 2 refused"), "{}", r.stderr);
    // Nothing of a refused file is kept.
    let kept: Vec<String> = std::fs::read_dir(env.config_dir().join("local/uploads"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!kept.iter().any(|f| f.contains("cut.")), "{kept:?}");
    assert!(!kept.iter().any(|f| f.starts_with('.')), "{kept:?}");
    // Only the good files are in the project, and they make a video.
    let r = local(&env, &["send", "make a video"]);
    r.ok();
    assert!(r.stdout.contains("1 photo and 1 clip,"), "{}", r.stdout);
    local(&env, &["export", "-o", "out.mp4"]).ok();
}

#[test]
fn a_file_that_breaks_after_upload_is_named_by_export_not_in_ffmpegs_words() {
    let env = TestEnv::new();
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let a = make(&dir, &Row("a.jpg", Ffmpeg(PATTERN), Still));
    let b = make(
        &dir,
        &Row(
            "b.png",
            Ffmpeg("-f lavfi -i testsrc2=s=320x240 -frames:v 1"),
            Still,
        ),
    );
    local(&env, &["upload", a.to_str().unwrap(), b.to_str().unwrap()]).ok();
    local(&env, &["send", "make a video"]).ok();
    // The stored copy of b.png is damaged behind the backend's back.
    let uploads = env.config_dir().join("local/uploads");
    let stored = std::fs::read_dir(&uploads)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-b.png"))
        .expect("b.png is stored");
    cut(&stored, 2000);
    let r = local(&env, &["export", "-o", "out.mp4"]);
    assert_ne!(r.code, 0, "{}", r.all());
    assert!(
        r.all().contains("b.png could not be rendered"),
        "{}",
        r.all()
    );
    assert!(
        !r.all().contains("ffmpeg"),
        "ffmpeg's words shown: {}",
        r.all()
    );
}

#[test]
fn without_libheif_a_heic_is_refused_at_upload_with_how_to_install_it() {
    let env = TestEnv::new();
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let heic = big_heic(&dir, "phone.heic");
    let photo = make(&dir, &Row("photo.jpg", Ffmpeg(PATTERN), Still));
    // A PATH with ffmpeg and nothing of libheif.
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["ffmpeg", "ffprobe"] {
        let real = img2yt::server::tools::which(tool).expect("ffmpeg is installed");
        std::os::unix::fs::symlink(real, bin.join(tool)).unwrap();
    }
    let r = env.run_with(
        &[
            "--local",
            "upload",
            heic.to_str().unwrap(),
            photo.to_str().unwrap(),
        ],
        |c| {
            c.env("PATH", &bin)
                .env("IMG2YT_SERVER_MAX_HEIGHT", "90")
                .env("IMG2YT_TIME_SCALE", "1");
        },
    );
    r.code(3);
    assert!(
        r.stderr.contains(
            "skipped phone.heic: refused by the service — HEIC photos are decoded with libheif's heif-dec, which is not installed; install it"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("Uploaded 1 file: photo.jpg"),
        "{}",
        r.stdout
    );
}

/// A JPEG with an EXIF orientation tag, written by hand (ffmpeg cannot).
fn with_exif_orientation(jpeg: &Path, orientation: u8) {
    let data = std::fs::read(jpeg).unwrap();
    let mut out = data[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x22]);
    out.extend_from_slice(b"Exif\0\0MM\0\x2A\0\0\0\x08\0\x01");
    out.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, orientation, 0, 0]);
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&data[2..]);
    std::fs::write(jpeg, out).unwrap();
}

/// The average colour of a region (`w:h:x:y`) of the frame at `t`.
fn colour(video: &Path, t: f64, region: &str) -> [u8; 3] {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-nostdin", "-ss", &format!("{t:.3}"), "-i"])
        .arg(video)
        .args(["-frames:v", "1", "-vf"])
        .arg(format!("crop={region},scale=1:1:flags=area,format=rgb24"))
        .args(["-f", "rawvideo", "pipe:1"])
        .output()
        .unwrap();
    assert_eq!(out.stdout.len(), 3, "no frame at {t} s");
    [out.stdout[0], out.stdout[1], out.stdout[2]]
}

#[test]
fn a_sideways_iphone_photo_is_turned_upright_once() {
    // Red left, blue right, stored as a phone does a portrait shot: the
    // pixels sideways, a quarter turn clockwise in `irot`, and the same
    // turn in EXIF (orientation 6), which HEIF says to ignore.
    let env = TestEnv::new();
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let jpeg = dir.join("sideways.jpg");
    ffmpeg(
        &[
            "-f",
            "lavfi",
            "-i",
            "color=red:s=48x64[a];color=blue:s=48x64[b];[a][b]hstack",
            "-frames:v",
            "1",
        ],
        &jpeg,
    );
    with_exif_orientation(&jpeg, 6);
    let heic = dir.join("portrait.heic");
    let r = Command::new("heif-enc")
        .args(["-q", "80", "-o"])
        .arg(&heic)
        .arg(&jpeg)
        .output()
        .expect("heif-enc (libheif-examples) makes the test's HEIC files");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    heif_edit::rotate(&heic, 3);
    local(&env, &["upload", heic.to_str().unwrap()]).ok();
    local(&env, &["send", "make a video, Ken Burns off"]).ok();
    local(&env, &["export", "-o", "out.mp4"]).ok();
    // Upright it is 64×96: fitted into 160×90 it spans x 50-110, red on
    // top and blue below (turned twice it would lie wide, blue left).
    let video = env.work_dir().join("out.mp4");
    let (top, bottom) = (
        colour(&video, 1.0, "20:16:70:4"),
        colour(&video, 1.0, "20:16:70:70"),
    );
    assert!(
        top[0] > 150 && top[2] < 100 && bottom[2] > 150 && bottom[0] < 100,
        "not upright: top {top:?}, bottom {bottom:?}"
    );
}

#[test]
fn a_phone_photo_stored_in_tiles_is_shown_whole() {
    // Four 64×48 pictures, joined as a 2×2 grid the way phones store a
    // photo: red, lime on top; blue, yellow below.
    let env = TestEnv::new();
    let dir = env.dir.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let tiles: Vec<PathBuf> = ["red", "lime", "blue", "yellow"]
        .iter()
        .map(|c| {
            let p = dir.join(format!("{c}.png"));
            ffmpeg(
                &[
                    "-f",
                    "lavfi",
                    "-i",
                    &format!("color={c}:s=64x48"),
                    "-frames:v",
                    "1",
                ],
                &p,
            );
            p
        })
        .collect();
    let heic = dir.join("tiled.heic");
    let r = Command::new("heif-enc")
        .args(["-q", "80", "-o"])
        .arg(&heic)
        .args(&tiles)
        .output()
        .expect("heif-enc (libheif-examples) makes the test's HEIC files");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    heif_edit::grid(&heic, (64, 48));
    local(&env, &["upload", heic.to_str().unwrap()]).ok();
    local(&env, &["send", "make a video, Ken Burns off"]).ok();
    local(&env, &["export", "-o", "out.mp4"]).ok();
    // 128×96 fitted into 160×90 spans x 20-140.
    let video = env.work_dir().join("out.mp4");
    let at = |region| colour(&video, 1.0, region);
    let quarters = [
        at("16:16:40:14"),
        at("16:16:100:14"),
        at("16:16:40:66"),
        at("16:16:100:66"),
    ];
    let want = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]];
    for (got, want) in quarters.iter().zip(want) {
        let off = got
            .iter()
            .zip(want)
            .map(|(&g, w)| (i32::from(g) - w).abs())
            .max()
            .unwrap();
        assert!(off < 70, "the tiles are not joined: {quarters:?}");
    }
}
