-- Settings in people's terms: muted accounts and bots are typed and shown
-- as @usernames.  A name is resolved to the newest profile that has it, so
-- profiles are looked up by username.
CREATE INDEX IF NOT EXISTS profiles_username ON profiles (username, updated_at DESC);

-- A list of fids as [{"fid", "username", "display_name"}] in its order;
-- username and display_name are null when no profile is stored.
CREATE OR REPLACE FUNCTION rc_accounts_json(fids bigint[]) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(json_agg(json_build_object('fid', u.f,
		'username', p.username, 'display_name', p.display_name)
		ORDER BY u.o), '[]')::text
	FROM unnest(fids) WITH ORDINALITY AS u(f, o)
	LEFT JOIN profiles p ON p.fid = u.f
$$;
