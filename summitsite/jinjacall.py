"""Jinja's Context with a quicker call(), and its Template with a quicker escape: the templates
call Python helpers and macros about a million times in a build, and escape about as many values.

call(): Jinja's own asks each callable three times whether it wants the context passed in
(pass_context and the like) before calling it. Here, a function, a method or a Words (none of
which asks for anything at the class level) is called at once when the object itself carries no
jinja_pass_arg; anything else (a macro, which asks for the evaluation context), and any callable
that does carry one, goes through Jinja's call(), so the result is the same. (Giving macros their
context here as well measured nothing.)

escape: a compiled template escapes each value it outputs ({{ value }}) with markupsafe.escape
and joins the results into the text of the page, block or macro (which Jinja marks safe as a
whole). markupsafe.escape wraps each result in a Markup, two Python calls more per value; its
result is only ever joined, so a plain str with the same characters escaped does as well. A str
is escaped by markupsafe's own function; a Markup is already safe and kept; anything else
(a number, an object with __html__, an undefined value) goes through markupsafe.escape.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import BuiltinFunctionType, CodeType, FunctionType, MethodType
from typing import Any

import jinja2
import markupsafe
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode
from markupsafe import Markup, escape

from .i18n import Words

_PLAIN = frozenset(
    kind
    for kind in (FunctionType, MethodType, BuiltinFunctionType, Macro, Words)  # (Macro: left out, see above)
    if not hasattr(kind.__call__, "jinja_pass_arg")
)


class QuickContext(Context):
    @internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        if type(__obj) not in _PLAIN or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


# markupsafe 3's escaping of a str, the C function its escape() calls (markupsafe 2's escape() is
# that C function itself)
_ESCAPE_STR: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or escape


def output_escape(value: Any, _str: type = str, _markup: type = Markup) -> str:
    """A value as a template outputs it: escaped (see above); also for the Python helpers that
    write markup in f-strings."""
    kind = type(value)
    if kind is _str:
        return _ESCAPE_STR(value)
    if kind is _markup:
        return value
    return escape(value)


class QuickTemplate(jinja2.Template):
    """A template whose compiled code escapes its output with output_escape (Jinja's
    Environment.template_class: every template the environment loads)."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],  # noqa: A002 - Jinja's own signature
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        module_globals = template.root_render_func.__globals__  # the namespace the code ran in
        if module_globals.get("escape") is escape:
            module_globals["escape"] = output_escape
        return template
