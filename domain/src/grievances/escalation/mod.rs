//! Escalation ladders: per category, levels of who must act and in how many hours. Level 1 is the
//! official that routing names; when a level's deadline passes, the grievance moves to the next
//! level that can name one person. A warning goes to the assignee at a share of each level's time.
//!
//! The rules are here; the ladders' queries in `ladder` and the clock's sweeps in `sweeps`.

#[cfg(feature = "ssr")]
pub mod ladder;
#[cfg(feature = "ssr")]
pub mod sweeps;

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

/// The level to move to after `current` breaches, with the person it names: the next level for
/// which `name` finds someone. None when no later level can name anyone.
pub fn next_level<T>(
    ladder: &[Level],
    current: i32,
    mut name: impl FnMut(&Level) -> Option<T>,
) -> Option<(&Level, T)> {
    ladder
        .iter()
        .filter(|l| l.level > current)
        .find_map(|l| name(l).map(|person| (l, person)))
}

/// The people each kind of level would name for one grievance now (found by the sweep in one
/// go, then chosen between by `next_level`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidates<T> {
    pub routed: Option<T>,
    pub department_admin: Option<T>,
    pub city_admin: Option<T>,
    /// The ladder's named officials who are still staff, by their id as the ladder names them.
    pub officials: Vec<(String, T)>,
}

impl<T: Clone> Candidates<T> {
    pub fn person(&self, who: &LevelAssignee) -> Option<T> {
        match who {
            LevelAssignee::Routed => self.routed.clone(),
            LevelAssignee::Official(id) => self
                .officials
                .iter()
                .find(|(named, _)| named == id)
                .map(|(_, person)| person.clone()),
            LevelAssignee::DepartmentAdmin => self.department_admin.clone(),
            LevelAssignee::CityAdmin => self.city_admin.clone(),
        }
    }
}

/// The level a grievance at `level` is on (the last one, if the ladder was shortened since).
pub fn level_of(ladder: &[Level], level: i32) -> Option<&Level> {
    ladder
        .iter()
        .find(|l| l.level == level)
        .or_else(|| ladder.iter().rfind(|l| l.level < level))
}

/// Problems with a ladder as an admin entered it, by field (`hours-2`, `assignee-3`, …).
pub fn check_ladder(levels: &[Level]) -> Vec<crate::problem::FieldError> {
    use crate::problem::FieldError;
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

/// A level as the ladder editor shows and sends it: text, read by `parse_ladder`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LadderRow {
    pub assignee: String,
    pub official: String,
    pub hours: String,
    pub warn: String,
}

impl From<&Level> for LadderRow {
    fn from(l: &Level) -> LadderRow {
        LadderRow {
            official: match &l.assignee {
                LevelAssignee::Official(id) => id.clone(),
                _ => String::new(),
            },
            assignee: l.assignee.kind().to_string(),
            hours: l.hours.to_string(),
            warn: l.warn_percent.to_string(),
        }
    }
}

/// The ladder an editor sent: rows in order up to the first without hours (where the ladder
/// ends), at most `most` of them, checked by `check_ladder`; problems at their fields.
pub fn parse_ladder(
    rows: &[LadderRow],
    most: usize,
) -> Result<Vec<Level>, Vec<crate::problem::FieldError>> {
    use crate::problem::FieldError;
    let mut levels = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in rows.iter().take(most).enumerate() {
        let n = i + 1;
        if row.hours.trim().is_empty() {
            break;
        }
        let official = Some(row.official.trim().to_string()).filter(|o| !o.is_empty());
        let Some(assignee) = LevelAssignee::from_parts(row.assignee.trim(), official) else {
            problems.push(FieldError::new(
                &format!("assignee-{n}"),
                "err_official_unknown",
            ));
            continue;
        };
        levels.push(Level {
            level: n as i32,
            assignee,
            hours: row.hours.trim().parse().unwrap_or(0),
            warn_percent: row.warn.trim().parse().unwrap_or(0),
        });
    }
    problems.extend(check_ladder(&levels));
    if problems.is_empty() {
        Ok(levels)
    } else {
        Err(problems)
    }
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
        let everyone = Candidates {
            routed: Some("official"),
            department_admin: Some("dept-admin"),
            city_admin: Some("city-admin"),
            officials: Vec::new(),
        };
        let pick = |c: &Candidates<&'static str>, current| {
            next_level(&ladder, current, |l| c.person(&l.assignee)).map(|(l, p)| (l.level, p))
        };
        assert_eq!(pick(&everyone, 1), Some((2, "dept-admin")));
        // no department admin: straight to the city admin
        let no_dept_admin = Candidates {
            department_admin: None,
            ..everyone.clone()
        };
        assert_eq!(pick(&no_dept_admin, 1), Some((3, "city-admin")));
        assert_eq!(pick(&everyone, 3), None);
        assert_eq!(pick(&Candidates::default(), 1), None);
    }

    #[test]
    fn a_named_official_counts_only_while_they_are_staff() {
        let ladder = vec![
            default_ladder().remove(0),
            Level {
                level: 2,
                assignee: LevelAssignee::Official("o-1".into()),
                hours: 24,
                warn_percent: 75,
            },
            default_ladder().remove(2),
        ];
        let staff = Candidates {
            city_admin: Some("city"),
            officials: vec![("o-1".to_string(), "o-1")],
            ..Default::default()
        };
        let gone = Candidates {
            officials: Vec::new(),
            ..staff.clone()
        };
        let pick = |c: &Candidates<&'static str>| {
            next_level(&ladder, 1, |l| c.person(&l.assignee)).map(|(l, p)| (l.level, p))
        };
        assert_eq!(pick(&staff), Some((2, "o-1")));
        assert_eq!(pick(&gone), Some((3, "city")));
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

    #[test]
    fn an_editor_s_rows_become_a_ladder_up_to_the_first_empty_one() {
        let rows: Vec<LadderRow> = default_ladder().iter().map(LadderRow::from).collect();
        assert_eq!(parse_ladder(&rows, 5), Ok(default_ladder()));
        let mut cut = rows.clone();
        cut[1].hours = " ".into();
        assert_eq!(parse_ladder(&cut, 5).map(|l| l.len()), Ok(1));
        assert_eq!(parse_ladder(&rows, 2).map(|l| l.len()), Ok(2));
        let mut bad = rows.clone();
        bad[1].assignee = "official".into(); // an official without a name
        bad[2].hours = "soon".into();
        let fields: Vec<String> = parse_ladder(&bad, 5)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert!(fields.contains(&"assignee-2".to_string()), "{fields:?}");
        assert!(
            fields.contains(&"hours-2".to_string()) || fields.contains(&"hours-3".to_string()),
            "{fields:?}"
        );
    }
}
