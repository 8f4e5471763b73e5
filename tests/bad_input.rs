//! Malformed scenarios and input files, run through the real binary: every one must
//! give a one-paragraph error on stderr that names the file, the key and its line,
//! says what is allowed and suggests a fix for a misspelling; exit with code 2; never
//! panic; and, for `run`, leave no results folder (nor a temporary one) behind.
//!
//! Most tests are tables of [`Case`] rows, one malformed scenario a row, checked by
//! [`check_all`]; the tests of another shape come last.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use Line::{At, AtText, Nowhere};

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

/// The [network] settings of [`BASE`], for rows that put another network there.
const ERDOS_RENYI: &str = "kind = \"erdos_renyi\"\nmean_degree = 4";

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

/// One malformed scenario and what its error must say.
struct Case {
    /// Names the row when it fails.
    name: &'static str,
    /// The scenario to break.
    base: &'static str,
    /// `(from, to)` edits applied to `base` in order with [`edit`].
    edits: &'static [(&'static str, &'static str)],
    /// `(name, content)` of files written beside the scenario.
    files: &'static [(&'static str, &'static str)],
    /// Where the message must place `key`.
    line: Line,
    key: &'static str,
    /// Each must be in the message.
    words: &'static [&'static str],
    /// None may be in the message.
    absent: &'static [&'static str],
    /// Whether the message must be free of jargon ([`assert_plain`]).
    plain: bool,
}

