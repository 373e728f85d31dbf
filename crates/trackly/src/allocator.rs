//! glibc's malloc gives each thread an arena of its own (up to eight per core), and each
//! arena keeps the freed peak of what ran on it: with the HTTP workers, blocking threads
//! and the click writer, `serve` kept about twice the memory it uses (docs/PERFORMANCE.md,
//! "Links"). Two arenas cost no measured throughput. glibc reads `MALLOC_ARENA_MAX` only
//! as the process starts, so `serve` re-executes itself once with it set, unless the
//! operator chose a value.

use std::os::unix::process::CommandExt;

/// The variable glibc reads.
const VARIABLE: &str = "MALLOC_ARENA_MAX";
/// The arenas `serve` runs with.
const ARENAS: &str = "2";

/// Replaces this process (same pid) with itself and `MALLOC_ARENA_MAX=2` when the
/// variable is not set. Returns when it is set, or when the restart failed (logged: the
/// service runs as it is, with more memory).
pub fn limit_malloc_arenas() {
    if std::env::var_os(VARIABLE).is_some() {
        return;
    }
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(error) => {
            log::warn!("cannot find this program to restart it with {VARIABLE}={ARENAS}: {error}");
            return;
        }
    };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(program);
    if let Some(name) = args.next() {
        command.arg0(name);
    }
    let error = command.args(args).env(VARIABLE, ARENAS).exec();
    log::warn!(
        "could not restart with {VARIABLE}={ARENAS} ({error}); running with glibc's default arenas"
    );
}
