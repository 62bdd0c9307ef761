//! Table and streaming tests for the GUI-text translator.

use super::GuiAction::*;
use super::*;

/// (input, expected output, expected actions)
const TABLE: &[(&str, &str, &[GuiAction])] = &[
    // --- English GUI instructions
    (
        "You can click the Export button to download it.",
        "You can type `export` to download it.",
        &[OfferExport],
    ),
    (
        "Click the Export button to download your video.",
        "Type `export` to download your video.",
        &[OfferExport],
    ),
    (
        "Open the timeline panel to review the cuts.",
        "Type `/status` to review the cuts.",
        &[ShowTimeline],
    ),
    (
        "Drag your photos into the upload area to get started.",
        "Drop the file paths of your photos into this terminal to get started.",
        &[DropFiles],
    ),
    (
        "You can drag the clip to reorder the sequence.",
        "You can tell me in words how to reorder the sequence.",
        &[DescribeInWords],
    ),
    (
        "You can preview it in the timeline.",
        "You can see the timeline below.",
        &[ShowTimeline],
    ),
    (
        "Check your account billing page for your remaining credits.",
        "Type `/credits` for your remaining credits.",
        &[ShowCredits],
    ),
    ("Open the timeline panel.", "", &[ShowTimeline]),
    (
        "Hit Export when you're happy with it.",
        "Type `export` when you're happy with it.",
        &[OfferExport],
    ),
    (
        "Once you're happy, click **Export** in the top-right corner.",
        "Once you're happy, type `export`.",
        &[OfferExport],
    ),
    (
        "Tap the Download button to save the final MP4.",
        "Type `export` to save the final MP4.",
        &[OfferExport],
    ),
    (
        "Go to the Billing page to top up your credits.",
        "Type `/credits` to top up your credits.",
        &[ShowCredits],
    ),
    (
        "Drag the clips into the order you like.",
        "Ask me to move the clips into the order you like.",
        &[DescribeInWords],
    ),
    (
        "Drag and drop your images here.",
        "Drop the file paths of your images into this terminal.",
        &[DropFiles],
    ),
    (
        "Simply drag the slider to adjust the music volume.",
        "Simply tell me in words how to adjust the music volume.",
        &[DescribeInWords],
    ),
    (
        "You can check the transitions in the timeline panel.",
        "You can see the timeline below for the transitions.",
        &[ShowTimeline],
    ),
    (
        "Feel free to open the Export panel and pick 1080p.",
        "Feel free to type `export` and pick 1080p.",
        &[OfferExport],
    ),
    (
        "Click here to upload more photos.",
        "Drop the file paths into this terminal to upload more photos.",
        &[DropFiles],
    ),
    (
        "Click the Split button to cut the clip at 0:12.",
        "Ask me to cut the clip at 0:12.",
        &[DescribeInWords],
    ),
    (
        "Select 1080p from the resolution dropdown.",
        "Ask me for 1080p.",
        &[DescribeInWords],
    ),
    (
        "By clicking the Export button, you can download the MP4.",
        "By typing `export`, you can download the MP4.",
        &[OfferExport],
    ),
    (
        "Use the Export button when you're ready to download.",
        "Use the `export` command when you're ready to download.",
        &[OfferExport],
    ),
    (
        "Watch the preview in the player to check the pacing.",
        "See the timeline below to check the pacing.",
        &[ShowTimeline],
    ),
    (
        "Go ahead and click Export to render the final video.",
        "Go ahead and type `export` to render the final video.",
        &[OfferExport],
    ),
    (
        "You can also drop more photos here at any time.",
        "You can also drop the file paths of more photos into this terminal at any time.",
        &[DropFiles],
    ),
    (
        "Open your project in the editor to make changes.",
        "Ask me to make changes.",
        &[DescribeInWords],
    ),
    (
        "Navigate to the Settings tab to change the aspect ratio.",
        "Ask me to change the aspect ratio.",
        &[DescribeInWords],
    ),
    (
        "Double-click the title to edit the text.",
        "Ask me to edit the text.",
        &[DescribeInWords],
    ),
    (
        "Check out the new intro in the timeline.",
        "See the timeline below for the new intro.",
        &[ShowTimeline],
    ),
    (
        "Head over to the Export tab and choose MP4.",
        "Type `export` and choose MP4.",
        &[OfferExport],
    ),
    (
        "Drag your photos here or click Upload to add them.",
        "Drop the file paths of your photos into this terminal to add them.",
        &[DropFiles],
    ),
    // --- English that must stay as it is
    (
        "Ready to export when you are.",
        "Ready to export when you are.",
        &[],
    ),
    (
        "I opened up the color palette with warmer tones.",
        "I opened up the color palette with warmer tones.",
        &[],
    ),
    (
        "This open road shot makes a great intro.",
        "This open road shot makes a great intro.",
        &[],
    ),
    (
        "Open road footage works well as the intro.",
        "Open road footage works well as the intro.",
        &[],
    ),
    (
        "The transition clicks nicely with the beat.",
        "The transition clicks nicely with the beat.",
        &[],
    ),
    (
        "Press Enter to send your message.",
        "Press Enter to send your message.",
        &[],
    ),
    (
        "You can choose a warmer color grade if you like.",
        "You can choose a warmer color grade if you like.",
        &[],
    ),
    (
        "I'll check the photo order before rendering.",
        "I'll check the photo order before rendering.",
        &[],
    ),
    (
        "We could drop the intro clip to tighten the pacing.",
        "We could drop the intro clip to tighten the pacing.",
        &[],
    ),
    (
        "Let me check the timeline for gaps.",
        "Let me check the timeline for gaps.",
        &[],
    ),
    (
        "I added 12 photos to the timeline in chronological order.",
        "I added 12 photos to the timeline in chronological order.",
        &[],
    ),
    (
        "Your credits are low, so please top up on the billing page.",
        "Your credits are low, so please top up on the billing page.",
        &[ShowCredits],
    ),
    // --- Chinese
    (
        "点击导出按钮即可下载视频。",
        "输入 `export` 即可下载视频。",
        &[OfferExport],
    ),
    (
        "您可以点击右上角的导出按钮下载成片。",
        "您可以输入 `export` 下载成片。",
        &[OfferExport],
    ),
    (
        "打开时间线面板查看效果。",
        "输入 `/status` 查看效果。",
        &[ShowTimeline],
    ),
    (
        "请将照片拖拽到上传区域。",
        "请将照片的文件路径拖入此终端。",
        &[DropFiles],
    ),
    (
        "拖动片段来调整顺序。",
        "用文字告诉我如何调整顺序。",
        &[DescribeInWords],
    ),
    (
        "您可以在时间线中预览效果。",
        "您可以在下方时间线中查看效果。",
        &[ShowTimeline],
    ),
    (
        "请前往账户页面充值。",
        "请输入 `/credits` 充值。",
        &[ShowCredits],
    ),
    ("点击预览。", "", &[ShowTimeline]),
    (
        "将片段拖动到合适的位置。",
        "将片段移动到合适的位置（用文字告诉我即可）。",
        &[DescribeInWords],
    ),
    (
        "点击上传按钮添加更多照片。",
        "把文件路径拖入此终端添加更多照片。",
        &[DropFiles],
    ),
    (
        "使用导出按钮下载视频。",
        "使用 `export` 命令下载视频。",
        &[OfferExport],
    ),
    (
        "拖入照片即可开始制作。",
        "将照片的文件路径拖入此终端即可开始制作。",
        &[DropFiles],
    ),
    (
        "打开编辑器调整字幕的位置。",
        "用文字告诉我想如何调整字幕的位置。",
        &[DescribeInWords],
    ),
    (
        "点击导出按钮或者打开导出面板即可下载。",
        "输入 `export` 即可下载。",
        &[OfferExport],
    ),
    (
        "点击分割按钮即可分割片段。",
        "用文字告诉我想如何分割片段。",
        &[DescribeInWords],
    ),
    // --- Chinese that must stay as it is
    (
        "视频已生成，准备好后就可以导出。",
        "视频已生成，准备好后就可以导出。",
        &[],
    ),
    (
        "这个转场让画面一下子打开了。",
        "这个转场让画面一下子打开了。",
        &[],
    ),
    (
        "本周视频点击量增长了不少。",
        "本周视频点击量增长了不少。",
        &[],
    ),
    (
        "进入下一个环节之前，我们先确认一下片头。",
        "进入下一个环节之前，我们先确认一下片头。",
        &[],
    ),
    (
        "我把色调调得更暖了，效果不错。",
        "我把色调调得更暖了，效果不错。",
        &[],
    ),
    (
        "您的账户余额不足，请充值后继续。",
        "您的账户余额不足，请充值后继续。",
        &[ShowCredits],
    ),
];

