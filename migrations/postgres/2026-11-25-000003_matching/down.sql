DROP TABLE referrals;
DROP TABLE assignments;
DROP TABLE routing_trail;
