// Checks docker/docker-compose.yml (or the file named on the command line)
// beyond what dclint does (dclint: the compose-spec JSON schema it ships,
// and its best-practice rules; see t_98_deploy.sh):
//   - every secret, network and named volume a service uses is declared;
//   - every depends_on names a service;
//   - the pools (auth, api, dash) have no container_name and no host ports
//     (so that --scale works), a health check through rc-probe, and run the
//     command of their name;
//   - build contexts and Dockerfiles exist, and so do the files bind-mounted
//     from the repository, except those that are git-ignored (secrets/) or
//     made by other work (monitoring/), which are listed as "pending";
//   - Redis requires a password from a secret (requirepass) and every pool
//     sends it (RC_REDIS_PASSWORD_FILE names that secret); PostgreSQL's
//     superuser is not the role the pools connect as; no service but nginx,
//     the handlers and the databases shares a network with a pool (a raw
//     FastCGI client could claim any REMOTE_ADDR).
// Exits 1 on any failure.
import { readFileSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? join(here, "..", "..", "docker", "docker-compose.yml");
const base = dirname(resolve(file));
const c = parse(readFileSync(file, "utf8"), { merge: true, strict: true, uniqueKeys: true });

let failures = 0;
const fail = (msg) => { failures++; console.log(`FAIL ${msg}`); };
const pending = [];
const keys = (o) => new Set(Object.keys(o ?? {}));
const secrets = keys(c.secrets), networks = keys(c.networks), volumes = keys(c.volumes);
const services = keys(c.services);
const list = (v) => (Array.isArray(v) ? v : Object.keys(v ?? {}));

for (const [name, s] of Object.entries(c.services ?? {})) {
	for (const x of list(s.secrets)) {
		const n = typeof x === "string" ? x : x.source;
		if (!secrets.has(n)) fail(`${name}: secret ${n} is not declared`);
	}
	for (const n of list(s.networks)) if (!networks.has(n)) fail(`${name}: network ${n} is not declared`);
	for (const n of list(s.depends_on)) if (!services.has(n)) fail(`${name}: depends_on ${n}: no such service`);
	for (const v of s.volumes ?? []) {
		const src = typeof v === "string" ? v.split(":")[0] : v.source;
		if (src.startsWith(".") || src.startsWith("/")) {
			const p = resolve(base, src);
			if (/\/docker\/(secrets|monitoring)(\/|$)/.test(p)) { if (!existsSync(p)) pending.push(`${name}: ${src}`); }
			else if (!existsSync(p)) fail(`${name}: bind mount ${src} does not exist`);
		} else if (!volumes.has(src)) fail(`${name}: volume ${src} is not declared`);
	}
	if (s.build) {
		const ctx = resolve(base, s.build.context ?? ".");
		if (!existsSync(ctx)) fail(`${name}: build context ${ctx} does not exist`);
		if (!existsSync(join(ctx, s.build.dockerfile ?? "Dockerfile"))) fail(`${name}: no Dockerfile ${s.build.dockerfile}`);
	}
}
for (const [n, s] of Object.entries(c.secrets ?? {}))
	if (s.file && !existsSync(resolve(base, s.file))) pending.push(`secret ${n}: ${s.file}`);

for (const pool of ["auth", "api", "dash"]) {
	const s = c.services?.[pool];
	if (!s) { fail(`no service ${pool}`); continue; }
	if (s.container_name) fail(`${pool}: container_name stops --scale`);
	if (s.ports) fail(`${pool}: host ports stop --scale`);
	if ((s.command ?? [])[0] !== pool) fail(`${pool}: command is not ["${pool}"]`);
	const t = (s.healthcheck?.test ?? []).join(" ");
	if (!t.startsWith(`CMD /usr/local/bin/rc-probe ${pool} `)) fail(`${pool}: health check is not rc-probe ${pool}: ${t}`);
	if (s.read_only !== true) fail(`${pool}: root file system not read-only`);
	if (!(s.cap_drop ?? []).includes("ALL")) fail(`${pool}: cap_drop lacks ALL`);
	const pw = s.environment?.RC_REDIS_PASSWORD_FILE ?? "";
	if (!pw.startsWith("/run/secrets/") || !list(s.secrets).includes(pw.slice(13)))
		fail(`${pool}: RC_REDIS_PASSWORD_FILE does not name one of its secrets`);
	const dsnUser = /user=(\S+)/.exec(s.environment?.RC_PG_DSN ?? "")?.[1];
	if (dsnUser === (c.services?.postgres?.environment?.POSTGRES_USER ?? "postgres"))
		fail(`${pool}: connects to PostgreSQL as its superuser (${dsnUser})`);
}
const poolNets = new Set(["auth", "api", "dash"].flatMap((p) => list(c.services?.[p]?.networks)));
const mayMeetPools = new Set(["nginx", "auth", "api", "dash", "migrate", "follow", "worker", "postgres", "redis"]);
for (const [name, s] of Object.entries(c.services ?? {}))
	for (const n of list(s.networks))
		if (poolNets.has(n) && !mayMeetPools.has(name)) fail(`${name}: shares network ${n} with the pools`);
const redis = c.services?.redis;
const redisCmd = [].concat(redis?.command ?? []).join(" ");
if (!/requirepass/.test(redisCmd) || !/\/run\/secrets\/redis_password/.test(redisCmd) ||
	!list(redis?.secrets).includes("redis_password"))
	fail("redis: no requirepass from the redis_password secret");

for (const p of pending) console.log(`pending (not in this tree): ${p}`);
console.log(`${services.size} services, ${failures} failures`);
process.exit(failures ? 1 : 0);
