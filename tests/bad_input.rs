//! Malformed scenarios and input files, run through the real binary: every one must
//! give a one-paragraph error on stderr that names the file, the key and its line,
//! says what is allowed and suggests a fix for a misspelling; exit with code 2; never
//! panic; and, for `run`, leave no results folder (nor a temporary one) behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A small valid scenario that the tests break one key at a time.
const BASE: &str = "\
name = \"base\"
ticks = 10
[population]
size = 100
[network]
kind = \"erdos_renyi\"
mean_degree = 4
[model]
kind = \"bass\"
p = 0.01
q = 0.3
";

/// A small valid independent-cascade scenario.
const CASCADE: &str = "\
ticks = 5
seed = 7
replicates = 2
[population]
size = 200
[network]
kind = \"erdos_renyi\"
mean_degree = 3
[model]
kind = \"independent_cascade\"
probability = 0.2
seeds = 2
";

/// Edge-list scenario naming `edges.txt` beside it.
const EDGE_LIST: &str = "\
ticks = 5
[network]
kind = \"edge_list\"
path = \"edges.txt\"
[model]
kind = \"independent_cascade\"
probability = 0.2
";

fn murmur(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the murmur binary runs")
}

/// `text` with the first `from` replaced by `to`; `from` must be there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in the scenario");
    text.replacen(from, to, 1)
}

/// The 1-based line of `text` that first contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in the scenario"))
        + 1
}

/// Checks a failure: exit code 2, nothing on stdout, one line on stderr naming the
/// file, no panic. Returns stderr.
fn check_failure(out: &Output, file: &Path) -> String {
    let stderr = String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8");
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(stderr.ends_with('\n'), "{stderr:?}");
    assert_eq!(stderr.matches('\n').count(), 1, "not one line: {stderr:?}");
    assert!(
        stderr.contains(&file.display().to_string()),
        "file not named: {stderr}"
    );
    stderr.trim_end().to_string()
}

