//! Who may see an application and who may take which step on it.

use super::Action;
use crate::identity::{Actor, Role};
use crate::ids::{AccountId, DepartmentId};

/// The facts about an application that decide who may see and touch it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ownership {
    pub applicant_id: Option<AccountId>,
    pub department_id: DepartmentId,
    pub assignee_id: Option<AccountId>,
}

/// Its applicant; the staff of its department; any city admin. Nobody else learns it exists.
pub fn may_view(actor: &Actor, a: &Ownership) -> bool {
    if a.applicant_id == Some(actor.user_id) {
        return true;
    }
    match actor.role {
        Role::CityAdmin => true,
        Role::Official | Role::DepartmentAdmin => actor.department_id == Some(a.department_id),
        Role::Citizen => false,
    }
}

/// The applicant's steps are the applicant's alone; the department's are its assignee's, and its
/// department admin's (who also decides what no post was routed), never another department's.
pub fn may_act(actor: &Actor, a: &Ownership, action: Action) -> bool {
    if !action.by_staff() {
        return a.applicant_id == Some(actor.user_id);
    }
    let own_department = actor.department_id == Some(a.department_id);
    match actor.role {
        Role::DepartmentAdmin => own_department,
        Role::Official => own_department && a.assignee_id == Some(actor.user_id),
        Role::CityAdmin | Role::Citizen => false,
    }
}

/// A certificate is revoked by its department's admin alone.
pub fn may_revoke(actor: &Actor, a: &Ownership) -> bool {
    actor.role == Role::DepartmentAdmin && actor.department_id == Some(a.department_id)
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

    #[test]
    fn the_applicant_and_the_department_see_it_and_no_one_else() {
        let a = Ownership {
            applicant_id: Some(named("citizen")),
            department_id: named("bmc"),
            assignee_id: Some(named("official")),
        };
        let applicant = actor("citizen", Role::Citizen, None);
        let other = actor("someone", Role::Citizen, None);
        let assignee = actor("official", Role::Official, Some("bmc"));
        let colleague = actor("colleague", Role::Official, Some("bmc"));
        let outsider = actor("watco-official", Role::Official, Some("watco"));
        let admin = actor("bmc-admin", Role::DepartmentAdmin, Some("bmc"));
        let other_admin = actor("watco-admin", Role::DepartmentAdmin, Some("watco"));
        let city = actor("city", Role::CityAdmin, None);

        assert!(may_view(&applicant, &a) && may_view(&colleague, &a) && may_view(&city, &a));
        assert!(!may_view(&other, &a) && !may_view(&outsider, &a) && !may_view(&other_admin, &a));

        assert!(may_act(&applicant, &a, Action::Answer));
        assert!(!may_act(&other, &a, Action::Answer));
        assert!(
            !may_act(&assignee, &a, Action::Answer),
            "not for the applicant"
        );
        assert!(!may_act(&applicant, &a, Action::Approve));
        assert!(may_act(&assignee, &a, Action::Approve));
        assert!(
            !may_act(&colleague, &a, Action::Approve),
            "not theirs to decide"
        );
        assert!(may_act(&admin, &a, Action::Reject));
        assert!(!may_act(&other_admin, &a, Action::Reject));
        assert!(may_revoke(&admin, &a));
        for not in [&applicant, &assignee, &other_admin, &city] {
            assert!(!may_revoke(not, &a), "{not:?}");
        }
        assert!(!may_act(&outsider, &a, Action::Verify));
        assert!(
            !may_act(&city, &a, Action::Approve),
            "the department decides"
        );
    }
}
