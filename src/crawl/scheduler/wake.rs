//! The dispatch loop's wake-up timer. tokio's timer wheel counts whole
//! milliseconds: a host allowed again 5.0 ms after its last request was
//! served 5-6 ms after it (one extra millisecond in a 5 ms cycle costs a
//! sixth of a fast host's rate). On Linux a timerfd armed with the exact
//! time wakes the loop through the runtime's I/O driver instead, to within
//! the kernel's timer slack (about 50 µs); elsewhere [`Wake`] is tokio's
//! `sleep_until` (same API, millisecond granularity).

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub use sleep::Wake;
#[cfg(any(target_os = "linux", target_os = "android"))]
pub use timerfd::Wake;

/// The exact timer (timerfd, Linux and Android only).
#[cfg(any(target_os = "linux", target_os = "android"))]
mod timerfd {
    use std::io;
    use std::os::fd::OwnedFd;
    use std::time::{Duration, Instant};

    use rustix::time::{
        timerfd_create, timerfd_settime, Itimerspec, TimerfdClockId, TimerfdFlags,
        TimerfdTimerFlags, Timespec,
    };
    use tokio::io::unix::AsyncFd;
    use tokio::io::Interest;

    /// A one-shot timer, armed again for each wait; the wait is cancel-safe
    /// (a wait dropped before its time leaves the timer armed, which the next
    /// wait re-arms or consumes).
    pub struct Wake {
        fd: AsyncFd<OwnedFd>,
        /// The time the timer is armed for, until its expiry is read.
        armed: Option<Instant>,
    }

    impl Wake {
        /// A timer on the monotonic clock (the clock of [`Instant`]),
        /// registered with the current runtime's I/O driver.
        pub fn new() -> io::Result<Self> {
            let fd = timerfd_create(
                TimerfdClockId::Monotonic,
                TimerfdFlags::NONBLOCK | TimerfdFlags::CLOEXEC,
            )?;
            // SAFETY: the timer's descriptor is owned here and neither replaced
            // nor closed while the AsyncFd holds it (it closes it when dropped).
            let fd = unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE) }?;
            Ok(Self { fd, armed: None })
        }

        fn arm(&mut self, at: Instant) -> io::Result<()> {
            if self.armed == Some(at) {
                return Ok(());
            }
            // A zero value would disarm the timer: a time already past fires
            // after one nanosecond.
            let d = at
                .saturating_duration_since(Instant::now())
                .max(Duration::from_nanos(1));
            let zero = Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            let spec = Itimerspec {
                it_interval: zero,
                it_value: Timespec {
                    tv_sec: d.as_secs().try_into().unwrap_or(i64::MAX),
                    tv_nsec: d.subsec_nanos().into(),
                },
            };
            timerfd_settime(self.fd.get_ref(), TimerfdTimerFlags::empty(), &spec)?;
            self.armed = Some(at);
            Ok(())
        }

        /// Waits until `at` (returns at once when it is past).
        pub async fn until(&mut self, at: Instant) -> io::Result<()> {
            self.arm(at)?;
            loop {
                let mut ready = self.fd.readable().await?;
                let mut expirations = [0u8; 8];
                match rustix::io::read(self.fd.get_ref(), &mut expirations) {
                    Ok(_) => {
                        self.armed = None;
                        return Ok(());
                    }
                    // Readiness left from an expiry that re-arming cleared.
                    Err(rustix::io::Errno::AGAIN) => ready.clear_ready(),
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
}

/// The portable timer: tokio's `sleep_until` (compiled in tests everywhere,
/// so that the fallback is checked on Linux too).
#[cfg(any(test, not(any(target_os = "linux", target_os = "android"))))]
mod sleep {
    use std::io;
    use std::time::Instant;

    /// A timer on tokio's clock, which rounds a wait up to its next
    /// millisecond.
    pub struct Wake;

    impl Wake {
        /// A timer of the current runtime (it cannot fail: `io::Result`
        /// for the timerfd version's API).
        pub fn new() -> io::Result<Self> {
            Ok(Self)
        }

        /// Waits until `at` (returns at once when it is past).
        pub async fn until(&mut self, at: Instant) -> io::Result<()> {
            tokio::time::sleep_until(at.into()).await;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    /// The checks every timer passes: never early, a past time returns at
    /// once, a dropped wait does not disturb the next one.
    macro_rules! wake_checks {
        ($name:ident, $wake:ty) => {
            #[test]
            fn $name() {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    let mut wake = <$wake>::new().unwrap();
                    let start = Instant::now();
                    for i in 1..=3u32 {
                        let at = start + Duration::from_micros(1500) * i;
                        wake.until(at).await.unwrap();
                        assert!(Instant::now() >= at);
                    }
                    wake.until(start).await.unwrap();
                    let later = Instant::now() + Duration::from_secs(3600);
                    let soon = Instant::now() + Duration::from_millis(2);
                    tokio::select! {
                        _ = wake.until(later) => panic!("an hour passed"),
                        _ = tokio::task::yield_now() => {}
                    }
                    wake.until(soon).await.unwrap();
                    assert!(Instant::now() >= soon);
                });
            }
        };
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    wake_checks!(
        timerfd_wakes_at_the_time_asked_and_not_before,
        super::timerfd::Wake
    );
    wake_checks!(
        sleep_wakes_at_the_time_asked_and_not_before,
        super::sleep::Wake
    );
}
