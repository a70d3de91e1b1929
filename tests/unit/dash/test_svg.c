#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/buf.h"
#include "dash/svg.h"
#include "tests.h"

#define XML_DEPTH	16
#define XML_NAME	32

static const char *const bar_labels[] = {
	"<5m", "5-15m", "15-60m", "1-4h", "4h+"
};
static const double bar_values[] = { 58, 118, 40, 7, 2 };

static size_t
count(const char *s, const char *needle)
{
	size_t	 n = 0, len = strlen(needle);

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += len;
	}
	return n;
}

/* How often the path's d attribute lifts the pen (its "M" commands). */
static size_t
moves(const char *s)
{
	size_t	 n = 0;

	if ((s = strstr(s, " d=\"")) == NULL)
		return 0;
	for (s += 4; *s != '\0' && *s != '"'; s++)
		if (*s == 'M')
			n++;
	return n;
}

/* Case-insensitive search, for "nan" and "inf" in any spelling. */
static int
has_word(const char *s, const char *w)
{
	size_t	 i, len = strlen(w);

	for (; *s != '\0'; s++) {
		for (i = 0; i < len; i++)
			if (tolower((unsigned char)s[i]) != w[i])
				break;
		if (i == len)
			return 1;
	}
	return 0;
}

static int
xml_entity(const char **p)
{
	static const char *const ents[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"
	};
	size_t	 i;

	for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
		if (strncmp(*p, ents[i], strlen(ents[i])) == 0) {
			*p += strlen(ents[i]);
			return 0;
		}
	return -1;
}

static int
xml_name(const char **p, char *name)
{
	size_t	 n = 0;

	if (!isalpha((unsigned char)**p))
		return -1;
	while (isalnum((unsigned char)**p) || **p == '-' || **p == ':') {
		if (n + 1 >= XML_NAME)
			return -1;
		name[n++] = *(*p)++;
	}
	name[n] = '\0';
	return 0;
}

/* Coordinates hold digits, '.', '-' (and M, L, spaces in a path) only. */
static int
xml_value_ok(const char *attr, const char *v, size_t n)
{
	static const char *const num[] = {
		"x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx",
		"cy", "r"
	};
	const char	*allow = NULL;
	size_t		 i;

	for (i = 0; i < sizeof(num) / sizeof(num[0]); i++)
		if (strcmp(attr, num[i]) == 0)
			allow = "0123456789.-";
	if (strcmp(attr, "d") == 0)
		allow = "0123456789.- MLHV";
	if (allow == NULL)
		return 0;
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++)
		if (strchr(allow, v[i]) == NULL)
			return -1;
	return 0;
}

/* Attributes up to '>' or "/>"; *selfclose tells which. */
static int
xml_attrs(const char **p, int *selfclose)
{
	char		 name[XML_NAME];
	const char	*v;

	for (;;) {
		while (**p == ' ' || **p == '\n')
			(*p)++;
		if (strncmp(*p, "/>", 2) == 0) {
			*p += 2;
			*selfclose = 1;
			return 0;
		}
		if (**p == '>') {
			(*p)++;
			*selfclose = 0;
			return 0;
		}
		if (xml_name(p, name) == -1 || strncmp(*p, "=\"", 2) != 0)
			return -1;
		*p += 2;
		for (v = *p; **p != '"'; )
			if (**p == '\0' || **p == '<' ||
			    (**p == '&' && xml_entity(p) == -1))
				return -1;
			else if (**p != '&')
				(*p)++;
		if (xml_value_ok(name, v, (size_t)(*p - v)) == -1)
			return -1;
		(*p)++;
	}
}

/*
 * A small well-formedness check: one root element, balanced tags, quoted
 * attributes, only the five entities, no stray '<' or '&'.
 */
