/*
 * lib.mjs - what every browser test shares: a headless Debian chromium
 * driven by playwright-core, the server under test, its mail folder, and
 * screenshots.
 *
 * TOBMEN_TEST_URL names the server (started by run.sh) and
 * TOBMEN_TEST_MAIL_DIR the folder where it writes each mail as an .eml
 * file.  Every browser gets a fresh profile folder, removed on close.
 * A page opened with openPage() records console errors, page errors and
 * CSP violations; expectNoConsoleErrors() fails the test if there were.
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const BASE_URL = (process.env.TOBMEN_TEST_URL || '')
    .replace(/\/+$/, '');
export const MAIL_DIR = process.env.TOBMEN_TEST_MAIL_DIR || '';
export const OPERATOR_EMAIL = process.env.TOBMEN_TEST_OPERATOR_EMAIL || '';
export const SHOTS_DIR = path.join(HERE, 'screenshots');
export const CHROMIUM = process.env.TOBMEN_CHROMIUM || '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

if (!BASE_URL)
	throw new Error('TOBMEN_TEST_URL is not set: use tests/browser/run.sh');

/* A password that meets the rules (12+ characters). */
export const PASSWORD = 'Vesna-2024-secret';

let seq = 0;

/* An e-mail nobody used in this run. */
export function uniqueEmail(tag)
{
	seq += 1;
	return `${tag}-${process.pid}-${Date.now()}-${seq}@example.test`;
}

/* A 10-digit ИНН with a valid check digit, different on each call. */
export function uniqueInn()
{
	const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
	let sum = 0;

	seq += 1;

	const head = String((Date.now() * 100 + seq) % 1e9).padStart(9, '7');

	w.forEach((k, i) => { sum += k * Number(head[i]); });
	return head + String(sum % 11 % 10);
}

/*
 * Starts chromium with a fresh profile folder.  Returns
 * { context, close() }; the context's pages have the given viewport.
 */
export async function launch(viewport)
{
	const profile = fs.mkdtempSync(path.join(os.tmpdir(),
	    'tobmen-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		chromiumSandbox: false,
		viewport: viewport || DESKTOP,
		locale: 'ru-RU',
		timezoneId: 'Europe/Moscow',
		args: ['--headless', '--no-sandbox', '--disable-gpu',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync'],
	});

	context.setDefaultTimeout(15000);
	return {
		context,
		async close() {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/* Opens a page that records console errors and uncaught exceptions in
 * page.problems. */
export async function openPage(context)
{
	const page = context.pages()[0] && !context.pages()[0].problems ?
	    context.pages()[0] : await context.newPage();

	page.problems = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error')
			page.problems.push('console: ' + msg.text() + ' @ ' +
			    (msg.location().url || ''));
	});
	page.on('pageerror', (e) => page.problems.push('pageerror: ' +
	    e.message));
	return page;
}

/* Chromium logs every non-2xx fetch as a console error.  The cabinet
 * asks /auth/me on each load and gets 401 while logged out: that one is
 * the expected answer, not a fault. */
const EXPECTED = [/status of 401 .* @ \S*\/api\/v1\/auth\/me$/];

/* Fails when the page logged an error (CSP violations are console
 * errors in chromium).  allow: more regexps of expected messages, e.g.
 * the 401 a wrong password answers. */
export function expectNoConsoleErrors(page, allow)
{
	const ok = EXPECTED.concat(allow || []);
	const bad = page.problems.filter((p) => !ok.some((re) => re.test(p)));

	assert.deepEqual(bad, [], 'console errors on ' + page.url());
}

/* Saves a full-page PNG as screenshots/<name>.png. */
export async function screenshot(page, name)
{
	fs.mkdirSync(SHOTS_DIR, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS_DIR, name + '.png'),
	    fullPage: true });
}

/* Calls the API from node as a same-origin client would (no session). */
export async function apiCall(method, p, body)
{
	const resp = await fetch(BASE_URL + '/api/v1' + p, {
		method,
		headers: { 'Content-Type': 'application/json',
		    Accept: 'application/json', Origin: BASE_URL },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await resp.text();

	return { status: resp.status, body: text ? JSON.parse(text) : null };
}

/*
 * Logs in through the API and returns call(method, path, body) that
 * sends the session cookie and CSRF token, as the cabinet does.
 */
export async function apiSession(email, password)
{
	const resp = await fetch(BASE_URL + '/api/v1/auth/login', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json',
		    Origin: BASE_URL },
		body: JSON.stringify({ email, password, remember: false }),
	});
	const body = await resp.json();
	const cookie = (resp.headers.get('set-cookie') || '').split(';')[0];

	assert.equal(resp.status, 200, 'login: ' + JSON.stringify(body));
	return async (method, p, data) => {
		const r = await fetch(BASE_URL + '/api/v1' + p, {
			method,
			headers: { 'Content-Type': 'application/json',
			    Origin: BASE_URL, Cookie: cookie,
			    'X-CSRF-Token': body.csrf_token },
			body: data === undefined ? undefined :
			    JSON.stringify(data),
		});
		const text = await r.text();

		return { status: r.status, body: text ? JSON.parse(text) : null };
	};
}

/* Registers a new distributor company with its owner through the API and
 * returns { email, password, name, company }. */
