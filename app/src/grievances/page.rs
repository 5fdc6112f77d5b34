//! One grievance as its page shows it: the facts, the timeline, the steps the caller may take
//! and, for staff, the messages sent about it.

use super::{CategoryOption, GrievanceRow};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::{channel_label, filing_options, ist, now, row};
#[cfg(feature = "ssr")]
use crate::i18n::{fill, t};
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::grievances::{self as rules, store, Action, Status};
#[cfg(feature = "ssr")]
use domain::identity::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub at: String,
    pub who: String,
    pub kind: String,
    pub status: String,
    pub note: String,
    pub public: bool,
    pub assignee: Option<String>,
    pub department: Option<String>,
    pub level: i32,
    pub deadline: Option<String>,
    /// Photos that came with this step (a resolution's), by address.
    pub photos: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrievancePageData {
    pub row: GrievanceRow,
    pub channel: String,
    pub description: String,
    pub address: String,
    pub location: Option<String>,
    pub recording_url: Option<String>,
    /// Staff see the filer's contact unless they filed anonymously.
    pub contact: Option<String>,
    pub external: Option<String>,
    pub rating: Option<i16>,
    pub rating_comment: Option<String>,
    pub timeline: Vec<TimelineItem>,
    /// The steps the caller may take now (`Action::as_str` names).
    pub steps: Vec<String>,
    /// Categories of other departments, for a transfer.
    pub transfer_to: Vec<CategoryOption>,
    pub is_staff_view: bool,
    /// Addresses of the photos filed with it.
    pub photos: Vec<String>,
    /// Staff only: the messages sent about it and what became of each.
    pub messages: Vec<MessageView>,
}

/// One message sent about a grievance, as its officials see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub at: String,
    pub channel: String,
    /// Whom it went to, masked (nothing at all for an anonymous filing).
    pub to: String,
    pub status: String,
    pub attempts: i32,
    /// It stood in for a message another channel could not deliver.
    pub fallback: bool,
}

#[cfg(feature = "ssr")]
pub(crate) async fn load_for_caller(
    number: &str,
) -> Result<
    Option<(
        uuid::Uuid,
        domain::identity::store::Account,
        rules::Ownership,
    )>,
    ServerFnError,
> {
    let account = request::require_account()?;
    let pool = request::pool();
    let Ok(number) = rules::GrievanceNumber::parse(number) else {
        return Ok(None);
    };
    let Some(id) = store::id_by_number(&pool, &number)
        .await
        .map_err(request::unexpected)?
    else {
        return Ok(None);
    };
    let owner = store::ownership(&pool, id)
        .await
        .map_err(request::unexpected)?
        .ok_or_else(|| ServerFnError::new("gone"))?;
    if !rules::may_view(&account.actor(), &owner) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    Ok(Some((id, account, owner)))
}

