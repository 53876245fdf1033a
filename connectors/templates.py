"""Message templates: sandboxed Jinja2 with size caps.

Templates get plain dicts only. ``None`` renders as an empty string, undefined names are
errors (a typo must not send "Hello ," to ten thousand people), and the sandbox is wrapped
with caps because it does not stop ``'x' * 10**9`` by itself.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_TEMPLATE_CHARS = 64 * 1024
MAX_OUTPUT_CHARS = 256 * 1024


class TemplateError(Exception):
    """A template cannot be compiled or rendered; ``line`` is set when it is known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _CappedEnvironment(ImmutableSandboxedEnvironment):
    """Sandbox that refuses arithmetic producing huge strings or numbers."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 100:
                raise SecurityError("exponent too large in template")
            return operator.pow(left, right)
        if isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
            count = right if isinstance(left, str | list | tuple) else left
            seq = left if isinstance(left, str | list | tuple) else right
            if isinstance(count, int) and len(seq) * count > MAX_OUTPUT_CHARS:
                raise SecurityError("template output would be too large")
        return operator.mul(left, right)


def _finalize(value: Any) -> Any:
    return "" if value is None else value


ENV = _CappedEnvironment(undefined=StrictUndefined, finalize=_finalize, autoescape=False)


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> Any:
    # Validation compiles every template on every edit in the editor; a compiled template is
    # immutable and safe to share between threads.
    return ENV.from_string(source)


def compile_template(source: str) -> Any:
    """Compile a template, raising TemplateError with the line of a syntax error."""
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"template is {len(source)} characters; at most {MAX_TEMPLATE_CHARS}")
    try:
        return _compiled(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"line {exc.lineno}: {exc.message}", line=exc.lineno) from exc


def render(template: Any, context: dict) -> str:
    """Render a compiled template with a plain-dict context, capping the output size.

    Raises:
        TemplateError: for undefined names, sandbox violations or oversized output.
    """
    try:
        text = template.render(context)
    except SecurityError as exc:
        raise TemplateError(f"refused by the sandbox: {exc}") from exc
    except Exception as exc:  # any render-time error belongs to this one customer
        raise TemplateError(f"{type(exc).__name__}: {exc}") from exc
    if len(text) > MAX_OUTPUT_CHARS:
        raise TemplateError(f"rendered text is {len(text)} characters; at most {MAX_OUTPUT_CHARS}")
    return text
