/*
 * pages/apikeys.js - «Администрирование» → «API-ключи»: the keys of the
 * company's own systems.
 *
 * A table (Название with the status, Ключ, Права, Создан, Последнее
 * использование) of every key, its secret never shown again after creation.
 * Owners and admins create a key (a name and the rights the company's
 * kind allows: a supplier's system reads the feed and publishes
 * packages, a distributor's sends documents) and see the secret once,
 * with a copy button; they revoke keys after a confirmation.  Members
 * only look.  adminTabs() is the tab bar both admin pages show.
 */

import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { navigate } from '../nav.js';
import { canManage, currentCompany } from '../session.js';
import { bindForm, button, checkbox, confirmDialog, field, formAlert, icon,
    loading, notice, openDialog, pageHead } from '../ui.js';
import { cerror, ct } from './control_i18n.js';

const COLUMNS = ['name', 'key', 'scopes', 'created', 'used'];

/* The tab bar of «Администрирование»: users and API keys. */
export function adminTabs(active)
{
	return h('div', { class: 'tabs', role: 'tablist' },
	    [['users', '/admin'], ['keys', '/admin?tab=api-keys']].map(
	    ([id, path]) => h('button', { type: 'button', role: 'tab',
	    class: 'tab', 'aria-selected': id === active ? 'true' : 'false',
	    text: ct('keys.tab.' + id),
	    on: { click: () => navigate(path) } })));
}

/* The rights a company of this kind may grant. */
function grantable()
{
	const c = currentCompany() || {};
	const out = [];

	if (c.is_supplier)
		out.push('read', 'publish');
	if (c.is_distributor)
		out.push('send');
	return out;
}

function cell(col, ...content)
{
	return h('td', { dataset: { label: ct('keys.col.' + col) } }, content);
}

