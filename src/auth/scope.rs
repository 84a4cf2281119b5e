//! The visibility scope as SQL, in one place: every store query over tenant-owned rows appends
//! this condition instead of writing its own tenant filter.

use super::{actor::Actor, roles::Scope, store::AuthStore};
use crate::{db::Db, error::AppError, on_db};
use sqlx::{Database, QueryBuilder};

/// Which rows of a tenant the actor sees, by the row's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visible {
    WholeTenant { tenant_id: i64 },
    Team { tenant_id: i64, team_id: i64 },
    Own { tenant_id: i64, user_id: i64 },
}

impl Visible {
    /// Supervisors without a team see their own rows only.
    pub fn to(actor: &Actor) -> Visible {
        let tenant_id = actor.tenant_id;
        match (actor.scope(), actor.team_id) {
            (Scope::All, _) => Visible::WholeTenant { tenant_id },
            (Scope::Team, Some(team_id)) => Visible::Team { tenant_id, team_id },
            (Scope::Team, None) | (Scope::Own, _) => Visible::Own {
                tenant_id,
                user_id: actor.user_id,
            },
        }
    }

    /// Appends `alias.tenant_id = … [AND alias.owner …]` with bound values.
    pub fn push<'a, DB>(self, query: &mut QueryBuilder<'a, DB>, alias: &str, owner: &str)
    where
        DB: Database,
        i64: 'a + sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    {
        match self {
            Visible::WholeTenant { tenant_id } => {
                query
                    .push(format!("{alias}.tenant_id = "))
                    .push_bind(tenant_id);
            }
            Visible::Team { tenant_id, team_id } => {
                query
                    .push(format!("{alias}.tenant_id = "))
                    .push_bind(tenant_id)
                    .push(format!(
                        " AND {alias}.{owner} IN (SELECT id FROM users WHERE tenant_id = "
                    ))
                    .push_bind(tenant_id)
                    .push(" AND team_id = ")
                    .push_bind(team_id)
                    .push(")");
            }
            Visible::Own { tenant_id, user_id } => {
                query
                    .push(format!("{alias}.tenant_id = "))
                    .push_bind(tenant_id)
                    .push(format!(" AND {alias}.{owner} = "))
                    .push_bind(user_id);
            }
        }
    }
}

/// Whether the actor may make `owner_id` the owner of a record: themselves always; another
/// active user of the tenant if they see the whole tenant, or of their team if they supervise it.
pub async fn may_assign_to(db: &Db, actor: &Actor, owner_id: i64) -> Result<bool, AppError> {
    if owner_id == actor.user_id {
        return Ok(true);
    }
    let team = on_db!(db, |pool| {
        pool.acquire()
            .await?
            .active_user_team(actor.tenant_id, owner_id)
            .await?
    });
    Ok(match (Visible::to(actor), team) {
        (_, None) | (Visible::Own { .. }, _) => false,
        (Visible::WholeTenant { .. }, Some(_)) => true,
        (Visible::Team { team_id, .. }, Some(user_team)) => user_team == Some(team_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::roles::Role;
    use sqlx::Postgres;

    fn actor(role: Role, team_id: Option<i64>) -> Actor {
        Actor {
            tenant_id: 7,
            user_id: 42,
            role,
            team_id,
            permissions: Default::default(),
            name: "A".into(),
            email: "a@example.com".into(),
            tenant_name: "T".into(),
        }
    }

    fn sql(visible: Visible) -> String {
        let mut query = QueryBuilder::<Postgres>::new("WHERE ");
        visible.push(&mut query, "d", "owner_id");
        query.sql().to_string()
    }

    #[test]
    fn admins_and_read_only_see_the_whole_tenant() {
        for role in [Role::TenantAdmin, Role::ReadOnly] {
            let v = Visible::to(&actor(role, Some(3)));
            assert_eq!(v, Visible::WholeTenant { tenant_id: 7 });
            assert_eq!(sql(v), "WHERE d.tenant_id = $1");
        }
    }

    #[test]
    fn supervisors_see_their_team_and_agents_their_own() {
        let v = Visible::to(&actor(Role::Supervisor, Some(3)));
        assert_eq!(
            v,
            Visible::Team {
                tenant_id: 7,
                team_id: 3
            }
        );
        assert_eq!(
            sql(v),
            "WHERE d.tenant_id = $1 AND d.owner_id IN (SELECT id FROM users WHERE tenant_id = $2 AND team_id = $3)"
        );
        for role in [Role::SalesAgent, Role::SupportAgent] {
            let v = Visible::to(&actor(role, Some(3)));
            assert_eq!(
                v,
                Visible::Own {
                    tenant_id: 7,
                    user_id: 42
                }
            );
            assert_eq!(sql(v), "WHERE d.tenant_id = $1 AND d.owner_id = $2");
        }
    }

    #[test]
    fn a_supervisor_without_team_sees_only_their_own() {
        assert_eq!(
            Visible::to(&actor(Role::Supervisor, None)),
            Visible::Own {
                tenant_id: 7,
                user_id: 42
            }
        );
    }
}
