//! Exec: runs a command (program and arguments, no shell) with the alert JSON on stdin and
//! `WINDVANE_TITLE`/`WINDVANE_MESSAGE` in its environment. Exit 0 within the timeout is
//! success; otherwise the error carries the exit status and the tail of stderr.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::message::{AlertMessage, Rendered};
use super::transport::{AlertError, Answer};

#[derive(Debug, Clone)]
pub struct Exec {
    pub command: Vec<String>,
    pub timeout: Duration,
}

pub async fn send(
    channel: &str,
    x: &Exec,
    msg: &AlertMessage,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let fail = |error: String| AlertError::Exec {
        channel: channel.to_string(),
        error,
    };
    let (program, args) = x
        .command
        .split_first()
        .ok_or_else(|| fail("no command".into()))?;
    let json = serde_json::to_vec(&super::transport::webhook_value(msg, r)).unwrap_or_default();
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .env("WINDVANE_TITLE", &r.title)
        .env("WINDVANE_MESSAGE", &r.body)
        .env("WINDVANE_IDEMPOTENCY_KEY", &msg.idempotency_key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| fail(format!("cannot start `{program}`: {e}")))?;
    let mut stdin = child.stdin.take().ok_or_else(|| fail("no stdin".into()))?;
    let run = async move {
        // A command that ignores stdin may close it early; that is not a failure.
        let _ = stdin.write_all(&json).await;
        drop(stdin);
        child.wait_with_output().await
    };
    let out = tokio::time::timeout(x.timeout, run)
        .await
        .map_err(|_| fail(format!("`{program}` did not finish within {:?}", x.timeout)))?
        .map_err(|e| fail(format!("`{program}`: {e}")))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let tail: String = stderr
            .trim()
            .chars()
            .rev()
            .take(300)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Err(fail(format!(
            "`{program}` exited with {}: {tail}",
            out.status
        )));
    }
    Ok(Answer {
        status: 0,
        body: String::from_utf8_lossy(&out.stdout).trim().to_string(),
    })
}
