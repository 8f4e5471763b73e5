//! Plots drawn from results folders (docs/OUTPUTS.md): every expected file, PNGs that
//! decode at 1000×600, SVGs whose text was rendered, and errors that name the file.

use murmur::plot::{PlotError, render_dir};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `murmur run SCENARIO --replicates N --out OUT --quiet` from the crate root.
fn murmur_run(scenario: &str, replicates: u32, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_murmur"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            scenario,
            "--replicates",
            &replicates.to_string(),
            "--out",
        ])
        .arg(out)
        .arg("--quiet")
        .status()
        .expect("murmur runs");
    assert!(status.success(), "murmur run {scenario} failed");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Decodes the PNG: checks its signature, IHDR (1000×600, 8-bit), chunk CRCs, that its
/// image data inflates to one filtered scanline per row, and unfilters the rows;
/// returns the share of dark samples (something was drawn).
fn check_png(path: &Path) -> f64 {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    assert_eq!(&bytes[12..16], b"IHDR", "{}", path.display());
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    let (width, height) = (be(16), be(20));
    assert_eq!((width, height), (1000, 600), "{}", path.display());
    let (depth, colour_type) = (bytes[24], bytes[25]);
    assert_eq!(depth, 8, "{}", path.display());
    let channels = match colour_type {
        2 => 3,
        6 => 4,
        0 => 1,
        4 => 2,
        other => panic!("{}: unexpected colour type {other}", path.display()),
    };
    let mut idat = Vec::new();
    let mut i = 8;
    let mut saw_end = false;
    while i + 12 <= bytes.len() {
        let len = be(i) as usize;
        let kind = &bytes[i + 4..i + 8];
        let data = &bytes[i + 8..i + 8 + len];
        let crc = be(i + 8 + len);
        assert_eq!(
            crc,
            crc32(&bytes[i + 4..i + 8 + len]),
            "{}: bad CRC",
            path.display()
        );
        if kind == b"IDAT" {
            idat.extend_from_slice(data);
        }
        if kind == b"IEND" {
            saw_end = true;
            break;
        }
        i += 12 + len;
    }
    assert!(saw_end, "{}: no IEND chunk", path.display());
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .expect("image data inflates");
    let stride = 1 + width as usize * channels;
    assert_eq!(raw.len(), stride * height as usize, "{}", path.display());
    // Undo the scanline filters (PNG spec §9) and count dark samples.
    let bpp = channels;
    let row_len = stride - 1;
    let mut prev = vec![0u8; row_len];
    let mut dark = 0usize;
    for row in raw.chunks(stride) {
        let filter = row[0];
        let mut cur = row[1..].to_vec();
        for x in 0..row_len {
            let a = if x >= bpp { i32::from(cur[x - bpp]) } else { 0 };
            let b = i32::from(prev[x]);
            let c = if x >= bpp {
                i32::from(prev[x - bpp])
            } else {
                0
            };
            let predictor = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                other => panic!("{}: bad filter type {other}", path.display()),
            };
            cur[x] = cur[x].wrapping_add(predictor as u8);
        }
        dark += cur.iter().filter(|&&v| v < 128).count();
        prev = cur;
    }
    dark as f64 / (row_len * height as usize) as f64
}

/// The contents of the SVG's `<text>` elements.
fn svg_texts(path: &Path) -> Vec<String> {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(svg.contains("<svg"), "{} is not an SVG", path.display());
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

fn names(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn expected(stems: &[&str]) -> Vec<String> {
    stems
        .iter()
        .flat_map(|s| [format!("{s}.png"), format!("{s}.svg")])
        .collect()
}

/// Asserts every file exists, PNGs decode with ink on them and SVGs carry text; no
/// temporary files are left behind.
fn check_files(dir: &Path, files: &[PathBuf]) {
    for f in files {
        assert!(f.is_file(), "{} missing", f.display());
        assert_eq!(f.parent().unwrap(), dir);
        match f.extension().and_then(|e| e.to_str()) {
            Some("png") => {
                let ink = check_png(f);
                assert!(ink > 0.001, "{} looks blank", f.display());
            }
            Some("svg") => assert!(svg_texts(f).len() > 5, "{}", f.display()),
            other => panic!("unexpected file type {other:?}"),
        }
    }
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("murmur-tmp"), "temporary file {name} left");
    }
}

