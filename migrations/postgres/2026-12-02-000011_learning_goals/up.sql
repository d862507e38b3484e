-- The categories a jobseeker's coach wants them to learn (codes, as skills are kept);
-- the ranking favours work in them.
ALTER TABLE members ADD COLUMN learning_goals TEXT NOT NULL DEFAULT '';
