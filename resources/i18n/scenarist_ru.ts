<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>Canvas</name>
    <message>
        <source>not counted</source>
        <translation>не посчитано</translation>
    </message>
    <message>
        <source>{passed} of {entered} passed</source>
        <translation>прошли {passed} из {entered}</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Проблемы</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>move notes</source>
        <translation>переместить заметки</translation>
    </message>
    <message>
        <source>insert &apos;{node}&apos; between &apos;{a}&apos; and &apos;{b}&apos;</source>
        <translation>вставить «{node}» между «{a}» и «{b}»</translation>
    </message>
    <message>
        <source>add “{name}”</source>
        <translation>добавить «{name}»</translation>
    </message>
    <message>
        <source>move the edge &apos;{port}&apos; of &apos;{node}&apos;</source>
        <translation>перенести связь «{port}» узла «{node}»</translation>
    </message>
    <message>
        <source>connect &apos;{a}&apos; to &apos;{b}&apos;</source>
        <translation>соединить «{a}» с «{b}»</translation>
    </message>
    <message>
        <source>remove the edge from &apos;{a}&apos; to &apos;{b}&apos;</source>
        <translation>убрать связь «{a}» → «{b}»</translation>
    </message>
    <message>
        <source>The edge &apos;{port}&apos; of &apos;{node}&apos; now leads to &apos;{new}&apos; instead of &apos;{old}&apos;. Undo brings it back.</source>
        <translation>Связь «{port}» узла «{node}» теперь ведёт в «{new}», а не в «{old}». Отмена вернёт её назад.</translation>
    </message>
    <message>
        <source>Output &apos;{port}&apos; of &apos;{node}&apos; already has an edge: an output leads to one node. Drag the edge&apos;s end to move it, or delete it first.</source>
        <translation>Выход «{port}» узла «{node}» уже занят: из выхода ведёт только одна связь. Перетащите конец связи, чтобы перенести её, или сначала удалите её.</translation>
    </message>
    <message>
        <source>Connecting &apos;{a}&apos; to &apos;{b}&apos; would make a loop; a customer must not come back to a node.</source>
        <translation>Связь «{a}» → «{b}» образует цикл: клиент не должен возвращаться в узел, где уже был.</translation>
    </message>
    <message>
        <source>arrange the scenario</source>
        <translation>упорядочить сценарий</translation>
    </message>
    <message>
        <source>add a note</source>
        <translation>добавить заметку</translation>
    </message>
    <message>
        <source>resize “{name}”</source>
        <translation>изменить размер «{name}»</translation>
    </message>
    <message>
        <source>frame</source>
        <translation>рамка</translation>
    </message>
    <message>
        <source>note</source>
        <translation>заметка</translation>
    </message>
    <message>
        <source>edit “{name}”</source>
        <translation>изменить «{name}»</translation>
    </message>
    <message>
        <source>delete notes</source>
        <translation>удалить заметки</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Уменьшить</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Увеличить</translation>
    </message>
    <message>
        <source>The zoom level: click for 100 %</source>
        <translation>Масштаб: щелчок — 100 %</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Всё</translation>
    </message>
    <message>
        <source>Zoom to fit (Ctrl+0)</source>
        <translation>Показать весь сценарий (Ctrl+0)</translation>
    </message>
    <message>
        <source>The whole scenario: click to go there</source>
        <translation>Весь сценарий: щёлкните, чтобы перейти туда</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>A sticky note: words for whoever reads the scenario</source>
        <translation>Заметка-стикер: пояснение для того, кто читает сценарий</translation>
    </message>
    <message>
        <source>Frame</source>
        <translation>Рамка</translation>
    </message>
    <message>
        <source>group</source>
        <translation>группа</translation>
    </message>
    <message>
        <source>A titled frame; the nodes inside move with it</source>
        <translation>Рамка с заголовком; узлы внутри перемещаются вместе с ней</translation>
    </message>
    <message>
        <source>Add to the canvas</source>
        <translation>Добавить на холст</translation>
    </message>
    <message>
        <source>Type to search…</source>
        <translation>Начните вводить…</translation>
    </message>
    <message>
        <source>Find a node</source>
        <translation>Найти узел</translation>
    </message>
    <message>
        <source>Part of its title…</source>
        <translation>Часть названия…</translation>
    </message>
    <message>
        <source>Customers at “{step}”: {n}</source>
        <translation>Клиенты на шаге «{step}»: {n}</translation>
    </message>
    <message>
        <source>Part of a name, email or phone…</source>
        <translation>Часть имени, email или телефона…</translation>
    </message>
    <message>
        <source>frame the selection</source>
        <translation>обвести выбранное рамкой</translation>
    </message>
</context>
<context>
    <name>Conditions</name>
    <message>
        <source>ever</source>
        <translation>за всё время</translation>
    </message>
    <message>
        <source>in </source>
        <translation>за </translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>Count only the last N days (&quot;ever&quot;: all of them)</source>
        <translation>Сколько последних дней учитывать («за всё время» — все дни)</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>What the condition looks at</source>
        <translation>Что проверяет условие</translation>
    </message>
    <message>
        <source>Remove this condition</source>
        <translation>Удалить условие</translation>
    </message>
    <message>
        <source>any time</source>
        <translation>в любое время</translation>
    </message>
    <message>
        <source>since entering</source>
        <translation>с момента входа в сценарий</translation>
    </message>
    <message>
        <source>since «{node}»</source>
        <translation>с узла «{node}»</translation>
    </message>
    <message>
        <source>a, b, c</source>
        <translation>а, б, в</translation>
    </message>
    <message>
        <source>value</source>
        <translation>значение</translation>
    </message>
    <message>
        <source>+ Condition</source>
        <translation>+ Условие</translation>
    </message>
    <message>
        <source>+ Group</source>
        <translation>+ Группа</translation>
    </message>
    <message>
        <source>A group of conditions matched together (all or any)</source>
        <translation>Группа условий, которые проверяются вместе (все или любое из них)</translation>
    </message>
    <message>
        <source>Group: match</source>
        <translation>Группа:</translation>
    </message>
    <message>
        <source>all of</source>
        <translation>все условия</translation>
    </message>
    <message>
        <source>any of</source>
        <translation>любое условие</translation>
    </message>
    <message>
        <source>Remove this group</source>
        <translation>Удалить группу</translation>
    </message>
