//! Plots of a results folder, drawn from its CSVs and manifest alone (docs/OUTPUTS.md),
//! as PNG and SVG side by side.
//!
//! - run: `adoption`, `sources`, `money`, `audience`, `satisfaction`, `social_capital`,
//!   `cohorts`, `degrees` (each only when the folder has its columns or file);
//! - sweep: `sweep_lines` (one swept parameter), `sweep_heatmap` (two parameters on a
//!   grid) or `sweep_scatter` (samples off a grid), and `sweep_summary`;
//! - compare: `compare_adoption`, `compare_profit`, `compare_differences`;
//! - attribute: `attribution`; optimise: `response_curves`, `plan_timeline` (in a
//!   run folder beside their CSVs).
//!
//! All text uses DejaVu Sans, embedded in the binary and registered with plotters as
//! `sans-serif`, so nothing depends on the machine's fonts.

mod attribution;
mod calibration;
mod cohorts;
mod compare;
mod data;
mod figure;
mod optimise;
mod robustness;
mod run;
mod sensitivity;
mod sweep;

use crate::results::Kind;
use figure::{Figure, SIZE};
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why plots could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A CSV file is malformed.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Csv {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
    /// The manifest is missing, not JSON, or lacks what the plots need.
    #[error("{}: {message}", path.display())]
    Manifest { path: PathBuf, message: String },
    /// plotters failed to draw or encode a chart.
    #[error("cannot draw {}: {message}", path.display())]
    Draw { path: PathBuf, message: String },
    /// The embedded font could not be loaded.
    #[error("cannot load the embedded font {0}")]
    Font(&'static str),
}

/// Registers the embedded DejaVu Sans under the family name the charts use.
fn register_fonts() -> Result<(), PlotError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        let regular = plotters::style::register_font(
            figure::FONT,
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let bold =
            plotters::style::register_font(figure::FONT, FontStyle::Bold, dejavu::sans::bold());
        regular.is_ok() && bold.is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Font("DejaVu Sans"))
    }
}

/// What the plots need of the folder's [`results::Manifest`](crate::results::Manifest),
/// read once: its kind, the names to label the charts with, the network and the last
/// tick a time series may hold.
pub(crate) struct Manifest {
    /// Which command wrote the folder.
    pub kind: Kind,
    /// The scenario's name (or the folder's name when the manifest has none).
    pub name: String,
    /// Swept key paths (sweep).
    pub parameters: Vec<String>,
    /// Compared scenario names in order (compare).
    pub scenarios: Vec<String>,
    /// The baseline scenario (compare).
    pub baseline: Option<String>,
    /// The network's size, when given.
    pub nodes: Option<u64>,
    /// The network's mean degree, when given.
    pub mean_degree: Option<f64>,
    /// The last tick a time series may hold: the scenario's ticks, or the largest a
    /// sweep gives them; `None` when the manifest does not say.
    pub ticks: Option<u64>,
}

/// Reads the folder's manifest through the typed [`crate::results::Manifest`].
fn read_manifest(dir: &Path) -> Result<Manifest, PlotError> {
    let path = dir.join(crate::results::MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|source| PlotError::Io {
        path: path.clone(),
        source,
    })?;
    let manifest: crate::results::Manifest =
        serde_json::from_str(&text).map_err(|e| PlotError::Manifest {
            path: path.clone(),
            message: if e.is_data() {
                format!("not a murmur manifest: {e}")
            } else {
                format!("not valid JSON: {e}")
            },
        })?;
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "results".to_string());
    let name = manifest
        .scenario
        .get("name")
        .and_then(|n| n.as_str())
        .filter(|n| !n.is_empty())
        .map_or(folder, str::to_string);
    let ticks = last_tick(&manifest);
    Ok(Manifest {
        kind: manifest.kind,
        name,
        parameters: manifest.parameters.unwrap_or_default(),
        scenarios: manifest.scenarios.unwrap_or_default(),
        baseline: manifest.baseline,
        nodes: manifest.network.as_ref().map(|n| n.nodes as u64),
        mean_degree: manifest.network.as_ref().map(|n| n.mean_degree),
        ticks,
    })
}

/// The last tick a folder's time series may hold, from its manifest: the scenario's
/// ticks, or the largest value (or upper bound) a sweep gives `ticks`.
fn last_tick(manifest: &crate::results::Manifest) -> Option<u64> {
    let scenario = manifest
        .scenario
        .get("ticks")
        .and_then(serde_json::Value::as_u64);
    let swept = manifest
        .sweep
        .as_ref()
        .and_then(|s| s.get("parameters"))
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p["key"] == "ticks")
        .filter_map(|p| p["values"].as_array())
        .flatten()
        .filter_map(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f.max(0.0) as u64)))
        .max();
    scenario.into_iter().chain(swept).max()
}

