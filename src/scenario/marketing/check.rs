//! The marketing model's range check (docs/MODEL.md section 4.9): each parameter
//! against the range its entry in the scenario-key catalogue (`scenario::keys`)
//! gives, and the rules that tie keys together (a budget the community manager fits
//! in, phases that end after they start, actions of configured strategies).

use super::{Action, Community, MarketingSpec};
use crate::scenario::Violation;
use crate::scenario::keys::{self, Value, short};

/// Collects violations in the order the keys are checked; the first one is reported.
struct Checker(Vec<Violation>);

impl Checker {
    fn push(
        &mut self,
        key: impl Into<String>,
        problem: impl Into<String>,
        allowed: impl Into<String>,
    ) {
        self.0.push(Violation::new(key, problem, allowed));
    }

    /// A number outside the range the catalogue gives its key (non-finite numbers
    /// are always outside).
    fn number(&mut self, key: &str, value: f64) {
        let entry = keys::marketing(key);
        let Value::Number { lo, hi } = entry.value else {
            panic!("scenario key {key} is not a number in the catalogue");
        };
        if !(value.is_finite() && value >= lo && value <= hi) {
            self.push(
                key,
                format!("{} is out of range", short(value)),
                entry.allowed(),
            );
        }
    }

    /// A whole number outside the catalogue's range for its key: below its minimum,
    /// with the problem in the key's own words, or above its maximum.
    fn whole(&mut self, key: &str, value: u32, problem: &str) {
        let entry = keys::marketing(key);
        let Value::Whole { min, max } = entry.value else {
            panic!("scenario key {key} is not a whole number in the catalogue");
        };
        if u64::from(value) < min {
            self.push(key, problem, entry.allowed());
        } else if max.is_some_and(|max| u64::from(value) > max) {
            self.push(key, format!("{value} is out of range"), entry.allowed());
        }
    }
}

impl MarketingSpec {
    /// The first parameter outside its range, if any.
    pub fn check(&self, ticks: u32) -> Option<Violation> {
        let mut c = Checker(Vec::new());
        self.check_market(&mut c);
        self.check_strategy(&mut c);
        self.check_phases(&mut c, ticks);
        c.0.into_iter().next()
    }

