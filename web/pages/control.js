/*
 * pages/control.js - «Контроль»: what went through the exchange.
 *
 * A distributor sees, per licence and supplier, the last exchange, the
 * documents sent per day and the refused documents with their reasons; a
 * supplier sees, per distributor, the last data received and documents
 * per day, and its feed consumers' lag.  A company that is both gets a
 * tab for each side.  The page refreshes its numbers every REFRESH_S
 * seconds without reloading, and stops when the user leaves it.
 */

import { api, query } from '../api.js';
import { h, replace, svg } from '../dom.js';
import { formatDate, formatDateTime, formatNumber,
    formatTime } from '../format.js';
import { navigate } from '../nav.js';
import { currentCompany } from '../session.js';
import { button, icon, loading, notice, pageHead } from '../ui.js';
import { cerror, cerrorCode, ct } from './control_i18n.js';

const REFRESH_S = 15;
const PERIODS = [7, 14, 30];
const BAR_W = 6;
const BAR_H = 28;

/* A small chart of documents per day; refused ones drawn on top. */
function spark(days, perDay)
{
	const max = Math.max(1, ...perDay.map((d) => d.documents +
	    d.rejected));
	const bars = [];

	perDay.forEach((d, i) => {
		const all = d.documents + d.rejected;
		const hAll = all ? Math.max(2, Math.round(all / max * BAR_H)) :
		    1;
		const hRej = d.rejected ? Math.max(2, Math.round(d.rejected /
		    max * BAR_H)) : 0;
		const tip = ct('ctl.day_title', { date: formatDate(days[i]),
		    docs: formatNumber(d.documents),
		    rejected: formatNumber(d.rejected) });

		bars.push(svg('rect', { x: i * BAR_W, y: BAR_H - hAll,
		    width: BAR_W - 2, height: hAll,
		    class: all ? 'ctl-bar' : 'ctl-bar-empty' },
		    svg('title', {}, tip)));
		if (hRej)
			bars.push(svg('rect', { x: i * BAR_W, y: BAR_H - hRej,
			    width: BAR_W - 2, height: hRej,
			    class: 'ctl-bar-rej' }, svg('title', {}, tip)));
	});
	return svg('svg', { class: 'ctl-spark', role: 'img',
	    width: perDay.length * BAR_W, height: BAR_H,
	    viewBox: '0 0 ' + perDay.length * BAR_W + ' ' + BAR_H,
	    'aria-label': ct('ctl.col.days') }, bars);
}

function cell(label, ...content)
{
	return h('td', { dataset: { label } }, content);
}

function num(n, cls)
{
	return h('span', { class: ['num', cls], text: formatNumber(n) });
}

/* The last exchange of a row, with the device's last contact. */
function lastCell(r)
{
	const lines = [h('span', { text: r.last_at ?
	    formatDateTime(r.last_at) : ct('ctl.never') })];

	if (r.last_contact_at)
		lines.push(h('br'), h('span', { class: 'small muted',
		    text: ct('ctl.contact',
		    { date: formatDateTime(r.last_contact_at) }) }));
	return lines;
}

function summary(tiles)
{
	return h('div', { class: 'ctl-tiles' }, tiles.map((x) =>
	    h('div', { class: 'ctl-tile' },
	    h('span', { class: 'ctl-tile-label', text: x.label }),
	    h('span', { class: ['ctl-tile-value', x.cls], text: x.value }))));
}

function table(head, rows, empty)
{
	return h('div', { class: 'table-wrap' },
	    h('table', { class: 'table table-cards ctl-table' },
	    h('thead', {}, h('tr', {}, head.map((k) =>
	    h('th', { scope: 'col', text: ct(k) })))),
	    h('tbody', {}, rows.length ? rows : h('tr', {},
	    h('td', { class: 'cell-empty', colspan: String(head.length),
	    text: empty })))));
}

/* Documents accepted, with the refused ones under them when any. */
function docsCell(r)
{
	return [num(r.documents), r.rejected ? [h('br'), h('span',
	    { class: 'small ctl-bad', text: ct('ctl.refused_n',
	    { count: formatNumber(r.rejected) }) })] : null];
}

