//! Cutting a message into the clauses that carry wishes, and how clauses
//! relate: filler, corrections ("wait, I meant …", 不对), contrasts ("not
//! the third"), withdrawals ("never mind"), the topic a later clause
//! continues, and the parts of a clause joined by "and".

use super::keywords::{
    starts_word, ALL_TARGETS, KB_WORDS, MUSIC_WORDS, PER_PHOTO_WORDS, PHOTO_NOUNS, REMOVE,
    TOTAL_WORDS, TRANSITION_WORDS, VOLUME_WORDS,
};
use super::keywords::{CLOSING_KEYS, TITLE_KEYS};
use super::out_of_scope::unsupported_parts;
use super::photos::{MOVE_VERBS, VAGUE_PHOTOS};
use super::selection::selections;

use super::{clause_edits, Edit, Sel};
use crate::server::agent::words::{find_all, find_any, has, numbers, Lang};

/// Words that ask for nothing: a clause of only these is not a wish.
const FILLER: &[&str] = &[
    "please", "pls", "plz", "thanks", "thank", "you", "thx", "ok", "okay", "hi", "hey", "and",
    "also", "but", "then", "so", "now", "too", "just", "that", "it", "all", "cool", "great",
    "nice", "many", "much", "lot", "a", "very", "cheers", "regards", "love", "xx", "xoxo", "谢谢",
    "请", "好的", "好", "麻烦", "了", "哦", "吧", "啊", "呢", "嗯",
];

pub(super) fn filler(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    let mut rest = low.as_str();
    // Chinese filler has no spaces: strip known words from the front.
    loop {
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        if rest.is_empty() {
            return true;
        }
        let Some(w) = FILLER.iter().find(|w| starts_word(rest, w)) else {
            return false;
        };
        rest = &rest[w.len()..];
    }
}

/// A clause without the parts that ask for something that cannot be done
/// ("remove the background from the cat pic" removes no photo).
pub(super) fn without_unsupported(clause: &str) -> String {
    let mut out = clause.to_string();
    // From the keyword to the end of its part: "make a video in 4K" still
    // makes the video, "remove the background from the cat pic" removes no
    // photo.
    for (_, e, k, _, _) in unsupported_parts(clause).into_iter().rev() {
        out.replace_range(k.min(e)..e, " ");
    }
    out
}

/// "wipe instead of crossfade", "rather than blending", 用滑动而不是擦除:
/// the part after the marker becomes a clause of its own that starts with
/// "not", which [`is_contrast`] sets aside.
pub(super) fn contrast_as_clause(text: &str) -> String {
    let mut out = text.to_string();
    for (w, by) in [
        (" instead of ", ", not "),
        (" rather than ", ", not "),
        ("而不是", "，不是"),
    ] {
        out = out.replace(w, by);
    }
    // "每张3秒不是2秒": a 不是 inside a clause starts one (not 是不是, 要不是,
    // 不是很).
    let mut cut = String::with_capacity(out.len() + 8);
    let mut prev: Option<char> = None;
    let mut rest = out.as_str();
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("不是")
            && !matches!(prev, None | Some('是' | '要' | '，' | ',' | ' '))
            && !rest.starts_with("不是很")
        {
            cut.push('，');
        }
        cut.push(c);
        prev = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    cut
}

