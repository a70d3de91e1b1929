#ifndef RC_SVG_H
#define RC_SVG_H
#include <stddef.h>

struct buf;

/*
 * Charts drawn on the server as SVG for the dashboard.  Every chart has a
 * viewBox (it scales to its container), role="img", an aria-labelledby
 * <title> and <desc> (the text alternative: the data in words), axes with
 * tick labels, and no inline style (colours come from classes styled by
 * static/app.css, so dark mode and the CSP work).  Every text is escaped.
 * Each function appends to out and returns 0, or -1 (out of memory or bad
 * arguments).
 */

/* Vertical bars, one per label; values >= 0. */
int	 svg_bars(struct buf *out, const char *id, const char *title,
	    const char *const *labels, const double *values, size_t n,
	    const char *value_unit);

/*
 * A line over n points (NaN: no value, the line breaks); x labels are shown
 * for at most about 8 evenly spaced points.  y values are seconds when
 * seconds != 0 (ticks read "15 min", "2 h").
 */
int	 svg_line(struct buf *out, const char *id, const char *title,
	    const char *const *xlabels, const double *y, size_t n, int seconds);

/*
 * A step line over n points, evenly spaced (a survival curve): each value
 * holds until the next point, then drops or rises there; values finite and
 * >= 0.  The text alternative lists every point with value_unit.
 */
int	 svg_steps(struct buf *out, const char *id, const char *title,
	    const char *const *xlabels, const double *y, size_t n,
	    const char *value_unit);

/*
 * A weekday x hour grid (7 rows Monday..Sunday, 24 columns), shaded by
 * value (0..max in 5 classes: heat0..heat4); NaN cells are empty.
 */
int	 svg_heatmap(struct buf *out, const char *id, const char *title,
	    const double cells[7][24], const char *value_unit);

/*
 * The text alternative of a chart as a table in a <details> whose
 * <summary> is summary: a header row (xhead, yhead), then one row per
 * point, its label and its value (a duration when seconds != 0, else the
 * number and unit; NaN is "no value").
 */
int	 svg_table(struct buf *out, const char *summary, const char *xhead,
	    const char *yhead, const char *const *labels, const double *v,
	    size_t n, int seconds, const char *unit);

/* The heatmap's table: a row per weekday, a column per hour. */
int	 svg_heat_table(struct buf *out, const char *summary,
	    const double cells[7][24]);

/*
 * The heatmap's colour scale as a list: a swatch per class and the values
 * it stands for ("0", "1–3", "4–6", ...), classes no value can have left
 * out; label names the list.  Nothing when every cell is 0 or empty.
 */
int	 svg_heat_legend(struct buf *out, const char *label,
	    const double cells[7][24]);

#endif