    fn check_market(&self, c: &mut Checker) {
        let m = &self.market;
        c.number("market.price", m.price);
        c.number("market.margin", m.margin);
        c.whole(
            "market.purchase_period",
            m.purchase_period,
            "a purchase period of 0 ticks",
        );
        c.number("market.initial_quality", m.initial_quality);
        c.number("market.discount_rate", m.discount_rate);
        c.number("market.high_involvement_share", m.high_involvement_share);
        c.number("market.external_awareness", m.external_awareness);
        c.number("market.competitor_mentions", m.competitor_mentions);
        c.number("market.potential", m.potential);
        c.number("market.need_rate", m.need_rate);
        c.number("market.initial_customers", m.initial_customers);
        c.number("market.initial_members", m.initial_members);
        self.check_competitors(c);
        let f = &m.forgetting;
        for (k, v) in [
            ("external", f.external),
            ("paid_social", f.paid_social),
            ("organic_social", f.organic_social),
            ("word_of_mouth", f.word_of_mouth),
            ("community", f.community),
            ("review", f.review),
            ("attitude", f.attitude),
        ] {
            c.number(&format!("market.forgetting.{k}"), v);
        }
        let p = &m.purchase;
        c.number("market.purchase.intercept", p.intercept);
        c.number("market.purchase.attitude", p.attitude);
        c.number("market.purchase.peer", p.peer);
        c.number("market.purchase.member", p.member);
        c.number(
            "market.purchase.high_involvement_peer",
            p.high_involvement_peer,
        );
        c.number("market.purchase.price", p.price);
        let w = &m.word_of_mouth;
        for (k, v) in [
            ("talk_rate", w.talk_rate),
            ("negative_talk_rate", w.negative_talk_rate),
            ("reach", w.reach),
            ("weak_tie", w.weak_tie),
            ("credibility", w.credibility),
            ("satisfaction_talk", w.satisfaction_talk),
            ("member_talk", w.member_talk),
            ("reputation_talk", w.reputation_talk),
            ("reputation_credibility", w.reputation_credibility),
            ("knowledge_credibility", w.knowledge_credibility),
            ("attitude_shift", w.attitude_shift),
            ("negative_shift", w.negative_shift),
        ] {
            c.number(&format!("market.word_of_mouth.{k}"), v);
        }
        let r = &m.retention;
        c.number("market.retention.churn", r.churn);
        c.number("market.retention.member_factor", r.member_factor);
        c.number("market.retention.active_factor", r.active_factor);
        c.number(
            "market.retention.reference_satisfaction",
            r.reference_satisfaction,
        );
        c.number("market.contagion.effect", m.contagion.effect);
        c.number("market.contagion.half_life", m.contagion.half_life);
        let d = &m.social_dollars;
        c.number("market.social_dollars.lurker", d.lurker);
        c.number("market.social_dollars.poster", d.poster);
        c.number("market.social_dollars.ties", d.ties);
        let s = &m.satisfaction;
        c.number("market.satisfaction.baseline", s.baseline);
        c.number("market.satisfaction.quality", s.quality);
        c.number("market.satisfaction.bond", s.bond);
        c.number("market.satisfaction.adjustment", s.adjustment);
        c.number("market.satisfaction.noise", s.noise);
        c.number("market.satisfaction.response", s.response);
        let k = &m.social_capital;
        for (name, v) in [
            ("reputation_decay", k.reputation_decay),
            ("affiliation_decay", k.affiliation_decay),
            ("knowledge_decay", k.knowledge_decay),
            ("contribution_reputation", k.contribution_reputation),
            ("recognition_reputation", k.recognition_reputation),
            ("conversation_affiliation", k.conversation_affiliation),
            ("response_affiliation", k.response_affiliation),
            ("unanswered_affiliation", k.unanswered_affiliation),
            ("programme_knowledge", k.programme_knowledge),
        ] {
            c.number(&format!("market.social_capital.{name}"), v);
        }
        let rv = &m.reviews;
        for (k, v) in [
            ("half_life", rv.half_life),
            ("read_rate", rv.read_rate),
            ("credibility", rv.credibility),
            ("rating_weight", rv.rating_weight),
            ("neutral_rating", rv.neutral_rating),
            ("count_scale", rv.count_scale),
            ("negative_weight", rv.negative_weight),
            ("unsolicited_positive", rv.unsolicited_positive),
            ("unsolicited_negative", rv.unsolicited_negative),
        ] {
            c.number(&format!("market.reviews.{k}"), v);
        }
        let br = &m.brand_reputation;
        for (k, v) in [
            ("half_life", br.half_life),
            ("weight", br.weight),
            ("reviews", br.reviews),
            ("word_of_mouth", br.word_of_mouth),
            ("community", br.community),
        ] {
            c.number(&format!("market.brand_reputation.{k}"), v);
        }
        c.number("market.personas.concentration", m.personas.concentration);
        let masks = m.personas.masks.len();
        if masks == 0 || masks > 8 {
            let entry = keys::marketing("market.personas.masks");
            c.push(entry.path, format!("{masks} masks"), entry.allowed());
        }
        for (i, mask) in m.personas.masks.iter().enumerate() {
            for (k, v) in [
                ("paid", mask.paid),
                ("organic", mask.organic),
                ("word_of_mouth", mask.word_of_mouth),
                ("community", mask.community),
                ("review", mask.review),
            ] {
                c.number(&format!("market.personas.masks.{i}.{k}"), v);
            }
        }
    }

