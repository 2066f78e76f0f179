/*
 * ownserver.mjs - a private tobmen server for the browser tests that
 * need the operator's command line against their own store: the build's
 * binary on a fresh SQLite store in a temporary folder, optionally
 * sending mail to tests/mail/smtpd.py, with helpers for its mail and
 * its `tobmen admin`.
 *
 * A test keeps one plain object (its env): ownServerStart fills it step
 * by step, so ownServerStop, run from after(), stops whatever was
 * started even when the start failed half-way, and then fails the test
 * if the server did not exit 0 or left a sanitizer report in its log.
 */

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PASSWORD } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOP = path.resolve(HERE, '..', '..');
const SMTPD = path.join(TOP, 'tests', 'mail', 'smtpd.py');
const SANITIZER = /ERROR: AddressSanitizer|runtime error:|LeakSanitizer/;

/* The tobmen binary of the build under test. */
export const BIN = process.env.TOBMEN_TEST_BIN || process.env.TOBMEN_BIN ||
    path.join(process.env.TOBMEN_BUILD || path.join(TOP, 'build-test'),
    'tobmen');

/* A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort()
{
	return new Promise((resolve, reject) => {
		const s = net.createServer();

		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();

			s.close(() => resolve(port));
		});
	});
}

/* Polls fn until it returns something truthy, which it returns; fails
 * the test after ms (20 s by default) naming what it waited for. */
export async function waitFor(what, fn, ms)
{
	const deadline = Date.now() + (ms || 20000);

	for (;;) {
		const v = await fn();

		if (v)
			return v;
		if (Date.now() > deadline)
			assert.fail('timed out waiting for ' + what);
		await new Promise((r) => setTimeout(r, 150));
	}
}

/* A Python that can import aiosmtpd (Debian's, before any other). */
export function smtpPython()
{
	for (const py of ['/usr/bin/python3', 'python3']) {
		try {
			execFileSync(py, ['-c', 'import aiosmtpd'],
			    { stdio: 'ignore' });
			return py;
		} catch (e) {
			/* try the next one */
		}
	}
	assert.fail('no python3 with aiosmtpd: install python3-aiosmtpd ' +
	    '(scripts/deps.sh --test)');
	return '';
}

/* Starts the SMTP server into env.smtpDir and waits until it listens. */
async function smtpdStart(env)
{
	const ready = path.join(env.dir, 'smtpd.ready');

	env.smtpDir = path.join(env.dir, 'smtp');
	env.smtpPort = await freePort();
	env.smtpd = spawn(smtpPython(), [SMTPD, String(env.smtpPort),
	    env.smtpDir, ready], { stdio: 'ignore' });
	await waitFor('the SMTP server', () => fs.existsSync(ready));
}

/*
 * Makes env.dir, env.db (migrated) and env.url, then starts the server
 * and waits for /healthz.  opts.name names the folder; opts.smtp sends
 * mail to a started smtpd (else mail goes to files in env.dir/mail);
 * opts.testClock adds --test-clock; opts.prepare(env), if given, runs
 * after the migration and before the server starts.
 */
export async function ownServerStart(env, opts)
{
	const o = opts || {};
	const args = [];

	assert.ok(fs.existsSync(BIN), 'no tobmen binary at ' + BIN);
	env.dir = fs.mkdtempSync(path.join(os.tmpdir(),
	    'tobmen-' + (o.name || 'own') + '-'));
	env.db = 'sqlite:' + path.join(env.dir, 'tobmen.db');
	env.port = await freePort();
	env.url = 'http://127.0.0.1:' + env.port;
	if (o.smtp) {
		await smtpdStart(env);
		args.push('--smtp-url', 'smtp://127.0.0.1:' + env.smtpPort);
	} else {
		args.push('--mail-dir', path.join(env.dir, 'mail'));
	}
	if (o.testClock)
		args.push('--test-clock');

	execFileSync(BIN, ['migrate', '--db', env.db], { stdio: 'ignore' });
	if (o.prepare)
		o.prepare(env);
	env.log = path.join(env.dir, 'server.log');
	env.server = spawn(BIN, ['serve', '--db', env.db,
	    '--listen', '127.0.0.1:' + env.port, '--public-url', env.url,
	    '--data-dir', path.join(env.dir, 'data'), ...args],
	    { stdio: ['ignore', 'ignore', fs.openSync(env.log, 'w')] });
	env.exited = new Promise((r) => env.server.on('exit', (code) =>
	    r(code)));
	await waitFor('the server', async () => {
		try {
			return (await fetch(env.url + '/healthz')).ok;
		} catch (e) {
			return false;
		}
	});
}

