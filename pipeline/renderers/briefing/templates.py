"""The briefing's Jinja2 environment: templates looked up through the theme chain, sandboxed.

Templates live in each theme's `templates/` folder and are looked up child first, so a
theme overrides one template by shipping a file of the same name; `{% extends
"!base/section.html.j2" %}` reaches the named theme's own copy. Templates run in Jinja's
immutable sandbox with autoescaping on and see only plain values (views.py), so neither
content nor a theme can read files or inject markup.

Jinja compiles each template to Python on first use in a process (16 templates: 0.04 s of
every cold briefing's critical path); the compiled code is kept in the `store`, named after
the template's file and source, so later processes load it instead: code, so only from a
store folder and file this user owns and no one else can write (`store.look_up_private`).
"""

from __future__ import annotations

import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ... import store
from ...errors import Diagnostic, RenderError, SourceLocation
from ...fetcher import AssetPolicy
from ...model import Document
from ...tokens import Theme
from .text import dir_attr

ROOT_TEMPLATE = "briefing.html.j2"
_ENVIRONMENTS: OrderedDict[tuple[str, tuple[Path, ...]], Environment] = OrderedDict()
_LOCK = threading.Lock()


def render_html(
    document: Document,
    theme: Theme,
    context: Callable[[], Mapping[str, Any]],
    made: dict[str, bytes],
) -> str:
    """The briefing's HTML; RenderError for a template problem (a file the asset policy
    refuses raises BlockedURL, which the renderer reports). The context is made once the
    root template is found, so a theme without templates is reported as such. Templates
    compiled for it go into `made`, for the build to store."""
    try:
        env = environment(theme)
        try:
            return env.get_template(ROOT_TEMPLATE).render(context())
        finally:
            made.update(_COMPILED.take())
    except SecurityError as exc:
        raise RenderError(
            [
                Diagnostic(
                    "error",
                    "render.template-unsafe",
                    f"a template of theme '{theme.name}' did something unsafe: {exc}",
                    document.where,
                )
            ]
        ) from None
    except TemplateNotFound as exc:
        folders = ", ".join(str(d / "templates") for d in theme.dirs)
        raise RenderError(
            [
                Diagnostic(
                    "error",
                    "render.template",
                    f"theme '{theme.name}' has no template '{exc.name}'",
                    document.where,
                    f"looked in {folders}",
                )
            ]
        ) from None
    except TemplateError as exc:
        raise RenderError([Diagnostic(
            "error", "render.template", f"template error in theme '{theme.name}': {exc}",
            _template_line(exc) or document.where,
            "fix the template at that line (a theme's templates/ override the base theme's)",
        )]) from None  # fmt: skip


def _template_line(exc: TemplateError) -> SourceLocation | None:
    """The template file and line an error is at: a syntax error names them, an error while
    rendering is found in the traceback (Jinja maps its frames to template lines)."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename and lineno:
        return SourceLocation(Path(filename), lineno, 1)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames and frames[-1].lineno:
        return SourceLocation(Path(frames[-1].filename), frames[-1].lineno, 1)
    return None


def environment(theme: Theme) -> Environment:
    """The sandboxed Jinja2 environment for a theme chain (cached per theme fingerprint)."""
    key = (theme.fingerprint, theme.dirs)
    with _LOCK:
        if key in _ENVIRONMENTS:
            _ENVIRONMENTS.move_to_end(key)
            return _ENVIRONMENTS[key]
    env = _make_environment(theme)
    with _LOCK:
        _ENVIRONMENTS[key] = env
        while len(_ENVIRONMENTS) > 16:
            _ENVIRONMENTS.popitem(last=False)
    return env


def _make_environment(theme: Theme) -> Environment:
    folders = [d / "templates" for d in theme.dirs]
    by_name: dict[str, BaseLoader] = {
        f"!{d.name}": ThemeLoader([d / "templates"], d) for d in theme.dirs
    }
    loader = ChoiceLoader([ThemeLoader(folders, *theme.dirs), PrefixLoader(by_name, delimiter="/")])
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=_COMPILED,
    )
    env.globals["dir"] = dir_attr  # right-to-left paragraphs: <p{{ dir(block.text) }}>
    return env


class StoredBytecode(BytecodeCache):
    """Compiled templates from the `store`; those compiled here wait in `fresh` until a
    render hands them to its build. Jinja checks a loaded entry's source checksum and
    format (its own version and Python's) and compiles again when either differs."""

    def __init__(self) -> None:
        self.fresh: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = store.look_up_private(self._name(bucket))  # code: only what this user wrote
        if kept is not None:
            bucket.bytecode_from_string(kept)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with self._lock:
            self.fresh[self._name(bucket)] = bucket.bytecode_to_string()

    def take(self) -> dict[str, bytes]:
        with self._lock:
            taken, self.fresh = self.fresh, {}
        return taken

    @staticmethod
    def _name(bucket: jinja2.bccache.Bucket) -> str:
        # The bucket's key names the template and its file; twinpress's code (in every
        # store key) fixes the environment's options, which the compiled code depends on.
        return store.key("template", store.version("jinja2"), bucket.key, bucket.checksum)


_COMPILED = StoredBytecode()


class ThemeLoader(FileSystemLoader):
    """A FileSystemLoader that refuses a template whose real path leaves its theme folder
    (a symlink to /etc/passwd would otherwise be included as text)."""

    def __init__(self, searchpath: list[Path], *roots: Path) -> None:
        super().__init__(searchpath)
        self.policy = AssetPolicy.of(roots)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        self.policy.check_path(Path(filename), f"template {template}")
        return source, filename, uptodate
