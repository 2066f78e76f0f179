/*
 * app.js - starts the cabinet and routes on location.pathname.
 *
 * The server answers every extension-less path with index.html, so this
 * module decides what to show: the pages seen before login in a bare
 * frame, every other page inside the shell once /auth/me says who is
 * logged in.  A visitor without a session who opens a cabinet address is
 * sent to /login?next=<that address> and comes back after logging in.
 * Renders are coalesced: any number of requests in one turn draw once.
 */

import { api, onUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { getLang, onLangChange, setLang, t } from './i18n.js';
import { currentPath, navigate, nextParam, setFlash,
    setRenderer } from './nav.js';
import * as forgot from './pages/forgot.js';
import * as login from './pages/login.js';
import * as notfound from './pages/notfound.js';
import * as register from './pages/register.js';
import * as reset from './pages/reset.js';
import { findSection } from './sections.js';
import { clearSession, currentCompany, loggedIn, setSession,
    setUser } from './session.js';
import { createShell } from './shell.js';
import { button, errorText, notice } from './ui.js';

/* Pages seen without a session; guest: a logged-in user is sent on. */
const PUBLIC = {
	'/login': { page: login, guest: true },
	'/register': { page: register, guest: true },
	'/password/forgot': { page: forgot, guest: false },
	'/password/reset': { page: reset, guest: false },
	'/password/set': { page: reset, guest: false },
};

const root = document.getElementById('app');
let shell = null;
let scheduled = false;

function setTitle(text)
{
	document.title = text + ' — tobmen';
}

function dropShell()
{
	if (shell) {
		shell.destroy();
		shell = null;
	}
}

/* A fresh container per render, so a slow page that finishes after the
 * user moved on writes into a detached node, never over the next page. */
function pageContext(host)
{
	const main = h('div', { class: 'page' });

	replace(host, main);
	return { main, query: new URLSearchParams(location.search), setTitle };
}

function runPage(page, ctx)
{
	Promise.resolve().then(() => page.render(ctx)).catch((e) => {
		console.error(e);
		replace(ctx.main, notice('error', errorText(e)));
	});
}

function renderPublic(route)
{
	if (loggedIn() && route.guest) {
		navigate(nextParam() || '/', { replace: true });
		return;
	}
	dropShell();
	root.className = 'app-bare';
	runPage(route.page, pageContext(root));
}

function renderCabinet(path)
{
	const found = findSection(path, currentCompany());

	if (!shell) {
		root.className = 'app-shell';
		shell = createShell(root, { logout, lang: chooseLang });
	}
	shell.setActive(found ? found.entry.path : '');
	runPage(found ? found.entry.page : notfound, pageContext(shell.main));
	window.scrollTo(0, 0);
}

function render()
{
	const path = location.pathname.replace(/\/+$/, '') || '/';
	const route = PUBLIC[path];

	root.removeAttribute('aria-busy');
	if (route) {
		renderPublic(route);
	} else if (!loggedIn()) {
		dropShell();
		navigate(path === '/' && !location.search ? '/login' :
		    '/login?next=' + encodeURIComponent(currentPath()),
		    { replace: true });
	} else {
		renderCabinet(path);
	}
}

function scheduleRender()
{
	if (scheduled)
		return;
	scheduled = true;
	queueMicrotask(() => {
		scheduled = false;
		render();
	});
}

async function logout()
{
	try {
		await api.post('/auth/logout', {});
	} catch (e) {
		if (e.status !== 401) {
			replace(shell.main, notice('error', errorText(e)));
			return;
		}
	}
	clearSession();
	dropShell();
	setFlash('info', 'login.logged_out');
	navigate('/login', { replace: true });
}

/* The language switch in the user's menu: applies at once, then stores
 * it in the profile; a failed store keeps the local choice. */
async function chooseLang(lang)
{
	setLang(lang);
	try {
		setUser(await api.patch('/me', { lang }));
	} catch (e) {
		console.warn('language not saved in profile:', e.message);
	}
}

function sessionEnded()
{
	if (!loggedIn())
		return;
	clearSession();
	dropShell();
	setFlash('info', 'login.expired');
	navigate('/login?next=' + encodeURIComponent(currentPath()),
	    { replace: true });
}

function bootFailed(e)
{
	const retry = button('primary', t('common.retry'));

	retry.addEventListener('click', () => location.reload());
	root.removeAttribute('aria-busy');
	root.className = 'app-bare';
	replace(root, h('main', { class: 'boot-error' },
	    notice('error', errorText(e)), retry));
}

async function boot()
{
	onUnauthorized(sessionEnded);
	setRenderer(scheduleRender);
	onLangChange(() => {
		dropShell();
		scheduleRender();
	});
	window.addEventListener('popstate', scheduleRender);

	try {
		const me = await api.get('/auth/me', { public: true });

		setSession(me);
		if (me.user && me.user.lang && me.user.lang !== getLang())
			setLang(me.user.lang);
	} catch (e) {
		if (e.status !== 401) {
			bootFailed(e);
			return;
		}
	}
	scheduleRender();
}

boot();
