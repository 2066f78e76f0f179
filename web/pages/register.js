/*
 * pages/register.js - «Регистрация»: a new distributor company and its
 * owner in one step; the answer logs the new owner in.
 */

import { api } from '../api.js';
import { h } from '../dom.js';
import { getLang, t } from '../i18n.js';
import { link, navigate, nextParam } from '../nav.js';
import { startSession } from '../session.js';
import { bindForm, field, rules } from '../ui.js';
import { authLayout } from './auth.js';

export function render(ctx)
{
	const next = nextParam();
	const company = field({ name: 'company_name',
	    label: t('register.company'), required: true,
	    hint: t('register.company_hint'),
	    attrs: { autocomplete: 'organization', maxlength: '200' } });
	const inn = field({ name: 'inn', label: t('register.inn'),
	    required: true, rules: [rules.inn], hint: t('register.inn_hint'),
	    attrs: { inputmode: 'numeric', maxlength: '12',
	    autocomplete: 'off' } });
	const name = field({ name: 'name', label: t('register.name'),
	    required: true, attrs: { autocomplete: 'name',
	    maxlength: '200' } });
	const email = field({ name: 'email', label: t('register.email'),
	    type: 'email', required: true, rules: [rules.email],
	    attrs: { autocomplete: 'email', inputmode: 'email',
	    maxlength: '254' } });
	const password = field({ name: 'password',
	    label: t('register.password'), type: 'password', required: true,
	    rules: [rules.password], hint: t('register.password_hint'),
	    attrs: { autocomplete: 'new-password' } });
	const password2 = field({ name: 'password2',
	    label: t('register.password2'), type: 'password',
	    required: true, rules: [rules.same(password)],
	    attrs: { autocomplete: 'new-password' } });
	const fields = [company, inn, name, email, password, password2];
	const loginPath = '/login' +
	    (next ? '?next=' + encodeURIComponent(next) : '');
	const form = h('form', { class: 'form auth-form' },
	    fields.map((f) => f.wrap),
	    h('div', { class: 'auth-actions' },
	    h('button', { type: 'submit', class: 'btn btn-primary btn-wide',
	    text: t('register.submit') })),
	    h('p', { class: 'auth-alt' }, t('register.have_account'), ' ',
	    link(loginPath, {}, t('register.login'))));

	bindForm(form, fields, async (v) => {
		const data = await api.post('/auth/register', {
			company_name: v.company_name,
			inn: v.inn,
			name: v.name,
			email: v.email,
			password: v.password,
			lang: getLang(),
		}, { public: true });

		startSession(data);
		navigate(next || '/', { replace: true });
	});

	authLayout(ctx, { title: t('register.title'),
	    subtitle: t('register.subtitle'), content: form });
	company.input.focus();
}
