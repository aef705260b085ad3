//! triage: find known errors in server logs and say what to do about them.
//!
//! Data flows one way: sources ([`input`]) → parsed lines ([`parse`]) → [`matcher`] against
//! the [`catalogue`] → printers ([`report`]) for the headless [`scan`].

pub mod catalogue;
pub mod cli;
pub mod explain;
pub mod input;
pub mod matcher;
pub mod parse;
pub mod report;
pub mod sanitize;
pub mod scan;

/// Files compiled into the binary: the catalogue and the bundled incident.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
