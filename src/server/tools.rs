//! The programs the offline backend runs (ffmpeg, ffprobe, libheif's
//! decoder): finding them on PATH without running them, so start-up stays
//! fast, and saying in one line how to install a missing one on this
//! system.

use std::path::PathBuf;

/// A program on PATH, without running it.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let p = dir.join(program);
        if p.is_file() {
            return Some(p);
        }
        let exe = dir.join(format!("{program}.exe"));
        exe.is_file().then_some(exe)
    })
}

/// What a tool's package is called by each package manager (`None`: that
/// manager has none).
pub struct Packages {
    pub brew: &'static str,
    pub winget: Option<&'static str>,
    pub apt: &'static str,
    pub dnf: &'static str,
    pub pacman: &'static str,
    pub zypper: &'static str,
    pub apk: &'static str,
}

/// The command that installs `p` with this system's package manager, when
/// one is known.
pub fn install_command(p: &Packages) -> Option<String> {
    if cfg!(target_os = "macos") {
        return Some(format!("brew install {}", p.brew));
    }
    if cfg!(windows) {
        return p.winget.map(|w| format!("winget install {w}"));
    }
    [
        ("apt-get", "sudo apt install", p.apt),
        ("dnf", "sudo dnf install", p.dnf),
        ("pacman", "sudo pacman -S", p.pacman),
        ("zypper", "sudo zypper install", p.zypper),
        ("apk", "sudo apk add", p.apk),
    ]
    .into_iter()
    .find(|(manager, ..)| which(manager).is_some())
    .map(|(_, install, package)| format!("{install} {package}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_found_on_path_only() {
        if cfg!(unix) {
            assert!(which("sh").is_some());
        }
        assert!(which("img2yt-no-such-program").is_none());
    }
}
