//! The catalogue of scenario keys: one entry per key, classic and marketing alike,
//! with the sort of value it takes, its range, default, unit, meaning and source.
//!
//! Validation reads the ranges from here (`resolve` for the classic keys,
//! [`MarketingSpec::check`](super::marketing::MarketingSpec::check) for the marketing
//! ones), error messages read the words (`diagnose`), and the parameter tables of
//! docs/MODEL.md (sections 3.5 and 4.9) are rendered from it by [`markdown_table`]; a
//! test below fails when the document and the catalogue disagree. The network kinds'
//! own keys are described in docs/MODEL.md section 3.3, not in a rendered table.

/// The largest amount of money any key takes (docs/MODEL.md): 10⁹ currency units per
/// purchase, per tick, per event, per advocate per tick or per answer.
pub const MAX_MONEY: f64 = 1e9;

/// The largest value of a rate, count or multiplier key without a natural bound
/// (docs/MODEL.md): 10⁶.
pub const MAX_RATE: f64 = 1e6;

/// What sort of TOML value a key takes, as error messages name it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shape {
    Whole,
    Number,
    Bool,
    Text,
    Name,
    Table,
    List,
}

/// The values a key accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A whole number from `min`, up to `max` when given (else up to what its type holds).
    Whole {
        /// Smallest value.
        min: u64,
        /// Largest value, when a message states it.
        max: Option<u64>,
    },
    /// A finite number in [lo, hi].
    Number {
        /// Smallest value.
        lo: f64,
        /// Largest value.
        hi: f64,
    },
    /// `true` or `false`.
    Bool,
    /// Text in quotes.
    Text,
    /// One of a fixed set of names.
    Names(&'static [&'static str]),
    /// A table.
    Table,
    /// A list (of tables or names).
    List,
}

/// A probability or share: [0, 1].
const PROBABILITY: Value = num(0.0, 1.0);
/// An amount of money: [0, 10⁹] (docs/MODEL.md section 4.9).
const MONEY: Value = num(0.0, MAX_MONEY);
/// A rate, count or multiplier without a natural bound: [0, 10⁶].
const RATE: Value = num(0.0, MAX_RATE);
/// A logit weight: [−50, 50].
const LOGIT: Value = num(-50.0, 50.0);

const fn num(lo: f64, hi: f64) -> Value {
    Value::Number { lo, hi }
}

const fn whole(min: u64) -> Value {
    Value::Whole { min, max: None }
}

const fn names(names: &'static [&'static str]) -> Value {
    Value::Names(names)
}

/// Which parameter table of docs/MODEL.md lists a key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Table {
    /// None: tables, the scenario name and the network kinds' keys (section 3.3).
    Hidden,
    /// Section 3.5, the classic models.
    Classic,
    /// Section 4.9, the marketing model.
    Marketing,
}

/// One scenario key.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// Dotted path; `i` stands for the index of a list entry (`phase.i.start`).
    pub path: &'static str,
    /// The values it accepts.
    pub value: Value,
    /// Its default, in words (`required` when it has none).
    pub default: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// One line on what it means.
    pub meaning: &'static str,
    /// Where the mechanism or value comes from (`calibration`: murmur's own).
    pub source: &'static str,
    /// The models it applies to (classic keys).
    pub model: &'static str,
    /// The docs/MODEL.md table listing it.
    pub table: Table,
    /// What messages say it accepts, when not rendered from `value`.
    words: &'static str,
    /// The range column of docs/MODEL.md, when not rendered from `value`.
    doc: &'static str,
    /// Text appended to the rendered range column (a condition on other keys).
    note: &'static str,
}

/// A marketing key (section 4.9); the builders below adjust it.
const fn key(
    path: &'static str,
    value: Value,
    default: &'static str,
    unit: &'static str,
    meaning: &'static str,
    source: &'static str,
) -> Key {
    Key {
        path,
        value,
        default,
        unit,
        meaning,
        source,
        model: "",
        table: Table::Marketing,
        words: "",
        doc: "",
        note: "",
    }
}

/// A classic key listed in section 3.5 for `model`.
const fn classic(
    path: &'static str,
    model: &'static str,
    value: Value,
    default: &'static str,
    unit: &'static str,
    meaning: &'static str,
    source: &'static str,
) -> Key {
    let mut k = key(path, value, default, unit, meaning, source);
    k.model = model;
    k.table = Table::Classic;
    k
}

/// A key no parameter table lists, with the words its messages use.
const fn hidden(path: &'static str, value: Value, words: &'static str) -> Key {
    let mut k = key(path, value, "", "", "", "");
    k.table = Table::Hidden;
    k.words = words;
    k
}

impl Key {
    const fn words(mut self, words: &'static str) -> Key {
        self.words = words;
        self
    }
    const fn doc(mut self, doc: &'static str) -> Key {
        self.doc = doc;
        self
    }
    const fn note(mut self, note: &'static str) -> Key {
        self.note = note;
        self
    }

    /// The sort of value, as messages name it.
    pub(super) fn shape(&self) -> Shape {
        match self.value {
            Value::Whole { .. } => Shape::Whole,
            Value::Number { .. } => Shape::Number,
            Value::Bool => Shape::Bool,
            Value::Text => Shape::Text,
            Value::Names(_) => Shape::Name,
            Value::Table => Shape::Table,
            Value::List => Shape::List,
        }
    }

