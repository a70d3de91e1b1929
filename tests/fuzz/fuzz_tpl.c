/*
 * libFuzzer target for the template engine (built by `make fuzz`).  The
 * input is a template text, a NUL byte, then a JSON text: the template is
 * loaded as "t" beside two fixed ones ("p" uses data, "q" includes "t"
 * back, so {{> q}} recurses), the JSON is parsed with a depth limit, and
 * "t" is rendered into a buffer limited to 1 MiB.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "dash/tpl.h"

#define FUZZ_JSON_DEPTH	16
#define FUZZ_OUT_MAX	(1024u * 1024u)

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The JSON text (n bytes), or NULL when it does not parse. */
static struct json_object *
fuzz_json(const char *s, size_t n)
{
	struct json_tokener	*tok;
	struct json_object	*v;

	if (n > INT_MAX || (tok = json_tokener_new_ex(FUZZ_JSON_DEPTH)) == NULL)
		return NULL;
	v = json_tokener_parse_ex(tok, s, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(v);
		v = NULL;
	}
	json_tokener_free(tok);
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tpl_raw raw[] = { { "chart", "<svg/>", 6 } };
	const char		*names[] = { "t", "p", "q" };
	const char		*texts[3];
	const char		*in = (const char *)data, *nul;
	char			*text, err[256];
	struct tpl_set		*set;
	struct json_object	*obj = NULL;
	struct buf		 out;
	size_t			 tlen;

	nul = memchr(in, '\0', size);
	tlen = nul == NULL ? size : (size_t)(nul - in);
	if ((text = malloc(tlen + 1)) == NULL)
		return 0;
	memcpy(text, in, tlen);
	text[tlen] = '\0';
	texts[0] = text;
	texts[1] = "[{{name}}|{{url:u}}|{{num:n}}]{{#xs}}{{.}},{{/xs}}";
	texts[2] = "{{> t}}";
	set = tpl_load_mem(names, texts, 3, err, sizeof(err));
	if (set != NULL && nul != NULL)
		obj = fuzz_json(nul + 1, size - tlen - 1);
	if (set != NULL) {
		buf_init(&out, FUZZ_OUT_MAX);
		(void)tpl_render(set, "t", obj, raw, 1, &out, err, sizeof(err));
		buf_free(&out);
	}
	json_object_put(obj);
	tpl_free(set);
	free(text);
	return 0;
}
