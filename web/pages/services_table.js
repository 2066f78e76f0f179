/*
 * pages/services_table.js - what both tabs of «Сервисы и баланс» share:
 * the licence table grouped by supplier (or distributor) with a header
 * row per group, rows paged by cursor from the server, a selection that
 * stays within one group, the «Информация» panel with its three counts,
 * and the dialogs «Подтверждение лицензий» and the «ОК» message.
 *
 * Search and the status filter run on the server, so a company with ten
 * thousand licences gets one page per group at a time.
 */

import { h, replace, svg, uid } from '../dom.js';
import { t } from '../i18n.js';
import { bindForm, button, field, formAlert, loading,
    openDialog } from '../ui.js';
import { st, stError } from './services_i18n.js';

export const PAGE_SIZE = 50;

/* A stroke icon of this module (the shared set has no minus). */
export function lineIcon(d)
{
	return svg('svg', { class: 'icon', viewBox: '0 0 24 24', fill: 'none',
	    stroke: 'currentColor', 'stroke-width': '2.4',
	    'stroke-linecap': 'round', 'aria-hidden': 'true',
	    focusable: 'false' }, svg('path', { d }));
}

export const PLUS = 'M12 5v14M5 12h14';
export const MINUS = 'M5 12h14';

/* A number, code or GUID in a fixed-width font, or a dash. */
export function mono(v)
{
	return v ? h('span', { class: 'lic-mono', text: v }) : '—';
}

/* The «ВКЛ» / «ВНЕ СЕРВИСА» badge. */
export function statusBadge(on)
{
	return h('span', { class: ['badge', on ? 'badge-green' : 'badge-grey',
	    'lic-status'], dataset: { status: on ? 'on' : 'off' },
	    text: st(on ? 'svc.status.on' : 'svc.status.off') });
}

/* The search box and the status filter; onChange(filter) after a pause
 * in typing or a new status. */
export function filterBar(onChange)
{
	const search = h('input', { type: 'search', class: 'lic-search',
	    placeholder: st('svc.search'), 'aria-label': st('svc.search_label'),
	    maxlength: '100', autocomplete: 'off' });
	const status = h('select', { class: 'lic-filter',
	    'aria-label': st('svc.filter_label') },
	    ['', 'on', 'off'].map((v) => h('option', { value: v,
	    text: st('svc.filter.' + (v || 'all')) })));
	let timer = null;
	const fire = () => onChange({ q: search.value.trim(),
	    status: status.value });

	search.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(fire, 300);
	});
	status.addEventListener('change', fire);
	return [search, status];
}

/* A "+" or "−" button of the toolbar, disabled until there is a
 * selection. */
export function iconButton(path, label, cls)
{
	return h('button', { type: 'button', class: ['btn', 'btn-secondary',
	    'lic-icon-btn', cls], 'aria-label': label, title: label,
	    disabled: true }, lineIcon(path));
}

/* The three counts, each a dt/dd pair in its own div: sel, on, off are
 * the dd elements. */
function countList(sel, on, off, cls)
{
	const pair = (key, dd) => h('div', { class: 'lic-count' },
	    h('dt', { text: st(key) + ':' }), dd);

	return h('dl', { class: cls }, pair('svc.selected', sel),
	    pair('svc.in_service', on), pair('svc.out_service', off));
}

/* The «Информация» panel; set(n, on, off) shows the counts. */
export function infoPanel()
{
	const v = {
		sel: h('dd', { dataset: { count: 'selected' }, text: '0' }),
		on: h('dd', { dataset: { count: 'on' }, text: '0' }),
		off: h('dd', { dataset: { count: 'off' }, text: '0' }),
	};
	const el = h('aside', { class: 'lic-info', 'aria-live': 'polite' },
	    h('h2', { class: 'lic-info-title', text: st('svc.info') }),
	    countList(v.sel, v.on, v.off, 'lic-counts'),
	    h('p', { class: 'muted small', text: st('svc.one_group') }));

	return {
		el,
		set(n, on, off) {
			v.sel.textContent = String(n);
			v.on.textContent = String(on);
			v.off.textContent = String(off);
		},
	};
}

