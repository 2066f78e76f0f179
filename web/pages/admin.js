/*
 * pages/admin.js - «Администрирование»: the company's users.
 *
 * A table (Имя, E-mail, Роль, Статус, Последний вход) paged by cursor
 * with «Показать ещё».  Owners and admins add users, change roles and
 * disable or enable accounts; members see the table only.  The page
 * hides what the server would refuse (an admin touching an owner, anyone
 * touching themselves); the server checks every rule again.
 */

import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { canManage, currentUser } from '../session.js';
import { bindForm, button, confirmDialog, errorText, field, icon, loading,
    notice, openDialog, pageHead, rules } from '../ui.js';
import * as apikeys from './apikeys.js';

const PAGE_SIZE = 25;
const COLUMNS = ['name', 'email', 'role', 'status', 'last_login'];

/* Roles the current user may hand out. */
function grantableRoles()
{
	const me = currentUser();
	const roles = ['member', 'admin'];

	if (me.role === 'owner' || me.role === 'operator')
		roles.push('owner');
	return roles;
}

/* May the current user change u's role or status? */
function canEdit(u)
{
	const me = currentUser();

	if (!canManage() || u.id === me.id || u.role === 'operator')
		return false;
	return !(u.role === 'owner' && me.role === 'admin');
}

function displayName(u)
{
	return u.name || u.email;
}

