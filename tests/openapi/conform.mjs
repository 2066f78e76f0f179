// conform.mjs - real answers of a running server checked against
// docs/openapi.yaml.
//
// Usage: node conform.mjs                (run by run.sh, which starts
//        node conform.mjs --record FILE   the server)
//
// Reads TOBMEN_TEST_URL (the server), TOBMEN_TEST_BIN and TOBMEN_TEST_DB
// (the binary and store, for the operator's `tobmen admin`) and
// TOBMEN_TEST_MAIL_DIR (where the server writes its mail).  Walks the API
// the way its users do - a distributor registers, a supplier is made by
// the operator and invites it, licences are connected and activated,
// documents uploaded, the feed read, packages published - with good calls
// and bad ones, and checks every answer:
//   - its method and path are an operation of the description, and its
//     status is one the operation lists (an error of the common kind may
//     fall to `default`);
//   - its content type is described, and a JSON body validates against
//     the schema for that status (JSON Schema 2020-12, with ajv);
//   - an error's code is one the description names for that status
//     (backquoted in the response's description) or a common one
//     (x-common-codes of components/responses/Error);
//   - the headers the response marks required are there and match;
//   - a request body the server accepted (2xx) validates against the
//     operation's request schema, so the description is not stricter than
//     the server.
// Each checked answer is one "ok" / "FAIL" line.
//
// With --record FILE it walks nothing: FILE holds the answers the API
// tests got (tests/api/harness.c writes one JSON line per answer when
// TOBMEN_TEST_RECORD names a file), and each is checked the same way,
// except for the request body (the tests send odd ones on purpose) and
// for bodies sent gzip-compressed.  Answers to paths outside /api that
// the description does not name (the cabinet's pages) are left out, and
// the router's own 404 and 405 must be common errors.  They are reported
// one line per operation and status, with how many answers it covers.
//
// The run ends with "N passed, N failed" and exits 1 if anything failed.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync }
    from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const TOP = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC_FILE = process.env.TOBMEN_OPENAPI_SPEC ??
    join(TOP, 'docs', 'openapi.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const PASSWORD = 'openapi walk passphrase 7';
const INN = '7707083893';
const SCHEMA_ID = 'tobmen:openapi';

let passed = 0;
let failed = 0;

function env(name) {
	const v = process.env[name];

	if (!v)
		throw new Error(`${name} is not set (run.sh sets it)`);
	return v;
}

// --- the description --------------------------------------------------

// Follows a local "#/a/b" pointer in doc.
function pointer(doc, ref) {
	let node = doc;

	for (const part of ref.replace(/^#\//, '').split('/'))
		node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
	if (node === undefined)
		throw new Error(`dangling $ref ${ref}`);
	return node;
}

// Resolves a Reference Object (responses, headers, parameters, request
// bodies); its description and summary override the target's, as in
// OpenAPI 3.1.
function deref(doc, o) {
	while (o && typeof o.$ref === 'string') {
		const { $ref, ...extra } = o;

		o = { ...pointer(doc, $ref), ...extra };
	}
	return o;
}

// A copy of a schema for ajv: component references point into the
// schema registered under SCHEMA_ID, and extensions are dropped.
function forAjv(node) {
	if (Array.isArray(node))
		return node.map(forAjv);
	if (node === null || typeof node !== 'object')
		return node;

	const out = {};

	for (const [k, v] of Object.entries(node)) {
		if (k.startsWith('x-'))
			continue;
		if (k === '$ref' && typeof v === 'string')
			out[k] = v.replace('#/components/schemas/',
			    `${SCHEMA_ID}#/$defs/`);
		else
			out[k] = forAjv(v);
	}
	return out;
}

class Description {
	constructor(file) {
		this.doc = parse(readFileSync(file, 'utf8'));
		this.ajv = new Ajv2020({ strict: true, allowUnionTypes: true,
		    allErrors: true });
		addFormats(this.ajv);
		this.ajv.addSchema({ $id: SCHEMA_ID,
		    $defs: forAjv(this.doc.components?.schemas ?? {}) });
		this.compiled = new Map();
		this.routes = this.routeTable();

		const common = this.doc.components?.responses?.Error?.[
		    'x-common-codes'] ?? {};

		this.common = new Map(Object.entries(common)
		    .map(([s, codes]) => [Number(s), new Set(codes)]));
	}

	// [{re, params, method, path, op}] for every operation, with the
	// path's server prefix.
	routeTable() {
		const root = this.doc.servers?.[0]?.url ?? '/';
		const out = [];

		for (const [path, item] of Object.entries(this.doc.paths)) {
			const base = (item.servers?.[0]?.url ?? root)
			    .replace(/\/+$/, '');
			const full = base + path;
			const params = (full.match(/\{/g) ?? []).length;
			const re = new RegExp('^' + full.replace(
			    /[.*+?^$()|[\]\\]/g, '\\$&').replace(
			    /\\?\{[^}]+\\?\}/g, '[^/]+') + '$');

			for (const m of METHODS)
				if (item[m])
					out.push({ re, params, method: m,
					    path, item, op: item[m] });
		}
		// A literal segment wins over a parameter, as in the router.
		return out.sort((a, b) => a.params - b.params);
	}

	// The operation for method and a concrete path, or undefined.
	find(method, path) {
		return this.routes.find((r) => r.method === method &&
		    r.re.test(path));
	}

	// A validator for schema (cached by key).
	validator(key, schema) {
		if (!this.compiled.has(key))
			this.compiled.set(key,
			    this.ajv.compile(forAjv(schema)));
		return this.compiled.get(key);
	}
}

// The path part of a request target, exactly as sent (no dot-segment
// folding: the router refuses those, and so must the matching here).
function pathOf(target) {
	return target.split(/[?#]/)[0];
}

// Readable ajv errors.
function schemaErrors(errors) {
	return (errors ?? []).slice(0, 6).map((e) =>
	    `${e.instancePath || '(body)'} ${e.message}` +
	    (e.params && Object.keys(e.params).length ?
	    ` ${JSON.stringify(e.params)}` : ''));
}

// The snake_case codes named in backquotes in text.
function codesIn(text) {
	return new Set([...(text ?? '').matchAll(/`([a-z][a-z0-9_]*)`/g)]
	    .map((m) => m[1]));
}

// --- checking one answer ----------------------------------------------

// Every problem of answer r to call {method, path, body, lenient,
// skipBody} against d.
function problems(d, call, r) {
	const route = d.find(call.method.toLowerCase(), pathOf(call.path));
	const out = [];

	if (route === undefined)
		return [{ fatal: `no operation for ${call.method} ` +
		    pathOf(call.path) }];

	const id = route.op.operationId;
	let resp = route.op.responses[String(r.status)];
	const code = r.json?.error?.code;

	if (resp === undefined && r.status >= 400 &&
	    d.common.get(r.status)?.has(code))
		resp = route.op.responses.default;
	if (resp === undefined)
		return [{ id, fatal: `status ${r.status} is not described ` +
		    `(body ${r.text.slice(0, 200)})` }];
	resp = deref(d.doc, resp);

	for (const [name, h] of Object.entries(resp.headers ?? {})) {
		const hd = deref(d.doc, h);
		const v = r.headers.get(name);

		if (v === null) {
			if (hd.required)
				out.push(`header ${name} is missing`);
			continue;
		}
		if (hd.schema && !d.validator(`h:${id}:${r.status}:${name}`,
		    hd.schema)(v))
			out.push(`header ${name}: ${v} does not match`);
	}

	const content = resp.content ?? {};
	const ctype = (r.headers.get('content-type') ?? '')
	    .split(';')[0].trim();

	if (Object.keys(content).length === 0) {
		if (r.text.length > 0)
			out.push('a body where none is described');
	} else if (content[ctype] === undefined) {
		out.push(`content type "${ctype}" is not one of ` +
		    Object.keys(content).join(', '));
	} else if (ctype === 'application/json' && !call.skipBody) {
		if (r.json === undefined) {
			out.push('the body is not JSON');
		} else {
			const v = d.validator(`r:${id}:${r.status}:${ctype}`,
			    content[ctype].schema ?? {});

			if (!v(r.json))
				out.push(...schemaErrors(v.errors));
		}
	}

	if (r.status >= 400 && typeof code === 'string' &&
	    !codesIn(resp.description).has(code) &&
	    !d.common.get(r.status)?.has(code))
		out.push(`error code "${code}" is not named for ` +
		    `${r.status} in the description`);

	if (r.status < 300 && call.body !== undefined && !call.lenient &&
	    route.op.requestBody !== undefined) {
		const rb = deref(d.doc, route.op.requestBody);
		const s = rb.content?.['application/json']?.schema;

		if (s !== undefined) {
			const v = d.validator(`q:${id}`, s);

			if (!v(call.body))
				out.push('the request the server accepted ' +
				    'breaks the request schema:',
				    ...schemaErrors(v.errors));
		}
	}
	return out.map((p) => ({ id, problem: p }));
}

// Records one check of answer r.
function check(d, label, call, r) {
	const ps = problems(d, call, r);
	const path = call.path.length > 60 ?
	    call.path.slice(0, 57) + '...' : call.path;
	const fatal = ps.find((p) => p.fatal);
	const id = ps[0]?.id ?? d.find(call.method.toLowerCase(),
	    pathOf(call.path))?.op.operationId;
	const name = `${label}: ${call.method} ${path} -> ${r.status}` +
	    (id ? ` (${id})` : '');

	if (ps.length === 0) {
		passed++;
		console.log(`ok - ${name}`);
		return;
	}
	failed++;
	console.log(`FAIL - ${name}`);
	for (const p of fatal ? [fatal] : ps)
		console.log(`  ${p.fatal ?? p.problem}`);
}

// --- talking to the server --------------------------------------------

class Client {
	constructor(base, d) {
		this.base = base;
		this.d = d;
	}

	// Sends one request and checks its answer under label.  opts:
	// body (JSON, sent as is), raw (text body), headers, session
	// (cookie + CSRF; noCsrf leaves the token out), bearer, lenient
	// (the body holds parts the server refuses one by one, such as
	// bad documents in an upload, so it is not checked as a request).
	async call(label, method, path, opts = {}) {
		const headers = { ...(opts.headers ?? {}) };
		let text;

		if (opts.session) {
			headers.Cookie =
			    `tobmen_session=${opts.session.cookie}`;
			if (method !== 'GET' && !opts.noCsrf)
				headers['X-CSRF-Token'] = opts.session.csrf;
		}
		if (opts.bearer)
			headers.Authorization = `Bearer ${opts.bearer}`;
		if (opts.body !== undefined) {
			text = JSON.stringify(opts.body);
			headers['Content-Type'] ??= 'application/json';
		} else if (opts.raw !== undefined) {
			text = opts.raw;
		}

		const res = await fetch(this.base + path, { method, headers,
		    body: text, redirect: 'manual' });
		const r = { status: res.status, headers: res.headers,
		    text: await res.text() };

		try {
			r.json = r.text ? JSON.parse(r.text) : undefined;
		} catch {
			r.json = undefined;
		}
		check(this.d, label, { method, path, body: opts.body,
		    lenient: opts.lenient }, r);
		return r;
	}
}

// A logged-in cabinet user, from a login or registration answer.
function session(r) {
	const cookie = /tobmen_session=([^;]*)/.exec(
	    r.headers.get('set-cookie') ?? '');

	if (![200, 201].includes(r.status) || !cookie)
		throw new Error(`no session from ${r.status} ${r.text}`);
	return { cookie: cookie[1], csrf: r.json.csrf_token,
	    company: r.json.company.id, email: r.json.user.email };
}

let seq = 0;

// A name no other run uses.
function uniq(tag) {
	seq++;
	return `${tag}-${process.pid}-${seq}-${Date.now() % 10000000}`;
}

// Runs `tobmen admin ARGS --json` on the server's store.
function admin(...args) {
	const out = execFileSync(env('TOBMEN_TEST_BIN'), ['admin', ...args,
	    '--db', env('TOBMEN_TEST_DB'), '--json'], { encoding: 'utf8' });

	return JSON.parse(out);
}

// The text of the plain part of a mail file.
function mailText(raw) {
	const part = raw.split('Content-Type: text/plain')[1];

	if (part === undefined)
		return '';
	const body = part.split('\r\n\r\n').slice(1).join('\r\n\r\n')
	    .split('\r\n--')[0];

	return Buffer.from(body.replace(/\s+/g, ''), 'base64')
	    .toString('utf8');
}

// Waits for the newest mail to `to` holding key; the token after key.
async function mailToken(to, key) {
	const dir = env('TOBMEN_TEST_MAIL_DIR');
	const want = `\r\nTo: <${to}>`;
	const re = new RegExp(key.replace(/[?=]/g, '\\$&') +
	    '([A-Za-z0-9_-]+)');

	for (let i = 0; i < 300; i++) {
		const files = existsSync(dir) ? readdirSync(dir)
		    .filter((f) => f.endsWith('.eml'))
		    .map((f) => join(dir, f))
		    .sort((a, b) => statSync(b).mtimeMs -
		    statSync(a).mtimeMs) : [];

		for (const f of files) {
			const raw = readFileSync(f, 'utf8');
			const m = raw.includes(want) ?
			    re.exec(mailText(raw)) : null;

			if (m)
				return m[1];
		}
		await new Promise((ok) => setTimeout(ok, 100));
	}
	throw new Error(`no mail with ${key} for ${to}`);
}

// A document of kind with lines that add up.
function document(kind = 'sale', lines = 2) {
	const ls = [];

	for (let i = 0; i < lines; i++) {
		const qty = 1000 * (i + 1) + 500;
		const price = 12345;

		ls.push({ product_code: `P${i}`, name: `Товар ${i}`, qty, price,
		    amount: Math.floor((qty * price + 500) / 1000) });
	}
	return {
		uuid: randomUUID(), kind, number: uniq('N'),
		date: new Date(Date.now() - 3600 * 1000).toISOString(),
		outlet: kind === 'stock' ? null : { code: 'T1',
		    name: 'Магазин у дома', inn: INN, address: 'Москва' },
		agent: 'Иванов', gps: { lat: 55.755826, lon: 37.6173 },
		lines: ls, total: ls.reduce((s, l) => s + l.amount, 0),
		comment: '',
	};
}

// --- the walk -----------------------------------------------------------

// The service's own pages and the test clock.
async function walkService(c) {
	await c.call('liveness', 'GET', '/healthz');
	await c.call('readiness', 'GET', '/readyz');
	await c.call('metrics', 'GET', '/metrics');
	await c.call('the description', 'GET', '/api/v1/openapi.yaml');
	await c.call('the join page', 'GET', '/suppliers/join?invite=abc');
	await c.call('the test clock', 'GET', '/api/v1/test/clock');
	await c.call('the test clock is set', 'POST', '/api/v1/test/clock',
	    { body: { offset_ms: 0 } });
	await c.call('a bad clock offset', 'POST', '/api/v1/test/clock',
	    { body: { offset_ms: 'soon' } });
}

// Registration, login, logout and passwords; returns two distributors.
async function walkAccounts(c) {
	const email = `${uniq('dist')}@example.com`;
	const reg = (mail, extra = {}) => ({ company_name: `ООО ${uniq('Д')}`,
	    inn: INN, name: 'Анна', email: mail, password: PASSWORD,
	    lang: 'ru', ...extra });

	await c.call('not logged in', 'GET', '/api/v1/auth/me');
	await c.call('no session for the card', 'GET', '/api/v1/company');
	const d1 = session(await c.call('a distributor registers', 'POST',
	    '/api/v1/auth/register', { body: reg(email) }));
	await c.call('the same e-mail again', 'POST', '/api/v1/auth/register',
	    { body: reg(email) });
	await c.call('a bad e-mail', 'POST', '/api/v1/auth/register',
	    { body: reg('nobody') });
	await c.call('a short password', 'POST', '/api/v1/auth/register',
	    { body: reg(`${uniq('p')}@example.com`, { password: 'short' }) });
	await c.call('a bad ИНН', 'POST', '/api/v1/auth/register',
	    { body: reg(`${uniq('i')}@example.com`, { inn: '1234567890' }) });
	await c.call('a missing field', 'POST', '/api/v1/auth/register',
	    { body: { email: `${uniq('m')}@example.com` } });
	const d2 = session(await c.call('another distributor registers',
	    'POST', '/api/v1/auth/register',
	    { body: reg(`${uniq('dist')}@example.com`) }));

	await c.call('a wrong password', 'POST', '/api/v1/auth/login',
	    { body: { email, password: 'not the password at all' } });
	await c.call('a cross-site login', 'POST', '/api/v1/auth/login',
	    { body: { email, password: PASSWORD },
	    headers: { Origin: 'http://elsewhere.example' } });
	await c.call('a login that is not JSON', 'POST', '/api/v1/auth/login',
	    { raw: 'email=x', headers: { 'Content-Type': 'text/plain' } });
	const s = session(await c.call('log in', 'POST', '/api/v1/auth/login',
	    { body: { email, password: PASSWORD, remember: true } }));
	await c.call('who am I', 'GET', '/api/v1/auth/me', { session: s });
	await c.call('log out without the CSRF token', 'POST',
	    '/api/v1/auth/logout', { session: s, body: {}, noCsrf: true });
	await c.call('log out', 'POST', '/api/v1/auth/logout',
	    { session: s, body: {} });
	await c.call('the ended session', 'GET', '/api/v1/auth/me',
	    { session: s });

	await c.call('a reset mail', 'POST', '/api/v1/auth/password/forgot',
	    { body: { email } });
	await c.call('a reset mail for nobody', 'POST',
	    '/api/v1/auth/password/forgot',
	    { body: { email: `${uniq('x')}@example.com` } });
	await c.call('an unknown reset token', 'POST',
	    '/api/v1/auth/password/reset',
	    { body: { token: 'not-a-token', password: PASSWORD } });
	await c.call('a wrong current password', 'POST',
	    '/api/v1/auth/password/change', { session: d1,
	    body: { current_password: 'wrong wrong wrong',
	    new_password: PASSWORD } });
	await c.call('the same password again', 'POST',
	    '/api/v1/auth/password/change', { session: d1,
	    body: { current_password: PASSWORD, new_password: PASSWORD } });
	return [d1, d2];
}

// The company card, users, profile, feedback and the audit log.
async function walkCompany(c, d1, d2) {
	await c.call('the company card', 'GET', '/api/v1/company',
	    { session: d1 });
	await c.call('edit the card', 'PATCH', '/api/v1/company',
	    { session: d1, body: { phone: '+7 (495) 000-00-00',
	    address: 'Москва, ул. Ленина, 1' } });
	await c.call('a bad КПП', 'PATCH', '/api/v1/company',
	    { session: d1, body: { kpp: '12' } });
	await c.call('edit without the CSRF token', 'PATCH', '/api/v1/company',
	    { session: d1, body: { name: 'X' }, noCsrf: true });
	await c.call('the users', 'GET', '/api/v1/users', { session: d1 });
	await c.call('a bad limit', 'GET', '/api/v1/users?limit=0',
	    { session: d1 });
	const u = await c.call('add a colleague', 'POST', '/api/v1/users',
	    { session: d1, body: { email: `${uniq('u')}@example.com`,
	    name: 'Борис', role: 'member', lang: 'en' } });
	await c.call('a bad role', 'POST', '/api/v1/users', { session: d1,
	    body: { email: `${uniq('u')}@example.com`, role: 'boss' } });
	await c.call('one user', 'GET', `/api/v1/users/${u.json.id}`,
	    { session: d1 });
	await c.call('another company\'s user', 'GET',
	    `/api/v1/users/${u.json.id}`, { session: d2 });
	await c.call('make the colleague an admin', 'PATCH',
	    `/api/v1/users/${u.json.id}`, { session: d1,
	    body: { role: 'admin' } });
	await c.call('disable oneself', 'PATCH', '/api/v1/users/' +
	    (await c.call('own id', 'GET', '/api/v1/auth/me',
	    { session: d1 })).json.user.id, { session: d1,
	    body: { disabled: true } });
	await c.call('own language', 'PATCH', '/api/v1/me', { session: d1,
	    body: { lang: 'ru', name: 'Анна Петрова' } });
	await c.call('own role', 'PATCH', '/api/v1/me', { session: d1,
	    body: { role: 'owner' } });
	await c.call('feedback', 'POST', '/api/v1/feedback', { session: d1,
	    body: { subject: 'Вопрос', message: 'Как подключить лицензии?' } });
	await c.call('empty feedback', 'POST', '/api/v1/feedback',
	    { session: d1, body: { subject: '', message: '' } });
	await c.call('the audit log', 'GET', '/api/v1/audit?limit=5',
	    { session: d1 });
	await c.call('a bad cursor', 'GET', '/api/v1/audit?after=x',
	    { session: d1 });
}

// A supplier made by the operator, its owner logged in.
async function supplierNew(c) {
	const co = admin('company', 'add', '--name', uniq('Поставщик'),
	    '--supplier');
	const email = `${uniq('sup')}@example.com`;

	admin('user', 'add', '--company', co.id, '--email', email, '--name',
	    'Сергей', '--role', 'owner');
	await c.call('set the welcome password', 'POST',
	    '/api/v1/auth/password/reset', { body: {
	    token: await mailToken(email, 'token='), password: PASSWORD } });
	return session(await c.call('the supplier logs in', 'POST',
	    '/api/v1/auth/login', { body: { email, password: PASSWORD } }));
}

// Inviting, joining, supplier cards; returns the link's row and code.
async function walkNetwork(c, s, d1, d2) {
	const base = '/api/v1/network/distributors';

	await c.call('an empty network', 'GET', base, { session: s });
	await c.call('a distributor has no network', 'GET', base,
	    { session: d1 });
	const row = await c.call('invite', 'POST', base, { session: s,
	    body: { name: 'ООО Дистрибьютор', email: d1.email } });
	await c.call('invite again', 'POST', base, { session: s,
	    body: { name: 'ООО Дистрибьютор', email: d1.email } });
	await c.call('a bad code', 'POST', base, { session: s,
	    body: { name: 'Код', email: `${uniq('c')}@example.com`,
	    code: '123' } });
	await c.call('import a file', 'POST', `${base}/import`,
	    { session: s, body: { csv: 'name;e-mail;code\r\n' +
	    `ООО Один;${uniq('a')}@example.com;\r\n` +
	    'ООО Два;not-an-address;\r\n' } });
	await c.call('import nothing', 'POST', `${base}/import`,
	    { session: s, body: { csv: '' } });
	await c.call('one row', 'GET', `${base}/${row.json.id}`,
	    { session: s });
	await c.call('a row of nobody', 'GET', `${base}/999999999`,
	    { session: s });
	await c.call('the network, by page', 'GET', `${base}?limit=2`,
	    { session: s });

	const token = await mailToken(d1.email, 'invite=');
	await c.call('the invitation', 'GET', `/api/v1/invitations/${token}`,
	    { session: d1 });
	await c.call('an unknown invitation', 'GET',
	    '/api/v1/invitations/nonsense', { session: d1 });
	const card = await c.call('accept', 'POST',
	    `/api/v1/invitations/${token}/accept`, { session: d1, body: {} });
	await c.call('accept twice', 'POST',
	    `/api/v1/invitations/${token}/accept`, { session: d1, body: {} });
	await c.call('the supplier cards', 'GET', '/api/v1/network/suppliers',
	    { session: d1 });
	await c.call('a supplier has no cards', 'GET',
	    '/api/v1/network/suppliers', { session: s });
	await c.call('the card', 'GET',
	    `/api/v1/network/suppliers/${card.json.id}`, { session: d1 });
	await c.call('another company\'s card', 'GET',
	    `/api/v1/network/suppliers/${card.json.id}`, { session: d2 });
	await c.call('allow licence management', 'PATCH',
	    `/api/v1/network/suppliers/${card.json.id}`, { session: d1,
	    body: { manage_licences: true } });
	await c.call('the permission without a value', 'PATCH',
	    `/api/v1/network/suppliers/${card.json.id}`, { session: d1,
	    body: {} });

	const r2 = await c.call('invite the other', 'POST', base,
	    { session: s, body: { name: 'ООО Второй', email: d2.email,
	    code: 54321, lang: 'en' } });
	await c.call('revoke', 'POST', `${base}/${r2.json.id}/revoke`,
	    { session: s, body: {} });
	await c.call('revoke again', 'POST', `${base}/${r2.json.id}/revoke`,
	    { session: s, body: {} });
	await c.call('disconnect an invitation', 'POST',
	    `${base}/${r2.json.id}/disconnect`, { session: s,
	    body: { reason: 'test' } });
	await c.call('resend', 'POST', `${base}/${r2.json.id}/resend`,
	    { session: s, body: {} });
	await c.call('resend an accepted row', 'POST',
	    `${base}/${row.json.id}/resend`, { session: s, body: {} });
	const t2 = await mailToken(d2.email, 'invite=');
	await c.call('decline', 'POST', `/api/v1/invitations/${t2}/decline`,
	    { session: d2, body: {} });
	return { row: row.json, card: card.json };
}

// Licences of both sides, devices; returns the activated device.
async function walkLicences(c, s, d1, d2, card) {
	const issued = admin('licence', 'issue', '--company', d1.company,
	    '--count', '3');
	const owned = admin('licence', 'issue', '--company', d1.company,
	    '--count', '1', '--owner', s.company);
	const [n0, n1, n2] = issued.map((l) => l.number);

	await c.call('the groups', 'GET', '/api/v1/licences/groups',
	    { session: d1 });
	await c.call('the table', 'GET', '/api/v1/licences?limit=2',
	    { session: d1 });
	await c.call('the table for a supplier', 'GET',
	    `/api/v1/licences?supplier=${s.company}&status=off&q=0`,
	    { session: d1 });
	await c.call('a status without a supplier', 'GET',
	    '/api/v1/licences?status=on', { session: d1 });
	await c.call('a supplier not linked', 'GET',
	    `/api/v1/licences?supplier=${d2.company}`, { session: d1 });
	await c.call('one licence', 'GET', `/api/v1/licences/${n0}`,
	    { session: d1 });
	await c.call('another company\'s licence', 'GET',
	    `/api/v1/licences/${n0}`, { session: d2 });
	await c.call('connect («+»)', 'POST', '/api/v1/licences/connect',
	    { session: d1, body: { supplier: s.company, licences: [n0] } });
	await c.call('connect again', 'POST', '/api/v1/licences/connect',
	    { session: d1, body: { supplier: s.company, licences: [n0] } });
	await c.call('connect nothing', 'POST', '/api/v1/licences/connect',
	    { session: d1, body: { supplier: s.company, licences: [] } });
	await c.call('disconnect («−»)', 'POST',
	    '/api/v1/licences/disconnect', { session: d1,
	    body: { supplier: s.company, licences: [n2] } });
	await c.call('move to another agent', 'POST',
	    `/api/v1/licences/${n2}/move`, { session: d1,
	    body: { user: 'Сидоров' } });

	await c.call('the distributors\' groups', 'GET',
	    '/api/v1/network/licences/groups', { session: s });
	await c.call('the groups of a distributor', 'GET',
	    '/api/v1/network/licences/groups', { session: d1 });
	await c.call('a distributor\'s licences', 'GET',
	    `/api/v1/network/licences?distributor=${d1.company}`,
	    { session: s });
	await c.call('no distributor named', 'GET',
	    '/api/v1/network/licences', { session: s });
	await c.call('a distributor not linked', 'GET',
	    `/api/v1/network/licences?distributor=${d2.company}`,
	    { session: s });
	await c.call('the supplier connects', 'POST',
	    '/api/v1/network/licences/connect', { session: s,
	    body: { distributor: d1.company, licences: [n1] } });
	await c.call('the supplier moves', 'POST',
	    `/api/v1/network/licences/${n1}/move`, { session: s,
	    body: { user: 'Петров' } });
	await c.call('turn the permission off', 'PATCH',
	    `/api/v1/network/suppliers/${card.id}`, { session: d1,
	    body: { manage_licences: false } });
	await c.call('turn it off, confirmed', 'PATCH',
	    `/api/v1/network/suppliers/${card.id}`, { session: d1,
	    body: { manage_licences: false, confirm: true } });
	await c.call('the licences, looking only', 'GET',
	    `/api/v1/network/licences?distributor=${d1.company}`,
	    { session: s });
	await c.call('the supplier without the permission', 'POST',
	    '/api/v1/network/licences/disconnect', { session: s,
	    body: { distributor: d1.company, licences: [n1] } });
	void owned;

	const lic = issued[0];
	const act = (extra) => ({ licence: lic.number,
	    activation_code: lic.activation_code, mdm_id: randomUUID(),
	    app_version: '3.1.0', user: 'Агент Иванов', ...extra });
	const dev = await c.call('activate', 'POST', '/api/v1/device/activate',
	    { body: act() });
	await c.call('another device', 'POST', '/api/v1/device/activate',
	    { body: act() });
	await c.call('a wrong activation code', 'POST',
	    '/api/v1/device/activate',
	    { body: act({ activation_code: '0000-0000-0000-0000' }) });
	await c.call('a bad MDM ID', 'POST', '/api/v1/device/activate',
	    { body: act({ mdm_id: 'phone' }) });
	await c.call('the device', 'GET', '/api/v1/device/me',
	    { bearer: dev.json.device_token });
	await c.call('an unknown device', 'GET', '/api/v1/device/me',
	    { bearer: 'nonsense' });
	await c.call('«Устройства»', 'GET', '/api/v1/devices', { session: d1 });
	await c.call('«Устройства», bad cursor', 'GET',
	    '/api/v1/devices?after=-1', { session: d1 });
	return dev.json.device_token;
}

// Documents, the feed, consumers, packages and keys.
async function walkExchange(c, s, d1, d2, token, code) {
	const up = (body) => ({ bearer: token, body, lenient: true });
	const doc = document();
	const changed = { ...doc, comment: 'другой' };

	await c.call('upload', 'POST', '/api/v1/device/documents',
	    up({ supplier_id: s.company, documents: [doc, document('order'),
	    { ...document(), uuid: 'x' }, { ...document(), total: 1 }] }));
	await c.call('upload again', 'POST', '/api/v1/device/documents',
	    up({ supplier_code: code, documents: [doc, changed] }));
	await c.call('a supplier never linked', 'POST',
	    '/api/v1/device/documents',
	    up({ supplier_id: d2.company, documents: [document()] }));
	await c.call('no supplier', 'POST', '/api/v1/device/documents',
	    up({ documents: [document()] }));
	await c.call('no documents', 'POST', '/api/v1/device/documents',
	    up({ supplier_id: s.company, documents: [] }));
	await c.call('too many documents', 'POST', '/api/v1/device/documents',
	    up({ supplier_id: s.company, documents: Array.from({ length: 501 },
	    () => ({ uuid: randomUUID() })) }));
	await c.call('no device token', 'POST', '/api/v1/device/documents',
	    { body: { supplier_id: s.company, documents: [document()] } });

	await c.call('the keys', 'GET', '/api/v1/api-keys', { session: s });
	const read = await c.call('make a key', 'POST', '/api/v1/api-keys',
	    { session: s, body: { name: 'УД Москва',
	    scopes: ['read', 'publish'] } });
	await c.call('a supplier may not send', 'POST', '/api/v1/api-keys',
	    { session: s, body: { name: 'send', scopes: 'send' } });
	await c.call('a key without a name', 'POST', '/api/v1/api-keys',
	    { session: s, body: { name: '', scopes: ['read'] } });
	const send = await c.call('a distributor\'s key', 'POST',
	    '/api/v1/api-keys', { session: d1,
	    body: { name: 'ERP', scopes: 'send' } });
	const key = read.json.key;

	const f = await c.call('the feed', 'GET', '/api/v1/feed?limit=5',
	    { bearer: key, headers: { 'Accept-Encoding': 'gzip' } });
	await c.call('the feed, too much', 'GET', '/api/v1/feed?limit=5000',
	    { bearer: key });
	await c.call('the feed with no key', 'GET', '/api/v1/feed');
	await c.call('the feed with a send key', 'GET', '/api/v1/feed',
	    { bearer: send.json.key });
	await c.call('commit a position', 'PUT', '/api/v1/feed/consumers/erp',
	    { bearer: key, body: { position: f.json.next_after } });
	await c.call('commit backwards', 'PUT', '/api/v1/feed/consumers/erp',
	    { bearer: key, body: { position: '0' } });
	await c.call('commit ahead', 'PUT', '/api/v1/feed/consumers/erp',
	    { bearer: key, body: { position: 999999999 } });
	await c.call('a bad consumer name', 'PUT',
	    '/api/v1/feed/consumers/a%20b', { bearer: key,
	    body: { position: 0 } });
	await c.call('the consumers', 'GET', '/api/v1/feed/consumers',
	    { bearer: key });
	await c.call('one consumer', 'GET', '/api/v1/feed/consumers/erp',
	    { bearer: key });
	await c.call('an unknown consumer', 'GET',
	    '/api/v1/feed/consumers/none', { bearer: key });
	await c.call('the distributors', 'GET', '/api/v1/distributors',
	    { bearer: key });
	await c.call('the distributors for a distributor', 'GET',
	    '/api/v1/distributors', { bearer: send.json.key });

	const pkg = await c.call('publish', 'POST', '/api/v1/packages',
	    { bearer: key, body: { kind: 'prices', name: 'Прайс на март',
	    target: 'all', payload: { items: [{ code: 'P1',
	    price: 12345 }] } } });
	await c.call('publish by code', 'POST', '/api/v1/packages',
	    { bearer: key, body: { kind: 'messages', target: { codes: [code] },
	    payload: [{ text: 'Привет' }] } });
	await c.call('publish to an unknown code', 'POST', '/api/v1/packages',
	    { bearer: key, body: { kind: 'tasks',
	    target: { codes: ['99998'] }, payload: {} } });
	await c.call('publish to nobody', 'POST', '/api/v1/packages',
	    { bearer: key, body: { kind: 'prices', target: 'some',
	    payload: {} } });
	await c.call('the packages', 'GET', '/api/v1/packages',
	    { bearer: key });
	await c.call('one package', 'GET', `/api/v1/packages/${pkg.json.id}`,
	    { bearer: key });
	await c.call('no such package', 'GET', '/api/v1/packages/999999999',
	    { bearer: key });
	await c.call('the device\'s packages', 'GET',
	    '/api/v1/device/packages?limit=5', { bearer: token,
	    headers: { 'Accept-Encoding': 'gzip' } });
	await c.call('acknowledge', 'POST',
	    `/api/v1/device/packages/${pkg.json.id}/ack`, { bearer: token });
	await c.call('acknowledge again', 'POST',
	    `/api/v1/device/packages/${pkg.json.id}/ack`, { bearer: token });
	await c.call('acknowledge nothing', 'POST',
	    '/api/v1/device/packages/999999999/ack', { bearer: token });

	await c.call('the distributor\'s system sends', 'POST',
	    '/api/v1/distributor/documents', { bearer: send.json.key,
	    body: { supplier_code: code, documents: [document('stock'),
	    document('debt', 0), document('order')] } });
	await c.call('a read key may not send', 'POST',
	    '/api/v1/distributor/documents', { bearer: key,
	    body: { supplier_code: code, documents: [document()] } });
	await c.call('the feed after both', 'GET',
	    `/api/v1/feed?after=${f.json.next_after}`, { bearer: key });

	await c.call('revoke a key', 'POST',
	    `/api/v1/api-keys/${send.json.id}/revoke`, { session: d1,
	    body: {} });
	await c.call('revoke it again', 'POST',
	    `/api/v1/api-keys/${send.json.id}/revoke`, { session: d1,
	    body: {} });
	await c.call('another company\'s key', 'POST',
	    `/api/v1/api-keys/${read.json.id}/revoke`, { session: d2,
	    body: {} });
}

// «Контроль», then the end of the link.
async function walkControl(c, s, d1, token, row) {
	await c.call('«Контроль» of the distributor', 'GET',
	    '/api/v1/control?days=7', { session: d1 });
	await c.call('«Контроль» of the supplier', 'GET',
	    '/api/v1/control?side=supplier', { session: s });
	await c.call('the supplier side of a distributor', 'GET',
	    '/api/v1/control?side=supplier', { session: d1 });
	await c.call('too many days', 'GET', '/api/v1/control?days=99',
	    { session: d1 });
	await c.call('the refused documents', 'GET',
	    '/api/v1/control/rejects?limit=2', { session: d1 });
	await c.call('a supplier has no refusals', 'GET',
	    '/api/v1/control/rejects', { session: s });

	await c.call('disconnect without a reason', 'POST',
	    `/api/v1/network/distributors/${row.id}/disconnect`,
	    { session: s, body: {} });
	await c.call('disconnect', 'POST',
	    `/api/v1/network/distributors/${row.id}/disconnect`,
	    { session: s, body: { reason: 'Договор расторгнут' } });
	await c.call('upload after the link ended', 'POST',
	    '/api/v1/device/documents', { bearer: token,
	    body: { supplier_id: s.company, documents: [document()] } });
	await c.call('the audit log of the supplier', 'GET', '/api/v1/audit',
	    { session: s });
}

// --- the API tests' answers -------------------------------------------

// The last header block of raw response headers, as a Headers object.
function headersOf(raw) {
	const h = new Headers();
	const blocks = raw.split(/\r?\n\r?\n/).filter((b) => b.trim());

	for (const line of (blocks.at(-1) ?? '').split(/\r?\n/).slice(1)) {
		const i = line.indexOf(':');

		if (i > 0)
			h.append(line.slice(0, i).trim(),
			    line.slice(i + 1).trim());
	}
	return h;
}

// Problems of an answer no operation describes: only the router's own
// errors may be such, with the error shape and a common code.
function routerProblems(d, r) {
	const code = r.json?.error?.code;
	const v = d.validator('router',
	    { $ref: '#/components/schemas/Error' });

	if (r.status < 400)
		return ['no operation describes this path'];
	if (!v(r.json))
		return schemaErrors(v.errors);
	if (!d.common.get(r.status)?.has(code))
		return [`error code "${code}" is not a common one`];
	return [];
}

// Checks every recorded answer of FILE; one line per group.
function checkRecord(d, file) {
	const groups = new Map();

	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line.trim())
			continue;

		const rec = JSON.parse(line);
		const method = rec.method === 'HEAD' ? 'GET' : rec.method;
		const path = pathOf(rec.path);
		const route = d.find(method.toLowerCase(), path);
		const headers = headersOf(rec.headers);
		const r = { status: rec.status, headers, text: rec.body ?? '' };

		if (route === undefined && !path.startsWith('/api/'))
			continue;
		try {
			r.json = r.text ? JSON.parse(r.text) : undefined;
		} catch {
			r.json = undefined;
		}

		const skipBody = rec.method === 'HEAD' || rec.body === null;
		const key = route === undefined ? `the router -> ${r.status}` :
		    `${route.op.operationId} -> ${r.status}`;
		const ps = route === undefined ? routerProblems(d, r) :
		    problems(d, { method, path: rec.path, lenient: true,
		    skipBody }, r).map((p) => p.fatal ?? p.problem);
		const g = groups.get(key) ?? { n: 0, bad: [] };

		g.n++;
		if (ps.length > 0 && g.bad.length < 3)
			g.bad.push(`${rec.method} ${rec.path.slice(0, 70)}: ` +
			    ps.join('; '));
		groups.set(key, g);
	}
	for (const [key, g] of [...groups].sort()) {
		const name = `the API tests' answers: ${key} (${g.n})`;

		if (g.bad.length === 0) {
			passed++;
			console.log(`ok - ${name}`);
		} else {
			failed++;
			console.log(`FAIL - ${name}`);
			for (const b of g.bad)
				console.log(`  ${b}`);
		}
	}
	if (groups.size === 0) {
		failed++;
		console.log(`FAIL - ${file} holds answers to check`);
	}
}

async function main() {
	const d = new Description(SPEC_FILE);

	if (process.argv[2] === '--record') {
		checkRecord(d, process.argv[3]);
		console.log(`${passed} passed, ${failed} failed`);
		process.exitCode = failed === 0 ? 0 : 1;
		return;
	}

	const c = new Client(env('TOBMEN_TEST_URL'), d);

	try {
		await walkService(c);
		const [d1, d2] = await walkAccounts(c);
		await walkCompany(c, d1, d2);
		const s = await supplierNew(c);
		const { row, card } = await walkNetwork(c, s, d1, d2);
		const token = await walkLicences(c, s, d1, d2, card);
		await walkExchange(c, s, d1, d2, token, card.code);
		await walkControl(c, s, d1, token, row);
	} catch (e) {
		failed++;
		console.log('FAIL - the walk ran to the end');
		console.log(`  ${e.stack ?? e}`);
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 ? 0 : 1;
}

await main();
