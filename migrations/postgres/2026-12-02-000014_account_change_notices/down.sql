DROP TRIGGER user_links_changed ON user_links;
DROP TRIGGER user_municipalities_changed ON user_municipalities;
DROP TRIGGER users_changed ON users;
DROP FUNCTION woonservice_account_part_changed();
DROP FUNCTION woonservice_account_changed();