/*
 * licenceTable(o) builds the grouped table.
 *   o.caption        text above the column titles (the company)
 *   o.columns        [{ key, label, cell(l, g) -> node|string, cls }]
 *   o.loadGroups()   -> [{ key, title, meta: nodes, selectable,
 *                         total, emptyText }]
 *   o.loadPage(g, after, filter) -> { items, next_after }
 *   o.isOn(l, g)     the row's status in its group
 *   o.onChange(sel)  after every change of the selection
 * Returns { el, reload(filter), selection(), clear() } where selection()
 * is { group, rows: [licence] }.
 */
export function licenceTable(o)
{
	const ncols = o.columns.length + 1;
	const table = h('table', { class: 'table lic-table' },
	    h('thead', {}, h('tr', {},
	    h('th', { scope: 'col', class: 'lic-check' },
	    h('span', { class: 'visually-hidden', text: st('svc.info') })),
	    o.columns.map((c) => h('th', { scope: 'col', class: c.cls,
	    text: c.label })))));
	const el = h('div', { class: 'table-wrap lic-wrap' },
	    o.caption ? h('p', { class: 'lic-caption', text: o.caption }) :
	    null, table);
	const st8 = { filter: {}, groups: [], sel: null, rows: new Map(),
	    serial: 0 };

	function changed()
	{
		o.onChange({ group: st8.sel, rows: [...st8.rows.values()] });
	}

	/* Keeps the group's own box in step with its rows. */
	function groupBox(g)
	{
		if (!g.box)
			return;

		const n = g.items.length;
		const k = st8.sel === g ? st8.rows.size : 0;

		g.box.checked = n > 0 && k === n;
		g.box.indeterminate = k > 0 && k < n;
	}

	function clear()
	{
		if (st8.sel) {
			st8.sel.boxes.forEach((b) => {
				b.checked = false;
				b.closest('tr').classList.remove('is-selected');
			});
			groupBox(st8.sel);
		}
		st8.sel = null;
		st8.rows.clear();
	}

	function pick(g, l, on, box)
	{
		if (st8.sel && st8.sel !== g)
			clear();
		if (on) {
			st8.sel = g;
			st8.rows.set(l.number, l);
		} else {
			st8.rows.delete(l.number);
			if (!st8.rows.size)
				st8.sel = null;
		}
		box.checked = on;
		box.closest('tr').classList.toggle('is-selected', on);
		groupBox(g);
	}

	function row(g, l)
	{
		const label = st('svc.select_row', { number: l.number });
		const box = g.selectable ? h('input', { type: 'checkbox',
		    'aria-label': label }) : null;
		const tr = h('tr', { class: ['lic-row', l.blocked ?
		    'row-muted' : null], dataset: { number: l.number } },
		    h('td', { class: 'lic-check' }, box),
		    o.columns.map((c) => h('td', { class: c.cls,
		    dataset: { label: c.label } }, c.cell(l, g))));

		if (box) {
			const on = st8.sel === g && st8.rows.has(l.number);

			box.checked = on;
			tr.classList.toggle('is-selected', on);
			g.boxes.set(l.number, box);
			box.addEventListener('change', () => {
				pick(g, l, box.checked, box);
				changed();
			});
		}
		return tr;
	}

	function moreRow(g)
	{
		const b = button('link', g.total && !st8.filter.q &&
		    !st8.filter.status ? st('svc.more_left',
		    { total: g.total }) : st('svc.more'));

		b.addEventListener('click', () => loadMore(g, b));
		return h('tr', { class: 'lic-more' }, h('td',
		    { colspan: String(ncols) }, b));
	}

	function drawGroup(g)
	{
		const rows = g.items.map((l) => row(g, l));

		if (!g.items.length)
			rows.push(h('tr', {}, h('td', { class: 'cell-empty',
			    colspan: String(ncols), text: st8.filter.q ?
			    st('svc.empty_search') : g.emptyText ||
			    st('svc.empty') })));
		if (g.next)
			rows.push(moreRow(g));
		replace(g.body, g.head, rows);
		groupBox(g);
	}

	async function loadMore(g, btn)
	{
		const serial = st8.serial;

		if (btn)
			btn.disabled = true;
		try {
			const page = await o.loadPage(g, g.next, st8.filter);

			if (serial !== st8.serial)
				return;
			g.items.push(...page.items);
			g.next = page.next_after || '';
			drawGroup(g);
		} catch (e) {
			if (serial !== st8.serial)
				return;
			replace(g.body, g.head, h('tr', {}, h('td', {
			    class: 'cell-empty', colspan: String(ncols),
			    text: stError(e) })));
		}
	}

	function groupHead(g)
	{
		if (g.selectable) {
			g.box = h('input', { type: 'checkbox', 'aria-label':
			    st('svc.select_group', { name: g.title }) });
			g.box.addEventListener('change', () => {
				const on = g.box.checked;

				g.items.forEach((l) => pick(g, l, on,
				    g.boxes.get(l.number)));
				changed();
			});
		}
		return h('tr', { class: 'lic-group',
		    dataset: { group: g.key } }, h('th', { scope: 'rowgroup',
		    colspan: String(ncols) },
		    h('div', { class: 'lic-group-head' }, g.box || null,
		    h('span', { class: 'lic-group-name', text: g.title }),
		    g.meta || null)));
	}

	async function reload(filter)
	{
		const serial = ++st8.serial;

		if (filter)
			st8.filter = filter;
		clear();
		changed();
		table.querySelectorAll('tbody').forEach((b) => b.remove());
		table.append(h('tbody', {}, h('tr', {}, h('td',
		    { colspan: String(ncols) }, loading()))));

		let groups;

		try {
			groups = await o.loadGroups();
		} catch (e) {
			if (serial !== st8.serial)
				return;
			table.querySelectorAll('tbody').forEach((b) =>
			    b.remove());
			table.append(h('tbody', {}, h('tr', {}, h('td', {
			    class: 'cell-empty', colspan: String(ncols),
			    text: stError(e) }))));
			return;
		}
		if (serial !== st8.serial)
			return;
		table.querySelectorAll('tbody').forEach((b) => b.remove());
		st8.groups = groups.map((g) => Object.assign(g, {
			items: [], next: '', boxes: new Map(), box: null,
			body: h('tbody', { class: 'lic-group-body',
			    id: uid('grp') }),
		}));
		st8.groups.forEach((g) => {
			g.head = groupHead(g);
			replace(g.body, g.head, h('tr', {}, h('td',
			    { colspan: String(ncols) }, loading())));
			table.append(g.body);
		});
		await Promise.all(st8.groups.map((g) => loadMore(g, null)));
	}

	return {
		el,
		reload,
		clear() {
			clear();
			changed();
		},
		selection: () => ({ group: st8.sel,
		    rows: [...st8.rows.values()] }),
	};
}