/// Asserts that `dir` is empty: no results folder and no hidden temporary one.
fn assert_empty(dir: &Path) {
    let left: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Validates and runs a scenario file, both of which must fail with the same
/// one-line message and leave nothing behind. Returns the message.
fn fails_at(file: &Path) -> String {
    let validate = check_failure(&murmur(&["validate".as_ref(), file.as_os_str()]), file);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("results");
    let run = murmur(&[
        "run".as_ref(),
        file.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]);
    let run = check_failure(&run, file);
    assert_eq!(validate, run, "validate and run disagree");
    assert_empty(parent.path());
    validate
}

/// Writes `text` as `scenario.toml` in a fresh folder, with extra files beside it,
/// and returns the message of [`fails_at`].
fn fails_with(text: &str, files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    fails_at(&file)
}

fn fails(text: &str) -> String {
    fails_with(text, &[])
}

/// Asserts the message names `key` on `line` (or on no line) and holds every word.
fn expect(message: &str, line: Option<usize>, key: &str, words: &[&str]) {
    let at = match line {
        Some(n) => format!("scenario.toml, line {n}, key `{key}`: "),
        None => format!("scenario.toml, key `{key}`: "),
    };
    assert!(message.contains(&at), "expected {at:?} in: {message}");
    for word in words {
        assert!(message.contains(word), "expected {word:?} in: {message}");
    }
}

/// No Rust type names or serde jargon in a message meant for scenario authors.
fn assert_plain(message: &str) {
    for jargon in [
        "u32",
        "u64",
        "i64",
        "f64",
        "usize",
        "invalid type",
        "struct",
        "Raw",
        "sequence",
        "map",
        "enum",
        "variant",
        "field",
    ] {
        assert!(!message.contains(jargon), "{jargon:?} in: {message}");
    }
}

#[test]
fn unknown_top_level_key_suggests_the_right_one() {
    let text = edit(BASE, "ticks = 10\n", "ticks = 10\nreplicate = 5\n");
    let m = fails(&text);
    expect(
        &m,
        Some(line_of(&text, "replicate =")),
        "replicate",
        &[
            "unknown key `replicate`",
            "Allowed: name, ticks, seed, replicates, population, network, model",
            "Did you mean `replicates`?",
        ],
    );
    assert_plain(&m);
}

#[test]
fn unknown_network_key_lists_the_keys_and_suggests_one() {
    let text = edit(BASE, "mean_degree = 4", "mean_degre = 4");
    let m = fails(&text);
    expect(
        &m,
        Some(7),
        "network.mean_degre",
        &[
            "unknown key `mean_degre` in [network]",
            "Allowed: kind, per_replicate, mean_degree, k, rewire, m",
            "Did you mean `mean_degree`?",
        ],
    );
    assert_plain(&m);
}

#[test]
fn unknown_model_key_lists_the_keys_and_suggests_one() {
    let text = edit(BASE, "q = 0.3", "qq = 0.3");
    let m = fails(&text);
    expect(
        &m,
        Some(11),
        "model.qq",
        &[
            "unknown key `qq` in [model]",
            "Allowed: kind, p, q, probability, seeds, seeding",
            "Did you mean `q`?",
        ],
    );
    // Case and a hyphen for an underscore are forgiven in suggestions.
    let text = edit(CASCADE, "seeds = 2", "Seeds = 2");
    let m = fails(&text);
    expect(
        &m,
        Some(12),
        "model.Seeds",
        &["unknown key `Seeds`", "Did you mean `seeds`?"],
    );
}

#[test]
fn key_in_the_wrong_table_says_where_it_belongs() {
    // A top-level key written after a [table] header lands in that table.
    let text = format!("{}ticks = 10\n", BASE.replace("ticks = 10\n", ""));
    let m = fails(&text);
    expect(
        &m,
        Some(line_of(&text, "ticks =")),
        "model.ticks",
        &["`ticks` belongs at the top of the file, before the first [table] header"],
    );
    let text = format!("size = 100\n{}", BASE.replace("size = 100\n", ""));
    let m = fails(&text);
    expect(
        &m,
        Some(1),
        "size",
        &[
            "`size` belongs in the [population] table",
            "Did you mean `population.size`?",
        ],
    );
}

#[test]
fn key_of_another_kind_does_not_apply() {
    let text = edit(BASE, "mean_degree = 4\n", "mean_degree = 4\nm = 3\n");
    let m = fails(&text);
    expect(
        &m,
        Some(line_of(&text, "m = 3")),
        "network.m",
        &[
            "`m` does not apply to network kind = \"erdos_renyi\"",
            "it is a setting of kind = \"barabasi_albert\"",
            "Allowed: for kind = \"erdos_renyi\": kind, per_replicate, mean_degree.",
        ],
    );
    let text = edit(BASE, "q = 0.3", "q = 0.3\nprobability = 0.5");
    let m = fails(&text);
    expect(
        &m,
        Some(12),
        "model.probability",
        &[
            "does not apply to model kind = \"bass\"",
            "Allowed: for kind = \"bass\": kind, p, q.",
        ],
    );
    // A complete network takes no parameters: the list must not dangle.
    let text = edit(BASE, "\"erdos_renyi\"", "\"complete\"");
    let m = fails(&text);
    expect(
        &m,
        Some(7),
        "network.mean_degree",
        &["Allowed: for kind = \"complete\": kind, per_replicate."],
    );
}

#[test]
fn unknown_kinds_suggest_the_closest() {
    let text = edit(BASE, "\"erdos_renyi\"", "\"erdos_renyl\"");
    let m = fails(&text);
    expect(
        &m,
        Some(6),
        "network.kind",
        &[
            "unknown kind \"erdos_renyl\"",
            "\"complete\", \"erdos_renyi\", \"watts_strogatz\", \"barabasi_albert\", \
             \"communities\" or \"edge_list\"",
            "Did you mean `erdos_renyi`?",
        ],
    );
    assert_plain(&m);
    let text = edit(BASE, "\"bass\"", "\"bas\"");
    let m = fails(&text);
    expect(
        &m,
        Some(9),
        "model.kind",
        &[
            "unknown kind \"bas\"",
            "\"bass\", \"independent_cascade\", \"linear_threshold\" or \"marketing\"",
            "Did you mean `bass`?",
        ],
    );
    assert_plain(&m);
    let text = edit(CASCADE, "seeds = 2", "seeding = \"degre\"");
    let m = fails(&text);
    expect(
        &m,
        Some(12),
        "model.seeding",
        &["unknown seeding \"degre\"", "Did you mean `degree`?"],
    );
    // A model kind under [network].
    let text = edit(BASE, "\"erdos_renyi\"", "\"bass\"");
    let m = fails(&text);
    expect(
        &m,
        Some(6),
        "network.kind",
        &["\"bass\" is a model kind; it belongs in the [model] table"],
    );
}

#[test]
fn wrong_types_are_explained_in_plain_words() {
    for (from, to, line, key, words) in [
        (
            "ticks = 10",
            "ticks = \"many\"",
            2,
            "ticks",
            &[
                "`ticks` must be a whole number, but it is the text \"many\"",
                "Allowed: a whole number from 1 to 4294967295",
            ][..],
        ),
        (
            "p = 0.01",
            "p = \"high\"",
            10,
            "model.p",
            &[
                "`p` must be a number, but it is the text \"high\"",
                "Allowed: a number from 0 to 1",
            ],
        ),
        (
            "size = 100",
            "size = 1.5",
            4,
            "population.size",
            &["`size` must be a whole number, but it is the decimal number 1.5"],
        ),
        (
            "mean_degree = 4",
            "mean_degree = 4\nper_replicate = \"yes\"",
            8,
            "network.per_replicate",
            &["must be true or false (without quotes), but it is the text \"yes\""],
        ),
        (
            "kind = \"erdos_renyi\"",
            "kind = 3",
            6,
            "network.kind",
            &["must be one of the names below, in double quotes, but it is the whole number 3"],
        ),
        (
            "[network]",
            "[[network]]",
            5,
            "network",
            &["`network` must be a table, written [network], but it is a list"],
        ),
        (
            "name = \"base\"",
            "name = 5",
            1,
            "name",
            &["`name` must be text in double quotes, but it is the whole number 5"],
        ),
        (
            "ticks = 10",
            "ticks = -3",
            2,
            "ticks",
            &[
                "-3 is out of range",
                "Allowed: a whole number from 1 to 4294967295",
            ],
        ),
    ] {
        let text = edit(BASE, from, to);
        let m = fails(&text);
        expect(&m, Some(line), key, words);
        assert_plain(&m);
    }
}

#[test]
fn probabilities_outside_0_to_1_are_rejected() {
    let ws = "kind = \"watts_strogatz\"\nk = 4\nrewire = 0.1";
    let communities = "kind = \"communities\"\ncount = 4\nmean_degree = 4\nmixing = 0.2";
    for (base, from, to, key) in [
        (BASE, "p = 0.01", "p = 1.5", "model.p"),
        (BASE, "p = 0.01", "p = -0.1", "model.p"),
        (
            CASCADE,
            "probability = 0.2",
            "probability = 2",
            "model.probability",
        ),
        (
            CASCADE,
            "probability = 0.2",
            "probability = -1",
            "model.probability",
        ),
    ] {
        let text = edit(base, from, to);
        let m = fails(&text);
        expect(
            &m,
            Some(line_of(&text, to)),
            key,
            &["is not a probability", "Allowed: a number from 0 to 1."],
        );
    }
    let net = "kind = \"erdos_renyi\"\nmean_degree = 4";
    for (spec, from, to, key) in [
        (ws, "rewire = 0.1", "rewire = 1.01", "network.rewire"),
        (ws, "rewire = 0.1", "rewire = -0.5", "network.rewire"),
        (communities, "mixing = 0.2", "mixing = 3", "network.mixing"),
        (
            communities,
            "mixing = 0.2",
            "mixing = -0.2",
            "network.mixing",
        ),
    ] {
        let text = edit(&edit(BASE, net, spec), from, to);
        let m = fails(&text);
        expect(
            &m,
            Some(line_of(&text, to)),
            key,
            &["is not a probability", "Allowed: a number from 0 to 1."],
        );
    }
}

#[test]
fn zero_sizes_and_counts_are_rejected() {
    for (from, to, key, words) in [
        (
            "size = 100",
            "size = 0",
            "population.size",
            "the population is empty",
        ),
        (
            "ticks = 10",
            "ticks = 0",
            "ticks",
            "ticks must be at least 1",
        ),
        (
            "ticks = 10",
            "ticks = 10\nreplicates = 0",
            "replicates",
            "replicates must be at least 1",
        ),
    ] {
        let text = edit(BASE, from, to);
        let needle = to.lines().last().unwrap();
        let m = fails(&text);
        expect(
            &m,
            Some(line_of(&text, needle)),
            key,
            &[words, "Allowed: a whole number from 1 to"],
        );
    }
}

#[test]
fn network_parameters_must_fit_the_population() {
    let net = "kind = \"erdos_renyi\"\nmean_degree = 4";
    for (spec, key, words) in [
        (
            "kind = \"erdos_renyi\"\nmean_degree = 100",
            "network.mean_degree",
            &[
                "mean degree 100 is not below the population size 100",
                "Allowed: a number from 0 to below 100.",
            ][..],
        ),
        (
            "kind = \"erdos_renyi\"\nmean_degree = 250.5",
            "network.mean_degree",
            &["is not below the population size 100"],
        ),
        (
            "kind = \"watts_strogatz\"\nk = 3\nrewire = 0.1",
            "network.k",
            &[
                "k = 3 is not an even number",
                "Allowed: an even whole number",
            ],
        ),
        (
            "kind = \"watts_strogatz\"\nrewire = 0.1\nk = 100",
            "network.k",
            &["k = 100 is not below the population size 100"],
        ),
        (
            "kind = \"barabasi_albert\"\nm = 100",
            "network.m",
            &[
                "m = 100 is not below the population size 100",
                "Allowed: a whole number from 1 to below 100.",
            ],
        ),
        (
            "kind = \"communities\"\ncount = 101\nmean_degree = 4\nmixing = 0.1",
            "network.count",
            &["101 communities cannot be formed from 100 agents"],
        ),
    ] {
        let text = edit(BASE, net, spec);
        let name = key.rsplit('.').next().unwrap();
        let m = fails(&text);
        expect(&m, Some(line_of(&text, &format!("{name} ="))), key, words);
    }
}

#[test]
fn more_seeds_than_agents_are_rejected() {
    let text = edit(CASCADE, "seeds = 2", "seeds = 201");
    let m = fails(&text);
    expect(
        &m,
        Some(12),
        "model.seeds",
        &[
            "201 seeds cannot be chosen from 200 agents",
            "Allowed: a whole number from 1 to the population size.",
        ],
    );
    let text = edit(CASCADE, "seeds = 2", "seeds = 0");
    expect(
        &fails(&text),
        Some(12),
        "model.seeds",
        &["0 seeds cannot be chosen"],
    );
}

#[test]
fn bass_p_plus_q_above_1_is_rejected() {
    let text = edit(BASE, "q = 0.3", "q = 0.995");
    let m = fails(&text);
    expect(
        &m,
        Some(11),
        "model.q",
        &[
            "p + q = 1.005 exceeds 1",
            "Allowed: p and q from 0 to 1 with p + q ≤ 1.",
        ],
    );
}

#[test]
fn missing_required_keys_are_named() {
    // No [model] table at all: there is no line to point at.
    let text = BASE.split("[model]").next().unwrap();
    let m = fails(text);
    expect(
        &m,
        None,
        "model",
        &[
            "the [model] table is missing",
            "Allowed: a [model] table with kind = \"bass\", \"independent_cascade\", \"linear_threshold\" or \"marketing\".",
        ],
    );
    assert!(!m.contains(", line "), "{m}");
    // A missing key inside a table points at the table's header.
    let text = edit(BASE, "p = 0.01\n", "");
    let m = fails(&text);
    expect(
        &m,
        Some(line_of(&text, "[model]")),
        "model.p",
        &[
            "required key `model.p` is missing",
            "Allowed: a number from 0 to 1.",
        ],
    );
    let text = edit(BASE, "size = 100\n", "");
    let m = fails(&text);
    expect(
        &m,
        Some(line_of(&text, "[population]")),
        "population.size",
        &["required key `population.size` is missing"],
    );
    let text = edit(BASE, "[population]\nsize = 100\n", "");
    expect(
        &fails(&text),
        None,
        "population.size",
        &[
            "required key `population.size` is missing",
            "Allowed: a whole number from 1 to",
        ],
    );
    let text = edit(BASE, "kind = \"erdos_renyi\"\n", "");
    expect(
        &fails(&text),
        Some(line_of(&text, "[network]")),
        "network.kind",
        &["required key `network.kind` is missing", "\"erdos_renyi\""],
    );
    let text = edit(BASE, "ticks = 10\n", "");
    expect(
        &fails(&text),
        None,
        "ticks",
        &["required key `ticks` is missing"],
    );
    // An empty file is missing its first required key, not a crash.
    expect(
        &fails(""),
        None,
        "ticks",
        &["required key `ticks` is missing"],
    );
}

#[test]
fn toml_syntax_errors_report_the_line() {
    let text = edit(BASE, "ticks = 10", "ticks = = 3");
    let m = fails(&text);
    expect(&m, Some(2), "ticks", &["`ticks = = 3` is not valid TOML"]);
    let text = edit(BASE, "q = 0.3", "q = 0.3\np = 0.02");
    let m = fails(&text);
    expect(
        &m,
        Some(12),
        "model.p",
        &["`model.p` is given more than once"],
    );
    let text = edit(BASE, "\"bass\"", "bass");
    let m = fails(&text);
    expect(
        &m,
        Some(9),
        "model.kind",
        &[
            "the text `bass` must be in quotes",
            "Did you mean `kind = \"bass\"`?",
        ],
    );
    let text = edit(BASE, "[model]", "[model");
    let m = fails(&text);
    expect(&m, Some(8), "model", &["`[model` is not valid TOML"]);
}

#[test]
fn missing_edge_list_file_names_the_path_and_key() {
    let m = fails(EDGE_LIST);
    expect(
        &m,
        Some(4),
        "network.path",
        &[
            "edges.txt does not exist",
            "relative to the scenario file's folder",
        ],
    );
    let text = edit(EDGE_LIST, "path = \"edges.txt\"\n", "");
    expect(
        &fails(&text),
        Some(2),
        "network.path",
        &["required key `network.path` is missing"],
    );
}

#[test]
fn malformed_edge_list_line_is_reported_with_its_line() {
    let edges = "# comment\n1 2\n2 3\n12 abc\n3 4\n";
    let m = fails_with(EDGE_LIST, &[("edges.txt", edges)]);
    expect(
        &m,
        Some(4),
        "network.path",
        &[
            "edge list \"",
            "edges.txt\", line 4: expected two node ids",
            "found \"12 abc\"",
        ],
    );
    let m = fails_with(EDGE_LIST, &[("edges.txt", "# nothing here\n\n")]);
    expect(&m, Some(4), "network.path", &["contains no edges"]);
}

#[test]
fn population_size_must_match_the_edge_list() {
    let text = edit(EDGE_LIST, "[network]", "[population]\nsize = 7\n[network]");
    let m = fails_with(&text, &[("edges.txt", "1 2\n2 3\n3 4\n")]);
    expect(
        &m,
        Some(line_of(&text, "size = 7")),
        "population.size",
        &[
            "population.size is 7 but the edge list has 4 distinct agents",
            "Allowed: 4, or leave population.size out",
        ],
    );
    let text = edit(
        EDGE_LIST,
        "probability = 0.2",
        "probability = 0.2\nseeds = 9",
    );
    let m = fails_with(&text, &[("edges.txt", "1 2\n2 3\n3 4\n")]);
    expect(
        &m,
        Some(line_of(&text, "seeds = 9")),
        "model.seeds",
        &["9 seeds cannot be chosen from the edge list's 4 agents"],
    );
}

#[test]
fn missing_scenario_file_and_folders_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.toml");
    let m = fails_at(&missing);
    assert!(m.contains("the scenario file does not exist"), "{m}");
    let m = fails_at(dir.path());
    assert!(m.contains("this is a folder, not a scenario file"), "{m}");
}