/// The line a message must name.
#[derive(Clone, Copy, Debug)]
enum Line {
    /// This 1-based line.
    At(usize),
    /// The first line of the broken scenario that contains this text.
    AtText(&'static str),
    /// No line: the key is missing, with no table to point at.
    Nowhere,
}

/// The fields a row may leave out: `Case { name: …, ..ROW }`. Every row still
/// gives its name, base, line, key and words.
const ROW: Case = Case {
    name: "",
    base: "",
    edits: &[],
    files: &[],
    line: Nowhere,
    key: "",
    words: &[],
    absent: &[],
    plain: false,
};

/// `is not a probability` rows all expect these words.
const NOT_A_PROBABILITY: &[&str] = &["is not a probability", "Allowed: a number from 0 to 1."];

/// An edge list of 4 agents.
const FOUR_AGENTS: &[(&str, &str)] = &[("edges.txt", "1 2\n2 3\n3 4\n")];

impl Case {
    /// Breaks the scenario, fails it through `validate` and `run`, and checks the
    /// message.
    fn check(&self) {
        assert!(!self.key.is_empty(), "the row names no key");
        let text = self
            .edits
            .iter()
            .fold(self.base.to_string(), |text, (from, to)| {
                edit(&text, from, to)
            });
        let message = fails_with(&text, self.files);
        let line = match self.line {
            At(n) => Some(n),
            AtText(needle) => Some(line_of(&text, needle)),
            Nowhere => None,
        };
        expect(&message, line, self.key, self.words);
        for word in self.absent {
            assert!(!message.contains(word), "{word:?} in: {message}");
        }
        if self.plain {
            assert_plain(&message);
        }
    }
}

/// Checks every row of a table, then fails naming each row that did not pass.
fn check_all(cases: &[Case]) {
    let mut failed = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        assert!(
            cases[..i].iter().all(|c| c.name != case.name),
            "two rows are named {:?}",
            case.name
        );
        if let Err(panic) = std::panic::catch_unwind(|| case.check()) {
            let why = (panic.downcast_ref::<String>().map(String::as_str))
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            failed.push(format!("row {:?}: {why}", case.name));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} rows failed:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

fn murmur(args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the murmur binary runs")
}

/// `murmur validate FILE`.
fn validate(file: &Path) -> Output {
    murmur(&["validate".as_ref(), file.as_os_str()])
}

/// `murmur run FILE --out OUT`, then `extra`.
fn run(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run".as_ref(),
        file.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    murmur(&args)
}

/// Asserts that the command exited with code 0.
fn assert_success(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// Writes `content` as `name` in `dir` and returns its path.
fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    file
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
    let validate = check_failure(&validate(file), file);
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("results");
    let run = check_failure(&run(file, &out, &["--quiet"]), file);
    assert_eq!(validate, run, "validate and run disagree");
    assert_empty(parent.path());
    validate
}

/// Writes `text` as `scenario.toml` in a fresh folder, with extra files beside it,
/// and returns the message of [`fails_at`].
fn fails_with(text: &str, files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        write(dir.path(), name, content);
    }
    fails_at(&write(dir.path(), "scenario.toml", text))
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
    check_all(&[Case {
        name: "replicate",
        base: BASE,
        edits: &[("ticks = 10\n", "ticks = 10\nreplicate = 5\n")],
        line: AtText("replicate ="),
        key: "replicate",
        words: &[
            "unknown key `replicate`",
            "Allowed: name, ticks, seed, replicates, population, network, model",
            "Did you mean `replicates`?",
        ],
        plain: true,
        ..ROW
    }]);
}

#[test]
fn unknown_network_key_lists_the_keys_and_suggests_one() {
    check_all(&[Case {
        name: "mean_degre",
        base: BASE,
        edits: &[("mean_degree = 4", "mean_degre = 4")],
        line: At(7),
        key: "network.mean_degre",
        words: &[
            "unknown key `mean_degre` in [network]",
            "Allowed: kind, per_replicate, order, mean_degree, k, rewire, m",
            "Did you mean `mean_degree`?",
        ],
        plain: true,
        ..ROW
    }]);
}

#[test]
fn unknown_model_key_lists_the_keys_and_suggests_one() {
    check_all(&[
        Case {
            name: "qq",
            base: BASE,
            edits: &[("q = 0.3", "qq = 0.3")],
            line: At(11),
            key: "model.qq",
            words: &[
                "unknown key `qq` in [model]",
                "Allowed: kind, p, q, probability, seeds, seeding",
                "Did you mean `q`?",
            ],
            ..ROW
        },
        // Case and a hyphen for an underscore are forgiven in suggestions.
        Case {
            name: "Seeds",
            base: CASCADE,
            edits: &[("seeds = 2", "Seeds = 2")],
            line: At(12),
            key: "model.Seeds",
            words: &["unknown key `Seeds`", "Did you mean `seeds`?"],
            ..ROW
        },
    ]);
}

#[test]
fn key_in_the_wrong_table_says_where_it_belongs() {
    check_all(&[
        // A top-level key written after a [table] header lands in that table.
        Case {
            name: "ticks moved to the end",
            base: BASE,
            edits: &[("ticks = 10\n", ""), ("q = 0.3\n", "q = 0.3\nticks = 10\n")],
            line: AtText("ticks ="),
            key: "model.ticks",
            words: &["`ticks` belongs at the top of the file, before the first [table] header"],
            ..ROW
        },
        Case {
            name: "size moved to the top",
            base: BASE,
            edits: &[
                ("size = 100\n", ""),
                ("name = \"base\"", "size = 100\nname = \"base\""),
            ],
            line: At(1),
            key: "size",
            words: &[
                "`size` belongs in the [population] table",
                "Did you mean `population.size`?",
            ],
            ..ROW
        },
    ]);
}

#[test]
fn key_of_another_kind_does_not_apply() {
    check_all(&[
        Case {
            name: "m for erdos_renyi",
            base: BASE,
            edits: &[("mean_degree = 4\n", "mean_degree = 4\nm = 3\n")],
            line: AtText("m = 3"),
            key: "network.m",
            words: &[
                "`m` does not apply to network kind = \"erdos_renyi\"",
                "it is a setting of kind = \"barabasi_albert\"",
                "Allowed: for kind = \"erdos_renyi\": kind, per_replicate, order, mean_degree.",
            ],
            ..ROW
        },
        Case {
            name: "probability for bass",
            base: BASE,
            edits: &[("q = 0.3", "q = 0.3\nprobability = 0.5")],
            line: At(12),
            key: "model.probability",
            words: &[
                "does not apply to model kind = \"bass\"",
                "Allowed: for kind = \"bass\": kind, p, q.",
            ],
            ..ROW
        },
        // A complete network takes no parameters: the list must not dangle.
        Case {
            name: "mean_degree for complete",
            base: BASE,
            edits: &[("\"erdos_renyi\"", "\"complete\"")],
            line: At(7),
            key: "network.mean_degree",
            words: &["Allowed: for kind = \"complete\": kind, per_replicate, order."],
            ..ROW
        },
    ]);
}

#[test]
fn unknown_kinds_suggest_the_closest() {
    check_all(&[
        Case {
            name: "erdos_renyl",
            base: BASE,
            edits: &[("\"erdos_renyi\"", "\"erdos_renyl\"")],
            line: At(6),
            key: "network.kind",
            words: &[
                "unknown kind \"erdos_renyl\"",
                "\"complete\", \"erdos_renyi\", \"watts_strogatz\", \"barabasi_albert\", \
                 \"communities\" or \"edge_list\"",
                "Did you mean `erdos_renyi`?",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "bas",
            base: BASE,
            edits: &[("\"bass\"", "\"bas\"")],
            line: At(9),
            key: "model.kind",
            words: &[
                "unknown kind \"bas\"",
                "\"bass\", \"independent_cascade\", \"linear_threshold\" or \"marketing\"",
                "Did you mean `bass`?",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "seeding degre",
            base: CASCADE,
            edits: &[("seeds = 2", "seeding = \"degre\"")],
            line: At(12),
            key: "model.seeding",
            words: &["unknown seeding \"degre\"", "Did you mean `degree`?"],
            ..ROW
        },
        Case {
            name: "a model kind under [network]",
            base: BASE,
            edits: &[("\"erdos_renyi\"", "\"bass\"")],
            line: At(6),
            key: "network.kind",
            words: &["\"bass\" is a model kind; it belongs in the [model] table"],
            ..ROW
        },
    ]);
}

#[test]
fn wrong_types_are_explained_in_plain_words() {
    check_all(&[
        Case {
            name: "ticks as text",
            base: BASE,
            edits: &[("ticks = 10", "ticks = \"many\"")],
            line: At(2),
            key: "ticks",
            words: &[
                "`ticks` must be a whole number, but it is the text \"many\"",
                "Allowed: a whole number from 1 to 4294967295",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "p as text",
            base: BASE,
            edits: &[("p = 0.01", "p = \"high\"")],
            line: At(10),
            key: "model.p",
            words: &[
                "`p` must be a number, but it is the text \"high\"",
                "Allowed: a number from 0 to 1",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "size as a decimal",
            base: BASE,
            edits: &[("size = 100", "size = 1.5")],
            line: At(4),
            key: "population.size",
            words: &["`size` must be a whole number, but it is the decimal number 1.5"],
            plain: true,
            ..ROW
        },
        Case {
            name: "per_replicate as text",
            base: BASE,
            edits: &[(
                "mean_degree = 4",
                "mean_degree = 4\nper_replicate = \"yes\"",
            )],
            line: At(8),
            key: "network.per_replicate",
            words: &["must be true or false (without quotes), but it is the text \"yes\""],
            plain: true,
            ..ROW
        },
        Case {
            name: "kind as a number",
            base: BASE,
            edits: &[("kind = \"erdos_renyi\"", "kind = 3")],
            line: At(6),
            key: "network.kind",
            words: &[
                "must be one of the names below, in double quotes, but it is the whole number 3",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "network as a list",
            base: BASE,
            edits: &[("[network]", "[[network]]")],
            line: At(5),
            key: "network",
            words: &["`network` must be a table, written [network], but it is a list"],
            plain: true,
            ..ROW
        },
        Case {
            name: "name as a number",
            base: BASE,
            edits: &[("name = \"base\"", "name = 5")],
            line: At(1),
            key: "name",
            words: &["`name` must be text in double quotes, but it is the whole number 5"],
            plain: true,
            ..ROW
        },
        Case {
            name: "negative ticks",
            base: BASE,
            edits: &[("ticks = 10", "ticks = -3")],
            line: At(2),
            key: "ticks",
            words: &[
                "-3 is out of range",
                "Allowed: a whole number from 1 to 4294967295",
            ],
            plain: true,
            ..ROW
        },
    ]);
}

#[test]
fn probabilities_outside_0_to_1_are_rejected() {
    const WATTS_STROGATZ: &str = "kind = \"watts_strogatz\"\nk = 4\nrewire = 0.1";
    const COMMUNITIES: &str = "kind = \"communities\"\ncount = 4\nmean_degree = 4\nmixing = 0.2";
    check_all(&[
        Case {
            name: "p above 1",
            base: BASE,
            edits: &[("p = 0.01", "p = 1.5")],
            line: AtText("p = 1.5"),
            key: "model.p",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
        Case {
            name: "p below 0",
            base: BASE,
            edits: &[("p = 0.01", "p = -0.1")],
            line: AtText("p = -0.1"),
            key: "model.p",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
        Case {
            name: "probability above 1",
            base: CASCADE,
            edits: &[("probability = 0.2", "probability = 2")],
            line: AtText("probability = 2"),
            key: "model.probability",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
        Case {
            name: "probability below 0",
            base: CASCADE,
            edits: &[("probability = 0.2", "probability = -1")],
            line: AtText("probability = -1"),
            key: "model.probability",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
        Case {
            name: "rewire above 1",
            base: BASE,
            edits: &[
                (ERDOS_RENYI, WATTS_STROGATZ),
                ("rewire = 0.1", "rewire = 1.01"),
            ],
            line: AtText("rewire = 1.01"),
            key: "network.rewire",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
        Case {
            name: "rewire below 0",
            base: BASE,
            edits: &[
                (ERDOS_RENYI, WATTS_STROGATZ),
                ("rewire = 0.1", "rewire = -0.5"),
            ],
            line: AtText("rewire = -0.5"),
            key: "network.rewire",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
        Case {
            name: "mixing above 1",
            base: BASE,
            edits: &[(ERDOS_RENYI, COMMUNITIES), ("mixing = 0.2", "mixing = 3")],
            line: AtText("mixing = 3"),
            key: "network.mixing",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
        Case {
            name: "mixing below 0",
            base: BASE,
            edits: &[
                (ERDOS_RENYI, COMMUNITIES),
                ("mixing = 0.2", "mixing = -0.2"),
            ],
            line: AtText("mixing = -0.2"),
            key: "network.mixing",
            words: NOT_A_PROBABILITY,
            ..ROW
        },
    ]);
}

#[test]
fn zero_sizes_and_counts_are_rejected() {
    check_all(&[
        Case {
            name: "size 0",
            base: BASE,
            edits: &[("size = 100", "size = 0")],
            line: AtText("size = 0"),
            key: "population.size",
            words: &[
                "the population is empty",
                "Allowed: a whole number from 1 to",
            ],
            ..ROW
        },
        Case {
            name: "ticks 0",
            base: BASE,
            edits: &[("ticks = 10", "ticks = 0")],
            line: AtText("ticks = 0"),
            key: "ticks",
            words: &[
                "ticks must be at least 1",
                "Allowed: a whole number from 1 to",
            ],
            ..ROW
        },
        Case {
            name: "replicates 0",
            base: BASE,
            edits: &[("ticks = 10", "ticks = 10\nreplicates = 0")],
            line: AtText("replicates = 0"),
            key: "replicates",
            words: &[
                "replicates must be at least 1",
                "Allowed: a whole number from 1 to",
            ],
            ..ROW
        },
    ]);
}

#[test]
fn network_parameters_must_fit_the_population() {
    check_all(&[
        Case {
            name: "mean_degree equal to the size",
            base: BASE,
            edits: &[(ERDOS_RENYI, "kind = \"erdos_renyi\"\nmean_degree = 100")],
            line: AtText("mean_degree ="),
            key: "network.mean_degree",
            words: &[
                "mean degree 100 is not below the population size 100",
                "Allowed: a number from 0 to below 100.",
            ],
            ..ROW
        },
        Case {
            name: "mean_degree above the size",
            base: BASE,
            edits: &[(ERDOS_RENYI, "kind = \"erdos_renyi\"\nmean_degree = 250.5")],
            line: AtText("mean_degree ="),
            key: "network.mean_degree",
            words: &["is not below the population size 100"],
            ..ROW
        },
        Case {
            name: "odd k",
            base: BASE,
            edits: &[(
                ERDOS_RENYI,
                "kind = \"watts_strogatz\"\nk = 3\nrewire = 0.1",
            )],
            line: AtText("k ="),
            key: "network.k",
            words: &[
                "k = 3 is not an even number",
                "Allowed: an even whole number",
            ],
            ..ROW
        },
        Case {
            name: "k equal to the size",
            base: BASE,
            edits: &[(
                ERDOS_RENYI,
                "kind = \"watts_strogatz\"\nrewire = 0.1\nk = 100",
            )],
            line: AtText("k ="),
            key: "network.k",
            words: &["k = 100 is not below the population size 100"],
            ..ROW
        },
        Case {
            name: "m equal to the size",
            base: BASE,
            edits: &[(ERDOS_RENYI, "kind = \"barabasi_albert\"\nm = 100")],
            line: AtText("m ="),
            key: "network.m",
            words: &[
                "m = 100 is not below the population size 100",
                "Allowed: a whole number from 1 to below 100.",
            ],
            ..ROW
        },
        Case {
            name: "more communities than agents",
            base: BASE,
            edits: &[(
                ERDOS_RENYI,
                "kind = \"communities\"\ncount = 101\nmean_degree = 4\nmixing = 0.1",
            )],
            line: AtText("count ="),
            key: "network.count",
            words: &["101 communities cannot be formed from 100 agents"],
            ..ROW
        },
    ]);
}

#[test]
fn more_seeds_than_agents_are_rejected() {
    check_all(&[
        Case {
            name: "201 seeds",
            base: CASCADE,
            edits: &[("seeds = 2", "seeds = 201")],
            line: At(12),
            key: "model.seeds",
            words: &[
                "201 seeds cannot be chosen from 200 agents",
                "Allowed: a whole number from 1 to the population size.",
            ],
            ..ROW
        },
        Case {
            name: "0 seeds",
            base: CASCADE,
            edits: &[("seeds = 2", "seeds = 0")],
            line: At(12),
            key: "model.seeds",
            words: &["0 seeds cannot be chosen"],
            ..ROW
        },
    ]);
}

#[test]
fn bass_p_plus_q_above_1_is_rejected() {
    check_all(&[Case {
        name: "q = 0.995",
        base: BASE,
        edits: &[("q = 0.3", "q = 0.995")],
        line: At(11),
        key: "model.q",
        words: &[
            "p + q = 1.005 exceeds 1",
            "Allowed: p and q from 0 to 1 with p + q ≤ 1.",
        ],
        ..ROW
    }]);
}

#[test]
fn missing_required_keys_are_named() {
    check_all(&[
        // No [model] table at all: there is no line to point at.
        Case {
            name: "no [model]",
            base: BASE,
            edits: &[("[model]\nkind = \"bass\"\np = 0.01\nq = 0.3\n", "")],
            line: Nowhere,
            key: "model",
            words: &[
                "the [model] table is missing",
                "Allowed: a [model] table with kind = \"bass\", \"independent_cascade\", \"linear_threshold\" or \"marketing\".",
            ],
            absent: &[", line "],
            ..ROW
        },
        // A missing key inside a table points at the table's header.
        Case {
            name: "no model.p",
            base: BASE,
            edits: &[("p = 0.01\n", "")],
            line: AtText("[model]"),
            key: "model.p",
            words: &[
                "required key `model.p` is missing",
                "Allowed: a number from 0 to 1.",
            ],
            ..ROW
        },
        Case {
            name: "no population.size",
            base: BASE,
            edits: &[("size = 100\n", "")],
            line: AtText("[population]"),
            key: "population.size",
            words: &["required key `population.size` is missing"],
            ..ROW
        },
        Case {
            name: "no [population]",
            base: BASE,
            edits: &[("[population]\nsize = 100\n", "")],
            line: Nowhere,
            key: "population.size",
            words: &[
                "required key `population.size` is missing",
                "Allowed: a whole number from 1 to",
            ],
            ..ROW
        },
        Case {
            name: "no network.kind",
            base: BASE,
            edits: &[("kind = \"erdos_renyi\"\n", "")],
            line: AtText("[network]"),
            key: "network.kind",
            words: &["required key `network.kind` is missing", "\"erdos_renyi\""],
            ..ROW
        },
        Case {
            name: "no ticks",
            base: BASE,
            edits: &[("ticks = 10\n", "")],
            line: Nowhere,
            key: "ticks",
            words: &["required key `ticks` is missing"],
            ..ROW
        },
        // An empty file is missing its first required key, not a crash.
        Case {
            name: "empty file",
            base: "",
            line: Nowhere,
            key: "ticks",
            words: &["required key `ticks` is missing"],
            ..ROW
        },
    ]);
}

#[test]
fn toml_syntax_errors_report_the_line() {
    check_all(&[
        Case {
            name: "two equals signs",
            base: BASE,
            edits: &[("ticks = 10", "ticks = = 3")],
            line: At(2),
            key: "ticks",
            words: &["`ticks = = 3` is not valid TOML"],
            ..ROW
        },
        Case {
            name: "p given twice",
            base: BASE,
            edits: &[("q = 0.3", "q = 0.3\np = 0.02")],
            line: At(12),
            key: "model.p",
            words: &["`model.p` is given more than once"],
            ..ROW
        },
        Case {
            name: "kind without quotes",
            base: BASE,
            edits: &[("\"bass\"", "bass")],
            line: At(9),
            key: "model.kind",
            words: &[
                "the text `bass` must be in quotes",
                "Did you mean `kind = \"bass\"`?",
            ],
            ..ROW
        },
        Case {
            name: "unclosed header",
            base: BASE,
            edits: &[("[model]", "[model")],
            line: At(8),
            key: "model",
            words: &["`[model` is not valid TOML"],
            ..ROW
        },
    ]);
}

#[test]
fn missing_edge_list_file_names_the_path_and_key() {
    check_all(&[
        Case {
            name: "no edges.txt",
            base: EDGE_LIST,
            line: At(4),
            key: "network.path",
            words: &[
                "edges.txt does not exist",
                "relative to the scenario file's folder",
            ],
            ..ROW
        },
        Case {
            name: "no network.path",
            base: EDGE_LIST,
            edits: &[("path = \"edges.txt\"\n", "")],
            line: At(2),
            key: "network.path",
            words: &["required key `network.path` is missing"],
            ..ROW
        },
    ]);
}

#[test]
fn malformed_edge_list_line_is_reported_with_its_line() {
    check_all(&[
        Case {
            name: "a node id that is not a number",
            base: EDGE_LIST,
            files: &[("edges.txt", "# comment\n1 2\n2 3\n12 abc\n3 4\n")],
            line: At(4),
            key: "network.path",
            words: &[
                "edge list \"",
                "edges.txt\", line 4: expected two node ids",
                "found \"12 abc\"",
            ],
            ..ROW
        },
        Case {
            name: "no edges",
            base: EDGE_LIST,
            files: &[("edges.txt", "# nothing here\n\n")],
            line: At(4),
            key: "network.path",
            words: &["contains no edges"],
            ..ROW
        },
    ]);
}

/// The edits that turn [`EDGE_LIST`] into a weighted edge list with a node file.
const WITH_NODES: &[(&str, &str)] = &[(
    "path = \"edges.txt\"",
    "path = \"edges.txt\"\nweights = true\nnodes = \"nodes.csv\"",
)];

/// [`WITH_NODES`], then the marketing model instead of the cascade.
const MARKETING_WITH_NODES: &[(&str, &str)] = &[
    WITH_NODES[0],
    (
        "kind = \"independent_cascade\"\nprobability = 0.2",
        "kind = \"marketing\"",
    ),
];

/// A weighted edge list of 4 agents.
const WEIGHTED: (&str, &str) = ("edges.txt", "1 2 0.5\n2 3 1\n3 4 2\n");

#[test]
fn bad_tie_weights_and_node_files_name_file_line_and_value() {
    check_all(&[
        Case {
            name: "a weight that is not a number",
            base: EDGE_LIST,
            edits: WITH_NODES,
            files: &[
                ("edges.txt", "1 2 0.5\n2 3 strong\n"),
                ("nodes.csv", "id\n1\n"),
            ],
            line: AtText("path = "),
            key: "network.path",
            words: &[
                "edges.txt\", line 2: expected a tie weight in the third column",
                "found \"2 3 strong\"",
            ],
            ..ROW
        },
        Case {
            name: "a negative weight",
            base: EDGE_LIST,
            edits: WITH_NODES,
            files: &[("edges.txt", "1 2 -0.5\n"), ("nodes.csv", "id\n1\n")],
            line: AtText("path = "),
            key: "network.path",
            words: &[
                "line 1: expected a tie weight",
                "0 or more",
                "found \"1 2 -0.5\"",
            ],
            ..ROW
        },
        Case {
            name: "a missing weight",
            base: EDGE_LIST,
            edits: WITH_NODES,
            files: &[("edges.txt", "1 2 1\n2 3\n"), ("nodes.csv", "id\n1\n")],
            line: AtText("path = "),
            key: "network.path",
            words: &["line 2: expected a tie weight", "found \"2 3\""],
            ..ROW
        },
        Case {
            name: "no node file",
            base: EDGE_LIST,
            edits: WITH_NODES,
            files: &[WEIGHTED],
            line: AtText("nodes = "),
            key: "network.nodes",
            words: &[
                "node file",
                "nodes.csv does not exist",
                "relative to the scenario file",
            ],
            ..ROW
        },
        Case {
            name: "an unknown column",
            base: EDGE_LIST,
            edits: WITH_NODES,
            files: &[WEIGHTED, ("nodes.csv", "id,colour\n1,red\n")],
            line: AtText("nodes = "),
            key: "network.nodes",
            words: &[
                "nodes.csv\", line 1, column header: found \"colour\"",
                "id, community, involvement, persona, status, member",
            ],
            ..ROW
        },
        Case {
            name: "a node not in the edge list",
            base: EDGE_LIST,
            edits: WITH_NODES,
            files: &[WEIGHTED, ("nodes.csv", "id,community\n1,a\n2,a\n9,b\n")],
            line: AtText("nodes = "),
            key: "network.nodes",
            words: &["line 4, column id: found \"9\"", "a node of the edge list"],
            ..ROW
        },
        Case {
            name: "a status the model does not have",
            base: EDGE_LIST,
            edits: MARKETING_WITH_NODES,
            files: &[WEIGHTED, ("nodes.csv", "id,status\n1,customer\n2,vip\n")],
            line: AtText("nodes = "),
            key: "network.nodes",
            words: &[
                "line 3, column status: found \"vip\"",
                "unaware, aware, customer, competitor",
            ],
            ..ROW
        },
        Case {
            name: "a persona that is no mask",
            base: EDGE_LIST,
            edits: MARKETING_WITH_NODES,
            files: &[WEIGHTED, ("nodes.csv", "id,persona\n1,social\n3,gamer\n")],
            line: AtText("nodes = "),
            key: "network.nodes",
            words: &[
                "line 3, column persona: found \"gamer\"",
                "social, professional, private",
            ],
            ..ROW
        },
        Case {
            name: "a marketing column under a classic model",
            base: EDGE_LIST,
            edits: WITH_NODES,
            files: &[WEIGHTED, ("nodes.csv", "id,community,member\n1,a,true\n")],
            line: AtText("nodes = "),
            key: "network.nodes",
            words: &["`member` column, which only the marketing model reads"],
            ..ROW
        },
        Case {
            name: "a node file's key under a generated network",
            base: BASE,
            edits: &[("mean_degree = 4", "mean_degree = 4\nnodes = \"nodes.csv\"")],
            line: AtText("nodes = "),
            key: "network.nodes",
            words: &["edge_list"],
            ..ROW
        },
    ]);
}

#[test]
fn population_size_must_match_the_edge_list() {
    check_all(&[
        Case {
            name: "size 7 for 4 agents",
            base: EDGE_LIST,
            edits: &[("[network]", "[population]\nsize = 7\n[network]")],
            files: FOUR_AGENTS,
            line: AtText("size = 7"),
            key: "population.size",
            words: &[
                "population.size is 7 but the edge list has 4 distinct agents",
                "Allowed: 4, or leave population.size out",
            ],
            ..ROW
        },
        Case {
            name: "9 seeds for 4 agents",
            base: EDGE_LIST,
            edits: &[("probability = 0.2", "probability = 0.2\nseeds = 9")],
            files: FOUR_AGENTS,
            line: AtText("seeds = 9"),
            key: "model.seeds",
            words: &["9 seeds cannot be chosen from the edge list's 4 agents"],
            ..ROW
        },
    ]);
}

#[test]
fn marketing_keys_are_checked_like_every_other() {
    check_all(&[
        Case {
            name: "recruitmnet",
            base: MARKETING,
            edits: &[("recruitment = 0.001", "recruitmnet = 0.001")],
            line: AtText("recruitmnet = 0.001"),
            key: "strategy.community.recruitmnet",
            words: &[
                "unknown key",
                "[strategy.community]",
                "unaware_recruitment",
                "Did you mean `recruitment`?",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "reward cassh",
            base: MARKETING,
            edits: &[("reward = \"cash\"", "reward = \"cassh\"")],
            line: AtText("reward = \"cassh\""),
            key: "strategy.community.advocates.reward",
            words: &[
                "unknown reward \"cassh\"",
                "\"social_capital\", \"cash\" or \"two_sided\"",
                "Did you mean `cash`?",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "ask everyone",
            base: MARKETING,
            edits: &[(
                "[strategy.community.advocates]",
                "[strategy.community.reviews]\nask = \"everyone\"\n[strategy.community.advocates]",
            )],
            line: AtText("ask = \"everyone\""),
            key: "strategy.community.reviews.ask",
            words: &["unknown ask \"everyone\"", "\"all\" or \"promoters\""],
            plain: true,
            ..ROW
        },
        Case {
            name: "action recriut",
            base: MARKETING,
            edits: &[("[\"recruit\"]", "[\"recriut\"]")],
            line: AtText("[\"recriut\"]"),
            key: "phase.0.actions.0",
            words: &["unknown action \"recriut\"", "Did you mean `recruit`?"],
            plain: true,
            ..ROW
        },
        Case {
            name: "price as text",
            base: MARKETING,
            edits: &[("price = 40.0", "price = \"cheap\"")],
            line: AtText("price = \"cheap\""),
            key: "market.price",
            words: &[
                "`price` must be a number, but it is the text \"cheap\"",
                "Allowed: a number from 0 to 1e9.",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "budget as text",
            base: MARKETING,
            edits: &[("budget = 100.0", "budget = \"x\"")],
            line: AtText("budget = \"x\""),
            key: "strategy.budget",
            words: &[
                "`budget` must be a number, but it is the text \"x\"",
                "Allowed: a number from 0 to 1e9.",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "share as true",
            base: MARKETING,
            edits: &[("social_media_share = 0.5", "social_media_share = true")],
            line: AtText("social_media_share = true"),
            key: "strategy.social_media_share",
            words: &["must be a number", "Allowed: a number from 0 to 1."],
            ..ROW
        },
        Case {
            name: "advocate count as text",
            base: MARKETING,
            edits: &[("count = 5", "count = \"five\"")],
            line: AtText("count = \"five\""),
            key: "strategy.community.advocates.count",
            words: &[
                "but it is the text \"five\"",
                "Allowed: a whole number ≥ 0.",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "reward as a number",
            base: MARKETING,
            edits: &[("reward = \"cash\"", "reward = 3")],
            line: AtText("reward = 3"),
            key: "strategy.community.advocates.reward",
            words: &[
                "`reward` must be a name in double quotes, but it is the whole number 3",
                "Allowed: \"social_capital\", \"cash\" or \"two_sided\".",
            ],
            plain: true,
            ..ROW
        },
        Case {
            name: "actions as text",
            base: MARKETING,
            edits: &[("[\"recruit\"]", "\"recruit\"")],
            line: AtText("actions = \"recruit\""),
            key: "phase.0.actions",
            words: &["`actions` must be a list, but it is the text \"recruit\""],
            absent: &["Allowed"],
            plain: true,
            ..ROW
        },
    ]);
}

#[test]
fn marketing_values_out_of_range_are_rejected() {
    check_all(&[
        Case {
            name: "margin above 1",
            base: MARKETING,
            edits: &[("price = 40.0", "price = 40.0\nmargin = 1.5")],
            line: AtText("margin"),
            key: "market.margin",
            words: &["1.5 is out of range", "from 0 to 1"],
            ..ROW
        },
        Case {
            name: "more event-tie slots than the bound",
            base: MARKETING,
            edits: &[(
                "recruitment = 0.001",
                "recruitment = 0.001\n[strategy.community.events]\nmax_ties = 65",
            )],
            line: AtText("max_ties"),
            key: "strategy.community.events.max_ties",
            words: &["65 is out of range", "a whole number from 0 to 64"],
            ..ROW
        },
        Case {
            name: "physical events bonding less than online ones",
            base: MARKETING,
            edits: &[(
                "recruitment = 0.001",
                "recruitment = 0.001\n[strategy.community.events]\nphysical_affiliation = 0.5",
            )],
            line: AtText("physical_affiliation"),
            key: "strategy.community.events.physical_affiliation",
            words: &["0.5 is out of range", "from 1 to"],
            ..ROW
        },
        Case {
            name: "review stock half-life below a tick",
            base: MARKETING,
            edits: &[(
                "price = 40.0",
                "price = 40.0\n[market.reviews]\nhalf_life = 0.5",
            )],
            line: AtText("half_life"),
            key: "market.reviews.half_life",
            words: &["0.5 is out of range"],
            ..ROW
        },
        Case {
            name: "brand reputation weight far out of range",
            base: MARKETING,
            edits: &[(
                "price = 40.0",
                "price = 40.0\n[market.brand_reputation]\nweight = 1e99",
            )],
            line: AtText("weight"),
            key: "market.brand_reputation.weight",
            words: &["out of range"],
            ..ROW
        },
        Case {
            name: "negative social_media_share",
            base: MARKETING,
            edits: &[("social_media_share = 0.5", "social_media_share = -0.1")],
            line: AtText("social_media_share"),
            key: "strategy.social_media_share",
            words: &["out of range"],
            ..ROW
        },
        Case {
            name: "customer map above 1",
            base: MARKETING,
            edits: &[(
                "[strategy.social_media]",
                "[strategy.listening]\ninitial_map = 1.5\n[strategy.social_media]",
            )],
            line: AtText("initial_map"),
            key: "strategy.listening.initial_map",
            words: &["1.5 is out of range", "from 0 to 1"],
            ..ROW
        },
        Case {
            name: "negative listening rate",
            base: MARKETING,
            edits: &[(
                "[strategy.social_media]",
                "[strategy.listening]\nrate = -0.1\n[strategy.social_media]",
            )],
            line: AtText("rate = -0.1"),
            key: "strategy.listening.rate",
            words: &["out of range"],
            ..ROW
        },
        // Half of 60 a day cannot pay a community manager of 40.
        Case {
            name: "budget too small for the manager",
            base: MARKETING,
            edits: &[("budget = 100.0", "budget = 60.0")],
            line: AtText("budget"),
            key: "strategy.budget",
            words: &["cannot pay its manager", "manager_cost"],
            ..ROW
        },
        Case {
            name: "phase ends before it starts",
            base: MARKETING,
            edits: &[("end = 15", "end = 2")],
            line: AtText("end = 2"),
            key: "phase.1.end",
            words: &["ends before it starts"],
            ..ROW
        },
    ]);
}

#[test]
fn marketing_tables_need_the_marketing_model() {
    check_all(&[
        Case {
            name: "[strategy] for bass",
            base: BASE,
            edits: &[("q = 0.3\n", "q = 0.3\n[strategy]\nbudget = 1.0\n")],
            line: AtText("[strategy]"),
            key: "strategy",
            words: &[
                "only applies to the marketing model",
                "kind = \"marketing\"",
            ],
            ..ROW
        },
        // Actions of a strategy the scenario does not configure.
        Case {
            name: "paid without [strategy.social_media]",
            base: MARKETING,
            edits: &[
                ("[strategy.social_media]\ntargeting = \"random\"\n", ""),
                ("social_media_share = 0.5", "social_media_share = 0.0"),
            ],
            line: AtText("[\"advocates\", \"paid\"]"),
            key: "phase.1.actions",
            words: &["needs a [strategy.social_media] table"],
            ..ROW
        },
    ]);
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
    let file = write(dir.path(), "cascade.toml", CASCADE);
    let parent = dir.path().join("results");
    std::fs::create_dir(&parent).unwrap();
    let out = parent.join("run");
    for flag in ["--replicates", "--threads"] {
        let output = run(&file, &out, &[flag, "0"]);
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
    let bad = edit(CASCADE, "probability = 0.2", "probability = 7");
    let bad_scenario = write(dir.path(), "bad.toml", &bad);
    // Fails at parse time, and (edge list) once the run has started.
    let bad_edges = write(dir.path(), "edges.toml", EDGE_LIST);
    write(dir.path(), "edges.txt", "1 2\n2 x\n");
    for file in [&bad_scenario, &bad_edges] {
        check_failure(&run(file, &out, &["--quiet"]), file);
        assert!(!out.exists());
        assert_empty(&parent);
    }
}

#[test]
fn good_scenarios_validate_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "cascade.toml", CASCADE);
    let output = validate(&file);
    assert_success(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("valid"), "{stdout}");
    assert!(output.stderr.is_empty());

    let out = dir.path().join("results").join("cascade");
    assert_success(&run(&file, &out, &["--quiet"]));
    for name in ["timeseries.csv", "summary.csv", "manifest.json"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let names: Vec<_> = std::fs::read_dir(dir.path().join("results"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["cascade"], "only the results folder remains");

    // An edge-list scenario validates once its file is read.
    write(dir.path(), "edges.txt", "# a triangle\n1 2\n2 3\n3 1\n");
    let output = validate(&write(dir.path(), "edges.toml", EDGE_LIST));
    assert_success(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("valid (3 agents"), "{stdout}");
}

#[test]
fn a_run_too_big_for_the_machine_is_refused_before_it_allocates() {
    // A complete graph of a million agents would need about 12 TB of ties.
    let dir = tempfile::tempdir().unwrap();
    let big =
        edit(BASE, "size = 100", "size = 1000000").replace(ERDOS_RENYI, "kind = \"complete\"");
    let file = write(dir.path(), "big.toml", &big);
    let out = dir.path().join("results");
    let run = run(&file, &out, &["--quiet"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
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
    write(&stale, "timeseries.csv", "half-writ");
    let file = write(dir.path(), "s.toml", CASCADE);
    let out = dir.path().join("results");
    assert_success(&run(&file, &out, &["--quiet"]));
    assert!(out.join("manifest.json").is_file());
    assert!(!stale.exists(), "the stale temporary folder is still there");
}

#[test]
fn network_order_is_one_of_three() {
    check_all(&[Case {
        name: "unknown order",
        base: CASCADE,
        edits: &[("mean_degree = 3", "mean_degree = 3\norder = \"bfss\"")],
        line: AtText("order = "),
        key: "network.order",
        words: &[
            "unknown order \"bfss\"",
            "Allowed: \"none\", \"bfs\" or \"rcm\"",
            "Did you mean `bfs`?",
        ],
        ..ROW
    }]);
}
