#ifndef RC_LOG_H
#define RC_LOG_H

/*
 * Structured logs: one JSON object per line on stderr (fd 2), which
 * log_open can point at a file.  Callers never pass secrets; strings are
 * escaped by json-c, control characters included.  A line longer than
 * 8 KiB becomes a warning that holds its first 1000 bytes, still JSON.
 */
#define LOG_LINE_MAX	8192	/* bytes of a line, its newline included */

int	 log_open(const char *path);	/* "" or NULL: leave stderr alone */
int	 log_reopen(void);		/* for SIGHUP; same path again */
void	 log_set_pool(const char *);	/* the "pool" field of every line */

void	 log_request(const char *request_id, const char *method,
	    const char *path, int status, long long duration_us,
	    long long user_id);		/* user_id < 0: unknown */
/*
 * The line log_request writes, formatted into out (at most LOG_LINE_MAX
 * bytes are used) to be written later with log_line_write: a handler
 * formats it while the request's strings live and writes it once the
 * answer is sent.  Returns its length, or -1 when it does not fit
 * (log_request then cuts it).
 */
int	 log_request_line(char *out, size_t sz, const char *request_id,
	    const char *method, const char *path, int status,
	    long long duration_us, long long user_id);
void	 log_line_write(const char *line, size_t n);
void	 log_msg(const char *level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