static int
xml_ok(const char *p)
{
	char	 stack[XML_DEPTH][XML_NAME], name[XML_NAME];
	int	 depth = 0, roots = 0, selfclose;

	while (*p != '\0') {
		if (*p == '&') {
			if (xml_entity(&p) == -1)
				return 0;
			continue;
		}
		if (*p != '<') {
			if (depth == 0 && !isspace((unsigned char)*p))
				return 0;
			p++;
			continue;
		}
		p++;
		if (*p == '/') {
			p++;
			if (depth == 0 || xml_name(&p, name) == -1 ||
			    strcmp(name, stack[depth - 1]) != 0 || *p != '>')
				return 0;
			p++;
			depth--;
			continue;
		}
		if (xml_name(&p, name) == -1 || xml_attrs(&p, &selfclose) == -1)
			return 0;
		if (depth == 0)
			roots++;
		if (!selfclose) {
			if (depth == XML_DEPTH)
				return 0;
			memcpy(stack[depth++], name, sizeof(name));
		}
	}
	return depth == 0 && roots == 1;
}

/* The texts of the y tick labels, joined with ','. */
static void
ticks(const char *s, char *dst, size_t sz)
{
	const char	*e;
	size_t		 n = 0, len;

	dst[0] = '\0';
	while ((s = strstr(s, "class=\"tick\"")) != NULL) {
		s = strchr(s, '>') + 1;
		e = strchr(s, '<');
		len = (size_t)(e - s);
		if (n + len + 2 > sz)
			return;
		if (n > 0)
			dst[n++] = ',';
		memcpy(dst + n, s, len);
		n += len;
		dst[n] = '\0';
		s = e;
	}
}

/* Every chart: well-formed, no nan/inf, no inline style. */
static void
check_common(const char *s)
{
	CU_ASSERT(xml_ok(s));
	CU_ASSERT(!has_word(s, "nan"));
	CU_ASSERT(!has_word(s, "inf"));
	CU_ASSERT_PTR_NULL(strstr(s, "style"));
	CU_ASSERT_EQUAL(count(s, "<svg "), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "viewBox=\"0 0 640 256\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " role=\"img\""));
}

static void
test_checker(void)
{
	CU_ASSERT(xml_ok("<a><b x=\"1.0\"/>t &amp; u</a>"));
	CU_ASSERT(!xml_ok("<a><b></a></b>"));
	CU_ASSERT(!xml_ok("<a>x & y</a>"));
	CU_ASSERT(!xml_ok("<a x=\"<\"></a>"));
	CU_ASSERT(!xml_ok("<a></a><b></b>"));
	CU_ASSERT(!xml_ok("<a>"));
	CU_ASSERT(!xml_ok("<a x=\"nan\"/>"));
	CU_ASSERT(has_word("x NaN", "nan"));
	CU_ASSERT(!has_word("no data", "nan"));
}

static void
test_bars(void)
{
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_bars(&b, "rt", "Reply time", bar_labels,
	    bar_values, 5, "replies"), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "aria-labelledby=\"rt-title "
	    "rt-desc\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<title id=\"rt-title\">Reply "
	    "time</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<desc id=\"rt-desc\">&lt;5m: "
	    "58 replies; 5-15m: 118 replies; 15-60m: 40 replies; 1-4h: 7 "
	    "replies; 4h+: 2 replies.</desc>"));
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"bar\""), 5);
	CU_ASSERT_EQUAL(count(b.ptr, "<title>"), 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr,
	    "<title>5-15m: 118 replies</title>"));
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label\""), 3);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label alt\""), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"axis\""), 2);
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "no data"));
	buf_free(&b);
}

/* Appends after what is there; many bars get at most 12 labels. */
static void
test_bars_many(void)
{
	struct buf	 b;
	double		 v[40];
	const char	*l[40];
	size_t		 i;

	for (i = 0; i < 40; i++) {
		v[i] = (double)i + 0.25;
		l[i] = "x";
	}
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "<p>"), 0);
	CU_ASSERT_EQUAL(svg_bars(&b, "m", "Many", l, v, 40, NULL), 0);
	CU_ASSERT_NSTRING_EQUAL(b.ptr, "<p><svg ", 8);
	check_common(b.ptr + 3);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"bar\""), 40);
	CU_ASSERT(count(b.ptr, "class=\"label") <= 12);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<title>x: 39.25</title>"));
	buf_free(&b);
}

