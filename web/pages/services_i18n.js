/*
 * pages/services_i18n.js - the words of «Сервисы и баланс» (tab
 * «Т-Обмен» and the suppliers' view of their distributors' licences) and
 * of «Устройства», in Russian and English.
 *
 * st(key, vars) works like i18n.js's t(): the current language, Russian
 * as the fallback, {name} placeholders.  stError(e) gives the text of a
 * failed call, knowing this module's error codes first.
 */

import { ApiError } from '../api.js';
import { getLang } from '../i18n.js';
import { errorText } from '../ui.js';

const ru = {
	'svc.title': 'Сервисы и баланс',
	'svc.tab.exchange': 'Т-Обмен',
	'svc.tab.partners': 'Лицензии дистрибьюторов',
	'svc.search': 'Поиск...',
	'svc.search_label': 'Поиск по лицензиям',
	'svc.filter_label': 'Статус',
	'svc.filter.all': 'Все статусы',
	'svc.filter.on': 'ВКЛ',
	'svc.filter.off': 'ВНЕ СЕРВИСА',
	'svc.connect': 'Подключить выбранные лицензии к сервису',
	'svc.disconnect': 'Отключить выбранные лицензии от сервиса',
	'svc.move': 'Перенести',
	'svc.col.licence': 'Название/Лицензия',
	'svc.col.code': 'Код активации',
	'svc.col.user': 'Пользователь',
	'svc.col.version': 'Версия конфигурации',
	'svc.col.mdm': 'MDM ID',
	'svc.col.status': 'Статус',
	'svc.col.contact': 'Последняя связь',
	'svc.select_row': 'Выбрать лицензию {number}',
	'svc.select_group': 'Выбрать все лицензии группы «{name}»',
	'svc.status.on': 'ВКЛ',
	'svc.status.off': 'ВНЕ СЕРВИСА',
	'svc.blocked': 'заблокирована',
	'svc.group_self': '{name} (собственные поставки)',
	'svc.group_code': 'код {code}',
	'svc.group_counts': 'в сервисе {on} из {total}',
	'svc.group_none': 'Поставщики не подключены',
	'svc.no_suppliers': 'Ваша компания пока не подключена ни к одному ' +
	    'поставщику. Примите приглашение поставщика (Т-Обмен → ' +
	    'Поставщики), и здесь можно будет подключить лицензии к его ' +
	    'сервису.',
	'svc.empty': 'Лицензий нет.',
	'svc.empty_search': 'Ничего не найдено.',
	'svc.more': 'Показать ещё',
	'svc.more_left': 'Показать ещё (всего {total})',
	'svc.member_note': 'Подключать и отключать лицензии могут владелец ' +
	    'и администраторы компании.',
	'svc.info': 'Информация',
	'svc.selected': 'Выбрано лицензий',
	'svc.in_service': 'В сервисе',
	'svc.out_service': 'Вне сервиса',
	'svc.one_group': 'Выбор действует в пределах одной группы.',

	'svc.confirm_title': 'Подтверждение лицензий',
	'svc.recipient': 'Получатель',
	'svc.confirm': 'Подтвердить',
	'svc.off_title': 'Отключение лицензий',
	'svc.off_text': 'Выбранные лицензии перестанут обмениваться ' +
	    'данными с поставщиком. Данные, которые уже переданы, ' +
	    'сохранятся.',
	'svc.off_confirm': 'Отключить',
	'svc.done_title': 'Т-Обмен',
	'svc.done_on': 'Лицензии успешно подключены к сервису «Т-Обмен» ' +
	    'для получателя {name}: {count}.',
	'svc.done_off': 'Лицензии отключены от сервиса «Т-Обмен» для ' +
	    'получателя {name}: {count}.',
	'svc.unchanged_on': 'Уже были подключены: {count} ({list}).',
	'svc.unchanged_off': 'Уже были отключены: {count} ({list}).',
	'svc.ok': 'ОК',

	'svc.partners_none': 'В вашей сети пока нет подключённых ' +
	    'дистрибьюторов.',
	'svc.manage_on': 'управление разрешено',
	'svc.manage_off': 'только просмотр',
	'svc.look_note': 'Дистрибьютор не разрешил вам управлять своими ' +
	    'лицензиями: видны только лицензии, подключённые к вашему ' +
	    'сервису.',
	'svc.move_title': 'Перенос лицензии',
	'svc.move_text': 'Лицензия {number} будет отвязана от устройства ' +
	    '{mdm}. Приложение на новом устройстве активирует её с тем же ' +
	    'кодом активации.',
	'svc.move_text_free': 'Лицензия {number} сейчас не привязана к ' +
	    'устройству. Укажите агента, который будет с ней работать.',
	'svc.move_user': 'Новый пользователь',
	'svc.move_submit': 'Перенести',
	'svc.moved': 'Лицензия {number} перенесена на пользователя ' +
	    '«{user}». Следующая активация привяжет новое устройство.',

	'dev.title': 'Устройства',
	'dev.col.mdm': 'MDM ID',
	'dev.col.licence': 'Лицензия',
	'dev.col.user': 'Пользователь',
	'dev.col.version': 'Версия конфигурации',
	'dev.col.first': 'Первое подключение',
	'dev.col.last': 'Последняя связь',
	'dev.col.state': 'Привязка',
	'dev.bound': 'привязано',
	'dev.released': 'отвязано {date}',
	'dev.empty': 'Ни одно устройство ещё не активировало лицензию ' +
	    'вашей компании.',
	'dev.shown': 'Показано: {count}',

	'err.licence_management_not_allowed': 'Дистрибьютор не разрешил ' +
	    'вам управлять его лицензиями.',
	'err.licence_blocked': 'Лицензия заблокирована.',
	'err.licence_not_found': 'Лицензия не найдена.',
	'err.supplier_not_found': 'Ваша компания не подключена к этому ' +
	    'поставщику.',
	'err.distributor_not_found': 'Этого дистрибьютора нет в вашей ' +
	    'сети.',
	'err.licence_bound': 'Лицензия привязана к другому устройству.',
	'err.user_invalid': 'Укажите имя агента: от 1 до 200 символов.',
	'err.search_invalid': 'Слишком длинный поисковый запрос.',
	'err.licences_invalid': 'Выберите от 1 до 10 000 лицензий.',
	'err.not_supplier': 'Этот раздел доступен только поставщикам.',
};

