#ifndef RC_DUMP_H
#define RC_DUMP_H

struct ing_sink;

/* A sink that writes each record as one line of our JSON Lines shape to stdout. */
extern const struct ing_sink dump_sink;

#endif
