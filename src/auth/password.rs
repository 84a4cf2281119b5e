//! Password hashing with argon2id. The parameters are stated here, not left to a crate default,
//! so a change is deliberate and `needs_rehash` can upgrade stored hashes at login.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

/// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn hasher() -> Argon2<'static> {
    // The constants above are within argon2's limits, so this cannot fail.
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .unwrap_or_else(|_| Params::default());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on a blocking thread: argon2 takes tens of milliseconds of CPU by design and would
/// otherwise stall every other request on the same runtime worker.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    })
    .await?
}

/// True when `password` matches the stored PHC string. A malformed hash never matches.
pub async fn verify_password(password: String, stored_hash: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored_hash) else {
            return false;
        };
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(Into::into)
}

/// True when `stored_hash` was made with other parameters (or another algorithm) than today's,
/// so it should be replaced at the next successful sign-in.
pub fn needs_rehash(stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return true;
    };
    let current = format!("m={MEMORY_KIB},t={ITERATIONS},p={PARALLELISM}");
    parsed.algorithm.as_str() != "argon2id"
        || parsed.version != Some(Version::V0x13 as u32)
        || parsed.params.to_string() != current
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_is_argon2id_with_stated_parameters_and_verifies() {
        let hash = hash_password("correct horse battery".into())
            .await
            .expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password("correct horse battery".into(), hash.clone())
                .await
                .expect("verify")
        );
        assert!(!verify_password("wrong horse battery".into(), hash)
            .await
            .expect("verify"));
    }

    #[tokio::test]
    async fn same_password_gets_a_fresh_salt_each_time() {
        let a = hash_password("same password!".into()).await.expect("hash");
        let b = hash_password("same password!".into()).await.expect("hash");
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn hashes_with_other_parameters_need_a_rehash() {
        let current = hash_password("a password to keep".into())
            .await
            .expect("hash");
        assert!(!needs_rehash(&current));
        let weaker = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).expect("params"),
        )
        .hash_password(b"a password to keep", &SaltString::generate(&mut OsRng))
        .expect("hash")
        .to_string();
        assert!(needs_rehash(&weaker));
        assert!(needs_rehash("garbage"));
    }

    #[tokio::test]
    async fn malformed_stored_hash_never_matches() {
        assert!(
            !verify_password("anything at all".into(), "not-a-hash".into())
                .await
                .expect("verify")
        );
    }
}
