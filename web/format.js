/*
 * format.js - dates, times and numbers as Russian users write them.
 *
 * Dates are dd.mm.yyyy and times HH:MM (24 h) in the browser's time zone,
 * in both languages, as the design fixes.  Numbers use the ru-RU grouping
 * (a no-break space between thousands) and a decimal comma.  Money comes
 * as integer kopecks and quantities as integer thousandths: they are
 * split with integer arithmetic, never through a float.
 */

const groupFmt = new Intl.NumberFormat('ru-RU', {
	maximumFractionDigits: 0,
	useGrouping: true,
});

function pad2(n)
{
	return n < 10 ? '0' + n : String(n);
}

/* Parses an RFC 3339 string (or takes a Date); null when empty or bad. */
function toDate(v)
{
	if (v === null || v === undefined || v === '')
		return null;

	const d = v instanceof Date ? v : new Date(v);

	return Number.isNaN(d.getTime()) ? null : d;
}

/* "05.03.2024"; "" for an empty or unreadable value. */
export function formatDate(v)
{
	const d = toDate(v);

	if (!d)
		return '';
	return pad2(d.getDate()) + '.' + pad2(d.getMonth() + 1) + '.' +
	    d.getFullYear();
}

/* "14:07". */
export function formatTime(v)
{
	const d = toDate(v);

	if (!d)
		return '';
	return pad2(d.getHours()) + ':' + pad2(d.getMinutes());
}

/* "05.03.2024 14:07". */
export function formatDateTime(v)
{
	const d = toDate(v);

	if (!d)
		return '';
	return formatDate(d) + ' ' + formatTime(d);
}

/* A number with ru-RU separators: 1234567.5 -> "1 234 567,5" (no-break
 * spaces).  digits fixes the count of decimals when given. */
export function formatNumber(n, digits)
{
	if (n === null || n === undefined || Number.isNaN(Number(n)))
		return '';

	const opts = digits === undefined ? { maximumFractionDigits: 3 } :
	    { minimumFractionDigits: digits, maximumFractionDigits: digits };

	return new Intl.NumberFormat('ru-RU', opts).format(Number(n));
}

/* Splits a non-negative integer into whole and fraction parts of scale
 * 10^places, using BigInt so no precision is lost on big values. */
function fixedParts(value, places)
{
	let v = BigInt(value);
	const neg = v < 0n;

	if (neg)
		v = -v;

	const scale = 10n ** BigInt(places);
	const whole = v / scale;
	const frac = (v % scale).toString().padStart(places, '0');

	return { neg, whole, frac };
}

function groupWhole(whole)
{
	/* Intl accepts BigInt and groups it exactly. */
	return groupFmt.format(whole);
}

/* Integer kopecks -> "1 234,50". */
export function formatMoney(kopecks)
{
	if (kopecks === null || kopecks === undefined || kopecks === '')
		return '';

	const p = fixedParts(kopecks, 2);

	return (p.neg ? '-' : '') + groupWhole(p.whole) + ',' + p.frac;
}

/* Integer thousandths -> "12,5"; trailing zero decimals dropped. */
export function formatQuantity(thousandths)
{
	if (thousandths === null || thousandths === undefined ||
	    thousandths === '')
		return '';

	const p = fixedParts(thousandths, 3);
	const frac = p.frac.replace(/0+$/, '');

	return (p.neg ? '-' : '') + groupWhole(p.whole) +
	    (frac ? ',' + frac : '');
}
