// Validates the Kubernetes manifests in docker/k8s/ (or the files named on
// the command line) without a cluster:
//   1. every YAML document parses (the `yaml` package, strict);
//   2. each is validated against the OpenAPI schema of its apiVersion/kind by
//      the matching `kubernetes-models` class (.validate() throws on a wrong
//      type or a missing required field; it does NOT reject unknown fields,
//      the schemas it carries allow them);
//   3. replycast's own rules: every workload's containers run as non-root
//      with a read-only root file system, no privilege escalation, all
//      capabilities dropped, resource requests and limits, liveness and
//      readiness probes; selectors match their pod templates; Services,
//      HPAs and PDBs point at something that exists; the ConfigMaps and
//      Secrets a pod uses are defined; pool probes use the pool's routes;
//   4. NetworkPolicies: a default deny of ingress and egress for the whole
//      namespace; the pools admit ingress only from the front's pods, on
//      port 9000; the front opens connections only to the pools' port 9000
//      and DNS; only the pools and the migrate Job may open PostgreSQL and
//      Redis connections (5432, 6379).
// Prints one line per document and per failed rule; exits 1 on any failure.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, "..", "..", "docker", "k8s");
const files = process.argv.length > 2 ? process.argv.slice(2)
	: readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));

let failures = 0;
const fail = (where, msg) => { failures++; console.log(`FAIL ${where}: ${msg}`); };

const docs = [];
for (const file of files) {
	const parsed = parseAllDocuments(readFileSync(file, "utf8"), { strict: true, uniqueKeys: true });
	parsed.forEach((d, i) => {
		const where = `${basename(file)}#${i + 1}`;
		if (d.errors.length) { fail(where, d.errors.map((e) => e.message).join("; ")); return; }
		const obj = d.toJS();
		if (obj === null || obj === undefined) return;
		docs.push({ where, obj });
	});
}

// kubernetes-models/<group>/<version> (core: kubernetes-models/v1).
async function modelClass(apiVersion, kind) {
	const mod = await import(`kubernetes-models/${apiVersion}`);
	return mod[kind];
}

