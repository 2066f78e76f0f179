/*
 * i18n.js - the cabinet's words in Russian (default) and English.
 *
 * t(key, vars) looks the key up in the current language, falls back to
 * Russian, and fills {name} placeholders from vars.  The choice lives in
 * localStorage so the login page already speaks it; once logged in, the
 * app also stores it in the user's profile (PATCH /me).  Screen, menu,
 * column and status names follow the service guide.
 */

const STORE_KEY = 'tobmen.lang';
export const LANGS = ['ru', 'en'];

const ru = {
	'app.name': 'tobmen',
	'app.cabinet': 'Личный кабинет',
	'app.tagline': 'Обмен данными о продажах между поставщиками ' +
	    'и их дистрибьюторами',
	'app.loading': 'Загрузка…',
	'app.skip': 'Перейти к содержимому',
	'lang.label': 'Язык',
	'lang.ru': 'Русский',
	'lang.en': 'English',

	'login.title': 'Личный кабинет',
	'login.subtitle': 'Войдите, чтобы вести реквизиты компании, ' +
	    'работать с коллегами и обмениваться данными с партнёрами.',
	'login.invite_note': 'Вас пригласили в дистрибьюторскую сеть. ' +
	    'Войдите или зарегистрируйтесь, чтобы ответить на приглашение.',
	'login.email': 'E-mail',
	'login.password': 'Пароль',
	'login.remember': 'Запомнить меня',
	'login.submit': 'Войти',
	'login.register': 'Регистрация',
	'login.forgot': 'Забыли пароль?',
	'login.reset_done': 'Пароль изменён. Войдите с новым паролем.',
	'login.logged_out': 'Вы вышли из кабинета.',
	'login.expired': 'Сеанс завершён. Войдите снова.',
	'login.show_password': 'Показать пароль',
	'login.hide_password': 'Скрыть пароль',

	'register.title': 'Регистрация',
	'register.subtitle': 'Создайте кабинет компании-дистрибьютора. ' +
	    'Вы станете его владельцем и сможете пригласить коллег.',
	'register.company': 'Название компании',
	'register.company_hint': 'Например, ООО «Ромашка»',
	'register.inn': 'ИНН',
	'register.inn_hint': '10 цифр для организации, 12 — для ИП',
	'register.name': 'Ваше имя',
	'register.email': 'E-mail',
	'register.password': 'Пароль',
	'register.password_hint': 'Не короче 12 символов',
	'register.password2': 'Повторите пароль',
	'register.submit': 'Зарегистрироваться',
	'register.have_account': 'Уже есть учётная запись?',
	'register.login': 'Войти',

	'forgot.title': 'Восстановление пароля',
	'forgot.subtitle': 'Укажите e-mail, с которым вы входите в ' +
	    'кабинет, и мы пришлём ссылку для смены пароля.',
	'forgot.submit': 'Отправить ссылку',
	'forgot.sent': 'Если учётная запись с таким e-mail существует, ' +
	    'мы отправили на него письмо со ссылкой для смены пароля. ' +
	    'Ссылка действует ограниченное время.',
	'forgot.back': 'Вернуться ко входу',

	'reset.title': 'Новый пароль',
	'reset.set_title': 'Установка пароля',
	'reset.subtitle': 'Придумайте пароль для входа в кабинет.',
	'reset.password': 'Новый пароль',
	'reset.password2': 'Повторите пароль',
	'reset.submit': 'Сохранить пароль',
	'reset.no_token': 'В адресе нет ключа из письма. Откройте ссылку ' +
	    'из письма целиком или запросите новую.',
	'reset.request_new': 'Запросить новую ссылку',

	'shell.feedback': 'Обратная связь',
	'shell.open_menu': 'Открыть меню разделов',
	'shell.close_menu': 'Закрыть меню разделов',
	'shell.user_menu': 'Меню пользователя',
	'shell.change_password': 'Сменить пароль',
	'shell.logout': 'Выйти',
	'shell.main_nav': 'Разделы кабинета',

	'nav.home': 'Главная',
	'nav.devices': 'Устройства',
	'nav.control': 'Контроль',
	'nav.admin': 'Администрирование',
	'nav.company': 'Компания',
	'nav.exchange': 'Т-Обмен',
	'nav.suppliers': 'Поставщики',
	'nav.distributors': 'Дистрибьюторы',
	'nav.journal': 'Журнал',
	'nav.join': 'Приглашение',
	'nav.services': 'Сервисы и баланс',

	'feedback.title': 'Обратная связь',
	'feedback.intro': 'Напишите о проблеме, вопросе или пожелании. ' +
	    'Ответ придёт на {email}.',
	'feedback.subject': 'Тема',
	'feedback.message': 'Сообщение',
	'feedback.send': 'Отправить',
	'feedback.sent': 'Спасибо! Сообщение отправлено, мы ответим ' +
	    'по электронной почте.',

	'password.title': 'Смена пароля',
	'password.current': 'Текущий пароль',
	'password.new': 'Новый пароль',
	'password.new2': 'Повторите новый пароль',
	'password.note': 'После смены пароля остальные сеансы этой ' +
	    'учётной записи будут завершены.',
	'password.done': 'Пароль изменён. Остальные сеансы завершены.',

	'common.cancel': 'Отмена',
	'common.close': 'Закрыть',
	'common.save': 'Сохранить',
	'common.saved': 'Изменения сохранены.',
	'common.ok': 'ОК',
	'common.more': 'Показать ещё',
	'common.retry': 'Повторить',
	'common.none': '—',

	'role.owner': 'Владелец',
	'role.admin': 'Администратор',
	'role.member': 'Пользователь',
	'role.operator': 'Оператор',
	'kind.supplier': 'Поставщик',
	'kind.distributor': 'Дистрибьютор',

	'home.title': 'Главная',
	'home.welcome': 'Добро пожаловать, {name}!',
	'home.company_line': 'Вы работаете в кабинете компании ' +
	    '{company} как {role}.',
	'home.role_as.owner': 'владелец',
	'home.role_as.admin': 'администратор',
	'home.role_as.member': 'пользователь',
	'home.role_as.operator': 'оператор сервиса',
	'home.kinds': 'Роль компании в Т-Обмене:',
	'home.kinds_none': 'роль компании в Т-Обмене пока не назначена',
	'home.next': 'Что можно сделать сейчас',
	'home.todo_company': 'Проверьте и дополните реквизиты компании: ' +
	    'ИНН, КПП, адрес и телефон.',
	'home.todo_company_view': 'Посмотрите реквизиты компании.',
	'home.todo_admin': 'Добавьте коллег и назначьте им роли.',
	'home.todo_admin_view': 'Посмотрите, кто из коллег работает ' +
	    'в кабинете.',
	'home.todo_profile': 'В меню пользователя справа вверху можно ' +
	    'выбрать язык и сменить пароль.',
	'home.todo_feedback': 'Если что-то не получается, напишите нам ' +
	    'через «Обратную связь».',
	'home.go_company': 'Компания',
	'home.go_admin': 'Администрирование',
	'home.more_sections': 'Другие разделы появятся в меню слева, ' +
	    'когда они будут подключены для вашей компании.',

	'company.title': 'Компания',
	'company.card': 'Карточка компании',
	'company.name': 'Название',
	'company.inn': 'ИНН',
	'company.kpp': 'КПП',
	'company.kpp_hint': '9 знаков; у ИП КПП нет',
	'company.address': 'Адрес',
	'company.phone': 'Телефон',
	'company.phone_hint': 'Например, +7 495 123-45-67',
	'company.kinds': 'Роль в Т-Обмене',
	'company.kinds_note': 'Роль компании назначает оператор сервиса.',
	'company.since': 'В сервисе с {date}',
	'company.readonly': 'Изменять реквизиты могут владелец ' +
	    'и администраторы компании.',

	'admin.title': 'Администрирование',
	'admin.users': 'Пользователи',
	'admin.add': 'Добавить пользователя',
	'admin.col.name': 'Имя',
	'admin.col.email': 'E-mail',
	'admin.col.role': 'Роль',
	'admin.col.status': 'Статус',
	'admin.col.last_login': 'Последний вход',
	'admin.col.actions': 'Действия',
	'admin.status.active': 'Активен',
	'admin.status.disabled': 'Отключён',
	'admin.disable': 'Отключить',
	'admin.enable': 'Включить',
	'admin.confirm_title': 'Отключение пользователя',
	'admin.confirm_disable': 'Отключить пользователя {name}? Он не ' +
	    'сможет войти в кабинет, пока его снова не включат.',
	'admin.added': 'Пользователь {email} добавлен. Мы отправили ему ' +
	    'письмо со ссылкой для установки пароля.',
	'admin.role_changed': 'Роль пользователя {name} изменена.',
	'admin.disabled_done': 'Пользователь {name} отключён.',
	'admin.enabled_done': 'Пользователь {name} снова может входить.',
	'admin.empty': 'Пользователей пока нет.',
	'admin.you': 'вы',
	'admin.member_note': 'Добавлять пользователей, менять роли и ' +
	    'отключать учётные записи могут владелец и администраторы.',
	'admin.role_for': 'Роль пользователя {name}',
	'admin.add_title': 'Новый пользователь',
	'admin.add_note': 'Пользователь получит письмо со ссылкой, ' +
	    'чтобы задать пароль.',
	'admin.add_submit': 'Добавить',
	'admin.shown': 'Показано: {count}',

	'notfound.title': 'Страница не найдена',
	'notfound.text': 'Такого раздела нет или он пока не подключён.',
	'notfound.home': 'На главную',

	'v.required': 'Заполните это поле.',
	'v.email': 'Введите e-mail в виде name@example.ru.',
	'v.password_short': 'Пароль должен быть не короче 12 символов.',
	'v.password_long': 'Пароль должен быть не длиннее 1024 символов.',
	'v.mismatch': 'Пароли не совпадают.',
	'v.inn': 'ИНН состоит из 10 или 12 цифр, последние из которых — ' +
	    'контрольные. Проверьте номер.',
	'v.kpp': 'КПП состоит из 9 знаков: цифры, на 5-м и 6-м месте ' +
	    'допустимы заглавные латинские буквы.',
	'v.too_long': 'Слишком длинное значение.',

	'err.network': 'Нет связи с сервером. Проверьте подключение ' +
	    'и повторите.',
	'err.invalid_credentials': 'Неверный e-mail или пароль.',
	'err.throttled': 'Слишком много попыток. Подождите немного ' +
	    'и попробуйте снова.',
	'err.unauthenticated': 'Сеанс завершён. Войдите снова.',
	'err.token_invalid': 'Ссылка недействительна: она уже ' +
	    'использована, устарела или скопирована не полностью. ' +
	    'Запросите новую.',
	'err.csrf_failed': 'Запрос отклонён из соображений безопасности. ' +
	    'Обновите страницу и повторите.',
	'err.forbidden': 'Недостаточно прав для этого действия.',
	'err.not_found': 'Объект не найден.',
	'err.internal': 'На сервере произошла ошибка. Попробуйте позже.',
	'err.unavailable': 'Сервис временно недоступен. Попробуйте позже.',
	'err.generic': 'Не удалось выполнить запрос.',
	'err.load': 'Не удалось загрузить данные.',
	'err.email_taken': 'Пользователь с таким e-mail уже есть.',
	'err.email_invalid': 'Введите e-mail в виде name@example.ru.',
	'err.name_invalid': 'Заполните поле; очень длинные значения ' +
	    'не принимаются.',
	'err.inn_invalid': 'ИНН не прошёл проверку: нужно 10 или 12 цифр ' +
	    'с верными контрольными цифрами.',
	'err.kpp_invalid': 'КПП указан неверно: 9 знаков, и только ' +
	    'у организации с 10-значным ИНН.',
	'err.phone_invalid': 'В телефоне допустимы цифры, пробелы и ' +
	    'знаки + - ( ).',
	'err.address_invalid': 'Адрес слишком длинный.',
	'err.password_too_short': 'Пароль должен быть не короче 12 символов.',
	'err.password_too_long': 'Пароль должен быть не длиннее 1024 символов.',
	'err.wrong_password': 'Текущий пароль указан неверно.',
	'err.role_invalid': 'Выберите роль: владелец, администратор ' +
	    'или пользователь.',
	'err.role_forbidden': 'Вы не можете назначить эту роль.',
	'err.owner_protected': 'Менять учётную запись владельца и ' +
	    'назначать владельцев может только владелец.',
	'err.last_owner': 'Единственного владельца компании нельзя ' +
	    'отключить или лишить роли владельца.',
	'err.cannot_disable_self': 'Нельзя отключить собственную учётную ' +
	    'запись.',
	'err.user_not_found': 'Пользователь не найден.',
	'err.feedback_unavailable': 'Обратная связь на этом сервере не ' +
	    'настроена. Напишите оператору сервиса по электронной почте.',
	'err.field_required': 'Заполните это поле.',
};