</context>
<context>
    <name>Counted</name>
    <message numerus="yes">
        <source>{n} waiting</source>
        <translation>
            <numerusform>{n} ждёт</numerusform>
            <numerusform>{n} ждут</numerusform>
            <numerusform>{n} ждут</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pasted {n} nodes.</source>
        <translation>
            <numerusform>Вставлен {n} узел.</numerusform>
            <numerusform>Вставлено {n} узла.</numerusform>
            <numerusform>Вставлено {n} узлов.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{n} customers would enter now.</source>
        <translation>
            <numerusform>Сейчас вошёл бы {n} клиент.</numerusform>
            <numerusform>Сейчас вошли бы {n} клиента.</numerusform>
            <numerusform>Сейчас вошли бы {n} клиентов.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>paste {n} nodes</source>
        <translation>
            <numerusform>вставить {n} узел</numerusform>
            <numerusform>вставить {n} узла</numerusform>
            <numerusform>вставить {n} узлов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>paste {n} items</source>
        <translation>
            <numerusform>вставить {n} элемент</numerusform>
            <numerusform>вставить {n} элемента</numerusform>
            <numerusform>вставить {n} элементов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pasted {n} items.</source>
        <translation>
            <numerusform>Вставлен {n} элемент.</numerusform>
            <numerusform>Вставлено {n} элемента.</numerusform>
            <numerusform>Вставлено {n} элементов.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{n} customer(s) at node &apos;{node}&apos;</source>
        <translation>
            <numerusform>{n} клиент в узле «{node}»</numerusform>
            <numerusform>{n} клиента в узле «{node}»</numerusform>
            <numerusform>{n} клиентов в узле «{node}»</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CrmDialog</name>
    <message>
        <source>Connect to a CRM</source>
        <translation>Подключение к CRM</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>Файл SQLite</translation>
    </message>
    <message>
        <source>PostgreSQL server</source>
        <translation>Сервер PostgreSQL</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <source>path to the shop&apos;s .db file</source>
        <translation>путь к файлу базы магазина (.db)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>kept in the keyring, never in a file</source>
        <translation>хранится в связке ключей системы, а не в файле</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Хост</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>База данных</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Keep the password for this session only</source>
        <translation>Помнить пароль только до закрытия программы</translation>
    </message>
    <message>
        <source>The password cannot be stored safely: {why}.</source>
        <translation>Пароль нельзя сохранить надёжно: {why}.</translation>
    </message>
    <message>
        <source>The shop&apos;s SQLite database</source>
        <translation>База данных магазина SQLite</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)</source>
        <translation>Базы данных SQLite (*.db *.sqlite *.sqlite3);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Choose the SQLite file first.</source>
        <translation>Сначала выберите файл SQLite.</translation>
    </message>
    <message>
        <source>Password kept {where}.</source>
        <translation>Пароль сохранён ({where}).</translation>
    </message>
