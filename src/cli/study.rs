//! The commands that study one scenario by running many variants of it and write the
//! folder of one run with their own files beside it: `attribute`, `optimise`,
//! `sensitivity` and `calibrate`.

use super::{
    AttributeArgs, CalibrateArgs, CliError, Execution, OptimiseArgs, SensitivityArgs, decorate,
    parse_with, read, say,
};
use crate::experiment::{self, RunOptions, RunOutcome};
use crate::limits;
use crate::results::folder::{self, Claim};
use crate::results::{self, Source};
use crate::scenario::Scenario;
use crate::sweep;
use std::path::{Path, PathBuf};

/// What `attribute`, `optimise` and `sensitivity` share: a scenario read with the
/// command line's settings and overrides, its results folder claimed, a run that fits
/// in memory and on disk, and at the end the folder of one run with the command's own
/// files beside it.
struct Study {
    /// The scenario file.
    file: PathBuf,
    /// The file as read (its hash goes in the manifest).
    bytes: Vec<u8>,
    /// The resolved scenario.
    scenario: Scenario,
    /// The text it was read from (the file with any `--set` applied).
    text: String,
    /// The results folder.
    out: PathBuf,
    claim: Claim,
    options: RunOptions,
}

impl Study {
    /// Reads and checks `file`, runs `check` on it before the folder is claimed, and
    /// checks the run fits. The folder is `out`, or `results/<command>-<name>`.
    fn open(
        file: &Path,
        out: Option<PathBuf>,
        execution: &Execution,
        command: &str,
        check: impl FnOnce(&Scenario, &str) -> Result<(), CliError>,
    ) -> Result<Study, CliError> {
        experiment::check_threads(execution.threads())?;
        let bytes = read(file)?;
        let (mut scenario, text) = parse_with(file, &bytes, &execution.set)?;
        execution.overrides().apply(&mut scenario);
        check(&scenario, &text)?;
        let out = out.unwrap_or_else(|| {
            Path::new("results").join(format!("{command}-{}", folder::slug(&scenario.name)))
        });
        let claim = Claim::new(&out, &[file])?;
        let options = RunOptions {
            threads: execution.threads(),
            quiet: execution.quiet,
            agents: false,
            outcomes: false,
        };
        let threads = options.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        experiment::check_memory(&scenario, threads, &options)?;
        limits::check_run(&scenario, &out, &options)?;
        Ok(Study {
            file: file.to_path_buf(),
            bytes,
            scenario,
            text,
            out,
            claim,
            options,
        })
    }

    /// Writes `outcome`'s run folder with `extra`'s files beside it, plots and report,
    /// keeps the folder, and prints `table` unless quiet.
    fn write(
        mut self,
        outcome: &RunOutcome,
        extra: impl FnOnce(&Path) -> Result<(), results::OutputError>,
        table: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        let source = Source::new(&self.file, &self.bytes);
        results::write_run_with(&self.out, outcome, &source, |dir| {
            extra(dir)?;
            decorate(dir).map_err(results::OutputError::Decorate)
        })?;
        self.claim.keep();
        if !self.options.quiet {
            say(table())?;
        }
        say(format!("results in {}\n", self.out.display()))?;
        Ok(())
    }
}

/// `murmur attribute`: runs every coalition of a marketing scenario's channels and
/// writes the full strategy's run with `attribution.csv` beside it.
pub(super) fn attribute_command(args: AttributeArgs) -> Result<(), CliError> {
    let study = Study::open(
        &args.scenario,
        args.out,
        &args.execution,
        "attribute",
        |_, _| Ok(()),
    )?;
    let a = crate::attribution::attribute(&study.scenario, &study.file, &study.options)?;
    study.write(
        &a.full,
        |dir| crate::attribution::write_csv(dir, &a),
        || crate::attribution::table(&a),
    )
}

