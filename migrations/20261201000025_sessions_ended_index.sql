-- The retention sweep finds ended sessions by when they ended (revoked, or else expired): index
-- that expression itself, which the plain index on expires_at could not serve.
DROP INDEX sessions_ended;
CREATE INDEX sessions_ended ON sessions ((least(expires_at, coalesce(revoked_at, expires_at))));