/* The distributor's rows: one per licence and supplier. */
function sentRows(v)
{
	return v.rows.map((r) => h('tr', { class: r.in_service || !r.licence ?
	    null : 'row-muted', dataset: { licence: r.licence ?
	    r.licence.number : '', supplier: r.supplier.id } },
	    cell(ct('ctl.col.supplier'), h('span', { class: 'cell-strong',
	    text: r.supplier.name })),
	    cell(ct('ctl.col.code'), r.code),
	    cell(ct('ctl.col.licence'), r.licence ? [h('span',
	    { class: 'mono', text: r.licence.number }), h('br'),
	    h('span', { class: 'small muted', text: r.licence.user })] :
	    h('span', { text: ct('ctl.system') })),
	    cell(ct('ctl.col.status'), r.licence ? h('span', { class: ['badge',
	    r.in_service ? 'badge-green' : 'badge-grey'],
	    text: ct(r.in_service ? 'ctl.on' : 'ctl.off') }) : null),
	    cell(ct('ctl.col.last'), lastCell(r)),
	    cell(ct('ctl.col.docs'), docsCell(r)),
	    cell(ct('ctl.col.days'), spark(v.days, r.per_day))));
}

/* The supplier's rows: one per distributor. */
function receivedRows(v)
{
	return v.rows.map((r) => h('tr', { class: r.status === 'accepted' ?
	    null : 'row-muted', dataset: { code: r.code } },
	    cell(ct('ctl.col.distributor'), h('span', { class: 'cell-strong',
	    text: r.distributor.name })),
	    cell(ct('ctl.col.code'), r.code),
	    cell(ct('ctl.col.status'), h('span', { class: ['badge',
	    r.status === 'accepted' ? 'badge-green' : 'badge-grey'],
	    text: ct('ctl.status.' + r.status) })),
	    cell(ct('ctl.col.last_data'), r.last_at ?
	    formatDateTime(r.last_at) : ct('ctl.never')),
	    cell(ct('ctl.col.docs'), num(r.documents)),
	    cell(ct('ctl.col.rejected'), num(r.rejected, r.rejected ?
	    'ctl-bad' : null)),
	    cell(ct('ctl.col.days'), spark(v.days, r.per_day))));
}

function sum(rows, key)
{
	return rows.reduce((a, r) => a + r[key], 0);
}

/* A kind of document in words; an unknown one as it was sent. */
function kindName(kind)
{
	const k = 'kind.' + (kind || '');
	const s = ct(k);

	return s === k ? kind : s;
}

function rejectRow(x)
{
	return h('tr', { dataset: { uuid: x.uuid || '' } },
	    cell(ct('ctl.rej.when'), formatDateTime(x.last_at)),
	    cell(ct('ctl.col.supplier'), x.supplier.name),
	    cell(ct('ctl.rej.document'), [h('span', { text: kindName(x.kind) +
	    (x.number ? ' ' + x.number : '') }), h('br'),
	    h('span', { class: 'small muted mono', text: x.uuid || '' })]),
	    cell(ct('ctl.col.licence'), h('span', { class: 'mono',
	    text: x.licence || ct('ctl.system') })),
	    cell(ct('ctl.rej.reason'), h('span', { class: 'ctl-reason',
	    text: cerrorCode(x.error.code, x.error.message) })),
	    cell(ct('ctl.rej.attempts'), num(x.attempts)),
	    cell(ct('ctl.rej.later'), x.accepted_later ? icon('check') :
	    null));
}

function consumerRow(c)
{
	return h('tr', { dataset: { consumer: c.name } },
	    cell(ct('ctl.con.name'), h('span', { class: 'mono',
	    text: c.name })),
	    cell(ct('ctl.con.position'), num(c.position)),
	    cell(ct('ctl.con.lag'), num(c.lag, c.lag ? 'ctl-warn' : null)),
	    cell(ct('ctl.con.updated'), formatDateTime(c.updated_at)));
}

/* Draws the distributor's side. */
function drawSent(host, v, rejects)
{
	const lic = v.rows.filter((r) => r.licence && r.in_service);

	replace(host, summary([
	    { label: ct('ctl.total_docs'),
	      value: formatNumber(sum(v.rows, 'documents')) },
	    { label: ct('ctl.total_rejected'),
	      value: formatNumber(sum(v.rows, 'rejected')),
	      cls: sum(v.rows, 'rejected') ? 'ctl-bad' : null },
	    { label: ct('ctl.total_licences'),
	      value: formatNumber(new Set(lic.map((r) =>
	      r.licence.number)).size) }]),
	    h('section', { class: 'card card-flush' },
	    table(['ctl.col.supplier', 'ctl.col.code', 'ctl.col.licence',
	    'ctl.col.status', 'ctl.col.last', 'ctl.col.docs',
	    'ctl.col.days'], sentRows(v),
	    ct('ctl.empty_sent'))),
	    h('section', { class: 'card card-flush ctl-rejects' },
	    h('h2', { class: 'card-title card-pad', text: ct('ctl.rejects') }),
	    table(['ctl.rej.when', 'ctl.col.supplier', 'ctl.rej.document',
	    'ctl.col.licence', 'ctl.rej.reason', 'ctl.rej.attempts',
	    'ctl.rej.later'], rejects.items.map(rejectRow),
	    ct('ctl.rejects_empty'))));
}