    /// What the key accepts, in the words of an error message's "Allowed:".
    pub fn allowed(&self) -> String {
        if let Some(kind) = self.words.find("{kinds}").map(|_| join(self.path, "kind")) {
            let kinds = find(&kind).map_or_else(String::new, |k| k.allowed());
            return self.words.replace("{kinds}", &kinds);
        }
        if !self.words.is_empty() {
            return self.words.to_string();
        }
        match self.value {
            Value::Whole { min, max: None } => format!("a whole number ≥ {min}"),
            Value::Whole {
                min,
                max: Some(max),
            } => format!("a whole number from {min} to {max}"),
            Value::Number { lo, hi } => format!("a number from {} to {}", short(lo), short(hi)),
            Value::Bool => "true or false".into(),
            Value::Text => "text in quotes".into(),
            Value::Names(names) => quoted_names(names.iter().copied()),
            Value::Table => "a table".into(),
            Value::List => "a list".into(),
        }
    }

    /// The range column of docs/MODEL.md.
    pub fn range_doc(&self) -> String {
        if !self.doc.is_empty() {
            return self.doc.to_string();
        }
        let range = match self.value {
            Value::Whole { min: 0, .. } => "whole number".to_string(),
            Value::Whole { min, .. } => format!("whole number ≥ {min}"),
            Value::Number { lo, hi } => format!("[{}, {}]", doc_number(lo), doc_number(hi)),
            Value::Bool => "bool".into(),
            Value::Text => "any".into(),
            Value::Names(names) => names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Table | Value::List => "—".into(),
        };
        format!("{range}{}", self.note)
    }
}

/// `"a", "b" or "c"`.
pub(super) fn quoted_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("\"{n}\"")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// A number as a message shows it: in exponent form when very large or very small
/// (1e9, 1e-6, 1e308 rather than hundreds of digits).
pub(super) fn short(x: f64) -> String {
    if x != 0.0 && x.is_finite() && (x.abs() >= 1e6 || x.abs() < 1e-3) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// A number as docs/MODEL.md writes it: powers of ten from 10⁶ (and below 10⁻³) with a
/// superscript exponent, and a true minus sign.
fn doc_number(x: f64) -> String {
    const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let exponent = x.abs().log10().round();
    let text = if x != 0.0 && !(-3.0..6.0).contains(&exponent) && 10f64.powf(exponent) == x.abs() {
        let digits: String = (exponent.abs() as u32)
            .to_string()
            .chars()
            .map(|d| SUPERSCRIPTS[d.to_digit(10).unwrap_or(0) as usize])
            .collect();
        let sign = if exponent < 0.0 { "⁻" } else { "" };
        format!("10{sign}{digits}")
    } else {
        x.abs().to_string()
    };
    if x < 0.0 { format!("−{text}") } else { text }
}

/// Joins a table and a key into a dotted path.
pub(super) fn join(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    }
}

/// A key's last part: `mean_degree` of `network.mean_degree`.
pub(super) fn leaf(key: &str) -> &str {
    key.rsplit_once('.').map_or(key, |(_, l)| l)
}

/// The table holding a key: `network` of `network.mean_degree`, `""` at the top.
pub(super) fn parent(key: &str) -> &str {
    key.rsplit_once('.').map_or("", |(t, _)| t)
}

/// Every key: the classic ones, the sweep's, then the marketing model's.
pub fn all() -> impl Iterator<Item = &'static Key> {
    CLASSIC.iter().chain(SWEEP).chain(MARKETING)
}

/// The entry of a dotted path; list indices (`phase.2.end`) match `i`.
pub fn find(path: &str) -> Option<&'static Key> {
    let general: Vec<&str> = path
        .split('.')
        .map(|p| if p.parse::<usize>().is_ok() { "i" } else { p })
        .collect();
    let general = general.join(".");
    all().find(|k| k.path == general)
}

/// The entry of a marketing key, which its check needs (a missing one is a bug).
pub(super) fn marketing(path: &str) -> &'static Key {
    match find(path) {
        Some(k) if k.table == Table::Marketing => k,
        _ => panic!("scenario key {path} is not in the catalogue"),
    }
}

/// The tables the classic keys live in (`""` is the top level), in file order.
pub(super) const CLASSIC_TABLES: [&str; 4] = ["", "population", "network", "model"];

/// The keys of a classic table, in the order of the file-facing struct.
pub(super) fn keys_of(table: &str) -> Vec<&'static str> {
    CLASSIC
        .iter()
        .filter(|k| parent(k.path) == table)
        .map(|k| leaf(k.path))
        .collect()
}

/// What a classic key takes: the sort of value and, in words, the values allowed.
/// Marketing keys are checked after their defaults are filled in
/// ([`MarketingSpec::check`](super::marketing::MarketingSpec::check)); a value of the
/// wrong sort for one gets serde's message in plain words instead.
pub(super) fn expectation(path: &str) -> Option<(Shape, String)> {
    CLASSIC
        .iter()
        .find(|k| k.path == path)
        .map(|k| (k.shape(), k.allowed()))
}

/// The names allowed for a key whose value is one of a fixed set of names.
pub(super) fn names_of(path: &str) -> Option<Vec<&'static str>> {
    match find(path)?.value {
        Value::Names(names) => Some(names.to_vec()),
        _ => None,
    }
}

