-- Sessions that end when the account changes.
--
-- A token carries the account's `session_version` from when it was issued; every
-- authenticated request compares it with the current one (a primary-key lookup). Logout bumps
-- the version; so does any change of role or of the disabled flag, made through the API or
-- straight in the database, because the trigger below does it. Deleting the row ends every
-- token of the account: a `sub` that names no account is refused.
ALTER TABLE auth.users
    ADD COLUMN disabled        boolean NOT NULL DEFAULT false,
    ADD COLUMN session_version integer NOT NULL DEFAULT 1;

CREATE FUNCTION auth.bump_session_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role IS DISTINCT FROM OLD.role OR NEW.disabled IS DISTINCT FROM OLD.disabled THEN
        NEW.session_version := OLD.session_version + 1;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER users_account_change_ends_sessions
    BEFORE UPDATE OF role, disabled ON auth.users
    FOR EACH ROW EXECUTE FUNCTION auth.bump_session_version();

-- The one query the per-request check runs. Other domains' functions call this instead of
-- reading auth.users, so a least-privilege setup can make it SECURITY DEFINER (or wrap it in
-- one) and grant EXECUTE on it alone.
CREATE FUNCTION auth.session_state(account uuid)
RETURNS TABLE (role text, disabled boolean, session_version integer)
LANGUAGE sql STABLE AS $$
    SELECT u.role, u.disabled, u.session_version FROM auth.users u WHERE u.id = account
$$;

-- Staff list accounts newest first (keyset on created_at, id).
CREATE INDEX users_created_at_id_idx ON auth.users (created_at DESC, id DESC);
