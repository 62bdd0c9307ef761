//! The encoder's command: one ffmpeg that reads the compositor's raw
//! frames from its standard input, makes the soundtrack, and writes the
//! YouTube-ready MP4 (H.264 High, BT.709 tags, AAC 48 kHz, faststart).
//! Pure (no I/O), so every choice here is unit-tested.
//!
//! Music is a generated loop (mastered to −14 LUFS, see [`super::music`])
//! or the upload, normalised with `loudnorm`; a limiter keeps
//! true peaks under −1.5 dBTP either way.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::compose::timeline::FPS;
use super::music;

/// Loudness target (YouTube's reference) and true-peak ceiling.
const LUFS: f64 = -14.0;
const TRUE_PEAK: f64 = -1.5;
/// The thumbnail's size (YouTube's recommended 16:9 thumbnail).
pub const THUMB: (u32, u32) = (1280, 720);

/// The soundtrack.
#[derive(Debug, Clone, PartialEq)]
pub enum Sound {
    Silence,
    /// A generated loop, written to a WAV file, and the gain that masters
    /// it to −14 LUFS.
    Generated {
        wav: PathBuf,
        gain_db: f64,
    },
    File(PathBuf),
}

/// Everything the command is built from.
#[derive(Debug, Clone)]
pub struct Job {
    /// Canvas size in pixels.
    pub size: (u32, u32),
    pub total_frames: u64,
    pub sound: Sound,
    /// Music volume in percent (0: silence).
    pub volume: u32,
    pub video_out: PathBuf,
    /// x264 preset.
    pub preset: String,
    /// x264 frame threads: its own default, 1.5 per core. With one per
    /// core each core sat idle about an eighth of a render, x264's frame
    /// threads waiting on one another; the extra thread fills those gaps
    /// (a render 8 % sooner on 2 cores, the same CPU) for one more frame
    /// thread's buffers (24 MB at 1080p).
    pub threads: usize,
}

/// The ffmpeg arguments and what they will produce.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub args: Vec<String>,
    pub total_frames: u64,
}

impl Plan {
    pub fn duration_s(&self) -> f64 {
        self.total_frames as f64 / FPS as f64
    }
}

fn secs(frames: u64) -> String {
    format!("{:.6}", frames as f64 / FPS as f64)
}

/// Escape a value for a filter option inside a filter graph: first for the
/// option parser (`\ ' :`), then for the graph parser (`\ ' [ ] , ;`).
pub fn opt(v: &str) -> String {
    fn esc(s: &str, special: &[char]) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        for c in s.chars() {
            if special.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }
    esc(
        &esc(v, &['\\', '\'', ':']),
        &['\\', '\'', '[', ']', ',', ';'],
    )
}

/// The soundtrack's filter graph (`[aout]`), and any input it reads
/// (appended to `args`; the frames are input 0).
fn sound(job: &Job, args: &mut Vec<String>) -> String {
    let total = secs(job.total_frames);
    let dur = job.total_frames as f64 / FPS as f64;
    let master = |chain: &mut String, mastered: Option<f64>| {
        let fade_in = (dur / 4.0).min(1.0);
        let fade_out = (dur / 4.0).min(2.0);
        let out_at = dur - fade_out;
        let gain = if job.volume >= 100 {
            0.0
        } else {
            20.0 * (job.volume.max(1) as f64 / 100.0).log10()
        };
        write!(
            chain,
            ",atrim=duration={total},asetpts=N/SR/TB,afade=t=in:d={fade_in:.3},afade=t=out:st={out_at:.3}:d={fade_out:.3}"
        )
        .expect("string");
        match mastered {
            Some(db) => write!(chain, ",volume={:.2}dB", db + gain),
            None => write!(
                chain,
                ",loudnorm=I={LUFS}:TP={TRUE_PEAK}:LRA=11,aresample={},volume={gain:.2}dB",
                music::RATE
            ),
        }
        .expect("string");
        write!(
            chain,
            ",alimiter=limit={:.4}:level=false",
            10f64.powf(TRUE_PEAK / 20.0)
        )
        .expect("string");
    };
    let mut a = match &job.sound {
        Sound::Generated { wav, gain_db } if job.volume > 0 => {
            args.extend(["-stream_loop", "-1", "-i"].map(String::from));
            args.push(wav.to_string_lossy().into_owned());
            let mut a = "[1:a]aformat=sample_fmts=fltp".to_string();
            master(&mut a, Some(*gain_db));
            a
        }
        Sound::File(path) if job.volume > 0 => {
            args.extend(["-stream_loop", "-1", "-i"].map(String::from));
            args.push(path.to_string_lossy().into_owned());
            let mut a = format!(
                "[1:a]aformat=channel_layouts=stereo,aresample={}",
                music::RATE
            );
            master(&mut a, None);
            a
        }
        _ => format!(
            "anullsrc=r={}:cl=stereo,atrim=duration={total}",
            music::RATE
        ),
    };
    write!(
        a,
        ",aformat=sample_fmts=fltp:sample_rates={}:channel_layouts=stereo[aout]",
        music::RATE
    )
    .expect("string");
    a
}

