// A real browser through the dashboard: signs in over TLS, opens every page,
// checks key figures against the API's JSON, fails on any console error or
// CSP violation, and saves a screenshot of each page (also at 375 px wide).
// axe-core, both widths and both schemes are matrix.mjs's; here only the
// overview with its charts' tables open.
// Environment: BASE (https://127.0.0.1:PORT), RC_USER, RC_PASS, OUT (folder).
// Prints one "ok - ..." / "not ok - ..." line per check.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';

const base = process.env.BASE, out = process.env.OUT;
let failed = 0;
const ok = (name, cond, detail) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${name}${!cond && detail ? `\n    ${detail}` : ''}`);
	if (!cond) failed++;
};
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const problems = [];
page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
page.on('pageerror', (e) => problems.push(String(e)));

const dur = (s) => {	// the template engine's {{dur:}} format
	if (s === null || s === undefined) return '';
	s = Math.round(s);
	if (s < 60) return `${s} s`;
	const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
	if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
	if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
	return `${m} min`;
};

try {
	await page.goto(`${base}/`);
	ok('an anonymous visit lands on the sign-in page', page.url().includes('/login'), page.url());
	await page.screenshot({ path: `${out}/login.png`, fullPage: true });
	await page.fill('#username', process.env.RC_USER);
	await page.fill('#password', 'wrong-password');
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
	ok('a wrong password says so', (await page.textContent('main')).includes('Wrong username or password'));
	await page.fill('#username', process.env.RC_USER);
	await page.fill('#password', process.env.RC_PASS);
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
	ok('signing in leads to the overview', new URL(page.url()).pathname === '/', page.url());

	for (const [name, path] of [['overview', '/?range=90'], ['inbox', '/inbox'], ['people', '/people'],
	    ['settings', '/settings'], ['admin', '/admin']]) {
		const resp = await page.goto(`${base}${path}`);
		ok(`${name}: 200`, resp.status() === 200, `status ${resp.status()}`);
		ok(`${name}: has a heading`, (await page.locator('h1').count()) > 0);
		await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
	}

	// Key figures against the API (the browser's cookie authenticates it).
	await page.goto(`${base}/?range=30`);
	const api = await (await page.request.get(`${base}/api/v1/me/summary`)).json();
	// A figure without a value shows a dash (issue 20 item 1).
	const dash = (s) => (s === '' ? '—' : s);
	ok('median equals the API', (await page.textContent('#median')).trim() === dash(dur(api.reply_seconds.median)),
	    `${await page.textContent('#median')} vs ${dur(api.reply_seconds.median)}`);
	const rate = api.reply_rate === null ? '—' : `${(api.reply_rate * 100).toFixed(1)} %`;
	ok('reply rate equals the API', (await page.textContent('#rate')).trim() === rate, `${await page.textContent('#rate')} vs ${rate}`);
	ok('unreplied count equals the API', (await page.textContent('#unreplied')).trim() === api.unreplied_now.toLocaleString('en-US'));
	// A chart with nothing to draw says so in a sentence instead.
	const drawn = await page.locator('svg.chart').count();
	ok('four charts drawn or said empty', drawn + (await page.locator('.charts .chart-empty').count()) === 4 && drawn >= 2, `${drawn} drawn`);
	ok('charts have a text alternative', (await page.locator('svg.chart desc').count()) === drawn);
	const within = api.reply_rate_within['1h'] === null ? '—' : `${(api.reply_rate_within['1h'] * 100).toFixed(1)} %`;
	ok('within 1 h equals the API', (await page.textContent('#within-1h')).trim() === within,
	    `${await page.textContent('#within-1h')} vs ${within}`);
	// The Kaplan-Meier curve: a step line, its data in words in <desc>.
	ok('Kaplan-Meier curve drawn as steps', (await page.locator('svg.chart-steps path.step').count()) === 1);
	const kmDesc = (await page.locator('svg.chart-steps desc').textContent()) || '';
	ok('Kaplan-Meier curve has a text alternative', /^0: [0-9.]+ %; 5 min: [0-9.]+ %/.test(kmDesc), kmDesc.slice(0, 80));

	// The trend of speed: the API's sentence, or the page says there is too little.
	const sp = await (await page.request.get(`${base}/api/v1/me/speed-trend`)).json();
	if (sp.month.sentence !== null)
		ok('speed: the month sentence equals the API', (await page.textContent('#speed-month')).trim() === sp.month.sentence);
	else if (sp.week.sentence === null)
		ok('speed: too few answered casts is said', (await page.locator('#speed-none').count()) === 1);

	// Triage from the inbox, and undo.
	await page.goto(`${base}/inbox`);
	const before = await page.locator('li.item').count();
	if (before > 0) {
		await Promise.all([page.waitForNavigation(), page.locator('li.item').first().locator('button[value=done]').click()]);
		ok('mark done removes the cast from the inbox', (await page.locator('li.item').count()) === before - 1);
		await page.goto(`${base}/inbox?show=done`);
		await Promise.all([page.waitForNavigation(), page.locator('li.item').first().locator('button[value=undo]').click()]);
		await page.goto(`${base}/inbox`);
		ok('undo brings it back', (await page.locator('li.item').count()) === before);
	} else
		ok('the inbox has casts to triage', false, 'empty inbox');

	// What counts as an answer: the three choices, saved and shown again.
	await page.goto(`${base}/settings`);
	const defv = async () => Number(((await page.textContent('#definition .note')) || '').match(/version (\d+)/)?.[1]);
	ok('settings: what counts as an answer, defaults checked',
	    await page.isChecked('#answer-direct') && !(await page.isChecked('#likes')) && await page.isChecked('#dismissed-counted'));
	const v0 = await defv();
	await page.check('#answer-thread');
	await page.check('#likes');
	await page.check('#dismissed-excluded');
	await Promise.all([page.waitForNavigation(), page.click('form.settings button[type=submit]')]);
	ok('settings: the three choices are saved',
	    await page.isChecked('#answer-thread') && await page.isChecked('#likes') && await page.isChecked('#dismissed-excluded'));
	ok('settings: a change moves the definition version on', (await defv()) === v0 + 1, `${v0} -> ${await defv()}`);
	await page.goto(`${base}/?range=30`);
	ok('overview: the figures say what counted as an answer',
	    /thread replies.*acknowledges.*excluded.*version \d+/.test((await page.textContent('#definition')) || ''),
	    await page.textContent('#definition'));
	ok('overview: likes on shows the acknowledged count', (await page.locator('#acknowledged').count()) === 1);
	await page.goto(`${base}/inbox?show=acknowledged`);
	ok('inbox: an Acknowledged view', (await page.locator('#show option[value=acknowledged]').count()) === 1);
	await page.goto(`${base}/settings`);
	await page.check('#answer-direct');
	await page.uncheck('#likes');
	await page.check('#dismissed-counted');
	await Promise.all([page.waitForNavigation(), page.click('form.settings button[type=submit]')]);
	await page.goto(`${base}/?range=30`);
	ok('overview: the default definition', /direct replies.*does not count.*counted/.test((await page.textContent('#definition')) || '') &&
	    (await page.locator('#acknowledged').count()) === 0, await page.textContent('#definition'));
	await page.goto(`${base}/settings`);
	ok('settings: back to the defaults', await page.isChecked('#answer-direct') && !(await page.isChecked('#likes')) &&
	    await page.isChecked('#dismissed-counted') && (await defv()) === v0 + 2);

	// The priority inbox: each item's score and why, the order switch and
	// the hours filter, against the API's order (items by their hashes).
	const hashes = async () => page.locator('li.item input[name=hash]').evaluateAll((l) => l.map((e) => e.value));
	const unr = async (q) => (await (await page.request.get(`${base}/api/v1/users/${api.fid}/unreplied?${q}`)).json()).items;
	await page.goto(`${base}/inbox`);
	let want = await unr('sort=priority');
	ok('inbox: priority order equals the API', JSON.stringify(await hashes()) === JSON.stringify(want.map((i) => i.hash)));
	ok('inbox: the order switch says priority', (await page.inputValue('#sort')) === 'priority');
	const why = (await page.locator('li.item p.why').first().textContent() || '').replace(/\s+/g, ' ').trim();
	ok('inbox: each item says why it is there', want.length > 0 && (await page.locator('li.item p.why').count()) === want.length &&
	    why === `Why this is here: ${want[0].why}`.trim(), why);
	ok('inbox: each item shows its score', want.length > 0 &&
	    (await page.locator('li.item .score').first().textContent()).trim() === `score ${want[0].priority.score}`);
	await page.selectOption('#sort', 'oldest');
	await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
	want = await unr('sort=oldest');
	ok('inbox: switched to oldest first', new URL(page.url()).searchParams.get('sort') === 'oldest' &&
	    JSON.stringify(await hashes()) === JSON.stringify(want.map((i) => i.hash)), page.url());
	await page.fill('#hours', '24');
	await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
	want = await unr('sort=oldest&min_hours=24');
	const got = await hashes();
	ok('inbox: waiting at least 24 hours equals the API', JSON.stringify(got) === JSON.stringify(want.map((i) => i.hash)),
	    `${got.length} vs ${want.length}`);
	ok('inbox: the filter keeps its value', (await page.inputValue('#hours')) === '24');
	await page.screenshot({ path: `${out}/inbox-filtered.png`, fullPage: true });

	// Alerts and the weekly summary, on the Settings page: saved, shown
	// again, the signing secret shown once and replaced on request.
	await page.goto(`${base}/settings`);
	await page.check('#goal_alert');
	await page.fill('#goal_before', '20');
	await page.check('#digest');
	await page.selectOption('#digest_day', 'fri');
	await page.fill('#digest_hour', '17');
	await page.fill('#webhook_url', 'https://hooks.example.com/rc');
	await Promise.all([page.waitForNavigation(), page.click('#alerts-save')]);
	const secret = ((await page.locator('#new-secret').textContent().catch(() => '')) || '').trim();
	ok('alerts: saving a web address shows its signing secret once', /^rcwh_[A-Za-z0-9_-]{43}$/.test(secret), secret);
	await page.screenshot({ path: `${out}/settings-alerts.png`, fullPage: true });
	const al = await (await page.request.get(`${base}/api/v1/me/alerts`)).json();
	ok('alerts: the API has what the form saved', al.goal_alert === true && al.goal_before_seconds === 1200 &&
	    al.digest === true && al.digest_day === 'fri' && al.digest_hour === 17 && al.share_alert === false &&
	    al.webhook_url === 'https://hooks.example.com/rc' && al.webhook_secret === undefined, JSON.stringify(al));
	await page.goto(`${base}/settings`);
	ok('alerts: the form shows them again, and not the secret', await page.isChecked('#goal_alert') &&
	    (await page.inputValue('#goal_before')) === '20' && (await page.inputValue('#digest_day')) === 'fri' &&
	    !(await page.isChecked('#share_alert')) && (await page.locator('#new-secret').count()) === 0);
	ok('alerts: the recently sent list is there, in words', ((await page.textContent('#deliveries')) || '').includes('Nothing sent yet.'));
	await Promise.all([page.waitForNavigation(), page.click('#alerts-secret')]);
	const secret2 = ((await page.locator('#new-secret').textContent().catch(() => '')) || '').trim();
	ok('alerts: a new signing secret replaces the old', /^rcwh_/.test(secret2) && secret2 !== secret, `${secret} ${secret2}`);

	// Phone width.
	await page.setViewportSize({ width: 375, height: 800 });
	await page.goto(`${base}/?range=90`);
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	ok('usable at 375 px: no sideways scrolling', wide <= 375, `scrollWidth ${wide}`);
	await page.screenshot({ path: `${out}/overview-375.png`, fullPage: true });

	// Keyboard: the first Tab reaches the skip link.
	await page.keyboard.press('Tab');
	ok('keyboard: the skip link comes first', await page.evaluate(() => document.activeElement?.className === 'skip'));

	await Promise.all([page.waitForNavigation(), page.click('.signout button')]);
	ok('signing out leads to the sign-in page', page.url().includes('/login'), page.url());

	// A member of a group big enough (tests/integration/standing.sh): where
	// they stand and their trend of speed, as sentences equal to the API's.
	if (process.env.RC_USER2) {
		const p2 = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
		p2.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
		await p2.goto(`${base}/login`);
		await p2.fill('#username', process.env.RC_USER2);
		await p2.fill('#password', process.env.RC_PASS2);
		await Promise.all([p2.waitForNavigation(), p2.click('button[type=submit]')]);
		await p2.goto(`${base}/?range=7`);
		const st = await (await p2.request.get(`${base}/api/v1/me/standing?days=7`)).json();
		const shown = ((await p2.locator('#standing-sentence').textContent()) || '').trim();
		ok('standing: the sentence is on the overview', st.shown && shown === st.sentence, `${shown} vs ${st.sentence}`);
		ok('standing: it gives the percentile', shown.includes(`faster than ${st.faster_than_percent} %`), shown);
		const sp2 = await (await p2.request.get(`${base}/api/v1/me/speed-trend`)).json();
		const wk = ((await p2.locator('#speed-week').textContent()) || '').trim();
		ok('speed: the week sentence is on the overview', sp2.week.sentence !== null && wk === sp2.week.sentence, `${wk} vs ${sp2.week.sentence}`);
		ok('speed: it says faster or slower by a percent', /^You answered \d+ % (faster|slower) than last week\./.test(wk), wk);
		await p2.screenshot({ path: `${out}/overview-standing.png`, fullPage: true });
	}

	// admin (issue 20 item 5): an admin creates an account from the page,
	// makes it an admin with their password, then disables it (that it
	// then cannot sign in is t_95_admin's: a failed sign-in here would
	// count against the address the sign-ins below come from).
	{
		const pa = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
		pa.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
		await pa.goto(`${base}/login`);
		await pa.fill('#username', process.env.RC_USER);
		await pa.fill('#password', process.env.RC_PASS);
		await Promise.all([pa.waitForNavigation(), pa.click('button[type=submit]')]);
		await pa.goto(`${base}/admin`);
		const name = `t95b${Date.now() % 1000000}`;
		await pa.fill('#new-username', name);
		await Promise.all([pa.waitForNavigation(), pa.click('#create-account button[type=submit]')]);
		const pw = ((await pa.locator('#new-password').textContent()) || '').trim();
		ok('admin: an account made in the browser gets a one-time password', /^[A-Za-z0-9_-]{43}$/.test(pw), pw);
		const row = () => pa.locator('#accounts tbody tr').filter({ has: pa.locator('th', { hasText: new RegExp(`^${name}$`) }) });
		ok('admin: the new account is listed as a user', ((await row().locator('td').first().textContent()) || '').trim() === 'user');
		await row().locator('summary').click();
		const rf = row().locator('form').filter({ has: pa.locator('input[name=action][value=role]') });
		await rf.locator('select[name=role]').selectOption('admin');
		await rf.locator('input[name=confirm]').fill(process.env.RC_PASS);
		await Promise.all([pa.waitForNavigation(), rf.locator('button[type=submit]').click()]);
		ok('admin: its role changed with the admin\'s password', ((await row().locator('td').first().textContent()) || '').trim() === 'admin',
		    await pa.locator('main').textContent());
		await row().locator('summary').click();
		await Promise.all([pa.waitForNavigation(), row().locator('button[value=disable]').click()]);
		ok('admin: it is disabled', ((await row().locator('td').nth(3).textContent()) || '').trim() === 'disabled');
		ok('admin: the audit log shows the three actions',
		    (await pa.locator('#audit tbody tr', { hasText: name }).count()) >= 3);
		await pa.screenshot({ path: `${out}/admin-actions.png`, fullPage: true });
	}

	// settings (issue 20 items 3, 6)
	{
		const sctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
		const sp = await sctx.newPage();
		sp.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
		sp.on('pageerror', (e) => problems.push(String(e)));
		const signIn = async () => {
			await sp.fill('#username', process.env.RC_USER);
			await sp.fill('#password', process.env.RC_PASS);
			await Promise.all([sp.waitForNavigation(), sp.click('button[type=submit]')]);
		};
		const me = async () => (await sp.request.get(`${base}/api/v1/me/settings`)).json();
		const save = async () => Promise.all([sp.waitForNavigation(), sp.click('form.settings button[type=submit]')]);
		await sp.goto(`${base}/settings`);
		await signIn();
		ok('settings: signing in leads back to the settings page', new URL(sp.url()).pathname === '/settings', sp.url());
		const before = await me();
		// A zone from the picker, a preset of working hours, the goal in hours.
		const ny = ((await sp.locator('#tz optgroup[label="America"] option[value="America/New_York"]').textContent()) || '').trim();
		ok('settings: the picker groups zones by region and shows the offset', /^New York \(UTC-0[45]:00\)$/.test(ny), ny);
		await sp.selectOption('#tz', 'America/New_York');
		await sp.check('#hours-weekdays-8-18');
		await sp.fill('#goal', '2');
		await sp.selectOption('#goal_unit', 'hours');
		await save();
		let s = await me();
		ok('settings: the zone, the preset and the goal in hours are saved', s.tz === 'America/New_York' &&
		    s.work_days.join() === 'mon,tue,wed,thu,fri' && s.work_start === '08:00' && s.work_end === '18:00' &&
		    s.goal_seconds === 7200, JSON.stringify(s));
		ok('settings: shown back in the same terms', (await sp.inputValue('#tz')) === 'America/New_York' &&
		    await sp.isChecked('#hours-weekdays-8-18') && (await sp.inputValue('#goal')) === '2' &&
		    (await sp.inputValue('#goal_unit')) === 'hours');
		// Mute by @username: listed by name, unmuted with its button.
		await sp.fill('#mute', '@bob');
		await Promise.all([sp.waitForNavigation(), sp.click('#mute-add')]);
		const listed = ((await sp.textContent('#muted-list')) || '').replace(/\s+/g, ' ');
		ok('mute: @bob is listed by name', listed.includes('@bob (Bob <b>)'), listed);
		ok('mute: stored as his fid', (await me()).muted.includes(20));
		await Promise.all([sp.waitForNavigation(), sp.click('#muted-list button[aria-label="Unmute @bob"]')]);
		ok('unmute: @bob leaves the list', !((await sp.textContent('#muted-list')) || '').includes('@bob') &&
		    !(await me()).muted.includes(20));
		await sp.fill('#mute', '@nobody-at-all');
		const seen = problems.length;
		await Promise.all([sp.waitForNavigation(), sp.click('#mute-add')]);
		// The page answers 422, which Chromium logs; that one is expected.
		problems.splice(seen, problems.length - seen, ...problems.slice(seen).filter((p) => !/status of 422/.test(p)));
		ok('mute: an unknown @name gets a message, the input is kept',
		    ((await sp.textContent('#mute-error')) || '').includes('no stored profile has the username @nobody-at-all') &&
		    (await sp.inputValue('#mute')) === '@nobody-at-all');
		await sp.screenshot({ path: `${out}/settings-mute.png`, fullPage: true });
		// No lost forms: the access cookie lapsed; the form is renewed and applied in one step.
		await sp.goto(`${base}/settings`);
		await sp.fill('#goal', '3');
		await sctx.clearCookies({ name: /rc_at$/ });
		await save();
		ok('expired access: the form is applied after the renewal', new URL(sp.url()).search === '?saved=1' &&
		    (await me()).goal_seconds === 10800, sp.url());
		ok('expired access: a new access cookie', (await sctx.cookies()).some((c) => /rc_at$/.test(c.name)));
		// The session is over: sign in, and the form comes back filled in, not applied.
		await sp.selectOption('#tz', 'Asia/Tokyo');
		await sp.fill('#goal', '5');
		await sctx.clearCookies({ name: /rc_(at|rt)$/ });
		await save();
		ok('session over: the sign-in page', new URL(sp.url()).pathname === '/login', sp.url());
		await signIn();
		ok('session over: back to the form, filled in', (await sp.locator('#kept').count()) === 1 &&
		    (await sp.inputValue('#tz')) === 'Asia/Tokyo' && (await sp.inputValue('#goal')) === '5', sp.url());
		s = await me();
		ok('session over: nothing applied until it is sent again', s.tz === 'America/New_York' && s.goal_seconds === 10800,
		    JSON.stringify(s));
		await save();
		s = await me();
		ok('session over: sent again, applied', s.tz === 'Asia/Tokyo' && s.goal_seconds === 18000, JSON.stringify(s));
		// Back to what the page had.
		await sp.request.put(`${base}/api/v1/me/settings`, { headers: { 'X-CSRF-Token': (await sctx.cookies()).find((c) => /rc_csrf$/.test(c.name))?.value },
		    data: { tz: before.tz, work_days: before.work_days, work_start: before.work_start, work_end: before.work_end,
		        goal_seconds: before.goal_seconds, muted: before.muted } });
		await sctx.close();
	}

	// people and inbox (issue 20 item 4)
	{
		const p4 = await (await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } })).newPage();
		p4.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
		await p4.goto(`${base}/login`);
		await p4.fill('#username', process.env.RC_USER);
		await p4.fill('#password', process.env.RC_PASS);
		await Promise.all([p4.waitForNavigation(), p4.click('button[type=submit]')]);
		const me = (await (await p4.request.get(`${base}/api/v1/me/summary`)).json()).fid;
		const win = 'from=2025-01-01&to=2025-02-01';
		const sorted = async () => [((await p4.textContent('th[aria-sort]')) || '').trim(), await p4.getAttribute('th[aria-sort]', 'aria-sort')];
		await p4.goto(`${base}/people?${win}`);
		ok('people: by inbound, most first, at first', JSON.stringify(await sorted()) === JSON.stringify(['Inbound', 'descending']));
		await Promise.all([p4.waitForNavigation(), p4.click('th[aria-sort] a')]);
		ok('people: the sorted column\'s link turns the order round', JSON.stringify(await sorted()) === JSON.stringify(['Inbound', 'ascending']));
		await Promise.all([p4.waitForNavigation(), p4.click('thead a:text-is("Person")')]);
		ok('people: sorting by person keeps the window', JSON.stringify(await sorted()) === JSON.stringify(['Person', 'ascending']) &&
		    new URL(p4.url()).searchParams.get('from') === '2025-01-01', p4.url());
		await p4.fill('#q', 'BO');
		await Promise.all([p4.waitForNavigation(), p4.click('form[role=search] button[type=submit]')]);
		const rows = await p4.locator('table.people tbody th[scope=row]').allTextContents();
		const api = await (await p4.request.get(`${base}/api/v1/users/${me}/counterparts?${win}&sort=name&q=bo&limit=500`)).json();
		ok('people: a search shows the API\'s people, each holding it', rows.length > 0 && rows.length === api.counterparts.length &&
		    rows.every((r) => r.toLowerCase().includes('bo')), JSON.stringify(rows));
		ok('people: the search keeps the sort', new URL(p4.url()).searchParams.get('sort') === 'name' &&
		    (await p4.inputValue('#q')) === 'BO', p4.url());
		const imgs = await p4.locator('table.people img').evaluateAll((l) => l.map((i) => i.getAttribute('src')));
		ok('people: pictures come from this origin only', imgs.every((u) => u.startsWith('/avatar/')), JSON.stringify(imgs));
		await p4.screenshot({ path: `${out}/people-search.png`, fullPage: true });

		const counts = async () => Object.fromEntries(await p4.locator('nav.views a').evaluateAll((l) =>
		    l.map((a) => [new URL(a.href).searchParams.get('show'), Number(a.querySelector('.count').textContent.replace(/,/g, ''))])));
		const apiCount = async (show) => (await (await p4.request.get(`${base}/api/v1/users/${me}/unreplied?show=${show}&limit=500`)).json()).items.length;
		await p4.goto(`${base}/inbox`);
		let c = await counts();
		const want = {};
		for (const v of ['inbox', 'done', 'snoozed', 'acknowledged'])
			want[v] = await apiCount(v);
		ok('inbox: the count of every view is the API\'s', JSON.stringify(c) === JSON.stringify(want), `${JSON.stringify(c)} vs ${JSON.stringify(want)}`);
		const boxes = p4.locator('li.item input[type=checkbox][name=hash]');
		if ((await boxes.count()) >= 2) {
			const picked = [await boxes.nth(0).getAttribute('value'), await boxes.nth(1).getAttribute('value')];
			await boxes.nth(0).check();
			await boxes.nth(1).check();
			await Promise.all([p4.waitForNavigation(), p4.click('button:text-is("Mark selected done")')]);
			const c2 = await counts();
			ok('inbox: two ticked casts marked done at once', c2.inbox === c.inbox - 2 && c2.done === c.done + 2, JSON.stringify(c2));
			await p4.goto(`${base}/inbox?show=done`);
			for (const h of picked)
				await p4.check(`input[type=checkbox][value="${h}"]`);
			await p4.screenshot({ path: `${out}/inbox-bulk.png`, fullPage: true });
			await Promise.all([p4.waitForNavigation(), p4.click('button:text-is("Undo selected")')]);
			c = await counts();
			ok('inbox: undo selected brings them back', c.inbox === want.inbox && c.done === want.done, JSON.stringify(c));
		} else
			ok('inbox: two casts to tick', false, 'fewer than two items');
	}

	// charts (issue 20 items 1-2)
	{
		// The admin block's session is the first user's: reuse it (see signIn).
		const uctx = browser.contexts().find((c) => c !== ctx && c.pages().some((pg) => new URL(pg.url()).pathname.startsWith('/admin')));
		const cctx = uctx ?? await browser.newContext({ ignoreHTTPSErrors: true });
		const cp = await cctx.newPage();
		await cp.setViewportSize({ width: 1280, height: 900 });
		cp.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text()); });
		// Logins from one address are throttled after a few (README): sign in
		// once here, wait out a lock if one is met, and reuse the second
		// user's session of the block above rather than signing in again.
		const signIn = async (user, pass) => {
			for (let i = 0; i < 3; i++) {
				await cp.goto(`${base}/login`);
				await cp.fill('#username', user);
				await cp.fill('#password', pass);
				await Promise.all([cp.waitForNavigation(), cp.click('button[type=submit]')]);
				const retry = new URL(cp.url()).searchParams.get('retry');
				if (retry === null) return;
				await new Promise((r) => setTimeout(r, (Number(retry) + 1) * 1000));
			}
		};
		const cget = async (q) => (await cp.request.get(`${base}/api/v1/me/${q}`)).json();
		// The smallest rendered font of the visible chart texts: the SVG's
		// font size in viewBox units times the drawn width over the viewBox's.
		const minFont = () => cp.evaluate(() => {
			let min = Infinity;
			for (const svg of document.querySelectorAll('svg.chart')) {
				const k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
				for (const t of svg.querySelectorAll('text')) {
					const cs = getComputedStyle(t);
					if (cs.display === 'none') continue;
					min = Math.min(min, parseFloat(cs.fontSize) * k);
				}
			}
			return min;
		});
		if (uctx === undefined)
			await signIn(process.env.RC_USER, process.env.RC_PASS);
		const win = 'from=2025-01-01&to=2025-01-31';
		await cp.goto(`${base}/?${win}`);
		await cp.screenshot({ path: `${out}/overview-charts-1280.png`, fullPage: true });
		ok('charts: four charts drawn for a window with data', (await cp.locator('svg.chart').count()) === 4);
		let f = await minFont();
		ok('charts: labels at least 12 px at 1280 px', f >= 12, `smallest ${f.toFixed(2)} px`);
		const widths = await cp.evaluate(() => {
			const row = document.querySelector('section.charts').getBoundingClientRect();
			const figs = [...document.querySelectorAll('section.charts figure')].map((e) => e.getBoundingClientRect());
			const rows = {};
			for (const r of figs) rows[Math.round(r.top)] = (rows[Math.round(r.top)] || 0) + r.width;
			const used = Math.min(...Object.values(rows)) / row.width;
			const fill = Math.min(...[...document.querySelectorAll('section.charts svg.chart')].map((s) => {
				const fig = s.closest('figure'), cs = getComputedStyle(fig);
				return s.getBoundingClientRect().width /
				    (fig.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
			}));
			return { used, fill };
		});
		ok('charts: each row of charts uses the row\'s width', widths.used >= 0.9, JSON.stringify(widths));
		ok('charts: each chart fills its figure', widths.fill >= 0.99, JSON.stringify(widths));
		ok('charts: the window in words', (await cp.textContent('#window-words')).trim() === '1–31 Jan 2025, UTC', await cp.textContent('#window-words'));
		const caps = await cp.locator('section.charts figure figcaption').allTextContents();
		ok('charts: every figure has a caption with the window and the zone',
		    caps.length === 4 && caps.every((c) => c.includes('1–31 Jan 2025') && c.includes('UTC')), caps.join(' | '));
		// The text alternatives: a table per chart, a row per data point.
		const sum = await cget(`summary?${win}`);
		const ufig = async (q) => (await cp.request.get(`${base}/api/v1/users/${sum.fid}/${q}`)).json();
		const tr = await ufig(`trend?${win}&bucket=week`);
		const hm = await ufig(`heatmap?${win}`);
		const rows = async (id) => cp.locator(`#${id} details.chart-data table tbody tr`).count();
		ok('charts: a details with a summary per chart', (await cp.locator('section.charts figure details.chart-data > summary').count()) === 4);
		ok('charts: the histogram\'s table has a row per bucket', (await rows('fig-hist')) === sum.distribution.length, `${await rows('fig-hist')}`);
		ok('charts: the trend\'s table has a row per week', (await rows('fig-trend')) === tr.points.length, `${await rows('fig-trend')} vs ${tr.points.length}`);
		ok('charts: the Kaplan-Meier table has a row per point', (await rows('fig-km')) === sum.time_to_answer.survival.length);
		ok('charts: the heatmap\'s table has 7 days of 24 hours', (await rows('fig-heat')) === 7 &&
		    (await cp.locator('#fig-heat details.chart-data tbody td').count()) === 168);
		// The heatmap's legend: a colour per step and the numbers behind it,
		// up to the busiest hour of the API's answer.
		const legend = await cp.locator('#fig-heat ul.legend li').allTextContents();
		const hmax = Math.max(...hm.cells.map((c) => c.inbound));
		ok('charts: the heatmap has a legend with numbers', legend.length >= 2 && legend[0].trim() === '0' &&
		    legend.every((l) => /^\d+(–\d+)?$/.test(l.trim())) && legend[legend.length - 1].trim().split('–').pop() === String(hmax),
		    `${legend.join(', ')} (max ${hmax})`);
		ok('charts: each legend step has a swatch', (await cp.locator('#fig-heat ul.legend li .swatch').count()) === legend.length);
		ok('scope: "now" cards say so', (await cp.locator('#unreplied-scope').textContent()).includes('as of now') &&
		    (await cp.locator('li.card.now .tag', { hasText: 'now' }).count()) >= 1);
		ok('scope: window figures say so', /^in this window: [\d,]+ of [\d,]+$/.test(((await cp.locator('#rate + .s').textContent()) || '').trim()),
		    await cp.locator('#rate + .s').textContent());
		// Phone width: readable labels, every other x label hidden, no sideways scroll.
		await cp.setViewportSize({ width: 375, height: 800 });
		await cp.goto(`${base}/?${win}`);
		f = await minFont();
		ok('charts: labels at least 12 px at 375 px', f >= 12, `smallest ${f.toFixed(2)} px`);
		const sw = await cp.evaluate(() => document.documentElement.scrollWidth);
		ok('charts: no sideways scrolling at 375 px', sw <= 375, `scrollWidth ${sw}`);
		await cp.screenshot({ path: `${out}/overview-charts-375.png`, fullPage: true });
		await cp.locator('section.charts').screenshot({ path: `${out}/overview-charts-only-375.png` });
		await cp.setViewportSize({ width: 1280, height: 900 });
		// The tables open, in both schemes: axe finds nothing serious (a
		// context of its own bypasses the CSP, as axe runs a script).
		{
			const actx = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, viewport: { width: 1280, height: 900 } });
			const xp = await actx.newPage();
			await actx.addCookies(await cctx.cookies());
			for (const colorScheme of ['light', 'dark']) {
				await xp.emulateMedia({ colorScheme });
				await xp.goto(`${base}/?${win}`);
				await xp.evaluate(() => { for (const d of document.querySelectorAll('details.chart-data')) d.open = true; });
				const r = await new AxeBuilder({ page: xp }).analyze();
				const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
				ok(`charts: axe with every table open (${colorScheme}): no serious or critical violation`, bad.length === 0,
				    bad.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n    '));
				if (colorScheme === 'dark')
					await xp.locator('section.charts').screenshot({ path: `${out}/overview-charts-open-dark.png` });
			}
			await actx.close();
		}
		// An empty window: a dash in the cards and sentences that say why.
		await cp.goto(`${base}/?from=2001-01-01&to=2001-01-31`);
		await cp.screenshot({ path: `${out}/overview-empty.png`, fullPage: true });
		if ((await cp.locator('#empty-window').count()) === 1)
			ok('empty window: the sentence names the window', (await cp.textContent('#empty-window')).includes('between 1 and 31 Jan 2001'));
		else {
			ok('empty window: the sentence says what is missing and when',
			    ((await cp.textContent('#no-data')) || '').startsWith('Nobody replied to or mentioned you between 1 and 31 Jan 2001'),
			    await cp.textContent('#no-data'));
			ok('empty window: a dash in the cards with no value', (await cp.textContent('#median')).trim() === '—' &&
			    (await cp.textContent('#rate')).trim() === '—');
			const empties = await cp.locator('section.charts .chart-empty').allTextContents();
			ok('empty window: each chart says why it is empty', empties.length === 4 &&
			    empties.every((e) => e.includes('between 1 and 31 Jan 2001')) && (await cp.locator('svg.chart').count()) === 0,
			    empties.join(' | '));
		}
		// The change since the previous window of the same length, equal to
		// the API's answers for both windows (a user with data in both).
		const c2 = browser.contexts().find((c) => c !== ctx && c !== cctx && c.pages().some((pg) => /[?&]range=7/.test(pg.url())));
		ok('scope: the second user\'s session is there to compare windows', !process.env.RC_USER2 || c2 !== undefined);
		if (process.env.RC_USER2 && c2 !== undefined) {
			const cp = c2.pages()[0];
			const cget = async (q) => (await cp.request.get(`${base}/api/v1/me/${q}`)).json();
			await cp.goto(`${base}/?range=7`);
			const w = await cp.locator('#window').evaluate((e) => ({ from: Number(e.dataset.from), to: Number(e.dataset.to) }));
			const len = w.to - w.from, than = `the previous ${Math.round(len / 86400)} days`;
			const cur = await cget(`summary?from=${w.from}&to=${w.to}`);
			const prev = await cget(`summary?from=${w.from - len}&to=${w.from}`);
			const change = (c, p, kind) => {
				if (kind === 's') {
					const pts = (Math.abs(c - p) * 100).toFixed(1);
					return pts === '0.0' ? `about the same as ${than}` :
					    `${c > p ? '▲' : '▼'} ${pts} points ${c > p ? 'higher' : 'lower'} than ${than}`;
				}
				if (p <= 0) return c <= 0 ? `about the same as ${than}` : `▲ ${kind === 'd' ? 'slower' : 'more'}, from 0 in ${than}`;
				const r = (c - p) / p * 100, pct = Math.round(Math.abs(r));
				if (pct === 0) return `about the same as ${than}`;
				return r < 0 ? `▼ ${pct} % ${kind === 'd' ? 'faster' : 'fewer'} than ${than}` :
				    `▲ ${pct} % ${kind === 'd' ? 'slower' : 'more'} than ${than}`;
			};
			ok('scope: both windows have data to compare', cur.reply_seconds.median !== null && prev.reply_seconds.median !== null,
			    `${cur.reply_seconds.median} ${prev.reply_seconds.median}`);
			const got = async (id) => ((await cp.locator(id).textContent().catch(() => '')) || '').trim();
			const wantMed = change(cur.reply_seconds.median, prev.reply_seconds.median, 'd');
			ok('scope: the median\'s change equals the API\'s two windows', (await got('#median-change')) === wantMed,
			    `${await got('#median-change')} vs ${wantMed}`);
			const wantRate = change(cur.reply_rate, prev.reply_rate, 's');
			ok('scope: the reply rate\'s change equals the API\'s two windows', (await got('#rate-change')) === wantRate,
			    `${await got('#rate-change')} vs ${wantRate}`);
			const wantAns = `Answered: ${change(cur.answered, prev.answered, 'n')}`;
			ok('scope: the answered count\'s change equals the API\'s two windows', (await got('#answered-change')) === wantAns,
			    `${await got('#answered-change')} vs ${wantAns}`);
			ok('scope: a change is said in words, not colour alone', /(faster|slower|about the same)/.test(await got('#median-change')));
			await cp.screenshot({ path: `${out}/overview-change.png`, fullPage: true });
		}
		await (uctx === undefined ? cctx.close() : cp.close());
	}
} catch (e) {
	ok('the browser run finished', false, String(e));
}
ok('no console errors or CSP violations', problems.length === 0, problems.join(' | '));

await browser.close();
process.exit(failed ? 1 : 0);
