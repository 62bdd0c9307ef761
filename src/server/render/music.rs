//! Generated background music: a short loop synthesised here, so a video
//! needs no sample files and carries no licence question. Each mood is a
//! four-chord loop (pads, an arpeggio, a soft pulse) that repeats
//! seamlessly, mastered to −14 LUFS by a measured gain; the renderer writes
//! one loop to a WAV file, and the encoder repeats, trims and fades it.
//! ([`synth`] also gives the loop as ffmpeg `aevalsrc` expressions, the
//! reference the samples are checked against: evaluated by ffmpeg per
//! sample they cost about 3 s of CPU a render, computed here about 0.1 s.)
//!
//! These are honest synthesiser loops, not songs: the agent calls them
//! "generated" wherever it mentions them.

use crate::server::slideshow::Mood;

/// Sample rate of everything the renderer writes.
pub const RATE: u32 = 48_000;

/// One chord: three frequencies in Hz.
type Chord = [f64; 3];

struct Recipe {
    bpm: f64,
    chords: [Chord; 4],
    /// Arpeggio notes per beat (0: none).
    arp_per_beat: f64,
    arp_level: f64,
    pad_level: f64,
    /// A soft low thump on every beat.
    pulse: f64,
    /// Vinyl-style crackle (lo-fi).
    crackle: f64,
    /// Measured loudness of the loop at unity gain, in LUFS.
    lufs: f64,
}

fn recipe(mood: Mood) -> Recipe {
    // C  G  Am F  — and, for lo-fi, the seventh chords of a ii-V-I-vi.
    match mood {
        Mood::Calm => Recipe {
            bpm: 64.0,
            chords: [
                [261.63, 329.63, 392.00],
                [196.00, 246.94, 293.66],
                [220.00, 261.63, 329.63],
                [174.61, 220.00, 261.63],
            ],
            arp_per_beat: 1.0,
            arp_level: 0.10,
            pad_level: 0.16,
            pulse: 0.0,
            crackle: 0.0,
            lufs: -14.7,
        },
        Mood::Upbeat => Recipe {
            bpm: 118.0,
            chords: [
                [261.63, 329.63, 392.00],
                [293.66, 392.00, 493.88],
                [220.00, 261.63, 329.63],
                [174.61, 220.00, 261.63],
            ],
            arp_per_beat: 4.0,
            arp_level: 0.14,
            pad_level: 0.09,
            pulse: 0.45,
            crackle: 0.0,
            lufs: -17.3,
        },
        Mood::LoFi => Recipe {
            bpm: 78.0,
            chords: [
                [293.66, 349.23, 440.00],
                [196.00, 246.94, 349.23],
                [261.63, 329.63, 493.88],
                [220.00, 261.63, 392.00],
            ],
            arp_per_beat: 2.0,
            arp_level: 0.08,
            pad_level: 0.14,
            pulse: 0.30,
            crackle: 0.015,
            lufs: -15.8,
        },
    }
}

/// The synthesiser for one mood: per-channel `aevalsrc` expressions (plain
/// text; the graph builder escapes them) and the loop's length in samples.
pub struct Loop {
    pub left: String,
    pub right: String,
    pub seconds: f64,
    pub samples: u64,
    /// Gain that brings the loop to YouTube's −14 LUFS. The synthesiser is
    /// deterministic, so its loudness is a property of the recipe: measured
    /// once with ffmpeg's EBU R128 meter (and checked by the render tests)
    /// instead of running `loudnorm`, which costs ~100 MB per render.
    pub gain_db: f64,
}

