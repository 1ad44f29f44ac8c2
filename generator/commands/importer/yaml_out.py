"""The YAML an import writes: by PyYAML's emitter (never by joining strings), readable as a person
would write it: keys in the format's order, commands and long texts as block scalars (`|`), other
texts plain where YAML reads them back as the same text, quoted where it would not. Reading the
output back gives the data exactly (tests say so)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.emitter import ScalarAnalysis

# Texts whose analysis is known without reading them a character at a time (PyYAML's emitter
# spends most of an import's time there): a line of printable ASCII with nothing YAML reads as
# syntax (plain), and lines of printable ASCII with no blank before a line break (block).
_PLAIN = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 ()./_+=;'\"<>$~^*!@%&|\\-]*(?<! )")
_BREAKS = re.compile("[\n\x85\u2028\u2029]")
_LINES = re.compile(r"(?!---|\.\.\.)[\x21-\x7e][\x20-\x7e\n]*(?<! )")


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes a text with line breaks as a literal block, and indents lists
    under their key (`steps:\n  - ...`), as the shipped runbooks are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def analyze_scalar(self, scalar: str) -> ScalarAnalysis:
        """PyYAML's analysis, found at once for the common texts (the same result: tested)."""
        if _PLAIN.fullmatch(scalar):
            return ScalarAnalysis(scalar, False, False, True, True, True, True, True)
        if "\n" in scalar and " \n" not in scalar and _LINES.fullmatch(scalar):
            single = "\n " not in scalar
            return ScalarAnalysis(scalar, False, True, False, False, single, True, True)
        return super().analyze_scalar(scalar)

    def write_plain(self, text: str, split: bool = True) -> None:
        """PyYAML's, written at once when the text fits on the line (nothing to fold)."""
        lead = 0 if self.whitespace else 1
        fits = self.column + lead + len(text) <= self.best_width
        if self.root_context or not text or self.encoding or not fits or _BREAKS.search(text):
            super().write_plain(text, split)
            return
        self.stream.write(" " * lead + text)
        self.column += lead + len(text)
        self.whitespace = self.indention = False


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # A literal block keeps every character, but YAML cannot write some in one (trailing spaces
    # on a line, a tab or space first, control characters): the emitter quotes those itself.
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


COMMENT = "\x00comment"
"""A key whose value is a comment: written as `# ` lines where the key stands in its mapping."""


def _place(value: Any, texts: list[str], tag: str) -> Any:
    """*value* with each COMMENT key a numbered stand-in (its text in *texts*)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == COMMENT:
                out[f"{tag}{len(texts)}"] = 0
                texts.append(str(item))
            else:
                out[key] = _place(item, texts, tag)
        return out
    if isinstance(value, list):
        return [_place(item, texts, tag) for item in value]
    return value


def _tag(value: Any) -> str:
    """A stand-in key that no text of *value* holds (a source could hold any one)."""
    words = "\n".join(_strings(value))
    tag = "runbookgen_comment_"
    while tag in words:
        tag += "_"
    return tag


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _comments(body: str, texts: list[str], tag: str) -> str:
    """The stand-ins of *body* as comment lines; one that opened a list item passes its dash on
    to the item's next key."""
    place = re.compile(rf"( *)(- )?{tag}(\d+): 0")
    lines = body.split("\n")
    out: list[str] = []
    dash = ""
    for line in lines:
        found = place.fullmatch(line)
        if found:
            indent = found.group(1)
            text = " ".join(texts[int(found.group(3))].split())
            out.extend(f"{indent}# {part}" for part in _wrap(text, 100 - len(indent) - 2))
            dash = indent + "- " if found.group(2) else ""
            continue
        if dash:
            line = dash + line[len(dash) :]
            dash = ""
        out.append(line)
    return "\n".join(out)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def dump(data: dict[str, Any], *, header: list[str]) -> str:
    """*data* as a YAML document, after *header* (each a `# ` comment line); a COMMENT key's
    text is a comment at its place."""
    texts: list[str] = []
    tag = _tag(data)
    data = _place(data, texts, tag)
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return comments + (_comments(body, texts, tag) if texts else body)
