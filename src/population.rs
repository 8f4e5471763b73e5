//! Agent state, one flat array per field (struct of arrays).
//!
//! Fields are atomics so that tick phases running in parallel over agents can read
//! them and write their own agent's entry without locks; relaxed loads and stores
//! compile to plain memory operations. Writes that several agents may race on
//! (a neighbour count, first activation) use atomic adds and compare-exchange, whose
//! outcome does not depend on the order of the racing writes, so results stay
//! identical at any thread count.

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// Marks an agent that has not adopted.
pub const NEVER: u32 = u32::MAX;

/// u32s in a 4 KiB page.
const PAGE_U32S: usize = 1024;

/// Who has adopted, when, and how many adopted neighbours each agent hears from.
pub struct Adoption {
    /// Tick at which each agent adopted, or [`NEVER`].
    pub tick: Vec<AtomicU32>,
    /// Number of adopted agents among each agent's in-neighbours.
    pub adopted_neighbours: Vec<AtomicU32>,
}

impl Adoption {
    /// A population of `n` agents, none adopted.
    pub fn new(n: usize) -> Self {
        let adoption = Adoption {
            tick: (0..n).map(|_| AtomicU32::new(NEVER)).collect(),
            adopted_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
        };
        // The counts come from the allocator as the kernel's zero page until written.
        // A count read and then added to would fault twice, the second time with a
        // TLB shootdown on every other worker's core; one store per page maps it now.
        for count in adoption.adopted_neighbours.iter().step_by(PAGE_U32S) {
            count.store(0, Relaxed);
        }
        adoption
    }

    /// Bytes of state per agent, for memory estimates.
    pub const BYTES_PER_AGENT: usize = 8;

    /// Number of agents.
    pub fn len(&self) -> usize {
        self.tick.len()
    }

    /// Whether the population is empty.
    pub fn is_empty(&self) -> bool {
        self.tick.is_empty()
    }

    /// Whether agent `v` had adopted before tick `t`.
    #[inline(always)]
    pub fn adopted_before(&self, v: u32, t: u32) -> bool {
        self.tick[v as usize].load(Relaxed) < t
    }

    /// Marks `v` as adopting at tick `t` unless it already has; true if this call did it.
    #[inline(always)]
    pub fn try_adopt(&self, v: u32, t: u32) -> bool {
        self.tick[v as usize]
            .compare_exchange(NEVER, t, Relaxed, Relaxed)
            .is_ok()
    }

    /// Number of adopted agents among `v`'s in-neighbours.
    #[inline(always)]
    pub fn neighbours_adopted(&self, v: u32) -> u32 {
        self.adopted_neighbours[v as usize].load(Relaxed)
    }
}

/// Declares a struct of per-agent arrays and a matching chunk view with mutable
/// slices of every array, so a parallel pass can update many fields of its own
/// agents without locks or unsafe code.
macro_rules! agent_arrays {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $view:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty = $init:expr, )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Vec<$ty>, )*
        }

        /// A chunk of consecutive agents with mutable access to each of their fields;
        /// index `j` of every slice is agent `start + j`.
        pub struct $view<'a> {
            /// Id of the chunk's first agent.
            pub start: usize,
            $( $(#[$fmeta])* pub $field: &'a mut [$ty], )*
        }

        impl $name {
            /// `n` agents with every field at its initial value.
            pub fn new(n: usize) -> Self {
                $name { $( $field: vec![$init; n], )* }
            }

            /// Bytes of state per agent.
            pub const BYTES_PER_AGENT: usize = 0 $( + std::mem::size_of::<$ty>() )*;

            /// Splits the agents into chunks of `size` for a parallel pass.
            pub fn chunks_mut(&mut self, size: usize) -> Vec<$view<'_>> {
                let n = self.len();
                let mut views = Vec::with_capacity(n.div_ceil(size.max(1)));
                $( let mut $field = self.$field.chunks_mut(size.max(1)); )*
                let mut start = 0;
                while start < n {
                    views.push($view {
                        start,
                        $( $field: $field.next().expect("every array has n entries"), )*
                    });
                    start += size;
                }
                views
            }
        }
    };
}

/// Customer status in the marketing model.
pub mod status {
    /// Has not bought.
    pub const PROSPECT: u8 = 0;
    /// Has bought and not churned.
    pub const CUSTOMER: u8 = 1;
    /// Was a customer, left, and buys from nobody now; may be won back or switch.
    pub const CHURNED: u8 = 2;
    /// Buys from a competitor (which one: [`Customers::rival`](super::Customers)).
    pub const RIVAL: u8 = 3;
}

/// Community membership in the marketing model.
pub mod membership {
    /// Not a member.
    pub const NONE: u8 = 0;
    /// A member.
    pub const MEMBER: u8 = 1;
    /// A member who contributed recently.
    pub const ACTIVE: u8 = 2;
}

/// Where an adoption came from: the channel of the agent's last touch before buying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Source {
    /// No marketing or peer touch: outside influence.
    External = 0,
    /// Paid social impressions.
    PaidSocial = 1,
    /// Posts to followers.
    OrganicSocial = 2,
    /// Peer word of mouth.
    WordOfMouth = 3,
    /// Conversation inside the brand community.
    Community = 4,
    /// An advocate of the advocate programme.
    Advocate = 5,
    /// A promoter's review.
    Review = 6,
    /// The peer term alone: an agent whose last touch was outside awareness and who
    /// would not have bought, on the same draw, with no customers among its
    /// neighbours (networked consumption gains).
    Peers = 7,
    /// A paid outside influencer's sponsored post (not a customer, not a referral).
    Influencer = 8,
}

