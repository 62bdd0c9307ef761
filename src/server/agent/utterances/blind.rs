//! Rows written by people who never saw the code or the table in `rows.rs`
//! (tests/utterances/*.txt), and the reader of their `STATE | message |
//! changes` lines.

use super::*;

/// Rows from a file, for measuring the agent on requests written by people
/// who have not seen this table: `IMG2YT_UTTERANCES=rows.txt cargo test
/// --lib blind -- --ignored --nocapture`. Each line is `STATE | message |
/// changes` (`V3`, `U4`, `M4_80`, `T3`; `Secs(2)`, `Total(20)`,
/// `AtMost(30)`, `Slower`, `Faster`, `LongerTrans`, `ShorterTrans`,
/// `Kind(wipe)`, `TransSecs(1)`, `Kb(off)`, `Title(x)`, `NoTitle`,
/// `Closing(x)`, `NoClosing`, `Gen(calm)`, `Vol(60)`, `Louder`, `Quieter`,
/// `NoMusic`, `Aspect(square)`, `Res(720)`, `Order(2,1,3)`, `Same`,
/// `OOS(word)`, `ASK`).
#[test]
#[ignore]
fn blind_rows_from_file() {
    let Ok(path) = std::env::var("IMG2YT_UTTERANCES") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("rows file");
    let (n, wrong) = run_rows(&text);
    println!(
        "{}\n{} of {n} rows right",
        wrong.join("\n"),
        n - wrong.len()
    );
}

/// Rows written by people who had read only the README's table, never
/// this code or the table above (tests/utterances/): every one must pass.
#[test]
fn rows_written_from_the_readme_alone() {
    for (name, text) in [
        (
            "readme-only-1",
            include_str!("../../../../tests/utterances/readme-only-1.txt"),
        ),
        (
            "readme-only-2",
            include_str!("../../../../tests/utterances/readme-only-2.txt"),
        ),
        (
            "readme-only-3",
            include_str!("../../../../tests/utterances/readme-only-3.txt"),
        ),
        (
            "readme-only-4",
            include_str!("../../../../tests/utterances/readme-only-4.txt"),
        ),
        (
            "readme-only-5",
            include_str!("../../../../tests/utterances/readme-only-5.txt"),
        ),
        (
            "readme-only-6",
            include_str!("../../../../tests/utterances/readme-only-6.txt"),
        ),
        (
            "readme-only-7",
            include_str!("../../../../tests/utterances/readme-only-7.txt"),
        ),
        (
            "readme-only-8",
            include_str!("../../../../tests/utterances/readme-only-8.txt"),
        ),
    ] {
        let (n, wrong) = run_rows(text);
        assert!(
            wrong.is_empty(),
            "{name}: {} of {n} rows wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        assert!(n >= 150, "{name}: {n} rows");
    }
}

/// Check every `STATE | message | changes` line: (rows read, what failed).
fn run_rows(text: &str) -> (usize, Vec<String>) {
    let (mut n, mut wrong) = (0, Vec::new());
    for line in text
        .lines()
        .filter(|l| l.contains('|') && !l.starts_with('#'))
    {
        let mut parts = line.splitn(3, '|').map(str::trim);
        let (st, msg, want) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap_or(""),
        );
        let Some(row) = blind_row(st, msg, want) else {
            wrong.push(format!("unreadable row: {line}"));
            continue;
        };
        n += 1;
        if let Some(w) = check_blind(&row) {
            wrong.push(w);
        }
    }
    (n, wrong)
}

/// A relative change the blind rows may ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rel {
    Slower,
    Faster,
    LongerTrans,
    ShorterTrans,
    Louder,
    Quieter,
}

