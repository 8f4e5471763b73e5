//! Word of mouth (docs/MODEL.md §4.7.4, pass 4): every agent pulls the messages of its
//! talking in-neighbours. A message reaches it with probability reach · tie strength ·
//! receptiveness (on a weighted network the tie strength is multiplied by the arc's
//! weight over the network's largest) and shifts its attitude in proportion to the
//! sender's credibility; a positive message to a prospect is a referral. After the network's in-neighbours it
//! hears its event ties (`event_ties.rs`), which are weak ties. Who talks is decided in
//! `talk.rs`; what a reward does over a weak or strong tie in `rewards.rs`.

use super::bits::ones;
use super::draws::{Draw, Draws};
use super::event_ties::EventTies;
use super::record::Tally;
use super::talk::Message;
use super::{CHUNK, Marketing, exposure, rewards, tally_agents, tally_chunks};
use crate::network::FirstNumbers;
use crate::population::Customers;
use crate::population::{CustomersChunk, Source, flag, status};
use crate::rng::{Purpose, StreamKey};
use crate::scenario::marketing::{Advocates, Mask, WordOfMouth};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Channels of receptiveness, in mask order.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(usize)]
pub(super) enum Channel {
    Paid = 0,
    Organic = 1,
    WordOfMouth = 2,
    Community = 3,
    Review = 4,
}

/// The channel through which a message of a given source is received.
#[inline]
pub(super) fn channel_of(source: u8) -> Channel {
    match Source::from_code(source) {
        Source::PaidSocial => Channel::Paid,
        Source::OrganicSocial | Source::Influencer => Channel::Organic,
        Source::Community | Source::Advocate => Channel::Community,
        Source::Review => Channel::Review,
        Source::WordOfMouth | Source::External | Source::Peers => Channel::WordOfMouth,
    }
}

/// A mask's receptiveness to a message's channel: community and advocate talk through
/// `community`, reviews through `review`, influencers' sponsored posts through
/// `organic`, everything else through `word_of_mouth`.
#[inline]
fn mask_receptiveness(m: &Mask, source: u8) -> f64 {
    channel_value(m, channel_of(source))
}

/// A mask's value for a channel.
#[inline]
fn channel_value(m: &Mask, channel: Channel) -> f64 {
    match channel {
        Channel::Community => m.community,
        Channel::Review => m.review,
        Channel::Organic => m.organic,
        Channel::Paid => m.paid,
        Channel::WordOfMouth => m.word_of_mouth,
    }
}

/// The channels, in mask order.
const CHANNELS: [Channel; 5] = [
    Channel::Paid,
    Channel::Organic,
    Channel::WordOfMouth,
    Channel::Community,
    Channel::Review,
];

/// Whether the tie from a sender of community label `from` to agent v is weak: its
/// ends are in different network communities (never without `labels`).
#[inline]
pub(super) fn is_weak(labels: Option<&[u32]>, from: u32, v: usize) -> bool {
    matches!(labels, Some(l) if from != l[v])
}

/// Tie strength: `weak_tie` for a weak tie (across network communities), else 1.
#[inline]
pub(super) fn tie_strength(w: &WordOfMouth, weak: bool) -> f64 {
    if weak { w.weak_tie } else { 1.0 }
}

/// The relative strength of a network arc: its weight over the network's largest
/// weight, in [0, 1] ([`Unweighted`]: 1 for every arc, at no cost).
pub(super) trait ArcStrength: Copy {
    /// The strength of the arc at position `arc` of the incoming adjacency.
    fn of(self, arc: u64) -> f64;
}

/// Every arc at full strength: the network has no weights.
#[derive(Clone, Copy)]
pub(super) struct Unweighted;

impl ArcStrength for Unweighted {
    #[inline(always)]
    fn of(self, _: u64) -> f64 {
        1.0
    }
}

/// Arc weights relative to the largest: w / max, 0 for every arc when max is 0.
#[derive(Clone, Copy)]
pub(super) struct Weighted<'a> {
    /// Weights aligned with the incoming adjacency's targets.
    pub weights: &'a [f32],
    /// The network's largest weight.
    pub max: f64,
}

