//! Pictures in the terminal: the storyboard shown inline where the terminal
//! can draw images, and a file's path as a clickable link where it can't.
//!
//! Which image protocol a terminal speaks is asked, never guessed from
//! `TERM`: img2yt sends the kitty graphics query, XTVERSION, the cell size
//! query (`CSI 16 t`) and a primary device attributes (DA1) request in one
//! go and reads the replies in raw mode for a short while. Every terminal answers DA1 and answers in order,
//! so the DA1 reply marks the end of what there is to hear:
//!
//! - a kitty reply `ESC _G i=31;OK ESC \` → the kitty graphics protocol;
//! - XTVERSION naming iTerm2 or WezTerm, or `TERM_PROGRAM=iTerm.app` from a
//!   terminal that answered at all → iTerm2 inline images;
//! - DA1 listing attribute 4 → sixel.
//!
//! The cell size, when the terminal tells it, sizes the picture to the
//! window (sixel draws pixels as they are; kitty and iTerm2 are given a
//! width in cells).
//!
//! Nothing is asked when stdout or stdin is not a terminal. This is what
//! `viuer` does in spirit, but viuer decides kitty support from `TERM`,
//! needs the C libsixel for sixel and writes to stdout itself; here the
//! question and the answer go through [`Terminal`], so tests can play the
//! terminal, and the parsing is a pure function ([`parse_replies`]).

use base64::Engine;
use image::RgbImage;
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// An image protocol the terminal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Kitty,
    Iterm2,
    Sixel,
}

/// What the terminal said it can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub protocol: Protocol,
    /// A character cell's width and height in pixels, when it said.
    pub cell: Option<(u32, u32)>,
}

