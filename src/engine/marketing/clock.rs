//! Timing a tick by pass, for `murmur bench`: [`Marketing::step`](super::Marketing::step)
//! steps with [`NoClock`], which compiles to nothing, and
//! [`Marketing::step_timed`](super::Marketing::step_timed) with [`PassTimes`].

/// The passes of a tick (MODEL.md §4.3), for timing each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Pass {
    /// 1: firm actions (budget, events, listening).
    Firm = 0,
    /// 2: who talks.
    Talk = 1,
    /// 3: persona and exposure.
    Exposure = 2,
    /// 4: word of mouth.
    WordOfMouth = 3,
    /// 5: purchase and churn.
    Purchase = 4,
    /// 6: community, with pass 7's census, taken of each chunk as pass 6 finishes it.
    Community = 5,
    /// 7: books and record.
    Record = 6,
}

impl Pass {
    /// Every pass, in tick order.
    pub const ALL: [Pass; 7] = [
        Pass::Firm,
        Pass::Talk,
        Pass::Exposure,
        Pass::WordOfMouth,
        Pass::Purchase,
        Pass::Community,
        Pass::Record,
    ];

    /// The pass's name in `murmur bench`'s output.
    pub fn name(self) -> &'static str {
        [
            "firm",
            "talk",
            "exposure",
            "word_of_mouth",
            "purchase",
            "community",
            "record",
        ][self as usize]
    }
}

/// Marks the end of each pass of a tick.
pub(super) trait PassClock {
    fn lap(&mut self, pass: Pass);
}

/// No timing: [`Marketing::step`]'s clock, which compiles to nothing.
pub(super) struct NoClock;

impl PassClock for NoClock {
    #[inline(always)]
    fn lap(&mut self, _: Pass) {}
}

/// Wall seconds spent in each pass, summed over the ticks stepped with
/// [`Marketing::step_timed`].
#[derive(Clone, Debug, Default)]
pub struct PassTimes {
    /// Seconds per pass, indexed by [`Pass`].
    pub seconds: [f64; 7],
    since: Option<std::time::Instant>,
}

impl PassTimes {
    /// Starts the clock at the beginning of a tick.
    pub(super) fn start(&mut self) {
        self.since = Some(std::time::Instant::now());
    }
}

impl PassClock for PassTimes {
    fn lap(&mut self, pass: Pass) {
        let now = std::time::Instant::now();
        if let Some(since) = self.since {
            self.seconds[pass as usize] += (now - since).as_secs_f64();
        }
        self.since = Some(now);
    }
}
