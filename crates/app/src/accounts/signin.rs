//! Signing in and out: the throttle on failed attempts (per account and per client
//! address, counted in the database so that every instance shares it), the password
//! check, the session, and the audit records of each.

use chrono::Utc;
use jiedai_domain::{Actor, User};

use super::password;
use crate::{App, Error, Result, secrets};

/// What became of a sign-in.
pub enum SignIn {
    /// Signed in.
    SignedIn(Box<SignedIn>),
    /// Wrong username or password (the same answer whether or not the user exists).
    Refused,
    /// The right password of a disabled account.
    Disabled,
}

/// A new session.
pub struct SignedIn {
    /// Who signed in.
    pub user: User,
    /// The session's secret, for the cookie (only its hash is stored).
    pub session_secret: String,
    /// Its idle lifetime.
    pub ttl: chrono::Duration,
}

fn throttle_keys(username: &str, ip: Option<&str>) -> Vec<String> {
    let mut k = vec![format!("user:{}", username.trim().to_lowercase().chars().take(64).collect::<String>())];
    if let Some(ip) = ip {
        k.push(format!("ip:{ip}"));
    }
    k
}

/// Refuses with [`Error::TooManyRequests`] when the account or the address is over its limit.
async fn check_throttle(app: &App, username: &str, ip: Option<&str>) -> Result<()> {
    let limits = app.config().login;
    let now = Utc::now();
    for (i, key) in throttle_keys(username, ip).iter().enumerate() {
        let limit = if i == 0 { limits.per_account } else { limits.per_address };
        let (count, oldest) = app.store().login_failures_since(key, now - limits.window).await?;
        if count >= limit as usize {
            let free_at = oldest.unwrap_or(now) + limits.window;
            let secs = (free_at - now).num_seconds().max(1) as u64;
            return Err(Error::TooManyRequests { retry_after: secs });
        }
    }
    Ok(())
}

/// Signs a person in by username and password, from a client address.
pub async fn sign_in(app: &App, username: &str, password: &str, ip: Option<&str>) -> Result<SignIn> {
    let username = username.trim().to_lowercase();
    check_throttle(app, &username, ip).await?;
    let (user, hash) = match app.store().find_login(&username).await? {
        Some((u, h)) => (Some(u), h),
        None => (None, None),
    };
    let ok = password::verify(password.to_owned(), hash).await;
    let failure = Actor {
        user_id: user.as_ref().map(|u| u.id),
        label: username.chars().take(64).collect(),
        ip: ip.map(str::to_owned),
    };
    match user {
        Some(u) if ok && u.active => {
            let window = app.config().login.window;
            app.store().clear_login_failures(&throttle_keys(&username, None)[0], Utc::now() - window).await?;
            Ok(SignIn::SignedIn(Box::new(start_session(app, u, ip).await?)))
        }
        Some(u) if ok => {
            app.store().record_event(&failure, "session", Some(u.id.to_string()), "login_disabled", None).await?;
            Ok(SignIn::Disabled)
        }
        _ => {
            app.store().record_login_failure(&throttle_keys(&username, ip)).await?;
            app.store().record_event(&failure, "session", None, "login_failed", None).await?;
            Ok(SignIn::Refused)
        }
    }
}

/// Starts a session for a person (after signing in, or after first-run set-up), audited
/// as a sign-in.
pub async fn start_session(app: &App, user: User, ip: Option<&str>) -> Result<SignedIn> {
    let secret = secrets::random_hex();
    let actor = Actor { user_id: Some(user.id), label: user.username.clone(), ip: ip.map(str::to_owned) };
    let ttl = app.config().session_ttl;
    app.store().create_session(secrets::sha256_hex(&secret), user.id, ttl, &actor).await?;
    Ok(SignedIn { user, session_secret: secret, ttl })
}

/// Ends a session (signing out), audited.
pub async fn sign_out(app: &App, session_hash: &str, actor: &Actor) -> Result<()> {
    Ok(app.store().delete_session(session_hash, actor).await?)
}
