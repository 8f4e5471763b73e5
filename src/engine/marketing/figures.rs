//! What a finished replicate hands over (docs/MODEL.md §4.4 "Observation"): its
//! per-tick columns (from `record.rs`), its per-replicate figures for summary.csv
//! (the `incremental_*` ones against its [`Baseline`]), its cohort survival (from
//! `cohorts.rs`), and on request the final per-agent table for agents.csv.

use super::record::{FIELDS, TickRecord, nps_score, roi};
use super::social_dollars::{self, Spending};
use super::{Marketing, cohorts, diagnosis, neighbour_share, purchase, value};
use crate::metrics::{AgentTable, Column, Outcome, Series};
use crate::network::FirstNumbers;
use crate::population::{NEVER, Source, flag, membership, status};
use std::sync::atomic::Ordering::Relaxed;

/// Columns of the agents.csv table (`--agents`), one text cell per agent each.
pub const AGENT_COLUMNS: [&str; 18] = [
    "agent",
    "label",
    "degree",
    "community",
    "segment",
    "status",
    "membership",
    "advocate",
    "clv",
    "revenue",
    "referred_customers",
    "referral_value",
    "reputation",
    "affiliation",
    "knowledge",
    "nps_score",
    "adoption_tick",
    "adoption_source",
];

/// How a replicate's baseline ended: the same replicate run with marketing off
/// ([`MarketingSpec::without_marketing`](crate::scenario::marketing::MarketingSpec::without_marketing))
/// on the same random numbers. Its spend is 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Baseline {
    /// Customers at the last tick.
    pub customers: f64,
    /// Cumulative profit at the last tick (currency units).
    pub cumulative_profit: f64,
}

