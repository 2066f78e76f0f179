/*
 * shell.js - the frame around every page after login: the dark left menu
 * (from sections.js), the top bar with the company's name, «Обратная
 * связь» and the user's menu (language, password, «Выйти»).  On a narrow
 * screen the left menu folds behind a burger button.
 */

import { h } from './dom.js';
import { feedbackDialog, passwordDialog } from './dialogs.js';
import { getLang, LANGS, t } from './i18n.js';
import { link } from './nav.js';
import { visibleSections } from './sections.js';
import { currentCompany, currentUser, onSessionChange } from './session.js';
import { icon } from './ui.js';

function navItem(s, close)
{
	const a = link(s.path, { class: 'nav-link', dataset: { path: s.path } },
	    s.icon ? icon(s.icon, 'nav-icon') : h('span',
	    { class: 'nav-icon' }), h('span', { text: t(s.label) }));

	a.addEventListener('click', close);
	return h('li', {}, a);
}

function navList(close)
{
	return h('ul', { class: 'nav-list' }, visibleSections(
	    currentCompany()).map((s) => (s.children ?
	    h('li', { class: 'nav-group' },
	    h('span', { class: 'nav-group-label' }, icon(s.icon, 'nav-icon'),
	    h('span', { text: t(s.label) })),
	    h('ul', { class: 'nav-sub' }, s.children.map((c) =>
	    navItem(c, close)))) : navItem(s, close))));
}

/*
 * Builds the shell into root.  handlers: { logout(), lang(code) }.
 * Returns { main, setActive(path), destroy() }; main is the element
 * pages render into.
 */
export function createShell(root, handlers)
{
	const u = currentUser();
	const companyName = h('span', { class: 'topbar-company-name',
	    text: currentCompany().name });
	const userName = h('span', { class: 'user-btn-name',
	    text: u.name || u.email });
	const sidebar = h('aside', { class: 'sidebar', id: 'sidebar' });
	const burger = h('button', { type: 'button', class: 'icon-btn burger',
	    'aria-controls': 'sidebar', 'aria-expanded': 'false',
	    'aria-label': t('shell.open_menu') }, icon('menu'));
	const main = h('main', { class: 'content', id: 'main',
	    tabindex: '-1' });

	function setNav(open)
	{
		document.body.classList.toggle('nav-open', open);
		burger.setAttribute('aria-expanded', open ? 'true' : 'false');
		burger.setAttribute('aria-label',
		    t(open ? 'shell.close_menu' : 'shell.open_menu'));
	}

	const closeNav = () => setNav(false);

	sidebar.append(h('div', { class: 'sidebar-brand' },
	    h('img', { src: '/favicon.svg', alt: '', width: '28',
	    height: '28' }),
	    h('span', { class: 'sidebar-product', text: t('app.name') }),
	    h('span', { class: 'sidebar-cabinet', text: t('app.cabinet') })),
	    h('nav', { class: 'nav', 'aria-label': t('shell.main_nav') },
	    navList(closeNav)));
	burger.addEventListener('click', () =>
	    setNav(!document.body.classList.contains('nav-open')));

	const pop = h('div', { class: 'user-pop', id: 'user-pop',
	    hidden: true },
	    h('div', { class: 'user-card' },
	    h('strong', { class: 'user-card-name', text: u.name || u.email }),
	    h('span', { class: 'user-card-email', text: u.email }),
	    h('span', { class: 'badge', text: t('role.' + u.role) })),
	    h('div', { class: 'pop-section' },
	    h('span', { class: 'pop-label' }, icon('globe'),
	    h('span', { text: t('lang.label') })),
	    h('div', { class: 'lang-switch', role: 'group',
	    'aria-label': t('lang.label') }, LANGS.map((l) =>
	    h('button', { type: 'button', class: 'lang-btn', lang: l,
	    'aria-pressed': l === getLang() ? 'true' : 'false',
	    text: t('lang.' + l), on: { click: () => handlers.lang(l) } })))),
	    h('button', { type: 'button', class: 'pop-item',
	    on: { click: () => { closePop(); passwordDialog(); } } },
	    icon('key'), h('span', { text: t('shell.change_password') })),
	    h('button', { type: 'button', class: 'pop-item pop-logout',
	    on: { click: () => { closePop(); handlers.logout(); } } },
	    icon('logout'), h('span', { text: t('shell.logout') })));
	const userBtn = h('button', { type: 'button', class: 'user-btn',
	    'aria-expanded': 'false', 'aria-controls': 'user-pop',
	    'aria-label': t('shell.user_menu') },
	    icon('user'), userName, icon('chevron', 'user-btn-chevron'));
	const userMenu = h('div', { class: 'user-menu' }, userBtn, pop);

	function closePop()
	{
		pop.hidden = true;
		userBtn.setAttribute('aria-expanded', 'false');
	}

	userBtn.addEventListener('click', () => {
		pop.hidden = !pop.hidden;
		userBtn.setAttribute('aria-expanded',
		    pop.hidden ? 'false' : 'true');
	});

	const onDocClick = (ev) => {
		if (!userMenu.contains(ev.target))
			closePop();
	};
	const onKey = (ev) => {
		if (ev.key !== 'Escape')
			return;
		if (!pop.hidden) {
			closePop();
			userBtn.focus();
		}
		closeNav();
	};

	document.addEventListener('click', onDocClick);
	document.addEventListener('keydown', onKey);

	const unsub = onSessionChange(() => {
		const cu = currentUser();

		if (cu)
			userName.textContent = cu.name || cu.email;
		if (currentCompany())
			companyName.textContent = currentCompany().name;
	});

	root.replaceChildren(h('div', { class: 'shell' },
	    h('a', { class: 'skip-link', href: '#main',
	    text: t('app.skip') }),
	    sidebar,
	    h('div', { class: 'sidebar-backdrop', on: { click: closeNav } }),
	    h('div', { class: 'shell-body' },
	    h('header', { class: 'topbar' }, burger,
	    h('div', { class: 'topbar-company' }, icon('company'),
	    companyName),
	    h('div', { class: 'topbar-actions' },
	    h('button', { type: 'button', class: 'btn btn-ghost feedback-btn',
	    title: t('shell.feedback'), on: { click: feedbackDialog } },
	    icon('chat'), h('span', { class: 'feedback-label',
	    text: t('shell.feedback') })), userMenu)),
	    main)));

	return {
		main,
		setActive(path) {
			sidebar.querySelectorAll('.nav-link').forEach((a) => {
				const on = a.dataset.path === path;

				a.classList.toggle('is-active', on);
				if (on)
					a.setAttribute('aria-current', 'page');
				else
					a.removeAttribute('aria-current');
			});
			closeNav();
			closePop();
		},
		destroy() {
			document.removeEventListener('click', onDocClick);
			document.removeEventListener('keydown', onKey);
			document.body.classList.remove('nav-open');
			unsub();
		},
	};
}
