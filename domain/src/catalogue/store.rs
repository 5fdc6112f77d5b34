use super::{expand_synonyms, normalise_query, tsquery, ApplyMode, WordMatches};
use crate::db::new_id;
use crate::problem::FieldError;
use crate::Locale;
use sqlx::PgPool;
use uuid::Uuid;

/// The SQL for a translated column with English as the fallback. `t` is the translation in the
/// asked locale, `e` the English one.
macro_rules! tr {
    ($col:literal) => {
        concat!("COALESCE(NULLIF(t.", $col, ", ''), e.", $col, ")")
    };
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub service_count: i64,
}

pub async fn categories(pool: &PgPool, locale: Locale) -> Result<Vec<Topic>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT c.slug, ", tr!("name"), " AS name, '' AS description, c.icon,
            (SELECT count(*) FROM services s WHERE s.category_id = c.id AND s.published) AS service_count
         FROM categories c
         JOIN category_translations e ON e.category_id = c.id AND e.locale = 'en'
         LEFT JOIN category_translations t ON t.category_id = c.id AND t.locale = $1
         ORDER BY c.position, c.slug"
    ))
    .bind(locale.code())
    .fetch_all(pool)
    .await
}

pub async fn life_events(pool: &PgPool, locale: Locale) -> Result<Vec<Topic>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT l.slug, ",
        tr!("name"),
        " AS name, ",
        tr!("description"),
        " AS description, l.icon,
            (SELECT count(*) FROM service_life_events x JOIN services s ON s.id = x.service_id
             WHERE x.life_event_id = l.id AND s.published) AS service_count
         FROM life_events l
         JOIN life_event_translations e ON e.life_event_id = l.id AND e.locale = 'en'
         LEFT JOIN life_event_translations t ON t.life_event_id = l.id AND t.locale = $1
         ORDER BY l.position, l.slug"
    ))
    .bind(locale.code())
    .fetch_all(pool)
    .await
}

/// A service as listed in results and browse pages.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceCard {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub department_code: String,
    pub department_name: String,
    pub fee_paise: i64,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
}

const CARD_SELECT: &str = "SELECT s.slug,
        COALESCE(NULLIF(t.name, ''), e.name) AS name,
        COALESCE(NULLIF(t.summary, ''), e.summary) AS summary,
        d.code AS department_code,
        COALESCE(NULLIF(dt.name, ''), de.name) AS department_name,
        s.fee_paise, s.fee_varies, s.days_to_deliver
    FROM services s
    JOIN service_translations e ON e.service_id = s.id AND e.locale = 'en'
    LEFT JOIN service_translations t ON t.service_id = s.id AND t.locale = $1
    JOIN departments d ON d.id = s.department_id
    JOIN department_translations de ON de.department_id = d.id AND de.locale = 'en'
    LEFT JOIN department_translations dt ON dt.department_id = d.id AND dt.locale = $1";

pub async fn popular(
    pool: &PgPool,
    locale: Locale,
    limit: i64,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    // The few services are picked first, then dressed: joining every service's translations
    // before sorting took 11 ms at UMANG scale.
    sqlx::query_as(&format!(
        "WITH picked AS MATERIALIZED (
            SELECT id, row_number() OVER (ORDER BY popularity DESC, slug) AS rank
            FROM services WHERE published ORDER BY popularity DESC, slug LIMIT $2
         )
         {CARD_SELECT} JOIN picked p ON p.id = s.id ORDER BY p.rank"
    ))
    .bind(locale.code())
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn services_of_department(
    pool: &PgPool,
    code: &str,
    locale: Locale,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CARD_SELECT} WHERE s.published AND d.code = $2 ORDER BY s.popularity DESC, name"
    ))
    .bind(locale.code())
    .bind(code)
    .fetch_all(pool)
    .await
}

pub async fn services_in_category(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CARD_SELECT} JOIN categories c ON c.id = s.category_id
         WHERE s.published AND c.slug = $2 ORDER BY s.popularity DESC, name"
    ))
    .bind(locale.code())
    .bind(slug)
    .fetch_all(pool)
    .await
}

