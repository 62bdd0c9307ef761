//! The frames' way into ffmpeg: its standard input, a pipe.
//!
//! On Linux a frame is lent to the pipe rather than copied into it:
//! `vmsplice` puts references to the frame's own pages in the pipe, and
//! ffmpeg's read copies straight out of them. That is one copy of every
//! frame fewer (3 MB a frame at 1080p), and no pipe pages to allocate for
//! it: img2yt's kernel time in a 28-second 1080p render went from about
//! 0.55 to 0.35 s.
//!
//! The price is that a lent frame must not be written again until ffmpeg
//! has read it, so it is not handed back to the frame [`Pool`] at once. A
//! pipe holds at most its capacity in bytes, at most a page in each of
//! its slots, and is read in order: once a capacity's worth of bytes has
//! gone in after a frame, every slot holding part of that frame has been
//! read and let go. Until then the frame waits here (at 1080p, one frame:
//! the pipe is 1 MB). The frames still lent when the pipe closes are
//! handed to the caller, to be dropped only once ffmpeg has exited.
//!
//! Elsewhere, or where `vmsplice` is refused (a seccomp filter, say),
//! frames are written as before.

use std::io;

use tokio::process::ChildStdin;

use super::compose::Pool;

#[cfg(target_os = "linux")]
pub use linux::Frames;

#[cfg(not(target_os = "linux"))]
pub use portable::Frames;

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use rustix::io::Errno;
    use rustix::pipe::{IoSliceRaw, SpliceFlags};
    use std::collections::VecDeque;
    use std::os::fd::OwnedFd;
    use tokio::io::unix::AsyncFd;
    use tokio::io::Interest;

    /// A pipe of 1 MB instead of 64 KB, when the system allows: each 64 KB
    /// the pipe holds is one more wake-up of the writer and of ffmpeg's reader
    /// (a few percent of a render's CPU). A pipe that stays small only costs
    /// that.
    const WIDE: usize = 1 << 20;

    /// Frames lent to the pipe, oldest first, each with how many bytes went
    /// in after it.
    #[derive(Default)]
    pub(super) struct Lent {
        pub(super) frames: VecDeque<(Vec<u8>, usize)>,
    }

    impl Lent {
        /// `n` more bytes went in after every frame held here.
        pub(super) fn went_in(&mut self, n: usize) {
            for (_, after) in &mut self.frames {
                *after += n;
            }
        }

        /// Hand back to `pool` the frames a pipe of `capacity` bytes has
        /// surely been read past.
        pub(super) fn release(&mut self, capacity: usize, pool: &Pool) {
            while self
                .frames
                .front()
                .is_some_and(|(_, after)| *after >= capacity)
            {
                if let Some((frame, _)) = self.frames.pop_front() {
                    pool.put(frame);
                }
            }
        }
    }

    pub struct Frames {
        fd: AsyncFd<OwnedFd>,
        /// The pipe's capacity in bytes; 0 if unknown (then nothing is
        /// lent).
        capacity: usize,
        lend: bool,
        lent: Lent,
    }

    impl Frames {
        pub fn new(stdin: ChildStdin) -> io::Result<Frames> {
            let fd = stdin.into_owned_fd()?;
            // A failure leaves the pipe as it was, which works.
            let _ = rustix::pipe::fcntl_setpipe_size(&fd, WIDE);
            let capacity = rustix::pipe::fcntl_getpipe_size(&fd).unwrap_or(0);
            rustix::io::ioctl_fionbio(&fd, true)?;
            // SAFETY: an owned descriptor, open and the same for as long
            // as the AsyncFd owns it.
            let fd = unsafe { AsyncFd::register_with_interest(fd, Interest::WRITABLE) }?;
            Ok(Frames {
                fd,
                capacity,
                lend: capacity > 0,
                lent: Lent::default(),
            })
        }

        /// Put `frame` into the pipe, waiting while it is full; frames
        /// ffmpeg is done with go back to `pool`.
        pub async fn send(&mut self, frame: Vec<u8>, pool: &Pool) -> io::Result<()> {
            let mut at = 0;
            while at < frame.len() {
                let mut ready = self.fd.writable().await?;
                let rest = &frame[at..];
                let lend = self.lend;
                let put = ready.try_io(|fd| {
                    let r = if lend {
                        // SAFETY: `fd` is the pipe's write end, so the
                        // kernel only reads `rest`; and `rest` is not
                        // written to again until ffmpeg has read it (see
                        // the module's doc: the frame is held in `lent`).
                        unsafe {
                            rustix::pipe::vmsplice(
                                fd,
                                &[IoSliceRaw::from_slice(rest)],
                                SpliceFlags::NONBLOCK,
                            )
                        }
                    } else {
                        rustix::io::write(fd, rest)
                    };
                    r.map_err(io::Error::from)
                });
                match put {
                    Ok(Ok(n)) => {
                        at += n;
                        self.lent.went_in(n);
                    }
                    // vmsplice refused before anything was lent: write
                    // (so `lend` only ever changes while nothing is lent).
                    Ok(Err(e)) if lend && at == 0 && self.lent.frames.is_empty() && refused(&e) => {
                        self.lend = false;
                    }
                    Ok(Err(e)) => return Err(e),
                    // Full: wait until ffmpeg reads.
                    Err(_would_block) => continue,
                }
            }
            self.lent.release(self.capacity, pool);
            if self.lend {
                self.lent.frames.push_back((frame, 0));
            } else {
                pool.put(frame);
            }
            Ok(())
        }

        /// Close the pipe (ffmpeg sees the end of its input). What it
        /// returns is still lent: drop it once ffmpeg has exited.
        pub fn close(self) -> Vec<Vec<u8>> {
            self.lent.frames.into_iter().map(|(f, _)| f).collect()
        }
    }

    /// Errors that mean vmsplice cannot be used on this pipe at all.
    fn refused(e: &io::Error) -> bool {
        [Errno::INVAL, Errno::NOSYS, Errno::PERM, Errno::ACCESS]
            .iter()
            .any(|errno| e.raw_os_error() == Some(errno.raw_os_error()))
    }
}

