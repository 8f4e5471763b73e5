//! Event ties (docs/MODEL.md §4.7.10, passes 6 and 4): the attendees of an event meet
//! and some become weak ties of each other, an overlay of extra edges beside the
//! network, which stays as it is. Word of mouth (`word_of_mouth.rs`) reads the
//! overlay after the network's in-neighbours, at weak-tie strength; nothing else does
//! (neighbour shares, the peer term and recruitment count network ties only). Who
//! attends is decided in `community.rs`, what an event costs in `firm.rs`.
//!
//! Costs: the overlay is allocated only when the strategy holds events that create
//! ties, `max_ties` u32 slots per agent (4·`max_ties` bytes, counted in
//! [`Marketing::bytes_per_agent`]); forming ties after an event is a sequential pass
//! over its attendees, O(attendees·ties·`max_ties`), nothing on other ticks.

use super::Marketing;
use super::draws::{Draw, Draws};
use crate::network::Network;
use crate::population::NEVER;
use crate::scenario::marketing::{Events, MarketingSpec};

/// Weak ties each attendee of an event starts: `ties` at a physical event,
/// `online_ties` at an online one.
#[inline]
pub(super) fn ties_per_attendee(events: &Events) -> u32 {
    if events.physical {
        events.ties
    } else {
        events.online_ties
    }
}

/// Whether a strategy's events can create ties: events scheduled (`interval` > 0),
/// some ties per attendee and at least one slot per agent.
pub(super) fn creates_ties(spec: &MarketingSpec) -> bool {
    spec.strategy.community.as_ref().is_some_and(|cm| {
        cm.events.interval > 0 && ties_per_attendee(&cm.events) > 0 && cm.events.max_ties > 0
    })
}

/// The partner of the attendee at position `k` of the attendee list, from a draw
/// `drawn` uniform in 0..m−1 over the m − 1 others: position `drawn`, skipping `k`.
#[inline]
pub(super) fn partner(k: usize, drawn: usize) -> usize {
    if drawn >= k { drawn + 1 } else { drawn }
}

/// Whether u and v are linked in the network, in either direction: an event tie only
/// adds agents who could not hear each other before. Rows are sorted by first number
/// (a renumbering keeps each row's order), so each is searched by first numbers.
#[inline]
fn linked(network: &Network, u: u32, v: u32) -> bool {
    let incoming = network.incoming();
    let first = |x: &u32| network.original(*x);
    let holds = |row: &[u32], x: u32| row.binary_search_by_key(&first(&x), first).is_ok();
    holds(incoming.neighbours(v), u) || holds(incoming.neighbours(u), v)
}

/// The event-tie overlay: for each agent, up to `max` partners, oldest first, the rest
/// of its slots [`NEVER`]. Invariants: ties are symmetric (u holds v exactly when v
/// holds u), no agent holds itself or a partner twice, and the held slots come before
/// the empty ones.
pub(super) struct EventTies {
    /// Agent v's slots are `slots[v·max..(v + 1)·max]`.
    slots: Vec<u32>,
    /// Slots per agent (`events.max_ties`).
    max: usize,
}

impl EventTies {
    /// An overlay of `n` agents without ties, `max` slots each.
    pub(super) fn new(n: usize, max: usize) -> EventTies {
        EventTies {
            slots: vec![NEVER; n * max],
            max,
        }
    }

    /// Slots per agent.
    #[inline]
    pub(super) fn max(&self) -> usize {
        self.max
    }

    /// Agent v's event ties, oldest first.
    #[inline]
    pub(super) fn of(&self, v: usize) -> &[u32] {
        let row = &self.slots[v * self.max..(v + 1) * self.max];
        let held = row.iter().position(|&u| u == NEVER).unwrap_or(self.max);
        &row[..held]
    }

    /// Whether v holds an event tie to u.
    #[inline]
    fn holds(&self, v: usize, u: u32) -> bool {
        self.of(v).contains(&u)
    }