pub async fn services_for_life_event(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CARD_SELECT} JOIN service_life_events x ON x.service_id = s.id
         JOIN life_events l ON l.id = x.life_event_id
         WHERE s.published AND l.slug = $2 ORDER BY s.popularity DESC, name"
    ))
    .bind(locale.code())
    .bind(slug)
    .fetch_all(pool)
    .await
}

/// Finds services by what a person types, in any of the three languages: synonyms give the query
/// its other readings, the vocabulary gives each word its near spellings, and full-text search
/// ranks services whose names match above those whose descriptions do; popularity breaks ties.
pub async fn search(
    pool: &PgPool,
    query: &str,
    locale: Locale,
    limit: i64,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    let q = normalise_query(query);
    if q.is_empty() {
        return Ok(Vec::new());
    }
    // One round trip finds the synonyms that occur in the query, or nearly ("light bil"; short
    // phrases like "dl" must match exactly, or they would match everything), and the near
    // spellings of every word the query and those synonyms' meanings contain.
    let found: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "WITH syn AS (
            SELECT phrase, means FROM search_synonyms
            WHERE position(' ' || phrase || ' ' IN ' ' || $1 || ' ') > 0
               OR (length(phrase) >= 5 AND word_similarity(phrase, $1) >= 0.6)
         ), words AS (
            SELECT DISTINCT w FROM (
                SELECT unnest(string_to_array($1, ' ')) AS w
                UNION ALL SELECT unnest(string_to_array(means, ' ')) FROM syn
            ) x WHERE w <> ''
         )
         SELECT 'synonym', phrase, ARRAY[means] FROM syn
         UNION ALL
         SELECT 'word', w, coalesce((
             SELECT array_agg(term ORDER BY score DESC) FROM (
                 SELECT term, similarity(term, w) AS score FROM search_terms
                 WHERE term % w ORDER BY score DESC LIMIT 4) t), '{}')
         FROM words",
    )
    .bind(&q)
    .fetch_all(pool)
    .await?;
    let mut synonyms = Vec::new();
    let mut matches = Vec::new();
    for (kind, key, values) in found {
        if kind == "synonym" {
            synonyms.push((key, values.into_iter().next().unwrap_or_default()));
        } else {
            matches.push(WordMatches {
                word: key,
                terms: values,
            });
        }
    }
    let readings = expand_synonyms(&q, &synonyms);
    // Rank and cut first, then join the translations of the few that remain.
    let sql = format!(
        "WITH picked AS MATERIALIZED (
            SELECT s.id, row_number() OVER (ORDER BY ts_rank(s.search_vector, q, 1) DESC, s.popularity DESC, s.slug) AS rank
            FROM services s, to_tsquery('simple', $2) AS q
            WHERE s.published AND s.search_vector @@ q
            ORDER BY rank LIMIT $3
         )
         {CARD_SELECT} JOIN picked p ON p.id = s.id ORDER BY p.rank"
    );
    let mut rows = Vec::new();
    // Every word first; when no service has them all, any word.
    for all_words in [true, false] {
        let Some(text) = tsquery(&readings, &matches, all_words) else {
            break;
        };
        rows = sqlx::query_as(&sql)
            .bind(locale.code())
            .bind(&text)
            .bind(limit)
            .fetch_all(pool)
            .await?;
        if !rows.is_empty() {
            break;
        }
    }
    Ok(rows)
}

/// Everything the service page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceDetail {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub eligibility: String,
    pub documents: String,
    pub how_to_apply: String,
    pub department_id: Uuid,
    pub department_code: String,
    pub department_name: String,
    pub category_slug: String,
    pub category_name: String,
    pub fee_paise: i64,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
    pub apply_mode: String,
    pub handoff_url: Option<String>,
    pub published: bool,
}

impl ServiceDetail {
    pub fn apply_mode(&self) -> ApplyMode {
        ApplyMode::parse(&self.apply_mode)
    }
    pub fn document_list(&self) -> Vec<String> {
        self.documents
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }
}

