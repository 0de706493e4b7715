"""What WeasyPrint's PDF/UA-1 output still lacks, added to the PDF it wrote (with pikepdf).

- Running headers and footers (the `@page` margin boxes) become pagination artifacts. WeasyPrint
  tags their text with MCIDs and gives them structure elements that it never links into the
  structure tree ("It could be included in tree as Artifact, but that's only allowed in PDF 2.0",
  weasyprint/pdf/tags.py; its issue #1836): content that is neither reachable real content nor an
  artifact, where PDF/UA-1 wants page furniture as artifacts (Matterhorn 01-001). The marked
  content the structure tree cannot reach is exactly that text, so it is rewritten as
  `/Artifact <</Type /Pagination /Subtype /Header>> BDC … EMC` (or /Footer, by which half of the
  page it is drawn in), and its ParentTree entries go (the stray elements with them: nothing
  refers to them any more, so they are not written). Should a later WeasyPrint leave other
  content outside the tree, this takes nothing from a screen reader that it could reach before,
  and tests/reports/test_pdfua.py fails on an artifact that is no running header or footer.

Everything else (metadata, language, title, the tree itself) is left as WeasyPrint wrote it.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Matrix, Name, NumberTree, Operator

BEGIN_MARKED = {"BMC", "BDC"}


def finish_pdfua(pdf: bytes) -> bytes:
    """The PDF with its running headers and footers as pagination artifacts. Same pages, same
    text, same drawing."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if "/StructTreeRoot" in document.Root:
            _unreachable_content_as_artifacts(document)
        out = io.BytesIO()
        # fix_metadata_version=False: the XMP packet stays exactly as WeasyPrint wrote it.
        document.save(out, fix_metadata_version=False)
    return out.getvalue()


# --- Running headers and footers --------------------------------------------------------------


def _reachable_mcids(document: pikepdf.Pdf) -> list[set[int]]:
    """For each page, the MCIDs that the structure tree reaches from its root through /K."""
    page_index = {page.obj.objgen: n for n, page in enumerate(document.pages)}
    reached: list[set[int]] = [set() for _ in page_index]
    # (a /K value, the page of the element it belongs to)
    stack: list[tuple[Any, int | None]] = [(document.Root.StructTreeRoot.get("/K"), None)]
    while stack:
        kid, page = stack.pop()
        if isinstance(kid, int):
            if page is not None:
                reached[page].add(kid)
        elif isinstance(kid, Array):
            stack.extend((item, page) for item in kid)
        elif isinstance(kid, Dictionary):
            kind = kid.get("/Type")
            if kind == Name.OBJR:
                continue
            if (page_object := kid.get("/Pg")) is not None:
                page = page_index.get(page_object.objgen, page)
            if kind == Name.MCR:
                if page is not None:
                    reached[page].add(int(kid.MCID))
            elif (kids := kid.get("/K")) is not None:
                stack.append((kids, page))
    return reached


def _unreachable_content_as_artifacts(document: pikepdf.Pdf) -> None:
    reached = _reachable_mcids(document)
    parent_tree = NumberTree(document.Root.StructTreeRoot.ParentTree)
    for page, reachable in zip(document.pages, reached, strict=True):
        dropped = _rewrite_unreachable(document, page, reachable)
        key = page.obj.get("/StructParents")
        if not dropped or key is None or int(key) not in parent_tree:
            continue
        parents = parent_tree[int(key)]
        for mcid in dropped:
            if mcid < len(parents):
                parents[mcid] = None
        # WeasyPrint draws the margin boxes last, so their entries end the array.
        while len(parents) and parents[len(parents) - 1] is None:
            del parents[len(parents) - 1]


def _rewrite_unreachable(
    document: pikepdf.Pdf, page: pikepdf.Page, reachable: set[int]
) -> set[int]:
    """Rewrite the page's marked content whose MCID the structure tree does not reach as
    pagination artifacts; return those MCIDs."""
    instructions = pikepdf.parse_content_stream(page)
    middle = float(page.mediabox[1] + page.mediabox[3]) / 2
    dropped: set[int] = set()
    ctm = Matrix()
    saved: list[Matrix] = []
    depth = 0  # of open marked-content sequences
    # The artifact being written: its depth and property list, until its first text matrix.
    placing: tuple[int, Dictionary] | None = None
    for n, instruction in enumerate(instructions):
        # Operands only where they are needed: reading a text operator's costs more than the rest.
        op = str(instruction.operator)
        if op == "q":
            saved.append(ctm)
        elif op == "Q" and saved:
            ctm = saved.pop()
        elif op == "cm":
            ctm = _matrix(instruction.operands) @ ctm
        elif op in BEGIN_MARKED:
            depth += 1
            mcid = _mcid(instruction.operands) if op == "BDC" else None
            if mcid is not None and mcid not in reachable:
                dropped.add(mcid)
                properties = Dictionary(Type=Name.Pagination)
                instructions[n] = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, properties], Operator("BDC")
                )
                placing = (depth, properties)
        elif op == "EMC":
            if placing is not None and placing[0] == depth:
                placing = None  # no text in it: a pagination artifact of no stated side
            depth -= 1
        elif op == "Tm" and placing is not None:
            # The height of the text's origin in default user space decides the side.
            y = (_matrix(instruction.operands) @ ctm).f
            placing[1].Subtype = Name.Header if y > middle else Name.Footer
            placing = None
    if dropped:
        page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
    return dropped


def _matrix(operands: Any) -> Matrix:
    return Matrix(*(float(value) for value in operands))


def _mcid(operands: Any) -> int | None:
    properties = operands[-1] if len(operands) == 2 else None
    if isinstance(properties, Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None