const en = {
	'svc.title': 'Services and balance',
	'svc.tab.exchange': 'T-Exchange',
	'svc.tab.partners': 'Distributors\' licences',
	'svc.search': 'Search...',
	'svc.search_label': 'Search licences',
	'svc.filter_label': 'Status',
	'svc.filter.all': 'All statuses',
	'svc.filter.on': 'ON',
	'svc.filter.off': 'OUT OF SERVICE',
	'svc.connect': 'Connect the selected licences to the service',
	'svc.disconnect': 'Disconnect the selected licences from the service',
	'svc.move': 'Move',
	'svc.col.licence': 'Name/Licence',
	'svc.col.code': 'Activation code',
	'svc.col.user': 'User',
	'svc.col.version': 'Configuration version',
	'svc.col.mdm': 'MDM ID',
	'svc.col.status': 'Status',
	'svc.col.contact': 'Last contact',
	'svc.select_row': 'Select licence {number}',
	'svc.select_group': 'Select every licence of "{name}"',
	'svc.status.on': 'ON',
	'svc.status.off': 'OUT OF SERVICE',
	'svc.blocked': 'blocked',
	'svc.group_self': '{name} (own supply)',
	'svc.group_code': 'code {code}',
	'svc.group_counts': '{on} of {total} in service',
	'svc.group_none': 'No suppliers connected',
	'svc.no_suppliers': 'Your company is not linked with any supplier ' +
	    'yet. Accept a supplier\'s invitation (T-Exchange → Suppliers) ' +
	    'to connect licences to its service here.',
	'svc.empty': 'No licences.',
	'svc.empty_search': 'Nothing found.',
	'svc.more': 'Show more',
	'svc.more_left': 'Show more ({total} in all)',
	'svc.member_note': 'Owners and administrators of the company ' +
	    'connect and disconnect licences.',
	'svc.info': 'Information',
	'svc.selected': 'Licences selected',
	'svc.in_service': 'In service',
	'svc.out_service': 'Out of service',
	'svc.one_group': 'A selection stays within one group.',

	'svc.confirm_title': 'Confirm licences',
	'svc.recipient': 'Recipient',
	'svc.confirm': 'Confirm',
	'svc.off_title': 'Disconnect licences',
	'svc.off_text': 'The selected licences will stop exchanging data ' +
	    'with the supplier. Data already sent is kept.',
	'svc.off_confirm': 'Disconnect',
	'svc.done_title': 'T-Exchange',
	'svc.done_on': 'Licences connected to T-Exchange for {name}: ' +
	    '{count}.',
	'svc.done_off': 'Licences disconnected from T-Exchange for {name}: ' +
	    '{count}.',
	'svc.unchanged_on': 'Already connected: {count} ({list}).',
	'svc.unchanged_off': 'Already disconnected: {count} ({list}).',
	'svc.ok': 'OK',

	'svc.partners_none': 'No distributor has joined your network yet.',
	'svc.manage_on': 'management allowed',
	'svc.manage_off': 'view only',
	'svc.look_note': 'The distributor has not allowed you to manage its ' +
	    'licences: only those connected to your service are shown.',
	'svc.move_title': 'Move a licence',
	'svc.move_text': 'Licence {number} will be released from device ' +
	    '{mdm}. The app on the new device activates it with the same ' +
	    'activation code.',
	'svc.move_text_free': 'Licence {number} is not bound to a device ' +
	    'now. Name the agent who will use it.',
	'svc.move_user': 'New user',
	'svc.move_submit': 'Move',
	'svc.moved': 'Licence {number} now belongs to "{user}". The next ' +
	    'activation binds the new device.',

	'dev.title': 'Devices',
	'dev.col.mdm': 'MDM ID',
	'dev.col.licence': 'Licence',
	'dev.col.user': 'User',
	'dev.col.version': 'Configuration version',
	'dev.col.first': 'First contact',
	'dev.col.last': 'Last contact',
	'dev.col.state': 'Binding',
	'dev.bound': 'bound',
	'dev.released': 'released {date}',
	'dev.empty': 'No device has activated a licence of your company yet.',
	'dev.shown': 'Shown: {count}',

	'err.licence_management_not_allowed': 'The distributor has not ' +
	    'allowed you to manage its licences.',
	'err.licence_blocked': 'The licence is blocked.',
	'err.licence_not_found': 'Licence not found.',
	'err.supplier_not_found': 'Your company is not linked with this ' +
	    'supplier.',
	'err.distributor_not_found': 'This distributor is not in your ' +
	    'network.',
	'err.licence_bound': 'The licence is bound to another device.',
	'err.user_invalid': 'Give the agent\'s name: 1 to 200 characters.',
	'err.search_invalid': 'The search is too long.',
	'err.licences_invalid': 'Select 1 to 10,000 licences.',
	'err.not_supplier': 'This section is for suppliers only.',
};

const dicts = { ru, en };

/* The text for key in the current language with {name} filled. */
export function st(key, vars)
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

/* The text of a failed call: this module's codes first (the server's
 * message adds the licence number when it names one). */
export function stError(e)
{
	if (e instanceof ApiError && ('err.' + e.code) in ru) {
		const num = /\d{20}/.exec(e.message || '');

		return st('err.' + e.code) + (num ? ' ' + num[0] : '');
	}
	return errorText(e);
}
