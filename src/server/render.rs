//! Rendering a draft to a real MP4 with ffmpeg, for the embedded server.
//!
//! [`plan`] is pure (draft + media → ffmpeg argv) and unit-tested;
//! [`run`] spawns ffmpeg, reads its `-progress` output for a live figure and
//! drains stderr concurrently so a failing render says why (ripgrep's
//! `CommandReader` habit).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

use super::world::Media;
use crate::wire::lenient;

/// A render plan: the ffmpeg arguments and the expected duration.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub args: Vec<String>,
    pub duration_ms: u64,
}

const COLORS: &[&str] = &["0x1d3557", "0x457b9d", "0xe76f51", "0x2a9d8f", "0xf4a261"];

fn track_segments(draft: &Value, tt: i64) -> Vec<&Value> {
    draft["t"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["tt"].as_i64() == Some(tt))
        .flat_map(|t| t["sg"].as_array().into_iter().flatten())
        .collect()
}

fn find_media<'a>(seg: &Value, media: &'a [Media], index: usize) -> Option<&'a Media> {
    let m = &seg["m"];
    let key = lenient::first_string(m, &["file_id", "name", "file_name", "filename"]);
    key.and_then(|k| media.iter().find(|x| x.file_id == k || x.name == k))
        .or_else(|| {
            media
                .iter()
                .filter(|x| x.kind == "image" || x.kind == "video")
                .nth(index)
        })
        .filter(|x| x.path.is_some())
}

/// Build the ffmpeg command for `draft` at `w`×`h` into `out`.
pub fn plan(draft: &Value, media: &[Media], w: u32, h: u32, out: &Path) -> Result<Plan, String> {
    let segs = track_segments(draft, 0);
    if segs.is_empty() {
        return Err("the draft has no video segments".into());
    }
    let mut args: Vec<String> = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut filters = Vec::new();
    let mut total_ms = 0u64;
    for (i, seg) in segs.iter().enumerate() {
        let d = seg["d"]
            .as_f64()
            .or_else(|| lenient::as_f64(&seg["d"]))
            .unwrap_or(3000.0)
            .max(100.0) as u64;
        total_ms += d;
        let secs = format!("{:.3}", d as f64 / 1000.0);
        match find_media(seg, media, i) {
            Some(m) if m.kind == "image" => {
                args.extend(
                    ["-loop", "1", "-framerate", "30", "-t", &secs, "-i"].map(String::from),
                );
                args.push(m.path.as_ref().expect("filtered").display().to_string());
            }
            Some(m) => {
                args.extend(["-t", &secs, "-i"].map(String::from));
                args.push(m.path.as_ref().expect("filtered").display().to_string());
            }
            None => {
                args.extend(["-f", "lavfi", "-t", &secs, "-i"].map(String::from));
                args.push(format!(
                    "color=c={}:s={w}x{h}:r=30",
                    COLORS[i % COLORS.len()]
                ));
            }
        }
        filters.push(format!(
            "[{i}:v]scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[v{i}]"
        ));
    }
    let n = segs.len();
    let audio_in = n;
    let total = format!("{:.3}", total_ms as f64 / 1000.0);
    let music = track_segments(draft, 1).first().map(|s| {
        lenient::as_f64(&s["m"]["volume"])
            .map(|v| if v <= 1.0 { v } else { v / 100.0 })
            .unwrap_or(0.35)
    });
    args.extend(["-f", "lavfi", "-t", &total, "-i"].map(String::from));
    args.push(match music {
        Some(_) => "sine=frequency=220:sample_rate=44100".into(),
        None => "anullsrc=channel_layout=stereo:sample_rate=44100".into(),
    });
    let inputs: String = (0..n).map(|i| format!("[v{i}]")).collect();
    filters.push(format!("{inputs}concat=n={n}:v=1:a=0[v]"));
    filters.push(format!(
        "[{audio_in}:a]volume={:.2}[a]",
        music.unwrap_or(1.0)
    ));
    args.push("-filter_complex".into());
    args.push(filters.join(";"));
    args.extend(
        [
            "-map",
            "[v]",
            "-map",
            "[a]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "30",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "96k",
            "-shortest",
            "-movflags",
            "+faststart",
            "-progress",
            "pipe:1",
            "-nostats",
        ]
        .map(String::from),
    );
    args.push(out.display().to_string());
    Ok(Plan {
        args,
        duration_ms: total_ms,
    })
}

