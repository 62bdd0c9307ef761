//! Wishes about the music: adding, choosing (a mood, the uploaded track),
//! removing, and the volume, absolute or relative.

use super::keywords::{MUSIC_WORDS, VOLUME_WORDS};
use super::negation::negated;
use super::selection::file_names;
use super::Edit;
use crate::server::agent::words::{
    self, durations, find_any, gap, has, numbers, percents, quote_marks,
};
use crate::server::slideshow::Mood;

pub(super) fn music(clause: &str, low: &str, quotes: &[String], out: &mut Vec<Edit>) {
    let music_at = find_any(low, MUSIC_WORDS);
    let about_music = !music_at.is_empty();
    let mute = has(low, &["mute", "silent", "silence", "静音"]);
    let removed = negated(low, &music_at);
    if mute || removed {
        out.push(Edit::NoMusic);
        return;
    }
    // The uploaded audio: "my music", "use song.mp3", "我上传的音乐".
    let audio_name = file_names(low)
        .into_iter()
        .map(|(s, e)| clause[s..e].to_string())
        .chain(
            quote_marks(low)
                .into_iter()
                .filter_map(|(_, _, n)| quotes.get(n).cloned()),
        )
        .find(|n| words::is_audio_name(n));
    let mine = has(
        low,
        &[
            "my music",
            "my song",
            "my own",
            "my audio",
            "my track",
            "uploaded",
            "i uploaded",
            "我的音乐",
            "我的歌",
            "我上传的",
            "上传的",
            "自己的音乐",
        ],
    ) && about_music;
    if audio_name.is_some() || mine {
        out.push(Edit::MusicUpload(audio_name));
    } else if let Some(m) = mood(low, about_music) {
        out.push(Edit::MusicMood(m));
    }
    // Volume: "volume 50%", "music at 60%", "音量50%", "volume to 40".
    let vol_at = find_any(low, VOLUME_WORDS);
    // "turn the music up / down"
    let turned = has(low, &["turn", "turned"]) && (about_music || !vol_at.is_empty());
    let turned_up = turned && has(low, &["up"]);
    let turned_down = turned && has(low, &["down"]);
    let pct = percents(low);
    // A set: a lookup per number keeps a long clause linear.
    let dur_starts: std::collections::HashSet<usize> =
        durations(low).iter().map(|d| d.start).collect();
    let level = pct
        .first()
        .filter(|_| about_music || !vol_at.is_empty())
        .copied()
        .or_else(|| {
            let v = vol_at.first()?;
            numbers(low)
                .into_iter()
                .filter(|n| !dur_starts.contains(&n.start))
                .filter(|n| gap(*v, (n.start, n.end)) <= 12)
                .min_by_key(|n| gap(*v, (n.start, n.end)))
        })
        .or_else(|| {
            // "lower the music to 50", "turn the music up to 90", "could
            // the music be at about half", 音乐调到60: a level after "to"/"at".
            if !about_music {
                return None;
            }
            numbers(low)
                .into_iter()
                .filter(|n| !dur_starts.contains(&n.start))
                .find(|n| {
                    let head = low[..n.start].trim_end();
                    let head = [
                        "about", "around", "roughly", "maybe", "like", "大概", "大约",
                    ]
                    .iter()
                    .find_map(|w| head.strip_suffix(w))
                    .unwrap_or(head)
                    .trim_end();
                    ["at", "to", "调到", "开到", "降到", "减到", "调成", "到"]
                        .iter()
                        .any(|w| head.ends_with(w))
                })
        });
    // "too quiet, turn it up", "bump up the music", "太吵了".
    let up = has(
        low,
        &[
            "too quiet",
            "too soft",
            "too low",
            "can't hear",
            "cannot hear",
            "bump up",
            "bump it up",
            "crank",
            "pump up",
            "turn it up",
            "太小声",
            "太小了",
            "听不见",
            "听不清",
        ],
    );
    let down = has(
        low,
        &[
            "too loud",
            "too much music",
            "drowns",
            "turn it down",
            "tone it down",
            "太吵",
            "太大声",
            "太响",
            "太大了",
        ],
    );
    let volume_talk = about_music || !vol_at.is_empty();
    if volume_talk
        && has(
            low,
            &[
                "减半",
                "halve",
                "half as loud",
                "in half",
                "half the volume",
                "by half",
                "小一半",
                "降一半",
                "减一半",
                "调小一半",
            ],
        )
    {
        out.push(Edit::VolumeTimes(0.5));
    } else if volume_talk && has(low, &["double", "twice as loud", "加倍", "翻倍"]) {
        out.push(Edit::VolumeTimes(2.0));
    } else if volume_talk
        && has(
            low,
            &[
                "最大",
                "max volume",
                "volume to max",
                "volume max",
                "maximum volume",
                "to the max",
                "max it",
                "full volume",
                "full blast",
                "all the way up",
                "拉满",
                "开满",
                "最响",
            ],
        )
    {
        out.push(Edit::MusicVolume(100));
    } else if let Some(n) = level {
        // "half volume", "volume 0.3": a fraction of the full level.
        let v = if n.value > 0.0 && n.value < 1.0 {
            n.value * 100.0
        } else {
            n.value
        };
        out.push(Edit::MusicVolume(v.max(0.0).round() as u32));
    } else if up && !down {
        out.push(Edit::Louder);
    } else if down && !up {
        out.push(Edit::Quieter);
    } else if has(
        low,
        &[
            "louder",
            "turn up",
            "turn it up",
            "more volume",
            "increase the volume",
            "raise the volume",
            "volume up",
            "大声",
            "调大",
            "响一点",
            "提高音量",
            "增大音量",
            "大一点",
            "大点",
        ],
    ) && (about_music || !vol_at.is_empty() || has(low, &["louder", "大声"]))
        || turned_up
    {
        out.push(Edit::Louder);
    } else if has(
        low,
        &[
            "quieter",
            "softer",
            "turn down",
            "turn it down",
            "lower the volume",
            "lower the music",
            "less loud",
            "decrease the volume",
            "volume down",
            "小声",
            "调小",
            "轻一点",
            "降低音量",
            "减小音量",
            "小一点",
            "小点",
        ],
    ) && (about_music || !vol_at.is_empty() || has(low, &["quieter", "小声"]))
        || turned_down
    {
        out.push(Edit::Quieter);
    } else if about_music
        && !out.iter().any(|e| {
            matches!(
                e,
                Edit::MusicUpload(_) | Edit::MusicMood(_) | Edit::MusicVolume(_)
            )
        })
    {
        out.push(Edit::Music);
    }
}

