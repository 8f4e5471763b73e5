//! Census and record (`src/engine/marketing/record.rs`): the columns of every tick
//! conserve agents, adoptions by source and money, and the census matches the agents.

use crate::{community_strategy, count, run_shipped, spec};
use murmur::engine::Marketing;
use murmur::engine::marketing::SOURCE_COLUMNS;
use murmur::network::erdos_renyi;
use murmur::population::{flag, status};
use murmur::scenario::marketing::{Community, SocialMedia};

#[test]
fn every_tick_conserves_agents_sources_and_money() {
    let outcome = run_shipped("hybrid", 2);
    let n = outcome.scenario.population.size as f64;
    for series in &outcome.series {
        let col = |name: &str| {
            series
                .column(name)
                .unwrap_or_else(|| panic!("column {name}"))
        };
        let adopters = series.adopters();
        let mut cumulative_revenue = 0.0;
        let mut cumulative_cost = 0.0;
        #[allow(clippy::needless_range_loop)] // t indexes a dozen columns alike
        for t in 0..series.new_adopters.len() {
            let (customers, churned) = (col("customers")[t], col("churned")[t]);
            let rivals = col("competitor_customers")[t];
            // Everyone who ever adopted is a customer, has churned and buys nothing,
            // or buys from a competitor.
            assert!(customers + churned + rivals <= n, "tick {t}");
            assert!(customers + churned <= adopters[t] as f64, "tick {t}");
            assert!(
                adopters[t] as f64 - customers - churned <= rivals,
                "tick {t}"
            );
            // Customers change only by first adoptions, win-backs and churns.
            if t > 0 {
                let balance =
                    col("customers")[t - 1] + series.new_adopters[t] as f64 + col("won_back")[t]
                        - col("churns")[t];
                assert_eq!(customers, balance, "tick {t}");
            }
            let by_source: f64 = SOURCE_COLUMNS.iter().map(|s| col(s)[t]).sum();
            assert_eq!(by_source, series.new_adopters[t] as f64, "tick {t}");
            for name in [
                "revenue",
                "spend",
                "cumulative_revenue",
                "cumulative_spend",
                "aware",
                "followers",
                "members",
                "quality",
            ] {
                let v = col(name)[t];
                assert!(v.is_finite() && v >= 0.0, "{name} = {v} at tick {t}");
            }
            assert!(col("active_members")[t] <= col("members")[t]);
            assert!(col("members")[t] <= n && col("aware")[t] <= n);
            let sov = col("share_of_voice")[t];
            assert!((0.0..=1.0).contains(&sov));
            cumulative_revenue += col("revenue")[t];
            cumulative_cost += col("spend")[t];
            assert!((col("cumulative_revenue")[t] - cumulative_revenue).abs() < 1e-6);
            assert!((col("cumulative_spend")[t] - cumulative_cost).abs() < 1e-6);
            let profit = cumulative_revenue * 0.5 - cumulative_cost;
            assert!((col("cumulative_profit")[t] - profit).abs() < 1e-6);
        }
        // The hybrid spends at most its budget of 100 a day.
        let days = (series.new_adopters.len() - 1) as f64;
        assert!(cumulative_cost <= 100.0 * days + 1e-6);
        assert!(cumulative_cost > 0.5 * 100.0 * days);
    }
}

#[test]
fn agent_states_partition_the_population_at_every_tick() {
    let net = erdos_renyi(3000, 8.0, 5);
    let mut strategy = community_strategy(Community::default());
    strategy.social_media = Some(SocialMedia::default());
    strategy.social_media_share = Some(0.5);
    strategy.budget = 60.0;
    let spec = spec(strategy);
    let mut m = Marketing::new(&net, &spec, 1, 0);
    for t in 1..=200 {
        m.step(t);
        let a = m.agents();
        let prospects = count(&m, |i| a.status[i] == status::PROSPECT);
        let customers = count(&m, |i| a.status[i] == status::CUSTOMER);
        let churned = count(&m, |i| a.status[i] == status::CHURNED);
        let rivals = count(&m, |i| a.status[i] == status::RIVAL);
        assert_eq!(prospects + customers + churned + rivals, 3000);
        assert_eq!(m.last("customers"), Some(customers as f64));
        assert_eq!(m.last("competitor_customers"), Some(rivals as f64));
        assert_eq!(m.last("churned"), Some(churned as f64));
        // Customers are aware; advocates are customers; only agents in the category
        // buy.
        assert!(
            (0..3000).all(|i| a.status[i] != status::CUSTOMER || a.flags[i] & flag::AWARE != 0)
        );
        assert!(
            (0..3000).all(|i| a.flags[i] & flag::ADVOCATE == 0 || a.status[i] == status::CUSTOMER)
        );
        assert!(
            (0..3000).all(|i| a.status[i] == status::PROSPECT || a.flags[i] & flag::IN_MARKET != 0)
        );
    }
}
