//! A form or API body parsed at the door, before the service checks what it links to.

use super::FieldErrors;
use crate::error::AppError;

/// What a door hands a service: the typed values when every field parsed (else each field's
/// reason), and the ids of the records it links to, which only the service can check against
/// the tenant. Both kinds of error are reported together, so a form shows all of them at once.
#[derive(Debug)]
pub struct Draft<T, L> {
    pub values: Result<T, FieldErrors>,
    pub links: L,
}

impl<T, L> Draft<T, L> {
    /// The values and links once the service has put its link errors in `link_errors`; a
    /// validation error naming every bad field otherwise.
    pub fn accept(self, link_errors: FieldErrors) -> Result<(T, L), AppError> {
        let errors = match self.values {
            Ok(values) if link_errors.is_empty() => return Ok((values, self.links)),
            Ok(_) => link_errors,
            Err(mut errors) => {
                errors.extend(link_errors);
                errors
            }
        };
        Err(AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(field: &str) -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.check::<()>(field, Err("bad".into()));
        errors
    }

    #[test]
    fn field_and_link_errors_are_reported_together() {
        let draft: Draft<(), ()> = Draft {
            values: Err(errors("name")),
            links: (),
        };
        let err = draft
            .accept(errors("owner_id"))
            .expect_err("both fields are bad");
        assert_eq!(err.field("name").as_deref(), Some("bad"));
        assert_eq!(err.field("owner_id").as_deref(), Some("bad"));
    }

    #[test]
    fn a_bad_link_alone_refuses_valid_values() {
        let draft = Draft {
            values: Ok(1),
            links: 2,
        };
        assert!(draft.accept(errors("company_id")).is_err());
        let draft = Draft {
            values: Ok(1),
            links: 2,
        };
        assert_eq!(draft.accept(FieldErrors::default()).ok(), Some((1, 2)));
    }
}
