//! Wishes about the photos themselves: naming a photo by its file name's
//! stem, a new order given as a list, and moving, swapping and removing
//! photos.

use super::keywords::{starts_word, ALL_TARGETS, ORDINALS, PHOTO_NOUNS};
use super::keywords::{CLOSING_KEYS, DIRECT_KEYS, POSITION_KEYS, TITLE_KEYS};
use super::selection::{bare_places, file_names, selections, target};

use super::{Ask, Edit, Sel};
use crate::server::agent::words::{self, find_all, find_any, has};

/// An order given as a list after "order"/"sequence"/顺序 (and a colon,
/// "is", "should be", 改成…): the photos, and the text without the list.
pub(super) fn order_list(
    text: &str,
    quotes: &[String],
    photos: &[String],
) -> Option<(Vec<Sel>, String)> {
    let low = text.to_ascii_lowercase();
    let (_, ke) = find_any(&low, &["order", "sequence", "顺序", "排序"])
        .into_iter()
        .next()?;
    let rest = low[ke..].trim_start();
    let mut from = low.len() - rest.len();
    for w in [
        "please",
        "should be",
        "is",
        "to",
        "will be",
        ":",
        "：",
        "改成",
        "改为",
        "是",
        "为",
    ] {
        let r = low[from..].trim_start();
        if starts_word(r, w) {
            from = low.len() - r.len() + w.len();
        }
    }
    let end = ["\n", ". ", "。"]
        .iter()
        .filter_map(|m| low[from..].find(m).map(|i| from + i))
        .min()
        .unwrap_or(low.len());
    let list = name_photos(&text[from..end], photos);
    let items: Vec<&str> = list
        .split([',', '，', '、', '>', '→'])
        .flat_map(|p| p.split(" then "))
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().trim_end_matches(['.', '。']).trim())
        .filter(|p| !p.is_empty())
        .collect();
    if items.len() < 2 {
        return None;
    }
    let mut order = Vec::new();
    for item in items {
        let l = item.to_ascii_lowercase();
        let sel = if let Ok(k) = l.parse::<usize>() {
            Sel::Nth(k)
        } else if let Some((_, s)) = selections(item, &l, quotes).into_iter().next() {
            s
        } else if let [(_, s)] = bare_places(&l).as_slice() {
            s.clone()
        } else {
            return None;
        };
        order.push(sel);
    }
    let rest = format!("{} {}", &text[..ke.min(end)], &text[end..]);
    // The words before the list ("New order please") are not a wish.
    let head = rest[..ke.min(rest.len())].to_string();
    let rest = if head.split_whitespace().count() <= 3 {
        text[end..].to_string()
    } else {
        rest
    };
    Some((order, rest))
}

