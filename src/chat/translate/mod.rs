//! Rewrites the GUI instructions in NemoVideo's replies so they make sense in a terminal.
//!
//! The cloud agent believes its user sits in front of a graphical editor, so its replies say
//! things like "click the Export button" or "打开时间线面板查看". This module rewrites such
//! phrases into what the user can actually do here ("type `export`", "输入 `/status` 查看") and
//! reports which [`GuiAction`]s the caller should perform (show the timeline, show the credits,
//! offer the export, ...). It does no I/O and performs no action itself: showing the timeline,
//! fetching credits or starting an export is left to the caller, which also decides how to print
//! the text and the hints.
//!
//! Two entry points:
//! * [`translate_sentence`] rewrites one complete sentence (or clause);
//! * [`TextFilter`] applies it to a streamed reply (pieces split anywhere) while letting ordinary
//!   text through at once, and drops the backend's trailing "I encountered a temporary issue"
//!   noise message.
//!
//! # When is a phrase a GUI instruction?
//!
//! Rewriting prose by mistake is worse than leaving a GUI hint in place, so the rule is narrow:
//!
//! 1. A rewrite can only start at a *trigger word*: an English GUI verb (click, tap, double-click,
//!    press, hit, select, choose, open, go to, head to, navigate to, switch to, visit, check, view,
//!    preview, watch, look at, drag, drag and drop, drop, and their `-ing` forms), the noun phrases
//!    "Export button" / "Download button", or a Chinese GUI verb (点击, 单击, 双击, 打开, 进入, 前往,
//!    切换到, 转到, 访问, 拖拽, 拖动, 拖入, 拖放, 拖到, 拖进), "在时间线…预览" and "导出按钮". Inflected
//!    forms that only describe ("opened", "clicks", "打开了") never match. Text before the first
//!    trigger is therefore never changed, which is what lets [`TextFilter`] print it at once.
//! 2. The verb must be an instruction to the reader: it is rejected after a determiner or a
//!    subject other than "you" ("the open road", "I'll check", "it will open", "we could drop"),
//!    after a copula ("is open") or a negation ("don't drag"), and in Chinese after 我/已 or
//!    before 了/过. A precondition clause whose target means nothing here ("Once you open the
//!    editor, …") is left alone; the main clause carries the instruction.
//! 3. Verbs that only exist in a GUI (click, tap, drag, 点击, 拖拽) need nothing more. Verbs with an
//!    everyday meaning need a GUI object in their object phrase: a GUI noun (button, panel, tab,
//!    menu, icon, timeline, editor, page, settings, sidebar, toolbar, window, player, upload area,
//!    按钮, 面板, 菜单, 页面, 设置, 时间线, 编辑器, ...). "press"/"hit" also accept a control label
//!    ("hit **Export**") unless it is a keyboard key ("press Enter" is valid in a terminal too);
//!    "drop" also accepts "here" or an upload target. So "open the timeline panel" is GUI, "open
//!    road" is not; "export" in prose is untouched, only "click export"/"Export button"/"导出按钮" are.
//! 4. The rewrite replaces the verb phrase (verb, object, GUI location such as "in the top-right
//!    corner") and keeps everything around it, so it reads naturally after an already printed
//!    prefix: "You can click the Export button to download it." becomes "You can type `export` to
//!    download it.". What the object *is* decides the replacement: export/download → `export`,
//!    account/billing/credits → `/credits`, upload/import → drop file paths into the terminal,
//!    timeline/preview → `/status` (or "see the timeline below" for view verbs); anything else is
//!    an edit the user should ask for in words ("ask me to split the clip", "tell me in words how
//!    to reorder").
//! 5. A sentence that is nothing but a "show me the timeline / credits" instruction ("Open the
//!    timeline panel.") becomes empty: the caller shows that state anyway.
//! 6. Some phrases only raise an action and keep the text: billing/top up/账户/充值 → credits,
//!    "export panel"/"导出设置" → export, "see … in the timeline" → timeline.

/// Something the caller should do instead of the GUI step the backend asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuiAction {
    /// The reply referred to the timeline or the preview: show the timeline summary (`/status`).
    ShowTimeline,
    /// The reply referred to the account, billing or top-ups: show the credit balance.
    ShowCredits,
    /// The reply pointed at an Export/Download control: offer `export` / `/export`.
    OfferExport,
    /// The reply asked for a direct manipulation (drag, click a tool): the user has to describe
    /// the edit in words instead.
    DescribeInWords,
    /// The reply asked to drag files in: the user can drop file paths into the terminal.
    DropFiles,
}

// ---------------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------------

/// What kind of phrase a trigger starts; decides which object rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Inherently GUI verbs: click, tap, double-click.
    Click,
    /// press/hit: need a GUI noun or a control label.
    Press,
    /// select/choose: need a GUI noun.
    Select,
    /// open/go to/switch to/visit: need a GUI noun.
    Open,
    /// check/view/preview/watch/look at: need a GUI noun.
    Look,
    /// drag, drag and drop: inherently GUI.
    Drag,
    /// drop: needs a GUI noun, "here" or an upload target ("drop the intro" is an edit).
    Drop,
    /// "Export button": rewritten in place as a noun.
    ExportNoun,
    ZhClick,
    ZhOpen,
    ZhDrag,
    /// 在时间线(中)预览
    ZhTimeline,
    /// 导出按钮
    ZhExportNoun,
}

/// Every phrase a rewrite can start with. English entries are lowercase ASCII and match whole
/// words case-insensitively; Chinese entries match anywhere (Chinese has no word spaces).
/// [`TextFilter`] holds text back from the first (possible) match, so everything before it is
/// final.
const TRIGGERS: &[(&str, Kind)] = &[
    ("click", Kind::Click),
    ("clicking", Kind::Click),
    ("tap", Kind::Click),
    ("tapping", Kind::Click),
    ("double-click", Kind::Click),
    ("double-clicking", Kind::Click),
    ("right-click", Kind::Click),
    ("right-clicking", Kind::Click),
    ("double-tap", Kind::Click),
    ("press", Kind::Press),
    ("pressing", Kind::Press),
    ("hit", Kind::Press),
    ("hitting", Kind::Press),
    ("select", Kind::Select),
    ("selecting", Kind::Select),
    ("choose", Kind::Select),
    ("choosing", Kind::Select),
    ("open", Kind::Open),
    ("opening", Kind::Open),
    ("go to", Kind::Open),
    ("go over to", Kind::Open),
    ("head to", Kind::Open),
    ("head over to", Kind::Open),
    ("navigate to", Kind::Open),
    ("navigating to", Kind::Open),
    ("switch to", Kind::Open),
    ("switching to", Kind::Open),
    ("visit", Kind::Open),
    ("visiting", Kind::Open),
    ("check", Kind::Look),
    ("checking", Kind::Look),
    ("check out", Kind::Look),
    ("view", Kind::Look),
    ("viewing", Kind::Look),
    ("preview", Kind::Look),
    ("previewing", Kind::Look),
    ("watch", Kind::Look),
    ("watching", Kind::Look),
    ("look at", Kind::Look),
    ("looking at", Kind::Look),
    ("drag and drop", Kind::Drag),
    ("drag & drop", Kind::Drag),
    ("drag-and-drop", Kind::Drag),
    ("drag", Kind::Drag),
    ("dragging", Kind::Drag),
    ("drop", Kind::Drop),
    ("dropping", Kind::Drop),
    ("export button", Kind::ExportNoun),
    ("export icon", Kind::ExportNoun),
    ("download button", Kind::ExportNoun),
    ("点击", Kind::ZhClick),
    ("单击", Kind::ZhClick),
    ("双击", Kind::ZhClick),
    ("轻点", Kind::ZhClick),
    ("轻触", Kind::ZhClick),
    ("打开", Kind::ZhOpen),
    ("进入", Kind::ZhOpen),
    ("前往", Kind::ZhOpen),
    ("切换到", Kind::ZhOpen),
    ("转到", Kind::ZhOpen),
    ("访问", Kind::ZhOpen),
    ("拖拽", Kind::ZhDrag),
    ("拖动", Kind::ZhDrag),
    ("拖入", Kind::ZhDrag),
    ("拖放", Kind::ZhDrag),
    ("拖到", Kind::ZhDrag),
    ("拖进", Kind::ZhDrag),
    ("拖曳", Kind::ZhDrag),
    ("在时间线", Kind::ZhTimeline),
    ("在时间轴", Kind::ZhTimeline),
    ("导出按钮", Kind::ZhExportNoun),
    ("导出图标", Kind::ZhExportNoun),
];

