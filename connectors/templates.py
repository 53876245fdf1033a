"""Message templates: sandboxed Jinja2 with a time and a size budget per message.

Templates get plain dicts only. ``None`` renders as an empty string, undefined names are
errors (a typo must not send "Hello ," to ten thousand people), and the sandbox is wrapped
because it stops neither ``'x' * 10**9`` nor a loop of ten billion turns by itself.

The budget is enforced while the text is built, never after it:

- time: every turn of a ``{% for %}`` loop and every call of a macro checks the deadline (the
  check is compiled into the template: a trace hook would make every render three times
  slower); each single operation is kept short by the caps below, so a template overruns its
  deadline by one operation at most;
- size: the result of every operation that can grow text (``*``, ``**``, ``+``, ``%``, ``~``,
  ``str.format``, the string methods and filters with widths, ``join``) is computed before it
  is built and refused past :data:`MAX_OUTPUT_CHARS`; every text a template outputs, also
  into a ``{% set %}`` block or a macro, is counted against :data:`MAX_GENERATED_CHARS`;
  ``range`` and ``lipsum`` are capped, and so are integers.

A template over its budget raises :class:`BudgetExceeded`; a value the CRM holds that cannot
be read (a date that is no date, text that is not UTF-8) reaches the template as an
:func:`unreadable` value, which fails the message only when the template uses it.
"""

from __future__ import annotations

import functools
import inspect
import operator
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from string import Formatter
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext
from jinja2.runtime import Namespace, Undefined, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter, SecurityError
from jinja2.utils import _PassArg, generate_lorem_ipsum
from markupsafe import Markup

MAX_TEMPLATE_CHARS = 64 * 1024
MAX_OUTPUT_CHARS = 256 * 1024
# All the text one render outputs anywhere, including blocks and macros whose text is used again.
MAX_GENERATED_CHARS = 4 * MAX_OUTPUT_CHARS
MAX_RENDER_SECONDS = 2.0
MAX_ITEMS = 100_000  # items of a list built by * or +, of a batch or a slice
MAX_RANGE = 10_000
MAX_INT_BITS = 16_384  # about 4,900 digits: more than Python prints anyway
MAX_LIPSUM_PARAGRAPHS, MAX_LIPSUM_WORDS = 10, 200
TEMPLATE_FILE = "<template>"  # the file name of code compiled from a template string


