/*
 * ui.js - the cabinet's building blocks: icons, form fields with their
 * error slots, form submission, notices and modal dialogs.
 *
 * Forms check what the browser can check (required, e-mail shape,
 * password length, repeated password) and show the message under the
 * field; whatever the server refuses comes back as an ApiError and is
 * shown under the field it names (error.field) or above the form.
 */

import { ApiError } from './api.js';
import { append, h, svg, uid } from './dom.js';
import { has, t } from './i18n.js';

/* 24x24 stroke icons drawn for this cabinet. */
const ICONS = {
	menu: 'M4 6h16M4 12h16M4 18h16',
	close: 'M6 6l12 12M18 6L6 18',
	home: 'M3 11l9-7 9 7M5 9.5V20h5v-6h4v6h5V9.5',
	company: 'M4 21V5l8-3v19M12 8h8v13M2 21h20M7 8h2M7 12h2M7 16h2' +
	    'M15 12h2M15 16h2',
	users: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1' +
	    'M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6',
	devices: 'M7 2h10v20H7zM11 18h2',
	control: 'M4 20V10M10 20V4M16 20v-7M2 20h20',
	exchange: 'M4 8h15l-4-4M20 16H5l4 4',
	services: 'M3 7h18v13H3zM3 7l13-4v4M16 13.5h2',
	chat: 'M4 5h16v11H9l-5 4z',
	user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
	chevron: 'M6 9l6 6 6-6',
	plus: 'M12 5v14M5 12h14',
	logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
	key: 'M10.5 13.5a4.5 4.5 0 1 1-6.4 6.4 4.5 4.5 0 0 1 6.4-6.4z' +
	    'M10.5 13.5L20 4M16.5 7.5l2.5 2.5M14 10l2 2',
	globe: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18' +
	    'M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18',
	check: 'M5 12l5 5 9-10',
	alert: 'M12 3l10 18H2zM12 10v5M12 18h.01',
	info: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 11v6M12 7.5h.01',
};

/* An inline SVG icon, hidden from screen readers. */
export function icon(name, cls)
{
	return svg('svg', { class: 'icon' + (cls ? ' ' + cls : ''),
	    viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor',
	    'stroke-width': '2', 'stroke-linecap': 'round',
	    'stroke-linejoin': 'round', 'aria-hidden': 'true',
	    focusable: 'false' },
	    svg('path', { d: ICONS[name] || ICONS.info }));
}

/* The text to show for a failed call, in the current language. */
export function errorText(e)
{
	if (!(e instanceof ApiError))
		return t('err.generic');
	if (has('err.' + e.code))
		return t('err.' + e.code);
	if (e.message)
		return e.message;
	if (e.status === 403)
		return t('err.forbidden');
	if (e.status === 404)
		return t('err.not_found');
	if (e.status === 429)
		return t('err.throttled');
	if (e.status === 503)
		return t('err.unavailable');
	if (e.status >= 500)
		return t('err.internal');
	return t('err.generic');
}

/* --- checks: each returns an i18n key, or '' when the value is fine. */

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/* The ИНН check digit over the first weights.length digits. */
function innDigit(v, weights)
{
	let sum = 0;

	weights.forEach((w, i) => { sum += w * Number(v[i]); });
	return sum % 11 % 10;
}

/* True for a 10-digit (organisation) or 12-digit (person) ИНН whose
 * check digits are right. */
export function innValid(v)
{
	const w10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
	const w11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
	const w12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

	if (/^\d{10}$/.test(v))
		return innDigit(v, w10) === Number(v[9]);
	if (/^\d{12}$/.test(v))
		return innDigit(v, w11) === Number(v[10]) &&
		    innDigit(v, w12) === Number(v[11]);
	return false;
}

