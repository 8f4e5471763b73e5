//! Renumbered agents (`network.order`, docs/MODEL.md §4.4 "Stochasticity"): the
//! marketing model keeps every random stream, tie-break and per-agent output keyed
//! by the number each agent had before the network was renumbered for cache
//! locality ([`crate::network::Network::first_numbers`]), so a renumbered run gives the
//! same results, bit for bit, as the run it renumbers.

/// When `network` was renumbered, the position in its incoming adjacency as built
/// (before the renumbering) of each agent's first in-arc, by the agent's present
/// number; `None` otherwise. A renumbering keeps each row's order, so arc k of agent
/// v's row was at `keys[v] + k`: word of mouth keys its contact draws by that.
pub(super) fn arc_keys(network: &crate::network::Network) -> Option<Vec<u64>> {
    let r = network.renumbered.as_ref()?;
    let incoming = network.incoming();
    let mut start = vec![0u64; r.rank.len()];
    let mut at = 0u64;
    for (first, &now) in r.rank.iter().enumerate() {
        start[first] = at;
        at += u64::from(incoming.degree(now));
    }
    Some(
        r.original
            .iter()
            .map(|&first| start[first as usize])
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::Marketing;
    use crate::metrics::Series;
    use crate::network::{Network, Order, renumber};
    use crate::rng::{Purpose, StreamKey};
    use crate::scenario::{ModelSpec, Scenario};

    /// A random permutation of 0..n (`order[new] = old`), a harsher renumbering than
    /// the locality orders: no agent keeps its neighbours' numbers near its own.
    fn shuffled(n: usize, seed: u64) -> Vec<u32> {
        let mut rng = StreamKey::new(seed, 0, 0, Purpose::Traits).agent(0);
        let mut order: Vec<u32> = (0..n as u32).collect();
        for i in (1..n).rev() {
            let j = (rng.unit() * (i + 1) as f64) as usize;
            order.swap(i, j.min(i));
        }
        order
    }

    /// Everything a replicate outputs, with each number as its bits (some are NaN by
    /// definition) and per-agent rows in the order they are written.
    fn outputs(network: &Network, scenario: &Scenario, ticks: u32) -> Vec<String> {
        let ModelSpec::Marketing(spec) = &scenario.model else {
            unreachable!("a marketing scenario")
        };
        let mut m = Marketing::new(network, spec, scenario.seed, 1);
        for t in 1..=ticks {
            m.step(t);
        }
        let series: Series = m.finish(true, true, None);
        let mut out: Vec<String> = series
            .columns
            .iter()
            .map(|c| {
                format!(
                    "{} {:?}",
                    c.name,
                    c.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                )
            })
            .collect();
        out.extend(
            series
                .figures
                .iter()
                .map(|(k, v)| format!("{k} {}", v.to_bits())),
        );
        out.extend(
            series
                .agents
                .iter()
                .flat_map(|t| t.rows.iter().map(|r| r.join(","))),
        );
        out.extend(
            series
                .outcomes
                .iter()
                .map(|o| format!("{} {} {}", o.adopted, o.clv.to_bits(), o.rival)),
        );
        out.push(format!("cohorts {:?}", series.cohorts));
        out
    }

    /// Every shipped marketing scenario, at 10,000 agents (three chunks of work; an
    /// edge list at its own size) for 150 ticks, outputs the same ticks, figures, agents.csv rows, outcomes
    /// and cohorts, bit for bit, on its network as built, renumbered breadth-first
    /// and renumbered at random.
    #[test]
    fn a_renumbered_network_gives_the_same_results() {
        let mut files: Vec<_> = std::fs::read_dir("scenarios")
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut checked = 0;
        for file in &files {
            let mut scenario = Scenario::from_file(file).unwrap();
            if !matches!(scenario.model, ModelSpec::Marketing(_)) {
                continue;
            }
            if scenario.population.size > 0 {
                scenario.population.size = 10_000;
            }
            let n = scenario.population.size;
            let network = Network::build(&scenario.network.spec, n, scenario.seed).unwrap();
            let want = outputs(&network, &scenario, 150);
            let n = network.nodes();
            assert!(n >= 1000, "{}: {n} agents", file.display());
            for (name, order) in [
                ("bfs", Order::Bfs.of(&network.out)),
                ("shuffled", shuffled(n, 7)),
            ] {
                let renumbered = renumber(&network, &order);
                let got = outputs(&renumbered, &scenario, 150);
                assert_eq!(want.len(), got.len(), "{}: {name}", file.display());
                for (w, g) in want.iter().zip(&got) {
                    assert_eq!(w, g, "{} renumbered {name}", file.display());
                }
            }
            checked += 1;
        }
        assert!(checked >= 20, "{checked} marketing scenarios");
    }
}
