//! How a command ends: the exit code and the error behind it. Below every command module.

/// Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_CONFIG: i32 = 2;

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Exit {
    pub code: i32,
    pub error: Option<anyhow::Error>,
}

impl From<anyhow::Error> for Exit {
    fn from(error: anyhow::Error) -> Self {
        Exit {
            code: EXIT_FAILURE,
            error: Some(error),
        }
    }
}

/// A usage or configuration problem (exit 2).
pub fn usage(error: anyhow::Error) -> Exit {
    Exit {
        code: EXIT_CONFIG,
        error: Some(error),
    }
}

/// Marks a write to stdout that found its reader gone. Only the printing commands' own
/// writes carry it: a socket that breaks (PostgreSQL's connection cut mid-copy) is a real
/// failure and keeps its exit code.
#[derive(Debug)]
pub struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stdout was closed by its reader")
    }
}

/// The error of a failed write to stdout (see `outln!`): a closed pipe is marked.
pub fn stdout_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        anyhow::Error::new(e).context(StdoutClosed)
    } else {
        anyhow::Error::new(e)
    }
}

/// Whether the command failed only because stdout's reader went away (`windvane eval … | head`):
/// the output it wanted was taken, so `main` ends quietly with exit 0.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.downcast_ref::<StdoutClosed>().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stdout_closed_by_its_reader_ends_quietly() {
        let pipe = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        // A socket that broke under the command (a database connection) is a failure.
        let socket = anyhow::Error::new(pipe()).context("copying to PostgreSQL");
        assert!(!is_broken_pipe(&socket));
        // Stdout closed, even under a caller's context, is not.
        let printing = stdout_error(pipe()).context("printing the report");
        assert!(is_broken_pipe(&printing));
        // Another write error on stdout (a full disk) is a failure.
        let full = stdout_error(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(!is_broken_pipe(&full));
    }
}
