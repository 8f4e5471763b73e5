//! Text on the page: HTML escaping, numbers formatted for reading (about four
//! significant digits, thousands separated), interval cells and the page's styles.
//! What the numbers mean is left to the sections that show them.

use crate::metrics::Interval;

/// Decimals to show a group of numbers with: none when all are whole, else about
/// four significant digits of the largest.
pub(super) fn decimals(values: &[f64]) -> usize {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.iter().all(|v| v.fract() == 0.0) {
        return 0;
    }
    let largest = finite.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if largest == 0.0 {
        return 0;
    }
    (3 - largest.log10().floor() as i32).clamp(0, 6) as usize
}

/// `x` with `d` decimals, thousands separated by commas from 10,000 up.
pub(super) fn fmt(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "—".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let mut s = format!("{x:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b.to_owned()),
        None => ("", s.clone()),
    };
    let (int, frac) = match body.find('.') {
        Some(i) => (&body[..i], &body[i..]),
        None => (body.as_str(), ""),
    };
    if int.len() < 5 {
        return s;
    }
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{frac}")
}

/// A count or other number as plain text (whole numbers without decimals).
pub(super) fn fmt_plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        fmt(x, 0)
    } else {
        x.to_string()
    }
}

/// A CSV cell as a number: `None` when empty (undefined) or not finite.
pub(super) fn cell(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Text escaped for HTML content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `<td>` with "mean [low, high]" ("mean" alone for a single value), or "not defined".
pub(super) fn interval_cell(interval: Option<Interval>, d: usize) -> String {
    match interval {
        Some(i) if i.bounds.is_some() => format!(
            "<td class=\"num\">{} <span class=\"ci\">{}</span></td>",
            fmt(i.mean, d),
            bounds(&i, d)
        ),
        Some(i) => format!("<td class=\"num\">{}</td>", fmt(i.mean, d)),
        None => "<td class=\"num undefined\">not defined</td>".into(),
    }
}

/// "[low, high]" with `d` decimals, or "—" when there is no interval (one value).
pub(super) fn bounds(i: &Interval, d: usize) -> String {
    match i.bounds {
        Some((l, h)) => format!("[{}, {}]", fmt(l, d), fmt(h, d)),
        None => "—".into(),
    }
}

/// One number format for an interval's mean and bounds.
pub(super) fn interval_decimals(i: &Interval) -> usize {
    decimals(
        &[Some(i.mean), i.low(), i.high()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
    )
}

/// A manifest value as text: scalars as written ("—" for null), arrays and objects as
/// compact JSON.
pub(super) fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The page's styles: a system font, quiet tables, plots scaled to the page width.
pub(super) const CSS: &str = "
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--accent:#0b5cad}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--fg);font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:2rem 1.5rem 4rem}
h1{font-size:1.9rem;line-height:1.2;margin:0 0 .3rem}
h2{font-size:1.35rem;margin:2.5rem 0 .8rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.6rem 0 .4rem}
p{margin:.4rem 0}
.intro{color:var(--muted);margin:0 0 .6rem}
.note,.ci,.undefined{color:var(--muted)}
.note{font-size:.9rem}
nav a{color:var(--accent);text-decoration:none;margin-right:1.2rem;font-size:.95rem}
nav a:hover{text-decoration:underline}
.wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .7rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--soft);font-weight:600;border-bottom:2px solid var(--line)}
tbody tr:hover{background:var(--soft)}
.num{text-align:right;white-space:nowrap}
tr.ns td{color:var(--muted)}
table.kv th{font-weight:normal;background:none;padding-right:2rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:.86em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;overflow:auto;max-height:36rem}
figure{margin:1.2rem 0;padding:1rem;border:1px solid var(--line);border-radius:6px;background:#fff}
figure svg{display:block;max-width:100%;height:auto;margin:0 auto}
figcaption{margin-top:.5rem;text-align:center;font-size:.9rem}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_about_four_significant_digits_and_separators() {
        assert_eq!(decimals(&[5915.5, 5361.0, 6442.0]), 0);
        assert_eq!(decimals(&[0.5916, 0.5366, 0.6438]), 4);
        assert_eq!(decimals(&[125.0, 122.0, 128.0]), 0);
        assert_eq!(decimals(&[125.5, 120.1, 130.9]), 1);
        assert_eq!(decimals(&[1e-9, 0.0, 2e-9]), 6);
        assert_eq!(fmt(3_011_500.0, 0), "3,011,500");
        assert_eq!(fmt(-12_345.678, 2), "-12,345.68");
        assert_eq!(fmt(9999.0, 0), "9999");
        assert_eq!(fmt(-0.00001, 3), "0.000");
        assert_eq!(fmt(f64::NAN, 2), "—");
        assert_eq!(fmt_plain(10_000.0), "10,000");
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
