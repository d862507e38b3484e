ALTER TABLE users DROP COLUMN desk_language;
