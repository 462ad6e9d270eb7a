//! API tokens: made by their owner (the secret is shown once), listed, revoked by their
//! owner or an administrator.

use jiedai_domain::{Actor, ApiToken, Role, TokenId, User, UserId};

use crate::{App, Error, Result, secrets};

/// Creates an API token; answers the stored token and its secret (shown once).
pub async fn create_token(app: &App, user_id: UserId, name: &str, actor: &Actor) -> Result<(ApiToken, String)> {
    let name = if name.trim().is_empty() { "api".to_owned() } else { name.to_owned() };
    let name = jiedai_domain::field::required_text("name", &name, 64)?;
    let (secret, hash) = secrets::new_api_token();
    let prefix: String = secret.chars().take(10).collect();
    let t = app.store().create_token(user_id, name, hash, prefix, actor).await?;
    Ok((t, secret))
}

/// Tokens, newest first: one person's, or everyone's (`None`; administrators).
pub async fn list_tokens(app: &App, owner: Option<UserId>) -> Result<Vec<ApiToken>> {
    Ok(app.store().list_tokens(owner).await?)
}

/// Whose tokens a revocation may reach.
#[derive(Debug, Clone, Copy)]
pub enum Reach<'a> {
    /// Only this person's own (the account page).
    Own(&'a User),
    /// This person's own, or anyone's when they are an administrator (the API, the
    /// administrators' pages).
    OwnOrAdministered(&'a User),
    /// Anyone's (the operator at the server's command line).
    Any,
}

/// Revokes a token (idempotent). A token out of reach does not exist, as far as the
/// person knows.
pub async fn revoke_token(app: &App, id: TokenId, reach: Reach<'_>, actor: &Actor) -> Result<ApiToken> {
    let t = app.store().get_token(id).await?;
    let reachable = match reach {
        Reach::Own(by) => t.user_id == by.id,
        Reach::OwnOrAdministered(by) => t.user_id == by.id || by.roles.contains(Role::Admin),
        Reach::Any => true,
    };
    if !reachable {
        return Err(Error::NotFound);
    }
    Ok(app.store().revoke_token(id, actor).await?)
}
