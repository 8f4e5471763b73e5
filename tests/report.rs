//! The HTML report (`report.html`): built from a real run folder and from hand-made
//! sweep and comparison folders, checked as text (title, summary intervals, every plot
//! inlined, nothing external, escaping) and, where Chromium is installed, rendered by
//! a headless browser.

use murmur::report::{ReportError, write_report};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small fake plot, as the plot module might write it (with an XML prolog).
fn fake_svg(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg width=\"400\" height=\"200\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <rect x=\"0\" y=\"0\" width=\"400\" height=\"200\" fill=\"#ffffff\"/>\n\
         <polyline points=\"20,180 100,150 200,60 380,20\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n\
         <text x=\"200\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{title}</text>\n\
         </svg>\n"
    )
}

/// Runs `murmur run scenarios/hybrid.toml` with two replicates into a fresh folder and
/// makes sure it holds at least two SVG plots (fake ones if the run wrote none).
fn run_folder() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hybrid");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hybrid.toml");
    let status = Command::new(env!("CARGO_BIN_EXE_murmur"))
        .arg("run")
        .arg(&scenario)
        .args(["--replicates", "2", "--out"])
        .arg(&out)
        .arg("--quiet")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "murmur run failed");
    if svgs(&out).is_empty() {
        fs::write(out.join("adoption.svg"), fake_svg("Adoption")).unwrap();
        fs::write(out.join("degrees.svg"), fake_svg("Degree distribution")).unwrap();
    }
    (tmp, out)
}

/// The SVG files of a folder.
fn svgs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    out.sort();
    out
}

/// The `<tr>` of the summary table whose metric is `name`.
fn summary_row<'a>(html: &'a str, name: &str) -> &'a str {
    let start = html
        .find(&format!("<tr><td><code>{name}</code></td>"))
        .unwrap_or_else(|| panic!("no summary row for {name}"));
    let end = start + html[start..].find("</tr>").unwrap();
    &html[start..end]
}

/// Checks that hold for every report: one document, no scripts, nothing external.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    for tag in ["<html", "<head>", "<body>", "<main>"] {
        assert_eq!(html.matches(tag).count(), 1, "{tag} once");
    }
    for tag in [
        "</html>", "</head>", "</body>", "</main>", "</title>", "</h1>",
    ] {
        assert_eq!(html.matches(tag).count(), 1, "{tag} once");
    }
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(
        html.matches("<table").count(),
        html.matches("</table>").count()
    );
    assert_eq!(
        html.matches("<figure").count(),
        html.matches("</figure>").count()
    );
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    assert_eq!(
        html.matches("<section").count(),
        html.matches("</section>").count()
    );
    assert!(!html.contains("<?xml"), "XML prologs are stripped");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no scripts");
    for attr in ["src=", "href=\"http", "href='http", "url(", "@import"] {
        assert!(!lower.contains(attr), "no external reference ({attr})");
    }
    // Links are in-page anchors only.
    for (i, _) in lower.match_indices("href=\"") {
        assert!(lower[i + 6..].starts_with('#'), "in-page link only");
    }
}

