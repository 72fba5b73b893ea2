"""The book's MathJax macros, expanded in a formula (Colab typesets each cell on its own)."""

from __future__ import annotations

import re

from ..colab_book import ConversionError


def expand_macros(tex: str, macros: dict, depth: int = 0) -> str:
    """Replace the book's macros (``_config.yml``'s MathJax ``macros``) by their definitions.

    TeX reads ``\\Rightarrow`` as one control word, so only whole control words are
    replaced; ``\\\\`` (a line break) is skipped. A macro defined as ``[body, n]`` takes
    ``n`` arguments, written ``{...}`` or as single tokens.
    """
    if depth > 20:
        raise ConversionError(f"macro expansion does not terminate in {tex!r}")
    out, i, changed = [], 0, False
    while i < len(tex):
        if tex[i] != "\\":
            out.append(tex[i])
            i += 1
            continue
        match = re.match(r"\\([A-Za-z]+)", tex[i:])
        if not match:
            out.append(tex[i : i + 2])
            i += 2
            continue
        name, i = match.group(1), i + len(match.group(0))
        if name not in macros:
            out.append(match.group(0))
            continue
        definition = macros[name]
        body, nargs = (definition[0], int(definition[1])) if isinstance(definition, list) else (definition, 0)
        for n in range(1, nargs + 1):
            arg, i = _tex_argument(tex, i)
            body = body.replace(f"#{n}", arg)
        out.append(body)
        changed = True
    result = "".join(out)
    return expand_macros(result, macros, depth + 1) if changed else result


def _tex_argument(tex: str, i: int) -> tuple[str, int]:
    while i < len(tex) and tex[i].isspace():
        i += 1
    if i >= len(tex):
        raise ConversionError(f"a macro's argument is missing in {tex!r}")
    if tex[i] == "{":
        depth = 0
        for j in range(i, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[i + 1 : j], j + 1
        raise ConversionError(f"unbalanced braces in {tex!r}")
    match = re.match(r"\\[A-Za-z]+|\\.|.", tex[i:], flags=re.DOTALL)
    return match.group(0), i + len(match.group(0))
