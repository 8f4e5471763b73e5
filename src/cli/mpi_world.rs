//! Whether this process is one rank of an MPI job, and the MPI [`World`] that carries a
//! spread run's messages ([`super::spread`]). MPI is joined only in a build with the
//! `mpi` feature (rsmpi over the system's MPI library) and only when a launcher
//! (`mpirun`, `srun`) says the job has several processes; otherwise nothing changes.
//! Without the feature, a launch of several processes that would each run the whole
//! scenario into the same folder is refused.

use super::{CliError, RunArgs};

/// The number of processes a launcher started this one among, from its environment
/// (`lookup` reads a variable): Open MPI's `OMPI_COMM_WORLD_SIZE`, or the
/// `PMI_SIZE` of MPICH, Intel MPI and Slurm's `srun`. `None` outside such a launch.
pub fn launched_ranks(lookup: impl Fn(&str) -> Option<String>) -> Option<usize> {
    ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"]
        .iter()
        .find_map(|name| lookup(name)?.trim().parse().ok())
}

/// The ranks of this MPI job when `murmur run` should spread over them: a build with
/// the `mpi` feature, launched with more than one process. `None` for a plain run.
#[cfg(feature = "mpi")]
pub fn join(_args: &RunArgs) -> Result<Option<World>, CliError> {
    use ::mpi::traits::Communicator;
    if launched_ranks(|n| std::env::var(n).ok()).is_none() {
        return Ok(None);
    }
    let Some(universe) = ::mpi::initialize() else {
        return Ok(None);
    };
    let world = universe.world();
    if world.size() <= 1 {
        return Ok(None);
    }
    Ok(Some(World { world, universe }))
}

/// Without the `mpi` feature there is no joining: a run launched as several processes
/// (without `--shard`, which gives each its own slice) is refused, since each would
/// run the whole scenario into the same folder.
#[cfg(not(feature = "mpi"))]
pub fn join(args: &RunArgs) -> Result<Option<World>, CliError> {
    match launched_ranks(|n| std::env::var(n).ok()) {
        Some(ranks) if ranks > 1 && args.shard.is_none() => {
            Err(super::spread::SpreadError::Refused {
                option: "a murmur built without the mpi feature",
                ranks,
                why: "each process would run the whole scenario into the same folder; build \
                  with `cargo build --release --features mpi`, or give each process its \
                  own --shard K/N",
            }
            .into())
        }
        _ => Ok(None),
    }
}

/// An MPI job's world communicator; MPI is finalised when it is dropped.
#[cfg(feature = "mpi")]
pub struct World {
    world: ::mpi::topology::SimpleCommunicator,
    /// Dropped last: finalises MPI.
    #[allow(dead_code)]
    universe: ::mpi::environment::Universe,
}

/// No MPI job can be joined without the `mpi` feature.
#[cfg(not(feature = "mpi"))]
pub enum World {}

#[cfg(not(feature = "mpi"))]
impl super::spread::Transport for World {
    fn rank(&self) -> usize {
        match *self {}
    }
    fn size(&self) -> usize {
        match *self {}
    }
    fn broadcast(&self, _: Vec<u8>) -> Vec<u8> {
        match *self {}
    }
    fn send_to_root(&self, _: &[u8]) {
        match *self {}
    }
    fn receive_from(&self, _: usize) -> Vec<u8> {
        match *self {}
    }
    fn barrier(&self) {
        match *self {}
    }
    fn abort(&self, _: u8) -> ! {
        match *self {}
    }
}

/// The largest piece of a message sent at once: MPI counts elements in a C `int`.
#[cfg(feature = "mpi")]
const CHUNK: usize = 1 << 30;

#[cfg(feature = "mpi")]
impl super::spread::Transport for World {
    fn rank(&self) -> usize {
        use ::mpi::traits::Communicator;
        self.world.rank() as usize
    }

    fn size(&self) -> usize {
        use ::mpi::traits::Communicator;
        self.world.size() as usize
    }

    fn broadcast(&self, bytes: Vec<u8>) -> Vec<u8> {
        use ::mpi::traits::{Communicator, Root};
        let root = self.world.process_at_rank(0);
        let mut len = bytes.len() as u64;
        root.broadcast_into(&mut len);
        let mut buffer = if self.world.rank() == 0 {
            bytes
        } else {
            vec![0; len as usize]
        };
        for chunk in buffer.chunks_mut(CHUNK) {
            root.broadcast_into(chunk);
        }
        buffer
    }

    fn send_to_root(&self, bytes: &[u8]) {
        use ::mpi::traits::{Communicator, Destination};
        let root = self.world.process_at_rank(0);
        root.send(&(bytes.len() as u64));
        for chunk in bytes.chunks(CHUNK) {
            root.send(chunk);
        }
    }

    fn receive_from(&self, rank: usize) -> Vec<u8> {
        use ::mpi::traits::{Communicator, Source};
        let from = self.world.process_at_rank(rank as i32);
        let (len, _) = from.receive::<u64>();
        let mut buffer = vec![0; len as usize];
        for chunk in buffer.chunks_mut(CHUNK) {
            from.receive_into(chunk);
        }
        buffer
    }

    fn barrier(&self) {
        use ::mpi::traits::CommunicatorCollectives;
        self.world.barrier();
    }

    fn abort(&self, code: u8) -> ! {
        use ::mpi::traits::Communicator;
        self.world.abort(i32::from(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_mpi_and_pmi_launches_are_recognised_and_plain_runs_are_not() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(launched_ranks(env(&[])), None);
        assert_eq!(
            launched_ranks(env(&[("OMPI_COMM_WORLD_SIZE", "4")])),
            Some(4)
        );
        assert_eq!(launched_ranks(env(&[("PMI_SIZE", "2")])), Some(2));
        assert_eq!(launched_ranks(env(&[("PMI_SIZE", "many")])), None);
        assert_eq!(launched_ranks(env(&[("SLURM_NTASKS", "8")])), None);
    }
}
