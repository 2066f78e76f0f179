/*
 * network.test.mjs - the distributor's guide, walked end to end: the
 * supplier invites a distributor in «Дистрибьюторы»; the invitation
 * arrives at a real SMTP server; its link opens the login page; the
 * distributor registers, comes back to the invitation, accepts, finds
 * the supplier's card under Т-Обмен → «Поставщики» and ticks «Разрешить
 * управление моими лицензиями в Т-Обмене»; the supplier's list shows
 * «принят» and the permission.  Every step leaves a screenshot.
 *
 * The suite's server writes mail to files, so this test starts its own:
 * the tobmen binary of the build under test (TOBMEN_TEST_BIN, or
 * $TOBMEN_BUILD/tobmen) on a fresh SQLite store, sending through
 * tests/mail/smtpd.py (Debian python3-aiosmtpd).  Supplier companies are
 * made by the operator's command line, as in production.
 */

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { PASSWORD, expectNoConsoleErrors, launch, openPage, screenshot,
    uniqueEmail, uniqueInn } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOP = path.resolve(HERE, '..', '..');
const BIN = process.env.TOBMEN_TEST_BIN || process.env.TOBMEN_BIN ||
    path.join(process.env.TOBMEN_BUILD || path.join(TOP, 'build-test'),
    'tobmen');
const SMTPD = path.join(TOP, 'tests', 'mail', 'smtpd.py');
const SANITIZER = /ERROR: AddressSanitizer|runtime error:|LeakSanitizer/;

const env = {};

/* A Python that can import aiosmtpd (Debian's, before any other). */
function smtpPython()
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

function freePort()
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

async function waitFor(what, fn, ms)
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

/* Runs `tobmen admin ARGS --json` on the test store; returns the JSON. */
function admin(...args)
{
	const out = execFileSync(BIN, ['admin', ...args, '--db', env.db,
	    '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
	    env: Object.assign({}, process.env, {
	    TOBMEN_PUBLIC_URL: env.url }) });

	return JSON.parse(out);
}

/* The newest mail the SMTP server got for `to` whose text matches. */
function findMail(to, match)
{
	const hits = fs.readdirSync(env.smtpDir)
	    .filter((f) => f.endsWith('.json'))
	    .map((f) => JSON.parse(fs.readFileSync(path.join(env.smtpDir, f),
	    'utf8')))
	    .filter((m) => m.envelope_to.includes(to) &&
	    (!match || match.test(m.text || '')));

	return hits.length ? hits[hits.length - 1] : null;
}

function waitMail(to, match)
{
	return waitFor('mail to ' + to, () => findMail(to, match), 30000);
}