/// A parameter table of docs/MODEL.md as markdown, from its header to its last row.
pub fn markdown_table(table: Table) -> String {
    let cells = |k: &Key| -> Vec<String> {
        let mut row = vec![format!("`{}`", k.path)];
        if table == Table::Classic {
            row.push(k.model.to_string());
        }
        row.extend([
            k.default.to_string(),
            k.unit.to_string(),
            k.range_doc(),
            k.meaning.to_string(),
            k.source.to_string(),
        ]);
        row
    };
    let mut header = vec!["name"];
    if table == Table::Classic {
        header.push("model");
    }
    header.extend(["default", "unit", "range", "meaning", "source"]);
    let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
    let mut text = line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    text += &line(&vec!["---".to_string(); header.len()]);
    for k in all().filter(|k| k.table == table) {
        text += &line(&cells(k));
    }
    text
}

/// Each network kind and the keys it takes besides [`NETWORK_COMMON`].
pub(super) const NETWORK_KINDS: [(&str, &[&str]); 6] = [
    ("complete", &[]),
    ("erdos_renyi", &["mean_degree"]),
    ("watts_strogatz", &["k", "rewire"]),
    ("barabasi_albert", &["m"]),
    (
        "communities",
        &[
            "count",
            "mean_degree",
            "mixing",
            "size_distribution",
            "size_exponent",
        ],
    ),
    ("edge_list", &["path", "directed"]),
];

/// The `[network]` keys every kind takes.
pub(super) const NETWORK_COMMON: &[&str] = &["kind", "per_replicate"];

/// Each model kind and the keys it takes besides `kind`.
pub(super) const MODEL_KINDS: [(&str, &[&str]); 4] = [
    ("bass", &["p", "q"]),
    ("independent_cascade", &["probability", "seeds", "seeding"]),
    ("linear_threshold", &["seeds", "seeding"]),
    ("marketing", &[]),
];