class TemplateError(Exception):
    """A template cannot be compiled or rendered; ``line`` is set when it is known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class BudgetExceeded(TemplateError):
    """The template ran out of its time or size budget; it will do so for every customer."""


class BadValueError(UndefinedError):
    """A template used a value of the CRM that cannot be read; the message names it."""


class _Unreadable(StrictUndefined):
    """A CRM value that could not be read: any use of it fails with the hint, ``|default`` works."""

    __slots__ = ()


def unreadable(reason: str) -> Any:
    """The template value for a CRM value that cannot be read, failing with ``reason`` when used."""
    return _Unreadable(hint=reason, exc=BadValueError)


# -- the budget of the render running in this thread --------------------------------------------

class _Budget:
    __slots__ = ("deadline", "generated", "seconds", "template")

    def __init__(self, deadline: float, seconds: float, template: Any):
        self.deadline, self.seconds, self.template = deadline, seconds, template
        self.generated = 0

    def check_time(self, frame: Any) -> None:
        if time.monotonic() > self.deadline:
            line = None
            try:
                line = self.template.get_corresponding_lineno(frame.f_lineno)
            except Exception:  # the line is only for the message
                line = None
            where = f" (at line {line})" if line else ""
            raise BudgetExceeded(f"the template ran longer than {self.seconds:g} s{where}", line=line)

    def spend(self, chars: int) -> None:
        self.generated += chars
        if self.generated > MAX_GENERATED_CHARS:
            raise BudgetExceeded(f"the template built more than {MAX_GENERATED_CHARS:,} characters of text")


_state = threading.local()


def _budget() -> _Budget | None:
    return getattr(_state, "budget", None)


def _too_large(what: str) -> BudgetExceeded:
    return BudgetExceeded(f"{what} would be longer than {MAX_OUTPUT_CHARS:,} characters")


def _text_size(value: Any, limit: int = MAX_OUTPUT_CHARS) -> int:
    """About how long ``str(value)`` is, without building it; stops counting past ``limit``."""
    if isinstance(value, str):
        return len(value)
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, bytes | bytearray):
            total += len(item) + 3
        elif isinstance(item, Undefined):
            continue
        elif isinstance(item, Namespace):
            try:
                stack.append(object.__getattribute__(item, "_Namespace__attrs"))
            except AttributeError:
                total += 16
        elif isinstance(item, Mapping):
            total += 2
            for key, val in item.items():
                stack.append(key)
                stack.append(val)
                total += 2
                if total > limit:
                    break
        elif isinstance(item, list | tuple | set | frozenset) or type(item).__name__.startswith("dict_"):
            total += 2
            for element in item:
                stack.append(element)
                total += 2
                if total > limit:
                    break
        else:  # numbers, dates, ranges, generators: short
            total += 32
    return total


def _check_text(value: Any, what: str = "the text") -> None:
    if not isinstance(value, str) and _text_size(value) > MAX_OUTPUT_CHARS:
        raise _too_large(what)


def _check_length(length: int, what: str = "the text") -> None:
    if length > MAX_OUTPUT_CHARS:
        raise _too_large(what)


# -- printf-style and str.format widths ---------------------------------------------------------

_PERCENT_SPEC = re.compile(r"%(?:\(([^)]*)\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)
_FORMAT_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")


def _percent_size(fmt: str, values: Any) -> int:
    """An upper bound of the length of ``fmt % values``."""
    positional = list(values) if isinstance(values, tuple) else [values]
    mapping = values if isinstance(values, Mapping) else None
    total, index = len(fmt), 0

    def take() -> Any:
        nonlocal index
        item = positional[index] if index < len(positional) else None
        index += 1
        return item

    for key, width, precision, kind in _PERCENT_SPEC.findall(fmt):
        if kind == "%":
            continue
        sizes = []
        for number in (width, precision):
            if number == "*":
                star = take()
                sizes.append(abs(star) if isinstance(star, int) else 0)
            elif number:
                sizes.append(int(number))
        value = mapping.get(key) if mapping is not None and key else take()
        total += max(sizes, default=0) + _text_size(value)
        if total > MAX_OUTPUT_CHARS:
            break
    return total


def _checked_percent(fmt: str, values: Any) -> str:
    _check_length(_percent_size(fmt, values), "a %-formatted text")
    return fmt % values


class _CappedFormatting:
    """Refuses a ``str.format`` field wider than the cap, and a result longer than it."""

    _produced = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        found = _FORMAT_SPEC.match(format_spec)
        if found:
            for number in found.groups():
                if number and int(number) > MAX_OUTPUT_CHARS:
                    raise _too_large("a formatted field")
        _check_text(value, "a formatted field")
        text = super().format_field(value, format_spec)  # type: ignore[misc]
        self._produced += len(text)
        _check_length(self._produced, "a formatted text")
        return text


class _CappedFormatter(_CappedFormatting, SandboxedFormatter):
    pass


class _CappedEscapeFormatter(_CappedFormatting, SandboxedEscapeFormatter):
    pass


# -- string methods with widths -----------------------------------------------------------------

def _replace_size(text: Any, old: Any, new: Any, count: int = -1) -> int:
    if not isinstance(old, str | bytes) or not isinstance(new, str | bytes):
        return len(text)
    hits = len(text) + 1 if not old else text.count(old)
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(0, len(new) - len(old))


def _join_size(separator: Any, items: list) -> int:
    return sum(_text_size(item) for item in items) + max(0, len(items) - 1) * _text_size(separator)


def _check_str_method(name: str, owner: Any, args: tuple, kwargs: dict) -> tuple:
    """Check a call of a str or bytes method that can grow text; returns the args to use."""
    if name in ("center", "ljust", "rjust", "zfill"):
        width = args[0] if args else kwargs.get("width", 0)
        if isinstance(width, int):
            _check_length(max(width, len(owner)), f"{name}()")
    elif name == "expandtabs":
        tabsize = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(tabsize, int):
            _check_length(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * tabsize,
                          "expandtabs()")
    elif name == "replace" and len(args) >= 2:
        _check_length(_replace_size(owner, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count", -1)),
                      "replace()")
    elif name == "join" and args:
        items = list(args[0])
        _check_length(_join_size(owner, items), "join()")
        args = (items, *args[1:])
    elif name == "translate" and args and isinstance(args[0], Mapping):
        longest = max((_text_size(v) for v in args[0].values()), default=1)
        _check_length(len(owner) * max(1, longest), "translate()")
    return args


# -- filters, checked before they build -----------------------------------------------------------

# Filters that turn their value into text first: a container is measured before it is printed.
_TEXT_FILTERS = frozenset({
    "capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower", "pprint", "replace",
    "safe", "string", "striptags", "title", "tojson", "trim", "truncate", "upper", "urlencode", "urlize",
    "wordcount", "wordwrap", "xmlattr",
})


def _filter_checks() -> dict[str, Callable[[inspect.BoundArguments], None]]:
    def center(b: inspect.BoundArguments) -> None:
        _check_length(max(b.arguments.get("width", 80), _text_size(b.arguments["value"])), "center")

    def indent(b: inspect.BoundArguments) -> None:
        text, width = b.arguments["s"], b.arguments.get("width", 4)
        step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        lines = str(text).count("\n") + 2
        _check_length(_text_size(text) + lines * step, "indent")

    def wordwrap(b: inspect.BoundArguments) -> None:
        text, width = b.arguments["s"], b.arguments.get("width", 79)
        wrap = b.arguments.get("wrapstring") or "\n"
        if not isinstance(width, int) or width < 1:
            raise TemplateError("wordwrap needs a width of at least 1")
        size = _text_size(text)
        breaks = min(size // width + str(text).count(" ") + str(text).count("\n") + 1, size + 1)
        _check_length(size + breaks * _text_size(wrap), "wordwrap")

    def replace(b: inspect.BoundArguments) -> None:
        a = b.arguments
        _check_length(_replace_size(str(a["s"]), a["old"], a["new"], a.get("count") or -1), "replace")

    def join(b: inspect.BoundArguments) -> None:
        items = list(b.arguments["value"])
        b.arguments["value"] = items
        _check_length(_join_size(b.arguments.get("d", ""), items), "join")

    def format_(b: inspect.BoundArguments) -> None:
        a = b.arguments
        _check_length(_percent_size(str(a["value"]), a.get("kwargs") or tuple(a.get("args", ()))), "format")

    def count(name: str, param: str) -> Callable[[inspect.BoundArguments], None]:
        def check(b: inspect.BoundArguments) -> None:
            number = b.arguments.get(param)
            if isinstance(number, int) and number > MAX_ITEMS:
                raise BudgetExceeded(f"{name} of more than {MAX_ITEMS:,} items")
        return check

    def tojson(b: inspect.BoundArguments) -> None:
        indent_by = b.arguments.get("indent")
        if (isinstance(indent_by, int) and indent_by > 16) or (isinstance(indent_by, str) and len(indent_by) > 16):
            raise TemplateError("tojson indents by 16 at most")

    def urlize(b: inspect.BoundArguments) -> None:
        for name in ("target", "rel"):
            if len(str(b.arguments.get(name) or "")) > 100:
                raise TemplateError(f"urlize: {name} is longer than 100 characters")

    def sum_(b: inspect.BoundArguments) -> None:
        start = b.arguments.get("start", 0)
        if not isinstance(start, int | float):  # summing lists copies every partial sum
            items = list(b.arguments["iterable"])
            b.arguments["iterable"] = items
            if len(items) * (sum(len(i) for i in items if hasattr(i, "__len__")) + 1) > MAX_ITEMS:
                raise BudgetExceeded(f"sum of more than {MAX_ITEMS:,} items")

    return {"center": center, "indent": indent, "wordwrap": wordwrap, "replace": replace, "join": join,
            "format": format_, "batch": count("batch", "linecount"), "slice": count("slice", "slices"),
            "tojson": tojson, "urlize": urlize, "sum": sum_}


def _capped_filter(name: str, func: Callable, check: Callable[[inspect.BoundArguments], None] | None) -> Callable:
    skip = 1 if _PassArg.from_obj(func) is not None else 0
    signature = inspect.signature(func) if check else None

    @functools.wraps(func)
    def capped(*args: Any, **kwargs: Any) -> Any:
        if name in _TEXT_FILTERS and len(args) > skip:
            _check_text(args[skip], f"the value given to {name}")
        if check is not None and signature is not None:
            bound = signature.bind(*args, **kwargs)
            check(bound)
            args, kwargs = bound.args, bound.kwargs
        result = func(*args, **kwargs)
        if isinstance(result, str):
            _check_length(len(result), f"the text of {name}")
        return result

    return capped


# -- globals --------------------------------------------------------------------------------------

def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise BudgetExceeded(f"range of more than {MAX_RANGE:,} numbers")
    return numbers


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n > MAX_LIPSUM_PARAGRAPHS or min > MAX_LIPSUM_WORDS or max > MAX_LIPSUM_WORDS:
        raise BudgetExceeded(f"lipsum of more than {MAX_LIPSUM_PARAGRAPHS} paragraphs "
                             f"or {MAX_LIPSUM_WORDS} words a paragraph")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


# -- the environment ------------------------------------------------------------------------------

_CHECK = "check_budget"


def _budget_check(lineno: int) -> nodes.ExprStmt:
    """Where the compiled template checks its deadline: each loop turn, each macro call."""
    return nodes.ExprStmt(nodes.EnvironmentAttribute(_CHECK, lineno=lineno), lineno=lineno)


class _CappedCodeGenerator(CodeGenerator):
    """Compiles the deadline check into loops and macros, and ``a ~ b`` into a call that
    measures the parts before joining them."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node.body = [_budget_check(node.lineno), *node.body]
        super().visit_For(node, frame)

    def macro_body(self, node: nodes.Macro | nodes.CallBlock, frame: Frame) -> Any:
        node.body = [_budget_check(node.lineno), *node.body]
        return super().macro_body(node, frame)

    def visit_ExprStmt(self, node: nodes.ExprStmt, frame: Frame) -> None:
        if isinstance(node.node, nodes.EnvironmentAttribute) and node.node.name == _CHECK:
            self.writeline(f"environment.{_CHECK}()", node)  # a plain call: no sandbox round trip
            return
        super().visit_ExprStmt(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"
        else:
            markup = "True" if frame.eval_ctx.autoescape else "False"
        self.write("environment.capped_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {markup})")


def _capped_join(chunks: Iterable[str], what: str = "the text of a block") -> str:
    """The text of a block, a macro or a whole template, measured as its chunks come."""
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise _too_large(what)
        parts.append(chunk)
    return "".join(parts)


class _CappedEnvironment(ImmutableSandboxedEnvironment):
    """Sandbox that measures what a template builds before building it."""

    code_generator_class = _CappedCodeGenerator
    concat = staticmethod(_capped_join)
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1 \
                    and left.bit_length() * right > MAX_INT_BITS:
                raise BudgetExceeded(f"a number of more than {MAX_INT_BITS:,} bits")
            return operator.pow(left, right)
        if operator_name == "%":
            if isinstance(left, str):
                return _checked_percent(left, right)
            return operator.mod(left, right)
        sequences = str | bytes | list | tuple
        if operator_name == "+":
            if isinstance(left, sequences) and isinstance(right, sequences):
                limit = MAX_OUTPUT_CHARS if isinstance(left, str | bytes) else MAX_ITEMS
                if len(left) + len(right) > limit:
                    raise _too_large("a sum") if limit == MAX_OUTPUT_CHARS else \
                        BudgetExceeded(f"a list of more than {MAX_ITEMS:,} items")
            return operator.add(left, right)
        if isinstance(left, sequences) or isinstance(right, sequences):
            count = right if isinstance(left, sequences) else left
            seq = left if isinstance(left, sequences) else right
            limit = MAX_OUTPUT_CHARS if isinstance(seq, str | bytes) else MAX_ITEMS
            if isinstance(count, int) and len(seq) * count > limit:
                raise _too_large("a repeated text") if limit == MAX_OUTPUT_CHARS else \
                    BudgetExceeded(f"a list of more than {MAX_ITEMS:,} items")
        elif isinstance(left, int) and isinstance(right, int) and \
                left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise BudgetExceeded(f"a number of more than {MAX_INT_BITS:,} bits")
        return operator.mul(left, right)

    def check_budget(self) -> None:
        """Raise BudgetExceeded once the render running in this thread is past its deadline."""
        budget = _budget()
        if budget is not None:
            budget.check_time(sys._getframe(1))

    def capped_concat(self, values: tuple, markup: bool) -> str:
        """``a ~ b ~ c``, measured before it is joined."""
        _check_length(sum(_text_size(v) for v in values), "a text joined with ~")
        return markup_join(values) if markup else str_join(values)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str | bytes | bytearray):
            args = _check_str_method(getattr(__obj, "__name__", ""), owner, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        f_self, is_format_map = value.__self__, value.__name__ == "format_map"

        def capped(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            formatter: Formatter = _CappedEscapeFormatter(self, escape=f_self.escape) \
                if isinstance(f_self, Markup) else _CappedFormatter(self)
            return type(f_self)(formatter.vformat(f_self, args, kwargs))

        return functools.update_wrapper(capped, value)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    size = _text_size(value)
    _check_length(size, "an output value")
    budget = _budget()
    if budget is not None:  # also called while compiling, for constant output
        budget.spend(size)
        budget.check_time(sys._getframe(1))
    return value


ENV = _CappedEnvironment(undefined=StrictUndefined, finalize=_finalize, autoescape=False)
ENV.globals.update(range=_range, lipsum=_lipsum)
_CHECKS = _filter_checks()
ENV.filters.update({name: _capped_filter(name, func, _CHECKS.get(name)) for name, func in ENV.filters.items()})


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


def render(template: Any, context: dict, *, deadline: float | None = None) -> str:
    """Render a compiled template with a plain-dict context, within its budget.

    Args:
        template: A template from :func:`compile_template`.
        context: Plain dicts and values.
        deadline: ``time.monotonic()`` by which it must be done (a message's subject and body
            share one); by default :data:`MAX_RENDER_SECONDS` from now.

    Raises:
        BudgetExceeded: the template ran out of time or built too much text.
        TemplateError: for undefined names, unreadable values, sandbox violations.
    """
    return Renderer(template)(context, deadline=deadline)


class Renderer:
    """Renders one compiled template for many customers, as :func:`render` does, reusing one Jinja
    context object: building a fresh one is about half the work of a short message. Each render
    starts from a context in the state a fresh one has (no variable set by the previous render,
    the default escaping); not for use by two threads at once.
    """

    def __init__(self, template: Any):
        self.template = template
        self._globals = dict(template.globals)
        self._blocks = template.blocks
        self._context = template.new_context({})

    def __call__(self, context: dict, *, deadline: float | None = None) -> str:
        """The text for ``context``; raises as :func:`render` does."""
        jinja_context = self._context
        jinja_context.parent = {**self._globals, **context}
        jinja_context.vars = {}
        jinja_context.exported_vars = set()
        jinja_context.eval_ctx = EvalContext(jinja_context.environment, jinja_context.name)
        jinja_context.blocks = {name: [block] for name, block in self._blocks.items()}
        return _run(self.template, self.template.root_render_func(jinja_context), deadline)


def _run(template: Any, chunks: Any, deadline: float | None) -> str:
    budget = _Budget(time.monotonic() + MAX_RENDER_SECONDS if deadline is None else deadline,
                     MAX_RENDER_SECONDS, template)
    outer = _budget()
    _state.budget = budget
    try:
        return _capped_join(chunks, "the message text")
    except TemplateError:
        raise
    except BadValueError as exc:
        raise TemplateError(exc.message or str(exc)) from exc
    except SecurityError as exc:
        raise TemplateError(f"refused by the sandbox: {exc}") from exc
    except RecursionError as exc:
        raise BudgetExceeded("the template calls itself too deeply") from exc
    except Exception as exc:  # any render-time error belongs to this one customer
        raise TemplateError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        _state.budget = outer
        chunks.close()
