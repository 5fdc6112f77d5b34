//! A facility's month as a table of days (Monday first): each bookable day a link that shows its
//! times, named for screen readers with how many are free; the month before and after as links.
//! Built on the server; nothing here needs the browser's script.

#[cfg(feature = "ssr")]
use crate::i18n::fill;
use crate::i18n::{t, Locale};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayCell {
    pub day: u8,
    /// free, full, closed or unavailable (past, or too far ahead)
    pub state: String,
    pub href: Option<String>,
    /// what a screen reader says of it
    pub label: String,
    pub chosen: bool,
}

/// The chosen day's times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayTimes {
    pub label: String,
    /// "2026-12-14"
    pub date: String,
    pub times: Vec<TimeChoice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeChoice {
    /// its place in the day's list
    pub index: usize,
    pub label: String,
    pub free: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    pub caption: String,
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
    pub weeks: Vec<Vec<Option<DayCell>>>,
}

/// "2026-12-14" as a date.
#[cfg(feature = "ssr")]
pub fn parse_day(s: &str) -> Option<time::Date> {
    let mut parts = s.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()
}

#[cfg(feature = "ssr")]
fn month_name(m: time::Month, l: Locale) -> &'static str {
    use time::Month::*;
    match m {
        January => t::month_1(l),
        February => t::month_2(l),
        March => t::month_3(l),
        April => t::month_4(l),
        May => t::month_5(l),
        June => t::month_6(l),
        July => t::month_7(l),
        August => t::month_8(l),
        September => t::month_9(l),
        October => t::month_10(l),
        November => t::month_11(l),
        December => t::month_12(l),
    }
}

/// "14 December 2026"
#[cfg(feature = "ssr")]
pub fn long_day(d: time::Date, l: Locale) -> String {
    format!("{} {} {}", d.day(), month_name(d.month(), l), d.year())
}

#[cfg(feature = "ssr")]
fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The month to show (`month` as "2026-12", else the chosen day's, else this one), kept between
/// this month and the last one that may be booked; its days' states; and the chosen day's times.
#[cfg(feature = "ssr")]
pub async fn build(
    pool: &sqlx::PgPool,
    f: &domain::bookings::store::Facility,
    month: Option<&str>,
    chosen: Option<time::Date>,
    now: time::OffsetDateTime,
    l: Locale,
) -> Result<(Calendar, Option<DayTimes>), domain::problem::Problem> {
    use domain::bookings::store::{calendar, span};
    let today = now.to_offset(time::macros::offset!(+5:30)).date();
    let horizon = today + time::Duration::days(f.ahead_days);
    let first_of = |d: time::Date| d.replace_day(1).expect("day 1");
    let asked = month
        .and_then(|m| parse_day(&format!("{m}-01")))
        .or(chosen)
        .unwrap_or(today);
    let first = first_of(asked).clamp(first_of(today), first_of(horizon));
    let last = (first + time::Duration::days(31))
        .replace_day(1)
        .expect("day 1")
        - time::Duration::days(1);
    let (taken, closed) = calendar(pool, f, first, last, now).await?;
    let times = |d: time::Date| -> Vec<TimeChoice> {
        f.slots
            .iter()
            .enumerate()
            .map(|(i, s)| TimeChoice {
                index: i,
                label: s.label(),
                free: span(d, *s).0 > now && !taken.contains(&(d, i)),
            })
            .collect()
    };
    let slug = &f.slug;
    let mut weeks = Vec::new();
    let mut week: Vec<Option<DayCell>> =
        vec![None; usize::from(first.weekday().number_days_from_monday())];
    let mut d = first;
    while d <= last {
        let free = times(d).iter().filter(|x| x.free).count();
        let state = if d < today || d > horizon {
            "unavailable"
        } else if closed.contains(&d) {
            "closed"
        } else if free == 0 {
            "full"
        } else {
            "free"
        };
        let label = match state {
            "free" => fill(
                t::calendar_day_free(l),
                &[
                    ("day", &long_day(d, l)),
                    ("free", &free.to_string()),
                    ("all", &f.slots.len().to_string()),
                ],
            ),
            "full" => fill(t::calendar_day_full(l), &[("day", &long_day(d, l))]),
            "closed" => fill(t::calendar_day_closed(l), &[("day", &long_day(d, l))]),
            _ => long_day(d, l),
        };
        week.push(Some(DayCell {
            day: d.day(),
            state: state.into(),
            href: matches!(state, "free" | "full")
                .then(|| format!("/book/{slug}?day={}#times", iso(d))),
            label,
            chosen: chosen == Some(d),
        }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        d = d.next_day().expect("a next day");
    }
    if !week.is_empty() {
        week.resize(7, None);
        weeks.push(week);
    }
    let month_link = |m: time::Date| {
        (
            format!(
                "/book/{slug}?month={:04}-{:02}#calendar-heading",
                m.year(),
                u8::from(m.month())
            ),
            format!("{} {}", month_name(m.month(), l), m.year()),
        )
    };
    let previous =
        (first > first_of(today)).then(|| month_link(first_of(first - time::Duration::days(1))));
    let next = (first < first_of(horizon)).then(|| month_link(last + time::Duration::days(1)));
    let day = chosen
        .filter(|d| *d >= today && *d <= horizon && !closed.contains(d))
        .map(|d| DayTimes {
            label: long_day(d, l),
            date: iso(d),
            times: times(d),
        });
    Ok((
        Calendar {
            caption: format!("{} {}", month_name(first.month(), l), first.year()),
            previous,
            next,
            weeks,
        },
        day,
    ))
}

pub(super) fn month_view(l: Locale, c: Calendar) -> impl IntoView {
    let weekdays = [
        t::day_mon(l),
        t::day_tue(l),
        t::day_wed(l),
        t::day_thu(l),
        t::day_fri(l),
        t::day_sat(l),
        t::day_sun(l),
    ];
    view! {
        <nav class="calendar-nav" aria-label=t::calendar_months(l)>
            {c.previous.clone().map(|(href, label)| view! { <a href=href rel="prev">{format!("‹ {label}")}</a> })}
            {c.next.clone().map(|(href, label)| view! { <a href=href rel="next">{format!("{label} ›")}</a> })}
        </nav>
        <table class="calendar" data-testid="calendar">
            <caption>{c.caption.clone()}</caption>
            <thead><tr>{weekdays.into_iter().map(|w| view! { <th scope="col">{w}</th> }).collect_view()}</tr></thead>
            <tbody>
                {c.weeks.into_iter().map(|week| view! {
                    <tr>
                        {week.into_iter().map(|cell| match cell {
                            None => view! { <td></td> }.into_any(),
                            Some(d) => {
                                let class = format!("day day-{}{}", d.state, if d.chosen { " chosen" } else { "" });
                                match d.href.clone() {
                                    Some(href) => view! {
                                        <td class=class><a href=href aria-label=d.label.clone() aria-current=d.chosen.then_some("date")>{d.day}</a></td>
                                    }.into_any(),
                                    None => view! { <td class=class><span aria-label=d.label.clone() role="img">{d.day}</span></td> }.into_any(),
                                }
                            }
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="hint">{t::calendar_key(l)}</p>
    }
}
