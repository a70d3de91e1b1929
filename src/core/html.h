#ifndef RC_HTML_H
#define RC_HTML_H
#include <stddef.h>

struct buf;

/* Appends s with & < > " ' escaped; safe in text and quoted attributes. */
int	 html_escape(struct buf *, const char *s, size_t n);

#endif
