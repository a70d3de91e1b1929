-- Time to answer with the still-open counted (issue 19, item 2): the
-- Kaplan-Meier (product-limit) estimate over one window's inbound casts.
--
-- t[k] is a cast's answer time in seconds when ev[k], else its age (the
-- evaluation time minus the cast time): it was still open then, so it is
-- censored there.  At a time with both, events come first: the censored
-- are still at risk.  Returns {median, p90, S(grid[1]), ..., S(grid[n])}:
-- a quantile is the smallest event time with S <= 0.5 (0.1 for p90), NULL
-- when S never gets there; S at a grid point counts the events at it.
--
-- src/reply/km.c does the same float8 arithmetic in the same order, so
-- the read model and this agree to the bit; 1e-12 guards the level tests
-- against rounding in the product (three steps that make 0.5 on paper).
CREATE FUNCTION rc_km(t float8[], ev boolean[], grid float8[])
RETURNS float8[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	s	float8 := 1.0;
	risk	bigint;
	g	integer := 1;
	ng	integer := coalesce(array_length(grid, 1), 0);
	med	float8;
	p90	float8;
	surv	float8[] := '{}';
	r	record;
BEGIN
	risk := coalesce(array_length(t, 1), 0);
	FOR r IN SELECT u.t, count(*) FILTER (WHERE u.e) AS d, count(*) AS m
	    FROM unnest(t, ev) AS u(t, e) GROUP BY u.t ORDER BY u.t LOOP
		WHILE g <= ng AND grid[g] < r.t LOOP
			surv := surv || s;
			g := g + 1;
		END LOOP;
		IF r.d > 0 THEN
			s := s * (1.0::float8 - r.d::float8 / risk::float8);
			IF med IS NULL AND s <= 0.5::float8 + 1e-12::float8 THEN
				med := r.t;
			END IF;
			IF p90 IS NULL AND s <= 0.1::float8 + 1e-12::float8 THEN
				p90 := r.t;
			END IF;
		END IF;
		risk := risk - r.m;
	END LOOP;
	WHILE g <= ng LOOP
		surv := surv || s;
		g := g + 1;
	END LOOP;
	RETURN ARRAY[med, p90] || surv;
END
$$;
