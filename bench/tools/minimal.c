/*
 * The benchmark's reference responder: a single-threaded libfcgi accept
 * loop that answers every request with the bytes of one file (the path in
 * BENCH_BODY), read once at start.  It does nothing else, so the
 * difference to a replycast handler is the cost of replycast's own work.
 * BENCH_CLOSE=direct: it closes each connection as replycast's handlers
 * do (src/core/srv.c, srv_close_at_once) instead of libfcgi's way, which
 * waits for nginx to close first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

int
main(void)
{
	static char	 body[1 << 20];
	FCGX_Request	 r;
	const char	*path = getenv("BENCH_BODY"), *cl = getenv("BENCH_CLOSE");
	char		 head[128];
	size_t		 n;
	FILE		*f;
	int		 hn;

	if (path == NULL || (f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "minimal: set BENCH_BODY to a readable file\n");
		return 1;
	}
	n = fread(body, 1, sizeof(body), f);
	fclose(f);
	hn = snprintf(head, sizeof(head), "Status: 200 OK\r\nContent-Type: "
	    "application/json\r\nContent-Length: %lu\r\n\r\n", (unsigned long)n);
	if (hn < 0 || (size_t)hn >= sizeof(head) || FCGX_Init() != 0 ||
	    FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(head, hn, r.out);
		FCGX_PutStr(body, (int)n, r.out);
		if (cl != NULL && strcmp(cl, "direct") == 0 &&
		    FCGX_GetChar(r.in) == EOF && FCGX_HasSeenEOF(r.in) == EOF)
			FCGX_Detach(&r);
		FCGX_Finish_r(&r);
	}
	return 0;
}