#[test]
fn zero_replicates_or_threads_on_the_command_line_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cascade.toml");
    std::fs::write(&file, CASCADE).unwrap();
    let parent = dir.path().join("results");
    std::fs::create_dir(&parent).unwrap();
    let out = parent.join("run");
    for flag in ["--replicates", "--threads"] {
        let output = murmur(&[
            "run".as_ref(),
            file.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            flag.as_ref(),
            "0".as_ref(),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains(flag), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_empty(&parent);
    }
}

#[test]
fn failed_runs_leave_no_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("results");
    std::fs::create_dir(&parent).unwrap();
    let out = parent.join("run");
    let bad_scenario = dir.path().join("bad.toml");
    std::fs::write(
        &bad_scenario,
        edit(CASCADE, "probability = 0.2", "probability = 7"),
    )
    .unwrap();
    // Fails at parse time, and (edge list) once the run has started.
    let bad_edges = dir.path().join("edges.toml");
    std::fs::write(&bad_edges, EDGE_LIST).unwrap();
    std::fs::write(dir.path().join("edges.txt"), "1 2\n2 x\n").unwrap();
    for file in [&bad_scenario, &bad_edges] {
        let output = murmur(&[
            "run".as_ref(),
            file.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--quiet".as_ref(),
        ]);
        check_failure(&output, file);
        assert!(!out.exists());
        assert_empty(&parent);
    }
}

