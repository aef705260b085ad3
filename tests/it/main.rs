//! Every integration test in one binary: each file under tests/ used to be its own crate, and
//! each relinked bollard, tokio and ratatui. Modules share the helpers in `common`.

mod common;

mod catalogue;
mod docker;
mod formats;
mod glibc;
mod hostile;
mod incidents_tui;
mod ingest;
mod journal;
mod narrow_tui;
mod ondemand;
mod patterns_new;
mod properties;
mod remedies;
mod remedy_options;
mod report;
mod scan;
mod terminal;
mod tui;
mod unknown;
mod user_patterns;
