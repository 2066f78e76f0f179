/*
 * pages/network_i18n.js - the words of the Т-Обмен pages (Дистрибьюторы,
 * Поставщики, Журнал, the invitation page) in Russian and English.
 *
 * nt(key, vars) works like i18n.js's t(): the current language, Russian
 * as the fallback, {name} placeholders.  Kept beside the pages that use
 * them so the network's screens stay in one place; the shared words
 * (Отмена, Показать ещё, error texts) still come from i18n.js.
 */

import { ApiError } from '../api.js';
import { getLang, has, t } from '../i18n.js';

const ru = {
	'err.code_taken': 'Этот код уже занят другим дистрибьютором.',
	'err.code_invalid': 'Код — пять цифр от 10000 до 99999.',
	'err.codes_exhausted': 'Все коды от 10000 до 99999 уже заняты.',
	'err.already_invited': 'На этот адрес уже есть приглашение или ' +
	    'подключение; отправьте его повторно из списка.',
	'err.self_invite': 'Это адрес вашей компании: пригласить себя ' +
	    'нельзя.',
	'err.already_linked': 'Ваша компания уже подключена к этому ' +
	    'поставщику.',
	'err.invalid_state': 'Сейчас это действие недоступно: состояние ' +
	    'записи изменилось. Обновите страницу.',
	'err.reason_invalid': 'Укажите причину (до 500 символов).',
	'err.fields_missing': 'Нужны хотя бы название и e-mail.',
	'err.too_many_fields': 'Больше трёх полей: название, e-mail, код.',
	'err.field_too_long': 'Слишком длинное значение в строке.',
	'err.csv_empty': 'В файле нет ни одного дистрибьютора.',
	'err.too_many_rows': 'В одном файле — не больше 1000 ' +
	    'дистрибьюторов.',
	'err.not_supplier': 'Раздел доступен только компаниям-поставщикам.',
	'err.not_distributor': 'Раздел доступен только ' +
	    'компаниям-дистрибьюторам.',
	'err.link_not_found': 'Запись не найдена.',
	'err.invitation_invalid': 'Ссылка не действует.',

	'status.invited': 'приглашён',
	'status.accepted': 'принят',
	'status.declined': 'отклонён',
	'status.expired': 'истёк',
	'status.revoked': 'отозван',
	'status.disconnected': 'отключён',

	'dist.title': 'Дистрибьюторы',
	'dist.network': 'Дистрибьюторская сеть',
	'dist.add': 'Добавить дистрибьютора',
	'dist.import': 'Загрузить из CSV',
	'dist.col.name': 'Дистрибьютор',
	'dist.col.code': 'Код',
	'dist.col.status': 'Статус',
	'dist.col.dates': 'Даты',
	'dist.col.licences': 'Лицензии',
	'dist.in_service': 'в сервисе: {n}',
	'dist.manage': 'управление:',
	'dist.col.actions': 'Действия',
	'dist.invited_on': 'приглашён {date}',
	'dist.expires_on': 'действует до {date}',
	'dist.accepted_on': 'принят {date}',
	'dist.manage_on': 'разрешено',
	'dist.manage_off': 'нет',
	'dist.empty': 'В сети пока нет дистрибьюторов. Добавьте первого: ' +
	    'он получит письмо с приглашением и своим кодом.',
	'dist.shown': 'Показано: {count}',
	'dist.member_note': 'Изменять сеть могут владелец и ' +
	    'администраторы компании; вам она доступна для просмотра.',
	'dist.resend': 'Отправить повторно',
	'dist.revoke': 'Отозвать',
	'dist.disconnect': 'Отключить',
	'dist.resent': 'Приглашение для {name} отправлено заново; ' +
	    'прежняя ссылка больше не действует.',
	'dist.revoked': 'Приглашение для {name} отозвано.',
	'dist.disconnected': 'Дистрибьютор {name} отключён.',
	'dist.revoke_title': 'Отозвать приглашение',
	'dist.revoke_text': 'Ссылка из письма для {name} перестанет ' +
	    'действовать. Позже приглашение можно отправить заново.',
	'dist.add_title': 'Новый дистрибьютор',
	'dist.add_note': 'Мы отправим на этот адрес письмо с приглашением, ' +
	    'кодом дистрибьютора и ссылкой для подключения.',
	'dist.f.name': 'Название дистрибьютора',
	'dist.f.email': 'E-mail для приглашения',
	'dist.f.code': 'Код дистрибьютора',
	'dist.f.code_hint': 'Пять цифр от 10000 до 99999, если вы уже ' +
	    'используете код в «Управлении дистрибуцией». Оставьте пустым — ' +
	    'код назначит сервис.',
	'dist.f.lang': 'Язык письма',
	'dist.f.submit': 'Пригласить',
	'dist.added': 'Приглашение отправлено на {email}, код {code}.',
	'dist.v.code': 'Код — пять цифр от 10000 до 99999',
	'dist.disc_title': 'Отключить дистрибьютора',
	'dist.disc_text': '{name} (код {code}) перестанет обмениваться ' +
	    'с вами данными: его лицензии выйдут из сервиса для вашей ' +
	    'компании. Уже полученные данные останутся у вас.',
	'dist.disc_reason': 'Причина',
	'dist.disc_submit': 'Отключить',
	'dist.imp_title': 'Загрузка дистрибьюторов из CSV',
	'dist.imp_note': 'Файл в UTF-8, по строке на дистрибьютора: ' +
	    'название; e-mail; код (код можно не указывать). Разделитель — ' +
	    'точка с запятой или запятая. Строка заголовков пропускается.',
	'dist.imp_file': 'Файл CSV',
	'dist.imp_submit': 'Загрузить',
	'dist.imp_need_file': 'Выберите файл',
	'dist.imp_report': 'Принято строк: {ok}, не принято: {bad}.',
	'dist.imp.line': 'Строка',
	'dist.imp.result': 'Результат',
	'dist.imp.ok': 'приглашён, код {code}',
	'dist.lang.ru': 'Русский',
	'dist.lang.en': 'English',

	'sup.title': 'Поставщики',
	'sup.empty_title': 'Поставщиков пока нет',
	'sup.empty': 'Когда поставщик пригласит вашу компанию в свою ' +
	    'дистрибьюторскую сеть, вы получите письмо со ссылкой. После ' +
	    'того как вы примете приглашение, здесь появится карточка ' +
	    'поставщика.',
	'sup.code': 'Код дистрибьютора',
	'sup.since': 'Подключены с',
	'sup.licences': 'Лицензий в сервисе',
	'sup.manage': 'Разрешить управление моими лицензиями в Т-Обмене',
	'sup.manage_on_text': 'Пока флажок включён, поставщик может ' +
	    'подключать ваши лицензии «Мобильной торговли» к обмену с ним, ' +
	    'отключать их и переносить на другое устройство или другого ' +
	    'сотрудника — например, когда торговый представитель ' +
	    'увольняется.',
	'sup.manage_off_text': 'Когда флажок снят, поставщик видит ваши ' +
	    'лицензии, но ничего не может с ними сделать: подключаете, ' +
	    'отключаете и переносите их только вы.',
	'sup.manage_owned': 'Если лицензии оплачивает и выдаёт вам ' +
	    'поставщик, не снимайте флажок: иначе он не сможет их ' +
	    'обслуживать.',
	'sup.manage_member': 'Менять разрешение могут владелец и ' +
	    'администраторы компании.',
	'sup.saved_on': 'Поставщик {name} может управлять вашими ' +
	    'лицензиями. Мы сообщили ему об этом.',
	'sup.saved_off': 'Поставщик {name} больше не может управлять ' +
	    'вашими лицензиями. Мы сообщили ему об этом.',
	'sup.confirm_title': 'Запретить управление лицензиями?',
	'sup.confirm_text': 'Поставщику {name} принадлежат ваши лицензии: ' +
	    '{count}. Без разрешения он не сможет подключать, отключать и ' +
	    'переносить их. Всё равно снять флажок?',
	'sup.confirm_ok': 'Снять флажок',

	'join.title': 'Приглашение в дистрибьюторскую сеть',
	'join.lead': '{supplier} приглашает вашу компанию в свою ' +
	    'дистрибьюторскую сеть.',
	'join.code': 'Ваш код дистрибьютора',
	'join.code_note': 'По этому коду поставщик узнаёт данные вашей ' +
	    'компании; он понадобится и в «Управлении дистрибуцией».',
	'join.as': 'Приглашение отправлено на',
	'join.company': 'Вы отвечаете от имени компании',
	'join.expires': 'Действует до',
	'join.accept': 'Принять',
	'join.decline': 'Отклонить',
	'join.accepted': 'Готово: ваша компания в сети поставщика ' +
	    '{supplier} под кодом {code}.',
	'join.next': 'Откройте карточку поставщика, чтобы решить, может ли ' +
	    'он управлять вашими лицензиями, а затем подключите лицензии в ' +
	    'разделе «Сервисы и баланс».',
	'join.to_card': 'Перейти к карточке поставщика',
	'join.declined': 'Вы отклонили приглашение {supplier}.',
	'join.decline_title': 'Отклонить приглашение',
	'join.decline_text': 'Ссылка перестанет действовать. Если ' +
	    'передумаете, попросите поставщика прислать приглашение заново.',
	'join.invalid_title': 'Ссылка не действует',
	'join.invalid': 'Это приглашение нельзя принять: срок его действия ' +
	    'истёк, им уже воспользовались, или поставщик его отозвал. ' +
	    'Попросите поставщика прислать новое.',
	'join.no_token': 'В адресе нет приглашения. Откройте ссылку из ' +
	    'письма поставщика целиком.',
	'join.member': 'Принять или отклонить приглашение могут владелец ' +
	    'и администраторы компании.',
	'join.home': 'На главную',
	'join.self_invite': 'Это приглашение вашей же компании: поставщик ' +
	    'не может стать дистрибьютором самого себя.',

	'jr.title': 'Журнал',
	'jr.lead': 'Приглашения, подключения и разрешения — всё, что ' +
	    'касается вашей компании, с обеих сторон.',
	'jr.col.at': 'Дата и время',
	'jr.col.action': 'Событие',
	'jr.col.object': 'Кого касается',
	'jr.col.who': 'Кто',
	'jr.col.ip': 'Адрес',
	'jr.col.change': 'Изменение',
	'jr.empty': 'Записей пока нет.',
	'jr.shown': 'Показано: {count}',
	'jr.system': 'сервис',
	'jr.code': 'код {code}',
	'jr.reason': 'причина: {reason}',
	'jr.manage_on': 'управление лицензиями разрешено',
	'jr.manage_off': 'управление лицензиями запрещено',
	'jr.a.link.invite': 'Приглашение отправлено',
	'jr.a.link.resend': 'Приглашение отправлено повторно',
	'jr.a.link.revoke': 'Приглашение отозвано',
	'jr.a.link.accept': 'Приглашение принято',
	'jr.a.link.decline': 'Приглашение отклонено',
	'jr.a.link.disconnect': 'Дистрибьютор отключён',
	'jr.a.link.permission': 'Изменено разрешение на управление ' +
	    'лицензиями',
	'jr.a.company.create': 'Компания создана',
	'jr.a.company.update': 'Изменены реквизиты компании',
	'jr.a.user.create': 'Добавлен пользователь',
	'jr.a.user.register': 'Регистрация',
	'jr.a.user.update': 'Изменён пользователь',
	'jr.a.user.password_change': 'Пароль изменён',
	'jr.a.user.password_reset': 'Пароль задан по ссылке из письма',
	'jr.a.licence.issue': 'Лицензия выдана',
	'jr.a.licence.activate': 'Лицензия активирована на устройстве',
	'jr.a.licence.connect': 'Лицензия подключена к Т-Обмену',
	'jr.a.licence.disconnect': 'Лицензия отключена от Т-Обмена',
	'jr.a.licence.move': 'Лицензия перенесена',
	'jr.a.licence.block': 'Лицензия заблокирована',
	'jr.a.licence.unblock': 'Лицензия разблокирована',
};

