//! Video clips: one ffmpeg per clip decodes it (turned upright, as
//! ffmpeg does by default), at 30 fps, contained in the canvas over its
//! own blurred fill, and pipes raw 4:2:0 BT.709 frames to the compositor,
//! which reads them in order. A clip shorter than its place holds its last
//! frame. The ffmpeg is killed when the reader is dropped, and with the
//! thread that started it (Linux).

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::still::i420_len;
use super::timeline::FPS;

pub struct Clip {
    child: Child,
    frame: Vec<u8>,
    /// The clip has ended: its last frame is held.
    ended: bool,
}

/// The filters that turn a clip's frames into canvas frames: the fill (the
/// frame covering the canvas, small, blurred, darker, less saturated,
/// scaled back up) with the frame contained over it, as the stills have.
pub fn filters((w, h): (u32, u32)) -> String {
    let (bw, bh) = ((w / 8).max(16) & !1, (h / 8).max(16) & !1);
    let sigma = (bw.min(bh) as f64 / 12.0).max(2.0).round();
    let to709 = ":out_color_matrix=bt709:out_range=tv";
    format!(
        "[0:v]fps={FPS},split=2[a][b];\
         [a]scale={bw}:{bh}:force_original_aspect_ratio=increase:flags=bilinear{to709},crop={bw}:{bh},format=yuv420p,gblur=sigma={sigma},lutyuv=y=16+(val-16)*0.6:u=128+(val-128)*0.8:v=128+(val-128)*0.8,scale={w}:{h}:flags=bicubic[bg];\
         [b]scale={w}:{h}:force_original_aspect_ratio=decrease:flags=lanczos{to709},format=yuv420p[fg];\
         [bg][fg]overlay=x=(W-w)/2:y=(H-h)/2:format=yuv420,format=yuv420p[out]"
    )
}

impl Clip {
    /// Start decoding `path` for `frames` frames of a `size` canvas.
    pub fn open(path: &Path, frames: u64, size: (u32, u32)) -> Result<Clip, String> {
        let mut cmd = Command::new("ffmpeg");
        super::super::die_with_parent_std(&mut cmd);
        let child = cmd
            .args(["-hide_banner", "-nostdin", "-v", "error", "-t"])
            .arg(format!("{:.6}", (frames + FPS) as f64 / FPS as f64))
            .arg("-i")
            .arg(path)
            .args(["-filter_complex", &filters(size), "-map", "[out]"])
            .args(["-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run ffmpeg: {e}"))?;
        Ok(Clip {
            child,
            frame: vec![0u8; i420_len(size.0, size.1)],
            ended: false,
        })
    }

    /// The next frame (the last one again once the clip has ended; black
    /// when it had none).
    pub fn next_frame(&mut self) -> &[u8] {
        if !self.ended {
            let out = self.child.stdout.as_mut().expect("piped");
            if out.read_exact(&mut self.frame).is_err() {
                self.ended = true;
                if self.frame.iter().all(|&b| b == 0) {
                    let w = self.frame.len();
                    let y = w * 2 / 3;
                    self.frame[..y].fill(16);
                    self.frame[y..].fill(128);
                }
            }
        }
        &self.frame
    }
}

impl Drop for Clip {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