export async function render(ctx)
{
	if (ctx.query.get('tab') === 'api-keys')
		return apikeys.render(ctx);

	const me = currentUser();
	const manage = canManage();
	const st = { items: [], next: '' };
	const notices = h('div', { class: 'page-notices' });
	const tbody = h('tbody');
	const count = h('p', { class: 'muted small table-count' });
	const more = button('secondary', t('common.more'), { hidden: true });
	const addBtn = manage ? button('primary', t('admin.add'), {},
	    icon('plus')) : null;

	function say(kind, text)
	{
		replace(notices, notice(kind, text));
	}

	function roleCell(u)
	{
		if (!canEdit(u))
			return h('span', { text: t('role.' + u.role) });

		const sel = h('select', { class: 'select-sm',
		    'aria-label': t('admin.role_for',
		    { name: displayName(u) }) },
		    grantableRoles().concat(grantableRoles().includes(u.role) ?
		    [] : [u.role]).map((r) => h('option', { value: r,
		    text: t('role.' + r), selected: r === u.role })));

		sel.addEventListener('change', () => update(u,
		    { role: sel.value }, 'admin.role_changed', sel));
		return sel;
	}

	function actionCell(u)
	{
		if (!canEdit(u))
			return null;
		if (u.disabled) {
			return button('secondary', t('admin.enable'),
			    { class: 'btn btn-secondary btn-sm', on: { click:
			    () => update(u, { disabled: false },
			    'admin.enabled_done') } });
		}
		return button('danger', t('admin.disable'),
		    { class: 'btn btn-danger-outline btn-sm', on: { click:
		    async () => {
			const yes = await confirmDialog({
				title: t('admin.confirm_title'),
				text: t('admin.confirm_disable',
				    { name: displayName(u) }),
				ok: t('admin.disable'), danger: true });

			if (yes)
				update(u, { disabled: true },
				    'admin.disabled_done');
		    } } });
	}

	function userRow(u)
	{
		const cells = {
			name: h('span', {}, h('span', { class: 'cell-strong',
			    text: u.name || t('common.none') }),
			    u.id === me.id ? h('span', { class: 'badge',
			    text: t('admin.you') }) : null),
			email: h('span', { class: 'cell-break',
			    text: u.email }),
			role: roleCell(u),
			status: h('span', { class: ['badge', u.disabled ?
			    'badge-grey' : 'badge-green'],
			    text: t(u.disabled ? 'admin.status.disabled' :
			    'admin.status.active') }),
			last_login: u.last_login_at ?
			    formatDateTime(u.last_login_at) : t('common.none'),
		};
		const tds = COLUMNS.map((c) => h('td', { dataset:
		    { label: t('admin.col.' + c) } }, cells[c]));

		if (manage) {
			tds.push(h('td', { class: 'cell-actions', dataset:
			    { label: t('admin.col.actions') } },
			    actionCell(u)));
		}
		return h('tr', { class: u.disabled ? 'row-muted' : null,
		    dataset: { userId: u.id } }, tds);
	}

	function draw()
	{
		if (!st.items.length) {
			replace(tbody, h('tr', {}, h('td', {
			    class: 'cell-empty',
			    colspan: String(COLUMNS.length + (manage ? 1 : 0)),
			    text: t('admin.empty') })));
		} else {
			replace(tbody, st.items.map(userRow));
		}
		count.textContent = t('admin.shown',
		    { count: st.items.length });
		more.hidden = !st.next;
	}

	async function update(u, patch, doneKey, control)
	{
		try {
			const nu = await api.patch('/users/' +
			    encodeURIComponent(u.id), patch);
			const i = st.items.findIndex((x) => x.id === u.id);

			if (i >= 0)
				st.items[i] = nu;
			draw();
			say('success', t(doneKey, { name: displayName(nu) }));
		} catch (e) {
			if (control)
				control.value = u.role;
			say('error', errorText(e));
		}
	}

	async function loadMore()
	{
		more.disabled = true;
		try {
			const page = await api.get('/users' + query({
			    after: st.next, limit: PAGE_SIZE }));
			const seen = new Set(st.items.map((x) => x.id));

			st.items.push(...page.items.filter((x) =>
			    !seen.has(x.id)));
			st.next = page.next_after || '';
			draw();
		} catch (e) {
			say('error', errorText(e));
		} finally {
			more.disabled = false;
		}
	}

	function addDialog()
	{
		const email = field({ name: 'email',
		    label: t('admin.col.email'),
		    type: 'email', required: true, rules: [rules.email],
		    attrs: { autocomplete: 'off', inputmode: 'email',
		    maxlength: '254' } });
		const name = field({ name: 'name', label: t('admin.col.name'),
		    required: true, attrs: { autocomplete: 'off',
		    maxlength: '200' } });
		const role = field({ name: 'role', label: t('admin.col.role'),
		    type: 'select', value: 'member',
		    options: grantableRoles().map((r) =>
		    ({ value: r, label: t('role.' + r) })) });
		const cancel = button('secondary', t('common.cancel'));
		const form = h('form', { class: 'form' },
		    h('p', { class: 'muted', text: t('admin.add_note') }),
		    email.wrap, name.wrap, role.wrap,
		    h('div', { class: 'form-actions' },
		    h('button', { type: 'submit', class: 'btn btn-primary',
		    text: t('admin.add_submit') }), cancel));
		const d = openDialog({ title: t('admin.add_title'),
		    content: form });

		cancel.addEventListener('click', () => d.close());
		bindForm(form, [email, name, role], async (v) => {
			const u = await api.post('/users', v);

			st.items.unshift(u);
			draw();
			d.close();
			say('success', t('admin.added', { email: u.email }));
		});
		email.input.focus();
	}

	const headCells = COLUMNS.map((c) => h('th', { scope: 'col',
	    text: t('admin.col.' + c) }));

	if (manage) {
		headCells.push(h('th', { scope: 'col', class: 'cell-actions',
		    text: t('admin.col.actions') }));
	}

	ctx.setTitle(t('admin.title'));
	replace(ctx.main, pageHead(t('admin.title'), addBtn),
	    apikeys.adminTabs('users'), notices,
	    h('section', { class: 'card card-flush' },
	    h('h2', { class: 'card-title card-pad', text: t('admin.users') }),
	    manage ? null : h('div', { class: 'card-pad' },
	    notice('info', t('admin.member_note'))),
	    h('div', { class: 'table-wrap' },
	    h('table', { class: 'table table-cards' },
	    h('thead', {}, h('tr', {}, headCells)), tbody)),
	    h('div', { class: 'table-foot' }, count, more)));
	replace(tbody, h('tr', {}, h('td', { colspan: String(COLUMNS.length +
	    (manage ? 1 : 0)) }, loading())));
	if (addBtn)
		addBtn.addEventListener('click', addDialog);
	more.addEventListener('click', loadMore);
	await loadMore();
}
