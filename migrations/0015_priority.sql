-- The priority inbox (issue 19, item 3): a per-user bot mark for
-- counterparts, beside the mute list, and the score of an owed reply.
--
-- A muted author's casts leave the inbox and the figures (as before); a
-- bot-marked author's casts stay in both but rank last in the priority
-- order.  The score and each of its parts are defined in docs/engine.md
-- ("Priority of an owed reply"); these functions are the one place that
-- computes them, so the API, the dashboard, the CSV and any job (goal
-- alerts) order owed replies the same way.  All are integer arithmetic on
-- their arguments: deterministic, and inlined by the planner.
ALTER TABLE user_settings ADD COLUMN bots bigint[] NOT NULL DEFAULT '{}';

-- Waiting against the goal: 40 when the wait reached the goal, 30 from 75 %
-- of it ("about to miss"), else 30 * wait / goal rounded down (0 to 22).
CREATE FUNCTION rc_prio_wait(age bigint, goal integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN age >= goal THEN 40
	    WHEN age * 4 >= goal::bigint * 3 THEN 30
	    ELSE (30 * greatest(age, 0) / goal)::integer END
$$;

-- Follows: 25 when U and the author follow each other, 10 when only U
-- follows the author, 5 when only the author follows U.
CREATE FUNCTION rc_prio_follow(you boolean, they boolean) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN you AND they THEN 25 WHEN you THEN 10
	    WHEN they THEN 5 ELSE 0 END
$$;

-- The author's other replies to U's casts: 3 each, at most 15.
CREATE FUNCTION rc_prio_replies(n bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT least(15, 3 * greatest(n, 0))::integer
$$;

-- U's own reply rate to the author (answered of all their inbound casts,
-- this one included): 20 * rate rounded down.
CREATE FUNCTION rc_prio_rate(answered bigint, n bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN n > 0 THEN (20 * answered / n)::integer ELSE 0 END
$$;

-- The kind: 10 for a direct reply to U's cast (kind 1 or 3), 0 for a
-- mention only; a bot-marked author: -200, below any unmarked one.
CREATE FUNCTION rc_prio_kind(kind smallint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN kind & 1 <> 0 THEN 10 ELSE 0 END
$$;
CREATE FUNCTION rc_prio_bot(bot boolean) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN bot THEN -200 ELSE 0 END
$$;
