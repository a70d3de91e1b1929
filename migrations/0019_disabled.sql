-- An account an administrator disabled (issue 20, item 5): it keeps its
-- data, settings and keys, but cannot sign in and its tokens and API keys
-- are refused until it is enabled again.  NULL: enabled.
ALTER TABLE accounts ADD COLUMN disabled_at timestamptz;
