//! The words several kinds of wish share (undo, make, remove, the photo
//! nouns, the targets a wish can be about, ...) and the word-start test
//! they are matched with. Kept in one place because a missed word in one
//! list is a missed wish in several files.

pub(super) const UNDO: &[&str] = &[
    "undo",
    "revert",
    "go back",
    "take that back",
    "change it back",
    "put it back",
    "撤销",
    "撤回",
    "上一步",
    "恢复原样",
    "还原",
];

pub(super) const MAKE: &[&str] = &[
    "video",
    "vid",
    "film",
    "movie",
    "slideshow",
    "slide show",
    "montage",
    "turn these",
    "make these",
    "turn them",
    "turn my",
    "convert",
    "create",
    "视频",
    "幻灯片",
    "影片",
    "短片",
    "做成",
    "制作",
    "生成",
];

/// Words that undo a wish about the target that follows them ("no music",
/// "I don't want any zooming", "get rid of the title", 不要转场): see
/// [`negated`](super::negation::negated).
pub(super) const REMOVE: &[&str] = &[
    "remove",
    "delete",
    "drop",
    "cut",
    "take out",
    "take away",
    "get rid of",
    "lose",
    "ditch",
    "scrap",
    "kill",
    "no",
    "without",
    "clear",
    "turn off",
    "switch off",
    "disable",
    "stop",
    "skip",
    "don't want",
    "dont want",
    "not want",
    "not need",
    "no want",
    "do not want",
    "don't need",
    "dont need",
    "do not need",
    "don't use",
    "do not use",
    "no need for",
    "去掉",
    "去除",
    "删除",
    "删掉",
    "不要",
    "不想要",
    "不需要",
    "不用",
    "取消",
    "移除",
    "拿掉",
    "撤掉",
    "关闭",
    "关掉",
    "停止",
    "没有",
    "别",
    "无",
];

pub(super) const PHOTO_NOUNS: &[&str] = &[
    "photo",
    "photos",
    "picture",
    "pictures",
    "image",
    "images",
    "pic",
    "pics",
    "slide",
    "slides",
    "shot",
    "shots",
    "snap",
    "snaps",
    "frame",
    "frames",
    "photograph",
    "photographs",
    "one",
];

pub(super) const ORDINALS: &[(&str, usize)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
];

pub(super) const TRANSITION_WORDS: &[&str] = &[
    "transition",
    "transitions",
    "crossfade",
    "crossfades",
    "fade",
    "fades",
    "wipe",
    "wipes",
    "dissolve",
    "转场",
    "过渡",
    "淡入淡出",
    "交叉淡化",
    "擦除",
    "滑动",
    "黑场",
];

pub(super) const PER_PHOTO_WORDS: &[&str] = &[
    "photo", "photos", "picture", "pictures", "image", "images", "pic", "pics", "slide", "slides",
    "each", "per", "every", "照片", "图片", "每张", "张", "每幅", "每个",
];

pub(super) const TOTAL_WORDS: &[&str] = &[
    "video",
    "long",
    "total",
    "in all",
    "whole",
    "entire",
    "overall",
    "altogether",
    "总长",
    "总共",
    "一共",
    "视频",
    "整个",
    "全长",
    "整体",
    "总时长",
    "总时间",
    "全片",
];

pub(super) const MUSIC_WORDS: &[&str] = &[
    "music",
    "song",
    "track",
    "bgm",
    "soundtrack",
    "tune",
    "audio",
    "background music",
    "音乐",
    "配乐",
    "背景乐",
    "歌",
    "曲",
];

pub(super) const VOLUME_WORDS: &[&str] = &["volume", "vol", "loudness", "level", "音量"];

/// Every word that names something a wish can be about (the text keys,
/// the music, its volume, the transitions, the motion), for [`negated`](super::negation::negated)
/// and the topic a clause leaves for the next: one list made of the others.
pub(super) static ALL_TARGETS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        [
            TITLE_KEYS,
            CLOSING_KEYS,
            MUSIC_WORDS,
            VOLUME_WORDS,
            TRANSITION_NOUNS,
            KB_WORDS,
            &[
                "opening",
                "opening text",
                "credits",
                "sign off",
                "end card",
                "caption",
            ],
        ]
        .concat()
    });

/// The nouns that name the transitions themselves (not one kind).
pub(super) const TRANSITION_NOUNS: &[&str] =
    &["transition", "transitions", "转场", "过渡", "过渡效果"];

