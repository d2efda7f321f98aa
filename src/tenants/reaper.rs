//! Drops in-memory tenants left idle longer than `--tenant-idle`, and logs each.

use super::Registry;
use std::sync::Weak;
use std::time::Duration;

/// Checks a few times per idle period (at most every 30 s) until the registry is gone.
pub async fn run(registry: Weak<Registry>) {
    let Some(idle) = registry.upgrade().and_then(|r| r.idle()) else {
        return;
    };
    let every = (idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(30));
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(registry) = registry.upgrade() else {
            return;
        };
        for name in registry.drop_idle() {
            tracing::info!(
                tenant = name,
                idle_seconds = idle.as_secs(),
                "in-memory tenant dropped after being idle"
            );
        }
    }
}
