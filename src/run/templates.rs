//! `triage templates`: every line's message mined into templates, with counts.

use std::{io, process::ExitCode};

use anyhow::Result;

use super::complain;
use crate::{input, plan::TemplatesPlan};

pub(super) fn run(plan: TemplatesPlan) -> Result<ExitCode> {
    let mut inputs = Vec::new();
    let mut failed = false;
    for name in &plan.files {
        let opened = if name.as_os_str() == "-" {
            input::open("-")
        } else {
            input::open_path(name)
        };
        match opened {
            Ok(input) => inputs.push(input),
            Err(err) => {
                complain(&err);
                failed = true;
            }
        }
    }
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    match crate::mine::run(inputs, plan.options, &mut out) {
        Ok(_) => {}
        Err(crate::mine::MineError::Output(err)) if err.kind() == io::ErrorKind::BrokenPipe => {}
        Err(err) => {
            complain(&err);
            failed = true;
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
