//! Passwords: argon2id at OWASP's setting, checked off the async workers, and the rule a new
//! password must meet.

use super::super::rules::password_length_problem;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id setting: 19 MiB, two passes, one lane.
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Argon2 runs at most this many at once per instance: each takes 19 MiB and a core for tens of
/// milliseconds, and a flood of sign-ins must queue rather than fill the memory.
static ARGON2_AT_ONCE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Hashing takes tens of milliseconds of CPU: keep it off the async workers.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    let _turn = ARGON2_AT_ONCE.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

pub async fn verify_password(password: String, hash: String) -> anyhow::Result<bool> {
    let _turn = ARGON2_AT_ONCE.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("bad stored hash: {e}"))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await?
}

/// A hash to verify against when no account matches, so that a wrong mobile number takes as
/// long as a wrong password and does not reveal who is registered.
pub(super) fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"no such account", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// The password rule: long enough, and not a common or guessable password (zxcvbn's
/// dictionaries of leaked passwords, names and keyboard patterns, plus the person's own details).
pub fn password_problem(password: &str, user_inputs: &[&str]) -> Option<&'static str> {
    if let Some(p) = password_length_problem(password) {
        return Some(p);
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if (estimate.score() as u8) < 3 {
        return Some("err_password_common");
    }
    None
}
