//! The plots section: every SVG of the folder inlined in a figure, in a fixed order
//! (the run's plots, then the sweep's, then the comparison's, then any others), each
//! made to scale with the page. The plots are drawn by `plot`; this module only reads
//! them.

use super::ReportError;
use super::markup::esc;
use super::table::read_text;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Plots in this order first; then `sweep_*`, `compare_*`, then any others, each
/// group alphabetically.
const PLOT_ORDER: [&str; 8] = [
    "adoption",
    "sources",
    "money",
    "audience",
    "satisfaction",
    "social_capital",
    "cohorts",
    "degrees",
];

/// Where a plot named `stem` goes in the page.
fn plot_rank(stem: &str) -> usize {
    if let Some(i) = PLOT_ORDER.iter().position(|p| *p == stem) {
        i
    } else if stem.starts_with("sweep_") {
        PLOT_ORDER.len()
    } else if stem.starts_with("compare_") {
        PLOT_ORDER.len() + 1
    } else {
        PLOT_ORDER.len() + 2
    }
}

/// The folder's SVG files (not hidden ones), in page order.
fn svg_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, ReportError> {
    let read_err = |source| ReportError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_svg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        if is_svg && !name.starts_with('.') && path.is_file() {
            let stem = name[..name.len() - 4].to_owned();
            out.push((stem, path));
        }
    }
    out.sort_by(|a, b| (plot_rank(&a.0), &a.0).cmp(&(plot_rank(&b.0), &b.0)));
    Ok(out)
}

/// One plot, `stem`.svg, inlined in a figure where the page is, if the folder has it;
/// whether it did.
pub(super) fn figure(page: &mut String, dir: &Path, stem: &str) -> Result<bool, ReportError> {
    let path = dir.join(format!("{stem}.svg"));
    if !path.is_file() {
        return Ok(false);
    }
    inline(page, stem, &path)?;
    Ok(true)
}

/// The plots section: every SVG inlined in a figure, but those in `shown` (already on
/// the page).
pub(super) fn section(page: &mut String, dir: &Path, shown: &[&str]) -> Result<(), ReportError> {
    page.push_str("<section id=\"plots\">\n<h2>Plots</h2>\n");
    let mut files = svg_files(dir)?;
    files.retain(|(stem, _)| !shown.contains(&stem.as_str()));
    if files.is_empty() {
        page.push_str("<p class=\"note\">This folder has no plots.</p>\n");
    }
    for (stem, path) in files {
        inline(page, &stem, &path)?;
    }
    page.push_str("</section>\n");
    Ok(())
}

/// `path`, the SVG of plot `stem`, inlined in a figure with its caption.
fn inline(page: &mut String, stem: &str, path: &Path) -> Result<(), ReportError> {
    let text = read_text(path)?;
    let file = format!("{stem}.svg");
    let _ = writeln!(page, "<figure id=\"plot-{}\">", esc(stem));
    match inline_svg(&text) {
        Some(svg) => {
            page.push_str(&svg);
            page.push('\n');
        }
        None => page.push_str("<p class=\"note\">This file is not an SVG image.</p>\n"),
    }
    let _ = writeln!(
        page,
        "<figcaption>{} <span class=\"ci\">(<code>{}</code>)</span></figcaption>\n</figure>",
        esc(&humanize(stem)),
        esc(&file)
    );
    Ok(())
}

/// "social_capital" → "Social capital".
fn humanize(stem: &str) -> String {
    let spaced = stem.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// An SVG document as an element to inline in HTML: without its XML prolog, doctype
/// or leading comments, and with a `viewBox` (from `width` and `height`) when it has
/// none, so that it scales to the page's width. `None` if it is not an SVG document.
fn inline_svg(text: &str) -> Option<String> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        let end = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype"))
        {
            rest.find('>').map(|i| i + 1)
        } else {
            break;
        };
        rest = &rest[end?..];
    }
    let rest = rest.trim_end();
    let after = rest.strip_prefix("<svg")?;
    if !after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
        return None;
    }
    let tag_end = rest.find('>')?;
    let tag = &rest[..tag_end];
    if attribute(tag, "viewBox").is_none()
        && let (Some(w), Some(h)) = (attribute(tag, "width"), attribute(tag, "height"))
        && let (Some(w), Some(h)) = (length(w), length(h))
    {
        return Some(format!("<svg viewBox=\"0 0 {w} {h}\"{after}"));
    }
    Some(rest.to_owned())
}

/// The value of attribute `name` in a start tag, if present.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut search = tag;
    while let Some(i) = search.find(name) {
        let before = search[..i].chars().next_back();
        let after = search[i + name.len()..].trim_start();
        search = &search[i + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        if let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &value[1..];
                return body.find(quote).map(|end| &body[..end]);
            }
        }
    }
    None
}

/// A length in user units ("800", "800px"), if it is one.
fn length(value: &str) -> Option<f64> {
    let v = value.trim();
    let v = v.strip_suffix("px").unwrap_or(v);
    v.parse::<f64>().ok().filter(|x| x.is_finite() && *x > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_prologs_are_stripped_and_a_view_box_added() {
        let svg = "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE svg PUBLIC \"x\" \"y\">\n\
                   <svg width=\"800px\" height='600' stroke-width=\"2\"><text>é</text></svg>\n";
        assert_eq!(
            inline_svg(svg).unwrap(),
            "<svg viewBox=\"0 0 800 600\" width=\"800px\" height='600' stroke-width=\"2\">\
             <text>é</text></svg>"
        );
        let with_box = "<svg viewBox=\"0 0 4 3\" width=\"8\" height=\"6\"></svg>";
        assert_eq!(inline_svg(with_box).unwrap(), with_box);
        assert_eq!(inline_svg("<svg></svg>").unwrap(), "<svg></svg>");
        assert!(inline_svg("<svgé>").is_none());
        assert!(inline_svg("<html></html>").is_none());
        assert!(inline_svg("é").is_none());
        assert!(inline_svg("").is_none());
    }

    #[test]
    fn plots_sort_in_the_preferred_order() {
        let mut stems = vec![
            "zeta",
            "compare_a",
            "degrees",
            "sweep_b",
            "adoption",
            "alpha",
            "sweep_a",
            "money",
        ];
        stems.sort_by_key(|s| (plot_rank(s), *s));
        assert_eq!(
            stems,
            [
                "adoption",
                "money",
                "degrees",
                "sweep_a",
                "sweep_b",
                "compare_a",
                "alpha",
                "zeta"
            ]
        );
    }
}
