#include <string.h>

#include <CUnit/CUnit.h>

#include "reply/hubid.h"
#include "tests.h"

#define A_LOW	"0x2c7536e3605d9c16a7a3d7b1898e529396a65c23"
#define A_SUM	"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
#define B_LOW	"0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"

/* onChainIdRegistryEventByAddress, as a Hub answers it. */
static const char custody[] = "{\"type\":\"EVENT_TYPE_ID_REGISTER\","
    "\"chainId\":10,\"fid\":890,\"idRegisterEventBody\":{\"to\":\"" A_SUM
    "\",\"eventType\":\"ID_REGISTER_EVENT_TYPE_REGISTER\",\"from\":\"0x\","
    "\"recoveryAddress\":\"0x00000000fcb080a4d6c39a9354da9eb9bc104cd7\"}}";

static void
test_custody(void)
{
	size_t	 n = strlen(custody);

	CU_ASSERT_EQUAL(hubid_custody_parse(custody, n, A_LOW, 890), 1);
	CU_ASSERT_EQUAL(hubid_custody_parse(custody, n, A_SUM, 890), 1);
	/* Another fid, another address, a prefix of it, nothing. */
	CU_ASSERT_EQUAL(hubid_custody_parse(custody, n, A_LOW, 891), 0);
	CU_ASSERT_EQUAL(hubid_custody_parse(custody, n, B_LOW, 890), 0);
	CU_ASSERT_EQUAL(hubid_custody_parse(custody, n, "0x2c7536e3", 890), 0);
	CU_ASSERT_EQUAL(hubid_custody_parse(custody, n, A_LOW, 0), 0);
	CU_ASSERT_EQUAL(hubid_custody_parse("{}", 2, A_LOW, 890), 0);
	CU_ASSERT_EQUAL(hubid_custody_parse("{\"fid\":\"890\"}", 13, A_LOW,
	    890), 0);
	CU_ASSERT_EQUAL(hubid_custody_parse("[", 1, A_LOW, 890), 0);
}

static void
test_signers(void)
{
	static const char s[] = "{\"events\":[{\"fid\":890,\"signerEventBody\":"
	    "{\"key\":\"0x0852c07b5695ff94138b025e3f9b4788e06133f04e254f0ea0eb85a"
	    "06e999cdd\",\"keyType\":1,\"eventType\":\"SIGNER_EVENT_TYPE_ADD\"}},"
	    "{\"fid\":890,\"signerEventBody\":{\"key\":\"" A_SUM "\",\"keyType\":2,"
	    "\"eventType\":\"SIGNER_EVENT_TYPE_ADD\"}},"
	    "{\"fid\":890,\"signerEventBody\":{\"key\":\"" B_LOW "\",\"keyType\":2,"
	    "\"eventType\":\"SIGNER_EVENT_TYPE_REMOVE\"}}]}";
	static const char ed[] = "{\"events\":[{\"signerEventBody\":{\"key\":\""
	    A_LOW "\",\"keyType\":1,\"eventType\":\"SIGNER_EVENT_TYPE_ADD\"}}]}";

	CU_ASSERT_EQUAL(hubid_signers_parse(s, strlen(s), A_LOW), 1);
	/* A removed key, an ed25519 key type: no auth address. */
	CU_ASSERT_EQUAL(hubid_signers_parse(s, strlen(s), B_LOW), 0);
	CU_ASSERT_EQUAL(hubid_signers_parse(ed, strlen(ed), A_LOW), 0);
	CU_ASSERT_EQUAL(hubid_signers_parse("{\"events\":[]}", 13, A_LOW), 0);
	CU_ASSERT_EQUAL(hubid_signers_parse("{\"events\":{}}", 13, A_LOW), 0);
}

static void
test_username(void)
{
	static const char u[] = "{\"messages\":["
	    "{\"data\":{\"timestamp\":5,\"userDataBody\":{\"type\":"
	    "\"USER_DATA_TYPE_USERNAME\",\"value\":\"new\"}}},"
	    "{\"data\":{\"timestamp\":3,\"userDataBody\":{\"type\":"
	    "\"USER_DATA_TYPE_USERNAME\",\"value\":\"old\"}}},"
	    "{\"data\":{\"timestamp\":9,\"userDataBody\":{\"type\":"
	    "\"USER_DATA_TYPE_DISPLAY\",\"value\":\"Display\"}}}]}";
	static const char none[] = "{\"messages\":[{\"data\":{\"timestamp\":9,"
	    "\"userDataBody\":{\"type\":\"USER_DATA_TYPE_BIO\",\"value\":\"b\"}}}]}";
	char	 name[HUBID_NAME_MAX + 1];

	CU_ASSERT_EQUAL(hubid_username_parse(u, strlen(u), name), 0);
	CU_ASSERT_STRING_EQUAL(name, "new");
	CU_ASSERT_EQUAL(hubid_username_parse(none, strlen(none), name), -1);
	CU_ASSERT_EQUAL(hubid_username_parse("{}", 2, name), -1);
	CU_ASSERT_STRING_EQUAL(hubid_name(HUBID_AUTH), "auth");
}

int
test_hubid_register(void)
{
	CU_pSuite	 s;

	if ((s = CU_add_suite("hubid", NULL, NULL)) == NULL ||
	    CU_add_test(s, "custody event", test_custody) == NULL ||
	    CU_add_test(s, "auth addresses", test_signers) == NULL ||
	    CU_add_test(s, "username", test_username) == NULL)
		return -1;
	return 0;
}