const en = {
	'app.cabinet': 'Cabinet',
	'app.tagline': 'Sales data exchange between suppliers and their ' +
	    'distributors',
	'app.loading': 'Loading…',
	'app.skip': 'Skip to content',
	'lang.label': 'Language',

	'login.title': 'Cabinet',
	'login.subtitle': 'Sign in to keep your company details, work ' +
	    'with colleagues and exchange data with partners.',
	'login.invite_note': 'You have been invited to a distribution ' +
	    'network. Sign in or register to answer the invitation.',
	'login.password': 'Password',
	'login.remember': 'Remember me',
	'login.submit': 'Sign in',
	'login.register': 'Register',
	'login.forgot': 'Forgot your password?',
	'login.reset_done': 'Your password has been changed. Sign in with ' +
	    'the new one.',
	'login.logged_out': 'You have signed out.',
	'login.expired': 'Your session has ended. Please sign in again.',
	'login.show_password': 'Show password',
	'login.hide_password': 'Hide password',

	'register.title': 'Registration',
	'register.subtitle': 'Create a cabinet for your distributor ' +
	    'company. You become its owner and can invite colleagues.',
	'register.company': 'Company name',
	'register.company_hint': 'For example, Romashka LLC',
	'register.inn': 'INN (taxpayer number)',
	'register.inn_hint': '10 digits for a company, 12 for a sole trader',
	'register.name': 'Your name',
	'register.password': 'Password',
	'register.password_hint': 'At least 12 characters',
	'register.password2': 'Repeat the password',
	'register.submit': 'Register',
	'register.have_account': 'Already have an account?',
	'register.login': 'Sign in',

	'forgot.title': 'Password recovery',
	'forgot.subtitle': 'Enter the e-mail you sign in with and we will ' +
	    'send you a link to set a new password.',
	'forgot.submit': 'Send the link',
	'forgot.sent': 'If an account with this e-mail exists, we have ' +
	    'sent it a message with a link to set a new password. The link ' +
	    'is valid for a limited time.',
	'forgot.back': 'Back to sign in',

	'reset.title': 'New password',
	'reset.set_title': 'Set your password',
	'reset.subtitle': 'Choose a password for signing in to the cabinet.',
	'reset.password': 'New password',
	'reset.password2': 'Repeat the password',
	'reset.submit': 'Save the password',
	'reset.no_token': 'The address has no key from the e-mail. Open ' +
	    'the whole link from the message or request a new one.',
	'reset.request_new': 'Request a new link',

	'shell.feedback': 'Feedback',
	'shell.open_menu': 'Open the section menu',
	'shell.close_menu': 'Close the section menu',
	'shell.user_menu': 'User menu',
	'shell.change_password': 'Change password',
	'shell.logout': 'Sign out',
	'shell.main_nav': 'Cabinet sections',

	'nav.home': 'Home',
	'nav.devices': 'Devices',
	'nav.control': 'Control',
	'nav.admin': 'Administration',
	'nav.company': 'Company',
	'nav.exchange': 'T-Exchange',
	'nav.suppliers': 'Suppliers',
	'nav.distributors': 'Distributors',
	'nav.journal': 'Journal',
	'nav.join': 'Invitation',
	'nav.services': 'Services and balance',

	'feedback.title': 'Feedback',
	'feedback.intro': 'Tell us about a problem, a question or an ' +
	    'idea. We will answer to {email}.',
	'feedback.subject': 'Subject',
	'feedback.message': 'Message',
	'feedback.send': 'Send',
	'feedback.sent': 'Thank you! Your message has been sent; we will ' +
	    'answer by e-mail.',

	'password.title': 'Change password',
	'password.current': 'Current password',
	'password.new': 'New password',
	'password.new2': 'Repeat the new password',
	'password.note': 'Changing the password signs this account out of ' +
	    'all its other sessions.',
	'password.done': 'Password changed. Other sessions have been ' +
	    'signed out.',

	'common.cancel': 'Cancel',
	'common.close': 'Close',
	'common.save': 'Save',
	'common.saved': 'Changes saved.',
	'common.more': 'Show more',
	'common.retry': 'Retry',

	'role.owner': 'Owner',
	'role.admin': 'Administrator',
	'role.member': 'Member',
	'role.operator': 'Operator',
	'kind.supplier': 'Supplier',
	'kind.distributor': 'Distributor',

	'home.title': 'Home',
	'home.welcome': 'Welcome, {name}!',
	'home.company_line': 'You are working in the cabinet of ' +
	    '{company} as {role}.',
	'home.role_as.owner': 'its owner',
	'home.role_as.admin': 'an administrator',
	'home.role_as.member': 'a member',
	'home.role_as.operator': 'a service operator',
	'home.kinds': 'The company’s role in T-Exchange:',
	'home.kinds_none': 'the company has no T-Exchange role yet',
	'home.next': 'What you can do now',
	'home.todo_company': 'Check and complete the company details: INN, ' +
	    'KPP, address and phone.',
	'home.todo_company_view': 'Look at the company details.',
	'home.todo_admin': 'Add your colleagues and give them roles.',
	'home.todo_admin_view': 'See which colleagues use the cabinet.',
	'home.todo_profile': 'The user menu at the top right lets you pick ' +
	    'the language and change your password.',
	'home.todo_feedback': 'If something does not work, write to us ' +
	    'through “Feedback”.',
	'home.go_company': 'Company',
	'home.go_admin': 'Administration',
	'home.more_sections': 'More sections appear in the menu on the left ' +
	    'once they are switched on for your company.',

	'company.title': 'Company',
	'company.card': 'Company card',
	'company.name': 'Name',
	'company.inn': 'INN',
	'company.kpp': 'KPP',
	'company.kpp_hint': '9 characters; sole traders have none',
	'company.address': 'Address',
	'company.phone': 'Phone',
	'company.phone_hint': 'For example, +7 495 123-45-67',
	'company.kinds': 'Role in T-Exchange',
	'company.kinds_note': 'The service operator sets the company’s role.',
	'company.since': 'In the service since {date}',
	'company.readonly': 'Only the owner and administrators can change ' +
	    'the company details.',

	'admin.title': 'Administration',
	'admin.users': 'Users',
	'admin.add': 'Add user',
	'admin.col.name': 'Name',
	'admin.col.role': 'Role',
	'admin.col.status': 'Status',
	'admin.col.last_login': 'Last sign-in',
	'admin.col.actions': 'Actions',
	'admin.status.active': 'Active',
	'admin.status.disabled': 'Disabled',
	'admin.disable': 'Disable',
	'admin.enable': 'Enable',
	'admin.confirm_title': 'Disable user',
	'admin.confirm_disable': 'Disable {name}? They will not be able to ' +
	    'sign in until someone enables them again.',
	'admin.added': '{email} has been added and sent a link to set ' +
	    'a password.',
	'admin.role_changed': 'The role of {name} has been changed.',
	'admin.disabled_done': '{name} has been disabled.',
	'admin.enabled_done': '{name} can sign in again.',
	'admin.empty': 'No users yet.',
	'admin.you': 'you',
	'admin.member_note': 'Only the owner and administrators can add ' +
	    'users, change roles and disable accounts.',
	'admin.role_for': 'Role of {name}',
	'admin.add_title': 'New user',
	'admin.add_note': 'The user receives an e-mail with a link to set ' +
	    'a password.',
	'admin.add_submit': 'Add',
	'admin.shown': 'Shown: {count}',

	'notfound.title': 'Page not found',
	'notfound.text': 'There is no such section, or it is not switched ' +
	    'on yet.',
	'notfound.home': 'Go to the home page',

	'v.required': 'Please fill in this field.',
	'v.email': 'Enter an e-mail such as name@example.com.',
	'v.password_short': 'The password must be at least 12 characters.',
	'v.password_long': 'The password must be at most 1024 characters.',
	'v.mismatch': 'The passwords do not match.',
	'v.inn': 'An INN has 10 or 12 digits, the last being check ' +
	    'digits. Please check the number.',
	'v.kpp': 'A KPP has 9 characters: digits, with capital Latin ' +
	    'letters allowed in places 5 and 6.',
	'v.too_long': 'The value is too long.',

	'err.network': 'The server cannot be reached. Check your ' +
	    'connection and try again.',
	'err.invalid_credentials': 'Wrong e-mail or password.',
	'err.throttled': 'Too many attempts. Wait a little and try again.',
	'err.unauthenticated': 'Your session has ended. Please sign in ' +
	    'again.',
	'err.token_invalid': 'This link is not valid: it was used already, ' +
	    'has expired or was copied incompletely. Request a new one.',
	'err.csrf_failed': 'The request was refused for security reasons. ' +
	    'Reload the page and try again.',
	'err.forbidden': 'You are not allowed to do this.',
	'err.not_found': 'Not found.',
	'err.internal': 'The server failed. Please try again later.',
	'err.unavailable': 'The service is temporarily unavailable. Please ' +
	    'try again later.',
	'err.generic': 'The request failed.',
	'err.load': 'The data could not be loaded.',
	'err.email_taken': 'A user with this e-mail already exists.',
	'err.email_invalid': 'Enter an e-mail such as name@example.com.',
	'err.name_invalid': 'Fill in this field; very long values are ' +
	    'not accepted.',
	'err.inn_invalid': 'This INN fails the check: it needs 10 or 12 ' +
	    'digits with valid check digits.',
	'err.kpp_invalid': 'This KPP is wrong: 9 characters, and only for ' +
	    'an organisation with a 10-digit INN.',
	'err.phone_invalid': 'A phone may hold digits, spaces and + - ( ).',
	'err.address_invalid': 'The address is too long.',
	'err.password_too_short': 'The password must be at least 12 ' +
	    'characters.',
	'err.password_too_long': 'The password must be at most 1024 ' +
	    'characters.',
	'err.wrong_password': 'The current password is wrong.',
	'err.role_invalid': 'Choose a role: owner, administrator or member.',
	'err.role_forbidden': 'You may not give this role.',
	'err.owner_protected': 'Only an owner may change an owner\'s ' +
	    'account or make someone an owner.',
	'err.last_owner': 'The company\'s only owner cannot be disabled or ' +
	    'demoted.',
	'err.cannot_disable_self': 'You cannot disable your own account.',
	'err.user_not_found': 'No such user.',
	'err.feedback_unavailable': 'Feedback is not set up on this server. ' +
	    'Please write to the service operator by e-mail.',
	'err.field_required': 'Please fill in this field.',
};

