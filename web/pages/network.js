/*
 * pages/network.js - Т-Обмен → «Дистрибьюторы»: the supplier's network.
 *
 * A table of every distributor the supplier invited (Дистрибьютор, Код,
 * E-mail, Статус, dates, licence management, licences in service) paged
 * by cursor.  Owners and admins add a distributor, upload a CSV file of
 * them, send an invitation again, revoke it, or disconnect a connected
 * distributor with a reason; members only look.  The server checks every
 * rule again.
 */

import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDate, formatNumber } from '../format.js';
import { t } from '../i18n.js';
import { canManage } from '../session.js';
import { bindForm, button, confirmDialog, errorText, field, icon, loading,
    notice, openDialog, pageHead, rules } from '../ui.js';
import { localize, nerror, nt } from './network_i18n.js';

const PAGE_SIZE = 50;
const COLUMNS = ['name', 'code', 'status', 'dates', 'licences'];
const BADGES = {
	invited: 'badge-blue',
	accepted: 'badge-green',
};

/* The badge of a status, in the guide's words. */
export function statusBadge(status)
{
	return h('span', { class: ['badge', BADGES[status] || 'badge-grey'],
	    dataset: { status }, text: nt('status.' + status) });
}

/* The dates worth showing for a row, one per line. */
function dates(d)
{
	const lines = [nt('dist.invited_on',
	    { date: formatDate(d.invited_at) })];

	if (d.status === 'invited' && d.expires_at)
		lines.push(nt('dist.expires_on',
		    { date: formatDate(d.expires_at) }));
	if (d.accepted_at)
		lines.push(nt('dist.accepted_on',
		    { date: formatDate(d.accepted_at) }));
	if (d.ended_at && d.status !== 'accepted')
		lines.push(nt('status.' + d.status) + ' ' +
		    formatDate(d.ended_at));
	return h('span', { class: 'small' }, lines.map((l, i) =>
	    [i ? h('br') : null, l]));
}

/* Licences in service and whether the distributor lets the supplier
 * manage them; only a connected distributor has either. */
function licences(d)
{
	if (d.status !== 'accepted')
		return t('common.none');
	return h('span', { class: 'small' },
	    nt('dist.in_service', { n: formatNumber(d.licences_in_service) }),
	    h('br'), nt('dist.manage') + ' ',
	    h('span', { class: ['badge', d.manage_licences ? 'badge-green' :
	    'badge-grey'], dataset: { manage: String(d.manage_licences) },
	    text: nt(d.manage_licences ? 'dist.manage_on' :
	    'dist.manage_off') }));
}

/* Reads a File as text (UTF-8). */
function readText(file)
{
	return new Promise((resolve, reject) => {
		const r = new FileReader();

		r.onload = () => resolve(String(r.result));
		r.onerror = () => reject(r.error);
		r.readAsText(file, 'utf-8');
	});
}