/* Draws the supplier's side. */
function drawReceived(host, v)
{
	const lag = v.consumers.reduce((a, c) => Math.max(a, c.lag), 0);

	replace(host, summary([
	    { label: ct('ctl.total_docs'),
	      value: formatNumber(sum(v.rows, 'documents')) },
	    { label: ct('ctl.total_rejected'),
	      value: formatNumber(sum(v.rows, 'rejected')),
	      cls: sum(v.rows, 'rejected') ? 'ctl-bad' : null },
	    { label: ct('ctl.total_partners'),
	      value: formatNumber(v.rows.filter((r) =>
	      r.status === 'accepted').length) },
	    { label: ct('ctl.total_lag'), value: formatNumber(lag),
	      cls: lag ? 'ctl-warn' : null }]),
	    h('section', { class: 'card card-flush' },
	    table(['ctl.col.distributor', 'ctl.col.code', 'ctl.col.status',
	    'ctl.col.last_data', 'ctl.col.docs', 'ctl.col.rejected',
	    'ctl.col.days'], receivedRows(v), ct('ctl.empty_received'))),
	    h('section', { class: 'card card-flush ctl-consumers' },
	    h('h2', { class: 'card-title card-pad',
	    text: ct('ctl.consumers') }),
	    h('p', { class: 'card-pad muted small', text:
	    ct('ctl.consumers_note', { head: formatNumber(v.head) }) }),
	    table(['ctl.con.name', 'ctl.con.position', 'ctl.con.lag',
	    'ctl.con.updated'], v.consumers.map(consumerRow),
	    ct('ctl.consumers_empty'))));
}

/* The side to show, from ?side= and what the company is. */
function pickSide(company, asked)
{
	const sides = [];

	if (company.is_distributor)
		sides.push('sent');
	if (company.is_supplier)
		sides.push('received');
	return { sides, side: sides.includes(asked) ? asked : sides[0] };
}

function tabs(sides, side, days)
{
	if (sides.length < 2)
		return null;
	return h('div', { class: 'tabs', role: 'tablist' }, sides.map((s) =>
	    h('button', { type: 'button', role: 'tab', class: 'tab',
	    'aria-selected': s === side ? 'true' : 'false',
	    text: ct('ctl.tab.' + s), on: { click: () => navigate('/control' +
	    query({ side: s, days })) } })));
}

export async function render(ctx)
{
	const company = currentCompany() || {};
	const pick = pickSide(company, ctx.query.get('side'));
	const days = PERIODS.includes(Number(ctx.query.get('days'))) ?
	    Number(ctx.query.get('days')) : 14;
	const host = h('div', { class: 'ctl-body', 'aria-live': 'polite' },
	    loading());
	const status = h('p', { class: 'small muted ctl-status',
	    role: 'status' });
	const period = h('select', { class: 'select-sm',
	    'aria-label': ct('ctl.period') }, PERIODS.map((p) =>
	    h('option', { value: String(p), text: ct('ctl.days',
	    { count: p }), selected: p === days })));
	const refresh = button('secondary', ct('ctl.refresh'));
	let timer = null;
	let busy = false;

	async function load()
	{
		if (!ctx.main.isConnected) {
			clearInterval(timer);
			return;
		}
		if (busy)
			return;
		busy = true;
		try {
			if (pick.side === 'received') {
				drawReceived(host, await api.get('/control' +
				    query({ side: 'supplier', days })));
			} else {
				const [v, rej] = await Promise.all([
				    api.get('/control' + query({ days })),
				    api.get('/control/rejects?limit=50')]);

				drawSent(host, v, rej);
			}
			status.textContent = ct('ctl.updated', { time:
			    formatTime(new Date()), seconds: REFRESH_S });
		} catch (e) {
			if (!host.querySelector('table'))
				replace(host, notice('error', cerror(e)));
			status.textContent = ct('ctl.stale', { error: cerror(e),
			    seconds: REFRESH_S });
		} finally {
			busy = false;
		}
	}

	ctx.setTitle(ct('ctl.title'));
	if (!pick.side) {
		replace(ctx.main, pageHead(ct('ctl.title')),
		    notice('info', ct('ctl.empty_sent')));
		return;
	}
	period.addEventListener('change', () => navigate('/control' +
	    query({ side: pick.side, days: period.value })));
	refresh.addEventListener('click', load);
	replace(ctx.main, pageHead(ct('ctl.title'),
	    h('label', { class: 'ctl-period' },
	    h('span', { class: 'small muted', text: ct('ctl.period') }),
	    period), refresh),
	    tabs(pick.sides, pick.side, days), status, host);
	await load();
	timer = setInterval(load, REFRESH_S * 1000);
}
