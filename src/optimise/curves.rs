//! The response curves of `murmur optimise` (docs/MODEL.md §4.13): each channel the
//! scenario uses varied on its own, the others held at the scenario's values, under the
//! scenario's own timing, against the search's shared baseline.

use super::{CurvePoint, Search, marginal, plan};
use crate::experiment::RunError;
use crate::scenario::set::set_path;

impl Search<'_> {
    /// The response curves of the channels the scenario uses, each varied with the
    /// others held at the scenario's values, under the scenario's own timing.
    pub(super) fn curves(
        &mut self,
        spec: &crate::scenario::MarketingSpec,
    ) -> Result<Vec<CurvePoint>, RunError> {
        let s = &spec.strategy;
        let social = s.budget * s.social_share();
        let community = s.budget - social;
        let mut out = Vec::new();
        if s.social_media.is_some() && social > 0.0 {
            let levels = CURVE_FACTORS.map(|f| f * social);
            self.curve(&mut out, "paid_social", &levels, social, |t, x| {
                let budget = community + x;
                set_path(t, "strategy.budget", toml::Value::Float(budget));
                let share = if budget > 0.0 { x / budget } else { 0.0 };
                set_path(t, "strategy.social_media_share", toml::Value::Float(share));
            })?;
        }
        if let Some(c) = &s.community {
            let levels = CURVE_FACTORS.map(|f| f * community);
            self.curve(&mut out, "community", &levels, community, |t, x| {
                let budget = social + x;
                set_path(t, "strategy.budget", toml::Value::Float(budget));
                let share = if budget > 0.0 { social / budget } else { 1.0 };
                set_path(t, "strategy.social_media_share", toml::Value::Float(share));
                if x <= 0.0
                    && let Some(st) = plan::get_table(t, "strategy")
                {
                    st.remove("community");
                }
            })?;
            let count = f64::from(c.advocates.count);
            self.curve(&mut out, "advocates", &ADVOCATES, count, |t, x| {
                set_path(
                    t,
                    "strategy.community.advocates.count",
                    toml::Value::Integer(x as i64),
                );
            })?;
            let interval = f64::from(c.reviews.survey_interval);
            self.curve(&mut out, "reviews", &SURVEY_INTERVALS, interval, |t, x| {
                set_path(
                    t,
                    "strategy.community.reviews.survey_interval",
                    toml::Value::Integer(x as i64),
                );
            })?;
        }
        Ok(out)
    }

    /// One channel's curve: `levels` and the scenario's own `current` level (run as the
    /// scenario itself), each set into the base table by `set`; levels that make no
    /// valid scenario are left out.
    fn curve(
        &mut self,
        out: &mut Vec<CurvePoint>,
        channel: &'static str,
        levels: &[f64],
        current: f64,
        set: impl Fn(&mut toml::Table, f64),
    ) -> Result<(), RunError> {
        let mut levels = levels.to_vec();
        if !levels.contains(&current) {
            levels.push(current);
        }
        // Survey intervals rise in intensity as they shrink (0 = off first).
        if channel == "reviews" {
            levels.sort_by(|a, b| intensity(*a).total_cmp(&intensity(*b)));
        } else {
            levels.sort_by(f64::total_cmp);
        }
        let mut previous: Option<(f64, f64)> = None;
        for level in levels {
            let mut t = self.base.clone();
            if level != current {
                set(&mut t, level);
            }
            let Ok(text) = toml::to_string(&t) else {
                continue;
            };
            let Ok(e) = self.evaluate(text)? else {
                continue;
            };
            let ev = &self.evaluations[e];
            let by_money = matches!(channel, "paid_social" | "community");
            let point = CurvePoint {
                channel,
                level,
                spend_per_day: if by_money {
                    level
                } else {
                    ev.spend.mean / f64::from(self.ticks)
                },
                incremental_customers: ev.incremental_customers,
                incremental_profit: ev.incremental_profit,
                marginal_roi: previous.and_then(|(profit, spend)| {
                    marginal(
                        ev.incremental_profit.mean - profit,
                        ev.spend.mean - spend,
                        ev.spend.mean.max(spend),
                    )
                }),
                current: level == current,
                spent_per_day: ev.spend.mean / f64::from(self.ticks),
            };
            previous = Some((ev.incremental_profit.mean, ev.spend.mean));
            out.push(point);
        }
        Ok(())
    }
}

/// Multiples of the scenario's money per tick a paid-social or community curve runs.
const CURVE_FACTORS: [f64; 5] = [0.0, 0.5, 1.0, 1.5, 2.0];
/// Advocate counts of the advocates curve.
const ADVOCATES: [f64; 5] = [0.0, 10.0, 25.0, 50.0, 100.0];
/// Survey intervals (days; 0 = no surveys) of the reviews curve.
const SURVEY_INTERVALS: [f64; 4] = [0.0, 90.0, 30.0, 7.0];

/// Surveys per day of a survey interval (0 for none).
fn intensity(interval: f64) -> f64 {
    if interval > 0.0 { 1.0 / interval } else { 0.0 }
}