pub async fn service(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Option<ServiceDetail>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT s.id, s.slug, ",
        tr!("name"),
        " AS name, ",
        tr!("summary"),
        " AS summary, ",
        tr!("eligibility"),
        " AS eligibility, ",
        tr!("documents"),
        " AS documents, ",
        tr!("how_to_apply"),
        " AS how_to_apply,
            d.id AS department_id, d.code AS department_code,
            COALESCE(NULLIF(dt.name, ''), de.name) AS department_name,
            c.slug AS category_slug, COALESCE(NULLIF(ct.name, ''), ce.name) AS category_name,
            s.fee_paise, s.fee_varies, s.days_to_deliver, s.apply_mode, s.handoff_url, s.published
         FROM services s
         JOIN service_translations e ON e.service_id = s.id AND e.locale = 'en'
         LEFT JOIN service_translations t ON t.service_id = s.id AND t.locale = $1
         JOIN departments d ON d.id = s.department_id
         JOIN department_translations de ON de.department_id = d.id AND de.locale = 'en'
         LEFT JOIN department_translations dt ON dt.department_id = d.id AND dt.locale = $1
         JOIN categories c ON c.id = s.category_id
         JOIN category_translations ce ON ce.category_id = c.id AND ce.locale = 'en'
         LEFT JOIN category_translations ct ON ct.category_id = c.id AND ct.locale = $1
         WHERE s.slug = $2"
    ))
    .bind(locale.code())
    .bind(slug)
    .fetch_optional(pool)
    .await
}

/// Rebuilds the search text and vector of one service (or all, with None) from every translation
/// of its name, summary and keywords, its department and its category, and adds its words to the
/// vocabulary.
pub async fn refresh_search_text(
    db: &mut sqlx::PgConnection,
    service_id: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE services s SET
            search_names = lower(coalesce((SELECT string_agg(t.name, ' ') FROM service_translations t WHERE t.service_id = s.id), '')),
            search_text = lower(concat_ws(' ',
                (SELECT string_agg(concat_ws(' ', t.name, t.keywords, t.summary), ' ') FROM service_translations t WHERE t.service_id = s.id),
                (SELECT string_agg(dt.name, ' ') FROM department_translations dt WHERE dt.department_id = s.department_id),
                (SELECT d.code FROM departments d WHERE d.id = s.department_id),
                (SELECT string_agg(ct.name, ' ') FROM category_translations ct WHERE ct.category_id = s.category_id))),
            updated_at = now()
         WHERE $1::uuid IS NULL OR s.id = $1",
    )
    .bind(service_id)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "UPDATE services SET search_vector =
            setweight(to_tsvector('simple', search_names), 'A') || setweight(to_tsvector('simple', search_text), 'B')
         WHERE $1::uuid IS NULL OR id = $1",
    )
    .bind(service_id)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "INSERT INTO search_terms (term)
         SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM services WHERE $1::uuid IS NULL OR id = $1
         ON CONFLICT DO NOTHING",
    )
    .bind(service_id)
    .execute(&mut *db)
    .await?;
    Ok(())
}

// ---- editing the catalogue ----

#[derive(Debug, Clone)]
pub struct ServiceText {
    pub locale: Locale,
    pub name: String,
    pub summary: String,
    pub eligibility: String,
    pub documents: String,
    pub how_to_apply: String,
    pub keywords: String,
}

#[derive(Debug, Clone)]
pub struct ServiceForm {
    pub slug: String,
    pub department_id: Uuid,
    pub category_slug: String,
    pub fee_paise: i64,
    pub fee_varies: bool,
    pub days_to_deliver: i32,
    pub apply_mode: ApplyMode,
    pub handoff_url: Option<String>,
    pub popularity: i32,
    pub published: bool,
    pub life_events: Vec<String>,
    pub texts: Vec<ServiceText>,
}

/// Checks a service form field by field; translation keys as codes.
pub fn validate_service(form: &ServiceForm) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if form.slug.len() < 2
        || form.slug.len() > 80
        || !form
            .slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problems.push(FieldError::new("slug", "err_slug_invalid"));
    }
    let english = form.texts.iter().find(|t| t.locale == Locale::En);
    if english.is_none_or(|t| t.name.trim().is_empty()) {
        problems.push(FieldError::new("name_en", "err_name_required"));
    }
    if form.fee_paise < 0 {
        problems.push(FieldError::new("fee_rupees", "err_fee_invalid"));
    }
    if form.days_to_deliver < 0 || form.days_to_deliver > 3650 {
        problems.push(FieldError::new("days", "err_days_invalid"));
    }
    if form.apply_mode == ApplyMode::Handoff
        && !form
            .handoff_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://") && u.len() > 10)
    {
        problems.push(FieldError::new("handoff_url", "err_url_invalid"));
    }
    problems
}

