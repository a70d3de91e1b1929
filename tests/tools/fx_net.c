/*
 * What the test servers (fixture_httpd, fixture_recv) share: a listening
 * socket on 127.0.0.1 and a write that finishes.  Installed nowhere.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fx_net.h"

int
fx_write(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
fx_listen(const char *port)
{
	struct sockaddr_in	 sa;
	char			*end;
	long			 p;
	int			 fd, one = 1;

	p = strtol(port, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)p);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, 16) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
fx_run(const char *prog, const char *port, void (*conn)(int))
{
	int	 lfd, fd;

	if ((lfd = fx_listen(port)) == -1) {
		fprintf(stderr, "%s: 127.0.0.1:%s: %s\n", prog, port,
		    strerror(errno));
		return 3;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		conn(fd);
		shutdown(fd, SHUT_WR);
		close(fd);
	}
}
