//! Command-line interface: parses arguments and calls the library; no logic of its own.

use crate::experiment::{self, RunError, RunOptions};
use crate::results::folder::{self, Claim, FolderError};
use crate::results::{self, DecorateError, OutputError, Source};
use crate::scenario::{Overrides, Scenario, ScenarioError};
use crate::{compare, limits, sweep};
use clap::{Parser, Subcommand};
use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code for a malformed scenario or input file.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for any other failure.
pub const EXIT_FAILURE: u8 = 1;

/// murmur: agent-based simulation of word-of-mouth and community marketing.
#[derive(Parser, Debug)]
#[command(name = "murmur", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario and write its results.
    Run(RunArgs),
    /// Check a scenario (and any edge list it names) without running it.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Run several scenarios on the same network and random numbers and report their
    /// paired differences against the first.
    Compare(CompareArgs),
    /// Redraw the plots and the report of a results folder from its CSVs alone.
    Plot {
        /// The results folder (of a run, sweep or comparison).
        dir: PathBuf,
    },
    /// Join the slices of one sweep (folders written with --shard) into one result.
    Merge {
        /// The slice folders.
        #[arg(required = true)]
        slices: Vec<PathBuf>,
        /// The merged results folder.
        #[arg(long)]
        out: PathBuf,
    },
}

/// The options `run` and `compare` share: overrides of every scenario's seed and
/// replicates, worker threads, and quiet output.
#[derive(clap::Args, Debug)]
pub struct Execution {
    /// Override the seed of each scenario.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override the number of replicates of each scenario.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub replicates: Option<u32>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// No progress bar and no summary table.
    #[arg(long, short)]
    pub quiet: bool,
}

impl Execution {
    /// The seed and replicates overrides.
    fn overrides(&self) -> Overrides {
        Overrides {
            seed: self.seed,
            replicates: self.replicates,
        }
    }

    /// The worker threads asked for, if any.
    fn threads(&self) -> Option<usize> {
        self.threads.map(usize::from)
    }
}

/// Arguments of `murmur compare`.
#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// The scenario files; the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<PathBuf>,
    /// Results folder [default: results/compare-<first>-vs-<second>...].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
}

/// Arguments of `murmur run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Results folder [default: results/<scenario name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
    /// Also write agents.csv: every agent's final state (marketing model).
    #[arg(long)]
    pub agents: bool,
    /// Continue an interrupted sweep, skipping the points already finished.
    #[arg(long)]
    pub resume: bool,
    /// Run only the K-th of N slices of a sweep's points (e.g. 2/8), for job schedulers.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

/// Parses the process arguments, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            // A closed stderr (`2>&-`, a pipe whose reader has gone) loses the
            // message, not the exit code.
            let _ = writeln!(std::io::stderr(), "murmur: {message}");
            ExitCode::from(code)
        }
    }
}

/// Writes `text` to stdout. A reader that has gone (`murmur run s.toml | head -1`)
/// is no failure: the results are on disk, so the rest of the output is dropped
/// quietly; any other write error is reported.
fn say(text: impl Display) -> Result<(), (u8, String)> {
    let mut out = std::io::stdout().lock();
    match write!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err((
            EXIT_FAILURE,
            format!("cannot write to standard output: {e}"),
        )),
        _ => Ok(()),
    }
}

fn scenario_error(e: ScenarioError) -> (u8, String) {
    (EXIT_BAD_INPUT, e.to_string())
}

fn run_error(e: RunError) -> (u8, String) {
    match e {
        RunError::Scenario(e) => scenario_error(*e),
        // Refusals before any work: the scenario asks for more than the machine has.
        e @ (RunError::TooBig { .. }
        | RunError::TooManyPoints { .. }
        | RunError::NoDisk { .. }
        | RunError::TooManyThreads { .. }) => (EXIT_BAD_INPUT, e.to_string()),
        other => (EXIT_FAILURE, other.to_string()),
    }
}