</context>
<context>
    <name>DeliveryDialog</name>
    <message>
        <source>Sends by</source>
        <translation>Способ отправки</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>Messages for this channel stay queued until it is set up.</source>
        <translation>Сообщения этого канала ждут в очереди, пока он не настроен.</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Почтовая служба</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <source>Another server (custom)</source>
        <translation>Другой сервер (вручную)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Secret header&apos;s value</source>
        <translation>Значение секретного заголовка</translation>
    </message>
    <message>
        <source>one is kept in the keyring: type to replace it</source>
        <translation>сохранён в связке ключей: введите новый, чтобы заменить</translation>
    </message>
    <message>
        <source>kept in the keyring, never in the file</source>
        <translation>хранится в связке ключей, никогда в файле</translation>
    </message>
    <message>
        <source>Choose how this channel sends first.</source>
        <translation>Сначала выберите, как этот канал отправляет.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Проверяю…</translation>
    </message>
    <message>
        <source>Delivery settings</source>
        <translation>Настройки доставки</translation>
    </message>
    <message>
        <source>The settings file {path} cannot be read ({detail}). Fix it in a text editor first: Scenarist does not rewrite a file it cannot read whole.</source>
        <translation>Файл настроек {path} не читается ({detail}). Сначала исправьте его в текстовом редакторе: Scenarist не переписывает файл, который не может прочитать целиком.</translation>
    </message>
    <message>
        <source>Limit and currency</source>
        <translation>Лимит и валюта</translation>
    </message>
    <message>
        <source>Kept in {path}, which the scheduler and the command line read too. Passwords go to the keyring.</source>
        <translation>Сохраняется в {path}; этот же файл читают планировщик и командная строка. Пароли — в связке ключей.</translation>
    </message>
    <message>
        <source>Keep passwords for this session only</source>
        <translation>Хранить пароли только до конца сеанса</translation>
    </message>
    <message>
        <source>Limit how many messages one customer gets</source>
        <translation>Ограничить число сообщений одному клиенту</translation>
    </message>
    <message>
        <source>No more than</source>
        <translation>Не больше</translation>
    </message>
    <message>
        <source>messages in</source>
        <translation>сообщений за</translation>
    </message>
    <message>
        <source>days</source>
        <translation>дн.</translation>
    </message>
    <message>
        <source>All scenarios together; messages over the limit are not sent and count as “capped”.</source>
        <translation>По всем сценариям вместе; сообщения сверх лимита не отправляются и считаются «сверх лимита».</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Валюта</translation>
    </message>
    <message>
        <source>How money is written in reports and simulations; nothing is converted.</source>
        <translation>Как деньги пишутся в отчётах и симуляциях; ничего не пересчитывается.</translation>
    </message>
    <message>
        <source>Send a test request</source>
        <translation>Проверочный запрос</translation>
    </message>
    <message>
        <source>Scenarist sends one test message to this address, as a run would. A real gateway may deliver it to the recipient below.</source>
        <translation>Scenarist отправит на этот адрес одно проверочное сообщение, как при запуске. Настоящий шлюз может доставить его получателю, указанному ниже.</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>Получатель</translation>
    </message>
    <message>
        <source>Send the test request</source>
        <translation>Отправить проверочный запрос</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>change “{name}”</source>
        <translation>изменить «{name}»</translation>
    </message>
    <message>
        <source>delete nodes and notes</source>
        <translation>удалить узлы и заметки</translation>
    </message>
    <message>
        <source>the clipboard holds no Scenarist nodes</source>
        <translation>в буфере обмена нет узлов Scenarist</translation>
    </message>
    <message>
        <source>the copied nodes have unknown types: {types}</source>
        <translation>у скопированных узлов неизвестные типы: {types}</translation>
    </message>
    <message>
        <source>rename the scenario</source>
        <translation>переименовать сценарий</translation>
    </message>
    <message>
        <source>change the description</source>
        <translation>изменить описание</translation>
    </message>
    <message>
        <source>change the timezone</source>
        <translation>изменить часовой пояс</translation>
    </message>
    <message>
        <source>change re-entry</source>
        <translation>изменить повторный вход</translation>
    </message>
    <message>
        <source>change the start date</source>
        <translation>изменить дату начала</translation>
    </message>
    <message>
        <source>change the end date</source>
        <translation>изменить дату окончания</translation>
    </message>
    <message>
        <source>change the sending window</source>
        <translation>изменить окно отправки</translation>
    </message>
    <message>
        <source>change the goal</source>
        <translation>изменить цель</translation>
    </message>
    <message>
        <source>change the settings</source>
        <translation>изменить настройки</translation>
    </message>
    <message>
        <source>New scenario</source>
        <translation>Новый сценарий</translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <source>Insert a customer&apos;s field, an order figure or the bonus</source>
        <translation>Вставить поле клиента, число заказов или бонус</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Ветка</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Вес</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>Контроль</translation>
    </message>
    <message>
        <source>The control branch gets nothing: what the other branches add is read against it</source>
        <translation>Контрольная ветка ничего не получает: то, что добавили другие ветки, считается относительно неё</translation>
    </message>
    <message>
        <source>+ Branch</source>
        <translation>+ Ветка</translation>
    </message>
    <message>
        <source>Remove branch</source>
        <translation>Удалить ветку</translation>
    </message>
    <message>
        <source>Customers no branch takes go on by &apos;other&apos;.</source>
        <translation>Клиенты, которых не взяла ни одна ветка, идут по «other».</translation>
    </message>
    <message>
        <source>The branch&apos;s port name on the canvas</source>
        <translation>Имя выхода ветки на холсте</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>не задано</translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation>ЧЧ:ММ</translation>
    </message>
    <message>
        <source>Preview for</source>
        <translation>Пример для</translation>
    </message>
    <message>
        <source>no CRM: {error}</source>
        <translation>нет CRM: {error}</translation>
    </message>
    <message>
        <source>Send a test…</source>
        <translation>Тестовая отправка…</translation>
    </message>
    <message>
        <source>Connect a CRM to see the message for a customer.</source>
        <translation>Подключите CRM, чтобы увидеть сообщение для конкретного клиента.</translation>
    </message>
    <message>
        <source>Latin letters: 160 characters fit one SMS (153 a part when longer)</source>
        <translation>латиница: в одно SMS входит 160 знаков (в длинном — по 153 на часть)</translation>
    </message>
    <message>
        <source>Cyrillic or emoji: 70 characters fit one SMS (67 a part when longer)</source>
        <translation>кириллица или эмодзи: в одно SMS входит 70 знаков (в длинном — по 67 на часть)</translation>
    </message>
    <message>
        <source>{encoding} · {characters} characters · {parts} part(s)</source>
        <translation>{encoding} · символов: {characters} · частей: {parts}</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <source>Timezone</source>
        <translation>Часовой пояс</translation>
    </message>
    <message>
        <source>may enter again after</source>
        <translation>могут войти снова через</translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Active from</source>
        <translation>Действует с</translation>
    </message>
    <message>
        <source>Active until</source>
        <translation>Действует по</translation>
    </message>
    <message>
        <source>Sending window</source>
        <translation>Окно отправки</translation>
    </message>
    <message>
        <source>Control group</source>
        <translation>Контрольная группа</translation>
    </message>
    <message>
        <source>7 days (the default)</source>
        <translation>7 дней (по умолчанию)</translation>
    </message>
    <message>
        <source>How long after taking a branch (or entering) an order counts against the control</source>
        <translation>Сколько дней после выбора ветки (или входа) заказ учитывается при сравнении с контролем</translation>
    </message>
    <message>
        <source>Results over</source>
        <translation>Результаты за</translation>
    </message>
    <message>
        <source>Goal</source>
        <translation>Цель</translation>
    </message>
    <message>
        <source>hold out</source>
        <translation>оставить без рассылок</translation>
    </message>
    <message>
        <source>% of entrants, who get nothing</source>
        <translation>% вошедших, они ничего не получают</translation>
    </message>
    <message>
        <source>send only on these days and hours</source>
        <translation>отправлять только в эти дни и часы</translation>
    </message>
    <message>
        <source>from</source>
        <translation>с</translation>
    </message>
    <message>
        <source>to</source>
        <translation>до</translation>
    </message>
    <message>
        <source>Customers who meet these conditions leave the scenario at once, wherever they wait, and get nothing more. No condition: no goal.</source>
        <translation>Клиенты, выполнившие эти условия, сразу выходят из сценария, где бы они ни ждали, и больше ничего не получают. Нет условий — нет цели.</translation>
    </message>
    <message>
        <source>all of these</source>
        <translation>все условия</translation>
    </message>
    <message>
        <source>any of these</source>
        <translation>любое из условий</translation>
    </message>
