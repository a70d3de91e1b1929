#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <json-c/json.h>

#include "core/buf.h"
#include "dash/tpl.h"
#include "tests.h"

/* The last error, as "LOAD: ..." or "RENDER: ...": tests run one at a time. */
static char	 tpl_msg[512];

/*
 * Loads the n templates, renders name with json (and raw) into b, and
 * returns the output, or the error message prefixed with LOAD: or RENDER:.
 */
static const char *
many(struct buf *b, const char *const *names, const char *const *texts,
    size_t n, const char *name, const char *json, const struct tpl_raw *raw,
    size_t nraw)
{
	struct tpl_set		*s;
	struct json_object	*data = NULL;
	char			 err[256];
	const char		*r;
	int			 rc;

	err[0] = '\0';
	if ((s = tpl_load_mem(names, texts, n, err, sizeof(err))) == NULL) {
		rc = snprintf(tpl_msg, sizeof(tpl_msg), "LOAD: %s", err);
		return rc < 0 || (size_t)rc >= sizeof(tpl_msg) ? "?" : tpl_msg;
	}
	if (json != NULL && (data = json_tokener_parse(json)) == NULL) {
		tpl_free(s);
		return "BAD TEST JSON";
	}
	r = buf_cstr(b);
	if (tpl_render(s, name, data, raw, nraw, b, err, sizeof(err)) == -1) {
		rc = snprintf(tpl_msg, sizeof(tpl_msg), "RENDER: %s", err);
		r = rc < 0 || (size_t)rc >= sizeof(tpl_msg) ? "?" : tpl_msg;
	} else
		r = buf_cstr(b);
	json_object_put(data);
	tpl_free(s);
	return r;
}

/* One template named "t". */
static const char *
one(struct buf *b, const char *text, const char *json)
{
	const char	*name = "t";

	return many(b, &name, &text, 1, "t", json, NULL, 0);
}

#define EXPECT(text, json, want) do {					\
	struct buf	 b_;						\
									\
	buf_init(&b_, 0);						\
	CU_ASSERT_STRING_EQUAL(one(&b_, (text), (json)), (want));	\
	buf_free(&b_);							\
} while (0)

static void
test_vars(void)
{
	EXPECT("Hi {{name}}!", "{\"name\":\"Ann\"}", "Hi Ann!");
	EXPECT("Hi {{ name }}!", "{\"name\":\"Ann\"}", "Hi Ann!");
	EXPECT("{{n}}", "{\"n\":42}", "42");
	EXPECT("{{n}}", "{\"n\":-7}", "-7");
	EXPECT("{{n}}", "{\"n\":18446744073709551615}", "18446744073709551615");
	EXPECT("{{n}}", "{\"n\":2.5}", "2.5");
	EXPECT("{{n}}", "{\"n\":0.33333}", "0.333");
	EXPECT("{{n}}", "{\"n\":2.0}", "2");
	EXPECT("{{n}}", "{\"n\":-0.0001}", "0");
	EXPECT("{{n}}", "{\"n\":1.2345e3}", "1234.5");
	EXPECT("{{b}}/{{c}}", "{\"b\":true,\"c\":false}", "true/false");
	EXPECT("[{{n}}]", "{\"n\":null}", "[]");
	EXPECT("[{{missing}}]", "{}", "[]");
	EXPECT("[{{o}}][{{a}}]", "{\"o\":{\"x\":1},\"a\":[1,2]}", "[][]");
	EXPECT("[{{x}}]", NULL, "[]");
	EXPECT("a{{! a comment with {braces} }}b", "{}", "ab");
	EXPECT("", "{}", "");
	EXPECT("no tags at all\n", "{}", "no tags at all\n");
	EXPECT("single { and } pass", "{}", "single { and } pass");
}

static void
test_paths(void)
{
	const char	*j = "{\"a\":{\"b\":{\"c\":\"deep\"},\"s\":\"str\"}}";

	EXPECT("{{a.b.c}}", j, "deep");
	EXPECT("[{{a.x.c}}]", j, "[]");
	EXPECT("[{{a.s.c}}]", j, "[]");
	EXPECT("{{a.s}}", j, "str");
	EXPECT("{{#a}}{{b.c}}/{{s}}{{/a}}", j, "deep/str");
}

