//! A one-line progress indicator (`reviewed 120/1500 files`) on standard
//! error, for long reviews. It is drawn only when standard error is a
//! terminal, so logs, pipes and CI output never see it, and only once a run
//! has lasted a moment, so a quick review prints nothing extra. Workers tick
//! it from any thread; one redraw at a time, at most ten a second.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    total: usize,
    done: AtomicUsize,
    /// `None` when nothing may be drawn.
    screen: Option<Mutex<Screen>>,
}

struct Screen {
    last_drawn: Instant,
    width: usize,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress::drawn_if(total, std::io::stderr().is_terminal())
    }

    pub fn drawn_if(total: usize, terminal: bool) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            screen: terminal.then(|| {
                Mutex::new(Screen {
                    last_drawn: Instant::now(),
                    width: 0,
                })
            }),
        }
    }

    /// One more file is done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let Some(screen) = &self.screen else { return };
        // A worker that finds another one drawing moves on: progress is a
        // hint, never a reason to wait.
        let Ok(mut screen) = screen.try_lock() else { return };
        if screen.last_drawn.elapsed() < REDRAW_EVERY {
            return;
        }
        let text = line(done, self.total);
        screen.width = screen.width.max(text.len());
        screen.last_drawn = Instant::now();
        eprint!("\r{text}");
    }

    /// Wipes the line, so that what follows starts on a clean one.
    pub fn finish(&self) {
        let Some(screen) = &self.screen else { return };
        let width = screen.lock().map_or(0, |s| s.width);
        if width > 0 {
            eprint!("\r{}\r", " ".repeat(width));
        }
    }

    #[cfg(test)]
    fn drew(&self) -> bool {
        self.screen.as_ref().is_some_and(|s| s.lock().unwrap().width > 0)
    }
}

fn line(done: usize, total: usize) -> String {
    format!("vigil: reviewed {done}/{total} files")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_files_done_of_total() {
        assert_eq!(line(3, 1500), "vigil: reviewed 3/1500 files");
    }

    #[test]
    fn nothing_is_drawn_off_a_terminal() {
        let progress = Progress::drawn_if(2, false);
        progress.tick();
        progress.tick();
        progress.finish();
        assert!(!progress.drew());
        assert_eq!(progress.done.load(Ordering::Relaxed), 2);
    }
}
