#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/html.h"
#include "svg.h"

/*
 * Every chart shares one viewBox and one plot area; the page scales it.
 * Numbers are written by svg_fmt with integer conversions only, so the
 * output never depends on LC_NUMERIC and never holds "nan" or "inf":
 * non-finite values are refused before anything is drawn.
 */
#define SVG_W		640
#define SVG_H		256
#define SVG_PL		96.0	/* plot left: room for "1.25 min" at 24 units */
#define SVG_PR		620.0	/* plot right */
#define SVG_PT		16.0	/* plot top */
#define SVG_PB		200.0	/* plot bottom (the x axis) */
#define SVG_XLABEL_Y	228.0
#define SVG_IDMAX	32
#define SVG_NMAX	10000	/* points or bars per chart */
#define SVG_VMAX	1e15	/* larger magnitudes are refused */
#define SVG_TICKS	5	/* at most about this many intervals */
#define SVG_BAR_LABELS	12
#define SVG_LINE_LABELS	8

/* Heatmap geometry: 24 columns of hours, 7 rows of weekdays. */
#define SVG_HM_L	60.0
#define SVG_HM_T	12.0
#define SVG_HM_CW	24.0
#define SVG_HM_CH	26.0

struct svg_scale {
	double	 lo;		/* first tick */
	double	 hi;		/* last tick */
	double	 step;
	int	 nticks;
	int	 dec;		/* decimals in tick labels */
	int	 seconds;	/* tick labels as durations */
};

static const char *const svg_days[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};

/* Second steps that read well on an axis ("15 min", "2 h", "1 d"). */
static const double svg_sec_steps[] = {
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
	14400, 21600, 43200, 86400, 172800, 604800
};

/* The id names the title and desc elements: [A-Za-z0-9_-]{1,32}. */
static int
svg_id_ok(const char *id)
{
	size_t	 i;

	if (id == NULL)
		return -1;
	for (i = 0; id[i] != '\0'; i++) {
		if (i >= SVG_IDMAX)
			return -1;
		if (!(id[i] >= 'a' && id[i] <= 'z') &&
		    !(id[i] >= 'A' && id[i] <= 'Z') &&
		    !(id[i] >= '0' && id[i] <= '9') &&
		    id[i] != '_' && id[i] != '-')
			return -1;
	}
	return i == 0 ? -1 : 0;
}

/* Drops whatever a failed call appended. */
static void
svg_undo(struct buf *out, size_t start)
{
	out->len = start;
	if (out->ptr != NULL)
		out->ptr[start] = '\0';
}

/*
 * Writes v rounded to dec (0..6) decimals into dst without %f, so the
 * decimal point is always '.'; -1 for a non-finite or too large v, or
 * truncation.
 */
static int
svg_fmt(char *dst, size_t sz, double v, int dec)
{
	long long	 scale = 1, r;
	double		 a;
	int		 i, w;

	a = v < 0 ? -v : v;
	if (!isfinite(v) || a >= SVG_VMAX || dec < 0 || dec > 6)
		return -1;
	for (i = 0; i < dec; i++)
		scale *= 10;
	r = (long long)(a * (double)scale + 0.5);
	if (dec == 0)
		w = snprintf(dst, sz, "%s%lld", v < 0 && r != 0 ? "-" : "", r);
	else
		w = snprintf(dst, sz, "%s%lld.%0*lld",
		    v < 0 && r != 0 ? "-" : "", r / scale, dec, r % scale);
	if (w < 0 || (size_t)w >= sz)
		return -1;
	return 0;
}

/* A value as people read it: whole numbers bare, else up to 2 decimals. */
static int
svg_fmt_val(char *dst, size_t sz, double v)
{
	size_t	 n;

	if (svg_fmt(dst, sz, v, 2) == -1)
		return -1;
	if (strchr(dst, '.') == NULL)
		return 0;
	n = strlen(dst);
	while (n > 0 && dst[n - 1] == '0')
		dst[--n] = '\0';
	if (n > 0 && dst[n - 1] == '.')
		dst[--n] = '\0';
	if (strcmp(dst, "-0") == 0)
		dst[0] = '0', dst[1] = '\0';
	return 0;
}

