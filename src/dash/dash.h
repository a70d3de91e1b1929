#ifndef RC_DASH_H
#define RC_DASH_H

struct authn;
struct req;

/*
 * GET /metrics: every pool's counters in the Prometheus text format.
 * Answered to loopback clients that came without a forwarding header, or
 * to an admin's token or key; anyone else gets 403 problem+json.
 */
int	 dash_metrics(struct req *);

/*
 * The access rule alone: 1 when rq comes from 127.0.0.1 or ::1 with no
 * X-Forwarded-For, Forwarded or X-Real-IP header, or when a (checked
 * already; NULL: none) is an admin's; else 0.
 */
int	 dash_metrics_allowed(const struct req *, const struct authn *a);

#endif
