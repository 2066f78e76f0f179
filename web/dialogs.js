/*
 * dialogs.js - the shell's dialogs: «Обратная связь» and password change.
 */

import { api } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { currentUser } from './session.js';
import { bindForm, button, field, notice, openDialog, rules } from './ui.js';

/* Replaces a dialog's form with a success note and a close button. */
function done(d, text)
{
	const ok = button('primary', t('common.close'));

	ok.addEventListener('click', () => d.close());
	replace(d.body, notice('success', text),
	    h('div', { class: 'form-actions' }, ok));
	ok.focus();
}

/* Subject and message, mailed to the service's operator. */
export function feedbackDialog()
{
	const subject = field({ name: 'subject', label: t('feedback.subject'),
	    required: true, attrs: { maxlength: '200', autocomplete: 'off' } });
	const message = field({ name: 'message',
	    label: t('feedback.message'), type: 'textarea', required: true,
	    attrs: { rows: '6', maxlength: '5000' } });
	const cancel = button('secondary', t('common.cancel'));
	const form = h('form', { class: 'form' },
	    h('p', { class: 'muted', text: t('feedback.intro',
	    { email: currentUser().email }) }),
	    subject.wrap, message.wrap,
	    h('div', { class: 'form-actions' },
	    h('button', { type: 'submit', class: 'btn btn-primary',
	    text: t('feedback.send') }), cancel));
	const d = openDialog({ title: t('feedback.title'), content: form });

	cancel.addEventListener('click', () => d.close());
	bindForm(form, [subject, message], async (v) => {
		await api.post('/feedback', v);
		done(d, t('feedback.sent'));
	});
	subject.input.focus();
}

/* Current password, the new one twice; ends the other sessions. */
export function passwordDialog()
{
	const current = field({ name: 'current_password',
	    label: t('password.current'), type: 'password', required: true,
	    attrs: { autocomplete: 'current-password' } });
	const next = field({ name: 'new_password', label: t('password.new'),
	    type: 'password', required: true, rules: [rules.password],
	    hint: t('register.password_hint'),
	    attrs: { autocomplete: 'new-password' } });
	const again = field({ name: 'new_password2',
	    label: t('password.new2'), type: 'password', required: true,
	    rules: [rules.same(next)],
	    attrs: { autocomplete: 'new-password' } });
	const cancel = button('secondary', t('common.cancel'));
	const form = h('form', { class: 'form' },
	    h('p', { class: 'muted', text: t('password.note') }),
	    h('input', { type: 'email', class: 'visually-hidden',
	    autocomplete: 'username', value: currentUser().email,
	    tabindex: '-1', 'aria-hidden': 'true', readonly: true }),
	    current.wrap, next.wrap, again.wrap,
	    h('div', { class: 'form-actions' },
	    h('button', { type: 'submit', class: 'btn btn-primary',
	    text: t('common.save') }), cancel));
	const d = openDialog({ title: t('password.title'), content: form });

	cancel.addEventListener('click', () => d.close());
	bindForm(form, [current, next, again], async (v) => {
		await api.post('/auth/password/change', {
			current_password: v.current_password,
			new_password: v.new_password,
		});
		done(d, t('password.done'));
	});
	current.input.focus();
}
