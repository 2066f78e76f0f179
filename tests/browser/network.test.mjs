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
import { after, before, test } from 'node:test';

import { PASSWORD, expectNoConsoleErrors, launch, loginUI, openPage,
    screenshot, uniqueEmail, uniqueInn } from './lib.mjs';
import { ownLinkIn, ownMails, ownServerStart, ownServerStop,
    ownSupplierNew, ownWaitMail, waitFor } from './ownserver.mjs';

const env = {};

before(async () => {
	await ownServerStart(env, { name: 'network', smtp: true,
	    testClock: true });

	/* The supplier, as the operator makes it, and its owner. */
	env.supplierName = 'ООО «Поставщик ' + Date.now() % 100000 + '»';
	env.supplierEmail = uniqueEmail('supplier');

	await ownSupplierNew(env, env.supplierName, env.supplierEmail);
});

after(() => ownServerStop(env));

test('the guide: invite, mail, register, accept, card, permission',
    async () => {
	const sup = await launch();
	const dist = await launch();
	const distEmail = uniqueEmail('distributor');
	const distCompany = 'ООО «Дистрибьютор ' + Date.now() % 100000 + '»';

	try {
		const sp = await openPage(sup.context);

		/* The supplier opens Т-Обмен → Дистрибьюторы. */
		await loginUI(sp, env.supplierEmail, PASSWORD,
		    { base: env.url });
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
		const mail = await ownWaitMail(env, distEmail, /invite=/);

		assert.match(mail.subject, /Поставщик/);
		assert.match(mail.text, /18902/);

		const link = ownLinkIn(mail.text, '/suppliers/join');

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
		await ownWaitMail(env, env.supplierEmail, /18902/);

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

		await loginUI(page, env.supplierEmail, PASSWORD,
		    { base: env.url });
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

		await loginUI(page, env.supplierEmail, PASSWORD,
		    { base: env.url });
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
		await ownWaitMail(env, first, /invite=/);
		await row.getByRole('button', { name: 'Отправить повторно' })
		    .click();
		await page.getByText('отправлено заново').waitFor();
		await waitFor('a second invitation', () =>
		    ownMails(env, first).length === 2);

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
