//! Grievances in the app: filing (a map is never required), the citizen's list and timeline with
//! reopen and rating, the official's work queue and the steps on a grievance. Every server
//! function checks the caller against the grievance itself (`may_view`, `may_act`).

pub mod admin;
pub mod assisted;
pub mod me_too;

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, QueuedBanner, ServerForm};
use crate::i18n::{fill, t, use_locale, Locale};
use crate::layout::{LoadFailed, NotFound, Refused, SignInFirst};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::grievances::{self as rules, store, Action, Status};
#[cfg(feature = "ssr")]
use domain::identity::{FieldError, Role};

// ---------------------------------------------------------------------------------------------
// Words: labels for states, steps and channels, and the SMS/email texts of notices

pub fn status_label(l: Locale, status: &str) -> &'static str {
    match status {
        "submitted" => t::status_submitted(l),
        "assigned" => t::status_assigned(l),
        "in_progress" => t::status_in_progress(l),
        "resolved" => t::status_resolved(l),
        "closed_fixed" => t::status_closed_fixed(l),
        "closed_not_fixed" => t::status_closed_not_fixed(l),
        "rejected" => t::status_rejected(l),
        _ => t::status_reopened(l),
    }
}

pub fn step_label(l: Locale, kind: &str) -> &'static str {
    match kind {
        "filed" => t::step_filed(l),
        "acknowledged" => t::step_acknowledged(l),
        "comment" => t::step_comment(l),
        "internal_note" => t::step_internal_note(l),
        "info_requested" => t::step_info_requested(l),
        "citizen_reply" => t::step_citizen_reply(l),
        "resolved" => t::step_resolved(l),
        "rejected" => t::step_rejected(l),
        "transferred" => t::step_transferred(l),
        "reopened" => t::step_reopened(l),
        "closed_fixed" => t::step_closed_fixed(l),
        "closed_not_fixed" => t::step_closed_not_fixed(l),
        "escalated" => t::step_escalated(l),
        "overdue" => t::step_overdue(l),
        "deadline_near" => t::step_deadline_near(l),
        "me_too" => t::step_me_too(l),
        _ => t::step_closed_unanswered(l),
    }
}

pub fn priority_label(l: Locale, p: domain::grievances::duplicates::Priority) -> &'static str {
    use domain::grievances::duplicates::Priority;
    match p {
        Priority::Normal => t::priority_normal(l),
        Priority::High => t::priority_high(l),
        Priority::Urgent => t::priority_urgent(l),
    }
}

pub fn channel_label(l: Locale, channel: &str) -> &'static str {
    match channel {
        "app" => t::channel_app(l),
        "web" => t::channel_web(l),
        "phone" => t::channel_phone(l),
        "sms" => t::channel_sms(l),
        "email" => t::channel_email(l),
        "ivrs" => t::channel_ivrs(l),
        "kiosk" => t::channel_kiosk(l),
        _ => t::channel_external(l),
    }
}

/// The app's wording of grievance notices, for the outbox.
#[cfg(feature = "ssr")]
pub struct GrievanceWording;

#[cfg(feature = "ssr")]
impl rules::Wording for GrievanceWording {
    fn notice(&self, l: Locale, notice: &rules::Notice) -> String {
        use rules::Notice::*;
        match notice {
            Filed { number } => fill(t::notice_filed(l), &[("number", number)]),
            Escalated { number, level } => fill(
                t::notice_escalated(l),
                &[("number", number), ("level", &level.to_string())],
            ),
            DeadlineNear { number, hours_left } => fill(
                t::notice_deadline_near(l),
                &[("number", number), ("hours", &hours_left.to_string())],
            ),
            Overdue { number } => fill(t::notice_overdue(l), &[("number", number)]),
            Updated {
                number,
                status,
                action,
                note,
            } => {
                let what = match action {
                    Action::AskCitizen => t::notice_info_requested(l),
                    Action::Comment => t::notice_comment(l),
                    _ => t::notice_status(l),
                };
                fill(
                    what,
                    &[
                        ("number", number),
                        ("status", status_label(l, status.as_str())),
                        ("note", note),
                    ],
                )
            }
            CitizenActed { number, action } => fill(
                t::notice_citizen_acted(l),
                &[("number", number), ("step", step_label(l, action.as_str()))],
            ),
            Assigned { number } => fill(t::notice_assigned(l), &[("number", number)]),
            PriorityRaised {
                number,
                people,
                priority,
            } => fill(
                t::notice_priority_raised(l),
                &[
                    ("number", number),
                    ("count", &people.to_string()),
                    ("priority", priority_label(l, *priority)),
                ],
            ),
        }
    }
}

/// Date and time as Bhubaneswar reads it (IST).
#[cfg(feature = "ssr")]
pub fn ist(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::macros::offset!(+5:30));
    let f = time::macros::format_description!("[day]-[month]-[year] [hour]:[minute]");
    at.format(&f).unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

// ---------------------------------------------------------------------------------------------
// Filing

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub id: String,
    pub name: String,
    pub group: String,
    pub department: String,
    pub allows_anonymous: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilingOptions {
    pub categories: Vec<CategoryOption>,
    pub wards: Vec<(i32, String)>,
}