/// Words that open a correction of the wish before ("wait", "I meant",
/// "actually", 不对, 我是说, 算了): the clause without them, and whether
/// there were any.
pub(super) fn correction(clause: &str) -> (bool, &str) {
    const MARKS: &[&str] = &[
        "no wait",
        "no actually",
        "hmm actually",
        "hmm",
        "um",
        "uh",
        "no sorry",
        "sorry no",
        "no no",
        "wait",
        "oops",
        "sorry",
        "i meant",
        "i mean",
        "actually",
        "scratch that",
        "correction",
        "make that",
        "no no",
        "nah",
        "nvm",
        "never mind",
        "on second thought",
        "啊不对",
        "啊不",
        "不对",
        "不好意思",
        "我是说",
        "我的意思是",
        "我算错了",
        "算了",
        "等等",
        "等一下",
        "哦不",
        "说错了",
        "改一下",
        "抱歉",
        "啊",
    ];
    let mut rest = clause.trim();
    let mut marked = false;
    loop {
        let low = rest.to_ascii_lowercase();
        let Some(m) = MARKS.iter().find(|m| starts_word(&low, m)) else {
            break;
        };
        // "make that 45" keeps its verb: only the marker goes.
        let keep = *m == "make that" || *m == "nvm" || *m == "never mind" || *m == "算了";
        marked = true;
        if keep {
            break;
        }
        rest = rest[m.len()..].trim_start_matches([' ', ',', '，', '!', '！', '.', '-', '—']);
        rest = rest.strip_prefix("是").unwrap_or(rest).trim();
    }
    (marked, rest)
}

/// "not the third", 不是第一张: what is not wanted, said to set up the
/// correction that follows.
pub(super) fn is_contrast(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    ["not ", "不是"].iter().any(|w| low.starts_with(w))
        && !["not too", "not so", "不是很"]
            .iter()
            .any(|w| low.starts_with(w))
}

/// "never mind", "leave it", 算了，还是留着吧: the wish before is withdrawn.
pub(super) fn withdraws(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    has(
        &low,
        &[
            "never mind",
            "nvm",
            "forget it",
            "leave it",
            "keep it",
            "keep the",
            "stick with",
            "stay with",
            "go back to",
            "is fine",
            "留着",
            "不用了",
            "不改了",
            "不要改",
            "保持原样",
            "就这样",
        ],
    ) || low.trim() == "算了"
}

/// The part of the draft an edit is about, so a correction replaces the
/// wish it corrects ("each photo 4 seconds, I mean the whole video 40").
pub(super) fn kind(e: &Edit) -> &'static str {
    match e {
        Edit::PhotoSeconds(_)
        | Edit::TotalSeconds(_)
        | Edit::TotalAtMost(_)
        | Edit::Slower
        | Edit::Faster
        | Edit::PhotoDelta(_)
        | Edit::TotalDelta(_) => "length",
        Edit::Transition(_) => "transition",
        Edit::TransitionSeconds(_)
        | Edit::LongerTransitions
        | Edit::ShorterTransitions
        | Edit::TransitionDelta(_) => "transition length",
        Edit::KenBurns(_) => "motion",
        Edit::Title(_) | Edit::RemoveTitle => "title",
        Edit::Closing(_) | Edit::RemoveClosing => "closing",
        Edit::Music | Edit::MusicMood(_) | Edit::MusicUpload(_) | Edit::NoMusic => "music",
        Edit::MusicVolume(_) | Edit::Louder | Edit::Quieter | Edit::VolumeTimes(_) => "volume",
        Edit::PhotoTimes(_) => "length",
        Edit::TransitionTimes(_) => "transition length",
        Edit::Order(_) => "photos",
        Edit::Aspect(_) => "aspect",
        Edit::Resolution(_) => "resolution",
        Edit::MovePhoto { .. }
        | Edit::SwapPhotos(..)
        | Edit::RemovePhotos(_)
        | Edit::ReversePhotos => "photos",
        Edit::Make => "make",
        Edit::Undo => "undo",
        Edit::Ask(_) => "ask",
    }
}

/// The number an edit carries, to be corrected in place.
pub(super) fn number_of(e: &mut Edit) -> Option<&mut f64> {
    match e {
        Edit::PhotoSeconds(x)
        | Edit::TotalSeconds(x)
        | Edit::TotalAtMost(x)
        | Edit::TransitionSeconds(x)
        | Edit::PhotoDelta(x)
        | Edit::TotalDelta(x)
        | Edit::TransitionDelta(x) => Some(x),
        _ => None,
    }
}