#[test]
fn report_of_a_run_has_title_summary_plots_scenario_and_manifest() {
    let (_tmp, dir) = run_folder();
    let path = write_report(&dir).unwrap();
    assert_eq!(path, dir.join("report.html"));
    let html = fs::read_to_string(&path).unwrap();
    assert_self_contained(&html);

    assert!(html.contains("<title>murmur — hybrid</title>"));
    assert!(html.contains("<h1>murmur — hybrid</h1>"));
    assert!(html.contains("murmur 0.1.0") || html.contains(env!("CARGO_PKG_VERSION")));
    assert!(html.contains("2 replicates × 730 ticks"));

    // The summary: a row per metric of summary.csv (not `replicate`), each with a mean,
    // an interval and the number of replicates with a value.
    let summary = fs::read_to_string(dir.join("summary.csv")).unwrap();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    assert!(!html.contains("<tr><td><code>replicate</code></td>"));
    for metric in &header[1..] {
        summary_row(&html, metric);
    }
    for metric in [
        "final_customers",
        "churn_hazard",
        "cumulative_profit",
        "final_adopters",
    ] {
        let row = summary_row(&html, metric);
        assert!(
            row.contains("[") && row.contains(", ") && row.contains("]"),
            "{row}"
        );
        assert!(row.ends_with("<td class=\"num\">2</td>"), "n = 2: {row}");
    }
    // cpa_advocate is never defined in hybrid (no advocates): n = 0, no interval.
    let row = summary_row(&html, "cpa_advocate");
    assert!(
        row.contains("not defined") && row.ends_with(">0</td>"),
        "{row}"
    );

    // Sections in the documented order.
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("<h1>") < at("id=\"summary\""));
    assert!(at("id=\"summary\"") < at("id=\"plots\""));
    assert!(at("id=\"plots\"") < at("id=\"scenario\""));
    assert!(at("id=\"scenario\"") < at("id=\"manifest\""));

    // Every plot inlined, in a figure with a caption.
    let plots = svgs(&dir);
    assert!(plots.len() >= 2);
    assert_eq!(html.matches("<svg").count(), plots.len());
    assert_eq!(html.matches("<figure").count(), plots.len());
    assert_eq!(html.matches("<figcaption>").count(), plots.len());
    for p in &plots {
        let file = p.file_name().unwrap().to_string_lossy();
        assert!(
            html.contains(&format!("<code>{file}</code>")),
            "{file} captioned"
        );
    }
    if dir.join("adoption.svg").is_file() && dir.join("degrees.svg").is_file() {
        assert!(at("(<code>adoption.svg</code>)") < at("(<code>degrees.svg</code>)"));
    }

    // The resolved scenario, in the manifest's key order, and the manifest's table.
    assert!(html.contains("<pre class=\"json\">{\n  &quot;name&quot;: &quot;hybrid&quot;,"));
    assert!(at("&quot;ticks&quot;: 730") < at("&quot;population&quot;"));
    for key in [
        "murmur_version",
        "scenario_file",
        "scenario_sha256",
        "seed",
        "replicates",
        "threads",
        "wall_seconds",
        "network.nodes",
        "network.edges",
        "network.mean_degree",
        "network.directed",
    ] {
        assert!(
            html.contains(&format!("<tr><th><code>{key}</code></th><td>")),
            "manifest row {key}"
        );
    }
    assert!(html.contains("<tr><th><code>network.nodes</code></th><td>10000</td></tr>"));

    // No stray temporary files, and the page is the same when written again.
    let again = fs::read_to_string(write_report(&dir).unwrap()).unwrap();
    assert_eq!(html, again);
    let hidden: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.starts_with('.').then_some(name)
        })
        .collect();
    assert!(hidden.is_empty(), "left behind: {hidden:?}");
}

/// A minimal manifest of the given kind, with a scenario named `name`.
fn manifest(kind: &str, name: &str, extra: &str) -> String {
    let name = serde_json::to_string(name).unwrap();
    format!(
        "{{\n  \"kind\": \"{kind}\",\n  \"murmur_version\": \"0.1.0\",\n  \
         \"scenario_file\": \"s.toml\",\n  \"scenario_sha256\": \"ab\",\n  \
         \"scenario\": {{\"name\": {name}, \"ticks\": 10, \"seed\": 1, \"replicates\": 3}},\n  \
         \"seed\": 1,\n  \"replicates\": 3,\n  \"threads\": 2,\n  \"wall_seconds\": 0.5,\n  \
         \"network\": {{\"nodes\": 100, \"edges\": 200, \"mean_degree\": 4.0, \"directed\": false}}{extra}\n}}\n"
    )
}

#[test]
fn names_and_cells_from_files_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("manifest.json"), manifest("run", "<b>&\"x'", "")).unwrap();
    fs::write(
        dir.join("summary.csv"),
        "replicate,final_adopters,\"a<b&c\"\n0,10,1\n1,12,2\n2,11,\n",
    )
    .unwrap();
    fs::write(dir.join("odd <name>.svg"), fake_svg("odd &amp; name")).unwrap();
    let html = fs::read_to_string(write_report(dir).unwrap()).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("<title>murmur — &lt;b&gt;&amp;&quot;x&#39;</title>"));
    assert!(html.contains("<h1>murmur — &lt;b&gt;&amp;&quot;x&#39;</h1>"));
    assert!(!html.contains("<b>"), "the name's tag is not markup");
    assert!(html.contains("&quot;name&quot;: &quot;&lt;b&gt;&amp;\\&quot;x&#39;&quot;"));
    // A metric named a<b&c, defined in two replicates of three.
    let row = summary_row(&html, "a&lt;b&amp;c");
    assert!(
        row.contains(">1.500</td>") && row.ends_with(">2</td>"),
        "{row}"
    );
    assert!(html.contains("(<code>odd &lt;name&gt;.svg</code>)"));
    // Three values 10, 12, 11: mean 11; a resample of three 10s (or 12s) has
    // probability 1/27 > 2.5%, so the bootstrap interval is the whole range [10, 12].
    let row = summary_row(&html, "final_adopters");
    assert!(
        row.contains(">11</td><td class=\"num\">[10, 12]</td>"),
        "{row}"
    );
}

