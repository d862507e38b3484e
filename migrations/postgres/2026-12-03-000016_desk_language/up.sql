-- The desk's language is kept per user (DESIGN.md, *The desk*): NULL is not chosen,
-- which reads as Dutch.
ALTER TABLE users ADD COLUMN desk_language TEXT;
