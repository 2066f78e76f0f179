/*
 * dom.js - builds DOM nodes without HTML strings.
 *
 * Everything the cabinet shows is made here with createElement and
 * textContent, so text from the server can never become markup, and no
 * inline style or handler attribute is ever written (the CSP forbids
 * both).  Styling goes through classes only.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/* Properties set as properties, not attributes, so that the live state of
 * a form control follows them. */
const PROPS = new Set(['value', 'checked', 'disabled', 'selected',
	'hidden', 'open']);

/*
 * h(tag, attrs, ...children) makes an element.  attrs keys:
 *   class   a string or an array (falsy entries skipped)
 *   text    textContent
 *   on      { event: handler } added with addEventListener
 *   dataset { key: value }
 *   others  set as attributes; null/undefined/false skip, true is "".
 * children: nodes, strings (text nodes), arrays, falsy (skipped).
 */
export function h(tag, attrs, ...children)
{
	const el = document.createElement(tag);

	applyAttrs(el, attrs || {});
	append(el, children);
	return el;
}

/* Same as h for SVG elements (icons). */
export function svg(tag, attrs, ...children)
{
	const el = document.createElementNS(SVG_NS, tag);

	for (const [k, v] of Object.entries(attrs || {})) {
		if (k === 'class')
			el.setAttribute('class', v);
		else if (v !== null && v !== undefined && v !== false)
			el.setAttribute(k, String(v));
	}
	append(el, children);
	return el;
}

function applyAttrs(el, attrs)
{
	for (const [k, v] of Object.entries(attrs)) {
		if (k === 'class') {
			const list = Array.isArray(v) ? v.filter(Boolean) :
			    [v].filter(Boolean);
			if (list.length)
				el.className = list.join(' ');
		} else if (k === 'text') {
			if (v !== null && v !== undefined)
				el.textContent = String(v);
		} else if (k === 'on') {
			for (const [ev, fn] of Object.entries(v))
				el.addEventListener(ev, fn);
		} else if (k === 'dataset') {
			for (const [dk, dv] of Object.entries(v))
				el.dataset[dk] = dv;
		} else if (k === 'style' || k.startsWith('on')) {
			throw new Error('dom: inline ' + k + ' is not allowed');
		} else if (PROPS.has(k)) {
			el[k] = v;
		} else if (v === true) {
			el.setAttribute(k, '');
		} else if (v !== null && v !== undefined && v !== false) {
			el.setAttribute(k, String(v));
		}
	}
}

/* Appends children (see h) to el and returns el. */
export function append(el, children)
{
	for (const c of children.flat(Infinity)) {
		if (c === null || c === undefined || c === false || c === '')
			continue;
		el.appendChild(c instanceof Node ? c :
		    document.createTextNode(String(c)));
	}
	return el;
}

/* Removes every child of el, then appends children. */
export function replace(el, ...children)
{
	el.replaceChildren();
	return append(el, children);
}

let idSeq = 0;

/* A document-unique id for label/field pairs. */
export function uid(prefix)
{
	idSeq += 1;
	return (prefix || 'f') + '-' + idSeq;
}
