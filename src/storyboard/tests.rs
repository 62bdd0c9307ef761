use super::*;
use serde_json::json;

/// A draft shaped like the offline backend's: three photos, a crossfade,
/// music and a title over the first three seconds.
fn draft() -> serde_json::Value {
    json!({
        "d": 9000,
        "t": [
            {"tt": 0, "d": 9000, "m": {"transition": "crossfade", "transition_ms": 750},
             "sg": [
                {"start": 0, "d": 3000, "m": {"name": "a.jpg", "file_id": "f1"}},
                {"start": 3000, "d": 3000, "m": {"name": "b.jpg", "file_id": "f2"}},
                {"start": 6000, "d": 3000, "m": {"name": "c.jpg", "file_id": "f3"}}
             ]},
            {"tt": 1, "d": 9000, "m": {"name": "Lo-fi", "type": "bgm"},
             "sg": [{"start": 0, "d": 9000, "m": {"name": "Lo-fi", "type": "bgm", "volume": 35}}]},
            {"tt": 7, "d": 3000, "m": {"role": "title"},
             "sg": [{"start": 0, "d": 3000, "m": {"text": "Summer", "role": "title"}}]}
        ]
    })
}

fn board() -> Board {
    Board::from_timeline(&timeline::parse_draft(&draft()))
}

fn solid(c: [u8; 3]) -> Picture {
    Picture::Photo(RgbImage::from_pixel(64, 48, Rgb(c)))
}

const RED: [u8; 3] = [220, 30, 30];
const GREEN: [u8; 3] = [30, 200, 60];
const BLUE: [u8; 3] = [30, 60, 220];

#[test]
fn the_board_follows_the_timeline() {
    let b = board();
    let names: Vec<&str> = b.clips.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a.jpg", "b.jpg", "c.jpg"]);
    assert_eq!(b.clips[0].file_id.as_deref(), Some("f1"));
    let t = b.clips[0].transition.as_ref().unwrap();
    assert_eq!((t.name.as_str(), t.ms), ("crossfade", Some(750)));
    assert!(
        b.clips[2].transition.is_none(),
        "nothing after the last clip"
    );
    assert_eq!(b.texts.len(), 1);
    assert_eq!(
        (b.texts[0].role.as_str(), b.texts[0].text.as_str()),
        ("Title", "Summer")
    );
    assert_eq!(b.music[0].volume, Some(35));
    assert_eq!(b.duration_ms, 9000);
}

#[test]
fn clips_are_ordered_by_start_not_by_position_in_the_draft() {
    let d = json!({"t": [{"tt": 0, "sg": [
        {"start": 4000, "d": 2000, "m": {"name": "late.jpg"}},
        {"start": 0, "d": 4000, "m": {"name": "early.jpg"}}
    ]}]});
    let b = Board::from_timeline(&timeline::parse_draft(&d));
    assert_eq!(b.clips[0].name, "early.jpg");
    assert_eq!(b.clips[1].name, "late.jpg");
}

#[test]
fn tiles_show_the_photos_in_order() {
    let b = board();
    let img = draw(
        &b,
        &[solid(RED), solid(GREEN), solid(BLUE)],
        &Painter::Bitmap,
    );
    let lay = Layout::new(3, true);
    assert_eq!(img.dimensions(), (lay.width, lay.height));
    for (i, c) in [RED, GREEN, BLUE].into_iter().enumerate() {
        let (x, y) = lay.thumb(i).centre();
        assert_eq!(img.get_pixel(x, y).0, c, "tile {i}");
    }
    // The title band sits above the first tile; the music strip is drawn.
    let lane = lay.lane(0);
    let (x, _) = lay.thumb(0).centre();
    assert_eq!(*img.get_pixel(x, lane.y as u32 + 1), ACCENT);
    let m = lay.music().unwrap();
    assert!((m.x..m.x + m.w as i32).any(|x| *img.get_pixel(x as u32, m.y as u32 + 1) == MUSIC));
}

#[test]
fn a_clip_without_a_picture_gets_a_placeholder() {
    let b = board();
    let img = draw(&b, &[solid(RED), Picture::Missing], &Painter::Bitmap);
    let lay = Layout::new(3, true);
    for i in [1, 2] {
        let t = lay.thumb(i);
        let corner = img.get_pixel(t.x as u32 + 5, t.y as u32 + 1);
        assert!(
            *corner == HOLE || *corner == HOLE_HATCH,
            "tile {i}: {corner:?}"
        );
    }
    // The name is written on it.
    let t = lay.thumb(1);
    let ink = (t.y..t.y + t.h as i32)
        .flat_map(|y| (t.x..t.x + t.w as i32).map(move |x| (x, y)))
        .filter(|&(x, y)| *img.get_pixel(x as u32, y as u32) == INK)
        .count();
    assert!(ink > 20, "no name on the placeholder");
}