/// `murmur optimise`: screens and refines the plans of a marketing scenario, then
/// writes the best plan's run with `candidates.csv`, `curves.csv`,
/// `plan_timeline.csv` and `best.toml` beside it.
pub(super) fn optimise_command(args: OptimiseArgs) -> Result<(), CliError> {
    // The table (or its defaults) is checked before the folder is claimed.
    let study = Study::open(
        &args.scenario,
        args.out,
        &args.execution,
        "optimise",
        |s, text| {
            crate::optimise::spec_of(s, text, &args.scenario)?;
            Ok(())
        },
    )?;
    let (scenario, file) = (&study.scenario, &study.file);
    let o = crate::optimise::optimise(scenario, &study.text, file, &study.options)?;
    // The folder's run is the best plan as `murmur run best.toml` runs it (or the
    // scenario itself when no plan is feasible).
    let plan = match o.best.and_then(|b| o.evaluation_of(b)) {
        Some(e) => Scenario::from_str_at(&e.text, file)?,
        None => scenario.clone(),
    };
    let outcome = experiment::run(plan, file, &study.options)?;
    study.write(
        &outcome,
        |dir| crate::optimise::write_files(dir, &o),
        || crate::optimise::table(&o),
    )
}

/// `murmur sensitivity`: runs the scenario at every point of its sensitivity design and
/// writes the scenario's own run with `sensitivity.csv` beside it.
/// With `--shard K/N` it runs one slice of the points and writes them (and the
/// scenario's own run) for `murmur merge`. Finished points are kept in a hidden
/// journal beside the folder until it is written, so `--resume` continues an
/// interrupted analysis.
pub(super) fn sensitivity_command(args: SensitivityArgs) -> Result<(), CliError> {
    let shard = args.shard.as_deref().map(sweep::parse_shard).transpose()?;
    let study = Study::open(
        &args.scenario,
        args.out,
        &args.execution,
        "sensitivity",
        |_, _| Ok(()),
    )?;
    let journal = crate::sensitivity::journal_of(&study.out);
    let schedule = crate::sensitivity::Schedule {
        shard,
        journal: Some(journal.clone()),
        resume: args.resume,
    };
    let (s, text, file) = (&study.scenario, &study.text, &study.file);
    let (a, runs, base) =
        crate::sensitivity::analyse_scheduled(s, text, file, &study.options, &schedule)?;
    let scenario = study.scenario.clone();
    let (text, file) = (study.text.clone(), study.file.clone());
    study.write(
        &base,
        |dir| {
            crate::sensitivity::write_csvs(dir, &a)?;
            if a.is_slice() {
                crate::sensitivity::write_slice(dir, &scenario, &text, &file, &a, &runs)?;
            }
            Ok(())
        },
        || crate::sensitivity::table(&a),
    )?;
    // The folder holds every point now: the journal has served.
    let _ = std::fs::remove_file(&journal);
    Ok(())
}

/// `murmur calibrate`: fits the `[calibration]` table's parameters to the observed data
/// and writes the calibrated scenario's run with `posterior.csv`, `calibration.csv`,
/// `calibration_generations.csv`, `fit.csv` and `calibrated.toml` beside it.
pub(super) fn calibrate_command(args: CalibrateArgs) -> Result<(), CliError> {
    // The table and the data are checked before the folder is claimed.
    let mut prepared = None;
    let study = Study::open(
        &args.scenario,
        args.out,
        &args.execution,
        "calibrate",
        |s, _| {
            prepared = Some(crate::calibration::prepare(
                s,
                &args.scenario,
                args.data.as_deref(),
            )?);
            Ok(())
        },
    )?;
    let (spec, observed) = prepared.expect("Study::open runs the check");
    let c = crate::calibration::calibrate(
        &study.scenario,
        &study.text,
        &study.file,
        spec,
        observed,
        &study.options,
    )?;
    study.write(
        &c.fitted,
        |dir| crate::calibration::write_files(dir, &c),
        || crate::calibration::table(&c),
    )
}
