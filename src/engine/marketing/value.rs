//! What customers are worth (docs/MODEL.md §4.4 "Observation"): the observed churn
//! hazard per customer-day, and a customer's projected lifetime value, its realised
//! discounted margin plus the margin it is expected to bring after the horizon at its
//! current hazard. Read by `figures.rs` at the end of a replicate; nothing here
//! changes the model.

use crate::scenario::marketing::Market;

/// Churns per customer-day: Σ churns over Σ customers at the start of each tick
/// (`customers[t − 1]` for tick t). NaN without customer-days.
pub(super) fn observed_hazard(customers: &[f64], churns: &[f64]) -> f64 {
    let days: f64 = customers.iter().rev().skip(1).sum();
    let lost: f64 = churns.iter().skip(1).sum();
    if days > 0.0 { lost / days } else { f64::NAN }
}

/// The expected margin, discounted to tick 0, that a customer at the horizon `t` still
/// brings: a purchase of margin m = amount·margin (amount: what it pays per purchase,
/// the price times its social-dollars factor) every `purchase_period` ticks from
/// `next_purchase`, each made only if it has not churned by then at daily hazard h:
/// Σₖ m·δ^(n₀ + kP)·(1 − h)^(n₀ − t + kP) = m·δ^n₀·(1 − h)^(n₀ − t) / (1 − (δ(1 − h))^P),
/// with δ = (1 + discount_rate)^(−1/365). Zero when h is 1.
pub(super) fn future_margin(
    market: &Market,
    amount: f64,
    hazard: f64,
    next_purchase: u32,
    t: u32,
) -> f64 {
    let survive = (1.0 - hazard).clamp(0.0, 1.0);
    if survive == 0.0 {
        return 0.0;
    }
    let daily = (1.0 + market.discount_rate).powf(-1.0 / 365.0);
    let period = market.purchase_period.max(1) as i32;
    let wait = next_purchase.saturating_sub(t) as i32;
    let first = amount * market.margin * daily.powf(next_purchase as f64) * survive.powi(wait);
    first / (1.0 - (daily * survive).powi(period))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hazard_is_churns_over_customer_days() {
        // Customers 0, 10, 10, 8 at ticks 0..3 and 2 churns at tick 3: 2 / (10 + 10).
        let customers = [0.0, 10.0, 10.0, 8.0];
        let churns = [0.0, 0.0, 0.0, 2.0];
        assert_eq!(observed_hazard(&customers, &churns), 0.1);
        assert!(observed_hazard(&[0.0, 0.0], &[0.0, 0.0]).is_nan());
    }

    #[test]
    fn without_churn_or_discounting_the_future_is_endless_and_with_churn_geometric() {
        let market = Market {
            price: 10.0,
            margin: 0.5,
            purchase_period: 1,
            discount_rate: 0.0,
            ..Market::default()
        };
        // Daily purchases of margin 5, survival 0.9 a day, next purchase tomorrow:
        // 5·0.9 / (1 − 0.9) = 45.
        assert!((future_margin(&market, 10.0, 0.1, 11, 10) - 45.0).abs() < 1e-9);
        assert_eq!(future_margin(&market, 10.0, 1.0, 11, 10), 0.0);
        // Discounting makes it finite without churn: 5·δ^n₀/(1 − δ) at 10% a year.
        let discounted = Market {
            discount_rate: 0.1,
            ..market
        };
        let d = 1.1f64.powf(-1.0 / 365.0);
        let expected = 5.0 * d.powi(11) / (1.0 - d);
        assert!((future_margin(&discounted, 10.0, 0.0, 11, 10) - expected).abs() < 1e-6);
    }

    #[test]
    fn a_riskier_customer_is_worth_less() {
        let market = Market::default();
        assert!(
            future_margin(&market, 10.0, 0.01, 40, 30)
                < future_margin(&market, 10.0, 0.001, 40, 30)
        );
    }
}
