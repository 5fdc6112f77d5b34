-- Catalogue search at UMANG scale: word similarity over every row's long text took ~75 ms for
-- 2,039 services. Instead: full-text search over a tsvector (names weigh A, the rest B), and typo
-- tolerance by looking each query word up in a small vocabulary of the catalogue's own words.
DROP INDEX IF EXISTS services_search;
ALTER TABLE services ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX services_search_vector ON services USING gin (search_vector);

-- Every word the catalogue uses, in every language, for "did you mean" matching of query words.
CREATE TABLE search_terms (term text PRIMARY KEY);
CREATE INDEX search_terms_trigrams ON search_terms USING gin (term gin_trgm_ops);

-- Fill both for the services already there (the application keeps them up to date from now on).
UPDATE services SET search_vector =
    setweight(to_tsvector('simple', search_names), 'A') || setweight(to_tsvector('simple', search_text), 'B');
INSERT INTO search_terms (term)
SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM services
ON CONFLICT DO NOTHING;
