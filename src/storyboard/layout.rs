//! Where everything goes on the storyboard: a header, then rows of up to
//! [`COLS`] tiles (each row with a lane above it for text bands and a
//! caption below each tile), a gap after each tile for the transition into
//! the next, and the music strip at the bottom. Public so that tests can
//! find a tile's pixels.

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: u32,
    pub h: u32,
}

impl Rect {
    /// The centre pixel.
    pub fn centre(&self) -> (u32, u32) {
        (
            (self.x + self.w as i32 / 2) as u32,
            (self.y + self.h as i32 / 2) as u32,
        )
    }
}

/// Tiles per row before wrapping.
pub const COLS: u32 = 4;
/// A tile's picture area (16:9, the default canvas).
pub const THUMB_W: u32 = 192;
pub const THUMB_H: u32 = 108;
const MARGIN: u32 = 20;
const HEADER: u32 = 34;
const LANE: u32 = 24;
const LANE_GAP: u32 = 4;
const CAPTION: u32 = 40;
const GAP_W: u32 = 80;
const ROW_GAP: u32 = 10;
const MUSIC_H: u32 = 30;

/// The layout for a number of clips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub cols: u32,
    pub rows: u32,
    pub width: u32,
    pub height: u32,
    music: bool,
}

impl Layout {
    pub fn new(clips: usize, music: bool) -> Layout {
        let n = clips.max(1) as u32;
        let cols = n.min(COLS);
        let rows = n.div_ceil(COLS);
        // With several rows, the last column keeps its gap: the transition
        // into the next row's first clip is drawn there.
        let gaps = if rows > 1 { cols } else { cols - 1 };
        let width = 2 * MARGIN + cols * THUMB_W + gaps * GAP_W;
        let music_h = if music { MUSIC_H + ROW_GAP } else { 0 };
        let height = MARGIN + HEADER + rows * row_h() + music_h + MARGIN - ROW_GAP;
        Layout {
            cols,
            rows,
            width,
            height,
            music,
        }
    }

    pub fn row_of(&self, i: usize) -> u32 {
        i as u32 / self.cols
    }

    fn row_top(&self, row: u32) -> i32 {
        (MARGIN + HEADER + row * row_h()) as i32
    }

    pub fn header(&self) -> Rect {
        Rect {
            x: MARGIN as i32,
            y: MARGIN as i32 - 4,
            w: self.width - 2 * MARGIN,
            h: HEADER - 8,
        }
    }

    /// The lane above a row, where text bands go.
    pub fn lane(&self, row: u32) -> Rect {
        Rect {
            x: MARGIN as i32,
            y: self.row_top(row),
            w: self.width - 2 * MARGIN,
            h: LANE,
        }
    }

    /// Clip `i`'s picture area.
    pub fn thumb(&self, i: usize) -> Rect {
        let col = i as u32 % self.cols;
        Rect {
            x: (MARGIN + col * (THUMB_W + GAP_W)) as i32,
            y: self.row_top(self.row_of(i)) + (LANE + LANE_GAP) as i32,
            w: THUMB_W,
            h: THUMB_H,
        }
    }

    /// The text under clip `i`'s picture.
    pub fn caption(&self, i: usize) -> Rect {
        let t = self.thumb(i);
        Rect {
            x: t.x,
            y: t.y + THUMB_H as i32 + 6,
            w: THUMB_W,
            h: CAPTION - 6,
        }
    }

    /// The gap after clip `i`, where the transition into the next is drawn.
    pub fn gap(&self, i: usize) -> Rect {
        let t = self.thumb(i);
        Rect {
            x: t.x + THUMB_W as i32,
            y: t.y,
            w: GAP_W,
            h: THUMB_H,
        }
    }

    /// The music strip, when there is music.
    pub fn music(&self) -> Option<Rect> {
        self.music.then(|| Rect {
            x: MARGIN as i32,
            y: self.row_top(self.rows),
            w: self.width - 2 * MARGIN,
            h: MUSIC_H,
        })
    }
}

fn row_h() -> u32 {
    LANE + LANE_GAP + THUMB_H + CAPTION + ROW_GAP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_run_left_to_right_then_wrap() {
        let l = Layout::new(6, true);
        assert_eq!((l.cols, l.rows), (4, 2));
        let t: Vec<Rect> = (0..6).map(|i| l.thumb(i)).collect();
        for i in 1..4 {
            assert!(t[i].x > t[i - 1].x && t[i].y == t[0].y);
        }
        assert!(t[4].y > t[0].y && t[4].x == t[0].x);
        // Everything is inside the picture, the music strip last.
        let m = l.music().unwrap();
        assert!(m.y > t[5].y + t[5].h as i32);
        assert!(m.y as u32 + m.h <= l.height);
        assert!(l.gap(3).x as u32 + l.gap(3).w <= l.width);
    }

    #[test]
    fn one_row_has_no_trailing_gap() {
        let l = Layout::new(3, false);
        assert_eq!((l.cols, l.rows), (3, 1));
        assert_eq!(l.width, 2 * MARGIN + 3 * THUMB_W + 2 * GAP_W);
        assert!(l.music().is_none());
        let one = Layout::new(0, false);
        assert_eq!(one.cols, 1);
    }
}