/* Seconds as "45 s", "12 min", "1 h 30 min", "2 d 4 h"; 0 is "0". */
static int
svg_fmt_dur(char *dst, size_t sz, double v)
{
	long long	 s;
	const char	*sign = "";
	int		 w;

	if (!isfinite(v) || v >= SVG_VMAX || v <= -SVG_VMAX)
		return -1;
	if (v < 0) {
		sign = "-";
		v = -v;
	}
	s = (long long)(v + 0.5);
	if (s == 0)
		w = snprintf(dst, sz, "0");
	else if (s < 60)
		w = snprintf(dst, sz, "%s%lld s", sign, s);
	else if (s < 3600)
		w = snprintf(dst, sz, s % 60 ? "%s%lld min %lld s" :
		    "%s%lld min", sign, s / 60, s % 60);
	else if (s < 86400)
		w = snprintf(dst, sz, s % 3600 / 60 ? "%s%lld h %lld min" :
		    "%s%lld h", sign, s / 3600, s % 3600 / 60);
	else
		w = snprintf(dst, sz, s % 86400 / 3600 ? "%s%lld d %lld h" :
		    "%s%lld d", sign, s / 86400, s % 86400 / 3600);
	if (w < 0 || (size_t)w >= sz)
		return -1;
	return 0;
}

/*
 * A duration tick in one unit, so it stays short at the font sizes of a
 * phone: "45 s", "1.5 min", "1.25 h", "2 d".
 */
static int
svg_fmt_tick(char *dst, size_t sz, double v)
{
	static const double	 unit[] = { 86400, 3600, 60 };
	static const char *const name[] = { "d", "h", "min" };
	char			 n[32];
	size_t			 i;
	int			 w;

	if (!isfinite(v) || v >= SVG_VMAX || v <= -SVG_VMAX)
		return -1;
	for (i = 0; i < 3; i++)
		if (fabs(v) >= unit[i])
			break;
	if (i == 3 && fabs(v) < 0.5)
		return snprintf(dst, sz, "0") >= (int)sz ? -1 : 0;
	if (svg_fmt_val(n, sizeof(n), i < 3 ? v / unit[i] : v) == -1)
		return -1;
	w = snprintf(dst, sz, "%s %s", n, i < 3 ? name[i] : "s");
	return w < 0 || (size_t)w >= sz ? -1 : 0;
}

/* Appends ` name="v"` with one decimal. */
static int
svg_attr(struct buf *out, const char *name, double v)
{
	char	 s[32];

	if (svg_fmt(s, sizeof(s), v, 1) == -1)
		return -1;
	return buf_printf(out, " %s=\"%s\"", name, s);
}

static int
svg_text(struct buf *out, const char *s)
{
	return html_escape(out, s, strlen(s));
}

/* The smallest of 1, 2, 5 x 10^k that is at least raw. */
static double
svg_step_nice(double raw)
{
	static const double	 m[] = { 1, 2, 5, 10 };
	double			 mag = 1;
	size_t			 i;

	if (raw < 1e-6)
		raw = 1e-6;
	while (mag * 10 <= raw)
		mag *= 10;
	while (mag > raw)
		mag /= 10;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i] * mag >= raw * (1 - 1e-9))
			return m[i] * mag;
	return 10 * mag;
}

static double
svg_step_sec(double raw)
{
	size_t	 i;

	for (i = 0; i < sizeof(svg_sec_steps) / sizeof(svg_sec_steps[0]); i++)
		if (svg_sec_steps[i] >= raw)
			return svg_sec_steps[i];
	return svg_step_nice(raw / 86400) * 86400;
}

static double
svg_pow10(int k)
{
	double	 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/*
 * Ticks from a multiple of step at or below min(0, vmin) to one at or
 * above max(0, vmax); the caller made sure the range is not empty.
 */
static void
svg_scale_init(struct svg_scale *sc, double vmin, double vmax, int seconds)
{
	int	 klo = 0, khi = 0;

	if (vmin > 0)
		vmin = 0;
	if (vmax < 0)
		vmax = 0;
	sc->seconds = seconds;
	sc->step = seconds ? svg_step_sec((vmax - vmin) / SVG_TICKS) :
	    svg_step_nice((vmax - vmin) / SVG_TICKS);
	while (khi < 100 && khi * sc->step < vmax - sc->step * 1e-9)
		khi++;
	while (klo < 100 && -klo * sc->step > vmin + sc->step * 1e-9)
		klo++;
	if (klo + khi == 0)	/* values far below the smallest step */
		khi = 1;
	sc->lo = -klo * sc->step;
	sc->hi = khi * sc->step;
	sc->nticks = klo + khi + 1;
	sc->dec = 0;
	while (!seconds && sc->dec < 6 &&
	    sc->step * svg_pow10(sc->dec) < 1 - 1e-9)
		sc->dec++;
}

/* Whether every value is a whole number (counts: no "0.5" tick). */
static int
svg_whole(const double *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (v[i] != floor(v[i]))
			return 0;
	return 1;
}

/* Ticks of 1 from 0 to the first whole number at or above vmax (> 0). */
static void
svg_scale_whole(struct svg_scale *sc, double vmax)
{
	sc->step = 1;
	sc->lo = 0;
	sc->hi = ceil(vmax);
	sc->nticks = (int)sc->hi + 1;
	sc->dec = 0;
}

static double
svg_y(const struct svg_scale *sc, double v)
{
	return SVG_PB - (v - sc->lo) / (sc->hi - sc->lo) * (SVG_PB - SVG_PT);
}

/* Appends "value unit" (or the duration); esc for markup, else plain. */
static int
svg_put_val(struct buf *b, double v, const char *unit, int seconds, int esc)
{
	char	 s[64];

	if ((seconds ? svg_fmt_dur(s, sizeof(s), v) :
	    svg_fmt_val(s, sizeof(s), v)) == -1)
		return -1;
	if (buf_puts(b, s) == -1)
		return -1;
	if (unit == NULL || *unit == '\0')
		return 0;
	if (buf_putc(b, ' ') == -1)
		return -1;
	return esc ? svg_text(b, unit) : buf_puts(b, unit);
}

/* <svg> with its title and desc; desc is plain text, escaped here. */
static int
svg_head(struct buf *out, const char *id, const char *kind,
    const char *title, const struct buf *desc)
{
	if (buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"%s-title %s-desc\" class=\"chart chart-%s\">\n"
	    "<title id=\"%s-title\">", SVG_W, SVG_H, id, id, kind, id) == -1 ||
	    svg_text(out, title) == -1 ||
	    buf_printf(out, "</title>\n<desc id=\"%s-desc\">", id) == -1 ||
	    html_escape(out, desc->len ? desc->ptr : "", desc->len) == -1 ||
	    buf_puts(out, "</desc>\n") == -1)
		return -1;
	return 0;
}

