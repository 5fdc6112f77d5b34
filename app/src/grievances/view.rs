//! How a grievance's page reads.

use super::{
    channel_label, grievance, resolve_form, status_label, step_form, step_label, CategorySelect,
    GrievancePageData,
};
use crate::forms::FieldMessage;
use crate::i18n::{fill, t, use_locale, Locale};
use crate::layout::{NotFound, Refused, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn GrievancePage() -> impl IntoView {
    let l = use_locale();
    let number = use_params_map()
        .get_untracked()
        .get("number")
        .unwrap_or_default();
    let data = OnceResource::new(grievance(number.clone()));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let number = number.clone();
                Suspend::new(async move {
                match data.await {
                    Ok(Some(g)) => view! { <GrievanceView g=g/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next=format!("/grievances/{number}")/> }.into_any(),
                    Err(_) => view! { <Refused/> }.into_any(),
                }
            })}}
        </Suspense>
        <span hidden>{t::app_name(l)}</span>
    }
}

#[component]
fn GrievanceView(g: GrievancePageData) -> impl IntoView {
    let l = use_locale();
    let r = g.row.clone();
    let title = fill(t::grievance_title(l), &[("number", &r.number)]);
    let has = |s: &str| g.steps.iter().any(|x| x == s);
    let number = r.number.clone();
    let step_form =
        |action: &'static str,
         label: &'static str,
         note_label: Option<&'static str>,
         extra: AnyView| { step_form(l, &number, action, label, note_label, extra) };
    // Staff: each step behind its own disclosure, one open at a time (`name` makes them one group).
    let action = |summary: &'static str, form: AnyView| {
        view! {
            <details class="step-action" name="grievance-step">
                <summary>{summary}</summary>
                {form}
            </details>
        }
    };
    let staff_steps = g.is_staff_view.then(|| {
        let transfer = g.transfer_to.clone();
        view! {
            <section class="card stack item-actions" aria-labelledby="work-heading">
                <h2 id="work-heading">{t::work_on_it(l)}</h2>
                {has("acknowledged").then(|| action(t::act_acknowledge(l), step_form("acknowledged", t::action_acknowledge(l), None, ().into_any()).into_any()))}
                {has("resolved").then(|| action(t::act_resolve(l), resolve_form(l, &number).into_any()))}
                {has("comment").then(|| action(t::act_comment(l), step_form("comment", t::action_comment(l), Some(t::field_public_comment(l)), ().into_any()).into_any()))}
                {has("info_requested").then(|| action(t::act_ask(l), step_form("info_requested", t::action_ask_citizen(l), Some(t::field_question(l)), ().into_any()).into_any()))}
                {has("internal_note").then(|| action(t::act_note(l), step_form("internal_note", t::action_internal_note(l), Some(t::field_internal_note(l)), ().into_any()).into_any()))}
                {has("transferred").then(|| action(t::act_transfer(l), step_form("transferred", t::action_transfer(l), Some(t::field_transfer_reason(l)),
                    view! { <CategorySelect categories=transfer.clone() name="category"/> }.into_any()).into_any()))}
                {has("rejected").then(|| action(t::act_reject(l), step_form("rejected", t::action_reject(l), Some(t::field_reject_reason(l)), ().into_any()).into_any()))}
            </section>
        }
    });
    let citizen_steps = (!g.is_staff_view && !g.steps.is_empty()).then(|| {
        let rating = view! {
            <fieldset class="rating">
                <legend>{t::field_rating(l)}</legend>
                {(1..=5).map(|n| view! {
                    <label class="rating-option"><input type="radio" name="rating" value=n.to_string() aria-describedby="rating-error"/>{fill(t::stars(l), &[("count", &n.to_string())])}</label>
                }).collect_view()}
                <FieldMessage field="rating"/>
            </fieldset>
        };
        view! {
            <section class="card stack" aria-labelledby="your-steps">
                <h2 id="your-steps">{t::your_steps(l)}</h2>
                {has("closed_fixed").then(|| view! {
                    <p>{t::resolved_ask(l)}</p>
                    {step_form("closed_fixed", t::action_confirm_fixed(l), Some(t::field_rating_comment_optional(l)), rating.into_any())}
                })}
                {has("reopened").then(|| step_form("reopened", t::action_reopen(l), Some(t::field_reopen_reason(l)), ().into_any()))}
                {has("citizen_reply").then(|| step_form("citizen_reply", t::action_reply(l), Some(t::field_reply(l)), ().into_any()))}
            </section>
        }
    });
    view! {
        <Title text=title.clone()/>
        <section class=if g.is_staff_view { "page item-page" } else { "page narrow stack" }>
            <div class="item-head stack">
            <p class="breadcrumb"><a href=if g.is_staff_view { "/work" } else { "/grievances" }>
                {if g.is_staff_view { t::work_queue_title(l) } else { t::my_grievances_title(l) }}</a></p>
            <h1>{title}</h1>
            <p class="meta">
                <span class=format!("badge status-{}", r.status) data-testid="grievance-status">{status_label(l, &r.status)}</span>
                {r.overdue.then(|| view! { " "<span class="badge badge-alert">{t::overdue(l)}</span> })}
            </p>
            {r.deadline.clone().map(|d| view! {
                <p class="deadline" data-testid="deadline">{fill(t::due_by_level(l), &[("at", &d), ("level", &r.level.to_string())])}
                    {r.assignee.clone().map(|a| format!(" · {}", fill(t::with_official(l), &[("name", &a)])))}</p>
            })}
            </div>
            <dl class="facts item-facts">
                <dt>{t::field_category(l)}</dt><dd>{r.category.clone()}" — "{r.department.clone()}</dd>
                <dt>{t::field_description(l)}</dt><dd class="prewrap">{g.description.clone()}</dd>
                <dt>{t::field_place(l)}</dt>
                <dd>
                    {r.ward.map(|w| fill(t::ward_n(l), &[("number", &w.to_string())]))}
                    {(!r.landmark.is_empty()).then(|| format!(" · {}", r.landmark))}
                    {(!g.address.is_empty()).then(|| format!(" · {}", g.address))}
                    {g.location.clone().map(|p| format!(" · {p}"))}
                </dd>
                <dt>{t::field_channel(l)}</dt><dd>{channel_label(l, &g.channel)}{g.external.clone().map(|e| format!(" · {e}"))}</dd>
                {g.recording_url.clone().map(|u| view! { <dt>{t::field_recording(l)}</dt><dd><a href=u.clone() rel="noopener noreferrer">{u.clone()}</a></dd> })}
                {g.contact.clone().map(|c| view! { <dt>{t::field_contact(l)}</dt><dd>{c}</dd> })}
                {(!g.photos.is_empty()).then(|| view! {
                    <dt>{t::field_photos_short(l)}</dt>
                    <dd class="photos">{g.photos.iter().enumerate().map(|(i, url)| view! {
                        <a href=url.clone()><img src=url.clone() loading="lazy" width="160"
                            alt=fill(t::photo_n(l), &[("n", &(i + 1).to_string())])/></a>
                    }).collect_view()}</dd>
                })}
                {g.rating.map(|n| view! { <dt>{t::field_rating(l)}</dt><dd data-testid="rating">{fill(t::stars(l), &[("count", &n.to_string())])}{g.rating_comment.clone().filter(|c| !c.is_empty()).map(|c| format!(" — {c}"))}</dd> })}
            </dl>
            {citizen_steps}
            {staff_steps}
            <section class="item-timeline" aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">{t::timeline(l)}</h2>
                <ol class="timeline" data-testid="timeline">
                    {g.timeline.into_iter().map(|e| view! {
                        <li class="timeline-entry" class:internal=!e.public data-kind=e.kind.clone()>
                            <p class="meta"><time>{e.at.clone()}</time>" · "{e.who.clone()}</p>
                            <p><strong>{step_label(l, &e.kind)}</strong>
                                {(!e.public).then(|| view! { " "<span class="badge">{t::internal(l)}</span> })}
                                {matches!(e.kind.as_str(), "filed" | "escalated" | "transferred" | "reassigned").then(|| e.assignee.clone().map(|a| format!(" — {}", fill(t::assigned_to(l), &[("name", &a), ("department", &e.department.clone().unwrap_or_default())]))))}
                                {(e.kind == "escalated").then(|| format!(" ({})", fill(t::level_n(l), &[("level", &e.level.to_string())])))}
                            </p>
                            {(!e.note.is_empty() && e.kind != "filed").then(|| view! { <p class="prewrap">{e.note.clone()}</p> })}
                            {(!e.photos.is_empty()).then(|| view! {
                                <p class="photos">{e.photos.iter().enumerate().map(|(i, url)| view! {
                                    <a href=url.clone()><img src=url.clone() loading="lazy" width="160"
                                        alt=fill(t::photo_with_step(l), &[("n", &(i + 1).to_string())])/></a>
                                }).collect_view()}</p>
                            })}
                            {(matches!(e.kind.as_str(), "filed" | "escalated" | "transferred" | "reopened")).then(|| e.deadline.clone().map(|d| view! { <p class="meta">{fill(t::due_by(l), &[("at", &d)])}</p> }))}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            {(!g.messages.is_empty()).then(|| view! {
                <section class="item-messages" aria-labelledby="messages-heading">
                    <h2 id="messages-heading">{t::messages_title(l)}</h2>
                    <ul class="message-status" data-testid="messages">
                        {g.messages.iter().map(|m| view! {
                            <li class=format!("message-{}", m.status)>
                                <p class="meta"><time>{m.at.clone()}</time>" · "{message_channel(l, &m.channel)}" → "{m.to.clone()}</p>
                                <p><strong>{message_status(l, &m.status)}</strong>
                                    {(m.attempts > 1).then(|| format!(" · {}", fill(t::message_attempts(l), &[("count", &m.attempts.to_string())])))}
                                    {m.fallback.then(|| format!(" · {}", t::message_fallback(l)))}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </section>
    }
}

fn message_channel(l: Locale, channel: &str) -> &'static str {
    match channel {
        "sms" => t::channel_sms(l),
        "email" => t::channel_email(l),
        _ => t::message_channel_push(l),
    }
}

fn message_status(l: Locale, status: &str) -> &'static str {
    match status {
        "delivered" => t::message_delivered(l),
        "failed" => t::message_failed(l),
        _ => t::message_queued(l),
    }
}
