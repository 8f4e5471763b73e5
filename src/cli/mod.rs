//! Command-line interface: parses arguments and calls the library; no logic of its own.

use crate::experiment::{self, RunError, RunOptions};
use crate::plot::PlotError;
use crate::report::ReportError;
use crate::results::folder::{self, Claim, FolderError};
use crate::results::{self, DecorateError, OutputError, Source};
use crate::scenario::{Overrides, Scenario, ScenarioError};
use crate::sweep::SweepError;
use crate::{compare, limits, sweep};
use clap::Parser;
use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod args;
mod bench;
mod mpi_world;
mod network;
mod run;
mod spread;
mod study;
mod wire;
pub use args::*;
use run::{Job, execute, prepare, run};
use study::{attribute_command, calibrate_command, optimise_command, sensitivity_command};

/// Exit code for a malformed scenario or input file.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Draws of `compare --uncertain` when neither the command nor the scenario says.
pub const UNCERTAIN_DRAWS: u32 = 40;
/// Exit code for any other failure.
pub const EXIT_FAILURE: u8 = 1;

/// Parses the process arguments, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let (message, code) = message_and_code(&e);
            tell(&message);
            ExitCode::from(code)
        }
    }
}

/// Writes `message` on standard error as `murmur: message`; nothing for an empty one
/// (a rank of an MPI job leaves the telling to rank 0). A closed stderr (`2>&-`, a
/// pipe whose reader has gone) loses the message, not the exit code.
fn tell(message: &str) {
    if !message.is_empty() {
        let _ = writeln!(std::io::stderr(), "murmur: {message}");
    }
}

