//! What a message asks for: [`parse`] turns one chat message (English or
//! Chinese, with numbers and quoted text) into a list of [`Edit`]s. Pure:
//! it knows nothing of the draft, the uploads or the reply; `apply` does.
//!
//! A message is cut into clauses (`words::clauses`) and every clause is
//! read for each kind of wish, so "make a video with calm music, 2 seconds
//! per photo, title 'Iceland 2026'" is four edits. A number belongs to the
//! nearest keyword in its clause ("2 seconds per photo and 1 second
//! transitions"). A clause that moves, swaps or removes photos is also
//! read, part by part ("and", 和, 并), for other wishes; an unquoted title
//! ends at an "and" that starts another wish. Relative wishes stay
//! relative ("too quiet", "bump up the music" → `Louder`, never "add
//! music"). Every search is done once per clause and looked up by
//! position, so a 20,000-character message is planned in linear time.
//!
//! This file holds the types and the walk over the clauses ([`parse_all`]);
//! each kind of wish is read in its own file: `clauses.rs` (cutting,
//! corrections, topics), `negation.rs`, `selection.rs` (which photo),
//! `photos.rs` (order, move, swap, remove), `texts.rs` (title and closing
//! text), `pacing.rs` (transitions, seconds, zoom), `music.rs`,
//! `canvas.rs`, `asks.rs` (what to ask back) and `out_of_scope.rs`; the
//! words they share are in `keywords.rs`.

use asks::vague;
use canvas::canvas;
use clauses::{
    and_parts, contrast_as_clause, correction, filler, is_contrast, kind, number_of, reselect,
    talks_editing, with_topic, withdraws, without_unsupported, Topics,
};
use keywords::{starts_word, MAKE, UNDO};
use music::music;
use pacing::{ken_burns, pacing, transitions};
use photos::{name_photos, order_list, photo_op};
use selection::{bare_places, selections};
use texts::texts;

mod asks;
mod canvas;
mod clauses;
mod keywords;
mod music;
mod negation;
mod out_of_scope;
mod pacing;
mod photos;
mod selection;
mod texts;

pub use out_of_scope::{named_song, unsupported};

use super::words::{self, has};
use crate::server::slideshow::{Aspect, Mood, TransitionKind};

/// One change the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Make the video from the uploaded photos (or rebuild it).
    Make,
    /// Every photo stays this many seconds.
    PhotoSeconds(f64),
    /// The whole video lasts about this many seconds.
    TotalSeconds(f64),
    /// The whole video lasts at most this many seconds ("under 30
    /// seconds", 30秒以内).
    TotalAtMost(f64),
    Slower,
    Faster,
    /// Every photo this many seconds longer (negative: shorter): "half a
    /// second longer per photo", 每张多放一秒.
    PhotoDelta(f64),
    /// The whole video this many seconds longer or shorter.
    TotalDelta(f64),
    /// Transitions this many seconds longer or shorter.
    TransitionDelta(f64),
    /// The music's volume times this ("half as loud", 音量减半).
    VolumeTimes(f64),
    /// Every photo this many times as long ("double how long each photo
    /// stays").
    PhotoTimes(f64),
    /// Transitions this many times as long ("twice as long").
    TransitionTimes(f64),
    /// The photos in this order, the ones not named after them in the
    /// order they had ("Sequence: 2, 1, 3", "new order: forest.jpg,
    /// beach.jpg").
    Order(Vec<Sel>),
    Transition(TransitionKind),
    TransitionSeconds(f64),
    LongerTransitions,
    ShorterTransitions,
    KenBurns(bool),
    Title(String),
    RemoveTitle,
    Closing(String),
    RemoveClosing,
    /// Some music: the uploaded audio if there is one, else a generated
    /// track.
    Music,
    MusicMood(Mood),
    /// The uploaded audio file (this one, or the latest).
    MusicUpload(Option<String>),
    /// Percent; 100 is YouTube's reference loudness.
    MusicVolume(u32),
    Louder,
    Quieter,
    NoMusic,
    Aspect(Aspect),
    /// The short side: 720 or 1080.
    Resolution(u32),
    MovePhoto {
        from: Sel,
        to: Sel,
    },
    SwapPhotos(Sel, Sel),
    RemovePhotos(Vec<Sel>),
    ReversePhotos,
    Undo,
    /// A wish too vague to carry out without guessing: ask back, change
    /// nothing.
    Ask(Ask),
}