#[test]
fn table_translations() {
    assert!(TABLE.len() >= 40);
    let mut failures = Vec::new();
    for &(input, want, acts) in TABLE {
        let (got, got_acts) = translate_sentence(input);
        if got != want || got_acts != acts {
            failures.push(format!(
                "{input:?}\n   got  {got:?} {got_acts:?}\n   want {want:?} {acts:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The property the streaming filter relies on.
#[test]
fn text_before_first_trigger_is_never_changed() {
    for &(input, _, _) in TABLE {
        let first = input
            .char_indices()
            .map(|(q, _)| q)
            .find(|&q| matches!(trigger_at(input, q, true), TMatch::Full(..)))
            .unwrap_or(input.len());
        let (got, _) = translate_sentence(input);
        assert!(
            got.starts_with(&input[..first]) || got.trim().is_empty(),
            "{input:?} -> {got:?}"
        );
    }
}

fn split_every(s: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars.chunks(n).map(|c| c.iter().collect()).collect()
}

/// Deterministic pseudo-random piece sizes (1..=7 chars).
fn split_random(s: &str, seed: u64) -> Vec<String> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = 1 + ((state >> 33) % 7) as usize;
        let j = (i + n).min(chars.len());
        out.push(chars[i..j].iter().collect());
        i = j;
    }
    out
}

fn stream(pieces: &[String]) -> (String, Vec<GuiAction>) {
    let mut f = TextFilter::new();
    let mut out = String::new();
    for p in pieces {
        out.push_str(&f.push(p));
    }
    out.push_str(&f.finish());
    (out, f.actions())
}

#[test]
fn streaming_matches_whole_sentence_translation() {
    for (k, &(input, _, _)) in TABLE.iter().enumerate() {
        let want = translate_sentence(input);
        for pieces in [
            split_every(input, 1),
            split_every(input, 3),
            split_random(input, k as u64),
            split_random(input, 1000 + k as u64),
            vec![input.to_string()],
        ] {
            assert_eq!(stream(&pieces), want, "{input:?} split as {pieces:?}");
        }
    }
}

#[test]
fn streaming_multi_sentence_text_is_split_independent() {
    let texts = [
        "Your video is ready! You can click the Export button to download it.",
        "I added 12 photos in chronological order.\n\nOpen the timeline panel.\n\nNext, I'll pick music.",
        "Done! Open the timeline panel. Then tell me what to change.",
        "1. Click the Export button.\n2. Choose 1080p.\n3. Wait for the render (about 1.5 min).",
        "视频已生成！点击导出按钮即可下载。您可以在时间线中预览效果。",
        "我调整了顺序。\n点击预览。\n还需要加字幕吗？",
        "Photos are in. 请将照片拖拽到上传区域。Drag the clip to reorder",
    ];
    for (k, text) in texts.iter().enumerate() {
        let whole = stream(&[text.to_string()]);
        for pieces in [
            split_every(text, 1),
            split_every(text, 3),
            split_random(text, 7 + k as u64),
        ] {
            assert_eq!(stream(&pieces), whole, "{text:?} split as {pieces:?}");
        }
    }
    assert_eq!(
        stream(&[texts[0].to_string()]).0,
        "Your video is ready! You can type `export` to download it."
    );
    assert_eq!(
        stream(&[texts[1].to_string()]).0,
        "I added 12 photos in chronological order.\n\nNext, I'll pick music."
    );
    assert_eq!(
        stream(&[texts[2].to_string()]).0,
        "Done! Then tell me what to change."
    );
    assert_eq!(
        stream(&[texts[3].to_string()]).0,
        "1. Type `export`.\n2. Choose 1080p.\n3. Wait for the render (about 1.5 min)."
    );
    assert_eq!(
        stream(&[texts[4].to_string()]).0,
        "视频已生成！输入 `export` 即可下载。您可以在下方时间线中查看效果。"
    );
    assert_eq!(
        stream(&[texts[5].to_string()]).0,
        "我调整了顺序。\n还需要加字幕吗？"
    );
}

/// Arbitrary mixes of triggers, near-triggers, punctuation and scripts: no panics, and the
/// output never depends on how the stream was split.
#[test]
fn random_mixtures_are_split_independent() {
    const FRAGS: &[&str] = &[
        "Click",
        " click",
        " the",
        " Export",
        " button",
        " open",
        " Open ",
        "timeline",
        " panel",
        " drag",
        " drop",
        " and",
        " to",
        " reorder",
        " here",
        ".",
        "!",
        "?",
        " ",
        "\n",
        "\n\n",
        "cli",
        "ope",
        "点",
        "点击",
        "导出",
        "按钮",
        "打开",
        "时间线",
        "面板",
        "查看",
        "拖拽",
        "到",
        "上传区域",
        "，",
        "。",
        "在",
        "中预览",
        "**",
        "\"",
        "`",
        "1.",
        "5",
        " I",
        "'ll",
        " you can",
        " photos",
        " your",
        "账户",
        "充值",
        " billing",
        " page",
        "😀",
        "é",
        " go",
        " to the",
        " Settings",
        " tab",
        "I encountered a temporary issue",
        "我遇到了一个临时问题",
        "后",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    for round in 0..400 {
        let len = 1 + next(30);
        let text: String = (0..len).map(|_| FRAGS[next(FRAGS.len())]).collect();
        let _ = translate_sentence(&text);
        let whole = stream(std::slice::from_ref(&text));
        for pieces in [split_every(&text, 1), split_random(&text, round)] {
            assert_eq!(stream(&pieces), whole, "{text:?} split as {pieces:?}");
        }
        // With message boundaries and the noise check.
        let mut f = TextFilter::new();
        let mut out = String::new();
        for (k, p) in split_random(&text, round + 1).iter().enumerate() {
            if k % 5 == 4 {
                f.new_message();
            }
            out.push_str(&f.push(p));
        }
        out.push_str(&f.finish());
        let _ = (out, f.actions(), f.said_anything());
    }
}

#[test]
fn plain_text_is_emitted_immediately() {
    let text = "I added twelve photos in chronological order and matched the cuts to the beat. \
                The transition between the beach and the sunset feels smooth now. \
                我把色调调得更暖了，效果不错。";
    let mut f = TextFilter::new();
    // Word-sized pieces: every push returns exactly its piece.
    for piece in text.split_inclusive(' ') {
        assert_eq!(f.push(piece), piece, "piece {piece:?}");
    }
    assert_eq!(f.finish(), "");
    // One character at a time: at every word boundary everything so far is out.
    let mut f = TextFilter::new();
    let mut fed = String::new();
    let mut shown = String::new();
    for c in text.chars() {
        fed.push(c);
        shown.push_str(&f.push(&c.to_string()));
        if c == ' ' || c == '，' || c == '。' {
            assert_eq!(shown, fed);
        }
    }
    shown.push_str(&f.finish());
    assert_eq!(shown, text);
    assert!(f.actions().is_empty());
}

#[test]
fn text_before_a_trigger_is_not_held() {
    let mut f = TextFilter::new();
    assert_eq!(
        f.push("Your video is ready! You can "),
        "Your video is ready! You can "
    );
    assert_eq!(f.push("cli"), "");
    assert_eq!(f.push("ck the Export button"), "");
    assert_eq!(f.push(" to download it."), "");
    assert_eq!(f.push(" Enjoy"), "type `export` to download it. Enjoy");
    assert_eq!(f.finish(), "");
    assert_eq!(f.actions(), vec![OfferExport]);

    // A tail that only looked like a trigger is released as soon as it diverges.
    let mut f = TextFilter::new();
    assert_eq!(f.push("The sky looks "), "The sky looks ");
    assert_eq!(f.push("ope"), "");
    assert_eq!(f.push("n"), "");
    assert_eq!(f.push("ly warm."), "openly warm.");
    // Chinese: a trailing 点 may become 点击.
    let mut f = TextFilter::new();
    assert_eq!(f.push("好的，我加了一"), "好的，我加了一");
    assert_eq!(f.push("点"), "");
    assert_eq!(f.push("暖色调。"), "点暖色调。");
}

#[test]
fn actions_are_deduplicated_in_first_seen_order() {
    let mut f = TextFilter::new();
    let mut out = f.push("Check the transitions in the timeline panel. Click the Export button. ");
    out += &f.push("Open the timeline panel to review. Go to the billing page. Hit Export.");
    out += &f.finish();
    assert_eq!(f.actions(), vec![ShowTimeline, OfferExport, ShowCredits]);
    assert!(out.starts_with("See the timeline below for the transitions. Type `export`."));
}

#[test]
fn trailing_temporary_issue_is_dropped_after_text() {
    let mut f = TextFilter::new();
    let mut out = f.push("Your video is ready. ");
    f.new_message();
    for piece in split_every(
        "I encountered a temporary issue while processing your request. Please try again.",
        4,
    ) {
        out += &f.push(&piece);
    }
    out += &f.finish();
    assert_eq!(out, "Your video is ready. ");
    assert!(f.said_anything());

    // Case-insensitive, leading whitespace ignored, Chinese variants too.
    for noise in [
        "\n\ni ENCOUNTERED A TEMPORARY ISSUE. Retrying later.",
        "我遇到了一个临时问题，请稍后再试。",
        "遇到了临时问题，请稍后重试。",
    ] {
        let mut f = TextFilter::new();
        let mut out = f.push("视频已生成。");
        f.new_message();
        for piece in split_every(noise, 2) {
            out += &f.push(&piece);
        }
        out += &f.finish();
        assert_eq!(out, "视频已生成。", "{noise:?}");
    }

    // A later real message is shown again.
    let mut f = TextFilter::new();
    let mut out = f.push("Done.");
    f.new_message();
    out += &f.push("I encountered a temporary issue.");
    f.new_message();
    out += &f.push(" Anything else?");
    out += &f.finish();
    assert_eq!(out, "Done. Anything else?");
}

#[test]
fn temporary_issue_alone_is_shown() {
    let msg = "I encountered a temporary issue while processing your request.";
    let mut f = TextFilter::new();
    let mut out = String::new();
    for piece in split_every(msg, 3) {
        out += &f.push(&piece);
    }
    out += &f.finish();
    assert_eq!(out, msg);

    // Also when the first message had no visible text.
    let mut f = TextFilter::new();
    let mut out = f.push("  ");
    f.new_message();
    out += &f.push(msg);
    out += &f.finish();
    assert_eq!(out.trim(), msg);
    assert!(f.said_anything());
}

#[test]
fn diverging_message_is_released() {
    let mut f = TextFilter::new();
    let mut out = f.push("Here is the plan.");
    assert!(f.said_anything());
    f.new_message();
    assert_eq!(f.push("I encountered a "), "");
    assert_eq!(f.push("b"), "I encountered a b");
    out += "I encountered a b";
    out += &f.push("ug in your photo order, fixed it.");
    out += &f.finish();
    assert_eq!(
        out,
        "Here is the plan.I encountered a bug in your photo order, fixed it."
    );

    // Still a prefix when the turn ends: it was ordinary text after all.
    let mut f = TextFilter::new();
    let mut out = f.push("Done. ");
    f.new_message();
    out += &f.push("I encountered");
    out += &f.finish();
    assert_eq!(out, "Done. I encountered");
}

#[test]
fn new_message_flushes_the_held_sentence() {
    let mut f = TextFilter::new();
    assert_eq!(f.push("You can click the Export button"), "You can ");
    f.new_message();
    assert_eq!(f.push("\nAnything else?"), "type `export`\nAnything else?");
    assert_eq!(f.finish(), "");
    assert_eq!(f.actions(), vec![OfferExport]);
}

#[test]
fn said_anything_tracks_visible_text() {
    let mut f = TextFilter::new();
    assert!(!f.said_anything());
    assert_eq!(f.push("Open the timeline panel."), "");
    assert_eq!(f.finish(), "");
    assert!(!f.said_anything());
    assert_eq!(f.actions(), vec![ShowTimeline]);
}
