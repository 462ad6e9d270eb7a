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
    /// Wrong username or password, or a disabled account: the same answer whether or not
    /// the user exists or is active.
    Refused,
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

/// Takes one password check for an account from an address, before the password is
/// checked: refused with [`Error::TooManyRequests`] when the account or the address has
/// used up its checks in the window. Taken atomically in the database, shared by every
/// instance, so a burst sent at once gets no more checks than the limit. A successful check
/// is given back (`Store::succeeded`); a failed one stays and counts.
pub(crate) async fn take_attempt(app: &App, username: &str, ip: Option<&str>) -> Result<jiedai_store::Attempt> {
    let limits = app.config().login;
    let now = Utc::now();
    let keys: Vec<(String, u32)> = throttle_keys(username, ip)
        .into_iter()
        .enumerate()
        .map(|(i, k)| (k, if i == 0 { limits.per_account } else { limits.per_address }))
        .collect();
    match app.store().take_attempt(&keys, now - limits.window).await? {
        Ok(attempt) => Ok(attempt),
        Err(oldest) => {
            let secs = (oldest + limits.window - now).num_seconds().max(1) as u64;
            Err(Error::TooManyRequests { retry_after: secs })
        }
    }
}

/// Signs a person in by username and password, from a client address. A disabled account
/// is refused like a wrong password (the audit log tells them apart).
pub async fn sign_in(app: &App, username: &str, password: &str, ip: Option<&str>) -> Result<SignIn> {
    let username = username.trim().to_lowercase();
    let attempt = take_attempt(app, &username, ip).await?;
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
            let account = &throttle_keys(&username, None)[0];
            app.store().succeeded(attempt, Some(account), Utc::now() - window).await?;
            Ok(SignIn::SignedIn(Box::new(start_session(app, u, ip).await?)))
        }
        Some(u) if ok => {
            app.store().record_event(&failure, "session", Some(u.id.to_string()), "login_disabled", None).await?;
            Ok(SignIn::Refused)
        }
        _ => {
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