impl ArcStrength for Weighted<'_> {
    #[inline(always)]
    fn of(self, arc: u64) -> f64 {
        relative_weight(self.weights[arc as usize], self.max)
    }
}

/// A weight relative to the network's largest, `max`: w / max in [0, 1], and 0 when
/// `max` is 0 (no tie carries anything).
#[inline]
pub(super) fn relative_weight(w: f32, max: f64) -> f64 {
    if max > 0.0 { w as f64 / max } else { 0.0 }
}

/// A message's chance of reaching its receiver over a tie u → v of relative strength
/// `strength` (1 unless the network is weighted), and its credibility there:
/// reach·tie·strength·receptiveness·(the reward's reach factor), and the sender's
/// credibility × (the reward's credibility factor) (`rewards.rs`).
///
/// The reach at receptiveness 1 bounds the reach at any receptiveness, bit for bit
/// (tested in `the_reach_at_full_receptiveness_bounds_every_reach`): receptiveness
/// is at most 1, every other factor is at least 0 (the scenario check and the
/// edge-list loader refuse negatives), and a rounded product is monotone in each
/// factor.
#[inline]
fn over_tie(
    w: &WordOfMouth,
    rewarded: Option<&Advocates>,
    message: &Message,
    (weak, strength): (bool, f64),
    receptiveness: f64,
) -> (f64, f64) {
    // × 1.0 when unweighted leaves the product bit for bit as it was.
    let tie = tie_strength(w, weak) * strength;
    let arc = rewards::arc_effect(rewarded, message.reward, weak);
    (
        w.reach * tie * receptiveness * arc.reach,
        message.credibility as f64 * arc.credibility,
    )
}

/// Attitude a after a positive message of weight x (shift × credibility, and
/// receptiveness for reviews): a + x·(1 − a), within [−1, 1].
#[inline]
pub(super) fn persuaded(a: f64, weight: f64) -> f32 {
    (a + weight * (1.0 - a)).clamp(-1.0, 1.0) as f32
}

/// Attitude a after a negative message of weight x: a − x·(1 + a), within [−1, 1].
#[inline]
pub(super) fn dissuaded(a: f64, weight: f64) -> f32 {
    (a - weight * (1.0 + a)).clamp(-1.0, 1.0) as f32
}

/// One tick of word of mouth, read by every receiver.
struct Hearing<'a> {
    w: &'a WordOfMouth,
    /// The tick's persona masks, drawn for a receiver when a message reaches it.
    personas: exposure::Personas<'a>,
    /// For each channel, the least value any mask in use gives it.
    least: [f64; 5],
    incoming: &'a crate::network::Csr,
    labels: Option<&'a [u32]>,
    /// Who talks, bit `u % 64` of word `u / 64` for agent u.
    talking: &'a [u64],
    /// The advocate programme, whose rewards act per tie.
    advocates: Option<&'a Advocates>,
    /// Contacts over network arcs, keyed by the arc's position in the network as
    /// built.
    contact: StreamKey,
    /// When the agents were renumbered, the first contact key of each agent's
    /// in-arcs: where its row began in the network as built (`renumbering.rs`).
    arc_keys: Option<&'a [u64]>,
    /// The agents' first numbers.
    ids: FirstNumbers<'a>,
    /// The event-tie overlay, when events create ties (`event_ties.rs`).
    event_ties: Option<&'a EventTies>,
    /// Contacts over event ties, keyed by the receiver's first number and slot.
    event_contact: StreamKey,
}

/// A tie a message may travel over: its sender, whether it is an event tie (else a
/// network tie), and the stream and key of its contact draw.
struct Tie {
    from: usize,
    event: bool,
    /// The arc's relative strength (1 for event ties and unweighted networks).
    strength: f64,
    stream: StreamKey,
    key: u64,
}