/* A text element: class, position, anchor, escaped content. */
static int
svg_label(struct buf *out, const char *cls, double x, double y,
    const char *anchor, const char *s)
{
	if (buf_printf(out, "<text class=\"%s\"", cls) == -1 ||
	    svg_attr(out, "x", x) == -1 || svg_attr(out, "y", y) == -1 ||
	    buf_printf(out, " text-anchor=\"%s\">", anchor) == -1 ||
	    svg_text(out, s) == -1 || buf_puts(out, "</text>\n") == -1)
		return -1;
	return 0;
}

static int
svg_hline(struct buf *out, const char *cls, double x1, double x2, double y)
{
	if (buf_printf(out, "<line class=\"%s\"", cls) == -1 ||
	    svg_attr(out, "x1", x1) == -1 || svg_attr(out, "y1", y) == -1 ||
	    svg_attr(out, "x2", x2) == -1 || svg_attr(out, "y2", y) == -1 ||
	    buf_puts(out, "/>\n") == -1)
		return -1;
	return 0;
}

static int
svg_nodata(struct buf *out)
{
	return svg_label(out, "label nodata", (SVG_PL + SVG_PR) / 2,
	    (SVG_PT + SVG_PB) / 2, "middle", "no data");
}

/* Gridlines and tick labels (none when sc is NULL), then both axes. */
static int
svg_frame(struct buf *out, const struct svg_scale *sc)
{
	char	 s[64];
	double	 t, y;
	int	 i, rc;

	for (i = 0; sc != NULL && i < sc->nticks; i++) {
		t = sc->lo + i * sc->step;
		y = svg_y(sc, t);
		rc = sc->seconds ? svg_fmt_tick(s, sizeof(s), t) :
		    svg_fmt(s, sizeof(s), t, sc->dec);
		if (rc == -1 ||
		    svg_hline(out, "gridline", SVG_PL, SVG_PR, y) == -1 ||
		    svg_label(out, "tick", SVG_PL - 6, y + 4, "end", s) == -1)
			return -1;
	}
	y = sc != NULL ? svg_y(sc, 0) : SVG_PB;
	if (buf_puts(out, "<line class=\"axis\"") == -1 ||
	    svg_attr(out, "x1", SVG_PL) == -1 ||
	    svg_attr(out, "y1", SVG_PT) == -1 ||
	    svg_attr(out, "x2", SVG_PL) == -1 ||
	    svg_attr(out, "y2", SVG_PB) == -1 || buf_puts(out, "/>\n") == -1 ||
	    svg_hline(out, "axis", SVG_PL, SVG_PR, y) == -1)
		return -1;
	return 0;
}

static const char *
svg_lab(const char *const *labels, size_t i)
{
	if (labels == NULL || labels[i] == NULL)
		return "";
	return labels[i];
}

/* Values must be finite, within +-SVG_VMAX, and >= 0 when nonneg. */
static int
svg_check(double v, int nonneg)
{
	if (!isfinite(v) || v >= SVG_VMAX || v <= -SVG_VMAX ||
	    (nonneg && v < 0))
		return -1;
	return 0;
}

