//! How long photos and transitions last, and which transition and motion:
//! exact values, steps ("slower"), factors, the whole video's length.

use super::*;

impl Editor<'_> {
    // ---- photos ----

    pub(super) fn make(&mut self) {
        if self.made {
            return;
        }
        // "make the whole video 20 seconds", "call the video Road Trip":
        // "video" named the thing to change, not a wish to rebuild it (which
        // would undo the other wishes of the message).
        if self.others {
            return;
        }
        let mut photos = uploaded_photos(self.media);
        let ids = |ps: &[Photo]| ps.iter().map(|p| p.file_id.clone()).collect::<Vec<_>>();
        if photos.is_empty() || ids(&photos) == ids(&self.s.photos) {
            let n = self.s.photos.len();
            self.say(
                format!(
                    "The video already uses {}. Upload more and say \"make a video\" again to add them.",
                    plural(n, "photo", "photos")
                ),
                format!("视频已经用上了{n}张照片。上传更多照片后再说一次“做成视频”即可加入。"),
            );
            return;
        }
        let ms = self
            .s
            .photos
            .first()
            .map(|p| p.ms)
            .unwrap_or(DEFAULT_PHOTO_MS);
        for p in &mut photos {
            p.ms = ms;
        }
        let n = photos.len();
        self.s.photos = photos;
        self.say(
            format!(
                "Rebuilt the video from all {} you uploaded, in upload order; your other settings are kept.",
                plural(n, "photo", "photos")
            ),
            format!("已按上传顺序用全部{n}张照片重新生成视频，其他设置保持不变。"),
        );
    }

    pub(super) fn set_photo_ms(&mut self, ms: u64) -> (u64, bool) {
        let c = ms.clamp(PHOTO_MS_RANGE.0, PHOTO_MS_RANGE.1);
        for p in &mut self.s.photos {
            p.ms = c;
        }
        (c, c != ms)
    }

    pub(super) fn photo_seconds(&mut self, s: f64) {
        let (ms, clamped) = self.set_photo_ms((s * 1000.0).round().max(0.0) as u64);
        let note = if clamped {
            self.lang.pick(
                " (photos stay between 0.5 and 60 seconds)",
                "（照片时长限定在0.5到60秒之间）",
            )
        } else {
            String::new()
        };
        self.say(
            format!("Each photo now stays {}{note}.", seconds(Lang::En, ms)),
            format!("每张照片现在停留{}{note}。", seconds(Lang::Zh, ms)),
        );
    }

    /// `at_most`: never longer than `s` (photo lengths rounded down).
    pub(super) fn total_seconds(&mut self, s: f64, at_most: bool) {
        let n = self.s.photos.len() as f64;
        let total = s * 1000.0;
        let t = match self.s.transition.kind {
            TransitionKind::None => 0.0,
            _ => self.s.transition.ms as f64,
        };
        // total = n·p − (n−1)·overlap, overlap = min(t, p/2).
        let mut p = (total + (n - 1.0) * t) / n;
        if t > p / 2.0 {
            p = 2.0 * total / (n + 1.0);
        }
        let p = if at_most {
            (p / 100.0).floor() * 100.0
        } else {
            round_ms(p) as f64
        };
        let (ms, clamped) = self.set_photo_ms(p as u64);
        let d = self.s.duration_ms();
        self.told_length = true;
        if self.made && !clamped {
            // The first line ("Your raw video is ready: …") gives the length.
            self.say(
                format!("Each photo now stays {}.", seconds(Lang::En, ms)),
                format!("每张照片现在停留{}。", seconds(Lang::Zh, ms)),
            );
            return;
        }
        let note = if clamped {
            self.lang.pick(
                format!(
                    " — as close to {} as photos of 0.5 to 60 seconds allow",
                    seconds(Lang::En, total as u64)
                ),
                format!(
                    "，照片时长限定在0.5到60秒之间，只能尽量接近{}",
                    seconds(Lang::Zh, total as u64)
                ),
            )
        } else {
            String::new()
        };
        self.say(
            format!(
                "Each photo now stays {}, so the video runs {}{note}.",
                seconds(Lang::En, ms),
                seconds(Lang::En, d)
            ),
            format!(
                "每张照片现在停留{}，视频总长{}{note}。",
                seconds(Lang::Zh, ms),
                seconds(Lang::Zh, d)
            ),
        );
    }

    pub(super) fn stretch_photos(&mut self, f: f64) {
        let Some(was) = self.s.photos.first().map(|p| p.ms) else {
            return;
        };
        let mut hit_limit = false;
        for p in &mut self.s.photos {
            let want = round_ms(p.ms as f64 * f);
            p.ms = want.clamp(PHOTO_MS_RANGE.0, PHOTO_MS_RANGE.1);
            hit_limit |= p.ms != want;
        }
        let now = self.s.photos[0].ms;
        let slower = f > 1.0;
        if now == was {
            let (en, zh) = if slower {
                ("the longest I allow (60 seconds)", "最长（60秒）")
            } else {
                ("the shortest I allow (0.5 seconds)", "最短（0.5秒）")
            };
            self.say(
                format!("Photos already stay {en}."),
                format!("照片停留时间已经是{zh}。"),
            );
            return;
        }
        let note = if hit_limit {
            self.lang.pick(" (the limit)", "（已到上限）")
        } else {
            String::new()
        };
        self.say(
            format!(
                "{}: each photo now stays {}{note} (was {}).",
                if slower { "Slower" } else { "Faster" },
                seconds(Lang::En, now),
                secs(was)
            ),
            format!(
                "{}：每张照片现在停留{}{note}（原来{}秒）。",
                if slower { "放慢了" } else { "加快了" },
                seconds(Lang::Zh, now),
                secs(was)
            ),
        );
    }

    // ---- transitions and motion ----

    pub(super) fn transition(&mut self, k: TransitionKind) {
        if self.s.transition.kind == k {
            if !self.made {
                self.say(
                    format!("The transitions are already {}.", k.label()),
                    format!("转场已经是{}。", kind_zh(k)),
                );
            }
            return;
        }
        self.s.transition.kind = k;
        if self.made {
            return;
        }
        if k == TransitionKind::None {
            self.say(
                "Removed the transitions: each photo now cuts straight to the next.",
                "已去掉转场：照片之间直接切换。",
            );
        } else {
            let ms = self.s.transition.ms;
            self.say(
                format!(
                    "Transitions are now {} ({} each).",
                    k.label(),
                    seconds(Lang::En, ms)
                ),
                format!(
                    "转场已改为{}（每次{}）。",
                    kind_zh(k),
                    seconds(Lang::Zh, ms)
                ),
            );
        }
    }

    pub(super) fn transition_ms(&mut self, ms: u64) {
        let c = ms.clamp(TRANSITION_MS_RANGE.0, TRANSITION_MS_RANGE.1);
        let note = if c != ms {
            self.lang.pick(
                " (transitions last 0.1 to 3 seconds)",
                "（转场时长限定在0.1到3秒之间）",
            )
        } else {
            String::new()
        };
        self.s.transition.ms = c;
        if self.s.transition.kind == TransitionKind::None {
            self.s.transition.kind = TransitionKind::Crossfade;
            self.say(
                format!(
                    "Transitions are back, as crossfades of {}{note}.",
                    seconds(Lang::En, c)
                ),
                format!("已恢复转场：交叉淡化，每次{}{note}。", seconds(Lang::Zh, c)),
            );
        } else {
            self.say(
                format!("Transitions now last {}{note}.", seconds(Lang::En, c)),
                format!("转场现在每次{}{note}。", seconds(Lang::Zh, c)),
            );
        }
    }

    pub(super) fn ken_burns(&mut self, on: bool) {
        let (en, zh) = if on {
            ("on", "开启")
        } else {
            ("off", "关闭")
        };
        if self.s.ken_burns == on {
            self.say(
                format!("Ken Burns motion is already {en}."),
                format!("肯·伯恩斯效果已经是{zh}状态。"),
            );
            return;
        }
        self.s.ken_burns = on;
        self.say(
            format!("Ken Burns motion (a slow zoom and pan on each photo) is now {en}."),
            format!("肯·伯恩斯效果（照片缓慢缩放平移）已{zh}。"),
        );
    }
}
