/*
 * pages/services.js - «Сервисы и баланс».
 *
 * Tab «Т-Обмен»: the company's licences of the mobile trade app, grouped
 * by the suppliers it is linked with, each row «ВКЛ» or «ВНЕ СЕРВИСА» for
 * its group's supplier; search, a status filter, a selection within one
 * group with the «Информация» panel, «+» to connect the selection to a
 * Получатель after «Подтверждение лицензий», «−» to disconnect it.
 * Tab «Лицензии дистрибьюторов» (suppliers): the licences of each
 * distributor of the network, managed only where the distributor allows
 * it (pages/services_partners.js).  The server checks every rule again.
 */

import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { navigate } from '../nav.js';
import { canManage, currentCompany } from '../session.js';
import { notice, pageHead } from '../ui.js';
import { st, stError } from './services_i18n.js';
import { renderPartners } from './services_partners.js';
import { MINUS, PAGE_SIZE, PLUS, batchLines, confirmLicences, countRows,
    doneDialog, filterBar, iconButton, infoPanel, licenceTable,
    mono, statusBadge } from './services_table.js';

/* The columns of the holder's table. */
function holderColumns()
{
	const dash = (v) => v || '—';

	return [
		{ key: 'licence', label: st('svc.col.licence'),
		    cls: 'lic-number', cell: (l) => [h('span',
		    { class: 'lic-mono', text: l.number }), l.blocked ?
		    h('span', { class: 'badge badge-grey lic-blocked',
		    text: st('svc.blocked') }) : null] },
		{ key: 'code', label: st('svc.col.code'),
		    cell: (l) => mono(l.activation_code) },
		{ key: 'user', label: st('svc.col.user'),
		    cls: 'lic-wrap-cell', cell: (l) => dash(l.user) },
		{ key: 'version', label: st('svc.col.version'),
		    cell: (l) => dash(l.config_version) },
		{ key: 'mdm', label: st('svc.col.mdm'), cls: 'lic-mdm',
		    cell: (l) => mono(l.mdm_id) },
		{ key: 'status', label: st('svc.col.status'),
		    cls: 'lic-status-cell',
		    cell: (l) => statusBadge(l.status === 'on') },
	];
}

/* One group of the holder's table from /licences/groups. */
function holderGroup(item)
{
	const meta = [];

	if (item.code)
		meta.push(h('span', { class: 'badge badge-blue',
		    text: st('svc.group_code', { code: item.code }) }));
	meta.push(h('span', { class: 'muted small lic-group-counts',
	    text: st('svc.group_counts', { on: item.in_service,
	    total: item.total }) }));
	return { key: item.supplier.id, supplier: item.supplier,
	    title: item.self ? st('svc.group_self',
	    { name: item.supplier.name }) : item.supplier.name,
	    meta, selectable: true, total: item.total };
}

async function renderExchange(host, notices)
{
	const manage = canManage();
	const company = currentCompany();
	const info = infoPanel();
	const plus = manage ? iconButton(PLUS, st('svc.connect'),
	    'lic-plus') : null;
	const minus = manage ? iconButton(MINUS, st('svc.disconnect'),
	    'lic-minus') : null;
	/* What the groups say about themselves; the notices above stay for
	 * the outcome of the user's actions. */
	const note = h('div', { class: 'page-notices' });
	let groups = [];

	const table = licenceTable({
		caption: company.name,
		columns: holderColumns(),
		async loadGroups() {
			const r = await api.get('/licences/groups');

			groups = r.items.map(holderGroup);
			if (groups.length)
				return groups;
			replace(note, notice('info', st('svc.no_suppliers')));
			return [{ key: 'none', supplier: null,
			    selectable: false, title: st('svc.group_none') }];
		},
		loadPage(g, after, f) {
			if (!g.supplier && f.status === 'on')
				return { items: [], next_after: null };
			return api.get('/licences' + query({
			    supplier: g.supplier ? g.supplier.id : '',
			    q: f.q, status: g.supplier ? f.status : '',
			    after, limit: PAGE_SIZE }));
		},
		onChange(sel) {
			const c = countRows(sel.rows, (l) => l.status === 'on');

			info.set(c.n, c.on, c.off);
			if (plus)
				plus.disabled = minus.disabled = !c.n;
		},
	});

	async function batch(on)
	{
		const sel = table.selection();

		if (!sel.rows.length)
			return;

		const recipients = groups.map((g) => ({ id: g.supplier.id,
		    name: g.supplier.name }));
		const rid = await confirmLicences({
		    title: st(on ? 'svc.confirm_title' : 'svc.off_title'),
		    text: on ? '' : st('svc.off_text'),
		    recipients, recipient: sel.group.supplier.id,
		    counts: (id) => countRows(sel.rows,
		    (l) => l.services.includes(id)),
		    ok: st(on ? 'svc.confirm' : 'svc.off_confirm'),
		    danger: !on });

		if (!rid)
			return;
		try {
			const r = await api.post(on ? '/licences/connect' :
			    '/licences/disconnect', { supplier: rid,
			    licences: sel.rows.map((l) => l.number) });

			replace(notices);
			await doneDialog(st('svc.done_title'),
			    batchLines(r, on));
		} catch (e) {
			replace(notices, notice('error', stError(e)));
		}
		await table.reload();
	}

	const bar = filterBar((f) => table.reload(f));

	if (plus) {
		plus.addEventListener('click', () => batch(true));
		minus.addEventListener('click', () => batch(false));
	}
	replace(host, note, h('section', { class: 'card card-flush lic-card' },
	    h('div', { class: 'lic-toolbar' }, bar,
	    h('div', { class: 'lic-actions' }, plus, minus)),
	    manage ? null : h('div', { class: 'card-pad' },
	    notice('info', st('svc.member_note'))),
	    h('div', { class: 'lic-layout' }, table.el, info.el)));
	await table.reload({ q: '', status: '' });
}

export async function render(ctx)
{
	const company = currentCompany();
	const tabs = [{ id: 'exchange', label: st('svc.tab.exchange') }];
	const notices = h('div', { class: 'page-notices' });
	const host = h('div', { class: 'lic-tab-body' });
	let cur = ctx.query.get('tab');

	if (company.is_supplier)
		tabs.push({ id: 'partners', label: st('svc.tab.partners') });
	if (!tabs.some((tb) => tb.id === cur))
		cur = company.is_supplier && !company.is_distributor ?
		    'partners' : 'exchange';

	const tablist = h('div', { class: 'tabs', role: 'tablist' },
	    tabs.map((tb) => h('button', { type: 'button', role: 'tab',
	    class: 'tab', id: 'tab-' + tb.id,
	    'aria-selected': tb.id === cur ? 'true' : 'false',
	    'aria-controls': 'tabpanel', text: tb.label,
	    on: { click: () => navigate('/services?tab=' + tb.id) } })));

	ctx.setTitle(st('svc.title'));
	replace(ctx.main, pageHead(st('svc.title')), tablist, notices,
	    h('div', { id: 'tabpanel', role: 'tabpanel',
	    'aria-labelledby': 'tab-' + cur }, host));
	if (cur === 'partners')
		await renderPartners(host, notices);
	else
		await renderExchange(host, notices);
}