/* "<5m: 58; 5-15m: 118." as plain text. */
static int
bars_desc(struct buf *d, const char *const *labels, const double *v,
    size_t n, const char *unit, double max)
{
	size_t	 i;

	if (n == 0)
		return buf_puts(d, "No data.");
	if (max == 0)
		return buf_printf(d, "No data: all %zu values are 0.", n);
	for (i = 0; i < n; i++)
		if (buf_printf(d, "%s%s: ", i ? "; " : "",
		    svg_lab(labels, i)) == -1 ||
		    svg_put_val(d, v[i], unit, 0, 0) == -1)
			return -1;
	return buf_putc(d, '.');
}

static int
bars_draw(struct buf *out, const char *const *labels, const double *v,
    size_t n, const char *unit, const struct svg_scale *sc)
{
	double	 slot = (SVG_PR - SVG_PL) / (double)n, y0 = svg_y(sc, 0), y;
	size_t	 i, every = (n + SVG_BAR_LABELS - 1) / SVG_BAR_LABELS;

	for (i = 0; i < n; i++) {
		y = svg_y(sc, v[i]);
		if (buf_puts(out, "<rect class=\"bar\"") == -1 ||
		    svg_attr(out, "x", SVG_PL + slot * ((double)i + 0.15)) ==
		    -1 || svg_attr(out, "y", y) == -1 ||
		    svg_attr(out, "width", slot * 0.7) == -1 ||
		    svg_attr(out, "height", y0 - y) == -1 ||
		    buf_puts(out, "><title>") == -1 ||
		    svg_text(out, svg_lab(labels, i)) == -1 ||
		    buf_puts(out, ": ") == -1 ||
		    svg_put_val(out, v[i], unit, 0, 1) == -1 ||
		    buf_puts(out, "</title></rect>\n") == -1)
			return -1;
	}
	/* "alt": every other label, which a narrow screen hides. */
	for (i = 0; i < n; i += every)
		if (svg_label(out, (i / every) % 2 ? "label alt" : "label",
		    SVG_PL + slot * ((double)i + 0.5), SVG_XLABEL_Y, "middle",
		    svg_lab(labels, i)) == -1)
			return -1;
	return 0;
}

int
svg_bars(struct buf *out, const char *id, const char *title,
    const char *const *labels, const double *values, size_t n,
    const char *value_unit)
{
	struct buf		 desc;
	struct svg_scale	 sc;
	double			 max = 0;
	size_t			 i, start;
	int			 rc = -1;

	if (out == NULL || svg_id_ok(id) == -1 || title == NULL ||
	    n > SVG_NMAX || (n > 0 && values == NULL))
		return -1;
	for (i = 0; i < n; i++) {
		if (svg_check(values[i], 1) == -1)
			return -1;
		if (values[i] > max)
			max = values[i];
	}
	start = out->len;
	buf_init(&desc, 0);
	if (max > 0)
		svg_scale_init(&sc, 0, max, 0);
	if (max > 0 && sc.step < 1 && svg_whole(values, n))
		svg_scale_whole(&sc, max);
	if (bars_desc(&desc, labels, values, n, value_unit, max) == -1 ||
	    svg_head(out, id, "bars", title, &desc) == -1 ||
	    svg_frame(out, max > 0 ? &sc : NULL) == -1)
		goto out;
	if ((max > 0 ? bars_draw(out, labels, values, n, value_unit, &sc) :
	    svg_nodata(out)) == -1 || buf_puts(out, "</svg>\n") == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		svg_undo(out, start);
	buf_free(&desc);
	return rc;
}

struct line_stats {
	size_t	 count;		/* points with a value */
	size_t	 first, last, imin, imax;
	double	 min, max;
};

static int
line_stats(struct line_stats *st, const double *y, size_t n)
{
	size_t	 i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; i++) {
		if (isnan(y[i]))
			continue;
		if (svg_check(y[i], 0) == -1)
			return -1;
		if (st->count++ == 0) {
			st->first = st->imin = st->imax = i;
			st->min = st->max = y[i];
		}
		st->last = i;
		if (y[i] < st->min)
			st->min = y[i], st->imin = i;
		if (y[i] > st->max)
			st->max = y[i], st->imax = i;
	}
	return 0;
}

/* "name: value (label)" in the text alternative. */
static int
line_point(struct buf *d, const char *name, const char *const *xl,
    const double *y, size_t i, int seconds)
{
	const char	*l = svg_lab(xl, i);

	if (buf_printf(d, "%s: ", name) == -1 ||
	    svg_put_val(d, y[i], NULL, seconds, 0) == -1)
		return -1;
	return *l != '\0' ? buf_printf(d, " (%s)", l) :
	    buf_printf(d, " (point %zu)", i + 1);
}