</context>
<context>
    <name>Lookup</name>
    <message>
        <source>Customer id, email, phone or name…</source>
        <translation>Номер клиента, email, телефон или имя…</translation>
    </message>
    <message>
        <source>Type to find a customer: where they are in the scenarios, what they got, and why they would or would not enter today.</source>
        <translation>Начните вводить, чтобы найти клиента: где он в сценариях, что получил и почему войдёт или не войдёт сегодня.</translation>
    </message>
    <message>
        <source>No customer begins with “{text}”.</source>
        <translation>Нет клиентов, начинающихся с «{text}».</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>holds</source>
        <translation>выполняется</translation>
    </message>
    <message>
        <source>does not hold</source>
        <translation>не выполняется</translation>
    </message>
    <message>
        <source>Never was in a scenario.</source>
        <translation>Ни разу не был в сценарии.</translation>
    </message>
    <message>
        <source>Entered {at}; {end}.</source>
        <translation>Вошёл {at}; {end}.</translation>
    </message>
    <message>
        <source>{n} points</source>
        <translation>баллов: {n}</translation>
    </message>
    <message>
        <source>Order {order} of {total} on {at}, after {step}</source>
        <translation>Заказ {order} на {total} {at}, после шага «{step}»</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Scenarist scenarios (*.scenario.json *.json);;All files (*)</source>
        <translation>Сценарии Scenarist (*.scenario.json *.json);;Все файлы (*)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Создать</translation>
    </message>
    <message>
        <source>New &amp;window</source>
        <translation>Новое &amp;окно</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Открыть…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Со&amp;хранить</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>Сохранить &amp;как…</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>&amp;Закрыть окно</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>Повто&amp;рить</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Вырезать</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Копировать</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>Вст&amp;авить</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>&amp;Дублировать</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>Выделить в&amp;сё</translation>
    </message>
    <message>
        <source>Add a node by &amp;name…</source>
        <translation>Добавить узел по &amp;названию…</translation>
    </message>
    <message>
        <source>&amp;Find a node…</source>
        <translation>&amp;Найти узел…</translation>
    </message>
    <message>
        <source>A&amp;rrange</source>
        <translation>&amp;Упорядочить</translation>
    </message>
    <message>
        <source>Add a n&amp;ote</source>
        <translation>Добавить за&amp;метку</translation>
    </message>
    <message>
        <source>F&amp;rame the selection</source>
        <translation>Обвести выбранное &amp;рамкой</translation>
    </message>
    <message>
        <source>Zoom to &amp;fit</source>
        <translation>&amp;Показать всё</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Увеличить</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>У&amp;меньшить</translation>
    </message>
    <message>
        <source>&amp;Connect to a CRM…</source>
        <translation>&amp;Подключить CRM…</translation>
    </message>
    <message>
        <source>&amp;Map CRM columns…</source>
        <translation>&amp;Сопоставить столбцы CRM…</translation>
    </message>
    <message>
        <source>&amp;Suppressions…</source>
        <translation>&amp;Стоп-лист…</translation>
    </message>
    <message>
        <source>&amp;Delivery…</source>
        <translation>&amp;Доставка…</translation>
    </message>
    <message>
        <source>&amp;Recount now</source>
        <translation>П&amp;ересчитать</translation>
    </message>
    <message>
        <source>&amp;Add this scenario to the workspace</source>
        <translation>&amp;Добавить сценарий в рабочую папку</translation>
    </message>
    <message>
        <source>New shop from CSV/&amp;Excel…</source>
        <translation>Новый магазин из CSV/&amp;Excel…</translation>
    </message>
    <message>
        <source>Scenario se&amp;ttings</source>
        <translation>Настрой&amp;ки сценария</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Горячие клавиши</translation>
    </message>
    <message>
        <source>&amp;About Scenarist</source>
        <translation>&amp;О программе Scenarist</translation>
    </message>
    <message>
        <source>New from &amp;template…</source>
        <translation>Создать из &amp;шаблона…</translation>
    </message>
    <message>
        <source>&amp;Import a shared scenario…</source>
        <translation>&amp;Импортировать сценарий…</translation>
    </message>
    <message>
        <source>&amp;Simulate…</source>
        <translation>&amp;Симуляция…</translation>
    </message>
    <message>
        <source>Export picture as &amp;PNG…</source>
        <translation>Экспорт картинки в &amp;PNG…</translation>
    </message>
    <message>
        <source>Export picture as S&amp;VG…</source>
        <translation>Экспорт картинки в S&amp;VG…</translation>
    </message>
    <message>
        <source>Client &amp;report (HTML)…</source>
        <translation>&amp;Отчёт для клиента (HTML)…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>Sce&amp;nario</source>
        <translation>С&amp;ценарий</translation>
    </message>
    <message>
        <source>&amp;CRM</source>
        <translation>&amp;CRM</translation>
    </message>
    <message>
        <source>&amp;Scheduler</source>
        <translation>Пл&amp;анировщик</translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation>&amp;Настройки</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>Customer lookup</source>
        <translation>Поиск клиента</translation>
    </message>
    <message>
        <source>add “{name}”</source>
        <translation>добавить «{name}»</translation>
    </message>
    <message>
        <source>delete nodes</source>
        <translation>удалить узлы</translation>
    </message>
    <message>
        <source>move nodes</source>
        <translation>переместить узлы</translation>
    </message>
    <message>
        <source>rename “{name}”</source>
        <translation>переименовать «{name}»</translation>
    </message>
    <message>
        <source>change “{name}”</source>
        <translation>изменить «{name}»</translation>
    </message>
    <message>
        <source>change edges</source>
        <translation>изменить связи</translation>
    </message>
    <message>
        <source>add nodes</source>
        <translation>добавить узлы</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Недавние файлы</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Узлы</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Свойства</translation>
    </message>
    <message>
        <source>Preview: today</source>
        <translation>Прогноз на сегодня</translation>
    </message>
    <message>
        <source>Problems ({n})</source>
        <translation>Проблемы ({n})</translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation>Планировщик</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Основная панель</translation>
    </message>
    <message>
        <source>Counting customers…</source>
        <translation>Подсчёт клиентов…</translation>
    </message>
    <message>
        <source>Scheduler off: connect a CRM first</source>
        <translation>Планировщик выключен: сначала подключите CRM</translation>
    </message>
    <message>
        <source>Add to the workspace</source>
        <translation>Добавление в рабочую папку</translation>
    </message>
    <message>
        <source>{name} is already in the workspace. Replace it?</source>
        <translation>{name} уже есть в рабочей папке. Заменить?</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>без имени</translation>
    </message>
    <message>
        <source>Counts wait until the problems are fixed.</source>
        <translation>Подсчёт начнётся, когда проблемы будут исправлены.</translation>
    </message>
    <message>
        <source>Counted in {s} s</source>
        <translation>Подсчитано за {s} с</translation>
    </message>
    <message>
        <source>Counts unavailable: {m}</source>
        <translation>Подсчёт недоступен: {m}</translation>
    </message>
    <message>
        <source>no CRM connected</source>
        <translation>CRM не подключена</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>нет подключения</translation>
    </message>
    <message>
        <source>The CRM cannot be used: {e}</source>
        <translation>CRM нельзя использовать: {e}</translation>
    </message>
    <message>
        <source>no CRM</source>
        <translation>нет CRM</translation>
    </message>
    <message>
        <source>CRM: {name}</source>
        <translation>CRM: {name}</translation>
    </message>
    <message>
        <source>Map CRM columns</source>
        <translation>Сопоставление столбцов CRM</translation>
    </message>
    <message>
        <source>Delivery settings saved in {path}</source>
        <translation>Настройки доставки сохранены в {path}</translation>
    </message>
    <message>
        <source>Select nodes to copy.</source>
        <translation>Выделите узлы, которые нужно скопировать.</translation>
    </message>
    <message>
        <source>delete edges</source>
        <translation>удаление связей</translation>
    </message>
    <message>
        <source>Part of the scenario is beyond the canvas: the wheel zooms out, the middle button drags.</source>
        <translation>Часть сценария за краем холста: колесо мыши отдаляет, средняя кнопка перетаскивает.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <source>“{name}” has unsaved changes. Save them?</source>
        <translation>В сценарии «{name}» есть несохранённые изменения. Сохранить их?</translation>
    </message>
    <message>
        <source>Import a shared scenario</source>
        <translation>Импорт сценария</translation>
    </message>
    <message>
        <source>Cannot import the file</source>
        <translation>Не удаётся импортировать файл</translation>
    </message>
    <message>
        <source>{path} cannot be imported:</source>
        <translation>Файл {path} нельзя импортировать:</translation>
    </message>
    <message>
        <source>Fields missing in the CRM</source>
        <translation>В CRM нет нужных полей</translation>
    </message>
    <message>
        <source>This scenario uses customer fields your CRM does not have:</source>
        <translation>Сценарий использует поля клиента, которых нет в вашей CRM:</translation>
    </message>
    <message>
        <source>Map them to your CRM&apos;s columns, or change the conditions that use them (see Problems).</source>
        <translation>Сопоставьте их со столбцами вашей CRM или измените условия, которые их используют (см. «Проблемы»).</translation>
    </message>
    <message>
        <source>Map columns…</source>
        <translation>Сопоставить столбцы…</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Позже</translation>
    </message>
    <message>
        <source>Export picture</source>
        <translation>Экспорт картинки</translation>
    </message>
    <message>
        <source>Picture saved: {path}</source>
        <translation>Картинка сохранена: {path}</translation>
    </message>
    <message>
        <source>Client report</source>
        <translation>Отчёт для клиента</translation>
    </message>
    <message>
        <source>Report saved: {path}</source>
        <translation>Отчёт сохранён: {path}</translation>
    </message>
    <message>
        <source>Open a scenario</source>
        <translation>Открыть сценарий</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>Не удаётся открыть файл</translation>
    </message>
    <message>
        <source>{path} cannot be opened:</source>
        <translation>Не удаётся открыть {path}:</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(пока пусто)</translation>
    </message>
    <message>
        <source>Save the scenario</source>
        <translation>Сохранить сценарий</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Не удаётся сохранить</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Сохранено: {path}</translation>
    </message>
    <message>
        <source>About Scenarist</source>
        <translation>О программе Scenarist</translation>
    </message>
    <message>
        <source>Scenarist draws customer scenarios and runs them every day against your shop&apos;s CRM.</source>
        <translation>Scenarist помогает рисовать сценарии работы с клиентами и каждый день выполняет их по базе клиентов вашего магазина.</translation>
    </message>
    <message>
        <source>The scenario is arranged already.</source>
        <translation>Сценарий уже упорядочен.</translation>
    </message>
    <message>
        <source>Select the nodes to frame first.</source>
        <translation>Сначала выберите узлы, которые нужно обвести рамкой.</translation>
    </message>
    <message>
        <source>Open {name}</source>
        <translation>Открыть {name}</translation>
    </message>
    <message>
        <source>Open {path} in the application your system uses for it</source>
        <translation>Открыть {path} в программе, которую для него выбрала система</translation>
    </message>
    <message>
        <source>No application opened {path}: open it from your file manager.</source>
        <translation>Ни одна программа не открыла {path}: откройте его в файловом менеджере.</translation>
    </message>
    <message>
        <source>No customer entered this scenario in the period: results appear once it has run.</source>
        <translation>За этот период в сценарий никто не вошёл: результаты появятся, когда он поработает.</translation>
    </message>