const en = {
	'err.code_taken': 'Another distributor already has this code.',
	'err.code_invalid': 'The code is five digits from 10000 to 99999.',
	'err.codes_exhausted': 'Every code from 10000 to 99999 is taken.',
	'err.already_invited': 'This address already has an invitation or ' +
	    'a link; send it again from the list.',
	'err.self_invite': 'This is your own company\'s address: you cannot ' +
	    'invite yourself.',
	'err.already_linked': 'Your company is already linked with this ' +
	    'supplier.',
	'err.invalid_state': 'This is not possible now: the entry has ' +
	    'changed. Reload the page.',
	'err.reason_invalid': 'Give a reason (up to 500 characters).',
	'err.fields_missing': 'A name and an e-mail are needed at least.',
	'err.too_many_fields': 'More than three fields: name, e-mail, code.',
	'err.field_too_long': 'A value in this row is too long.',
	'err.csv_empty': 'The file holds no distributors.',
	'err.too_many_rows': 'A file may hold at most 1000 distributors.',
	'err.not_supplier': 'Only supplier companies have this section.',
	'err.not_distributor': 'Only distributor companies have this ' +
	    'section.',
	'err.link_not_found': 'Not found.',
	'err.invitation_invalid': 'This link does not work.',

	'status.invited': 'invited',
	'status.accepted': 'accepted',
	'status.declined': 'declined',
	'status.expired': 'expired',
	'status.revoked': 'revoked',
	'status.disconnected': 'disconnected',

	'dist.title': 'Distributors',
	'dist.network': 'Distributor network',
	'dist.add': 'Add a distributor',
	'dist.import': 'Upload CSV',
	'dist.col.name': 'Distributor',
	'dist.col.code': 'Code',
	'dist.col.status': 'Status',
	'dist.col.dates': 'Dates',
	'dist.col.licences': 'Licences',
	'dist.in_service': 'in service: {n}',
	'dist.manage': 'management:',
	'dist.col.actions': 'Actions',
	'dist.invited_on': 'invited {date}',
	'dist.expires_on': 'valid until {date}',
	'dist.accepted_on': 'accepted {date}',
	'dist.manage_on': 'allowed',
	'dist.manage_off': 'no',
	'dist.empty': 'Your network has no distributors yet. Add the first ' +
	    'one: it will get an invitation mail with its code.',
	'dist.shown': 'Shown: {count}',
	'dist.member_note': 'The company\'s owner and administrators change ' +
	    'the network; you can look at it.',
	'dist.resend': 'Send again',
	'dist.revoke': 'Revoke',
	'dist.disconnect': 'Disconnect',
	'dist.resent': 'The invitation for {name} was sent again; the ' +
	    'old link no longer works.',
	'dist.revoked': 'The invitation for {name} was revoked.',
	'dist.disconnected': 'Distributor {name} was disconnected.',
	'dist.revoke_title': 'Revoke the invitation',
	'dist.revoke_text': 'The link mailed to {name} will stop working. ' +
	    'You can send the invitation again later.',
	'dist.add_title': 'New distributor',
	'dist.add_note': 'We will mail an invitation with the distributor ' +
	    'code and a link to join to this address.',
	'dist.f.name': 'Distributor name',
	'dist.f.email': 'E-mail for the invitation',
	'dist.f.code': 'Distributor code',
	'dist.f.code_hint': 'Five digits from 10000 to 99999 if you already ' +
	    'use a code in your distribution system. Leave empty to have ' +
	    'one assigned.',
	'dist.f.lang': 'Mail language',
	'dist.f.submit': 'Invite',
	'dist.added': 'Invitation sent to {email}, code {code}.',
	'dist.v.code': 'The code is five digits from 10000 to 99999',
	'dist.disc_title': 'Disconnect the distributor',
	'dist.disc_text': '{name} (code {code}) will stop exchanging data ' +
	    'with you: its licences leave the service for your company. The ' +
	    'data you already received stays.',
	'dist.disc_reason': 'Reason',
	'dist.disc_submit': 'Disconnect',
	'dist.imp_title': 'Upload distributors from CSV',
	'dist.imp_note': 'A UTF-8 file, one distributor a line: name; ' +
	    'e-mail; code (the code may be left out). Separated by ' +
	    'semicolons or commas. A line of column titles is skipped.',
	'dist.imp_file': 'CSV file',
	'dist.imp_submit': 'Upload',
	'dist.imp_need_file': 'Choose a file',
	'dist.imp_report': 'Rows accepted: {ok}, refused: {bad}.',
	'dist.imp.line': 'Line',
	'dist.imp.result': 'Result',
	'dist.imp.ok': 'invited, code {code}',
	'dist.lang.ru': 'Русский',
	'dist.lang.en': 'English',

	'sup.title': 'Suppliers',
	'sup.empty_title': 'No suppliers yet',
	'sup.empty': 'When a supplier invites your company into its ' +
	    'distributor network you get a mail with a link. Once you ' +
	    'accept, the supplier\'s card appears here.',
	'sup.code': 'Distributor code',
	'sup.since': 'Connected since',
	'sup.licences': 'Licences in service',
	'sup.manage': 'Allow managing my licences in T-Exchange',
	'sup.manage_on_text': 'While this is ticked, the supplier may ' +
	    'connect your mobile sales licences to its exchange, disconnect ' +
	    'them and move them to another device or employee, for example ' +
	    'when a sales agent leaves.',
	'sup.manage_off_text': 'While it is cleared, the supplier sees your ' +
	    'licences but can do nothing with them: only you connect, ' +
	    'disconnect and move them.',
	'sup.manage_owned': 'If the supplier pays for the licences and ' +
	    'hands them to you, keep this ticked, or it cannot look after ' +
	    'them.',
	'sup.manage_member': 'The company\'s owner and administrators ' +
	    'change this permission.',
	'sup.saved_on': '{name} may now manage your licences. We told ' +
	    'the supplier.',
	'sup.saved_off': '{name} may no longer manage your licences. We ' +
	    'told the supplier.',
	'sup.confirm_title': 'Stop licence management?',
	'sup.confirm_text': '{name} owns {count} of your licences. ' +
	    'Without the permission it cannot connect, disconnect or move ' +
	    'them. Clear the box anyway?',
	'sup.confirm_ok': 'Clear the box',

	'join.title': 'Invitation to a distributor network',
	'join.lead': '{supplier} invites your company to join its ' +
	    'distributor network.',
	'join.code': 'Your distributor code',
	'join.code_note': 'The supplier recognises your company\'s data by ' +
	    'this code; your distribution system will need it too.',
	'join.as': 'The invitation was sent to',
	'join.company': 'You answer for the company',
	'join.expires': 'Valid until',
	'join.accept': 'Accept',
	'join.decline': 'Decline',
	'join.accepted': 'Done: your company is in the network of ' +
	    '{supplier} under code {code}.',
	'join.next': 'Open the supplier\'s card to decide whether it may ' +
	    'manage your licences, then connect licences under Services and ' +
	    'balance.',
	'join.to_card': 'Open the supplier\'s card',
	'join.declined': 'You declined the invitation of {supplier}.',
	'join.decline_title': 'Decline the invitation',
	'join.decline_text': 'The link will stop working. If you change your ' +
	    'mind, ask the supplier to send the invitation again.',
	'join.invalid_title': 'This link does not work',
	'join.invalid': 'This invitation cannot be accepted: it has expired, ' +
	    'has been used, or the supplier withdrew it. Ask the supplier ' +
	    'for a new one.',
	'join.no_token': 'The address holds no invitation. Open the whole ' +
	    'link from the supplier\'s mail.',
	'join.member': 'The company\'s owner and administrators accept or ' +
	    'decline invitations.',
	'join.home': 'Go to the home page',
	'join.self_invite': 'This is your own company\'s invitation: a ' +
	    'supplier cannot be its own distributor.',

	'jr.title': 'Journal',
	'jr.lead': 'Invitations, links and permissions: everything that ' +
	    'concerns your company, from both sides.',
	'jr.col.at': 'Date and time',
	'jr.col.action': 'Event',
	'jr.col.object': 'Concerns',
	'jr.col.who': 'Who',
	'jr.col.ip': 'Address',
	'jr.col.change': 'Change',
	'jr.empty': 'No entries yet.',
	'jr.shown': 'Shown: {count}',
	'jr.system': 'the service',
	'jr.code': 'code {code}',
	'jr.reason': 'reason: {reason}',
	'jr.manage_on': 'licence management allowed',
	'jr.manage_off': 'licence management not allowed',
	'jr.a.link.invite': 'Invitation sent',
	'jr.a.link.resend': 'Invitation sent again',
	'jr.a.link.revoke': 'Invitation revoked',
	'jr.a.link.accept': 'Invitation accepted',
	'jr.a.link.decline': 'Invitation declined',
	'jr.a.link.disconnect': 'Distributor disconnected',
	'jr.a.link.permission': 'Licence management permission changed',
	'jr.a.company.create': 'Company created',
	'jr.a.company.update': 'Company details changed',
	'jr.a.user.create': 'User added',
	'jr.a.user.register': 'Registration',
	'jr.a.user.update': 'User changed',
	'jr.a.user.password_change': 'Password changed',
	'jr.a.user.password_reset': 'Password set from a mailed link',
	'jr.a.licence.issue': 'Licence issued',
	'jr.a.licence.activate': 'Licence activated on a device',
	'jr.a.licence.connect': 'Licence connected to T-Exchange',
	'jr.a.licence.disconnect': 'Licence disconnected from T-Exchange',
	'jr.a.licence.move': 'Licence moved',
	'jr.a.licence.block': 'Licence blocked',
	'jr.a.licence.unblock': 'Licence unblocked',
};

const dicts = { ru, en };

/* True when key has a text. */
export function nhas(key)
{
	return key in ru;
}

/* The text for key in the current language with {name} filled. */
export function nt(key, vars)
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

/* The text for an error {code, message} in the current language: the
 * cabinet's words, then ours, then the server's message. */
export function nerror(err)
{
	if (has('err.' + err.code))
		return t('err.' + err.code);
	if (nhas('err.' + err.code))
		return nt('err.' + err.code);
	return err.message || t('err.generic');
}

/* Puts our words into an ApiError's message, so the cabinet's error
 * display (ui.js errorText) shows them; returns e for rethrowing. */
export function localize(e)
{
	if (e instanceof ApiError && !has('err.' + e.code) &&
	    nhas('err.' + e.code))
		e.message = nt('err.' + e.code);
	return e;
}