/// A refused folder is the user's to fix (exit 2); a failed write is not.
fn folder_error(e: FolderError) -> (u8, String) {
    let code = match e {
        FolderError::Io { .. } => EXIT_FAILURE,
        _ => EXIT_BAD_INPUT,
    };
    (code, e.to_string())
}

fn output_error(e: OutputError) -> (u8, String) {
    match e {
        OutputError::Folder(e) => folder_error(e),
        other => (EXIT_FAILURE, other.to_string()),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, (u8, String)> {
    std::fs::read(path).map_err(|e| scenario_error(ScenarioError::io(path, &e)))
}

fn parse(path: &Path, bytes: &[u8]) -> Result<Scenario, (u8, String)> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| scenario_error(ScenarioError::new(path, "the file is not UTF-8 text")))?;
    Scenario::from_str_at(text, path).map_err(scenario_error)
}

fn dispatch(cli: Cli) -> Result<(), (u8, String)> {
    match cli.command {
        Command::Validate { scenario } => validate(scenario),
        Command::Compare(args) => compare_command(args),
        Command::Plot { dir } => plot(dir),
        Command::Merge { slices, out } => merge(slices, out),
        Command::Run(args) => run(args),
    }
}

/// `murmur validate`: checks a scenario (and its sweep's points) without running it.
fn validate(path: PathBuf) -> Result<(), (u8, String)> {
    let bytes = read(&path)?;
    let mut scenario = parse(&path, &bytes)?;
    experiment::settle_population(&mut scenario, &path).map_err(run_error)?;
    // Valid means a run (on all cores) would start: it fits in memory.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let options = RunOptions::default();
    experiment::check_memory(&scenario, threads, &options).map_err(run_error)?;
    // A sweep is valid when every one of its points is; they are counted
    // before they are listed.
    let points = match &scenario.sweep {
        Some(spec) => {
            limits::check_point_list(spec, bytes.len()).map_err(run_error)?;
            let text = String::from_utf8_lossy(&bytes);
            let points =
                sweep::points(&text, &path, spec, &Overrides::default()).map_err(scenario_error)?;
            for p in &points {
                experiment::check_memory(&p.scenario, threads, &options).map_err(run_error)?;
            }
            format!(", a sweep of {} points", points.len())
        }
        None => String::new(),
    };
    say(format!(
        "{}: valid ({} agents, {} ticks, {} replicates, model {}{points})\n",
        path.display(),
        scenario.population.size,
        scenario.ticks,
        scenario.replicates,
        model_name(&scenario)
    ))?;
    Ok(())
}

/// `murmur compare`: runs the scenarios on common random numbers and writes the
/// comparison folder.
fn compare_command(args: CompareArgs) -> Result<(), (u8, String)> {
    let CompareArgs {
        scenarios,
        out,
        execution,
    } = args;
    let (threads, quiet) = (execution.threads(), execution.quiet);
    experiment::check_threads(threads).map_err(run_error)?;
    let mut entries = compare::prepare(&scenarios).map_err(scenario_error)?;
    let overrides = execution.overrides();
    for e in &mut entries {
        overrides.apply(&mut e.scenario);
    }
    let out = out.unwrap_or_else(|| {
        let names: Vec<String> = entries
            .iter()
            .map(|e| folder::slug(&e.scenario.name))
            .collect();
        Path::new("results").join(format!("compare-{}", names.join("-vs-")))
    });
    let inputs: Vec<&Path> = scenarios.iter().map(PathBuf::as_path).collect();
    let mut claim = Claim::new(&out, &inputs).map_err(folder_error)?;
    let options = RunOptions {
        threads,
        quiet,
        ..RunOptions::default()
    };
    let comparison = compare::run(entries, &options).map_err(run_error)?;
    compare::write(&out, &comparison, &decorate).map_err(output_error)?;
    claim.keep();
    if !quiet {
        say(format!(
            "compared {} scenarios against {} on common random numbers in {:.2} s\n",
            comparison.outcomes.len(),
            comparison.outcomes[0].scenario.name,
            comparison.wall_seconds
        ))?;
        say(compare::headline_table(&comparison))?;
    }
    say(format!("results in {}\n", out.display()))?;
    Ok(())
}

