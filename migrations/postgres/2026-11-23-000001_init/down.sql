DROP TABLE credit_ledger;
DROP TABLE sessions;
DROP TABLE api_keys;
DROP TABLE users;
