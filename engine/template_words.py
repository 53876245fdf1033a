"""A template error in words: the sandbox's (and Jinja's) English sorted into codes, so that every
interface says it in its own language. Jinja writes its errors in English; the commonest ones are
recognised here, the others keep Jinja's words."""

from __future__ import annotations

import re

from connectors.templates import TemplateError
from connectors.texts import Text, catalog

# Jinja's wording -> our code; the groups are the code's values.
_JINJA = (
    (re.compile(r"unexpected end of template, expected '(?P<token>[^']*)'\.?"), "jinja.end_expected"),
    (re.compile(r"Unexpected end of template\. Jinja was looking for the following tags: (?P<tags>.*?)\. "
                r"The innermost block that needs to be closed is '(?P<block>[^']*)'\."), "jinja.unclosed"),
    (re.compile(r"unexpected '(?P<token>[^']*)'"), "jinja.unexpected"),
    (re.compile(r"expected token '(?P<token>[^']*)', got '(?P<got>[^']*)'"), "jinja.expected"),
    (re.compile(r"unexpected char (?P<char>.*) at (?P<position>\d+)"), "jinja.char"),
    (re.compile(r"'(?P<name>[^']*)' is undefined"), "jinja.undefined"),
    (re.compile(r"Encountered unknown tag '(?P<tag>[^']*)'\.?.*", re.DOTALL), "jinja.unknown_tag"),
    (re.compile(r"No filter named '(?P<name>[^']*)'\.?"), "jinja.no_filter"),
    (re.compile(r"expected name or number"), "jinja.name_or_number"),
    (re.compile(r"template is (?P<length>\d+) characters; at most (?P<maximum>\d+)"), "jinja.too_long"),
    (re.compile(r"the template ran longer than (?P<seconds>[\d.]+) s(?: \(at line \d+\))?"), "jinja.too_slow"),
    (re.compile(r"the template built more than (?P<maximum>[\d,]+) characters of text"), "jinja.too_much"),
    (re.compile(r".+ would be longer than (?P<maximum>[\d,]+) characters"), "jinja.too_large"),
    (re.compile(r"the template calls itself too deeply"), "jinja.too_deep"),
    (re.compile(r"(?:range|lipsum|sum|a list|a number|\w+) of more than .+"), "jinja.too_big"),
    (re.compile(r"the subject contains a line break"), "jinja.subject_line_break"),
)
# Jinja names the tokens it expected in words; the user typed symbols.
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}"}

WORDS = catalog("engine", {
    "jinja.end_expected": "'{token}' is missing at the end",
    "jinja.unclosed": "'{block}' is opened but never closed; close it with {tags}",
    "jinja.unexpected": "'{token}' does not belong here",
    "jinja.expected": "'{token}' is missing before '{got}'",
    "jinja.char": "the character {char} cannot be used here (character {position})",
    "jinja.undefined": "'{name}' is not something a message can show",
    "jinja.unknown_tag": "'{tag}' is not a command a message knows",
    "jinja.no_filter": "'{name}' after | is not a filter a message knows",
    "jinja.name_or_number": "a name or a number is missing",
    "jinja.too_long": "the text is {length} characters long; at most {maximum} are allowed",
    "jinja.too_slow": "the text takes longer than {seconds} s to build, so it was stopped",
    "jinja.too_much": "the text builds more than {maximum} characters, so it was stopped",
    "jinja.too_large": "the finished text would be longer than {maximum} characters",
    "jinja.too_deep": "the text calls itself too many times",
    "jinja.too_big": "a value in the text is too large to build",
    "jinja.subject_line_break": "a subject must be one line",
    "jinja.other": "{text}",
})


def reason(message: str) -> Text:
    """A template's error message (without its line) as a coded message."""
    for pattern, code in _JINJA:
        found = pattern.fullmatch(message.strip())
        if found:
            args = {k: _TOKENS.get(v, v) if k == "token" else v for k, v in found.groupdict().items()}
            if code == "jinja.unclosed":
                args["tags"] = ", ".join(f"«{t}»" for t in re.findall(r"'([^']*)'", args["tags"])) or args["tags"]
            for key in ("length", "maximum", "position"):
                if key in args:
                    args[key] = int(str(args[key]).replace(",", ""))
            return Text(code, args)
    return Text("jinja.other", {"text": message})


def template_error(exc: TemplateError) -> Text:
    """A :class:`TemplateError` in words: its line, then what is wrong."""
    text = str(exc)
    if exc.line is not None and text.startswith(f"line {exc.line}: "):
        return Text("template.line", {"line": exc.line, "reason": reason(text[len(f"line {exc.line}: "):])})
    return reason(text)
