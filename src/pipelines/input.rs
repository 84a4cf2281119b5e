//! A stage as the service takes it, parsed once from the stage form of the settings page.

use super::StageForm;
use crate::validation::{optional, FieldErrors, Name};
use serde_json::{json, Value};

/// A stage's values, every one valid.
#[derive(Clone, Debug, PartialEq)]
pub struct StageInput {
    pub name: String,
    /// `#rrggbb`, lower case.
    pub color: String,
    /// 0 to 100.
    pub probability: i32,
    pub is_default: bool,
    pub is_won: bool,
    pub is_lost: bool,
    pub requires_note: bool,
    pub requires_followup_date: bool,
}

impl TryFrom<&StageForm> for StageInput {
    type Error = FieldErrors;

    fn try_from(form: &StageForm) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", Name::parse(&form.name));
        if name
            .as_ref()
            .is_some_and(|n| n.as_str().chars().count() > 100)
        {
            errors.check::<()>("name", Err("must be at most 100 characters".into()));
        }
        let color = optional(&form.color).unwrap_or("#6b7280").to_lowercase();
        let hex = color.len() == 7
            && color.starts_with('#')
            && color[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !hex {
            errors.check::<()>("color", Err("must be a colour such as #1f5fbf".into()));
        }
        let probability = match optional(&form.probability) {
            None => Some(0),
            Some(p) => errors.check(
                "probability",
                p.parse::<i32>()
                    .ok()
                    .filter(|p| (0..=100).contains(p))
                    .ok_or_else(|| "must be a whole number from 0 to 100".to_string()),
            ),
        };
        if form.is_won && form.is_lost {
            errors.check::<()>("is_lost", Err("a stage cannot be both won and lost".into()));
        }
        match (name, probability) {
            (Some(name), Some(probability)) if errors.is_empty() => Ok(StageInput {
                name: name.as_str().to_string(),
                color,
                probability,
                is_default: form.is_default,
                is_won: form.is_won,
                is_lost: form.is_lost,
                requires_note: form.requires_note,
                requires_followup_date: form.requires_followup_date,
            }),
            _ => Err(errors),
        }
    }
}

impl StageInput {
    /// The fields an audit entry compares, in the order [`audit_fields_of`] gives them.
    pub fn audit_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("name", json!(self.name)),
            ("color", json!(self.color)),
            ("probability", json!(self.probability)),
            ("is_default", json!(self.is_default)),
            ("is_won", json!(self.is_won)),
            ("is_lost", json!(self.is_lost)),
            ("requires_note", json!(self.requires_note)),
            ("requires_followup_date", json!(self.requires_followup_date)),
        ]
    }
}

/// A stored stage's audited fields, to compare with an edit's.
pub fn audit_fields_of(s: &crate::deals::Stage) -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!(s.name)),
        ("color", json!(s.color)),
        ("probability", json!(s.probability)),
        ("is_default", json!(s.is_default)),
        ("is_won", json!(s.is_won)),
        ("is_lost", json!(s.is_lost)),
        ("requires_note", json!(s.requires_note)),
        ("requires_followup_date", json!(s.requires_followup_date)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_form_is_checked_field_by_field() {
        let form = StageForm {
            name: " ".into(),
            color: "blue".into(),
            probability: "120".into(),
            is_won: true,
            is_lost: true,
            ..StageForm::default()
        };
        let errors = StageInput::try_from(&form)
            .expect_err("invalid")
            .into_inner();
        for field in ["name", "color", "probability", "is_lost"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let form = StageForm {
            name: "Won".into(),
            color: "#1F5FBF".into(),
            ..StageForm::default()
        };
        let stage = StageInput::try_from(&form).expect("valid");
        assert_eq!((stage.color.as_str(), stage.probability), ("#1f5fbf", 0));
    }
}