for (const { where, obj } of docs) {
	const { apiVersion, kind } = obj;
	const name = `${kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
	let Model;
	try {
		Model = await modelClass(apiVersion, kind);
	} catch {
		Model = undefined;
	}
	if (!Model) { fail(`${where} ${name}`, `no kubernetes-models class for ${apiVersion} ${kind}`); continue; }
	try {
		new Model(obj).validate();
		console.log(`ok ${where} ${apiVersion} ${name}`);
	} catch (e) {
		fail(`${where} ${name}`, String(e.message ?? e).split("\n").slice(0, 6).join(" | "));
	}
	if (obj.metadata?.namespace !== undefined && obj.metadata.namespace !== "replycast")
		fail(`${where} ${name}`, `namespace ${obj.metadata.namespace}, not replycast`);
	if (kind !== "Namespace" && obj.metadata?.namespace !== "replycast")
		fail(`${where} ${name}`, "no namespace: replycast");
}

// Cross-document rules.
const byKind = (k) => docs.filter((d) => d.obj.kind === k);
const names = (k) => new Set(byKind(k).map((d) => d.obj.metadata.name));
const configMaps = names("ConfigMap");
const secrets = names("Secret");
const deployments = names("Deployment");
const matches = (sel, labels) => Object.entries(sel ?? {}).every(([k, v]) => labels?.[k] === v);
const podTemplates = [];
for (const k of ["Deployment", "StatefulSet", "Job"]) {
	for (const d of byKind(k)) podTemplates.push({ ...d, tpl: d.obj.spec?.template });
}

const poolRoutes = { auth: "/auth/", api: "/api/", dash: "/" };
for (const { where, obj, tpl } of podTemplates) {
	const at = `${where} ${obj.kind}/${obj.metadata.name}`;
	if (obj.kind !== "Job" && !matches(obj.spec?.selector?.matchLabels, tpl?.metadata?.labels))
		fail(at, "spec.selector.matchLabels does not match the pod template's labels");
	const pod = tpl?.spec ?? {};
	if (pod.securityContext?.runAsNonRoot !== true) fail(at, "pod securityContext.runAsNonRoot is not true");
	for (const v of pod.volumes ?? []) {
		if (v.configMap && !configMaps.has(v.configMap.name)) fail(at, `volume ${v.name}: no ConfigMap ${v.configMap.name}`);
		if (v.secret && !secrets.has(v.secret.secretName)) fail(at, `volume ${v.name}: no Secret ${v.secret.secretName}`);
	}
	const volumeNames = new Set((pod.volumes ?? []).map((v) => v.name));
	for (const c of pod.containers ?? []) {
		const cat = `${at} container ${c.name}`;
		const sc = c.securityContext ?? {};
		if (sc.runAsNonRoot !== true) fail(cat, "securityContext.runAsNonRoot is not true");
		if (sc.readOnlyRootFilesystem !== true) fail(cat, "securityContext.readOnlyRootFilesystem is not true");
		if (sc.allowPrivilegeEscalation !== false) fail(cat, "securityContext.allowPrivilegeEscalation is not false");
		if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail(cat, "securityContext.capabilities.drop lacks ALL");
		for (const r of ["requests", "limits"])
			for (const res of ["cpu", "memory"])
				if (c.resources?.[r]?.[res] === undefined) fail(cat, `resources.${r}.${res} missing`);
		for (const m of c.volumeMounts ?? [])
			if (!volumeNames.has(m.name)) fail(cat, `volumeMount ${m.name} names no volume`);
		for (const e of c.envFrom ?? []) {
			if (e.configMapRef && !configMaps.has(e.configMapRef.name)) fail(cat, `envFrom: no ConfigMap ${e.configMapRef.name}`);
			if (e.secretRef && !secrets.has(e.secretRef.name)) fail(cat, `envFrom: no Secret ${e.secretRef.name}`);
		}
		if (obj.kind === "Job") continue;
		if (!c.livenessProbe) fail(cat, "no livenessProbe");
		if (!c.readinessProbe) fail(cat, "no readinessProbe");
		const pool = c.args?.[0];
		if (pool in poolRoutes) {
			const want = (p, what) => ["/usr/local/bin/rc-probe", pool, what].join(" ") === (p?.exec?.command ?? []).join(" ");
			if (!want(c.livenessProbe, "healthz")) fail(cat, `livenessProbe is not rc-probe ${pool} healthz (${poolRoutes[pool]}healthz)`);
			if (!want(c.readinessProbe, "readyz")) fail(cat, `readinessProbe is not rc-probe ${pool} readyz (${poolRoutes[pool]}readyz)`);
			if (!(c.ports ?? []).some((p) => p.containerPort === 9000)) fail(cat, "no containerPort 9000");
		}
	}
}

for (const { where, obj } of byKind("Service")) {
	const at = `${where} Service/${obj.metadata.name}`;
	if (obj.spec?.type === "ExternalName") continue;
	const sel = obj.spec?.selector;
	const targets = podTemplates.filter((p) => p.obj.kind !== "Job" && matches(sel, p.tpl?.metadata?.labels));
	if (!sel || targets.length === 0) { fail(at, "selector matches no pod template"); continue; }
	for (const port of obj.spec.ports ?? []) {
		if (typeof port.targetPort !== "string") continue;
		const named = targets.some((t) => (t.tpl.spec.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)));
		if (!named) fail(at, `targetPort ${port.targetPort} is no container port's name`);
	}
}
for (const { where, obj } of byKind("HorizontalPodAutoscaler")) {
	const ref = obj.spec?.scaleTargetRef;
	if (ref?.kind !== "Deployment" || !deployments.has(ref.name))
		fail(`${where} HorizontalPodAutoscaler/${obj.metadata.name}`, `scaleTargetRef ${ref?.kind}/${ref?.name} does not exist`);
}
for (const { where, obj } of byKind("PodDisruptionBudget")) {
	if (!podTemplates.some((p) => matches(obj.spec?.selector?.matchLabels, p.tpl?.metadata?.labels)))
		fail(`${where} PodDisruptionBudget/${obj.metadata.name}`, "selector matches no pod template");
}

