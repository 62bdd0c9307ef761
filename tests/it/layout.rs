//! The house is one-way: no two sibling modules import each other (directly
//! or through others), and the embedded server names nothing of the
//! client's. Read from the source itself, so that it stays true as the code
//! changes: every `crate::…` and `super::…` path outside the test modules
//! is an edge from the module that writes it to the sibling it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the server may name outside itself: the wire types and the
/// timeline they carry, shared with the client.
const SERVER_MAY_NAME: &[&str] = &["server", "wire", "timeline"];

/// Every module of the crate: its path (`["server", "agent"]`) and file.
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "main" | "lib")
            ) {
                parts.pop();
            }
            out.insert(parts, path);
        }
    }
    // Modules declared `#[cfg(test)] mod name;` are tests, wherever their
    // file is.
    let tests: Vec<Vec<String>> = out
        .iter()
        .flat_map(|(here, file)| {
            let text = std::fs::read_to_string(file).unwrap();
            let mut found = Vec::new();
            let mut rest = text.as_str();
            while let Some(i) = rest.find("#[cfg(test)]") {
                rest = &rest[i + "#[cfg(test)]".len()..];
                let item = rest.trim_start();
                let item = item.strip_prefix("pub ").unwrap_or(item);
                if let Some(decl) = item.strip_prefix("mod ") {
                    if let Some((name, _)) = decl.split_once(';') {
                        let mut m = here.clone();
                        m.push(name.trim().to_string());
                        found.push(m);
                    }
                }
            }
            found
        })
        .collect();
    out.retain(|m, _| !tests.iter().any(|t| m.starts_with(t)));
    out
}

