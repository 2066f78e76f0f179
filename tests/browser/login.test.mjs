/*
 * login.test.mjs - the login page: logging in, a wrong password,
 * «Запомнить меня», and coming back to the page that asked for a login.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE_URL, expectNoConsoleErrors, launch, loginUI, openPage,
    registerCompany, screenshot } from './lib.mjs';

let acct;

before(async () => {
	acct = await registerCompany('login');
});

test('logging in with e-mail and password opens Главная', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await page.goto(BASE_URL + '/login');
		await page.getByRole('heading', { name: 'Личный кабинет' })
		    .waitFor();
		for (const name of ['E-mail', 'Пароль', 'Запомнить меня'])
			await page.getByLabel(name, { exact: true }).waitFor();
		await page.getByRole('link', { name: 'Регистрация' }).waitFor();
		await page.getByRole('link', { name: 'Забыли пароль?' })
		    .waitFor();
		await screenshot(page, 'login-page');

		await loginUI(page, acct.email, acct.password);
		assert.equal(new URL(page.url()).pathname, '/');
		await page.getByRole('heading',
		    { name: 'Добро пожаловать, ' + acct.name + '!' }).waitFor();
		assert.match(await page.locator('.topbar').innerText(),
		    new RegExp(acct.company.replace(/[«»]/g, '.')));
		await screenshot(page, 'login-done-home');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('a wrong password is refused with a message', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, acct.email, acct.password + 'x',
		    { expectFail: true });
		await page.getByText('Неверный e-mail или пароль').waitFor();
		assert.equal(new URL(page.url()).pathname, '/login');
		assert.equal(await page.locator('.shell').count(), 0);
		await screenshot(page, 'login-wrong-password');
		expectNoConsoleErrors(page,
		    [/status of 401 .*\/api\/v1\/auth\/login$/]);
	} finally {
		await b.close();
	}
});

async function sessionCookie(context)
{
	const c = (await context.cookies(BASE_URL))
	    .find((x) => x.name === 'tobmen_session');

	assert.ok(c, 'no tobmen_session cookie');
	assert.equal(c.httpOnly, true, 'session cookie must be HttpOnly');
	return c;
}

test('«Запомнить меня» keeps the session cookie after the browser ' +
    'closes; without it the cookie ends with the browser', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, acct.email, acct.password);
		const plain = await sessionCookie(b.context);

		assert.equal(plain.expires, -1,
		    'without remember me the cookie is a session cookie');

		await b.context.clearCookies();
		await loginUI(page, acct.email, acct.password,
		    { remember: true });
		const kept = await sessionCookie(b.context);

		assert.ok(kept.expires > Date.now() / 1000 + 86400,
		    'with remember me the cookie lasts more than a day');
		await screenshot(page, 'login-remember-me');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('after logging in the user returns to the page they asked for, ' +
    'never to another site', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await page.goto(BASE_URL + '/company');
		await page.waitForURL(/\/login\?next=%2Fcompany$/);
		await page.getByLabel('E-mail').fill(acct.email);
		await page.getByLabel('Пароль', { exact: true })
		    .fill(acct.password);
		await page.getByRole('button', { name: 'Войти' }).click();
		await page.waitForURL(BASE_URL + '/company');
		await page.getByRole('heading', { name: 'Карточка компании' })
		    .waitFor();

		await page.getByRole('button', { name: 'Меню пользователя' })
		    .click();
		await page.getByRole('button', { name: 'Выйти' }).click();
		await page.getByText('Вы вышли из кабинета.').waitFor();

		await loginUI(page, acct.email, acct.password,
		    { path: '/login?next=' +
		    encodeURIComponent('//evil.example/x') });
		assert.equal(page.url(), BASE_URL + '/');
		await screenshot(page, 'login-next');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});