static void
test_climb(void)
{
	EXPECT("{{#user}}{{name}} of {{site}}{{/user}}",
	    "{\"user\":{\"name\":\"Ann\"},\"site\":\"rc\"}", "Ann of rc");
	EXPECT("{{#u}}{{n}}{{/u}}-{{n}}",
	    "{\"n\":\"out\",\"u\":{\"n\":\"in\"}}", "in-out");
	/* An inner key that exists (even null) hides the outer one. */
	EXPECT("{{#u}}[{{n}}]{{/u}}", "{\"n\":\"out\",\"u\":{\"n\":null}}",
	    "[]");
	EXPECT("{{#rows}}{{id}}@{{page}} {{/rows}}",
	    "{\"page\":3,\"rows\":[{\"id\":1},{\"id\":2}]}", "1@3 2@3 ");
}

static void
test_sections(void)
{
	EXPECT("{{#xs}}[{{.}}]{{/xs}}", "{\"xs\":[1,\"a\",true,2.5]}",
	    "[1][a][true][2.5]");
	EXPECT("{{#xs}}{{n}},{{/xs}}", "{\"xs\":[{\"n\":1},{\"n\":2}]}", "1,2,");
	EXPECT("{{#o}}{{k}}{{/o}}", "{\"o\":{\"k\":\"v\"}}", "v");
	EXPECT("{{#b}}yes{{/b}}", "{\"b\":true}", "yes");
	EXPECT("{{#n}}[{{.}}]{{/n}}", "{\"n\":5}", "[5]");
	EXPECT("{{#s}}[{{.}}]{{/s}}", "{\"s\":\"x\"}", "[x]");
	EXPECT("a{{#b}}yes{{/b}}z", "{\"b\":false}", "az");
	EXPECT("a{{#b}}yes{{/b}}z", "{\"b\":[]}", "az");
	EXPECT("a{{#b}}yes{{/b}}z", "{\"b\":0}", "az");
	EXPECT("a{{#b}}yes{{/b}}z", "{\"b\":0.0}", "az");
	EXPECT("a{{#b}}yes{{/b}}z", "{\"b\":\"\"}", "az");
	EXPECT("a{{#b}}yes{{/b}}z", "{\"b\":null}", "az");
	EXPECT("a{{#b}}yes{{/b}}z", "{}", "az");
	EXPECT("{{^b}}none{{/b}}", "{\"b\":[]}", "none");
	EXPECT("{{^b}}none{{/b}}", "{\"b\":0}", "none");
	EXPECT("{{^b}}none{{/b}}", "{\"b\":\"\"}", "none");
	EXPECT("{{^b}}none{{/b}}", "{\"b\":null}", "none");
	EXPECT("{{^b}}none{{/b}}", "{}", "none");
	EXPECT("[{{^b}}none{{/b}}]", "{\"b\":[1]}", "[]");
	EXPECT("[{{^b}}none{{/b}}]", "{\"b\":true}", "[]");
	EXPECT("[{{^b}}none{{/b}}]", "{\"b\":{}}", "[]");
}

static void
test_nested(void)
{
	EXPECT("{{#a}}<{{#b}}{{x}}{{y}}{{/b}}>{{/a}}",
	    "{\"y\":\"!\",\"a\":[{\"b\":[{\"x\":1},{\"x\":2}]},"
	    "{\"b\":[]},{\"b\":[{\"x\":3}]}]}",
	    "<1!2!><><3!>");
	EXPECT("{{#m}}{{#.}}{{.}}{{/.}};{{/m}}", "{\"m\":[[1,2],[3]]}",
	    "12;3;");
	EXPECT("{{#a}}{{^b}}no b in {{n}}{{/b}}{{/a}}",
	    "{\"a\":[{\"n\":1,\"b\":1},{\"n\":2}]}", "no b in 2");
}