/// Result of looking for a trigger at one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TMatch {
    /// A trigger of this kind ends at this byte offset; `bool` = `-ing` form.
    Full(Kind, usize, bool),
    /// The text ends while it could still become a trigger (only when not `complete`).
    Partial,
    None,
}

/// Characters that continue an English word; a trigger must not be glued to them
/// ("opened", "clicks", "re-open" are not triggers).
fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !is_cjk(c)) || c == '-' || c == '_'
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Looks for the longest trigger starting at byte `q`. With `complete == false` the text may
/// still grow (streaming), so a trigger cut off by the end of the text, or a whole English
/// trigger whose word boundary has not arrived yet, is only [`TMatch::Partial`].
fn trigger_at(s: &str, q: usize, complete: bool) -> TMatch {
    let rest = &s[q..];
    let word_start = s[..q].chars().next_back().is_none_or(|c| !is_word_char(c));
    // Fast path for most positions (a long reply checks every one): each
    // trigger starts with an ASCII letter at a word start, or with a CJK
    // character, so nothing else can match here, not even in part.
    let first = rest.chars().next().map(|c| c.to_ascii_lowercase());
    if let Some(c) = first {
        if c.is_ascii() && !(word_start && c.is_ascii_alphabetic()) {
            return TMatch::None;
        }
    }
    let mut best: Option<(Kind, usize, bool)> = None;
    let mut partial = false;
    for &(t, kind) in TRIGGERS {
        if first.is_some_and(|c| !t.starts_with(c)) {
            continue;
        }
        let ascii = t.is_ascii();
        if ascii && !word_start {
            continue;
        }
        let mut rc = rest.chars();
        let mut cut = false;
        let mut ok = true;
        for tc in t.chars() {
            match rc.next() {
                None => {
                    cut = true;
                    break;
                }
                Some(c) if c.to_ascii_lowercase() == tc => {}
                Some(_) => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        if cut {
            partial |= !complete;
            continue;
        }
        let end = q + t.len();
        if ascii {
            match s[end..].chars().next() {
                Some(c) if is_word_char(c) => continue,
                None if !complete => {
                    partial = true;
                    continue;
                }
                _ => {}
            }
        }
        if best.is_none_or(|b| end > b.1) {
            let gerund = t.split(' ').next().is_some_and(|w| w.ends_with("ing"));
            best = Some((kind, end, gerund));
        }
    }
    match best {
        Some((k, e, g)) => TMatch::Full(k, e, g),
        None if partial => TMatch::Partial,
        None => TMatch::None,
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists (English)
// ---------------------------------------------------------------------------------------------

const DETS: &str =
    "the a an your this that these those its their our my his her some any each every";
/// Words that end an object phrase (conjunctions, subjects, purpose "to").
const STOP: &str =
    "to and or then now so for when once if before after until while because but as \
    with by you we i which who where again instead yet too also please it's that's \
    you'll you're is are will can";
const PREPS: &str = "in on at from under inside into onto within near beside of over via through \
    between";
const GUI_NOUNS: &str =
    "button buttons panel panels tab tabs menu menus icon icons timeline editor page \
    pages settings sidebar toolbar window dialog popup pop-up modal dashboard screen \
    player dropdown drop-down checkbox toggle slider link storyboard canvas \
    interface dropzone";
/// Words that make a prepositional phrase a GUI location ("in the top-right corner").
const LOCATION: &str =
    "top bottom left right corner top-right top-left bottom-right bottom-left upper \
    lower side header footer preview app";
/// Places files come from or are dropped onto.
const UPLOADISH: &str =
    "upload uploads uploader import computer desktop folder finder explorer dropzone \
    zone chat";
const EXPORT_WORDS: &str = "export download render publish";
const CREDIT_WORDS: &str =
    "account billing credits credit balance subscription pricing wallet upgrade \
    top-up recharge payment payments";
const UPLOAD_WORDS: &str = "upload uploads uploader import media";
const TIMELINE_WORDS: &str = "timeline preview storyboard player play";
const FILE_NOUNS: &str =
    "photo photos image images picture pictures pic pics file files video videos \
    footage media music audio song songs logo asset assets screenshot screenshots";
/// Words saying the files are new to the project ("your photos", "more images").
const OWN: &str = "your more new additional some any other extra";
const REORDER: &str = "order reorder rearrange position positions swap sequence earlier later";
/// Purposes that only need to look at the project, so `/status` really answers them.
const VIEW_VERBS: &str = "review see check view preview watch look inspect verify confirm compare";
/// Objects of a view verb that just mean "the project" ("preview it in the timeline").
const PRONOUNISH: &str =
    "it them this that these those everything all the your result results video final \
    project edit preview cut draft changes";
const KEYS: &str = "enter return space spacebar esc escape tab shift ctrl control cmd command alt \
    option backspace";
/// A trigger right after one of these is not addressed to the reader.
const BLOCK_PREV: &str =
    "the a an this that these those its his her their our my your i we they he she it \
    me us him them one each every no any some is are was were be been being am stay \
    stays remain remains keep keeps left wide fully already don't dont do does did \
    not never i'll we'll it'll they'll he'll she'll i'd we'd let's i've we've i'm \
    we're it's that'll this'll who which that's single mouse extra quick";
const MODALS: &str = "can could should may might must will would shall";
const ADVERBS: &str =
    "also just simply then now easily quickly always still directly first again only \
    instead even next";

// ---------------------------------------------------------------------------------------------
// Word lists (Chinese)
// ---------------------------------------------------------------------------------------------

const ZH_BREAKS: &[char] = &[
    '，', '。', '！', '？', '；', '：', ',', ';', ':', '!', '?', '.', '\n', '、', '（', '）', '(',
    ')',
];
/// Longest first, so "上传区域" wins over "区域"-less prefixes.
const ZH_GUI: &str = "上传区域 标签页 选项卡 侧边栏 工具栏 编辑器 播放器 对话框 上传区 按钮 面板 菜单 页面 设置 时间线 时间轴 窗口 界面 图标 弹窗 链接 入口";
const ZH_EXPORT: &str = "导出 下载 渲染 发布 export download";
const ZH_CREDITS: &str = "账户 账号 充值 余额 积分 订阅 会员 计费 付费 套餐 额度 billing credits";
const ZH_UPLOAD: &str = "上传 导入 素材库 添加素材 添加文件 添加照片 添加图片 upload import";
const ZH_TIMELINE: &str = "时间线 时间轴 预览 播放 timeline preview";
const ZH_LABELS: &str =
    "导出 下载 预览 播放 上传 充值 保存 应用 确定 确认 生成 发布 分享 这里 此处 添加";
/// Words that carry no meaning of their own in an object ("右上角的…按钮").
const ZH_GENERIC: &str = "右上角 左上角 右下角 左下角 上方 下方 顶部 底部 右侧 左侧 上面 下面 这里 此处 这个 一下 该 此 的 上 中 里";
const ZH_VIEW: &str = "查看 预览 检查 浏览 确认 看看 观看 看一下 核对 看";
/// Purpose markers between a GUI step and what it is for ("点击…即可下载").
const ZH_MARKERS: &str = "即可 就可以 就能 便可 可以 进行 然后 并 来 以";
const ZH_FILE: &str = "照片 图片 文件 素材 视频 音频 音乐 图像 相片";
const ZH_UPLOAD_TARGET: &str = "上传 此处 这里 窗口 素材库 导入 对话框";
const ZH_REORDER: &str = "顺序 位置 排序 排列 调整 交换 前面 后面";

/// Word lists are whitespace-separated strings: compact to read and to extend.
fn has(list: &str, w: &str) -> bool {
    list.split_whitespace().any(|x| x == w)
}

/// Some entry of `list` occurs in `t`.
fn mentions(t: &str, list: &str) -> bool {
    list.split_whitespace().any(|w| t.contains(w))
}

// ---------------------------------------------------------------------------------------------
// English tokens
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Tok {
    start: usize,
    end: usize,
    lower: String,
}

/// Latin words (letters, digits, inner hyphens and apostrophes) with their byte ranges.
fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let latin = |c: char| c.is_alphanumeric() && !is_cjk(c);
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !latin(chars[i].1) {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if latin(c) || c == '-' || c == '_' {
                j += 1;
            } else if (c == '\'' || c == '’') && j + 1 < chars.len() && latin(chars[j + 1].1) {
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(s.len(), |&(b, _)| b);
        let lower = s[start..end].to_lowercase().replace('’', "'");
        toks.push(Tok { start, end, lower });
        i = j;
    }
    toks
}

/// Punctuation that separates clauses; an object phrase never crosses it.
fn has_break(gap: &str) -> bool {
    gap.chars().any(|c| {
        matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '.' | '!' | '?' | '\n' | '—' | '–' | '|'
        ) || is_cjk(c)
    })
}

/// Token `i` follows byte offset `from` within the same clause.
fn connected(s: &str, toks: &[Tok], from: usize, i: usize) -> bool {
    i < toks.len() && toks[i].start >= from && !has_break(&s[from..toks[i].start])
}

fn prev_tok(s: &str, toks: &[Tok], i: usize) -> Option<usize> {
    (i > 0 && !has_break(&s[toks[i - 1].end..toks[i].start])).then(|| i - 1)
}

fn skip_adverbs(s: &str, toks: &[Tok], mut p: Option<usize>) -> Option<usize> {
    while let Some(i) = p {
        if !has(ADVERBS, &toks[i].lower) {
            break;
        }
        p = prev_tok(s, toks, i);
    }
    p
}

/// Rule 2 of the module doc: the verb is addressed to the reader.
fn imperative_ok(s: &str, toks: &[Tok], t0: usize) -> bool {
    let Some(i) = skip_adverbs(s, toks, prev_tok(s, toks, t0)) else {
        return true;
    };
    let w = toks[i].lower.as_str();
    if has(BLOCK_PREV, w) {
        return false;
    }
    if has(MODALS, w) {
        // "you can click" is an instruction, "it will open" / "we could drop" are not.
        return match skip_adverbs(s, toks, prev_tok(s, toks, i)) {
            None => true,
            Some(j) => matches!(
                toks[j].lower.as_str(),
                "you" | "please" | "and" | "or" | "then" | "so"
            ),
        };
    }
    true
}

fn ends_np(w: &str) -> bool {
    has(STOP, w) || has(PREPS, w)
}

/// The object of a GUI verb: noun phrase plus the prepositional phrases that name GUI places.
struct Parsed {
    /// Token range of the noun phrase.
    np: (usize, usize),
    /// Byte end of everything consumed (verb, object, GUI locations, closing markup).
    end: usize,
    /// First token after the consumed phrase.
    next: usize,
    /// Lowercase words of the noun phrase and the consumed prepositional phrases.
    words: Vec<String>,
}

const OPENERS: &str = "\"“'‘*`[「『【_";
const CLOSERS: &str = "\"”'’*`]」』】_»";

fn parse_object(s: &str, toks: &[Tok], first: usize, trig: (usize, usize), kind: Kind) -> Parsed {
    let mut i = first;
    let mut end = trig.1;
    if connected(s, toks, end, i) {
        let w = toks[i].lower.as_str();
        if (w == "on" && matches!(kind, Kind::Click | Kind::Press))
            || (w == "up" && kind == Kind::Open)
        {
            end = toks[i].end;
            i += 1;
        }
    }
    let np_start = i;
    while connected(s, toks, end, i) && i - np_start < 8 && !ends_np(&toks[i].lower) {
        end = toks[i].end;
        i += 1;
    }
    let np = (np_start, i);
    let mut words: Vec<String> = toks[np_start..i].iter().map(|t| t.lower.clone()).collect();
    while connected(s, toks, end, i) {
        let w = toks[i].lower.as_str();
        let prep = has(PREPS, w)
            || (w == "to"
                && connected(s, toks, toks[i].end, i + 1)
                && has(DETS, &toks[i + 1].lower));
        if !prep {
            break;
        }
        let j0 = i + 1;
        let mut j = j0;
        let mut e2 = toks[i].end;
        while connected(s, toks, e2, j) && j - j0 < 8 && !ends_np(&toks[j].lower) {
            e2 = toks[j].end;
            j += 1;
        }
        let gui_place = toks[j0..j].iter().any(|t| {
            let w = t.lower.as_str();
            has(GUI_NOUNS, w) || has(LOCATION, w) || has(UPLOADISH, w)
        });
        if j == j0 || !gui_place {
            break;
        }
        words.extend(toks[i..j].iter().map(|t| t.lower.clone()));
        end = e2;
        i = j;
    }
    if s[trig.0..end].contains(|c| OPENERS.contains(c)) {
        while let Some(c) = s[end..].chars().next().filter(|&c| CLOSERS.contains(c)) {
            end += c.len_utf8();
        }
    }
    Parsed {
        np,
        end,
        next: i,
        words,
    }
}

/// "to <verb>" right after the object: the purpose, kept after the replacement.
fn tail_infinitive(s: &str, toks: &[Tok], p: &Parsed) -> Option<String> {
    let mut i = p.next;
    if !connected(s, toks, p.end, i) {
        return None;
    }
    if toks[i].lower == "in"
        && toks.get(i + 1).is_some_and(|t| t.lower == "order")
        && toks.get(i + 2).is_some_and(|t| t.lower == "to")
    {
        i += 2;
    }
    if toks[i].lower != "to" || !connected(s, toks, toks[i].end, i + 1) {
        return None;
    }
    let v = &toks[i + 1].lower;
    if has(DETS, v) || v.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(v.clone())
}

/// The rest of the clause after the object (for "click here to download").
fn tail_words(s: &str, toks: &[Tok], p: &Parsed) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = p.end;
    let mut i = p.next;
    while out.len() < 10 && connected(s, toks, from, i) {
        out.push(toks[i].lower.clone());
        from = toks[i].end;
        i += 1;
    }
    out
}

const SUBORDINATORS: &str = "once after when if before until while as";

/// "once you open …", "after opening …".
fn in_subordinate(s: &str, toks: &[Tok], t0: usize) -> bool {
    let mut p = skip_adverbs(s, toks, prev_tok(s, toks, t0));
    if let Some(i) = p.filter(|&i| toks[i].lower == "you") {
        p = skip_adverbs(s, toks, prev_tok(s, toks, i));
    }
    p.is_some_and(|i| has(SUBORDINATORS, &toks[i].lower))
}

/// "open the Settings menu and turn on captions": the byte offset of "turn", when the verb after
/// "and" is an ordinary edit (not itself a GUI step) that can follow "ask me to".
fn and_verb(s: &str, toks: &[Tok], p: &Parsed) -> Option<usize> {
    let i = p.next;
    if !connected(s, toks, p.end, i)
        || toks[i].lower != "and"
        || !connected(s, toks, toks[i].end, i + 1)
    {
        return None;
    }
    let w = &toks[i + 1];
    let plain = !has(DETS, &w.lower) && !has(STOP, &w.lower) && !has(PREPS, &w.lower);
    let gui = match trigger_at(s, w.start, true) {
        TMatch::Full(kind, end, g) => rewrite_at(s, toks, w.start, end, kind, g).is_some(),
        _ => false,
    };
    (plain && !gui && !w.lower.starts_with(|c: char| c.is_ascii_digit())).then_some(w.start)
}

fn has_gui_noun(words: &[String]) -> bool {
    words.iter().any(|w| has(GUI_NOUNS, w))
        || words.windows(2).any(|p| {
            matches!(p[0].as_str(), "upload" | "drop" | "media")
                && matches!(
                    p[1].as_str(),
                    "area" | "zone" | "box" | "section" | "field" | "library" | "bin"
                )
        })
}

fn is_generic(words: &[String]) -> bool {
    words.iter().all(|w| {
        has(DETS, w)
            || has(GUI_NOUNS, w)
            || has(LOCATION, w)
            || has(PREPS, w)
            || matches!(
                w.as_str(),
                "here" | "there" | "it" | "this" | "that" | "them" | "below" | "above"
            )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Export,
    Credits,
    Upload,
    Timeline,
}

fn en_class(words: &[String]) -> Option<Class> {
    let any = |list: &str| words.iter().any(|w| has(list, w));
    if any(EXPORT_WORDS) {
        Some(Class::Export)
    } else if any(CREDIT_WORDS) {
        Some(Class::Credits)
    } else if any(UPLOAD_WORDS) || (words.iter().any(|w| w == "add") && any(FILE_NOUNS)) {
        Some(Class::Upload)
    } else if any(TIMELINE_WORDS) {
        Some(Class::Timeline)
    } else {
        None
    }
}

/// Original text of the noun phrase without a trailing "here"/"below".
fn np_text<'a>(s: &'a str, toks: &[Tok], np: (usize, usize)) -> Option<&'a str> {
    let (a, mut b) = np;
    while b > a
        && matches!(
            toks[b - 1].lower.as_str(),
            "here" | "there" | "below" | "above"
        )
    {
        b -= 1;
    }
    (b > a).then(|| &s[toks[a].start..toks[b - 1].end])
}

fn gerundize(t: &str) -> String {
    for (base, ing) in [
        ("type ", "typing "),
        ("see ", "seeing "),
        ("drop ", "dropping "),
        ("ask ", "asking "),
        ("tell me to", "telling me to"),
        ("tell ", "telling "),
    ] {
        if let Some(rest) = t.strip_prefix(base) {
            return format!("{ing}{rest}");
        }
    }
    t.to_string()
}

fn capitalize(t: &str) -> String {
    let mut cs = t.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// One replaced span of the original sentence.
#[derive(Debug, Clone)]
struct Rewrite {
    start: usize,
    end: usize,
    text: String,
    action: GuiAction,
    /// The replacement only restates a state the caller shows anyway (timeline, credits).
    vanishable: bool,
}

const DESCRIBE: &str = "tell me in words what you'd like to change";

fn rewrite_en(
    s: &str,
    toks: &[Tok],
    q: usize,
    e: usize,
    kind: Kind,
    gerund: bool,
) -> Option<Rewrite> {
    if kind == Kind::ExportNoun {
        return Some(Rewrite {
            start: q,
            end: e,
            text: "`export` command".into(),
            action: GuiAction::OfferExport,
            vanishable: false,
        });
    }
    let t0 = toks.iter().position(|t| t.start == q)?;
    if !imperative_ok(s, toks, t0) {
        return None;
    }
    let first = toks.iter().position(|t| t.start >= e).unwrap_or(toks.len());
    let p = parse_object(s, toks, first, (q, e), kind);
    let np_words: Vec<&str> = toks[p.np.0..p.np.1]
        .iter()
        .map(|t| t.lower.as_str())
        .collect();
    let np = np_text(s, toks, p.np);
    let gui = has_gui_noun(&p.words);
    let inf = tail_infinitive(s, toks, &p);
    let (end, text, action, vanishable) = if matches!(kind, Kind::Drag | Kind::Drop) {
        let here = p.words.iter().any(|w| w == "here");
        let upload = p.words.iter().any(|w| has(UPLOADISH, w));
        if kind == Kind::Drop && !(gui || here || upload) {
            return None;
        }
        let file_np = np_words.iter().any(|w| has(FILE_NOUNS, w));
        let own = np_words.iter().any(|w| has(OWN, w));
        let reorder = tail_words(s, toks, &p)
            .iter()
            .chain(p.words.iter())
            .any(|w| has(REORDER, w));
        if upload || (file_np && (own || here) && !reorder) {
            let what = match np.map(str::to_lowercase).as_deref() {
                None => "drop the file paths".to_string(),
                Some("them" | "these" | "those") => "drop their file paths".to_string(),
                Some("it" | "this" | "that") => "drop its file path".to_string(),
                Some(n) if n.contains("file") => format!("drop the paths of {}", np.unwrap_or(n)),
                Some(n) => format!("drop the file paths of {}", np.unwrap_or(n)),
            };
            (
                p.end,
                format!("{what} into this terminal"),
                GuiAction::DropFiles,
                false,
            )
        } else if inf.is_some() {
            (
                p.end,
                "tell me in words how".into(),
                GuiAction::DescribeInWords,
                false,
            )
        } else if np.is_none() {
            (p.end, DESCRIBE.into(), GuiAction::DescribeInWords, false)
        } else {
            (
                e,
                "ask me to move".into(),
                GuiAction::DescribeInWords,
                false,
            )
        }
    } else {
        let label = toks[p.np.0..p.np.1].iter().any(|t| {
            s[t.start..].starts_with(|c: char| c.is_uppercase()) && &s[t.start..t.end] != "I"
        }) || s[e..p.end].contains(|c| "\"“'‘*`[「【".contains(c));
        let key = np_words
            .iter()
            .find(|w| !has(DETS, w))
            .is_some_and(|w| has(KEYS, w));
        let needs_object = match kind {
            Kind::Press => !(gui || label) || key,
            Kind::Select | Kind::Open | Kind::Look => !gui,
            _ => false,
        };
        if needs_object {
            return None;
        }
        let mut class = en_class(&p.words);
        if class.is_none() && is_generic(&p.words) {
            class = en_class(&tail_words(s, toks, &p));
        }
        if class == Some(Class::Timeline) && inf.as_deref().is_some_and(|v| !has(VIEW_VERBS, v)) {
            // "open the timeline to trim the intro": an edit, not a look at the state.
            class = None;
        }
        if class.is_none() && in_subordinate(s, toks, t0) {
            // "Once you open the editor, …": a precondition; the main clause says what to do.
            return None;
        }
        let pronounish = np_words.iter().all(|w| has(PRONOUNISH, w));
        let and_verb = (class.is_none() && inf.is_none())
            .then(|| and_verb(s, toks, &p))
            .flatten();
        let (text, action, vanishable): (String, GuiAction, bool) = match class {
            Some(Class::Export) => ("type `export`".into(), GuiAction::OfferExport, false),
            Some(Class::Credits) => ("type `/credits`".into(), GuiAction::ShowCredits, true),
            Some(Class::Upload) => (
                "drop the file paths into this terminal".into(),
                GuiAction::DropFiles,
                false,
            ),
            Some(Class::Timeline) if kind == Kind::Look => match np {
                Some(n) if !pronounish => (
                    format!("see the timeline below for {n}"),
                    GuiAction::ShowTimeline,
                    false,
                ),
                _ => (
                    "see the timeline below".into(),
                    GuiAction::ShowTimeline,
                    true,
                ),
            },
            Some(Class::Timeline) => ("type `/status`".into(), GuiAction::ShowTimeline, true),
            None if and_verb.is_some() => ("ask me to ".into(), GuiAction::DescribeInWords, false),
            None => {
                let confirm = np_words.len() == 1
                    && matches!(
                        np_words[0],
                        "save" | "apply" | "ok" | "confirm" | "done" | "continue" | "submit"
                    );
                let text = match np {
                    _ if inf.is_some() => "ask me".to_string(),
                    _ if confirm => "tell me to go ahead".to_string(),
                    Some(n) if kind == Kind::Select => format!("ask me for {n}"),
                    _ => DESCRIBE.to_string(),
                };
                (text, GuiAction::DescribeInWords, false)
            }
        };
        (and_verb.unwrap_or(p.end), text, action, vanishable)
    };
    let mut text = if gerund { gerundize(&text) } else { text };
    if s[q..].starts_with(|c: char| c.is_uppercase()) {
        text = capitalize(&text);
    }
    Some(Rewrite {
        start: q,
        end,
        text,
        action,
        vanishable,
    })
}

// ---------------------------------------------------------------------------------------------
// Chinese
// ---------------------------------------------------------------------------------------------

fn zh_clause_start(s: &str, q: usize) -> usize {
    s[..q]
        .char_indices()
        .rev()
        .find(|(_, c)| ZH_BREAKS.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn zh_clause_end(s: &str, from: usize) -> usize {
    s[from..]
        .find(|c| ZH_BREAKS.contains(&c))
        .map_or(s.len(), |i| from + i)
}

/// Rule 2 for Chinese: "我已经打开了…" describes, it does not instruct.
fn zh_not_imperative(before: &str, after: &str) -> bool {
    after.starts_with(['了', '过', '着'])
        || before.contains('已')
        || (before.contains('我') && !before.contains('你') && !before.contains('您'))
}

/// The first entry of `list` that `t` starts with (lists put longer entries first).
fn prefix_in(t: &str, list: &'static str) -> Option<&'static str> {
    list.split_whitespace().find(|w| t.starts_with(w))
}

/// First GUI noun within `max_chars` characters of `region`, as a byte range.
fn find_gui_noun(region: &str, max_chars: usize) -> Option<(usize, usize)> {
    region
        .char_indices()
        .take(max_chars)
        .find_map(|(i, _)| prefix_in(&region[i..], ZH_GUI).map(|w| (i, i + w.len())))
}

fn find_marker(t: &str) -> Option<(usize, usize)> {
    t.char_indices()
        .find_map(|(i, _)| prefix_in(&t[i..], ZH_MARKERS).map(|m| (i, m.len())))
}

/// Length of a quoted/bold label at the start of `region` ("“导出”", "**Export**").
fn quoted_label(region: &str) -> Option<usize> {
    let lead = region.len() - region.trim_start().len();
    let t = &region[lead..];
    let open = t.chars().next()?;
    let close = match open {
        '“' => '”',
        '"' => '"',
        '「' => '」',
        '『' => '』',
        '【' => '】',
        '[' => ']',
        '‘' => '’',
        '\'' => '\'',
        '*' => '*',
        '`' => '`',
        _ => return None,
    };
    let run = t.chars().take_while(|&c| c == open).count() * open.len_utf8();
    let inner = &t[run..];
    let at = inner.find(close)?;
    let after = &inner[at..];
    let closing = after.chars().take_while(|&c| c == close).count() * close.len_utf8();
    Some(lead + run + at + closing)
}

/// The object after 点击/打开 inside `region`; returns its byte end and, when a GUI noun is only
/// a location ("时间线上的片段"), the head noun that decides the class.
fn zh_object(region: &str, require_gui: bool) -> Option<(usize, Option<&str>)> {
    if let Some((_, mut b)) = find_gui_noun(region, 16) {
        while let Some(w) = prefix_in(&region[b..], ZH_GUI) {
            b += w.len();
        }
        let r = &region[b..];
        let de = prefix_in(r, "的 上的 中的 里的");
        if let Some(d) = de {
            let after = b + d.len();
            if let Some((_, mut b2)) = find_gui_noun(&region[after..], 12) {
                b2 += after;
                while let Some(w) = prefix_in(&region[b2..], ZH_GUI) {
                    b2 += w.len();
                }
                return Some((b2, None));
            }
            let m = find_marker(&region[after..]).map_or(region.len(), |(i, _)| after + i);
            return Some((m, Some(&region[after..m])));
        }
        return Some((b, None));
    }
    if require_gui {
        return None;
    }
    if let Some(n) = quoted_label(region) {
        return Some((n, None));
    }
    if let Some(w) = prefix_in(region, ZH_LABELS) {
        return Some((w.len(), None));
    }
    let lead = region.len() - region.trim_start().len();
    let word = region[lead..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(region.len() - lead);
    if word > 0 {
        return Some((lead + word, None));
    }
    // An unlabelled object ("双击字幕即可编辑"): up to the purpose marker.
    Some((find_marker(region).map_or(region.len(), |(i, _)| i), None))
}

fn zh_class(t: &str) -> Option<Class> {
    let t = t.to_ascii_lowercase();
    let any = |list: &str| mentions(&t, list);
    if any(ZH_EXPORT) {
        Some(Class::Export)
    } else if any(ZH_CREDITS) {
        Some(Class::Credits)
    } else if any(ZH_UPLOAD) {
        Some(Class::Upload)
    } else if any(ZH_TIMELINE) {
        Some(Class::Timeline)
    } else {
        None
    }
}

fn zh_generic(mut t: &str) -> bool {
    loop {
        t = t.trim_start();
        if t.is_empty() {
            return true;
        }
        match prefix_in(t, ZH_GUI).or_else(|| prefix_in(t, ZH_GENERIC)) {
            Some(w) => t = &t[w.len()..],
            None => return false,
        }
    }
}

/// Splits a leading purpose marker off: "即可下载" → (len of "即可", "下载").
fn strip_marker(t: &str) -> (usize, &str) {
    let lead = t.len() - t.trim_start().len();
    match prefix_in(&t[lead..], ZH_MARKERS) {
        Some(m) => (lead + m.len(), &t[lead + m.len()..]),
        None => (0, t),
    }
}

fn rewrite_zh_click(s: &str, q: usize, e: usize, kind: Kind) -> Option<Rewrite> {
    let before = &s[zh_clause_start(s, q)..q];
    if zh_not_imperative(before, &s[e..]) {
        return None;
    }
    if kind == Kind::ZhClick && s[e..].starts_with(['量', '率', '数']) {
        return None; // 点击量: view counts, not a click
    }
    let mut k = e;
    if s[k..].starts_with("一下") {
        k += "一下".len();
    }
    let ce = zh_clause_end(s, k);
    let (rel, head) = zh_object(&s[k..ce], kind == Kind::ZhOpen)?;
    let mut end = k + rel;
    let obj = &s[e..end];
    let tail = &s[end..ce];
    let mut class = zh_class(head.unwrap_or(obj));
    if class.is_none() && zh_generic(obj) {
        class = zh_class(tail);
    }
    let (mlen, rest) = strip_marker(tail);
    let rest = rest.trim();
    if class == Some(Class::Timeline) && !rest.is_empty() && prefix_in(rest, ZH_VIEW).is_none() {
        class = None;
    }
    if class.is_none() && before.trim().is_empty() && matches!(tail.trim(), "后" | "之后" | "以后")
    {
        // "进入编辑器后，…": a precondition clause with nothing to say here; drop it and its comma.
        let comma = s[ce..].chars().next().filter(|c| matches!(c, '，' | ','));
        return Some(Rewrite {
            start: q,
            end: ce + comma.map_or(0, char::len_utf8),
            text: String::new(),
            action: GuiAction::DescribeInWords,
            vanishable: false,
        });
    }
    let (text, action, vanishable) = match class {
        Some(Class::Export) => ("输入 `export`", GuiAction::OfferExport, false),
        Some(Class::Credits) => ("输入 `/credits`", GuiAction::ShowCredits, true),
        Some(Class::Upload) => ("把文件路径拖入此终端", GuiAction::DropFiles, false),
        Some(Class::Timeline) => ("输入 `/status`", GuiAction::ShowTimeline, true),
        None if !rest.is_empty() => {
            end += mlen;
            ("用文字告诉我想如何", GuiAction::DescribeInWords, false)
        }
        None => ("用文字告诉我想怎么改", GuiAction::DescribeInWords, false),
    };
    Some(Rewrite {
        start: q,
        end,
        text: text.into(),
        action,
        vanishable,
    })
}

fn rewrite_zh_drag(s: &str, q: usize, e: usize) -> Option<Rewrite> {
    let cs = zh_clause_start(s, q);
    let before = &s[cs..q];
    if zh_not_imperative(before, &s[e..]) {
        return None;
    }
    let ce = zh_clause_end(s, e);
    let rest = &s[e..ce];
    let trig = &s[q..e];
    let dir_in_verb = trig.ends_with(['入', '到', '进']);
    let marker = find_marker(rest);
    let upto = marker.map_or(rest.len(), |m| m.0);
    let body = &rest[..upto];
    let (obj, target) = if dir_in_verb {
        ("", body)
    } else {
        match body
            .char_indices()
            .find(|(_, c)| matches!(c, '到' | '至' | '进' | '入' | '在'))
        {
            Some((i, c)) => (&body[..i], &body[i + c.len_utf8()..]),
            None => (body, ""),
        }
    };
    let ctx = format!("{before}{obj}{target}");
    let file = mentions(&ctx, ZH_FILE);
    let upload = mentions(&ctx, ZH_UPLOAD_TARGET);
    let reorder = mentions(&s[cs..ce], ZH_REORDER);
    let has_ba = before.contains(['将', '把']);
    if (file || upload) && !reorder {
        let thing = if !obj.trim().is_empty() {
            obj.trim()
        } else if dir_in_verb && mentions(target, ZH_FILE) {
            target.trim()
        } else {
            ""
        };
        let text = if has_ba {
            "的文件路径拖入此终端".to_string()
        } else if !thing.is_empty() {
            format!("将{thing}的文件路径拖入此终端")
        } else {
            "将文件路径拖入此终端".to_string()
        };
        return Some(Rewrite {
            start: q,
            end: e + upto,
            text,
            action: GuiAction::DropFiles,
            vanishable: false,
        });
    }
    if let Some((mp, ml)) = marker.filter(|_| !has_ba) {
        if !rest[mp + ml..].trim().is_empty() {
            return Some(Rewrite {
                start: q,
                end: e + mp + ml,
                text: "用文字告诉我如何".into(),
                action: GuiAction::DescribeInWords,
                vanishable: false,
            });
        }
    }
    // "将片段拖动到合适的位置" → "将片段移动到合适的位置（用文字告诉我即可）"
    let verb = if trig.ends_with('入') {
        "移入"
    } else if trig.ends_with('到') {
        "移到"
    } else if trig.ends_with('进') {
        "移进"
    } else {
        "移动"
    };
    Some(Rewrite {
        start: q,
        end: ce,
        text: format!("{verb}{rest}（用文字告诉我即可）"),
        action: GuiAction::DescribeInWords,
        vanishable: false,
    })
}

fn rewrite_zh_timeline(s: &str, q: usize, e: usize) -> Option<Rewrite> {
    if zh_not_imperative(&s[zh_clause_start(s, q)..q], "") {
        return None;
    }
    let rest = &s[e..];
    let mut k = 0;
    for list in ["面板 窗口 界面", "中 上 里", "进行"] {
        if let Some(w) = prefix_in(&rest[k..], list) {
            k += w.len();
        }
    }
    let v = prefix_in(&rest[k..], "预览 查看 播放 观看 检查 浏览")?;
    Some(Rewrite {
        start: q,
        end: e + k + v.len(),
        text: "在下方时间线中查看".into(),
        action: GuiAction::ShowTimeline,
        vanishable: true,
    })
}

fn rewrite_at(
    s: &str,
    toks: &[Tok],
    q: usize,
    e: usize,
    kind: Kind,
    gerund: bool,
) -> Option<Rewrite> {
    match kind {
        Kind::ZhClick | Kind::ZhOpen => rewrite_zh_click(s, q, e, kind),
        Kind::ZhDrag => rewrite_zh_drag(s, q, e),
        Kind::ZhTimeline => rewrite_zh_timeline(s, q, e),
        Kind::ZhExportNoun => Some(Rewrite {
            start: q,
            end: e,
            text: "`export` 命令".into(),
            action: GuiAction::OfferExport,
            vanishable: false,
        }),
        _ => rewrite_en(s, toks, q, e, kind, gerund),
    }
}

// ---------------------------------------------------------------------------------------------
// Sentence translation
// ---------------------------------------------------------------------------------------------

/// Phrases that only raise an action; the text stays (rule 6).
const KEYWORD_ACTIONS: &[(&str, GuiAction)] = &[
    ("billing", GuiAction::ShowCredits),
    ("top up", GuiAction::ShowCredits),
    ("top-up", GuiAction::ShowCredits),
    ("recharge", GuiAction::ShowCredits),
    ("out of credits", GuiAction::ShowCredits),
    ("insufficient credits", GuiAction::ShowCredits),
    ("not enough credits", GuiAction::ShowCredits),
    ("credit balance", GuiAction::ShowCredits),
    ("account balance", GuiAction::ShowCredits),
    ("account page", GuiAction::ShowCredits),
    ("account settings", GuiAction::ShowCredits),
    ("账户", GuiAction::ShowCredits),
    ("账号余额", GuiAction::ShowCredits),
    ("充值", GuiAction::ShowCredits),
    ("余额不足", GuiAction::ShowCredits),
    ("积分不足", GuiAction::ShowCredits),
    ("export panel", GuiAction::OfferExport),
    ("export dialog", GuiAction::OfferExport),
    ("export settings", GuiAction::OfferExport),
    ("export menu", GuiAction::OfferExport),
    ("export tab", GuiAction::OfferExport),
    ("export window", GuiAction::OfferExport),
    ("export page", GuiAction::OfferExport),
    ("导出面板", GuiAction::OfferExport),
    ("导出菜单", GuiAction::OfferExport),
    ("导出设置", GuiAction::OfferExport),
    ("导出页面", GuiAction::OfferExport),
    ("导出选项", GuiAction::OfferExport),
    ("导出窗口", GuiAction::OfferExport),
];

/// Finds `kw` in the lowercase `hay`; ASCII keywords only as whole words.
fn find_kw(hay: &str, kw: &str) -> Option<usize> {
    if !kw.is_ascii() {
        return hay.find(kw);
    }
    let mut from = 0;
    while let Some(i) = hay[from..].find(kw) {
        let p = from + i;
        let e = p + kw.len();
        let ok_start = hay[..p]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let ok_end = hay[e..].chars().next().is_none_or(|c| !is_word_char(c));
        if ok_start && ok_end {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

fn keyword_actions(s: &str) -> Vec<(usize, GuiAction)> {
    let lower = s.to_ascii_lowercase();
    let mut v: Vec<(usize, GuiAction)> = KEYWORD_ACTIONS
        .iter()
        .filter_map(|&(kw, a)| find_kw(&lower, kw).map(|p| (p, a)))
        .collect();
    let en_view = ["see", "view", "check", "review", "look", "watch", "preview"]
        .iter()
        .any(|w| find_kw(&lower, w).is_some());
    let zh_view = ["查看", "预览", "看到", "检查", "浏览", "看看"]
        .iter()
        .any(|w| lower.contains(w));
    let place = ["in the timeline", "on the timeline"]
        .iter()
        .filter(|_| en_view)
        .chain(["时间线", "时间轴"].iter().filter(|_| zh_view))
        .find_map(|ph| find_kw(&lower, ph));
    if let Some(p) = place {
        v.push((p, GuiAction::ShowTimeline));
    }
    v
}

/// "A or B" where A and B do the same thing collapses into one replacement.
fn is_connector(gap: &str) -> bool {
    matches!(
        gap.trim().to_ascii_lowercase().as_str(),
        "or" | "and"
            | ", or"
            | ", and"
            | "or just"
            | "or simply"
            | "and then"
            | ", then"
            | "then"
            | "或"
            | "或者"
            | "，或"
            | "，或者"
            | "、"
            | "并"
            | "然后"
            | "，然后"
    )
}

fn find_rewrites(s: &str) -> Vec<Rewrite> {
    let toks = tokenize(s);
    let mut out: Vec<Rewrite> = Vec::new();
    let mut pos = 0;
    for (q, _) in s.char_indices() {
        if q < pos {
            continue;
        }
        let TMatch::Full(kind, end, gerund) = trigger_at(s, q, true) else {
            continue;
        };
        let Some(rw) = rewrite_at(s, &toks, q, end, kind, gerund) else {
            continue;
        };
        pos = rw.end;
        match out.last_mut() {
            Some(prev) if prev.action == rw.action && is_connector(&s[prev.end..rw.start]) => {
                prev.end = rw.end;
                prev.vanishable &= rw.vanishable;
            }
            _ => out.push(rw),
        }
    }
    out
}

/// A space between inline code and adjacent CJK/Latin text ("输入 `export` 即可").
fn needs_space(c: char) -> bool {
    is_ideograph(c) || c.is_ascii_alphanumeric()
}

fn assemble(s: &str, rws: &[Rewrite]) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut last = 0;
    for rw in rws {
        push_after(&mut out, &s[last..rw.start]);
        if rw.text.starts_with('`') && out.chars().next_back().is_some_and(needs_space) {
            out.push(' ');
        }
        out.push_str(&rw.text);
        last = rw.end;
    }
    push_after(&mut out, &s[last..]);
    out
}

fn push_after(out: &mut String, t: &str) {
    if out.ends_with('`') && t.chars().next().is_some_and(needs_space) {
        out.push(' ');
    }
    out.push_str(t);
}

/// Rewrite one complete sentence (or clause). Returns the text to show (may be empty when the
/// whole sentence was only a GUI action) and the actions to perform.
///
/// Text before the first trigger word is returned unchanged (the streaming filter relies on it);
/// a sentence that only asked to look at the timeline or the credits comes back as its leading
/// whitespace, because the caller shows that state anyway. Actions are deduplicated, in order of
/// appearance.
pub fn translate_sentence(sentence: &str) -> (String, Vec<GuiAction>) {
    let rws = find_rewrites(sentence);
    let mut found: Vec<(usize, GuiAction)> = rws.iter().map(|r| (r.start, r.action)).collect();
    found.extend(keyword_actions(sentence));
    found.sort_by_key(|&(p, _)| p);
    let mut actions = Vec::new();
    for (_, a) in found {
        if !actions.contains(&a) {
            actions.push(a);
        }
    }
    if let [rw] = rws.as_slice() {
        let trailing_ok = |c: char| c.is_whitespace() || ".!?。！？…*_`\"'”’)）]】」".contains(c);
        if rw.vanishable
            && sentence[..rw.start].trim().is_empty()
            && sentence[rw.end..].chars().all(trailing_ok)
        {
            return (sentence[..rw.start].to_string(), actions);
        }
    }
    (assemble(sentence, &rws), actions)
}

// ---------------------------------------------------------------------------------------------
// Streaming
// ---------------------------------------------------------------------------------------------

/// Openings of the backend's canned error message (lowercase). After real text it is noise.
const TEMP_ISSUE: &[&str] = &[
    "i encountered a temporary issue",
    "我遇到了一个临时问题",
    "我遇到了临时问题",
    "遇到了一个临时问题",
    "遇到了临时问题",
];

/// Where the current message stands with respect to [`TEMP_ISSUE`].
#[derive(Debug, Default)]
enum Probe {
    /// Not checking (first message, or nothing shown yet, or already diverged).
    #[default]
    Off,
    /// Text of a later message, held while it is still a prefix of the phrase.
    Holding(String),
    /// The message is the noise message: swallow it.
    Dropping,
}

enum Phrase {
    Matched,
    Prefix,
    Diverged,
}

fn probe_phrase(buf: &str) -> Phrase {
    let t = buf.trim_start().to_ascii_lowercase();
    if TEMP_ISSUE.iter().any(|p| t.starts_with(p)) {
        Phrase::Matched
    } else if TEMP_ISSUE.iter().any(|p| p.starts_with(t.as_str())) {
        Phrase::Prefix
    } else {
        Phrase::Diverged
    }
}

/// Streaming wrapper.
///
/// Shows the reply as it arrives: a piece comes back from [`push`](Self::push) at once unless
/// the current sentence has reached a trigger word (or ends with what may become one, like
/// "cli" or "点"). From there the sentence is held until it ends (`. ! ?` followed by a
/// non-alphanumeric character, `。！？`, a newline, a new message or [`finish`](Self::finish)) and
/// is then emitted through [`translate_sentence`]. Because that function never changes text
/// before the first trigger, the concatenated output equals translating each whole sentence.
///
/// It also drops the backend's trailing "I encountered a temporary issue" message when real text
/// was already shown in the turn. Use one filter per turn.
#[derive(Debug, Default)]
pub struct TextFilter {
    actions: Vec<GuiAction>,
    said: bool,
    /// Text produced by `new_message` (which returns nothing), handed out by the next call.
    pending_out: String,
    /// Whitespace at the end of everything emitted so far.
    tail_ws: String,
    probe: Probe,
    /// The current sentence, raw.
    sentence: String,
    /// Bytes of `sentence` already emitted (always before any trigger).
    emitted: usize,
    /// A complete trigger starts here: hold to the end of the sentence.
    hold_from: Option<usize>,
    /// The sentence ended in `.`/`!`/`?`; the next character decides whether it is over.
    pending_term: bool,
    /// `. ! ?` only end a sentence with letters ("1." in a list does not).
    has_letter: bool,
    /// Whitespace after a sentence that vanished entirely, not yet emitted.
    vanish_ws: Option<String>,
}

impl TextFilter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new model message starts within the same turn (the caller knows from the event stream).
    ///
    /// Ends the previous message's unfinished sentence (its text comes out of the next `push` or
    /// `finish`) and, when text was already shown, starts watching for the noise message.
    pub fn new_message(&mut self) {
        let mut out = std::mem::take(&mut self.pending_out);
        self.flush_message(&mut out);
        self.pending_out = out;
        self.probe = if self.said {
            Probe::Holding(String::new())
        } else {
            Probe::Off
        };
    }

    /// Feed a piece; returns the text that is safe to show now.
    pub fn push(&mut self, piece: &str) -> String {
        let mut out = std::mem::take(&mut self.pending_out);
        let released;
        let text = match &mut self.probe {
            Probe::Dropping => return out,
            Probe::Off => piece,
            Probe::Holding(buf) => {
                buf.push_str(piece);
                match probe_phrase(buf) {
                    Phrase::Matched => {
                        self.probe = Probe::Dropping;
                        return out;
                    }
                    Phrase::Prefix => return out,
                    Phrase::Diverged => {
                        released = std::mem::take(buf);
                        self.probe = Probe::Off;
                        released.as_str()
                    }
                }
            }
        };
        self.feed(text, &mut out);
        out
    }

    /// The turn ended: flush everything held back.
    pub fn finish(&mut self) -> String {
        let mut out = std::mem::take(&mut self.pending_out);
        self.flush_message(&mut out);
        self.vanish_ws = None;
        out
    }

    /// Deduplicated actions collected so far, in first-seen order.
    pub fn actions(&self) -> Vec<GuiAction> {
        self.actions.clone()
    }

    /// True when any text has been shown in this turn.
    ///
    /// Counts visible (non-whitespace) text, including text already queued for the next call.
    pub fn said_anything(&self) -> bool {
        self.said
    }

    fn flush_message(&mut self, out: &mut String) {
        if let Probe::Holding(buf) = std::mem::take(&mut self.probe) {
            // Never became the noise phrase: it is ordinary text.
            self.feed(&buf, out);
        }
        self.end_sentence(out);
    }

    fn feed(&mut self, text: &str, out: &mut String) {
        for c in text.chars() {
            self.feed_char(c, out);
        }
        self.release(out);
    }

    fn feed_char(&mut self, c: char, out: &mut String) {
        if self.pending_term {
            if matches!(c, '.' | '!' | '?') {
                self.sentence.push(c);
                return;
            }
            self.pending_term = false;
            if !c.is_alphanumeric() {
                self.end_sentence(out);
            }
        }
        if let Some(ws) = self.vanish_ws.as_mut() {
            if c.is_whitespace() {
                ws.push(c);
                return;
            }
            let ws = self.vanish_ws.take().unwrap_or_default();
            self.emit_separator(&ws, out);
        }
        self.sentence.push(c);
        self.has_letter |= c.is_alphabetic();
        match c {
            '\n' | '。' | '！' | '？' => self.end_sentence(out),
            '.' | '!' | '?' if self.has_letter => self.pending_term = true,
            _ => {}
        }
    }

    /// Emits the sentence up to the hold point.
    fn release(&mut self, out: &mut String) {
        let hold = self.hold_point();
        if hold > self.emitted {
            let text = self.sentence[self.emitted..hold].to_string();
            self.emit(&text, out);
            self.emitted = hold;
        }
    }

    fn hold_point(&mut self) -> usize {
        if let Some(h) = self.hold_from {
            return h;
        }
        for (i, _) in self.sentence[self.emitted..].char_indices() {
            let q = self.emitted + i;
            match trigger_at(&self.sentence, q, false) {
                TMatch::Full(..) => {
                    self.hold_from = Some(q);
                    return q;
                }
                TMatch::Partial => return q,
                TMatch::None => {}
            }
        }
        self.sentence.len()
    }

    fn end_sentence(&mut self, out: &mut String) {
        self.pending_term = false;
        if self.sentence.is_empty() {
            return;
        }
        let sentence = std::mem::take(&mut self.sentence);
        let emitted = std::mem::take(&mut self.emitted);
        self.hold_from = None;
        self.has_letter = false;
        let (text, actions) = translate_sentence(&sentence);
        for a in actions {
            if !self.actions.contains(&a) {
                self.actions.push(a);
            }
        }
        // translate_sentence keeps the text before the first trigger; should that ever fail,
        // show the original rather than repeat or garble what is already on screen.
        let rest = match text.strip_prefix(&sentence[..emitted]) {
            Some(r) => r,
            None => &sentence[emitted..],
        };
        self.emit(rest, out);
        if text.trim().is_empty() && !sentence.trim().is_empty() {
            let body = sentence.trim_end().len();
            self.vanish_ws = Some(sentence[body..].to_string());
        }
    }

    /// After a sentence vanished, print only as much of the whitespace that followed it as is
    /// needed to keep paragraphs apart, so no blank lines or double spaces are left behind.
    fn emit_separator(&mut self, ws: &str, out: &mut String) {
        if !self.said {
            return;
        }
        let have = self.tail_ws.matches('\n').count();
        let want = ws.matches('\n').count();
        if self.tail_ws.is_empty() {
            self.emit(ws, out);
        } else if want > have {
            let from = match have {
                0 => 0,
                n => ws.match_indices('\n').nth(n - 1).map_or(0, |(i, _)| i + 1),
            };
            self.emit(&ws[from..], out);
        }
    }

    fn emit(&mut self, s: &str, out: &mut String) {
        if s.is_empty() {
            return;
        }
        out.push_str(s);
        match s.char_indices().rev().find(|(_, c)| !c.is_whitespace()) {
            Some((i, c)) => {
                self.said = true;
                self.tail_ws = s[i + c.len_utf8()..].to_string();
            }
            None => self.tail_ws.push_str(s),
        }
    }
}

#[cfg(test)]
mod tests;
