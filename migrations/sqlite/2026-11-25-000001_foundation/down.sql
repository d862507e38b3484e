DROP TABLE demo_parts;
DROP TABLE login_failures;
DROP TABLE user_municipalities;
DROP TABLE users;
DROP TABLE municipalities;
