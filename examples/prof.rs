//! Where a marketing tick's time goes on `scenarios/community.toml` at a chosen size:
//! `cargo build --release --example prof && ./target/release/examples/prof N TICKS`.
//! Runs the scenario without marketing (`base`) and as written (`main`), and prints
//! milliseconds per tick by pass; for `main`, each quarter of the run also shows the
//! agents the passes work on, which the time follows. A developer's tool: timings on a
//! shared machine vary by up to 1.5x between runs, so compare two builds run side by
//! side at one thread each (`RAYON_NUM_THREADS=1`), or count their instructions with
//! cachegrind (README, "Comparing two builds"). `SCEN=FILE` runs another scenario
//! (an edge list at its own size), `ORDER=bfs` renumbers its network first.

use murmur::engine::{Marketing, Pass, PassTimes};
use murmur::scenario::{ModelSpec, Scenario};
use std::path::Path;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let n: usize = a[1].parse().unwrap();
    let ticks: u32 = a[2].parse().unwrap();
    let scen = std::env::var("SCEN").unwrap_or("scenarios/community.toml".into());
    let file = Path::new(&scen);
    let mut s = Scenario::from_file(file).unwrap();
    if s.population.size != 0 {
        s.population.size = n;
    }
    let t0 = std::time::Instant::now();
    let net = murmur::experiment::first_network(&mut s, file).unwrap();
    let net = match std::env::var("ORDER").as_deref() {
        Ok("bfs") => murmur::network::renumber(&net, &murmur::network::Order::Bfs.of(&net.out)),
        _ => net,
    };
    eprintln!("network {:.2}s", t0.elapsed().as_secs_f64());
    let ModelSpec::Marketing(spec) = &s.model else {
        panic!()
    };
    for (label, spec) in [
        ("base", spec.without_marketing()),
        ("main", (**spec).clone()),
    ] {
        let t0 = std::time::Instant::now();
        let mut m = Marketing::new(&net, &spec, s.seed, 0);
        let init = t0.elapsed().as_secs_f64();
        let mut times = PassTimes::default();
        let t1 = std::time::Instant::now();
        let window = (ticks / 4).max(1);
        let mut before = times.seconds;
        for t in 1..=ticks {
            m.step_timed(t, &mut times);
            if label == "main" && t % window == 0 {
                let ms = by_pass(|i| (times.seconds[i] - before[i]) / window as f64);
                // The agents each pass works on: deciding prospects (in the market),
                // customers of the brand and of competitors, members, messages.
                let work: Vec<String> = [
                    "in_market",
                    "customers",
                    "competitor_customers",
                    "members",
                    "positive_messages",
                    "negative_messages",
                ]
                .iter()
                .map(|&c| format!("{c} {}", m.last(c).unwrap_or(f64::NAN)))
                .collect();
                eprintln!("  ticks to {t}: [{}] {}", ms, work.join(", "));
                before = times.seconds;
            }
        }
        let total = t1.elapsed().as_secs_f64();
        let per = by_pass(|i| times.seconds[i] / ticks as f64);
        eprintln!(
            "{label}: init {:.3}s, {:.2} ms/tick [{}] customers {:?}",
            init,
            total * 1e3 / ticks as f64,
            per,
            m.last("customers")
        );
    }
}

/// Each pass's name and milliseconds, from its seconds per tick `seconds_of(pass)`.
fn by_pass(seconds_of: impl Fn(usize) -> f64) -> String {
    let each: Vec<String> = Pass::ALL
        .iter()
        .map(|&p| format!("{} {:.2}", p.name(), seconds_of(p as usize) * 1e3))
        .collect();
    each.join(", ")
}
