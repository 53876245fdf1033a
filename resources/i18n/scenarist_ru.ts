<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>Canvas</name>
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
        <source>Output &apos;{port}&apos; of &apos;{node}&apos; already has an edge: an output leads to one node. Drag the edge&apos;s end to move it, or delete it first.</source>
        <translation>Выход «{port}» узла «{node}» уже занят: из выхода ведёт только одна связь. Перетащите конец связи, чтобы перенести её, или сначала удалите её.</translation>
    </message>
    <message>
        <source>Connecting &apos;{a}&apos; to &apos;{b}&apos; would make a loop; a customer must not come back to a node.</source>
        <translation>Связь «{a}» → «{b}» образует цикл: клиент не должен возвращаться в узел, где уже был.</translation>
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
        <source>since node {node}</source>
        <translation>после узла {node}</translation>
    </message>
    <message>
        <source>is used</source>
        <translation>использован</translation>
    </message>
    <message>
        <source>is not used</source>
        <translation>не использован</translation>
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
    <name>Document</name>
    <message>
        <source>the clipboard holds no Scenarist nodes</source>
        <translation>в буфере обмена нет узлов Scenarist</translation>
    </message>
    <message>
        <source>the copied nodes have unknown types: {types}</source>
        <translation>у скопированных узлов неизвестные типы: {types}</translation>
    </message>
    <message>
        <source>New scenario</source>
        <translation>Новый сценарий</translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <source>Branch</source>
        <translation>Ветка</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Вес</translation>
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
        <source>Connect a CRM to see the message for a customer.</source>
        <translation>Подключите CRM, чтобы увидеть сообщение для конкретного клиента.</translation>
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
        <source>&amp;Recount now</source>
        <translation>П&amp;ересчитать</translation>
    </message>
    <message>
        <source>&amp;Add this scenario to the workspace</source>
        <translation>&amp;Добавить сценарий в рабочую папку</translation>
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
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
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
        <source>Select nodes to copy.</source>
        <translation>Выделите узлы, которые нужно скопировать.</translation>
    </message>
    <message>
        <source>delete edges</source>
        <translation>удаление связей</translation>
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
    <name>Messages</name>
    <message>
        <source>no path from the trigger reaches this node</source>
        <translation>до этого узла нельзя дойти от старта</translation>
    </message>
    <message>
        <source>the edges make a cycle: {cycle}</source>
        <translation>связи образуют цикл: {cycle}</translation>
    </message>
    <message>
        <source>a scenario needs exactly one trigger node (found none)</source>
        <translation>в сценарии должен быть ровно один узел старта (сейчас ни одного)</translation>
    </message>
    <message>
        <source>a scenario needs exactly one trigger node (found {found})</source>
        <translation>в сценарии должен быть ровно один узел старта (найдено {found})</translation>
    </message>
    <message>
        <source>the scenario needs a name of 1 to 200 characters</source>
        <translation>у сценария должно быть название длиной от 1 до 200 символов</translation>
    </message>
    <message>
        <source>the scenario ends before it starts</source>
        <translation>сценарий заканчивается раньше, чем начинается</translation>
    </message>
    <message>
        <source>must be a whole number of days (0 or more) or null</source>
        <translation>должно быть целым числом дней (0 или больше) или пусто</translation>
    </message>
    <message>
        <source>must be a date as YYYY-MM-DD or null, not {value}</source>
        <translation>должно быть датой вида ГГГГ-ММ-ДД или пусто, а не {value}</translation>
    </message>
    <message>
        <source>unknown setting &apos;{key}&apos;</source>
        <translation>неизвестная настройка «{key}»</translation>
    </message>
    <message>
        <source>unknown key &apos;{key}&apos;</source>
        <translation>неизвестный ключ «{key}»</translation>
    </message>
    <message>
        <source>two nodes have the id &apos;{node}&apos;</source>
        <translation>у двух узлов одинаковый идентификатор «{node}»</translation>
    </message>
    <message>
        <source>unknown parameter &apos;{name}&apos; for a {type} node</source>
        <translation>неизвестный параметр «{name}» у узла «{type}»</translation>
    </message>
    <message>
        <source>missing parameter &apos;{name}&apos;</source>
        <translation>не задан параметр «{name}»</translation>
    </message>
    <message>
        <source>edge from a missing node &apos;{node}&apos;</source>
        <translation>связь идёт из несуществующего узла «{node}»</translation>
    </message>
    <message>
        <source>edge to a missing node &apos;{node}&apos;</source>
        <translation>связь ведёт в несуществующий узел «{node}»</translation>
    </message>
    <message>
        <source>a {type} node has no output port &apos;{port}&apos; (ports: {ports})</source>
        <translation>у узла «{type}» нет выхода «{port}» (выходы: {ports})</translation>
    </message>
    <message>
        <source>node &apos;{node}&apos; is a {type} and takes no incoming edge</source>
        <translation>узел «{node}» — «{type}», в него не может вести связь</translation>
    </message>
    <message>
        <source>output &apos;{port}&apos; already has an edge (edges[{index}]); an output port takes one edge</source>
        <translation>из выхода «{port}» уже идёт связь (edges[{index}]); из выхода может идти только одна связь</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not a known timezone (use an IANA name such as Europe/Moscow)</source>
        <translation>«{name}» — неизвестный часовой пояс (укажите название из базы IANA, например Europe/Moscow)</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a time of day as HH:MM (00:00 to 23:59)</source>
        <translation>«{text}» — не время суток вида ЧЧ:ММ (от 00:00 до 23:59)</translation>
    </message>
    <message>
        <source>must be a whole number, not {value}</source>
        <translation>должно быть целым числом, а не {value}</translation>
    </message>
    <message>
        <source>must be a number, not {value}</source>
        <translation>должно быть числом, а не {value}</translation>
    </message>
    <message>
        <source>must be text, not {value}</source>
        <translation>должно быть текстом, а не {value}</translation>
    </message>
    <message>
        <source>contains a NUL character</source>
        <translation>содержит символ NUL</translation>
    </message>
    <message>
        <source>is {length} characters long; at most {maximum} are allowed</source>
        <translation>длина — {length} симв., а допустимо не больше {maximum}</translation>
    </message>
    <message>
        <source>must be one of {choices}, not &apos;{value}&apos;</source>
        <translation>должно быть одним из значений {choices}, а не «{value}»</translation>
    </message>
    <message>
        <source>must be at least {minimum}, not {value}</source>
        <translation>должно быть не меньше {minimum}, а не {value}</translation>
    </message>
    <message>
        <source>must be at most {maximum}, not {value}</source>
        <translation>должно быть не больше {maximum}, а не {value}</translation>
    </message>
    <message>
        <source>a wait needs exactly one of minutes, hours or days (found {found})</source>
        <translation>у ожидания должно быть задано ровно одно из трёх: минуты, часы или дни (найдено: {found})</translation>
    </message>
    <message>
        <source>a split needs at least two branches</source>
        <translation>для A/B-теста нужны хотя бы две ветки</translation>
    </message>
    <message>
        <source>a branch is an object with &apos;port&apos; and &apos;weight&apos;</source>
        <translation>ветка — это объект с полями «port» и «weight»</translation>
    </message>
    <message>
        <source>port name &apos;{port}&apos; must be a short identifier</source>
        <translation>имя выхода «{port}» должно быть коротким идентификатором (латинские буквы, цифры, _)</translation>
    </message>
    <message>
        <source>port &apos;{port}&apos; appears twice</source>
        <translation>выход «{port}» указан дважды</translation>
    </message>
    <message>
        <source>weight must be a whole number from 0 to 10000</source>
        <translation>вес должен быть целым числом от 0 до 10000</translation>
    </message>
    <message>
        <source>the weights add up to zero</source>
        <translation>сумма весов равна нулю</translation>
    </message>
    <message>
        <source>template error: {message}</source>
        <translation>ошибка в шаблоне: {message}</translation>
    </message>
    <message>
        <source>an email needs a subject</source>
        <translation>у письма должна быть тема</translation>
    </message>
    <message>
        <source>the message body is empty</source>
        <translation>текст сообщения пуст</translation>
    </message>
    <message>
        <source>a promo code needs a prefix of 1 to 16 capital letters, digits, - or _</source>
        <translation>для промокода нужен префикс из 1–16 заглавных латинских букв, цифр, «-» или «_»</translation>
    </message>
    <message>
        <source>points need an amount</source>
        <translation>для баллов нужно указать количество</translation>
    </message>
    <message>
        <source>the CRM has no bonus_points column to credit; points stay in the ledger only</source>
        <translation>в CRM нет столбца bonus_points для начисления; баллы останутся только в журнале бонусов</translation>
    </message>
    <message>
        <source>a condition must be an object</source>
        <translation>условие должно быть объектом</translation>
    </message>
    <message>
        <source>must be &apos;all&apos; or &apos;any&apos;</source>
        <translation>должно быть «all» или «any»</translation>
    </message>
    <message>
        <source>groups are nested more than {depth} deep</source>
        <translation>группы вложены глубже чем на {depth} уровней</translation>
    </message>
    <message>
        <source>a field condition needs a field name</source>
        <translation>в условии по полю клиента нужно выбрать поле</translation>
    </message>
    <message>
        <source>the CRM has no customer field &apos;{field}&apos;</source>
        <translation>в CRM нет поля клиента «{field}»</translation>
    </message>
    <message>
        <source>&apos;{op}&apos; takes no value</source>
        <translation>для «{op}» значение не нужно</translation>
    </message>
    <message>
        <source>&apos;in&apos; needs a list of values</source>
        <translation>для «одно из» нужен список значений</translation>
    </message>
    <message>
        <source>&apos;contains&apos; needs non-empty text</source>
        <translation>для «содержит» нужен непустой текст</translation>
    </message>
    <message>
        <source>&apos;{op}&apos; needs a value (text, number or true/false)</source>
        <translation>для «{op}» нужно значение (текст, число или true/false)</translation>
    </message>
    <message>
        <source>must be a number</source>
        <translation>должно быть числом</translation>
    </message>
    <message>
        <source>must be a whole number</source>
        <translation>должно быть целым числом</translation>
    </message>
    <message>
        <source>must be at least {minimum}</source>
        <translation>должно быть не меньше {minimum}</translation>
    </message>
    <message>
        <source>must be &apos;entry&apos; or &apos;node:&lt;id&gt;&apos;</source>
        <translation>должно быть «entry» или «node:&lt;id&gt;»</translation>
    </message>
    <message>
        <source>refers to a missing node &apos;{node}&apos;</source>
        <translation>ссылается на несуществующий узел «{node}»</translation>
    </message>
    <message>
        <source>node &apos;{node}&apos; is a {type}, not a bonus</source>
        <translation>узел «{node}» — это «{type}», а не бонус</translation>
    </message>
    <message>
        <source>must be a non-empty list of order statuses</source>
        <translation>должно быть непустым списком статусов заказов</translation>
    </message>
    <message>
        <source>line {line}: {message}</source>
        <translation>строка {line}: {message}</translation>
    </message>
    <message>
        <source>template is {length} characters; at most {maximum}</source>
        <translation>в шаблоне {length} симв., допустимо не больше {maximum}</translation>
    </message>
    <message>
        <source>rendered text is {length} characters; at most {maximum}</source>
        <translation>в готовом тексте {length} симв., допустимо не больше {maximum}</translation>
    </message>
    <message>
        <source>unexpected end of template, expected &apos;{token}&apos;.</source>
        <translation>шаблон оборвался, ожидалось «{token}».</translation>
    </message>
    <message>
        <source>unexpected &apos;{token}&apos;</source>
        <translation>неожиданный символ «{token}»</translation>
    </message>
    <message>
        <source>expected token &apos;{token}&apos;, got &apos;{got}&apos;</source>
        <translation>ожидалось «{token}», а встретилось «{got}»</translation>
    </message>
    <message>
        <source>unexpected char {char} at {position}</source>
        <translation>недопустимый символ {char} в позиции {position}</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is undefined</source>
        <translation>«{name}» не определено</translation>
    </message>
    <message>
        <source>Encountered unknown tag &apos;{tag}&apos;.</source>
        <translation>Неизвестный тег «{tag}».</translation>
    </message>
    <message>
        <source>Unexpected end of template. Jinja was looking for the following tags: {tags}. The innermost block that needs to be closed is &apos;{block}&apos;.</source>
        <translation>Шаблон оборвался: Jinja ожидала один из тегов {tags}. Не закрыт блок «{block}».</translation>
    </message>
    <message>
        <source>No filter named &apos;{name}&apos;.</source>
        <translation>Нет фильтра «{name}».</translation>
    </message>
    <message>
        <source>expected name or number</source>
        <translation>ожидалось имя или число</translation>
    </message>
    <message>
        <source>cannot connect to the CRM: {message}</source>
        <translation>не удаётся подключиться к CRM: {message}</translation>
    </message>
    <message>
        <source>the CRM has no table &apos;{table}&apos; (the {canonical} table)</source>
        <translation>в CRM нет таблицы «{table}» (таблица «{canonical}»)</translation>
    </message>
    <message>
        <source>table &apos;{table}&apos; has no column &apos;{column}&apos; (the {canonical} column)</source>
        <translation>в таблице «{table}» нет столбца «{column}» (столбец «{canonical}»)</translation>
    </message>
    <message>
        <source>the CRM has no {canonical} table</source>
        <translation>в CRM нет таблицы «{canonical}»</translation>
    </message>
    <message>
        <source>an SQLite CRM must be a file: sqlite:///path/to/shop.db</source>
        <translation>CRM на SQLite должна быть файлом: sqlite:///path/to/shop.db</translation>
    </message>
    <message>
        <source>unsupported database &apos;{backend}&apos;: use SQLite or PostgreSQL</source>
        <translation>база данных «{backend}» не поддерживается: используйте SQLite или PostgreSQL</translation>
    </message>
    <message>
        <source>&apos;{url}&apos; is not a database URL: {message}</source>
        <translation>«{url}» — не адрес базы данных: {message}</translation>
    </message>
    <message>
        <source>the keyring package is not installed</source>
        <translation>не установлен пакет keyring</translation>
    </message>
    <message>
        <source>this computer has no keyring service (a headless Linux has no Secret Service), so passwords cannot be stored safely</source>
        <translation>на этом компьютере нет службы связки ключей (на Linux без графической оболочки нет Secret Service)</translation>
    </message>
    <message>
        <source>the keyring is switched off (null backend), so passwords cannot be stored</source>
        <translation>связка ключей отключена (null backend)</translation>
    </message>
    <message>
        <source>the keyring would store passwords unencrypted in a file</source>
        <translation>связка ключей хранила бы пароли в файле без шифрования</translation>
    </message>
    <message>
        <source>{message}. Keep it for this session only, or set it in an environment variable on a headless server.</source>
        <translation>{message}. Сохраните пароль только до закрытия программы или задайте его в переменной окружения на сервере.</translation>
    </message>
    <message>
        <source>the keyring ({backend}) refused the password: {message}</source>
        <translation>связка ключей ({backend}) не приняла пароль: {message}</translation>
    </message>
    <message>
        <source>for this session only</source>
        <translation>только до закрытия программы</translation>
    </message>
    <message>
        <source>in the keyring ({backend})</source>
        <translation>в связке ключей ({backend})</translation>
    </message>
    <message>
        <source>entered {entered}, reached {reached}, queued {queued}, sent {sent}, failed {failed}, entry skipped (too late)</source>
        <translation>вошли {entered}, прошли по узлам {reached}, в очереди {queued}, отправлено {sent}, ошибок {failed}, вход пропущен (слишком поздно)</translation>
    </message>
    <message>
        <source>entered {entered}, reached {reached}, queued {queued}, sent {sent}, failed {failed}</source>
        <translation>вошли {entered}, прошли по узлам {reached}, в очереди {queued}, отправлено {sent}, ошибок {failed}</translation>
    </message>
    <message>
        <source>nothing to do</source>
        <translation>делать было нечего</translation>
    </message>
    <message>
        <source>stopped between steps; the next run finishes the work</source>
        <translation>остановлено между шагами; следующий запуск доделает работу</translation>
    </message>
    <message>
        <source>not run: {message}</source>
        <translation>не запущено: {message}</translation>
    </message>
    <message>
        <source>failed: {message}</source>
        <translation>сбой: {message}</translation>
    </message>
