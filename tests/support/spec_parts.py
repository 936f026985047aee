"""Read the part documents `app_specs` merges, as tests compare its output with a plain merge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_parts(parts: dict[str, str]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """({part key: JSON text}, {part key: document}) of `{part key: file}`."""
    texts = {key: Path(path).read_text(encoding="utf-8") for key, path in parts.items()}
    return texts, {key: json.loads(text) for key, text in texts.items()}
