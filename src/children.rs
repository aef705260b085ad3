//! Child processes (journalctl) never outlive triage: each is registered while it runs and
//! killed on every way out (quit, error, panic, signal), and the kernel kills it if triage
//! itself is killed outright (`PR_SET_PDEATHSIG`).

use std::sync::Mutex;

static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Remember a running child.
pub fn register(pid: u32) {
    if let Ok(mut children) = CHILDREN.lock() {
        children.push(pid);
    }
}

/// Forget a child that has exited.
pub fn unregister(pid: u32) {
    if let Ok(mut children) = CHILDREN.lock() {
        children.retain(|&p| p != pid);
    }
}

/// Kill every registered child. Safe to call from a panic hook (never blocks on a poisoned
/// lock, never panics).
pub fn kill_all() {
    let pids = match CHILDREN.try_lock() {
        Ok(mut children) => std::mem::take(&mut *children),
        Err(std::sync::TryLockError::Poisoned(poisoned)) => {
            std::mem::take(&mut *poisoned.into_inner())
        }
        Err(std::sync::TryLockError::WouldBlock) => return,
    };
    for pid in pids {
        if let Ok(pid) = libc::pid_t::try_from(pid) {
            // SAFETY: kill(2) with a pid we spawned; at worst the process is already gone.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

/// Make a command's child die with its parent, even if the parent is killed with SIGKILL.
pub fn die_with_parent(command: &mut tokio::process::Command) {
    // SAFETY: the closure runs in the child between fork and exec and calls only
    // async-signal-safe functions (prctl, getppid, _exit).
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            // The parent may have died before prctl took effect.
            if libc::getppid() == 1 {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}