static void
test_escape(void)
{
	struct buf	 b;
	const char	*l[] = { "<script>", "a&b" };
	double		 v[] = { 1, 2 };

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_bars(&b, "esc", "He said \"hi\" & 'bye'", l, v,
	    2, "<u>"), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "<script>"));
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "<u>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "&lt;script&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "a&amp;b"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<title id=\"esc-title\">He "
	    "said &quot;hi&quot; &amp; &#39;bye&#39;</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr,
	    "<title>&lt;script&gt;: 1 &lt;u&gt;</title>"));
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_line(&b, "l", "\"<x>\"", l, v, 2, 0), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "<script>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "&quot;&lt;x&gt;&quot;"));
	buf_free(&b);
}

static void
bar_ticks(double max, const char *want)
{
	struct buf	 b;
	char		 got[256];
	double		 v[] = { 0, max };

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(svg_bars(&b, "t", "t", NULL, v, 2, NULL), 0);
	check_common(b.ptr);
	ticks(b.ptr, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, want);
	buf_free(&b);
}

static void
line_ticks(double lo, double hi, int seconds, const char *want)
{
	struct buf	 b;
	char		 got[256];
	double		 v[] = { lo, hi };

	buf_init(&b, 0);
	CU_ASSERT_EQUAL_FATAL(svg_line(&b, "t", "t", NULL, v, 2, seconds), 0);
	check_common(b.ptr);
	ticks(b.ptr, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, want);
	buf_free(&b);
}

static void
test_ticks(void)
{
	/* Counts: no tick between two whole numbers. */
	bar_ticks(1, "0,1");
	bar_ticks(2, "0,1,2");
	bar_ticks(3, "0,1,2,3");
	bar_ticks(7, "0,2,4,6,8");
	bar_ticks(8, "0,2,4,6,8");
	bar_ticks(10, "0,2,4,6,8,10");
	bar_ticks(100, "0,20,40,60,80,100");
	bar_ticks(118, "0,50,100,150");
	bar_ticks(1234, "0,500,1000,1500");
	bar_ticks(0.35, "0.0,0.1,0.2,0.3,0.4");
	bar_ticks(0.04, "0.00,0.01,0.02,0.03,0.04");
	bar_ticks(3e6, "0,1000000,2000000,3000000");
	bar_ticks(1e-300, "0.000000,0.000001");
	line_ticks(-3, 7, 0, "-4,-2,0,2,4,6,8");
	line_ticks(2, 7, 0, "0,2,4,6,8");
}

static void
test_ticks_seconds(void)
{
	line_ticks(0, 5000, 1, "0,30 min,1 h,1.5 h");
	line_ticks(0, 50, 1, "0,10 s,20 s,30 s,40 s,50 s");
	line_ticks(0, 60, 1, "0,15 s,30 s,45 s,1 min");
	line_ticks(0, 600, 1, "0,2 min,4 min,6 min,8 min,10 min");
	line_ticks(0, 4000, 1, "0,15 min,30 min,45 min,1 h,1.25 h");
	line_ticks(0, 7 * 3600, 1, "0,2 h,4 h,6 h,8 h");
	line_ticks(0, 40000, 1, "0,4 h,8 h,12 h");
	line_ticks(0, 3 * 86400, 1, "0,1 d,2 d,3 d");
	line_ticks(0, 60 * 86400, 1, "0,20 d,40 d,60 d");
	/* A number line with the same data keeps plain numbers. */
	line_ticks(0, 5000, 0, "0,1000,2000,3000,4000,5000");
}

