#ifndef RC_TESTS_H
#define RC_TESTS_H

/* Each test_*.c registers its suite; main.c calls them all. */
int	 test_qs_register(void);
int	 test_km_register(void);
int	 test_prio_register(void);
int	 test_speed_register(void);
int	 test_standing_register(void);
int	 test_route_register(void);
int	 test_problem_register(void);
int	 test_cfg_register(void);
int	 test_kv_register(void);
int	 test_buf_register(void);
int	 test_valid_register(void);
int	 test_ing_register(void);
int	 test_ing_fast_register(void);	/* called by test_ing_register */
int	 test_hset_register(void);
int	 test_param_register(void);
int	 test_tok_register(void);
int	 test_sec_register(void);
int	 test_cookie_register(void);
int	 test_csv_register(void);
int	 test_policy_register(void);
int	 test_throttle_register(void);
int	 test_acct_register(void);
int	 test_svg_register(void);
int	 test_when_register(void);
int	 test_stcache_register(void);
int	 test_scope_register(void);
int	 test_tpl_register(void);
int	 test_met_register(void);
int	 test_authn_register(void);
int	 test_req_register(void);
int	 test_resp_register(void);
int	 test_html_register(void);
int	 test_log_register(void);
int	 test_settings_register(void);
int	 test_cursor_register(void);
int	 test_jparse_register(void);
int	 test_facts_register(void);
int	 test_hubid_register(void);
int	 test_qr_register(void);
int	 test_http_register(void);
int	 test_keccak_register(void);
int	 test_fnv_register(void);
int	 test_eth_register(void);
int	 test_siwe_register(void);
int	 test_derive_register(void);
int	 test_alert_register(void);
int	 test_avatar_register(void);
int	 test_mention_register(void);

#endif
