//! Sign-in throttling: too many failures for one account or from one address within
//! the window answer 429 with Retry-After. The answer is the same whether or not the
//! username exists.

use chrono::{Duration, Utc};

use crate::app::App;
use crate::error::{AppError, AppResult};

fn keys(username: &str, ip: Option<&str>) -> Vec<String> {
    let mut k = vec![format!("user:{}", username.trim().to_lowercase().chars().take(64).collect::<String>())];
    if let Some(ip) = ip {
        k.push(format!("ip:{ip}"));
    }
    k
}

/// Refuses with 429 when either key is over its limit.
pub async fn check(app: &App, username: &str, ip: Option<&str>) -> AppResult<()> {
    let s = &app.settings;
    let window = Duration::minutes(s.login_window_minutes);
    let now = Utc::now();
    for (i, key) in keys(username, ip).iter().enumerate() {
        let limit = if i == 0 { s.login_max_failures_per_account } else { s.login_max_failures_per_address };
        let (count, oldest) = app.store.login_failures_since(key, now - window).await?;
        if count >= limit {
            let free_at = oldest.unwrap_or(now) + window;
            let secs = (free_at - now).num_seconds().max(1) as u64;
            return Err(AppError::TooManyRequests { retry_after: secs });
        }
    }
    Ok(())
}

/// Counts a failure against the account and the address.
pub async fn failed(app: &App, username: &str, ip: Option<&str>) -> AppResult<()> {
    app.store.record_login_failure(&keys(username, ip)).await?;
    Ok(())
}

/// Clears the account's failures after a successful sign-in.
pub async fn succeeded(app: &App, username: &str) -> AppResult<()> {
    let window = Duration::minutes(app.settings.login_window_minutes);
    app.store.clear_login_failures(&keys(username, None)[0], Utc::now() - window).await?;
    Ok(())
}
