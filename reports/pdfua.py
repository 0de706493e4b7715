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
- A link annotation's /Contents, its description (ISO 14289-1, 7.18.5), is the text of the
  heading it leads to instead of the anchor's id («sammendrag», «omrade-1»).
- A change of natural language inside the document (ISO 14289-1, 7.2; Matterhorn 11-006): the
  English report's Norwegian content is marked `lang="nb"` in the HTML, and WeasyPrint writes no
  /Lang below the catalogue. `mark_languages_in_structure` wraps the function that builds its
  structure elements (weasyprint.pdf.tags._build_box_tree), so that each element made for an
  HTML element with a `lang` attribute carries it as /Lang; its children inherit it.

Everything else (metadata, language, title, the tree itself) is left as WeasyPrint wrote it.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from xml.etree.ElementTree import Element

import pikepdf
import pydyf
from pikepdf import Array, Dictionary, Matrix, Name, NumberTree, Operator, String
from weasyprint.pdf import tags as weasyprint_tags

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BEGIN_MARKED = {"BMC", "BDC"}


def finish_pdfua(pdf: bytes, *, link_labels: Mapping[str, str]) -> bytes:
    """The PDF with its running headers and footers as pagination artifacts and its links
    described by `link_labels` (anchor id → text). Same pages, same text, same drawing."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if "/StructTreeRoot" in document.Root:
            _unreachable_content_as_artifacts(document)
        _describe_links(document, link_labels)
        out = io.BytesIO()
        # fix_metadata_version=False: the XMP packet stays exactly as WeasyPrint wrote it.
        document.save(out, fix_metadata_version=False)
    return out.getvalue()


def link_labels(root: Element) -> dict[str, str]:
    """Each anchor that a link of the HTML document leads to → the text of its heading.

    The heading is the target itself if it is one, else the element its aria-labelledby names
    (how the report's sections name theirs), else the first heading inside it. A target with no
    heading is left out.
    """
    elements: dict[str, Element] = {}
    targets: list[str] = []
    for element in root.iter():
        if (identifier := element.get("id")) is not None:
            elements.setdefault(identifier, element)
        if _local_name(element) == "a" and (href := element.get("href", "")).startswith("#"):
            targets.append(href[1:])
    labels = {}
    for target in targets:
        found = elements.get(target)
        if found is None or target in labels:
            continue
        heading = _heading_of(found, elements)
        if heading is not None and (text := _text(heading)):
            labels[target] = text
    return labels


def _local_name(element: Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _heading_of(element: Element, elements: Mapping[str, Element]) -> Element | None:
    if _local_name(element) in HEADINGS:
        return element
    for labelled_by in element.get("aria-labelledby", "").split():
        if labelled_by in elements:
            return elements[labelled_by]
    return next((e for e in element.iter() if _local_name(e) in HEADINGS), None)


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


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


# --- Links -------------------------------------------------------------------------------------


def _describe_links(document: pikepdf.Pdf, labels: Mapping[str, str]) -> None:
    if not labels:
        return
    root = document.Root
    parent_tree = NumberTree(root.StructTreeRoot.ParentTree) if "/StructTreeRoot" in root else None
    for page in document.pages:
        for annotation in page.obj.get("/Annots", ()):
            if annotation.get("/Subtype") != Name.Link:
                continue
            label = labels.get(_link_target(annotation) or "")
            if label is None:
                continue
            annotation.Contents = String(label)
            # A /Link element's own description would be read instead: keep the two alike.
            key = annotation.get("/StructParent")
            if parent_tree is not None and key is not None and int(key) in parent_tree:
                element = parent_tree[int(key)]
                if isinstance(element, Dictionary) and "/Alt" in element:
                    element.Alt = String(label)


def _link_target(annotation: pikepdf.Object) -> str | None:
    """The named destination a link leads to (its /Dest, or a GoTo action's /D)."""
    target = annotation.get("/Dest")
    action = annotation.get("/A")
    if target is None and isinstance(action, Dictionary) and action.get("/S") == Name.GoTo:
        target = action.get("/D")
    if isinstance(target, String):
        return str(target)
    if isinstance(target, Name):
        return str(target)[1:]
    return None


# --- Languages ---------------------------------------------------------------------------------


def _with_languages(build: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        language = element.get("lang") if element is not None else None
        for structure in build(box, *args, **kwargs):
            # The element made for this box (not one of an html or body box's children, which
            # are yielded through it and carry their own attribute if any).
            if language and _made_for(box) and "Lang" not in structure:
                structure["Lang"] = pydyf.String(language)
            yield structure

    build_box_tree.__wrapped_for_languages__ = True  # type: ignore[attr-defined]
    return build_box_tree


def _made_for(box: Any) -> bool:
    # html and body boxes yield their children's elements: those are not the box's own.
    return getattr(box, "element_tag", None) not in ("html", "body")


def mark_languages_in_structure() -> None:
    """Make WeasyPrint's tagging write an HTML element's `lang` as its structure element's /Lang
    (once per process; idempotent)."""
    current = weasyprint_tags._build_box_tree
    if not getattr(current, "__wrapped_for_languages__", False):
        weasyprint_tags._build_box_tree = _with_languages(current)