/* Counts rows of a selection by their status for supplier id (or by
 * isOn when id is null). */
export function countRows(rows, isOn)
{
	const on = rows.filter(isOn).length;

	return { n: rows.length, on, off: rows.length - on };
}

/*
 * confirmLicences(o) asks to confirm a batch: o.title, o.recipients
 * [{ id, name }], o.recipient (the one chosen first), o.counts(id) ->
 * { n, on, off }, o.ok (button text), o.danger, o.text (optional note).
 * Resolves the chosen recipient's id, or null when cancelled.
 */
export function confirmLicences(o)
{
	return new Promise((resolve) => {
		let answer = null;
		const selId = uid('recipient');
		const pickEl = h('select', { id: selId, name: 'recipient' },
		    o.recipients.map((r) => h('option', { value: r.id,
		    text: r.name, selected: r.id === o.recipient })));
		const v = { n: h('dd', { dataset: { count: 'selected' } }),
		    on: h('dd', { dataset: { count: 'on' } }),
		    off: h('dd', { dataset: { count: 'off' } }) };
		const okBtn = button(o.danger ? 'danger' : 'primary', o.ok);
		const cancel = button('secondary', t('common.cancel'));

		function draw()
		{
			const c = o.counts(pickEl.value);

			v.n.textContent = String(c.n);
			v.on.textContent = String(c.on);
			v.off.textContent = String(c.off);
		}

		const d = openDialog({ title: o.title, class: 'lic-dialog',
		    content: [o.text ? h('p', { class: 'dialog-text',
		    text: o.text }) : null,
		    h('div', { class: 'field' }, h('label', { for: selId,
		    text: st('svc.recipient') }), pickEl),
		    countList(v.n, v.on, v.off, 'lic-counts lic-dialog-counts'),
		    h('div', { class: 'form-actions' }, okBtn, cancel)],
		    onClose: () => resolve(answer) });

		pickEl.addEventListener('change', draw);
		okBtn.addEventListener('click', () => {
			answer = pickEl.value;
			d.close();
		});
		cancel.addEventListener('click', () => d.close());
		draw();
		okBtn.focus();
	});
}

