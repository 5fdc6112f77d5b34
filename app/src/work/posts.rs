//! `/admin/posts`: a department's posts — what each handles, where, who holds it and how much
//! open work it has — a form to create one, and a form to hand one to someone (its open work
//! goes with it). A department admin keeps their own department's; a city admin picks any.

use crate::forms::{FailureBanner, FieldMessage, FormResult, FormThen, ServerForm};
use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use domain::identity::store::Account;
#[cfg(feature = "ssr")]
use domain::ids::{AccountId, DepartmentId, PostId, ServiceId};
#[cfg(feature = "ssr")]
use domain::problem::Problem;
#[cfg(feature = "ssr")]
use domain::work::posts::PostForm;
#[cfg(feature = "ssr")]
use domain::work::store::posts as store;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostRow {
    pub id: String,
    pub title: String,
    /// "3, 5, 7–9", or empty for the whole city.
    pub wards: String,
    pub categories: Vec<String>,
    /// The services whose applications it decides: (id, name).
    pub services: Vec<(String, String)>,
    pub holder: Option<String>,
    pub open_work: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostsView {
    /// The departments the caller keeps (one, for a department admin), and the one shown.
    pub departments: Vec<crate::admin::DepartmentOption>,
    pub department: String,
    pub posts: Vec<PostRow>,
    /// The department's grievance categories: (id, name).
    pub categories: Vec<(String, String)>,
    /// The department's services that take applications: (id, name).
    pub services: Vec<(String, String)>,
    pub staff: Vec<super::reassign::StaffOption>,
}

/// The department a request names, if the caller keeps it (one the caller does not keep is
/// refused); none named: the first they keep (a department admin's own).
#[cfg(feature = "ssr")]
async fn department(
    account: &Account,
    asked: Option<&str>,
) -> Result<(Vec<crate::admin::DepartmentOption>, DepartmentId), ServerFnError> {
    let departments = crate::admin::managed_departments(&account.actor()).await?;
    let chosen = match asked.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => departments.iter().find(|d| d.id == a || d.code == a),
        None => departments.first(),
    };
    let Some(id) = chosen.and_then(|d| d.id.parse::<DepartmentId>().ok()) else {
        return Err(request::refuse(Problem::Forbidden));
    };
    Ok((departments, id))
}

#[server(endpoint = "work/posts")]
pub async fn posts(department: Option<String>) -> Result<PostsView, ServerFnError> {
    let account = request::require(crate::admin::is_admin)?;
    let (departments, id) = self::department(&account, department.as_deref()).await?;
    let pool = request::pool();
    let l = request::request_locale();
    let posts = store::list(&pool, id, l).await.map_err(request::refuse)?;
    let categories = domain::grievances::store::categories(&pool, l)
        .await
        .map_err(request::unexpected)?
        .into_iter()
        .filter(|c| c.department_id == id)
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let services = store::services_with_forms(&pool, id, l)
        .await
        .map_err(request::refuse)?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    Ok(PostsView {
        departments,
        department: id.to_string(),
        posts: posts
            .into_iter()
            .map(|p| PostRow {
                id: p.id.to_string(),
                title: p.title,
                wards: p.jurisdiction.to_text(),
                categories: p.categories,
                services: p
                    .services
                    .into_iter()
                    .map(|(id, name)| (id.to_string(), name))
                    .collect(),
                holder: p.holder_name,
                open_work: p.open_work,
            })
            .collect(),
        categories,
        services,
        staff: super::reassign::staff_options(id.uuid()).await?,
    })
}

/// Sets which services' applications a post decides (new applications go to it).
#[server(endpoint = "work/post_services")]
pub async fn post_services(
    department: String,
    post: String,
    services: Option<std::collections::BTreeMap<String, String>>,
) -> Result<FormResult<usize>, ServerFnError> {
    let account = request::require(crate::admin::is_admin)?;
    let (_, department) = self::department(&account, Some(&department)).await?;
    let saved = async {
        let post = post.parse::<PostId>().map_err(|_| Problem::NotFound)?;
        let services = services
            .unwrap_or_default()
            .into_values()
            .map(|s| s.parse::<ServiceId>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Problem::field("services", "err_post_services"))?;
        store::set_services(&request::pool(), department, post, &services, account.id).await
    };
    match saved.await {
        Err(p @ (Problem::Forbidden | Problem::NotFound)) => Err(request::refuse(p)),
        other => request::answer(other),
    }
}