impl<'a> Hearing<'a> {
    /// Agent `j` of chunk `c` hears its talking in-neighbours, over arcs of the
    /// strengths `strength` gives, then its event ties (weak ties, of strength 1).
    #[inline]
    fn hear(
        &self,
        c: &mut CustomersChunk,
        j: usize,
        (strength, said): (impl ArcStrength, impl Said),
        tally: &mut Tally,
    ) {
        let v = c.start + j;
        let mut m = None;
        let first = self.incoming.offsets[v];
        let neighbours = self.incoming.neighbours(v as u32);
        // Contacts are keyed by the arc's position in the network as built, before any
        // renumbering (rows keep their order when renumbered): `renumbering.rs`.
        let key = self.arc_keys.map_or(first, |base| base[v]);
        let network = (false, self.contact, key, first);
        self.hear_over(c, j, &mut m, neighbours, network, (strength, said), tally);
        if let Some(ties) = self.event_ties {
            let first = (self.ids.get(v) * ties.max()) as u64;
            let event = (true, self.event_contact, first, first);
            let over = (Unweighted, said);
            self.hear_over(c, j, &mut m, ties.of(v), event, over, tally);
        }
    }

    /// Agent `j` hears the talking senders of `from`, the k-th over a tie of kind
    /// (event tie or not, contact stream, first key, first arc) whose contact draw is
    /// keyed first key + k, and whose strength is `strength.of(first arc + k)`. Most
    /// senders are silent: they are skipped here, without a call per arc.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn hear_over(
        &self,
        c: &mut CustomersChunk,
        j: usize,
        m: &mut Option<&'a Mask>,
        from: &[u32],
        (event, stream, first, arc): (bool, StreamKey, u64, u64),
        (strength, said): (impl ArcStrength, impl Said),
        tally: &mut Tally,
    ) {
        for (k, &u) in from.iter().enumerate() {
            if !talks(self.talking, u as usize) {
                continue;
            }
            let tie = Tie {
                from: u as usize,
                event,
                strength: strength.of(arc + k as u64),
                stream,
                key: first + k as u64,
            };
            self.receive(c, j, m, &tie, said.of(self.talking, u as usize), tally);
        }
    }

    /// Agent `j` of chunk `c`, of mask `m`, receives the message of `tie`'s sender
    /// (who talks: `hear_over` skipped the silent), if the contact is made.
    #[inline]
    fn receive(
        &self,
        c: &mut CustomersChunk,
        j: usize,
        m: &mut Option<&'a Mask>,
        tie: &Tie,
        (message, label): (Message, u32),
        tally: &mut Tally,
    ) {
        let (w, u) = (self.w, tie.from);
        let weak = tie.event || is_weak(self.labels, label, c.start + j);
        let draw = tie.stream.unit(tie.key);
        // A draw at or above the reach at full receptiveness misses whatever the
        // receiver's mask (see `over_tie`): its mask, a read of its 32-byte mix
        // and a hash, is drawn only for a contact that may be made.
        let over = |r| over_tie(w, self.advocates, &message, (weak, tie.strength), r);
        if draw >= over(1.0).0 {
            return;
        }
        // A draw below the reach at the least receptive mask's value is a contact
        // whatever the receiver's mask (reach is monotone in receptiveness, and the
        // credibility does not depend on it), so the mask is drawn only between the
        // two bounds.
        let least = self.least[channel_of(message.source) as usize];
        let (floor, credibility) = over(exposure::receptiveness(least, c.susceptibility[j]));
        if draw >= floor {
            let m = *m.get_or_insert_with(|| self.personas.of(&c.mix[j], c.start + j));
            let r = mask_receptiveness(m, message.source);
            if draw >= over(exposure::receptiveness(r, c.susceptibility[j])).0 {
                return;
            }
        }
        c.flags[j] |= flag::AWARE | flag::TOUCHED;
        let a = c.attitude[j] as f64;
        if message.sign > 0 {
            tally.positive += 1;
            c.attitude[j] = persuaded(a, w.attitude_shift * credibility);
            if c.status[j] != status::CUSTOMER {
                refer(c, j, &message, u, tally);
            }
        } else {
            tally.negative += 1;
            c.attitude[j] = dissuaded(a, w.negative_shift * credibility);
        }
    }
}

/// A recommendation to someone who is not a customer is a referral, counted for its
/// source (advocates' apart; reviews are not referrals, their adoptions count apart).
/// The prospect remembers the channel and the informant.
#[inline]
fn refer(c: &mut CustomersChunk, j: usize, message: &Message, u: usize, tally: &mut Tally) {
    if Source::from_code(message.source).is_referral() {
        tally.referrals += 1;
    }
    if message.source == Source::Advocate as u8 {
        tally.advocate_referrals += 1;
    }
    c.last_touch[j] = message.source;
    c.informant[j] = u as u32;
}

