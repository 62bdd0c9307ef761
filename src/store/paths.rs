//! Where img2yt keeps its files.
//!
//! Everything lives in one config dir: `--config-dir` / `IMG2YT_CONFIG_DIR`
//! when given (tests and isolated setups), else the platform's config dir
//! (`~/.config/img2yt` on Linux). The client id is shared with every other
//! NemoVideo tool (`<config>/nemovideo/client_id`), except in an isolated
//! config dir, where it lives inside it too.
//!
//! The offline backend's data (its database, uploads and renders) is not
//! the client's: [`local_data_dir`] says where `--local` keeps it.

use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub client_id_file: PathBuf,
    /// `--local`: the offline backend's project and token live in their own
    /// store file, so switching between the cloud and `--local` never swaps
    /// one's token or current project for the other's.
    pub local: bool,
}

impl Paths {
    /// Resolve the paths; `explicit` is `--config-dir` or `IMG2YT_CONFIG_DIR`.
    pub fn resolve(explicit: Option<PathBuf>) -> io::Result<Paths> {
        if let Some(dir) = explicit.filter(|d| !d.as_os_str().is_empty()) {
            return Ok(Paths {
                client_id_file: dir.join("nemovideo").join("client_id"),
                config_dir: dir,
                local: false,
            });
        }
        let base = directories::BaseDirs::new().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "cannot find your home folder; set IMG2YT_CONFIG_DIR",
            )
        })?;
        let config_dir = directories::ProjectDirs::from("", "", "img2yt")
            .map(|p| p.config_dir().to_path_buf())
            .unwrap_or_else(|| base.config_dir().join("img2yt"));
        Ok(Paths {
            client_id_file: base.config_dir().join("nemovideo").join("client_id"),
            config_dir,
            local: false,
        })
    }

    pub fn store_file(&self) -> PathBuf {
        self.config_dir.join(if self.local {
            "store-local.json"
        } else {
            "store.json"
        })
    }

    pub fn lock_file(&self) -> PathBuf {
        self.config_dir.join(if self.local {
            "store-local.lock"
        } else {
            "store.lock"
        })
    }

    pub fn history_file(&self) -> PathBuf {
        self.config_dir.join("history.txt")
    }

    pub fn downloads_dir(&self) -> &Path {
        &self.config_dir
    }
}

/// Where `--local` (and `serve` by default) keeps the offline backend's
/// data: `IMG2YT_DATA_DIR`, else `<config dir>/local` for an explicit
/// config dir (so an isolated setup stays isolated), else the platform's
/// data dir + `/local` (`~/.local/share/img2yt/local` on Linux).
pub fn local_data_dir(explicit_config: Option<&Path>) -> io::Result<PathBuf> {
    if let Some(d) = std::env::var_os("IMG2YT_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    if let Some(dir) = explicit_config.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(dir.join("local"));
    }
    directories::ProjectDirs::from("", "", "img2yt")
        .map(|p| p.data_dir().join("local"))
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "cannot find your home folder; set IMG2YT_DATA_DIR",
            )
        })
}
