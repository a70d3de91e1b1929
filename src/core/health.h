#ifndef RC_HEALTH_H
#define RC_HEALTH_H

struct req;

/* GET .../healthz: 200 while the process runs. */
int	 health_live(struct req *);
/* GET .../readyz: 200 when PostgreSQL and Redis answer, else 503 naming them. */
int	 health_ready(struct req *);

#endif