/// The first elements of pairs: the kinds' names.
const fn firsts<const N: usize>(
    pairs: [(&'static str, &'static [&'static str]); N],
) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = pairs[i].0;
        i += 1;
    }
    out
}

const NETWORK_KIND_NAMES: [&str; 6] = firsts(NETWORK_KINDS);
const MODEL_KIND_NAMES: [&str; 4] = firsts(MODEL_KINDS);

/// The classic keys, each table's in the order of its file-facing struct (serde
/// lists them in that order in its unknown-key message; a test checks it).
#[rustfmt::skip]
const CLASSIC: &[Key] = &[
    hidden("name", Value::Text, "text in quotes, e.g. name = \"launch\""),
    classic("ticks", "all", Value::Whole { min: 1, max: Some(u32::MAX as u64) }, "required", "ticks", "simulated ticks after tick 0", "—").doc("≥ 1"),
    classic("seed", "all", Value::Whole { min: 0, max: Some(u64::MAX) }, "1", "—", "master seed of every random stream", "—").doc("0..2⁶⁴−1"),
    classic("replicates", "all", Value::Whole { min: 1, max: Some(u32::MAX as u64) }, "1", "—", "independent replicates", "—").doc("≥ 1"),
    hidden("population", Value::Table, "a [population] table with size = the number of agents"),
    hidden("network", Value::Table, "a [network] table with kind = {kinds}"),
    hidden("model", Value::Table, "a [model] table with kind = {kinds}"),
    hidden("market", Value::Table, "a [market] table of product and customer parameters (model kind = \"marketing\")"),
    hidden("strategy", Value::Table, "a [strategy] table with [strategy.social_media] and/or [strategy.community]"),
    hidden("phase", Value::Table, "[[phase]] entries with start, end and actions"),
    hidden("sweep", Value::Table, "a [sweep] table with kind, samples, seed and [sweep.parameters]"),
    classic("population.size", "all", Value::Whole { min: 1, max: Some(u32::MAX as u64) }, "required (edge list: from file)", "agents", "N", "—").doc("1..2³²−1"),
    hidden("network.kind", names(&NETWORK_KIND_NAMES), ""),
    classic("network.per_replicate", "all", Value::Bool, "false", "—", "new random network per replicate", "—"),
    hidden("network.mean_degree", Value::Number { lo: 0.0, hi: f64::INFINITY }, "a number from 0 to below the population size"),
    hidden("network.k", whole(2), "an even whole number from 2 to below the population size"),
    hidden("network.rewire", PROBABILITY, ""),
    hidden("network.m", whole(1), "a whole number from 1 to below the population size"),
    hidden("network.count", whole(1), "a whole number from 1 to the population size"),
    hidden("network.mixing", PROBABILITY, ""),
    hidden("network.size_distribution", names(&["equal", "power_law"]), ""),
    hidden("network.size_exponent", Value::Number { lo: 1.0, hi: f64::INFINITY }, "a number above 1 (default 2)"),
    hidden("network.path", Value::Text, "the path of an edge-list file in quotes, relative to the scenario file's folder"),
    hidden("network.directed", Value::Bool, ""),
    hidden("model.kind", names(&MODEL_KIND_NAMES), ""),
    classic("model.p", "Bass", PROBABILITY, "required", "per tick", "coefficient of innovation", "Bass 1969; typical 0.003 (Sultan, Farley & Lehmann 1990 meta-analysis mean ≈ 0.03 per year)").note(", p + q ≤ 1"),
    classic("model.q", "Bass", PROBABILITY, "required", "per tick", "coefficient of imitation", "Bass 1969; Sultan et al. 1990 mean ≈ 0.38 per year"),
    classic("model.probability", "IC", PROBABILITY, "required", "—", "success probability of one activation attempt", "Kempe, Kleinberg & Tardos 2003"),
    classic("model.seeds", "IC, LT", whole(1), "1", "agents", "initially active agents", "Kempe et al. 2003").words("a whole number from 1 to the population size").doc("1..N"),
    classic("model.seeding", "IC, LT", names(&["random", "degree"]), "`random`", "—", "how seeds are chosen", "—"),
];

/// The `[sweep]` table's keys (README.md, docs/OUTPUTS.md), checked by
/// [`SweepSpec::resolve`](super::sweep::SweepSpec::resolve). Like the marketing keys,
/// a value of the wrong sort for one gets serde's message in plain words.
#[rustfmt::skip]
const SWEEP: &[Key] = &[
    hidden("sweep.kind", names(&["grid", "latin_hypercube"]), ""),
    hidden("sweep.samples", whole(1), ""),
    hidden("sweep.seed", Value::Whole { min: 0, max: Some(u64::MAX) }, ""),
    hidden("sweep.parameters", Value::Table, "at least one \"key.path\" = [values] entry"),
];

/// The marketing model's keys (docs/MODEL.md section 4.9), in the order of its table.
#[rustfmt::skip]
const MARKETING: &[Key] = &[
    key("market.price", MONEY, "40", "currency per purchase", "price of one purchase", "calibration"),
    key("market.margin", PROBABILITY, "0.5", "share of price", "gross margin; profit = margin·revenue − cost", "calibration"),
    key("market.purchase_period", whole(1), "30", "ticks", "ticks between a customer's purchases", "calibration"),
    key("market.initial_quality", PROBABILITY, "0.5", "—", "product quality Q₀ at tick 0", "calibration"),
    key("market.discount_rate", PROBABILITY, "0.1", "per year (365 ticks)", "annual discount rate of CLV", "Gupta, Lehmann & Stuart 2004 (who use 12%); calibration"),
    key("market.high_involvement_share", PROBABILITY, "0.3", "share of agents", "share of agents in the high-involvement segment", "Zaichkowsky 1985 (construct); calibration"),
    key("market.external_awareness", PROBABILITY, "0.0005", "per tick", "chance that an unaware agent hears of the brand from outside the network", "Bass 1969 (external influence); calibration"),
    key("market.competitor_mentions", RATE, "0.02", "mentions per agent per tick", "competitors' mentions, the rest of share of voice", "Weber 2009 (share of voice); calibration"),
    key("market.potential", PROBABILITY, "0.6", "share of agents", "share of agents in the product category at tick 0 (market potential); only they buy", "assumption (plausible 0.2–1); Bass 1969 (market potential m)"),
    key("market.need_rate", PROBABILITY, "0.0005", "per tick", "chance that an agent outside the category comes to need the product", "assumption (plausible 0–0.005)"),
    key("market.initial_customers", PROBABILITY, "0", "share of the category", "the brand's customers at tick 0 (0: a launch)", "—"),
    key("market.initial_members", PROBABILITY, "0", "share of initial customers", "initial customers who are community members at tick 0", "—"),
    key("market.competitor", Value::List, "one competitor (rows below)", "list of `[[market.competitor]]`", "the competing brands; a list given replaces the default, `competitor = []` for none", "Libai, Muller & Peres 2013 (acquisition from competitors)").doc("0 to 8 entries").words("from 0 to 8 [[market.competitor]] entries"),
    key("market.competitor.i.name", Value::Text, "`\"competitor\"`", "label", "label of competitor i", "—"),
    key("market.competitor.i.initial_share", PROBABILITY, "0.3", "share of the category", "agents in the category who buy it at tick 0 (an incumbent)", "assumption (plausible 0–0.6)"),
    key("market.competitor.i.awareness", PROBABILITY, "0.002", "per tick", "chance that an agent in the category who does not know it hears of it", "assumption (plausible 0.0005–0.01)"),
    key("market.competitor.i.appeal", LOGIT, "0", "logit", "its utility against the brand's at a neutral attitude and equal price", "assumption (plausible −1–1)"),
    key("market.competitor.i.price", MONEY, "40", "currency per purchase", "its price, weighed by `market.purchase.price`", "assumption (the brand's price)"),
    key("market.competitor.i.churn", PROBABILITY, "0.002", "per tick", "chance that one of its customers leaves it", "assumption (plausible 0.0005–0.005; the brand's hazard at satisfaction 0.75)"),
    key("market.forgetting.external", RATE, "21", "ticks; 0 = never", "half-life of awareness from outside the network", "assumption (plausible 7–90), as word of mouth"),
    key("market.forgetting.paid_social", RATE, "5", "ticks; 0 = never", "half-life of awareness from paid impressions", "Trusov, Bucklin & Pauwels 2009 (3–7 days of carry-over for traditional marketing)"),
    key("market.forgetting.organic_social", RATE, "5", "ticks; 0 = never", "half-life of awareness from posts", "Trusov et al. 2009 (3–7 days for traditional marketing); assumption that posts behave alike"),
    key("market.forgetting.word_of_mouth", RATE, "21", "ticks; 0 = never", "half-life of awareness from peer word of mouth", "Trusov et al. 2009 (about 21 days of carry-over for word of mouth)"),
    key("market.forgetting.community", RATE, "21", "ticks; 0 = never", "half-life of awareness from members' and advocates' talk", "Trusov et al. 2009 (word of mouth); assumption that community talk behaves alike"),
    key("market.forgetting.review", RATE, "21", "ticks; 0 = never", "half-life of awareness from reviews", "assumption (plausible 7–90), as word of mouth"),
    key("market.forgetting.attitude", RATE, "60", "ticks; 0 = never", "half-life of a non-customer's attitude toward 0 in a tick without reinforcement", "assumption (plausible 14–365)"),
    key("market.purchase.intercept", LOGIT, "−6.5", "logit", "purchase-logit intercept", "calibration"),
    key("market.purchase.attitude", LOGIT, "4.0", "logit per unit attitude", "weight of attitude + impulse", "calibration"),
    key("market.purchase.peer", LOGIT, "4.0", "logit per unit share", "weight of the share of in-neighbours who are customers (network externality)", "Katz & Shapiro 1985; Bass 1969 (imitation); calibration"),
    key("market.purchase.high_involvement_peer", RATE, "1.5", "multiplier", "peer weight multiplier for high-involvement agents", "Zaichkowsky 1985; calibration"),
    key("market.purchase.member", LOGIT, "1.0", "logit", "weight of brand-community membership", "Algesheimer et al. 2005; calibration"),
    key("market.purchase.price", RATE, "0.02", "logit per currency unit", "price sensitivity", "calibration"),
    key("market.word_of_mouth.talk_rate", PROBABILITY, "0.03", "per tick", "talk probability of a customer at satisfaction ≤ 0.5", "calibration"),
    key("market.word_of_mouth.satisfaction_talk", RATE, "3.0", "per unit of satisfaction above 0.5", "how much satisfaction raises talk", "Anderson 1998; Reichheld 2003; calibration"),
    key("market.word_of_mouth.negative_talk_rate", PROBABILITY, "0.05", "per tick", "probability that a detractor talks negatively", "Anderson 1998 (the dissatisfied talk more); calibration"),
    key("market.word_of_mouth.member_talk", RATE, "2.0", "multiplier", "talk multiplier of engaged members", "Algesheimer et al. 2005; calibration"),
    key("market.word_of_mouth.reputation_talk", RATE, "1.0", "per unit reputation", "talk multiplier 1 + reputation_talk·rep", "calibration"),
    key("market.word_of_mouth.reach", PROBABILITY, "0.3", "probability", "chance that one talk reaches a neighbour over a strong tie at receptiveness 1", "Goldenberg, Libai & Muller 2001 (strong-tie probability); calibration"),
    key("market.word_of_mouth.weak_tie", PROBABILITY, "0.3", "multiplier", "tie strength across planted communities (1 inside)", "Granovetter 1973; Brown & Reingen 1987; Goldenberg et al. 2001; calibration"),
    key("market.word_of_mouth.credibility", PROBABILITY, "0.5", "—", "base credibility of a customer's talk", "calibration"),
    key("market.word_of_mouth.reputation_credibility", RATE, "0.5", "per unit reputation", "credibility added by reputation (total capped at 1)", "calibration"),
    key("market.word_of_mouth.knowledge_credibility", RATE, "0.3", "per unit knowledge", "credibility added by knowledge, i.e. expertise (total capped at 1)", "calibration"),
    key("market.word_of_mouth.attitude_shift", PROBABILITY, "0.3", "share of the gap to +1", "attitude shift of a positive message of credibility 1 (also used for reviews read)", "calibration"),
    key("market.word_of_mouth.negative_shift", PROBABILITY, "0.4", "share of the gap to −1", "attitude shift of a negative message", "Baumeister et al. 2001 (negativity bias); calibration"),
    key("market.retention.churn", PROBABILITY, "0.004", "per tick", "churn hazard of a non-member at the reference satisfaction", "calibration"),
    key("market.retention.member_factor", RATE, "0.5", "multiplier", "churn multiplier for members", "Algesheimer et al. 2005; calibration"),
    key("market.retention.reference_satisfaction", num(0.0, 0.999), "0.5", "—", "satisfaction at which a non-member's hazard is `churn`: hazard = churn·(1 − s)/(1 − reference)", "assumption (a scale, not an effect)"),
    key("market.retention.active_factor", RATE, "0.3", "multiplier", "churn multiplier for active contributors", "Algesheimer et al. 2005; calibration"),
    key("market.satisfaction.baseline", PROBABILITY, "0.72", "—", "satisfaction target with the initial product and no bond (NPS score 7: a passive)", "Reichheld 2003 (score bands); calibration"),
    key("market.satisfaction.quality", RATE, "0.5", "per unit quality", "weight of Q − Q₀ in the target", "Nambisan & Baron 2007; calibration"),
    key("market.satisfaction.bond", RATE, "0.25", "per unit affiliation", "weight of affiliation (bond value) in the target", "Algesheimer et al. 2005; calibration"),
    key("market.satisfaction.adjustment", PROBABILITY, "0.05", "share of the gap per tick", "speed toward the target", "calibration"),
    key("market.satisfaction.noise", PROBABILITY, "0.03", "standard deviation per tick", "noise of satisfaction", "calibration"),
    key("market.satisfaction.response", PROBABILITY, "0.02", "satisfaction per response", "boost of a firm response to a contribution", "Nambisan & Baron 2007; calibration"),
    key("market.social_capital.reputation_decay", PROBABILITY, "0.01", "per tick", "decay of reputation", "calibration"),
    key("market.social_capital.affiliation_decay", PROBABILITY, "0.01", "per tick", "decay of affiliation", "calibration"),
    key("market.social_capital.knowledge_decay", PROBABILITY, "0.005", "per tick", "decay of knowledge", "calibration"),
    key("market.social_capital.contribution_reputation", PROBABILITY, "0.05", "per contribution", "reputation from contributing", "Nambisan & Baron 2007; calibration"),
    key("market.social_capital.recognition_reputation", PROBABILITY, "0.05", "per response", "reputation from the firm's recognition", "Nambisan & Baron 2007; calibration"),
    key("market.social_capital.conversation_affiliation", PROBABILITY, "0.002", "per tick", "affiliation of an engaged member per tick of conversation", "Muniz & O'Guinn 2001; calibration"),
    key("market.social_capital.response_affiliation", PROBABILITY, "0.03", "per response", "affiliation from a firm response", "Nambisan & Baron 2007; calibration"),
    key("market.social_capital.programme_knowledge", PROBABILITY, "0.005", "per tick", "knowledge of a member per tick the community is open (advocates gain knowledge only through a social-capital reward)", "Nambisan & Baron 2007 (learning benefits); calibration"),
    key("market.personas.concentration", num(1e-3, 1e3), "1.0", "Dirichlet concentration", "concentration of each agent's mix (small: one dominant mask)", "calibration"),
    key("market.personas.masks", Value::List, "social, professional, private (table below)", "list of `[[market.personas.masks]]`", "the masks; a list given replaces the three defaults", "calibration").doc("1 to 8 entries").words("from 1 to 8 [[market.personas.masks]] entries"),
    key("market.personas.masks.i.name", Value::Text, "`\"mask\"`", "label", "label of mask i", "—"),
    key("market.personas.masks.i.paid", PROBABILITY, "0.5", "receptiveness", "receptiveness to paid impressions", "calibration"),
    key("market.personas.masks.i.organic", PROBABILITY, "0.5", "receptiveness", "receptiveness to posts", "calibration"),
    key("market.personas.masks.i.word_of_mouth", PROBABILITY, "0.5", "receptiveness", "receptiveness to peer word of mouth", "calibration"),
    key("market.personas.masks.i.community", PROBABILITY, "0.5", "receptiveness", "receptiveness to members' and advocates' talk", "calibration"),
    key("market.personas.masks.i.review", PROBABILITY, "0.5", "receptiveness", "receptiveness to reviews", "calibration"),
    key("strategy.budget", MONEY, "0", "currency per tick", "marketing budget per tick", "—").note("; > 0 needs a strategy table; B·(1 − σ) ≥ `manager_cost` with a community"),
    key("strategy.social_media_share", PROBABILITY, "1 with only social media, 0 with only a community, 0.5 with both", "share of budget", "σ, the social-media share of the budget", "—"),
    key("strategy.baseline", Value::Bool, "true", "boolean", "also run each replicate with marketing off on the same random numbers, for the incremental_* figures", "—").doc("—"),
    key("strategy.social_media.cpm", num(1e-6, MAX_MONEY), "12", "currency per 1000 impressions", "cost per thousand impressions", "calibration"),
    key("strategy.social_media.targeting", names(&["random", "involvement", "lookalike"]), "`random`", "—", "who sees impressions (section 4.7.3)", "calibration"),
    key("strategy.social_media.click_through", PROBABILITY, "0.01", "probability", "click probability of a fully receptive, unworn exposure", "calibration"),
    key("strategy.social_media.conversion", PROBABILITY, "0.08", "probability", "probability that a prospect's click converts into a purchase", "calibration"),
    key("strategy.social_media.posts_per_tick", RATE, "1.0", "posts per tick", "free posts to followers", "calibration"),
    key("strategy.social_media.organic_reach", PROBABILITY, "0.1", "share of followers per post", "share of followers who see a post", "calibration"),
    key("strategy.social_media.follow", PROBABILITY, "0.02", "probability", "probability that an exposure of receptiveness 1 makes an agent follow", "calibration"),
    key("strategy.social_media.wear_out", RATE, "0.05", "per exposure", "effectiveness of the n-th exposure is 1/(1 + wear_out·n)", "Pechmann & Stewart 1988; calibration"),
    key("strategy.social_media.impulse", num(0.0, 2.0), "0.15", "attitude units", "attitude impulse of one exposure (impulse capped at 1)", "calibration"),
    key("strategy.social_media.half_life", num(1e-3, MAX_RATE), "5", "ticks", "half-life of the impulse", "Trusov et al. 2009 (short carryover of traditional marketing); calibration"),
    key("strategy.social_media.involvement_weight", RATE, "3", "multiplier", "targeting weight of a high-involvement agent under `involvement` targeting", "assumption (plausible 1–10)"),
    key("strategy.social_media.lookalike_floor", RATE, "0.1", "weight", "lookalike weight of an agent with no customer neighbours in a segment with no customers", "assumption (plausible 0.01–1)"),
    key("strategy.community.launch", whole(0), "1", "tick", "tick at which the community opens", "—"),
    key("strategy.community.manager_cost", MONEY, "40", "currency per tick", "cost of one community manager", "calibration").note(" and ≤ B·(1 − σ)"),
    key("strategy.community.manager_capacity", RATE, "40", "contributions per manager per tick", "contributions one manager can answer a day; the firm hires as many managers as last tick's contributions need and the community's money pays", "assumption (plausible 20–100)"),
    key("strategy.community.contributor_share", PROBABILITY, "0.09", "share of agents", "agents who would contribute now and then as members", "Nielsen 2006 (90-9-1 participation inequality)"),
    key("strategy.community.super_user_share", PROBABILITY, "0.01", "share of agents", "agents who would contribute most as members (the rest lurk and never contribute)", "Nielsen 2006 (90-9-1)"),
    key("strategy.community.super_user_factor", RATE, "10", "multiplier", "a super-user's contribution rate over a contributor's", "assumption (plausible 5–50); Nielsen 2006"),
    key("strategy.community.campaign_lift", RATE, "3", "multiplier − 1", "most a recruitment campaign adds to recruitment, as a multiple, at saturating spend", "assumption (plausible 0–10)"),
    key("strategy.community.campaign_scale", num(1e-6, MAX_MONEY), "100", "currency per tick", "campaign spend that buys 63% of `campaign_lift`; the community money left after managers, events, advocates and surveys", "assumption (diminishing returns; plausible 10–1000)"),
    key("strategy.community.recruitment", PROBABILITY, "0.001", "per tick", "joining probability of an aware, low-involvement agent with no member neighbours", "calibration"),
    key("strategy.community.involvement_recruitment", RATE, "4.0", "multiplier", "recruitment multiplier for high-involvement agents", "Zaichkowsky 1985; calibration"),
    key("strategy.community.peer_recruitment", RATE, "3.0", "per unit share of member neighbours", "recruitment added by member neighbours", "calibration"),
    key("strategy.community.unaware_recruitment", RATE, "0.25", "multiplier", "recruitment multiplier for unaware agents (joining makes them aware)", "calibration"),
    key("strategy.community.contribution", PROBABILITY, "0.05", "per tick", "a contributor's contribution probability, × (1 + affiliation); ×`super_user_factor` for super-users, 0 for lurkers", "Nambisan & Baron 2007; calibration"),
    key("strategy.community.responsiveness", PROBABILITY, "0.5", "share", "share of contributions the firm responds to", "Nambisan & Baron 2007; calibration"),
    key("strategy.community.active_window", whole(0), "30", "ticks", "ticks a contributor stays active", "calibration"),
    key("strategy.community.events.interval", whole(0), "30", "ticks; 0 = no events", "ticks between events", "calibration"),
    key("strategy.community.events.capacity", whole(0), "200", "members", "expected seats of one event", "calibration"),
    key("strategy.community.events.cost", MONEY, "300", "currency per event", "cost of one event", "calibration"),
    key("strategy.community.events.affiliation", PROBABILITY, "0.15", "per attendee", "affiliation gained by an attendee (doubled when physical)", "McAlexander, Schouten & Koenig 2002; calibration"),
    key("strategy.community.events.physical", Value::Bool, "false", "boolean", "physical events raise affiliation twice as much as online ones", "McAlexander et al. 2002; calibration").doc("—"),
    key("strategy.community.cocreation.idea_share", PROBABILITY, "0.1", "share of contributions", "probability that a contribution carries a usable idea", "Nambisan & Baron 2007; calibration"),
    key("strategy.community.cocreation.quality_gain", PROBABILITY, "0.0004", "per idea per thousand agents", "quality gain per idea per thousand agents, times 1 − Q", "Prahalad & Ramaswamy 2004; calibration"),
    key("strategy.community.advocates.count", whole(0), "0", "agents; 0 = no programme", "number of advocates", "Kumar, Petersen & Leone 2007, 2010"),
    key("strategy.community.advocates.score", names(&["degree", "betweenness", "social_capital", "promoter"]), "`degree`", "—", "how advocates are chosen", "Goldenberg et al. 2009 (hubs); Brandes 2001; Reichheld 2003"),
    key("strategy.community.advocates.reward", names(&["social_capital", "cash"]), "`social_capital`", "—", "what advocates are rewarded with", "Tuk et al. 2009; Verlegh et al. 2013"),
    key("strategy.community.advocates.reward_cost", MONEY, "1.0", "currency per advocate per tick", "cost of the reward, the same for both kinds", "calibration"),
    key("strategy.community.advocates.reselect", whole(1), "90", "ticks", "ticks between re-selections", "calibration").note(" when `count` > 0"),
    key("strategy.community.advocates.talk", RATE, "3.0", "multiplier", "talk multiplier of an advocate", "calibration"),
    key("strategy.community.advocates.cash_talk", RATE, "2.0", "multiplier", "further talk multiplier under cash", "Ryu & Feick 2007; calibration"),
    key("strategy.community.advocates.cash_credibility", PROBABILITY, "0.5", "multiplier", "credibility multiplier under cash", "Tuk et al. 2009; Verlegh et al. 2013; calibration"),
    key("strategy.community.advocates.social_capital_gain", PROBABILITY, "0.01", "per tick, each component", "reputation, affiliation and knowledge gained under a social-capital reward", "calibration"),
    key("strategy.community.advocates.refill", PROBABILITY, "0.1", "share of seats", "share of seats vacant (advocates who churned) that triggers an early re-selection", "assumption"),
    key("strategy.community.advocates.betweenness_samples", whole(1), "32", "pivots", "pivots of the betweenness estimate", "Brandes & Pich 2007"),
    key("strategy.community.reviews.survey_interval", whole(0), "0", "ticks; 0 = no surveys", "ticks between NPS surveys", "Reichheld 2003"),
    key("strategy.community.reviews.survey_share", PROBABILITY, "0.2", "share of customers", "share of customers surveyed each time", "calibration"),
    key("strategy.community.reviews.survey_cost", MONEY, "0.5", "currency per answer", "cost per customer surveyed", "calibration"),
    key("strategy.community.reviews.acceptance", PROBABILITY, "0.3", "probability", "probability that an invited promoter posts a review", "calibration"),
    key("strategy.community.reviews.readers", RATE, "20", "agents per review", "strangers (weak ties) who read each review", "Granovetter 1973; Chevalier & Mayzlin 2006; calibration"),
    key("strategy.community.reviews.credibility", PROBABILITY, "0.7", "—", "credibility of a review", "calibration"),
    key("phase.i.name", Value::Text, "`\"\"`", "label", "label, e.g. a step of Weber's", "Weber 2009"),
    key("phase.i.start", whole(0), "required", "tick", "first tick of the phase", "—"),
    key("phase.i.end", whole(0), "none (open-ended)", "tick", "last tick of the phase", "—").doc("whole number ≥ `start`"),
    key("phase.i.actions", Value::List, "`[]`", "list", "actions that run during the phase", "Weber 2009").doc("`paid`, `posts` (need `[strategy.social_media]`); `recruit`, `engage`, `events`, `cocreation`, `advocates`, `surveys`, `reviews` (need `[strategy.community]`)"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::marketing::{Community, MarketingSpec, SocialMedia};

    /// The table under `heading` in docs/MODEL.md, from its `| name |` header to its
    /// last row.
    fn table_under(doc: &str, heading: &str) -> String {
        let after = doc.split_once(heading).map_or("", |(_, rest)| rest);
        after
            .lines()
            .skip_while(|l| !l.starts_with("| name |"))
            .take_while(|l| l.starts_with('|'))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    #[test]
    fn model_md_parameter_tables_are_rendered_from_the_catalogue() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/MODEL.md");
        let doc = std::fs::read_to_string(path).unwrap();
        for (heading, table) in [
            ("### 3.5 Parameters", Table::Classic),
            ("### 4.9 Parameters", Table::Marketing),
        ] {
            let expected = markdown_table(table);
            assert!(
                table_under(&doc, heading) == expected,
                "the table under {heading} in docs/MODEL.md differs from the catalogue \
                 (src/scenario/keys.rs); replace it with:\n\n{expected}"
            );
        }
    }

    /// Every leaf of a serialised value, as dotted paths with their values.
    fn leaves(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    leaves(&join(prefix, k), v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    leaves(&join(prefix, &i.to_string()), v, out);
                }
            }
            _ => out.push((prefix.to_string(), value.clone())),
        }
    }

    /// Every field of the marketing structs, with both strategies switched on.
    fn marketing_defaults() -> Vec<(String, serde_json::Value)> {
        let mut spec = MarketingSpec {
            market: Default::default(),
            strategy: Default::default(),
            phases: Vec::new(),
        };
        spec.strategy.social_media = Some(SocialMedia::default());
        spec.strategy.community = Some(Community::default());
        let mut out = Vec::new();
        leaves(
            "market",
            &serde_json::to_value(&spec.market).unwrap(),
            &mut out,
        );
        leaves(
            "strategy",
            &serde_json::to_value(&spec.strategy).unwrap(),
            &mut out,
        );
        out
    }

    #[test]
    fn every_marketing_field_has_an_entry_whose_default_is_the_code_s() {
        for (path, value) in marketing_defaults() {
            let entry = find(&path).unwrap_or_else(|| panic!("{path} is not in the catalogue"));
            assert_eq!(entry.table, Table::Marketing, "{path}");
            // A mask's entry gives `Mask::default`; the default masks are a table of
            // their own in docs/MODEL.md.
            if path.contains(".masks.") {
                continue;
            }
            // Defaults written as numbers must be the code's; the others are words.
            let written = entry.default.replace('−', "-");
            if let (Ok(doc), Some(code)) = (written.parse::<f64>(), value.as_f64()) {
                assert_eq!(doc, code, "default of {path}");
            }
            if let (Value::Names(names), Some(code)) = (entry.value, value.as_str()) {
                assert!(names.contains(&code), "{path}: {code}");
                assert_eq!(entry.default, format!("`{code}`"), "default of {path}");
            }
        }
    }

    #[test]
    fn every_marketing_number_key_has_a_finite_range() {
        for k in all().filter(|k| k.table == Table::Marketing) {
            if let Value::Number { lo, hi } = k.value {
                assert!(lo.is_finite() && hi.is_finite() && lo <= hi, "{}", k.path);
            }
        }
    }

    #[test]
    fn sweep_entries_are_the_sweep_table_s_keys() {
        let text = "ticks = 3\n[population]\nsize = 10\n[network]\nkind = \"complete\"\n\
                    [model]\nkind = \"bass\"\np = 0.1\nq = 0.1\n[sweep]\nzzz = 1\n";
        let err = crate::scenario::Scenario::from_str_at(text, std::path::Path::new("s.toml"))
            .unwrap_err();
        let leaves: Vec<&str> = SWEEP.iter().map(|k| leaf(k.path)).collect();
        assert_eq!(err.allowed, Some(leaves.join(", ")), "{err}");
    }

    #[test]
    fn paths_are_unique() {
        let mut paths: Vec<&str> = all().map(|k| k.path).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), before);
    }

    #[test]
    fn messages_and_documents_write_numbers_their_own_way() {
        assert_eq!(
            key("x", MONEY, "", "", "", "").allowed(),
            "a number from 0 to 1e9"
        );
        assert_eq!(
            key("x", num(1e-6, MAX_MONEY), "", "", "", "").range_doc(),
            "[10⁻⁶, 10⁹]"
        );
        assert_eq!(
            key("x", num(1e-3, 1e3), "", "", "", "").range_doc(),
            "[0.001, 1000]"
        );
        assert_eq!(key("x", LOGIT, "", "", "", "").range_doc(), "[−50, 50]");
    }
}
