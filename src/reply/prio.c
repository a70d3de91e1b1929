#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "prio.h"

/* The wait part's points at and past the goal, and from 75 % of it. */
#define PRIO_PAST	40
#define PRIO_SOON	30

const char *
prio_goal_state(const struct prio_parts *p)
{
	if (p->points[PRIO_WAIT] >= PRIO_PAST)
		return "past";
	return p->points[PRIO_WAIT] >= PRIO_SOON ? "soon" : "within";
}

int
prio_score(const struct prio_parts *p)
{
	int	 i, s = 0;

	for (i = 0; i < PRIO__MAX; i++)
		s += p->points[i];
	return s;
}

void
prio_dur(int64_t s, char *out, size_t outsz)
{
	int64_t	 big, small;
	const char *bu, *su;

	if (s < 0)
		s = 0;
	if (s < 60) {
		snprintf(out, outsz, "%" PRId64 " s", s);
		return;
	}
	if (s < 3600) {
		snprintf(out, outsz, "%" PRId64 " min", s / 60);
		return;
	}
	if (s >= 86400) {
		big = s / 86400, small = s % 86400 / 3600, bu = "d", su = "h";
	} else {
		big = s / 3600, small = s % 3600 / 60, bu = "h", su = "min";
	}
	if (small == 0)
		snprintf(out, outsz, "%" PRId64 " %s", big, bu);
	else
		snprintf(out, outsz, "%" PRId64 " %s %" PRId64 " %s", big, bu,
		    small, su);
}

/* The code and text of part k; NULL when it has no reason to give. */
static const char *
prio_reason(const struct prio_parts *p, int k, char *t, size_t tsz)
{
	char	 w[32], g[32];

	switch (k) {
	case PRIO_WAIT:
		prio_dur(p->wait, w, sizeof(w));
		prio_dur(p->goal, g, sizeof(g));
		if (p->points[k] >= PRIO_PAST) {
			snprintf(t, tsz, "waiting %s, past your %s goal", w, g);
			return "past_goal";
		}
		if (p->points[k] >= PRIO_SOON) {
			snprintf(t, tsz, "waiting %s, about to miss your %s "
			    "goal", w, g);
			return "near_goal";
		}
		snprintf(t, tsz, "waiting %s of your %s goal", w, g);
		return "waiting";
	case PRIO_FOLLOW:
		snprintf(t, tsz, "%s", p->you_follow && p->they_follow ?
		    "you follow each other" : p->you_follow ?
		    "you follow them" : "they follow you");
		return p->you_follow && p->they_follow ? "mutual_follow" :
		    p->you_follow ? "you_follow" : "follows_you";
	case PRIO_REPLIES:
		snprintf(t, tsz, "they replied to your casts %lld other "
		    "time%s", p->replies, p->replies == 1 ? "" : "s");
		return "replies_to_you";
	case PRIO_RATE:
		snprintf(t, tsz, "you answered %lld of their %lld casts",
		    p->answered, p->inbound);
		return "your_reply_rate";
	case PRIO_KIND:
		snprintf(t, tsz, "a direct reply to your cast");
		return "direct_reply";
	case PRIO_BOT:
		snprintf(t, tsz, "marked as a bot, so it comes last");
		return "bot";
	}
	return NULL;
}

/* Parts with points, most first; ties keep enum order (a stable sort). */
static int
prio_order(const struct prio_parts *p, int ord[PRIO__MAX])
{
	int	 i, j, n = 0;

	for (i = 0; i < PRIO__MAX; i++) {
		if (p->points[i] == 0)
			continue;
		for (j = n; j > 0 && p->points[ord[j - 1]] < p->points[i]; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
		n++;
	}
	return n;
}

struct json_object *
prio_json(const struct prio_parts *p)
{
	struct json_object	*o, *a, *e;
	char			 t[160], why[PRIO__MAX * (160 + 2)];
	const char		*code;
	int			 ord[PRIO__MAX], i, n;
	size_t			 len = 0;

	if ((o = json_object_new_object()) == NULL ||
	    (a = json_object_new_array()) == NULL) {
		json_object_put(o);
		return NULL;
	}
	why[0] = '\0';
	n = prio_order(p, ord);
	for (i = 0; i < n; i++) {
		if ((code = prio_reason(p, ord[i], t, sizeof(t))) == NULL)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "code", json_object_new_string(code));
		json_object_object_add(e, "points",
		    json_object_new_int(p->points[ord[i]]));
		json_object_object_add(e, "text", json_object_new_string(t));
		json_object_array_add(a, e);
		len += (size_t)snprintf(why + len, sizeof(why) - len, "%s%s",
		    len ? "; " : "", t);
	}
	json_object_object_add(o, "score", json_object_new_int(prio_score(p)));
	json_object_object_add(o, "goal_state",
	    json_object_new_string(prio_goal_state(p)));
	json_object_object_add(o, "reasons", a);
	json_object_object_add(o, "why", json_object_new_string(why));
	return o;
}