/// Build the command.
pub fn plan(job: &Job) -> Plan {
    let (w, h) = job.size;
    let mut args: Vec<String> = [
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        // The frames: raw 4:2:0, already BT.709 limited range. ffmpeg
        // queues 8 packets per input by default (8 whole frames here).
        // One is enough: the compositor keeps frames ready on its side of
        // the pipe. ffmpeg reads each frame into a new 3 MB packet, which
        // glibc's default (dynamic) mmap threshold serves from the reading
        // thread's heap, already mapped: a fixed threshold (ffmpeg used to
        // run with MALLOC_TRIM_THRESHOLD_) mapped and zeroed every packet
        // anew, 760 page faults a frame, 1 s of kernel time a render. The
        // heap keeps what was ever queued at once, so the short queue is
        // what keeps that small: ffmpeg's peak 0-15 MB above before.
        "-thread_queue_size",
        "1",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "-color_range",
        "tv",
        "-colorspace",
        "bt709",
        "-s",
    ]
    .map(String::from)
    .to_vec();
    args.push(format!("{w}x{h}"));
    args.extend(["-r".into(), FPS.to_string(), "-i".into(), "pipe:0".into()]);
    let a = sound(job, &mut args);
    args.push("-filter_complex".into());
    args.push(a);
    args.extend(
        [
            "-map",
            "0:v",
            "-map",
            "[aout]",
            "-c:v",
            "libx264",
            "-preset",
            &job.preset,
            "-profile:v",
            "high",
            "-threads",
            &job.threads.to_string(),
            // The threaded lookahead's buffer: x264's default is one frame
            // more than the B-frames. One frame fewer is a frame less in
            // memory, with the same output and no loss of speed here.
            "-x264-params",
            "sync-lookahead=2",
            "-crf",
            "20",
            "-maxrate",
            "12M",
            "-bufsize",
            "24M",
            // YouTube's advice: closed GOPs of half the frame rate, two
            // consecutive B-frames.
            "-g",
            "15",
            "-bf",
            "2",
            "-pix_fmt",
            "yuv420p",
            "-r",
            "30",
            "-color_primaries",
            "bt709",
            "-color_trc",
            "bt709",
            "-colorspace",
            "bt709",
            "-color_range",
            "tv",
            "-c:a",
            "aac",
            "-profile:a",
            "aac_low",
            "-b:a",
            "192k",
            "-ar",
            "48000",
            "-ac",
            "2",
            "-movflags",
            "+faststart",
        ]
        .map(String::from),
    );
    args.push(job.video_out.to_string_lossy().into_owned());
    Plan {
        args,
        total_frames: job.total_frames,
    }
}

/// The thumbnail's path next to a video: `trip.mp4` → `trip.jpg`.
pub fn thumbnail_path(video: &Path) -> PathBuf {
    video.with_extension("jpg")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job {
            size: (320, 180),
            total_frames: 848,
            sound: Sound::Generated {
                wav: "/d/out.music.wav".into(),
                gain_db: 0.7,
            },
            volume: 100,
            video_out: "/d/out.mp4".into(),
            preset: "veryfast".into(),
            threads: 2,
        }
    }

    #[test]
    fn youtube_output_settings() {
        let a = plan(&job()).args.join(" ");
        for want in [
            "-thread_queue_size 1 -f rawvideo -pix_fmt yuv420p -color_range tv -colorspace bt709 -s 320x180 -r 30 -i pipe:0",
            "-map 0:v -map [aout]",
            "-c:v libx264",
            "-profile:v high",
            "-pix_fmt yuv420p",
            "-r 30",
            "-colorspace bt709",
            "-color_primaries bt709",
            "-color_trc bt709",
            "-c:a aac",
            "-profile:a aac_low",
            "-ar 48000",
            "-ac 2",
            "-movflags +faststart",
        ] {
            assert!(a.contains(want), "missing {want}: {a}");
        }
        assert!(
            !a.contains("loudnorm"),
            "generated music comes mastered: {a}"
        );
        assert!(a.contains("alimiter=limit=0.8414"), "{a}");
        assert!(a.contains("-stream_loop -1 -i /d/out.music.wav"), "{a}");
        assert!(
            a.contains("[1:a]aformat=sample_fmts=fltp,atrim=duration=28.266667"),
            "{a}"
        );
        assert!(a.contains("volume=0.70dB"), "{a}");
    }

    #[test]
    fn an_upload_is_looped_and_normalised() {
        let mut j = job();
        j.sound = Sound::File("/d/song.mp3".into());
        j.volume = 50;
        let a = plan(&j).args.join(" ");
        assert!(a.contains("-stream_loop -1 -i /d/song.mp3"), "{a}");
        assert!(a.contains("[1:a]aformat=channel_layouts=stereo"), "{a}");
        assert!(a.contains("loudnorm=I=-14:TP=-1.5"), "{a}");
        assert!(a.contains("volume=-6.02dB"), "{a}");
    }

    #[test]
    fn silence_when_there_is_no_music() {
        let mut j = job();
        j.sound = Sound::Silence;
        j.volume = 0;
        let a = plan(&j).args.join(" ");
        assert!(a.contains("anullsrc=r=48000:cl=stereo"), "{a}");
        assert!(!a.contains("loudnorm"), "{a}");
    }

    #[test]
    fn escaping_for_filter_options() {
        assert_eq!(opt("/a/b.txt"), "/a/b.txt");
        assert_eq!(opt("C:\\f.ttf"), "C\\\\:\\\\\\\\f.ttf");
        assert_eq!(opt("it's"), "it\\\\\\'s");
        assert_eq!(opt("min(a,b)"), "min(a\\,b)");
    }
}
