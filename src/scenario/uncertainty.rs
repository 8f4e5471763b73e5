//! The uncertain parameters of a robustness check (`murmur compare --uncertain`,
//! docs/MODEL.md §4.14): which keys are drawn, from which ranges. A scenario names them
//! in an `[uncertainty]` table; without one they are the key catalogue's assumptions
//! about how the market responds, each over its documented plausible range.

use super::Violation;
use super::keys::{self, Key, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `[uncertainty]` table as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUncertainty {
    pub draws: Option<u32>,
    pub seed: Option<u64>,
    pub parameters: Option<BTreeMap<String, toml::Value>>,
}

/// A validated `[uncertainty]` table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UncertaintySpec {
    /// Draws when the command line gives none (`--uncertain` without a number).
    pub draws: Option<u32>,
    /// Seed of the Latin-hypercube draws and of each draw's network and streams.
    pub seed: u64,
    /// The uncertain keys, in the order of the file; empty means the defaults
    /// ([`default_parameters`]).
    pub parameters: Vec<UncertainParameter>,
}

/// One uncertain key and the range its draws come from (uniformly, by Latin hypercube).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UncertainParameter {
    /// Dotted key path, e.g. `market.word_of_mouth.talk_rate`.
    pub key: String,
    /// Lowest value drawn.
    pub low: f64,
    /// Highest value drawn.
    pub high: f64,
    /// Whether the key takes whole numbers (draws are rounded down).
    pub whole: bool,
}

impl UncertainParameter {
    /// Whether the key is in use in `scenario`: a `strategy.social_media.*` or
    /// `strategy.community.*` key only where the strategy has that table (setting it
    /// elsewhere would switch the channel on), a `market.*` or `strategy.*` key only in
    /// the marketing model, anything else always.
    pub fn applies_to(&self, scenario: &super::Scenario) -> bool {
        let key = self.key.as_str();
        let super::ModelSpec::Marketing(spec) = &scenario.model else {
            return !key.starts_with("market.") && !key.starts_with("strategy.");
        };
        if key.starts_with("strategy.social_media.") {
            spec.strategy.social_media.is_some()
        } else if key.starts_with("strategy.community.") {
            spec.strategy.community.is_some()
        } else {
            true
        }
    }

    /// `x` as the key's TOML value: rounded down to a whole number where the key takes
    /// whole numbers.
    pub fn value(&self, x: f64) -> toml::Value {
        if self.whole {
            toml::Value::Integer(x.floor() as i64)
        } else {
            toml::Value::Float(x)
        }
    }

    /// The value at position `u` in [0, 1] of the range.
    pub fn at(&self, u: f64) -> f64 {
        let x = self.low + u * (self.high - self.low);
        if self.whole {
            x.floor().clamp(self.low, self.high)
        } else {
            x
        }
    }
}

/// The strategy keys that describe how the market responds to the firm's actions
/// rather than what the firm chooses to do, drawn by default beside the `market.*`
/// assumptions. A key is drawn in a scenario only where its table is in use.
pub const RESPONSE_KEYS: [&str; 11] = [
    "strategy.social_media.cpm",
    "strategy.social_media.click_through",
    "strategy.social_media.conversion",
    "strategy.social_media.organic_reach",
    "strategy.social_media.follow",
    "strategy.social_media.impulse",
    "strategy.community.recruitment",
    "strategy.community.peer_recruitment",
    "strategy.community.unaware_recruitment",
    "strategy.community.advocates.talk",
    "strategy.community.reviews.acceptance",
];

/// The `market.*` keys that describe the firm's own business (its price, margin and
/// discount rate, and the purchase cycle of its category) rather than how the market
/// responds: a strategist knows them, so they are not drawn by default.
pub const FIRM_KEYS: [&str; 4] = [
    "market.price",
    "market.margin",
    "market.discount_rate",
    "market.purchase_period",
];

/// The default uncertain parameters: every number key under `market.` the catalogue
/// marks as an assumption with a plausible range (list entries such as competitors, and
/// the [`FIRM_KEYS`], excepted), and the [`RESPONSE_KEYS`], each over its plausible
/// range.
pub fn default_parameters() -> Vec<UncertainParameter> {
    keys::all()
        .filter(|k| {
            (k.path.starts_with("market.") && !FIRM_KEYS.contains(&k.path))
                || RESPONSE_KEYS.contains(&k.path)
        })
        .filter(|k| drawable(k.path).is_some())
        .filter_map(|k| {
            let (low, high) = k.plausible()?;
            Some(UncertainParameter {
                key: k.path.to_string(),
                low,
                high,
                whole: matches!(k.value, Value::Whole { .. }),
            })
        })
        .collect()
}

/// A problem with an `[uncertainty]` key, allowing what its catalogue entry allows.
fn violation(key: impl Into<String>, problem: &str, allowed: impl Into<String>) -> Violation {
    Violation::new(key, problem, allowed)
}

/// Whether `key` may be drawn: a number in the catalogue, not inside a list.
fn drawable(key: &str) -> Option<&'static Key> {
    let k = keys::find(key)?;
    let numeric = matches!(k.value, Value::Number { .. } | Value::Whole { .. });
    (numeric
        && !k.path.contains(".i.")
        && !key.starts_with("uncertainty")
        && !key.starts_with("calibration"))
    .then_some(k)
}

