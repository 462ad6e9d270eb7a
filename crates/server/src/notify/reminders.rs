//! The worker's reminders: made at most once a minute by each instance (each is written
//! once whichever instance makes it).

use std::time::{Duration, Instant};

use crate::state::AppState;

/// Makes the reminders due, unless this worker did within the last minute (`last`).
pub async fn run(s: &AppState, last: &mut Option<Instant>) -> anyhow::Result<()> {
    if last.is_some_and(|t| t.elapsed() < Duration::from_secs(60)) {
        return Ok(());
    }
    *last = Some(Instant::now());
    let made = jiedai_app::notify::make_reminders(&s.app, s.settings.notify.reminder_hour)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if made > 0 {
        tracing::info!(made, "reminders made");
    }
    Ok(())
}
