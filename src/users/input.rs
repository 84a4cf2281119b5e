//! Users and teams as the service takes them, parsed once at the door from the people page's
//! forms: a new user, a change of role and team, a new team.

use super::UserSummary;
#[cfg(feature = "ssr")]
use super::{PreferencesForm, LANGUAGES};
use crate::{
    auth::roles::Role,
    error::AppError,
    validation::{parse_optional_id, Draft, Email, FieldErrors, Name, NewPassword},
};
use serde_json::{json, Value};

/// What the new-user form sends, as sent; `team_id` is blank for no team.
pub struct NewUserForm<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub team_id: &'a str,
    pub temporary_password: &'a str,
}

/// A new user's own values, every one valid.
#[derive(Debug)]
pub struct NewUserInput {
    pub name: Name,
    pub email: Email,
    pub role: Role,
    pub temporary_password: NewPassword,
}

/// A new user links to a team only (`None`: no team); the service checks it is the tenant's.
pub type NewUserDraft = Draft<NewUserInput, Option<i64>>;

/// A new user ready to store: its values and its checked team.
#[derive(Debug)]
pub struct NewUserRecord {
    pub input: NewUserInput,
    pub team_id: Option<i64>,
}

/// The role and team the edit-user form sets; the service checks the team is the tenant's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserChange {
    pub role: Role,
    pub team_id: Option<i64>,
}

/// A new team's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamInput {
    pub name: Name,
}

fn parse_role(role: &str) -> Result<Role, String> {
    Role::parse(role.trim()).ok_or_else(|| "is not a role".to_string())
}

/// A team id from a form field; blank is no team.
fn parse_team_id(team_id: &str) -> Result<Option<i64>, String> {
    parse_optional_id(team_id).map_err(|_| "is not a team".to_string())
}

impl From<NewUserForm<'_>> for NewUserDraft {
    fn from(form: NewUserForm<'_>) -> Self {
        let mut errors = FieldErrors::default();
        let team_id = errors
            .check("team_id", parse_team_id(form.team_id))
            .flatten();
        let name = errors.check("name", Name::parse(form.name));
        let email = errors.check("email", Email::parse(form.email));
        let role = errors.check("role", parse_role(form.role));
        let temporary_password = errors.check(
            "temporary_password",
            NewPassword::parse(form.temporary_password, email.as_ref()),
        );
        let values = match (name, email, role, temporary_password) {
            (Some(name), Some(email), Some(role), Some(temporary_password))
                if errors.is_empty() =>
            {
                Ok(NewUserInput {
                    name,
                    email,
                    role,
                    temporary_password,
                })
            }
            _ => Err(errors),
        };
        Draft {
            values,
            links: team_id,
        }
    }
}

impl NewUserRecord {
    /// What the `user.created` entry records.
    pub fn audit_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("email", json!(self.input.email.as_str())),
            ("role", json!(self.input.role.as_str())),
            ("team_id", json!(self.team_id)),
        ]
    }
}

impl UserChange {
    /// The edit form's role and team. The first bad one (the role before the team) is the
    /// error, on its own; the service reports it once it has found the user.
    pub fn parse(role: &str, team_id: &str) -> Result<UserChange, AppError> {
        let role = parse_role(role).map_err(|reason| AppError::invalid("role", reason))?;
        let team_id =
            parse_team_id(team_id).map_err(|reason| AppError::invalid("team_id", reason))?;
        Ok(UserChange { role, team_id })
    }

    /// The role and team `user` has now, to compare a change with.
    pub fn current(user: &UserSummary) -> UserChange {
        UserChange {
            role: user.role,
            team_id: user.team_id,
        }
    }

    /// What the `user.updated` entry compares.
    pub fn audit_fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("role", json!(self.role.as_str())),
            ("team_id", json!(self.team_id)),
        ]
    }
}

impl TeamInput {
    pub fn parse(name: &str) -> Result<TeamInput, AppError> {
        let name = Name::parse(name).map_err(|reason| AppError::invalid("name", reason))?;
        Ok(TeamInput { name })
    }
}

