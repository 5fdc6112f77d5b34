//! Who may see a grievance and who may take which step on it.

use super::Action;
use crate::identity::{Actor, Role};
use crate::ids::{AccountId, DepartmentId};

/// The facts about a grievance that decide who may see and touch it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ownership {
    pub filer_id: Option<AccountId>,
    pub department_id: DepartmentId,
    pub assignee_id: Option<AccountId>,
    /// Citizens who joined it with "me too".
    pub followers: Vec<AccountId>,
}

/// Who may see a grievance: its filer and the citizens who joined it; staff of its department; its assignee (an escalation may
/// have taken it to someone outside); any city admin.
pub fn may_view(actor: &Actor, g: &Ownership) -> bool {
    if g.filer_id == Some(actor.user_id) || g.followers.contains(&actor.user_id) {
        return true;
    }
    match actor.role {
        Role::CityAdmin => true,
        Role::Official | Role::DepartmentAdmin => {
            actor.department_id == Some(g.department_id) || g.assignee_id == Some(actor.user_id)
        }
        Role::Citizen => false,
    }
}

/// Who may take `action`: the citizen's actions are the filer's alone; staff actions are the
/// assignee's, their department admin's, or a city admin's.
pub fn may_act(actor: &Actor, g: &Ownership, action: Action) -> bool {
    if !action.is_staff_action() {
        return g.filer_id == Some(actor.user_id);
    }
    match actor.role {
        Role::CityAdmin => true,
        Role::DepartmentAdmin => {
            actor.department_id == Some(g.department_id) || g.assignee_id == Some(actor.user_id)
        }
        Role::Official => g.assignee_id == Some(actor.user_id),
        Role::Citizen => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ids::named;

    fn actor(id: &str, role: Role, dept: Option<&str>) -> Actor {
        Actor {
            user_id: named(id),
            role,
            department_id: dept.map(named),
        }
    }

    fn owned() -> Ownership {
        Ownership {
            filer_id: Some(named("citizen")),
            department_id: named("bmc"),
            assignee_id: Some(named("official")),
            followers: vec![named("neighbour")],
        }
    }

    #[test]
    fn who_may_see_and_act() {
        let g = owned();
        let filer = actor("citizen", Role::Citizen, None);
        let other_citizen = actor("someone", Role::Citizen, None);
        let assignee = actor("official", Role::Official, Some("bmc"));
        let colleague = actor("colleague", Role::Official, Some("bmc"));
        let outsider = actor("watco-official", Role::Official, Some("watco"));
        let dept_admin = actor("bmc-admin", Role::DepartmentAdmin, Some("bmc"));
        let other_admin = actor("watco-admin", Role::DepartmentAdmin, Some("watco"));
        let city = actor("city", Role::CityAdmin, None);

        assert!(may_view(&filer, &g) && !may_view(&other_citizen, &g));
        assert!(
            may_view(&colleague, &g) && !may_view(&outsider, &g) && !may_view(&other_admin, &g)
        );
        assert!(may_view(&city, &g));

        assert!(may_act(&assignee, &g, Action::Resolve));
        assert!(!may_act(&colleague, &g, Action::Resolve));
        assert!(!may_act(&outsider, &g, Action::Comment));
        assert!(may_act(&dept_admin, &g, Action::Transfer));
        assert!(!may_act(&other_admin, &g, Action::Reject));
        assert!(may_act(&city, &g, Action::Resolve));

        // the citizen's steps are the filer's alone, not even an admin's
        assert!(may_act(&filer, &g, Action::Reopen));
        assert!(!may_act(&other_citizen, &g, Action::Reopen));
        assert!(!may_act(&city, &g, Action::ConfirmFixed));
        assert!(!may_act(&filer, &g, Action::Resolve));

        // an escalation may hand it to someone outside the department
        let escalated = Ownership {
            assignee_id: Some(named("watco-official")),
            ..owned()
        };
        assert!(may_view(&outsider, &escalated) && may_act(&outsider, &escalated, Action::Resolve));

        // a citizen who joined with "me too" follows it, but takes no step of the filer's
        let neighbour = actor("neighbour", Role::Citizen, None);
        assert!(may_view(&neighbour, &g));
        assert!(!may_act(&neighbour, &g, Action::Reopen));
        assert!(!may_act(&neighbour, &g, Action::ConfirmFixed));
    }
}
