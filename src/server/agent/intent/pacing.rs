//! Time and motion: transitions (kind and length), seconds per photo and
//! in all, relative changes ("a bit slower", "half a second longer"), and
//! the Ken Burns zoom. The amounts are read here, next to the words they
//! belong to.

use super::keywords::{
    starts_word, KB_WORDS, MUSIC_WORDS, PER_PHOTO_WORDS, PHOTO_NOUNS, STILL, TOTAL_WORDS,
    TRANSITION_NOUNS, TRANSITION_WORDS, VOLUME_WORDS,
};
use super::negation::negated;
use super::Edit;
use crate::server::agent::words::{self, durations, find_any, gap, has, numbers};
use crate::server::slideshow::TransitionKind;

pub(super) fn transitions(low: &str, out: &mut Vec<Edit>) {
    let kind = if has(
        low,
        &[
            "no transition",
            "no transitions",
            "without transition",
            "without transitions",
            "hard cut",
            "hard cuts",
            "jump cut",
            "jump cuts",
            "just cuts",
            "simple cuts",
            "直接切",
            "straight cuts",
            "just cut",
            "transitions off",
            "无转场",
            "不要转场",
            "去掉转场",
            "没有转场",
            "取消转场",
            "直接切换",
            "硬切",
        ],
    ) || negated(low, &find_any(low, TRANSITION_NOUNS))
    {
        Some(TransitionKind::None)
    } else if has(
        low,
        &[
            "fade through black",
            "fade to black",
            "fade black",
            "fades to black",
            "through black",
            "dip to black",
            "black transition",
            "black transitions",
            "黑场",
            "渐黑",
            "闪黑",
        ],
    ) || has(
        low,
        &[
            "黑一下",
            "先黑",
            "变黑",
            "go dark",
            "goes dark",
            "fade out and in",
        ],
    ) || (has(low, &["black", "dark", "黑屏", "黑色"])
        && has(
            low,
            &[
                "between",
                "transition",
                "transitions",
                "fade",
                "之间",
                "转场",
                "过渡",
                "切换",
            ],
        ))
    {
        Some(TransitionKind::FadeBlack)
    } else if has(low, &["wipe", "wipes", "擦除", "划像"]) {
        Some(TransitionKind::Wipe)
    } else if has(
        low,
        &[
            "slide transition",
            "slide transitions",
            "sliding",
            "slide in",
            "slides in",
            "push",
            "滑动",
            "推移",
            "滑入",
        ],
    ) || (has(low, &["slide", "slides"])
        && (has(low, &["transition", "transitions"]) || numbers(low).is_empty()))
    {
        Some(TransitionKind::Slide)
    } else if has(
        low,
        &[
            "crossfade",
            "crossfades",
            "cross-fade",
            "cross fade",
            "dissolve",
            "fade",
            "fades",
            "淡入淡出",
            "交叉淡化",
            "叠化",
            "溶解",
            "淡化",
        ],
    ) {
        Some(TransitionKind::Crossfade)
    } else {
        None
    };
    if let Some(k) = kind {
        out.push(Edit::Transition(k));
    }
}