#[test]
fn report_of_a_sweep_has_a_row_per_point() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let extra = ",\n  \"parameters\": [\"strategy.budget\", \"strategy.community.advocates.score\"],\n  \"points\": 2";
    fs::write(
        dir.join("manifest.json"),
        manifest("sweep", "budgets", extra),
    )
    .unwrap();
    fs::write(
        dir.join("points.csv"),
        "point,strategy.budget,strategy.community.advocates.score\n0,50,degree\n1,100,\"a<b\"\n",
    )
    .unwrap();
    let mut summary = String::from(
        "point,strategy.budget,strategy.community.advocates.score,replicate,final_adopters,\
         final_customers,churn_hazard,cumulative_profit,roi\n",
    );
    for (p, budget, score) in [(0, 50, "degree"), (1, 100, "\"a<b\"")] {
        for r in 0..3 {
            let customers = 1000 * (p + 1) + 10 * r;
            summary.push_str(&format!(
                "{p},{budget},{score},{r},{customers},{customers},0.5{r},{},1.5\n",
                100_000 * (p + 1) + r
            ));
        }
    }
    fs::write(dir.join("summary.csv"), summary).unwrap();
    for name in [
        "sweep_final_customers",
        "adoption",
        "zeta",
        "compare_x",
        "degrees",
    ] {
        fs::write(dir.join(format!("{name}.svg")), fake_svg(name)).unwrap();
    }
    let html = fs::read_to_string(write_report(dir).unwrap()).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("<title>murmur — budgets (sweep)</title>"));
    assert!(html.contains("Sweep over 2 points"));
    assert!(html.contains("<th><code>strategy.community.advocates.score</code></th>"));
    assert!(
        html.contains("<th class=\"num\"><code>final_customers</code> mean [95% interval]</th>")
    );
    assert!(html.contains("<th class=\"num\"><code>churn_hazard</code> mean [95% interval]</th>"));
    assert!(
        !html.contains("<code>roi</code> mean"),
        "only the headline metrics"
    );
    assert!(html.contains("<tr><td class=\"num\">0</td><td>50</td><td>degree</td><td class=\"num\">1010 <span class=\"ci\">[1000, 1020]</span></td>"));
    assert!(html.contains(
        "<tr><td class=\"num\">1</td><td>100</td><td>a&lt;b</td><td class=\"num\">2010 "
    ));
    assert!(
        html.contains("200,001 <span class=\"ci\">"),
        "thousands separated"
    );
    // Plots in the preferred order, others last.
    let order: Vec<usize> = [
        "adoption",
        "degrees",
        "sweep_final_customers",
        "compare_x",
        "zeta",
    ]
    .iter()
    .map(|p| html.find(&format!("<figure id=\"plot-{p}\">")).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(html.matches("<svg").count(), 5);
    // The viewBox is added so that the plot scales with the page.
    assert!(html.contains("<svg viewBox=\"0 0 400 200\" width=\"400\""));
}

