//! Event ties (`src/engine/marketing/event_ties.rs`): an event's attendees become weak
//! ties of each other, heard in word of mouth though the network does not link them.

use crate::{
    community_strategy, idle_community, quiet_market, read_csv, run_text, scaled_shipped, spec,
};
use murmur::engine::Marketing;
use murmur::network::{Csr, Network};
use murmur::scenario::marketing::{Community, Events, MarketingSpec};

/// Agents of the set-up: all members, the even ones customers who talk.
const N: u32 = 400;

/// A community of `N` members on a network without a single tie, with one event
/// (every member gets a seat) at tick 10 of kind `physical`, and `max_ties` slots.
fn gathering(physical: bool, max_ties: u32) -> MarketingSpec {
    let mut community = Community {
        events: Events {
            interval: 10,
            capacity: 10 * N,
            cost: 0.0,
            physical,
            max_ties,
            ..Events::default()
        },
        ..idle_community()
    };
    community.advocates.count = 0;
    let mut market = quiet_market();
    market.word_of_mouth.talk_rate = 0.2;
    MarketingSpec {
        market,
        ..spec(community_strategy(community))
    }
}

/// Per-tick sums over ticks 1–9 and 11–19 of `column`, the ties made at tick 10
/// (the event) and the mean affiliation after it.
struct Run {
    before: f64,
    after: f64,
    ties: f64,
    affiliation: f64,
}

fn run(spec: &MarketingSpec, column: &str) -> Run {
    let net = Network::undirected(Csr::undirected(N as usize, &[]));
    let mut m = Marketing::new(&net, spec, 11, 0);
    m.make_members(&(0..N).collect::<Vec<u32>>());
    m.make_customers(&(0..N).step_by(2).collect::<Vec<u32>>());
    let (mut before, mut after, mut ties, mut affiliation) = (0.0, 0.0, 0.0, 0.0);
    for t in 1..=19 {
        m.step(t);
        let x = m.last(column).unwrap();
        match t {
            1..=9 => before += x,
            10 => {
                ties = m.last("event_ties").unwrap();
                affiliation = m.last("affiliation").unwrap();
            }
            _ => after += x,
        }
    }
    Run {
        before,
        after,
        ties,
        affiliation,
    }
}

#[test]
fn attendees_hear_each_other_after_an_event_though_the_network_does_not_link_them() {
    let with = run(&gathering(true, 8), "referrals");
    assert_eq!(
        with.before, 0.0,
        "no ties before the event: nobody hears anyone"
    );
    assert!(with.ties > 0.0);
    assert!(
        with.after > 10.0,
        "{} referrals over event ties after it",
        with.after
    );
    let without = run(&gathering(true, 0), "positive_messages");
    assert_eq!(
        (without.ties, without.after),
        (0.0, 0.0),
        "without slots the event makes no ties and nobody hears anyone"
    );
}

#[test]
fn physical_events_make_more_ties_and_bond_more_than_online_ones() {
    let online = run(&gathering(false, 8), "positive_messages");
    let physical = run(&gathering(true, 8), "positive_messages");
    // Each of the 400 attendees starts `online_ties` = 1 or `ties` = 3 ties; a draw
    // that lands on an existing tie makes none.
    assert!(
        online.ties > 380.0 && online.ties <= 400.0,
        "{}",
        online.ties
    );
    assert!(
        physical.ties > 1100.0 && physical.ties <= 1200.0,
        "{}",
        physical.ties
    );
    assert!(
        physical.affiliation > online.affiliation + 0.1,
        "affiliation {} online, {} physical",
        online.affiliation,
        physical.affiliation
    );
    assert!(
        physical.after > online.after,
        "messages over event ties {} online, {} physical",
        online.after,
        physical.after
    );
}

#[test]
fn the_physical_events_scenario_makes_ties_on_event_days_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = scaled_shipped("physical_events", 2000, 120, 1);
    let out = run_text(dir.path(), "physical_events", &text);
    let mut total = 0.0;
    for row in read_csv(&out.join("timeseries.csv")) {
        let (tick, ties): (u32, f64) = (
            row["tick"].parse().unwrap(),
            row["event_ties"].parse().unwrap(),
        );
        if tick % 30 != 0 {
            assert_eq!(ties, 0.0, "ties at tick {tick}, not an event day");
        }
        total += ties;
    }
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(summary[0]["event_ties"].parse::<f64>().unwrap(), total);
    assert!(total > 0.0, "the scenario's events make ties");
}