/// Whether a length is a change by that much: +1 for "2 seconds longer",
/// "an extra second", "add a second", 多放一秒, 延长一秒; -1 for "1 sec
/// shorter", "less", 少一秒, 缩短一秒.
fn relative_sign(low: &str, d: &words::Dur) -> Option<f64> {
    let after = low[d.end..].trim_start();
    let after = [
        "per photo",
        "each",
        "per picture",
        "for each photo",
        "every photo",
    ]
    .iter()
    .find_map(|w| after.strip_prefix(w))
    .unwrap_or(after)
    .trim_start();
    let before = low[..d.start].trim_end();
    let ends = |ws: &[&str]| ws.iter().any(|w| before.ends_with(w));
    let starts = |ws: &[&str]| ws.iter().any(|w| starts_word(after, w));
    // A bare 多 / 少 just before the number, but not 最多 ("at most"), 至少,
    // 多少 ("how many").
    let bare_zh = |c: &str, not: &[&str]| {
        before.ends_with(c) && !not.iter().any(|n| before.ends_with(&format!("{n}{c}")))
    };
    if starts(&["longer", "more", "extra", "slower"])
        || ends(&[
            "an extra",
            "extra",
            "add",
            "by another",
            "多放",
            "多停",
            "多停留",
            "多加",
            "再加",
            "加长",
            "延长",
            "增加",
            "多给",
        ])
        || bare_zh("多", &["最", "至", "不", "很", "好", "差不"])
    {
        Some(1.0)
    } else if starts(&["shorter", "less", "fewer", "faster", "quicker", "off"])
        || ends(&[
            "shave",
            "knock",
            "trim",
            "take",
            "cut",
            "shave off",
            "knock off",
            "take off",
        ])
        || ends(&["少放", "少停", "减少", "缩短", "减去", "少给", "减"])
        || bare_zh("少", &["至", "最", "不", "多", "很"])
    {
        Some(-1.0)
    } else if before.ends_with("by") {
        // "make the photos longer by a second"
        let head = before.trim_end_matches("by");
        if has(head, &["longer", "lengthen", "extend", "slower"]) {
            Some(1.0)
        } else if has(head, &["shorter", "shorten", "cut", "faster"]) {
            Some(-1.0)
        } else {
            None
        }
    } else {
        None
    }
}