static int
line_desc(struct buf *d, const char *const *xl, const double *y, size_t n,
    int seconds, const struct line_stats *st)
{
	if (st->count == 0)
		return buf_puts(d, "No data.");
	if (st->min == 0 && st->max == 0)
		return buf_printf(d, "No data: all %zu values are 0.",
		    st->count);
	if (buf_printf(d, "%zu points", n) == -1 ||
	    (xl != NULL && buf_printf(d, " from %s to %s", svg_lab(xl, 0),
	    svg_lab(xl, n - 1)) == -1) ||
	    (st->count < n && buf_printf(d, ", %zu without a value",
	    n - st->count) == -1) ||
	    buf_puts(d, ". ") == -1 ||
	    line_point(d, "First", xl, y, st->first, seconds) == -1 ||
	    line_point(d, "; last", xl, y, st->last, seconds) == -1 ||
	    line_point(d, "; min", xl, y, st->imin, seconds) == -1 ||
	    line_point(d, "; max", xl, y, st->imax, seconds) == -1)
		return -1;
	return buf_putc(d, '.');
}

static double
line_x(size_t i, size_t n)
{
	if (n == 1)
		return (SVG_PL + SVG_PR) / 2;
	return SVG_PL + (SVG_PR - SVG_PL) * (double)i / (double)(n - 1);
}

/* One path; a NaN lifts the pen, so the next point starts with M. */
static int
line_path(struct buf *out, const double *y, size_t n,
    const struct svg_scale *sc)
{
	char	 xs[32], ys[32];
	size_t	 i;
	int	 pen = 0, sep = 0;

	if (buf_puts(out, "<path class=\"line\" d=\"") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (isnan(y[i])) {
			pen = 0;
			continue;
		}
		if (svg_fmt(xs, sizeof(xs), line_x(i, n), 1) == -1 ||
		    svg_fmt(ys, sizeof(ys), svg_y(sc, y[i]), 1) == -1 ||
		    buf_printf(out, "%s%c%s %s", sep ? " " : "",
		    pen ? 'L' : 'M', xs, ys) == -1)
			return -1;
		pen = sep = 1;
	}
	return buf_puts(out, "\"/>\n");
}

static int
line_dots(struct buf *out, const char *const *xl, const double *y,
    size_t n, int seconds, const struct svg_scale *sc)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (isnan(y[i]))
			continue;
		if (buf_puts(out, "<circle class=\"dot\"") == -1 ||
		    svg_attr(out, "cx", line_x(i, n)) == -1 ||
		    svg_attr(out, "cy", svg_y(sc, y[i])) == -1 ||
		    buf_puts(out, " r=\"3.0\"><title>") == -1 ||
		    svg_text(out, svg_lab(xl, i)) == -1 ||
		    buf_puts(out, *svg_lab(xl, i) != '\0' ? ": " : "") == -1 ||
		    svg_put_val(out, y[i], NULL, seconds, 1) == -1 ||
		    buf_puts(out, "</title></circle>\n") == -1)
			return -1;
	}
	return 0;
}

/* At most SVG_LINE_LABELS labels, evenly spaced, first and last included. */
static int
line_xlabels(struct buf *out, const char *const *xl, size_t n)
{
	size_t		 j, i, m = n < SVG_LINE_LABELS ? n : SVG_LINE_LABELS;
	const char	*anchor;

	for (j = 0; xl != NULL && j < m; j++) {
		i = m == 1 ? 0 : (j * (n - 1) + (m - 1) / 2) / (m - 1);
		anchor = m == 1 ? "middle" : j == 0 ? "start" :
		    j == m - 1 ? "end" : "middle";
		/* "alt": every other label, which a narrow screen hides. */
		if (svg_label(out, j % 2 ? "label alt" : "label", line_x(i, n),
		    SVG_XLABEL_Y, anchor, svg_lab(xl, i)) == -1)
			return -1;
	}
	return 0;
}

/* "0 min: 100 %; 5 min: 80 %." as plain text: every point. */
static int
steps_desc(struct buf *d, const char *const *xl, const double *y, size_t n,
    const char *unit)
{
	size_t	 i;

	if (n == 0)
		return buf_puts(d, "No data.");
	for (i = 0; i < n; i++)
		if (buf_printf(d, "%s%s: ", i ? "; " : "", svg_lab(xl, i)) ==
		    -1 || svg_put_val(d, y[i], unit, 0, 0) == -1)
			return -1;
	return buf_putc(d, '.');
}