    /// Removes u from v's ties, keeping the rest in order.
    fn remove(&mut self, v: usize, u: u32) {
        let row = &mut self.slots[v * self.max..(v + 1) * self.max];
        if let Some(k) = row.iter().position(|&w| w == u) {
            row[k..].rotate_left(1);
            row[self.max - 1] = NEVER;
        }
    }

    /// Appends u as v's newest tie; when v's slots are full its oldest tie w is
    /// dropped at both ends first (v from w's ties too), so ties stay symmetric.
    fn append(&mut self, v: usize, u: u32) {
        let held = self.of(v).len();
        let at = if held == self.max {
            let oldest = self.slots[v * self.max];
            self.remove(oldest as usize, v as u32);
            self.remove(v, oldest);
            self.max - 1
        } else {
            held
        };
        self.slots[v * self.max + at] = u;
    }

    /// Ties u and v at both ends, unless they are the same agent or already tied;
    /// whether a tie was made.
    pub(super) fn tie(&mut self, u: u32, v: u32) -> bool {
        if u == v || self.max == 0 || self.holds(u as usize, v) {
            return false;
        }
        self.append(u as usize, v);
        self.append(v as usize, u);
        true
    }

    /// The ties of one event: the attendee at position k of `attendees` (in order of
    /// first numbers) starts `per` ties, each to a partner drawn uniformly among the
    /// other attendees by its own stream (`Draw::EventTie`, keyed by its first number). A draw that lands on a
    /// partner it already holds, or on a network neighbour, makes no tie. Returns the
    /// ties made.
    pub(super) fn form(
        &mut self,
        attendees: &[u32],
        per: u32,
        network: &Network,
        draws: &Draws,
    ) -> u64 {
        let m = attendees.len();
        if m < 2 {
            return 0;
        }
        let mut made = 0;
        for (k, &u) in attendees.iter().enumerate() {
            let mut rng = draws.rng(Draw::EventTie, u as usize);
            for _ in 0..per {
                let v = attendees[partner(k, rng.below(m as u64 - 1) as usize)];
                if !linked(network, u, v) && self.tie(u, v) {
                    made += 1;
                }
            }
        }
        made
    }

    /// Bytes the overlay of a strategy holds per agent: 4·`max_ties` when its events
    /// create ties, else 0.
    pub(super) fn bytes_per_agent(spec: &MarketingSpec) -> usize {
        match &spec.strategy.community {
            Some(cm) if creates_ties(spec) => 4 * cm.events.max_ties as usize,
            _ => 0,
        }
    }
}