#[test]
fn good_scenarios_validate_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cascade.toml");
    std::fs::write(&file, CASCADE).unwrap();
    let output = murmur(&["validate".as_ref(), file.as_os_str()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("valid"), "{stdout}");
    assert!(output.stderr.is_empty());

    let out = dir.path().join("results").join("cascade");
    let output = murmur(&[
        "run".as_ref(),
        file.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for name in ["timeseries.csv", "summary.csv", "manifest.json"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let names: Vec<_> = std::fs::read_dir(dir.path().join("results"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["cascade"], "only the results folder remains");

    // An edge-list scenario validates once its file is read.
    std::fs::write(
        dir.path().join("edges.txt"),
        "# a triangle\n1 2\n2 3\n3 1\n",
    )
    .unwrap();
    let file = dir.path().join("edges.toml");
    std::fs::write(&file, EDGE_LIST).unwrap();
    let output = murmur(&["validate".as_ref(), file.as_os_str()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("valid (3 agents"), "{stdout}");
}

/// A small valid marketing scenario with both strategies and a phase timeline.
const MARKETING: &str = "\
ticks = 20
[population]
size = 200
[network]
kind = \"erdos_renyi\"
mean_degree = 4
[model]
kind = \"marketing\"
[market]
price = 40.0
[strategy]
budget = 100.0
social_media_share = 0.5
[strategy.social_media]
targeting = \"random\"
[strategy.community]
recruitment = 0.001
[strategy.community.advocates]
count = 5
reward = \"cash\"
[[phase]]
name = \"recruit\"
start = 1
actions = [\"recruit\"]
[[phase]]
name = \"promote\"
start = 5
end = 15
actions = [\"advocates\", \"paid\"]
";

#[test]
fn marketing_keys_are_checked_like_every_other() {
    let cases: [(&str, &str, &str, &[&str]); 4] = [
        (
            "recruitment = 0.001",
            "recruitmnet = 0.001",
            "strategy.community.recruitmnet",
            &[
                "unknown key",
                "[strategy.community]",
                "unaware_recruitment",
                "Did you mean `recruitment`?",
            ],
        ),
        (
            "reward = \"cash\"",
            "reward = \"cassh\"",
            "strategy.community.advocates.reward",
            &[
                "unknown reward \"cassh\"",
                "\"social_capital\" or \"cash\"",
                "Did you mean `cash`?",
            ],
        ),
        (
            "[\"recruit\"]",
            "[\"recriut\"]",
            "phase.0.actions.0",
            &["unknown action \"recriut\"", "Did you mean `recruit`?"],
        ),
        (
            "price = 40.0",
            "price = \"cheap\"",
            "market.price",
            &["\"cheap\"", "a number"],
        ),
    ];
    for (from, to, key, words) in cases {
        let text = edit(MARKETING, from, to);
        let m = fails(&text);
        expect(&m, Some(line_of(&text, to)), key, words);
        assert_plain(&m);
    }
}

#[test]
fn marketing_values_out_of_range_are_rejected() {
    let at = |text: &str, needle: &str| Some(line_of(text, needle));
    let text = edit(MARKETING, "price = 40.0", "price = 40.0\nmargin = 1.5");
    expect(
        &fails(&text),
        at(&text, "margin"),
        "market.margin",
        &["1.5 is out of range", "from 0 to 1"],
    );
    let text = edit(
        MARKETING,
        "social_media_share = 0.5",
        "social_media_share = -0.1",
    );
    expect(
        &fails(&text),
        at(&text, "social_media_share"),
        "strategy.social_media_share",
        &["out of range"],
    );
    // Half of 60 a day cannot pay a community manager of 40.
    let text = edit(MARKETING, "budget = 100.0", "budget = 60.0");
    expect(
        &fails(&text),
        at(&text, "budget"),
        "strategy.budget",
        &["cannot pay its manager", "manager_cost"],
    );
    let text = edit(MARKETING, "end = 15", "end = 2");
    expect(
        &fails(&text),
        at(&text, "end = 2"),
        "phase.1.end",
        &["ends before it starts"],
    );
}

#[test]
fn marketing_tables_need_the_marketing_model() {
    let text = format!("{BASE}[strategy]\nbudget = 1.0\n");
    expect(
        &fails(&text),
        Some(line_of(&text, "[strategy]")),
        "strategy",
        &[
            "only applies to the marketing model",
            "kind = \"marketing\"",
        ],
    );
    // Actions of a strategy the scenario does not configure.
    let text = MARKETING.replace("[strategy.social_media]\ntargeting = \"random\"\n", "");
    let text = edit(
        &text,
        "social_media_share = 0.5",
        "social_media_share = 0.0",
    );
    expect(
        &fails(&text),
        Some(line_of(&text, "[\"advocates\", \"paid\"]")),
        "phase.1.actions",
        &["needs a [strategy.social_media] table"],
    );
}

#[test]
fn a_run_too_big_for_the_machine_is_refused_before_it_allocates() {
    // A complete graph of a million agents would need about 12 TB of ties.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.toml");
    std::fs::write(
        &file,
        edit(BASE, "size = 100", "size = 1000000").replace(
            "kind = \"erdos_renyi\"\nmean_degree = 4",
            "kind = \"complete\"",
        ),
    )
    .unwrap();
    let out = dir.path().join("results");
    let run = murmur(&[
        "run".as_ref(),
        file.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the run needs about") && stderr.contains("TiB"),
        "{stderr}"
    );
    assert!(stderr.contains("reduce population.size"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn leftovers_of_a_killed_run_are_cleaned_up_by_the_next_one() {
    // A run killed while writing leaves only a hidden temporary folder; the next run
    // into the same place removes it.
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".results.murmur-tmp-4000000000");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("timeseries.csv"), "half-writ").unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, CASCADE).unwrap();
    let out = dir.path().join("results");
    let run = murmur(&[
        "run".as_ref(),
        file.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("manifest.json").is_file());
    assert!(!stale.exists(), "the stale temporary folder is still there");
}
