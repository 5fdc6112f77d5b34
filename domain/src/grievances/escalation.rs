//! Escalation ladders: per category, levels of who must act and in how many hours. Level 1 is the
//! official that routing names; when a level's deadline passes, the grievance moves to the next
//! level that can name one person. A warning goes to the assignee at a share of each level's time.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LevelAssignee {
    /// The official that routing (category + ward) names.
    Routed,
    /// A named official (by user id).
    Official(String),
    /// The department admin of the grievance's department (the least loaded, if several).
    DepartmentAdmin,
    /// A city admin (the least loaded, if several).
    CityAdmin,
}

impl LevelAssignee {
    pub fn kind(&self) -> &'static str {
        match self {
            LevelAssignee::Routed => "routed",
            LevelAssignee::Official(_) => "official",
            LevelAssignee::DepartmentAdmin => "department_admin",
            LevelAssignee::CityAdmin => "city_admin",
        }
    }
    pub fn from_parts(kind: &str, official: Option<String>) -> Option<LevelAssignee> {
        match (kind, official) {
            ("routed", _) => Some(LevelAssignee::Routed),
            ("official", Some(id)) => Some(LevelAssignee::Official(id)),
            ("department_admin", _) => Some(LevelAssignee::DepartmentAdmin),
            ("city_admin", _) => Some(LevelAssignee::CityAdmin),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub level: i32,
    pub assignee: LevelAssignee,
    pub hours: i32,
    pub warn_percent: i32,
}

pub const MAX_LEVELS: usize = 9;
pub const MAX_HOURS: i32 = 8760;

/// The ladder of a category that has none of its own (nor its parents): the routed official has
/// three days, then the department admin two, then a city admin two.
pub fn default_ladder() -> Vec<Level> {
    vec![
        Level {
            level: 1,
            assignee: LevelAssignee::Routed,
            hours: 72,
            warn_percent: 75,
        },
        Level {
            level: 2,
            assignee: LevelAssignee::DepartmentAdmin,
            hours: 48,
            warn_percent: 75,
        },
        Level {
            level: 3,
            assignee: LevelAssignee::CityAdmin,
            hours: 48,
            warn_percent: 75,
        },
    ]
}

/// Seconds from the start of a level to its warning.
pub fn warn_after_seconds(hours: i32, warn_percent: i32) -> i64 {
    hours as i64 * 3600 * warn_percent.clamp(1, 99) as i64 / 100
}

/// The level to move to after `current` breaches: the next one whose assignee `can_name` resolves
/// to a person. None when no later level can name anyone.
pub fn next_level<'a>(
    ladder: &'a [Level],
    current: i32,
    mut can_name: impl FnMut(&Level) -> bool,
) -> Option<&'a Level> {
    ladder
        .iter()
        .filter(|l| l.level > current)
        .find(|l| can_name(l))
}

/// The level a grievance at `level` is on (the last one, if the ladder was shortened since).
pub fn level_of(ladder: &[Level], level: i32) -> Option<&Level> {
    ladder
        .iter()
        .find(|l| l.level == level)
        .or_else(|| ladder.iter().filter(|l| l.level < level).last())
}

/// Problems with a ladder as an admin entered it, by field (`hours-2`, `assignee-3`, …).
pub fn check_ladder(levels: &[Level]) -> Vec<crate::identity::FieldError> {
    use crate::identity::FieldError;
    let mut problems = Vec::new();
    if levels.is_empty() {
        problems.push(FieldError::new("hours-1", "err_ladder_empty"));
    }
    if levels.len() > MAX_LEVELS {
        problems.push(FieldError::new("hours-1", "err_ladder_too_long"));
    }
    for (i, l) in levels.iter().enumerate() {
        let n = i + 1;
        if l.level != n as i32 {
            problems.push(FieldError::new(&format!("hours-{n}"), "err_ladder_gap"));
        }
        if !(1..=MAX_HOURS).contains(&l.hours) {
            problems.push(FieldError::new(&format!("hours-{n}"), "err_hours_invalid"));
        }
        if !(1..=99).contains(&l.warn_percent) {
            problems.push(FieldError::new(
                &format!("warn-{n}"),
                "err_warn_percent_invalid",
            ));
        }
        if n == 1 && l.assignee != LevelAssignee::Routed {
            problems.push(FieldError::new("assignee-1", "err_first_level_routed"));
        }
        if n > 1 && l.assignee == LevelAssignee::Routed {
            problems.push(FieldError::new(
                &format!("assignee-{n}"),
                "err_routed_only_first",
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_come_at_a_share_of_the_time() {
        assert_eq!(warn_after_seconds(72, 75), 54 * 3600);
        assert_eq!(warn_after_seconds(1, 50), 1800);
        assert_eq!(warn_after_seconds(10, 0), 360); // clamped to 1 %
    }

    #[test]
    fn a_breach_moves_to_the_next_level_that_names_someone() {
        let ladder = default_ladder();
        assert_eq!(next_level(&ladder, 1, |_| true).map(|l| l.level), Some(2));
        // no department admin: straight to the city admin
        let no_dept_admin = |l: &Level| l.assignee != LevelAssignee::DepartmentAdmin;
        assert_eq!(
            next_level(&ladder, 1, no_dept_admin).map(|l| l.level),
            Some(3)
        );
        assert_eq!(next_level(&ladder, 3, |_| true), None);
        assert_eq!(next_level(&ladder, 1, |_| false), None);
    }

    #[test]
    fn a_shortened_ladder_still_finds_the_level() {
        let ladder = default_ladder();
        assert_eq!(level_of(&ladder, 2).map(|l| l.level), Some(2));
        assert_eq!(level_of(&ladder, 7).map(|l| l.level), Some(3));
    }

    #[test]
    fn ladders_are_checked_level_by_level() {
        assert!(check_ladder(&default_ladder()).is_empty());
        let mut bad = default_ladder();
        bad[0].assignee = LevelAssignee::CityAdmin;
        bad[1].hours = 0;
        bad[2].assignee = LevelAssignee::Routed;
        let fields: Vec<_> = check_ladder(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["assignee-1", "hours-2", "assignee-3"]);
        assert_eq!(check_ladder(&[])[0].code, "err_ladder_empty");
    }
}