#[cfg(feature = "ssr")]
pub async fn filing_options(l: Locale) -> Result<FilingOptions, ServerFnError> {
    let pool = request::pool();
    let all = store::categories(&pool, l)
        .await
        .map_err(request::unexpected)?;
    let name_of = |id: Option<uuid::Uuid>| {
        id.and_then(|id| all.iter().find(|c| c.id == id))
            .map(|c| c.name.clone())
    };
    let categories = all
        .iter()
        .filter(|c| c.is_leaf)
        .map(|c| CategoryOption {
            id: c.id.to_string(),
            name: c.name.clone(),
            group: name_of(c.parent_id).unwrap_or_else(|| c.department_name.clone()),
            department: c.department_name.clone(),
            allows_anonymous: c.allows_anonymous,
        })
        .collect();
    let wards = store::wards(&pool).await.map_err(request::unexpected)?;
    Ok(FilingOptions { categories, wards })
}

#[server(endpoint = "grievances/filing_data")]
pub async fn filing_data() -> Result<FilingOptions, ServerFnError> {
    request::require_account()?;
    filing_options(request::request_locale()).await
}

/// What a filing form sends; missing fields read as empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilingForm {
    pub category: String,
    pub description: String,
    pub ward: String,
    pub landmark: String,
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    pub anonymous: Option<String>,
    pub idempotency_key: String,
    /// "app" when the page runs as the installed app, else "web".
    pub via: String,
    // Assisted filing (call centre, kiosk): the caller's details.
    pub contact_name: String,
    pub contact_mobile: String,
    pub contact_email: String,
}

/// Checks a filing form and turns it into a filing, or names the fields to fix.
#[cfg(feature = "ssr")]
pub fn parse_filing(
    form: &FilingForm,
    channel: rules::Channel,
    locale: Locale,
) -> Result<store::Filing, Vec<FieldError>> {
    let category = uuid::Uuid::parse_str(form.category.trim()).ok();
    let mut problems = Vec::new();
    let ward = match form.ward.trim() {
        "" => None,
        w => match w.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(FieldError::new("ward", "err_ward_invalid"));
                None
            }
        },
    };
    let coordinate = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let (latitude, longitude) = (coordinate(&form.latitude), coordinate(&form.longitude));
    let input = rules::FilingInput {
        category_chosen: category.is_some(),
        description: form.description.clone(),
        ward,
        landmark: form.landmark.clone(),
        address: form.address.clone(),
        latitude,
        longitude,
    };
    // An unreadable ward is already named; do not also say that no place was given.
    let ward_unreadable = !problems.is_empty();
    for p in rules::check_filing(&input) {
        if !(p.field == "ward" && ward_unreadable) {
            problems.push(p);
        }
    }
    let contact_mobile = match form.contact_mobile.trim() {
        "" => None,
        m => match domain::identity::MobileNumber::parse(m) {
            Ok(m) => Some(m.as_str().to_string()),
            Err(_) => {
                problems.push(FieldError::new("contact_mobile", "err_mobile_invalid"));
                None
            }
        },
    };
    let contact_email = match form.contact_email.trim() {
        "" => None,
        e if e.contains('@') && e.len() <= 254 => Some(e.to_string()),
        _ => {
            problems.push(FieldError::new("contact_email", "err_email_invalid"));
            None
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let key = form.idempotency_key.trim();
    Ok(store::Filing {
        channel,
        category_id: category.expect("checked above"),
        category_slug: None,
        ward,
        landmark: form.landmark.trim().to_string(),
        address: form.address.trim().to_string(),
        latitude,
        longitude,
        description: form.description.trim().to_string(),
        recording_url: None,
        filer_id: None,
        anonymous: form.anonymous.is_some(),
        contact_name: form.contact_name.trim().to_string(),
        contact_mobile,
        contact_email,
        locale,
        external: None,
        idempotency_key: (!key.is_empty() && key.len() <= 100).then(|| key.to_string()),
        intake_key_id: None,
        agent_id: None,
        media_url: None,
        photos: Vec::new(),
    })
}

#[cfg(feature = "ssr")]
pub async fn file_and_answer(filing: store::Filing) -> Result<FormResult<String>, ServerFnError> {
    match store::file(&request::pool(), filing, now(), &GrievanceWording).await {
        Ok(filed) => Ok(FormResult::Done(filed.number)),
        Err(store::FilingProblem::Fields(f)) => Ok(FormResult::Invalid(f)),
        Err(store::FilingProblem::Database(e)) => Err(request::unexpected(e)),
    }
}

/// What a multipart form carried: its text fields (by name) and its `photos` parts (or why one
/// was refused). Bounded: 40 parts, 10,000 characters a field, `photos::MAX_BYTES` a photo.
#[cfg(feature = "ssr")]
async fn read_multipart(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<
    (
        serde_json::Map<String, serde_json::Value>,
        Vec<Result<Vec<u8>, &'static str>>,
    ),
    ServerFnError,
> {
    fn bad(_: impl std::fmt::Display) -> ServerFnError {
        request::set_status(http::StatusCode::BAD_REQUEST);
        ServerFnError::new("unreadable form")
    }
    let mut multipart = data
        .into_inner()
        .ok_or_else(|| ServerFnError::new("no form"))?;
    let mut fields = serde_json::Map::new();
    let mut uploads = Vec::new();
    let mut count = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        count += 1;
        if count > 40 {
            return Err(bad("too many fields"));
        }
        let name = field.name().unwrap_or_default().to_string();
        if name == "photos" {
            let mut bytes = Vec::new();
            let mut too_big = false;
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > rules::photos::MAX_BYTES {
                    too_big = true;
                } else {
                    bytes.extend_from_slice(&chunk);
                }
            }
            // an empty file input still sends a part with no name and no bytes
            if too_big {
                uploads.push(Err("err_photo_too_big"));
            } else if !bytes.is_empty() {
                uploads.push(Ok(bytes));
            }
        } else {
            let text = field.text().await.map_err(bad)?;
            fields.insert(
                name,
                serde_json::Value::String(text.chars().take(10_000).collect()),
            );
        }
    }
    Ok((fields, uploads))
}

