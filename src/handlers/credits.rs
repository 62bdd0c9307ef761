//! `credits`: the balance (available / frozen / total).

use serde_json::json;

use crate::app::Ctx;
use crate::error::Result;
use crate::wire::Credits;

pub async fn run(ctx: &Ctx) -> Result<()> {
    let credits = {
        let _s = ctx.out.spinner_with("Connecting…", false);
        ctx.api.credits().await?
    };
    ctx.out.result(
        human(&credits),
        json!({"type": "credits", "available": credits.available, "frozen": credits.frozen, "total": credits.total}),
    );
    Ok(())
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.2}")
    }
}

pub fn human(c: &Credits) -> String {
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