/// The mood's loop: play it with `aevalsrc`, repeat it with `aloop`.
pub fn synth(mood: Mood) -> Loop {
    let r = recipe(mood);
    let beat = 60.0 / r.bpm;
    let bar = 4.0 * beat;
    // Four bars of four beats.
    let secs = 4.0 * bar;
    let samples = (secs * RATE as f64).round() as u64;
    // Registers: 0 = chord index, 1..3 = chord tones, 4 = position in the
    // bar (0-1), 5 = arpeggio note, 6 = time since the arpeggio note.
    let pick = |k: usize| {
        format!(
            "if(eq(ld(0),0),{},if(eq(ld(0),1),{},if(eq(ld(0),2),{},{})))",
            r.chords[0][k], r.chords[1][k], r.chords[2][k], r.chords[3][k]
        )
    };
    let mut e = format!(
        "st(0,floor(t/{bar:.6}));st(1,{});st(2,{});st(3,{});st(4,(t-ld(0)*{bar:.6})/{bar:.6});",
        pick(0),
        pick(1),
        pick(2)
    );
    // Pad: the chord, swelling in and out over each bar (zero at the bar
    // line, so a chord change never clicks).
    let pad = |detune: f64| {
        format!(
            "{lvl}*sin(PI*ld(4))*(sin(2*PI*ld(1)*{d}*t)+sin(2*PI*ld(2)*{d}*t)+0.8*sin(2*PI*ld(3)*{d}*t)+0.5*sin(PI*ld(1)*t))",
            lvl = r.pad_level,
            d = detune
        )
    };
    let mut voices = vec![];
    if r.arp_per_beat > 0.0 {
        let step = beat / r.arp_per_beat;
        e.push_str(&format!(
            "st(6,t-floor(t/{step:.6})*{step:.6});st(5,mod(floor(t/{step:.6}),3)+1);"
        ));
        voices.push(format!(
            "{lvl}*exp(-5*ld(6)/{step:.6})*sin(PI*min(1,ld(6)*200))*(sin(4*PI*ld(ld(5))*t)+0.3*sin(8*PI*ld(ld(5))*t))",
            lvl = r.arp_level
        ));
    }
    if r.pulse > 0.0 {
        voices.push(format!(
            "{lvl}*exp(-9*(t-floor(t/{beat:.6})*{beat:.6}))*sin(2*PI*55*(t-floor(t/{beat:.6})*{beat:.6}))",
            lvl = r.pulse
        ));
    }
    if r.crackle > 0.0 {
        voices.push(format!(
            "{lvl}*gt(random(9),0.9985)*(random(8)-0.5)",
            lvl = r.crackle * 20.0
        ));
    }
    let common = voices.join("+");
    let side = |detune: f64| {
        if common.is_empty() {
            format!("{e}{}", pad(detune))
        } else {
            format!("{e}{}+{common}", pad(detune))
        }
    };
    Loop {
        left: side(1.0),
        right: side(1.003),
        seconds: secs,
        samples,
        gain_db: -14.0 - r.lufs,
    }
}

/// Gain that brings the mood's loop to YouTube's −14 LUFS.
pub fn gain_db(mood: Mood) -> f64 {
    -14.0 - recipe(mood).lufs
}

