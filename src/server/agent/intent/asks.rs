//! Wishes too vague to carry out without guessing ("change the music",
//! "make it 5"): the question the agent asks back instead.

use super::clauses::filler;
use super::keywords::{MUSIC_WORDS, TRANSITION_NOUNS, VOLUME_WORDS};
use super::Ask;
use crate::server::agent::words::{durations, has, numbers, percents};

/// A wish that names what to change but not how ("change the
/// transition", 换个音乐, "adjust the volume", "change the title", "make it
/// 5"): the question to ask back.
pub(super) fn vague(low: &str) -> Option<Ask> {
    let change = has(
        low,
        &[
            "change",
            "switch",
            "different",
            "another",
            "new",
            "other",
            "adjust",
            "edit",
            "fix",
            "换",
            "改",
            "调",
            "别的",
            "其他",
        ],
    );
    if change && has(low, TRANSITION_NOUNS) {
        return Some(Ask::WhichTransition);
    }
    if change && (has(low, VOLUME_WORDS) || has(low, &["音量", "声音"])) {
        return Some(Ask::WhichVolume);
    }
    if change && has(low, MUSIC_WORDS) {
        return Some(Ask::WhichMusic);
    }
    let adds = has(low, &["add", "put", "加", "加个", "加上"]);
    if (change || adds) && has(low, &["title", "heading", "标题", "片名"]) {
        return Some(Ask::TitleText);
    }
    // "change the text": which one, to what?
    if change && has(low, &["text", "words", "wording", "文字", "字"]) {
        return Some(Ask::TitleText);
    }
    // "调整一下顺序", "change the order": which photo goes where?
    if change && has(low, &["order", "sequence", "顺序", "排序"]) {
        return Some(Ask::WhichPhoto);
    }
    // "把它挪到前面去", "move it to the front" with nothing before to say
    // what "it" is.
    if has(low, &["move", "移到", "挪到", "放到", "挪", "移"])
        && has(low, &["it", "它", "this one", "that one"])
    {
        return Some(Ask::WhichPhoto);
    }
    // "make it 5", "set it to 3": a number with no unit and nothing named.
    let nums = numbers(low);
    if let [n] = nums.as_slice() {
        let verb = has(
            low,
            &["make", "set", "change", "改成", "设成", "弄成", "调成"],
        );
        let unit = !durations(low).is_empty() || !percents(low).is_empty();
        let rest = low[n.end..].trim();
        if verb && !unit && (rest.is_empty() || filler(rest)) && n.value > 0.0 {
            return Some(Ask::Unit(n.value));
        }
    }
    None
}
