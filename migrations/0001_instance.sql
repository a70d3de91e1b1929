-- The instance: one row naming this installation, written once.
CREATE TABLE instance (
	id		smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
	created_at	timestamptz NOT NULL DEFAULT now()
);
INSERT INTO instance DEFAULT VALUES;
