/*
 * sections.js - the cabinet's left menu, in the guide's order.
 *
 * One entry per section of the service.  Only entries with ready: true
 * are shown and routed; a section whose issue has not landed stays false,
 * so nothing in the menu pretends to work.  To switch a section on: write
 * its page module under pages/, import it here, set page and ready.
 * An entry may have children (a submenu); `when(company)` limits an
 * entry to some companies (suppliers, distributors).
 */

import * as admin from './pages/admin.js';
import * as company from './pages/company.js';
import * as control from './pages/control.js';
import * as devices from './pages/devices.js';
import * as home from './pages/home.js';
import * as join from './pages/join.js';
import * as network from './pages/network.js';
import * as journal from './pages/network_journal.js';
import * as services from './pages/services.js';
import * as suppliers from './pages/suppliers.js';

export const sections = [
	{ id: 'home', path: '/', label: 'nav.home', icon: 'home',
	    ready: true, page: home },
	{ id: 'devices', path: '/devices', label: 'nav.devices',
	    icon: 'devices', ready: true, page: devices },
	{ id: 'control', path: '/control', label: 'nav.control',
	    icon: 'control', ready: true, page: control,
	    when: (c) => c.is_supplier || c.is_distributor },
	{ id: 'admin', path: '/admin', label: 'nav.admin', icon: 'users',
	    ready: true, page: admin },
	{ id: 'company', path: '/company', label: 'nav.company',
	    icon: 'company', ready: true, page: company },
	{ id: 'exchange', label: 'nav.exchange', icon: 'exchange',
	    ready: true, children: [
		{ id: 'suppliers', path: '/exchange/suppliers',
		    label: 'nav.suppliers', ready: true, page: suppliers,
		    when: (c) => c.is_distributor },
		{ id: 'distributors', path: '/exchange/distributors',
		    label: 'nav.distributors', ready: true, page: network,
		    when: (c) => c.is_supplier },
		{ id: 'journal', path: '/exchange/journal',
		    label: 'nav.journal', ready: true, page: journal,
		    when: (c) => c.is_supplier || c.is_distributor },
		/* The page a supplier's invitation link opens; listed only
		 * while it is the page shown. */
		{ id: 'join', path: '/suppliers/join', label: 'nav.join',
		    ready: true, page: join,
		    when: () => location.pathname === '/suppliers/join' },
	    ] },
	{ id: 'services', path: '/services', label: 'nav.services',
	    icon: 'services', ready: true, page: services },
];

function visible(entry, company)
{
	return entry.ready && (!entry.when || !company ||
	    entry.when(company));
}

/* The entries to show for company, children filtered the same way; a
 * group with no visible child is dropped. */
export function visibleSections(company)
{
	const out = [];

	for (const s of sections) {
		if (!visible(s, company))
			continue;
		if (!s.children) {
			out.push(s);
			continue;
		}

		const kids = s.children.filter((c) => visible(c, company));

		if (kids.length)
			out.push(Object.assign({}, s, { children: kids }));
	}
	return out;
}

/* The visible entry whose path is path, with its parent group, or null. */
export function findSection(path, company)
{
	for (const s of visibleSections(company)) {
		if (s.path === path)
			return { entry: s, group: null };
		for (const c of s.children || []) {
			if (c.path === path)
				return { entry: c, group: s };
		}
	}
	return null;
}