    fn check_strategy(&self, c: &mut Checker) {
        let st = &self.strategy;
        c.number("strategy.budget", st.budget);
        if let Some(share) = st.social_media_share {
            c.number("strategy.social_media_share", share);
        }
        if let Some(sm) = &st.social_media {
            c.number("strategy.social_media.cpm", sm.cpm);
            for (k, v) in [
                ("click_through", sm.click_through),
                ("conversion", sm.conversion),
                ("organic_reach", sm.organic_reach),
                ("follow", sm.follow),
                ("posts_per_tick", sm.posts_per_tick),
                ("wear_out", sm.wear_out),
                ("impulse", sm.impulse),
                ("half_life", sm.half_life),
                ("frequency_cap", sm.frequency_cap),
                ("involvement_weight", sm.involvement_weight),
                ("lookalike_floor", sm.lookalike_floor),
            ] {
                c.number(&format!("strategy.social_media.{k}"), v);
            }
            let inf = &sm.influencers;
            for (k, v) in [
                ("fee", inf.fee),
                ("posts_per_week", inf.posts_per_week),
                ("credibility", inf.credibility),
            ] {
                c.number(&format!("strategy.social_media.influencers.{k}"), v);
            }
        }
        for (k, v) in [
            ("initial_map", st.listening.initial_map),
            ("rate", st.listening.rate),
            ("cost", st.listening.cost),
        ] {
            c.number(&format!("strategy.listening.{k}"), v);
        }
        if st.social_media.is_none() && st.community.is_none() && st.budget > 0.0 {
            c.push(
                "strategy.budget",
                "a budget with no strategy to spend it on",
                "a [strategy.social_media] and/or [strategy.community] table",
            );
        }
        if let Some(cm) = &st.community {
            self.check_community(c, cm);
        }
    }

    /// The community's keys, and that its share of the budget pays the manager.
    fn check_community(&self, c: &mut Checker, cm: &Community) {
        let st = &self.strategy;
        let key = |k: &str| format!("strategy.community.{k}");
        c.number(&key("manager_cost"), cm.manager_cost);
        let community_budget = st.budget * (1.0 - st.social_share());
        if community_budget + 1e-9 < cm.manager_cost {
            c.push(
                "strategy.budget",
                format!(
                    "the community's share of the budget ({} per tick) cannot pay its manager ({} per tick)",
                    short(community_budget),
                    short(cm.manager_cost)
                ),
                "a budget whose community share covers strategy.community.manager_cost",
            );
        }
        for (k, v) in [
            ("recruitment", cm.recruitment),
            ("involvement_recruitment", cm.involvement_recruitment),
            ("peer_recruitment", cm.peer_recruitment),
            ("unaware_recruitment", cm.unaware_recruitment),
            ("manager_capacity", cm.manager_capacity),
            ("contributor_share", cm.contributor_share),
            ("super_user_share", cm.super_user_share),
            ("super_user_factor", cm.super_user_factor),
            ("campaign_lift", cm.campaign_lift),
            ("campaign_scale", cm.campaign_scale),
            ("event_share", cm.event_share),
            ("advocate_share", cm.advocate_share),
            ("events.seat_cost", cm.events.seat_cost),
            ("contribution", cm.contribution),
            ("responsiveness", cm.responsiveness),
            ("events.cost", cm.events.cost),
            ("events.affiliation", cm.events.affiliation),
            (
                "events.physical_affiliation",
                cm.events.physical_affiliation,
            ),
            ("cocreation.idea_share", cm.cocreation.idea_share),
            ("cocreation.quality_gain", cm.cocreation.quality_gain),
        ] {
            c.number(&key(k), v);
        }
        for (k, v) in [
            ("events.ties", cm.events.ties),
            ("events.online_ties", cm.events.online_ties),
            ("events.max_ties", cm.events.max_ties),
        ] {
            c.whole(&key(k), v, "");
        }
        if cm.contributor_share + cm.super_user_share > 1.0 + 1e-9 {
            c.push(
                key("super_user_share"),
                format!(
                    "contributors ({}) and super-users ({}) add up to more than every agent",
                    short(cm.contributor_share),
                    short(cm.super_user_share)
                ),
                "contributor_share + super_user_share at most 1 (the rest lurk)",
            );
        }
        if cm.event_share + cm.advocate_share > 1.0 + 1e-9 {
            c.push(
                key("advocate_share"),
                format!(
                    "event_share ({}) and advocate_share ({}) add up to more than the free money",
                    short(cm.event_share),
                    short(cm.advocate_share)
                ),
                "event_share + advocate_share at most 1 (the campaign gets the rest)",
            );
        }
        let a = &cm.advocates;
        for (k, v) in [
            ("reward_cost", a.reward_cost),
            ("talk", a.talk),
            ("weak_reach", a.weak_reach),
            ("strong_reach", a.strong_reach),
            ("weak_discount", a.weak_discount),
            ("strong_discount", a.strong_discount),
            ("relief", a.relief),
            ("receiver_reward", a.receiver_reward),
            ("social_capital_gain", a.social_capital_gain),
            ("refill", a.refill),
        ] {
            c.number(&key(&format!("advocates.{k}")), v);
        }
        if a.count > 0 {
            c.whole(
                &key("advocates.reselect"),
                a.reselect,
                "re-selection every 0 ticks",
            );
        }
        c.whole(
            &key("advocates.betweenness_samples"),
            a.betweenness_samples,
            "0 pivots cannot estimate betweenness",
        );
        let rv = &cm.reviews;
        for (k, v) in [
            ("survey_share", rv.survey_share),
            ("survey_cost", rv.survey_cost),
            ("acceptance", rv.acceptance),
            ("readers", rv.readers),
            ("credibility", rv.credibility),
        ] {
            c.number(&key(&format!("reviews.{k}")), v);
        }
    }

