"""What a shell would run of a command, without running any of it: the tests' oracle for fill-in
values ("the value is one argument that means what it says").

A real bash reads the command, with every builtin but `printf`, `read` and `local` disabled, no
PATH, in restricted mode (no output redirection, no command names with '/'), as `nobody` when
we are root, under a time limit: every command it would run, external or builtin, reaches
`command_not_found_handle`, which prints its arguments and what it would read on its input.
Before any command is read, a probe checks that `kill` is one of those.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Mapping

PRELUDE = r"""
command_not_found_handle() {
  local data="" line arg out=""
  if [[ ! -t 0 ]]; then while IFS= read -r line || [[ -n $line ]]; do data+="$line"$'\n'; done; fi
  for arg in "$@" "$data"; do
    # whitespace as private-use characters: a record read back by $(...) is one word
    arg=${arg// /$'\ue000'}; arg=${arg//$'\t'/$'\ue001'}; arg=${arg//$'\n'/$'\ue002'}
    out+=$'\x1f'"$arg"
  done
  printf '\x1eRBCMD%s\n' "$out"
}
__rb_builtins=$(compgen -b)
for __rb in $__rb_builtins; do
  case $__rb in printf|read|local|enable) ;; *) enable -n "$__rb" ;; esac
done
enable -n enable
"""
_RECORD = "\x1eRBCMD"
# How the handler spells whitespace (values never hold these characters).
PRIVATE = "\ue000\ue001\ue002"
_WHITESPACE = str.maketrans(PRIVATE, " \t\n")
BASH = "/bin/bash"

Record = tuple[str, ...]


def _command(script: str) -> list[str]:
    demote = []
    if os.geteuid() == 0 and shutil.which("setpriv"):
        demote = [
            str(shutil.which("setpriv")),
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
        ]
    return [
        "env",
        "-i",
        "PATH=/nonexistent-runbookgen",
        "LC_ALL=C.UTF-8",
        *demote,
        BASH,
        "--norc",
        "--noprofile",
        "-r",
        "-c",
        script,
    ]


def _run(text: str) -> tuple[list[Record], int]:
    done = subprocess.run(
        _command(PRELUDE + "\n" + text),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=10,
        cwd="/",
        check=False,
    )
    out = done.stdout.decode("utf-8", "surrogateescape")
    return sorted(_records(out)), done.returncode


def _records(out: str) -> list[Record]:
    """The records the handler printed: each the arguments, then the input ("<stdin>..."). A
    record read back by $(...) sits inside an argument of another: it is cut out as one more."""
    found = []
    for chunk in out.split(_RECORD)[1:]:
        *args, stdin = [x.translate(_WHITESPACE) for x in chunk.rstrip("\n").split("\x1f")[1:]]
        found.append((*args, "<stdin>" + stdin))
    return found


@functools.cache
def _probe() -> None:
    records, _ = _run("kill -l")
    if records != [("kill", "-l", "<stdin>")]:
        raise RuntimeError(f"the shell oracle is not neutered here: {records!r}")


def runs(text: str) -> tuple[list[Record], int]:
    """Every command bash would run of *text* (sorted: a pipeline's run in any order), with
    its arguments and input, and the exit status of the whole."""
    _probe()
    return _run(text)


def sentinel(index: int) -> str:
    return f"RBSENTINEL{index}X"


def spellings(name: str) -> list[str]:
    """How the page spells a placeholder of the variable *name* (fill.js's placeholderRegExp)."""
    found = [f"<{name}>"]
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        found += ["${" + name + "}", f"${name}"]
    return found


def with_sentinels(text: str, names: list[str]) -> str:
    """*text* with every placeholder of *names* replaced by its variable's sentinel word."""
    for i, name in sorted(enumerate(names), key=lambda x: -len(x[1])):
        for spelled in spellings(name):
            if spelled.startswith("$") and not spelled.startswith("${"):
                text = re.sub(re.escape(spelled) + r"(?![A-Za-z0-9_])", sentinel(i), text)
            else:
                text = text.replace(spelled, sentinel(i))
    return text


def same_meaning(source: str, filled: str, names: list[str], values: Mapping[str, str]) -> str:
    """Why *filled* (the command *source* with the placeholders of *values* filled in) runs
    anything else than *source* would with each of those values as the very text of its
    placeholder; "" when it runs the same."""
    expected, status = runs(with_sentinels(source, names))
    replaced = [tuple(_put(arg, names, values) for arg in record) for record in expected]
    actual, actual_status = runs(with_sentinels(filled, names))
    if sorted(replaced) != actual:
        return f"runs {actual!r}, not {sorted(replaced)!r}"
    if status != actual_status:
        return f"exits {actual_status}, not {status}"
    return ""


def _put(arg: str, names: list[str], values: Mapping[str, str]) -> str:
    for i, name in enumerate(names):
        if name in values:
            arg = arg.replace(sentinel(i), values[name])
    return arg