pub(super) fn pacing(low: &str, out: &mut Vec<Edit>) {
    let durs = durations(low);
    let trans = find_any(low, TRANSITION_WORDS);
    let mut per_photo = find_any(low, PER_PHOTO_WORDS);
    // "1.5 sec each transition": a quantifier belongs to the noun after
    // it, so "each" here names the transitions, not the photos.
    // "transitions 1 second each": with no photo named, a bare "each"
    // is the transitions' too.
    let photo_named = has(low, PHOTO_NOUNS) || has(low, &["照片", "图片", "张"]);
    per_photo.retain(|&(s, e)| {
        let q = matches!(&low[s..e], "each" | "per" | "every" | "每个" | "每");
        let next_is_transition = TRANSITION_WORDS
            .iter()
            .any(|w| starts_word(low[e..].trim_start(), w));
        !(q && (next_is_transition || !photo_named && has(low, TRANSITION_WORDS)))
    });
    let mut total = find_any(low, TOTAL_WORDS);
    // "make the transitions 2 seconds long": "long" says how long the
    // thing named is, the whole video only when nothing else is named.
    if !trans.is_empty() || !per_photo.is_empty() {
        total.retain(|&(s, e)| &low[s..e] != "long");
    }
    // The spans are in text order: the nearest is among the few around
    // the duration's place (a scan of all of them per duration would make
    // a long message quadratic).
    let nearest = |spans: &[(usize, usize)], d: &words::Dur| {
        let i = spans.partition_point(|s| s.0 < d.start);
        spans[i.saturating_sub(4)..(i + 4).min(spans.len())]
            .iter()
            .map(|s| gap(*s, (d.start, d.end)))
            .min()
            .unwrap_or(usize::MAX)
    };
    let at_most = has(
        low,
        &[
            "under",
            "at most",
            "no more than",
            "no longer than",
            "max",
            "maximum",
            "less than",
            "not more than",
            "not longer than",
            "tops",
            "别超过",
            "不要超过",
            "不能超过",
            "不超过",
            "以内",
            "之内",
            "最多",
        ],
    );
    // "double how long each photo stays", "transitions twice as long",
    // "half as long": a factor, for whatever the clause names.
    if durs.is_empty() {
        let factor = if has(
            low,
            &[
                "double",
                "twice as long",
                "twice the",
                "两倍",
                "翻倍",
                "加倍",
            ],
        ) {
            Some(2.0)
        } else if has(low, &["triple", "three times as long", "三倍"]) {
            Some(3.0)
        } else if has(low, &["half as long", "halve", "减半", "一半时间"]) {
            Some(0.5)
        } else {
            None
        };
        if let Some(f) = factor.filter(|_| !has(low, MUSIC_WORDS) && !has(low, VOLUME_WORDS)) {
            out.push(if trans.is_empty() {
                Edit::PhotoTimes(f)
            } else {
                Edit::TransitionTimes(f)
            });
            return;
        }
    }
    for d in &durs {
        let (t, p, v) = (
            nearest(&trans, d),
            nearest(&per_photo, d),
            nearest(&total, d),
        );
        // "make it 20 seconds", "about 45 seconds": with no word saying
        // what lasts that long, a length no one wants per photo (10 s or
        // more) is the whole video's.
        let bare = t == usize::MAX && p == usize::MAX && v == usize::MAX;
        // "half a second longer", "1 sec shorter", 多放一秒, 少一秒: a
        // change by that much, to whatever it belongs to.
        if let Some(sign) = relative_sign(low, d) {
            let x = sign * d.secs;
            out.push(if t < p && t < v {
                Edit::TransitionDelta(x)
            } else if v < p && v < t || bare && d.secs >= 10.0 {
                Edit::TotalDelta(x)
            } else {
                Edit::PhotoDelta(x)
            });
            continue;
        }
        // Ties go to the photo: "each photo 2 seconds with fades".
        let e = if (bare && d.secs >= 10.0 || v < p && v < t) && at_most {
            Edit::TotalAtMost(d.secs)
        } else if bare && d.secs >= 10.0 {
            Edit::TotalSeconds(d.secs)
        } else if t < p && t < v {
            Edit::TransitionSeconds(d.secs)
        } else if v < p && v < t {
            Edit::TotalSeconds(d.secs)
        } else {
            Edit::PhotoSeconds(d.secs)
        };
        out.push(e);
    }
    // "音乐欢快一点", "faster music": the music's mood, not the pacing.
    if !durs.is_empty() || has(low, MUSIC_WORDS) {
        return;
    }
    let slower = has(
        low,
        &[
            "slower",
            "too fast",
            "too quick",
            "rushed",
            "hurried",
            "abrupt",
            "harsh",
            "too sudden",
            "生硬",
            "太突然",
            "too short",
            "can't keep up",
            "太赶",
            "太短",
            "看不清",
            "太快",
            "slow down",
            "slow it down",
            "longer",
            "more time",
            "linger",
            "慢一点",
            "慢一些",
            "慢点",
            "慢些",
            "放慢",
            "更慢",
            "再慢",
            "长一点",
            "长一些",
        ],
    );
    let faster = has(
        low,
        &[
            "faster",
            "too slow",
            "drags",
            "dragging",
            "too long",
            "太长",
            "拖沓",
            "太拖",
            "太慢",
            "speed up",
            "speed it up",
            "quicker",
            "shorter",
            "less time",
            "snappier",
            "快一点",
            "快一些",
            "快点",
            "快些",
            "加快",
            "更快",
            "再快",
            "短一点",
            "短一些",
        ],
    );
    let about_transitions = !trans.is_empty();
    match (slower, faster, about_transitions) {
        (true, false, false) => out.push(Edit::Slower),
        (false, true, false) => out.push(Edit::Faster),
        (true, false, true) => out.push(Edit::LongerTransitions),
        (false, true, true) => out.push(Edit::ShorterTransitions),
        _ => {}
    }
}

pub(super) fn ken_burns(low: &str, out: &mut Vec<Edit>) {
    let kws = KB_WORDS;
    let at = find_any(low, kws);
    // "keep them still", "can the pictures just be still?"
    let ends_still = low
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(" please")
        .ends_with("still");
    let Some(&(s, e)) = at.first() else {
        if has(low, STILL) || ends_still {
            out.push(Edit::KenBurns(false));
        }
        return;
    };
    let less = find_any(low, &["less", "fewer", "少一点", "少点"])
        .iter()
        .any(|o| gap(*o, (s, e)) <= 12);
    // "the zoom is making people seasick", "缩放看得我头晕": a complaint
    // about the motion is a wish to stop it.
    let complaint = has(
        low,
        &[
            "cringe",
            "annoying",
            "distracting",
            "seasick",
            "dizzy",
            "nauseous",
            "sick",
            "headache",
            "hate",
            "too much",
            "头晕",
            "晕",
            "难受",
            "烦",
            "受不了",
        ],
    );
    out.push(Edit::KenBurns(!(less || complaint || negated(low, &at))));
}
