//! triage: find known errors in server logs and say what to do about them.
//!
//! Data flows one way: sources (files through [`input`] and [`loader`], live ones in
//! [`source`]) → [`model::Block`]s of lines → [`ingest::match_block`], the one place hits are
//! made, with the [`matcher`] built from the [`catalogue`] → printers ([`report`]) for the
//! headless [`scan`], or the bounded [`store`] and app state ([`app`]) drawn by [`ui`].
//! Hits are grouped into [`incident`]s, which [`postmortem`] writes up as a report.

pub mod app;
pub mod catalogue;
pub mod children;
pub mod cli;
pub mod clipboard;
pub mod explain;
pub mod fill_context;
pub mod incident;
pub mod ingest;
pub mod input;
#[cfg(test)]
mod layering;
pub mod level;
pub mod loader;
pub mod marks;
pub mod matcher;
pub mod mine;
pub mod model;
pub mod ondemand;
pub mod parallel;
pub mod parse;
pub mod plan;
pub mod postmortem;
pub mod report;
pub mod run;
pub mod sanitize;
pub mod scan;
pub mod source;
pub mod store;
pub mod templates;
pub mod tui;
pub mod ui;
pub mod walk;

/// Files compiled into the binary: the catalogue and the bundled incident.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
