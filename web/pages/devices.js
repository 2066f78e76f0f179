/*
 * pages/devices.js - «Устройства»: the company's installs of the mobile
 * trade app, newest first: MDM ID, Лицензия, Пользователь, Версия
 * конфигурации, first and last contact, and whether the device is still
 * bound to its licence.  Owners and admins move a bound licence to
 * another agent («Перенести» under the binding), which releases the
 * device.
 */

import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { canManage } from '../session.js';
import { button, loading, notice, pageHead } from '../ui.js';
import { st, stError } from './services_i18n.js';
import { moveDialog } from './services_table.js';

const PAGE_SIZE = 50;
const COLUMNS = ['mdm', 'licence', 'user', 'version', 'first', 'last',
	'state'];
const CLASSES = { mdm: 'lic-mdm', user: 'lic-wrap-cell' };

export async function render(ctx)
{
	const manage = canManage();
	const st8 = { items: [], next: '' };
	const notices = h('div', { class: 'page-notices' });
	const tbody = h('tbody');
	const count = h('p', { class: 'muted small table-count' });
	const more = button('secondary', t('common.more'), { hidden: true });
	const ncols = COLUMNS.length;

	async function moveOne(d)
	{
		const r = await moveDialog({ number: d.licence,
		    mdm_id: d.mdm_id, user: d.user }, (user) => api.post(
		    '/licences/' + encodeURIComponent(d.licence) + '/move',
		    { user }));

		if (!r)
			return;
		replace(notices, notice('success', st('svc.moved',
		    { number: r.number, user: r.user })));
		await reload();
	}

	/* The binding, and the move for a bound device. */
	function state(d)
	{
		if (!d.bound)
			return h('span', { class: 'badge badge-grey',
			    text: st('dev.released',
			    { date: formatDateTime(d.released_at) }) });
		return h('div', { class: 'dev-state' },
		    h('span', { class: 'badge badge-green',
		    text: st('dev.bound') }), manage ? button('link',
		    st('svc.move'), { class: 'btn btn-link dev-move',
		    on: { click: () => moveOne(d) } }) : null);
	}

	function row(d)
	{
		const cells = {
			mdm: h('span', { class: 'lic-mono', text: d.mdm_id }),
			licence: h('span', { class: 'lic-mono',
			    text: d.licence }),
			user: d.user || '—',
			version: d.config_version || '—',
			first: formatDateTime(d.first_contact_at),
			last: formatDateTime(d.last_contact_at),
			state: state(d),
		};

		return h('tr', { class: d.bound ? null : 'row-muted',
		    dataset: { device: d.id } }, COLUMNS.map((c) => h('td',
		    { class: CLASSES[c], dataset: { label:
		    st('dev.col.' + c) } }, cells[c])));
	}

	function draw()
	{
		if (!st8.items.length)
			replace(tbody, h('tr', {}, h('td', {
			    class: 'cell-empty', colspan: String(ncols),
			    text: st('dev.empty') })));
		else
			replace(tbody, st8.items.map(row));
		count.textContent = st('dev.shown',
		    { count: st8.items.length });
		more.hidden = !st8.next;
	}

	async function loadMore()
	{
		more.disabled = true;
		try {
			const page = await api.get('/devices' + query({
			    after: st8.next, limit: PAGE_SIZE }));

			st8.items.push(...page.items);
			st8.next = page.next_after || '';
			draw();
		} catch (e) {
			replace(notices, notice('error', stError(e)));
		} finally {
			more.disabled = false;
		}
	}

	async function reload()
	{
		st8.items = [];
		st8.next = '';
		await loadMore();
	}

	const head = COLUMNS.map((c) => h('th', { scope: 'col',
	    text: st('dev.col.' + c) }));

	ctx.setTitle(st('dev.title'));
	replace(ctx.main, pageHead(st('dev.title')), notices,
	    h('section', { class: 'card card-flush' },
	    h('div', { class: 'table-wrap' },
	    h('table', { class: 'table table-cards lic-table devices-table' },
	    h('thead', {}, h('tr', {}, head)), tbody)),
	    h('div', { class: 'table-foot' }, count, more)));
	replace(tbody, h('tr', {}, h('td', { colspan: String(ncols) },
	    loading())));
	more.addEventListener('click', loadMore);
	await loadMore();
}