#[cfg(not(target_os = "linux"))]
mod portable {
    use super::*;
    use tokio::io::AsyncWriteExt;

    pub struct Frames {
        stdin: ChildStdin,
    }

    impl Frames {
        pub fn new(stdin: ChildStdin) -> io::Result<Frames> {
            Ok(Frames { stdin })
        }

        pub async fn send(&mut self, frame: Vec<u8>, pool: &Pool) -> io::Result<()> {
            self.stdin.write_all(&frame).await?;
            pool.put(frame);
            Ok(())
        }

        pub fn close(self) -> Vec<Vec<u8>> {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_frame_is_kept_until_a_pipe_full_has_gone_in_after_it() {
        let pool = Pool::default();
        let mut lent = linux::Lent::default();
        lent.frames.push_back((vec![1; 10], 0));
        lent.went_in(6);
        lent.frames.push_back((vec![2; 6], 0));
        lent.release(8, &pool);
        assert_eq!(lent.frames.len(), 2, "only 6 bytes went in after the first");
        lent.went_in(2);
        lent.release(8, &pool);
        assert_eq!(lent.frames.len(), 1);
        assert_eq!(lent.frames[0].0, vec![2; 6]);
        assert_eq!(
            pool.take(0).capacity(),
            10,
            "the first went back to the pool"
        );
    }

    /// Each frame's bytes: its number, then a count, so a frame overwritten
    /// by a later one before it was read shows.
    fn pattern(i: usize, frame: &mut [u8]) {
        for (j, b) in frame.iter_mut().enumerate() {
            *b = (i * 7 + j) as u8 ^ (j >> 8) as u8;
        }
    }

    /// A reader that starts late, so the pipe fills and the writer waits
    /// with frames lent, while buffers keep being reused for new frames:
    /// what arrives must be exactly what was sent.
    #[tokio::test]
    async fn frames_arrive_intact_while_their_buffers_are_reused() {
        let dir = tempfile::tempdir().unwrap();
        let got = dir.path().join("got");
        let mut child = tokio::process::Command::new("sh")
            .args(["-c", "sleep 0.3; exec cat > \"$0\""])
            .arg(&got)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut pipe = Frames::new(child.stdin.take().unwrap()).unwrap();
        let pool = Pool::default();
        // Not a whole number of pages; 4 MB in all, several pipes full.
        let (n, len) = (400, 10_007);
        let mut want = Vec::with_capacity(n * len);
        for i in 0..n {
            let mut frame = pool.take(len);
            pattern(i, &mut frame);
            want.extend_from_slice(&frame);
            pipe.send(frame, &pool).await.unwrap();
        }
        let lent = pipe.close();
        assert!(child.wait().await.unwrap().success());
        drop(lent);
        let got = std::fs::read(&got).unwrap();
        assert_eq!(got.len(), want.len());
        let first = got.iter().zip(&want).position(|(a, b)| a != b);
        assert_eq!(first, None, "frame {:?} differs", first.map(|p| p / len));
    }
}