/// Whether agent `u` talks this tick, by its bit in `talking` (set in pass 2).
#[inline]
pub(super) fn talks(talking: &[u64], u: usize) -> bool {
    talking[u / 64] & (1 << (u % 64)) != 0
}

/// The agents of chunk `c` (its bits of `talking`) who talk this tick, in id order.
fn talking((c, bits): (usize, &[u64])) -> impl Iterator<Item = usize> + '_ {
    ones(c * CHUNK, bits)
}

/// Every agent hears its talking senders, over arcs of the strengths and reading
/// what they said where `over` says; or, with `heard`, only the agents marked in it
/// (one bit per agent), in id order, each chunk walking its own bits and clearing
/// them: a tick's cost is then the marked agents', not a test of every agent's bit.
fn listen(
    agents: &mut Customers,
    (hearing, heard): (&Hearing, Option<&[AtomicU64]>),
    over: (impl ArcStrength + Sync, impl Said),
) -> Tally {
    let Some(heard) = heard else {
        return tally_agents(agents, |c, j, tally| hearing.hear(c, j, over, tally));
    };
    tally_chunks(agents, |c, tally| {
        // Chunks start at multiples of 64 agents; each word is read by one chunk.
        let words = &heard[c.start / 64..(c.start + c.flags.len()).div_ceil(64)];
        let marked: [u64; CHUNK / 64] = std::array::from_fn(|w| {
            let bits = words.get(w).map_or(0, |word| word.load(Relaxed));
            if bits != 0 {
                words[w].store(0, Relaxed);
            }
            bits
        });
        for j in ones(0, &marked) {
            hearing.hear(c, j, over, tally);
        }
    })
}

/// Where a receiver reads what a talking sender said: its message and its network
/// community label (0 when the network has none).
pub(super) trait Said: Copy + Sync {
    /// What talking agent `u` said; `talking` holds one bit per agent.
    fn of(self, talking: &[u64], u: usize) -> (Message, u32);
}

/// Every agent's message slot and label, read where the agent's id points: two reads
/// at random into arrays of every agent (8 MB and 4 MB at 1M agents).
#[derive(Clone, Copy)]
struct Direct<'a> {
    talk: &'a [Message],
    labels: Option<&'a [u32]>,
}

impl Said for Direct<'_> {
    #[inline(always)]
    fn of(self, _: &[u64], u: usize) -> (Message, u32) {
        (self.talk[u], self.labels.map_or(0, |l| l[u]))
    }
}

/// A talker's message beside its community label, so that one read fetches both.
#[derive(Clone, Copy)]
struct Spoken {
    message: Message,
    label: u32,
}

/// The talkers of a tick alone, in id order, and for each 64-agent word of the
/// `talking` bits the talkers before it, so that talker u's entry is found by rank
/// (talkers before u's word plus the bits set below u in it). When few talk, their
/// entries fill a table small enough to stay in cache, where each agent's slot of
/// `talk` and `labels` is a read at random into arrays of every agent.
#[derive(Default)]
pub(super) struct Talkers {
    spoken: Vec<Spoken>,
    before: Vec<u32>,
}

impl Talkers {
    /// Bytes per agent it may hold, rounded up: a 12-byte `Spoken` for at most one
    /// agent in [`GATHER_SHARE`] (1.5) and a 4-byte count per 64 agents (1/16).
    pub(super) const BYTES_PER_AGENT: usize = 2;

    /// Gathers the tick's talkers (the bits of `talking`) with their messages in
    /// `talk` and labels, when they are at most one agent in [`GATHER_SHARE`], and
    /// says whether it did.
    pub(super) fn gather(
        &mut self,
        talking: &[u64],
        talk: &[Message],
        labels: Option<&[u32]>,
    ) -> bool {
        // The talkers before each word, and in all, in one walk over the words.
        self.before.clear();
        self.before.reserve_exact(talking.len());
        let mut count = 0u32;
        self.before.extend(talking.iter().map(|word| {
            let before = count;
            count += word.count_ones();
            before
        }));
        if count as usize > talk.len() / GATHER_SHARE {
            return false;
        }
        self.spoken.clear();
        // Exactly what this tick needs, so the table never holds more than its bound.
        self.spoken.reserve_exact(count as usize);
        let talkers = talking
            .chunks(CHUNK / 64)
            .enumerate()
            .flat_map(self::talking);
        self.spoken.extend(talkers.map(|u| Spoken {
            message: talk[u],
            label: labels.map_or(0, |l| l[u]),
        }));
        true
    }

