/*
 * admin.test.mjs - «Администрирование»: an owner adds a colleague, the
 * colleague sets a password from the mail and sees the users read-only,
 * and the owner changes the colleague's role and disables the account.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, PASSWORD, apiSession, expectNoConsoleErrors, launch,
    loginUI, mailLink, openPage, registerCompany, screenshot, uniqueEmail,
    waitForMail } from './lib.mjs';

function row(page, email)
{
	return page.locator('tbody tr', { hasText: email });
}

test('an owner adds a colleague who then logs in as a member',
    async () => {
	const owner = await registerCompany('admin');
	const mate = { email: uniqueEmail('colleague'), name: 'Иван Сидоров',
	    password: PASSWORD + '-mate' };
	const ob = await launch();
	const mb = await launch();

	try {
		const page = await openPage(ob.context);

		await loginUI(page, owner.email, owner.password);
		await page.getByRole('navigation')
		    .getByRole('link', { name: 'Администрирование' }).click();
		await page.waitForURL(BASE_URL + '/admin');
		await row(page, owner.email).waitFor();
		await page.getByRole('button',
		    { name: 'Добавить пользователя' }).click();

		const dlg = page.getByRole('dialog');

		await dlg.getByLabel('E-mail').fill(mate.email);
		await dlg.getByLabel('Имя').fill(mate.name);
		await dlg.getByLabel('Роль').selectOption('member');
		await screenshot(page, 'admin-add-dialog');
		await dlg.getByRole('button', { name: 'Добавить' }).click();
		await page.getByText('Пользователь ' + mate.email +
		    ' добавлен').waitFor();
		await row(page, mate.email).getByText('Активен').waitFor();
		await screenshot(page, 'admin-colleague-added');

		/* The colleague sets a password from the mail and logs in. */
		const mail = await waitForMail(mate.email);
		const mpage = await openPage(mb.context);

		await mpage.goto(mailLink(mail.text, '/password/'));
		await mpage.getByLabel('Новый пароль').fill(mate.password);
		await mpage.getByLabel('Повторите пароль').fill(mate.password);
		await mpage.getByRole('button', { name: 'Сохранить пароль' })
		    .click();
		await mpage.waitForURL(BASE_URL + '/login');
		await loginUI(mpage, mate.email, mate.password);
		await mpage.goto(BASE_URL + '/admin');
		await row(mpage, owner.email).waitFor();
		assert.equal(await mpage.getByRole('button',
		    { name: 'Добавить пользователя' }).count(), 0);
		assert.equal(await mpage.locator('tbody select').count(), 0);
		assert.equal(await mpage.getByRole('button',
		    { name: 'Отключить' }).count(), 0);
		await row(mpage, mate.email).getByText('Пользователь')
		    .waitFor();
		await screenshot(mpage, 'admin-member-view');
		expectNoConsoleErrors(mpage);

		/* The owner makes the colleague an admin, then disables. */
		await page.reload();
		const r = row(page, mate.email);

		await r.getByRole('combobox').selectOption('admin');
		await page.getByText('Роль пользователя ' + mate.name +
		    ' изменена').waitFor();
		await r.getByRole('button', { name: 'Отключить' }).click();
		await page.getByRole('dialog').getByRole('button',
		    { name: 'Отключить' }).click();
		await r.getByText('Отключён').waitFor();
		await screenshot(page, 'admin-colleague-disabled');
		await r.getByRole('button', { name: 'Включить' }).click();
		await r.getByText('Активен').waitFor();
		expectNoConsoleErrors(page);
	} finally {
		await ob.close();
		await mb.close();
	}
});

test('the users table pages by cursor with «Показать ещё»', async () => {
	const owner = await registerCompany('paging');
	const call = await apiSession(owner.email, owner.password);
	const b = await launch();

	for (let i = 0; i < 27; i++) {
		const r = await call('POST', '/users', { email:
		    uniqueEmail('staff' + i), name: 'Сотрудник ' + i,
		    role: 'member' });

		assert.equal(r.status, 201, JSON.stringify(r.body));
	}
	try {
		const page = await openPage(b.context);

		await loginUI(page, owner.email, owner.password);
		await page.goto(BASE_URL + '/admin');
		await page.getByText('Показано: 25').waitFor();

		const more = page.getByRole('button', { name: 'Показать ещё' });

		await more.click();
		await page.getByText('Показано: 28').waitFor();
		assert.equal(await page.locator('tbody tr').count(), 28);
		assert.equal(await more.isVisible(), false);
		await screenshot(page, 'admin-paged');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});
