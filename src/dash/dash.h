#ifndef RC_DASH_H
#define RC_DASH_H
#include <stddef.h>
#include <stdint.h>

#include "core/authn.h"
#include "core/param.h"
#include "core/problem.h"
#include "core/step.h"
#include "tpl.h"

struct req;
struct srv;
struct json_object;

/*
 * Private to the dash pool.  Pages are rendered from templates/ into the
 * layout; every value is escaped by the template engine, and the only raw
 * markup is the SVG our chart code drew.
 */
#define DASH_MAXRAW	4

struct dash_page {
	const char		*name;		/* template of the page body */
	const char		*title;
	const char		*nav;		/* which menu item is current */
	struct json_object	*data;		/* the page's own values */
	struct tpl_raw		 raw[DASH_MAXRAW];
	size_t			 nraw;
};

int	 dash_init(struct srv *);
/* Frees what dash_init and the pages kept (srv_app.fini). */
void	 dash_fini(struct srv *);

/*
 * Answers the core gate's refusals (srv_app.refuse): a redirect to renew
 * the session or sign in, or an error page.  Pages read rq->who.
 */
int	 dash_refuse(struct req *, const struct authn_verdict *);
/* Renders p inside the layout as the answer, with status; frees p->data. */
int	 dash_render(struct req *, const struct authn *, struct dash_page *p,
	    int status);
/* A 303 to a local path. */
int	 dash_redirect(struct req *, const char *location);
/* The router's and the core's errors, as pages. */
int	 dash_error(struct req *, enum problem, const char *detail);
/*
 * The declared parameters of l (the query, or req_form_list), as the API
 * takes them; a field a browser sends empty counts as left out.  STEP_DONE
 * after answering 400 with a page naming the parameter.
 */
enum step dash_params(struct req *, const struct qs_list *l,
	    const struct param_spec *, size_t n, struct param_val *);
/* Adds an SVG chart the page's template shows with {{svg:name}}. */
int	 dash_svg(struct dash_page *, const char *name, struct buf *svg);

struct cfg;
/* The read model's cache of this process (RC_FACTS_MB); -1 on ENOMEM. */
int	 dash_facts_init(const struct cfg *);
void	 dash_facts_free(void);

int	 dash_login(struct req *);
int	 dash_overview(struct req *);
int	 dash_inbox(struct req *);
int	 dash_triage(struct req *);
int	 dash_people(struct req *);
/* A cached profile picture (reply/avatar.h), from this origin. */
int	 dash_avatar(struct req *);
int	 dash_settings(struct req *);
int	 dash_settings_save(struct req *);
int	 dash_settings_mute(struct req *);
int	 dash_settings_unmute(struct req *);
int	 dash_key_create(struct req *);
/*
 * The settings page (forms.c) with an error, a new API key or a new
 * webhook secret (each shown once; NULL: none), as status.
 */
int	 dash_settings_page(struct req *, const struct authn *, const char *error,
	    const char *new_key, const char *new_secret, int status, int saved);
/*
 * The alerts section (alerts.c): adds "alerts" (the settings as the form
 * shows them, new_secret when one was just made) to the page data d.
 */
int	 dash_alerts_data(struct req *, int64_t fid, const char *new_secret,
	    struct json_object *d);
/* POST /settings/alerts and /settings/alerts/secret. */
int	 dash_alerts_save(struct req *);
int	 dash_alerts_secret(struct req *);
int	 dash_key_delete(struct req *);
int	 dash_admin(struct req *);

/* What the admin page says after an action; any field may be NULL. */
struct dash_admin_msg {
	const char	*error;		/* why nothing changed */
	const char	*done;		/* what changed */
	const char	*password;	/* a new one-time password, shown once */
};
/* The admin page (admin.c) with m (NULL: none), as status. */
int	 dash_admin_page(struct req *, const struct dash_admin_msg *m,
	    int status);
/*
 * POST /admin/accounts (admin_acct.c): create, disable, enable, reset a
 * password, bind a fid, change a role; each audited.
 */
int	 dash_admin_post(struct req *);
/* The password-confirmation throttle (the login's policy); -1 on failure. */
int	 dash_admin_init(const struct srv *);

/*
 * GET /metrics: every pool's counters in the Prometheus text format.
 * Answered to loopback clients that came through nginx (the front secret)
 * without a forwarding header, or to an admin's token or key; anyone else
 * gets 403 problem+json.
 */
int	 dash_metrics(struct req *);

/* Reads RC_FRONT_SECRET_FILE once at start; -1 (told on stderr) on failure. */
int	 dash_metrics_init(const struct srv *);

/*
 * The access rule alone: 1 when rq comes from 127.0.0.1 or ::1 with no
 * X-Forwarded-For, Forwarded or X-Real-IP header and carries the FastCGI
 * parameter RC_FRONT_SECRET equal to RC_FRONT_SECRET_FILE's secret (only
 * nginx knows it), or when a (checked already; NULL: none) is an admin's;
 * else 0.
 */
int	 dash_metrics_allowed(const struct req *, const struct authn *a);

#endif
