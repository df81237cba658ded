"""Scenario text from recorded calls: readable YAML, a comment on each step.

The text is written line by line rather than dumped whole, so each step gets its comment
and its line number is known (the recording's transcript names it, as replay's does).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from pmsim.domain.times import iso
from pmsim.scenarios import references
from pmsim.scenarios.calls import CRASH, Call, names_for
from pmsim.scenarios.report import describe
from pmsim.scenarios.yaml_source import YamlProblem, parse

ERROR_KEYS = ("type", "code", "param", "decline_code", "http_status", "message")


@frozen
class Written:
    """A scenario's text, the line each step starts on, and the name each step's result has."""

    text: str
    lines: tuple[int, ...]
    names: tuple[str | None, ...]


def named_params(
    calls: Sequence[Call],
) -> tuple[list[Any], dict[int, tuple[str, str]], set[str]]:
    """Each call's parameters with earlier results' ids written as references; the names
    given (step index: name and id), and the names a later step uses."""
    named = {index: (as_name, obj_id) for index, as_name, obj_id in names_for(calls)}
    by_id: dict[str, str] = {}  # the names given so far: a step refers only to earlier ones
    used: set[str] = set()
    params = []
    for index, call in enumerate(calls):
        params.append(refer(call.params, by_id, used))
        if index in named:
            as_name, obj_id = named[index]
            by_id[obj_id] = as_name
    return params, named, used


def write_yaml(
    calls: Sequence[Call],
    seed: int,
    start_time: int,
    name: str,
    description: str,
    api_version: str | None = None,
) -> Written:
    """The scenario a recording's calls make, from ``seed`` at ``start_time``; its header
    names ``api_version`` when given (a scenario without one answers as the newest)."""
    params, named, used = named_params(calls)
    start = iso(start_time)
    out = ["# Recorded with pmsim.record(); replay it with: pmsim run THIS_FILE",
           f"name: {_flow(name)}"]  # fmt: skip
    if description:
        out.append(f"description: {_flow(description)}")
    out += [f"seed: {seed}", f"start_time: {start}"]
    if api_version is not None:
        out.append(f"api_version: {api_version}")
    out += [
        "",
        "steps:" if calls else "steps: []",
    ]
    lines: list[int] = []
    names: list[str | None] = []
    for index, call in enumerate(calls):
        given = named[index][0] if index in named else None
        step_name = given if given in used else None  # only names a later step uses
        out.append(f"  # {index + 1}. {_comment(describe(call.result, call.error))}")
        lines.append(len(out) + 1)
        names.append(step_name)
        out.append(f"  - {call.op}: {_flow(params[index])}")
        if step_name is not None:
            out.append(f"    as: {step_name}")
        if call.error is not None and call.error["type"] != CRASH:
            error = {key: call.error[key] for key in ERROR_KEYS if call.error.get(key) is not None}
            out.append(f"    expect_error: {_flow(refer(error, {}, used))}")  # escapes ${
        out.append(f"    expect_events: {_flow([event['type'] for event in call.events])}")
    return Written("\n".join(out) + "\n", tuple(lines), tuple(names))


def refer(value: Any, by_id: Mapping[str, str], used: set[str]) -> Any:
    """``value`` with ids of named results replaced by references to them, and any other
    ``${`` in text escaped so it reads back as text."""
    if isinstance(value, str):
        if value in by_id:
            used.add(by_id[value])
            return "${" + by_id[value] + "}"
        return references.escape(value)
    if isinstance(value, Mapping):
        return {key: refer(item, by_id, used) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [refer(item, by_id, used) for item in value]
    return value


def _comment(text: str) -> str:
    """Text safe on one comment line: no line breaks, control characters escaped."""
    text = " ".join(text.split())
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


def _flow(value: Any) -> str:
    """One value in YAML's flow style, on one line, that reads back as exactly ``value``."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when there
    text: str = yaml.dump(
        value,
        Dumper=dumper,
        default_flow_style=True,
        width=2**31 - 1,
        allow_unicode=True,
        sort_keys=False,
    )
    text = text.removesuffix("\n...\n").rstrip("\n")
    try:
        if "\n" not in text and parse(f"v: {text}")[0] == {"v": value}:
            return text
    except YamlProblem:
        pass
    # YAML folds some characters (line breaks, NEL, ...) even when quoted; JSON with \u
    # escapes is YAML too, and keeps every character, once its surrogate pairs are written
    # as YAML's \U escapes (YAML reads each half of a pair as a character of its own).
    return _SURROGATE_PAIR.sub(_astral, json.dumps(value, ensure_ascii=True))


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _astral(pair: re.Match[str]) -> str:
    high, low = (int(half, 16) for half in pair.groups())
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"
