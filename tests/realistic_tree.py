"""The ``test-realistic`` root, copied with a stanza of extra parameters."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).parent / "roots" / "test-realistic"


def tree_with_parameters(
    tmp_path: Path, name: str, parameters: str, keys: list[str] | tuple[str, ...], heading: str
) -> Path:
    """A copy of the root in ``tmp_path / name`` whose parameters file starts
    with ``parameters`` and whose v2 page ends with a section ``heading``
    holding one ``rest_parameters`` stanza that lists ``keys``."""
    src = tmp_path / name
    shutil.copytree(ROOT, src)
    params = src / "v2" / "parameters.yaml"
    params.write_text(parameters + params.read_text(encoding="utf-8"), encoding="utf-8")
    index = src / "v2" / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8")
        + f"\n{heading}\n{'=' * len(heading)}\n\n.. rest_parameters:: parameters.yaml\n\n"
        + "".join(f"   - {key}: {key}\n" for key in keys),
        encoding="utf-8",
    )
    return src