impl Source {
    /// Number of sources.
    pub const COUNT: usize = 9;

    /// Every source, in code order.
    pub const ALL: [Source; Source::COUNT] = [
        Source::External,
        Source::PaidSocial,
        Source::OrganicSocial,
        Source::WordOfMouth,
        Source::Community,
        Source::Advocate,
        Source::Review,
        Source::Peers,
        Source::Influencer,
    ];

    /// Column-friendly name.
    pub fn name(self) -> &'static str {
        [
            "external",
            "paid_social",
            "organic_social",
            "word_of_mouth",
            "community",
            "advocate",
            "review",
            "peers",
            "influencer",
        ][self as usize]
    }

    /// The source of a code.
    pub fn from_code(code: u8) -> Source {
        Source::ALL[(code as usize).min(Source::ALL.len() - 1)]
    }

    /// Whether the adoption was brought by a peer (whose referral it counts as).
    pub fn is_referral(self) -> bool {
        matches!(
            self,
            Source::WordOfMouth | Source::Community | Source::Advocate
        )
    }
}

/// Flag bits of [`Customers::flags`].
pub mod flag {
    /// Has heard of the brand.
    pub const AWARE: u8 = 1;
    /// Follows the brand on social media.
    pub const FOLLOWER: u8 = 2;
    /// Is an advocate of the programme.
    pub const ADVOCATE: u8 = 4;
    /// Posts a review this tick.
    pub const REVIEWER: u8 = 8;
    /// Clicked and was converted by an ad or post this tick.
    pub const CONVERTED: u8 = 16;
    /// Belongs to the high-involvement segment.
    pub const HIGH_INVOLVEMENT: u8 = 32;
    /// Is in the product category: a need for it has arrived (only these buy).
    pub const IN_MARKET: u8 = 64;
    /// Was reached by a message or exposure about the brand this tick (no forgetting).
    pub const TOUCHED: u8 = 128;
}

/// Participation roles of community members (Nielsen 2006's 90-9-1 pattern).
pub mod role {
    /// Reads, rarely or never posts.
    pub const LURKER: u8 = 0;
    /// Posts now and then.
    pub const CONTRIBUTOR: u8 = 1;
    /// Posts most of the content.
    pub const SUPER_USER: u8 = 2;
}

agent_arrays! {
    /// The marketing model's agents, one array per field.
    pub struct Customers / CustomersChunk {
        /// Bit flags, see [`flag`].
        pub flags: u8 = 0,
        /// Receptiveness scale in [0, 1] (Beta(2, 2)).
        pub susceptibility: f32 = 0.0,
        /// Cumulative persona mix, `MAX_MASKS` entries per agent (only the first
        /// `masks` used).
        pub mix: [f32; MAX_MASKS] = [1.0; MAX_MASKS],
        /// Attitude toward the brand in [−1, 1].
        pub attitude: f32 = 0.0,
        /// Decaying attitude impulse from social-media exposures.
        pub impulse: f32 = 0.0,
        /// Paid and organic exposures so far (for wear-out).
        pub exposures: u16 = 0,
        /// See [`status`].
        pub status: u8 = status::PROSPECT,
        /// See [`membership`].
        pub membership: u8 = membership::NONE,
        /// Tick of the last contribution to the community.
        pub contributed: u32 = 0,
        /// Reputation (social capital).
        pub reputation: f32 = 0.0,
        /// Affiliation, the bond value (social capital).
        pub affiliation: f32 = 0.0,
        /// Knowledge (social capital).
        pub knowledge: f32 = 0.0,
        /// Satisfaction in [0, 1].
        pub satisfaction: f32 = 0.0,
        /// Revenue to date.
        pub revenue: f32 = 0.0,
        /// Discounted margin to date: the customer lifetime value at the horizon.
        pub clv: f32 = 0.0,
        /// Tick of adoption, or [`NEVER`].
        pub adopted: u32 = NEVER,
        /// Next tick of a repeat purchase.
        pub next_purchase: u32 = NEVER,
        /// [`Source`] code of the adoption.
        pub source: u8 = Source::External as u8,
        /// [`Source`] code of the last touch.
        pub last_touch: u8 = Source::External as u8,
        /// The peer behind the last word-of-mouth touch, or [`NEVER`].
        pub informant: u32 = NEVER,
        /// Competitors the agent knows, one bit per competitor (at most 8).
        pub known: u8 = 0,
        /// 1 + the competitor the agent last bought from (the one it buys from while
        /// its status is `RIVAL`); 0: it never bought from a competitor.
        pub rival: u8 = 0,
        /// Participation role should it join the community, see [`role`] (fixed).
        pub role: u8 = role::LURKER,
        /// Tick of the first churn after the first adoption, or [`NEVER`]: with
        /// `adopted`, the customer's survival for cohort retention.
        pub lost: u32 = NEVER,
        /// Exposure to defecting in-neighbours: +1 per neighbour who churned last
        /// tick, halving every `market.contagion.half_life` ticks (churn contagion).
        pub exposure: f32 = 0.0,
    }
}

/// Most competitors a market can hold (one bit each in [`Customers::known`]).
pub const MAX_COMPETITORS: usize = 8;

/// Most persona masks an agent can carry.
pub const MAX_MASKS: usize = 8;

impl Customers {
    /// Number of agents.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether there are no agents.
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }
}