/// What a render job asks for.
pub struct RenderRequest<'a> {
    pub id: &'a str,
    pub draft: &'a Value,
    pub media: &'a [Media],
    /// Cap on the short side of the canvas (tiny test renders, previews).
    pub max_p: Option<u32>,
    /// Folder the video and its thumbnail are written to.
    pub out_dir: &'a Path,
}

/// What a finished render produced.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub video: PathBuf,
    pub thumbnail: Option<PathBuf>,
    pub duration_s: f64,
    pub width: u32,
    pub height: u32,
    /// Things the user should know (a missing CJK font, …).
    pub warnings: Vec<String>,
}

/// Render a draft to `<out_dir>/<id>.mp4` (and its thumbnail);
/// `progress` gets 0-100 as ffmpeg reports it.
pub async fn render(req: RenderRequest<'_>, progress: impl Fn(f64)) -> Result<Rendered, String> {
    let (width, height) = crate::server::slideshow::Canvas::default()
        .capped(req.max_p)
        .size();
    let out = req.out_dir.join(format!("{}.mp4", req.id));
    let plan = plan(req.draft, req.media, width, height, &out)?;
    let video = run(&plan, progress).await?;
    Ok(Rendered {
        video,
        thumbnail: None,
        duration_s: plan.duration_ms as f64 / 1000.0,
        width,
        height,
        warnings: Vec::new(),
    })
}

/// Run a plan; `progress` gets 0-100 as ffmpeg reports it.
pub async fn run(plan: &Plan, progress: impl Fn(f64)) -> Result<PathBuf, String> {
    let out = PathBuf::from(plan.args.last().expect("plan ends with the output"));
    let mut child = tokio::process::Command::new("ffmpeg")
        .args(&plan.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            format!("cannot run ffmpeg ({e}); install it (e.g. apt-get install ffmpeg)")
        })?;
    let mut stderr = child.stderr.take().expect("piped");
    let drain = tokio::spawn(async move {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s).await;
        s
    });
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(us) = line
            .strip_prefix("out_time_us=")
            .or_else(|| line.strip_prefix("out_time_ms="))
        {
            if let Ok(us) = us.trim().parse::<f64>() {
                if plan.duration_ms > 0 {
                    progress((us / 1000.0 / plan.duration_ms as f64 * 100.0).clamp(0.0, 99.0));
                }
            }
        }
    }
    let status = child.wait().await.map_err(|e| e.to_string())?;
    let err = drain.await.unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "ffmpeg failed ({status}):\n{}\n{}\n{}",
            "-".repeat(60),
            err.trim(),
            "-".repeat(60)
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plans_images_and_placeholders() {
        let media = vec![Media {
            name: "a.jpg".into(),
            kind: "image".into(),
            size: 1,
            path: Some("/data/a.jpg".into()),
            url: None,
            file_id: "f1".into(),
        }];
        let draft = json!({"t": [
            {"tt": 0, "sg": [{"d": 2000, "m": {"file_id": "f1"}}, {"d": 1500, "m": {"name": "missing.jpg"}}]},
            {"tt": 1, "sg": [{"d": 3500, "m": {"volume": 35}}]}
        ]});
        let p = plan(&draft, &media, 320, 180, Path::new("/tmp/o.mp4")).unwrap();
        assert_eq!(p.duration_ms, 3500);
        let a = p.args.join(" ");
        assert!(
            a.contains("-loop 1 -framerate 30 -t 2.000 -i /data/a.jpg"),
            "{a}"
        );
        assert!(
            a.contains("-f lavfi -t 1.500 -i color=c=0x457b9d:s=320x180:r=30"),
            "{a}"
        );
        assert!(a.contains("sine=frequency=220"), "{a}");
        assert!(a.contains("volume=0.35[a]"), "{a}");
        assert!(a.contains("[v0][v1]concat=n=2:v=1:a=0[v]"), "{a}");
        assert!(a.ends_with("/tmp/o.mp4"));
    }

    #[test]
    fn refuses_an_empty_draft() {
        assert!(plan(&json!({"t": []}), &[], 320, 180, Path::new("o.mp4")).is_err());
        assert!(plan(&json!(null), &[], 320, 180, Path::new("o.mp4")).is_err());
    }
}