#[test]
fn a_marketing_run_gets_every_plot_with_rendered_text() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hybrid");
    murmur_run("scenarios/hybrid.toml", 2, &out);
    let files = render_dir(&out).unwrap();
    assert_eq!(
        names(&files),
        expected(&[
            "adoption",
            "sources",
            "money",
            "audience",
            "satisfaction",
            "social_capital",
            "cohorts",
            "degrees"
        ])
    );
    check_files(&out, &files);

    // Titles and axis labels are text in the SVG (so they were laid out with the font).
    let adoption = svg_texts(&out.join("adoption.svg"));
    assert!(
        adoption
            .iter()
            .any(|t| t.starts_with("hybrid: customers over time")),
        "{adoption:?}"
    );
    for label in [
        "day (tick)",
        "customers (agents)",
        "customers",
        "ever adopted",
    ] {
        assert!(
            adoption.iter().any(|t| t == label),
            "{label} in {adoption:?}"
        );
    }
    let sources = svg_texts(&out.join("sources.svg"));
    for label in [
        "new customers per 7 days (agents)",
        "paid social",
        "word of mouth",
        "community",
    ] {
        assert!(sources.iter().any(|t| t == label), "{label} in {sources:?}");
    }
    // A source that brought nobody (no influencers in the hybrid) has no legend entry.
    assert!(!sources.iter().any(|t| t == "influencer"), "{sources:?}");
    // Revenue, spend and profit each on an axis of its own, so spend (about a hundredth
    // of revenue) does not lie flat on revenue's zero.
    let money = svg_texts(&out.join("money.svg"));
    for label in ["revenue per day", "spend per day", "cumulative profit"] {
        assert!(money.iter().any(|t| t == label), "{label} in {money:?}");
    }
    // Satisfaction on its whole scale, 0 to 1, never beyond.
    let satisfaction = svg_texts(&out.join("satisfaction.svg"));
    assert!(satisfaction.iter().any(|t| t == "1.0"), "{satisfaction:?}");
    assert!(!satisfaction.iter().any(|t| t == "1.2"), "{satisfaction:?}");
    let degrees = svg_texts(&out.join("degrees.svg"));
    assert!(
        degrees
            .iter()
            .any(|t| t.starts_with("hybrid: degree distribution"))
    );
    assert!(degrees.iter().any(|t| t.contains("log scale")));

    // Drawing again replaces the files in the same order.
    let again = render_dir(&out).unwrap();
    assert_eq!(again, files);
}

#[test]
fn a_classic_run_has_adoption_and_degrees_but_no_marketing_plots() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bass");
    murmur_run("scenarios/bass_complete.toml", 2, &out);
    let files = render_dir(&out).unwrap();
    assert_eq!(names(&files), expected(&["adoption", "degrees"]));
    check_files(&out, &files);
    assert!(!out.join("sources.png").exists());
    let adoption = svg_texts(&out.join("adoption.svg"));
    assert!(adoption.iter().any(|t| t == "adopters (agents)"));
    assert!(
        adoption
            .iter()
            .any(|t| t.starts_with("bass-complete: adopters over time"))
    );
}

/// Writes one file of a synthetic results folder.
fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_two_parameter_grid_sweep_gets_a_heatmap() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "manifest.json",
        r#"{"kind": "sweep", "scenario": {"name": "grid"}, "parameters": ["strategy.budget", "market.price"], "points": 6}"#,
    );
    let (mut ts, mut sm, mut pts) = (
        String::from(
            "point,strategy.budget,market.price,replicate,tick,adopters,share,new_adopters,customers,cumulative_profit\n",
        ),
        String::from(
            "point,strategy.budget,market.price,replicate,final_adopters,final_share,peak_tick,peak_new_adopters,half_tick,final_customers,cumulative_profit\n",
        ),
        String::from("point,strategy.budget,market.price\n"),
    );
    let mut point = 0;
    for budget in [50, 100, 150] {
        for price in [20, 40] {
            pts.push_str(&format!("{point},{budget},{price}\n"));
            for rep in 0..2 {
                let mut total = 0;
                for tick in 0..=10 {
                    let new = (budget / 50 + rep) * (tick % 3);
                    total += new;
                    ts.push_str(&format!(
                        "{point},{budget},{price},{rep},{tick},{total},{},{new},{total},{}\n",
                        total as f64 / 1000.0,
                        total * price - budget * tick,
                    ));
                }
                sm.push_str(&format!(
                    "{point},{budget},{price},{rep},{total},{},5,9,,{total},{}\n",
                    total as f64 / 1000.0,
                    total * price - budget * 10 + rep * 7,
                ));
            }
            point += 1;
        }
    }
    write(dir, "timeseries.csv", &ts);
    write(dir, "summary.csv", &sm);
    write(dir, "points.csv", &pts);
    let files = render_dir(dir).unwrap();
    assert_eq!(names(&files), expected(&["sweep_heatmap", "sweep_summary"]));
    check_files(dir, &files);
    let heat = svg_texts(&dir.join("sweep_heatmap.svg"));
    assert!(heat.iter().any(|t| t == "strategy.budget"), "{heat:?}");
    assert!(heat.iter().any(|t| t == "market.price"), "{heat:?}");
    assert!(heat.iter().any(|t| t.contains("cumulative profit")));
}