</context>
<context>
    <name>MappingDialog</name>
    <message>
        <source>Map your CRM&apos;s tables and columns</source>
        <translation>Сопоставление таблиц и столбцов вашей CRM</translation>
    </message>
    <message>
        <source>Customers table:</source>
        <translation>Таблица клиентов:</translation>
    </message>
    <message>
        <source>Customers: five rows</source>
        <translation>Клиенты: первые пять строк</translation>
    </message>
    <message>
        <source>Customers columns</source>
        <translation>Столбцы клиентов</translation>
    </message>
    <message>
        <source>Orders table:</source>
        <translation>Таблица заказов:</translation>
    </message>
    <message>
        <source>Orders: five rows</source>
        <translation>Заказы: первые пять строк</translation>
    </message>
    <message>
        <source>Orders columns</source>
        <translation>Столбцы заказов</translation>
    </message>
    <message>
        <source> (optional)</source>
        <translation> (необязательно)</translation>
    </message>
    <message>
        <source> (used by the scenario)</source>
        <translation> (нужно сценарию)</translation>
    </message>
    <message>
        <source>Order statuses that count as a completed purchase</source>
        <translation>Статусы заказов, которые считаются завершённой покупкой</translation>
    </message>
    <message>
        <source>Still to map: {columns}</source>
        <translation>Осталось сопоставить: {columns}</translation>
    </message>
</context>
<context>
    <name>NodeForm</name>
    <message>
        <source>In the scenario file: node “{id}”</source>
        <translation>В файле сценария: узел «{id}»</translation>
    </message>
</context>
<context>
    <name>Panes</name>
    <message>
        <source>Drag onto the canvas, or double-click to add.</source>
        <translation>Перетащите на холст или дважды щёлкните, чтобы добавить.</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Reach today</source>
        <translation>Дойдут сегодня</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>Ждут сейчас</translation>
    </message>
    <message>
        <source>Leave by</source>
        <translation>Выходят по</translation>
    </message>
    <message>
        <source>reached the goal {n}</source>
        <translation>достигли цели {n}</translation>
    </message>
    <message>
        <source>{n} ({held} held by budget)</source>
        <translation>{n} (из них бюджет держит {held})</translation>
    </message>
    <message>
        <source>No problems: the scenario can run.</source>
        <translation>Проблем нет: сценарий можно запускать.</translation>
    </message>
</context>
<context>
    <name>Results</name>
    <message>
        <source>last 7 days</source>
        <translation>последние 7 дней</translation>
    </message>
    <message>
        <source>last 30 days</source>
        <translation>последние 30 дней</translation>
    </message>
    <message>
        <source>last 90 days</source>
        <translation>последние 90 дней</translation>
    </message>
    <message>
        <source>last year</source>
        <translation>последний год</translation>
    </message>
    <message>
        <source>all time</source>
        <translation>всё время</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Badges: who would reach each step today, and who waits</source>
        <translation>Значки: кто дойдёт до каждого шага сегодня и кто ждёт</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Результаты</translation>
    </message>
    <message>
        <source>Badges: messages sent, customers converted and revenue over the period; uplift on splits with a control</source>
        <translation>Значки: отправленные сообщения, сконвертировавшиеся клиенты и выручка за период; прирост на разделениях с контролем</translation>
    </message>
    <message>
        <source>control: {n}</source>
        <translation>контроль: {n}</translation>
    </message>
    <message>
        <source>too small to tell</source>
        <translation>пока мало данных</translation>
    </message>
    <message>
        <source>uplift {pp} pp</source>
        <translation>прирост {pp} п.п.</translation>
    </message>
    <message>
        <source>{n} reached</source>
        <translation>дошли: {n}</translation>
    </message>
    <message>
        <source>{n} entered</source>
        <translation>вошли: {n}</translation>
    </message>
    <message>
        <source>{n} sent</source>
        <translation>отправлено: {n}</translation>
    </message>
    <message>
        <source>{n} converted</source>
        <translation>купили: {n}</translation>
    </message>
    <message>
        <source>{group}: {customers} customers, {converted} converted ({rate}), {rpc} per customer</source>
        <translation>{group}: клиентов {customers}, купили {converted} ({rate}), {rpc} на клиента</translation>
    </message>
    <message>
        <source>uplift {pp} pp (95%: {low} to {high})</source>
        <translation>прирост {pp} п.п. (95 %: от {low} до {high})</translation>
    </message>
    <message>
        <source>too few customers to tell yet</source>
        <translation>пока слишком мало клиентов, чтобы судить</translation>
    </message>
