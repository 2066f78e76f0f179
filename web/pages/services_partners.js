/*
 * pages/services_partners.js - «Сервисы и баланс» → «Лицензии
 * дистрибьюторов»: a supplier's view of its distributors' licences.
 *
 * One group per linked distributor.  Where the distributor has ticked
 * «Разрешить управление моими лицензиями в Т-Обмене», the supplier's
 * owners and admins select licences and connect («+»), disconnect («−»)
 * or move one to another agent («Перенести»); elsewhere the group shows
 * only the licences connected to the supplier and offers no buttons.
 */

import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { canManage, currentCompany } from '../session.js';
import { button, notice } from '../ui.js';
import { st, stError } from './services_i18n.js';
import { MINUS, PAGE_SIZE, PLUS, batchLines, confirmLicences, countRows,
    doneDialog, filterBar, iconButton, infoPanel, licenceTable,
    moveDialog, mono, statusBadge } from './services_table.js';

function partnerColumns()
{
	const dash = (v) => v || '—';

	return [
		{ key: 'licence', label: st('svc.col.licence'),
		    cls: 'lic-number', cell: (l) => [h('span',
		    { class: 'lic-mono', text: l.number }), l.blocked ?
		    h('span', { class: 'badge badge-grey lic-blocked',
		    text: st('svc.blocked') }) : null] },
		{ key: 'user', label: st('svc.col.user'),
		    cls: 'lic-wrap-cell', cell: (l) => dash(l.user) },
		{ key: 'version', label: st('svc.col.version'),
		    cell: (l) => dash(l.config_version) },
		{ key: 'mdm', label: st('svc.col.mdm'), cls: 'lic-mdm',
		    cell: (l) => mono(l.mdm_id) },
		{ key: 'contact', label: st('svc.col.contact'),
		    cell: (l) => dash(formatDateTime(l.last_contact_at)) },
		{ key: 'status', label: st('svc.col.status'),
		    cls: 'lic-status-cell',
		    cell: (l) => statusBadge(l.status === 'on') },
	];
}

/* One group from /network/licences/groups; may act: the user manages
 * the company's changes. */
function partnerGroup(item, mayAct)
{
	return { key: item.distributor.id, distributor: item.distributor,
	    title: item.distributor.name, manage: item.manage_licences,
	    selectable: item.manage_licences && mayAct, total: item.total,
	    meta: [h('span', { class: 'badge badge-blue',
	    text: st('svc.group_code', { code: item.code }) }),
	    h('span', { class: ['badge', item.manage_licences ?
	    'badge-green' : 'badge-grey'], dataset: { manage:
	    String(item.manage_licences) }, text: st(item.manage_licences ?
	    'svc.manage_on' : 'svc.manage_off') }),
	    h('span', { class: 'muted small lic-group-counts',
	    text: st('svc.group_counts', { on: item.in_service,
	    total: item.total }) })] };
}

export async function renderPartners(host, notices)
{
	const mayAct = canManage();
	const me = currentCompany();
	const info = infoPanel();
	const actions = h('div', { class: 'lic-actions' });
	const plus = iconButton(PLUS, st('svc.connect'), 'lic-plus');
	const minus = iconButton(MINUS, st('svc.disconnect'), 'lic-minus');
	const move = button('secondary', st('svc.move'),
	    { class: 'btn btn-secondary lic-move', disabled: true });
	/* What the groups say about themselves; the notices above stay
	 * for the outcome of the user's actions. */
	const note = h('div', { class: 'page-notices' });

	const table = licenceTable({
		columns: partnerColumns(),
		async loadGroups() {
			const r = await api.get('/network/licences/groups');
			const groups = r.items.map((i) => partnerGroup(i,
			    mayAct));

			/* The buttons exist only where some distributor
			 * lets this supplier manage its licences. */
			replace(actions, groups.some((g) => g.selectable) ?
			    [plus, minus, move] : null);
			if (!groups.length)
				replace(note, notice('info',
				    st('svc.partners_none')));
			else
				replace(note, groups.some((g) => !g.manage) ?
				    notice('info', st('svc.look_note')) : null);
			return groups;
		},
		loadPage(g, after, f) {
			return api.get('/network/licences' + query({
			    distributor: g.distributor.id, q: f.q,
			    status: f.status, after, limit: PAGE_SIZE }));
		},
		onChange(sel) {
			const c = countRows(sel.rows, (l) => l.status === 'on');

			info.set(c.n, c.on, c.off);
			plus.disabled = minus.disabled = !c.n;
			move.disabled = c.n !== 1;
		},
	});

	async function batch(on)
	{
		const sel = table.selection();

		if (!sel.rows.length)
			return;

		const rid = await confirmLicences({
		    title: st(on ? 'svc.confirm_title' : 'svc.off_title'),
		    text: on ? '' : st('svc.off_text'),
		    recipients: [{ id: me.id, name: me.name }],
		    recipient: me.id,
		    counts: () => countRows(sel.rows, (l) => l.status === 'on'),
		    ok: st(on ? 'svc.confirm' : 'svc.off_confirm'),
		    danger: !on });

		if (!rid)
			return;
		try {
			const r = await api.post(on ?
			    '/network/licences/connect' :
			    '/network/licences/disconnect', {
			    distributor: sel.group.distributor.id,
			    licences: sel.rows.map((l) => l.number) });

			replace(notices);
			await doneDialog(st('svc.done_title'),
			    batchLines(r, on));
		} catch (e) {
			replace(notices, notice('error', stError(e)));
		}
		await table.reload();
	}

	async function moveOne()
	{
		const l = table.selection().rows[0];

		if (!l)
			return;

		const r = await moveDialog(l, (user) => api.post(
		    '/network/licences/' + encodeURIComponent(l.number) +
		    '/move', { user }));

		if (!r)
			return;
		replace(notices, notice('success', st('svc.moved',
		    { number: r.number, user: r.user })));
		await table.reload();
	}

	plus.addEventListener('click', () => batch(true));
	minus.addEventListener('click', () => batch(false));
	move.addEventListener('click', moveOne);
	replace(host, note, h('section', { class: 'card card-flush lic-card' },
	    h('div', { class: 'lic-toolbar' },
	    filterBar((f) => table.reload(f)), actions),
	    h('div', { class: 'lic-layout' }, table.el, info.el)));
	try {
		await table.reload({ q: '', status: '' });
	} catch (e) {
		replace(notices, notice('error', stError(e)));
	}
}
