//! A disposition as the service takes it, parsed from the add and edit forms.

use super::DispositionForm;

/// A disposition's values: a trimmed name of 1 to 100 characters, and its note flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DispositionInput {
    pub name: String,
    pub requires_note: bool,
}

impl TryFrom<&DispositionForm> for DispositionInput {
    /// The field and its reason.
    type Error = (&'static str, &'static str);

    fn try_from(form: &DispositionForm) -> Result<Self, Self::Error> {
        let name = form.name.trim();
        if name.is_empty() {
            return Err(("name", "is required"));
        }
        if name.chars().count() > 100 {
            return Err(("name", "must be at most 100 characters"));
        }
        Ok(DispositionInput {
            name: name.to_string(),
            requires_note: form.requires_note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        let form = |name: &str| DispositionForm {
            name: name.into(),
            requires_note: true,
        };
        let input = DispositionInput::try_from(&form("  Busy ")).expect("valid");
        assert_eq!((input.name.as_str(), input.requires_note), ("Busy", true));
        assert_eq!(
            DispositionInput::try_from(&form(" ")),
            Err(("name", "is required"))
        );
        assert!(DispositionInput::try_from(&form(&"x".repeat(101))).is_err());
    }
}