</context>
<context>
    <name>RunQuestions</name>
    <message>
        <source>Messages that would be queued and sent: {listed}.</source>
        <translation>Сообщения, которые будут поставлены в очередь и отправлены: {listed}.</translation>
    </message>
    <message>
        <source>No message would be sent.</source>
        <translation>Ни одно сообщение не будет отправлено.</translation>
    </message>
    <message>
        <source>Skipped for no consent or no address: {n}.</source>
        <translation>Пропущено из-за отсутствия согласия или адреса: {n}.</translation>
    </message>
    <message>
        <source>Held back by the frequency cap: {n}.</source>
        <translation>Не отправятся из-за ограничения частоты: {n}.</translation>
    </message>
    <message>
        <source>Tasks for managers: {n}.</source>
        <translation>Задач менеджерам: {n}.</translation>
    </message>
    <message>
        <source>SMS parts: {parts}.</source>
        <translation>Частей SMS: {parts}.</translation>
    </message>
    <message>
        <source>SMS parts: {parts}, costing {cost}.</source>
        <translation>Частей SMS: {parts}, стоимость {cost}.</translation>
    </message>
    <message>
        <source>Bonuses granted: {points} points, {codes} promo codes.</source>
        <translation>Бонусы: баллов — {points}, промокодов — {codes}.</translation>
    </message>
    <message>
        <source>Run “{name}” now, for real? Version {version}, {at} ({zone}).</source>
        <translation>Запустить «{name}» сейчас по-настоящему? Версия {version}, {at} ({zone}).</translation>
    </message>
    <message>
        <source>Run now</source>
        <translation>Запустить сейчас</translation>
    </message>
    <message>
        <source>Run and send</source>
        <translation>Запустить и отправить</translation>
    </message>
    <message>
        <source>It will be published as version {v}.</source>
        <translation>Он будет опубликован как версия {v}.</translation>
    </message>
    <message>
        <source>It runs as version {v}, which is already published.</source>
        <translation>Будет работать уже опубликованная версия {v}.</translation>
    </message>
    <message>
        <source>From then on it runs every day by itself; the first run is on {at} ({zone}).</source>
        <translation>Дальше он запускается сам каждый день; первый запуск — {at} ({zone}).</translation>
    </message>
    <message>
        <source>Switch “{name}” on?</source>
        <translation>Включить «{name}»?</translation>
    </message>
    <message>
        <source>If it ran now:</source>
        <translation>Если бы он запустился сейчас:</translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation>Включить</translation>
    </message>
    <message>
        <source>“{name}” is switched off, so it does not run for real from here: nothing would be sent. Switch it on to run it, or simulate it on a copy of the CRM to see what it would do.</source>
        <translation>Сценарий «{name}» выключен, поэтому отсюда его нельзя запустить по-настоящему: ничего не будет отправлено. Включите его, чтобы запустить, или смоделируйте на копии CRM, чтобы увидеть, что он сделал бы.</translation>
    </message>
    <message>
        <source>Simulate…</source>
        <translation>Смоделировать…</translation>
    </message>
</context>
<context>
    <name>SchedulerPanel</name>
    <message>
        <source>running</source>
        <translation>выполняется</translation>
    </message>
    <message>
        <source>done</source>
        <translation>выполнен</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>остановлен</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>прерван</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Вкл.</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>Следующий запуск</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Последний запуск</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Run now</source>
        <translation>Запустить сейчас</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Остановить запуск</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Run at</source>
        <translation>Время запуска</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Entered</source>
        <translation>Вошли</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Отправлено</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибки</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Пропущено</translation>
    </message>
    <message>
        <source>Over the cap</source>
        <translation>Сверх лимита</translation>
    </message>
    <message>
        <source>Bonuses</source>
        <translation>Бонусы</translation>
    </message>
    <message>
        <source>Suppressed</source>
        <translation>В стоп-листе</translation>
    </message>
    <message>
        <source>Reached the goal</source>
        <translation>Достигли цели</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Узел</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>Дошли</translation>
    </message>
    <message>
        <source>Workspace: {folder}</source>
        <translation>Рабочая папка: {folder}</translation>
    </message>
    <message>
        <source>off: runs only when switched on</source>
        <translation>выключен: запускается, только когда включён</translation>
    </message>
    <message>
        <source>never yet</source>
        <translation>ещё не запускался</translation>
    </message>
    <message>
        <source>{status}: entered {entered}, queued {queued}, sent {sent}</source>
        <translation>{status}: вошли {entered}, в очереди {queued}, отправлено {sent}</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} с</translation>
    </message>
    <message>
        <source>Cannot enable</source>
        <translation>Не удаётся включить</translation>
    </message>
    <message>
        <source>Customers at deleted nodes</source>
        <translation>Клиенты в удалённых узлах</translation>
    </message>
    <message>
        <source>Version {v} deleted nodes where customers wait:
{lines}

End their way through the scenario now, or leave them to decide later?</source>
        <translation>В версии {v} удалены узлы, в которых ждут клиенты:
{lines}

Завершить для них сценарий сейчас или решить позже?</translation>
    </message>
    <message>
        <source>Move them to…</source>
        <translation>Перевести в…</translation>
    </message>
    <message>
        <source>End them</source>
        <translation>Завершить</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>Решить позже</translation>
    </message>
    <message>
        <source>Move customers</source>
        <translation>Перевод клиентов</translation>
    </message>
    <message>
        <source>Move them to node:</source>
        <translation>Перевести в узел:</translation>
    </message>
    <message>
        <source>Cannot run</source>
        <translation>Не удаётся запустить</translation>
    </message>
</context>
<context>
    <name>SchedulerService</name>
    <message>
        <source>Scheduler off: {e}</source>
        <translation>Планировщик выключен: {e}</translation>
    </message>
    <message>
        <source>Scheduler: {name} will run now</source>
        <translation>Планировщик: «{name}» сейчас запустится</translation>
    </message>
    <message>
        <source>Scheduler: running {name}</source>
        <translation>Планировщик: выполняется «{name}»</translation>
    </message>
    <message>
        <source>Scheduler: running {name}, step {done} of {steps}</source>
        <translation>Планировщик: выполняется «{name}», шаг {done} из {steps}</translation>
    </message>
    <message>
        <source>Scheduler: on, no scenario enabled</source>
        <translation>Планировщик работает, включённых сценариев нет</translation>
    </message>
    <message>
        <source>Scheduler: on, next {name} at {at}</source>
        <translation>Планировщик работает, следующий запуск: «{name}» в {at}</translation>
    </message>
