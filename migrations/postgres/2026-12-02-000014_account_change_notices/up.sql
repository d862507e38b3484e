-- Every change to an account, its municipalities or its link is announced to the
-- instances (when the transaction commits), which keep recent callers in memory and
-- must forget a changed one at once (service/callers.rs). PostgreSQL only: SQLite has
-- one server process and no such cache.
CREATE FUNCTION woonservice_account_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('woonservice_user_changed', OLD.id::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('woonservice_user_changed', NEW.id::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION woonservice_account_part_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('woonservice_user_changed', OLD.user_id::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify('woonservice_user_changed', NEW.user_id::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION woonservice_account_changed();
CREATE TRIGGER user_municipalities_changed AFTER INSERT OR UPDATE OR DELETE ON user_municipalities
    FOR EACH ROW EXECUTE FUNCTION woonservice_account_part_changed();
CREATE TRIGGER user_links_changed AFTER INSERT OR UPDATE OR DELETE ON user_links
    FOR EACH ROW EXECUTE FUNCTION woonservice_account_part_changed();