/// `murmur plot`: redraws a results folder's plots and report in place.
fn plot(dir: PathBuf) -> Result<(), (u8, String)> {
    let (mut claim, _manifest) = Claim::in_place(&dir).map_err(|e| match e {
        FolderError::Foreign { .. } if folder::read_manifest(&dir).is_none() => (
            EXIT_BAD_INPUT,
            format!(
                "{} is not a murmur results folder (it has no manifest.json marked by murmur)",
                dir.display()
            ),
        ),
        e => folder_error(e),
    })?;
    // What `decorate` does, keeping the error kinds: a malformed file
    // in the folder is bad input (exit 2), not a failure of murmur's.
    let mut written = crate::plot::render_dir(&dir).map_err(|e| {
        let code = match e {
            crate::plot::PlotError::Csv { .. } | crate::plot::PlotError::Manifest { .. } => {
                EXIT_BAD_INPUT
            }
            _ => EXIT_FAILURE,
        };
        (code, format!("cannot draw the plots: {e}"))
    })?;
    let report = crate::report::write_report(&dir).map_err(|e| {
        let code = match e {
            crate::report::ReportError::Json { .. }
            | crate::report::ReportError::Csv { .. }
            | crate::report::ReportError::Invalid { .. } => EXIT_BAD_INPUT,
            _ => EXIT_FAILURE,
        };
        (code, format!("cannot write the report: {e}"))
    })?;
    written.push(report);
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    folder::record(&dir, &names).map_err(folder_error)?;
    claim.keep();
    say(format!("plots and report redrawn in {}\n", dir.display()))?;
    Ok(())
}

/// `murmur merge`: joins the slices of one sweep.
fn merge(slices: Vec<PathBuf>, out: PathBuf) -> Result<(), (u8, String)> {
    let inputs: Vec<&Path> = slices.iter().map(PathBuf::as_path).collect();
    let mut claim = Claim::new(&out, &inputs).map_err(folder_error)?;
    let points = sweep::merge(&slices, &out, &decorate).map_err(sweep_error)?;
    claim.keep();
    say(format!(
        "merged {points} points from {} slices\n",
        slices.len()
    ))?;
    say(sweep::headline_table(&out).map_err(sweep_error)?)?;
    say(format!("results in {}\n", out.display()))?;
    Ok(())
}

/// `murmur run`: runs a scenario, or a sweep, and writes its results folder.
fn run(args: RunArgs) -> Result<(), (u8, String)> {
    experiment::check_threads(args.execution.threads()).map_err(run_error)?;
    let bytes = read(&args.scenario)?;
    let mut scenario = parse(&args.scenario, &bytes)?;
    let overrides = args.execution.overrides();
    overrides.apply(&mut scenario);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(folder::slug(&scenario.name)));
    if (args.resume || args.shard.is_some()) && scenario.sweep.is_none() {
        return Err((
            EXIT_BAD_INPUT,
            format!(
                "--resume and --shard apply to sweeps, and {} has no [sweep] table",
                args.scenario.display()
            ),
        ));
    }
    let mut claim = Claim::new(&out, &[&args.scenario]).map_err(folder_error)?;
    let options = RunOptions {
        threads: args.execution.threads(),
        quiet: args.execution.quiet,
        agents: args.agents,
        outcomes: false,
    };
    if let Some(spec) = scenario.sweep.clone() {
        let input = Input {
            file: &args.scenario,
            bytes: &bytes,
            overrides,
        };
        return run_sweep(&args, &input, &scenario, &spec, &out, options, claim);
    }
    // Memory first (the more fundamental limit), then the disk.
    let threads = options.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    experiment::check_memory(&scenario, threads, &options).map_err(run_error)?;
    limits::check_run(&scenario, &out, &options).map_err(run_error)?;
    let outcome = experiment::run(scenario, &args.scenario, &options).map_err(run_error)?;
    let source = Source::new(&args.scenario, &bytes);
    results::write_run(&out, &outcome, &source, &decorate).map_err(output_error)?;
    claim.keep();
    if !args.execution.quiet {
        say(format!(
            "{}: {} agents, {} replicates × {} ticks in {:.2} s on {} threads\n",
            outcome.scenario.name,
            outcome.scenario.population.size,
            outcome.scenario.replicates,
            outcome.scenario.ticks,
            outcome.wall_seconds,
            outcome.threads
        ))?;
        say(results::headline_table(&outcome))?;
    }
    say(format!("results in {}\n", out.display()))?;
    Ok(())
}

