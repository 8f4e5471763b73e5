//! `murmur run` spread over the ranks of an MPI job (README, "On many machines"): the
//! run is split as `--shard K/N` splits it (a sweep's points, or a plain run's
//! replicates), each rank runs its slice into a private temporary folder and sends
//! the files to rank 0, which joins them as `murmur merge` does. So the result is
//! byte for byte one process's (only the manifest's `wall_seconds` and the report
//! quoting it differ), and no file system is shared.
//!
//! The protocol, over any [`Transport`]: rank 0 reads the scenario, checks the run and
//! claims its folder as a plain run does, then broadcasts the verdict ([`Message::Go`]
//! with the scenario's bytes, or [`Message::Failed`]): a refused run stops every rank
//! with its exit code before any work, and no rank waits on one that has stopped.
//! Ranks `0..slices` run slice `rank + 1` of `slices`; each of `1..slices` then sends
//! one message, its folder or its failure, and rank 0 receives every one of them
//! before it merges or reports the first failure. Ranks beyond the slices stay idle.
//! Last, [`finish`]: rank 0 says why the run failed, if it did, and every rank waits
//! for that before it exits (mpirun kills the job when the first rank exits non-zero).

use super::wire::{self, Message};
use super::{CliError, Execution, Job, RunArgs, SILENT, execute, prepare, read, say};
use crate::sweep;
use std::path::{Path, PathBuf};

/// How ranks exchange bytes: MPI in a build with the `mpi` feature, threads in tests.
pub trait Transport {
    /// This process's rank, 0-based.
    fn rank(&self) -> usize;
    /// The number of ranks.
    fn size(&self) -> usize;
    /// Rank 0's `bytes`, on every rank (the others pass anything, e.g. nothing).
    fn broadcast(&self, bytes: Vec<u8>) -> Vec<u8>;
    /// Sends `bytes` to rank 0.
    fn send_to_root(&self, bytes: &[u8]);
    /// The bytes rank `rank` sent to rank 0 (called on rank 0).
    fn receive_from(&self, rank: usize) -> Vec<u8>;
    /// Returns once every rank has called it.
    fn barrier(&self);
    /// Stops every rank at once with exit code `code` (when a message cannot be read,
    /// there is no knowing what the others wait for).
    fn abort(&self, code: u8) -> !;
}