    /// The gathered table, to read from.
    fn table(&self) -> TalkerTable<'_> {
        TalkerTable {
            spoken: &self.spoken,
            before: &self.before,
        }
    }
}

/// The gathered talkers' entries, found by rank ([`Talkers`]).
#[derive(Clone, Copy)]
struct TalkerTable<'a> {
    spoken: &'a [Spoken],
    before: &'a [u32],
}

impl Said for TalkerTable<'_> {
    #[inline(always)]
    fn of(self, talking: &[u64], u: usize) -> (Message, u32) {
        let w = u / 64;
        let below = talking[w] & ((1u64 << (u % 64)) - 1);
        let s = self.spoken[(self.before[w] + below.count_ones()) as usize];
        (s.message, s.label)
    }
}

/// The talkers are gathered into a table of their own when they are at most one
/// agent in this many (which bounds the table's memory).
pub(super) const GATHER_SHARE: usize = 8;

// The memory estimate's bound holds for every 64 agents' worth of table.
const _: () = assert!(
    64 * Talkers::BYTES_PER_AGENT
        >= 64 / GATHER_SHARE * std::mem::size_of::<Spoken>() + std::mem::size_of::<u32>()
);

/// Word of mouth is pushed from the talkers, rather than pulled by every receiver
/// over every arc, when the talkers' arcs are fewer than the network's arcs over this.
pub(super) const PUSH_BELOW: u64 = 8;

