//! Social dollars (docs/MODEL.md §4.7.9; Manchanda, Packard & Pattabhiramaiah 2015):
//! members of the brand community spend more per purchase, posters more than lurkers
//! and members with more ties in the community more than those with fewer. A member
//! pays price·(1 + u) per purchase, with uplift
//!
//! u = (`lurker` for a lurker, `poster` for a contributor or super-user) + `ties`·M/d,
//!
//! M/d the share of its in-neighbours who are members; a non-member pays the price.
//! The purchase period is unchanged, and the price in the purchase utility stays the
//! list price (`purchase.rs`). Revenue and CLV use the amount paid.
//!
//! The figure [`measured`] compares, as Manchanda et al. do, the revenue of customers
//! after they joined with that of non-members over the same ticks.

use crate::population::role;
use crate::scenario::marketing::SocialDollars;

/// A customer's uplift u on the price: 0 for a non-member; for a member `lurker` (role
/// lurker) or `poster` (contributor or super-user) plus `ties`·`member_share`, where
/// `member_share` = M/d ∈ [0, 1].
#[inline]
pub(super) fn uplift(p: &SocialDollars, member: bool, role: u8, member_share: f64) -> f64 {
    if !member {
        return 0.0;
    }
    let base = if role == role::LURKER {
        p.lurker
    } else {
        p.poster
    };
    base + p.ties * member_share
}

/// The revenue of one tick's purchase pass, split as [`measured`] needs it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Spending {
    /// Revenue of purchases by members (currency units).
    pub member_revenue: f64,
    /// Revenue of all purchases.
    pub revenue: f64,
    /// Agents who were members and customers during the pass (customer-days).
    pub member_days: f64,
    /// Agents who were customers during the pass.
    pub customer_days: f64,
}

/// The share of members' revenue that membership adds, measured (the `social_dollars`
/// figure): over the ticks with at least one member customer-day, r_m = Σ member
/// revenue / Σ member customer-days and r_n the same for non-members, and the figure is
/// 1 − r_n/r_m, the part of members' revenue per customer-day beyond non-members'
/// (Manchanda et al. 2015 report 19%). NaN without member or non-member spending.
pub(super) fn measured(ticks: impl IntoIterator<Item = Spending>) -> f64 {
    let (mut mr, mut md, mut nr, mut nd) = (0.0, 0.0, 0.0, 0.0);
    for s in ticks.into_iter().filter(|s| s.member_days > 0.0) {
        mr += s.member_revenue;
        md += s.member_days;
        nr += s.revenue - s.member_revenue;
        nd += s.customer_days - s.member_days;
    }
    if md == 0.0 || nd == 0.0 || mr <= 0.0 || nr <= 0.0 {
        return f64::NAN;
    }
    1.0 - (nr / nd) / (mr / md)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posters_and_well_tied_members_spend_more_and_non_members_pay_the_price() {
        let p = SocialDollars {
            lurker: 0.1,
            poster: 0.3,
            ties: 0.2,
        };
        assert_eq!(uplift(&p, false, role::SUPER_USER, 1.0), 0.0);
        assert_eq!(uplift(&p, true, role::LURKER, 0.0), 0.1);
        assert_eq!(uplift(&p, true, role::CONTRIBUTOR, 0.0), 0.3);
        assert_eq!(uplift(&p, true, role::SUPER_USER, 0.0), 0.3);
        assert!((uplift(&p, true, role::LURKER, 0.5) - 0.2).abs() < 1e-15);
    }

    #[test]
    fn the_measure_is_the_share_of_member_revenue_beyond_the_non_member_rate() {
        // Members: 150 over 100 days; non-members 100 over 100 days: 1 − 1/1.5.
        let t = Spending {
            member_revenue: 150.0,
            revenue: 250.0,
            member_days: 100.0,
            customer_days: 200.0,
        };
        assert!((measured([t]) - 1.0 / 3.0).abs() < 1e-12);
        // A tick without members does not count.
        let before = Spending {
            member_revenue: 0.0,
            revenue: 1000.0,
            member_days: 0.0,
            customer_days: 10.0,
        };
        assert!((measured([before, t]) - 1.0 / 3.0).abs() < 1e-12);
        assert!(measured([before]).is_nan());
    }
}