/* The message after a batch, closed with «ОК». */
export function doneDialog(title, lines)
{
	return new Promise((resolve) => {
		const ok = button('primary', st('svc.ok'));
		const d = openDialog({ title, class: 'lic-dialog',
		    content: [h('div', { class: 'lic-done', role: 'status' },
		    lines.map((l) => h('p', { text: l }))),
		    h('div', { class: 'form-actions' }, ok)],
		    onClose: () => resolve() });

		ok.addEventListener('click', () => d.close());
		ok.focus();
	});
}

/* The lines of the message for a batch answer r. */
export function batchLines(r, on)
{
	const lines = [st(on ? 'svc.done_on' : 'svc.done_off',
	    { name: r.supplier.name, count: r.changed })];

	if (r.unchanged.length)
		lines.push(st(on ? 'svc.unchanged_on' : 'svc.unchanged_off',
		    { count: r.unchanged.length,
		    list: r.unchanged.slice(0, 5).join(', ') +
		    (r.unchanged.length > 5 ? ', …' : '') }));
	return lines;
}

/*
 * moveDialog(l, post) asks for the agent who takes licence l over and
 * calls post(user), which moves it on the server and resolves its answer.
 * Resolves that answer, or null when cancelled.
 */
export function moveDialog(l, post)
{
	return new Promise((resolve) => {
		let answer = null;
		const user = field({ name: 'user', label: st('svc.move_user'),
		    required: true, value: l.user || '',
		    attrs: { maxlength: '200', autocomplete: 'off' } });
		const cancel = button('secondary', t('common.cancel'));
		const form = h('form', { class: 'form' },
		    h('p', { class: 'dialog-text', text: l.mdm_id ?
		    st('svc.move_text', { number: l.number, mdm: l.mdm_id }) :
		    st('svc.move_text_free', { number: l.number }) }),
		    user.wrap, h('div', { class: 'form-actions' },
		    h('button', { type: 'submit', class: 'btn btn-primary',
		    text: st('svc.move_submit') }), cancel));
		const d = openDialog({ title: st('svc.move_title'),
		    class: 'lic-dialog', content: form,
		    onClose: () => resolve(answer) });

		cancel.addEventListener('click', () => d.close());
		bindForm(form, [user], async (v) => {
			try {
				answer = await post(v.user);
			} catch (e) {
				formAlert(form, 'error', stError(e));
				return;
			}
			d.close();
		});
		user.input.select();
	});
}
