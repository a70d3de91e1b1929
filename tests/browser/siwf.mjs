// Sign in with Farcaster in a real browser, without JavaScript on our side:
// the login page's button opens a relay channel, the page shows the
// connect link and the server's QR code and refreshes itself; the test
// plays the Farcaster app (it completes the channel at the fixture relay,
// signing with tests/tools/siwf_sign) and the next refresh must land on the
// overview, signed in.  Run by tests/integration/t_89_siwf.sh.
// Environment: BASE, FX (the fixture relay's folder), SIGN (siwf_sign),
// KEY, FID, DOMAIN, URI.  Prints one "ok - ..." / "not ok - ..." per check.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const { BASE: base, FX: fx, SIGN: sign, KEY: key, FID: fid, DOMAIN: domain, URI: uri } = process.env;
let failed = 0;
const ok = (name, cond, detail) => {
	console.log(`${cond ? 'ok' : 'not ok'} - ${name}${!cond && detail ? `\n    ${detail}` : ''}`);
	if (!cond) failed++;
};

// The newest channel the fixture relay opened: its token and nonce.
const newest = () => {
	const dir = `${fx}/v1/channel`;
	const f = readdirSync(dir).filter((n) => n.endsWith('.req.json'))
	    .map((n) => ({ n, t: statSync(`${dir}/${n}`).mtimeMs })).sort((a, b) => b.t - a.t)[0].n;
	return { dir, token: f.replace(/\.req\.json$/, ''), nonce: JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')).nonce };
};

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
const page = await ctx.newPage();
try {
	await page.goto(`${base}/login`);
	ok('the login page has the Sign in with Farcaster button', (await page.locator('#siwf').count()) === 1);
	await Promise.all([page.waitForNavigation(), page.click('#siwf')]);
	ok('the button leads to the channel page', new URL(page.url()).pathname === '/auth/siwf/channel', page.url());
	ok('the page shows the QR code', (await page.locator('svg.qr').count()) === 1);
	const href = await page.getAttribute('#siwf-link', 'href');
	const ch = newest();
	ok('the link is the relay\'s connect URL for this channel', href === `farcaster://connect?channelToken=${ch.token}&nonce=${ch.nonce}`, href);
	ok('the page URL holds no channel token', !page.url().includes(ch.token), page.url());

	// The Farcaster app approves: the relay now has the signed message.
	const addr = execFileSync(sign, ['--address', key], { encoding: 'utf8' }).trim();
	const msg = `${domain} wants you to sign in with your Ethereum account:\n${addr}\n\nFarcaster Auth\n\n` +
	    `URI: ${uri}\nVersion: 1\nChain ID: 10\nNonce: ${ch.nonce}\nIssued At: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}\n` +
	    `Resources:\n- farcaster://fid/${fid}`;
	const sig = execFileSync(sign, [key], { input: msg, encoding: 'utf8' }).trim();
	writeFileSync(`${ch.dir}/${ch.token}.json`, JSON.stringify({
		state: 'completed', nonce: ch.nonce, message: msg, signature: sig, fid: Number(fid), username: 'browser-name',
	}));
	// The meta refresh (2 s) polls; the server signs in and redirects.
	await page.waitForURL((u) => u.pathname === '/', { timeout: 15000 });
	ok('the refresh lands on the overview', new URL(page.url()).pathname === '/', page.url());
	ok('signed in: the overview has its heading', (await page.locator('h1').count()) > 0);
	const cookies = (await ctx.cookies()).map((c) => c.name);
	ok('with the session cookies', cookies.some((n) => /rc_at$/.test(n)) && cookies.some((n) => /rc_rt$/.test(n)), cookies.join(' '));
} catch (e) {
	ok('the browser flow ran', false, String(e));
}
await browser.close();
process.exit(failed ? 1 : 0);
