/*
 * register.test.mjs - «Регистрация»: a new distributor company and its
 * owner, who lands in the cabinet logged in.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE_URL, PASSWORD, expectNoConsoleErrors, launch, openPage,
    registerCompany, screenshot, uniqueEmail, uniqueInn } from './lib.mjs';

test('registering a new company lands in its cabinet', async () => {
	const b = await launch();
	const email = uniqueEmail('register');
	const company = 'ООО «Новый дистрибьютор ' + Date.now() + '»';

	try {
		const page = await openPage(b.context);

		await page.goto(BASE_URL + '/login');
		await page.getByRole('link', { name: 'Регистрация' }).click();
		await page.waitForURL(BASE_URL + '/register');
		await page.getByLabel('Название компании').fill(company);
		await page.getByLabel('ИНН').fill('12345');
		await page.getByLabel('Ваше имя').fill('Ольга Петрова');
		await page.getByLabel('E-mail').fill(email);
		await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
		await page.getByLabel('Повторите пароль').fill(PASSWORD + '!');
		await page.getByRole('button', { name: 'Зарегистрироваться' })
		    .click();
		await page.getByText('ИНН состоит из 10 или 12 цифр').waitFor();
		await page.getByText('Пароли не совпадают').waitFor();
		await screenshot(page, 'register-invalid');

		await page.getByLabel('ИНН').fill(uniqueInn());
		await page.getByLabel('Повторите пароль').fill(PASSWORD);
		await page.getByRole('button', { name: 'Зарегистрироваться' })
		    .click();
		await page.locator('.shell').waitFor();
		assert.equal(new URL(page.url()).pathname, '/');
		await page.getByRole('heading',
		    { name: 'Добро пожаловать, Ольга Петрова!' }).waitFor();
		assert.equal(await page.locator('.topbar-company-name')
		    .innerText(), company);
		await page.getByText('Дистрибьютор', { exact: true }).waitFor();
		await screenshot(page, 'register-done-home');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('registering with an e-mail already in use is refused next to the ' +
    'field', async () => {
	const taken = await registerCompany('taken');
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await page.goto(BASE_URL + '/register');
		await page.getByLabel('Название компании').fill('ООО «Дубль»');
		await page.getByLabel('ИНН').fill(uniqueInn());
		await page.getByLabel('Ваше имя').fill('Пётр Дублев');
		await page.getByLabel('E-mail').fill(taken.email);
		await page.getByLabel('Пароль', { exact: true }).fill(PASSWORD);
		await page.getByLabel('Повторите пароль').fill(PASSWORD);
		await page.getByRole('button', { name: 'Зарегистрироваться' })
		    .click();
		await page.locator('.field.has-error', { hasText: 'E-mail' })
		    .getByText('Пользователь с таким e-mail уже есть')
		    .waitFor();
		assert.equal(new URL(page.url()).pathname, '/register');
		await screenshot(page, 'register-email-taken');
		expectNoConsoleErrors(page,
		    [/status of 409 .*\/api\/v1\/auth\/register$/]);
	} finally {
		await b.close();
	}
});
