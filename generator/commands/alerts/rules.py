"""Read alerting rules with the position of each part: Prometheus rule files (`groups:` of
`rules:`) and Kubernetes `PrometheusRule` objects (`spec.groups`, several documents a file).

Recording rules are skipped. A file that cannot be read, is not YAML or has the wrong shape is a
diagnostic (RB401, RB402), never an exception. Positions come from PyYAML's nodes, so `check`
can point at an `alert:` key and `annotate` can rewrite one value and leave every other byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.diagnostics import Diagnostic, make

try:  # The C composer is several times faster; marks are the same.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Generated rule files reach a few hundred KB (kube-prometheus' largest is 87 KB); a bigger one
# is most likely not a rule file, and composing it would take seconds and much memory.
MAX_RULE_BYTES = 8 * 1024 * 1024
# Line breaks as YAML (and so libyaml's marks) counts them.
BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
Mark = tuple[int, int]  # 0-based line and column, as PyYAML's marks
Route = tuple[str | int, ...]


@dataclass(frozen=True)
class Value:
    """A scalar as written: its text, where it starts and ends, and its style ('' plain,
    quote, `|` or `>`)."""

    text: str
    start: Mark
    end: Mark
    style: str


@dataclass(frozen=True)
class Block:
    """A mapping as written: the column of its keys (None in flow style `{...}`), the end of
    its last value (where a key goes after it) and whether it has any key."""

    key_col: int | None
    after: Mark
    empty: bool


@dataclass(frozen=True)
class Rule:
    """One alerting rule: its name, labels and `runbook_url`, and where each is."""

    name: str
    path: str
    line: int  # of the `alert:` key, 1-based
    col: int
    labels: dict[str, str]
    url: Value | None
    body: Block  # the rule's mapping
    annotations: Block | None  # None: no `annotations:` mapping
    annotations_key: Mark | None  # `annotations:` with no value (or a scalar)
    annotations_value: Value | None
    doc: int  # which document of the file
    route: Route  # from the document's root to the rule's mapping

    @property
    def severity(self) -> str:
        """The rule's `severity` label, as written."""
        return self.labels.get("severity", "")