/// Ken Burns: the motion on the photos.
pub(super) const KB_WORDS: &[&str] = &[
    "ken burns",
    "ken-burns",
    "kenburns",
    "zoom",
    "zooming",
    "zooms",
    "zoom in",
    "pan and zoom",
    "pan",
    "pans",
    "panning",
    "motion",
    "movement",
    "moving",
    "animation",
    "animations",
    "animated",
    "肯伯恩斯",
    "肯·伯恩斯",
    "缩放",
    "推拉",
    "运镜",
    "动态效果",
    "动效",
    "动画",
    "镜头移动",
    "移动效果",
    "放大缩小",
    "忽大忽小",
    "一直在动",
    "晃来晃去",
    "动来动去",
];

/// Photos that do not move: Ken Burns off.
pub(super) const STILL: &[&str] = &[
    "static",
    "still photos",
    "sit still",
    "keep still",
    "stay still",
    "stand still",
    "photos still",
    "pictures still",
    "images still",
    "hold still",
    "not move",
    "don't move",
    "dont move",
    "stop moving",
    "静态",
    "静止",
    "照片不动",
    "别动",
    "不要动",
    "不动",
];
/// Keys the title follows after a colon or "to": "title: …", "change the
/// heading to …". [`DIRECT_KEYS`] name it too.
pub(super) const TITLE_KEYS: &[&str] = &[
    "title",
    "heading",
    "headline",
    "caption",
    "opening text",
    "intro text",
    "at the start",
    "at the beginning",
    "in the beginning",
    "in the start",
    "begin with",
    "begins with",
    "start with",
    "starts with",
    "open with",
    "opens with",
    "intro",
    "视频开头",
    "开场文字",
    "开场白",
    "开场",
    "起个名字",
    "起名",
    "取名",
    "命名为",
    "名字",
    "opening title",
    "the name",
    "video name",
    "name of the video",
    "标题",
    "片名",
    "题目",
    "开头文字",
    "片头文字",
    "片头",
    "开头",
];

/// Chinese keys the text follows directly, with no mark between:
/// "最后加一句 我们的夏天".
pub(super) const DIRECT_ZH: &[&str] = &[
    "最后加一句",
    "最后加上",
    "最后写上",
    "最后显示",
    "开头加一句",
    "开头写上",
    "开头加上",
    "名字叫",
];

/// Keys the text follows directly: "name it Summer 2026".
pub(super) const DIRECT_KEYS: &[&str] = &[
    "titled",
    "called",
    "named",
    "call it",
    "name it",
    "call the video",
    "name the video",
    "call the slideshow",
    "rename it",
    "rename the video",
    "rename",
    "entitle the film",
    "entitle the video",
    "entitle it",
    "entitle",
    "name the slideshow",
    "title it",
    "caption it",
    "label it",
    "call this",
    "name this",
    "title this",
];

pub(super) const CLOSING_KEYS: &[&str] = &[
    "closing text",
    "closing",
    "ending",
    "ending text",
    "end card",
    "end text",
    "end with",
    "end it with",
    "finish with",
    "finish it with",
    "at the end",
    "last text",
    "final text",
    "视频最后",
    "最后那行字",
    "最后那句话",
    "最后那句",
    "最后一行",
    "最后的字",
    "最后的文字",
    "last line",
    "final line",
    "closing line",
    "ending line",
    "last words",
    "final words",
    "closing words",
    "ending words",
    "end line",
    "credits",
    "end credits",
    "sign off",
    "signoff",
    "sign-off",
    "片子最后",
    "最后加一句",
    "最后加上",
    "最后写上",
    "最后显示",
    "结束时",
    "outro",
    "credits text",
    "结尾文字",
    "结尾字幕",
    "片尾文字",
    "片尾",
    "结尾",
];

/// Text keys that are also places in the photo order ("put the cat at the
/// start"): they do not stop [`name_photos`](super::photos::name_photos).
pub(super) const POSITION_KEYS: &[&str] = &[
    "at the start",
    "at the beginning",
    "in the beginning",
    "in the start",
    "at the end",
    "开头",
];

pub(super) fn starts_word(s: &str, w: &str) -> bool {
    s.starts_with(w)
        && !(w.as_bytes()[w.len() - 1].is_ascii_alphanumeric()
            && s.as_bytes()
                .get(w.len())
                .is_some_and(u8::is_ascii_alphanumeric))
}
