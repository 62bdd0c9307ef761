//! Where a rewrite may start: the trigger words (English and Chinese GUI
//! verbs and a few noun phrases) and the check that one stands at a given
//! place as a whole word. Apart because rule 1 of the module doc lives here
//! and nothing else does.

/// What kind of phrase a trigger starts; decides which object rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
/// [`TextFilter`](super::TextFilter) holds text back from the first (possible) match, so everything before it is
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
pub(super) enum TMatch {
    /// A trigger of this kind ends at this byte offset; `bool` = `-ing` form.
    Full(Kind, usize, bool),
    /// The text ends while it could still become a trigger (only when not `complete`).
    Partial,
    None,
}

/// Characters that continue an English word; a trigger must not be glued to them
/// ("opened", "clicks", "re-open" are not triggers).
pub(super) fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !is_cjk(c)) || c == '-' || c == '_'
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

pub(super) fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Looks for the longest trigger starting at byte `q`. With `complete == false` the text may
/// still grow (streaming), so a trigger cut off by the end of the text, or a whole English
/// trigger whose word boundary has not arrived yet, is only [`TMatch::Partial`].
pub(super) fn trigger_at(s: &str, q: usize, complete: bool) -> TMatch {
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
