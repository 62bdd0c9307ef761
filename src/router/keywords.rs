//! English and Chinese word tables behind keyword routing.
//!
//! Kept apart from the routing logic so the vocabulary can grow without
//! touching the rule. Every table is lowercase. The rule itself (trigger +
//! nothing but frame words + short) is written down in the parent module;
//! these lists only say which words play which part.
//!
//! Invariant (tested): no edit verb or edited object ever appears in a frame
//! list, because frame words are what lets a line stay a local action.

/// A local action that keywords can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Export,
    Credits,
    Status,
    Upload,
    Storyboard,
}

/// The vocabulary of one action.
pub(super) struct ActionWords {
    pub action: Action,
    /// English triggers; each is a sequence of whole words so that
    /// "send me" matches only as a phrase.
    pub en_triggers: &'static [&'static [&'static str]],
    /// English words that may surround this action's trigger.
    pub en_frame: &'static [&'static str],
    /// Chinese triggers, matched as substrings (Chinese has no spaces).
    pub zh_triggers: &'static [&'static str],
    /// Chinese words that may surround this action's trigger.
    pub zh_frame: &'static [&'static str],
}

/// A command is a short utterance; past this many English words the user is
/// describing something, even if every word happens to be innocuous.
pub(super) const MAX_EN_WORDS: usize = 12;

/// Same cap for Chinese, counted in characters (≈ 2 per English word).
pub(super) const MAX_ZH_CHARS: usize = 20;

/// Video extensions: a bare word such as `trip.mp4` is an output path.
pub(super) const VIDEO_EXTENSIONS: &[&str] = &["mp4", "mov", "m4v", "mkv", "webm", "avi", "gif"];

/// Image extensions: `a.jpg` is a path too (an upload line may name a
/// photo), but never an export target, since the export is a video.
pub(super) const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "heic", "heif", "webp", "tif", "tiff", "bmp",
];

/// Politeness, question and pronoun words that carry no request of their own.
/// Apostrophes are removed before lookup, so "what's" arrives as "whats".
pub(super) const SHARED_EN: &[&str] = &[
    "a",
    "ahead",
    "am",
    "an",
    "and",
    "are",
    "can",
    "check",
    "could",
    "current",
    "currently",
    "do",
    "does",
    "get",
    "give",
    "go",
    "hey",
    "hi",
    "how",
    "hows",
    "i",
    "id",
    "im",
    "is",
    "just",
    "let",
    "lets",
    "like",
    "me",
    "my",
    "need",
    "now",
    "ok",
    "okay",
    "please",
    "pls",
    "plz",
    "right",
    "see",
    "show",
    "tell",
    "the",
    "to",
    "want",
    "wanna",
    "what",
    "whats",
    "will",
    "would",
    "you",
];

/// Chinese counterpart of [`SHARED_EN`].
pub(super) const SHARED_ZH: &[&str] = &[
    "我",
    "我的",
    "我要",
    "要",
    "想",
    "想要",
    "请",
    "帮我",
    "帮忙",
    "麻烦",
    "一下",
    "现在",
    "当前",
    "目前",
    "的",
    "吗",
    "呢",
    "吧",
    "了",
    "啊",
    "呀",
    "哦",
    "嗯",
    "给我",
    "看看",
    "看一下",
    "看下",
    "看",
    "查看",
    "查询",
    "查一下",
    "查",
    "显示",
    "是",
    "什么",
    "怎么",
    "怎么样",
    "如何",
    "能",
    "能不能",
    "可以",
    "你",
    "您",
    "还",
    "再",
    "好",
    "一共",
    "都",
];

/// Per-action vocabularies, in no particular order: a line that triggers two
/// actions goes to the chat, so precedence never matters.
pub(super) static ACTIONS: &[ActionWords] = &[
    ActionWords {
        action: Action::Export,
        en_triggers: &[&["export"], &["download"], &["render"], &["send", "me"]],
        en_frame: &[
            "1080p", "1440p", "2160p", "2k", "480p", "4k", "720p", "as", "at", "copy", "file",
            "film", "final", "finished", "for", "format", "full", "gif", "hd", "high", "in",
            "into", "it", "m4v", "mkv", "mov", "movie", "mp4", "one", "out", "quality", "result",
            "so", "that", "this", "uhd", "version", "video", "webm",
        ],
        zh_triggers: &["导出", "下载", "渲染", "发给我", "发我"],
        zh_frame: &[
            "视频",
            "影片",
            "成片",
            "文件",
            "到",
            "为",
            "成",
            "把",
            "它",
            "这个",
            "最终",
            "最终版",
            "高清",
            "格式",
            "版本",
            "出来",
        ],
    },
    ActionWords {
        action: Action::Credits,
        en_triggers: &[&["credits"], &["credit"], &["balance"]],
        en_frame: &[
            "account",
            "any",
            "available",
            "got",
            "have",
            "left",
            "many",
            "much",
            "number",
            "of",
            "remain",
            "remaining",
            "still",
            "there",
            "total",
        ],
        zh_triggers: &["积分", "余额", "点数"],
        zh_frame: &[
            "还有", "还剩", "剩", "剩余", "剩下", "多少", "有", "几", "个", "账户", "可用",
        ],
    },
    ActionWords {
        action: Action::Status,
        en_triggers: &[&["status"], &["tracks"], &["timeline"], &["progress"]],
        en_frame: &[
            "all",
            "edit",
            "it",
            "list",
            "of",
            "on",
            "preview",
            "project",
            "render",
            "rendering",
            "so",
            "far",
            "video",
            "we",
        ],
        zh_triggers: &["状态", "轨道", "时间线", "进度"],
        zh_frame: &["项目", "工程", "视频", "所有", "全部", "渲染"],
    },
    ActionWords {
        action: Action::Upload,
        en_triggers: &[&["upload"]],
        en_frame: &[
            "can", "few", "file", "files", "from", "image", "images", "more", "new", "photo",
            "photos", "pic", "pics", "picture", "pictures", "some", "them", "these", "those",
            "where",
        ],
        zh_triggers: &["上传"],
        zh_frame: &[
            "照片", "图片", "相片", "文件", "素材", "张", "几张", "一些", "些", "更多", "新",
            "新的", "在哪", "哪里",
        ],
    },
    ActionWords {
        action: Action::Storyboard,
        en_triggers: &[&["storyboard"], &["story", "board"]],
        en_frame: &[
            "as", "draw", "of", "open", "picture", "png", "preview", "project", "save", "timeline",
            "to", "video", "view",
        ],
        zh_triggers: &["故事板", "分镜"],
        zh_frame: &[
            "画",
            "画出",
            "生成",
            "时间线",
            "视频",
            "项目",
            "图",
            "图片",
            "保存",
        ],
    },
];