/// The source without comments, string literals and `#[cfg(test)]` items
/// (a test may reach anywhere; the production code may not).
fn code_of(text: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 4 + e);
            i = end;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.extend_from_slice(b"\"\"");
        } else if b[i..].starts_with(b"#[cfg(test)]") {
            // Skip the attribute and the item after it: up to its `;` or
            // its balanced `{…}`.
            i += "#[cfg(test)]".len();
            let mut depth = 0usize;
            while i < b.len() {
                match b[i] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    b';' if depth == 0 => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('{', '\n'); lifetimes ('a) are left alone.
            let close = text[i + 1..].find('\'').map_or(b.len(), |e| i + 2 + e);
            i = close;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every path `crate::…` / `super::…` / `self::…` in `code`, expanded
/// through `{…}` groups, as absolute module paths (from `here`).
fn paths_in(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let b = code.as_bytes();
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let starts = (i == 0 || !is_ident(b[i - 1]) && b[i - 1] != b':')
            && ["crate::", "super::", "self::"]
                .iter()
                .any(|p| b[i..].starts_with(p.as_bytes()));
        if !starts {
            i += 1;
            continue;
        }
        let mut prefixes = Vec::new();
        i = tree(code, i, Vec::new(), &mut prefixes);
        for p in prefixes {
            if let Some(abs) = absolute(&p, here) {
                out.push(abs);
            }
        }
    }
    out
}

/// Parse one use tree at `i` (segments separated by `::`, `{a, b::c}`
/// groups), pushing each full path onto `out`; returns where it ends.
fn tree(code: &str, mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let b = code.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        i = skip_ws(i);
        if i < b.len() && b[i] == b'{' {
            i += 1;
            loop {
                i = skip_ws(i);
                if i >= b.len() || b[i] == b'}' {
                    break;
                }
                i = tree(code, i, prefix.clone(), out);
                i = skip_ws(i);
                if i < b.len() && b[i] == b',' {
                    i += 1;
                }
            }
            return i + 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'*') {
            i += 1;
        }
        if i == start {
            out.push(prefix);
            return i;
        }
        prefix.push(code[start..i].to_string());
        let j = skip_ws(i);
        if b[j..].starts_with(b"::") {
            i = j + 2;
        } else {
            out.push(prefix);
            return i;
        }
    }
}

/// `crate::a::b` → `[a, b]`; `super::x` from `[a, b]` → `[a, x]`.
fn absolute(p: &[String], here: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = Vec::new();
    let mut rest = p;
    match p.first().map(String::as_str) {
        Some("crate") => rest = &p[1..],
        Some("self") => {
            base = here.to_vec();
            rest = &p[1..];
        }
        Some("super") => {
            base = here.to_vec();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module a path names: its longest prefix that is a module.
fn module_of(path: &[String], mods: &BTreeSet<Vec<String>>) -> Vec<String> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| mods.contains(p))
        .unwrap_or_default()
}

/// Edges between siblings: (parent, from child, to child) → one file that
/// makes it, for the message.
type Edges = BTreeMap<(Vec<String>, String, String), String>;

fn graph() -> (Edges, Vec<String>) {
    let mods = modules();
    let names: BTreeSet<Vec<String>> = mods.keys().cloned().collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut edges = Edges::new();
    let mut server_leaks = Vec::new();
    for (here, file) in &mods {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let shown = file.strip_prefix(&src).unwrap().display().to_string();
        for path in paths_in(&code, here) {
            let to = module_of(&path, &names);
            let common = here.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if here.first().is_some_and(|m| m == "server")
                && !to
                    .first()
                    .is_none_or(|m| SERVER_MAY_NAME.contains(&m.as_str()))
            {
                server_leaks.push(format!("src/{shown} names crate::{}", to.join("::")));
            }
            // An ancestor's own items, or a module's own children: not
            // between siblings.
            if common == here.len() || common == to.len() {
                continue;
            }
            let key = (
                here[..common].to_vec(),
                here[common].clone(),
                to[common].clone(),
            );
            edges
                .entry(key)
                .or_insert_with(|| format!("src/{shown} names {}", path.join("::")));
        }
    }
    (edges, server_leaks)
}

/// The import circles among each parent's children, each as one line.
fn circles(edges: &Edges) -> Vec<String> {
    let mut by_parent: BTreeMap<&Vec<String>, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for (parent, from, to) in edges.keys() {
        by_parent
            .entry(parent)
            .or_default()
            .entry(from)
            .or_default()
            .push(to);
    }
    let mut found = Vec::new();
    for (parent, g) in by_parent {
        let nodes: BTreeSet<&str> = g
            .iter()
            .flat_map(|(k, v)| std::iter::once(*k).chain(v.iter().copied()))
            .collect();
        for &start in &nodes {
            // The shortest way back to `start`, if any (breadth first).
            let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([start]);
            let mut back = None;
            while let Some(n) = queue.pop_front() {
                for &m in g.get(n).into_iter().flatten() {
                    if m == start {
                        back = Some(n);
                        break;
                    }
                    if !seen.contains_key(m) {
                        seen.insert(m, n);
                        queue.push_back(m);
                    }
                }
                if back.is_some() {
                    break;
                }
            }
            let Some(mut n) = back else { continue };
            let mut way = vec![n];
            while n != start {
                n = seen[n];
                way.push(n);
            }
            way.reverse();
            // Report each circle once, from its smallest member.
            if way.iter().min() != Some(&start) {
                continue;
            }
            let steps: Vec<String> = way
                .iter()
                .zip(way.iter().cycle().skip(1))
                .map(|(a, b)| {
                    let key = (parent.clone(), a.to_string(), b.to_string());
                    format!("{a} → {b} ({})", edges[&key])
                })
                .collect();
            let at = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            found.push(format!("in {at}: {}", steps.join("; ")));
        }
    }
    found
}

#[test]
fn no_two_sibling_modules_import_each_other() {
    let (edges, _) = graph();
    assert!(edges.len() > 20, "the reader found the imports");
    let found = circles(&edges);
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_server_names_nothing_of_the_clients() {
    let (_, leaks) = graph();
    assert!(
        leaks.is_empty(),
        "the server reaches into the client:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn the_reader_sees_circles_and_leaks_when_there_are_some() {
    let here = vec!["server".to_string(), "jobs".to_string()];
    let code = code_of(
        "use crate::{ui::Out, server::{routes::sanitize, db}};\n\
         // crate::nowhere::Commented\n\
         let s = \"crate::inside::a::string\";\n\
         fn f() { super::world::World::new(); }\n\
         #[cfg(test)]\nmod tests { use crate::cli::Args; }\n",
    );
    let got = paths_in(&code, &here);
    let want: Vec<Vec<String>> = [
        "ui::Out",
        "server::routes::sanitize",
        "server::db",
        "server::world::World::new",
    ]
    .iter()
    .map(|p| p.split("::").map(str::to_string).collect())
    .collect();
    assert_eq!(got, want);
    let mut edges = Edges::new();
    let server = vec!["server".to_string()];
    for (a, b) in [("jobs", "routes"), ("routes", "db"), ("db", "jobs")] {
        edges.insert((server.clone(), a.into(), b.into()), format!("{a}.rs"));
    }
    let found = circles(&edges);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("in server: db → jobs"), "{found:?}");
}

/// The graph itself, for a reader planning a move:
/// `cargo test --test it layout::print -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_the_sibling_imports() {
    let (edges, _) = graph();
    for ((parent, from, to), why) in &edges {
        let at = if parent.is_empty() {
            "crate".to_string()
        } else {
            parent.join("::")
        };
        println!("{at}: {from} → {to}  ({why})");
    }
}