thread_local! {
    /// Whether this thread's command keeps its lines off standard output
    /// ([`run_args`] with `echo` false).
    static SILENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs the command `args` describes (without the program's name, e.g. `["run",
/// "s.toml", "--quiet"]`) as the `murmur` program would, for embedders such as the
/// Python package; with `echo` false nothing is written to standard output. `Err`
/// carries the message the program would print (without its `murmur: ` prefix) and
/// its exit code. Help and version requests are `Err` with code 0 and the text.
pub fn run_args<I, T>(args: I, echo: bool) -> Result<(), (String, u8)>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let program = std::iter::once(std::ffi::OsString::from("murmur"));
    let cli = Cli::try_parse_from(program.chain(args.into_iter().map(Into::into)))
        .map_err(|e| (e.to_string().trim_end().to_string(), e.exit_code() as u8))?;
    let was = SILENT.with(|s| s.replace(!echo));
    let result = dispatch(cli).map_err(|e| message_and_code(&e));
    SILENT.with(|s| s.set(was));
    result
}

/// Why a command failed: the error of the layer that failed, kept whole until
/// [`message_and_code`] turns it into a message and an exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A scenario or input file is malformed.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A run failed or was refused before it started.
    #[error(transparent)]
    Run(#[from] RunError),
    /// A results folder was refused, or could not be claimed.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// Results could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A sweep or merge failed.
    #[error(transparent)]
    Sweep(#[from] SweepError),
    /// A sensitivity analysis could not run, continue or be merged.
    #[error(transparent)]
    Sensitivity(#[from] crate::sensitivity::SensitivityError),
    /// `murmur plot` could not draw a folder's plots.
    #[error("cannot draw the plots: {source}")]
    Plot {
        /// Why.
        #[source]
        source: PlotError,
    },
    /// `murmur plot` could not write a folder's report.
    #[error("cannot write the report: {source}")]
    Report {
        /// Why.
        #[source]
        source: ReportError,
    },
    /// `murmur plot` was given a folder murmur did not write.
    #[error(
        "{} is not a murmur results folder (it has no manifest.json marked by murmur)",
        dir.display()
    )]
    NotResults {
        /// The folder given.
        dir: PathBuf,
    },
    /// `--resume` on a scenario without a sweep.
    #[error(
        "--resume applies to sweeps, and {} has no [sweep] table (a plain run is split with --shard K/N and joined with murmur merge)",
        scenario.display()
    )]
    NoSweepTable {
        /// The scenario file.
        scenario: PathBuf,
    },
    /// `murmur bench --network` was given an edge list it cannot read.
    #[error("cannot benchmark on --network {}: {source}", path.display())]
    BenchNetwork {
        /// The file given.
        path: PathBuf,
        /// Why.
        #[source]
        source: crate::network::NetworkError,
    },
    /// A run spread over MPI ranks failed on another rank, or was refused.
    #[error(transparent)]
    Spread(#[from] spread::SpreadError),
    /// Standard output could not be written (other than by a reader that has gone).
    #[error("cannot write to standard output: {source}")]
    Stdout {
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The message and exit code of a failed command: [`EXIT_BAD_INPUT`] when the input
/// is the user's to fix (a malformed scenario or file in a results folder, a refused
/// folder, a request bigger than the machine, run before any work), [`EXIT_FAILURE`]
/// when murmur or the system failed (a write, a worker pool).
pub fn message_and_code(e: &CliError) -> (String, u8) {
    use CliError as C;
    use OutputError as O;
    use SweepError as S;
    if let C::Spread(e) = e {
        return (e.to_string(), e.code());
    }
    let bad_input = match e {
        C::Scenario(_) | C::NotResults { .. } | C::NoSweepTable { .. } | C::BenchNetwork { .. } => {
            true
        }
        // Refusals before any work: the scenario asks for more than the machine has.
        C::Run(e) | C::Sweep(S::Run(e)) => matches!(
            e,
            RunError::Scenario(_)
                | RunError::TooBig { .. }
                | RunError::TooManyPoints { .. }
                | RunError::NoDisk { .. }
                | RunError::TooManyThreads { .. }
        ),
        // A refused folder is the user's to fix; a failed write is not.
        C::Folder(e) | C::Output(O::Folder(e)) | C::Sweep(S::Output(O::Folder(e))) => {
            !matches!(e, FolderError::Io { .. })
        }
        C::Output(_) | C::Sweep(S::Output(_)) => false,
        // A damaged, unfinished, changed or mismatched sweep; a malformed --shard.
        C::Sweep(_) => true,
        C::Plot { source } => matches!(source, PlotError::Csv { .. } | PlotError::Manifest { .. }),
        C::Report { source } => matches!(
            source,
            ReportError::Json { .. } | ReportError::Csv { .. } | ReportError::Invalid { .. }
        ),
        C::Stdout { .. } | C::Spread(_) => false,
        C::Sensitivity(e) => match e {
            crate::sensitivity::SensitivityError::Run(e) => matches!(
                e,
                RunError::Scenario(_)
                    | RunError::TooBig { .. }
                    | RunError::TooManyPoints { .. }
                    | RunError::NoDisk { .. }
                    | RunError::TooManyThreads { .. }
            ),
            crate::sensitivity::SensitivityError::Output(O::Folder(e)) => {
                !matches!(e, FolderError::Io { .. })
            }
            e => e.is_bad_input(),
        },
    };
    let code = if bad_input {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    };
    (e.to_string(), code)
}

/// Writes `text` to stdout. A reader that has gone (`murmur run s.toml | head -1`)
/// is no failure: the results are on disk, so the rest of the output is dropped
/// quietly; any other write error is reported.
fn say(text: impl Display) -> Result<(), CliError> {
    if SILENT.with(std::cell::Cell::get) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match write!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Stdout { source: e }),
        _ => Ok(()),
    }
}

/// The bytes of a scenario file; a missing or unreadable one is bad input.
fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    Ok(std::fs::read(path).map_err(|e| ScenarioError::io(path, &e))?)
}

/// The scenario in `bytes`, read from `path`, checked.
fn parse(path: &Path, bytes: &[u8]) -> Result<Scenario, CliError> {
    Ok(parse_with(path, bytes, &[])?.0)
}

/// The scenario in `bytes`, read from `path`, with the command line's `--set`
/// settings applied, checked; and the text it was read from.
fn parse_with(
    path: &Path,
    bytes: &[u8],
    settings: &[crate::scenario::set::Setting],
) -> Result<(Scenario, String), CliError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ScenarioError::new(path, "the file is not UTF-8 text"))?;
    Ok(crate::scenario::set::apply(text, path, settings)?)
}