</context>
<context>
    <name>ShopImportWizard</name>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>Отменено: ничего не импортировано.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Импорт</translation>
    </message>
    <message>
        <source>Every row is checked first: a file with a bad row imports nothing unless you import the rest.</source>
        <translation>Сначала проверяется каждая строка: если в файле есть ошибочная строка, ничего не импортируется, пока вы не выберете импорт остального.</translation>
    </message>
    <message>
        <source>Import the rest, and keep the rejected rows in a CSV file beside the shop</source>
        <translation>Импортировать остальное, а отклонённые строки сохранить в CSV-файл рядом с магазином</translation>
    </message>
    <message>
        <source>New shop from CSV/Excel</source>
        <translation>Новый магазин из CSV/Excel</translation>
    </message>
    <message>
        <source>Reading and checking every row…</source>
        <translation>Читаю и проверяю каждую строку…</translation>
    </message>
    <message>
        <source>{table}: rows read: {rows}</source>
        <translation>{table}: прочитано строк: {rows}</translation>
    </message>
    <message>
        <source>Finish connects the window to {path}.</source>
        <translation>Кнопка «Завершить» подключит окно к {path}.</translation>
    </message>
    <message>
        <source>Nothing was imported. Bad rows: {n}, listed below by file, line and column. Correct the files, or import the rest.</source>
        <translation>Ничего не импортировано. Ошибочных строк: {n}, они перечислены ниже с файлом, строкой и столбцом. Исправьте файлы или импортируйте остальное.</translation>
    </message>
    <message>
        <source>Customers:</source>
        <translation>Клиенты:</translation>
    </message>
    <message>
        <source>Orders:</source>
        <translation>Заказы:</translation>
    </message>
    <message>
        <source>Site events (optional):</source>
        <translation>События сайта (необязательно):</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Заказы</translation>
    </message>
    <message>
        <source>Site events</source>
        <translation>События сайта</translation>
    </message>
    <message>
        <source>Your exported files</source>
        <translation>Ваши выгруженные файлы</translation>
    </message>
    <message>
        <source>CSV (any encoding and delimiter a spreadsheet uses) or Excel .xlsx; the first line names the columns.</source>
        <translation>CSV (в любой кодировке и с любым разделителем, как сохраняют таблицы) или Excel .xlsx; в первой строке — названия столбцов.</translation>
    </message>
    <message>
        <source>Save the shop as:</source>
        <translation>Сохранить магазин в файл:</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <source>An SQLite file. Choose one made here before to refresh it from a newer export: customers and orders are updated by id, nothing is deleted, running scenarios go on.</source>
        <translation>Файл SQLite. Выберите созданный здесь раньше, чтобы обновить его из свежей выгрузки: клиенты и заказы обновятся по номеру, ничего не удалится, работающие сценарии продолжатся.</translation>
    </message>
    <message>
        <source>Save the shop as</source>
        <translation>Сохранить магазин в файл</translation>
    </message>
    <message>
        <source>columns: {headers}</source>
        <translation>столбцы: {headers}</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Столбцы</translation>
    </message>
    <message>
        <source>Headers named as Scenarist&apos;s columns are chosen already; choose the others. Columns left empty are not imported.</source>
        <translation>Заголовки, названные как столбцы Scenarist, уже выбраны; выберите остальные. Пустые столбцы не импортируются.</translation>
    </message>
    <message>
        <source>* every row needs it</source>
        <translation>* нужен в каждой строке</translation>
    </message>
    <message>
        <source>Still to choose: {columns}</source>
        <translation>Осталось выбрать: {columns}</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Tab</source>
        <translation>Tab</translation>
    </message>
    <message>
        <source>Add a node at the pointer: type part of its name, Enter</source>
        <translation>Добавить узел под указателем: введите часть названия, Enter</translation>
    </message>
    <message>
        <source>Right click on the canvas</source>
        <translation>Правый щелчок по холсту</translation>
    </message>
    <message>
        <source>The same search, to add a node where you clicked</source>
        <translation>Тот же поиск — узел появится там, где вы щёлкнули</translation>
    </message>
    <message>
        <source>← → ↑ ↓</source>
        <translation>← → ↑ ↓</translation>
    </message>
    <message>
        <source>Go to the next node (→), the one before (←), another branch of the same decision (↑ ↓)</source>
        <translation>Перейти к следующему узлу (→), к предыдущему (←), к другой ветке того же решения (↑ ↓)</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Open the selected node&apos;s form (or write in the selected note)</source>
        <translation>Открыть свойства выбранного узла (или писать в выбранной заметке)</translation>
    </message>
    <message>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <source>Rename the selected node on the canvas</source>
        <translation>Переименовать выбранный узел прямо на холсте</translation>
    </message>
    <message>
        <source>Double click on a note</source>
        <translation>Двойной щелчок по заметке</translation>
    </message>
    <message>
        <source>Write in it</source>
        <translation>Писать в ней</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Keep what you wrote in a note</source>
        <translation>Сохранить написанное в заметке</translation>
    </message>
    <message>
        <source>Escape</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Close the search, or leave a note as it was</source>
        <translation>Закрыть поиск или оставить заметку как была</translation>
    </message>
    <message>
        <source>Mouse wheel</source>
        <translation>Колесо мыши</translation>
    </message>
    <message>
        <source>Zoom in and out</source>
        <translation>Увеличить и уменьшить</translation>
    </message>
    <message>
        <source>Middle button drag, or Alt+drag</source>
        <translation>Перетаскивание средней кнопкой или с Alt</translation>
    </message>
    <message>
        <source>Move around the canvas</source>
        <translation>Перемещаться по холсту</translation>
    </message>
    <message>
        <source>Drag a node onto an edge</source>
        <translation>Перетащить узел на связь</translation>
    </message>
    <message>
        <source>Insert it into the edge (a node without edges yet)</source>
        <translation>Вставить его в связь (узел, у которого ещё нет связей)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Горячие клавиши</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>Что делают</translation>
    </message>