export async function render(ctx)
{
	const manage = canManage();
	const st = { items: [], next: '' };
	const notices = h('div', { class: 'page-notices' });
	const tbody = h('tbody');
	const more = button('secondary', t('common.more'), { hidden: true });
	const addBtn = manage && grantable().length ? button('primary',
	    ct('keys.add'), {}, icon('plus')) : null;
	const ncols = COLUMNS.length + (manage ? 1 : 0);

	function say(kind, text)
	{
		replace(notices, notice(kind, text));
	}

	function revokeCell(k)
	{
		if (!manage || k.status !== 'active')
			return null;
		return button('danger', ct('keys.revoke'), {
		    class: 'btn btn-danger-outline btn-sm', on: { click:
		    async () => {
			const yes = await confirmDialog({
			    title: ct('keys.revoke_title'),
			    text: ct('keys.revoke_text', { name: k.name }),
			    ok: ct('keys.revoke'), danger: true });

			if (!yes)
				return;
			try {
				const nk = await api.post('/api-keys/' +
				    encodeURIComponent(k.id) + '/revoke', {});

				Object.assign(k, nk);
				draw();
				say('success', ct('keys.revoked',
				    { name: k.name }));
			} catch (e) {
				say('error', cerror(e));
			}
		    } } });
	}

	function row(k)
	{
		const tds = [
		    cell('name', h('span', { class: 'cell-strong',
		    text: k.name }), h('br'), h('span', { class: ['badge',
		    k.status === 'active' ? 'badge-green' : 'badge-grey'],
		    text: ct('keys.status.' + k.status) })),
		    cell('key', h('span', { class: 'mono',
		    text: k.prefix + '…' })),
		    cell('scopes', k.scopes.map((s) => h('span',
		    { class: 'badge badge-blue', text:
		    ct('keys.scope.' + s) }))),
		    cell('created', [formatDateTime(k.created_at),
		    k.created_by ? [h('br'), h('span', { class: 'small muted',
		    text: ct('keys.by', { name: k.created_by.name }) })] :
		    null]),
		    cell('used', k.last_used_at ? [formatDateTime(
		    k.last_used_at), h('br'), h('span', { class: 'small muted',
		    text: k.last_used_ip })] : ct('keys.never')),
		];

		if (manage)
			tds.push(h('td', { class: 'cell-actions', dataset:
			    { label: ct('keys.col.actions') } },
			    revokeCell(k)));
		return h('tr', { class: k.status === 'active' ? null :
		    'row-muted', dataset: { keyId: k.id } }, tds);
	}

	function draw()
	{
		replace(tbody, st.items.length ? st.items.map(row) :
		    h('tr', {}, h('td', { class: 'cell-empty',
		    colspan: String(ncols), text: ct('keys.empty') })));
		more.hidden = !st.next;
	}

	async function loadMore()
	{
		more.disabled = true;
		try {
			const page = await api.get('/api-keys' + query({
			    after: st.next, limit: 50 }));

			st.items.push(...page.items);
			st.next = page.next_after || '';
			draw();
		} catch (e) {
			say('error', cerror(e));
		} finally {
			more.disabled = false;
		}
	}

	function showSecret(k)
	{
		const secret = h('input', { type: 'text', readonly: true,
		    class: 'mono key-secret', value: k.key,
		    'aria-label': ct('keys.col.key') });
		const copy = button('secondary', ct('keys.copy'));
		const done = button('primary', ct('keys.done'));
		const d = openDialog({ title: ct('keys.secret_title'),
		    content: [notice('info', ct('keys.secret_note')),
		    h('div', { class: 'key-secret-row' }, secret, copy),
		    h('div', { class: 'form-actions' }, done)] });

		copy.addEventListener('click', async () => {
			secret.select();
			try {
				await navigator.clipboard.writeText(k.key);
			} catch (e) {
				document.execCommand('copy');
			}
			copy.querySelector('span').textContent =
			    ct('keys.copied');
		});
		done.addEventListener('click', () => d.close());
		secret.focus();
		secret.select();
	}

	function addDialog()
	{
		const name = field({ name: 'name', label: ct('keys.col.name'),
		    required: true, hint: ct('keys.name_hint'),
		    attrs: { maxlength: '100', autocomplete: 'off' } });
		const boxes = grantable().map((s) => checkbox({ name: s,
		    label: ct('keys.scope.' + s), checked: s === 'read' ||
		    s === 'send' }));
		const cancel = button('secondary', t('common.cancel'));
		const form = h('form', { class: 'form' }, name.wrap,
		    h('fieldset', { class: 'key-scopes' },
		    h('legend', { text: ct('keys.scopes') }),
		    boxes.map((b) => b.wrap)),
		    h('div', { class: 'form-actions' },
		    h('button', { type: 'submit', class: 'btn btn-primary',
		    text: ct('keys.create') }), cancel));
		const d = openDialog({ title: ct('keys.add_title'),
		    content: form });

		cancel.addEventListener('click', () => d.close());
		bindForm(form, [name], async (v) => {
			const scopes = boxes.filter((b) => b.value()).map(
			    (b) => b.name);

			if (!scopes.length) {
				formAlert(form, 'error',
				    ct('keys.scopes_none'));
				return;
			}

			const k = await api.post('/api-keys',
			    { name: v.name, scopes });

			d.close();
			st.items.push(Object.assign({}, k, { key: undefined }));
			draw();
			showSecret(k);
		});
		name.input.focus();
	}

	ctx.setTitle(ct('keys.title'));
	replace(ctx.main, pageHead(t('admin.title'), addBtn),
	    adminTabs('keys'), notices,
	    h('section', { class: 'card card-flush' },
	    h('h2', { class: 'card-title card-pad', text: ct('keys.title') }),
	    h('p', { class: 'card-pad muted', text: ct('keys.lead') }),
	    manage ? null : h('div', { class: 'card-pad' },
	    notice('info', ct('keys.member_note'))),
	    h('div', { class: 'table-wrap' },
	    h('table', { class: 'table table-cards keys-table' },
	    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th',
	    { scope: 'col', text: ct('keys.col.' + c) })), manage ?
	    h('th', { scope: 'col', class: 'cell-actions',
	    text: ct('keys.col.actions') }) : null)), tbody)),
	    h('div', { class: 'table-foot' }, h('span'), more)));
	replace(tbody, h('tr', {}, h('td', { colspan: String(ncols) },
	    loading())));
	if (addBtn)
		addBtn.addEventListener('click', addDialog);
	more.addEventListener('click', loadMore);
	await loadMore();
}