/// A filing form (`form[…]` fields) and its photos.
#[cfg(feature = "ssr")]
async fn read_filing(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(FilingForm, Vec<Result<Vec<u8>, &'static str>>), ServerFnError> {
    let (fields, uploads) = read_multipart(data).await?;
    let fields: serde_json::Map<String, serde_json::Value> = fields
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("form[")?.strip_suffix(']')?.to_string(), v)))
        .collect();
    let form: FilingForm =
        serde_json::from_value(serde_json::Value::Object(fields)).map_err(|_| {
            request::set_status(http::StatusCode::BAD_REQUEST);
            ServerFnError::new("unreadable form")
        })?;
    Ok((form, uploads))
}

/// Checks and re-encodes the photos off the request threads (decoding is CPU work).
#[cfg(feature = "ssr")]
async fn prepare_photos(
    uploads: Vec<Result<Vec<u8>, &'static str>>,
) -> Result<Result<Vec<rules::photos::Photo>, FieldError>, ServerFnError> {
    if uploads.len() > rules::photos::MAX_PHOTOS {
        return Ok(Err(FieldError::new("photos", "err_too_many_photos")));
    }
    tokio_blocking(move || {
        let mut photos = Vec::new();
        for upload in uploads {
            match upload.and_then(|bytes| rules::photos::prepare(&bytes)) {
                Ok(p) => photos.push(p),
                Err(code) => return Err(FieldError::new("photos", code)),
            }
        }
        Ok(photos)
    })
    .await
}

#[cfg(feature = "ssr")]
async fn tokio_blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServerFnError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(request::unexpected)
}

/// A signed-in citizen files a grievance, with up to three photos; the answer is its number.
#[server(endpoint = "grievances/file", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn file_grievance(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let (form, uploads) = read_filing(data).await?;
    let channel = if form.via == "app" {
        rules::Channel::App
    } else {
        rules::Channel::Web
    };
    let locale = Locale::from_code(&account.locale).unwrap_or_default();
    let mut filing = match parse_filing(&form, channel, locale) {
        Ok(f) => f,
        Err(problems) => return Ok(FormResult::Invalid(problems)),
    };
    filing.photos = match prepare_photos(uploads).await? {
        Ok(p) => p,
        Err(problem) => return Ok(FormResult::Invalid(vec![problem])),
    };
    filing.filer_id = Some(account.id);
    filing.contact_name = account.name.clone();
    filing.contact_mobile = Some(account.mobile.clone());
    filing.contact_email = account.email.clone();
    let answer = file_and_answer(filing).await?;
    if let FormResult::Done(number) = &answer {
        leptos_axum::redirect(&format!("/grievances/{number}"));
    }
    Ok(answer)
}

/// The place fields every filing form shares: ward and landmark, or an address, or the
/// device's location (a button fills latitude and longitude; a map is never needed).
#[component]
pub fn PlaceFields(wards: Vec<(i32, String)>) -> impl IntoView {
    let l = use_locale();
    view! {
        <fieldset class="stack">
            <legend>{t::field_place(l)}</legend>
            <p class="hint" id="place-hint">{t::field_place_hint(l)}</p>
            <label for="g-ward">{t::field_ward(l)}</label>
            <select id="g-ward" name="form[ward]" aria-describedby="place-hint ward-error" aria-invalid="false">
                <option value="">{t::choose_ward(l)}</option>
                {wards.into_iter().map(|(n, name)| view! {
                    <option value=n.to_string()>{fill(t::ward_option(l), &[("number", &n.to_string()), ("name", &name)])}</option>
                }).collect_view()}
            </select>
            <FieldMessage field="ward"/>
            <label for="g-landmark">{t::field_landmark(l)}</label>
            <input id="g-landmark" name="form[landmark]" maxlength="200" aria-describedby="landmark-error" aria-invalid="false"/>
            <FieldMessage field="landmark"/>
            <label for="g-address">{t::field_address(l)}</label>
            <textarea id="g-address" name="form[address]" rows="2" maxlength="500" aria-describedby="address-error" aria-invalid="false"></textarea>
            <FieldMessage field="address"/>
            <input type="hidden" name="form[latitude]" id="g-lat"/>
            <input type="hidden" name="form[longitude]" id="g-lon"/>
            <button type="button" class="button button-secondary" id="g-locate" hidden>{t::use_my_location(l)}</button>
            <p class="hint" id="g-located" role="status" aria-describedby="location-error"></p>
            <FieldMessage field="location"/>
            // The location button needs no WASM: it is shown only where the browser can locate.
            <script>{format!(
                "(function(){{var b=document.getElementById('g-locate');if(!b||!navigator.geolocation)return;b.hidden=false;\
                 b.onclick=function(){{navigator.geolocation.getCurrentPosition(function(p){{\
                 document.getElementById('g-lat').value=p.coords.latitude.toFixed(6);\
                 document.getElementById('g-lon').value=p.coords.longitude.toFixed(6);\
                 document.getElementById('g-located').textContent={:?};}},function(){{\
                 document.getElementById('g-located').textContent={:?};}})}}}})()",
                t::location_added(l), t::location_failed(l)
            )}</script>
        </fieldset>
    }
}

