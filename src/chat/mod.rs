//! The chat's pure parts: reading the SSE stream into events ([`sse`]) and
//! translating GUI talk for a terminal ([`translate`]). The turn itself
//! (network + terminal) is `handlers::chat`.

pub mod sse;
pub mod translate;

/// Whether the agent said the first stage of a two-stage generation is
/// done (the raw video is ready and music/titles/effects follow).
pub fn two_stage_done(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "raw video is ready",
        "raw video ready",
        "raw cut is ready",
        "first stage is done",
        "first stage complete",
        "stage 1 complete",
        "原始视频已",
        "初版视频已",
        "第一阶段完成",
    ]
    .iter()
    .any(|k| t.contains(k))
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_stage() {
        assert!(super::two_stage_done("Your raw video is ready: 5 photos."));
        assert!(super::two_stage_done("原始视频已生成，正在添加音乐"));
        assert!(!super::two_stage_done("Added a title."));
    }
}