const dicts = { ru, en };
const listeners = new Set();

function stored()
{
	try {
		return localStorage.getItem(STORE_KEY);
	} catch (e) {
		return null;
	}
}

let lang = LANGS.includes(stored()) ? stored() : 'ru';

document.documentElement.lang = lang;

export function getLang()
{
	return lang;
}

/* Switches the language, remembers it in this browser and tells the
 * listeners; unknown values are ignored. */
export function setLang(next)
{
	if (!LANGS.includes(next) || next === lang)
		return;
	lang = next;
	document.documentElement.lang = lang;
	try {
		localStorage.setItem(STORE_KEY, lang);
	} catch (e) {
		/* Private mode: the choice lasts for this page only. */
	}
	listeners.forEach((fn) => fn(lang));
}

/* fn(lang) runs after every change; returns an unsubscribe function. */
export function onLangChange(fn)
{
	listeners.add(fn);
	return () => listeners.delete(fn);
}

/* True when key has a text in either language. */
export function has(key)
{
	return key in dicts[lang] || key in ru;
}

/* The text for key with {name} placeholders filled from vars. */
export function t(key, vars)
{
	let s = dicts[lang][key];

	if (s === undefined)
		s = ru[key];
	if (s === undefined)
		return key;
	if (!vars)
		return s;
	return s.replace(/\{(\w+)\}/g, (m, name) =>
	    name in vars ? String(vars[name]) : m);
}