export const rules = {
	email: (v) => (v && !EMAIL_RE.test(v) ? 'v.email' : ''),
	password: (v) => {
		if (!v)
			return '';
		if ([...v].length < 12)
			return 'v.password_short';
		return [...v].length > 1024 ? 'v.password_long' : '';
	},
	inn: (v) => (v && !innValid(v) ? 'v.inn' : ''),
	/* Nine characters; the 5th and 6th may be capital Latin letters. */
	kpp: (v) => (v && !/^\d{4}[\dA-Z]{2}\d{3}$/.test(v) ? 'v.kpp' : ''),
	/* The value must equal other field's value. */
	same: (other) => (v) => (v !== other.value() ? 'v.mismatch' : ''),
};

/*
 * field(o) makes a labelled control with a hint and an error slot.
 *   o.name       the key in the submitted values and the API's field
 *   o.label      visible label text
 *   o.type       input type, or 'textarea' / 'select'
 *   o.options    for select: [{ value, label }]
 *   o.value      initial value
 *   o.required   must not be empty
 *   o.rules      extra checks (see rules)
 *   o.hint       help text under the control
 *   o.attrs      more attributes for the control (autocomplete, ...)
 * Returns { name, wrap, input, value(), setError(msg), check() }.
 */
export function field(o)
{
	const id = uid(o.name);
	const hintId = id + '-hint';
	const errId = id + '-err';
	const attrs = Object.assign({ id, name: o.name,
	    'aria-describedby': (o.hint ? hintId + ' ' : '') + errId,
	    'aria-required': o.required ? 'true' : null }, o.attrs || {});
	let input;

	if (o.type === 'textarea') {
		input = h('textarea', attrs);
		input.value = o.value || '';
	} else if (o.type === 'select') {
		input = h('select', attrs, (o.options || []).map((opt) =>
		    h('option', { value: opt.value, text: opt.label,
		    selected: opt.value === o.value })));
	} else {
		input = h('input', Object.assign({ type: o.type || 'text',
		    value: o.value || '' }, attrs));
	}

	const error = h('p', { class: 'field-error', id: errId,
	    hidden: true });
	const wrap = h('div', { class: ['field', o.class] },
	    h('label', { for: id, text: o.label }), input,
	    o.hint ? h('p', { class: 'field-hint', id: hintId,
	    text: o.hint }) : null, error);
	const trim = o.type !== 'password';
	const f = {
		name: o.name,
		wrap,
		input,
		value: () => (trim ? input.value.trim() : input.value),
		setError(msg) {
			error.textContent = msg || '';
			error.hidden = !msg;
			wrap.classList.toggle('has-error', !!msg);
			input.setAttribute('aria-invalid', msg ? 'true' :
			    'false');
		},
		check() {
			const v = f.value();

			if (o.required && v === '')
				return 'v.required';
			for (const r of o.rules || []) {
				const k = r(v);

				if (k)
					return k;
			}
			return '';
		},
	};

	return f;
}

/* A check box with its label; value() is a boolean. */
export function checkbox(o)
{
	const id = uid(o.name);
	const input = h('input', { type: 'checkbox', id, name: o.name,
	    checked: !!o.checked, disabled: !!o.disabled });

	return {
		name: o.name,
		input,
		wrap: h('div', { class: 'check' }, input,
		    h('label', { for: id, text: o.label })),
		value: () => input.checked,
		setError() {},
		check: () => '',
	};
}

/* A notice box; kind is 'error', 'success' or 'info'. */
export function notice(kind, text, ...extra)
{
	const icons = { error: 'alert', success: 'check', info: 'info' };

	return h('div', { class: ['alert', 'alert-' + kind],
	    role: kind === 'error' ? 'alert' : 'status' },
	    icon(icons[kind] || 'info'),
	    h('div', { class: 'alert-text' }, h('span', { text }), extra));
}

/* Shows (or with text '' removes) the notice at the top of form. */
export function formAlert(form, kind, text)
{
	const old = form.querySelector(':scope > .alert');

	if (old)
		old.remove();
	if (text)
		form.prepend(notice(kind, text));
}

