/*
 * pages/network_journal.js - Т-Обмен → «Журнал»: the audit log entries
 * that concern the company, newest first, from GET /audit.
 *
 * Each row: when, what happened, whom it concerns (the link's name and
 * code), who did it and from which address, and what changed.  Entries
 * this page has no words for (user changes, later licence events) are
 * still listed with their technical action name.
 */

import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { button, errorText, loading, notice, pageHead } from '../ui.js';
import { localize, nhas, nt } from './network_i18n.js';
import { statusBadge } from './network.js';

const PAGE_SIZE = 50;
const COLUMNS = ['at', 'action', 'object', 'who', 'ip', 'change'];

function actionText(a)
{
	return nhas('jr.a.' + a) ? nt('jr.a.' + a) : a;
}

/* Whom the entry concerns: the distributor's name and code, and the
 * other company when it is not the caller's own. */
function objectCell(e)
{
	const s = e.after || e.before || {};
	const parts = [];

	if (s.name)
		parts.push(h('span', { class: 'cell-strong', text: s.name }));
	if (s.code)
		parts.push(h('span', { class: 'muted small',
		    text: ' ' + nt('jr.code', { code: s.code }) }));
	if (e.company && e.other_company)
		parts.push(h('br'), h('span', { class: 'muted small',
		    text: e.company.name + ' — ' + e.other_company.name }));
	return parts.length ? parts : t('common.none');
}

function whoCell(e)
{
	if (!e.actor)
		return h('span', { class: 'muted', text: nt('jr.system') });
	return [h('span', { text: e.actor.name }),
	    e.actor_company ? [h('br'), h('span', { class: 'muted small',
	    text: e.actor_company.name })] : null];
}

/* What changed, in a few words: status and permission before → after. */
function changeCell(e)
{
	const b = e.before || {};
	const a = e.after || {};
	const out = [];

	if (a.status && a.status !== b.status)
		out.push(b.status ? [statusBadge(b.status), ' → '] : null,
		    statusBadge(a.status));
	if (e.before && e.after && a.manage_licences !== b.manage_licences)
		out.push(h('span', { class: 'small',
		    text: nt(a.manage_licences ? 'jr.manage_on' :
		    'jr.manage_off') }));
	if (a.reason && a.reason !== b.reason)
		out.push(h('br'), h('span', { class: 'small',
		    text: nt('jr.reason', { reason: a.reason }) }));
	return out.length ? out : t('common.none');
}

function row(e)
{
	const cells = {
		at: formatDateTime(e.at),
		action: actionText(e.action),
		object: objectCell(e),
		who: whoCell(e),
		ip: h('span', { class: 'small', text: e.ip ||
		    t('common.none') }),
		change: changeCell(e),
	};

	return h('tr', { dataset: { action: e.action } },
	    COLUMNS.map((c) => h('td', { dataset:
	    { label: nt('jr.col.' + c) } }, cells[c])));
}

export async function render(ctx)
{
	const st = { items: [], next: '' };
	const notices = h('div', { class: 'page-notices' });
	const tbody = h('tbody');
	const count = h('p', { class: 'muted small table-count' });
	const more = button('secondary', t('common.more'), { hidden: true });

	function draw()
	{
		if (!st.items.length)
			replace(tbody, h('tr', {}, h('td', {
			    class: 'cell-empty',
			    colspan: String(COLUMNS.length),
			    text: nt('jr.empty') })));
		else
			replace(tbody, st.items.map(row));
		count.textContent = nt('jr.shown', { count: st.items.length });
		more.hidden = !st.next;
	}

	async function loadMore()
	{
		more.disabled = true;
		try {
			const page = await api.get('/audit' + query({
			    after: st.next, limit: PAGE_SIZE }));

			st.items.push(...page.items);
			st.next = page.next_after || '';
			draw();
		} catch (e) {
			replace(notices, notice('error',
			    errorText(localize(e))));
		} finally {
			more.disabled = false;
		}
	}

	ctx.setTitle(nt('jr.title'));
	replace(ctx.main, pageHead(nt('jr.title')),
	    h('p', { class: 'muted', text: nt('jr.lead') }), notices,
	    h('section', { class: 'card card-flush' },
	    h('div', { class: 'table-wrap' },
	    h('table', { class: 'table table-cards journal-table' },
	    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th',
	    { scope: 'col', text: nt('jr.col.' + c) })))), tbody)),
	    h('div', { class: 'table-foot' }, count, more)));
	replace(tbody, h('tr', {}, h('td', { colspan: String(COLUMNS.length) },
	    loading())));
	more.addEventListener('click', loadMore);
	await loadMore();
}
