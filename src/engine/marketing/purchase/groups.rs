//! Purchase's agents sorted by the rule that applies to them (docs/MODEL.md §4.3):
//! customers, competitors' customers, prospects who know a competitor and prospects
//! who know none, and after the rules, those who may forget the brand. Each is one
//! bit per agent, found eight agents at a time without a branch ([`by_eight`]), so
//! that `purchase.rs` walks each group by a loop of its own.

use crate::engine::marketing::CHUNK;
use crate::engine::marketing::bits::{by_eight, equal, gather, with, zero_bytes};
use crate::population::{CustomersChunk, flag, status};

/// A chunk's agents sorted by the rule that applies to them this tick: one bit per
/// agent in each group's words, each walked by `Purchasing::chunk`.
pub(super) struct Groups {
    pub customers: [u64; CHUNK / 64],
    pub rivals: [u64; CHUNK / 64],
    /// Prospects in the category who know a competitor.
    pub knowing: [u64; CHUNK / 64],
    /// Prospects in the category who know no competitor but are aware of the brand or
    /// were converted; the others in the category have nothing to choose.
    pub unknowing: [u64; CHUNK / 64],
}

impl Groups {
    /// Sorts the agents of chunk `c` without a branch, eight at a time ([`eight`]).
    pub(super) fn of(c: &CustomersChunk) -> Self {
        let [customers, rivals, knowing, unknowing] =
            by_eight([c.status, c.flags, c.known], |[s, f, k]| eight(s, f, k));
        Groups {
            customers,
            rivals,
            knowing,
            unknowing,
        }
    }
}

/// For eight agents, their statuses, flags and known competitors one per byte (agent
/// k in byte k): the bits, agent k in bit k, of the customers, the competitors'
/// customers, and the prospects in the category (neither, with
/// [`flag::IN_MARKET`]) who know a competitor and who know none but are aware or
/// converted.
#[inline]
fn eight(statuses: u64, flags: u64, known: u64) -> [u8; 4] {
    let customers = equal(statuses, status::CUSTOMER);
    let rivals = equal(statuses, status::RIVAL);
    let prospects = with(flags, flag::IN_MARKET) & !customers & !rivals;
    let knows_none = gather(zero_bytes(known));
    let may_choose = with(flags, flag::AWARE) | with(flags, flag::CONVERTED);
    [
        customers,
        rivals,
        prospects & !knows_none,
        prospects & knows_none & may_choose,
    ]
}

/// For eight agents as in [`eight`], after their rules: the bits of those who may
/// forget the brand (aware of it, not customers, not reached this tick).
#[inline]
pub(super) fn forgetful(statuses: u64, flags: u64) -> [u8; 1] {
    [with(flags, flag::AWARE) & !with(flags, flag::TOUCHED) & !equal(statuses, status::CUSTOMER)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_agents_are_sorted_as_one_at_a_time() {
        use crate::rng::{Purpose, StreamKey};
        let key = StreamKey::new(5, 0, 0, Purpose::Traits);
        let one = |s: u8, f: u8, k: u8| {
            let customer = s == status::CUSTOMER;
            let rival = s == status::RIVAL;
            let prospect = !customer && !rival && f & flag::IN_MARKET != 0;
            let may_choose = f & (flag::AWARE | flag::CONVERTED) != 0;
            [
                customer,
                rival,
                prospect && k != 0,
                prospect && k == 0 && may_choose,
            ]
        };
        for case in 0..20_000u64 {
            let mut rng = key.agent(case);
            // Statuses mostly among the real ones, sometimes any byte; flags any byte.
            let status: [u8; 8] = std::array::from_fn(|_| {
                let b = rng.bits() as u8;
                if b & 0x80 == 0 { b % 4 } else { b }
            });
            let flags: [u8; 8] = std::array::from_fn(|_| rng.bits() as u8);
            // Known competitors: none half the time, else any byte.
            let known: [u8; 8] = std::array::from_fn(|_| {
                let b = rng.bits();
                if b & 1 == 0 { 0 } else { (b >> 8) as u8 }
            });
            let lanes = u64::from_le_bytes;
            let got = eight(lanes(status), lanes(flags), lanes(known));
            let [may_forget] = forgetful(lanes(status), lanes(flags));
            for k in 0..8 {
                let (s, f) = (status[k], flags[k]);
                let forgets = f & flag::AWARE != 0 && f & flag::TOUCHED == 0;
                assert_eq!(may_forget >> k & 1 == 1, forgets && s != status::CUSTOMER);
                let want = one(status[k], flags[k], known[k]);
                for g in 0..4 {
                    assert_eq!(
                        got[g] >> k & 1 == 1,
                        want[g],
                        "{status:?} {flags:?} lane {k} group {g}"
                    );
                }
            }
        }
    }
}
