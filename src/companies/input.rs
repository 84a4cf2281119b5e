//! A company as the service takes it, parsed once at the door from a UI form or an API body.

use super::{Company, CompanyForm};
use crate::validation::{optional, parse_optional_id, parse_phone, Draft, FieldErrors, Name};
use serde_json::{json, Value};

/// A company's own values, every one valid.
#[derive(Clone, Debug, PartialEq)]
pub struct CompanyInput {
    pub name: Name,
    pub domain: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: String,
}

/// A company links to its owner only: the actor when `None`, checked by the service.
pub type CompanyDraft = Draft<CompanyInput, Option<i64>>;

/// A company ready to store: its values and its checked owner.
#[derive(Clone, Debug, PartialEq)]
pub struct CompanyRecord {
    pub input: CompanyInput,
    /// The phone read with the tenant's default country.
    pub phone_e164: Option<String>,
    pub owner_id: i64,
}

/// The text fields as sent; blank optional ones are `None`.
pub struct CompanyText<'a> {
    pub name: &'a str,
    pub domain: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub notes: &'a str,
}

/// `Example.COM`, `https://www.example.com/x` → `example.com`.
fn parse_domain(value: &str) -> Result<String, String> {
    let value = value.trim().to_lowercase();
    let host = value
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let valid = host.contains('.')
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if valid {
        Ok(host)
    } else {
        Err("must be a domain such as example.com".into())
    }
}

impl CompanyInput {
    /// Parses the text fields, adding to the `errors` of fields parsed before.
    pub fn parse(
        text: CompanyText<'_>,
        mut errors: FieldErrors,
    ) -> Result<CompanyInput, FieldErrors> {
        let name = errors.check("name", Name::parse(text.name));
        let domain = match text.domain.and_then(optional) {
            None => Some(None),
            Some(d) => errors.check("domain", parse_domain(d)).map(Some),
        };
        let phone = match text.phone.and_then(optional) {
            None => Some(None),
            Some(p) => errors.check("phone", parse_phone(p)).map(Some),
        };
        let address = text.address.and_then(optional).map(str::to_string);
        if address.as_deref().is_some_and(|a| a.chars().count() > 500) {
            errors.check::<()>("address", Err("must be at most 500 characters".into()));
        }
        if text.notes.chars().count() > 10_000 {
            errors.check::<()>("notes", Err("must be at most 10,000 characters".into()));
        }
        match (name, domain, phone) {
            (Some(name), Some(domain), Some(phone)) if errors.is_empty() => Ok(CompanyInput {
                name,
                domain,
                phone,
                address,
                notes: text.notes.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

impl From<&CompanyForm> for CompanyDraft {
    fn from(form: &CompanyForm) -> Self {
        let mut errors = FieldErrors::default();
        let owner_id = errors
            .check(
                "owner_id",
                parse_optional_id(&form.owner_id)
                    .map_err(|_| "cannot be given to that user".into()),
            )
            .flatten();
        let text = CompanyText {
            name: &form.name,
            domain: Some(&form.domain),
            phone: Some(&form.phone),
            address: Some(&form.address),
            notes: &form.notes,
        };
        Draft {
            values: CompanyInput::parse(text, errors),
            links: owner_id,
        }
    }
}

impl CompanyRecord {
    /// The fields an audit entry records, in the order [`audit_fields_of`] gives them.
    pub fn audit_fields(&self) -> Vec<(&'static str, Value)> {
        let i = &self.input;
        vec![
            ("name", json!(i.name.as_str())),
            ("domain", json!(i.domain)),
            ("phone", json!(i.phone)),
            ("address", json!(i.address)),
            ("notes", json!(i.notes)),
            ("owner_id", json!(self.owner_id)),
        ]
    }
}

/// A stored company's audited fields, to compare with an update's.
pub fn audit_fields_of(c: &Company) -> Vec<(&'static str, Value)> {
    vec![
        ("name", json!(c.name)),
        ("domain", json!(c.domain)),
        ("phone", json!(c.phone)),
        ("address", json!(c.address)),
        ("notes", json!(c.notes)),
        ("owner_id", json!(c.owner_id)),
    ]
}

#[cfg(test)]
mod tests {
    use super::parse_domain;

    #[test]
    fn domains_are_reduced_to_the_host() {
        assert_eq!(
            parse_domain("https://www.Example.com/about").as_deref(),
            Ok("example.com")
        );
        assert_eq!(
            parse_domain("sub.example.co.uk").as_deref(),
            Ok("sub.example.co.uk")
        );
        assert!(parse_domain("not a domain").is_err());
        assert!(parse_domain("localhost").is_err());
    }
}
