/*
 * pages/control_i18n.js - the words of «Контроль» and of the API keys
 * tab of «Администрирование», in Russian and English.
 *
 * ct(key, vars) works like i18n.js's t(): the current language, Russian
 * as the fallback, {name} placeholders.  cerror(e) gives the text of a
 * failed call, preferring these words for the exchange's error codes.
 */

import { ApiError } from '../api.js';
import { getLang, has, t } from '../i18n.js';

const ru = {
	'ctl.title': 'Контроль',
	'ctl.tab.sent': 'Отправлено поставщикам',
	'ctl.tab.received': 'Получено от дистрибьюторов',
	'ctl.period': 'Период',
	'ctl.days': '{count} дн.',
	'ctl.refresh': 'Обновить',
	'ctl.updated': 'Обновлено в {time}; обновляется само каждые ' +
	    '{seconds} с.',
	'ctl.stale': 'Не удалось обновить: {error}. Повторим через ' +
	    '{seconds} с.',
	'ctl.total_docs': 'Документов за период',
	'ctl.total_rejected': 'Отклонено',
	'ctl.total_licences': 'Лицензий в сервисе',
	'ctl.total_partners': 'Дистрибьюторов',
	'ctl.total_lag': 'Отставание ленты',
	'ctl.col.supplier': 'Поставщик',
	'ctl.col.distributor': 'Дистрибьютор',
	'ctl.col.code': 'Код',
	'ctl.col.licence': 'Лицензия / Пользователь',
	'ctl.col.status': 'Статус',
	'ctl.col.last': 'Последний обмен',
	'ctl.col.last_data': 'Последние данные',
	'ctl.col.docs': 'Документов',
	'ctl.col.rejected': 'Отклонено',
	'ctl.refused_n': 'отклонено {count}',
	'ctl.col.days': 'По дням',
	'ctl.system': 'Учётная система (API)',
	'ctl.on': 'ВКЛ',
	'ctl.off': 'ВНЕ СЕРВИСА',
	'ctl.contact': 'связь {date}',
	'ctl.never': 'ещё не было',
	'ctl.empty_sent': 'Ни одна лицензия не подключена к поставщику, и ' +
	    'документов за период не было.',
	'ctl.empty_received': 'В сети пока нет подключённых дистрибьюторов.',
	'ctl.day_title': '{date}: документов {docs}, отклонено {rejected}',
	'ctl.status.accepted': 'подключён',
	'ctl.status.disconnected': 'отключён',
	'ctl.rejects': 'Отклонённые документы',
	'ctl.rejects_empty': 'Отклонённых документов нет.',
	'ctl.rej.when': 'Когда',
	'ctl.rej.document': 'Документ',
	'ctl.rej.reason': 'Причина',
	'ctl.rej.attempts': 'Попыток',
	'ctl.rej.later': 'Принят позже',
	'ctl.consumers': 'Потребители ленты',
	'ctl.consumers_note': 'Учётные системы, которые забирают ленту ' +
	    'документов и сообщают, до какой позиции дочитали. Последняя ' +
	    'позиция ленты: {head}.',
	'ctl.consumers_empty': 'Ни одна система ещё не сообщала о ' +
	    'прочитанной позиции.',
	'ctl.con.name': 'Потребитель',
	'ctl.con.position': 'Позиция',
	'ctl.con.lag': 'Отставание',
	'ctl.con.updated': 'Обновлена',
	'kind.order': 'заказ',
	'kind.sale': 'продажа',
	'kind.return': 'возврат',
	'kind.payment': 'оплата',
	'kind.visit': 'визит',
	'kind.stock': 'остатки',
	'kind.debt': 'долг',
	'kind.': 'документ',

	'keys.tab.users': 'Пользователи',
	'keys.tab.keys': 'API-ключи',
	'keys.title': 'API-ключи',
	'keys.lead': 'Ключ даёт учётной системе компании (например, ' +
	    '1С: Управление дистрибуцией) доступ к API без пароля ' +
	    'пользователя. Передайте его в заголовке ' +
	    '«Authorization: Bearer …».',
	'keys.add': 'Создать ключ',
	'keys.col.name': 'Название',
	'keys.col.key': 'Ключ',
	'keys.col.scopes': 'Права',
	'keys.col.created': 'Создан',
	'keys.col.used': 'Последнее использование',
	'keys.col.status': 'Статус',
	'keys.col.actions': 'Действия',
	'keys.scope.read': 'чтение ленты и сети',
	'keys.scope.publish': 'публикация пакетов',
	'keys.scope.send': 'отправка документов',
	'keys.status.active': 'действует',
	'keys.status.revoked': 'отозван',
	'keys.never': 'не использовался',
	'keys.by': 'создал {name}',
	'keys.empty': 'Ключей пока нет.',
	'keys.member_note': 'Создавать и отзывать ключи могут владелец и ' +
	    'администраторы компании.',
	'keys.add_title': 'Новый API-ключ',
	'keys.name_hint': 'По названию вы узнаете ключ в списке, например ' +
	    '«1С УД, центральный офис».',
	'keys.scopes': 'Права ключа',
	'keys.scopes_none': 'Отметьте хотя бы одно право.',
	'keys.create': 'Создать',
	'keys.secret_title': 'Ключ создан',
	'keys.secret_note': 'Скопируйте ключ сейчас: он показан один раз, ' +
	    'и восстановить его нельзя. Храните его как пароль.',
	'keys.copy': 'Скопировать',
	'keys.copied': 'Скопировано',
	'keys.done': 'Готово',
	'keys.revoke': 'Отозвать',
	'keys.revoke_title': 'Отозвать ключ?',
	'keys.revoke_text': 'Система, которая пользуется ключом «{name}», ' +
	    'сразу потеряет доступ. Отменить это нельзя.',
	'keys.revoked': 'Ключ «{name}» отозван.',

	'err.licence_out_of_service': 'Лицензия «ВНЕ СЕРВИСА» для ' +
	    'поставщика.',
	'err.link_revoked': 'Подключение к поставщику прекращено.',
	'err.conflict': 'Документ с таким uuid уже получен с другим ' +
	    'содержимым.',
	'err.amount_mismatch': 'Сумма строки не равна количеству × цену.',
	'err.total_mismatch': 'Итог не равен сумме строк.',
	'err.not_integer': 'Деньги и количества должны быть целыми числами.',
	'err.scopes_invalid': 'Отметьте хотя бы одно право.',
	'err.scope_not_allowed': 'Такое право недоступно компании этого ' +
	    'вида.',
	'err.apikey_not_found': 'Ключ не найден или уже отозван.',
	'err.name_invalid': 'Название — от 1 до 100 символов.',
};

