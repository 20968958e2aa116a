-- outbox-relay's scheduled run also deletes sign-in throttle windows older than a day: the relay
-- role may find them by age and delete them, and read nothing else of the auth schema.
GRANT USAGE ON SCHEMA auth TO shop_relay;
GRANT SELECT (window_start), DELETE ON auth.attempt_windows TO shop_relay;