/// What the agent asks when a wish leaves something open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ask {
    /// "remove a photo", "swap them": which one(s)?
    WhichPhoto,
    /// "change the transition": to which kind?
    WhichTransition,
    /// "3 seconds per photo and the whole video 30 seconds": both cannot
    /// be (seconds per photo, seconds in all).
    PhotoOrTotal(f64, f64),
    /// "change the music": to which?
    WhichMusic,
    /// "adjust the volume": to what?
    WhichVolume,
    /// "change the title": to what words?
    TitleText,
    /// "make it 5": five what?
    Unit(f64),
}

/// Which photo: by position (1-based), the last one, counted from the end
/// (2: "second to last", 倒数第二张), or by file name.
#[derive(Debug, Clone, PartialEq)]
pub enum Sel {
    Nth(usize),
    Last,
    FromEnd(usize),
    Name(String),
    /// Just before / after another photo (a place to move to).
    Before(Box<Sel>),
    After(Box<Sel>),
}

/// Read a message (the edits only; the parser tests read this).
#[cfg(test)]
pub fn parse(msg: &str) -> Vec<Edit> {
    parse_all(msg, &[]).0
}

/// Read a message: the edits, and the clauses that ask for something not
/// understood (said back to the user, never silently dropped).
/// `photos` are the file names of the project's photos, so that "the dog
/// pic" or 海边那张 names dog.jpg or 海边.jpg.
pub fn parse_all(msg: &str, photos: &[String]) -> (Vec<Edit>, Vec<String>) {
    let (text, quotes) = words::unquote(msg);
    // Outside quotes only: a quoted title is kept as typed.
    let text = words::fix_typos(&words::normalise(&text));
    // "wipe instead of crossfade": what follows is what is not wanted.
    let text = contrast_as_clause(&text);
    let mut edits: Vec<Edit> = Vec::new();
    // "Sequence: 2, 1, 3", "new order: forest.jpg, beach.jpg": a list the
    // clause cutter would cut apart, read first.
    let text = match order_list(&text, &quotes, photos) {
        Some((order, rest)) => {
            edits.push(Edit::Order(order));
            rest
        }
        None => text,
    };
    let mut unread = Vec::new();
    // What the clauses so far were about, worked out only when a clause
    // needs it, each clause read for it once.
    let mut topics = Topics::default();
    // After "wait", "I meant", 不对, 算了, "not the third": the next wish
    // replaces the one it corrects.
    let mut correcting = false;
    let mut last_wish: Vec<Edit> = Vec::new();
    // A title or closing text typed without quotes that ran to the end of
    // its clause, and where that clause ended in `text`: "closing text:
    // Thanks, Grandma!" goes on past the comma when what follows is no wish.
    let mut open_text: Option<(usize, usize)> = None;
    let mut said_before = false;
    for raw in words::clauses(&text) {
        let at = raw.as_ptr() as usize - text.as_ptr() as usize;
        let (marked, clause) = correction(raw);
        correcting |= marked;
        if let Some((i, end)) = open_text.take() {
            let alone = clause_edits(clause, &quotes);
            let talk = clause.split_whitespace().count() > 4
                || [
                    "if", "when", "because", "so", "and", "but", "or", "as", "since", "please",
                    "thanks", "thank", "could", "can", "would", "i", "we", "it", "that", "this",
                ]
                .iter()
                .any(|w| starts_word(&clause.to_ascii_lowercase(), w));
            if !marked
                && !talk
                && alone.is_empty()
                && unsupported(clause).is_empty()
                && !is_contrast(clause)
            {
                let more = words::requote(&text[end..at + raw.len()], &quotes);
                if let Some(Edit::Title(t) | Edit::Closing(t)) = edits.get_mut(i) {
                    t.push_str(more.trim_end());
                    open_text = Some((i, at + raw.len()));
                    continue;
                }
            }
        }
        if clause.is_empty() || filler(clause) {
            continue;
        }
        if is_contrast(clause) {
            correcting = true;
            continue;
        }
        // "720p so it uploads faster", "slower because my mom reads
        // slowly", 因为…: why, not what, once the wish is said ("could the
        // video be made so it fits my phone standing up" says it there).
        if said_before
            && [
                "because",
                "so that",
                "so it",
                "so they",
                "so people",
                "since",
                "因为",
                "为了",
                "这样",
                "好让",
                "以便",
            ]
            .iter()
            .any(|w| starts_word(&clause.to_ascii_lowercase(), w))
        {
            continue;
        }
        // "never mind", 算了，还是留着吧: the last wish is withdrawn.
        if correcting && withdraws(clause) {
            edits.retain(|e| !last_wish.contains(e));
            correcting = false;
            continue;
        }
        let named = name_photos(&without_unsupported(clause), photos);
        let clause = named.as_str();
        let mut found = with_topic(clause, &quotes, &mut || topics.now(&quotes));
        if correcting {
            let low = clause.to_ascii_lowercase();
            let mut sels: Vec<Sel> = selections(clause, &low, &quotes)
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            if sels.is_empty() {
                sels = bare_places(&low).into_iter().map(|(_, s)| s).collect();
            }
            let only_photos =
                found.is_empty() || matches!(found.as_slice(), [Edit::Ask(Ask::WhichPhoto)]);
            if only_photos && !sels.is_empty() {
                // "delete photo 5, I mean 4", "不是第一张，是第二张".
                if let Some(e) = edits.iter_mut().rev().find(|e| kind(e) == "photos") {
                    reselect(e, sels);
                    correcting = false;
                    topics.said(clause);
                    continue;
                }
            }
            // "4 seconds per photo, no actually make it 3": a bare number
            // corrects the last number said.
            if let [Edit::Ask(Ask::Unit(n))] = found.as_slice() {
                if let Some(e) = edits.iter_mut().rev().find_map(|e| number_of(e)) {
                    *e = *n;
                    correcting = false;
                    continue;
                }
            }
            if !found.is_empty() {
                let kinds: Vec<&str> = found.iter().map(kind).collect();
                edits.retain(|e| !kinds.contains(&kind(e)));
                correcting = false;
            }
        }
        topics.said(clause);
        if found.is_empty()
            && !filler(clause)
            && unsupported(clause).is_empty()
            && talks_editing(clause)
        {
            unread.push(words::requote(clause, &quotes));
        }
        said_before = found.iter().any(|e| !matches!(e, Edit::Make | Edit::Music));
        if !found.is_empty() {
            last_wish = found.clone();
        }
        for e in found.drain(..) {
            if !edits.contains(&e) {
                // Its text reaching the clause's end: it may go on.
                if let Edit::Title(t) | Edit::Closing(t) = &e {
                    let tail = clause.trim_end().trim_end_matches(['.', '。']);
                    if tail.ends_with(t.as_str()) && !t.is_empty() {
                        open_text = Some((edits.len(), at + raw.len()));
                    }
                }
                edits.push(e);
            }
        }
    }
    // "3 seconds per photo and the whole video 30 seconds" cannot both be:
    // ask which, change neither.
    let per = edits.iter().find_map(|e| match e {
        Edit::PhotoSeconds(s) => Some(*s),
        _ => None,
    });
    let total = edits.iter().find_map(|e| match e {
        Edit::TotalSeconds(s) | Edit::TotalAtMost(s) => Some(*s),
        _ => None,
    });
    if let (Some(p), Some(t)) = (per, total) {
        edits.retain(|e| {
            !matches!(
                e,
                Edit::PhotoSeconds(_) | Edit::TotalSeconds(_) | Edit::TotalAtMost(_)
            )
        });
        edits.push(Edit::Ask(Ask::PhotoOrTotal(p, t)));
    }
    // "转场时间改成0.3秒，太拖了": a complaint after the exact value is the
    // reason for it, not a second change.
    let exact: Vec<&str> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::TransitionSeconds(_) => Some("transition length"),
            Edit::PhotoSeconds(_) | Edit::TotalSeconds(_) | Edit::TotalAtMost(_) => Some("length"),
            Edit::MusicVolume(_) => Some("volume"),
            _ => None,
        })
        .collect();
    edits.retain(|e| {
        let relative = matches!(
            e,
            Edit::LongerTransitions
                | Edit::ShorterTransitions
                | Edit::Slower
                | Edit::Faster
                | Edit::Louder
                | Edit::Quieter
        );
        !(relative && exact.contains(&kind(e)))
    });
    // A bare "music" next to a precise wish about the music adds nothing.
    let precise = edits.iter().any(|e| {
        matches!(
            e,
            Edit::MusicMood(_)
                | Edit::MusicUpload(_)
                | Edit::NoMusic
                | Edit::Louder
                | Edit::Quieter
        )
    });
    // "use Yellow by Coldplay as the music": a song by name is out of
    // scope (said by `unsupported`), not a wish for some music.
    if precise || named_song(msg).is_some() {
        edits.retain(|e| *e != Edit::Music);
    }
    (edits, unread)
}

