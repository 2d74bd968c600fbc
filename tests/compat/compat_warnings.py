"""os-api-ref's warnings, and the finding of ours that must answer each.

os-api-ref's warnings are read from its own build of an example, so a newer
release's examples and texts are checked too.  Each text is mapped to one
of our rule codes and to a test of *where* our finding is: the source line
our finding names must hold the mistake (the undefined key, the malformed
item, the entry out of order...).  os-api-ref gives no file or line for
most of its warnings; ours must, and must point at the mistake.

A warning that both builds print (Sphinx's or docutils' own) is not
os-api-ref's and is left out; any other warning that no mapping knows is
reported as unmapped.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

_MESSAGE = re.compile(
    r"^(?:(?P<location>.+?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<text>.*)$"
)
_CODE = re.compile(r"\s*\[os-api-ref\.(?P<code>[A-Z]\d{3})\]$")
_YAML_KEY = re.compile(r"""^(?P<key>[^\s#'"][^:]*|'[^']*'|"[^"]*"):""")


@dataclass(frozen=True)
class Message:
    """One warning or error of a build: where (if it says) and what."""

    path: str | None
    line: int | None
    level: str
    text: str

    @property
    def code(self) -> str | None:
        """Our rule code, when the message is one of our findings."""
        match = _CODE.search(self.text)
        return match["code"] if match else None

    def where(self) -> str:
        if self.path is None:
            return "(no location)"
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def __str__(self) -> str:
        return f"{self.where()}: {self.level}: {self.text}"


def parse_messages(text: str, srcdir: Path | None = None) -> list[Message]:
    """The messages of a Sphinx warnings file (``-w``), continuation lines
    joined to their message.  Paths under ``srcdir`` become relative."""
    messages: list[Message] = []
    for raw in text.splitlines():
        match = _MESSAGE.match(raw)
        if match is None:
            if messages:
                last = messages[-1]
                messages[-1] = Message(last.path, last.line, last.level, f"{last.text}\n{raw}")
            continue
        path, line = _split_location(match["location"])
        if path is not None and srcdir is not None:
            path = relative(path, srcdir)
        messages.append(Message(path, line, match["level"], match["text"]))
    return [Message(m.path, m.line, m.level, m.text.rstrip("\n")) for m in messages]


def _split_location(location: str | None) -> tuple[str | None, int | None]:
    if not location:
        return None, None
    path, sep, line = location.rpartition(":")
    if sep and line.isdigit():
        return path, int(line)
    return location, None


def relative(path: str, srcdir: Path) -> str:
    """``path`` relative to ``srcdir`` (``/``-separated) when it is inside it."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return candidate.as_posix()
    try:
        return candidate.resolve().relative_to(srcdir.resolve()).as_posix()
    except ValueError:
        return path


def normalised(message: Message, srcdir: Path) -> str:
    """A message's text without our code suffix and with ``srcdir`` removed,
    to recognise a warning both builds print."""
    text = _CODE.sub("", message.text)
    for prefix in (str(srcdir.resolve()), str(srcdir)):
        text = text.replace(prefix + "/", "").replace(prefix, "")
    return f"{message.level}: {text}"


# --------------------------------------------------------------------------
# Where a finding points


class Source:
    """The source files of one build, read on demand."""

    def __init__(self, srcdir: Path) -> None:
        self.srcdir = srcdir
        self._lines: dict[str, list[str]] = {}

    def lines(self, path: str) -> list[str]:
        if path not in self._lines:
            file = self.srcdir / path
            try:
                self._lines[path] = file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines[path] = []
        return self._lines[path]

    def line(self, finding: Message) -> str:
        if finding.path is None or finding.line is None:
            return ""
        lines = self.lines(finding.path)
        return lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""

    def yaml_key_lines(self, path: str) -> list[tuple[str, int]]:
        """(top-level key, line) of a YAML file, in order."""
        found = []
        for number, text in enumerate(self.lines(path), 1):
            match = _YAML_KEY.match(text)
            if match:
                found.append((match["key"].strip("'\""), number))
        return found


def yaml_key(line: str) -> str | None:
    match = _YAML_KEY.match(line)
    return match["key"].strip("'\"") if match else None


Check = Callable[[Message, Source], bool]


@dataclass(frozen=True)
class Expectation:
    """What must answer one os-api-ref warning: a finding with ``code``
    for which ``check`` holds (``about`` says what it checks)."""

    code: str
    about: str
    check: Check


def _names(text: str, *names: str) -> bool:
    return all(name in text for name in names)


def line_contains(*needles: str) -> Check:
    def check(finding: Message, source: Source) -> bool:
        return _names(finding.text, needles[0]) and _names(source.line(finding), *needles)

    return check


def at(path: str | None, line: int | None) -> Check:
    def check(finding: Message, source: Source) -> bool:
        return path is not None and (finding.path, finding.line) == (path, line)

    return check


def in_file(path: str) -> Check:
    def check(finding: Message, source: Source) -> bool:
        return finding.path == path

    return check


def names_file(name: str) -> Check:
    def check(finding: Message, source: Source) -> bool:
        return name in finding.text or name in source.line(finding)

    return check


def entry_pair(first: str, second: str | None) -> Check:
    """F010: the finding is at ``first``'s entry or at the entry that
    follows it (``second``, or whichever comes next in the file)."""

    def check(finding: Message, source: Source) -> bool:
        if finding.path is None:
            return False
        keys = source.yaml_key_lines(finding.path)
        lines = [line for key, line in keys if key == first]
        following = [
            keys[index + 1]
            for index, (key, _line) in enumerate(keys[:-1])
            if key == first and (second is None or keys[index + 1][0] == second)
        ]
        return finding.line in lines + [line for _key, line in following]

    return check


class _StringFloatLoader(yaml.SafeLoader):
    """Reads floats as strings, as os-api-ref does (so 2.10 stays "2.10")."""


_StringFloatLoader.add_constructor(
    "tag:yaml.org,2002:float", yaml.constructor.SafeConstructor.construct_yaml_str
)


def path_parameter(param: str) -> Check:
    """S006: the finding names ``param`` and is at the operation whose URL
    has ``{param}``: its ``rest_method`` line or a ``rest_parameters``
    directive below it."""

    def check(finding: Message, source: Source) -> bool:
        if param not in finding.text or finding.path is None or finding.line is None:
            return False
        lines = source.lines(finding.path)[: finding.line]
        if not lines or not re.search(r"\.\.\s+rest_(parameters|method)::", lines[-1]):
            return False
        methods = [text for text in lines if re.search(r"\.\.\s+rest_method::", text)]
        return bool(methods) and "{" + param + "}" in methods[-1]

    return check


_ROW_ENTRY = re.compile(r"entry '(?P<key>[^']+)' \((?P<file>[^():]+):\d+\)")


def row_of_entry(name: str, values: dict[str, object]) -> Check:
    """S012: the finding is at a stanza item ``- name: key`` whose entry, in
    the parameters file the message names, has the fields ``values``."""

    def check(finding: Message, source: Source) -> bool:
        match = _ROW_ENTRY.search(finding.text)
        item = source.line(finding).strip()
        if match is None or finding.path is None:
            return False
        if item.replace(" ", "") != f"-{name}:{match['key']}":
            return False
        folder = Path(finding.path).parent
        try:
            data = yaml.load(
                "\n".join(source.lines(str(folder / match["file"]))), Loader=_StringFloatLoader
            )
        except yaml.YAMLError:
            return False
        return isinstance(data, dict) and data.get(match["key"]) == values

    return check


def _literal_values(text: str) -> dict[str, object] | None:
    """The fields os-api-ref prints for an entry (an OrderedDict's repr,
    which changed form in Python 3.12)."""
    inner = text.removeprefix("OrderedDict(").removesuffix(")")
    try:
        value = ast.literal_eval(inner)
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, list):
        value = dict(value)
    return value if isinstance(value, dict) else None


# --------------------------------------------------------------------------
# The mapping


@dataclass(frozen=True)
class Context:
    """What an expectation may need about the os-api-ref build."""

    srcdir: Path

    def rel(self, path: str) -> str:
        return relative(path.strip(), self.srcdir)


Rule = Callable[[re.Match[str], Message, Context], Expectation | None]


def _undefined_key(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    return Expectation("S001", f"the item that refers to {m['key']!r}", line_contains(m["key"]))


def _out_of_order(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    return Expectation(
        "F010",
        f"the entries {m['last']!r} / {m['key']!r}",
        entry_pair(m["last"], m["key"]),
    )


def _section_order(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    return Expectation("F010", f"the entry after {m['last']!r}", entry_pair(m["last"], None))


def _invalid_in(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    def check(finding: Message, source: Source) -> bool:
        line = source.line(finding)
        return m["key"] in line or ("in:" in line and m["value"] in line)

    return Expectation("F006", f"the entry {m['key']!r} or its 'in'", check)


def _path_parameter(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    return Expectation(
        "S006", f"the operation whose URL has {{{m['param']}}}", path_parameter(m["param"])
    )


def _invalid_item(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    return Expectation("S002", f"the item {m['item']!r}", line_contains(m["item"]))


def _failure_on_key(m: re.Match[str], msg: Message, ctx: Context) -> Expectation | None:
    values = _literal_values(m["values"])
    if values is None or ("in" in values and "type" in values):
        return None
    return Expectation(
        "S012",
        f"the stanza item {m['name']!r} whose entry's fields are {values!r}",
        row_of_entry(m["name"], values),
    )


def _empty_file(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    path = ctx.rel(m["file"])
    return Expectation("F003", f"the file {path}", in_file(path))


def _not_found(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    name = Path(m["file"].strip()).name
    return Expectation("F001", f"the stanza naming {name}", names_file(name))


def _parse_error(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    path = ctx.rel(m["file"])
    return Expectation("F002", f"the file {path}", in_file(path))


def _same_place(code: str) -> Rule:
    def rule(m: re.Match[str], msg: Message, ctx: Context) -> Expectation | None:
        if msg.path is None or msg.line is None:
            return None
        return Expectation(code, f"{msg.where()} as os-api-ref says", at(msg.path, msg.line))

    return rule


def _unknown_reason(m: re.Match[str], msg: Message, ctx: Context) -> Expectation:
    return Expectation("C002", f"the item '{m['code']}: {m['reason']}'", line_contains(m["reason"]))


#: os-api-ref's warning texts (from its source, 3.2.0), each with our rule.
MAPPING: Sequence[tuple[re.Pattern[str], Rule]] = [
    (re.compile(r"No field definition for ``(?P<key>.+?)`` found in ``.+?``"), _undefined_key),
    (
        re.compile(r"Parameters out of order ``(?P<last>.+?)`` should be after ``(?P<key>.+?)``"),
        _out_of_order,
    ),
    (
        re.compile(r"Section out of order\. .*\(see ``(?P<last>.+?)``\)", re.S),
        _section_order,
    ),
    (
        re.compile(
            r"``(?P<value>.*?)`` is not a valid value for 'in' .*\(see ``(?P<key>.+?)``\)", re.S
        ),
        _invalid_in,
    ),
    (
        re.compile(r"No path parameter ``(?P<param>.+?)`` found in rest_parameter stanza"),
        _path_parameter,
    ),
    (
        re.compile(r"Invalid parameter definition ``(?P<item>.+?)``\. Expected format"),
        _invalid_item,
    ),
    (
        re.compile(r"Failure on key: (?P<name>.+?), values: (?P<values>.+)\. '\w+' object has"),
        _failure_on_key,
    ),
    (re.compile(r"Parameters file is empty, (?P<file>.+)"), _empty_file),
    (re.compile(r"Parameters file not found, (?P<file>.+)"), _not_found),
    (re.compile(r"Parameters file (?P<file>.+) not found"), _not_found),
    (re.compile(r"Error while parsing file \[(?P<file>.+?)\]"), _parse_error),
    (re.compile(r"^No parameters defined"), _same_place("S003")),
    (re.compile(r"^No reference file defined"), _same_place("S004")),
    (re.compile(r"^Type .* is not one of "), _same_place("C005")),
    (
        re.compile(r"Could not find (?P<reason>.+?) for code (?P<code>\d+)"),
        _unknown_reason,
    ),
]


def expectation(message: Message, context: Context) -> Expectation | None:
    """Our answer to one os-api-ref warning, or None if it maps to nothing."""
    for pattern, rule in MAPPING:
        match = pattern.search(message.text)
        if match:
            return rule(match, message, context)
    return None


@dataclass(frozen=True)
class Outcome:
    """One os-api-ref warning and what answered it (if anything)."""

    theirs: Message
    expected: Expectation | None
    answer: Message | None

    def describe(self) -> str:
        text = self.theirs.text.splitlines()[0]
        if self.expected is None:
            return f"os-api-ref warning maps to no rule of ours: {text!r}"
        if self.answer is None:
            return (
                f"os-api-ref: {text!r} -> expected {self.expected.code} at "
                f"{self.expected.about}; no finding of ours matches"
            )
        return f"os-api-ref: {text!r} -> {self.expected.code} at {self.answer.where()}"


def answer(
    theirs: Sequence[Message],
    ours: Sequence[Message],
    their_srcdir: Path,
    our_srcdir: Path,
) -> list[Outcome]:
    """For every warning os-api-ref gave (and our build did not also give),
    the finding of ours that answers it."""
    shared = {normalised(message, our_srcdir) for message in ours}
    context = Context(their_srcdir)
    source = Source(our_srcdir)
    outcomes = []
    for message in theirs:
        if normalised(message, their_srcdir) in shared:
            continue
        expected = expectation(message, context)
        found = None
        if expected is not None:
            found = next(
                (
                    finding
                    for finding in ours
                    if finding.code == expected.code and expected.check(finding, source)
                ),
                None,
            )
        outcomes.append(Outcome(message, expected, found))
    return outcomes
