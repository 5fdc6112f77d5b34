//! Search: a service found by what a person types, in any of the three languages, and the search
//! text and vocabulary each service's names and words are kept in.

use super::cards::{ServiceCard, CARD_SELECT};
use crate::catalogue::{expand_synonyms, normalise_query, tsquery, WordMatches};
use crate::ids::ServiceId;
use crate::Locale;
use sqlx::PgPool;

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

/// Rebuilds the search text and vector of one service (or all, with None) from every translation
/// of its name, summary and keywords, its department and its category, and adds its words to the
/// vocabulary.
pub async fn refresh_search_text(
    db: &mut sqlx::PgConnection,
    service_id: Option<ServiceId>,
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
