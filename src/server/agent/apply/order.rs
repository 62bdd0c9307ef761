//! Which photos, in which order: naming a photo (by place, from the end,
//! by file name), moving, swapping, removing, reversing.

use super::*;

impl Editor<'_> {
    // ---- photo order ----

    /// The 0-based index a selection names, or a line saying why not.
    pub(super) fn resolve(&mut self, sel: &Sel) -> Option<usize> {
        let n = self.s.photos.len();
        match sel {
            Sel::Nth(k) if (1..=n).contains(k) => Some(k - 1),
            Sel::Last if n > 0 => Some(n - 1),
            Sel::FromEnd(k) if (1..=n).contains(k) => Some(n - k),
            Sel::Name(name) => {
                let l = name.to_lowercase();
                let ps = &self.s.photos;
                if let Some(i) = ps
                    .iter()
                    .position(|p| p.name.to_lowercase() == l)
                    .or_else(|| ps.iter().position(|p| p.name.to_lowercase().contains(&l)))
                    // "把海边.jpg": words glued before the name.
                    .or_else(|| {
                        (0..ps.len())
                            .filter(|&i| l.ends_with(&ps[i].name.to_lowercase()))
                            .max_by_key(|&i| ps[i].name.len())
                    })
                {
                    return Some(i);
                }
                let (en, zh) = (names_of(&self.s, ", "), names_of(&self.s, "、"));
                self.say(
                    format!(
                        "There is no photo called {name}; the photos are {en}. Which one did you mean?"
                    ),
                    format!("没有名为 {name} 的照片；照片有：{zh}。你指的是哪一张？"),
                );
                None
            }
            Sel::Nth(k) => {
                self.say(
                    format!(
                        "There is no photo {k}: the video has {}. Which one did you mean (1 to {n})?",
                        plural(n, "photo", "photos")
                    ),
                    format!("没有第{k}张：视频里只有{n}张照片。你指的是第几张（1到{n}）？"),
                );
                None
            }
            Sel::FromEnd(k) => {
                self.say(
                    format!(
                        "There is no photo {k} from the end: the video has {}.",
                        plural(n, "photo", "photos")
                    ),
                    format!("没有倒数第{k}张：视频里只有{n}张照片。"),
                );
                None
            }
            Sel::Last | Sel::Before(_) | Sel::After(_) => None,
        }
    }

    /// The named photos first, in the order given, then the others as they
    /// were.
    pub(super) fn order(&mut self, sels: &[Sel]) {
        let mut picked: Vec<usize> = Vec::new();
        for sel in sels {
            let Some(i) = self.resolve(sel) else {
                return;
            };
            if picked.contains(&i) {
                self.say(
                    format!(
                        "Photo {} is named twice in that order; say each photo once.",
                        i + 1
                    ),
                    format!("第{}张在顺序里出现了两次；每张照片只说一次。", i + 1),
                );
                return;
            }
            picked.push(i);
        }
        let n = self.s.photos.len();
        let rest = (0..n).filter(|i| !picked.contains(i));
        let order: Vec<usize> = picked.iter().copied().chain(rest).collect();
        if order.iter().copied().eq(0..n) {
            self.say(
                "The photos are already in that order.",
                "照片已经是这个顺序了。",
            );
            return;
        }
        let old = std::mem::take(&mut self.s.photos);
        self.s.photos = order.iter().map(|&i| old[i].clone()).collect();
        self.say(
            format!("New order: {}.", names_of(&self.s, ", ")),
            format!("新的顺序：{}。", names_of(&self.s, "、")),
        );
    }

    pub(super) fn move_photo(&mut self, from: &Sel, to: &Sel) {
        let Some(i) = self.resolve(from) else {
            return;
        };
        let n = self.s.photos.len();
        let j = match to {
            Sel::Nth(k) => k.saturating_sub(1).min(n - 1),
            Sel::Last => n - 1,
            Sel::FromEnd(k) => n.saturating_sub(*k),
            Sel::Name(_) => match self.resolve(to) {
                Some(j) => j,
                None => return,
            },
            // Where the other photo is once this one is taken out.
            Sel::Before(other) | Sel::After(other) => {
                let Some(k) = self.resolve(other) else {
                    return;
                };
                let k = if i < k { k - 1 } else { k };
                if matches!(to, Sel::After(_)) {
                    k + 1
                } else {
                    k
                }
            }
        };
        let name = self.s.photos[i].name.clone();
        if i == j {
            self.say(
                format!("{name} is already photo {}.", i + 1),
                format!("{name} 已经是第{}张。", i + 1),
            );
            return;
        }
        let p = self.s.photos.remove(i);
        self.s.photos.insert(j, p);
        self.say(
            format!(
                "Moved {name} from position {} to position {} of {n}.",
                i + 1,
                j + 1
            ),
            format!("已把 {name} 从第{}张移到第{}张（共{n}张）。", i + 1, j + 1),
        );
    }

    pub(super) fn swap(&mut self, a: &Sel, b: &Sel) {
        let (Some(i), Some(j)) = (self.resolve(a), self.resolve(b)) else {
            return;
        };
        if i == j {
            self.say("Those are the same photo.", "这是同一张照片。");
            return;
        }
        self.s.photos.swap(i, j);
        let (ni, nj) = (&self.s.photos[j].name, &self.s.photos[i].name);
        let (en, zh) = (
            format!("Swapped photo {} ({ni}) and photo {} ({nj}).", i + 1, j + 1),
            format!("已交换第{}张（{ni}）和第{}张（{nj}）。", i + 1, j + 1),
        );
        self.say(en, zh);
    }

    pub(super) fn remove(&mut self, sels: &[Sel]) {
        let mut idx: Vec<usize> = Vec::new();
        for s in sels {
            match self.resolve(s) {
                Some(i) if !idx.contains(&i) => idx.push(i),
                Some(_) => {}
                None => return,
            }
        }
        if idx.is_empty() {
            return;
        }
        if idx.len() >= self.s.photos.len() {
            self.say(
                "That would remove every photo, and a video needs at least one. Upload others first, or say which to keep.",
                "这样会删掉所有照片，视频至少需要一张。请先上传别的照片，或告诉我保留哪张。",
            );
            return;
        }
        idx.sort_unstable();
        let names: Vec<String> = idx.iter().map(|&i| self.s.photos[i].name.clone()).collect();
        let nums: Vec<String> = idx.iter().map(|i| (i + 1).to_string()).collect();
        for &i in idx.iter().rev() {
            self.s.photos.remove(i);
        }
        let left = self.s.photos.len();
        self.say(
            format!(
                "Removed {} {} ({}); {} left.",
                if idx.len() == 1 { "photo" } else { "photos" },
                nums.join(" and "),
                names.join(", "),
                plural(left, "photo", "photos")
            ),
            format!(
                "已删除第{}张（{}），还剩{left}张。",
                nums.join("、"),
                names.join("、")
            ),
        );
    }

    pub(super) fn reverse(&mut self) {
        if self.s.photos.len() < 2 {
            self.say(
                "There is only one photo, so the order stays.",
                "只有一张照片，顺序不变。",
            );
            return;
        }
        self.s.photos.reverse();
        let first = self.s.photos[0].name.clone();
        let last = self.s.photos[self.s.photos.len() - 1].name.clone();
        self.say(
            format!("Reversed the order: {first} now comes first and {last} last."),
            format!("已倒序：现在 {first} 在最前，{last} 在最后。"),
        );
    }
}
