#ifndef RC_STEP_H
#define RC_STEP_H

/*
 * What one step of a handler did, named as nginx names NGX_OK, NGX_DONE
 * and NGX_ERROR.  A step that refuses a request writes the refusal itself
 * and says STEP_DONE; the handler then returns step_end() of it.
 */
enum step {
	STEP_ERR = -1,		/* failed, nothing written: the loop sends 500 */
	STEP_GO = 0,		/* carry on */
	STEP_DONE = 1,		/* the response is written: stop */
};

/* The step after writing a response that returned rc (0 or -1). */
static inline enum step
step_sent(int rc)
{
	return rc == 0 ? STEP_DONE : STEP_ERR;
}

/* A handler's return value once a step stopped it: 0 answered, -1 failed. */
static inline int
step_end(enum step s)
{
	return s == STEP_DONE ? 0 : -1;
}

#endif
