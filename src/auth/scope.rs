//! The visibility scope as SQL, in one place: every query over tenant-owned rows asks this for
//! its WHERE condition instead of writing its own tenant filter.

use super::{actor::Actor, roles::Scope};

/// A condition such as `c.tenant_id = $3 AND c.owner_id = $4` and the values for its
/// placeholders, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visibility {
    pub condition: String,
    pub binds: Vec<i64>,
}

/// Rows of `alias` (a table with `tenant_id` and the owner column `owner`) that `actor` may see.
/// Placeholders are numbered from `first`, so the caller's own come before.
/// Supervisors without a team see their own rows only.
pub fn visible_to(actor: &Actor, alias: &str, owner: &str, first: usize) -> Visibility {
    let tenant = format!("{alias}.tenant_id = ${first}");
    let next = first + 1;
    match (actor.scope(), actor.team_id) {
        (Scope::All, _) => Visibility {
            condition: tenant,
            binds: vec![actor.tenant_id],
        },
        (Scope::Team, Some(team_id)) => Visibility {
            condition: format!(
                "{tenant} AND {alias}.{owner} IN \
                 (SELECT id FROM users WHERE tenant_id = ${first} AND team_id = ${next})"
            ),
            binds: vec![actor.tenant_id, team_id],
        },
        (Scope::Team, None) | (Scope::Own, _) => Visibility {
            condition: format!("{tenant} AND {alias}.{owner} = ${next}"),
            binds: vec![actor.tenant_id, actor.user_id],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::roles::Role;

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

    #[test]
    fn admins_and_read_only_see_the_whole_tenant() {
        for role in [Role::TenantAdmin, Role::ReadOnly] {
            let v = visible_to(&actor(role, Some(3)), "d", "owner_id", 1);
            assert_eq!(v.condition, "d.tenant_id = $1");
            assert_eq!(v.binds, vec![7]);
        }
    }

    #[test]
    fn supervisors_see_their_team_and_agents_their_own() {
        let v = visible_to(&actor(Role::Supervisor, Some(3)), "d", "owner_id", 2);
        assert_eq!(
            v.condition,
            "d.tenant_id = $2 AND d.owner_id IN (SELECT id FROM users WHERE tenant_id = $2 AND team_id = $3)"
        );
        assert_eq!(v.binds, vec![7, 3]);
        let v = visible_to(&actor(Role::SalesAgent, Some(3)), "d", "owner_id", 1);
        assert_eq!(v.condition, "d.tenant_id = $1 AND d.owner_id = $2");
        assert_eq!(v.binds, vec![7, 42]);
    }

    #[test]
    fn a_supervisor_without_team_sees_only_their_own() {
        let v = visible_to(&actor(Role::Supervisor, None), "d", "owner_id", 1);
        assert_eq!(v.binds, vec![7, 42]);
    }
}
