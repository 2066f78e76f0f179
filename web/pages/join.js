/*
 * pages/join.js - /suppliers/join?invite=TOKEN: answering a supplier's
 * invitation.
 *
 * The app sends a visitor without a session to the login page (with
 * «Регистрация») and back here afterwards.  This page shows who invites
 * the company and under which code, with «Принять» and «Отклонить» for
 * owners and admins.  An unusable link gets one plain explanation.  Once
 * answered, the token is dropped from the address bar and history.  The
 * server sends this page with Referrer-Policy: no-referrer, so the token
 * never leaves in a Referer header.
 */

import { ApiError, api } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDate } from '../format.js';
import { link } from '../nav.js';
import { canManage, currentCompany } from '../session.js';
import { button, confirmDialog, errorText, loading, notice,
    pageHead } from '../ui.js';
import { localize, nt } from './network_i18n.js';

/* The text for a failed call, with the network's own words first. */
function failText(e)
{
	if (e instanceof ApiError && e.code === 'self_invite')
		return nt('join.self_invite');
	return errorText(localize(e));
}

/* The page for a link that cannot be used. */
function invalid()
{
	return h('section', { class: 'card empty-state join-invalid' },
	    h('h2', { class: 'page-title', text: nt('join.invalid_title') }),
	    h('p', { class: 'muted', text: nt('join.invalid') }),
	    link('/', { class: 'btn btn-secondary' },
	    h('span', { text: nt('join.home') })));
}

/* Forgets the token in the address bar once it is spent. */
function dropToken()
{
	history.replaceState(null, '', '/suppliers/join');
}

export async function render(ctx)
{
	const token = ctx.query.get('invite') || '';
	const body = h('div', { class: 'join-body' });
	const notices = h('div', { class: 'page-notices' });
	const base = '/invitations/' + encodeURIComponent(token);

	ctx.setTitle(nt('join.title'));
	replace(ctx.main, pageHead(nt('join.title')), notices, body);
	if (!token) {
		replace(body, notice('error', nt('join.no_token')));
		return;
	}
	replace(body, loading());

	let inv;

	try {
		inv = await api.get(base);
	} catch (e) {
		if (e instanceof ApiError && e.status === 404)
			replace(body, invalid());
		else
			replace(body, notice('error', failText(e)));
		return;
	}

	const accept = button('primary', nt('join.accept'));
	const decline = button('secondary', nt('join.decline'));
	const manage = canManage();

	function busy(on)
	{
		accept.disabled = on || !manage;
		decline.disabled = on || !manage;
	}

	function done(...nodes)
	{
		dropToken();
		replace(notices);
		replace(body, nodes);
	}

	async function answer(ok)
	{
		busy(true);
		try {
			if (ok) {
				const c = await api.post(base + '/accept', {});

				done(notice('success', nt('join.accepted', {
				    supplier: c.supplier.name,
				    code: c.code })),
				    h('p', { text: nt('join.next') }),
				    /* A full load: the menu gains «Поставщики»
				     * when the company just became a
				     * distributor. */
				    h('a', { class: 'btn btn-primary',
				    href: '/exchange/suppliers' },
				    h('span', { text: nt('join.to_card') })));
			} else {
				await api.post(base + '/decline', {});
				done(notice('info', nt('join.declined',
				    { supplier: inv.supplier.name })),
				    link('/', { class: 'btn btn-secondary' },
				    h('span', { text: nt('join.home') })));
			}
		} catch (e) {
			if (e instanceof ApiError && e.status === 404) {
				done(invalid());
				return;
			}
			replace(notices, notice('error', failText(e)));
			busy(false);
		}
	}

	accept.addEventListener('click', () => answer(true));
	decline.addEventListener('click', async () => {
		if (await confirmDialog({ title: nt('join.decline_title'),
		    text: nt('join.decline_text'), ok: nt('join.decline'),
		    danger: true }))
			answer(false);
	});
	busy(false);

	replace(body, h('section', { class: 'card join-card' },
	    h('p', { class: 'lead', text: nt('join.lead',
	    { supplier: inv.supplier.name }) }),
	    h('dl', { class: 'details' },
	    h('dt', { text: nt('join.code') }),
	    h('dd', {}, h('strong', { class: 'join-code', text: inv.code })),
	    h('dt', { text: nt('join.as') }), h('dd', { text: inv.email }),
	    h('dt', { text: nt('join.company') }),
	    h('dd', { text: currentCompany().name }),
	    h('dt', { text: nt('join.expires') }),
	    h('dd', { text: formatDate(inv.expires_at) })),
	    h('p', { class: 'muted small', text: nt('join.code_note') }),
	    manage ? null : notice('info', nt('join.member')),
	    h('div', { class: 'form-actions' }, accept, decline)));
	if (manage)
		accept.focus();
}