/* The first link of text whose path starts with prefix. */
function linkIn(text, prefix)
{
	const links = (text.match(/https?:\/\/[^\s<>"')\]]+/g) || [])
	    .filter((u) => new URL(u).pathname.startsWith(prefix));

	assert.ok(links.length, 'no ' + prefix + ' link in:\n' + text);
	return links[0];
}

async function api(method, p, body)
{
	const r = await fetch(env.url + '/api/v1' + p, { method,
	    headers: { 'Content-Type': 'application/json',
	    Origin: env.url }, body: body && JSON.stringify(body) });

	return { status: r.status, body: await r.text() };
}

/* Logs in through the login page of the test server. */
async function login(page, email)
{
	await page.goto(env.url + '/login');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Войти' }).click();
	await page.locator('.shell').waitFor();
}

before(async () => {
	assert.ok(fs.existsSync(BIN), 'no tobmen binary at ' + BIN);
	env.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tobmen-network-'));
	env.smtpDir = path.join(env.dir, 'smtp');
	env.db = 'sqlite:' + path.join(env.dir, 'tobmen.db');
	env.smtpPort = await freePort();
	env.port = await freePort();
	env.url = 'http://127.0.0.1:' + env.port;

	const ready = path.join(env.dir, 'smtpd.ready');

	env.smtpd = spawn(smtpPython(), [SMTPD, String(env.smtpPort),
	    env.smtpDir, ready], { stdio: 'ignore' });
	await waitFor('the SMTP server', () => fs.existsSync(ready));

	execFileSync(BIN, ['migrate', '--db', env.db], { stdio: 'ignore' });
	env.log = path.join(env.dir, 'server.log');
	env.server = spawn(BIN, ['serve', '--db', env.db,
	    '--listen', '127.0.0.1:' + env.port, '--public-url', env.url,
	    '--smtp-url', 'smtp://127.0.0.1:' + env.smtpPort,
	    '--data-dir', path.join(env.dir, 'data'), '--test-clock'],
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

	/* The supplier, as the operator makes it, and its owner. */
	env.supplierName = 'ООО «Поставщик ' + Date.now() % 100000 + '»';
	env.supplierEmail = uniqueEmail('supplier');

	const co = admin('company', 'add', '--name', env.supplierName,
	    '--supplier');

	admin('user', 'add', '--company', co.id, '--email', env.supplierEmail,
	    '--name', 'Ирина Поставщикова', '--role', 'owner');

	const welcome = await waitMail(env.supplierEmail, /token=/);
	const token = new URL(linkIn(welcome.text, '/password/'))
	    .searchParams.get('token');
	const r = await api('POST', '/auth/password/reset',
	    { token, password: PASSWORD });

	assert.equal(r.status, 204, r.body);
});

after(async () => {
	if (env.server && env.server.exitCode === null) {
		env.server.kill('SIGTERM');
		assert.equal(await env.exited, 0, 'server exit status');
	}
	if (env.smtpd && env.smtpd.exitCode === null)
		env.smtpd.kill('SIGTERM');
	if (env.log && fs.existsSync(env.log))
		assert.doesNotMatch(fs.readFileSync(env.log, 'utf8'), SANITIZER);
	if (env.dir)
		fs.rmSync(env.dir, { recursive: true, force: true });
});

test('the guide: invite, mail, register, accept, card, permission',
    async () => {
	const sup = await launch();
	const dist = await launch();
	const distEmail = uniqueEmail('distributor');
	const distCompany = 'ООО «Дистрибьютор ' + Date.now() % 100000 + '»';

	try {
		const sp = await openPage(sup.context);

		/* The supplier opens Т-Обмен → Дистрибьюторы. */
		await login(sp, env.supplierEmail);
		await sp.getByRole('link', { name: 'Дистрибьюторы' }).click();
		await sp.getByRole('heading', { name: 'Дистрибьюторы' })
		    .waitFor();
		await sp.getByText('В сети пока нет дистрибьюторов').waitFor();
		await screenshot(sp, 'network-01-supplier-empty');

		await sp.getByRole('button', { name: 'Добавить дистрибьютора' })
		    .click();
		await sp.getByLabel('Название дистрибьютора')
		    .fill('ООО «Дистрибьютор»');
		await sp.getByLabel('E-mail для приглашения').fill(distEmail);
		await sp.getByLabel('Код дистрибьютора').fill('1890');
		await sp.getByRole('button', { name: 'Пригласить' }).click();
		await sp.getByText('Код — пять цифр от 10000 до 99999')
		    .waitFor();
		await sp.getByLabel('Код дистрибьютора').fill('18902');
		await screenshot(sp, 'network-02-add-dialog');
		await sp.getByRole('button', { name: 'Пригласить' }).click();
		await sp.getByText('Приглашение отправлено на ' + distEmail +
		    ', код 18902.').waitFor();
		const row = sp.locator('tr[data-code="18902"]');

		await row.getByText('приглашён', { exact: true }).waitFor();
		await screenshot(sp, 'network-03-invited');

		/* The mail, at the SMTP server. */
		const mail = await waitMail(distEmail, /invite=/);

		assert.match(mail.subject, /Поставщик/);
		assert.match(mail.text, /18902/);

		const link = linkIn(mail.text, '/suppliers/join');

		assert.ok(link.startsWith(env.url + '/suppliers/join?invite='),
		    link);

		/* The distributor opens the link: login, then registration. */
		const dp = await openPage(dist.context);

		await dp.goto(link);
		await dp.waitForURL(/\/login\?next=/);
		await dp.getByText('Вас пригласили в дистрибьюторскую сеть')
		    .waitFor();
		await screenshot(dp, 'network-04-login-from-link');
		await dp.getByRole('link', { name: 'Регистрация' }).click();
		await dp.waitForURL(/\/register\?next=/);
		await dp.getByLabel('Название компании').fill(distCompany);
		await dp.getByLabel('ИНН').fill(uniqueInn());
		await dp.getByLabel('Ваше имя').fill('Анастасия Меркулова');
		await dp.getByLabel('E-mail').fill(distEmail);
		await dp.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
		await dp.getByLabel('Повторите пароль').fill(PASSWORD);
		await screenshot(dp, 'network-05-register');
		await dp.getByRole('button', { name: 'Зарегистрироваться' })
		    .click();

		/* Back at the invitation: who invites, under which code. */
		await dp.waitForURL(/\/suppliers\/join\?invite=/);
		await dp.getByText(env.supplierName + ' приглашает').waitFor();
		assert.equal(await dp.locator('.join-code').innerText(),
		    '18902');
		await screenshot(dp, 'network-06-invitation');
		await dp.getByRole('button', { name: 'Принять' }).click();
		await dp.getByText('ваша компания в сети поставщика').waitFor();
		assert.equal(new URL(dp.url()).search, '',
		    'the token stays in the address bar');
		await screenshot(dp, 'network-07-accepted');

		/* The supplier's card under Т-Обмен → Поставщики. */
		await dp.getByRole('link',
		    { name: 'Перейти к карточке поставщика' }).click();
		await dp.waitForURL(env.url + '/exchange/suppliers');
		const card = dp.locator('.supplier-card');

		await card.getByRole('heading', { name: env.supplierName })
		    .waitFor();
		await card.getByText('18902', { exact: true }).waitFor();
		const box = card.getByLabel('Разрешить управление моими ' +
		    'лицензиями в Т-Обмене');

		assert.equal(await box.isChecked(), false);
		await screenshot(dp, 'network-08-supplier-card');
		await box.check();
		await dp.getByText('может управлять вашими лицензиями')
		    .waitFor();
		assert.equal(await box.isChecked(), true);
		await screenshot(dp, 'network-09-permission-on');

		/* The supplier sees it at once, and has a mail about it. */
		await sp.reload();
		await row.getByText('принят', { exact: true }).waitFor();
		await row.getByText('разрешено', { exact: true }).waitFor();
		await row.getByText(distCompany).waitFor();
		await screenshot(sp, 'network-10-supplier-sees-accepted');
		await waitMail(env.supplierEmail, /18902/);

		/* Both sides read the journal. */
		await sp.getByRole('link', { name: 'Журнал' }).click();
		await sp.locator('tr[data-action="link.permission"]').waitFor();
		await sp.locator('tr[data-action="link.invite"]').waitFor();
		await screenshot(sp, 'network-11-supplier-journal');
		await dp.getByRole('link', { name: 'Журнал' }).click();
		await dp.locator('tr[data-action="link.accept"]').waitFor();
		assert.equal(await dp.locator(
		    'tr[data-action="link.invite"]').count(), 0);
		await screenshot(dp, 'network-12-distributor-journal');

		expectNoConsoleErrors(sp);
		expectNoConsoleErrors(dp);
	} finally {
		await sup.close();
		await dist.close();
	}
});

test('a used or unknown invitation link shows one plain page', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await login(page, env.supplierEmail);
		await page.goto(env.url + '/suppliers/join?invite=' +
		    'A'.repeat(43));
		await page.getByRole('heading', { name: 'Ссылка не действует' })
		    .waitFor();
		await screenshot(page, 'network-13-invalid-link');
		expectNoConsoleErrors(page,
		    [/status of 404 .*\/api\/v1\/invitations\//]);
	} finally {
		await b.close();
	}
});

test('the supplier uploads a CSV, resends and revokes invitations',
    async () => {
	const b = await launch();
	const first = uniqueEmail('csv1');
	const second = uniqueEmail('csv2');
	const csv = '\ufeffНазвание;E-mail;Код\r\n' +
	    'ООО «Первый»;' + first + ';31415\r\n' +
	    'ООО «Второй»;' + second + ';\r\n' +
	    'ООО «Третий»;без адреса;\r\n';

	try {
		const page = await openPage(b.context);

		await login(page, env.supplierEmail);
		await page.goto(env.url + '/exchange/distributors');
		await page.getByRole('button', { name: 'Загрузить из CSV' })
		    .click();
		await page.getByLabel('Файл CSV').setInputFiles({
		    name: 'distributors.csv', mimeType: 'text/csv',
		    buffer: Buffer.from(csv, 'utf8') });
		await page.getByRole('button', { name: 'Загрузить',
		    exact: true }).click();
		await page.getByText('Принято строк: 2, не принято: 1.')
		    .waitFor();
		await page.getByText('приглашён, код 31415').waitFor();
		await screenshot(page, 'network-14-csv-report');
		await page.getByRole('button', { name: 'Закрыть' }).first()
		    .click();

		const row = page.locator('tr[data-code="31415"]');

		await row.waitFor();
		await waitMail(first, /invite=/);
		await row.getByRole('button', { name: 'Отправить повторно' })
		    .click();
		await page.getByText('отправлено заново').waitFor();
		await waitFor('a second invitation', () => fs.readdirSync(
		    env.smtpDir).filter((f) => f.endsWith('.json')).map((f) =>
		    JSON.parse(fs.readFileSync(path.join(env.smtpDir, f),
		    'utf8'))).filter((m) => m.envelope_to.includes(first))
		    .length === 2);

		await row.getByRole('button', { name: 'Отозвать' }).click();
		await page.getByRole('dialog').getByRole('button',
		    { name: 'Отозвать' }).click();
		await row.getByText('отозван', { exact: true }).waitFor();
		await screenshot(page, 'network-15-revoked');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});
