"""Markdown (``.md``) with markdown-it-py: headings, paragraphs, lists and GFM tables, each
with the source line markdown-it maps it to."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..blocks import Block, BlockKind, Locator
from ..markup import clean
from .lines import field_parts


def _inline_text(token: Token) -> str:
    """Plain text of an inline token: emphasis dropped, links by their text, breaks as spaces."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or child.type == "html_inline":
            parts.append(" ")
    return clean("".join(parts))


def read_markdown(text: str) -> list[Block]:
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    blocks: list[Block] = []
    depth = 0
    tables = 0
    in_item: list[bool] = []
    headers: list[str] = []
    row: list[str] = []
    row_number = 0
    in_head = False
    row_line: int | None = None
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            in_item.append(True)
        elif token.type == "list_item_close":
            in_item.pop()
        elif token.type == "heading_open":
            inline = tokens[index + 1]
            text_ = _inline_text(inline)
            if text_:
                blocks.append(
                    Block(BlockKind.HEADING, text_, Locator(line=line), level=int(token.tag[1]))
                )
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            loc = Locator(line=line)
            raw = _inline_text(inline)
            if not raw:
                continue
            if in_item:
                previous = blocks[-1] if blocks else None
                if (
                    previous is not None
                    and previous.kind is BlockKind.LIST_ITEM
                    and tokens[index - 1].type != "list_item_open"
                ):
                    blocks[-1] = Block(
                        BlockKind.LIST_ITEM,
                        previous.text,
                        previous.locator,
                        level=previous.level,
                        note=(previous.note + " " + raw).strip(),
                    )
                else:
                    blocks.append(Block(BlockKind.LIST_ITEM, raw, loc, level=depth))
                continue
            children = [
                c
                for c in inline.children or []
                if c.type != "softbreak" and not (c.type == "text" and not c.content.strip())
            ]
            bold = (
                len(children) >= 3
                and children[0].type == "strong_open"
                and children[-1].type == "strong_close"
                and not any(c.type == "strong_open" for c in children[1:])
            )
            parts = field_parts(raw)
            if bold and len(raw.split()) <= 12 and not re.search(r"[.:;,]$", raw):
                blocks.append(Block(BlockKind.HEADING, raw, loc, level=4))  # "**Beslutning**"
            elif parts:
                blocks.append(Block(BlockKind.FIELD, parts[1], loc, label=parts[0]))
            else:
                blocks.append(Block(BlockKind.PARAGRAPH, raw, loc))
        elif token.type == "table_open":
            tables += 1
            headers, row_number = [], 0
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row, row_line = [], line
        elif token.type in ("th_open", "td_open"):
            row.append(_inline_text(tokens[index + 1]))
        elif token.type == "tr_close":
            if in_head:
                headers = row
            elif any(row):
                row_number += 1
                blocks.append(
                    Block(
                        BlockKind.TABLE_ROW,
                        " | ".join(c for c in row if c),
                        Locator(line=row_line, table=tables, row=row_number),
                        cells=tuple(row),
                        headers=tuple(headers),
                    )
                )
    return blocks
