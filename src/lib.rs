//! murmur: agent-based simulation of word-of-mouth and community marketing.
//!
//! The chain is scenario → network → population → engine → experiment → results, then
//! compare and sweep, then report and plot, driven by cli; see shared/DESIGN.md §7 and docs/MODEL.md.

pub mod cli;
pub mod compare;
pub mod engine;
pub mod experiment;
pub mod limits;
pub mod metrics;
pub mod network;
pub mod plot;
pub mod population;
pub mod report;
pub mod results;
pub mod rng;
pub mod scenario;
pub mod sweep;