static void
test_partials(void)
{
	const char	*names[] = { "page", "row", "other" };
	const char	*texts[] = { "<{{#rows}}{{> row}}{{/rows}}>",
			    "({{name}})", "[{{> $which}}]" };
	struct buf	 b;

	buf_init(&b, 0);
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 3, "page",
	    "{\"rows\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", NULL, 0),
	    "<(a)(b)>");
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 3, "other",
	    "{\"which\":\"row\",\"name\":\"x\"}", NULL, 0), "[(x)]");
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 3, "other",
	    "{\"which\":\"nope\"}", NULL, 0),
	    "RENDER: other:1: {{> $which}}: not a loaded template");
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 3, "other",
	    "{\"which\":3}", NULL, 0),
	    "RENDER: other:1: {{> $which}}: not a loaded template");
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 3, "other", "{}", NULL,
	    0), "RENDER: other:1: {{> $which}}: not a loaded template");
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 3, "nope", "{}", NULL,
	    0), "RENDER: unknown template 'nope'");
	buf_free(&b);
}

static void
test_escape(void)
{
	EXPECT("{{s}}", "{\"s\":\"<script>alert(1)</script>\"}",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	EXPECT("<a title=\"{{t}}\">", "{\"t\":\"x\\\" onmouseover=\\\"y\"}",
	    "<a title=\"x&quot; onmouseover=&quot;y\">");
	EXPECT("<a title='{{t}}'>", "{\"t\":\"x' onclick='y\"}",
	    "<a title='x&#39; onclick=&#39;y'>");
	EXPECT("{{s}}", "{\"s\":\"a & b\"}", "a &amp; b");
	EXPECT("{{#xs}}{{.}}{{/xs}}", "{\"xs\":[\"<b>\"]}", "&lt;b&gt;");
	/* Template text itself is trusted and kept as written. */
	EXPECT("<b>&amp;</b>", "{}", "<b>&amp;</b>");
}

static void
test_url(void)
{
	EXPECT("<a href=\"{{url:u}}\">", "{\"u\":\"javascript:alert(1)\"}",
	    "<a href=\"#\">");
	EXPECT("{{url:u}}", "{\"u\":\"JavaScript:alert(1)\"}", "#");
	EXPECT("{{url:u}}", "{\"u\":\" javascript:alert(1)\"}", "#");
	EXPECT("{{url:u}}", "{\"u\":\"\\u0001javascript:alert(1)\"}", "#");
	EXPECT("{{url:u}}", "{\"u\":\"java\\tscript:alert(1)\"}", "#");
	EXPECT("{{url:u}}", "{\"u\":\"java\\nscript:alert(1)\"}", "#");
	EXPECT("{{url:u}}", "{\"u\":\"data:text/html,<script>x</script>\"}",
	    "#");
	EXPECT("{{url:u}}", "{\"u\":\"vbscript:msgbox(1)\"}", "#");
	EXPECT("{{url:u}}", "{\"u\":\"x:y\"}", "#");
	EXPECT("{{url:u}}", "{\"u\":\":y\"}", "#");
	EXPECT("{{url:u}}",
	    "{\"u\":\"https://warpcast.com/~/conversations/0xabc\"}",
	    "https://warpcast.com/~/conversations/0xabc");
	EXPECT("{{url:u}}", "{\"u\":\"HTTP://example.com/\"}",
	    "HTTP://example.com/");
	EXPECT("{{url:u}}", "{\"u\":\"mailto:a@example.com\"}",
	    "mailto:a@example.com");
	EXPECT("{{url:u}}", "{\"u\":\"/inbox?kind=reply&x=1\"}",
	    "/inbox?kind=reply&amp;x=1");
	EXPECT("{{url:u}}", "{\"u\":\"a/b:c\"}", "a/b:c");
	EXPECT("{{url:u}}", "{\"u\":\"?q=a:b\"}", "?q=a:b");
	EXPECT("{{url:u}}", "{\"u\":\"#top:1\"}", "#top:1");
	EXPECT("{{url:u}}", "{\"u\":\"page\\\"onclick=x\"}",
	    "page&quot;onclick=x");
	EXPECT("[{{url:u}}]", "{}", "[]");
}

static void
test_svg(void)
{
	const char	*name = "t";
	const char	*text = "<div>{{svg:chart}}</div>{{chart}}";
	const char	*bad = "{{svg:nope}}";
	struct tpl_raw	 raw[] = {
		{ "other", "<x/>", 4 },
		{ "chart", "<svg><rect/></svg>", 18 },
	};
	struct buf	 b;

	buf_init(&b, 0);
	/* raw[] is the source; a data value of the same name is escaped. */
	CU_ASSERT_STRING_EQUAL(many(&b, &name, &text, 1, "t",
	    "{\"chart\":\"<svg>\"}", raw, 2),
	    "<div><svg><rect/></svg></div>&lt;svg&gt;");
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(many(&b, &name, &text, 1, "t", "{}", raw, 1),
	    "RENDER: t:1: {{svg:chart}}: no such markup");
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(many(&b, &name, &bad, 1, "t", "{}", NULL, 0),
	    "RENDER: t:1: {{svg:nope}}: no such markup");
	buf_free(&b);
}

static void
test_dur(void)
{
	EXPECT("{{dur:d}}", "{\"d\":0}", "0 s");
	EXPECT("{{dur:d}}", "{\"d\":45}", "45 s");
	EXPECT("{{dur:d}}", "{\"d\":59.9}", "59 s");
	EXPECT("{{dur:d}}", "{\"d\":720}", "12 min");
	EXPECT("{{dur:d}}", "{\"d\":11100}", "3 h 5 min");
	EXPECT("{{dur:d}}", "{\"d\":3600}", "1 h");
	EXPECT("{{dur:d}}", "{\"d\":187200}", "2 d 4 h");
	EXPECT("{{dur:d}}", "{\"d\":172800}", "2 d");
	EXPECT("[{{dur:d}}]", "{\"d\":-1}", "[]");
	EXPECT("[{{dur:d}}]", "{\"d\":\"45\"}", "[]");
	EXPECT("[{{dur:d}}]", "{\"d\":null}", "[]");
	EXPECT("[{{dur:d}}]", "{\"d\":1e300}", "[]");
}

static void
test_pct(void)
{
	EXPECT("{{pct:p}}", "{\"p\":0.4385}", "43.9 %");
	EXPECT("{{pct:p}}", "{\"p\":1}", "100.0 %");
	EXPECT("{{pct:p}}", "{\"p\":0}", "0.0 %");
	EXPECT("{{pct:p}}", "{\"p\":-0.0001}", "0.0 %");
	EXPECT("[{{pct:p}}]", "{\"p\":\"0.5\"}", "[]");
	EXPECT("[{{pct:p}}]", "{\"p\":1e308}", "[]");
}

static void
test_num(void)
{
	EXPECT("{{num:n}}", "{\"n\":12345}", "12,345");
	EXPECT("{{num:n}}", "{\"n\":999}", "999");
	EXPECT("{{num:n}}", "{\"n\":1000}", "1,000");
	EXPECT("{{num:n}}", "{\"n\":0}", "0");
	EXPECT("{{num:n}}", "{\"n\":1234567}", "1,234,567");
	EXPECT("{{num:n}}", "{\"n\":-1234}", "-1,234");
	EXPECT("{{num:n}}", "{\"n\":1234.5}", "1,235");
	EXPECT("{{num:n}}", "{\"n\":-0.4}", "0");
	EXPECT("{{num:n}}", "{\"n\":-9223372036854775808}",
	    "-9,223,372,036,854,775,808");
	EXPECT("{{num:n}}", "{\"n\":18446744073709551615}",
	    "18,446,744,073,709,551,615");
	EXPECT("[{{num:n}}]", "{\"n\":\"12\"}", "[]");
	EXPECT("[{{num:n}}]", "{\"n\":1e300}", "[]");
}

static void
test_date(void)
{
	EXPECT("{{date:t}}", "{\"t\":1736157600}", "2025-01-06 10:00 UTC");
	EXPECT("{{date:t}}", "{\"t\":1736157659.9}", "2025-01-06 10:00 UTC");
	EXPECT("{{date:t}}", "{\"t\":0}", "1970-01-01 00:00 UTC");
	EXPECT("[{{date:t}}]", "{\"t\":\"now\"}", "[]");
	EXPECT("[{{date:t}}]", "{\"t\":9223372036854775807}", "[]");
}

static void
test_load_errors(void)
{
	const char	*names[] = { "a", "b" };
	const char	*texts[] = { "ok", "x\n{{> nope}}" };
	struct buf	 b;

	EXPECT("a\n{{#x}}\nb\n", "{}", "LOAD: t:2: unclosed section {{#x}}");
	EXPECT("{{#a}}\n{{#b}}\n{{/a}}", "{}",
	    "LOAD: t:3: {{/a}} closes {{#b}} (line 2)");
	EXPECT("{{/a}}", "{}", "LOAD: t:1: {{/a}} closes no section");
	EXPECT("\n\n{{foo:x}}", "{}", "LOAD: t:3: unknown filter 'foo'");
	EXPECT("a\n{{name", "{}", "LOAD: t:2: unterminated tag");
	EXPECT("a\n{{name}", "{}", "LOAD: t:2: unterminated tag");
	EXPECT("{{a b}}", "{}", "LOAD: t:1: bad tag {{a b}}");
	EXPECT("{{{x}}}", "{}", "LOAD: t:1: bad tag {{{x}}");
	EXPECT("{{}}", "{}", "LOAD: t:1: bad tag {{}}");
	EXPECT("{{a..b}}", "{}", "LOAD: t:1: bad tag {{a..b}}");
	EXPECT("{{> a/b}}", "{}", "LOAD: t:1: bad tag {{> a/b}}");
	EXPECT("{{svg:.}}", "{}", "LOAD: t:1: bad tag {{svg:.}}");
	buf_init(&b, 0);
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 2, "a", "{}", NULL, 0),
	    "LOAD: b:2: unknown partial 'nope'");
	names[1] = "a";
	CU_ASSERT_STRING_EQUAL(many(&b, names, texts, 2, "a", "{}", NULL, 0),
	    "LOAD: a:1: bad or duplicate template name");
	buf_free(&b);
}

