//! The canvas: aspect ratio (landscape, portrait, square, 16:9, 竖屏) and
//! resolution (720p, 1080p).

use super::Edit;
use crate::server::agent::words::has;
use crate::server::slideshow::Aspect;

pub(super) fn canvas(low: &str, out: &mut Vec<Edit>) {
    let aspects: &[(Aspect, &[&str])] = &[
        (
            Aspect::Portrait,
            &[
                "9:16",
                "9x16",
                "9 by 16",
                "portrait",
                "vertical",
                "standing up",
                "upright phone",
                "for my phone",
                "on my phone",
                "phone screen",
                "手机竖着",
                "phone format",
                "mobile format",
                "for mobile",
                "phone size",
                "手机格式",
                "手机屏",
                "shorts",
                "youtube short",
                "tiktok",
                "reels",
                "竖屏",
                "竖版",
                "竖向",
                "竖的",
            ],
        ),
        (
            Aspect::Square,
            &[
                "1:1",
                "1x1",
                "square",
                "instagram post",
                "instagram format",
                "insta format",
                "ig format",
                "for instagram",
                "方形",
                "正方形",
                "方屏",
                "1比1",
            ],
        ),
        (
            Aspect::Landscape,
            &[
                "16:9",
                "16x9",
                "16 by 9",
                "landscape",
                "horizontal",
                "widescreen",
                "wide screen",
                "横屏",
                "横版",
                "横向",
                "宽屏",
            ],
        ),
    ];
    if let Some((a, _)) = aspects.iter().find(|(_, kws)| has(low, kws)) {
        out.push(Edit::Aspect(*a));
    }
    if has(
        low,
        &["1080p", "1080", "full hd", "fhd", "1920x1080", "1080x1920"],
    ) {
        out.push(Edit::Resolution(1080));
    } else if has(low, &["720p", "720", "1280x720", "720x1280"]) {
        out.push(Edit::Resolution(720));
    }
}