/// Creates the service or updates the one with the same slug. The caller has checked that the
/// actor may manage `form.department_id` (and, on update, the service's current department).
pub async fn save_service(pool: &PgPool, form: &ServiceForm) -> Result<Uuid, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let category_id: Uuid = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(&form.category_slug)
        .fetch_one(&mut *tx)
        .await?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO services (id, slug, department_id, category_id, fee_paise, fee_varies, days_to_deliver,
                               apply_mode, handoff_url, popularity, published)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (slug) DO UPDATE SET department_id = EXCLUDED.department_id,
            category_id = EXCLUDED.category_id, fee_paise = EXCLUDED.fee_paise,
            fee_varies = EXCLUDED.fee_varies, days_to_deliver = EXCLUDED.days_to_deliver,
            apply_mode = EXCLUDED.apply_mode, handoff_url = EXCLUDED.handoff_url,
            popularity = EXCLUDED.popularity, published = EXCLUDED.published
         RETURNING id",
    )
    .bind(new_id())
    .bind(&form.slug)
    .bind(form.department_id)
    .bind(category_id)
    .bind(form.fee_paise)
    .bind(form.fee_varies)
    .bind(form.days_to_deliver)
    .bind(form.apply_mode.as_str())
    .bind(&form.handoff_url)
    .bind(form.popularity)
    .bind(form.published)
    .fetch_one(&mut *tx)
    .await?;
    for t in &form.texts {
        if t.name.trim().is_empty() && t.locale != Locale::En {
            sqlx::query("DELETE FROM service_translations WHERE service_id = $1 AND locale = $2")
                .bind(id)
                .bind(t.locale.code())
                .execute(&mut *tx)
                .await?;
            continue;
        }
        sqlx::query(
            "INSERT INTO service_translations (service_id, locale, name, summary, eligibility, documents, how_to_apply, keywords)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (service_id, locale) DO UPDATE SET name = EXCLUDED.name, summary = EXCLUDED.summary,
                eligibility = EXCLUDED.eligibility, documents = EXCLUDED.documents,
                how_to_apply = EXCLUDED.how_to_apply, keywords = EXCLUDED.keywords",
        )
        .bind(id)
        .bind(t.locale.code())
        .bind(t.name.trim())
        .bind(t.summary.trim())
        .bind(t.eligibility.trim())
        .bind(t.documents.trim())
        .bind(t.how_to_apply.trim())
        .bind(t.keywords.trim())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM service_life_events WHERE service_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO service_life_events (service_id, life_event_id)
         SELECT $1, l.id FROM life_events l WHERE l.slug = ANY($2)",
    )
    .bind(id)
    .bind(&form.life_events)
    .execute(&mut *tx)
    .await?;
    refresh_search_text(&mut tx, Some(id)).await?;
    tx.commit().await?;
    Ok(id)
}

/// The raw texts of a service in every language, for the editor.
pub async fn service_texts(
    pool: &PgPool,
    service_id: Uuid,
) -> Result<Vec<(String, String, String, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT locale, name, summary, eligibility, documents, how_to_apply, keywords
         FROM service_translations WHERE service_id = $1",
    )
    .bind(service_id)
    .fetch_all(pool)
    .await
}

pub async fn service_life_event_slugs(
    pool: &PgPool,
    service_id: Uuid,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT l.slug FROM service_life_events x JOIN life_events l ON l.id = x.life_event_id WHERE x.service_id = $1",
    )
    .bind(service_id)
    .fetch_all(pool)
    .await
}

/// Services of one department (or all) for the admin list, published or not.
pub async fn admin_services(
    pool: &PgPool,
    department_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(String, String, String, bool)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.slug, e.name, d.code, s.published FROM services s
         JOIN service_translations e ON e.service_id = s.id AND e.locale = 'en'
         JOIN departments d ON d.id = s.department_id
         WHERE $1::uuid IS NULL OR s.department_id = $1
         ORDER BY d.code, e.name LIMIT $2",
    )
    .bind(department_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