const en = {
	'ctl.title': 'Control',
	'ctl.tab.sent': 'Sent to suppliers',
	'ctl.tab.received': 'Received from distributors',
	'ctl.period': 'Period',
	'ctl.days': '{count} days',
	'ctl.refresh': 'Refresh',
	'ctl.updated': 'Updated at {time}; refreshes itself every ' +
	    '{seconds} s.',
	'ctl.stale': 'Could not refresh: {error}. Trying again in ' +
	    '{seconds} s.',
	'ctl.total_docs': 'Documents in the period',
	'ctl.total_rejected': 'Refused',
	'ctl.total_licences': 'Licences in service',
	'ctl.total_partners': 'Distributors',
	'ctl.total_lag': 'Feed lag',
	'ctl.col.supplier': 'Supplier',
	'ctl.col.distributor': 'Distributor',
	'ctl.col.code': 'Code',
	'ctl.col.licence': 'Licence / User',
	'ctl.col.status': 'Status',
	'ctl.col.last': 'Last exchange',
	'ctl.col.last_data': 'Last data',
	'ctl.col.docs': 'Documents',
	'ctl.col.rejected': 'Refused',
	'ctl.refused_n': '{count} refused',
	'ctl.col.days': 'Per day',
	'ctl.system': 'Own system (API)',
	'ctl.on': 'ON',
	'ctl.off': 'OUT OF SERVICE',
	'ctl.contact': 'contact {date}',
	'ctl.never': 'never',
	'ctl.empty_sent': 'No licence is connected to a supplier and no ' +
	    'documents were sent in the period.',
	'ctl.empty_received': 'No distributor has joined the network yet.',
	'ctl.day_title': '{date}: {docs} documents, {rejected} refused',
	'ctl.status.accepted': 'connected',
	'ctl.status.disconnected': 'disconnected',
	'ctl.rejects': 'Refused documents',
	'ctl.rejects_empty': 'No document was refused.',
	'ctl.rej.when': 'When',
	'ctl.rej.document': 'Document',
	'ctl.rej.reason': 'Reason',
	'ctl.rej.attempts': 'Attempts',
	'ctl.rej.later': 'Accepted later',
	'ctl.consumers': 'Feed consumers',
	'ctl.consumers_note': 'Systems that take the document feed and ' +
	    'report how far they have read.  The feed\'s last position: ' +
	    '{head}.',
	'ctl.consumers_empty': 'No system has reported a position yet.',
	'ctl.con.name': 'Consumer',
	'ctl.con.position': 'Position',
	'ctl.con.lag': 'Lag',
	'ctl.con.updated': 'Updated',
	'kind.order': 'order',
	'kind.sale': 'sale',
	'kind.return': 'return',
	'kind.payment': 'payment',
	'kind.visit': 'visit',
	'kind.stock': 'stock',
	'kind.debt': 'debt',
	'kind.': 'document',

	'keys.tab.users': 'Users',
	'keys.tab.keys': 'API keys',
	'keys.title': 'API keys',
	'keys.lead': 'A key gives the company\'s own system (such as its ' +
	    'distribution management system) access to the API without a ' +
	    'user\'s password.  Send it as "Authorization: Bearer …".',
	'keys.add': 'Create a key',
	'keys.col.name': 'Name',
	'keys.col.key': 'Key',
	'keys.col.scopes': 'Rights',
	'keys.col.created': 'Created',
	'keys.col.used': 'Last used',
	'keys.col.status': 'Status',
	'keys.col.actions': 'Actions',
	'keys.scope.read': 'read the feed and network',
	'keys.scope.publish': 'publish packages',
	'keys.scope.send': 'send documents',
	'keys.status.active': 'active',
	'keys.status.revoked': 'revoked',
	'keys.never': 'never used',
	'keys.by': 'by {name}',
	'keys.empty': 'No keys yet.',
	'keys.member_note': 'The company\'s owner and administrators create ' +
	    'and revoke keys.',
	'keys.add_title': 'New API key',
	'keys.name_hint': 'The name tells the key apart in the list, such as ' +
	    '"ERP, head office".',
	'keys.scopes': 'Rights of the key',
	'keys.scopes_none': 'Tick at least one right.',
	'keys.create': 'Create',
	'keys.secret_title': 'Key created',
	'keys.secret_note': 'Copy the key now: it is shown only once and ' +
	    'cannot be recovered.  Keep it like a password.',
	'keys.copy': 'Copy',
	'keys.copied': 'Copied',
	'keys.done': 'Done',
	'keys.revoke': 'Revoke',
	'keys.revoke_title': 'Revoke the key?',
	'keys.revoke_text': 'The system using the key "{name}" loses access ' +
	    'at once.  This cannot be undone.',
	'keys.revoked': 'The key "{name}" was revoked.',

	'err.licence_out_of_service': 'The licence is out of service for ' +
	    'the supplier.',
	'err.link_revoked': 'The link with the supplier has ended.',
	'err.conflict': 'A document with this uuid came before with other ' +
	    'content.',
	'err.amount_mismatch': 'A line\'s amount is not quantity × price.',
	'err.total_mismatch': 'The total is not the sum of the lines.',
	'err.not_integer': 'Money and quantities must be whole numbers.',
	'err.scopes_invalid': 'Tick at least one right.',
	'err.scope_not_allowed': 'This right is not available to this kind ' +
	    'of company.',
	'err.apikey_not_found': 'The key is not found or already revoked.',
	'err.name_invalid': 'A name is 1 to 100 characters.',
};

const dicts = { ru, en };

function chas(key)
{
	return key in ru;
}

export function ct(key, vars)
{
	let s = (dicts[getLang()] || ru)[key];

	if (s === undefined)
		s = ru[key];
	if (s === undefined)
		return key;
	if (!vars)
		return s;
	return s.replace(/\{(\w+)\}/g, (m, name) =>
	    name in vars ? String(vars[name]) : m);
}

/* The text for an error code with its server message as the fallback. */
export function cerrorCode(code, message)
{
	if (chas('err.' + code))
		return ct('err.' + code);
	if (has('err.' + code))
		return t('err.' + code);
	return message || t('err.generic');
}

/* The text of a failed call, with our words where we have them. */
export function cerror(e)
{
	if (e instanceof ApiError && chas('err.' + e.code))
		return ct('err.' + e.code);
	if (e instanceof ApiError && e.message && !has('err.' + e.code))
		return e.message;
	return e instanceof ApiError ? cerrorCode(e.code, e.message) :
	    t('err.generic');
}
