-- A device's push subscription belongs to the session that made it: when that session ends
-- (sign-out, revoked from another device, the person removed from staff), the subscription goes
-- with it, so a shared phone does not keep showing the last person's notices to the next.
ALTER TABLE push_subscriptions ADD COLUMN session_id uuid REFERENCES sessions(id) ON DELETE CASCADE;
-- Subscriptions made before this knew no session: the device turns push on again once signed in.
DELETE FROM push_subscriptions;
-- A session that lapses (idle or too old) sends no more either: the queries that pick devices
-- join a live session (notifications::store::push_subscriptions_of, reach_account).

CREATE FUNCTION push_ends_with_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM push_subscriptions WHERE session_id = NEW.id;
    RETURN NEW;
END
$$;

CREATE TRIGGER sessions_end_push AFTER UPDATE OF revoked_at ON sessions
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION push_ends_with_session();