fn clause_edits(clause: &str, quotes: &[String]) -> Vec<Edit> {
    let low = clause.to_ascii_lowercase();
    if has(&low, UNDO) {
        return vec![Edit::Undo];
    }
    if let Some(e) = photo_op(clause, &low, quotes) {
        // "remove beach.jpg and put city.png first": two photo wishes,
        // each read on its own.
        let parts = and_parts(clause);
        let ops: Vec<Option<Edit>> = parts
            .iter()
            .map(|p| photo_op(p, &p.to_ascii_lowercase(), quotes))
            .collect();
        if ops.iter().flatten().count() >= 2 {
            let mut out = Vec::new();
            for (part, op) in parts.iter().zip(ops) {
                match op {
                    Some(e) => out.push(e),
                    None => out.extend(part_edits(part, clause, quotes)),
                }
            }
            return out;
        }
        // "move the last photo to the front and use a wipe": the parts
        // that name no photo are read for other wishes.
        let mut out = vec![e];
        for part in and_parts(clause) {
            let plow = part.to_ascii_lowercase();
            if selections(part, &plow, quotes).is_empty() {
                out.extend(part_edits(part, clause, quotes));
            }
        }
        return out;
    }
    other_edits(clause, &low, quotes)
}

/// A part of `clause` read on its own: as a whole clause when it is
/// shorter (so the reading ends), else for its other wishes only.
fn part_edits(part: &str, clause: &str, quotes: &[String]) -> Vec<Edit> {
    if part.len() < clause.len() {
        clause_edits(part, quotes)
    } else {
        other_edits(part, &part.to_ascii_lowercase(), quotes)
    }
}

