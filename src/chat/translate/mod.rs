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
//!
//! The rules live in one file each: `triggers.rs` (rule 1), `vocab.rs` (the word lists),
//! `english.rs` and `chinese.rs` (rules 2 to 5 per language) and `filter.rs` (the streamed
//! reply); this file finds the rewrites in a sentence and puts it back together.

use chinese::{rewrite_zh_click, rewrite_zh_drag, rewrite_zh_timeline};
use english::{rewrite_en, tokenize, Tok};
use triggers::{is_ideograph, is_word_char, trigger_at, Kind, TMatch};

mod chinese;
mod english;
mod filter;
mod triggers;
mod vocab;

pub use filter::TextFilter;

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

/// What the object of a GUI verb is about, which decides the terminal wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Export,
    Credits,
    Upload,
    Timeline,
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

/// The rewrite of the instruction whose trigger spans `q..e`, in the trigger's language.
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

#[cfg(test)]
mod tests;
