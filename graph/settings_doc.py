"""Write ``docs/configuration.md`` from :class:`graph.settings.Settings`, so no setting is missed.

The page lists every field of ``Settings``: its environment variable(s) (the field's
``validation_alias``), its type, its default and *why it exists* — the ``#`` comment written
right above the field in ``graph/settings.py``, read from the source with :mod:`ast` and
:mod:`tokenize`. A field without such a comment stops the generator with a
:class:`MissingComment` naming it. One comment may cover the field written on the line right
below the one it sits on when it names it ("API bind address and port" covers ``api_host``
and ``api_port``): a word of the second field's name, past the prefix the two names share,
must appear in the comment. Anything else without a comment fails.

Pure: it reads the source file and the class, never the environment's values, the ``.env``
file or a database. Regenerate the page with::

    .venv/bin/python -m graph.settings_doc

``tests/graph/test_settings_doc.py`` fails when the committed page differs from what this
module writes.
"""

from __future__ import annotations

import ast
import io
import os
import re
import sys
import textwrap
import tokenize
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from pydantic import AliasChoices, AliasPath
from pydantic.fields import FieldInfo

from graph import settings as settings_module
from graph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
#: the page this module writes, relative to the repository root
PAGE = Path("docs") / "configuration.md"
#: the command that rewrites the page (said in the page and in the test's failure message)
REGENERATE = ".venv/bin/python -m graph.settings_doc"
#: the source the comments are read from, as the page names it
SOURCE_NAME = "graph/settings.py"


class MissingComment(ValueError):
    """A field of the settings class has no ``#`` comment saying why it exists."""

    def __init__(self, field: str, line: int | None = None, path: str = SOURCE_NAME) -> None:
        self.field = field
        where = f"{path}:{line}" if line else path
        super().__init__(
            f"{where}: setting {field!r} has no comment saying why it exists: write one "
            f"or more '# …' lines right above it, then run `{REGENERATE}`"
        )


@dataclass(frozen=True)
class SettingDoc:
    """What the page says about one setting."""

    name: str
    env: tuple[str, ...]
    type: str
    default: str
    why: str


# --- the comments above the fields -------------------------------------------------------


def _comment_lines(source: str) -> dict[int, str]:
    """Line number → text of every line that holds only a comment (``#`` and one space cut)."""
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and token.line.strip().startswith("#"):
            text = token.string[1:]
            comments[token.start[0]] = text[1:] if text.startswith(" ") else text
    return comments


def _words(name: str) -> list[str]:
    return [w for w in name.lower().split("_") if w]


def _names_it(comment: str, field: str, previous: str) -> bool:
    """Whether a comment written for ``previous`` also speaks of ``field`` (see the module)."""
    mine, theirs = _words(field), _words(previous)
    shared = 0
    while shared < min(len(mine), len(theirs)) and mine[shared] == theirs[shared]:
        shared += 1
    said = set(re.findall(r"[a-z0-9]+", comment.lower()))
    return any(word in said for word in mine[shared:])


def field_comments(source: str, class_name: str = "Settings",
                   path: str = SOURCE_NAME) -> dict[str, str]:
    """Field name → the comment above it, for every annotated field of ``class_name``.

    Raises :class:`MissingComment` for the first field that has none (see the module for the
    one case where a comment covers two fields), and ``ValueError`` when the class is absent.
    """
    tree = ast.parse(source)
    classes = [node for node in tree.body
               if isinstance(node, ast.ClassDef) and node.name == class_name]
    if not classes:
        raise ValueError(f"{path}: no class {class_name!r}")
    lines = _comment_lines(source)
    found: dict[str, str] = {}
    previous: ast.AnnAssign | None = None
    for statement in classes[0].body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            previous = None
            continue
        name = statement.target.id
        if name.startswith("_") or name == "model_config":
            previous = None
            continue
        above: list[str] = []
        line = statement.lineno - 1
        while line in lines:
            above.insert(0, lines[line])
            line -= 1
        text = " ".join(part.strip() for part in above).strip()
        if not text and previous is not None and previous.end_lineno == statement.lineno - 1:
            earlier = previous.target.id  # type: ignore[union-attr]
            if _names_it(found[earlier], name, earlier):
                text = found[earlier]
        if not text:
            raise MissingComment(name, statement.lineno, path)
        found[name] = text
        previous = statement
    return found


