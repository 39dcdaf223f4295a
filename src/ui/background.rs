//! Work off the UI thread, one pattern for every kind of it (file dialogs, counting a payload
//! file, simulator runs, batches): a [`Job`] runs a closure on a named thread of its own, hands
//! it a stop flag ([`Stop`]), and sends its result back through a channel that its owner polls
//! once per frame, outside drawing. When given the window's context, the thread asks for a
//! repaint as it finishes, so that its result shows without waiting for input.
//!
//! This module imports nothing else from `ui`.

use crate::sim::BatchControl;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// A flag a job's owner raises to ask the job to stop, and the job reads.
pub trait Stop: Send + Sync + 'static {
    /// Asks the job to stop.
    fn stop(&self);
    /// Whether a stop was asked.
    fn is_stopped(&self) -> bool;
}

impl Stop for AtomicBool {
    fn stop(&self) {
        self.store(true, Ordering::Relaxed);
    }

    fn is_stopped(&self) -> bool {
        self.load(Ordering::Relaxed)
    }
}

/// A batch's own control (it also counts the payloads done).
impl Stop for BatchControl {
    fn stop(&self) {
        self.cancel();
    }

    fn is_stopped(&self) -> bool {
        self.is_cancelled()
    }
}

/// What polling a job found.
#[derive(Debug, PartialEq)]
pub enum Polled<T> {
    /// Still running.
    Running,
    /// Finished with this result.
    Done(T),
    /// The thread ended without a result (it panicked).
    Lost,
}

/// Work running on a thread of its own.
pub struct Job<T, S: Stop = AtomicBool> {
    stop: Arc<S>,
    rx: Receiver<T>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `name`, with a fresh stop flag.
    pub fn start(
        name: &str,
        repaint: Option<&egui::Context>,
        work: impl FnOnce(&AtomicBool) -> T + Send + 'static,
    ) -> std::io::Result<Job<T>> {
        Job::with_stop(name, Arc::new(AtomicBool::new(false)), repaint, work)
    }
}

impl<T: Send + 'static, S: Stop> Job<T, S> {
    /// Starts `work` on a thread named `name`, stopped through `stop`.
    pub fn with_stop(
        name: &str,
        stop: Arc<S>,
        repaint: Option<&egui::Context>,
        work: impl FnOnce(&S) -> T + Send + 'static,
    ) -> std::io::Result<Job<T, S>> {
        let (tx, rx) = mpsc::channel();
        let flag = stop.clone();
        let ctx = repaint.cloned();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // The owner may have dropped the job (replaced by another): nobody to tell.
                let _ = tx.send(work(&flag));
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            })?;
        Ok(Job { stop, rx })
    }

    /// Whether the job finished (once `Done` or `Lost` was returned, forget the job).
    pub fn poll(&self) -> Polled<T> {
        match self.rx.try_recv() {
            Ok(t) => Polled::Done(t),
            Err(TryRecvError::Empty) => Polled::Running,
            Err(TryRecvError::Disconnected) => Polled::Lost,
        }
    }

    /// Asks the job to stop.
    pub fn stop(&self) {
        self.stop.stop();
    }

    /// Whether a stop was asked.
    pub fn is_stopped(&self) -> bool {
        self.stop.is_stopped()
    }

    /// The job's stop flag (a batch's control also counts what it did).
    pub fn control(&self) -> &S {
        &self.stop
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use std::time::{Duration, Instant};

    fn wait<T: Send + 'static, S: Stop>(job: &Job<T, S>) -> Polled<T> {
        let start = Instant::now();
        loop {
            match job.poll() {
                Polled::Running => {
                    assert!(start.elapsed() < Duration::from_secs(10), "still running");
                    std::thread::sleep(Duration::from_millis(5));
                }
                done => return done,
            }
        }
    }

    #[test]
    fn a_job_gives_its_result_once_it_is_done() {
        let job = Job::start("test-job", None, |_| 6 * 7).unwrap();
        assert_eq!(wait(&job), Polled::Done(42));
    }

    #[test]
    fn a_stopped_job_sees_its_flag() {
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let job = Job::start("test-stop", None, move |stop| {
            let _ = go_rx.recv();
            stop.is_stopped()
        })
        .unwrap();
        assert_eq!(job.poll(), Polled::Running);
        job.stop();
        assert!(job.is_stopped());
        go_tx.send(()).unwrap();
        assert_eq!(wait(&job), Polled::Done(true));
    }

    #[test]
    fn a_job_that_panics_is_lost_not_hung() {
        let job: Job<()> = Job::start("test-panic", None, |_| panic!("on purpose")).unwrap();
        assert_eq!(wait(&job), Polled::Lost);
    }
}