/// A photo wish with the photos a correction names instead.
pub(super) fn reselect(e: &mut Edit, mut sels: Vec<Sel>) {
    match e {
        // "put city.png second, no sorry, third": a place corrects where
        // the named photo goes.
        Edit::MovePhoto {
            from: Sel::Name(_),
            to,
        } if !matches!(sels[0], Sel::Name(_)) => *to = sels.remove(0),
        Edit::MovePhoto { from, .. } => *from = sels.remove(0),
        Edit::RemovePhotos(v) => *v = sels,
        Edit::SwapPhotos(a, b) => {
            if sels.len() >= 2 {
                *b = sels.remove(1);
            }
            *a = sels.remove(0);
        }
        _ => {}
    }
}

/// Whether a clause talks about the video at all: one without a single
/// word of the editing language ("my grandson told me to ask you", "it was
/// the last day of our holiday") is conversation, not a wish left undone.
pub(super) fn talks_editing(clause: &str) -> bool {
    let low = clause.to_ascii_lowercase();
    has(&low, &ALL_TARGETS)
        || has(&low, PHOTO_NOUNS)
        || has(&low, REMOVE)
        || has(&low, MOVE_VERBS)
        || has(
            &low,
            &[
                "change",
                "add",
                "set",
                "use",
                "turn",
                "switch",
                "make",
                "want",
                "need",
                "can you",
                "could you",
                "please",
                "改",
                "换",
                "加",
                "调",
                "要",
                "弄",
                "帮我",
                "给我",
            ],
        )
        || !numbers(&low).is_empty()
        || Lang::of(&low) == Lang::Zh && low.chars().count() > 12
}

/// The clauses read so far, and what the last of them that named
/// something was about: worked out on demand, each clause once, so a long
/// message stays linear.
#[derive(Default)]
pub(super) struct Topics {
    clauses: Vec<String>,
    read: usize,
    last: Option<String>,
}

impl Topics {
    pub(super) fn said(&mut self, clause: &str) {
        self.clauses.push(clause.to_string());
    }

    pub(super) fn now(&mut self, quotes: &[String]) -> Option<String> {
        while self.read < self.clauses.len() {
            if let Some(t) = clause_topic(&self.clauses[self.read], quotes) {
                self.last = Some(t);
            }
            self.read += 1;
        }
        self.last.clone()
    }
}

/// What a clause is about, said the way a clause that follows can name it
/// ("the zoom is making me dizzy, get rid of it": the zoom): the last
/// target it names, or the one photo it names.
fn clause_topic(clause: &str, quotes: &[String]) -> Option<String> {
    let low = clause.to_ascii_lowercase();
    let sels = selections(clause, &low, quotes);
    // "有一张照片拍糊了，删掉": a photo not yet named, so what follows asks
    // which.
    if sels.is_empty() && has(&low, VAGUE_PHOTOS) {
        return Some("a photo".into());
    }
    if let [(_, sel)] = sels.as_slice() {
        return match sel {
            Sel::Nth(k) => Some(format!("photo {k}")),
            Sel::Last => Some("the last photo".into()),
            Sel::FromEnd(k) => Some(format!("photo {k} from the end")),
            Sel::Name(n) => Some(n.clone()),
            Sel::Before(_) | Sel::After(_) => None,
        };
    }
    let topics: [(&[&str], &str); 7] = [
        (TRANSITION_WORDS, "the transitions"),
        (MUSIC_WORDS, "the music"),
        (
            &["quieter", "louder", "softer", "小声", "大声"],
            "the music",
        ),
        (VOLUME_WORDS, "the volume"),
        (KB_WORDS, "the zoom"),
        (TITLE_KEYS, "the title"),
        (CLOSING_KEYS, "the closing text"),
    ];
    topics
        .iter()
        .filter_map(|(kws, name)| find_any(&low, kws).last().map(|s| (s.0, *name)))
        .max_by_key(|(at, _)| *at)
        .map(|(_, name)| name.to_string())
}