/// The questions: kitty graphics (a 1×1 query image, id 31, not stored),
/// XTVERSION, the cell size, and DA1 last so that its reply ends the answer.
pub const QUERY: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[>0q\x1b[16t\x1b[c";

/// How long a terminal may take to answer.
pub const TIMEOUT: Duration = Duration::from_millis(400);

/// The terminal as a question-and-answer channel.
pub trait Terminal {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Read what has arrived, waiting at most `timeout`; `Ok(0)` when
    /// nothing came.
    fn recv(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
}

/// Ask the terminal which image protocol it speaks. `None` when it says
/// none, or says nothing within `timeout`.
pub fn detect(
    term: &mut impl Terminal,
    timeout: Duration,
    term_program: Option<&str>,
) -> Option<Caps> {
    term.send(QUERY).ok()?;
    let deadline = Instant::now() + timeout;
    let mut reply = Vec::new();
    let mut buf = [0u8; 256];
    while !has_da1(&reply) && reply.len() < 4096 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match term.recv(&mut buf, left) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    parse_replies(&reply, term_program)
}

/// What the replies say, best protocol first (kitty, iTerm2, sixel).
/// Without a DA1 reply the answer is incomplete and nothing is assumed.
pub fn parse_replies(reply: &[u8], term_program: Option<&str>) -> Option<Caps> {
    let da1 = da1_params(reply)?;
    let text = String::from_utf8_lossy(reply);
    let version = xtversion(&text).unwrap_or_default().to_ascii_lowercase();
    let protocol = if text.contains("\x1b_Gi=31;OK") {
        Protocol::Kitty
    } else if version.starts_with("iterm2")
        || version.starts_with("wezterm")
        || term_program == Some("iTerm.app")
    {
        Protocol::Iterm2
    } else if da1.contains(&4) {
        Protocol::Sixel
    } else {
        return None;
    };
    Some(Caps {
        protocol,
        cell: cell_size(&text),
    })
}

/// The cell size from a `CSI 6 ; height ; width t` reply.
fn cell_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("\x1b[6;")? + 4;
    let rest = &text[start..];
    let body = &rest[..rest.find('t')?];
    let (h, w) = body.split_once(';')?;
    let (w, h) = (w.parse::<u32>().ok()?, h.parse::<u32>().ok()?);
    ((1..=200).contains(&w) && (1..=400).contains(&h)).then_some((w, h))
}

fn has_da1(reply: &[u8]) -> bool {
    da1_params(reply).is_some()
}

/// The parameters of a DA1 reply `ESC [ ? 62 ; 4 ; 22 c`.
fn da1_params(reply: &[u8]) -> Option<Vec<u32>> {
    let start = reply.windows(3).position(|w| w == b"\x1b[?")? + 3;
    let rest = &reply[start..];
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b';'))?;
    if rest[end] != b'c' {
        return None;
    }
    Some(
        std::str::from_utf8(&rest[..end])
            .ok()?
            .split(';')
            .filter_map(|p| p.parse().ok())
            .collect(),
    )
}

/// The name in an XTVERSION reply `ESC P > | name ESC \`.
fn xtversion(text: &str) -> Option<&str> {
    let start = text.find("\x1bP>|")? + 4;
    let rest = &text[start..];
    Some(&rest[..rest.find('\x1b')?])
}

/// The escape sequence that shows `png` (the same picture as `rgb`) at
/// most `cols` cells wide.
pub fn encode(caps: Caps, png: &[u8], rgb: &RgbImage, cols: u16) -> Vec<u8> {
    // A picture narrower than the window keeps its size; a wide one is
    // shrunk to the window. Cells are taken as 8 pixels wide when the
    // terminal did not say.
    let cell_w = caps.cell.map_or(8, |(w, _)| w);
    let window = u32::from(cols.max(20));
    let cols = window.min(rgb.width().div_ceil(cell_w));
    let b64 = base64::engine::general_purpose::STANDARD;
    match caps.protocol {
        Protocol::Kitty => {
            let data = b64.encode(png);
            let chunks: Vec<&[u8]> = data.as_bytes().chunks(4096).collect();
            let mut out = Vec::with_capacity(data.len() + chunks.len() * 24);
            for (i, chunk) in chunks.iter().enumerate() {
                let more = u8::from(i + 1 < chunks.len());
                if i == 0 {
                    // f=100 PNG, a=T transmit and show, q=2 no replies.
                    out.extend_from_slice(
                        format!("\x1b_Gf=100,a=T,q=2,c={cols},m={more};").as_bytes(),
                    );
                } else {
                    out.extend_from_slice(format!("\x1b_Gm={more};").as_bytes());
                }
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\x1b\\");
            }
            out.push(b'\n');
            out
        }
        Protocol::Iterm2 => {
            let mut out = format!(
                "\x1b]1337;File=inline=1;size={};width={cols};preserveAspectRatio=1:",
                png.len()
            )
            .into_bytes();
            out.extend_from_slice(b64.encode(png).as_bytes());
            out.extend_from_slice(b"\x07\n");
            out
        }
        Protocol::Sixel => {
            // Sixel draws pixels as they are: shrink to the window first.
            let max_w = window * cell_w;
            let img = if rgb.width() > max_w {
                let h = (rgb.height() as u64 * max_w as u64 / rgb.width() as u64).max(1) as u32;
                image::imageops::resize(rgb, max_w, h, image::imageops::FilterType::Triangle)
            } else {
                rgb.clone()
            };
            let rgba: Vec<u8> = img.pixels().flat_map(|p| [p[0], p[1], p[2], 255]).collect();
            match icy_sixel::SixelImage::from_rgba(
                rgba,
                img.width() as usize,
                img.height() as usize,
            )
            .encode()
            {
                Ok(s) => {
                    let mut out = s.into_bytes();
                    out.push(b'\n');
                    out
                }
                Err(_) => Vec::new(),
            }
        }
    }
}

/// `text` as an OSC 8 link to the file at `path` (absolute).
pub fn link(path: &Path, text: &str) -> String {
    format!("\x1b]8;;{}\x1b\\{text}\x1b]8;;\x1b\\", file_uri(path))
}

/// A `file://` URI, percent-encoding what a URI may not hold.
pub fn file_uri(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !s.starts_with('/') {
        uri.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// The real terminal: stdout to ask, stdin (in raw mode while asking) to
/// hear the reply.
#[cfg(unix)]
pub struct Stdio {
    saved: Option<rustix::termios::Termios>,
}

#[cfg(unix)]
impl Stdio {
    /// Put stdin in raw mode (no echo, no line editing) until dropped.
    pub fn open() -> io::Result<Stdio> {
        use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex};
        let stdin = io::stdin();
        let saved = termios::tcgetattr(&stdin)?;
        let mut raw = saved.clone();
        raw.local_modes
            .remove(LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG);
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        termios::tcsetattr(&stdin, OptionalActions::Now, &raw)?;
        Ok(Stdio { saved: Some(saved) })
    }
}

#[cfg(unix)]
impl Drop for Stdio {
    fn drop(&mut self) {
        if let Some(saved) = self.saved.take() {
            let _ = rustix::termios::tcsetattr(
                io::stdin(),
                rustix::termios::OptionalActions::Now,
                &saved,
            );
        }
    }
}

#[cfg(unix)]
impl Terminal for Stdio {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        use io::Write;
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    fn recv(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let stdin = io::stdin();
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        let ts = Timespec {
            tv_sec: timeout.as_secs() as _,
            tv_nsec: timeout.subsec_nanos() as _,
        };
        if poll(&mut fds, Some(&ts))? == 0 {
            return Ok(0);
        }
        Ok(rustix::io::read(&stdin, buf)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A terminal that answers the query with a fixed reply, in pieces.
    struct Fake {
        sent: Vec<u8>,
        reply: Vec<Vec<u8>>,
    }

    impl Terminal for Fake {
        fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
            self.sent.extend_from_slice(bytes);
            Ok(())
        }
        fn recv(&mut self, buf: &mut [u8], _: Duration) -> io::Result<usize> {
            if self.sent.is_empty() || self.reply.is_empty() {
                return Ok(0);
            }
            let piece = self.reply.remove(0);
            buf[..piece.len()].copy_from_slice(&piece);
            Ok(piece.len())
        }
    }

    fn ask(pieces: &[&[u8]], term_program: Option<&str>) -> (Option<Caps>, Vec<u8>) {
        let mut t = Fake {
            sent: Vec::new(),
            reply: pieces.iter().map(|p| p.to_vec()).collect(),
        };
        let p = detect(&mut t, Duration::from_secs(5), term_program);
        (p, t.sent)
    }

    #[test]
    fn the_terminal_is_asked_and_its_reply_decides() {
        let kitty = b"\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[?62;c";
        /// Reply pieces, TERM_PROGRAM, what img2yt should conclude.
        type Row<'a> = (&'a [&'a [u8]], Option<&'a str>, Option<Protocol>);
        let table: &[Row] = &[
            (&[kitty], None, Some(Protocol::Kitty)),
            // Cut anywhere, it is the same answer.
            (
                &[&kitty[..5], &kitty[5..30], &kitty[30..]],
                None,
                Some(Protocol::Kitty),
            ),
            (
                &[b"\x1bP>|iTerm2 3.5.0\x1b\\\x1b[?62;4c"],
                None,
                Some(Protocol::Iterm2),
            ),
            (
                &[b"\x1bP>|WezTerm 20240203\x1b\\\x1b[?65;4;6c"],
                None,
                Some(Protocol::Iterm2),
            ),
            (&[b"\x1b[?62;4;22c"], None, Some(Protocol::Sixel)),
            (&[b"\x1b[?1;2;4c"], None, Some(Protocol::Sixel)),
            (&[b"\x1b[?62;1;6;22c"], None, None),
            (&[b"\x1b[?64;c"], Some("iTerm.app"), Some(Protocol::Iterm2)),
            // An error from a terminal that knows the kitty query but not
            // the format is not a yes.
            (&[b"\x1b_Gi=31;ENOTSUPPORTED\x1b\\\x1b[?62c"], None, None),
            // No DA1 reply: nothing is assumed, even the env's word.
            (&[b""], Some("iTerm.app"), None),
            (&[b"\x1b_Gi=31;OK\x1b\\"], None, None),
            (&[], None, None),
        ];
        for (pieces, tp, want) in table {
            let (got, sent) = ask(pieces, *tp);
            assert_eq!(got.map(|c| c.protocol), *want, "{pieces:?}");
            assert_eq!(sent, QUERY);
        }
    }

    #[test]
    fn replies_are_parsed_with_noise_around_them() {
        assert_eq!(
            parse_replies(b"typed\x1b[?62;4c", None),
            Some(Caps {
                protocol: Protocol::Sixel,
                cell: None
            })
        );
        // The cell size comes with it when the terminal tells.
        let c = parse_replies(b"\x1b[6;20;10t\x1b[?62;4c", None).unwrap();
        assert_eq!(c.cell, Some((10, 20)));
        assert_eq!(cell_size("\x1b[6;0;0t"), None);
        assert_eq!(cell_size("\x1b[6;20t"), None);
        assert_eq!(da1_params(b"\x1b[?62;4;22c"), Some(vec![62, 4, 22]));
        assert_eq!(da1_params(b"\x1b[?62;4"), None);
        assert_eq!(da1_params(b"\x1b[?62;4R"), None);
        assert_eq!(xtversion("\x1bP>|foot(1.16)\x1b\\"), Some("foot(1.16)"));
    }

    fn caps(protocol: Protocol) -> Caps {
        Caps {
            protocol,
            cell: None,
        }
    }

    #[test]
    fn sixel_is_shrunk_to_the_window_by_the_cell_size() {
        let img = RgbImage::from_pixel(1000, 100, image::Rgb([9, 9, 9]));
        let width_of = |cell| {
            let s = encode(
                Caps {
                    protocol: Protocol::Sixel,
                    cell,
                },
                &[],
                &img,
                50,
            );
            let d = icy_sixel::SixelImage::decode(&s[..s.len() - 1]).unwrap();
            d.width
        };
        assert_eq!(width_of(None), 400, "8-pixel cells by default");
        assert_eq!(width_of(Some((10, 20))), 500);
        assert_eq!(width_of(Some((25, 50))), 1000, "never enlarged");
    }

    fn tiny() -> (Vec<u8>, RgbImage) {
        let img = RgbImage::from_pixel(40, 20, image::Rgb([200, 10, 10]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img.clone())
            .write_to(&mut io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        (png, img)
    }

    #[test]
    fn each_protocol_has_its_escape_sequence() {
        let (png, img) = tiny();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
        let k = String::from_utf8(encode(caps(Protocol::Kitty), &png, &img, 100)).unwrap();
        assert!(k.starts_with("\x1b_Gf=100,a=T,q=2,c=5,m=0;"), "{k:?}");
        assert!(k.contains(&b64) && k.ends_with("\x1b\\\n"));
        let i = String::from_utf8(encode(caps(Protocol::Iterm2), &png, &img, 100)).unwrap();
        assert!(i.starts_with(&format!("\x1b]1337;File=inline=1;size={};", png.len())));
        assert!(i.contains(&b64) && i.ends_with("\x07\n"));
        let s = encode(caps(Protocol::Sixel), &png, &img, 100);
        assert!(
            s.starts_with(b"\x1bP") && s.ends_with(b"\x1b\\\n"),
            "{:?}",
            &s[..10]
        );
    }

    #[test]
    fn a_big_picture_goes_to_kitty_in_chunks() {
        let img = RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([(x * y % 251) as u8, x as u8, y as u8])
        });
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img.clone())
            .write_to(&mut io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let k = String::from_utf8(encode(caps(Protocol::Kitty), &png, &img, 80)).unwrap();
        let parts: Vec<&str> = k
            .split("\x1b\\")
            .filter(|p| p.starts_with("\x1b_G"))
            .collect();
        assert!(parts.len() > 1);
        assert!(parts[..parts.len() - 1].iter().all(|p| p.contains("m=1;")));
        assert!(parts.last().unwrap().starts_with("\x1b_Gm=0;"));
        // The payloads, put together, are the PNG.
        let payload: String = parts.iter().map(|p| p.split_once(';').unwrap().1).collect();
        let b64 = base64::engine::general_purpose::STANDARD;
        assert_eq!(b64.decode(payload).unwrap(), png);
    }

    #[test]
    fn links_are_file_uris() {
        assert_eq!(
            file_uri(Path::new("/home/a/my board#1.png")),
            "file:///home/a/my%20board%231.png"
        );
        assert_eq!(
            link(Path::new("/tmp/b.png"), "b.png"),
            "\x1b]8;;file:///tmp/b.png\x1b\\b.png\x1b]8;;\x1b\\"
        );
        assert_eq!(file_uri(Path::new("C:\\x\\b.png")), "file:///C:/x/b.png");
    }
}