    /// The competitors' keys: at most 8, initial shares that fit in the category.
    fn check_competitors(&self, c: &mut Checker) {
        let m = &self.market;
        let count = m.competitor.len();
        if count > 8 {
            let entry = keys::marketing("market.competitor");
            c.push(entry.path, format!("{count} competitors"), entry.allowed());
        }
        for (i, rival) in m.competitor.iter().enumerate() {
            for (k, v) in [
                ("initial_share", rival.initial_share),
                ("awareness", rival.awareness),
                ("appeal", rival.appeal),
                ("price", rival.price),
                ("churn", rival.churn),
            ] {
                c.number(&format!("market.competitor.{i}.{k}"), v);
            }
        }
        let held: f64 =
            m.initial_customers + m.competitor.iter().map(|r| r.initial_share).sum::<f64>();
        if held > 1.0 + 1e-9 {
            c.push(
                "market.initial_customers",
                format!(
                    "the brand's and the competitors' initial shares add up to {} of the category",
                    short(held)
                ),
                "initial_customers plus every competitor's initial_share at most 1",
            );
        }
    }

    fn check_phases(&self, c: &mut Checker, ticks: u32) {
        let st = &self.strategy;
        for (i, phase) in self.phases.iter().enumerate() {
            if phase.end.is_some_and(|end| end < phase.start) {
                c.push(
                    format!("phase.{i}.end"),
                    format!("phase \"{}\" ends before it starts", phase.name),
                    format!("a tick from {} to {ticks}", phase.start),
                );
            }
            for action in &phase.actions {
                if *action == Action::Listen {
                    continue;
                }
                let needs_sm = matches!(action, Action::Paid | Action::Posts);
                if needs_sm && st.social_media.is_none() {
                    c.push(
                        format!("phase.{i}.actions"),
                        format!("action {action:?} needs a [strategy.social_media] table"),
                        "actions of the strategies the scenario configures",
                    );
                }
                if !needs_sm && st.community.is_none() {
                    c.push(
                        format!("phase.{i}.actions"),
                        format!("action {action:?} needs a [strategy.community] table"),
                        "actions of the strategies the scenario configures",
                    );
                }
            }
        }
    }
}
