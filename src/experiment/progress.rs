//! Progress on stderr while a run, sweep or comparison works (`--progress`): a bar on
//! a terminal once work has taken over a second, plain lines for batch logs, a bar per
//! long run beneath a sweep's.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

/// When progress is shown (`--progress`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ProgressMode {
    /// A bar on a terminal once work has taken over a second; nothing otherwise.
    #[default]
    Auto,
    /// Always: a bar at once on a terminal, else a plain line at every tenth of the
    /// work (for batch logs).
    Always,
    /// Never.
    Never,
}

/// The process's progress mode, set once by the command line (`--progress`).
static PROGRESS_MODE: AtomicU8 = AtomicU8::new(0);

/// Sets how every later [`Progress`] shows itself.
pub fn set_progress_mode(mode: ProgressMode) {
    PROGRESS_MODE.store(mode as u8, Ordering::Relaxed);
}

fn progress_mode() -> ProgressMode {
    match PROGRESS_MODE.load(Ordering::Relaxed) {
        1 => ProgressMode::Always,
        2 => ProgressMode::Never,
        _ => ProgressMode::Auto,
    }
}

/// Progress on stderr. By default ([`ProgressMode::Auto`]) a bar that appears only
/// once work has taken over a second, and never when quiet or when stderr is not a
/// terminal; `--progress always` shows it at once, or writes plain lines where stderr is
/// not a terminal; `--progress never` shows nothing. Sweeps and comparisons hang a bar
/// per long run beneath it ([`Progress::child`]).
pub struct Progress {
    multi: MultiProgress,
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
    /// Delay before the bar appears.
    delay: Duration,
    /// Plain lines instead of a bar: the last tenth of the work reported.
    lines: Option<Mutex<u64>>,
    unit: String,
}

fn style(unit: &str, indent: &str) -> ProgressStyle {
    ProgressStyle::with_template(&format!(
        "{indent}{{spinner}} [{{elapsed_precise}}] {{bar:40}} {{pos}}/{{len}} {unit} {{msg}} (eta {{eta}})"
    ))
    .expect("template is valid")
}

impl Progress {
    /// A bar for `total` units of work, each called `unit`.
    pub fn new(total: u64, unit: &str, quiet: bool) -> Self {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        let bar = multi.add(ProgressBar::new(total));
        bar.set_style(style(unit, ""));
        let terminal = std::io::stderr().is_terminal();
        let mode = progress_mode();
        Progress {
            multi,
            bar,
            started: Instant::now(),
            enabled: match mode {
                ProgressMode::Auto => !quiet && terminal,
                ProgressMode::Always => terminal,
                ProgressMode::Never => false,
            },
            shown: AtomicBool::new(false),
            delay: if mode == ProgressMode::Always {
                Duration::ZERO
            } else {
                Duration::from_secs(1)
            },
            lines: (mode == ProgressMode::Always && !terminal).then(|| Mutex::new(0)),
            unit: unit.to_string(),
        }
    }

    /// A plain progress line for a batch log when another tenth of the work is done.
    /// Lines are written under a lock, each tenth once and in order: two threads
    /// crossing tenths at once must not print 100% before 90%.
    fn line(&self, tenths: &Mutex<u64>) {
        let total = self.bar.length().unwrap_or(0).max(1);
        let done = self.bar.position().min(total);
        let tenth = done * 10 / total;
        let mut last = tenths
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if tenth <= *last {
            return;
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = elapsed * (total - done) as f64 / done.max(1) as f64;
        for t in *last + 1..=tenth {
            eprintln!(
                "murmur: {}% ({done}/{total} {}) after {elapsed:.1} s, about {left:.0} s left",
                t * 10,
                self.unit
            );
        }
        *last = tenth;
    }

    /// One unit of work done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if let Some(tenths) = &self.lines {
            self.line(tenths);
        }
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= self.delay
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.multi
                .set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
        }
    }

    /// Shows a message beside the count (e.g. points done).
    pub fn message(&self, text: String) {
        self.bar.set_message(text);
    }

    /// A bar beneath this one for one run of `total` units, labelled `label`; it
    /// appears once the run has taken over a second and goes when the run is done.
    pub fn child(&self, total: u64, label: String) -> RunBar<'_> {
        let bar = ProgressBar::hidden();
        bar.set_length(total);
        bar.set_style(style("replicate-ticks", "  "));
        bar.set_message(label);
        RunBar {
            parent: self,
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The bar of one run beneath a sweep's or comparison's bar.
pub struct RunBar<'a> {
    parent: &'a Progress,
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
}

impl RunBar<'_> {
    /// One unit of the run done (the parent's count moves too).
    pub fn tick(&self) {
        self.parent.tick();
        self.bar.inc(1);
        if self.parent.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            // Adding the bar to the parent's group draws it beneath the parent.
            self.parent.multi.add(self.bar.clone());
        }
    }
}

impl Drop for RunBar<'_> {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
        self.parent.multi.remove(&self.bar);
    }
}