static void
test_line(void)
{
	struct buf	 b;
	double		 y[] = { 60, 120, NAN, 600, 5000 };
	const char	*xl[] = { "Jan 1", "Jan 2", "Jan 3", "Jan 4", "Jan 5" };
	const char	*d;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_line(&b, "med", "Median", xl, y, 5, 1), 0);
	check_common(b.ptr);
	CU_ASSERT_EQUAL(count(b.ptr, "<path "), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d = strstr(b.ptr, " d=\""));
	CU_ASSERT_EQUAL(moves(b.ptr), 2);
	CU_ASSERT_EQUAL(count(d, " L"), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "<circle "), 4);
	/* Every other label is "alt" (a narrow screen hides it). */
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label\""), 3);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label alt\""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<title>Jan 5: 1 h 23 min"
	    "</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "5 points from Jan 1 to Jan 5, "
	    "1 without a value. First: 1 min (Jan 1); last: 1 h 23 min "
	    "(Jan 5); min: 1 min (Jan 1); max: 1 h 23 min (Jan 5)."));
	buf_free(&b);
}

static void
test_steps(void)
{
	struct buf	 b;
	double		 y[] = { 100, 80, 50, 0 };
	double		 bad[] = { 100, -1 };
	const char	*xl[] = { "0", "5 min", "1 h", "1 d" };
	const char	*d;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_steps(&b, "km", "Still open", xl, y, 4, "%"), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "class=\"chart chart-steps\""));
	CU_ASSERT_EQUAL(count(b.ptr, "<path "), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d = strstr(b.ptr, "class=\"line step\" d=\""));
	/* One move, then a level and a drop for each later point. */
	CU_ASSERT_EQUAL(moves(b.ptr), 1);
	CU_ASSERT_EQUAL(count(d, " H"), 3);
	CU_ASSERT_EQUAL(count(d, " V"), 3);
	CU_ASSERT_EQUAL(count(b.ptr, "<circle "), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<desc id=\"km-desc\">0: 100 %; "
	    "5 min: 80 %; 1 h: 50 %; 1 d: 0 %.</desc>"));
	buf_free(&b);
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_steps(&b, "km", "t", xl, bad, 2, "%"), -1);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(svg_steps(&b, "km", "t", xl, y, 0, "%"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "No data."));
	buf_free(&b);
}

static void
test_line_gaps(void)
{
	struct buf	 b;
	double		 lead[] = { NAN, 1, 2 };
	double		 alt[] = { 1, NAN, 2, NAN, 3 };
	double		 one[] = { NAN, 4, NAN };

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_line(&b, "g", "g", NULL, lead, 3, 0), 0);
	check_common(b.ptr);
	CU_ASSERT_EQUAL(moves(b.ptr), 1);
	CU_ASSERT_EQUAL(count(b.ptr, "<circle "), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label\""), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_line(&b, "g", "g", NULL, alt, 5, 0), 0);
	check_common(b.ptr);
	CU_ASSERT_EQUAL(moves(b.ptr), 3);
	CU_ASSERT_EQUAL(count(b.ptr, " L"), 0);
	CU_ASSERT_EQUAL(count(b.ptr, "<circle "), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "min: 1 (point 1); max: 3 "
	    "(point 5)"));
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_line(&b, "g", "g", NULL, one, 3, 0), 0);
	check_common(b.ptr);
	CU_ASSERT_EQUAL(moves(b.ptr), 1);
	CU_ASSERT_EQUAL(count(b.ptr, "<circle "), 1);
	buf_free(&b);
}

/* At most 8 x labels, the first and the last among them. */
static void
test_line_labels(void)
{
	struct buf	 b;
	double		 y[100];
	const char	*xl[100];
	char		 names[100][8];
	size_t		 i;

	for (i = 0; i < 100; i++) {
		y[i] = (double)(i % 7);
		CU_ASSERT(snprintf(names[i], sizeof(names[i]), "p%zu", i) > 0);
		xl[i] = names[i];
	}
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_line(&b, "x", "x", xl, y, 100, 0), 0);
	check_common(b.ptr);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label\""), 4);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label alt\""), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">p0</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">p99</text>"));
	CU_ASSERT_EQUAL(count(b.ptr, "<circle "), 100);
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_line(&b, "x", "x", xl + 1, y + 1, 1, 0), 0);
	check_common(b.ptr);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label\""), 1);
	buf_free(&b);
}

