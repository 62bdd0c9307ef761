//! Globs (with the shell's `{a,b}` braces, which the glob crate lacks) and
//! folders, listed in natural order.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

pub(super) fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '[']) || (s.contains('{') && s.contains(',') && s.contains('}'))
}

/// Shell-style brace expansion (`*.{jpg,png}` → `*.jpg`, `*.png`), which
/// the glob crate lacks. Nested braces work; a brace group without a comma
/// stays literal. At most [`MAX_BRACE_ALTERNATIVES`] results.
pub(super) fn expand_braces(pattern: &str) -> Vec<String> {
    let mut done = Vec::new();
    let mut todo = vec![(pattern.to_string(), 0usize)];
    while let Some((p, from)) = todo.pop() {
        if done.len() + todo.len() >= MAX_BRACE_ALTERNATIVES {
            done.push(p);
            continue;
        }
        match find_brace_group(&p, from) {
            None => done.push(p),
            Some((open, close, commas)) => {
                let mut cuts = vec![open];
                cuts.extend(commas);
                cuts.push(close);
                // Pushed in reverse so that alternatives come out in order.
                for w in cuts.windows(2).rev() {
                    let expanded =
                        format!("{}{}{}", &p[..open], &p[w[0] + 1..w[1]], &p[close + 1..]);
                    todo.push((expanded, open));
                }
            }
        }
    }
    done
}

/// First `{…}` at or after byte `from` that has a top-level comma: its
/// brace positions and comma positions.
pub(super) fn find_brace_group(p: &str, from: usize) -> Option<(usize, usize, Vec<usize>)> {
    let bytes = p.as_bytes();
    let mut search = from;
    while let Some(rel) = p.get(search..)?.find('{') {
        let open = search + rel;
        let mut depth = 0;
        let mut commas = Vec::new();
        for (i, &b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        if !commas.is_empty() {
                            return Some((open, i, commas));
                        }
                        break;
                    }
                }
                b',' if depth == 1 => commas.push(i),
                _ => {}
            }
        }
        search = open + 1;
    }
    None
}

/// A folder's supported files (not recursive, hidden files skipped), in
/// natural order of their names. Symlinks to files count.
pub(super) fn list_folder(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| !is_hidden(p) && is_supported(p) && p.is_file())
        .map(|p| clean_path(&p))
        .collect();
    files.sort_by(|a, b| {
        let name = |p: &Path| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        };
        natural_cmp(&name(a), &name(b))
    });
    Ok(files)
}

pub(super) fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => e.to_string(),
    }
}
