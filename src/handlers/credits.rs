//! `credits`: the balance (available / frozen / total).

use serde_json::json;

use crate::ctx::Ctx;
use crate::error::Result;
use crate::wire::Credits;

pub async fn run(ctx: &Ctx) -> Result<()> {
    let credits = {
        let _s = ctx.out.spinner_with("Connecting…", false);
        ctx.api.credits().await?
    };
    ctx.out.result(human(&credits), as_json(&credits));
    Ok(())
}

/// The `--json` line; `"unlimited": true` only when the server says so.
fn as_json(c: &Credits) -> serde_json::Value {
    let mut v =
        json!({"type": "credits", "available": c.available, "frozen": c.frozen, "total": c.total});
    if c.unlimited() {
        v["unlimited"] = json!(true);
    }
    v
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.2}")
    }
}

pub fn human(c: &Credits) -> String {
    if c.unlimited() {
        return "Credits: unlimited (offline backend)".into();
    }
    let mut s = format!(
        "Credits: {} available · {} frozen · {} total",
        fmt_num(c.available),
        fmt_num(c.frozen),
        fmt_num(c.total)
    );
    if c.frozen > 0.0 {
        s.push_str(" (frozen credits are reserved by work in progress)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credits(v: serde_json::Value) -> Credits {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_balance_reads_as_numbers() {
        let c = credits(json!({"available": 50, "frozen": 0, "total": 100}));
        assert_eq!(human(&c), "Credits: 50 available · 0 frozen · 100 total");
        assert_eq!(as_json(&c).get("unlimited"), None);
    }

    #[test]
    fn unlimited_credits_say_so() {
        let c = credits(
            json!({"available": 1000000, "frozen": 0, "total": 1000000, "unlimited": true}),
        );
        assert_eq!(human(&c), "Credits: unlimited (offline backend)");
        assert_eq!(as_json(&c)["unlimited"], true);
        // Anything but `true` is a plain balance.
        let c = credits(json!({"available": 5, "frozen": 0, "total": 5, "unlimited": "yes"}));
        assert!(human(&c).starts_with("Credits: 5 available"));
    }
}
