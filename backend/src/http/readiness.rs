//! The readiness answer, probed at most once a second: `/readyz` is public, and a flood of it must
//! not become a flood of database queries. Concurrent callers share one probe.

use std::{
    future::Future,
    time::{Duration, Instant},
};

/// How long a probe's answer is reused.
const FRESH_FOR: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct Readiness {
    last: tokio::sync::Mutex<Option<Probe>>,
}

#[derive(Clone, Copy)]
struct Probe {
    at: Instant,
    ready: bool,
}

impl Readiness {
    /// The last answer if it is under a second old, else `probe`'s (one caller probes; the rest
    /// wait for its answer).
    pub async fn check<F: Future<Output = bool>>(&self, probe: impl FnOnce() -> F) -> bool {
        let mut last = self.last.lock().await;
        let now = Instant::now();
        match *last {
            Some(seen) if now.duration_since(seen.at) < FRESH_FOR => seen.ready,
            _ => {
                let ready = probe().await;
                *last = Some(Probe { at: now, ready });
                ready
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn probes_once_a_second_and_again_after() {
        let readiness = Readiness::default();
        let probes = AtomicUsize::new(0);
        let probe = |answer: bool| {
            probes.fetch_add(1, Ordering::SeqCst);
            std::future::ready(answer)
        };
        assert!(readiness.check(|| probe(true)).await);
        // Within the second: the first answer, without a probe (it would have said false).
        for _ in 0..100 {
            assert!(readiness.check(|| probe(false)).await);
        }
        assert_eq!(probes.load(Ordering::SeqCst), 1);

        tokio::time::sleep(FRESH_FOR).await;
        assert!(!readiness.check(|| probe(false)).await, "probed anew");
        assert_eq!(probes.load(Ordering::SeqCst), 2);
    }
}