/// A clause with the photos it names by their file name's stem ("the dog
/// pic", "remove IMG_2041", 海边那张) written as the file name, so the rest
/// of the grammar reads them like "dog.jpg". Not in a clause that sets a
/// text (the title "海边的回忆" stays as typed), and never a stem that is a
/// word of the editing language ("music.jpg" does not make "add music"
/// name a photo).
pub(super) fn name_photos(clause: &str, photos: &[String]) -> String {
    let low = clause.to_ascii_lowercase();
    let texty = find_any(&low, TITLE_KEYS)
        .iter()
        .chain(&find_any(&low, CLOSING_KEYS))
        .chain(&find_any(&low, DIRECT_KEYS))
        .any(|&(s, e)| !POSITION_KEYS.contains(&&low[s..e]));
    if photos.is_empty() || texty {
        return clause.to_string();
    }
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for name in photos.iter().take(200) {
        let lname = name.to_ascii_lowercase();
        let Some((stem, _)) = lname.rsplit_once('.') else {
            continue;
        };
        let ascii = stem.is_ascii();
        let short = if ascii {
            stem.len() < 3
        } else {
            stem.chars().count() < 2
        };
        if short
            || ALL_TARGETS.contains(&stem)
            || words::is_vocab(stem)
            || stem.parse::<f64>().is_ok()
        {
            continue;
        }
        for (s, e) in find_all(&low, stem) {
            // Already the file name ("dog.jpg"), or part of a longer one.
            if low[e..].starts_with('.') || low[..s].ends_with(['.', '_', '-']) {
                continue;
            }
            // "make it Beach Weekend": a capitalised word next to another is
            // part of a name for the screen, not the photo.
            let capital = |w: Option<&str>| {
                w.and_then(|w| w.chars().next())
                    .is_some_and(|c| c.is_ascii_uppercase())
            };
            let here = capital(Some(&clause[s..e]));
            let next = clause[e..].split_whitespace().next();
            let prev = clause[..s].split_whitespace().last();
            // (A sentence's first word is capitalised anyway: "Remove Beach".)
            let prev_counts = clause[..s].split_whitespace().count() > 1;
            if here && (capital(next) || prev_counts && capital(prev)) {
                continue;
            }
            spans.push((s, e, name));
        }
    }
    if spans.is_empty() {
        return clause.to_string();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(clause.len() + 16);
    let mut at = 0;
    for (s, e, name) in spans {
        if s < at {
            continue;
        }
        out.push_str(&clause[at..s]);
        // Spaces around a name glued to Chinese words: 把 海边.jpg 那张.
        out.push(' ');
        out.push_str(name);
        out.push(' ');
        at = e;
    }
    out.push_str(&clause[at..]);
    out
}

/// Photos named without saying which: "remove a photo", "swap them",
/// "move that one to the end", 删一张, 把那张移到前面.
pub(super) const VAGUE_PHOTOS: &[&str] = &[
    "a photo",
    "a picture",
    "a pic",
    "an image",
    "a slide",
    "one photo",
    "one picture",
    "the photo",
    "the picture",
    "the pic",
    "the image",
    "one of the photos",
    "one of the pictures",
    "some photos",
    "some pictures",
    "that one",
    "this one",
    "that photo",
    "this photo",
    "that picture",
    "this picture",
    "those two",
    "these two",
    "the two",
    "一张",
    "那张",
    "这两张",
    "那两张",
    "这张",
    "某张",
    "几张",
];

const SWAP_VERBS: &[&str] = &[
    "swap",
    "switch",
    "exchange",
    "trade",
    "交换",
    "互换",
    "对调",
    "调换",
    "换一下",
    "换位置",
    "换个位置",
    "调个位置",
    "换一换",
    "换换",
    "对换",
    "换位",
];

/// Verbs that take photos out: "remove photo 2", "a video without the last
/// photo", "skip beach.jpg", 把海边.jpg删了.
const PHOTO_REMOVE: &[&str] = &[
    "remove",
    "delete",
    "drop",
    "cut",
    "take out",
    "take away",
    "get rid of",
    "lose",
    "ditch",
    "without",
    "except",
    "exclude",
    "leave out",
    "skip",
    "删除",
    "删掉",
    "删了",
    "删",
    "去掉",
    "去了",
    "移除",
    "不要",
    "拿掉",
    "除了",
    "yeet",
    "toss",
    "nix",
    "axe",
    "trash",
    "bin",
    "zap",
    "removed",
    "deleted",
    "taken out",
    "doesn't belong",
    "does not belong",
    "shouldn't be in",
    "should not be in",
    "no need for",
];

/// English verbs that move a photo somewhere: "move photo 3 to the front",
/// "the last picture should be second", "beach.jpg goes last".
pub(super) const MOVE_VERBS: &[&str] = &[
    "move",
    "put",
    "place",
    "bring",
    "shift",
    "show",
    "should be",
    "should go",
    "should come",
    "goes",
    "comes",
    "go",
    "come",
    "make",
    "needs to be",
    "has to be",
    "be",
    "start with",
    "begin with",
    "open with",
    "lead with",
];

pub(super) fn photo_op(clause: &str, low: &str, quotes: &[String]) -> Option<Edit> {
    let mut sels = selections(clause, low, quotes);
    // "swap 1st and 2nd", "swap the first and the last": places with no
    // noun after them.
    if sels.len() < 2 && has(low, SWAP_VERBS) {
        let bare = bare_places(low);
        if bare.len() >= 2 {
            sels = bare;
        }
    }
    if sels.is_empty() {
        let verb = has(low, SWAP_VERBS)
            || has(low, PHOTO_REMOVE)
            || has(low, &["take"]) && has(low, &["out"])
            || has(
                low,
                &[
                    "move", "put", "移到", "放到", "挪到", "放在", "放第", "放最",
                ],
            );
        let vague = has(low, VAGUE_PHOTOS) || (has(low, SWAP_VERBS) && has(low, &["them", "它们"]));
        return (verb && vague).then_some(Edit::Ask(Ask::WhichPhoto));
    }
    if has(low, SWAP_VERBS) {
        // "swap 1st and 2nd", "swap the first and the last": places with
        // no noun after them.
        let sels = if sels.len() < 2 {
            bare_places(low)
        } else {
            sels
        };
        if sels.len() < 2 {
            return Some(Edit::Ask(Ask::WhichPhoto));
        }
        let mut it = sels.into_iter().map(|(_, s)| s);
        return Some(Edit::SwapPhotos(it.next()?, it.next()?));
    }
    let move_verb = find_any(
        low,
        &[
            "移到",
            "放到",
            "挪到",
            "调到",
            "放在",
            "移动到",
            "移至",
            "换到",
            "排到",
            "排在",
            "放第",
            "放最",
            "排第",
            "排最",
        ],
    );
    let en_move = has(low, MOVE_VERBS);
    if let Some(&(vs, ve)) = move_verb.first() {
        // 放第一个 / 放最前: the place starts inside the verb.
        let ve = if low[..ve].ends_with('第') || low[..ve].ends_with('最') {
            ve - 3
        } else {
            ve
        };
        let from_at = sels.iter().find(|(p, _)| *p < vs).map(|(p, _)| *p);
        let Some(from) = sels.iter().find(|(p, _)| *p < vs).map(|(_, s)| s.clone()) else {
            // "猫那张放第一个": a photo named by what is in it.
            return has(&low[..vs], VAGUE_PHOTOS).then_some(Edit::Ask(Ask::WhichPhoto));
        };
        let to = target(&low[ve..]).or_else(|| {
            // "把beach.jpg放到海边.jpg后面": next to another photo.
            // A name glued to the verb (放到海边.jpg) starts where it does.
            // …or glued before it (要排在beach.jpg): the next photo named.
            let (at, other) = sels
                .iter()
                .find(|(p, _)| *p >= vs || Some(*p) > from_at && from_at.is_some())?;
            let after = file_names(low)
                .into_iter()
                .find(|(s, _)| s == at)
                .map_or(*at, |(_, e)| e);
            let rest = &low[after..];
            let other = Box::new(other.clone());
            Some(
                if ["后面", "之后", "后边", "后头"]
                    .iter()
                    .any(|w| rest.starts_with(w))
                {
                    Sel::After(other)
                } else if ["前面", "之前", "前边", "前头"]
                    .iter()
                    .any(|w| rest.starts_with(w))
                {
                    Sel::Before(other)
                } else {
                    *other
                },
            )
        })?;
        return Some(Edit::MovePhoto { from, to });
    }
    if let Some(e) = en_move.then(|| en_move_op(low, &sels)).flatten() {
        return Some(e);
    }
    if has(low, PHOTO_REMOVE) {
        return Some(Edit::RemovePhotos(
            sels.into_iter().map(|(_, s)| s).collect(),
        ));
    }
    None
}

/// "move photo 3 to the front", "put beach.jpg first", "the last picture
/// should be second": the first photo named goes where the rest says.
fn en_move_op(low: &str, sels: &[(usize, Sel)]) -> Option<Edit> {
    {
        let (from_at, from) = sels.first()?.clone();
        // "forest.jpg should come before city.png", "put dog.jpg after
        // photo 4": next to another photo.
        for (w, before) in [
            (" before ", true),
            (" b4 ", true),
            (" after ", false),
            (" ahead of ", true),
        ] {
            let Some(cut) = low[from_at..].find(w).map(|i| from_at + i + w.len()) else {
                continue;
            };
            if let Some((_, other)) = sels.iter().find(|(p, _)| *p >= cut) {
                let other = Box::new(other.clone());
                let to = if before {
                    Sel::Before(other)
                } else {
                    Sel::After(other)
                };
                return Some(Edit::MovePhoto { from, to });
            }
        }
        // Not the "to" of "second to last".
        let cut = [" to ", " at ", " into ", " in "]
            .iter()
            .flat_map(|w| {
                low[from_at..]
                    .match_indices(w)
                    .map(move |(i, _)| from_at + i + w.len())
            })
            .filter(|&c| {
                let to_last = ["last", "the last"]
                    .iter()
                    .any(|l| starts_word(&low[c..], l));
                let head = low[..c].trim_end().trim_end_matches(" to").trim_end();
                let ordinal = ORDINALS.iter().any(|(w, _)| head.ends_with(w))
                    || ["nd", "rd", "th"].iter().any(|x| head.ends_with(x));
                !(to_last && ordinal)
            })
            .min();
        let to = match cut {
            Some(cut) => target(&low[cut..])
                .or_else(|| sels.iter().find(|(p, _)| *p >= cut).map(|(_, s)| s.clone())),
            None => None,
        };
        // "put beach.jpg first", "the last picture should be second",
        // "make dog.jpg the first one": the place after the verb.
        let to = to.or_else(|| {
            let (_, ve) = find_any(low, MOVE_VERBS)
                .into_iter()
                .filter(|v| v.0 > from_at)
                .find(|v| !sels.iter().any(|(p, _)| *p >= v.0 && *p < v.1))?;
            let rest = low[ve..].trim_start();
            let rest = rest.strip_prefix("the ").unwrap_or(rest);
            target(rest)
        });
        // "put the dog pic first obv", "put city.png second", "could the
        // beach.jpg photo be last?", "start with forest.jpg": a place word
        // anywhere after the photo.
        let to = to.or_else(|| {
            if has(low, &["start with", "begin with", "open with", "lead with"]) {
                return Some(Sel::Nth(1));
            }
            let after = &low[from_at..];
            after
                .match_indices(' ')
                .map(|(i, _)| &after[i + 1..])
                .find_map(|w| {
                    [
                        "first", "last", "second", "third", "fourth", "fifth", "sixth", "1st",
                        "2nd", "3rd", "4th", "5th", "6th", "opening", "opener", "front", "start",
                        "end",
                    ]
                    .iter()
                    .any(|x| {
                        // "the first photo" names a photo, "the opening
                        // shot" a place.
                        starts_word(w, x)
                            && (x.starts_with("open")
                                || !PHOTO_NOUNS
                                    .iter()
                                    .filter(|n| **n != "one")
                                    .any(|n| starts_word(w[x.len()..].trim_start(), n)))
                    })
                    .then(|| target(w))
                    .flatten()
                })
        })?;
        // "the last two shots should go first", "put photos 4 and 5 first":
        // several photos to the front, in the order named.
        if to == Sel::Nth(1) && sels.len() > 1 {
            return Some(Edit::Order(sels.iter().map(|(_, s)| s.clone()).collect()));
        }
        Some(Edit::MovePhoto { from, to })
    }
}
