"""Jinja's Context with a quicker call(): the templates call Python helpers and macros about
a million times in a build, and Jinja's own call() asks each callable three times whether it
wants the context passed in (pass_context and the like) before calling it.

Here, a function, a method or a Words (none of which asks for anything at the class level) is
called at once when the object itself carries no jinja_pass_arg; anything else (a macro, which
asks for the evaluation context), and any callable that does carry one, goes through Jinja's
call(), so the result is the same. (Giving macros their context here as well measured nothing.)
"""

from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode

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