/// A person chosen in a form: empty is nobody chosen yet, `vacant` is nobody on purpose.
#[cfg(feature = "ssr")]
fn holder(field: &str, value: &str) -> Result<Option<Option<AccountId>>, Problem> {
    match value.trim() {
        "" => Ok(None),
        "vacant" => Ok(Some(None)),
        v => v
            .parse::<AccountId>()
            .map(|id| Some(Some(id)))
            .map_err(|_| Problem::field(field, "err_reassign_target")),
    }
}

/// Creates a post in a department the caller keeps.
#[server(endpoint = "work/create_post")]
pub async fn create_post(
    department: String,
    title: String,
    wards: String,
    categories: Option<std::collections::BTreeMap<String, String>>,
    holder: String,
) -> Result<FormResult<String>, ServerFnError> {
    let account = request::require(crate::admin::is_admin)?;
    let (_, department) = self::department(&account, Some(&department)).await?;
    let categories: Vec<String> = categories.unwrap_or_default().into_values().collect();
    let created = async {
        let form = PostForm::parse(&title, &wards, &categories).map_err(Problem::Invalid)?;
        let holder = self::holder("holder", &holder)?.flatten();
        store::create(&request::pool(), department, &form, holder, account.id).await?;
        Ok(form.title)
    };
    request::answer(created.await)
}

/// Hands a post to one of the department's staff, or leaves it vacant; its open work follows.
#[server(endpoint = "work/appoint")]
pub async fn appoint(
    department: String,
    post: String,
    holder: String,
) -> Result<FormResult<usize>, ServerFnError> {
    let account = request::require(crate::admin::is_admin)?;
    let (_, department) = self::department(&account, Some(&department)).await?;
    let moved = async {
        let post = post
            .parse::<PostId>()
            .map_err(|_| Problem::field("post", "err_post_choose"))?;
        let Some(holder) = self::holder("holder", &holder)? else {
            return Err(Problem::field("holder", "err_reassign_target"));
        };
        let now = time::OffsetDateTime::now_utc();
        store::appoint(&request::pool(), post, department, holder, account.id, now).await
    };
    match moved.await {
        Err(p @ (Problem::Forbidden | Problem::NotFound)) => Err(request::refuse(p)),
        other => request::answer(other),
    }
}

