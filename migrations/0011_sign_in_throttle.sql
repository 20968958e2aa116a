-- Throttled sign-in and registration, counted in fixed windows.
--
-- One row per (scope, key): scope says what is counted ('login-email', 'login-source',
-- 'register-source'), key whose attempts (a lower-cased email, a source address). A window
-- starts at the first attempt and ends `window_seconds` later; the next attempt after that
-- starts a new one, so windows expire by themselves. `outbox-relay`'s sweep deletes rows whose
-- window ended long ago.
CREATE TABLE auth.attempt_windows (
    scope        text        NOT NULL,
    key          text        NOT NULL,
    window_start timestamptz NOT NULL,
    attempts     integer     NOT NULL CHECK (attempts >= 0),
    PRIMARY KEY (scope, key)
);

CREATE INDEX attempt_windows_window_start_idx ON auth.attempt_windows (window_start);

-- Counts one attempt when the window has room: returns 0. Otherwise counts nothing and returns
-- the seconds until the window ends (at least 1). The upsert locks the row, so concurrent
-- attempts are counted one after the other and never more than `bound` are let through.
CREATE FUNCTION auth.take_attempt(p_scope text, p_key text, p_bound integer, p_window_seconds integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    window_length constant interval := make_interval(secs => p_window_seconds);
    wait_seconds integer;
BEGIN
    INSERT INTO auth.attempt_windows AS w (scope, key, window_start, attempts)
    VALUES (p_scope, p_key, clock_timestamp(), 1)
    ON CONFLICT (scope, key) DO UPDATE SET
        window_start = CASE WHEN w.window_start + window_length <= clock_timestamp()
                            THEN clock_timestamp() ELSE w.window_start END,
        attempts     = CASE WHEN w.window_start + window_length <= clock_timestamp()
                            THEN 1 ELSE w.attempts + 1 END
    WHERE w.attempts < p_bound OR w.window_start + window_length <= clock_timestamp();
    IF FOUND THEN
        RETURN 0;
    END IF;
    SELECT ceil(extract(epoch FROM w.window_start + window_length - clock_timestamp()))::integer
      INTO wait_seconds
      FROM auth.attempt_windows w
     WHERE w.scope = p_scope AND w.key = p_key;
    RETURN greatest(coalesce(wait_seconds, 1), 1);
END;
$$;

-- Gives back an attempt counted by take_attempt that turned out not to be a failure
-- (a sign-in with the right password).
CREATE FUNCTION auth.give_back_attempt(p_scope text, p_key text)
RETURNS void
LANGUAGE sql AS $$
    UPDATE auth.attempt_windows SET attempts = greatest(attempts - 1, 0)
     WHERE scope = p_scope AND key = p_key
$$;
