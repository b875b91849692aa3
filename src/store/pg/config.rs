//! What cluster mode needs to know, validated by `config/`: where the shared database is,
//! who this instance is, which egress it fetches through, and how long its leases last.

use std::time::Duration;

use crate::secret::Secret;

/// A lease not renewed for this long may be taken over by another instance.
pub const DEFAULT_LEASE_TTL: Duration = Duration::from_secs(60);
/// The first cool-down of an egress after a 418; doubled per strike in a row, up to
/// `MAX_COOLDOWN_FACTOR` times this.
pub const DEFAULT_EGRESS_COOLDOWN: Duration = Duration::from_secs(60);
pub const MAX_COOLDOWN_FACTOR: u32 = 32;
/// The egress an instance fetches through when `[instance] egress` is not set.
pub const DEFAULT_EGRESS: &str = "default";

/// `[store] url` with `[instance]`: this process is one instance of a cluster.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// The connection string as configured (no password: that comes from the environment).
    pub url: String,
    pub password: Option<Secret>,
    pub instance_id: String,
    pub egress: String,
    pub lease_ttl: Duration,
    pub egress_cooldown: Duration,
}

impl ClusterConfig {
    /// The driver's configuration: the URL with the password set.
    pub fn pg_config(&self) -> Result<tokio_postgres::Config, super::PgError> {
        let mut c: tokio_postgres::Config =
            self.url.parse().map_err(|source| super::PgError::Url {
                url: self.url.clone(),
                source,
            })?;
        if let Some(p) = &self.password {
            c.password(p.expose());
        }
        Ok(c)
    }
}