/// Why a spread run failed, beyond what a plain run can fail with.
#[derive(Debug, thiserror::Error)]
pub enum SpreadError {
    /// An option that does not combine with `mpirun`.
    #[error("{option} cannot be used under mpirun ({ranks} ranks): {why}")]
    Refused {
        /// The option.
        option: &'static str,
        /// The job's ranks.
        ranks: usize,
        /// Why, and what to do instead.
        why: &'static str,
    },
    /// Another rank failed; its message and exit code.
    #[error("rank {rank}: {message}")]
    Rank {
        /// The rank that failed.
        rank: usize,
        /// Its message.
        message: String,
        /// Its exit code.
        code: u8,
    },
    /// This rank stops with `code`; rank 0 tells the user why.
    #[error("")]
    Reported {
        /// The exit code.
        code: u8,
    },
    /// A message could not be read, or a folder packed or unpacked.
    #[error(transparent)]
    Wire(#[from] wire::WireError),
    /// The private temporary folder could not be made.
    #[error("cannot make a temporary folder for this rank's slice: {source}")]
    Temporary {
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl SpreadError {
    /// The exit code: another rank's own, 2 for a refused option, 1 otherwise.
    pub fn code(&self) -> u8 {
        match self {
            SpreadError::Refused { .. } => super::EXIT_BAD_INPUT,
            SpreadError::Rank { code, .. } | SpreadError::Reported { code } => *code,
            SpreadError::Wire(_) | SpreadError::Temporary { .. } => super::EXIT_FAILURE,
        }
    }
}

/// The 1-based slice `(k, n)` rank `rank` of `ranks` runs when the job has `units`
/// (points or replicates) to split: `n` is the smaller of ranks and units, and ranks
/// from `n` on run none.
pub fn slice_of(rank: usize, ranks: usize, units: u64) -> Option<(usize, usize)> {
    let n = usize::try_from(units)
        .unwrap_or(usize::MAX)
        .min(ranks)
        .max(1);
    (rank < n).then_some((rank + 1, n))
}

/// An option the command line gives every rank alike that a spread run refuses.
fn refusal(args: &RunArgs, ranks: usize) -> Option<SpreadError> {
    let refused = |option, why| Some(SpreadError::Refused { option, ranks, why });
    if args.shard.is_some() {
        return refused(
            "--shard",
            "under mpirun murmur splits the run over the ranks itself; drop --shard, or run \
             each slice as its own job without mpirun and join them with murmur merge",
        );
    }
    if args.resume {
        return refused(
            "--resume",
            "a spread sweep does not continue an interrupted one; resume it without mpirun",
        );
    }
    None
}

/// `murmur run` on rank `world.rank()` of a spread job (see the module's comment).
pub fn run(args: &RunArgs, world: &dyn Transport) -> Result<(), CliError> {
    if let Some(refused) = refusal(args, world.size()) {
        // Every rank sees the same command line: each stops alone, one says why.
        return Err(if world.rank() == 0 {
            refused.into()
        } else {
            SpreadError::Reported {
                code: refused.code(),
            }
            .into()
        });
    }
    if world.rank() == 0 {
        root(args, world)
    } else {
        worker(args, world)
    }
}

/// Ends this rank's part of a spread run whose outcome is `result`: rank 0 tells
/// (`tell`) why the run failed, and only then does any rank return. mpirun stops the
/// whole job as soon as one rank exits with a non-zero code, so a rank that exited at
/// once could have rank 0 killed before it said why. Rank 0's failure comes back as
/// [`SpreadError::Reported`], already told.
pub fn finish(
    world: &dyn Transport,
    result: Result<(), CliError>,
    tell: impl FnOnce(&str),
) -> Result<(), CliError> {
    let result = match result {
        Err(e) if world.rank() == 0 => {
            let (message, code) = super::message_and_code(&e);
            tell(&message);
            Err(SpreadError::Reported { code }.into())
        }
        other => other,
    };
    world.barrier();
    result
}

/// Rank 0: checks and claims, broadcasts the verdict, runs the first slice, gathers
/// the others and merges them into the claimed folder.
fn root(args: &RunArgs, world: &dyn Transport) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let bytes = read(&args.scenario).inspect_err(|e| announce(world, e))?;
    let job = prepare(args, &bytes).inspect_err(|e| announce(world, e))?;
    let (_, slices) = slice_of(0, world.size(), job.units).unwrap_or((1, 1));
    world.broadcast(wire::encode(&Message::Go {
        scenario: bytes.clone(),
        slices: slices as u64,
    }));
    if slices == 1 {
        return execute(job);
    }
    let temporary = match temporary() {
        Ok(t) => t,
        Err(e) => {
            // The others' messages are received all the same: none waits for ever.
            for rank in 1..slices {
                world.receive_from(rank);
            }
            return Err(e.into());
        }
    };
    let own = run_slice(args, &bytes, (1, slices), temporary.path(), false);
    let mut dirs = vec![own];
    for rank in 1..slices {
        // Every rank's message is received, whatever came before.
        let bytes = world.receive_from(rank);
        let dir = temporary.path().join(format!("slice-{}", rank + 1));
        dirs.push(receive_slice(&bytes, rank, &dir));
    }
    // The first failure, in rank order (rank 0's own first).
    let dirs: Vec<PathBuf> = dirs.into_iter().collect::<Result<_, CliError>>()?;
    merge(job, &dirs, slices, started)
}

/// Rank 0 writes the folder rank `rank` sent as `bytes` into `dir`, or returns the
/// failure it sent.
fn receive_slice(bytes: &[u8], rank: usize, dir: &Path) -> Result<PathBuf, CliError> {
    let files = match wire::decode(bytes).map_err(SpreadError::from)? {
        Message::Folder(files) => files,
        Message::Failed { code, message } => {
            return Err(SpreadError::Rank {
                rank,
                message,
                code,
            }
            .into());
        }
        Message::Go { .. } => {
            return Err(SpreadError::from(wire::WireError::Malformed {
                what: "a rank sent a verdict instead of its folder",
            })
            .into());
        }
    };
    std::fs::create_dir(dir).map_err(|source| {
        SpreadError::from(wire::WireError::Io {
            path: dir.to_path_buf(),
            source,
        })
    })?;
    wire::unpack(&files, dir).map_err(SpreadError::from)?;
    Ok(dir.to_path_buf())
}

/// Rank 0 joins the slices `dirs` into the job's claimed folder and says what it did.
fn merge(
    job: Job,
    dirs: &[PathBuf],
    slices: usize,
    started: std::time::Instant,
) -> Result<(), CliError> {
    let Job {
        args,
        scenario,
        out,
        mut claim,
        ..
    } = job;
    sweep::merge(dirs, &out, &super::decorate)?;
    claim.keep();
    let seconds = started.elapsed().as_secs_f64();
    if !args.execution.quiet {
        if scenario.sweep.is_some() {
            say(format!(
                "{}: sweep on {slices} MPI ranks in {seconds:.2} s\n",
                scenario.name
            ))?;
            say(sweep::headline_table(&out)?)?;
        } else {
            say(format!(
                "{}: {} agents, {} replicates × {} ticks on {slices} MPI ranks in {seconds:.2} s\n",
                scenario.name, scenario.population.size, scenario.replicates, scenario.ticks
            ))?;
        }
    }
    say(format!("results in {}\n", out.display()))
}

/// A rank other than 0: waits for the verdict, runs its slice (if it has one) and
/// sends rank 0 its folder or its failure.
fn worker(args: &RunArgs, world: &dyn Transport) -> Result<(), CliError> {
    let verdict = wire::decode(&world.broadcast(Vec::new()));
    let (bytes, slices) = match verdict {
        Ok(Message::Go { scenario, slices }) => (scenario, slices),
        Ok(Message::Failed { code, .. }) => return Err(SpreadError::Reported { code }.into()),
        _ => world.abort(super::EXIT_FAILURE),
    };
    let Some(slice) = slice_of(world.rank(), world.size(), slices) else {
        return Ok(());
    };
    let ran = temporary().map_err(CliError::from).and_then(|temporary| {
        let dir = run_slice(args, &bytes, slice, temporary.path(), true)?;
        Ok(wire::pack(&dir).map_err(SpreadError::from)?)
    });
    let (reply, result) = match ran {
        Ok(files) => (Message::Folder(files), Ok(())),
        Err(e) => {
            let (message, code) = super::message_and_code(&e);
            let reply = Message::Failed { code, message };
            (reply, Err(SpreadError::Reported { code }.into()))
        }
    };
    world.send_to_root(&wire::encode(&reply));
    result
}

/// Rank 0 tells the others that the run was refused, before any of them works.
fn announce(world: &dyn Transport, e: &CliError) {
    let (message, code) = super::message_and_code(e);
    world.broadcast(wire::encode(&Message::Failed { code, message }));
}

/// A private temporary folder for this rank's slices, removed when dropped.
fn temporary() -> Result<Temporary, SpreadError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    /// Folders made by this process so far (tests run several ranks in one).
    static MADE: AtomicUsize = AtomicUsize::new(0);
    let n = MADE.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("murmur-mpi-{}-{n}", std::process::id()));
    std::fs::create_dir(&path).map_err(|source| SpreadError::Temporary { source })?;
    Ok(Temporary(path))
}