static void
test_heatmap(void)
{
	struct buf	 b;
	double		 c[7][24];
	int		 d, h;

	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++)
			c[d][h] = 0;
	for (h = 0; h <= 8; h++)
		c[1][h] = h;		/* Tue 0..8, max 8 */
	c[6][23] = NAN;
	c[6][22] = NAN;
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_heatmap(&b, "hm", "Activity",
	    (const double (*)[24])c, "replies"), 0);
	check_common(b.ptr);
	CU_ASSERT_EQUAL(count(b.ptr, "<rect "), 168);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"heatnone\""), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"heat0\""), 168 - 8 - 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"heat1\""), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"heat2\""), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"heat3\""), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"heat4\""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<rect class=\"heat4\" x=\"253.0\""
	    " y=\"39.0\" width=\"22.0\" height=\"24.0\"><title>Tue 08:00: 8 "
	    "replies</title></rect>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<title>Sun 23:00: no value"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "Total: 36 replies. By day: Mon"
	    " 0, Tue 36, Wed 0, Thu 0, Fri 0, Sat 0, Sun 0. Busiest: Tue 08:00"
	    " (8 replies)."));
	for (d = 0; d < 7; d++)
		CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, d == 0 ? ">Mon<" :
		    d == 1 ? ">Tue<" : d == 2 ? ">Wed<" : d == 3 ? ">Thu<" :
		    d == 4 ? ">Fri<" : d == 5 ? ">Sat<" : ">Sun<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">0</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">6</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">12</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">18</text>"));
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label\""), 11);
	buf_free(&b);
}

static void
test_empty(void)
{
	struct buf	 b;
	double		 zero[3] = { 0, 0, 0 }, nans[2] = { NAN, NAN };
	double		 c[7][24];
	int		 d, h;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_bars(&b, "e", "E", NULL, NULL, 0, NULL), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">no data</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">No data.</desc>"));
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"axis\""), 2);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"bar\""), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_bars(&b, "e", "E", bar_labels, zero, 3, "x"), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">no data</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "all 3 values are 0"));
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"bar\""), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_line(&b, "e", "E", NULL, NULL, 0, 1), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">no data</text>"));
	CU_ASSERT_EQUAL(count(b.ptr, "<path"), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_line(&b, "e", "E", NULL, nans, 2, 1), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">no data</text>"));
	CU_ASSERT_EQUAL(count(b.ptr, "<circle"), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_line(&b, "e", "E", NULL, zero, 3, 0), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">no data</text>"));
	for (d = 0; d < 7; d++)
		for (h = 0; h < 24; h++)
			c[d][h] = d == 3 ? NAN : 0;
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_heatmap(&b, "e", "E", (const double (*)[24])c,
	    NULL), 0);
	check_common(b.ptr);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, ">no data</text>"));
	CU_ASSERT_EQUAL(count(b.ptr, "<rect"), 0);
	CU_ASSERT_EQUAL(count(b.ptr, "class=\"label\""), 11);
	buf_free(&b);
}