</context>
<context>
    <name>Panes</name>
    <message>
        <source>Drag onto the canvas, or double-click to add.</source>
        <translation>Перетащите на холст или дважды щёлкните, чтобы добавить.</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Узел</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
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
        <source>% of entry</source>
        <translation>% от входа</translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation>Ждут сейчас</translation>
    </message>
    <message>
        <source>No problems: the scenario can run.</source>
        <translation>Проблем нет: сценарий можно запускать.</translation>
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
        <source>Order comes within</source>
        <translation>Заказ в течение</translation>
    </message>
    <message>
        <source>Average order</source>
        <translation>Средний чек</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Зерно случайности</translation>
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
        <source>Over days</source>
        <translation>По дням</translation>
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
        <source>Reached</source>
        <translation>Дошли</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ждут</translation>
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
        <source>Done in {s:.1f} s.</source>
        <translation>Готово за {s:.1f} с.</translation>
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
    <name>nodes</name>
    <message>
        <source>Start</source>
        <translation>Старт</translation>
    </message>
    <message>
        <source>Customers enter the scenario once a day at the given time.</source>
        <translation>Клиенты входят в сценарий раз в день в заданное время.</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>Запуск</translation>
    </message>
    <message>
        <source>Who enters: every customer, new customers, customers who ordered, customers with an event, or customers whose date comes.</source>
        <translation>Кто входит: все клиенты каждый день, новые клиенты, сделавшие заказ, клиенты с событием или клиенты, у которых наступает дата.</translation>
    </message>
    <message>
        <source>every day at a time</source>
        <translation>каждый день в заданное время</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Событие</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>At</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>a new customer registered</source>
        <translation>зарегистрировался новый клиент</translation>
    </message>
    <message>
        <source>a customer placed an order</source>
        <translation>клиент сделал заказ</translation>
    </message>
    <message>
        <source>an event from the site (events table)</source>
        <translation>событие с сайта (таблица событий)</translation>
    </message>
    <message>
        <source>a yearly date (birthday, anniversary)</source>
        <translation>ежегодная дата (день рождения, годовщина)</translation>
    </message>
    <message>
        <source>Local time of day (scenario timezone) when customers enter.</source>
        <translation>Время суток (в часовом поясе сценария), когда клиенты входят.</translation>
    </message>
    <message>
        <source>For an event start: the event&apos;s name in the CRM&apos;s events table, e.g. cart_abandoned.</source>
        <translation>Для старта по событию: название события в таблице событий CRM, например «cart_abandoned».</translation>
    </message>
    <message>
        <source>For a date start: a customer date such as birthday, or first_order for the anniversary of the first order.</source>
        <translation>Для старта по дате: дата клиента, например «birthday», или «first_order» — годовщина первого заказа.</translation>
    </message>
    <message>
        <source>Days before</source>
        <translation>За сколько дней</translation>
    </message>
    <message>
        <source>For a date start: enter this many days before the date.</source>
        <translation>Для старта по дате: входить за столько дней до даты.</translation>
    </message>
    <message>
        <source>Filter customers</source>
        <translation>Отфильтровать клиентов</translation>
    </message>
    <message>
        <source>Customers who match the conditions go on by &apos;yes&apos;, the others by &apos;no&apos;.</source>
        <translation>Клиенты, подходящие под условия, идут дальше по выходу «yes», остальные — по «no».</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>Требуется</translation>
    </message>
    <message>
        <source>All conditions must hold, or any one of them.</source>
        <translation>Должны выполняться все условия или хотя бы одно.</translation>
    </message>
    <message>
        <source>all conditions</source>
        <translation>все условия</translation>
    </message>
    <message>
        <source>any condition</source>
        <translation>любое условие</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Условия</translation>
    </message>
    <message>
        <source>What a customer must match.</source>
        <translation>Каким условиям должен соответствовать клиент.</translation>
    </message>
    <message>
        <source>Split by condition</source>
        <translation>Разделить по условиям</translation>
    </message>
    <message>
        <source>Each customer goes down the first branch whose conditions they match, or by &apos;other&apos;.</source>
        <translation>Каждый клиент идёт по первой ветке, условиям которой соответствует, а если ни одной — по «other».</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>Ветки</translation>
    </message>
    <message>
        <source>Branches tried in order; each has its port and conditions.</source>
        <translation>Ветки проверяются по порядку; у каждой свой выход и свои условия.</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>Подождать</translation>
    </message>
    <message>
        <source>Customers wait here for the given time before going on.</source>
        <translation>Клиенты ждут здесь заданное время, прежде чем идти дальше.</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Дни</translation>
    </message>
    <message>
        <source>How many days to wait.</source>
        <translation>Сколько дней ждать.</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Часы</translation>
    </message>
    <message>
        <source>How many hours to wait.</source>
        <translation>Сколько часов ждать.</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>Минуты</translation>
    </message>
    <message>
        <source>How many minutes to wait.</source>
        <translation>Сколько минут ждать.</translation>
    </message>
    <message>
        <source>Release at</source>
        <translation>Отпустить в</translation>
    </message>
    <message>
        <source>Hold customers until this local time of day after the wait is over.</source>
        <translation>После ожидания держать клиентов до этого времени суток.</translation>
    </message>
    <message>
        <source>Wait for an event</source>
        <translation>Дождаться события</translation>
    </message>
    <message>
        <source>Customers leave by &apos;event&apos; as soon as it happens, or by &apos;timeout&apos; when the days are up.</source>
        <translation>Клиенты уходят по выходу «event», как только событие произошло, или по «timeout», когда срок истёк.</translation>
    </message>
    <message>
        <source>order (a completed order), or an event&apos;s name in the CRM&apos;s events table.</source>
        <translation>«order» (завершённый заказ) или название события из таблицы событий CRM.</translation>
    </message>
    <message>
        <source>Timeout (days)</source>
        <translation>Ждать не дольше (дней)</translation>
    </message>
    <message>
        <source>Customers the event has not happened to by then leave by &apos;timeout&apos;.</source>
        <translation>Клиенты, с которыми к этому сроку событие не произошло, уходят по «timeout».</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>Отправить сообщение</translation>
    </message>
    <message>
        <source>Each customer gets one message on the channel; those without consent are skipped.</source>
        <translation>Каждый клиент получает одно сообщение по выбранному каналу; клиенты без согласия на рассылку пропускаются.</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>How the message is delivered.</source>
        <translation>Как доставляется сообщение.</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Вебхук</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Email subject (Jinja2): {{ customer.first_name }} and friends.</source>
        <translation>Тема письма (Jinja2), например с {{ customer.first_name }}.</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Message text (Jinja2) with customer, orders, bonus and scenario.</source>
        <translation>Текст сообщения (Jinja2) с данными клиента, его заказов, бонуса и сценария.</translation>
    </message>
    <message>
        <source>Send after (days)</source>
        <translation>Отправить через (дней)</translation>
    </message>
    <message>
        <source>Hold each customer this many days at the node before the message goes out.</source>
        <translation>Сколько дней держать клиента в узле до отправки сообщения.</translation>
    </message>
    <message>
        <source>Conversion window (days)</source>
        <translation>Окно конверсии (дней)</translation>
    </message>
    <message>
        <source>Orders placed within this many days after the message count as its conversions (a week when not set).</source>
        <translation>Заказы, сделанные в течение стольких дней после сообщения, засчитываются ему как конверсии (если не задано — неделя).</translation>
    </message>
    <message>
        <source>a week</source>
        <translation>неделя</translation>
    </message>
    <message>
        <source>Give a bonus</source>
        <translation>Начислить бонус</translation>
    </message>
    <message>
        <source>Credits loyalty points or issues a personal promo code.</source>
        <translation>Начисляет баллы лояльности или выдаёт личный промокод.</translation>
    </message>
    <message>
        <source>Bonus</source>
        <translation>Бонус</translation>
    </message>
    <message>
        <source>Loyalty points or a promo code.</source>
        <translation>Баллы лояльности или промокод.</translation>
    </message>
    <message>
        <source>Loyalty points</source>
        <translation>Баллы лояльности</translation>
    </message>
    <message>
        <source>Promo code</source>
        <translation>Промокод</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>Points to credit, or the value of the promo code.</source>
        <translation>Сколько баллов начислить или номинал промокода.</translation>
    </message>
    <message>
        <source>Code prefix</source>
        <translation>Префикс кода</translation>
    </message>
    <message>
        <source>Promo codes start with this (capital letters, digits, - and _).</source>
        <translation>С чего начинаются промокоды (заглавные латинские буквы, цифры, - и _).</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>What the code gives, as shown to the customer (&quot;10%&quot;, &quot;free delivery&quot;).</source>
        <translation>Что даёт код — так, как это увидит клиент («10%», «бесплатная доставка»).</translation>
    </message>
    <message>
        <source>Expires in (days)</source>
        <translation>Срок действия (дней)</translation>
    </message>
    <message>
        <source>Days until the bonus expires.</source>
        <translation>Через сколько дней бонус сгорает.</translation>
    </message>
    <message>
        <source>A/B split</source>
        <translation>A/B-тест</translation>
    </message>
    <message>
        <source>Customers are divided between branches by weight; each keeps its branch.</source>
        <translation>Клиенты распределяются по веткам согласно весам; каждый остаётся в своей ветке.</translation>
    </message>
    <message>
        <source>Output ports and their weights.</source>
        <translation>Выходы и их веса.</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>The customer leaves the scenario here.</source>
        <translation>Здесь клиент выходит из сценария.</translation>
    </message>
    <message>
        <source>Customer field</source>
        <translation>Поле клиента</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Заказы</translation>
    </message>
    <message>
        <source>Bonus used</source>
        <translation>Использование бонуса</translation>
    </message>
    <message>
        <source>Messages received</source>
        <translation>Получено сообщений</translation>
    </message>
    <message>
        <source>is one of</source>
        <translation>одно из</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>содержит</translation>
    </message>
    <message>
        <source>is yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>is no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>is filled in</source>
        <translation>заполнено</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>пусто</translation>
    </message>
    <message>
        <source>is a valid email</source>
        <translation>корректный email</translation>
    </message>
    <message>
        <source>more than N days ago</source>
        <translation>прошло дней &gt;</translation>
    </message>
    <message>
        <source>less than N days ago</source>
        <translation>прошло дней &lt;</translation>
    </message>
    <message>
        <source>number of orders</source>
        <translation>число заказов</translation>
    </message>
    <message>
        <source>total spent</source>
        <translation>сумма покупок</translation>
    </message>
    <message>
        <source>days since the last order</source>
        <translation>дней с последнего заказа</translation>
    </message>
</context>
</TS>