#[test]
fn report_of_a_comparison_has_tables_per_scenario_differences_and_programme() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let extra = ",\n  \"scenarios\": [\"social_media\", \"community & co\"],\n  \"baseline\": \"social_media\"";
    fs::write(
        dir.join("manifest.json"),
        manifest("compare", "social_media", extra),
    )
    .unwrap();
    fs::write(
        dir.join("summary.csv"),
        "scenario,replicate,final_customers,retention\n\
         social_media,0,2780,0.279\nsocial_media,1,2790,0.281\n\
         community & co,0,6210,0.62\ncommunity & co,1,6220,0.624\n",
    )
    .unwrap();
    fs::write(
        dir.join("differences.csv"),
        "scenario,metric,baseline_mean,mean,difference,low,high,unpaired_low,unpaired_high\n\
         community & co,final_customers,2785,6215,3430,3430,3430,3300,3560\n\
         community & co,retention,0.28,0.622,0.342,-0.01,0.7,-0.1,0.8\n",
    )
    .unwrap();
    fs::write(
        dir.join("programme.csv"),
        "scenario,replicate,extra_customers,expansion,acceleration,expansion_value,acceleration_value\n\
         community & co,0,3430,3000,430,120000.5,8000\n\
         community & co,1,3430,3100,330,124000.5,7000\n",
    )
    .unwrap();
    fs::write(dir.join("compare_customers.svg"), fake_svg("customers")).unwrap();
    let html = fs::read_to_string(write_report(dir).unwrap()).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("<title>murmur — social_media vs community &amp; co</title>"));
    assert!(html.contains("against the baseline social_media"));
    assert!(html.contains("<h3>social_media <span class=\"ci\">(2 replicates)</span></h3>"));
    assert!(html.contains("<h3>community &amp; co <span class=\"ci\">(2 replicates)</span></h3>"));
    // Per-scenario means.
    assert!(html.contains("<td class=\"num\" title=\"2785\">2785</td>"));
    assert!(html.contains("<td class=\"num\" title=\"6215\">6215</td>"));
    // Differences, a table per scenario: the row whose paired interval includes 0 greyed.
    assert!(html.contains("<h3>Differences: community &amp; co − social_media</h3>"));
    assert!(html.contains(
        "<tr><td><code>final_customers</code></td><td class=\"num\">2785</td>\
         <td class=\"num\">6215</td><td class=\"num\">3430</td>\
         <td class=\"num\">[3430, 3430]</td><td class=\"num ci\">[3300, 3560]</td></tr>"
    ));
    assert!(html.contains(
        "<tr class=\"ns\"><td><code>retention</code></td><td class=\"num\">0.2800</td>\
         <td class=\"num\">0.6220</td><td class=\"num\">0.3420</td>\
         <td class=\"num\">[-0.0100, 0.7000]</td><td class=\"num ci\">[-0.1000, 0.8000]</td></tr>"
    ));
    // The programme's figures, averaged.
    assert!(html.contains("<h3>Programme value</h3>"));
    for figure in [
        "extra_customers",
        "expansion",
        "acceleration",
        "expansion_value",
        "acceleration_value",
    ] {
        assert!(
            html.contains(&format!(
                "<td>community &amp; co</td><td><code>{figure}</code></td>"
            )),
            "{figure}"
        );
    }
    assert!(html.contains("<td><code>expansion</code></td><td class=\"num\">3050</td>"));
    assert!(html.contains("<td><code>expansion_value</code></td><td class=\"num\">122,00"));
    assert_eq!(html.matches("<svg").count(), 1);
}

#[test]
fn errors_name_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let e = write_report(dir).unwrap_err();
    assert!(matches!(e, ReportError::NotResults(_)));
    assert!(e.to_string().contains(&dir.display().to_string()));

    fs::write(dir.join("manifest.json"), "{ not json").unwrap();
    let e = write_report(dir).unwrap_err();
    assert!(matches!(e, ReportError::Json { .. }), "{e}");
    assert!(e.to_string().contains("manifest.json"), "{e}");

    fs::write(dir.join("manifest.json"), manifest("run", "x", "")).unwrap();
    let e = write_report(dir).unwrap_err();
    assert!(e.to_string().contains("summary.csv"), "{e}");

    fs::write(dir.join("summary.csv"), "replicate,a\n0,1,2\n").unwrap();
    let e = write_report(dir).unwrap_err();
    assert!(matches!(e, ReportError::Csv { .. }), "{e}");
    assert!(e.to_string().contains("summary.csv"), "{e}");
    assert!(!dir.join("report.html").exists());
}

// ---------------------------------------------------------------------------------
// Headless Chromium

/// Chromium, if installed: /usr/bin/chromium, or chromium / chromium-browser on PATH.
fn find_chromium() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| [d.join("chromium"), d.join("chromium-browser")])
        .find(|p| p.is_file())
}

/// Runs Chromium headless with `args` after the standard flags, killing it after 60 s;
/// returns (success, stdout, stderr).
fn chromium(browser: &Path, args: &[String]) -> (bool, String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (
        status.success(),
        stdout.join().unwrap(),
        stderr.join().unwrap(),
    )
}

