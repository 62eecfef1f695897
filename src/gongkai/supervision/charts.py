"""Server-side SVG charts for the board: the findings heatmap and the ranking bars.

Every cell and bar carries its number as text, and the heatmap's shades come with a legend of
ranges, so the charts read without colour (and print in black and white). No script, no
external asset; ``<title>`` elements give screen readers and hover a sentence per cell.
"""

from __future__ import annotations

from html import escape

_SHADES = ("#ffffff", "#fde7c8", "#f9c48b", "#f08a4b", "#c8442a")
_STEPS = (0, 1, 3, 6, 10)  # lower bound of each shade
_CELL_W, _CELL_H, _LABEL_W, _HEAD_H = 46, 26, 190, 30


def _shade(n: int) -> str:
    index = max(i for i, lower in enumerate(_STEPS) if n >= lower)
    return _SHADES[index]


def heatmap_svg(rows: list[tuple[str, dict[str, int]]], rules: list[str]) -> str:
    """``rows`` = (agency name, {rule: count}); columns are ``rules``."""
    if not rows or not rules:
        return ""
    width = _LABEL_W + max(_CELL_W * len(rules), 64 * len(_SHADES)) + 10
    height = _HEAD_H + _CELL_H * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="各机关按规则统计的问题数">'
    ]
    for j, rule in enumerate(rules):
        x = _LABEL_W + j * _CELL_W + _CELL_W / 2
        parts.append(
            f'<text x="{x}" y="{_HEAD_H - 10}" text-anchor="middle" font-size="13" '
            f'font-weight="bold">{escape(rule)}</text>'
        )
    for i, (name, counts) in enumerate(rows):
        y = _HEAD_H + i * _CELL_H
        label = name if len(name) <= 13 else name[:12] + "…"
        parts.append(
            f'<text x="{_LABEL_W - 8}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"<title>{escape(name)}</title>{escape(label)}</text>"
        )
        for j, rule in enumerate(rules):
            n = counts.get(rule, 0)
            x = _LABEL_W + j * _CELL_W
            parts.append(
                f"<g><title>{escape(name)} · {escape(rule)}：{n} 个问题</title>"
                f'<rect x="{x}" y="{y}" width="{_CELL_W - 2}" height="{_CELL_H - 2}" '
                f'fill="{_shade(n)}" stroke="#bbb"/>'
                f'<text x="{x + _CELL_W / 2 - 1}" y="{y + 17}" text-anchor="middle" '
                f'font-size="12">{n if n else "·"}</text></g>'
            )
    legend_y = _HEAD_H + len(rows) * _CELL_H + 14
    x = _LABEL_W
    bounds = [*_STEPS[1:], None]
    for lower, upper, shade in zip(_STEPS, bounds, _SHADES, strict=True):
        text = f"{lower}" if lower == 0 else f"{lower}–{upper - 1}" if upper else f"≥{lower}"
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{shade}" stroke="#999"/>'
            f'<text x="{x + 18}" y="{legend_y + 12}" font-size="12">{escape(text)}</text>'
        )
        x += 64
    parts.append("</svg>")
    return "".join(parts)


def ranking_svg(rows: list[tuple[str, int, int]]) -> str:
    """Horizontal bars: (agency name, errors, warnings); numbers printed beside each bar."""
    if not rows:
        return ""
    top = max(e + w for _, e, w in rows) or 1
    bar_w, label_w, row_h = 300, 190, 24
    width, height = label_w + bar_w + 120, row_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ranking" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="问题数排名">'
    ]
    for i, (name, errors, warnings) in enumerate(rows):
        y = i * row_h + 4
        label = name if len(name) <= 13 else name[:12] + "…"
        e_w = bar_w * errors / top
        w_w = bar_w * warnings / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{i + 1}. {escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{e_w:.1f}" height="18" fill="#c8442a"/>'
            # warnings hatched: told apart from errors without colour
            f'<rect x="{label_w + e_w:.1f}" y="{y}" width="{w_w:.1f}" height="18" '
            f'fill="url(#hatch)" stroke="#b7791f"/>'
            f'<text x="{label_w + e_w + w_w + 6:.1f}" y="{y + 14}" font-size="12">'
            f"错误 {errors} · 警告 {warnings}</text>"
        )
    parts.insert(
        1,
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbd38d"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b7791f" stroke-width="2"/></pattern></defs>',
    )
    parts.append("</svg>")
    return "".join(parts)