/* 32 open sections load; 33 do not; a text over 1 MiB does not. */
static void
test_limits(void)
{
	struct buf	 t;
	char		*big;
	int		 i;

	buf_init(&t, 0);
	for (i = 0; i < 32; i++)
		CU_ASSERT_EQUAL(buf_puts(&t, "{{#a}}"), 0);
	CU_ASSERT_EQUAL(buf_puts(&t, "x"), 0);
	for (i = 0; i < 32; i++)
		CU_ASSERT_EQUAL(buf_puts(&t, "{{/a}}"), 0);
	EXPECT(buf_cstr(&t), "{\"a\":{}}", "x");
	buf_reset(&t);
	for (i = 0; i < 33; i++)
		CU_ASSERT_EQUAL(buf_puts(&t, "{{#a}}"), 0);
	EXPECT(buf_cstr(&t), "{}", "LOAD: t:1: sections nested deeper than 32");
	buf_free(&t);

	big = malloc(1024 * 1024 + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'a', 1024 * 1024 + 1);
	big[1024 * 1024 + 1] = '\0';
	EXPECT(big, "{}", "LOAD: t:1: template over 1048576 bytes");
	big[1024 * 1024] = '\0';
	EXPECT(big, "{}", big);
	free(big);
}

static void
test_render_errors(void)
{
	const char	*name = "a";
	const char	*text = "x{{> a}}";
	const char	*loop = "{{#l}}{{#l}}{{#l}}{{#l}}{{.}}{{/l}}{{/l}}{{/l}}{{/l}}";
	struct buf	 b;
	int		 i;

	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "kept"), 0);
	CU_ASSERT_STRING_EQUAL(many(&b, &name, &text, 1, "a", "{}", NULL, 0),
	    "RENDER: a:1: partials nested deeper than 32");
	/* A failed render leaves out as it was. */
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "kept");
	buf_free(&b);

	buf_init(&b, 10);
	CU_ASSERT_STRING_EQUAL(one(&b, "0123456789{{x}}", "{\"x\":\"y\"}"),
	    "RENDER: t:1: output over the buffer's limit");
	CU_ASSERT_EQUAL(b.len, 0);
	buf_reset(&b);
	CU_ASSERT_STRING_EQUAL(one(&b, "01234{{x}}", "{\"x\":\"y\"}"),
	    "01234y");
	buf_free(&b);

	/* 100^4 visits would never end: the step bound stops them. */
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "{\"l\":["), 0);
	for (i = 0; i < 100; i++)
		CU_ASSERT_EQUAL(buf_puts(&b, i == 0 ? "[]" : ",[]"), 0);
	CU_ASSERT_EQUAL(buf_puts(&b, "]}"), 0);
	EXPECT(loop, buf_cstr(&b), "RENDER: t:1: over 4194304 steps");
	buf_free(&b);
}