#[test]
fn many_clips_wrap_into_rows() {
    let d = json!({"t": [{"tt": 0, "sg": (0..6).map(|i| json!({"start": i * 1000, "d": 1000, "m": {"name": format!("{i}.jpg")}})).collect::<Vec<_>>()}]});
    let b = Board::from_timeline(&timeline::parse_draft(&d));
    let pics: Vec<Picture> = (0..6).map(|i| solid([i * 40, 100, 100])).collect();
    let img = draw(&b, &pics, &Painter::Bitmap);
    let lay = Layout::new(6, false);
    assert_eq!(lay.rows, 2);
    for i in 0..6 {
        let (x, y) = lay.thumb(i).centre();
        assert_eq!(img.get_pixel(x, y).0, [i as u8 * 40, 100, 100]);
    }
}

#[test]
fn a_portrait_photo_is_letterboxed_not_cropped() {
    let tall = Picture::Photo(RgbImage::from_pixel(30, 90, Rgb(RED)));
    let b = board();
    let img = draw(&b, &[tall], &Painter::Bitmap);
    let t = Layout::new(3, true).thumb(0);
    let (cx, cy) = t.centre();
    assert_eq!(img.get_pixel(cx, cy).0, RED);
    assert_eq!(*img.get_pixel(t.x as u32 + 2, cy), FRAME);
}

fn rec(name: &str, id: Option<&str>, source: Option<&str>) -> UploadRecord {
    UploadRecord {
        name: name.into(),
        size: None,
        file_id: id.map(Into::into),
        source: source.map(Into::into),
    }
}

#[test]
fn clips_find_their_local_files_through_the_upload_records() {
    let b = board();
    let uploads = vec![
        rec("a.jpg", Some("f1"), Some("/photos/a.jpg")),
        // Renamed by the server: found by id, not by name.
        rec("b (1).jpg", Some("f2"), Some("/photos/b.jpg")),
        // No id recorded: found by name.
        rec("c.jpg", None, Some("/other/c.jpg")),
        rec("web.jpg", Some("f9"), Some("https://example.com/web.jpg")),
    ];
    let found: Vec<Option<PathBuf>> = b.clips.iter().map(|c| local_copy(c, &uploads)).collect();
    assert_eq!(
        found,
        [
            Some(PathBuf::from("/photos/a.jpg")),
            Some(PathBuf::from("/photos/b.jpg")),
            Some(PathBuf::from("/other/c.jpg")),
        ]
    );
    let web = Clip {
        name: "web.jpg".into(),
        start_ms: 0,
        end_ms: 1,
        file_id: Some("f9".into()),
        transition: None,
    };
    assert_eq!(local_copy(&web, &uploads), None, "a URL is no local copy");
    assert_eq!(local_copy(&web, &[]), None);
}

#[test]
fn transitions_are_named_as_people_say_them() {
    for (key, name) in [
        ("crossfade", "crossfade"),
        ("fade_black", "fade black"),
        ("none", "cut"),
        ("Wipe", "wipe"),
        ("slide_left", "slide left"),
    ] {
        assert_eq!(transition_name(key), name);
    }
    assert_eq!(seconds(750), "0.75");
    assert_eq!(seconds(1000), "1");
    assert_eq!(seconds(1500), "1.5");
}

#[test]
fn loading_a_missing_or_unreadable_file_says_which() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        load(&dir.path().join("gone.jpg")),
        Picture::Missing
    ));
    let junk = dir.path().join("junk.mp4");
    std::fs::write(&junk, b"not a picture").unwrap();
    assert!(matches!(load(&junk), Picture::Unreadable));
    let png = dir.path().join("p.png");
    RgbImage::from_pixel(800, 600, Rgb(GREEN))
        .save(&png)
        .unwrap();
    match load(&png) {
        Picture::Photo(p) => {
            assert!(p.width() <= layout::THUMB_W * 2 && p.height() <= layout::THUMB_H * 2);
            assert_eq!(p.get_pixel(0, 0).0, GREEN);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_video_clip_shows_a_frame_made_by_ffmpeg() {
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.mp4");
    let ok = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "color=c=0x1EC83C:s=64x36:d=1",
        ])
        .args(["-pix_fmt", "yuv420p"])
        .arg(&clip)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ffmpeg could not make the clip");
    match load(&clip) {
        Picture::Photo(p) => {
            let [r, g, b] = p.get_pixel(p.width() / 2, p.height() / 2).0;
            assert!(r < 60 && g > 170 && b < 90, "{:?}", [r, g, b]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_bitmap_font_knows_what_it_cannot_draw() {
    assert!(Painter::Bitmap.has('a') && Painter::Bitmap.has('·'));
    assert!(!Painter::Bitmap.has('♪'));
}

#[test]
fn a_heic_photo_is_read_through_libheif() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("p.png");
    RgbImage::from_pixel(64, 48, Rgb(BLUE)).save(&png).unwrap();
    let heic = dir.path().join("IMG_0001.HEIC");
    let made = std::process::Command::new("heif-enc")
        .args(["-q", "90", "-o"])
        .arg(&heic)
        .arg(&png)
        .output()
        .unwrap();
    assert!(made.status.success(), "heif-enc: {made:?}");
    match load(&heic) {
        Picture::Photo(p) => {
            let [r, g, b] = p.get_pixel(p.width() / 2, p.height() / 2).0;
            assert!(r < 70 && g < 100 && b > 180, "{:?}", [r, g, b]);
        }
        other => panic!("{other:?}"),
    }
}
