/*
 * libFuzzer target for JSON Farcaster Signatures (jfs_verify), what the
 * public mini-app webhook parses first.  The input is the request body:
 * parsed as the API does (jparse_object), then verified.  A verified
 * signature must come with a fid above 0, a key of "0x" and 64 lowercase
 * hex digits, and a payload object.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "core/jparse.h"
#include "reply/jfs.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object	*o;
	struct jfs		 j;

	if (jparse_object((const char *)data, size, JPARSE_DEPTH, &o, NULL,
	    0) != JPARSE_OK)
		return 0;
	if (jfs_verify(o, &j) == JFS_OK) {
		if (j.fid <= 0 || strlen(j.key) != JFS_KEY_HEX ||
		    strspn(j.key + 2, "0123456789abcdef") != JFS_KEY_HEX - 2 ||
		    !json_object_is_type(j.payload, json_type_object))
			abort();
		json_object_put(j.payload);
	}
	json_object_put(o);
	return 0;
}
