//! How long the offline agent takes to plan a turn for a long message
//! (`cargo bench --bench plan`). The server refuses messages over
//! `MAX_MESSAGE_CHARS`, which must plan in milliseconds; planning must stay
//! linear beyond it all the same (a quadratic scan once made a 200 KB
//! message take 12 s).

use serde_json::json;
use std::time::Instant;

use img2yt::server::agent::plan_turn;
use img2yt::server::world::{Media, Session};
use img2yt::wire::MAX_MESSAGE_CHARS;

fn session() -> Session {
    let media = (0..10)
        .map(|i| Media {
            name: format!("photo{i}.jpg"),
            kind: "image".into(),
            size: 1000,
            path: None,
            url: None,
            file_id: format!("f{i}"),
            exposure: None,
        })
        .collect();
    Session {
        id: "s".into(),
        task_id: "t".into(),
        bind_id: "b".into(),
        owner: "u".into(),
        language: "en".into(),
        draft: json!({"t": [], "d": 0}),
        media,
        generated: Vec::new(),
        history: Vec::new(),
    }
}

fn main() {
    let words = [
        "make a video with calm music, 2 seconds per photo, title 'Iceland 2026' and slower transitions ",
        "把第2张移到最前，标题：冰岛之旅，音量50% ",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ",
        "move photo 3 to the front 'quoted' “curly” two seconds ",
        "crossfade, wipe, slide, fade through black, no transitions ",
        "calm music at volume 60%, quieter, use my music, no music ",
        "title: 'Iceland' closing text “Thanks” it's 'unclosed ",
        "swap photos 1 and 2, remove the last photo, put beach.jpg first ",
    ];
    // `PLAN_TEXT=… cargo bench --bench plan` times one text of your own.
    let own = std::env::var("PLAN_TEXT").ok();
    let words: Vec<&str> = match &own {
        Some(t) => vec![t.as_str()],
        None => words.to_vec(),
    };
    let time = |w: &str, size: usize| {
        let msg: String = w.repeat(size / w.len() + 1).chars().take(size).collect();
        let mut s = session();
        let start = Instant::now();
        let turn = plan_turn(&mut s, &msg, "e-1");
        (start.elapsed().as_secs_f64(), turn.steps.len())
    };
    println!(
        "text                          {:>12} {:>12} {:>12}  growth",
        "20,000 ch", "200 KB", "2 MB"
    );
    let (mut worst_cap, mut worst_growth) = (0.0f64, 0.0f64);
    for &w in &words {
        let (cap, _) = time(w, MAX_MESSAGE_CHARS);
        let (mid, _) = time(w, 200_000);
        let (big, steps) = time(w, 2_000_000);
        let growth = big / mid.max(1e-6);
        worst_cap = worst_cap.max(cap);
        worst_growth = worst_growth.max(growth);
        println!(
            "{:<28} {cap:>10.3} s {mid:>10.3} s {big:>10.3} s  {growth:>5.1}x  ({steps} steps)",
            w.chars().take(28).collect::<String>()
        );
    }
    let cap_ok = worst_cap < 0.05;
    let linear = worst_growth < 15.0;
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    println!(
        "longest message the server takes ({MAX_MESSAGE_CHARS} characters): at most {:.1} ms (target < 50 ms)  {}",
        worst_cap * 1000.0,
        verdict(cap_ok)
    );
    println!(
        "200 KB → 2 MB: at most {worst_growth:.1}x the time (linear is 10x; target < 15x)  {}",
        verdict(linear)
    );
    if !(cap_ok && linear) {
        std::process::exit(1);
    }
}
