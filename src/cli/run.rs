//! `murmur run`: a scenario or a sweep, checked and its folder claimed before any work
//! ([`prepare`]), then run and written ([`execute`]); under `mpirun` the same two steps
//! run on rank 0 around the ranks' slices (`spread.rs`).

use super::*;

/// `murmur run`: runs a scenario, or a sweep, and writes its results folder; under
/// `mpirun` (a build with the `mpi` feature), spreads it over the ranks ([`spread`]).
pub(super) fn run(args: RunArgs) -> Result<(), CliError> {
    if let Some(world) = mpi_world::join(&args)? {
        return spread::finish(&world, spread::run(&args, &world), tell);
    }
    let bytes = read(&args.scenario)?;
    let job = prepare(&args, &bytes)?;
    execute(job)
}

/// A `murmur run` checked, its folder claimed: everything decided before any work.
pub(super) struct Job<'a> {
    pub(super) args: &'a RunArgs,
    input: Input<'a>,
    pub(super) scenario: Scenario,
    pub(super) out: PathBuf,
    pub(super) claim: Claim,
    options: RunOptions,
    /// The run's replicates, or its sweep's points: what `--shard` splits.
    pub(super) units: u64,
}

/// Checks the run `args` asks for, of the scenario file read as `bytes`, and claims its
/// folder: every refusal (bad input, too big, no disk, a refused folder) happens here.
pub(super) fn prepare<'a>(args: &'a RunArgs, bytes: &'a [u8]) -> Result<Job<'a>, CliError> {
    experiment::check_threads(args.execution.threads())?;
    let (mut scenario, text) = parse_with(&args.scenario, bytes, &args.execution.set)?;
    let overrides = args.execution.overrides();
    overrides.apply(&mut scenario);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(folder::slug(&scenario.name)));
    if args.resume && scenario.sweep.is_none() {
        return Err(CliError::NoSweepTable {
            scenario: args.scenario.clone(),
        });
    }
    let claim = Claim::new(&out, &[&args.scenario])?;
    let options = RunOptions {
        threads: args.execution.threads(),
        quiet: args.execution.quiet,
        agents: args.agents,
        outcomes: false,
    };
    let units = if let Some(spec) = &scenario.sweep {
        let shard = args.shard.as_deref().map(sweep::parse_shard).transpose()?;
        // Counted, and its results sized against the disk, before any point
        // is listed.
        limits::check_sweep(spec, bytes.len(), &scenario, &out, &options, shard)?
    } else {
        // Memory first (the more fundamental limit), then the disk.
        let threads = options.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        experiment::check_memory(&scenario, threads, &options)?;
        limits::check_run(&scenario, &out, &options)?;
        if let Some(text) = args.shard.as_deref() {
            let (_, n) = sweep::parse_shard(text)?;
            if n > scenario.replicates as usize {
                return Err(SweepError::TooManyShards {
                    text: text.to_string(),
                    replicates: scenario.replicates,
                }
                .into());
            }
        }
        u64::from(scenario.replicates)
    };
    let input = Input {
        file: &args.scenario,
        bytes,
        text,
        overrides,
    };
    Ok(Job {
        args,
        input,
        scenario,
        out,
        claim,
        options,
        units,
    })
}

/// Runs a prepared job and writes its folder.
pub(super) fn execute(job: Job) -> Result<(), CliError> {
    let Job {
        args,
        input,
        scenario,
        out,
        mut claim,
        options,
        ..
    } = job;
    if let Some(spec) = scenario.sweep.clone() {
        return run_sweep(args, &input, &scenario, &spec, &out, options, claim);
    }
    let replicates = match args.shard.as_deref() {
        None => 0..scenario.replicates,
        Some(text) => {
            let (k, n) = sweep::parse_shard(text)?;
            experiment::shard_range(scenario.replicates, k, n)
        }
    };
    let outcome = experiment::run_replicates(scenario, &args.scenario, &options, replicates)?;
    let source = Source::new(&args.scenario, input.bytes);
    let writing = experiment::Phase::start();
    results::write_run(&out, &outcome, &source, &decorate)?;
    claim.keep();
    if !args.execution.quiet {
        let written = experiment::Phase::end("writing", writing);
        for phase in outcome.phases.iter().chain([&written]) {
            let peak = phase.peak_bytes.map_or(String::new(), |b| {
                format!(", peak so far {}", experiment::human_bytes(b))
            });
            eprintln!("phase {}: {:.2} s{peak}", phase.name, phase.seconds);
        }
        let slice = if outcome.is_slice() {
            let first = outcome.first_replicate;
            let last = first + outcome.series.len() as u32 - 1;
            format!(
                " (replicates {first}–{last} of {})",
                outcome.scenario.replicates
            )
        } else {
            String::new()
        };
        say(format!(
            "{}: {} agents, {} replicates{slice} × {} ticks in {:.2} s on {} threads\n",
            outcome.scenario.name,
            outcome.scenario.population.size,
            outcome.series.len(),
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
    /// The file as read (its hash goes in the manifest).
    bytes: &'a [u8],
    /// The text the scenario was read from: the file with any `--set` applied.
    text: String,
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
) -> Result<(), CliError> {
    let shard = args.shard.as_deref().map(sweep::parse_shard).transpose()?;
    let text = &input.text;
    let sweep_options = sweep::SweepOptions {
        run: options,
        resume: args.resume,
        shard,
        decorate: &decorate,
    };
    let source = Source::new(input.file, input.bytes);
    let done = sweep::run(
        text,
        input.file,
        spec,
        out,
        &source,
        &input.overrides,
        &sweep_options,
    )?;
    claim.keep();
    if !args.execution.quiet {
        say(format!(
            "{}: sweep of {} points ({} in this run, {} already finished) in {:.2} s\n",
            scenario.name, done.total, done.ran, done.skipped, done.wall_seconds
        ))?;
        say(sweep::headline_table(out)?)?;
    }
    say(format!("results in {}\n", out.display()))?;
    Ok(())
}
