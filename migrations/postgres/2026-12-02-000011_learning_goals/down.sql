ALTER TABLE members DROP COLUMN learning_goals;