export async function registerCompany(tag)
{
	const acct = {
		email: uniqueEmail(tag),
		password: PASSWORD,
		name: 'Тест ' + tag,
		company: 'ООО «' + tag + ' ' + seq + '»',
	};
	const r = await apiCall('POST', '/auth/register', {
		company_name: acct.company, inn: uniqueInn(),
		name: acct.name, email: acct.email, password: acct.password,
		lang: 'ru' });

	assert.equal(r.status, 201, 'register: ' + JSON.stringify(r.body));
	return acct;
}

/* Logs in through the login page and waits for the cabinet.  opts:
 * path (default /login), remember, expectFail, and base, the server's
 * URL when it is not the suite's (ownserver.mjs). */
export async function loginUI(page, email, password, opts)
{
	const o = opts || {};

	await page.goto((o.base || BASE_URL) + (o.path || '/login'));
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Пароль', { exact: true }).fill(password);
	if (o.remember)
		await page.getByLabel('Запомнить меня').check();
	await page.getByRole('button', { name: 'Войти' }).click();
	if (o.expectFail)
		return;
	await page.locator('.shell').waitFor();
}

/* --- mail */

function decodeQP(s)
{
	const bytes = [];
	const text = s.replace(/=\r?\n/g, '');

	for (let i = 0; i < text.length; i++) {
		if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(
		    text.slice(i + 1, i + 3))) {
			bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(text[i], 'utf8'));
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

function splitPart(raw)
{
	const m = /\r?\n\r?\n/.exec(raw);
	const head = m ? raw.slice(0, m.index) : raw;
	const body = m ? raw.slice(m.index + m[0].length) : '';
	const headers = {};

	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const i = line.indexOf(':');

		if (i > 0)
			headers[line.slice(0, i).trim().toLowerCase()] =
			    line.slice(i + 1).trim();
	}
	return { headers, body };
}

/* Every text part of a MIME message, decoded, joined. */
function mimeText(raw)
{
	const { headers, body } = splitPart(raw);
	const ctype = headers['content-type'] || 'text/plain';
	const bm = /boundary="?([^";]+)"?/i.exec(ctype);

	if (/^multipart\//i.test(ctype) && bm) {
		return body.split('--' + bm[1]).slice(1)
		    .filter((p) => !p.startsWith('--'))
		    .map((p) => mimeText(p.replace(/^\r?\n/, ''))).join('\n');
	}

	const enc = (headers['content-transfer-encoding'] || '')
	    .toLowerCase();

	if (enc === 'base64')
		return Buffer.from(body.replace(/\s+/g, ''), 'base64')
		    .toString('utf8');
	if (enc === 'quoted-printable')
		return decodeQP(body);
	return body;
}

/*
 * Waits up to 30 s for an .eml in MAIL_DIR addressed to `to` (and, when
 * match is given, whose decoded text matches it) and returns { file,
 * headers, text } of the newest; fails the test if none arrives.
 */
export async function waitForMail(to, match)
{
	const deadline = Date.now() + 30000;

	assert.ok(MAIL_DIR, 'TOBMEN_TEST_MAIL_DIR is not set');
	for (;;) {
		const found = findMail(to, match);

		if (found)
			return found;
		if (Date.now() > deadline) {
			assert.fail('no mail to ' + to + ' in ' + MAIL_DIR +
			    '; it holds: ' + mailSummary());
		}
		await new Promise((r) => setTimeout(r, 200));
	}
}

/* "file (To: x), ..." for a failure message. */
function mailSummary()
{
	try {
		return fs.readdirSync(MAIL_DIR).map((f) => f + ' (To: ' +
		    (splitPart(fs.readFileSync(path.join(MAIL_DIR, f), 'utf8'))
		    .headers.to || '?') + ')').join(', ') || 'nothing';
	} catch (e) {
		return e.message;
	}
}

function findMail(to, match)
{
	let files;

	try {
		files = fs.readdirSync(MAIL_DIR, { recursive: true })
		    .filter((f) => String(f).endsWith('.eml'))
		    .map((f) => path.join(MAIL_DIR, String(f)));
	} catch (e) {
		return null;
	}

	const hits = files.map((f) => {
		const raw = fs.readFileSync(f, 'utf8');

		return { file: f, headers: splitPart(raw).headers,
		    text: mimeText(raw), mtime: fs.statSync(f).mtimeMs };
	}).filter((m) => (m.headers.to || '').toLowerCase()
	    .includes(to.toLowerCase()) && (!match || match.test(m.text)))
	    .sort((a, b) => b.mtime - a.mtime);

	return hits.length ? hits[0] : null;
}

/* The first link in text that leads to path on the server under test,
 * e.g. mailLink(mail.text, '/password/'). */
export function mailLink(text, pathPrefix)
{
	const re = /https?:\/\/[^\s<>"')\]]+/g;
	const links = (text.match(re) || []).map((u) =>
	    u.replace(/&amp;/g, '&').replace(/[.,;]+$/, ''));
	const hit = links.find((u) => new URL(u).pathname.startsWith(
	    pathPrefix));

	assert.ok(hit, 'no link to ' + pathPrefix + ' in the mail:\n' + text);

	/* The mail's PUBLIC_URL may differ from the test URL's port. */
	const u = new URL(hit);

	return BASE_URL + u.pathname + u.search;
}