</context>
<context>
    <name>SimulateDialog</name>
    <message>
        <source>Simulate: {name}</source>
        <translation>Симуляция: {name}</translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>Forecast orders</source>
        <translation>Прогнозировать заказы</translation>
    </message>
    <message>
        <source>Customers who order on their own within the same days, message or not: a control converts at this rate</source>
        <translation>Клиенты, которые сами закажут в те же дни, с сообщением или без: с такой частотой покупает контрольная группа</translation>
    </message>
    <message>
        <source>Which customers order is drawn by chance: the same number draws the same ones again, another number draws others.</source>
        <translation>Кто из клиентов закажет, выбирается случайно: то же число даёт тех же клиентов, другое — других.</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Дней</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Начало</translation>
    </message>
    <message>
        <source>Chance to order after a message</source>
        <translation>Вероятность заказа после сообщения</translation>
    </message>
    <message>
        <source>Chance to order anyway</source>
        <translation>Шанс заказа и без сообщения</translation>
    </message>
    <message>
        <source>Order comes within</source>
        <translation>Заказ в течение</translation>
    </message>
    <message>
        <source>Average order</source>
        <translation>Средний чек</translation>
    </message>
    <message>
        <source>Run simulation</source>
        <translation>Запустить симуляцию</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Save CSV…</source>
        <translation>Сохранить CSV…</translation>
    </message>
    <message>
        <source>The CRM is copied first: the simulation never changes it.</source>
        <translation>Сначала CRM копируется: симуляция никогда её не меняет.</translation>
    </message>
    <message>
        <source>Draw number</source>
        <translation>Вариант выбора</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>График</translation>
    </message>
    <message>
        <source>Funnel</source>
        <translation>Воронка</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Шаги</translation>
    </message>
    <message>
        <source>Day by day</source>
        <translation>Таблица по дням</translation>
    </message>
    <message>
        <source>Customers
(each once)</source>
        <translation>Клиенты
(каждый один раз)</translation>
    </message>
    <message>
        <source>Waiting
at the end</source>
        <translation>Ждут
в конце</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <source>Bonuses</source>
        <translation>Бонусы</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Заказы</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <source>Entered</source>
        <translation>Вошли</translation>
    </message>
    <message>
        <source>The start is in the scenario&apos;s time, {zone}.</source>
        <translation>Начало — по времени сценария, {zone}.</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>Симуляция</translation>
    </message>
    <message>
        <source>Connect a CRM first (CRM → Connect to a CRM…).</source>
        <translation>Сначала подключите CRM (CRM → Подключить CRM…).</translation>
    </message>
    <message>
        <source>Copying the CRM and simulating…</source>
        <translation>Копирование CRM и симуляция…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Остановка…</translation>
    </message>
    <message>
        <source>Day {done} of {days}</source>
        <translation>День {done} из {days}</translation>
    </message>
    <message>
        <source>The simulation failed: {error}</source>
        <translation>Симуляция не удалась: {error}</translation>
    </message>
    <message>
        <source>Cancelled. The CRM was not changed.</source>
        <translation>Отменено. CRM не изменилась.</translation>
    </message>
    <message>
        <source>Done in {s} s.</source>
        <translation>Готово за {s} с.</translation>
    </message>
    <message>
        <source>{days} days: {entered} customers entered, {messages} messages, {bonuses} bonuses, {orders} orders, revenue {revenue}</source>
        <translation>Дней: {days}; вошли клиентов: {entered}, сообщений: {messages}, бонусов: {bonuses}, заказов: {orders}, выручка {revenue}</translation>
    </message>
    <message>
        <source>Save CSV</source>
        <translation>Сохранить CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>Suppressions</name>
    <message>
        <source>Suppressions</source>
        <translation>Стоп-лист</translation>
    </message>
    <message>
        <source>No scenario sends to these addresses. A server&apos;s refusal that names the recipient (an unknown mailbox, a bad number) adds one by itself.</source>
        <translation>Ни один сценарий не отправляет на эти адреса. Отказ сервера, называющий получателя (несуществующий ящик, неверный номер), добавляет адрес сам.</translation>
    </message>
    <message>
        <source>Search addresses</source>
        <translation>Поиск по адресам</translation>
    </message>
    <message>
        <source>all channels</source>
        <translation>все каналы</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Добавлен</translation>
    </message>
    <message>
        <source>No address is on the list: every scenario sends to everyone who agreed to its channel.</source>
        <translation>В списке нет ни одного адреса: сценарии отправляют всем, кто согласился на канал.</translation>
    </message>
    <message>
        <source>email or phone to add</source>
        <translation>email или телефон</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Убрать выбранные</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>Импорт CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Экспорт CSV…</translation>
    </message>
    <message>
        <source>added by hand</source>
        <translation>добавлен вручную</translation>
    </message>
    <message>
        <source>Added.</source>
        <translation>Добавлено.</translation>
    </message>
    <message>
        <source>It was on the list already.</source>
        <translation>Адрес уже был в списке.</translation>
    </message>
    <message>
        <source>Addresses removed: {n}.</source>
        <translation>Убрано адресов: {n}.</translation>
    </message>
    <message>
        <source>Added {added}, already on the list {already}, refused {bad}.</source>
        <translation>Добавлено: {added}, уже были в списке: {already}, отклонено: {bad}.</translation>
    </message>
    <message>
        <source>Line {line}: {why}</source>
        <translation>Строка {line}: {why}</translation>
    </message>
    <message>
        <source>Addresses saved: {n}.</source>
        <translation>Сохранено адресов: {n}.</translation>
    </message>
    <message>
        <source>Import CSV</source>
        <translation>Импорт CSV</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Экспорт CSV</translation>
    </message>
</context>
<context>
    <name>TemplateGallery</name>
    <message>
        <source>New from template</source>
        <translation>Создать из шаблона</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Создать</translation>
    </message>
    <message>
        <source>{n} steps: {types}</source>
        <translation>Шагов: {n} — {types}</translation>
    </message>
</context>
<context>
    <name>TestSend</name>
    <message>
        <source>Send a test</source>
        <translation>Тестовая отправка</translation>
    </message>
    <message>
        <source>Write it for</source>
        <translation>Составить для</translation>
    </message>
    <message>
        <source>your email (or phone for SMS)</source>
        <translation>ваш email (или телефон для SMS)</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>Отправить на</translation>
    </message>
    <message>
        <source>It goes through the real channel, its subject starting with “[TEST]”. Nothing is written to the CRM.</source>
        <translation>Сообщение уходит через настоящий канал, тема начинается с «[TEST]». В CRM ничего не записывается.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>Choose a customer from the list.</source>
        <translation>Выберите клиента из списка.</translation>
    </message>
    <message>
        <source>Sent to {to}: {subject}</source>
        <translation>Отправлено на {to}: {subject}</translation>
    </message>
    <message>
        <source>The server refused it: {reason}</source>
        <translation>Сервер отказал: {reason}</translation>
    </message>
</context>
</TS>