#[server(endpoint = "grievances/view")]
pub async fn grievance(number: String) -> Result<Option<GrievancePageData>, ServerFnError> {
    let Some((id, account, owner)) = load_for_caller(&number).await? else {
        return Ok(None);
    };
    let pool = request::pool();
    let l = request::request_locale();
    let actor = account.actor();
    let d = store::detail(&pool, id, l)
        .await
        .map_err(request::unexpected)?
        .ok_or_else(|| ServerFnError::new("gone"))?;
    let is_filer = owner.filer_id == Some(actor.user_id);
    let is_staff_view = !is_filer && actor.role != Role::Citizen;
    let entries = store::timeline(&pool, id, is_staff_view, l)
        .await
        .map_err(request::unexpected)?;
    let status = Status::parse(&d.summary.status).unwrap_or(Status::Submitted);
    let days = d.resolved_at.map(|r| (now() - r).whole_days()).unwrap_or(0);
    let steps: Vec<String> =
        rules::steps::steps_open_to(&actor, &owner, status, days, d.reopen_count)
            .into_iter()
            .map(|a| a.as_str().to_string())
            .collect();
    let transfer_to = if steps.iter().any(|s| s == Action::Transfer.as_str()) {
        filing_options(l)
            .await?
            .categories
            .into_iter()
            .filter(|c| c.department != d.summary.department_name)
            .collect()
    } else {
        Vec::new()
    };
    let photo_rows = store::photo_ids(&pool, id)
        .await
        .map_err(request::unexpected)?;
    let photos = photos_of(&photo_rows, 1);
    let viewer = Viewer {
        staff: is_staff_view,
        filer: is_filer,
        anonymous_filing: d.anonymous,
    };
    let timeline = entries
        .iter()
        .map(|e| timeline_item(e, viewer, &photo_rows, l))
        .collect();
    let messages = if is_staff_view {
        messages_about(id, d.anonymous, l).await?
    } else {
        Vec::new()
    };
    let contact = (is_staff_view && !d.anonymous).then(|| {
        [
            Some(d.contact_name.clone()).filter(|s| !s.is_empty()),
            d.contact_mobile.clone(),
            d.contact_email.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    });
    Ok(Some(GrievancePageData {
        photos,
        channel: d.summary.channel.clone(),
        description: d.summary.description.clone(),
        address: d.address.clone(),
        location: d
            .latitude
            .zip(d.longitude)
            .map(|(a, b)| format!("{a:.5}, {b:.5}")),
        recording_url: d.recording_url.clone(),
        contact,
        external: d
            .external_system
            .clone()
            .zip(d.external_ref.clone())
            .map(|(s, r)| format!("{s} {r}")),
        rating: d.rating,
        rating_comment: d.rating_comment.clone(),
        timeline,
        steps,
        transfer_to,
        is_staff_view,
        messages,
        row: row(d.summary),
    }))
}

/// Who is looking at a grievance's page, as far as the timeline's wording goes.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
struct Viewer {
    staff: bool,
    filer: bool,
    anonymous_filing: bool,
}

/// Who took a step, as this viewer may read it: citizens see "you", "the filer" or the
/// official's name; staff see names, and "anonymous" for an anonymous filer.
#[cfg(feature = "ssr")]
fn who_acted(e: &store::TimelineEntry, v: Viewer, l: crate::i18n::Locale) -> String {
    match e.actor_kind.as_str() {
        _ if e.kind == "me_too" => t::actor_another_citizen(l).to_string(),
        "system" => t::actor_system(l).to_string(),
        "citizen" if v.staff && v.anonymous_filing => t::actor_anonymous(l).to_string(),
        "citizen" if !v.staff && v.filer => t::actor_you(l).to_string(),
        "citizen" if !v.staff => t::actor_filer(l).to_string(),
        "official" if !v.staff => e
            .actor_name
            .clone()
            .map(|n| fill(t::actor_official_named(l), &[("name", &n)]))
            .unwrap_or_else(|| t::actor_official(l).to_string()),
        kind if e.actor_name.is_none() => channel_label(l, kind),
        _ => e.actor_name.clone().unwrap_or_default(),
    }
}

/// The addresses of the photos that came with history entry `seq`.
#[cfg(feature = "ssr")]
fn photos_of(rows: &[(uuid::Uuid, i32)], seq: i32) -> Vec<String> {
    rows.iter()
        .filter(|(_, s)| *s == seq)
        .map(|(photo, _)| format!("/grievance-photos/{photo}"))
        .collect()
}

#[cfg(feature = "ssr")]
fn timeline_item(
    e: &store::TimelineEntry,
    v: Viewer,
    photos: &[(uuid::Uuid, i32)],
    l: crate::i18n::Locale,
) -> TimelineItem {
    TimelineItem {
        at: ist(e.at),
        who: who_acted(e, v, l),
        kind: e.kind.clone(),
        status: e.status.clone(),
        note: e.note.clone(),
        public: e.public,
        assignee: e.assignee_name.clone(),
        department: e.department_name.clone(),
        level: e.level,
        deadline: e.deadline_at.map(ist),
        // the filing's own photos are shown with its facts
        photos: if e.seq > 1 {
            photos_of(photos, e.seq)
        } else {
            Vec::new()
        },
    }
}

/// The messages sent about a grievance and what became of each, recipients masked.
#[cfg(feature = "ssr")]
async fn messages_about(
    id: uuid::Uuid,
    anonymous: bool,
    l: crate::i18n::Locale,
) -> Result<Vec<MessageView>, ServerFnError> {
    use domain::notifications::{self, Channel};
    let sent = notifications::about(&request::pool(), domain::history::Subject::Grievance, id)
        .await
        .map_err(request::unexpected)?;
    Ok(sent
        .into_iter()
        .map(|n| MessageView {
            at: ist(n.created_at),
            to: Channel::parse(&n.channel)
                .map(|c| notifications::masked_recipient(c, &n.recipient, anonymous, l))
                .unwrap_or_else(|| "—".into()),
            channel: n.channel,
            status: n.status,
            attempts: n.attempts,
            fallback: n.fallback_of.is_some(),
        })
        .collect())
}