#[component]
pub fn CategorySelect(categories: Vec<CategoryOption>, name: &'static str) -> impl IntoView {
    let l = use_locale();
    // Group the leaves under their parent, in the order they came.
    let mut groups: Vec<(String, Vec<CategoryOption>)> = Vec::new();
    for c in categories {
        match groups.iter_mut().find(|(g, _)| *g == c.group) {
            Some((_, list)) => list.push(c),
            None => groups.push((c.group.clone(), vec![c])),
        }
    }
    view! {
        <label for="g-category">{t::field_category(l)}</label>
        <select id="g-category" name=name required aria-describedby="category-error" aria-invalid="false">
            <option value="">{t::choose_category(l)}</option>
            {groups.into_iter().map(|(group, list)| view! {
                <optgroup label=group>
                    {list.into_iter().map(|c| view! {
                        <option value=c.id.clone() data-anonymous=c.allows_anonymous.to_string()>
                            {format!("{} — {}", c.name, c.department)}
                        </option>
                    }).collect_view()}
                </optgroup>
            }).collect_view()}
        </select>
        <FieldMessage field="category"/>
    }
}

#[component]
pub fn FileGrievancePage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(filing_data());
    view! {
        <Title text=t::file_grievance_title(l)/>
        <section class="page narrow">
            <h1>{t::file_grievance_title(l)}</h1>
            <p class="lead">{t::file_grievance_lead(l)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <FilingFormView data=d/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/grievances/new"/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FilingFormView(data: FilingOptions) -> impl IntoView {
    let l = use_locale();
    let key = idempotency_key();
    view! {
        <ServerForm endpoint="grievances/file".to_string() locale=l then=FormThen::redirect_with("/grievances/") class="stack".to_string()
            enctype="multipart/form-data".to_string()>
            <FailureBanner locale=l/>
            <QueuedBanner locale=l/>
            <input type="hidden" name="form[idempotency_key]" value=key id="g-key"/>
            <input type="hidden" name="form[via]" value="web" id="g-via"/>
            // A fresh key for every filing, also from a page the phone kept for offline use, and
            // again after a filing was kept for later (the form is then cleared for the next).
            <script>"(function(){var k=document.getElementById('g-key'),f=k.form;function fresh(){if(window.crypto&&crypto.randomUUID)k.value=crypto.randomUUID()}fresh();f.addEventListener('reset',function(){setTimeout(fresh,0)});if(matchMedia('(display-mode: standalone)').matches){document.getElementById('g-via').value='app'}})()"</script>
            <FilingFields data=data/>
            <me_too::SimilarNearby locale=l/>
            <label for="g-photos">{t::field_photos(l)}</label>
            <input id="g-photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple=true
                aria-describedby="photos-hint photos-error" aria-invalid="false"/>
            <p class="hint" id="photos-hint">{t::field_photos_hint(l)}</p>
            <FieldMessage field="photos"/>
            <label class="checkbox">
                <input type="checkbox" name="form[anonymous]" aria-describedby="anonymous-hint anonymous-error"/>
                {t::field_anonymous(l)}
            </label>
            <p class="hint" id="anonymous-hint">{t::field_anonymous_hint(l)}</p>
            <FieldMessage field="anonymous"/>
            <button type="submit" class="button">{t::file_grievance_submit(l)}</button>
        </ServerForm>
    }
}

/// Category, description and place, named `form[field]` for the server function's `FilingForm`.
#[component]
pub fn FilingFields(data: FilingOptions) -> impl IntoView {
    let l = use_locale();
    view! {
        <CategorySelect categories=data.categories name="form[category]"/>
        <label for="g-description">{t::field_description(l)}</label>
        <textarea id="g-description" name="form[description]" rows="4" required maxlength="2000"
            aria-describedby="description-hint description-error" aria-invalid="false"></textarea>
        <p class="hint" id="description-hint">{t::field_description_hint(l)}</p>
        <FieldMessage field="description"/>
        <PlaceFields wards=data.wards/>
    }
}

/// A fresh key per form view: a double submit or an offline retry of the same form files once.
fn idempotency_key() -> String {
    #[cfg(feature = "ssr")]
    {
        uuid::Uuid::now_v7().to_string()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

// ---------------------------------------------------------------------------------------------
// Lists

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrievanceRow {
    pub number: String,
    pub status: String,
    pub category: String,
    pub department: String,
    pub ward: Option<i32>,
    pub landmark: String,
    pub description: String,
    pub assignee: Option<String>,
    pub level: i32,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub me_too: i32,
    pub priority: domain::grievances::duplicates::Priority,
    pub filed_at: String,
}

#[cfg(feature = "ssr")]
fn row(s: store::Summary) -> GrievanceRow {
    let open = Status::parse(&s.status).is_some_and(|st| st.is_open());
    GrievanceRow {
        overdue: open && (s.overdue_since.is_some() || s.deadline_at.is_some_and(|d| d <= now())),
        deadline: s.deadline_at.filter(|_| open).map(ist),
        number: s.number,
        status: s.status,
        category: s.category_name,
        department: s.department_name,
        ward: s.ward_number,
        landmark: s.landmark,
        description: s.description.chars().take(140).collect(),
        assignee: s.assignee_name,
        level: s.level,
        me_too: s.me_too_count,
        priority: domain::grievances::duplicates::Priority::of(s.me_too_count),
        filed_at: ist(s.created_at),
    }
}

#[server(endpoint = "grievances/mine")]
pub async fn my_grievances() -> Result<Vec<GrievanceRow>, ServerFnError> {
    let account = request::require_account()?;
    let rows = store::filed_by(&request::pool(), account.id, request::request_locale())
        .await
        .map_err(request::unexpected)?;
    Ok(rows.into_iter().map(row).collect())
}

#[component]
fn GrievanceList(rows: Vec<GrievanceRow>, empty: &'static str) -> impl IntoView {
    let l = use_locale();
    if rows.is_empty() {
        return view! { <p class="card">{empty}</p> }.into_any();
    }
    view! {
        <ul class="grievance-list">
            {rows.into_iter().map(|r| {
                let href = format!("/grievances/{}", r.number);
                view! {
                    <li class="card grievance-card" class:overdue=r.overdue>
                        <p class="meta">
                            <a href=href class="grievance-number">{r.number.clone()}</a>
                            " · "<span class=format!("badge status-{}", r.status)>{status_label(l, &r.status)}</span>
                            {r.overdue.then(|| view! { " · "<span class="badge badge-alert">{t::overdue(l)}</span> })}
                            {(r.priority != domain::grievances::duplicates::Priority::Normal).then(|| view! {
                                " · "<span class=format!("badge priority-{}", r.priority.as_str())>{priority_label(l, r.priority)}</span>
                            })}
                        </p>
                        <h2 class="card-title">{r.category.clone()}</h2>
                        <p>{r.description.clone()}</p>
                        <p class="meta">
                            {r.department.clone()}
                            {r.ward.map(|w| format!(" · {}", fill(t::ward_n(l), &[("number", &w.to_string())])))}
                            {(!r.landmark.is_empty()).then(|| format!(" · {}", r.landmark))}
                            {(r.me_too > 0).then(|| format!(" · {}", fill(t::me_too_count(l), &[("count", &r.me_too.to_string())])))}
                        </p>
                        <p class="meta">
                            {fill(t::filed_on(l), &[("at", &r.filed_at)])}
                            {r.deadline.clone().map(|d| format!(" · {}", fill(t::due_by(l), &[("at", &d)])))}
                            {r.assignee.clone().map(|a| format!(" · {}", fill(t::with_official(l), &[("name", &a)])))}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Filings kept on this phone while offline, read from the service worker's outbox; the page
/// reloads when one has been sent, so it then appears with its number.
#[component]
fn PendingFilings() -> impl IntoView {
    let l = use_locale();
    view! {
        <section id="pending-filings" class="card" aria-labelledby="pending-heading" hidden>
            <h2 id="pending-heading">{t::pending_title(l)}</h2>
            <p class="hint">{t::pending_hint(l)}</p>
            <ul id="pending-list" data-testid="pending-list"></ul>
        </section>
        <script>"(function(){if(!window.indexedDB||!('serviceWorker' in navigator))return;\
    var o=indexedDB.open('nagarik',1);o.onupgradeneeded=function(){o.result.createObjectStore('outbox',{keyPath:'key'})};\
    o.onsuccess=function(){var r=o.result.transaction('outbox').objectStore('outbox').getAll();r.onsuccess=function(){\
    var items=r.result||[];if(!items.length)return;var ul=document.getElementById('pending-list');\
    items.forEach(function(i){var li=document.createElement('li');li.textContent=i.description;ul.appendChild(li)});\
    document.getElementById('pending-filings').hidden=false}};\
    navigator.serviceWorker.addEventListener('message',function(e){if(e.data&&e.data.type==='outbox-sent')location.reload()})})()"</script>
    }
}

#[component]
pub fn MyGrievancesPage() -> impl IntoView {
    let l = use_locale();
    let data = OnceResource::new(my_grievances());
    view! {
        <Title text=t::my_grievances_title(l)/>
        <section class="page">
            <div class="page-heading">
                <h1>{t::my_grievances_title(l)}</h1>
                <a class="button" href="/grievances/new">{t::file_grievance_title(l)}</a>
            </div>
            <PendingFilings/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(rows) => view! { <GrievanceList rows=rows empty=t::no_grievances_yet(l)/> }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/grievances"/> }.into_any(),
                        Err(_) => view! { <LoadFailed/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub rows: Vec<GrievanceRow>,
    /// A department admin (or city admin) may look at the whole department's queue.
    pub may_see_department: bool,
    pub wards: Vec<(i32, String)>,
}

#[server(endpoint = "grievances/queue")]
pub async fn work_queue(
    status: Option<String>,
    ward: Option<String>,
    overdue: Option<String>,
    scope: Option<String>,
) -> Result<QueueView, ServerFnError> {
    let account = request::require(|a| a.role != Role::Citizen)?;
    let pool = request::pool();
    let may_see_department = matches!(account.role(), Role::DepartmentAdmin | Role::CityAdmin)
        && account.department_id.is_some();
    let filter = store::QueueFilter {
        status: status.as_deref().and_then(Status::parse),
        ward: ward.as_deref().and_then(|w| w.trim().parse().ok()),
        category: None,
        overdue_only: overdue.is_some_and(|o| !o.is_empty()),
        department: if may_see_department && scope.as_deref() == Some("department") {
            account.department_id
        } else {
            None
        },
    };
    let rows = store::queue(&pool, account.id, &filter, now(), request::request_locale())
        .await
        .map_err(request::unexpected)?;
    let wards = store::wards(&pool).await.map_err(request::unexpected)?;
    Ok(QueueView {
        rows: rows.into_iter().map(row).collect(),
        may_see_department,
        wards,
    })
}

#[component]
pub fn WorkQueuePage() -> impl IntoView {
    let l = use_locale();
    let q = use_query_map().get_untracked();
    let status = q.get("status").filter(|s| !s.is_empty());
    let ward = q.get("ward").filter(|s| !s.is_empty());
    let overdue = q.get("overdue").filter(|s| !s.is_empty());
    let scope = q.get("scope").filter(|s| !s.is_empty());
    let data = OnceResource::new(work_queue(
        status.clone(),
        ward.clone(),
        overdue.clone(),
        scope.clone(),
    ));
    view! {
        <Title text=t::work_queue_title(l)/>
        <section class="page">
            <div class="page-heading">
                <h1>{t::work_queue_title(l)}</h1>
                <a class="button button-secondary" href="/assist">{t::assist_title(l)}</a>
            </div>
            <Suspense fallback=|| ()>
                {move || {
                    let (status, ward, overdue, scope) = (status.clone(), ward.clone(), overdue.clone(), scope.clone());
                    Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! {
                            <form method="get" action="/work" class="filters" aria-label=t::filters_label(l)>
                                <label for="f-status">{t::field_status(l)}</label>
                                <select id="f-status" name="status">
                                    <option value="">{t::all_open(l)}</option>
                                    {domain::grievances::Status::ALL.into_iter().map(|s| view! {
                                        <option value=s.as_str() selected=status.as_deref() == Some(s.as_str())>{status_label(l, s.as_str())}</option>
                                    }).collect_view()}
                                </select>
                                <label for="f-ward">{t::field_ward(l)}</label>
                                <select id="f-ward" name="form[ward]">
                                    <option value="">{t::all_wards(l)}</option>
                                    {v.wards.iter().map(|(n, _)| view! {
                                        <option value=n.to_string() selected=ward.as_deref() == Some(n.to_string().as_str())>{fill(t::ward_n(l), &[("number", &n.to_string())])}</option>
                                    }).collect_view()}
                                </select>
                                <label class="checkbox"><input type="checkbox" name="overdue" value="1" checked=overdue.is_some()/>{t::overdue_only(l)}</label>
                                {v.may_see_department.then(|| view! {
                                    <label class="checkbox"><input type="checkbox" name="scope" value="department" checked=scope.is_some()/>{t::whole_department(l)}</label>
                                })}
                                <button type="submit" class="button button-small">{t::apply_filters(l)}</button>
                            </form>
                            <GrievanceList rows=v.rows empty=t::queue_empty(l)/>
                        }.into_any(),
                        Err(_) if !crate::identity::signed_in() => view! { <SignInFirst next="/work"/> }.into_any(),
                        Err(_) => view! { <Refused/> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// One grievance: its facts, its timeline, and the steps the caller may take

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

/// A recipient as staff may see it: the last digits of a mobile, the first letter and domain
/// of an email, and nothing of an anonymous filer.
#[cfg(feature = "ssr")]
fn masked_recipient(channel: &str, recipient: &str, anonymous: bool, l: Locale) -> String {
    if anonymous {
        return "—".into();
    }
    match channel {
        "sms" => domain::identity::MobileNumber::parse(recipient)
            .map(|m| m.masked())
            .unwrap_or_else(|_| "—".into()),
        "email" => match recipient.split_once('@') {
            Some((name, domain)) => {
                format!("{}•••@{domain}", name.chars().next().unwrap_or('•'))
            }
            None => "—".into(),
        },
        _ => t::message_to_devices(l).to_string(),
    }
}

#[cfg(feature = "ssr")]
async fn load_for_caller(
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
    let is_filer = owner.filer_id.as_deref() == Some(actor.user_id.as_str());
    let is_staff_view = !is_filer && actor.role != Role::Citizen;
    let entries = store::timeline(&pool, id, is_staff_view, l)
        .await
        .map_err(request::unexpected)?;
    let status = Status::parse(&d.summary.status).unwrap_or(Status::Submitted);
    let days = d.resolved_at.map(|r| (now() - r).whole_days()).unwrap_or(0);
    use Action::*;
    let candidates = [
        Acknowledge,
        Comment,
        InternalNote,
        AskCitizen,
        Resolve,
        Reject,
        Transfer,
        CitizenReply,
        Reopen,
        ConfirmFixed,
        ConfirmNotFixed,
    ];
    let steps: Vec<String> = candidates
        .into_iter()
        .filter(|a| rules::may_act(&actor, &owner, *a))
        .filter(|a| rules::next_status(status, *a, days, d.reopen_count).is_ok())
        .map(|a| a.as_str().to_string())
        .collect();
    let transfer_to = if steps.iter().any(|s| s == Transfer.as_str()) {
        filing_options(l)
            .await?
            .categories
            .into_iter()
            .filter(|c| c.department != d.summary.department_name)
            .collect()
    } else {
        Vec::new()
    };
    let who = |e: &store::TimelineEntry| match e.actor_kind.as_str() {
        _ if e.kind == "me_too" => t::actor_another_citizen(l).to_string(),
        "system" => t::actor_system(l).to_string(),
        "citizen" if is_staff_view && d.anonymous => t::actor_anonymous(l).to_string(),
        "citizen" if !is_staff_view && is_filer => t::actor_you(l).to_string(),
        "citizen" if !is_staff_view => t::actor_filer(l).to_string(),
        "official" if !is_staff_view => e
            .actor_name
            .clone()
            .map(|n| fill(t::actor_official_named(l), &[("name", &n)]))
            .unwrap_or_else(|| t::actor_official(l).to_string()),
        kind if e.actor_name.is_none() => channel_label(l, kind).to_string(),
        _ => e.actor_name.clone().unwrap_or_default(),
    };
    let photo_rows = store::photo_ids(&pool, id)
        .await
        .map_err(request::unexpected)?;
    let photos_of = |seq: i32| -> Vec<String> {
        photo_rows
            .iter()
            .filter(|(_, s)| *s == seq)
            .map(|(photo, _)| format!("/grievance-photos/{photo}"))
            .collect()
    };
    let photos = photos_of(1);
    let timeline = entries
        .iter()
        .map(|e| TimelineItem {
            at: ist(e.at),
            who: who(e),
            kind: e.kind.clone(),
            status: e.status.clone(),
            note: e.note.clone(),
            public: e.public,
            assignee: e.assignee_name.clone(),
            department: e.department_name.clone(),
            level: e.level,
            deadline: e.deadline_at.map(ist),
            photos: if e.seq > 1 {
                photos_of(e.seq)
            } else {
                Vec::new()
            },
        })
        .collect();
    let messages = if is_staff_view {
        domain::notifications::about(&pool, &format!("/grievances/{}", d.summary.number))
            .await
            .map_err(request::unexpected)?
            .into_iter()
            .map(|n| MessageView {
                at: ist(n.created_at),
                to: masked_recipient(&n.channel, &n.recipient, d.anonymous, l),
                channel: n.channel,
                status: n.status,
                attempts: n.attempts,
                fallback: n.fallback_of.is_some(),
            })
            .collect()
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

/// Takes one step on a grievance. The caller must be allowed to take that step on this one.
#[server(endpoint = "grievances/step")]
pub async fn grievance_step(
    number: String,
    action: String,
    note: Option<String>,
    category: Option<String>,
    rating: Option<String>,
) -> Result<FormResult<String>, ServerFnError> {
    let Some(action) = Action::parse(&action) else {
        request::set_status(http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new("unknown step"));
    };
    let Some((id, account, owner)) = load_for_caller(&number).await? else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such grievance"));
    };
    if !rules::may_act(&account.actor(), &owner, action) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    let mut problems = Vec::new();
    let transfer_to = match (action, category.as_deref().map(str::trim)) {
        (Action::Transfer, Some(c)) if !c.is_empty() => match uuid::Uuid::parse_str(c) {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push(FieldError::new("category", "err_category_required"));
                None
            }
        },
        (Action::Transfer, _) => {
            problems.push(FieldError::new("category", "err_category_required"));
            None
        }
        _ => None,
    };
    let rating = rating.as_deref().and_then(|r| r.trim().parse::<i16>().ok());
    if !problems.is_empty() {
        return Ok(FormResult::Invalid(problems));
    }
    let step = store::Step {
        action,
        actor_id: account.id,
        note: note.unwrap_or_default(),
        transfer_to,
        rating,
        photos: Vec::new(),
    };
    match store::take_step(&request::pool(), id, step, now(), &GrievanceWording).await {
        Ok(status) => {
            leptos_axum::redirect(&format!("/grievances/{number}"));
            Ok(FormResult::Done(status.as_str().to_string()))
        }
        Err(store::StepProblem::Fields(f)) => Ok(FormResult::Invalid(f)),
        Err(store::StepProblem::NotFound) => {
            request::set_status(http::StatusCode::NOT_FOUND);
            Err(ServerFnError::new("no such grievance"))
        }
        Err(store::StepProblem::Database(e)) => Err(request::unexpected(e)),
    }
}

/// One step's form: the grievance and the step in hidden fields, an optional note, a button.
fn step_form(
    l: Locale,
    number: &str,
    action: &'static str,
    label: &'static str,
    note_label: Option<&'static str>,
    extra: AnyView,
) -> impl IntoView {
    let id = format!("step-{action}");
    let error_id = format!("step-{action}-note-error");
    let page = format!("/grievances/{number}");
    let number = number.to_string();
    view! {
        <ServerForm endpoint="grievances/step".to_string() locale=l then=FormThen::redirect(page) class="stack step-form".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="number" value=number/>
            <input type="hidden" name="action" value=action/>
            {extra}
            {note_label.map(|nl| view! {
                <label for=id.clone()>{nl}</label>
                <textarea id=id.clone() name="note" rows="2" maxlength="2000" aria-describedby=error_id.clone() aria-invalid="false"></textarea>
            })}
            <FieldMessage field="note" id=error_id.clone()/>
            <button type="submit" class="button">{label}</button>
        </ServerForm>
    }
}

/// The official resolves with a note and, if they have one, a photo of the work done.
#[server(endpoint = "grievances/resolve", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn resolve_grievance(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<FormResult<String>, ServerFnError> {
    let (fields, uploads) = read_multipart(data).await?;
    let text = |k: &str| {
        fields
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let number = text("number");
    let Some((id, account, owner)) = load_for_caller(&number).await? else {
        request::set_status(http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new("no such grievance"));
    };
    if !rules::may_act(&account.actor(), &owner, Action::Resolve) {
        request::set_status(http::StatusCode::FORBIDDEN);
        return Err(ServerFnError::new("not allowed"));
    }
    let photos = match prepare_photos(uploads).await? {
        Ok(p) => p,
        Err(problem) => return Ok(FormResult::Invalid(vec![problem])),
    };
    let step = store::Step {
        action: Action::Resolve,
        actor_id: account.id,
        note: text("note"),
        transfer_to: None,
        rating: None,
        photos,
    };
    match store::take_step(&request::pool(), id, step, now(), &GrievanceWording).await {
        Ok(status) => {
            leptos_axum::redirect(&format!("/grievances/{number}"));
            Ok(FormResult::Done(status.as_str().to_string()))
        }
        Err(store::StepProblem::Fields(f)) => Ok(FormResult::Invalid(f)),
        Err(store::StepProblem::NotFound) => {
            request::set_status(http::StatusCode::NOT_FOUND);
            Err(ServerFnError::new("no such grievance"))
        }
        Err(store::StepProblem::Database(e)) => Err(request::unexpected(e)),
    }
}

/// The resolve form: a note, and a photo of the work done if there is one.
fn resolve_form(l: Locale, number: &str) -> impl IntoView {
    let page = format!("/grievances/{number}");
    let number = number.to_string();
    view! {
        <ServerForm endpoint="grievances/resolve".to_string() locale=l then=FormThen::redirect(page) class="stack step-form".to_string()
            enctype="multipart/form-data".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="number" value=number/>
            <label for="step-resolved">{t::field_resolution_note(l)}</label>
            <textarea id="step-resolved" name="note" rows="2" maxlength="2000" aria-describedby="step-resolved-note-error" aria-invalid="false"></textarea>
            <FieldMessage field="note" id="step-resolved-note-error"/>
            <label for="step-resolved-photo">{t::field_resolution_photo(l)}</label>
            <input id="step-resolved-photo" type="file" name="photos" accept="image/jpeg,image/png,image/webp"
                aria-describedby="photos-error" aria-invalid="false"/>
            <FieldMessage field="photos"/>
            <button type="submit" class="button">{t::action_resolve(l)}</button>
        </ServerForm>
    }
}

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
    let staff_steps = g.is_staff_view.then(|| {
        let transfer = g.transfer_to.clone();
        view! {
            <section class="card stack" aria-labelledby="work-heading">
                <h2 id="work-heading">{t::work_on_it(l)}</h2>
                {has("acknowledged").then(|| step_form("acknowledged", t::action_acknowledge(l), None, ().into_any()))}
                {has("resolved").then(|| resolve_form(l, &number))}
                {has("comment").then(|| step_form("comment", t::action_comment(l), Some(t::field_public_comment(l)), ().into_any()))}
                {has("info_requested").then(|| step_form("info_requested", t::action_ask_citizen(l), Some(t::field_question(l)), ().into_any()))}
                {has("internal_note").then(|| step_form("internal_note", t::action_internal_note(l), Some(t::field_internal_note(l)), ().into_any()))}
                {has("transferred").then(|| step_form("transferred", t::action_transfer(l), Some(t::field_transfer_reason(l)),
                    view! { <CategorySelect categories=transfer.clone() name="category"/> }.into_any()))}
                {has("rejected").then(|| step_form("rejected", t::action_reject(l), Some(t::field_reject_reason(l)), ().into_any()))}
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
        <section class="page narrow stack">
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
            <dl class="facts">
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
            <section aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">{t::timeline(l)}</h2>
                <ol class="timeline" data-testid="timeline">
                    {g.timeline.into_iter().map(|e| view! {
                        <li class="timeline-entry" class:internal=!e.public data-kind=e.kind.clone()>
                            <p class="meta"><time>{e.at.clone()}</time>" · "{e.who.clone()}</p>
                            <p><strong>{step_label(l, &e.kind)}</strong>
                                {(!e.public).then(|| view! { " "<span class="badge">{t::internal(l)}</span> })}
                                {matches!(e.kind.as_str(), "filed" | "escalated" | "transferred").then(|| e.assignee.clone().map(|a| format!(" — {}", fill(t::assigned_to(l), &[("name", &a), ("department", &e.department.clone().unwrap_or_default())]))))}
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
                <section aria-labelledby="messages-heading">
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
