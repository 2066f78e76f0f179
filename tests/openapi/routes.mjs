// routes.mjs - compares the routes the binary registers with the
// operations docs/openapi.yaml describes, both ways.
//
// Usage: node routes.mjs [BASE_URL]
//
// The binary's routes are read from the source: every
// http_route(r, "METHOD", PATTERN, ...) call in src/api/*.c, where
// PATTERN is a string literal or a variable set to one in the same file.
// The description's routes are its paths joined to their servers (the
// path's own, else the document's: "/api/v1").  Each route of either set
// is one line: "ok" when the other set has it, "FAIL" when not.  With
// BASE_URL (a running server), each described operation is also sent to
// the server once, without credentials, and must reach a handler: the
// router's own 404 "not_found" or 405 "method_not_allowed" means the
// description names a route the binary does not serve.  Ends with
// "N passed, N failed"; exits 1 if anything failed.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const TOP = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC = process.env.TOBMEN_OPENAPI_SPEC ??
    join(TOP, 'docs', 'openapi.yaml');
const API_DIR = join(TOP, 'src', 'api');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head',
	'patch', 'trace'];

let passed = 0;
let failed = 0;

function ok(name) {
	passed++;
	console.log(`ok - ${name}`);
}

function fail(name, ...why) {
	failed++;
	console.log(`FAIL - ${name}`);
	for (const w of why)
		console.log(`  ${w}`);
}

// Drops C comments so a route in a comment is not taken for a real one.
function stripComments(text) {
	return text.replace(/\/\*[\s\S]*?\*\//g, ' ')
	    .replace(/\/\/[^\n]*/g, ' ');
}

// The value of a string variable assigned in text, or undefined.
function stringVariable(text, name) {
	const re = new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`);
	const m = re.exec(text);

	return m ? m[1] : undefined;
}

// Every "METHOD /pattern" the binary registers, mapped to its file.
function sourceRoutes() {
	const routes = new Map();
	// http_route(r, "METHOD", "pattern" or a variable, ...
	const call = new RegExp('\\bhttp_route\\s*\\(\\s*\\w+\\s*,' +
	    '\\s*"([A-Z]+)"\\s*,' +
	    '\\s*("(?:[^"\\\\]|\\\\.)*"|\\w+)\\s*,', 'g');

	for (const f of readdirSync(API_DIR).sort()) {
		if (!f.endsWith('.c'))
			continue;
		const text = stripComments(readFileSync(join(API_DIR, f),
		    'utf8'));
		for (const m of text.matchAll(call)) {
			let pattern = m[2];

			if (pattern.startsWith('"'))
				pattern = pattern.slice(1, -1);
			else
				pattern = stringVariable(text, pattern);
			if (pattern === undefined) {
				fail(`src/api/${f}: route pattern ${m[2]} ` +
				    'is a string literal or a variable set ' +
				    'to one');
				continue;
			}
			routes.set(`${m[1]} ${pattern}`, `src/api/${f}`);
		}
	}
	return routes;
}

// Joins a server URL ("/api/v1", "/") and a path ("/feed").
function joinPath(server, path) {
	const base = server.replace(/\/+$/, '');

	return base + path;
}

// Every "METHOD /full/path" the description has, with its operation.
function specRoutes(spec) {
	const routes = new Map();
	const rootServer = spec.servers?.[0]?.url ?? '/';

	for (const [path, item] of Object.entries(spec.paths ?? {})) {
		const server = item.servers?.[0]?.url ?? rootServer;

		for (const m of METHODS) {
			if (item[m] === undefined)
				continue;
			const op = item[m];
			const s = op.servers?.[0]?.url ?? server;

			routes.set(`${m.toUpperCase()} ${joinPath(s, path)}`,
			    { path, method: m, op });
		}
	}
	return routes;
}

// A concrete path for a pattern: each {param} becomes a plausible value.
function samplePath(pattern) {
	return pattern.replace(/\{(\w+)\}/g, (_, name) => {
		if (name === 'number')
			return '10000000000000000001';
		if (name === 'name')
			return 'probe';
		if (name === 'token')
			return 'probe-token';
		return '999999';
	});
}

// Sends route once without credentials; true when a handler answered.
async function probe(base, method, pattern) {
	const headers = {};
	let body;

	if (!['GET', 'HEAD'].includes(method)) {
		headers['Content-Type'] = 'application/json';
		body = '{}';
	}
	const res = await fetch(base + samplePath(pattern),
	    { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	let code;

	try {
		code = JSON.parse(text)?.error?.code;
	} catch {
		code = undefined;
	}
	// The router's misses; a handler's own 404 has another code.
	if ((res.status === 404 && code === 'not_found' &&
	    /no page or endpoint/.test(text)) ||
	    (res.status === 405 && code === 'method_not_allowed'))
		return { reached: false, status: res.status, code };
	return { reached: true, status: res.status, code };
}

async function main() {
	const base = process.argv[2];
	const spec = parse(readFileSync(SPEC, 'utf8'));
	const source = sourceRoutes();
	const described = specRoutes(spec);

	for (const [route, file] of source) {
		if (described.has(route))
			ok(`${route} (${file}) is described`);
		else
			fail(`${route} (${file}) is described`,
			    'no such path and method in docs/openapi.yaml');
	}
	for (const route of described.keys()) {
		if (source.has(route))
			ok(`${route} (docs/openapi.yaml) is served`);
		else
			fail(`${route} (docs/openapi.yaml) is served`,
			    'no http_route() registers it in src/api/*.c');
	}
	if (source.size === 0)
		fail('src/api/*.c registers routes', 'none found');

	if (base !== undefined) {
		for (const route of described.keys()) {
			const [method, pattern] = route.split(' ');
			const name = `${route} reaches a handler of the ` +
			    'running server';
			try {
				const r = await probe(base, method, pattern);

				if (r.reached)
					ok(name);
				else
					fail(name, `answered ${r.status} ` +
					    `${r.code} from the router`);
			} catch (e) {
				fail(name, `request failed: ${e.message}`);
			}
		}
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 ? 0 : 1;
}

await main();
