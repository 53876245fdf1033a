<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>Canvas</name>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output &apos;{port}&apos; of &apos;{node}&apos; already has an edge: an output leads to one node. Drag the edge&apos;s end to move it, or delete it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting &apos;{a}&apos; to &apos;{b}&apos; would make a loop; a customer must not come back to a node.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Conditions</name>
    <message>
        <source>ever</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count only the last N days (&quot;ever&quot;: all of them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the condition looks at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>since entering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>since node {node}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is not used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a, b, c</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A group of conditions matched together (all or any)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group: match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this group</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrmDialog</name>
    <message>
        <source>Connected: {c} customers, {o} orders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a CRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>path to the shop&apos;s .db file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept in the keyring, never in a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the password for this session only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password cannot be stored safely: {why}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shop&apos;s SQLite database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the SQLite file first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password kept {where}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>the clipboard holds no Scenarist nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the copied nodes have unknown types: {types}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New scenario</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no CRM: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect a CRM to see the message for a customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timezone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>may enter again after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active until</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Scenarist scenarios (*.scenario.json *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom to &amp;fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to a CRM…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Map CRM columns…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recount now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add this scenario to the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Scenarist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scheduler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Properties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview: today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting customers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler off: connect a CRM first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is already in the workspace. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>untitled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts wait until the problems are fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted in {s:.2f} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts unavailable: {m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no CRM connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CRM cannot be used: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no CRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRM: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map CRM columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select nodes to copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete edges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{name}” has unsaved changes. Save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{path} cannot be opened:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Scenarist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenarist draws customer scenarios and runs them every day against your shop&apos;s CRM.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MappingDialog</name>
    <message>
        <source>Map your CRM&apos;s tables and columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers table:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers: five rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders table:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders: five rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order statuses that count as a completed purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still to map: {columns}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>no path from the trigger reaches this node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the edges make a cycle: {cycle}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a scenario needs exactly one trigger node (found none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a scenario needs exactly one trigger node (found {found})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the scenario needs a name of 1 to 200 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the scenario ends before it starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a whole number of days (0 or more) or null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a date as YYYY-MM-DD or null, not {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown setting &apos;{key}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown key &apos;{key}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>two nodes have the id &apos;{node}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown parameter &apos;{name}&apos; for a {type} node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing parameter &apos;{name}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>edge from a missing node &apos;{node}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>edge to a missing node &apos;{node}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a {type} node has no output port &apos;{port}&apos; (ports: {ports})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &apos;{node}&apos; is a {type} and takes no incoming edge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output &apos;{port}&apos; already has an edge (edges[{index}]); an output port takes one edge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not a known timezone (use an IANA name such as Europe/Moscow)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a time of day as HH:MM (00:00 to 23:59)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a whole number, not {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number, not {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be text, not {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains a NUL character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is {length} characters long; at most {maximum} are allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be one of {choices}, not &apos;{value}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be at least {minimum}, not {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be at most {maximum}, not {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a wait needs exactly one of minutes, hours or days (found {found})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a split needs at least two branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a branch is an object with &apos;port&apos; and &apos;weight&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port name &apos;{port}&apos; must be a short identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port &apos;{port}&apos; appears twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight must be a whole number from 0 to 10000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the weights add up to zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>template error: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an email needs a subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the message body is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a promo code needs a prefix of 1 to 16 capital letters, digits, - or _</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>points need an amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CRM has no bonus_points column to credit; points stay in the ledger only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a condition must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &apos;all&apos; or &apos;any&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>groups are nested more than {depth} deep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a field condition needs a field name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CRM has no customer field &apos;{field}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{op}&apos; takes no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;in&apos; needs a list of values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;contains&apos; needs non-empty text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{op}&apos; needs a value (text, number or true/false)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be at least {minimum}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be &apos;entry&apos; or &apos;node:&lt;id&gt;&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refers to a missing node &apos;{node}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node &apos;{node}&apos; is a {type}, not a bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a non-empty list of order statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line {line}: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>template is {length} characters; at most {maximum}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rendered text is {length} characters; at most {maximum}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected end of template, expected &apos;{token}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected &apos;{token}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected token &apos;{token}&apos;, got &apos;{got}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected char {char} at {position}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is undefined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encountered unknown tag &apos;{tag}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entered {entered}, reached {reached}, queued {queued}, sent {sent}, failed {failed}, entry skipped (too late)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entered {entered}, reached {reached}, queued {queued}, sent {sent}, failed {failed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped between steps; the next run finishes the work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: {message}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Panes</name>
    <message>
        <source>Drag onto the canvas, or double-click to add.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reach today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% of entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems: the scenario can run.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SchedulerPanel</name>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bonuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{status}: entered {entered}, queued {queued}, sent {sent}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} customer(s) at node &apos;{node}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers at deleted nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {v} deleted nodes where customers wait:
{lines}

End their way through the scenario now, or leave them to decide later?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move them to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move them to node:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SchedulerService</name>
    <message>
        <source>Scheduler off: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler: {name} will run now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler: running {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler: running {name}, step {done} of {steps}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler: on, no scenario enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler: on, next {name} at {at}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nodes</name>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers enter the scenario once a day at the given time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who enters: every customer, new customers, customers who ordered, customers with an event, or customers whose date comes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every day at a time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time of day (scenario timezone) when customers enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For an event start: the event&apos;s name in the CRM&apos;s events table, e.g. cart_abandoned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For a date start: a customer date such as birthday, or first_order for the anniversary of the first order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For a date start: enter this many days before the date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers who match the conditions go on by &apos;yes&apos;, the others by &apos;no&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All conditions must hold, or any one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a customer must match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Split by condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each customer goes down the first branch whose conditions they match, or by &apos;other&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branches tried in order; each has its port and conditions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers wait here for the given time before going on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many days to wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many hours to wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many minutes to wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold customers until this local time of day after the wait is over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for an event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers leave by &apos;event&apos; as soon as it happens, or by &apos;timeout&apos; when the days are up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>order (a completed order), or an event&apos;s name in the CRM&apos;s events table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers the event has not happened to by then leave by &apos;timeout&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each customer gets one message on the channel; those without consent are skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the message is delivered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email subject (Jinja2): {{ customer.first_name }} and friends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message text (Jinja2) with customer, orders, bonus and scenario.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send after (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold each customer this many days at the node before the message goes out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversion window (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders placed within this many days after the message count as its conversions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give a bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits loyalty points or issues a personal promo code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loyalty points or a promo code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loyalty points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promo code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Points to credit, or the value of the promo code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Promo codes start with this (capital letters, digits, - and _).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the code gives, as shown to the customer (&quot;10%&quot;, &quot;free delivery&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires in (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days until the bonus expires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customers are divided between branches by weight; each keeps its branch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output ports and their weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The customer leaves the scenario here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bonus used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is one of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is filled in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is a valid email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than N days ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>less than N days ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>number of orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total spent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>days since the last order</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
