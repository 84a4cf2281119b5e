//! Company registration: one transaction creates the tenant, its admin, the default pipeline,
//! dispositions and role permissions, and the audit row. Any failure leaves nothing behind.

use super::store::{NewTenant, SeedUser, TenantStore};
use crate::db::BeginWrite;
use crate::{
    audit::{AuditEntry, AuditLog, ClientInfo},
    auth::{login::SignedIn, password::hash_password},
    db::Db,
    error::AppError,
    on_db,
    validation::{Email, FieldErrors, Name, NewPassword},
};
use chrono::Utc;

#[derive(Debug)]
pub struct Registration {
    pub company: Name,
    pub admin_name: Name,
    pub email: Email,
    pub password: NewPassword,
}

impl Registration {
    /// Parses the form, reporting every bad field at once.
    pub fn parse(
        company: &str,
        admin_name: &str,
        email: &str,
        password: &str,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::default();
        let company = errors.check("company_name", Name::parse(company));
        let admin_name = errors.check("admin_name", Name::parse(admin_name));
        let email = errors.check("email", Email::parse(email));
        let password = errors.check("password", NewPassword::parse(password, email.as_ref()));
        match (company, admin_name, email, password) {
            (Some(company), Some(admin_name), Some(email), Some(password)) => Ok(Self {
                company,
                admin_name,
                email,
                password,
            }),
            _ => {
                Err(AppError::from_field_errors(errors.into_inner()).unwrap_or(AppError::Internal))
            }
        }
    }
}

pub const EMAIL_TAKEN: &str = "is already registered: sign in instead";

pub async fn register_company(
    db: &Db,
    form: Registration,
    client: &ClientInfo,
) -> Result<SignedIn, AppError> {
    let password_hash = hash_password(form.password.expose().to_string()).await?;
    let now = Utc::now();
    let base_slug = slug_for(form.company.as_str());

    let result: Result<SignedIn, AppError> = on_db!(db, |pool| {
        async {
            let mut tx = pool.begin_write().await?;
            if tx.email_registered(form.email.as_str()).await? {
                return Err(AppError::invalid("email", EMAIL_TAKEN));
            }
            let similar = tx.slugs_like(&base_slug).await?;
            let slug = first_free_slug(&base_slug, &similar);

            let tenant = NewTenant {
                name: form.company.as_str(),
                slug: &slug,
                timezone: "UTC",
                created_at: now,
            };
            let tenant_id = tx.insert_tenant(&tenant).await?;
            let admin = SeedUser {
                name: form.admin_name.as_str(),
                email: form.email.as_str(),
                password_hash: &password_hash,
                created_at: now,
            };
            let user_id = tx
                .insert_registered_admin(tenant_id, &admin)
                .await
                // Two registrations with one email racing past the check above.
                .map_err(|e| match &e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => {
                        AppError::invalid("email", EMAIL_TAKEN)
                    }
                    _ => AppError::from(e),
                })?;
            tx.provision_tenant_defaults(tenant_id, now).await?;
            let audit = AuditEntry::new("tenant.registered", "tenant", client)
                .tenant(tenant_id)
                .actor(user_id)
                .entity(tenant_id)
                .change("name", serde_json::Value::Null, form.company.as_str())
                .change("slug", serde_json::Value::Null, slug.as_str())
                .detail("admin_email", form.email.as_str());
            tx.insert_audit(&audit).await?;
            tx.commit().await?;
            Ok(SignedIn { user_id, tenant_id })
        }
        .await
    });
    result
}

/// `Ünïcode & Co. GmbH` → `n-code-co-gmbh`: ASCII letters and digits, dashes between words.
pub fn slug_for(company: &str) -> String {
    let mut slug = String::new();
    for c in company.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(50).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "company".into()
    } else {
        slug
    }
}

fn first_free_slug(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|s| s == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_words_joined_by_dashes() {
        assert_eq!(slug_for("Acme Widgets, Inc."), "acme-widgets-inc");
        assert_eq!(slug_for("  --Zoë's Café--  "), "zo-s-caf");
        assert_eq!(slug_for("東京"), "company");
        assert!(slug_for(&"long name ".repeat(20)).len() <= 50);
    }

    #[test]
    fn taken_slugs_get_a_number() {
        assert_eq!(first_free_slug("acme", &[]), "acme");
        assert_eq!(
            first_free_slug("acme", &["acme".into(), "acme-2".into()]),
            "acme-3"
        );
        assert_eq!(first_free_slug("acme", &["acme-2".into()]), "acme");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = Registration::parse("", "Ana", "not-an-email", "short").expect_err("invalid");
        assert_eq!(err.status(), 422);
        assert!(err.field("company_name").is_some());
        assert!(err.field("email").is_some());
        assert!(err.field("password").is_some());
        assert!(err.field("admin_name").is_none());
    }
}