struct BlindRow {
    row: Row,
    rel: Vec<Rel>,
    at_most: Option<f64>,
    ask: bool,
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn blind_row(st: &str, msg: &str, want: &str) -> Option<BlindRow> {
    let n = |s: &str| s.parse::<usize>().ok();
    let st = match st.split_at(1) {
        ("V", k) => St::V(n(k)?),
        ("U", k) => St::U(n(k)?),
        ("T", k) => St::Tx(n(k)?),
        ("M", k) => {
            let (a, b) = k.split_once('_').unwrap_or((k, "100"));
            St::M(n(a)?, b.parse().ok()?)
        }
        _ => return None,
    };
    let mut b = BlindRow {
        row: rs(st, leak(msg), vec![], &[]),
        rel: vec![],
        at_most: None,
        ask: false,
    };
    for c in want.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let (name, arg) = match c.split_once('(') {
            Some((a, r)) => (a.trim(), r.strip_suffix(')')?.trim()),
            None => (c, ""),
        };
        let f = || arg.parse::<f64>().ok();
        let ch = match name {
            "Secs" => Ch::Secs(f()?),
            "Total" => Ch::Total(f()?),
            "AtMost" => {
                b.at_most = Some(f()?);
                Ch::Total(f()?)
            }
            "Kind" => Ch::Kind(match arg {
                "crossfade" => T::Crossfade,
                "fadeblack" => T::FadeBlack,
                "wipe" => T::Wipe,
                "slide" => T::Slide,
                "none" => T::None,
                _ => return None,
            }),
            "TransSecs" => Ch::TransMs((f()? * 1000.0).round() as u64),
            "Kb" => Ch::Kb(arg == "on"),
            "Title" => Ch::Title(leak(arg)),
            "NoTitle" => Ch::NoTitle,
            "Closing" => Ch::Closing(leak(arg)),
            "NoClosing" => Ch::NoClosing,
            "Gen" => Ch::Gen(match arg {
                "calm" => Mood::Calm,
                "upbeat" => Mood::Upbeat,
                "lofi" => Mood::LoFi,
                _ => return None,
            }),
            "Vol" => Ch::Vol(f()? as u32),
            "NoMusic" => Ch::NoMusic,
            "Aspect" => Ch::Aspect(match arg {
                "portrait" => A::Portrait,
                "square" => A::Square,
                "landscape" => A::Landscape,
                _ => return None,
            }),
            "Res" => Ch::Res(f()? as u32),
            "Order" => {
                let o: Option<Vec<usize>> = arg.split(',').map(|x| n(x.trim())).collect();
                Ch::Order(Box::leak(o?.into_boxed_slice()))
            }
            "Same" => continue,
            "OOS" => {
                b.row.says.push(leak(arg));
                continue;
            }
            "ASK" => {
                b.ask = true;
                continue;
            }
            rel => {
                b.rel.push(match rel {
                    "Slower" => Rel::Slower,
                    "Faster" => Rel::Faster,
                    "LongerTrans" => Rel::LongerTrans,
                    "ShorterTrans" => Rel::ShorterTrans,
                    "Louder" => Rel::Louder,
                    "Quieter" => Rel::Quieter,
                    _ => return None,
                });
                continue;
            }
        };
        b.row.want.push(ch);
    }
    Some(b)
}

/// `check` for a blind row: relative changes are checked by direction, an
/// upper bound by not being exceeded.
fn check_blind(b: &BlindRow) -> Option<String> {
    let (mut s, before) = start(b.row.st);
    let turn = plan_turn(&mut s, b.row.msg, "e-1");
    let reply = said(&turn.steps);
    let fail = |why: String| {
        Some(format!(
            "{:?} {:?}: {why}\n   reply: {reply}",
            b.row.st, b.row.msg
        ))
    };
    let Some(after) = Slideshow::from_draft(&s.draft) else {
        return fail("no video afterwards".into());
    };
    let mut want = expect(&before, &after, &b.row.want, b.row.msg);
    if let Some(max) = b.at_most {
        let d = after.duration_ms() as f64;
        if d <= max * 1000.0 + 1.0 && d > max * 1000.0 * 0.7 {
            want.photos = after.photos.clone();
        }
    }
    let moved = |a: u64, b: u64, up: bool| if up { a > b } else { a < b };
    for r in &b.rel {
        match r {
            Rel::Slower | Rel::Faster => {
                let (a, z) = (after.photos[0].ms, before.photos[0].ms);
                if moved(a, z, *r == Rel::Slower) {
                    want.photos.iter_mut().for_each(|p| p.ms = a);
                }
            }
            Rel::LongerTrans | Rel::ShorterTrans => {
                if moved(
                    after.transition.ms,
                    before.transition.ms,
                    *r == Rel::LongerTrans,
                ) {
                    want.transition.ms = after.transition.ms;
                }
            }
            Rel::Louder | Rel::Quieter => {
                let v = |s: &Slideshow| s.music.as_ref().map(|m| m.volume as u64).unwrap_or(0);
                if moved(v(&after), v(&before), *r == Rel::Louder) {
                    want.music = after.music.clone();
                }
            }
        }
    }
    let mut why = Vec::new();
    if after != want {
        why.push(diff(&want, &after));
    }
    for needle in &b.row.says {
        if !reply.to_lowercase().contains(&needle.to_lowercase()) {
            why.push(format!("reply lacks {needle:?}"));
        }
    }
    if b.ask && !reply.contains('?') && !reply.contains('？') {
        why.push("no question asked".into());
    }
    (!why.is_empty()).then(|| fail(why.join("; "))).flatten()
}

/// A field of a slideshow, by name, as text.
type Field<'a> = (&'a str, &'a dyn Fn(&Slideshow) -> String);

/// The fields of two slideshows that differ, as `field: want → got`.
fn diff(want: &Slideshow, got: &Slideshow) -> String {
    let photos = |s: &Slideshow| {
        s.photos
            .iter()
            .map(|p| format!("{}@{}", p.name, p.ms))
            .collect::<Vec<_>>()
            .join(",")
    };
    let fields: [Field; 7] = [
        ("photos", &photos),
        ("transition", &|s| format!("{:?}", s.transition)),
        ("ken_burns", &|s| s.ken_burns.to_string()),
        ("title", &|s| format!("{:?}", s.title)),
        ("closing", &|s| format!("{:?}", s.closing)),
        ("music", &|s| format!("{:?}", s.music)),
        ("canvas", &|s| format!("{:?}", s.canvas)),
    ];
    fields
        .iter()
        .filter_map(|(name, of)| {
            let (w, g) = (of(want), of(got));
            (w != g).then(|| format!("{name}: {w} → {g}"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
