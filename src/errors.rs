//! An error as one line with its causes, for logs and messages: many libraries' top errors
//! say only what failed ("db error", "error sending request") and keep the why in `source()`.

/// `e` followed by each of its sources, joined with ": ", leaving out a source whose text
/// the line already holds (wrappers often repeat their inner error in their own message).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut line = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        next = cause.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::error_chain;

    #[derive(Debug, thiserror::Error)]
    #[error("db error")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("FATAL: the database system is starting up")]
    struct Inner;

    #[derive(Debug, thiserror::Error)]
    #[error("pool: {0}")]
    struct Repeats(#[source] Outer);

    #[test]
    fn the_causes_follow_the_error_once_each() {
        assert_eq!(
            error_chain(&Outer(Inner)),
            "db error: FATAL: the database system is starting up"
        );
        assert_eq!(
            error_chain(&Repeats(Outer(Inner))),
            "pool: db error: FATAL: the database system is starting up"
        );
    }
}
