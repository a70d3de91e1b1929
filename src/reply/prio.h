#ifndef RC_PRIO_H
#define RC_PRIO_H
#include <stddef.h>
#include <stdint.h>

struct json_object;

/*
 * The priority of an owed reply, as words: its parts come from SQL
 * (migrations/0015_priority.sql computes them, docs/engine.md defines
 * them); this module only explains them.  Pure functions: no I/O.
 */
enum prio_part {
	PRIO_WAIT,		/* waiting against the goal */
	PRIO_FOLLOW,		/* follows between U and the author */
	PRIO_REPLIES,		/* the author's other replies to U's casts */
	PRIO_RATE,		/* U's own reply rate to the author */
	PRIO_KIND,		/* a direct reply before a mention */
	PRIO_BOT,		/* the author is marked as a bot */
	PRIO__MAX
};

struct prio_parts {
	int64_t		 wait, goal;		/* seconds */
	int		 you_follow, they_follow, bot;	/* 0 or 1 */
	int		 kind;			/* 1 reply, 2 mention, 3 both */
	long long	 replies;		/* the author's other replies */
	long long	 answered, inbound;	/* U's answers to the author */
	int		 points[PRIO__MAX];
};

/* Where the wait stands: "past" the goal, "soon" (about to miss), "within". */
const char		*prio_goal_state(const struct prio_parts *);
/* The sum of the points: the score the priority order sorts by. */
int			 prio_score(const struct prio_parts *);
/*
 * {"score", "goal_state", "reasons": [{"code", "points", "text"}], "why"}:
 * the parts with points, most points first (ties in enum order), and "why"
 * their texts joined by "; ".  A new object, or NULL when out of memory.
 */
struct json_object	*prio_json(const struct prio_parts *);
/*
 * A wait in words as the dashboard writes one ("3 h 5 min", "2 d", "40 s";
 * a zero second unit is left out) into out.
 */
void			 prio_dur(int64_t seconds, char *out, size_t outsz);

#endif