/* Stops what ownServerStart started, checks the server exited 0 with
 * no sanitizer report, and removes env.dir. */
export async function ownServerStop(env)
{
	if (env.server && env.server.exitCode === null) {
		env.server.kill('SIGTERM');
		assert.equal(await env.exited, 0, 'server exit status');
	}
	if (env.smtpd && env.smtpd.exitCode === null)
		env.smtpd.kill('SIGTERM');
	if (env.log && fs.existsSync(env.log))
		assert.doesNotMatch(fs.readFileSync(env.log, 'utf8'),
		    SANITIZER);
	if (env.dir)
		fs.rmSync(env.dir, { recursive: true, force: true });
}

/* Runs `tobmen admin ARGS --json` on env's store; returns the JSON. */
export function ownAdmin(env, ...args)
{
	return JSON.parse(execFileSync(BIN, ['admin', ...args, '--db', env.db,
	    '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
	    env: Object.assign({}, process.env,
	    { TOBMEN_PUBLIC_URL: env.url }) }));
}

/* Every mail env's SMTP server got for `to` whose text matches (all of
 * them, when match is not given), oldest first. */
export function ownMails(env, to, match)
{
	return fs.readdirSync(env.smtpDir)
	    .filter((f) => f.endsWith('.json'))
	    .map((f) => JSON.parse(fs.readFileSync(path.join(env.smtpDir, f),
	    'utf8')))
	    .filter((m) => m.envelope_to.includes(to) &&
	    (!match || match.test(m.text || '')));
}

/* The newest of ownMails, or null. */
export function ownFindMail(env, to, match)
{
	const hits = ownMails(env, to, match);

	return hits.length ? hits[hits.length - 1] : null;
}

/* Waits up to 30 s for ownFindMail to find one. */
export function ownWaitMail(env, to, match)
{
	return waitFor('mail to ' + to, () => ownFindMail(env, to, match),
	    30000);
}

/* The first link of text whose path starts with prefix; fails the test
 * if there is none. */
export function ownLinkIn(text, prefix)
{
	const links = (text.match(/https?:\/\/[^\s<>"')\]]+/g) || [])
	    .filter((u) => new URL(u).pathname.startsWith(prefix));

	assert.ok(links.length, 'no ' + prefix + ' link in:\n' + text);
	return links[0];
}

/*
 * Makes a supplier company called name through the operator's command
 * line, with its owner at email, whose password (PASSWORD) is set
 * through the link of the welcome mail.  Returns the company as `tobmen
 * admin` printed it.
 */
export async function ownSupplierNew(env, name, email)
{
	const co = ownAdmin(env, 'company', 'add', '--name', name,
	    '--supplier');

	ownAdmin(env, 'user', 'add', '--company', co.id, '--email', email,
	    '--name', 'Ирина Поставщикова', '--role', 'owner');

	const welcome = await ownWaitMail(env, email, /token=/);
	const token = new URL(ownLinkIn(welcome.text, '/password/'))
	    .searchParams.get('token');
	const r = await fetch(env.url + '/api/v1/auth/password/reset', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json',
		    Origin: env.url },
		body: JSON.stringify({ token, password: PASSWORD }),
	});

	assert.equal(r.status, 204, await r.text());
	return co;
}
