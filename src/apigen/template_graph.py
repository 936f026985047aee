"""Which template files a renderer reads: its main template and, transitively, every template
that one imports, includes or extends. Read as text, without importing Jinja, so the task
graph stays cheap; a template change then reruns exactly the renderers that use it."""

from __future__ import annotations

from pathlib import Path

REFERENCING_TAGS = frozenset({"from", "import", "include", "extends"})


def template_closure(templates_dir: Path, main: str) -> list[str]:
    """Posix paths of `main` and every template it references, sorted."""
    seen: set[str] = set()
    pending = [main]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            text = (templates_dir / name).read_text(encoding="utf-8")
        except OSError:
            continue  # the renderer will say the template is missing
        pending.extend(referenced_templates(text))
    return sorted((templates_dir / name).as_posix() for name in seen)


def referenced_templates(text: str) -> list[str]:
    """Names in `{% from "x" import ... %}`, `{% import "x" %}`, `{% include "x" %}` and
    `{% extends "x" %}` tags with a literal name."""
    found = []
    start = text.find("{%")
    while start != -1:
        end = text.find("%}", start)
        if end == -1:
            break
        words = text[start + 2 : end].strip("-+ \t\n").split()
        if len(words) >= 2 and words[0] in REFERENCING_TAGS:
            quoted = words[1]
            if len(quoted) >= 2 and quoted[0] == quoted[-1] and quoted[0] in "\"'":
                found.append(quoted[1:-1])
        start = text.find("{%", end)
    return found
