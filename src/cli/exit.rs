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

/// Whether the command failed only because stdout's reader went away (`windvane eval … | head`):
/// the output it wanted was taken, so `main` ends quietly with exit 0.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
