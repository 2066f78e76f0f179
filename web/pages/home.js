/*
 * pages/home.js - «Главная»: who you are, which company, and what the
 * cabinet lets you do now.  It shows no figures until there is real data
 * behind them.
 */

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { link } from '../nav.js';
import { findSection } from '../sections.js';
import { canManage, currentCompany, currentUser } from '../session.js';
import { icon } from '../ui.js';

function kindBadges(c)
{
	const kinds = [];

	if (c.is_supplier)
		kinds.push(t('kind.supplier'));
	if (c.is_distributor)
		kinds.push(t('kind.distributor'));
	if (!kinds.length)
		return h('span', { class: 'muted',
		    text: t('home.kinds_none') });
	return kinds.map((k) => h('span', { class: 'badge badge-blue',
	    text: k }));
}

/* One "next step" with a link when its section is switched on. */
function step(c, path, iconName, textKey, linkKey)
{
	if (path && !findSection(path, c))
		return null;
	return h('li', { class: 'step' }, icon(iconName, 'step-icon'),
	    h('div', {}, h('p', { text: t(textKey) }),
	    path ? link(path, { class: 'step-link' }, t(linkKey)) : null));
}

export function render(ctx)
{
	const u = currentUser();
	const c = currentCompany();
	const manage = canManage();

	ctx.setTitle(t('home.title'));
	replace(ctx.main,
	    h('section', { class: 'card welcome' },
	    h('h1', { class: 'page-title', text: t('home.welcome',
	    { name: u.name || u.email }) }),
	    h('p', { class: 'lead', text: t('home.company_line',
	    { company: c.name, role: t('home.role_as.' + u.role) }) }),
	    h('p', { class: 'kinds' }, h('span', { text: t('home.kinds') }),
	    ' ', kindBadges(c))),
	    h('section', { class: 'card' },
	    h('h2', { class: 'card-title', text: t('home.next') }),
	    h('ul', { class: 'steps' },
	    step(c, '/company', 'company', manage ? 'home.todo_company' :
	    'home.todo_company_view', 'home.go_company'),
	    step(c, '/admin', 'users', manage ? 'home.todo_admin' :
	    'home.todo_admin_view', 'home.go_admin'),
	    step(c, null, 'user', 'home.todo_profile'),
	    step(c, null, 'chat', 'home.todo_feedback')),
	    h('p', { class: 'muted small', text: t('home.more_sections') })));
}
