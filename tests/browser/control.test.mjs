/*
 * control.test.mjs - «Контроль» and «Администрирование» → «API-ключи».
 *
 * The distributor opens «Контроль»: its licences per supplier with «ВКЛ»,
 * the last exchange, documents per day and the refused documents with
 * their reasons; a document its own system sends appears without a
 * reload (the page refreshes itself).  The supplier sees its
 * distributors and its feed consumer's lag.  Then the supplier creates
 * an API key (shown once), uses it, and revokes it.  Screenshots of each
 * view.
 *
 * Like licences.test.mjs this starts its own server on a fresh SQLite
 * store (the build's binary, TOBMEN_TEST_BIN), filled by `tobmen demo`
 * with a small network whose logins and keys it prints.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { expectNoConsoleErrors, launch, loginUI, openPage,
    screenshot } from './lib.mjs';
import { BIN, ownServerStart, ownServerStop } from './ownserver.mjs';

const DEMO_PASSWORD = 'demo-tobmen-2024';

const env = {};

/* Reads the demo's report: the distributor's key and the first code. */
function parseDemo(out)
{
	const key = /\(send\) (tbk_\S+)/.exec(out);
	const code = /dist01@demo\.example\s.*code (\d{5})/.exec(out);

	assert.ok(key && code, 'demo report: ' + out);
	env.sendKey = key[1];
	env.code = code[1];
}

/* Fills the migrated store with `tobmen demo`'s small network. */
function demoFill(e)
{
	parseDemo(execFileSync(BIN, ['demo', '--db', e.db, '--quiet',
	    '--distributors', '3', '--licences', '9', '--days', '7',
	    '--data-dir', path.join(e.dir, 'data')],
	    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

before(() => ownServerStart(env, { name: 'control', prepare: demoFill }));

after(() => ownServerStop(env));

/* Sends one sale from the distributor's own system; its uuid. */
async function sendSale(total)
{
	const uuid = crypto.randomUUID();
	const r = await fetch(env.url + '/api/v1/distributor/documents', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json',
		    Authorization: 'Bearer ' + env.sendKey },
		body: JSON.stringify({ supplier_code: env.code, documents: [{
		    uuid, kind: 'sale', number: 'ERP-1',
		    date: new Date(Date.now() - 60000).toISOString(),
		    outlet: { code: 'ТТ-1', name: 'Магазин' },
		    lines: [{ product_code: '000101', name: 'Чай', qty: 2000,
		    price: 28990, amount: 57980 }], total }] }),
	});
	const body = await r.json();

	assert.equal(r.status, 200, JSON.stringify(body));
	return { uuid, status: body.results[0].status };
}

test('the distributor follows its exchange in «Контроль»', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, 'dist01@demo.example', DEMO_PASSWORD,
		    { base: env.url });
		await page.getByRole('navigation')
		    .getByRole('link', { name: 'Контроль' }).click();
		await page.waitForURL(env.url + '/control');
		await page.locator('.ctl-table tbody tr[data-licence]').first()
		    .waitFor();
		assert.ok(await page.locator('.ctl-table .badge',
		    { hasText: 'ВКЛ' }).count() > 0);
		assert.ok(await page.locator('.ctl-spark').count() > 0);
		await page.getByRole('heading',
		    { name: 'Отклонённые документы' }).waitFor();
		await screenshot(page, 'control-distributor');

		/* A refused document shows with its reason. */
		const bad = await sendSale(57981);

		assert.equal(bad.status, 'rejected');

		/* A stored one from the own system: the page updates itself. */
		const ok = await sendSale(57980);

		assert.equal(ok.status, 'stored');
		await page.locator('tr[data-uuid="' + bad.uuid + '"]')
		    .getByText('Итог не равен сумме строк').waitFor(
		    { timeout: 25000 });
		await page.locator('.ctl-table tbody tr', { hasText:
		    'Учётная система (API)' }).first().waitFor(
		    { timeout: 25000 });
		await screenshot(page, 'control-distributor-refreshed');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('the supplier sees its distributors and the feed lag', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, 'supplier1@demo.example', DEMO_PASSWORD,
		    { base: env.url });
		await page.goto(env.url + '/control?days=7');
		await page.locator('.ctl-table tbody tr[data-code]').first()
		    .waitFor();
		assert.equal(await page.locator(
		    '.ctl-table tbody tr[data-code]').count(), 3);
		await page.locator('tr[data-consumer="1c-ud"]').waitFor();
		await page.getByText('Потребители ленты').waitFor();
		await screenshot(page, 'control-supplier');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('the supplier creates an API key, sees it once, and revokes it',
    async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, 'supplier1@demo.example', DEMO_PASSWORD,
		    { base: env.url });
		await page.getByRole('navigation')
		    .getByRole('link', { name: 'Администрирование' }).click();
		await page.getByRole('tab', { name: 'API-ключи' }).click();
		await page.waitForURL(env.url + '/admin?tab=api-keys');
		await page.getByRole('button', { name: 'Создать ключ' })
		    .click();

		const dlg = page.getByRole('dialog');

		await dlg.getByLabel('Название').fill('1С УД — склад');
		await dlg.getByLabel('публикация пакетов').check();
		await screenshot(page, 'apikeys-create');
		await dlg.getByRole('button', { name: 'Создать' }).click();

		const secret = page.getByRole('dialog')
		    .getByRole('textbox', { name: 'Ключ' });

		await secret.waitFor();

		const key = await secret.inputValue();

		assert.match(key, /^tbk_[A-Za-z0-9_-]{43}$/);
		await screenshot(page, 'apikeys-secret');
		await page.getByRole('dialog').getByRole('button',
		    { name: 'Готово' }).click();

		/* The key works; the list never shows it again. */
		const feed = await fetch(env.url + '/api/v1/feed?limit=1',
		    { headers: { Authorization: 'Bearer ' + key } });

		assert.equal(feed.status, 200);

		const row = page.locator('tbody tr',
		    { hasText: '1С УД — склад' });

		await row.waitFor();
		assert.ok(!(await page.content()).includes(key));
		await row.getByRole('button', { name: 'Отозвать' }).click();
		await page.getByRole('dialog').getByRole('button',
		    { name: 'Отозвать' }).click();
		await row.getByText('отозван').waitFor();
		await screenshot(page, 'apikeys-revoked');
		assert.equal((await fetch(env.url + '/api/v1/feed', { headers:
		    { Authorization: 'Bearer ' + key } })).status, 401);
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});
