/*
 * pages.test.mjs - every cabinet page at 1280 px and at a phone's 390 px:
 * it renders, has no console error (so no CSP violation), and leaves a
 * screenshot.  Also the forms on those pages: company card validation
 * and saving, «Обратная связь», and the language switch.
 */

import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { BASE_URL, DESKTOP, OPERATOR_EMAIL, PHONE, expectNoConsoleErrors,
    launch, loginUI, openPage, registerCompany, screenshot,
    waitForMail } from './lib.mjs';

let acct;

before(async () => {
	acct = await registerCompany('pages');
});

const PUBLIC = [
	['login', '/login', 'Личный кабинет'],
	['register', '/register', 'Регистрация'],
	['forgot', '/password/forgot', 'Восстановление пароля'],
	['reset', '/password/reset?token=abc', 'Новый пароль'],
];
const CABINET = [
	['home', '/', 'Добро пожаловать'],
	['company', '/company', 'Карточка компании'],
	['admin', '/admin', 'Администрирование'],
	['notfound', '/no-such-page', 'Страница не найдена'],
];

for (const [label, vp] of [['1280', DESKTOP], ['390', PHONE]]) {
	test(`every page renders at ${label} px without console errors`,
	    async () => {
		const b = await launch(vp);

		try {
			const page = await openPage(b.context);

			for (const [name, path, heading] of PUBLIC) {
				await page.goto(BASE_URL + path);
				await page.getByRole('heading',
				    { name: heading }).first().waitFor();
				await screenshot(page, `page-${label}-${name}`);
			}
			await loginUI(page, acct.email, acct.password);
			for (const [name, path, heading] of CABINET) {
				await page.goto(BASE_URL + path);
				await page.getByRole('heading',
				    { name: heading }).first().waitFor();
				await page.locator('.loading').waitFor(
				    { state: 'detached' });
				await screenshot(page, `page-${label}-${name}`);
			}

			if (vp === PHONE) {
				await page.getByRole('button',
				    { name: 'Открыть меню разделов' }).click();
				await page.getByRole('navigation')
				    .getByRole('link', { name: 'Компания' })
				    .click();
				await page.waitForURL(BASE_URL + '/company');
			}
			await page.getByRole('button',
			    { name: 'Меню пользователя' }).click();
			await screenshot(page, `page-${label}-user-menu`);
			expectNoConsoleErrors(page);
		} finally {
			await b.close();
		}
	});
}

const GUIDE_ORDER = ['Главная', 'Устройства', 'Контроль',
    'Администрирование', 'Компания', 'Т-Обмен', 'Сервисы и баланс'];

test('the left menu follows the guide\'s order and every item opens a ' +
    'working page', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, acct.email, acct.password);

		const nav = page.getByRole('navigation');
		const top = await nav.locator('.nav-list > li > .nav-link, ' +
		    '.nav-list > li > .nav-group-label').allInnerTexts();
		const pos = top.map((x) => GUIDE_ORDER.indexOf(x.trim()));

		for (const want of ['Главная', 'Администрирование', 'Компания'])
			assert.ok(top.includes(want), want + ' is in the menu');
		assert.ok(pos.every((p) => p >= 0), 'unknown item: ' + top);
		assert.deepEqual(pos, [...pos].sort((x, y) => x - y),
		    'menu order: ' + top);

		const links = await nav.locator('.nav-link').all();

		for (let i = 0; i < links.length; i++) {
			await nav.locator('.nav-link').nth(i).click();
			await page.locator('.page-title').first().waitFor();
			assert.equal(await page.getByText('Страница не найдена')
			    .count(), 0, 'menu item ' + i + ' has a page');
		}
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('the company card explains wrong values next to their fields ' +
    'and saves valid details', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, acct.email, acct.password);
		await page.goto(BASE_URL + '/company');
		/* Checked in the page. */
		await page.getByLabel('КПП').fill('12');
		await page.getByRole('button', { name: 'Сохранить' }).click();
		await page.getByText('КПП состоит из 9 знаков').waitFor();

		/* Refused by the server, shown under its field. */
		await page.getByLabel('КПП').fill('');
		await page.getByLabel('Телефон').fill('звоните в офис');
		await page.getByRole('button', { name: 'Сохранить' }).click();
		await page.locator('.field.has-error', { hasText: 'Телефон' })
		    .getByText('В телефоне допустимы цифры').waitFor();
		await screenshot(page, 'company-field-error');

		await page.getByLabel('КПП').fill('770101001');
		await page.getByLabel('Адрес').fill('г. Москва, ул. Лесная, 5');
		await page.getByLabel('Телефон').fill('+7 495 123-45-67');
		await page.getByLabel('Название').fill(acct.company + ' (опт)');
		await page.getByRole('button', { name: 'Сохранить' }).click();
		await page.getByText('Изменения сохранены').waitFor();
		assert.equal(await page.locator('.topbar-company-name')
		    .innerText(), acct.company + ' (опт)');
		await screenshot(page, 'company-saved');

		await page.reload();
		assert.equal(await page.getByLabel('КПП').inputValue(),
		    '770101001');
		expectNoConsoleErrors(page,
		    [/status of 400 .*\/api\/v1\/company$/]);
	} finally {
		await b.close();
	}
});

