//! murmur: agent-based simulation of word-of-mouth and community marketing.
//!
//! The layers, in the order data flows through them (docs/MODEL.md describes the
//! model):
//!
//! - [`rng`], [`metrics`]: counter-based random streams; per-tick records and intervals.
//! - [`scenario`]: a TOML file → a validated [`scenario::Scenario`].
//! - [`network`]: generators and edge lists → the CSR [`network::Network`].
//! - [`population`]: the agents' state, one array per field.
//! - [`engine`]: the tick loop and the mechanisms (classic models, the marketing
//!   model in `engine/marketing/`, one module per mechanism); no files.
//! - [`experiment`], [`limits`]: replicates of one scenario, sized before they start.
//! - [`results`]: the results folder's format (file and column names, the manifest,
//!   one CSV reader), written whole and replaced only when murmur wrote it.
//! - [`compare`], [`sweep`]: workflows of several runs → results folders;
//!   [`attribution`]: every coalition of a strategy's channels, run and attributed
//!   (Shapley values); [`optimise`]: a screen and refinement of budget, split and
//!   timing, with response curves per channel; [`sensitivity`]: Sobol' indices and
//!   Morris screening over a scenario's parameters; [`calibration`]: ABC-SMC fits of a
//!   scenario's parameters to observed data; [`bench`]: the standard benchmark set,
//!   each figure a ratio to the memory-bandwidth ceiling measured in the same run.
//! - [`robustness`]: every plan of a comparison at draws of the uncertain
//!   parameters, and P(plan beats baseline).
//! - [`plot`], [`report`]: read a results folder and nothing else.
//! - [`cli`]: parses arguments, calls the layers above and maps errors to exit codes.

pub mod attribution;
pub mod bench;
pub mod calibration;
pub mod cli;
pub mod compare;
pub mod engine;
pub mod experiment;
pub mod limits;
pub mod metrics;
pub mod network;
pub mod optimise;
pub mod plot;
pub mod population;
pub mod report;
pub mod results;
pub mod rng;
pub mod robustness;
pub mod scenario;
pub mod sensitivity;
pub mod sweep;