/*
 * bindForm(form, fields, submit): on submit, clears old messages, runs
 * the fields' checks, then awaits submit(values) with the submit buttons
 * disabled.  An ApiError naming a known field lands under that field;
 * any other failure above the form.  fields: array from field()/checkbox().
 */
export function bindForm(form, fields, submit)
{
	let busy = false;

	form.noValidate = true;
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (busy)
			return;
		formAlert(form, '', '');

		let first = null;

		for (const f of fields) {
			const k = f.check();

			f.setError(k ? t(k) : '');
			if (k && !first)
				first = f;
		}
		if (first) {
			first.input.focus();
			return;
		}

		const values = {};

		fields.forEach((f) => { values[f.name] = f.value(); });
		busy = true;
		setBusy(form, true);
		try {
			await submit(values);
		} catch (e) {
			showError(form, fields, e);
		} finally {
			busy = false;
			setBusy(form, false);
		}
	});
}

function setBusy(form, on)
{
	form.classList.toggle('is-busy', on);
	form.querySelectorAll('button[type=submit]').forEach((b) => {
		b.disabled = on;
	});
	form.setAttribute('aria-busy', on ? 'true' : 'false');
}

function showError(form, fields, e)
{
	if (!(e instanceof ApiError))
		console.error(e);

	const f = e instanceof ApiError && e.field ?
	    fields.find((x) => x.name === e.field) : null;

	if (f && f.wrap.isConnected) {
		f.setError(errorText(e));
		f.input.focus();
	} else {
		formAlert(form, 'error', errorText(e));
	}
}

/* A button; kind is 'primary', 'secondary', 'danger' or 'link'. */
export function button(kind, text, attrs, ...children)
{
	return h('button', Object.assign({ type: 'button',
	    class: ['btn', 'btn-' + kind] }, attrs || {}), children,
	    text ? h('span', { text }) : null);
}

/*
 * openDialog(o) shows a modal <dialog>: o.title, o.content (nodes),
 * o.onClose.  Escape and the close button close it; it is removed from
 * the page once closed.  Returns { dialog, body, close }.
 */
export function openDialog(o)
{
	const titleId = uid('dlg');
	const body = h('div', { class: 'dialog-body' });
	const closeBtn = h('button', { type: 'button',
	    class: 'icon-btn dialog-close', 'aria-label': t('common.close') },
	    icon('close'));
	const dlg = h('dialog', { class: ['dialog', o.class],
	    'aria-labelledby': titleId },
	    h('div', { class: 'dialog-head' },
	    h('h2', { id: titleId, text: o.title }), closeBtn), body);

	append(body, [o.content]);
	closeBtn.addEventListener('click', () => dlg.close());
	dlg.addEventListener('close', () => {
		dlg.remove();
		if (o.onClose)
			o.onClose();
	});
	document.body.appendChild(dlg);
	dlg.showModal();
	return { dialog: dlg, body, close: () => dlg.close() };
}

/* Asks a yes/no question; resolves true when ok is pressed. */
export function confirmDialog(o)
{
	return new Promise((resolve) => {
		let answer = false;
		const ok = button(o.danger ? 'danger' : 'primary', o.ok);
		const cancel = button('secondary', t('common.cancel'));
		const d = openDialog({ title: o.title,
		    content: [h('p', { class: 'dialog-text', text: o.text }),
		    h('div', { class: 'form-actions' }, ok, cancel)],
		    onClose: () => resolve(answer) });

		ok.addEventListener('click', () => {
			answer = true;
			d.close();
		});
		cancel.addEventListener('click', () => d.close());
		cancel.focus();
	});
}

/* A page heading block with optional actions on the right. */
export function pageHead(title, ...actions)
{
	return h('div', { class: 'page-head' },
	    h('h1', { class: 'page-title', text: title }),
	    actions.length ? h('div', { class: 'page-actions' }, actions) :
	    null);
}

/* A loading placeholder for a page body. */
export function loading()
{
	return h('p', { class: 'loading', role: 'status',
	    text: t('app.loading') });
}