#[component]
pub fn PostsPage() -> impl IntoView {
    let l = use_locale();
    let asked = use_query_map()
        .get_untracked()
        .get("department")
        .filter(|s| !s.is_empty());
    let data = OnceResource::new(posts(asked));
    view! {
        <Title text=t::posts_title(l)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <PostsView v=v/> }.into_any(),
                    Err(_) => crate::admin::refusal(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PostsView(v: PostsView) -> impl IntoView {
    let l = use_locale();
    let here = format!("/admin/posts?department={}", v.department);
    view! {
        <section class="page">
            <h1>{t::posts_title(l)}</h1>
            <p>{t::posts_intro(l)}</p>
            {(v.departments.len() > 1).then(|| view! {
                <form method="get" action="/admin/posts" class="filters">
                    <label for="posts-department">{t::department_label(l)}</label>
                    <select id="posts-department" name="department">
                        {v.departments.iter().map(|d| view! {
                            <option value=d.id.clone() selected=d.id == v.department>{d.code.to_uppercase()} " — " {d.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button-small">{t::apply_filters(l)}</button>
                </form>
            })}
            {if v.posts.is_empty() {
                view! { <p class="card">{t::no_posts_yet(l)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=t::posts_title(l)>
                    <table class="table" data-testid="posts">
                        <thead><tr>
                            <th>{t::post_title_field(l)}</th><th>{t::post_wards_field(l)}</th>
                            <th>{t::post_categories_field(l)}</th><th>{t::post_services_field(l)}</th>
                            <th>{t::post_holder_field(l)}</th>
                            <th>{t::post_open_work(l)}</th>
                        </tr></thead>
                        <tbody>
                            {v.posts.iter().map(|p| view! {
                                <tr>
                                    <td>{p.title.clone()}</td>
                                    <td>{if p.wards.is_empty() { t::whole_city(l).to_string() } else { p.wards.clone() }}</td>
                                    <td>{p.categories.join(", ")}</td>
                                    <td>{p.services.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")}</td>
                                    <td>{p.holder.clone().unwrap_or_else(|| t::post_vacant(l).to_string())}</td>
                                    <td>{p.open_work}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                    <h2>{t::appoint_title(l)}</h2>
                    <AppointForm v=v.clone() back=here.clone()/>
                    <h2>{t::post_services_title(l)}</h2>
                    <p class="hint">{t::post_services_intro(l)}</p>
                    {v.posts.iter().enumerate().map(|(i, p)| post_services_form(l, &v, i, p, &here)).collect_view()}
                }.into_any()
            }}
            <h2>{t::post_new(l)}</h2>
            <NewPostForm v=v.clone() back=here/>
        </section>
    }
}

fn post_services_form(
    l: crate::i18n::Locale,
    v: &PostsView,
    i: usize,
    p: &PostRow,
    back: &str,
) -> impl IntoView {
    let error = format!("post-{i}-services-error");
    let (department, post, title) = (v.department.clone(), p.id.clone(), p.title.clone());
    let boxes: Vec<AnyView> = v
        .services
        .iter()
        .enumerate()
        .map(|(j, (id, name))| {
            let checked = p.services.iter().any(|(s, _)| s == id);
            let (id, name) = (id.clone(), name.clone());
            view! {
                <label class="checkbox"><input type="checkbox" name=format!("services[{j}]") value=id checked=checked/>{name}</label>
            }
            .into_any()
        })
        .collect();
    view! {
        <details class="card">
            <summary>{title.clone()}</summary>
            <ServerForm endpoint="work/post_services".to_string() locale=l then=FormThen::redirect(back.to_string())
                class="stack".to_string()>
                <FailureBanner locale=l/>
                <input type="hidden" name="department" value=department/>
                <input type="hidden" name="post" value=post/>
                <fieldset aria-describedby=error.clone()>
                    <legend>{t::post_services_field(l)}" — "{title}</legend>
                    {boxes}
                </fieldset>
                <FieldMessage field="services" id=error/>
                <button type="submit" class="button">{t::post_services_save(l)}</button>
            </ServerForm>
        </details>
    }
}

#[component]
fn AppointForm(v: PostsView, back: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <ServerForm endpoint="work/appoint".to_string() locale=l then=FormThen::redirect(back)
            class="stack".to_string() id="appoint-form".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="department" value=v.department.clone()/>
            <label for="appoint-post">{t::appoint_post_field(l)}</label>
            <select id="appoint-post" name="post" aria-describedby="post-error">
                <option value="">{t::choose_post(l)}</option>
                {v.posts.iter().map(|p| view! { <option value=p.id.clone()>{p.title.clone()}</option> }).collect_view()}
            </select>
            <FieldMessage field="post"/>
            <label for="appoint-holder">{t::appoint_holder_field(l)}</label>
            // Nobody is chosen until the admin chooses: a stray click moves nothing.
            <select id="appoint-holder" name="holder" aria-describedby="holder-error">
                <option value="">{t::choose_holder(l)}</option>
                {v.staff.iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
                <option value="vacant">{t::leave_vacant(l)}</option>
            </select>
            <FieldMessage field="holder"/>
            <button type="submit" class="button">{t::appoint_button(l)}</button>
        </ServerForm>
    }
}

#[component]
fn NewPostForm(v: PostsView, back: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <ServerForm endpoint="work/create_post".to_string() locale=l then=FormThen::redirect(back)
            class="stack".to_string() id="new-post-form".to_string()>
            <FailureBanner locale=l/>
            <input type="hidden" name="department" value=v.department.clone()/>
            <label for="post-title">{t::post_title_field(l)}</label>
            <input id="post-title" name="title" required maxlength="120" aria-describedby="title-error" aria-invalid="false"/>
            <FieldMessage field="title"/>
            <label for="post-wards">{t::post_wards_field(l)}</label>
            <input id="post-wards" name="wards" aria-describedby="wards-hint wards-error" aria-invalid="false"/>
            <p id="wards-hint" class="hint">{t::post_wards_hint(l)}</p>
            <FieldMessage field="wards"/>
            <fieldset aria-describedby="categories-error">
                <legend>{t::post_categories_field(l)}</legend>
                {v.categories.iter().enumerate().map(|(i, (id, name))| view! {
                    <label class="checkbox"><input type="checkbox" name=format!("categories[{i}]") value=id.clone()/>{name.clone()}</label>
                }).collect_view()}
            </fieldset>
            <FieldMessage field="categories"/>
            <label for="post-holder">{t::post_holder_field(l)}</label>
            <select id="post-holder" name="holder" aria-describedby="new-holder-error">
                <option value="vacant">{t::vacant_for_now(l)}</option>
                {v.staff.iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
            </select>
            <FieldMessage field="holder" id="new-holder-error"/>
            <button type="submit" class="button">{t::post_create(l)}</button>
        </ServerForm>
    }
}
