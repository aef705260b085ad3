//! Work on a sequence of pieces on several threads, with the results handed back in order.
//! Used for matching big logs: reading stays sequential, matching spreads over the cores,
//! and hits still come out in input order.

use std::{collections::BTreeMap, sync::mpsc, thread};

/// Run `work` on each item on up to `threads` threads, calling `sink` with the results in
/// the order of `items`, on the calling thread. `items` is also pulled on the calling thread,
/// never more than `2 * threads` ahead of `sink`, so memory stays bounded. Stops early when
/// `sink` returns `false`. With one thread everything runs inline.
pub fn ordered_map<T, R>(
    items: impl Iterator<Item = T>,
    threads: usize,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> bool,
) where
    T: Send,
    R: Send,
{
    if threads <= 1 {
        for item in items {
            if !sink(work(item)) {
                return;
            }
        }
        return;
    }
    let work = &work;
    thread::scope(|scope| {
        let (done_tx, done_rx) = mpsc::channel::<(u64, R)>();
        let mut job_txs = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (job_tx, job_rx) = mpsc::sync_channel::<(u64, T)>(2);
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                for (seq, item) in job_rx {
                    if done_tx.send((seq, work(item))).is_err() {
                        break;
                    }
                }
            });
            job_txs.push(job_tx);
        }
        drop(done_tx);
        let mut items = items.fuse();
        let mut pending: BTreeMap<u64, R> = BTreeMap::new();
        let (mut sent, mut next) = (0u64, 0u64);
        loop {
            // Keep every worker busy, within the bound.
            while sent - next < 2 * threads as u64 {
                let Some(item) = items.next() else { break };
                // A worker only hangs up when this thread has gone: cannot fail here.
                let _ = job_txs[(sent % threads as u64) as usize].send((sent, item));
                sent += 1;
            }
            if next == sent {
                break;
            }
            let Ok((seq, result)) = done_rx.recv() else {
                break;
            };
            pending.insert(seq, result);
            while let Some(result) = pending.remove(&next) {
                next += 1;
                if !sink(result) {
                    // Dropping the senders ends the workers after their current item.
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order() {
        for threads in [1, 2, 5] {
            let mut out = Vec::new();
            ordered_map(
                0..100u64,
                threads,
                |n| {
                    // Uneven work, so results finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                    n * 2
                },
                |r| {
                    out.push(r);
                    true
                },
            );
            assert_eq!(
                out,
                (0..100).map(|n| n * 2).collect::<Vec<_>>(),
                "threads {threads}"
            );
        }
    }

    #[test]
    fn a_sink_can_stop_it() {
        let mut seen = 0;
        ordered_map(
            0..1_000_000u64,
            3,
            |n| n,
            |_| {
                seen += 1;
                seen < 10
            },
        );
        assert_eq!(seen, 10);
    }
}
