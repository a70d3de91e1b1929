// Every dashboard page in every way it is seen: at 1280 px and at 375 px,
// in the light and the dark scheme, for an account with data and for one
// with none.  Each view is screenshotted (OUT/<who>/<page>-<width>-<scheme>.png,
// kept as test artefacts), must not scroll sideways, must not show a
// placeholder leaking from the template (NaN, undefined, null), and axe-core
// must find no serious or critical violation in it.  axe injects a script, so
// these contexts bypass the CSP; dash.mjs checks the pages under the CSP.
// Environment: BASE, OUT, RC_USER/RC_PASS (an admin with data),
// RC_EMPTY_USER/RC_EMPTY_PASS (a user whose fid has no casts).
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

// [name, path, status, who]: who is 'all', or 'data' for pages only the
// admin with data may see (the other account gets the 403 page instead).
const pages = [
	['overview', '/?range=30', 200, 'all'],
	['overview-90d', '/?range=90', 200, 'all'],
	['overview-dates', '/?from=2025-01-01&to=2025-02-01', 200, 'all'],
	['overview-empty-window', '/?from=2001-01-01&to=2001-01-31', 200, 'all'],
	['inbox', '/inbox', 200, 'all'],
	['inbox-done', '/inbox?show=done', 200, 'all'],
	['inbox-snoozed', '/inbox?show=snoozed', 200, 'all'],
	['people', '/people?from=2025-01-01&to=2025-02-01', 200, 'all'],
	['people-by-median', '/people?sort=median&from=2025-01-01&to=2025-02-01', 200, 'all'],
	['settings', '/settings', 200, 'all'],
	['settings-saved', '/settings?saved=1', 200, 'all'],
	['admin', '/admin', 200, 'data'],
	['admin-refused', '/admin', 403, 'empty'],
	['not-found', '/nothing-here', 404, 'all'],
];
const views = [];
for (const width of [1280, 375])
	for (const scheme of ['light', 'dark'])
		views.push({ width, height: width > 600 ? 900 : 812, scheme });

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const look = async (page, who, name, path, status, v) => {
	const label = `${who} ${name} at ${v.width} px, ${v.scheme}`;
	await page.setViewportSize({ width: v.width, height: v.height });
	await page.emulateMedia({ colorScheme: v.scheme });
	const resp = await page.goto(`${base}${path}`);
	ok(`${label}: ${status}`, resp.status() === status, `status ${resp.status()} for ${path}`);
	const dir = `${out}/${who}`;
	mkdirSync(dir, { recursive: true });
	await page.screenshot({ path: `${dir}/${name}-${v.width}-${v.scheme}.png`, fullPage: true });
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	const past = wide <= v.width ? [] : await page.evaluate((w) => [...document.querySelectorAll('body *')]
	    .filter((e) => e.getBoundingClientRect().right > w + 0.5)
	    .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ?
		`.${e.className.split(' ').join('.')}` : ''} to ${Math.round(e.getBoundingClientRect().right)} px`), v.width);
	ok(`${label}: no sideways scrolling`, wide <= v.width, `scrollWidth ${wide}: ${past.slice(-4).join(', ')}`);
	const text = await page.locator('body').innerText();
	const leak = text.match(/\b(NaN|undefined|null|Infinity)\b|\{\{/);
	ok(`${label}: no placeholder in the text`, leak === null, leak && text.slice(Math.max(0, leak.index - 60), leak.index + 40));
	ok(`${label}: one h1`, (await page.locator('h1').count()) === 1);
	const r = await new AxeBuilder({ page }).analyze();
	const bad = r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical');
	ok(`${label}: axe finds no serious or critical violation`, bad.length === 0,
	    bad.map((x) => `${x.impact} ${x.id}: ${x.help} at ` +
		x.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')).join('\n    '));
};

const signIn = async (page, user, pass) => {
	await page.goto(`${base}/login`);
	await page.fill('#username', user);
	await page.fill('#password', pass);
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
	return new URL(page.url()).pathname === '/';
};

const accounts = [['data', process.env.RC_USER, process.env.RC_PASS],
    ['empty', process.env.RC_EMPTY_USER, process.env.RC_EMPTY_PASS]];
try {
	// Signed out: the sign-in page, plain and with an error.
	const anon = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true });
	const ap = await anon.newPage();
	for (const v of views) {
		await look(ap, 'anonymous', 'sign-in', '/login', 200, v);
		await ap.fill('#username', 'nobody-here');
		await ap.fill('#password', 'wrong-password');
		await Promise.all([ap.waitForNavigation(), ap.click('button[type=submit]')]);
		const u = new URL(ap.url());
		await look(ap, 'anonymous', 'sign-in-error', u.pathname + u.search, 200, v);
	}
	await anon.close();

	for (const [who, user, pass] of accounts) {
		const ctx = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true });
		const page = await ctx.newPage();
		ok(`${who}: signed in`, await signIn(page, user, pass), page.url());
		for (const [name, path, status, only] of pages) {
			if (only !== 'all' && only !== who)
				continue;
			for (const v of views)
				await look(page, who, name, path, status, v);
		}
		// The matrix must have seen what it claims: data for one, none for the other.
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.goto(`${base}/people?from=2025-01-01&to=2025-02-01`);
		const rows = await page.locator('table.people tbody tr').count();
		ok(`${who}: the people page ${who === 'data' ? 'has' : 'has no'} rows`, who === 'data' ? rows > 0 : rows === 0, `${rows} rows`);
		if (who === 'data') {
			ok('data: aria-sort on one column header', (await page.locator('th[aria-sort]').count()) === 1);
			ok('data: channel rows on the people page', (await page.locator('table.channels tbody tr').count()) > 0);
			ok('data: a channel without a name shows as "No channel"',
			    (await page.locator('table.channels tbody th', { hasText: 'No channel' }).count()) === 1);
		}
		await page.goto(`${base}/inbox`);
		const items = await page.locator('li.item').count();
		ok(`${who}: the inbox ${who === 'data' ? 'has' : 'has no'} items`, who === 'data' ? items > 0 : items === 0, `${items} items`);
		await ctx.close();
	}
} catch (e) {
	ok('the matrix run finished', false, String(e));
}
await browser.close();
process.exit(failed ? 1 : 0);
