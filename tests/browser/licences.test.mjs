/*
 * licences.test.mjs - «Сервисы и баланс» → «Т-Обмен» as the guide shows
 * it: the distributor selects a licence, reads the counts in
 * «Информация», presses «+», chooses the Получатель in «Подтверждение
 * лицензий», confirms, closes the message with «ОК» and sees «ВКЛ».  Then
 * the supplier, allowed to manage the distributor's licences, moves the
 * licence to another agent (the device's token dies); once the
 * distributor takes the permission back, the supplier is offered no
 * buttons and the server refuses the move.  Screenshots of the table,
 * the dialog and the message.
 *
 * Like network.test.mjs this starts its own server (the build's binary,
 * TOBMEN_TEST_BIN, on a fresh SQLite store) sending mail to
 * tests/mail/smtpd.py, because the supplier company and the licences
 * are made by the operator's command line against that store.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PASSWORD, PHONE, expectNoConsoleErrors, launch, loginUI,
    openPage, screenshot, uniqueEmail, uniqueInn } from './lib.mjs';
import { ownAdmin, ownServerStart, ownServerStop, ownSupplierNew,
    ownWaitMail, waitFor } from './ownserver.mjs';

const MDM = '64b7f786-4e43-42d2-925b-a3855ec16ff5';

const env = {};

/* The value of param in the first link of the mail to `to` that has
 * it. */
async function mailParam(to, param)
{
	const re = new RegExp('[?&]' + param + '=([A-Za-z0-9_-]+)');
	const m = await ownWaitMail(env, to, re);

	return re.exec(m.text)[1];
}

