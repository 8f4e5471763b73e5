//! Counterfactual attribution of a marketing scenario to its channels, printed as a
//! table: `cargo run --release --example attribute -- scenarios/community.toml`.
//! (The `murmur attribute` command with attribution.csv and a plot is not built yet;
//! this example calls the library's `attribution::attribute`.)

use murmur::attribution;
use murmur::experiment::RunOptions;
use murmur::scenario::Scenario;
use std::path::PathBuf;

fn main() {
    let Some(file) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: attribute SCENARIO.toml");
        std::process::exit(2);
    };
    let scenario = match Scenario::from_file(&file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let options = RunOptions {
        quiet: true,
        ..RunOptions::default()
    };
    let a = match attribution::attribute(&scenario, &file, &options) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let show = |i: &murmur::metrics::Interval| match i.bounds {
        Some((l, h)) => format!("{:.0} [{:.0}, {:.0}]", i.mean, l, h),
        None => format!("{:.0}", i.mean),
    };
    println!(
        "{:<16} {:>26} {:>34} {:>14} {:>12}",
        "channel", "shapley customers", "shapley profit", "leave-one-out", "last touch"
    );
    for c in &a.channels {
        println!(
            "{:<16} {:>26} {:>34} {:>14.0} {:>12.0}",
            c.channel.name(),
            show(&c.shapley_customers),
            show(&c.shapley_profit),
            c.leave_one_out_customers.mean,
            c.last_touch_customers.mean
        );
    }
    println!(
        "{:<16} {:>26} {:>34}",
        "total",
        show(&a.total_customers),
        show(&a.total_profit)
    );
}