/// The figures against the baseline: `incremental_customers` (customers at the last
/// tick minus the baseline's), `incremental_profit` (cumulative profit minus the
/// baseline's) and `incremental_roi` (incremental profit / the run's cumulative spend;
/// NaN below [`MIN_ROI_COST`](super::MIN_ROI_COST)); all NaN without a baseline.
fn incremental(last: &TickRecord, baseline: Option<Baseline>) -> [(&'static str, f64); 3] {
    let (customers, profit) = baseline.map_or((f64::NAN, f64::NAN), |b| {
        (
            last.customers - b.customers,
            last.cumulative_profit - b.cumulative_profit,
        )
    });
    let roi = if profit.is_nan() {
        f64::NAN
    } else {
        roi(profit, last.cumulative_spend)
    };
    [
        ("incremental_customers", customers),
        ("incremental_profit", profit),
        ("incremental_roi", roi),
    ]
}

/// A per-agent f32 as a CSV cell: empty when not finite.
fn cell32(x: f32) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// a/b, NaN when b is 0.
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// The share of the top decile by `a` that is also in the top decile by `b`, over the
/// agents `ever` (in order of first numbers, which breaks ties).
fn top_decile_overlap(ever: &[usize], a: &dyn Fn(usize) -> f64, b: &dyn Fn(usize) -> f64) -> f64 {
    let k = ever.len() / 10;
    if k == 0 {
        return f64::NAN;
    }
    // Ties go to the earlier agent in `ever` (in order of first numbers).
    let top = |f: &dyn Fn(usize) -> f64| -> Vec<usize> {
        let mut v: Vec<(f64, usize)> = ever.iter().enumerate().map(|(p, &i)| (f(i), p)).collect();
        v.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut ids: Vec<usize> = v[..k].iter().map(|x| x.1).collect();
        ids.sort_unstable();
        ids
    };
    let (ta, tb) = (top(a), top(b));
    let shared = ta.iter().filter(|i| tb.binary_search(i).is_ok()).count();
    shared as f64 / k as f64
}

impl Marketing<'_> {
    /// How the replicate ended, as the baseline of another run of it.
    pub fn ending(&self) -> Baseline {
        let last = self.records.last().copied().unwrap_or_default();
        Baseline {
            customers: last.customers,
            cumulative_profit: last.cumulative_profit,
        }
    }

    /// The finished replicate: its per-tick columns, per-replicate figures (the
    /// `incremental_*` ones against `baseline`, NaN without), cohort survival and,
    /// when asked, the final per-agent table.
    pub fn finish(
        self,
        with_agents: bool,
        with_outcomes: bool,
        baseline: Option<Baseline>,
    ) -> Series {
        let ticks = self.records.len().saturating_sub(1) as u32;
        let mut series = Series::new(ticks);
        series.new_adopters = self
            .records
            .iter()
            .map(|r| r.new_customers() as u32)
            .collect();
        let a = &self.agents;
        let n = a.len();
        // Agents in order of their first numbers (`renumbering.rs`), so that sums and
        // per-agent outputs come in the same order whether or not they were renumbered.
        let ids = self.network.first_numbers();
        let in_order = || (0..n).map(move |first| ids.now(first));
        let ever: Vec<usize> = in_order().filter(|&i| a.adopted[i] != NEVER).collect();
        let mut referral_value = vec![0f64; n];
        for &i in &ever {
            if Source::from_code(a.source[i]).is_referral() && a.informant[i] != NEVER {
                referral_value[a.informant[i] as usize] += a.clv[i] as f64;
            }
        }
        series.figures = self.figures(&ever, &referral_value, baseline);
        series.cohorts = cohorts::survival(&a.adopted, &a.lost, ticks);
        if with_agents {
            series.agents = Some(self.agent_table(&referral_value, ids));
        }
        if with_outcomes {
            series.outcomes = in_order()
                .map(|i| Outcome {
                    adopted: a.adopted[i],
                    clv: a.clv[i],
                    rival: a.rival[i] != 0,
                })
                .collect();
        }
        series.columns = FIELDS
            .iter()
            .map(|&(name, get)| Column {
                name,
                values: self.records.iter().map(get).collect(),
            })
            .collect();
        series
    }

    /// The per-replicate figures of summary.csv, in output order (NaN: not defined).
    fn figures(
        &self,
        ever: &[usize],
        referral_value: &[f64],
        baseline: Option<Baseline>,
    ) -> Vec<(&'static str, f64)> {
        let a = &self.agents;
        let mean = |f: &dyn Fn(usize) -> f64| -> f64 {
            if ever.is_empty() {
                f64::NAN
            } else {
                ever.iter().map(|&i| f(i)).sum::<f64>() / ever.len() as f64
            }
        };
        let last = self.records.last().copied().unwrap_or(TickRecord {
            roi: f64::NAN,
            ..TickRecord::default()
        });
        let customers = last.customers;
        let firm = &self.firm;
        let cpa = |s: Source| {
            let adopters = firm.adopters_by_source[s as usize];
            if adopters == 0 || firm.cost_by_source[s as usize] == 0.0 {
                f64::NAN
            } else {
                firm.cost_by_source[s as usize] / adopters as f64
            }
        };
        let referral_adopters: u64 = Source::ALL
            .iter()
            .filter(|s| s.is_referral())
            .map(|&s| firm.adopters_by_source[s as usize])
            .sum();
        let clv = |i: usize| a.clv[i] as f64;
        let market = &self.spec.market;
        let t = self.records.len().saturating_sub(1) as u32;
        let incoming = self.network.incoming();
        let projected = |i: usize| {
            let future = if a.status[i] == status::CUSTOMER {
                // The hazard without contagion: exposure decays, so today's factor
                // does not last.
                let h =
                    purchase::churn_hazard(&market.retention, a.satisfaction[i], a.membership[i]);
                let member = a.membership[i] != membership::NONE;
                let share = if member {
                    neighbour_share(&self.member_neighbours, incoming, i)
                } else {
                    0.0
                };
                let uplift =
                    social_dollars::uplift(&market.social_dollars, member, a.role[i], share);
                value::future_margin(
                    market,
                    market.price * (1.0 + uplift),
                    h,
                    a.next_purchase[i],
                    t,
                )
            } else {
                0.0
            };
            a.clv[i] as f64 + future
        };
        let held: Vec<f64> = self.records.iter().map(|r| r.customers).collect();
        let churns: Vec<f64> = self.records.iter().map(|r| r.churns).collect();
        let hazard = value::observed_hazard(&held, &churns);
        let referral = |i: usize| referral_value[i];
        let horizon = self.records.len().saturating_sub(1) as u32;
        let mut figures = vec![
            ("final_customers", customers),
            ("ever_adopted", ever.len() as f64),
            ("churn_hazard", hazard),
            ("clv_realised", mean(&clv)),
            ("clv_projected", mean(&projected)),
            (
                "customer_equity",
                ever.iter().map(|&i| projected(i)).sum::<f64>(),
            ),
            ("spend", last.cumulative_spend),
            ("unspent", last.unspent),
            ("referral_value_mean", mean(&referral)),
            (
                "top_decile_overlap",
                top_decile_overlap(ever, &clv, &referral),
            ),
            ("cumulative_profit", last.cumulative_profit),
            ("roi", last.roi),
            ("cpa_paid_social", cpa(Source::PaidSocial)),
            ("cpa_community", cpa(Source::Community)),
            ("cpa_advocate", cpa(Source::Advocate)),
            ("cpa_review", cpa(Source::Review)),
            ("cpa_influencer", cpa(Source::Influencer)),
            (
                "wom_adoptions_per_referral",
                ratio(referral_adopters, firm.referrals),
            ),
            (
                "advocate_adoptions_per_referral",
                ratio(
                    firm.adopters_by_source[Source::Advocate as usize],
                    firm.advocate_referrals,
                ),
            ),
            ("final_quality", firm.quality),
            (
                "retention_365",
                cohorts::retention_365(&a.adopted, &a.lost, horizon),
            ),
            (
                "social_dollars",
                social_dollars::measured(self.records.iter().map(|r| Spending {
                    member_revenue: r.member_revenue,
                    revenue: r.revenue,
                    member_days: r.member_days,
                    customer_days: r.customer_days,
                })),
            ),
            (
                "event_ties",
                self.records.iter().map(|r| r.event_ties).sum(),
            ),
            ("rating", last.rating),
            ("not_asked", firm.not_asked as f64),
            ("brand_reputation", firm.brand_reputation),
        ];
        let funnel = diagnosis::Funnel::settled(&self.records, a.len());
        figures.extend([
            ("follower_conversion", funnel.follower_conversion()),
            ("follower_lift", funnel.follower_lift()),
            (
                "community_share",
                diagnosis::community_share(&firm.adopters_by_source),
            ),
            ("diagnosis", diagnosis::diagnosis(&funnel).code()),
        ]);
        figures.extend(incremental(&last, baseline));
        figures
    }

    /// Every agent's final state, one row each, for agents.csv, in order of the agents'
    /// first numbers (`ids`).
    fn agent_table(&self, referral_value: &[f64], ids: FirstNumbers) -> AgentTable {
        let names = AGENT_COLUMNS.to_vec();
        let rows = (0..self.agents.len())
            .map(|first| {
                let i = ids.now(first);
                self.agent_row(i, first, referral_value[i])
            })
            .collect();
        AgentTable { names, rows }
    }

    /// Agent `i`'s row of agents.csv; `first` is its number before any renumbering,
    /// the `agent` column.
    fn agent_row(&self, i: usize, first: usize, referral_value: f64) -> Vec<String> {
        let a = &self.agents;
        let net = self.network;
        let adopted = a.adopted[i] != NEVER;
        vec![
            first.to_string(),
            net.labels
                .as_ref()
                .map_or(first as u64, |l| l[i])
                .to_string(),
            net.out.degree(i as u32).to_string(),
            net.community
                .as_ref()
                .map_or(String::new(), |c| c[i].to_string()),
            if a.flags[i] & flag::HIGH_INVOLVEMENT != 0 {
                "high"
            } else {
                "low"
            }
            .into(),
            ["prospect", "customer", "churned"][a.status[i].min(2) as usize].into(),
            ["none", "member", "active"][a.membership[i].min(2) as usize].into(),
            (a.flags[i] & flag::ADVOCATE != 0).to_string(),
            cell32(a.clv[i]),
            cell32(a.revenue[i]),
            self.referrals[i].load(Relaxed).to_string(),
            crate::metrics::number(referral_value),
            cell32(a.reputation[i]),
            cell32(a.affiliation[i]),
            cell32(a.knowledge[i]),
            if a.status[i] == status::PROSPECT {
                String::new()
            } else {
                nps_score(a.satisfaction[i]).to_string()
            },
            if adopted {
                a.adopted[i].to_string()
            } else {
                String::new()
            },
            if adopted {
                Source::from_code(a.source[i]).name().to_string()
            } else {
                String::new()
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_the_shared_share_of_both_top_deciles() {
        let ever: Vec<usize> = (0..20).collect();
        let same = top_decile_overlap(&ever, &|i| i as f64, &|i| i as f64);
        let opposite = top_decile_overlap(&ever, &|i| i as f64, &|i| -(i as f64));
        assert_eq!((same, opposite), (1.0, 0.0));
        assert!(top_decile_overlap(&ever[..9], &|i| i as f64, &|i| i as f64).is_nan());
    }

    #[test]
    fn incremental_figures_subtract_the_baseline_and_divide_by_spend() {
        let last = TickRecord {
            customers: 120.0,
            cumulative_profit: 500.0,
            cumulative_spend: 200.0,
            ..TickRecord::default()
        };
        let b = Baseline {
            customers: 100.0,
            cumulative_profit: 300.0,
        };
        let got = incremental(&last, Some(b));
        assert_eq!(got.map(|f| f.1), [20.0, 200.0, 1.0]);
        let free = TickRecord {
            cumulative_spend: 0.0,
            ..last
        };
        assert!(incremental(&free, Some(b))[2].1.is_nan());
        assert!(incremental(&last, None).iter().all(|f| f.1.is_nan()));
    }

    #[test]
    fn a_ratio_over_nothing_is_undefined() {
        assert!(ratio(3, 0).is_nan());
        assert_eq!(ratio(3, 4), 0.75);
    }

    #[test]
    fn cells_of_non_finite_values_are_empty() {
        assert_eq!(cell32(f32::NAN), "");
        assert_eq!(cell32(0.5), "0.5");
    }
}
