//! Password hashing with argon2id (19 MiB, t=2, p=1: the crate's defaults, OWASP's
//! recommendation), off the async runtime.
//!
//! Hashes and checks run one at a time, each in its own 19 MiB work area that is given
//! back to the system when it finishes:
//! - memory stays bounded whatever the number of simultaneous sign-ins (each would
//!   otherwise take 19 MiB at once);
//! - an idle server holds no work area at all (the allocator, mimalloc, returns a freed
//!   area of this size to the system; glibc's kept them, which once grew an idle server
//!   from 15 MB to over 100 MB);
//! - sign-in storms queue instead of exhausting memory; one hash takes a few tens of
//!   milliseconds, so that is dozens of sign-ins a second.

use std::sync::{Mutex, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use jiedai_domain::FieldError;

/// Refuses a new password that is easy to guess: one that contains the username (or the
/// person's name or e-mail before the @), or that zxcvbn (Dropbox's estimator: common
/// passwords, dictionary words, names, keyboard patterns, dates, l33t substitutions) scores
/// below 3 of 4. Only the first 32 characters are scored (a long l33t-dense password takes
/// zxcvbn hundreds of milliseconds; past 32 characters length alone makes it strong), off the
/// async runtime.
pub async fn check_strength(field: &str, password: &str, personal: &[&str]) -> Result<(), FieldError> {
    let lower = password.to_lowercase();
    for p in personal {
        let p = p.split('@').next().unwrap_or("").trim().to_lowercase();
        if p.chars().count() >= 3 && lower.contains(&p) {
            return Err(FieldError::new(field, "password_contains_name"));
        }
    }
    let scored: String = password.chars().take(32).collect();
    let inputs: Vec<String> = personal.iter().map(|s| s.to_string()).chain(["jiedai".to_owned()]).collect();
    let score = tokio::task::spawn_blocking(move || {
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        zxcvbn::zxcvbn(&scored, &inputs).score()
    })
    .await
    .map_err(|_| FieldError::new(field, "weak_password"))?;
    if score < zxcvbn::Score::Three {
        return Err(FieldError::new(field, "weak_password"));
    }
    Ok(())
}

/// Runs argon2id with the given parameters into `out`, one run at a time.
fn argon2_into(params: Params, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), argon2::Error> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params).hash_password_into(password, salt, out)
}

/// How hard new passwords are hashed. Checking always uses the parameters stored with the
/// hash, so a hash made with other parameters still verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hashing {
    /// argon2id with the crate's defaults (19 MiB, t=2, p=1), OWASP's recommendation.
    #[default]
    Standard,
    /// argon2id with the smallest parameters the algorithm allows: for test suites, which
    /// make hundreds of accounts. Only built with the `test-support` feature.
    #[cfg(feature = "test-support")]
    Cheap,
}

impl Hashing {
    fn params(self) -> Params {
        match self {
            Hashing::Standard => Params::DEFAULT,
            #[cfg(feature = "test-support")]
            Hashing::Cheap => Params::new(Params::MIN_M_COST, Params::MIN_T_COST, 1, None).unwrap_or(Params::DEFAULT),
        }
    }
}

fn hash_blocking(password: &str, hashing: Hashing) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let params = hashing.params();
    argon2_into(params.clone(), password.as_bytes(), raw_salt, &mut out)
        .map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|e| anyhow::anyhow!("params: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
    };
    Ok(phc.to_string())
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    let Ok(phc) = PasswordHash::new(stored) else { return false };
    if phc.algorithm != Algorithm::Argon2id.ident() {
        return false;
    }
    let (Ok(params), Some(salt), Some(expected)) = (Params::try_from(&phc), phc.salt, phc.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(raw_salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    if argon2_into(params, password.as_bytes(), raw_salt, &mut out).is_err() {
        return false;
    }
    // Output's equality is constant-time.
    Output::new(&out).is_ok_and(|o| o == expected)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(password: String, hashing: Hashing) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password, hashing)).await?
}

/// Checks a password against a stored hash. With no hash (an account that cannot sign
/// in with a password), a dummy hash is still checked, so that timing does not tell
/// which usernames exist.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy().to_owned());
        verify_blocking(&password, &stored) && real
    })
    .await
    .unwrap_or(false)
}

/// An argon2id hash of a random string nobody knows, made once.
fn dummy() -> &'static str {
    static D: OnceLock<String> = OnceLock::new();
    D.get_or_init(|| hash_blocking(&crate::secrets::random_hex(), Hashing::Standard).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use argon2::PasswordHasher;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = super::hash("correct horse".into(), super::Hashing::Standard).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(super::verify("correct horse".into(), Some(h.clone())).await);
        assert!(!super::verify("wrong horse".into(), Some(h)).await);
        assert!(!super::verify("anything".into(), None).await);
        assert!(!super::verify("anything".into(), Some("not a hash".into())).await);
    }

    #[tokio::test]
    async fn hashes_made_by_the_argon2_crate_with_other_parameters_still_verify() {
        let params = argon2::Params::new(8 * 1024, 3, 1, None).unwrap();
        let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let salt = argon2::password_hash::SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let h = a.hash_password(b"legacy secret", &salt).unwrap().to_string();
        assert!(super::verify("legacy secret".into(), Some(h.clone())).await);
        assert!(!super::verify("other".into(), Some(h)).await);
        let ours = super::hash("x-password".into(), super::Hashing::Standard).await.unwrap();
        let parsed = argon2::PasswordHash::new(&ours).unwrap();
        assert!(argon2::PasswordVerifier::verify_password(&argon2::Argon2::default(), b"x-password", &parsed).is_ok());
    }
}
