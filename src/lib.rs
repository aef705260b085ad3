//! triage: find known errors in server logs and say what to do about them.
//!
//! Data flows one way: sources ([`input`]) → parsed lines ([`parse`]) → [`matcher`] against
//! the [`catalogue`] → printers ([`report`]) for the headless [`scan`].

pub mod app;
pub mod catalogue;
pub mod children;
pub mod cli;
pub mod clipboard;
pub mod explain;
pub mod input;
pub mod loader;
pub mod matcher;
pub mod parallel;
pub mod parse;
pub mod report;
pub mod sanitize;
pub mod scan;
pub mod source;
pub mod store;
pub mod tui;
pub mod ui;

/// Files compiled into the binary: the catalogue and the bundled incident.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