/// Every wish in a clause but the photo moves, swaps and removals.
fn other_edits(clause: &str, low: &str, quotes: &[String]) -> Vec<Edit> {
    let mut text_edits = Vec::new();
    // Text taken from "title: …" to the end of the clause is not read for
    // other wishes ("title: 2 seconds to midnight").
    let cut = texts(clause, low, quotes, &mut text_edits);
    let (clause, low) = (&clause[..cut], &low[..cut]);
    let mut out = Vec::new();
    if has(
        low,
        &[
            "reverse",
            "backwards",
            "flip the order",
            "flip it",
            "倒序",
            "反转",
            "颠倒",
            "倒过来",
            "反过来",
            "倒着",
            "倒放",
            "反着放",
            "从后往前",
            "in reverse",
            "other way round",
            "other way around",
        ],
    ) || (has(low, &["flip", "invert", "turn around", "swap around"])
        && has(low, &["order", "sequence", "顺序"]))
    {
        out.push(Edit::ReversePhotos);
    }
    if has(low, MAKE) {
        out.push(Edit::Make);
    }
    out.extend(text_edits);
    transitions(low, &mut out);
    pacing(low, &mut out);
    ken_burns(low, &mut out);
    music(clause, low, quotes, &mut out);
    canvas(low, &mut out);
    // A bare mention of the music ("change the music") is not a wish.
    if out.is_empty() || out == [Edit::Music] {
        if let Some(q) = vague(low) {
            out = vec![Edit::Ask(q)];
        }
    }
    out
}