# --- types, defaults, variables ----------------------------------------------------------


def _annotations(source: str, class_name: str = "Settings") -> dict[str, str]:
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {s.target.id: ast.unparse(s.annotation) for s in node.body
                    if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
    return {}


def _default_expressions(source: str, class_name: str = "Settings") -> dict[str, ast.expr]:
    """Field name → the expression given as ``default=`` (or as the value itself)."""
    out: dict[str, ast.expr] = {}
    tree = ast.parse(source)
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name == class_name):
            continue
        for s in node.body:
            if not (isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)) or not s.value:
                continue
            value = s.value
            if isinstance(value, ast.Call):
                for keyword in value.keywords:
                    if keyword.arg == "default":
                        out[s.target.id] = keyword.value
            else:
                out[s.target.id] = value
    return out


def env_names(name: str, info: FieldInfo) -> tuple[str, ...]:
    """The environment variables a field is read from (its aliases, else its own name)."""
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return tuple(c for c in alias.choices if isinstance(c, str))
    if isinstance(alias, str):
        return (alias,)
    if isinstance(alias, AliasPath):
        return ()
    return ((info.alias or name).upper(),)


def _type_text(annotation: str, info: FieldInfo) -> str:
    text = f"`{annotation}`"
    literal = typing.get_origin(info.annotation) is typing.Literal
    if literal:
        text = "one of " + ", ".join(f"`{v}`" for v in typing.get_args(info.annotation))
    elif typing.get_origin(info.annotation) is list:
        text += ", written as a JSON list"
    bounds = []
    for item in info.metadata:
        for attribute, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            if getattr(item, attribute, None) is not None:
                bounds.append(f"{sign} {getattr(item, attribute)}")
    if bounds:
        text += " (" + ", ".join(bounds) + ")"
    return text


def _env_read_by(function: Callable[..., object]) -> list[str]:
    """Environment variables a default factory of ``graph/settings.py`` reads (by name)."""
    try:
        source = Path(settings_module.__file__).read_text(encoding="utf-8")
    except OSError:
        return []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == function.__name__:
            return sorted({c.value for c in ast.walk(node) if isinstance(c, ast.Constant)
                           and isinstance(c.value, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+",
                                                                         c.value)})
    return []


def _value_text(value: object) -> str:
    if value is None:
        return "unset"
    if value == [] or value == {}:
        return "empty"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def _default_text(name: str, info: FieldInfo, expression: ast.expr | None) -> str:
    factory = info.default_factory
    if factory is None:
        text = _value_text(info.default)
        if isinstance(expression, ast.BinOp):
            text += f" (`{ast.unparse(expression)}`)"
            if name.endswith("bytes") and isinstance(info.default, int):
                mib = info.default / (1024 * 1024)
                if mib.is_integer():
                    text += f", {int(mib)} MiB"
        return text
    if factory in (list, dict, tuple, set):
        return "empty"
    # Computed when the settings are read: shown for an environment holding only a home
    # directory, written `~`, so the page is the same on every machine.
    home = "/nonexistent-home"
    with mock.patch.dict(os.environ, {"HOME": home}, clear=True):
        value = str(factory())  # type: ignore[call-arg]
    if value.startswith(home):
        value = "~" + value[len(home):]
    text = f"`{value}`"
    read = _env_read_by(factory)
    if read:
        text += (f" (computed by `{factory.__name__}()`, which reads "
                 + ", ".join(f"`{v}`" for v in read) + " first)")
    return text


