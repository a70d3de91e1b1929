#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "core/cfg.h"
#include "core/kv.h"
#include "tests.h"

/* kv_open with these settings: 1 when it accepts them, else 0 (why set). */
static int
open_with(const char *redis, const char *sentinels, const char *name,
    const char **why)
{
	struct cfg	 c;
	struct kv	*kv;

	memset(&c, 0, sizeof(c));
	snprintf(c.redis, sizeof(c.redis), "%s", redis);
	snprintf(c.redis_sentinels, sizeof(c.redis_sentinels), "%s", sentinels);
	snprintf(c.redis_master, sizeof(c.redis_master), "%s", name);
	c.redis_timeout = 100;
	*why = NULL;
	if ((kv = kv_open(&c, 0, why)) == NULL)
		return 0;
	kv_free(kv);
	return 1;
}

static void
test_addresses(void)
{
	const char	*why;

	CU_ASSERT(open_with("127.0.0.1:6379", "", "replycast", &why));
	CU_ASSERT(open_with("/run/redis.sock", "", "replycast", &why));
	CU_ASSERT(!open_with("127.0.0.1", "", "replycast", &why));
	CU_ASSERT(why != NULL && strncmp(why, "RC_REDIS:", 9) == 0);
	CU_ASSERT(!open_with("127.0.0.1:0", "", "replycast", &why));
	CU_ASSERT(!open_with("127.0.0.1:65536", "", "replycast", &why));
	CU_ASSERT(!open_with(":6379", "", "replycast", &why));
	CU_ASSERT(!open_with("host:", "", "replycast", &why));
	CU_ASSERT(!open_with("host:12x", "", "replycast", &why));
}

static void
test_sentinels(void)
{
	const char	*why;

	CU_ASSERT(open_with("/s", "127.0.0.1:26379", "replycast", &why));
	CU_ASSERT(open_with("/s", "a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8", "my-primary.1_x",
	    &why));
	/* An empty list: no Sentinel, and the name is not looked at. */
	CU_ASSERT(open_with("/s", "", "", &why));
	CU_ASSERT(!open_with("/s", "a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8,i:9",
	    "replycast", &why));
	CU_ASSERT(why != NULL && strncmp(why, "RC_REDIS_SENTINELS:", 19) == 0);
	CU_ASSERT(!open_with("/s", "127.0.0.1", "replycast", &why));
	CU_ASSERT(!open_with("/s", "127.0.0.1:26379,", "replycast", &why));
	CU_ASSERT(!open_with("/s", ",127.0.0.1:26379", "replycast", &why));
	CU_ASSERT(!open_with("/s", "127.0.0.1:0", "replycast", &why));
	/* A socket path is no Sentinel address. */
	CU_ASSERT(!open_with("/s", "/run/sentinel.sock", "replycast", &why));
	CU_ASSERT(!open_with("/s", "127.0.0.1:26379", "", &why));
	CU_ASSERT(!open_with("/s", "127.0.0.1:26379", "my primary", &why));
	CU_ASSERT(!open_with("/s", "127.0.0.1:26379", "a\r\nFLUSHALL", &why));
}

int
test_kv_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("kv", NULL, NULL)) == NULL)
		return -1;
	if (CU_add_test(s, "addresses", test_addresses) == NULL ||
	    CU_add_test(s, "sentinels", test_sentinels) == NULL)
		return -1;
	return 0;
}
