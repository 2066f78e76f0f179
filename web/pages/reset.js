/*
 * pages/reset.js - a new password from the link in an e-mail
 * (/password/reset?token=… after «Забыли пароль?», /password/set?token=…
 * for a user added by a colleague).  The token is single-use; the server
 * says when it is unknown, used or expired.
 */

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { link, navigate, setFlash } from '../nav.js';
import { bindForm, field, notice, rules } from '../ui.js';
import { authLayout } from './auth.js';

export function render(ctx)
{
	const token = ctx.query.get('token') || '';
	const title = location.pathname === '/password/set' ?
	    t('reset.set_title') : t('reset.title');

	if (!token) {
		authLayout(ctx, { title, content: [
		    notice('error', t('reset.no_token')),
		    h('p', { class: 'auth-alt' },
		    link('/password/forgot', {}, t('reset.request_new')))] });
		return;
	}

	const password = field({ name: 'password',
	    label: t('reset.password'), type: 'password', required: true,
	    rules: [rules.password], hint: t('register.password_hint'),
	    attrs: { autocomplete: 'new-password' } });
	const password2 = field({ name: 'password2',
	    label: t('reset.password2'), type: 'password', required: true,
	    rules: [rules.same(password)],
	    attrs: { autocomplete: 'new-password' } });
	const form = h('form', { class: 'form auth-form' },
	    password.wrap, password2.wrap,
	    h('div', { class: 'auth-actions' },
	    h('button', { type: 'submit', class: 'btn btn-primary btn-wide',
	    text: t('reset.submit') })));
	const again = h('p', { class: 'auth-alt' },
	    link('/password/forgot', {}, t('reset.request_new')));

	bindForm(form, [password, password2], async (v) => {
		await api.post('/auth/password/reset',
		    { token, password: v.password }, { public: true });
		setFlash('success', 'login.reset_done');
		navigate('/login', { replace: true });
	});

	authLayout(ctx, { title, subtitle: t('reset.subtitle'),
	    content: [form, again] });
	password.input.focus();
}
