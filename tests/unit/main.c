#include <stdio.h>

#include <CUnit/Basic.h>

#include "tests.h"

int
main(void)
{
	int	(*const reg[])(void) = {
		test_qs_register, test_route_register, test_problem_register,
		test_cfg_register, test_kv_register, test_buf_register, test_valid_register,
		test_ing_register, test_tok_register, test_sec_register,
		test_hset_register, test_param_register, test_cookie_register, test_policy_register,
		test_acct_register, test_csv_register, test_svg_register, test_when_register, test_stcache_register, test_scope_register, test_tpl_register, test_met_register,
		test_authn_register,
		test_req_register, test_resp_register, test_html_register,
		test_log_register, test_settings_register,
		test_throttle_register, test_cursor_register,
		test_jparse_register, test_facts_register, test_km_register,
		test_prio_register,
		test_speed_register, test_standing_register,
		test_hubid_register, test_qr_register, test_http_register,
		test_keccak_register, test_fnv_register, test_eth_register,
		test_siwe_register,
		test_derive_register, test_alert_register, test_avatar_register,
		test_mention_register,
	};
	unsigned	 fails;
	size_t		 i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (i = 0; i < sizeof(reg) / sizeof(reg[0]); i++)
		if (reg[i]() != 0) {
			fprintf(stderr, "cannot register suite %zu\n", i);
			CU_cleanup_registry();
			return 1;
		}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	printf("\n%u tests run, %u asserts failed\n",
	    CU_get_number_of_tests_run(), CU_get_number_of_failures());
	CU_cleanup_registry();
	return fails == 0 ? 0 : 1;
}
