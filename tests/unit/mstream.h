#ifndef RC_TEST_MSTREAM_H
#define RC_TEST_MSTREAM_H
#include <fcgiapp.h>

#include "core/buf.h"

/*
 * A libfcgi writer stream into memory, for resp_ and req_ functions that
 * write to an FCGX_Stream without a FastCGI connection.  Its window is a
 * few bytes, so every write of more goes through libfcgi's refill path.
 * fail: the stream is closed, as after the peer went away.
 */
struct mstream {
	FCGX_Stream	 s;
	unsigned char	 win[7];
	struct buf	 out;
};

void		 mstream_init(struct mstream *, int fail);
const char	*mstream_text(struct mstream *);	/* all bytes written */
void		 mstream_free(struct mstream *);

#endif