/* A JSON call from node; sess ({ cookie, csrf }) may be null. */
async function call(sess, method, p, body, extra)
{
	const headers = Object.assign({ 'Content-Type': 'application/json',
	    Origin: env.url }, extra || {});

	if (sess) {
		headers.Cookie = 'tobmen_session=' + sess.cookie;
		headers['X-CSRF-Token'] = sess.csrf;
	}

	const r = await fetch(env.url + '/api/v1' + p, { method, headers,
	    body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await r.text();

	return { status: r.status, body: text ? JSON.parse(text) : null,
	    cookie: r.headers.get('set-cookie') };
}

/* Logs in through the API; returns the session. */
async function apiLogin(email)
{
	const r = await call(null, 'POST', '/auth/login',
	    { email, password: PASSWORD, remember: false });

	assert.equal(r.status, 200, JSON.stringify(r.body));
	return { cookie: /tobmen_session=([^;]+)/.exec(r.cookie)[1],
	    csrf: r.body.csrf_token, company: r.body.company };
}

/* The supplier and its owner, made by the operator; the distributor,
 * registered and linked by invitation; three licences, one activated
 * on a device as in the guide. */
async function setUpNetwork()
{
	env.supplierName = 'ООО "Поставщик" (Тест Т-Обмен ' +
	    Date.now() % 10000 + ')';
	env.supplierEmail = uniqueEmail('lic-supplier');

	env.supplierId = (await ownSupplierNew(env, env.supplierName,
	    env.supplierEmail)).id;

	env.distEmail = uniqueEmail('lic-distributor');
	env.distName = 'ИП Меркулова Анастасия (тест)';
	assert.equal((await call(null, 'POST', '/auth/register', {
	    company_name: env.distName, inn: uniqueInn(),
	    name: 'Анастасия Меркулова', email: env.distEmail,
	    password: PASSWORD, lang: 'ru' })).status, 201);

	env.sup = await apiLogin(env.supplierEmail);
	env.dist = await apiLogin(env.distEmail);
	env.distId = env.dist.company.id;

	const inv = await call(env.sup, 'POST', '/network/distributors',
	    { name: env.distName, email: env.distEmail, code: '18902' });

	assert.equal(inv.status, 201, JSON.stringify(inv.body));

	const invite = await mailParam(env.distEmail, 'invite');
	const card = await call(env.dist, 'POST', '/invitations/' + invite +
	    '/accept', {});

	assert.equal(card.status, 200, JSON.stringify(card.body));
	env.linkId = card.body.id;

	env.licences = ownAdmin(env, 'licence', 'issue', '--company',
	    env.distId, '--count', '3');
	env.lic = env.licences[0];

	const act = await call(null, 'POST', '/device/activate', {
	    licence: env.lic.number, activation_code: env.lic.activation_code,
	    mdm_id: MDM, app_version: '1.0.24.0.800',
	    user: 'Меркулова Анастасия' });

	assert.equal(act.status, 200, JSON.stringify(act.body));
	env.deviceToken = act.body.device_token;
}

before(async () => {
	await ownServerStart(env, { name: 'licences', smtp: true });
	await setUpNetwork();
});

after(() => ownServerStop(env));

/* The «Информация» counts as shown. */
async function counts(scope)
{
	const get = (k) => scope.locator('[data-count="' + k + '"]')
	    .innerText();

	return [await get('selected'), await get('on'), await get('off')];
}

test('the distributor connects a licence to the supplier, as the guide ' +
    'shows', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, env.distEmail, PASSWORD, { base: env.url });
		await page.getByRole('link', { name: 'Сервисы и баланс' })
		    .click();
		await page.getByRole('tab', { name: 'Т-Обмен' }).waitFor();

		const group = page.locator('tr.lic-group', {
		    hasText: env.supplierName });
		const row = page.locator('tr.lic-row[data-number="' +
		    env.lic.number + '"]');

		await group.waitFor();
		await row.getByText(env.lic.activation_code).waitFor();
		await row.getByText('Меркулова Анастасия').waitFor();
		await row.getByText('1.0.24.0.800').waitFor();
		await row.getByText(MDM).waitFor();
		await row.getByText('ВНЕ СЕРВИСА').waitFor();

		const plus = page.getByRole('button',
		    { name: 'Подключить выбранные лицензии к сервису' });

		assert.equal(await plus.isDisabled(), true,
		    '«+» waits for a selection');
		await row.getByRole('checkbox').check();
		assert.deepEqual(await counts(page.locator('.lic-info')),
		    ['1', '0', '1']);
		assert.equal(await plus.isDisabled(), false);
		await screenshot(page, 'licences-01-table');

		/* «+» → «Подтверждение лицензий» with the Получатель. */
		await plus.click();
		const dlg = page.getByRole('dialog',
		    { name: 'Подтверждение лицензий' });

		await dlg.getByLabel('Получатель').selectOption(
		    { label: env.supplierName });
		assert.deepEqual(await counts(dlg), ['1', '0', '1']);
		await screenshot(page, 'licences-02-confirm-dialog');
		await dlg.getByRole('button', { name: 'Подтвердить' }).click();

		/* The message, closed with «ОК». */
		const done = page.getByRole('dialog', { name: 'Т-Обмен' });

		await done.getByText('успешно подключены').waitFor();
		await screenshot(page, 'licences-03-success');
		await done.getByRole('button', { name: 'ОК' }).click();
		await row.getByText('ВКЛ', { exact: true }).waitFor();
		assert.deepEqual(await counts(page.locator('.lic-info')),
		    ['0', '0', '0']);
		await screenshot(page, 'licences-04-status-on');

		/* The search runs on the server, across the columns. */
		await page.getByPlaceholder('Поиск...').fill('меркулова');
		await page.locator('tr.lic-row').first().waitFor();
		await waitFor('the search', async () => (await page.locator(
		    'tr.lic-row').count()) === 1);
		await page.getByPlaceholder('Поиск...').fill('');
		await waitFor('all rows', async () => (await page.locator(
		    'tr.lic-row').count()) === 3);

		/* «Устройства» lists the device. */
		await page.getByRole('link', { name: 'Устройства' }).click();
		await page.locator('tr', { hasText: MDM }).getByText(
		    env.lic.number).waitFor();
		await screenshot(page, 'licences-05-devices');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('the supplier moves a licence only while the distributor allows it',
    async () => {
	const b = await launch();
	const perm = (on) => call(env.dist, 'PATCH', '/network/suppliers/' +
	    env.linkId, { manage_licences: on });

	assert.equal((await perm(true)).status, 200);
	try {
		const page = await openPage(b.context);

		await loginUI(page, env.supplierEmail, PASSWORD,
		    { base: env.url });
		await page.getByRole('link', { name: 'Сервисы и баланс' })
		    .click();
		await page.getByRole('tab', { name: 'Лицензии дистрибьюторов' })
		    .waitFor();

		const group = page.locator('tr.lic-group', {
		    hasText: env.distName });
		const row = page.locator('tr.lic-row[data-number="' +
		    env.lic.number + '"]');

		await group.getByText('управление разрешено').waitFor();
		await row.getByText('ВКЛ', { exact: true }).waitFor();
		await row.getByRole('checkbox').check();
		await page.getByRole('button', { name: 'Перенести' }).click();

		const dlg = page.getByRole('dialog',
		    { name: 'Перенос лицензии' });

		await dlg.getByText(MDM).waitFor();
		await dlg.getByLabel('Новый пользователь').fill('Иванов Пётр');
		await screenshot(page, 'licences-06-move-dialog');
		await dlg.getByRole('button', { name: 'Перенести' }).click();
		await page.getByText('перенесена на пользователя').waitFor();
		await row.getByText('Иванов Пётр').waitFor();
		assert.equal(await row.getByText(MDM).count(), 0,
		    'the old device is released');
		await screenshot(page, 'licences-07-moved');

		/* The old device's token is dead; a new device may bind. */
		assert.equal((await call(null, 'GET', '/device/me', undefined,
		    { Authorization: 'Bearer ' + env.deviceToken })).status,
		    401);

		/* Without the permission: no buttons, and a refusal. */
		assert.equal((await perm(false)).status, 200);
		await page.reload();
		await group.getByText('только просмотр').waitFor();
		await row.getByText('Иванов Пётр').waitFor();
		assert.equal(await page.getByRole('button',
		    { name: 'Перенести' }).count(), 0);
		assert.equal(await page.getByRole('button', { name:
		    'Подключить выбранные лицензии к сервису' }).count(), 0);
		assert.equal(await row.getByRole('checkbox').count(), 0);
		assert.equal(await page.locator('tr.lic-row').count(), 1,
		    'only the licence in service is shown');
		await screenshot(page, 'licences-08-view-only');

		const r = await call(env.sup, 'POST', '/network/licences/' +
		    env.lic.number + '/move', { user: 'Сидоров Олег' });

		assert.equal(r.status, 403);
		assert.equal(r.body.error.code,
		    'licence_management_not_allowed');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('the table stays usable on a phone', async () => {
	const b = await launch(PHONE);

	try {
		const page = await openPage(b.context);

		await loginUI(page, env.distEmail, PASSWORD, { base: env.url });
		await page.goto(env.url + '/services');
		await page.locator('tr.lic-row[data-number="' + env.lic.number +
		    '"]').getByRole('checkbox').check();
		await page.getByRole('button',
		    { name: 'Подключить выбранные лицензии к сервису' })
		    .waitFor();
		await screenshot(page, 'licences-09-phone');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});