static int
put_file(const char *dir, const char *name, const char *text)
{
	char	 path[512];
	FILE	*f;
	int	 n, rc;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    (f = fopen(path, "w")) == NULL)
		return -1;
	rc = fputs(text, f) == EOF ? -1 : 0;
	return fclose(f) == 0 ? rc : -1;
}

static void
rm_files(const char *dir)
{
	const char	*files[] = { "home.html", "row.html", "bad.html",
			    "notes.txt" };
	char		 path[512];
	size_t		 i;
	int		 n;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		n = snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (n > 0 && (size_t)n < sizeof(path))
			(void)unlink(path);
	}
	(void)rmdir(dir);
}

static void
test_load_dir(void)
{
	char			 dir[] = "/tmp/rc-tpl-XXXXXX";
	char			 err[256];
	struct tpl_set		*s;
	struct json_object	*data;
	struct buf		 b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(put_file(dir, "home.html", "<{{> row}}>"), 0);
	CU_ASSERT_EQUAL(put_file(dir, "row.html", "{{n}}"), 0);
	CU_ASSERT_EQUAL(put_file(dir, "notes.txt", "{{#"), 0);
	s = tpl_load_dir(dir, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT(tpl_has(s, "home") && tpl_has(s, "row"));
	CU_ASSERT(!tpl_has(s, "notes") && !tpl_has(s, "home.html"));
	data = json_tokener_parse("{\"n\":1}");
	buf_init(&b, 0);
	CU_ASSERT_EQUAL(tpl_render(s, "home", data, NULL, 0, &b, err,
	    sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "<1>");
	buf_free(&b);
	json_object_put(data);
	tpl_free(s);

	CU_ASSERT_EQUAL(put_file(dir, "bad.html", "ok\n{{#x}}"), 0);
	CU_ASSERT_PTR_NULL(tpl_load_dir(dir, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "bad.html:2: unclosed section {{#x}}");
	rm_files(dir);
	CU_ASSERT_PTR_NULL(tpl_load_dir(dir, err, sizeof(err)));
	tpl_free(NULL);
	CU_ASSERT(!tpl_has(NULL, "x"));
}

int
test_tpl_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("tpl", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "variables", test_vars) == NULL ||
	    CU_add_test(s, "dotted paths", test_paths) == NULL ||
	    CU_add_test(s, "context climbing", test_climb) == NULL ||
	    CU_add_test(s, "sections", test_sections) == NULL ||
	    CU_add_test(s, "nested sections", test_nested) == NULL ||
	    CU_add_test(s, "partials", test_partials) == NULL ||
	    CU_add_test(s, "escaping", test_escape) == NULL ||
	    CU_add_test(s, "url filter", test_url) == NULL ||
	    CU_add_test(s, "svg filter", test_svg) == NULL ||
	    CU_add_test(s, "dur filter", test_dur) == NULL ||
	    CU_add_test(s, "pct filter", test_pct) == NULL ||
	    CU_add_test(s, "num filter", test_num) == NULL ||
	    CU_add_test(s, "date filter", test_date) == NULL ||
	    CU_add_test(s, "load errors", test_load_errors) == NULL ||
	    CU_add_test(s, "limits", test_limits) == NULL ||
	    CU_add_test(s, "render errors", test_render_errors) == NULL ||
	    CU_add_test(s, "load dir", test_load_dir) == NULL)
		return -1;
	return 0;
}