export async function render(ctx)
{
	const manage = canManage();
	const st = { items: [], next: '' };
	const notices = h('div', { class: 'page-notices' });
	const tbody = h('tbody');
	const count = h('p', { class: 'muted small table-count' });
	const more = button('secondary', t('common.more'), { hidden: true });
	const addBtn = manage ? button('primary', nt('dist.add'), {},
	    icon('plus')) : null;
	const importBtn = manage ? button('secondary', nt('dist.import')) :
	    null;
	const ncols = COLUMNS.length + (manage ? 1 : 0);

	function say(kind, text, ...extra)
	{
		replace(notices, notice(kind, text, ...extra));
	}

	function put(d)
	{
		const i = st.items.findIndex((x) => x.id === d.id);

		if (i >= 0)
			st.items[i] = d;
		else
			st.items.unshift(d);
		draw();
	}

	async function act(d, path, body, doneKey)
	{
		try {
			put(await api.post('/network/distributors/' +
			    encodeURIComponent(d.id) + '/' + path, body));
			say('success', nt(doneKey, { name: d.name }));
		} catch (e) {
			say('error', errorText(localize(e)));
		}
	}

	async function revoke(d)
	{
		if (await confirmDialog({ title: nt('dist.revoke_title'),
		    text: nt('dist.revoke_text', { name: d.name }),
		    ok: nt('dist.revoke'), danger: true }))
			act(d, 'revoke', {}, 'dist.revoked');
	}

	function disconnectDialog(d)
	{
		const reason = field({ name: 'reason', type: 'textarea',
		    label: nt('dist.disc_reason'), required: true,
		    attrs: { maxlength: '500', rows: '3' } });
		const cancel = button('secondary', t('common.cancel'));
		const form = h('form', { class: 'form' },
		    h('p', { class: 'dialog-text', text: nt('dist.disc_text',
		    { name: d.name, code: d.code }) }), reason.wrap,
		    h('div', { class: 'form-actions' },
		    h('button', { type: 'submit', class: 'btn btn-danger',
		    text: nt('dist.disc_submit') }), cancel));
		const dlg = openDialog({ title: nt('dist.disc_title'),
		    content: form });

		cancel.addEventListener('click', () => dlg.close());
		bindForm(form, [reason], async (v) => {
			put(await api.post('/network/distributors/' +
			    encodeURIComponent(d.id) + '/disconnect', v)
			    .catch((e) => { throw localize(e); }));
			dlg.close();
			say('success', nt('dist.disconnected',
			    { name: d.name }));
		});
		reason.input.focus();
	}

	function actions(d)
	{
		const out = [];
		const small = (kind, key, fn) => button(kind, nt(key),
		    { class: 'btn btn-' + kind + ' btn-sm',
		    on: { click: fn } });

		if (d.status !== 'accepted')
			out.push(small('secondary', 'dist.resend',
			    () => act(d, 'resend', {}, 'dist.resent')));
		if (d.status === 'invited' || d.status === 'expired')
			out.push(small('danger-outline', 'dist.revoke',
			    () => revoke(d)));
		if (d.status === 'accepted')
			out.push(small('danger-outline', 'dist.disconnect',
			    () => disconnectDialog(d)));
		return out;
	}

	function row(d)
	{
		const cells = {
			name: h('span', {}, h('span', { class: 'cell-strong',
			    text: d.name }), d.distributor &&
			    d.distributor.name !== d.name ? [h('br'),
			    h('span', { class: 'small',
			    text: d.distributor.name })] : null, h('br'),
			    h('span', { class: 'muted small cell-break',
			    text: d.email })),
			code: h('span', { class: 'cell-strong', text: d.code }),
			status: statusBadge(d.status),
			dates: dates(d),
			licences: licences(d),
		};
		const tds = COLUMNS.map((c) => h('td', { dataset:
		    { label: nt('dist.col.' + c) } }, cells[c]));

		if (manage)
			tds.push(h('td', { class: 'cell-actions', dataset:
			    { label: nt('dist.col.actions') } },
			    h('div', { class: 'page-actions' }, actions(d))));
		return h('tr', { class: ['accepted', 'invited'].includes(
		    d.status) ? null : 'row-muted', dataset: { linkId: d.id,
		    code: d.code } }, tds);
	}

	function draw()
	{
		if (!st.items.length)
			replace(tbody, h('tr', {}, h('td', {
			    class: 'cell-empty', colspan: String(ncols),
			    text: nt('dist.empty') })));
		else
			replace(tbody, st.items.map(row));
		count.textContent = nt('dist.shown',
		    { count: st.items.length });
		more.hidden = !st.next;
	}

	async function loadMore()
	{
		more.disabled = true;
		try {
			const page = await api.get('/network/distributors' +
			    query({ after: st.next, limit: PAGE_SIZE }));
			const seen = new Set(st.items.map((x) => x.id));

			st.items.push(...page.items.filter((x) =>
			    !seen.has(x.id)));
			st.next = page.next_after || '';
			draw();
		} catch (e) {
			say('error', errorText(localize(e)));
		} finally {
			more.disabled = false;
		}
	}

	function addDialog()
	{
		const name = field({ name: 'name', label: nt('dist.f.name'),
		    required: true, attrs: { autocomplete: 'off',
		    maxlength: '200' } });
		const email = field({ name: 'email', label: nt('dist.f.email'),
		    type: 'email', required: true, rules: [rules.email],
		    attrs: { autocomplete: 'off', inputmode: 'email',
		    maxlength: '254' } });
		const code = field({ name: 'code', label: nt('dist.f.code'),
		    hint: nt('dist.f.code_hint'), attrs: { inputmode: 'numeric',
		    maxlength: '5', autocomplete: 'off' } });
		const lang = field({ name: 'lang', label: nt('dist.f.lang'),
		    type: 'select', value: 'ru', options: ['ru', 'en'].map(
		    (l) => ({ value: l, label: nt('dist.lang.' + l) })) });
		const fields = [name, email, code, lang];
		const cancel = button('secondary', t('common.cancel'));
		const form = h('form', { class: 'form' },
		    h('p', { class: 'muted', text: nt('dist.add_note') }),
		    fields.map((f) => f.wrap),
		    h('div', { class: 'form-actions' },
		    h('button', { type: 'submit', class: 'btn btn-primary',
		    text: nt('dist.f.submit') }), cancel));
		const dlg = openDialog({ title: nt('dist.add_title'),
		    content: form });

		/* The field's own check returns an i18n.js key; ours is
		 * looked up here instead. */
		code.check = () => (code.value() &&
		    !/^[1-9]\d{4}$/.test(code.value()) ? 'dist.v.code' : '');
		const setErr = code.setError;

		code.setError = (msg) => setErr(msg === 'dist.v.code' ?
		    nt('dist.v.code') : msg);
		cancel.addEventListener('click', () => dlg.close());
		bindForm(form, fields, async (v) => {
			const body = { name: v.name, email: v.email,
			    lang: v.lang };

			if (v.code)
				body.code = v.code;

			const d = await api.post('/network/distributors', body)
			    .catch((e) => { throw localize(e); });

			put(d);
			dlg.close();
			say('success', nt('dist.added', { email: d.email,
			    code: d.code }));
		});
		name.input.focus();
	}

	function importReport(r)
	{
		const rows = r.rows.map((x) => h('tr', {
		    class: x.accepted ? null : 'row-muted' },
		    h('td', { dataset: { label: nt('dist.imp.line') },
		    text: String(x.line) }),
		    h('td', { dataset: { label: nt('dist.col.name') } },
		    h('span', { text: x.name }), h('br'),
		    h('span', { class: 'muted small cell-break',
		    text: x.email })),
		    h('td', { dataset: { label: nt('dist.imp.result') } },
		    x.accepted ? h('span', { class: 'badge badge-green',
		    text: nt('dist.imp.ok', { code: x.distributor.code }) }) :
		    h('span', { class: 'field-error',
		    text: nerror(x.error) }))));

		return h('div', {},
		    notice(r.rejected ? 'info' : 'success',
		    nt('dist.imp_report', { ok: r.accepted,
		    bad: r.rejected })),
		    h('div', { class: 'table-wrap' },
		    h('table', { class: 'table table-cards import-report' },
		    h('thead', {}, h('tr', {}, ['dist.imp.line',
		    'dist.col.name', 'dist.imp.result'].map((k) =>
		    h('th', { scope: 'col', text: nt(k) })))),
		    h('tbody', {}, rows))));
	}

	function importDialog()
	{
		const input = h('input', { type: 'file', id: 'csv-file',
		    name: 'csv', accept: '.csv,text/csv,text/plain' });
		const err = h('p', { class: 'field-error', hidden: true });
		const out = h('div', { class: 'import-out' });
		const cancel = button('secondary', t('common.close'));
		const submit = h('button', { type: 'submit',
		    class: 'btn btn-primary', text: nt('dist.imp_submit') });
		const form = h('form', { class: 'form' },
		    h('p', { class: 'muted', text: nt('dist.imp_note') }),
		    h('div', { class: 'field' },
		    h('label', { for: 'csv-file', text: nt('dist.imp_file') }),
		    input, err),
		    h('div', { class: 'form-actions' }, submit, cancel), out);
		const dlg = openDialog({ title: nt('dist.imp_title'),
		    content: form, onClose: () => reload() });

		cancel.addEventListener('click', () => dlg.close());
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			err.hidden = true;
			if (!input.files.length) {
				err.textContent = nt('dist.imp_need_file');
				err.hidden = false;
				return;
			}
			submit.disabled = true;
			try {
				const csv = await readText(input.files[0]);
				const r = await api.post(
				    '/network/distributors/import', { csv });

				replace(out, importReport(r));
			} catch (e) {
				err.textContent = errorText(localize(e));
				err.hidden = false;
			} finally {
				submit.disabled = false;
			}
		});
	}

	async function reload()
	{
		st.items = [];
		st.next = '';
		await loadMore();
	}

	const head = COLUMNS.map((c) => h('th', { scope: 'col',
	    text: nt('dist.col.' + c) }));

	if (manage)
		head.push(h('th', { scope: 'col', class: 'cell-actions',
		    text: nt('dist.col.actions') }));

	ctx.setTitle(nt('dist.title'));
	replace(ctx.main, pageHead(nt('dist.title'), importBtn, addBtn),
	    notices,
	    h('section', { class: 'card card-flush' },
	    h('h2', { class: 'card-title card-pad',
	    text: nt('dist.network') }),
	    manage ? null : h('div', { class: 'card-pad' },
	    notice('info', nt('dist.member_note'))),
	    h('div', { class: 'table-wrap' },
	    h('table', { class: 'table table-cards network-table' },
	    h('thead', {}, h('tr', {}, head)), tbody)),
	    h('div', { class: 'table-foot' }, count, more)));
	replace(tbody, h('tr', {}, h('td', { colspan: String(ncols) },
	    loading())));
	if (addBtn)
		addBtn.addEventListener('click', addDialog);
	if (importBtn)
		importBtn.addEventListener('click', importDialog);
	more.addEventListener('click', loadMore);
	await loadMore();
}