/// Preferences ready to store: a known timezone or none, and a language of `LANGUAGES`.
#[cfg(feature = "ssr")]
#[derive(Debug, PartialEq, Eq)]
pub struct PreferencesInput {
    pub timezone: Option<chrono_tz::Tz>,
    pub locale: &'static str,
}

#[cfg(feature = "ssr")]
impl TryFrom<&PreferencesForm> for PreferencesInput {
    type Error = AppError;

    fn try_from(form: &PreferencesForm) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let timezone = match form.timezone.trim() {
            "" => Some(None),
            typed => errors
                .check("timezone", crate::validation::parse_timezone(typed))
                .map(Some),
        };
        let locale = errors.check(
            "locale",
            LANGUAGES
                .iter()
                .find(|(code, _)| *code == form.locale.trim())
                .map(|(code, _)| *code)
                .ok_or_else(|| "must be one of en, de, fr or es".to_string()),
        );
        match (timezone, locale) {
            (Some(timezone), Some(locale)) => Ok(Self { timezone, locale }),
            _ => {
                Err(AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal))
            }
        }
    }
}

/// The fields the audit entry compares.
pub fn preference_fields(p: &super::Preferences) -> Vec<(&'static str, Value)> {
    vec![("timezone", json!(p.timezone)), ("locale", json!(p.locale))]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(role: &'a str, team_id: &'a str) -> NewUserForm<'a> {
        NewUserForm {
            name: " Ada ",
            email: "Ada@Example.com",
            role,
            team_id,
            temporary_password: "a long enough password",
        }
    }

    #[test]
    fn a_valid_new_user_keeps_its_team_for_the_service_to_check() {
        let draft = NewUserDraft::from(form(" sales_agent ", " 7 "));
        assert_eq!(draft.links, Some(7));
        let input = draft.values.expect("valid");
        assert_eq!(
            (input.name.as_str(), input.email.as_str(), input.role),
            ("Ada", "ada@example.com", Role::SalesAgent)
        );
    }

    #[test]
    fn every_bad_new_user_field_is_named() {
        let draft = NewUserDraft::from(NewUserForm {
            name: " ",
            email: "nope",
            role: "boss",
            team_id: "x",
            temporary_password: "short",
        });
        assert_eq!(draft.links, None);
        let errors = draft.values.expect_err("invalid").into_inner();
        for field in ["name", "email", "role", "team_id", "temporary_password"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        assert_eq!(errors["team_id"], "is not a team");
    }

    #[test]
    fn a_change_names_its_first_bad_field_alone() {
        let err = UserChange::parse("boss", "x").expect_err("bad role");
        assert_eq!(err.field("role").as_deref(), Some("is not a role"));
        assert_eq!(err.field("team_id"), None);
        let err = UserChange::parse("supervisor", "x").expect_err("bad team");
        assert_eq!(err.field("team_id").as_deref(), Some("is not a team"));
        assert_eq!(
            UserChange::parse("supervisor", "").ok(),
            Some(UserChange {
                role: Role::Supervisor,
                team_id: None
            })
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_blank_timezone_follows_the_company_and_bad_choices_are_named() {
        let form = |timezone: &str, locale: &str| PreferencesForm {
            timezone: timezone.into(),
            locale: locale.into(),
        };
        let input = PreferencesInput::try_from(&form("  ", "de")).expect("valid");
        assert_eq!(
            input,
            PreferencesInput {
                timezone: None,
                locale: "de"
            }
        );
        let input = PreferencesInput::try_from(&form(" Asia/Tokyo ", "en")).expect("valid");
        assert_eq!(input.timezone, Some(chrono_tz::Asia::Tokyo));
        let err = PreferencesInput::try_from(&form("Berlin", "klingon")).expect_err("invalid");
        assert!(err.field("timezone").is_some());
        assert!(err.field("locale").is_some());
    }
}