/* Level from one point to the next, then the drop: "M x y H x V y". */
static int
steps_path(struct buf *out, const double *y, size_t n,
    const struct svg_scale *sc)
{
	char	 xs[32], ys[32];
	size_t	 i;

	if (buf_puts(out, "<path class=\"line step\" d=\"") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (svg_fmt(xs, sizeof(xs), line_x(i, n), 1) == -1 ||
		    svg_fmt(ys, sizeof(ys), svg_y(sc, y[i]), 1) == -1)
			return -1;
		if ((i == 0 ? buf_printf(out, "M%s %s", xs, ys) :
		    buf_printf(out, " H%s V%s", xs, ys)) == -1)
			return -1;
	}
	return buf_puts(out, "\"/>\n");
}

/*
 * A line (step_unit NULL) or a step line (values >= 0, every point in the
 * text alternative with step_unit): one frame, one path, dots, labels.
 */
static int
line_chart(struct buf *out, const char *id, const char *title,
    const char *const *xl, const double *y, size_t n, int seconds,
    const char *step_unit)
{
	struct buf		 desc;
	struct line_stats	 st;
	struct svg_scale	 sc;
	size_t			 i, start;
	int			 rc = -1, empty;

	if (out == NULL || svg_id_ok(id) == -1 || title == NULL ||
	    n > SVG_NMAX || (n > 0 && y == NULL))
		return -1;
	for (i = 0; step_unit != NULL && i < n; i++)
		if (svg_check(y[i], 1) == -1)
			return -1;
	if (line_stats(&st, y, n) == -1)
		return -1;
	empty = st.count == 0 || (st.min == 0 && st.max == 0);
	start = out->len;
	buf_init(&desc, 0);
	if (!empty)
		svg_scale_init(&sc, st.min, st.max, seconds);
	if ((step_unit != NULL ? steps_desc(&desc, xl, y, n, step_unit) :
	    line_desc(&desc, xl, y, n, seconds, &st)) == -1 ||
	    svg_head(out, id, step_unit != NULL ? "steps" : "line", title,
	    &desc) == -1 || svg_frame(out, empty ? NULL : &sc) == -1)
		goto out;
	if (empty ? svg_nodata(out) == -1 :
	    (step_unit != NULL ? steps_path(out, y, n, &sc) :
	    line_path(out, y, n, &sc)) == -1 ||
	    line_dots(out, xl, y, n, seconds, &sc) == -1 ||
	    line_xlabels(out, xl, n) == -1)
		goto out;
	if (buf_puts(out, "</svg>\n") == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		svg_undo(out, start);
	buf_free(&desc);
	return rc;
}

int
svg_line(struct buf *out, const char *id, const char *title,
    const char *const *xlabels, const double *y, size_t n, int seconds)
{
	return line_chart(out, id, title, xlabels, y, n, seconds, NULL);
}

int
svg_steps(struct buf *out, const char *id, const char *title,
    const char *const *xlabels, const double *y, size_t n,
    const char *value_unit)
{
	return line_chart(out, id, title, xlabels, y, n, 0,
	    value_unit != NULL ? value_unit : "");
}

struct hm_stats {
	size_t	 count;		/* cells with a value */
	int	 bd, bh;	/* the busiest cell */
	double	 max, total, day[7];
};

static int
hm_stats(struct hm_stats *st, const double cells[7][24])
{
	int	 d, h;
	double	 v;

	memset(st, 0, sizeof(*st));
	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++) {
			v = cells[d][h];
			if (isnan(v))
				continue;
			if (svg_check(v, 1) == -1)
				return -1;
			st->count++;
			st->day[d] += v;
			st->total += v;
			if (v > st->max)
				st->max = v, st->bd = d, st->bh = h;
		}
	return 0;
}

static int
hm_desc(struct buf *d, const struct hm_stats *st, const char *unit)
{
	int	 i;

	if (st->count == 0)
		return buf_puts(d, "No data.");
	if (st->max == 0)
		return buf_printf(d, "No data: all %zu values are 0.",
		    st->count);
	if (buf_puts(d, "Total: ") == -1 ||
	    svg_put_val(d, st->total, unit, 0, 0) == -1 ||
	    buf_puts(d, ". By day: ") == -1)
		return -1;
	for (i = 0; i < 7; i++)
		if (buf_printf(d, "%s%s ", i ? ", " : "", svg_days[i]) == -1 ||
		    svg_put_val(d, st->day[i], NULL, 0, 0) == -1)
			return -1;
	if (buf_printf(d, ". Busiest: %s %02d:00 (", svg_days[st->bd],
	    st->bh) == -1 || svg_put_val(d, st->max, unit, 0, 0) == -1)
		return -1;
	return buf_puts(d, ").");
}

/* 0 is heat0; (0, max] is cut into four: heat1..heat4. */
static int
hm_class(double v, double max)
{
	double	 f = v / max * 4;
	int	 q = (int)f;

	if (v <= 0)
		return 0;
	if ((double)q < f)
		q++;
	return q < 1 ? 1 : q > 4 ? 4 : q;
}