def settings_docs(source: str | None = None,
                  settings_class: type[Settings] = Settings) -> list[SettingDoc]:
    """One :class:`SettingDoc` per field of the settings class, in the order of the source."""
    if source is None:
        source = Path(settings_module.__file__).read_text(encoding="utf-8")
    comments = field_comments(source, settings_class.__name__)
    annotations = _annotations(source, settings_class.__name__)
    expressions = _default_expressions(source, settings_class.__name__)
    docs: list[SettingDoc] = []
    for name, info in settings_class.model_fields.items():
        if name not in comments:
            raise MissingComment(name)
        docs.append(SettingDoc(
            name=name,
            env=env_names(name, info),
            type=_type_text(annotations.get(name, str(info.annotation)), info),
            default=_default_text(name, info, expressions.get(name)),
            why=comments[name],
        ))
    return docs


# --- the page ------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rst_to_md(text: str) -> str:
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=92, break_long_words=False, break_on_hyphens=False)


def _name_variables(text: str, variables: dict[str, str]) -> str:
    """Write the variable where a comment names a field (``neo4j_uri`` → `NEO4J_URI`)."""
    if not variables:
        return text
    pattern = re.compile(r"(?<![\w`])(" + "|".join(map(re.escape, variables)) + r")(?![\w`])")
    return pattern.sub(lambda m: f"`{variables[m.group(1)]}`", text)


def _module_paragraphs() -> list[str]:
    doc = settings_module.__doc__ or ""
    return [" ".join(p.split()) for p in doc.strip().split("\n\n") if p.strip()]


_FOOTER = """\
## Not settings

These variables are read by the tests and by CI, not by `Settings`:

- `ALLIANCE_TEST_DB_DIR`, `ALLIANCE_TEST_BOLT_PORT`, `ALLIANCE_TEST_HTTP_PORT`,
  `ALLIANCE_TEST_HEAP`, `ALLIANCE_TEST_PAGECACHE`, `ALLIANCE_TEST_KEEP_SERVER`: the
  managed Neo4j of the test session.
- `ALLIANCE_CHROMIUM`: the browser of the browser tests.
- `CI=true`: a missing Neo4j or Chromium fails the tests instead of skipping them.
- `NEO4J_URI` set during the tests points them at that server, **whose database is
  emptied before each test**.

See [Testing](testing.md).
"""


def render(docs: list[SettingDoc] | None = None) -> str:
    """The whole text of ``docs/configuration.md``."""
    if docs is None:
        docs = settings_docs()
    intro = _module_paragraphs()
    out = [
        f"<!-- Generated from {SOURCE_NAME} by graph/settings_doc.py: do not edit by hand. -->",
        "# Configuration",
        "",
        _wrap("Every setting of Alliance Graph: the environment variable that sets it, its "
              "type, its default and why it exists. Settings come from the environment or from "
              "a `.env` file in the directory the command runs in; the environment wins."),
        "",
        *(f"{_wrap(_rst_to_md(p))}\n" for p in intro[1:]),
        _wrap(f"This page is generated from the class `Settings` in `{SOURCE_NAME}` and the "
              "comment above each field: to change it, change that file and run"),
        "",
        "```sh",
        REGENERATE,
        "```",
        "",
        _wrap("`tests/graph/test_settings_doc.py` fails when this page is out of date, and "
              "when a setting has no comment saying why it exists."),
        "",
        "## Settings",
        "",
        "| variable | type | default | why |",
        "|---|---|---|---|",
    ]
    variables = {doc.name: doc.env[0] for doc in docs if doc.env}
    for doc in docs:
        env = ", ".join(f"`{name}`" for name in doc.env) or f"(field `{doc.name}`)"
        why = _name_variables(_rst_to_md(doc.why), variables)
        out.append(f"| {_cell(env)} | {_cell(doc.type)} | {_cell(doc.default)} | {_cell(why)} |")
    out += ["", _FOOTER.rstrip(), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write the page (``--check``: only say whether it is up to date; exit 1 if not)."""
    args = sys.argv[1:] if argv is None else argv
    target = ROOT / PAGE
    text = render()
    if "--check" in args:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{PAGE} is out of date: run `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
