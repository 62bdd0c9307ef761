//! Generated background music: a short loop synthesised by ffmpeg's
//! `aevalsrc` inside the render's filter graph, so a video needs no sample
//! files and carries no licence question. Each mood is a four-chord loop
//! (pads, an arpeggio, a soft pulse) that repeats seamlessly, mastered to
//! −14 LUFS by a measured gain; the renderer trims and fades it.
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
}