/// A scenario file as read: its path, bytes and the command line's overrides.
struct Input<'a> {
    file: &'a Path,
    bytes: &'a [u8],
    overrides: Overrides,
}

/// `murmur run` of a scenario with a `[sweep]` table, into the claimed folder `out`.
fn run_sweep(
    args: &RunArgs,
    input: &Input,
    scenario: &Scenario,
    spec: &crate::scenario::sweep::SweepSpec,
    out: &Path,
    options: RunOptions,
    mut claim: Claim,
) -> Result<(), (u8, String)> {
    let shard = args
        .shard
        .as_deref()
        .map(sweep::parse_shard)
        .transpose()
        .map_err(|e| (EXIT_BAD_INPUT, e.to_string()))?;
    // Counted, and its results sized against the disk, before any point
    // is listed.
    limits::check_sweep(spec, input.bytes.len(), scenario, out, &options, shard)
        .map_err(run_error)?;
    let text = String::from_utf8_lossy(input.bytes);
    let sweep_options = sweep::SweepOptions {
        run: options,
        resume: args.resume,
        shard,
        decorate: &decorate,
    };
    let source = Source::new(input.file, input.bytes);
    let done = sweep::run(
        &text,
        input.file,
        spec,
        out,
        &source,
        &input.overrides,
        &sweep_options,
    )
    .map_err(sweep_error)?;
    claim.keep();
    if !args.execution.quiet {
        say(format!(
            "{}: sweep of {} points ({} in this run, {} already finished) in {:.2} s\n",
            scenario.name, done.total, done.ran, done.skipped, done.wall_seconds
        ))?;
        say(sweep::headline_table(out).map_err(sweep_error)?)?;
    }
    say(format!("results in {}\n", out.display()))?;
    Ok(())
}

/// Draws the plots and writes the report of a results folder from its files alone:
/// every command that writes a folder asks for them.
fn decorate(dir: &Path) -> Result<(), DecorateError> {
    crate::plot::render_dir(dir)?;
    crate::report::write_report(dir)?;
    Ok(())
}

fn sweep_error(e: sweep::SweepError) -> (u8, String) {
    match e {
        sweep::SweepError::Run(e) => run_error(e),
        sweep::SweepError::Output(e) => output_error(e),
        e @ (sweep::SweepError::Mismatch { .. }
        | sweep::SweepError::Changed { .. }
        | sweep::SweepError::Damaged { .. }
        | sweep::SweepError::NotSweep { .. }
        | sweep::SweepError::Shard { .. }
        | sweep::SweepError::Unfinished { .. }) => (EXIT_BAD_INPUT, e.to_string()),
    }
}

fn model_name(scenario: &Scenario) -> &'static str {
    match scenario.model {
        crate::scenario::ModelSpec::Bass { .. } => "bass",
        crate::scenario::ModelSpec::IndependentCascade { .. } => "independent_cascade",
        crate::scenario::ModelSpec::LinearThreshold { .. } => "linear_threshold",
        crate::scenario::ModelSpec::Marketing(_) => "marketing",
    }
}