static int
hm_cell(struct buf *out, double v, int d, int h, double max,
    const char *unit)
{
	if ((isnan(v) ? buf_puts(out, "<rect class=\"heatnone\"") :
	    buf_printf(out, "<rect class=\"heat%d\"", hm_class(v, max))) ==
	    -1 || svg_attr(out, "x", SVG_HM_L + h * SVG_HM_CW + 1) == -1 ||
	    svg_attr(out, "y", SVG_HM_T + d * SVG_HM_CH + 1) == -1 ||
	    svg_attr(out, "width", SVG_HM_CW - 2) == -1 ||
	    svg_attr(out, "height", SVG_HM_CH - 2) == -1 ||
	    buf_printf(out, "><title>%s %02d:00: ", svg_days[d], h) == -1)
		return -1;
	if ((isnan(v) ? buf_puts(out, "no value") :
	    svg_put_val(out, v, unit, 0, 1)) == -1)
		return -1;
	return buf_puts(out, "</title></rect>\n");
}

static int
hm_labels(struct buf *out)
{
	static const char *const hours[] = { "0", "6", "12", "18" };
	int			 i;

	for (i = 0; i < 7; i++)
		if (svg_label(out, "label", SVG_HM_L - 6,
		    SVG_HM_T + (i + 0.5) * SVG_HM_CH + 4, "end",
		    svg_days[i]) == -1)
			return -1;
	for (i = 0; i < 4; i++)
		if (svg_label(out, "label", SVG_HM_L + (6 * i + 0.5) *
		    SVG_HM_CW, SVG_HM_T + 7 * SVG_HM_CH + 16, "middle",
		    hours[i]) == -1)
			return -1;
	return 0;
}

