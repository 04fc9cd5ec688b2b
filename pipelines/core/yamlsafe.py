"""Reading YAML written by other people without letting it exhaust the machine.

A safe loader still expands aliases: a few lines of ``&a [*b, *b, …]`` anchors (the
"billion laughs") grow into gigabytes. Roadmap definitions and extract declarations never
need anchors, so files using them are refused before loading, as are files too large to be
a definition.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from pipelines.core.errors import DataError, Problem
from pipelines.core.paths import display

#: A roadmap definition is a few hundred lines; anything this large is not one.
MAX_YAML_BYTES = 4 * 1024 * 1024
#: The safe loader in C (libyaml) where PyYAML was built with it: the same documents, events
#: and line marks as the Python one, ten times faster (a synthetic roadmap of 2,165
#: indicators, 650 KB: 4 s in Python, read twice).
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_text(path: Path) -> str:
    """The text of a YAML input, refused when oversized or when it uses anchors/aliases."""
    name = display(path)
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise DataError(
            Problem(
                name,
                None,
                None,
                f"{size} bytes",
                "file-size",
                f"a YAML definition larger than {MAX_YAML_BYTES // 2**20} MiB is refused",
            )
        )
    text = path.read_bytes().decode("utf-8-sig", errors="strict")
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise DataError(
                    Problem(
                        name,
                        line,
                        None,
                        f"*{event.anchor}",
                        "yaml-alias",
                        "YAML anchors and aliases are not accepted in definitions "
                        "(they can expand without bound); write the values out",
                    )
                )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(Problem(name, mark.line + 1 if mark else None, None, None, "yaml-syntax", str(exc))) from exc
    return text