impl Marketing<'_> {
    /// Pass 4: every agent hears the messages of its talking in-neighbours and event
    /// ties. Whether the network is weighted is decided here, once per pass.
    ///
    /// When few talk, only their receivers are visited: the talkers' out-neighbours
    /// and event ties are marked first (cost proportional to the talkers' degrees),
    /// and each marked receiver hears exactly as it would in the full sweep (its
    /// in-neighbours in order, keyed by arc), so the results are the same either way.
    /// The talkers' messages and labels are then also gathered into a table of their
    /// own ([`Talkers`]), which stays in cache where the arrays of every agent do not;
    /// a receiver reads the same values from it.
    pub(super) fn word_of_mouth(&mut self, draws: &Draws, t: u32) -> Tally {
        let pushed = self.mark_receivers(self.push_below);
        let labels = self.network.community.as_deref();
        let gathered = pushed && self.talkers.gather(&self.talking, &self.talk, labels);
        let personas = exposure::Personas::new(&self.spec.market, draws);
        let hearing = Hearing {
            talking: &self.talking,
            w: &self.spec.market.word_of_mouth,
            personas,
            least: CHANNELS.map(|channel| personas.least(|m| channel_value(m, channel))),
            incoming: self.network.incoming(),
            labels,
            advocates: self.spec.strategy.community.as_ref().map(|c| &c.advocates),
            contact: StreamKey::new(self.seed, self.replicate, t as u64, Purpose::Contact),
            arc_keys: self.arc_keys.as_deref(),
            ids: draws.ids(),
            event_ties: self.event_ties.as_ref(),
            event_contact: draws.key(Draw::EventContact),
        };
        let marked = pushed.then_some(&self.heard[..]);
        let direct = Direct {
            talk: &self.talk,
            labels,
        };
        let (talkers, agents, h) = (&self.talkers, &mut self.agents, (&hearing, marked));
        match (self.network.incoming_weights(), self.max_weight, gathered) {
            (Some(weights), Some(max), false) => {
                listen(agents, h, (Weighted { weights, max }, direct))
            }
            (Some(weights), Some(max), true) => {
                listen(agents, h, (Weighted { weights, max }, talkers.table()))
            }
            (_, _, false) => listen(agents, h, (Unweighted, direct)),
            (_, _, true) => listen(agents, h, (Unweighted, talkers.table())),
        }
    }

    /// Marks in `heard` every agent a talker may reach (its out-neighbours and event
    /// ties) when the talkers' arcs times `push_below` are fewer than all arcs
    /// ([`PUSH_BELOW`]), and says whether it did; otherwise marks nothing and every
    /// agent will listen.
    fn mark_receivers(&mut self, push_below: u64) -> bool {
        let (out, ties) = (&self.network.out, self.event_ties.as_ref());
        let reach =
            |u: usize| out.degree(u as u32) as u64 + ties.map_or(0, |t| t.of(u).len() as u64);
        // Who talks is one bit per agent (set in pass 2): a receiver tests a sender's
        // bit (an array small enough to stay in cache) before its message.
        let arcs: u64 = self
            .talking
            .par_chunks(CHUNK / 64)
            .enumerate()
            .map(|chunk| talking(chunk).map(reach).sum::<u64>())
            .sum();
        let total = out.arcs() as u64 + ties.map_or(0, |t| (t.max() * self.talk.len()) as u64);
        if arcs.saturating_mul(push_below) >= total {
            return false;
        }
        let heard = &self.heard;
        self.talking
            .par_chunks(CHUNK / 64)
            .enumerate()
            .for_each(|chunk| {
                for u in talking(chunk) {
                    let neighbours = out.neighbours(u as u32).iter();
                    for &v in neighbours.chain(ties.map_or(&[][..], |t| t.of(u))) {
                        heard[v as usize / 64].fetch_or(1 << (v % 64), Relaxed);
                    }
                }
            });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushing from the talkers and pulling over every arc hear the same messages
    /// with the same draws: a run that always pushes and one that always pulls
    /// record the same ticks, column for column, with event ties and advocates on.
    #[test]
    fn pushed_word_of_mouth_is_pulled_word_of_mouth() {
        let path = std::path::Path::new("scenarios/physical_events.toml");
        let text = include_str!("../../../scenarios/physical_events.toml");
        let mut scenario = crate::scenario::Scenario::from_str_at(text, path).unwrap();
        scenario.population.size = 3000;
        let crate::scenario::ModelSpec::Marketing(spec) = &scenario.model else {
            panic!("a marketing scenario")
        };
        let net = crate::network::Network::build(&scenario.network.spec, 3000, 5).unwrap();
        let run = |push_below| {
            let mut m = Marketing::new(&net, spec, 11, 0);
            m.push_below = push_below;
            let mut pushed = 0;
            // Compared bit for bit: some columns are NaN by definition.
            let rows: Vec<Vec<Option<u64>>> = (1..=120)
                .map(|t| {
                    m.step(t);
                    // With nobody talking, even a pull marks (nobody) and skips all.
                    let talkers = m.talking.iter().any(|&bits| bits != 0);
                    pushed += (m.mark_receivers(push_below) && talkers) as u32;
                    m.heard.iter().for_each(|h| h.store(0, Relaxed));
                    let row = super::super::COLUMNS.iter().map(|c| m.last(c));
                    row.map(|v| v.map(f64::to_bits)).collect()
                })
                .collect();
            (rows, pushed)
        };
        let (pull, never) = run(u64::MAX);
        let (push, always) = run(0);
        assert_eq!(never, 0);
        assert!(always > 100, "{always} of 120 ticks had talkers");
        let customers = super::super::COLUMNS.iter().position(|&c| c == "customers");
        let last = f64::from_bits(pull[119][customers.unwrap()].unwrap());
        assert!(last > 50.0, "{last} customers");
        assert!(pull == push, "pushing changed the run");
    }

    #[test]
    fn advocates_speak_through_the_community_channel() {
        assert_eq!(channel_of(Source::Advocate as u8), Channel::Community);
        assert_eq!(channel_of(Source::Review as u8), Channel::Review);
        assert_eq!(channel_of(Source::External as u8), Channel::WordOfMouth);
        assert_eq!(channel_of(Source::Influencer as u8), Channel::Organic);
    }

    /// A talker's entry in the gathered table is its own message and label, for every
    /// talker; the table is refused when more than one agent in `GATHER_SHARE` talks.
    #[test]
    fn the_talkers_table_holds_each_talkers_own_message_and_label() {
        let n = 64 * 50 + 17;
        let mut rng = StreamKey::new(3, 0, 0, Purpose::Contact).agent(0);
        let talk: Vec<Message> = (0..n)
            .map(|i| Message {
                credibility: rng.unit() as f32,
                sign: 1 - 2 * (i % 2) as i8,
                source: (i % Source::COUNT) as u8,
                reward: (i % 3) as u8,
            })
            .collect();
        let labels: Vec<u32> = (0..n).map(|_| (rng.unit() * 40.0) as u32).collect();
        for share in [0.01, 0.1, 1.0 / GATHER_SHARE as f64] {
            let mut talking = vec![0u64; n.div_ceil(64)];
            let mut count = 0;
            for u in 0..n {
                if rng.unit() < share && count < n / GATHER_SHARE {
                    talking[u / 64] |= 1 << (u % 64);
                    count += 1;
                }
            }
            let mut talkers = Talkers::default();
            for labels in [Some(&labels[..]), None] {
                assert!(talkers.gather(&talking, &talk, labels));
                let (table, direct) = (
                    talkers.table(),
                    Direct {
                        talk: &talk,
                        labels,
                    },
                );
                for u in (0..n).filter(|&u| talks(&talking, u)) {
                    let (a, b) = (table.of(&talking, u), direct.of(&talking, u));
                    assert_eq!(a.1, b.1, "label of {u}");
                    assert_eq!(a.1, labels.map_or(0, |l| l[u]));
                    let (x, y) = (a.0, talk[u]);
                    assert_eq!(
                        (x.credibility, x.sign, x.source, x.reward),
                        (y.credibility, y.sign, y.source, y.reward)
                    );
                }
                assert_eq!(talkers.spoken.len(), count);
            }
        }
        // One talker more than the bound: not gathered.
        let mut talking = vec![0u64; n.div_ceil(64)];
        for u in 0..=n / GATHER_SHARE {
            talking[u / 64] |= 1 << (u % 64);
        }
        assert!(!Talkers::default().gather(&talking, &talk, Some(&labels)));
    }

    #[test]
    fn ties_across_communities_are_weak() {
        let w = WordOfMouth {
            weak_tie: 0.3,
            ..WordOfMouth::default()
        };
        let labels = [0, 0, 1];
        assert!(!is_weak(Some(&labels), labels[0], 1) && is_weak(Some(&labels), labels[0], 2));
        assert!(!is_weak(None, 0, 2));
        assert_eq!(tie_strength(&w, false), 1.0);
        assert_eq!(tie_strength(&w, true), 0.3);
    }

    #[test]
    fn a_cash_message_over_a_weak_tie_reaches_further_and_is_believed_less() {
        let w = WordOfMouth {
            reach: 0.3,
            weak_tie: 0.5,
            ..WordOfMouth::default()
        };
        let p = Advocates {
            reward: crate::scenario::marketing::Reward::Cash,
            weak_reach: 2.0,
            weak_discount: 0.5,
            ..Advocates::default()
        };
        let plain = Message {
            sign: 1,
            credibility: 0.8,
            ..Message::default()
        };
        let cash = Message {
            reward: rewards::kind::CASH,
            ..plain
        };
        let (reach, cred) = over_tie(&w, Some(&p), &plain, (true, 1.0), 1.0);
        assert!((reach - 0.15).abs() < 1e-12 && (cred - 0.8).abs() < 1e-6);
        let (reach, cred) = over_tie(&w, Some(&p), &cash, (true, 1.0), 1.0);
        assert!((reach - 0.3).abs() < 1e-12 && (cred - 0.4).abs() < 1e-6);
    }

    #[test]
    fn a_tie_of_weight_zero_never_reaches_and_the_strongest_reaches_fully() {
        let w = WordOfMouth {
            reach: 0.3,
            ..WordOfMouth::default()
        };
        let plain = Message {
            sign: 1,
            credibility: 0.8,
            ..Message::default()
        };
        let strengths = Weighted {
            weights: &[0.0, 2.0, 4.0],
            max: 4.0,
        };
        let reach = |arc| over_tie(&w, None, &plain, (false, strengths.of(arc)), 1.0).0;
        assert_eq!(reach(0), 0.0);
        assert_eq!(reach(1), 0.15);
        assert_eq!(
            reach(2),
            over_tie(&w, None, &plain, (false, Unweighted.of(2)), 1.0).0
        );
        assert_eq!(relative_weight(3.0, 0.0), 0.0);
    }

    /// Advocates whose rewards widen the reach over weak and strong ties.
    fn rewarding_advocates() -> Advocates {
        Advocates {
            weak_reach: 2.0,
            strong_reach: 1.2,
            ..Advocates::default()
        }
    }

    /// A random reach and weak-tie strength, positive message with a random
    /// credibility and reward, and tie (weak or not, of random strength), drawn from
    /// the uniforms `next` gives, in that order.
    fn random_contact(next: &mut impl FnMut() -> f64) -> (WordOfMouth, Message, (bool, f64)) {
        let w = WordOfMouth {
            reach: next(),
            weak_tie: next(),
            ..WordOfMouth::default()
        };
        let message = Message {
            sign: 1,
            credibility: next() as f32,
            reward: [
                rewards::kind::NONE,
                rewards::kind::CASH,
                rewards::kind::TWO_SIDED,
            ][(next() * 3.0) as usize],
            ..Message::default()
        };
        (w, message, (next() < 0.5, next()))
    }

    /// `receive` skips drawing the mask when the contact draw is at or above the reach
    /// at receptiveness 1: that reach must bound the reach at every receptiveness a
    /// mask can give, in floating point, for every tie and reward.
    #[test]
    fn the_reach_at_full_receptiveness_bounds_every_reach() {
        let advocates = rewarding_advocates();
        let mut rng = StreamKey::new(7, 0, 0, Purpose::Contact).agent(0);
        let mut next = || rng.unit();
        let mut reached_bound = 0;
        for _ in 0..200_000 {
            let (w, message, tie) = random_contact(&mut next);
            let most = over_tie(&w, Some(&advocates), &message, tie, 1.0).0;
            // A mask's receptiveness (in [0, 1]) scaled by a susceptibility.
            let r = exposure::receptiveness(next(), (next() * 2.0) as f32);
            let reach = over_tie(&w, Some(&advocates), &message, tie, r).0;
            assert!(reach <= most, "{reach} > {most}");
            reached_bound += (reach == most) as u32;
        }
        // Receptiveness is capped at 1, so the bound is attained: it is not loose.
        assert!(reached_bound > 1000, "{reached_bound}");
    }

    /// `receive` makes a contact without drawing the mask when the contact draw is
    /// below the reach at the least receptive mask's value: that reach must be at most
    /// the reach at any larger mask value, in floating point, for every tie, reward
    /// and susceptibility, and the credibility must not depend on the mask.
    #[test]
    fn the_reach_at_the_least_receptive_mask_floors_every_mask_s_reach() {
        let advocates = rewarding_advocates();
        let mut rng = StreamKey::new(8, 0, 0, Purpose::Contact).agent(0);
        let mut next = || rng.unit();
        let mut equal = 0;
        for _ in 0..200_000 {
            let (w, message, tie) = random_contact(&mut next);
            let susceptibility = (next() * 2.0) as f32;
            let (least, more) = {
                let (a, b) = (next(), next());
                // Equal values now and then, as masks sharing a channel's value give.
                if next() < 0.1 {
                    (a, a)
                } else {
                    (a.min(b), a.max(b))
                }
            };
            let at = |v: f64| {
                let r = exposure::receptiveness(v, susceptibility);
                over_tie(&w, Some(&advocates), &message, tie, r)
            };
            let (floor, credibility) = at(least);
            let (reach, other) = at(more);
            assert!(floor <= reach, "{floor} > {reach}");
            assert_eq!(credibility.to_bits(), other.to_bits());
            equal += (floor == reach) as u32;
        }
        assert!(equal > 1000, "{equal}");
    }

    #[test]
    fn messages_move_attitude_towards_their_sign_within_bounds() {
        assert_eq!(persuaded(0.0, 0.5), 0.5);
        assert_eq!(persuaded(1.0, 0.5), 1.0);
        assert_eq!(dissuaded(0.0, 0.5), -0.5);
        assert_eq!(dissuaded(-1.0, 0.5), -1.0);
    }
}