/// A clause read with what the clause before was about: a pronoun stands
/// for it ("make them longer" after "the transitions are too abrupt",
/// "把它去掉" after "音乐太吵了"), and a bare length after a clause about
/// transitions is theirs ("fade to black, one and a half seconds").
pub(super) fn with_topic(
    clause: &str,
    quotes: &[String],
    topic: &mut dyn FnMut() -> Option<String>,
) -> Vec<Edit> {
    let found = clause_edits(clause, quotes);
    let low = clause.to_ascii_lowercase();
    // Most clauses stand on their own: the topic is only looked for when
    // this one might lean on it.
    let leans = found.is_empty()
        || matches!(
            found.as_slice(),
            [Edit::Ask(_)
                | Edit::PhotoSeconds(_)
                | Edit::TotalSeconds(_)
                | Edit::Slower
                | Edit::Faster]
        )
        || has(&low, &["them", "they", "those", "these", "它们"]);
    if !leans {
        return found;
    }
    let Some(topic) = topic() else {
        return found;
    };
    let topic = topic.as_str();
    let plural = ["them", "they", "those", "these", "它们"];
    let single = ["it", "that", "this", "它", "这个", "那个"];
    let pick = |ws: &[&str]| ws.iter().find_map(|w| find_all(&low, w).first().copied());
    // A plural pronoun is the earlier topic when that was plural; "it" only
    // when the clause means nothing on its own ("make it faster" is the
    // video).
    // A question asked back ("make that 45": 45 what?) is what a clause
    // means alone only when the topic does not answer it.
    let nothing = found.is_empty() || matches!(found.as_slice(), [Edit::Ask(_)]);
    let at = match pick(&plural) {
        Some(at) if topic.ends_with('s') || topic.starts_with("the transitions") => Some(at),
        _ if nothing => pick(&single).or(pick(&plural)),
        _ => None,
    };
    // Chinese leaves the pronoun out: "(缩放)关掉吧".
    let at = at.or(nothing.then_some((0, 0)));
    if let Some((s, e)) = at {
        let swapped = format!("{} {topic} {}", &clause[..s], &clause[e..]);
        let mut again = clause_edits(&swapped, quotes);
        // Only text that looks meant for the screen (a capital, a digit, a
        // CJK character): "if that is not too much trouble" is no title.
        again.retain(|e| match e {
            Edit::Title(t) | Edit::Closing(t) => {
                t.chars().next().is_some_and(|c| !c.is_ascii_lowercase())
            }
            _ => true,
        });
        // The topic's own name is not a wish ("make the music pop more"
        // is no more understood than "make it pop more").
        if again.iter().any(|e| !matches!(e, Edit::Music | Edit::Make)) {
            return again;
        }
    }
    // "fade to black, one and a half seconds", "wipe, 0.8 seconds each",
    // "about a second long": a length that names nothing else is the
    // transitions' when they were the topic ("each" and "long" say how it
    // is measured, not what).
    let names = |ws: &[&str]| {
        find_any(&low, ws)
            .iter()
            .any(|&(s, e)| !matches!(&low[s..e], "each" | "per" | "every" | "long"))
    };
    let bare = !names(PER_PHOTO_WORDS) && !names(TOTAL_WORDS) && !names(TRANSITION_WORDS);
    match found.as_slice() {
        [Edit::PhotoSeconds(x) | Edit::TotalSeconds(x)] if bare && topic == "the transitions" => {
            vec![Edit::TransitionSeconds(*x)]
        }
        // "转场太生硬了，慢一点", "the fades are rushed, slow them down":
        // slower or faster, right after the transitions, is theirs.
        [Edit::Slower] if bare && topic == "the transitions" => vec![Edit::LongerTransitions],
        [Edit::Faster] if bare && topic == "the transitions" => vec![Edit::ShorterTransitions],
        _ => found,
    }
}

/// A clause cut at "and", "&", "plus", 和, 再, 并: one pass over the text.
pub(super) fn and_parts(clause: &str) -> Vec<&str> {
    let low = clause.to_ascii_lowercase();
    let mut cuts = find_any(&low, &["and", "&", "plus", "再", "并", "和"]);
    cuts.dedup_by_key(|c| c.0);
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in cuts {
        if s >= at {
            out.push(clause[at..s].trim());
            at = e;
        }
    }
    out.push(clause[at..].trim());
    out.retain(|p| !p.is_empty());
    out
}
