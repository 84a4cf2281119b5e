//! A call record as the service takes it: checked field by field.

use super::Cdr;
use crate::validation::FieldErrors;

impl Cdr {
    /// Every field within its bounds, or each one's reason.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let id = self.pbx_call_id.trim();
        if id.is_empty() || id.chars().count() > 200 {
            errors.check::<()>(
                "pbx_call_id",
                Err("is required, at most 200 characters".into()),
            );
        }
        if self
            .duration_seconds
            .is_some_and(|d| !(0..=7 * 86_400).contains(&d))
        {
            errors.check::<()>(
                "duration_seconds",
                Err("must be between 0 and 604800".into()),
            );
        }
        if let Some(url) = &self.recording_url {
            let web = url.starts_with("https://") || url.starts_with("http://");
            if !web || url.chars().count() > 2000 || url.chars().any(char::is_whitespace) {
                errors.check::<()>(
                    "recording_url",
                    Err("must be an http(s) link of at most 2000 characters".into()),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