pub(super) fn mood(low: &str, about_music: bool) -> Option<Mood> {
    // Words that name a mood only when music is the subject ("calm
    // music"), and words that always do ("lo-fi").
    let table: &[(Mood, &[&str], &[&str])] = &[
        (
            Mood::LoFi,
            &["lo-fi", "lofi", "lo fi", "chillhop", "低保真"],
            &["chill", "chilled", "mellow"],
        ),
        (
            Mood::Upbeat,
            &["upbeat", "欢快", "动感", "活泼", "轻快"],
            &[
                "happy",
                "energetic",
                "cheerful",
                "fun",
                "lively",
                "exciting",
                "快乐",
                "激昂",
                "热闹",
                "energy",
                "more energy",
                "party",
                "hype",
                "livelier",
                "dull",
                "boring",
                "sleepy",
                "燃",
                "嗨",
                "带劲",
                "有活力",
                "热血",
                "激情",
                "沉闷",
                "无聊",
                "欢乐",
            ],
        ),
        (
            Mood::Calm,
            &["舒缓"],
            &[
                "calm", "relaxing", "relaxed", "gentle", "soft", "peaceful", "ambient", "soothing",
                "轻柔", "平静", "安静", "柔和", "放松", "抒情", "轻松",
            ],
        ),
    ];
    table.iter().find_map(|(m, always, with_music)| {
        (has(low, always) || (about_music && has(low, with_music))).then_some(*m)
    })
}