/// The `[table.parameters]` ranges of another table (`sensitivity`, `calibration`),
/// read and checked exactly as an `[uncertainty]` table's, with the problem placed at
/// `table.`'s key.
pub(super) fn parameters_of(
    table: &str,
    parameters: Option<BTreeMap<String, toml::Value>>,
    default_seed: u64,
    order: &[String],
) -> Result<Vec<UncertainParameter>, Violation> {
    let raw = RawUncertainty {
        draws: None,
        seed: None,
        parameters,
    };
    UncertaintySpec::resolve(raw, default_seed, order)
        .map(|spec| spec.parameters)
        .map_err(|mut v| {
            v.key = v.key.replacen("uncertainty.", &format!("{table}."), 1);
            v
        })
}

impl UncertaintySpec {
    /// Validates the raw table; `order` lists the parameter keys as the file does.
    pub(super) fn resolve(
        raw: RawUncertainty,
        default_seed: u64,
        order: &[String],
    ) -> Result<UncertaintySpec, Violation> {
        if raw.draws == Some(0) {
            return Err(violation(
                "uncertainty.draws",
                "zero draws",
                "a whole number of draws, 1 or more (40 or more for a probability to two decimals)",
            ));
        }
        let given = raw.parameters.unwrap_or_default();
        let mut keys: Vec<&String> = given.keys().collect();
        keys.sort_by_key(|k| order.iter().position(|o| o == *k).unwrap_or(usize::MAX));
        let mut parameters = Vec::new();
        for key in keys {
            let at = format!("uncertainty.parameters.{key}");
            let Some(entry) = drawable(key) else {
                return Err(violation(
                    at,
                    "not a numeric scenario key that can be drawn",
                    "a dotted path of a number key of docs/MODEL.md §4.9, e.g. \
                     \"market.word_of_mouth.talk_rate\" = [0.005, 0.1]",
                ));
            };
            let bounds: Vec<f64> = match &given[key] {
                toml::Value::Array(values) => values
                    .iter()
                    .filter_map(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                    .collect(),
                _ => Vec::new(),
            };
            let within = |x: f64| match entry.value {
                Value::Number { lo, hi } => (lo..=hi).contains(&x),
                Value::Whole { min, max } => {
                    x >= min as f64 && max.is_none_or(|m| x <= m as f64) && x.fract() == 0.0
                }
                _ => false,
            };
            if bounds.len() != 2 || bounds[0] > bounds[1] || !bounds.iter().all(|&b| within(b)) {
                return Err(violation(
                    at,
                    "an uncertain parameter needs a [low, high] range inside what the key accepts",
                    format!("two numbers, low ≤ high, each {}", entry.allowed()),
                ));
            }
            parameters.push(UncertainParameter {
                key: key.clone(),
                low: bounds[0],
                high: bounds[1],
                whole: matches!(entry.value, Value::Whole { .. }),
            });
        }
        Ok(UncertaintySpec {
            draws: raw.draws,
            seed: raw.seed.unwrap_or(default_seed),
            parameters,
        })
    }

    /// The parameters to draw: the table's, or the defaults when it names none.
    pub fn parameters_or_default(&self) -> Vec<UncertainParameter> {
        if self.parameters.is_empty() {
            default_parameters()
        } else {
            self.parameters.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_catalogues_plausible_ranges_inside_what_each_key_accepts() {
        let defaults = default_parameters();
        assert!(defaults.len() >= 30, "{}", defaults.len());
        let talk = defaults
            .iter()
            .find(|p| p.key == "market.word_of_mouth.talk_rate")
            .expect("talk rate is an assumption with a plausible range");
        assert_eq!((talk.low, talk.high), (0.005, 0.1));
        let intercept = defaults
            .iter()
            .find(|p| p.key == "market.purchase.intercept")
            .expect("intercept");
        assert_eq!((intercept.low, intercept.high), (-9.0, -4.0));
        for p in &defaults {
            let k = keys::find(&p.key).expect("a catalogued key");
            assert!(p.low <= p.high, "{}", p.key);
            if let Value::Number { lo, hi } = k.value {
                assert!(lo <= p.low && p.high <= hi, "{} outside its range", p.key);
            }
        }
        // Choices of the firm, and lists, are not drawn.
        assert!(!defaults.iter().any(|p| p.key == "strategy.budget"));
        assert!(!defaults.iter().any(|p| p.key == "market.price"));
        assert!(!defaults.iter().any(|p| p.key == "market.personas.masks"));
        assert!(
            !defaults
                .iter()
                .any(|p| p.key == "strategy.community.manager_cost")
        );
    }

    #[test]
    fn a_range_outside_the_keys_values_or_an_unknown_key_is_refused_with_the_key() {
        let raw = |key: &str, range: toml::Value| RawUncertainty {
            draws: None,
            seed: None,
            parameters: Some([(key.to_string(), range)].into_iter().collect()),
        };
        let range = |a: f64, b: f64| toml::Value::Array(vec![a.into(), b.into()]);
        let e = UncertaintySpec::resolve(
            raw("market.word_of_mouth.talk_rate", range(0.1, 0.01)),
            1,
            &[],
        )
        .unwrap_err();
        assert_eq!(
            e.key,
            "uncertainty.parameters.market.word_of_mouth.talk_rate"
        );
        let e = UncertaintySpec::resolve(raw("market.retention.churn", range(0.0, 2.0)), 1, &[])
            .unwrap_err();
        assert!(e.allowed.contains("low ≤ high"), "{}", e.allowed);
        let e =
            UncertaintySpec::resolve(raw("market.nonsense", range(0.0, 1.0)), 1, &[]).unwrap_err();
        assert!(e.problem.contains("not a numeric scenario key"));
        let ok = UncertaintySpec::resolve(
            raw("market.word_of_mouth.talk_rate", range(0.01, 0.05)),
            7,
            &[],
        )
        .unwrap();
        assert_eq!(ok.seed, 7);
        assert_eq!(ok.parameters[0].high, 0.05);
    }
}