static void
test_bad_id(void)
{
	static const char *const bad[] = {
		"", "a b", "x\"y", "a<b", "é", "a.b", "a/b",
		"123456789012345678901234567890123"
	};
	struct buf	 b;
	double		 c[7][24];
	size_t		 i;

	memset(c, 0, sizeof(c));
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "keep"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(svg_bars(&b, bad[i], "t", bar_labels,
		    bar_values, 5, NULL), -1);
		CU_ASSERT_EQUAL(svg_line(&b, bad[i], "t", NULL, bar_values, 5,
		    0), -1);
		CU_ASSERT_EQUAL(svg_heatmap(&b, bad[i], "t",
		    (const double (*)[24])c, NULL), -1);
	}
	CU_ASSERT_EQUAL(svg_bars(&b, NULL, "t", NULL, NULL, 0, NULL), -1);
	CU_ASSERT_EQUAL(svg_bars(&b, "ok", NULL, NULL, NULL, 0, NULL), -1);
	CU_ASSERT_EQUAL(svg_bars(NULL, "ok", "t", NULL, NULL, 0, NULL), -1);
	CU_ASSERT_EQUAL(svg_bars(&b, "ok", "t", NULL, NULL, 1, NULL), -1);
	CU_ASSERT_EQUAL(svg_heatmap(&b, "ok", "t", NULL, NULL), -1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "keep");
	CU_ASSERT_EQUAL(svg_bars(&b, "12345678901234567890123456789012",
	    "t", NULL, NULL, 0, NULL), 0);
	CU_ASSERT_EQUAL(svg_bars(&b, "A-z_9", "t", NULL, NULL, 0, NULL), 0);
	buf_free(&b);
}

/* Non-finite or negative values are refused; NaN only where allowed. */
static void
test_bad_values(void)
{
	struct buf	 b;
	double		 inf[] = { 1, INFINITY }, neg[] = { 1, -1 };
	double		 nan[] = { NAN, 1 }, big[] = { 1e300 };
	double		 c[7][24];

	memset(c, 0, sizeof(c));
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_bars(&b, "v", "t", NULL, inf, 2, NULL), -1);
	CU_ASSERT_EQUAL(svg_bars(&b, "v", "t", NULL, neg, 2, NULL), -1);
	CU_ASSERT_EQUAL(svg_bars(&b, "v", "t", NULL, nan, 2, NULL), -1);
	CU_ASSERT_EQUAL(svg_bars(&b, "v", "t", NULL, big, 1, NULL), -1);
	CU_ASSERT_EQUAL(svg_line(&b, "v", "t", NULL, inf, 2, 1), -1);
	CU_ASSERT_EQUAL(svg_line(&b, "v", "t", NULL, big, 1, 1), -1);
	c[2][5] = -INFINITY;
	CU_ASSERT_EQUAL(svg_heatmap(&b, "v", "t", (const double (*)[24])c,
	    NULL), -1);
	c[2][5] = -1;
	CU_ASSERT_EQUAL(svg_heatmap(&b, "v", "t", (const double (*)[24])c,
	    NULL), -1);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(svg_line(&b, "v", "t", NULL, neg, 2, 0), 0);
	check_common(b.ptr);
	buf_free(&b);
}

/* A buffer that runs out leaves what was there before, NUL-terminated. */
static void
test_limit(void)
{
	struct buf	 b;
	double		 c[7][24];

	memset(c, 0, sizeof(c));
	c[0][0] = 1;
	buf_init(&b, 600);
	CU_ASSERT_EQUAL(buf_puts(&b, "head"), 0);
	CU_ASSERT_EQUAL(svg_bars(&b, "l", "t", bar_labels, bar_values, 5,
	    NULL), -1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "head");
	CU_ASSERT_EQUAL(svg_line(&b, "l", "t", bar_labels, bar_values, 5,
	    1), -1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "head");
	CU_ASSERT_EQUAL(svg_heatmap(&b, "l", "t", (const double (*)[24])c,
	    NULL), -1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "head");
	CU_ASSERT_EQUAL(b.len, 4);
	buf_free(&b);
}

