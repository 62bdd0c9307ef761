//! Rewriting a Chinese GUI instruction (点击…按钮, 拖拽…到上传区域,
//! 在时间线…预览): clause limits, the GUI object, and the replacement.
//! Apart from `english.rs` because Chinese has no spaces to tokenise on
//! and its own markers.

use super::triggers::Kind;
use super::vocab::{
    mentions, ZH_BREAKS, ZH_CREDITS, ZH_EXPORT, ZH_FILE, ZH_GENERIC, ZH_GUI, ZH_LABELS, ZH_MARKERS,
    ZH_REORDER, ZH_TIMELINE, ZH_UPLOAD, ZH_UPLOAD_TARGET, ZH_VIEW,
};
use super::{Class, GuiAction, Rewrite};

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

pub(super) fn rewrite_zh_click(s: &str, q: usize, e: usize, kind: Kind) -> Option<Rewrite> {
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

pub(super) fn rewrite_zh_drag(s: &str, q: usize, e: usize) -> Option<Rewrite> {
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

pub(super) fn rewrite_zh_timeline(s: &str, q: usize, e: usize) -> Option<Rewrite> {
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
