/*
 * pages/login.js - «Личный кабинет»: e-mail, password, «Запомнить меня».
 *
 * After a successful login the user goes back where they came from
 * (?next=, same-site paths only) or to Главная.  The server answers an
 * unknown e-mail and a wrong password alike; so does this page.
 */

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { link, navigate, nextParam } from '../nav.js';
import { startSession } from '../session.js';
import { bindForm, checkbox, field, notice, rules } from '../ui.js';
import { authLayout } from './auth.js';

export function render(ctx)
{
	const next = nextParam();
	const email = field({ name: 'email', label: t('login.email'),
	    type: 'email', required: true, rules: [rules.email],
	    attrs: { autocomplete: 'username', inputmode: 'email',
	    maxlength: '254' } });
	const password = field({ name: 'password',
	    label: t('login.password'), type: 'password', required: true,
	    attrs: { autocomplete: 'current-password' } });
	const remember = checkbox({ name: 'remember',
	    label: t('login.remember') });
	const regPath = '/register' +
	    (next ? '?next=' + encodeURIComponent(next) : '');
	const form = h('form', { class: 'form auth-form' },
	    email.wrap, password.wrap,
	    h('div', { class: 'form-row' }, remember.wrap,
	    link('/password/forgot', { class: 'link-small' },
	    t('login.forgot'))),
	    h('div', { class: 'auth-actions' },
	    h('button', { type: 'submit', class: 'btn btn-primary btn-wide',
	    text: t('login.submit') }),
	    link(regPath, { class: 'btn btn-secondary btn-wide' },
	    t('login.register'))));

	bindForm(form, [email, password, remember], async (v) => {
		const data = await api.post('/auth/login', {
			email: v.email,
			password: v.password,
			remember: v.remember,
		}, { public: true });

		startSession(data);
		navigate(next || '/', { replace: true });
	});

	authLayout(ctx, {
		title: t('login.title'),
		subtitle: t('login.subtitle'),
		content: [next.startsWith('/suppliers/join') ?
		    notice('info', t('login.invite_note')) : null, form],
	});
	email.input.focus();
}