/// Lines of Chromium's log that report a problem with the page itself: console
/// messages (the page has no scripts, so any is a problem: an uncaught error, a
/// resource that failed to load, a blocked request), not Chromium's own noise about
/// D-Bus, the GPU or the sandbox.
fn page_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(":CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Failed to load resource")
                || (l.contains("net::ERR_") && l.contains("file://"))
        })
        .collect()
}

/// Needs Chromium, so `cargo test` lists it as ignored; `.ci/run` installs Chromium
/// and runs it with `cargo test --release --test report -- --ignored`.
#[test]
#[ignore = "needs chromium: run with --ignored (.ci/run does, after installing it)"]
fn report_renders_in_headless_chromium() {
    let browser = find_chromium()
        .expect("report_renders_in_headless_chromium needs chromium (apt-get install chromium)");
    let (_tmp, dir) = run_folder();
    let report = write_report(&dir).unwrap();
    let plots = svgs(&dir).len();
    let url = format!("file://{}", report.display());
    let (ok, dom, stderr) = chromium(&browser, &["--dump-dom".into(), url]);
    assert!(ok, "chromium failed:\n{stderr}");
    assert!(dom.contains("<title>murmur — hybrid</title>"), "{dom}");
    assert!(dom.contains("<table class=\"summary\">"));
    assert!(dom.contains("<tr><td><code>final_customers</code></td>"));
    assert_eq!(dom.matches("<svg").count(), plots, "one <svg> per plot");
    assert_eq!(dom.matches("<figure").count(), plots);
    let errors = page_errors(&stderr);
    assert!(
        errors.is_empty(),
        "the page logged errors:\n{}",
        errors.join("\n")
    );

    // The detector itself: a page with an uncaught error is caught.
    let bad = dir.join("bad.html");
    fs::write(
        &bad,
        "<!DOCTYPE html><title>x</title><script>throw new Error('boom')</script>",
    )
    .unwrap();
    let (_, _, stderr) = chromium(
        &browser,
        &["--dump-dom".into(), format!("file://{}", bad.display())],
    );
    assert!(
        page_errors(&stderr).iter().any(|l| l.contains("boom")),
        "the console check sees page errors:\n{stderr}"
    );
}

/// A comparison's report opens its summary with the comparison at a glance: the
/// scenario with the most cumulative profit, and per scenario its paired differences
/// in profit, final customers and customers early, and the crossover day.
#[test]
fn report_of_a_comparison_opens_with_the_comparison_at_a_glance() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let extra =
        ",\n  \"scenarios\": [\"social_media\", \"community\"],\n  \"baseline\": \"social_media\"";
    fs::write(
        dir.join("manifest.json"),
        manifest("compare", "social_media", extra),
    )
    .unwrap();
    fs::write(
        dir.join("summary.csv"),
        "scenario,replicate,final_customers\nsocial_media,0,2100\ncommunity,0,6300\n",
    )
    .unwrap();
    fs::write(
        dir.join("differences.csv"),
        "scenario,metric,baseline_mean,mean,difference,low,high,unpaired_low,unpaired_high\n\
         community,customers_day_30,87,5,-82,-87,-77,-88,-76\n\
         community,final_customers,2100,6300,4200,4100,4300,4000,4400\n\
         community,cumulative_profit,560000,1770000,1210000,1195000,1225000,1190000,1230000\n",
    )
    .unwrap();
    fs::write(
        dir.join("crossovers.csv"),
        "scenario,crossovers,last_day\ncommunity,1,293\n",
    )
    .unwrap();
    let html = fs::read_to_string(write_report(dir).unwrap()).unwrap();
    let glance = html
        .find("<h3>At a glance</h3>")
        .expect("an at-a-glance block");
    let tables = html.find("<h3>social_media").unwrap();
    assert!(glance < tables, "the glance comes before the tables");
    assert!(html.contains("<strong>community</strong> earns the most cumulative profit"));
    assert!(
        html.contains(
            "<li><strong>community</strong> − social_media: cumulative profit +1,210,000 \
         [1,195,000, 1,225,000]; customers at the end +4200 [4100, 4300]; customers early \
         (day 30) -82 [-87, -77]; the lead in cumulative profit last changes hands on day \
         293</li>"
        ),
        "{}",
        &html[glance..glance + 800]
    );
}