/// Runs the command asked for.
fn dispatch(cli: Cli) -> Result<(), CliError> {
    let execution = match &cli.command {
        Command::Run(a) => Some(&a.execution),
        Command::Compare(a) => Some(&a.execution),
        Command::Attribute(a) => Some(&a.execution),
        Command::Sensitivity(a) => Some(&a.execution),
        Command::Optimise(a) => Some(&a.execution),
        Command::Calibrate(a) => Some(&a.execution),
        _ => None,
    };
    if let Some(e) = execution {
        experiment::set_progress_mode(e.progress);
    }
    match cli.command {
        Command::Validate { scenario } => validate(scenario),
        Command::Compare(args) => compare_command(args),
        Command::Attribute(args) => attribute_command(args),
        Command::Sensitivity(args) => sensitivity_command(args),
        Command::Calibrate(args) => calibrate_command(args),
        Command::Optimise(args) => optimise_command(args),
        Command::Network(args) => network::network_command(args),
        Command::Bench(args) => bench::bench_command(args),
        Command::Plot { dir } => plot(dir),
        Command::Merge { slices, out } => merge(slices, out),
        Command::Run(args) => run(args),
    }
}

/// `murmur validate`: checks a scenario (and its sweep's points) without running it.
fn validate(path: PathBuf) -> Result<(), CliError> {
    let bytes = read(&path)?;
    let mut scenario = parse(&path, &bytes)?;
    experiment::settle_population(&mut scenario, &path)?;
    // Valid means a run (on all cores) would start: it fits in memory.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let options = RunOptions::default();
    experiment::check_memory(&scenario, threads, &options)?;
    // A sweep is valid when every one of its points is; they are counted
    // before they are listed.
    let points = match &scenario.sweep {
        Some(spec) => {
            limits::check_point_list(spec, bytes.len())?;
            let text = String::from_utf8_lossy(&bytes);
            let points = sweep::points(&text, &path, spec, &Overrides::default())?;
            for p in &points {
                experiment::check_memory(&p.scenario, threads, &options)?;
            }
            format!(", a sweep of {} points", points.len())
        }
        None => String::new(),
    };
    let plans = scenario.optimise.as_ref().map_or(String::new(), |o| {
        let n = o.budget.len() * o.social_media_share.len() * o.timing.len();
        format!(", an [optimise] table screening {n} plans")
    });
    say(format!(
        "{}: valid ({} agents, {} ticks, {} replicates, model {}{points}{plans})\n",
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
fn compare_command(args: CompareArgs) -> Result<(), CliError> {
    let CompareArgs {
        scenarios,
        out,
        early,
        uncertain,
        attribute,
        execution,
    } = args;
    let (threads, quiet) = (execution.threads(), execution.quiet);
    experiment::check_threads(threads)?;
    let mut entries = compare::prepare_with(&scenarios, &execution.set)?;
    let overrides = execution.overrides();
    for e in &mut entries {
        overrides.apply(&mut e.scenario);
        if let Some(early) = early
            && early > e.scenario.ticks
        {
            return Err(ScenarioError::new(
                &e.file,
                format!(
                    "--early {early} is past the scenario's last tick, {ticks}; choose a day \
                     from 0 to {ticks}",
                    ticks = e.scenario.ticks
                ),
            )
            .into());
        }
    }
    let out = out.unwrap_or_else(|| {
        let names: Vec<String> = entries
            .iter()
            .map(|e| folder::slug(&e.scenario.name))
            .collect();
        Path::new("results").join(format!("compare-{}", names.join("-vs-")))
    });
    let inputs: Vec<&Path> = scenarios.iter().map(PathBuf::as_path).collect();
    let mut claim = Claim::new(&out, &inputs)?;
    let options = RunOptions {
        threads,
        quiet,
        ..RunOptions::default()
    };
    let shortest = entries.iter().map(|e| e.scenario.ticks).min().unwrap_or(0);
    let early = early.unwrap_or(compare::EARLY_TICK.min(shortest));
    // The robustness check: asked for on the command line, or by the first
    // scenario's [uncertainty] table with a number of draws.
    let table = entries[0].scenario.uncertainty.clone();
    let draws = match (uncertain, &table) {
        (Some(Some(n)), _) => Some(n),
        (Some(None), t) => Some(t.as_ref().and_then(|t| t.draws).unwrap_or(UNCERTAIN_DRAWS)),
        (None, Some(t)) => t.draws,
        (None, None) => None,
    };
    let robustness_plan = match draws {
        Some(n) => {
            let parameters = table
                .as_ref()
                .map_or_else(crate::scenario::uncertainty::default_parameters, |t| {
                    t.parameters_or_default()
                });
            let seed = execution
                .seed
                .or(table.as_ref().map(|t| t.seed))
                .unwrap_or(entries[0].scenario.seed);
            // Every draw is checked before anything runs.
            Some(crate::robustness::plan(
                entries.clone(),
                parameters,
                n,
                seed,
            )?)
        }
        None => None,
    };
    let mut comparison = compare::run(entries, &options, early)?;
    if attribute {
        for e in &comparison.entries {
            if matches!(e.scenario.model, crate::scenario::ModelSpec::Marketing(_)) {
                let quiet = RunOptions {
                    quiet: true,
                    ..options.clone()
                };
                let a = crate::attribution::attribute(&e.scenario, &e.file, &quiet)?;
                comparison.attributions.push((e.scenario.name.clone(), a));
            }
        }
    }
    let robustness = match robustness_plan {
        Some(plan) => {
            let r = crate::robustness::run(plan, &options, early)?;
            crate::robustness::write(&out, &mut comparison, &r, &decorate)?;
            Some(r)
        }
        None => {
            compare::write(&out, &comparison, &decorate)?;
            None
        }
    };
    claim.keep();
    if !quiet {
        say(format!(
            "compared {} scenarios against {} on common random numbers in {:.2} s\n",
            comparison.outcomes.len(),
            comparison.outcomes[0].scenario.name,
            comparison.wall_seconds
        ))?;
        say(compare::headline_table(&comparison))?;
        if let Some(r) = &robustness {
            say(format!(
                "\nrobustness over {} uncertain draws:\n",
                r.draws.len()
            ))?;
            for s in crate::robustness::sentences(r) {
                say(format!("{s}\n"))?;
            }
        }
    }
    say(format!("results in {}\n", out.display()))?;
    Ok(())
}

/// `murmur plot`: redraws a results folder's plots and report in place.
fn plot(dir: PathBuf) -> Result<(), CliError> {
    let (mut claim, manifest) = Claim::in_place(&dir).map_err(|e| match e {
        FolderError::Foreign { .. } if folder::read_manifest(&dir).is_none() => {
            CliError::NotResults { dir: dir.clone() }
        }
        e => e.into(),
    })?;
    if manifest.get("kind").and_then(|k| k.as_str()) == Some("network") {
        claim.keep();
        return say(format!(
            "{} is a network export: it has no plots or report to draw\n",
            dir.display()
        ));
    }
    // What `decorate` does, keeping the error kinds: a malformed file
    // in the folder is bad input (exit 2), not a failure of murmur's.
    let mut written = crate::plot::render_dir(&dir).map_err(|source| CliError::Plot { source })?;
    let report = crate::report::write_report(&dir).map_err(|source| CliError::Report { source })?;
    written.push(report);
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    folder::record(&dir, &names)?;
    claim.keep();
    say(format!("plots and report redrawn in {}\n", dir.display()))?;
    Ok(())
}

/// `murmur merge`: joins the slices of one sweep, run or sensitivity analysis.
fn merge(slices: Vec<PathBuf>, out: PathBuf) -> Result<(), CliError> {
    let inputs: Vec<&Path> = slices.iter().map(PathBuf::as_path).collect();
    let mut claim = Claim::new(&out, &inputs)?;
    if slices
        .first()
        .is_some_and(|d| crate::sensitivity::is_slice(d))
    {
        let points = crate::sensitivity::merge(&slices, &out, &decorate)?;
        claim.keep();
        say(format!(
            "merged the {points} points of a sensitivity analysis from {} slices\n",
            slices.len()
        ))?;
        say(format!("results in {}\n", out.display()))?;
        return Ok(());
    }
    let merged = sweep::merge(&slices, &out, &decorate)?;
    claim.keep();
    match merged {
        sweep::Merged::Points(points) => {
            say(format!(
                "merged {points} points from {} slices\n",
                slices.len()
            ))?;
            say(sweep::headline_table(&out)?)?;
        }
        sweep::Merged::Replicates(replicates) => say(format!(
            "merged {replicates} replicates from {} slices\n",
            slices.len()
        ))?,
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

/// The model's `kind`, as a scenario file writes it.
fn model_name(scenario: &Scenario) -> &'static str {
    match scenario.model {
        crate::scenario::ModelSpec::Bass { .. } => "bass",
        crate::scenario::ModelSpec::IndependentCascade { .. } => "independent_cascade",
        crate::scenario::ModelSpec::LinearThreshold { .. } => "linear_threshold",
        crate::scenario::ModelSpec::Marketing(_) => "marketing",
    }
}
