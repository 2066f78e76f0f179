/*
 * pages/company.js - «Компания»: the company card.
 *
 * Owners and admins edit name, ИНН, КПП, address and phone; everyone
 * else sees the same card read-only.  The supplier and distributor flags
 * are set by the operator and only shown.  A value the server refuses is
 * explained under its field (error.field).
 */

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDate } from '../format.js';
import { t } from '../i18n.js';
import { canManage, setCompany } from '../session.js';
import { bindForm, button, checkbox, errorText, field, formAlert, loading,
    notice, pageHead, rules } from '../ui.js';

function kinds(c)
{
	return h('fieldset', { class: 'field kinds-field' },
	    h('legend', { text: t('company.kinds') }),
	    h('div', { class: 'check-row' },
	    checkbox({ name: 'is_supplier', label: t('kind.supplier'),
	    checked: c.is_supplier, disabled: true }).wrap,
	    checkbox({ name: 'is_distributor', label: t('kind.distributor'),
	    checked: c.is_distributor, disabled: true }).wrap),
	    h('p', { class: 'field-hint', text: t('company.kinds_note') }));
}

function since(c)
{
	return c.created_at ? h('p', { class: 'muted small',
	    text: t('company.since', { date: formatDate(c.created_at) }) }) :
	    null;
}

function editForm(c)
{
	const name = field({ name: 'name', label: t('company.name'),
	    value: c.name, required: true, class: 'span-2',
	    attrs: { maxlength: '200', autocomplete: 'organization' } });
	const inn = field({ name: 'inn', label: t('company.inn'),
	    value: c.inn, rules: [rules.inn], hint: t('register.inn_hint'),
	    attrs: { inputmode: 'numeric', maxlength: '12' } });
	const kpp = field({ name: 'kpp', label: t('company.kpp'),
	    value: c.kpp, rules: [rules.kpp], hint: t('company.kpp_hint'),
	    attrs: { inputmode: 'numeric', maxlength: '9' } });
	const address = field({ name: 'address',
	    label: t('company.address'), value: c.address, class: 'span-2',
	    attrs: { maxlength: '500', autocomplete: 'street-address' } });
	const phone = field({ name: 'phone', label: t('company.phone'),
	    type: 'tel', value: c.phone, hint: t('company.phone_hint'),
	    attrs: { maxlength: '40', autocomplete: 'tel' } });
	const fields = [name, inn, kpp, address, phone];
	const form = h('form', { class: 'form card',
	    'aria-label': t('company.card') },
	    h('h2', { class: 'card-title', text: t('company.card') }),
	    h('div', { class: 'form-grid' }, fields.map((f) => f.wrap),
	    kinds(c)), since(c),
	    h('div', { class: 'form-actions' },
	    h('button', { type: 'submit', class: 'btn btn-primary',
	    text: t('common.save') })));

	bindForm(form, fields, async (v) => {
		const updated = await api.patch('/company', v);

		setCompany(updated);
		formAlert(form, 'success', t('common.saved'));
	});
	return form;
}

function row(label, value)
{
	return [h('dt', { text: label }),
	    h('dd', { text: value || t('common.none') })];
}

function readOnly(c)
{
	return h('section', { class: 'card' },
	    h('h2', { class: 'card-title', text: t('company.card') }),
	    notice('info', t('company.readonly')),
	    h('dl', { class: 'details' },
	    row(t('company.name'), c.name), row(t('company.inn'), c.inn),
	    row(t('company.kpp'), c.kpp),
	    row(t('company.address'), c.address),
	    row(t('company.phone'), c.phone)),
	    kinds(c), since(c));
}

export async function render(ctx)
{
	const head = pageHead(t('company.title'));
	let c;

	ctx.setTitle(t('company.title'));
	replace(ctx.main, head, loading());
	try {
		c = await api.get('/company');
	} catch (e) {
		replace(ctx.main, head, notice('error', errorText(e),
		    button('link', t('common.retry'),
		    { on: { click: () => render(ctx) } })));
		return;
	}
	setCompany(c);
	replace(ctx.main, head, canManage() ? editForm(c) : readOnly(c));
}
