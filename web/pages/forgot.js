/*
 * pages/forgot.js - «Забыли пароль?»: asks for an e-mail and always
 * answers the same way, whether or not such an account exists.
 */

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { link } from '../nav.js';
import { bindForm, field, notice, rules } from '../ui.js';
import { authLayout } from './auth.js';

export function render(ctx)
{
	const email = field({ name: 'email', label: t('login.email'),
	    type: 'email', required: true, rules: [rules.email],
	    attrs: { autocomplete: 'email', inputmode: 'email',
	    maxlength: '254' } });
	const back = h('p', { class: 'auth-alt' },
	    link('/login', {}, t('forgot.back')));
	const form = h('form', { class: 'form auth-form' }, email.wrap,
	    h('div', { class: 'auth-actions' },
	    h('button', { type: 'submit', class: 'btn btn-primary btn-wide',
	    text: t('forgot.submit') })));
	const box = h('div', {}, form, back);

	bindForm(form, [email], async (v) => {
		await api.post('/auth/password/forgot', { email: v.email },
		    { public: true });
		replace(box, notice('success', t('forgot.sent')), back);
	});

	authLayout(ctx, { title: t('forgot.title'),
	    subtitle: t('forgot.subtitle'), content: box });
	email.input.focus();
}