/// A folder of this process's own making under the system's temporary folder,
/// removed with everything in it when dropped.
struct Temporary(PathBuf);

impl Temporary {
    /// The folder.
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs slice `k` of `n` of the run `args` asks for, of the scenario `bytes`, into
/// `temporary/slice-k`, quietly (rank 0 keeps its progress bar unless `--quiet`);
/// returns the folder.
fn run_slice(
    args: &RunArgs,
    bytes: &[u8],
    (k, n): (usize, usize),
    temporary: &Path,
    worker: bool,
) -> Result<PathBuf, CliError> {
    let out = temporary.join(format!("slice-{k}"));
    let slice = RunArgs {
        scenario: args.scenario.clone(),
        out: Some(out.clone()),
        execution: Execution {
            quiet: args.execution.quiet || worker,
            ..args.execution.clone()
        },
        agents: args.agents,
        resume: false,
        shard: Some(format!("{k}/{n}")),
    };
    let was = SILENT.with(|s| s.replace(true));
    let result = prepare(&slice, bytes).and_then(execute);
    SILENT.with(|s| s.set(was));
    result.map(|()| out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::mpsc::{Receiver, Sender, channel};

    #[test]
    fn ranks_beyond_the_units_stay_idle() {
        assert_eq!(slice_of(0, 1, 10), Some((1, 1)));
        assert_eq!(slice_of(2, 4, 10), Some((3, 4)));
        assert_eq!(slice_of(1, 4, 2), Some((2, 2)));
        assert_eq!(slice_of(2, 4, 2), None);
        assert_eq!(slice_of(3, 4, 2), None);
    }

    /// Ranks as threads of one process: a channel for each pair of ranks.
    struct Threads {
        rank: usize,
        size: usize,
        /// `to[r]` sends to rank r.
        to: Vec<Sender<Vec<u8>>>,
        /// `from[r]` receives what rank r sent here.
        from: Vec<Mutex<Receiver<Vec<u8>>>>,
        /// Shared by all the ranks.
        barrier: std::sync::Arc<std::sync::Barrier>,
    }

    /// `size` connected ranks.
    fn threads(size: usize) -> Vec<Threads> {
        let mut senders: Vec<Vec<Sender<Vec<u8>>>> = vec![Vec::new(); size];
        let mut receivers: Vec<Vec<Mutex<Receiver<Vec<u8>>>>> =
            (0..size).map(|_| Vec::new()).collect();
        for sender in senders.iter_mut() {
            for to in receivers.iter_mut() {
                let (s, r) = channel();
                sender.push(s);
                to.push(Mutex::new(r));
            }
        }
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(size));
        senders
            .into_iter()
            .zip(receivers)
            .enumerate()
            .map(|(rank, (to, from))| Threads {
                rank,
                size,
                to,
                from,
                barrier: barrier.clone(),
            })
            .collect()
    }

    impl Transport for Threads {
        fn rank(&self) -> usize {
            self.rank
        }
        fn size(&self) -> usize {
            self.size
        }
        fn broadcast(&self, bytes: Vec<u8>) -> Vec<u8> {
            if self.rank == 0 {
                for to in &self.to[1..] {
                    to.send(bytes.clone()).unwrap();
                }
                bytes
            } else {
                self.receive_from(0)
            }
        }
        fn send_to_root(&self, bytes: &[u8]) {
            self.to[0].send(bytes.to_vec()).unwrap();
        }
        fn receive_from(&self, rank: usize) -> Vec<u8> {
            self.from[rank].lock().unwrap().recv().unwrap()
        }
        fn barrier(&self) {
            self.barrier.wait();
        }
        fn abort(&self, code: u8) -> ! {
            panic!("rank {} aborted with {code}", self.rank)
        }
    }

    /// `murmur run` with `extra` options, as each of `ranks` ranks runs it; the exit
    /// code of each (0 for success) and rank 0's message.
    fn spread(ranks: usize, extra: &[&str]) -> (Vec<u8>, String) {
        let results: Vec<Result<(), CliError>> = std::thread::scope(|s| {
            let handles: Vec<_> = threads(ranks)
                .into_iter()
                .map(|world| {
                    s.spawn(move || {
                        let cli = super::super::Cli::try_parse_from(
                            ["murmur", "run", "-q"].iter().chain(extra),
                        )
                        .unwrap();
                        let super::super::Command::Run(args) = cli.command else {
                            unreachable!()
                        };
                        SILENT.with(|q| q.set(true));
                        run(&args, &world)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let codes = results
            .iter()
            .map(|r| {
                r.as_ref()
                    .map_or_else(|e| super::super::message_and_code(e).1, |()| 0)
            })
            .collect();
        let message = results[0]
            .as_ref()
            .err()
            .map(|e| super::super::message_and_code(e).0)
            .unwrap_or_default();
        (codes, message)
    }

    use clap::Parser;

    /// Every file under `dir` but the two that quote the wall time, by relative path.
    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        wire::pack(dir)
            .unwrap()
            .into_iter()
            .filter(|(n, _)| !n.ends_with("manifest.json") && !n.ends_with("report.html"))
            .collect()
    }

    const PLAIN: &str = "name = \"spread\"\nticks = 40\nseed = 3\nreplicates = 5\n\n\
        [population]\nsize = 300\n\n[network]\nkind = \"erdos_renyi\"\nmean_degree = 4.0\n\n\
        [model]\nkind = \"bass\"\np = 0.01\nq = 0.3\n";

    #[test]
    fn a_run_spread_over_three_ranks_is_the_plain_run_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("s.toml");
        std::fs::write(&scenario, PLAIN).unwrap();
        let (s, whole, spread_out) = (
            scenario.to_str().unwrap(),
            dir.path().join("whole"),
            dir.path().join("spread"),
        );
        let (codes, _) = spread(1, &[s, "--out", whole.to_str().unwrap()]);
        assert_eq!(codes, [0]);
        let (codes, message) = spread(3, &[s, "--out", spread_out.to_str().unwrap()]);
        assert_eq!(codes, [0, 0, 0], "{message}");
        let (a, b) = (files(&whole), files(&spread_out));
        let names: Vec<&str> = a.iter().map(|f| f.0.as_str()).collect();
        for name in [
            "summary.csv",
            "timeseries.csv",
            "adoption.png",
            "adoption.svg",
        ] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert_eq!(
            a.iter().map(|f| &f.0).collect::<Vec<_>>(),
            b.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for ((name, x), (_, y)) in a.iter().zip(&b) {
            assert!(x == y, "{name} differs");
        }
        // Six ranks for five replicates: the sixth idles, and the result is the same.
        let six = dir.path().join("six");
        let (codes, message) = spread(6, &[s, "--out", six.to_str().unwrap()]);
        assert_eq!(codes, [0; 6], "{message}");
        assert!(files(&six) == a);
    }

    #[test]
    fn a_sweep_spread_over_two_ranks_is_the_plain_sweep_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("s.toml");
        let sweep = format!(
            "{PLAIN}\n[sweep]\nkind = \"grid\"\n\n[sweep.parameters]\n\"model.q\" = [0.1, 0.2, 0.4]\n"
        );
        std::fs::write(&scenario, sweep).unwrap();
        let s = scenario.to_str().unwrap();
        let (whole, spread_out) = (dir.path().join("whole"), dir.path().join("spread"));
        assert_eq!(spread(1, &[s, "--out", whole.to_str().unwrap()]).0, [0]);
        let (codes, message) = spread(2, &[s, "--out", spread_out.to_str().unwrap()]);
        assert_eq!(codes, [0, 0], "{message}");
        let a = files(&whole);
        assert!(a.iter().any(|(n, _)| n.starts_with("points/")));
        assert!(a == files(&spread_out));
    }

    #[test]
    fn a_bad_scenario_stops_every_rank_with_exit_2_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("s.toml");
        std::fs::write(&scenario, PLAIN.replace("[population]", "[populaton]")).unwrap();
        let out = dir.path().join("out");
        let (codes, message) = spread(
            3,
            &[scenario.to_str().unwrap(), "--out", out.to_str().unwrap()],
        );
        assert_eq!(codes, [2, 2, 2]);
        assert!(message.contains("populaton"), "{message}");
        assert!(!out.exists());
        // --shard under MPI is refused on every rank before anything runs.
        std::fs::write(&scenario, PLAIN).unwrap();
        let s = scenario.to_str().unwrap();
        let (codes, message) = spread(2, &[s, "--out", out.to_str().unwrap(), "--shard", "1/2"]);
        assert_eq!(codes, [2, 2]);
        assert!(
            message.contains("--shard cannot be used under mpirun"),
            "{message}"
        );
        assert!(!out.exists());
    }

    #[test]
    fn no_rank_returns_before_rank_0_has_said_why_the_run_failed() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let told = AtomicBool::new(false);
        let told = &told;
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = threads(3)
                .into_iter()
                .map(|world| {
                    s.spawn(move || {
                        let result = if world.rank() == 0 {
                            // Rank 0 is the slowest to reach the end.
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            Err(SpreadError::Rank {
                                rank: 2,
                                message: "disk full".into(),
                                code: 1,
                            }
                            .into())
                        } else {
                            Err(SpreadError::Reported { code: 1 }.into())
                        };
                        let result = finish(&world, result, |m| {
                            assert_eq!(m, "rank 2: disk full");
                            told.store(true, Ordering::SeqCst);
                        });
                        // Every rank, the quick ones too, returns only after the telling.
                        assert!(told.load(Ordering::SeqCst), "rank {}", world.rank());
                        super::super::message_and_code(&result.unwrap_err())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        // Told once, by rank 0: nothing is left for the caller to print on any rank.
        assert_eq!(results, vec![(String::new(), 1); 3]);
        // A run that succeeded is left alone.
        let ok: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = threads(2)
                .into_iter()
                .map(|w| s.spawn(move || finish(&w, Ok(()), |_| panic!("nothing to tell")).is_ok()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(ok, [true, true]);
    }

    #[test]
    fn a_rank_that_fails_is_named_by_rank_0_with_its_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("s.toml");
        std::fs::write(&scenario, PLAIN).unwrap();
        let bytes = std::fs::read(&scenario).unwrap();
        let out = dir.path().join("out");
        // Rank 1 reports a failure instead of its folder: rank 0 claims, runs its slice,
        // receives, and refuses to merge, leaving no folder.
        let worlds = threads(2);
        let (root_world, other) = {
            let mut w = worlds.into_iter();
            (w.next().unwrap(), w.next().unwrap())
        };
        let args = match super::super::Cli::try_parse_from([
            "murmur",
            "run",
            "-q",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .unwrap()
        .command
        {
            super::super::Command::Run(a) => a,
            _ => unreachable!(),
        };
        let result = std::thread::scope(|s| {
            s.spawn(move || {
                let go = wire::decode(&other.broadcast(Vec::new())).unwrap();
                assert_eq!(
                    go,
                    Message::Go {
                        scenario: bytes,
                        slices: 2
                    }
                );
                other.send_to_root(&wire::encode(&Message::Failed {
                    code: 1,
                    message: "disk full".into(),
                }));
            });
            SILENT.with(|q| q.set(true));
            run(&args, &root_world)
        });
        let (message, code) = super::super::message_and_code(&result.unwrap_err());
        assert_eq!((message.as_str(), code), ("rank 1: disk full", 1));
        assert!(!out.exists());
    }
}
