//! `[store] url` and `[instance]`: cluster mode's keys (issue 15), validated into a
//! `store::pg::ClusterConfig`. Every problem is reported with its key, together with the rest.

use std::time::Duration;

use serde::Deserialize;

use crate::secret::{Environment, Secret};
use crate::store::pg::{ClusterConfig, DEFAULT_EGRESS, DEFAULT_EGRESS_COOLDOWN, DEFAULT_LEASE_TTL};

/// libpq's variable for the password, read when `password_env` is not set.
pub const PGPASSWORD: &str = "PGPASSWORD";
/// Names the egress when `[instance] egress` is not set (one file for several instances, as
/// in deploy/compose.yaml).
pub const EGRESS_ENV: &str = "WINDVANE_EGRESS";
/// Shortest lease: renewals happen at a third of it, and a run must fit in between.
pub const MIN_LEASE_TTL: Duration = Duration::from_secs(2);

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawInstance {
    /// This instance's name in the roster and in leases (default: `$HOSTNAME`, else
    /// `windvane-<pid>`).
    pub id: Option<String>,
    /// The IP or proxy this process fetches through; 418 cool-downs are shared per egress
    /// (default: `$WINDVANE_EGRESS`, else "default").
    pub egress: Option<String>,
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub lease_ttl: Option<Duration>,
    /// The first cool-down of the egress after a 418 (doubled per strike in a row).
    #[serde(default, deserialize_with = "crate::duration::bounded_duration")]
    pub egress_cooldown: Option<Duration>,
}

/// The cluster configuration when `[store] url` is set; `None` for SQLite. Problems name the
/// key: both `path` and `url`, a URL the driver cannot read, a missing password variable, an
/// `[instance]` section without a `url`.
pub(super) fn cluster_section(
    url: Option<String>,
    path_set: bool,
    password_env: Option<String>,
    instance: Option<RawInstance>,
    env: &Environment,
    problem: &mut impl FnMut(String, String),
) -> Option<ClusterConfig> {
    let Some(url) = url else {
        if password_env.is_some() {
            problem(
                "store.password_env".into(),
                "only PostgreSQL takes a password: set `store.url` or remove this key".into(),
            );
        }
        if instance.is_some() {
            problem(
                "instance".into(),
                "[instance] configures cluster mode, which needs `store.url = \"postgres://…\"`"
                    .into(),
            );
        }
        return None;
    };
    if path_set {
        problem(
            "store.url".into(),
            "both `store.path` (SQLite) and `store.url` (PostgreSQL) are set; keep one".into(),
        );
    }
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        problem(
            "store.url".into(),
            "must start with postgres:// (e.g. \"postgres://windvane@db:5432/windvane\")".into(),
        );
    } else {
        match url.parse::<tokio_postgres::Config>() {
            Err(e) => problem(
                "store.url".into(),
                format!("not a PostgreSQL connection string: {e}"),
            ),
            Ok(c) if c.get_password().is_some() => problem(
                "store.url".into(),
                format!(
                    "holds a password; take it out and set it in `{}` (or `store.password_env`)",
                    PGPASSWORD
                ),
            ),
            Ok(_) => {}
        }
    }
    let password = match &password_env {
        Some(var) => {
            let v = env.var(var);
            if v.is_none() {
                problem(
                    "store.password_env".into(),
                    format!("the environment variable `{var}` is not set"),
                );
            }
            v
        }
        None => env.var(PGPASSWORD),
    }
    .filter(|p| !p.is_empty())
    .map(Secret::new);
    let instance = instance.unwrap_or_default();
    let instance_id = instance.id.unwrap_or_else(|| {
        env.var("HOSTNAME")
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| format!("windvane-{}", std::process::id()))
    });
    if instance_id.trim().is_empty() || instance_id.chars().any(char::is_control) {
        problem(
            "instance.id".into(),
            "must be a non-empty name without control characters".into(),
        );
    }
    let egress = instance
        .egress
        .or_else(|| env.var(EGRESS_ENV))
        .unwrap_or_else(|| DEFAULT_EGRESS.to_string());
    if egress.trim().is_empty() {
        problem(
            "instance.egress".into(),
            "must not be empty (leave it out for \"default\")".into(),
        );
    }
    let lease_ttl = instance.lease_ttl.unwrap_or(DEFAULT_LEASE_TTL);
    if lease_ttl < MIN_LEASE_TTL {
        problem(
            "instance.lease_ttl".into(),
            format!(
                "{} is shorter than the minimum {}",
                humantime::format_duration(lease_ttl),
                humantime::format_duration(MIN_LEASE_TTL)
            ),
        );
    }
    let egress_cooldown = instance.egress_cooldown.unwrap_or(DEFAULT_EGRESS_COOLDOWN);
    if egress_cooldown.is_zero() {
        problem(
            "instance.egress_cooldown".into(),
            "must be longer than 0s".into(),
        );
    }
    Some(ClusterConfig {
        url,
        password,
        instance_id,
        egress,
        lease_ttl,
        egress_cooldown,
    })
}
