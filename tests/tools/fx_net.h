#ifndef RC_FX_NET_H
#define RC_FX_NET_H
#include <stddef.h>

/* Writes all n bytes of p to fd (EINTR retried); 0, or -1. */
int	 fx_write(int fd, const char *p, size_t n);
/* A socket listening on 127.0.0.1:port (decimal), or -1. */
int	 fx_listen(const char *port);

/*
 * Listens on 127.0.0.1:port, prints "ready" on stdout, and hands each
 * connection to conn, then closes it; returns only on failure (3: the
 * port is taken, 1: accept failed), naming prog on stderr.
 */
int	 fx_run(const char *prog, const char *port, void (*conn)(int));

#endif