@dataclass(frozen=True)
class RuleFile:
    """A rule file read: its text (without a byte-order mark), its alerting rules, and what
    made parts of it unreadable."""

    path: str
    text: str
    rules: tuple[Rule, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    bom: bool = False
    indent: int = 2  # the step the file indents a nested mapping by
    read: bool = field(default=True)  # False: nothing of it could be read


def read_rules(path: Path, *, name: str, max_bytes: int = MAX_RULE_BYTES) -> RuleFile:
    """Read the rule file at *path* (shown as *name* in diagnostics)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            message = f"file is {size:,} bytes, over the limit of {max_bytes:,} for a rule file"
            return _unread(name, message)
        raw = path.read_bytes()
    except OSError as exc:
        return _unread(name, f"cannot read the file: {exc.strerror}")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as exc:
        return _unread(name, f"not UTF-8 (byte {exc.start}): is this a rule file?")
    found = parse_rules(text, name)
    return RuleFile(name, text, found.rules, found.diagnostics, bom, found.indent, found.read)


def _unread(name: str, message: str, line: int = 0, col: int = 0) -> RuleFile:
    return RuleFile(name, "", diagnostics=(make(name, line, col, "RB401", message),), read=False)


def parse_rules(text: str, name: str) -> RuleFile:
    """The alerting rules of a rule file's text."""
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.line >= len(BREAK.findall(text)):
            mark = exc.context_mark  # at the end of the file: point at what was never closed
        where = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or "unreadable"
        return _unread(name, f"not YAML: {problem}", *where)
    except (yaml.YAMLError, RecursionError) as exc:
        return _unread(name, f"not YAML: {type(exc).__name__}")
    reader = _Reader(name)
    rules = tuple(r for doc, node in enumerate(documents) for r in reader.document(doc, node))
    return RuleFile(name, text, rules, tuple(reader.problems), indent=reader.indent or 2)


class _Reader:
    """Walks the documents of one file, keeping what is wrong with their shape."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Diagnostic] = []
        self.indent = 0

    def wrong(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(make(self.name, mark.line + 1, mark.column + 1, "RB402", message))

    def document(self, doc: int, node: yaml.Node | None) -> Iterator[Rule]:
        """The rules of one document: a rule file, a PrometheusRule, or something to skip."""
        if node is None or _is_null(node):
            return
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, "a rule file is a mapping with `groups:` (or a PrometheusRule)")
            return
        kind = _scalar(_get(node, "kind"))
        if kind is not None and kind != "PrometheusRule":
            return  # another Kubernetes object beside the rules: not ours to judge
        spec = _get(node, "spec") if kind else None
        holder, route = (spec, ("spec", "groups")) if spec is not None else (node, ("groups",))
        groups = _get(holder, "groups") if isinstance(holder, yaml.MappingNode) else None
        if groups is None:
            where = "`spec.groups:`" if kind else "`groups:` (or a PrometheusRule's `spec.groups`)"
            self.wrong(node, f"no {where}: is this a rule file?")
            return
        yield from self.groups(doc, groups, route)

    def groups(self, doc: int, groups: yaml.Node, route: Route) -> Iterator[Rule]:
        if not isinstance(groups, yaml.SequenceNode):
            if not _is_null(groups):
                self.wrong(groups, "`groups:` is a list of groups (`- name: ...` with `rules:`)")
            return
        for g, group in enumerate(groups.value):
            rules = _get(group, "rules") if isinstance(group, yaml.MappingNode) else None
            if rules is None:
                self.wrong(group, "a group is a mapping with `name:` and `rules:`")
            elif isinstance(rules, yaml.SequenceNode):
                for r, rule in enumerate(rules.value):
                    found = self.rule(doc, rule, (*route, g, "rules", r))
                    if found is not None:
                        yield found
            elif not _is_null(rules):
                self.wrong(rules, "`rules:` is a list of rules (`- alert: ...` or `- record: ...`)")

    def rule(self, doc: int, node: yaml.Node, route: Route) -> Rule | None:
        """An alerting rule, or None for a recording rule or a rule of the wrong shape."""
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, "a rule is a mapping with `alert:` (or `record:`) and `expr:`")
            return None
        alert = _entry(node, "alert")
        if alert is None:
            if _get(node, "record") is None:
                self.wrong(node, "a rule has neither `alert:` nor `record:`")
            return None
        key, value = alert
        name = _scalar(value)
        if not name:
            self.wrong(value, "`alert:` is the alert's name, a text")
            return None
        return self.alerting(doc, node, route, name, key)

    def alerting(
        self, doc: int, node: yaml.MappingNode, route: Route, name: str, key: yaml.Node
    ) -> Rule:
        labels_node = _get(node, "labels")
        annotations = _entry(node, "annotations")
        ann_value = annotations[1] if annotations else None
        block = _block(ann_value) if isinstance(ann_value, yaml.MappingNode) else None
        url = _get(ann_value, "runbook_url") if isinstance(ann_value, yaml.MappingNode) else None
        if url is not None and not isinstance(url, yaml.ScalarNode):
            self.wrong(url, "`runbook_url:` is a URL, a text")
            url = None
        self.learn_indent(node, labels_node, ann_value)
        return Rule(
            name=name,
            path=self.name,
            line=key.start_mark.line + 1,
            col=key.start_mark.column + 1,
            labels=_labels(labels_node),
            url=_value(url) if isinstance(url, yaml.ScalarNode) else None,
            body=_block(node),
            annotations=block,
            annotations_key=_mark(annotations[0].start_mark) if annotations else None,
            annotations_value=_value(ann_value) if isinstance(ann_value, yaml.ScalarNode) else None,
            doc=doc,
            route=route,
        )

    def learn_indent(self, rule: yaml.MappingNode, *children: yaml.Node | None) -> None:
        """The file's indentation step, from the first nested block mapping of a rule."""
        if self.indent or rule.flow_style:
            return
        for child in children:
            if isinstance(child, yaml.MappingNode) and child.value and not child.flow_style:
                step = child.value[0][0].start_mark.column - rule.value[0][0].start_mark.column
                if step > 0:
                    self.indent = step
                    return


def _entry(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The key and value nodes of *key* in a mapping node (the last, as YAML keeps)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            found = (k, v)
    return found


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    entry = _entry(node, key)
    return entry[1] if entry else None


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and not _is_null(node) else None


def _is_null(node: yaml.Node) -> bool:
    return node.tag == "tag:yaml.org,2002:null"


def _labels(node: yaml.Node | None) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        k.value: v.value
        for k, v in node.value
        if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
    }


def _mark(mark: yaml.Mark) -> Mark:
    return mark.line, mark.column


def _value(node: yaml.ScalarNode) -> Value:
    return Value(node.value, _mark(node.start_mark), _mark(node.end_mark), node.style or "")


def _block(node: yaml.MappingNode) -> Block:
    if not node.value:
        return Block(None if node.flow_style else 0, _mark(node.end_mark), True)
    if node.flow_style:  # a new key goes right after the last value, inside the braces
        return Block(None, _mark(node.value[-1][1].end_mark), False)
    return Block(node.value[0][0].start_mark.column, _mark(_last_leaf(node).end_mark), False)


def _last_leaf(node: yaml.Node) -> yaml.Node:
    """The node written last in a block collection: where the collection's text ends (a block
    mapping's own end mark is the next key's, after comments and blank lines)."""
    while isinstance(node, yaml.CollectionNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node
