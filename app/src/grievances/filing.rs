//! Filing a grievance from the app: the form, its photos, and the one parse every channel
//! that sends a form uses (the call centre and the kiosk too).

use super::me_too;
use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, QueuedBanner, ServerForm};
use crate::i18n::{fill, t, use_locale};
use crate::layout::{LoadFailed, SignInFirst};
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use crate::uploads::{prepare_photos, read_multipart};
#[cfg(feature = "ssr")]
use domain::grievances::{self as rules, store};
#[cfg(feature = "ssr")]
use domain::problem::FieldError;

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
    /// Whose form this is (their account id), so a filing the phone kept offline is sent only
    /// as them; empty where staff file for others.
    pub filer: String,
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
    Ok(FilingOptions {
        categories,
        wards,
        filer: String::new(),
    })
}

#[server(endpoint = "grievances/filing_data")]
pub async fn filing_data() -> Result<FilingOptions, ServerFnError> {
    let account = request::require_account()?;
    let options = filing_options(request::request_locale()).await?;
    Ok(FilingOptions {
        filer: account.id.to_string(),
        ..options
    })
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
    /// The account the form was shown to (`FilingOptions::filer`).
    pub filer: String,
    // Assisted filing (call centre, kiosk): the caller's details.
    pub contact_name: String,
    pub contact_mobile: String,
    pub contact_email: String,
}

/// Checks a filing form and turns it into a filing, or names the fields to fix (the one parse
/// every channel shares, `FilingText::parse`).
#[cfg(feature = "ssr")]
pub fn parse_filing(
    form: &FilingForm,
    channel: rules::Channel,
    locale: Locale,
) -> Result<store::Filing, Vec<FieldError>> {
    let category = uuid::Uuid::parse_str(form.category.trim()).ok();
    let checked = rules::FilingText {
        category_chosen: category.is_some(),
        description: form.description.clone(),
        ward: form.ward.clone(),
        landmark: form.landmark.clone(),
        address: form.address.clone(),
        latitude: form.latitude.clone(),
        longitude: form.longitude.clone(),
        contact_name: form.contact_name.clone(),
        contact_mobile: form.contact_mobile.clone(),
        contact_email: form.contact_email.clone(),
    }
    .parse()?;
    let category = store::CategoryRef::Id(category.expect("checked by the parse"));
    let mut filing = store::Filing::new(channel, category, checked, locale);
    filing.who.anonymous = form.anonymous.is_some();
    let key = form.idempotency_key.trim();
    filing.provenance.idempotency_key =
        (!key.is_empty() && key.len() <= 100).then(|| key.to_string());
    Ok(filing)
}

#[cfg(feature = "ssr")]
pub async fn file_and_answer(filing: store::Filing) -> Result<FormResult<String>, ServerFnError> {
    request::answer(
        store::file(&request::pool(), filing, now())
            .await
            .map(|filed| filed.number),
    )
}

/// A filing form (`form[…]` fields) and its photos.
#[cfg(feature = "ssr")]
async fn read_filing(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(FilingForm, Vec<Result<Vec<u8>, &'static str>>), ServerFnError> {
    let (fields, uploads) = read_multipart(
        data,
        "photos",
        rules::photos::MAX_BYTES,
        "err_photo_too_big",
    )
    .await?;
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

/// A signed-in citizen files a grievance, with up to three photos; the answer is its number.
#[server(endpoint = "grievances/file", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn file_grievance(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require_account()?;
    let (form, uploads) = read_filing(data).await?;
    // A form shown to someone else (kept on a shared phone, sent after they signed out): it is
    // not filed as whoever is signed in now; the phone keeps it for the person who wrote it.
    if !form.filer.is_empty() && form.filer != account.id.to_string() {
        request::set_status(http::StatusCode::CONFLICT);
        return Err(ServerFnError::new(
            "this form was filled in by someone else",
        ));
    }
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
    filing.what.photos = match prepare_photos(uploads).await? {
        Ok(p) => p,
        Err(problem) => return Ok(FormResult::Invalid(vec![problem])),
    };
    // The account's own details, checked when they were registered.
    filing.who.filer_id = Some(account.id);
    filing.who.contact = rules::Contact {
        name: account.name.clone(),
        mobile: domain::identity::MobileNumber::parse(&account.mobile).ok(),
        email: account
            .email
            .as_deref()
            .and_then(|e| domain::identity::EmailAddress::parse(e).ok()),
    };
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
            <script nonce=use_nonce()>{format!(
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
            <input type="hidden" name="form[filer]" value=data.filer.clone()/>
            // A fresh key for every filing, also from a page the phone kept for offline use, and
            // again after a filing was kept for later (the form is then cleared for the next).
            <script nonce=use_nonce()>"(function(){var k=document.getElementById('g-key'),f=k.form;function fresh(){if(window.crypto&&crypto.randomUUID)k.value=crypto.randomUUID()}fresh();f.addEventListener('reset',function(){setTimeout(fresh,0)});if(matchMedia('(display-mode: standalone)').matches){document.getElementById('g-via').value='app'}})()"</script>
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
