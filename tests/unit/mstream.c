#include <errno.h>
#include <string.h>

#include "mstream.h"

/* libfcgi calls it when the window is full: move the window into out. */
static void
mstream_empty(FCGX_Stream *s, int doclose)
{
	struct mstream	*m = s->data;

	(void)doclose;
	if (buf_put(&m->out, (const char *)m->win,
	    (size_t)(s->wrNext - m->win)) == -1) {
		s->isClosed = 1;
		s->FCGI_errno = ENOMEM;
	}
	s->wrNext = m->win;
}

void
mstream_init(struct mstream *m, int fail)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->out, 0);
	m->s.wrNext = m->s.rdNext = m->win;
	m->s.stop = m->win + sizeof(m->win);
	m->s.isClosed = fail;
	m->s.emptyBuffProc = mstream_empty;
	m->s.data = m;
}

const char *
mstream_text(struct mstream *m)
{
	mstream_empty(&m->s, 0);
	return buf_cstr(&m->out);
}

void
mstream_free(struct mstream *m)
{
	buf_free(&m->out);
}