test('«Обратная связь» mails the message to the operator', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, acct.email, acct.password);
		await page.getByRole('button', { name: 'Обратная связь' })
		    .click();

		const dlg = page.getByRole('dialog');

		await dlg.getByLabel('Тема').fill('Вопрос по кабинету');
		await dlg.getByLabel('Сообщение').fill('Как добавить ' +
		    'коллегу с ролью администратора?');
		await screenshot(page, 'feedback-form');
		await dlg.getByRole('button', { name: 'Отправить' }).click();
		await dlg.getByText('Спасибо! Сообщение отправлено').waitFor();
		await screenshot(page, 'feedback-sent');

		const mail = await waitForMail(OPERATOR_EMAIL,
		    /Как добавить коллегу/);

		assert.ok(mail.text.includes(acct.email),
		    'the mail names the sender');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('the language switch turns the cabinet English and the profile ' +
    'remembers it', async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await loginUI(page, acct.email, acct.password);
		await page.getByRole('button', { name: 'Меню пользователя' })
		    .click();
		await page.getByRole('button', { name: 'English' }).click();
		await page.getByRole('navigation')
		    .getByRole('link', { name: 'Administration' }).waitFor();
		await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
		await screenshot(page, 'lang-english');

		/* A fresh browser: the language comes from the profile. */
		const b2 = await launch();

		try {
			const p2 = await openPage(b2.context);

			await loginUI(p2, acct.email, acct.password);
			await p2.getByRole('navigation')
			    .getByRole('link', { name: 'Administration' })
			    .waitFor();
			await p2.getByRole('button', { name: 'User menu' })
			    .click();
			await p2.getByRole('button', { name: 'Русский' })
			    .click();
			await p2.getByRole('navigation')
			    .getByRole('link', { name: 'Администрирование' })
			    .waitFor();
			expectNoConsoleErrors(p2);
		} finally {
			await b2.close();
		}
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});

test('dates read dd.mm.yyyy and numbers use the Russian separators',
    async () => {
	const b = await launch();

	try {
		const page = await openPage(b.context);

		await page.goto(BASE_URL + '/login');

		const out = await page.evaluate(async () => {
			const f = await import('/format.js');

			return [f.formatDate('2024-03-05T10:07:00Z'),
			    f.formatDateTime('2024-03-05T10:07:00Z'),
			    f.formatNumber(1234567.5), f.formatMoney(123456789),
			    f.formatMoney(-5), f.formatQuantity(12500),
			    f.formatQuantity(2000), f.formatDate('')];
		});

		/* The browser runs in Europe/Moscow (UTC+3). */
		assert.deepEqual(out.map((s) => s.replace(/[\u00a0\u202f]/g,
		    ' ')), ['05.03.2024', '05.03.2024 13:07', '1 234 567,5',
		    '1 234 567,89', '-0,05', '12,5', '2', '']);
		assert.match(out[2], /^1[\u00a0\u202f]234/,
		    'thousands are split by a no-break space');
		expectNoConsoleErrors(page);
	} finally {
		await b.close();
	}
});
