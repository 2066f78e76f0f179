/*
 * pages/suppliers.js - Т-Обмен → «Поставщики»: the distributor's cards.
 *
 * One card per supplier the company is linked with: its name, the
 * company's distributor code, since when, licences in service for it,
 * and the check box «Разрешить управление моими лицензиями в Т-Обмене»
 * with what it means.  Owners and admins change the box; clearing it
 * while the supplier owns some of the company's licences asks first (the
 * server answers 409 confirm_required with their number).
 */

import { ApiError, api, query } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { formatDate, formatNumber } from '../format.js';
import { t } from '../i18n.js';
import { canManage } from '../session.js';
import { button, confirmDialog, errorText, loading, notice,
    pageHead } from '../ui.js';
import { localize, nt } from './network_i18n.js';

const PAGE_SIZE = 50;

function detail(label, value)
{
	return [h('dt', { text: label }), h('dd', { text: value })];
}

/* The text under the box for its current state. */
function explain(on)
{
	return [h('p', { class: 'field-hint',
	    text: nt(on ? 'sup.manage_on_text' : 'sup.manage_off_text') }),
	    h('p', { class: 'field-hint', text: nt('sup.manage_owned') })];
}

export async function render(ctx)
{
	const manage = canManage();
	const st = { items: [], next: '' };
	const notices = h('div', { class: 'page-notices' });
	const list = h('div', { class: 'supplier-cards' });
	const more = button('secondary', t('common.more'), { hidden: true });

	function say(kind, text)
	{
		replace(notices, notice(kind, text));
	}

	/* Sends the box's state; asks once when the server wants it. */
	async function save(c, on, box, hint)
	{
		const path = '/network/suppliers/' + encodeURIComponent(c.id);
		let nc;

		box.disabled = true;
		try {
			try {
				nc = await api.patch(path,
				    { manage_licences: on });
			} catch (e) {
				if (!(e instanceof ApiError) ||
				    e.code !== 'confirm_required')
					throw e;

				const n = /\d+/.exec(e.message);
				const yes = await confirmDialog({
				    title: nt('sup.confirm_title'),
				    text: nt('sup.confirm_text', {
				    name: c.supplier.name,
				    count: n ? n[0] : '' }),
				    ok: nt('sup.confirm_ok'), danger: true });

				if (!yes)
					return;
				nc = await api.patch(path,
				    { manage_licences: on, confirm: true });
			}
			Object.assign(c, nc);
			replace(hint, explain(c.manage_licences));
			say('success', nt(on ? 'sup.saved_on' : 'sup.saved_off',
			    { name: c.supplier.name }));
		} catch (e) {
			say('error', errorText(localize(e)));
		} finally {
			box.checked = c.manage_licences;
			box.disabled = !manage;
		}
	}

	function card(c)
	{
		const id = uid('manage');
		const box = h('input', { type: 'checkbox', id,
		    checked: c.manage_licences, disabled: !manage,
		    'aria-describedby': id + '-hint' });
		const hint = h('div', { id: id + '-hint' },
		    explain(c.manage_licences));

		box.addEventListener('change', () => save(c, box.checked, box,
		    hint));
		return h('section', { class: 'card supplier-card',
		    dataset: { linkId: c.id } },
		    h('h2', { class: 'card-title', text: c.supplier.name }),
		    h('dl', { class: 'details' },
		    detail(nt('sup.code'), c.code),
		    detail(nt('sup.since'), formatDate(c.since)),
		    detail(nt('sup.licences'),
		    formatNumber(c.licences_in_service))),
		    h('div', { class: 'check' }, box,
		    h('label', { for: id, text: nt('sup.manage') })),
		    hint,
		    manage ? null : h('p', { class: 'muted small',
		    text: nt('sup.manage_member') }));
	}

	function draw()
	{
		if (!st.items.length) {
			replace(list, h('section',
			    { class: 'card empty-state' },
			    h('h2', { class: 'page-title',
			    text: nt('sup.empty_title') }),
			    h('p', { class: 'muted', text: nt('sup.empty') })));
		} else {
			replace(list, st.items.map(card));
		}
		more.hidden = !st.next;
	}

	async function loadMore()
	{
		more.disabled = true;
		try {
			const page = await api.get('/network/suppliers' +
			    query({ after: st.next, limit: PAGE_SIZE }));

			st.items.push(...page.items);
			st.next = page.next_after || '';
			draw();
		} catch (e) {
			say('error', errorText(localize(e)));
		} finally {
			more.disabled = false;
		}
	}

	ctx.setTitle(nt('sup.title'));
	replace(ctx.main, pageHead(nt('sup.title')), notices, list,
	    h('div', { class: 'table-foot' }, more));
	replace(list, loading());
	more.addEventListener('click', loadMore);
	await loadMore();
}