// NetworkPolicies.  A label selector (matchLabels and In/NotIn/Exists/
// DoesNotExist expressions) against a set of labels; {} selects every pod.
const selects = (sel, labels) => {
	if (!sel) return false;
	if (!matches(sel.matchLabels, labels)) return false;
	return (sel.matchExpressions ?? []).every(({ key, operator, values }) => {
		const has = labels?.[key] !== undefined;
		if (operator === "In") return has && values.includes(labels[key]);
		if (operator === "NotIn") return !has || !values.includes(labels[key]);
		if (operator === "Exists") return has;
		if (operator === "DoesNotExist") return !has;
		return false;
	});
};
const policies = byKind("NetworkPolicy");
const podsOf = (component) => podTemplates.filter((p) => p.tpl?.metadata?.labels?.["app.kubernetes.io/component"] === component);
const labelsOf = (component) => podsOf(component)[0]?.tpl?.metadata?.labels;
const frontLabels = labelsOf("front");
const types = (pol) => pol.spec?.policyTypes ?? ["Ingress"];
const portsOf = (rule) => (rule.ports ?? []).map((p) => p.port);
const isDns = (rule) => (rule.to ?? []).length > 0 && (rule.to ?? []).every((t) => t.podSelector?.matchLabels?.["k8s-app"] === "kube-dns") &&
	portsOf(rule).length > 0 && portsOf(rule).every((p) => p === 53);
if (!policies.some(({ obj }) => Object.keys(obj.spec?.podSelector ?? { x: 1 }).length === 0 &&
	types(obj).includes("Ingress") && types(obj).includes("Egress") && !obj.spec.ingress && !obj.spec.egress))
	fail("NetworkPolicy", "no default deny (podSelector {}, policyTypes Ingress and Egress, no rules)");
if (!frontLabels) fail("NetworkPolicy", "no front pod template (component: front)");
for (const pool of Object.keys(poolRoutes)) {
	const labels = labelsOf(pool);
	if (!labels) { fail("NetworkPolicy", `no pod template of pool ${pool}`); continue; }
	const mine = policies.filter(({ obj }) => selects(obj.spec?.podSelector, labels) && types(obj).includes("Ingress"));
	if (!mine.some(({ obj }) => (obj.spec.ingress ?? []).length > 0))
		fail(`NetworkPolicy pool ${pool}`, "no policy admits the front");
	for (const { where, obj } of mine) {
		for (const rule of obj.spec.ingress ?? []) {
			const at = `${where} NetworkPolicy/${obj.metadata.name} (pool ${pool})`;
			const from = rule.from ?? [];
			if (from.length === 0 || !from.every((f) => f.podSelector && !f.namespaceSelector && !f.ipBlock &&
				frontLabels && selects(f.podSelector, frontLabels) &&
				!podTemplates.some((p) => p.tpl?.metadata?.labels?.["app.kubernetes.io/component"] !== "front" &&
					selects(f.podSelector, p.tpl?.metadata?.labels))))
				fail(at, "ingress admits more than the front's pods");
			const ports = portsOf(rule);
			if (ports.length === 0 || !ports.every((p) => p === 9000 || p === "fastcgi"))
				fail(at, `ingress ports are not only 9000 (${ports.join(", ") || "all"})`);
		}
	}
}
for (const { where, obj } of policies) {
	const at = `${where} NetworkPolicy/${obj.metadata.name}`;
	const sel = obj.spec?.podSelector;
	for (const rule of obj.spec?.egress ?? []) {
		const ports = portsOf(rule);
		if (ports.length === 0 && (rule.to ?? []).length === 0) fail(at, "an egress rule admits everything");
		if ((ports.includes(5432) || ports.includes(6379)) &&
			podTemplates.some((p) => !["auth", "api", "dash", "migrate"].includes(p.tpl?.metadata?.labels?.["app.kubernetes.io/component"]) &&
				selects(sel, p.tpl?.metadata?.labels)))
			fail(at, "lets pods other than the pools and migrate reach PostgreSQL or Redis");
		if (frontLabels && selects(sel, frontLabels) && !isDns(rule) &&
			!(ports.length > 0 && ports.every((p) => p === 9000) && (rule.to ?? []).length > 0 &&
				(rule.to ?? []).every((t) => t.podSelector && !t.namespaceSelector && !t.ipBlock &&
					Object.keys(poolRoutes).some((pool) => selects(t.podSelector, labelsOf(pool))) &&
					!selects(t.podSelector, frontLabels))))
			fail(at, "the front may open connections beyond the pools' port 9000 and DNS");
	}
}

console.log(`${docs.length} documents, ${failures} failures`);
process.exit(failures ? 1 : 0);