impl Marketing<'_> {
    /// After an event (pass 6): ties among its `attendees`, in id order; the ties made.
    pub(super) fn form_event_ties(&mut self, attendees: &[u32], draws: &Draws) -> u64 {
        let (Some(ties), Some(cm)) = (self.event_ties.as_mut(), &self.spec.strategy.community)
        else {
            return 0;
        };
        ties.form(
            attendees,
            ties_per_attendee(&cm.events),
            self.network,
            draws,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tie is held at both ends, once, never to oneself, and within the bound.
    fn assert_consistent(t: &EventTies, n: usize) {
        for v in 0..n {
            let held = t.of(v);
            assert!(held.len() <= t.max());
            for (k, &u) in held.iter().enumerate() {
                assert_ne!(u as usize, v, "{v} tied to itself");
                assert!(t.holds(u as usize, v as u32), "{v}→{u} not symmetric");
                assert!(!held[k + 1..].contains(&u), "{v} holds {u} twice");
            }
        }
    }

    #[test]
    fn a_tie_is_held_at_both_ends_once() {
        let mut t = EventTies::new(4, 3);
        assert!(t.tie(0, 1));
        assert!(!t.tie(1, 0), "already tied");
        assert!(!t.tie(2, 2), "no tie to oneself");
        assert_eq!((t.of(0), t.of(1), t.of(2)), (&[1][..], &[0][..], &[][..]));
        assert_consistent(&t, 4);
    }

    #[test]
    fn a_full_agent_drops_its_oldest_tie_at_both_ends() {
        let mut t = EventTies::new(5, 2);
        assert!(t.tie(0, 1) && t.tie(0, 2));
        assert!(t.tie(0, 3), "a new tie replaces the oldest");
        assert_eq!(t.of(0), &[2, 3]);
        assert_eq!(t.of(1), &[] as &[u32], "the dropped partner lets go too");
        assert_eq!((t.of(2), t.of(3)), (&[0][..], &[0][..]));
        assert!(t.tie(4, 2) && t.tie(4, 3) && t.tie(4, 0));
        assert_eq!(t.of(4), &[3, 0]);
        assert_consistent(&t, 5);
    }

    #[test]
    fn no_slots_make_no_ties() {
        let mut t = EventTies::new(3, 0);
        assert!(!t.tie(0, 1));
        assert!(t.of(0).is_empty());
    }

    #[test]
    fn a_partner_is_any_other_attendee() {
        // Three attendees: position 1 draws from {0, 1} and maps them to 0 and 2.
        assert_eq!((partner(1, 0), partner(1, 1)), (0, 2));
        assert_eq!((partner(0, 0), partner(0, 1)), (1, 2));
        assert_eq!((partner(2, 0), partner(2, 1)), (0, 1));
    }

    #[test]
    fn physical_events_start_their_own_number_of_ties() {
        let online = Events {
            ties: 3,
            online_ties: 1,
            ..Events::default()
        };
        let physical = Events {
            physical: true,
            ..online.clone()
        };
        assert_eq!(
            (ties_per_attendee(&online), ties_per_attendee(&physical)),
            (1, 3)
        );
    }

    #[test]
    fn the_overlay_costs_memory_only_when_events_make_ties() {
        use crate::scenario::marketing::{Community, Market, Strategy};
        let with = |events: Events| MarketingSpec {
            market: Market::default(),
            strategy: Strategy {
                community: Some(Community {
                    events,
                    ..Community::default()
                }),
                ..Strategy::default()
            },
            phases: Vec::new(),
        };
        let defaults = Events::default();
        assert_eq!(EventTies::bytes_per_agent(&with(defaults.clone())), 4 * 8);
        for none in [
            Events {
                interval: 0,
                ..defaults.clone()
            },
            Events {
                online_ties: 0,
                ..defaults.clone()
            },
            Events {
                max_ties: 0,
                ..defaults.clone()
            },
        ] {
            assert_eq!(EventTies::bytes_per_agent(&with(none)), 0);
        }
        let physical = Events {
            physical: true,
            online_ties: 0,
            ..defaults
        };
        assert_eq!(EventTies::bytes_per_agent(&with(physical)), 4 * 8);
        let off = with(Events::default()).without_marketing();
        assert_eq!(
            EventTies::bytes_per_agent(&off),
            0,
            "no community, no overlay"
        );
    }

    #[test]
    fn forming_is_bounded_symmetric_and_repeatable() {
        let network = Network::undirected(crate::network::Csr::undirected(300, &[(0, 2)]));
        let attendees: Vec<u32> = (0..300).step_by(2).collect();
        let draws = Draws::new(5, 0, 30);
        let run = || {
            let mut t = EventTies::new(300, 4);
            let made = t.form(&attendees, 3, &network, &draws);
            (made, t.slots)
        };
        let (made, slots) = run();
        let t = EventTies { slots, max: 4 };
        assert_consistent(&t, 300);
        assert!(made > 400 && made <= 450, "{made}");
        assert!(
            (1..300).step_by(2).all(|v| t.of(v).is_empty()),
            "only attendees"
        );
        assert!(!t.holds(0, 2), "network neighbours get no event tie");
        assert_eq!(run(), (made, t.slots), "the same draws make the same ties");
    }
}
