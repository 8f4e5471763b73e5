//! Cohort retention (docs/MODEL.md §4.4 "Observation"): from each agent's first
//! adoption tick (`adopted`) and first churn after it (`lost`) at the horizon T, the
//! share of customers still retained a year after acquisition, and the survival of each
//! monthly acquisition cohort by age. A customer won back after churning still counts
//! as lost from its first churn. `figures` reports the first, the writer the second.

use crate::metrics::Cohort;
use crate::population::NEVER;

/// Ticks in a cohort's month and between the ages of cohorts.csv.
pub const MONTH: u32 = 30;

/// The age, in ticks, at which [`retention_365`] asks whether a customer is retained.
pub const YEAR: u32 = 365;

/// Whether a customer first acquired at `adopted` and first lost at `lost` (or
/// [`NEVER`]) had not churned before age `age`: lost == NEVER or lost − adopted ≥
/// age. A customer lost at exactly age d counts as surviving to d, so every customer
/// survives to age 0.
pub fn survives(adopted: u32, lost: u32, age: u32) -> bool {
    lost == NEVER || lost.saturating_sub(adopted) >= age
}

/// Among customers first acquired at ticks a with a + 365 ≤ `horizon`, the share that
/// [`survives`] to age 365; NaN when there is no such customer.
pub fn retention_365(adopted: &[u32], lost: &[u32], horizon: u32) -> f64 {
    let (mut observed, mut retained) = (0u64, 0u64);
    for (&a, &l) in adopted.iter().zip(lost) {
        if a == NEVER || a.saturating_add(YEAR) > horizon {
            continue;
        }
        observed += 1;
        retained += survives(a, l, YEAR) as u64;
    }
    if observed == 0 {
        f64::NAN
    } else {
        retained as f64 / observed as f64
    }
}

/// The survival S_m(d) of every acquisition cohort: cohort m holds the customers first
/// acquired in ticks [30m, 30m + 30) (tick 0's initial customers are in cohort 0), and
/// for ages d = 0, 30, 60, … up to `horizon` − (30m + 29), the ages at which every
/// member has been observed, counts those who [`survives`] to d. Cohorts too young to
/// be observed at age 0 have no rows. One pass over the agents, then a suffix sum per
/// cohort.
pub fn survival(adopted: &[u32], lost: &[u32], horizon: u32) -> Vec<Cohort> {
    let months = (horizon / MONTH + 1) as usize;
    // Ages observed for cohort m: 0..=last_age(m) in steps of MONTH.
    let steps = |m: u32| -> Option<u32> {
        let youngest = m * MONTH + MONTH - 1;
        horizon.checked_sub(youngest).map(|span| span / MONTH + 1)
    };
    // counts[m][k]: members of cohort m whose survival ends in [30k, 30k + 30) ticks,
    // the last bin holding every longer one (and those never lost).
    let mut counts: Vec<Vec<u64>> = (0..months as u32)
        .map(|m| vec![0; steps(m).unwrap_or(0) as usize])
        .collect();
    for (&a, &l) in adopted.iter().zip(lost) {
        if a == NEVER || a > horizon {
            continue;
        }
        let bins = &mut counts[(a / MONTH) as usize];
        if bins.is_empty() {
            continue;
        }
        let last = bins.len() - 1;
        let k = if l == NEVER {
            last
        } else {
            ((l.saturating_sub(a) / MONTH) as usize).min(last)
        };
        bins[k] += 1;
    }
    let mut rows = Vec::new();
    for (m, bins) in counts.iter().enumerate() {
        let size: u64 = bins.iter().sum();
        let mut surviving = size;
        for (k, &ended) in bins.iter().enumerate() {
            rows.push(Cohort {
                cohort: m as u32,
                age: k as u32 * MONTH,
                size,
                surviving,
            });
            surviving -= ended;
        }
    }
    rows
}

/// The number of rows [`survival`] returns for `horizon`, whatever the agents: with
/// K = ⌊(T − 29)/30⌋ + 1 cohorts old enough for a row (none when T < 29), cohort m has
/// K − m ages, K(K + 1)/2 in all. It grows with the square of the horizon, so memory
/// and disk estimates count it.
pub fn rows(horizon: u32) -> u128 {
    let Some(span) = horizon.checked_sub(MONTH - 1) else {
        return 0;
    };
    let k = u128::from(span / MONTH) + 1;
    k * (k + 1) / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_lost_at_exactly_an_age_survives_to_it() {
        assert!(survives(10, NEVER, 1000));
        assert!(survives(10, 40, 30));
        assert!(!survives(10, 39, 30));
        assert!(survives(10, 11, 0));
    }

    #[test]
    fn retention_365_counts_only_customers_observed_for_a_year() {
        // Horizon 400: acquired at 0, 20, 35 (observed a year) and 36, 300 (not).
        let adopted = [0, 20, 35, 36, 300, NEVER];
        let lost = [NEVER, 200, 400, 37, 301, NEVER];
        // Retained: tick 0 (never lost) and tick 35 (lost at age 365); tick 20 lost
        // at age 180.
        assert_eq!(retention_365(&adopted, &lost, 400), 2.0 / 3.0);
        assert!(retention_365(&adopted, &lost, 364).is_nan());
        assert!(retention_365(&[NEVER], &[NEVER], 1000).is_nan());
    }

    #[test]
    fn cohorts_survive_by_age_up_to_what_every_member_has_lived() {
        // Horizon 95. Cohort 0 (ticks 0–29): ages 0, 30, 60 (95 − 29 = 66).
        // Cohort 1 (30–59): ages 0, 30 (95 − 59 = 36). Cohort 2 (60–89): age 0 only.
        // Cohort 3 (90–119) is too young for any row.
        let adopted = [0, 5, 29, 30, 59, 60, 90, NEVER];
        let lost = [NEVER, 35, 60, 45, NEVER, 61, NEVER, NEVER];
        let rows = survival(&adopted, &lost, 95);
        let got: Vec<(u32, u32, u64, u64)> = rows
            .iter()
            .map(|c| (c.cohort, c.age, c.size, c.surviving))
            .collect();
        assert_eq!(
            got,
            vec![
                // 5 lost at age 30 (survives to 30, not 60); 29 lost at age 31.
                (0, 0, 3, 3),
                (0, 30, 3, 3),
                (0, 60, 3, 1),
                // 30 lost at age 15.
                (1, 0, 2, 2),
                (1, 30, 2, 1),
                (2, 0, 1, 1),
            ]
        );
        assert_eq!(rows[2].share(), 1.0 / 3.0);
    }

    #[test]
    fn the_row_count_is_what_survival_returns() {
        for horizon in [0, 28, 29, 58, 59, 95, 365, 730, 1000] {
            let got = survival(&[], &[], horizon).len() as u128;
            assert_eq!(rows(horizon), got, "horizon {horizon}");
        }
    }

    #[test]
    fn an_empty_cohort_has_rows_without_a_share() {
        let rows = survival(&[NEVER], &[NEVER], 29);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].size, rows[0].surviving), (0, 0));
        assert!(rows[0].share().is_nan());
        assert!(survival(&[], &[], 28).is_empty());
    }
}
