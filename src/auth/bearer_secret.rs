//! Bearer secrets (API tokens, the PBX token): 256 random bits behind a prefix that says what
//! the secret is for, stored only as a SHA-256.

use sha2::{Digest, Sha256};

/// `prefix` + 64 hex digits from the operating system's CSPRNG.
pub fn new_secret(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

/// A secret has full entropy, so a fast hash is enough and lets the lookup use an index.
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a list shows of a secret: its prefix and the first 8 hex digits.
pub fn shown_prefix(secret: &str, prefix: &str) -> String {
    secret.chars().take(prefix.len() + 8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_hashed_stably() {
        let a = new_secret("crm_");
        let b = new_secret("crm_");
        assert_ne!(a, b);
        assert_eq!(a.len(), "crm_".len() + 64);
        assert_eq!(shown_prefix(&a, "crm_").len(), "crm_".len() + 8);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "SHA-256 test vector"
        );
    }
}