int
svg_heatmap(struct buf *out, const char *id, const char *title,
    const double cells[7][24], const char *value_unit)
{
	struct buf	 desc;
	struct hm_stats	 st;
	size_t		 start;
	int		 rc = -1, d, h;

	if (out == NULL || svg_id_ok(id) == -1 || title == NULL ||
	    cells == NULL || hm_stats(&st, cells) == -1)
		return -1;
	start = out->len;
	buf_init(&desc, 0);
	if (hm_desc(&desc, &st, value_unit) == -1 ||
	    svg_head(out, id, "heatmap", title, &desc) == -1 ||
	    hm_labels(out) == -1)
		goto out;
	if (st.max == 0 && svg_label(out, "label nodata", SVG_HM_L +
	    12 * SVG_HM_CW, SVG_HM_T + 3.5 * SVG_HM_CH + 4, "middle",
	    "no data") == -1)
		goto out;
	for (d = 0; st.max > 0 && d < 7; d++)
		for (h = 0; h < 24; h++)
			if (hm_cell(out, cells[d][h], d, h, st.max,
			    value_unit) == -1)
				goto out;
	if (buf_puts(out, "</svg>\n") == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		svg_undo(out, start);
	buf_free(&desc);
	return rc;
}


/* One cell of a table: the value, its unit, or words for no value. */
static int
tab_val(struct buf *out, double v, int seconds, const char *unit)
{
	if (isnan(v))
		return buf_puts(out, "no value");
	return svg_put_val(out, v, unit, seconds, 1);
}

static int
tab_open(struct buf *out, const char *summary)
{
	if (buf_puts(out, "<details class=\"chart-data\"><summary>") == -1 ||
	    svg_text(out, summary) == -1 ||
	    buf_puts(out, "</summary>\n<div class=\"scroll\" tabindex=\"0\" "
	    "role=\"region\" aria-label=\"") == -1 ||
	    svg_text(out, summary) == -1 ||
	    buf_puts(out, "\"><table>\n") == -1)
		return -1;
	return 0;
}

/* Ends a table begun at start, or drops all of it when rc is -1. */
static int
tab_close(struct buf *out, size_t start, int rc)
{
	if (rc == 0 && buf_puts(out, "</tbody></table></div></details>\n") == 0)
		return 0;
	svg_undo(out, start);
	return -1;
}

static int
tab_rows(struct buf *out, const char *xhead, const char *yhead,
    const char *const *labels, const double *v, size_t n, int seconds,
    const char *unit)
{
	size_t	 i;

	if (buf_puts(out, "<thead><tr><th scope=\"col\">") == -1 ||
	    svg_text(out, xhead) == -1 ||
	    buf_puts(out, "</th><th scope=\"col\">") == -1 ||
	    svg_text(out, yhead) == -1 ||
	    buf_puts(out, "</th></tr></thead>\n<tbody>\n") == -1)
		return -1;
	for (i = 0; i < n; i++)
		if ((!isnan(v[i]) && svg_check(v[i], 0) == -1) ||
		    buf_puts(out, "<tr><th scope=\"row\">") == -1 ||
		    svg_text(out, svg_lab(labels, i)) == -1 ||
		    buf_puts(out, "</th><td>") == -1 ||
		    tab_val(out, v[i], seconds, unit) == -1 ||
		    buf_puts(out, "</td></tr>\n") == -1)
			return -1;
	return 0;
}

int
svg_table(struct buf *out, const char *summary, const char *xhead,
    const char *yhead, const char *const *labels, const double *v, size_t n,
    int seconds, const char *unit)
{
	size_t	 start;

	if (out == NULL || summary == NULL || xhead == NULL || yhead == NULL ||
	    n > SVG_NMAX || (n > 0 && v == NULL))
		return -1;
	start = out->len;
	return tab_close(out, start, tab_open(out, summary) == -1 ||
	    tab_rows(out, xhead, yhead, labels, v, n, seconds, unit) == -1 ?
	    -1 : 0);
}

static int
heat_rows(struct buf *out, const double cells[7][24])
{
	int	 d, h;

	if (buf_puts(out, "<thead><tr><th scope=\"col\">Day</th>") == -1)
		return -1;
	for (h = 0; h < 24; h++)
		if (buf_printf(out, "<th scope=\"col\">%02d</th>", h) == -1)
			return -1;
	if (buf_puts(out, "</tr></thead>\n<tbody>\n") == -1)
		return -1;
	for (d = 0; d < 7; d++) {
		if (buf_printf(out, "<tr><th scope=\"row\">%s</th>",
		    svg_days[d]) == -1)
			return -1;
		for (h = 0; h < 24; h++)
			if (buf_puts(out, "<td>") == -1 ||
			    (isnan(cells[d][h]) ? buf_puts(out, "–") :
			    svg_put_val(out, cells[d][h], NULL, 0, 1)) == -1 ||
			    buf_puts(out, "</td>") == -1)
				return -1;
		if (buf_puts(out, "</tr>\n") == -1)
			return -1;
	}
	return 0;
}

int
svg_heat_table(struct buf *out, const char *summary,
    const double cells[7][24])
{
	size_t	 start;

	if (out == NULL || summary == NULL || cells == NULL)
		return -1;
	start = out->len;
	return tab_close(out, start, tab_open(out, summary) == -1 ||
	    heat_rows(out, cells) == -1 ? -1 : 0);
}

/*
 * The values of colour class k (1..4): (max (k-1) / 4, max k / 4].  For
 * whole numbers the range of integers in it ("4–6", "7"); 0 when none.
 */
static int
legend_range(struct buf *out, double max, int k, int whole)
{
	double	 lo = max * (k - 1) / 4, hi = max * k / 4;
	char	 a[32], b[32];
	double	 ilo = floor(lo) + 1, ihi = floor(hi);

	if (whole) {
		if (ilo > ihi)
			return 0;
		lo = ilo;
		hi = ihi;
	}
	if (svg_fmt_val(a, sizeof(a), lo) == -1 ||
	    svg_fmt_val(b, sizeof(b), hi) == -1)
		return -1;
	if (buf_printf(out, "<li><span class=\"swatch heat%d\"></span>", k) ==
	    -1)
		return -1;
	if (!whole)
		return buf_printf(out, "over %s, up to %s</li>", a, b) == -1 ?
		    -1 : 1;
	return (lo == hi ? buf_printf(out, "%s</li>", a) :
	    buf_printf(out, "%s–%s</li>", a, b)) == -1 ? -1 : 1;
}

int
svg_heat_legend(struct buf *out, const char *label,
    const double cells[7][24])
{
	struct hm_stats	 st;
	size_t		 start;
	int		 d, h, k, whole = 1;

	if (out == NULL || label == NULL || cells == NULL ||
	    hm_stats(&st, cells) == -1)
		return -1;
	if (st.max == 0)
		return 0;
	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++)
			if (!isnan(cells[d][h]) &&
			    cells[d][h] != floor(cells[d][h]))
				whole = 0;
	start = out->len;
	if (buf_puts(out, "<ul class=\"legend\" aria-label=\"") == -1 ||
	    svg_text(out, label) == -1 ||
	    buf_puts(out, "\"><li><span class=\"swatch heat0\"></span>0</li>")
	    == -1)
		goto fail;
	for (k = 1; k <= 4; k++)
		if (legend_range(out, st.max, k, whole) == -1)
			goto fail;
	if (buf_puts(out, "</ul>\n") == -1)
		goto fail;
	return 0;
fail:
	svg_undo(out, start);
	return -1;
}