/// The mood's loop as interleaved stereo samples, exactly what [`synth`]'s
/// expressions describe (the lo-fi crackle's random clicks aside, which
/// come from another generator).
pub fn samples(mood: Mood) -> Vec<f32> {
    let r = recipe(mood);
    let beat = 60.0 / r.bpm;
    let bar = 4.0 * beat;
    let n = (4.0 * bar * RATE as f64).round() as usize;
    let step = if r.arp_per_beat > 0.0 {
        beat / r.arp_per_beat
    } else {
        0.0
    };
    use std::f64::consts::PI;
    let sin = f64::sin;
    // ffmpeg's random(): a linear congruential generator per channel.
    let mut seeds = [0u64; 2];
    let mut random = |ch: usize| {
        seeds[ch] = seeds[ch]
            .wrapping_mul(1_664_525)
            .wrapping_add(1_013_904_223)
            & 0xffff_ffff;
        seeds[ch] as f64 / 4_294_967_296.0
    };
    let mut out = Vec::with_capacity(2 * n);
    for i in 0..n {
        let t = i as f64 / RATE as f64;
        let c = ((t / bar).floor() as usize).min(3);
        let tones = r.chords[c];
        let pos = (t - c as f64 * bar) / bar;
        let mut common = 0.0;
        if step > 0.0 {
            let since = t - (t / step).floor() * step;
            let f = tones[((t / step).floor() as usize) % 3];
            common += r.arp_level
                * (-5.0 * since / step).exp()
                * sin(PI * (since * 200.0).min(1.0))
                * (sin(4.0 * PI * f * t) + 0.3 * sin(8.0 * PI * f * t));
        }
        if r.pulse > 0.0 {
            let tb = t - (t / beat).floor() * beat;
            common += r.pulse * (-9.0 * tb).exp() * sin(2.0 * PI * 55.0 * tb);
        }
        for (ch, d) in [1.0, 1.003].into_iter().enumerate() {
            let pad = r.pad_level
                * sin(PI * pos)
                * (sin(2.0 * PI * tones[0] * d * t)
                    + sin(2.0 * PI * tones[1] * d * t)
                    + 0.8 * sin(2.0 * PI * tones[2] * d * t)
                    + 0.5 * sin(PI * tones[0] * t));
            let mut v = pad + common;
            if r.crackle > 0.0 {
                let click = random(ch) > 0.9985;
                let x = random(ch) - 0.5;
                if click {
                    v += r.crackle * 20.0 * x;
                }
            }
            out.push(v as f32);
        }
    }
    out
}

/// Interleaved stereo samples as a 32-bit float WAV file's bytes.
pub fn wav(samples: &[f32]) -> Vec<u8> {
    let data = (samples.len() * 4) as u32;
    let mut b = Vec::with_capacity(44 + data as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&3u16.to_le_bytes()); // IEEE float
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&RATE.to_le_bytes());
    b.extend_from_slice(&(RATE * 8).to_le_bytes());
    b.extend_from_slice(&8u16.to_le_bytes());
    b.extend_from_slice(&32u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data.to_le_bytes());
    for s in samples {
        b.extend_from_slice(&s.to_le_bytes());
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mood_loops_whole_bars() {
        for m in Mood::ALL {
            let l = synth(m);
            assert_eq!(l.samples, (l.seconds * RATE as f64).round() as u64);
            assert!(l.seconds > 4.0 && l.seconds < 20.0);
            assert_ne!(l.left, l.right, "the two channels differ a little");
        }
        assert!(synth(Mood::LoFi).left.contains("random(9)"));
        assert!(!synth(Mood::Calm).left.contains("random"));
    }

    #[test]
    fn the_samples_are_the_expressions() {
        // ffmpeg evaluates the calm loop's expressions at a few instants;
        // the samples computed here agree with it.
        let l = synth(Mood::Calm);
        let s = samples(Mood::Calm);
        assert_eq!(s.len() as u64, 2 * l.samples);
        let at = [1000usize, 100_000, 345_678, 700_000];
        let expr = format!("{}|{}", l.left, l.right);
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-f", "lavfi", "-i"])
            .arg(format!(
                "aevalsrc=exprs={}:s={RATE}:d={}",
                crate::server::render::encode::opt(&expr),
                l.seconds
            ))
            .args(["-f", "f32le", "-c:a", "pcm_f32le", "pipe:1"])
            .output();
        let Ok(out) = out else {
            return; // no ffmpeg here: nothing to compare with
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: Vec<f32> = out
            .stdout
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        for i in at {
            for ch in 0..2 {
                let (a, b) = (s[2 * i + ch], theirs[2 * i + ch]);
                assert!((a - b).abs() < 1e-4, "sample {i} channel {ch}: {a} vs {b}");
            }
        }
        let w = wav(&s[..4]);
        assert_eq!(&w[..4], b"RIFF");
        assert_eq!(w.len(), 44 + 16);
    }
}
