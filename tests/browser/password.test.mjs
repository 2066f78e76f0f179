/*
 * password.test.mjs - «Забыли пароль?» end to end: the request, the mail
 * that arrives, the link in it, a new password, and logging in with it.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, expectNoConsoleErrors, launch, loginUI, mailLink,
    openPage, registerCompany, screenshot, waitForMail } from './lib.mjs';

const NEW_PASSWORD = 'Leto-2025-novyi-parol';

test('a forgotten password is reset from the link in the mail',
    async () => {
	const acct = await registerCompany('reset');
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await page.goto(BASE_URL + '/login');
		await page.getByRole('link', { name: 'Забыли пароль?' })
		    .click();
		await page.waitForURL(BASE_URL + '/password/forgot');
		await page.getByLabel('E-mail').fill(acct.email);
		await page.getByRole('button', { name: 'Отправить ссылку' })
		    .click();
		await page.getByText('Если учётная запись с таким e-mail ' +
		    'существует').waitFor();
		await screenshot(page, 'password-forgot-sent');

		const mail = await waitForMail(acct.email);
		const url = mailLink(mail.text, '/password/reset');

		await page.goto(url);
		await page.getByLabel('Новый пароль').fill(NEW_PASSWORD);
		await page.getByLabel('Повторите пароль').fill(NEW_PASSWORD);
		await screenshot(page, 'password-reset-form');
		await page.getByRole('button', { name: 'Сохранить пароль' })
		    .click();
		await page.waitForURL(BASE_URL + '/login');
		await page.getByText('Пароль изменён').waitFor();
		await screenshot(page, 'password-reset-done');

		await loginUI(page, acct.email, acct.password,
		    { expectFail: true });
		await page.getByText('Неверный e-mail или пароль').waitFor();

		await page.getByLabel('Пароль', { exact: true })
		    .fill(NEW_PASSWORD);
		await page.getByRole('button', { name: 'Войти' }).click();
		await page.locator('.shell').waitFor();
		assert.equal(new URL(page.url()).pathname, '/');

		await page.goto(url);
		await page.getByLabel('Новый пароль').fill(NEW_PASSWORD + '1');
		await page.getByLabel('Повторите пароль')
		    .fill(NEW_PASSWORD + '1');
		await page.getByRole('button', { name: 'Сохранить пароль' })
		    .click();
		await page.getByText('Ссылка недействительна').waitFor();
		await screenshot(page, 'password-reset-link-used');
		expectNoConsoleErrors(page, [
		    /status of 401 .*\/api\/v1\/auth\/login$/,
		    /status of 400 .*\/api\/v1\/auth\/password\/reset$/]);
	} finally {
		await b.close();
	}
});

test('the forgot page answers the same for an unknown e-mail',
    async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await page.goto(BASE_URL + '/password/forgot');
		await page.getByLabel('E-mail')
		    .fill('nobody-' + Date.now() + '@example.test');
		await page.getByRole('button', { name: 'Отправить ссылку' })
		    .click();
		await page.getByText('Если учётная запись с таким e-mail ' +
		    'существует').waitFor();
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('«Сменить пароль» in the user menu changes the password',
    async () => {
	const acct = await registerCompany('change');
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, acct.email, acct.password);
		await page.getByRole('button', { name: 'Меню пользователя' })
		    .click();
		await page.getByRole('button', { name: 'Сменить пароль' })
		    .click();

		const dlg = page.getByRole('dialog');

		await dlg.getByLabel('Текущий пароль')
		    .fill('not-my-password-1');
		await dlg.getByLabel('Новый пароль', { exact: true })
		    .fill(NEW_PASSWORD);
		await dlg.getByLabel('Повторите новый пароль')
		    .fill(NEW_PASSWORD);
		await dlg.getByRole('button', { name: 'Сохранить' }).click();
		await dlg.getByText('Текущий пароль указан неверно').waitFor();

		await dlg.getByLabel('Текущий пароль').fill(acct.password);
		await dlg.getByRole('button', { name: 'Сохранить' }).click();
		await dlg.getByText('Пароль изменён').waitFor();
		await screenshot(page, 'password-changed');
		await dlg.getByRole('button', { name: 'Закрыть' }).first()
		    .click();

		await page.getByRole('button', { name: 'Меню пользователя' })
		    .click();
		await page.getByRole('button', { name: 'Выйти' }).click();
		await loginUI(page, acct.email, NEW_PASSWORD);
		expectNoConsoleErrors(page,
		    [/status of 400 .*\/api\/v1\/auth\/password\/change$/]);
	} finally {
		await b.close();
	}
});