/// Draws every plot the folder's CSVs support, as PNG and SVG side by side, from the
/// CSVs and manifest alone. Returns the written files (PNG and SVG), in a fixed order.
pub fn render_dir(dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let manifest = read_manifest(dir)?;
    let figures = match manifest.kind {
        Kind::Run => run::figures(dir, &manifest)?,
        Kind::Sweep => sweep::figures(dir, &manifest)?,
        Kind::Compare => compare::figures(dir, &manifest)?,
        Kind::Network | Kind::Bench => Vec::new(),
    };
    register_fonts()?;
    let mut written = Vec::with_capacity(figures.len() * 2);
    for fig in &figures {
        let png = dir.join(format!("{}.png", fig.name));
        let svg = dir.join(format!("{}.svg", fig.name));
        write_png(fig, &png)?;
        write_svg(fig, &svg)?;
        written.push(png);
        written.push(svg);
    }
    Ok(written)
}

/// A hidden temporary name beside `path`, keeping its extension (the PNG encoder picks
/// the format from it).
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("plot".into(), |n| n.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or(String::new(), |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!(".{name}.murmur-tmp-{}{ext}", std::process::id()))
}

fn finish(tmp: &Path, path: &Path, result: Result<(), PlotError>) -> Result<(), PlotError> {
    let result = result.and_then(|()| {
        std::fs::rename(tmp, path).map_err(|source| PlotError::Io {
            path: path.to_path_buf(),
            source,
        })
    });
    if result.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    result
}

fn write_png(fig: &Figure, path: &Path) -> Result<(), PlotError> {
    let tmp = temp_beside(path);
    let draw = || -> Result<(), figure::DrawError> {
        let root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
        figure::render(fig, &root)?;
        Ok(())
    };
    let result = draw().map_err(|e| PlotError::Draw {
        path: path.to_path_buf(),
        message: e.0,
    });
    let result = result.and_then(|()| {
        // The encoder reports failures through present(); check the file is there.
        if tmp.is_file() {
            Ok(())
        } else {
            Err(PlotError::Draw {
                path: path.to_path_buf(),
                message: "the PNG encoder wrote nothing".to_string(),
            })
        }
    });
    finish(&tmp, path, result)
}

fn write_svg(fig: &Figure, path: &Path) -> Result<(), PlotError> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        figure::render(fig, &root).map_err(|e| PlotError::Draw {
            path: path.to_path_buf(),
            message: e.0,
        })?;
    }
    let tmp = temp_beside(path);
    let result = std::fs::write(&tmp, text.as_bytes()).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    });
    finish(&tmp, path, result)
}

/// A title suffix such as "mean of 5 replicates".
pub(crate) fn replicates_note(n: usize) -> String {
    if n == 1 {
        "1 replicate".to_string()
    } else {
        format!("mean of {n} replicates")
    }
}

/// A readable name for a summary metric or column.
pub(crate) fn pretty(metric: &str) -> String {
    match metric {
        "final_customers" => "final customers".into(),
        "final_adopters" => "final adopters".into(),
        "final_share" => "final share".into(),
        "ever_adopted" => "ever adopted".into(),
        "churn_hazard" => "churn per customer-day".into(),
        "retention_365" => "365-day retention".into(),
        "clv_realised" => "realised CLV".into(),
        "clv_projected" => "projected CLV".into(),
        "referral_value_mean" => "mean referral value".into(),
        "cumulative_profit" => "cumulative profit".into(),
        "roi" => "ROI".into(),
        "peak_tick" => "peak day".into(),
        "half_tick" => "half-adoption day".into(),
        "peak_new_adopters" => "peak new adopters".into(),
        other => other.replace('_', " "),
    }
}

/// The unit of a summary metric, for axis labels.
pub(crate) fn unit(metric: &str) -> &'static str {
    match metric {
        "cumulative_profit"
        | "clv_realised"
        | "clv_projected"
        | "customer_equity"
        | "referral_value_mean"
        | "spend"
        | "unspent"
        | "incremental_profit" => "currency",
        "final_share" | "retention_365" | "top_decile_overlap" | "social_dollars" | "rating" => {
            "share, 0–1"
        }
        "churn_hazard" => "per customer-day",
        "final_customers" | "final_adopters" | "ever_adopted" | "peak_new_adopters"
        | "not_asked" => "agents",
        "peak_tick" | "half_tick" => "day",
        "roi" => "ratio",
        _ => "",
    }
}

/// "metric (unit)".
pub(crate) fn with_unit(metric: &str) -> String {
    match unit(metric) {
        "" => pretty(metric),
        u => format!("{} ({u})", pretty(metric)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_keep_the_extension_and_hide() {
        let t = temp_beside(Path::new("/x/adoption.png"));
        let name = t.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".adoption.png.") && name.ends_with(".png"));
    }

    #[test]
    fn the_font_registers() {
        register_fonts().unwrap();
    }
}
