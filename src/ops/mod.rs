//! How the running daemon is doing, for its operator: `health` (`/healthz`, the Docker
//! HEALTHCHECK), `metrics` (`/metrics`) and `status` (`windvane status`).

pub mod health;
pub mod metrics;
pub mod status;