#[test]
fn a_comparison_gets_curves_and_differences() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "manifest.json",
        r#"{"kind": "compare", "scenarios": ["base", "community", "social"], "baseline": "base"}"#,
    );
    let mut ts = String::from(
        "scenario,replicate,tick,adopters,share,new_adopters,customers,cumulative_profit\n",
    );
    let mut sm = String::from(
        "scenario,replicate,final_adopters,final_share,peak_tick,peak_new_adopters,half_tick,final_customers,churn_hazard,cumulative_profit,clv_projected\n",
    );
    for (k, s) in ["base", "community", "social"].iter().enumerate() {
        for rep in 0..3 {
            let mut total = 0;
            for tick in 0..=20 {
                let new = (k + 1) * (tick % 4) + rep;
                total += new;
                ts.push_str(&format!(
                    "{s},{rep},{tick},{total},{},{new},{total},{}\n",
                    total as f64 / 500.0,
                    total * 40
                ));
            }
            sm.push_str(&format!(
                "{s},{rep},{total},{},7,9,,{total},0.{},{},{}\n",
                total as f64 / 500.0,
                5 + k,
                total * 40,
                100 + 10 * k
            ));
        }
    }
    let diff = "scenario,metric,baseline_mean,mean,difference,low,high,unpaired_low,unpaired_high\n\
        community,final_customers,100,130,30,25,35,10,50\n\
        community,churn_hazard,0.5,0.6,0.1,0.08,0.12,0.02,0.18\n\
        community,cumulative_profit,4000,5200,1200,1100,1300,800,1600\n\
        community,clv_projected,100,110,10,9,11,4,16\n\
        community,half_tick,,,,,,,\n\
        social,final_customers,100,90,-10,-14,-6,-25,5\n\
        social,churn_hazard,0.5,0.4,-0.1,-0.12,-0.08,-0.2,0\n\
        social,cumulative_profit,4000,4400,400,300,500,-100,900\n\
        social,clv_projected,100,95,-5,-6,-4,-9,-1\n";
    write(dir, "timeseries.csv", &ts);
    write(dir, "summary.csv", &sm);
    write(dir, "differences.csv", diff);
    let files = render_dir(dir).unwrap();
    assert_eq!(
        names(&files),
        expected(&["compare_adoption", "compare_profit", "compare_differences"])
    );
    check_files(dir, &files);
    let d = svg_texts(&dir.join("compare_differences.svg"));
    assert!(
        d.iter().any(|t| t.contains("% of baseline mean")),
        "the axis says the differences are percentages: {d:?}"
    );
    for label in [
        "community",
        "social",
        "cumulative profit",
        "churn per customer-day",
    ] {
        assert!(d.iter().any(|t| t == label), "{label} in {d:?}");
    }
    let a = svg_texts(&dir.join("compare_adoption.svg"));
    assert!(a.iter().any(|t| t == "base (baseline)"), "{a:?}");
}

#[test]
fn a_malformed_time_series_is_an_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "manifest.json",
        r#"{"kind": "run", "scenario": {"name": "broken"}}"#,
    );
    // A cell that is not a number.
    write(
        dir,
        "timeseries.csv",
        "replicate,tick,adopters,share,new_adopters\n0,0,0,0,0\n0,1,abc,0,0\n",
    );
    let err = render_dir(dir).unwrap_err();
    assert!(matches!(err, PlotError::Csv { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("timeseries.csv"), "{message}");
    assert!(
        message.contains("line 3") && message.contains("abc"),
        "{message}"
    );

    // A row with too few fields.
    write(
        dir,
        "timeseries.csv",
        "replicate,tick,adopters,share,new_adopters\n0,0,0,0,0\n0,1,2\n",
    );
    let message = render_dir(dir).unwrap_err().to_string();
    assert!(message.contains("timeseries.csv"), "{message}");

    // No file at all, and a manifest that is not JSON.
    std::fs::remove_file(dir.join("timeseries.csv")).unwrap();
    let message = render_dir(dir).unwrap_err().to_string();
    assert!(message.contains("timeseries.csv"), "{message}");
    write(dir, "manifest.json", "{ not json");
    let message = render_dir(dir).unwrap_err().to_string();
    assert!(message.contains("manifest.json"), "{message}");

    // Nothing half-written was left.
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".png") && !name.ends_with(".svg"),
            "{name} left behind"
        );
    }
}