/* The text alternative as a table: a row per point, escaped. */
static void
test_table(void)
{
	struct buf	 b;
	const char	*xl[] = { "<5m", "6 Jan", "13 Jan" };
	double		 v[] = { 58, NAN, 5400 };

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_table(&b, "As a table", "Week", "Median", xl, v, 3,
	    1, NULL), 0);
	CU_ASSERT(xml_ok(b.ptr));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<details class=\"chart-data\">"
	    "<summary>As a table</summary>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<thead><tr><th scope=\"col\">"
	    "Week</th><th scope=\"col\">Median</th></tr></thead>"));
	CU_ASSERT_EQUAL(count(b.ptr, "<tr><th scope=\"row\">"), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<th scope=\"row\">&lt;5m</th>"
	    "<td>58 s</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<td>no value</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<td>1 h 30 min</td>"));
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_table(&b, "t", "x", "y", xl, v, 1, 0, "replies"),
	    0);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<td>58 replies</td>"));
	v[0] = INFINITY;
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_table(&b, "t", "x", "y", xl, v, 1, 0, NULL), -1);
	CU_ASSERT_EQUAL(b.len, 0);
	buf_free(&b);
}

/* The heatmap's legend: each colour and the whole numbers it stands for. */
static void
test_heat_legend(void)
{
	struct buf	 b;
	double		 c[7][24];

	memset(c, 0, sizeof(c));
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(svg_heat_legend(&b, "Scale", (const double (*)[24])c),
	    0);
	CU_ASSERT_EQUAL(b.len, 0);	/* nothing to shade, no legend */
	c[1][8] = 12;
	c[2][3] = 1;
	CU_ASSERT_EQUAL(svg_heat_legend(&b, "Scale", (const double (*)[24])c),
	    0);
	CU_ASSERT(xml_ok(b.ptr));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<ul class=\"legend\" "
	    "aria-label=\"Scale\"><li><span class=\"swatch heat0\"></span>0"
	    "</li><li><span class=\"swatch heat1\"></span>1–3</li><li><span "
	    "class=\"swatch heat2\"></span>4–6</li><li><span class=\"swatch "
	    "heat3\"></span>7–9</li><li><span class=\"swatch heat4\"></span>"
	    "10–12</li></ul>"));
	/* max 2: classes 1 and 3 hold no whole number and are left out. */
	c[1][8] = 2;
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_heat_legend(&b, "S", (const double (*)[24])c), 0);
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "heat1"));
	CU_ASSERT_PTR_NULL(strstr(b.ptr, "heat3"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "heat2\"></span>1</li>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "heat4\"></span>2</li>"));
	buf_reset(&b);
	CU_ASSERT_EQUAL(svg_heat_table(&b, "T", (const double (*)[24])c), 0);
	CU_ASSERT(xml_ok(b.ptr));
	CU_ASSERT_EQUAL(count(b.ptr, "<tr><th scope=\"row\">"), 7);
	CU_ASSERT_EQUAL(count(b.ptr, "<td>"), 168);
	CU_ASSERT_PTR_NOT_NULL(strstr(b.ptr, "<th scope=\"col\">23</th>"));
	buf_free(&b);
}

int
test_svg_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("svg", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "xml checker", test_checker) == NULL ||
	    CU_add_test(s, "bars", test_bars) == NULL ||
	    CU_add_test(s, "bars many", test_bars_many) == NULL ||
	    CU_add_test(s, "escape", test_escape) == NULL ||
	    CU_add_test(s, "ticks", test_ticks) == NULL ||
	    CU_add_test(s, "ticks seconds", test_ticks_seconds) == NULL ||
	    CU_add_test(s, "line", test_line) == NULL ||
	    CU_add_test(s, "line gaps", test_line_gaps) == NULL ||
	    CU_add_test(s, "steps", test_steps) == NULL ||
	    CU_add_test(s, "line labels", test_line_labels) == NULL ||
	    CU_add_test(s, "heatmap", test_heatmap) == NULL ||
	    CU_add_test(s, "empty", test_empty) == NULL ||
	    CU_add_test(s, "bad id", test_bad_id) == NULL ||
	    CU_add_test(s, "bad values", test_bad_values) == NULL ||
	    CU_add_test(s, "limit", test_limit) == NULL ||
	    CU_add_test(s, "table", test_table) == NULL ||
	    CU_add_test(s, "heat legend", test_heat_legend) == NULL)
		return -1;
	return 0;
}
