"""cmark-gfm's HTML, with its memory given back.

cmarkgfm's `markdown_to_html_with_extensions` never frees the document tree
cmark-gfm parses nor the HTML string it renders (its C bindings do not offer
`cmark_node_free` or `free`): about 160 KB lost for a 30 KB page, which made
a 10,000-PEP build's processes grow past a gigabyte each. This does the same
calls and frees both, through ctypes on the same library; where that library
cannot be opened so (another platform's build), it falls back to cmarkgfm's own
function, leak included.
"""

from __future__ import annotations

import ctypes

import cmarkgfm
from cmarkgfm import _cmark

_lib, _ffi = _cmark.lib, _cmark.ffi


def _native():
    try:
        library = ctypes.CDLL(_cmark.__file__)
        node_free, free = library.cmark_node_free, ctypes.CDLL(None).free
    except (OSError, AttributeError):
        return None
    node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
    free.argtypes, free.restype = [ctypes.c_void_p], None
    return node_free, free


_NATIVE = _native()
_EXTENSIONS: dict[tuple, list] = {}


def _address(pointer) -> int:
    return int(_ffi.cast("uintptr_t", pointer))


def to_html(text: str, options: int, extensions: tuple[str, ...]) -> str:
    """The HTML cmark-gfm renders for `text` with `options` and the named syntax extensions."""
    if _NATIVE is None:
        return cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=list(extensions))
    node_free, free = _NATIVE
    found = _EXTENSIONS.get(extensions)
    if found is None:
        _lib.cmark_gfm_core_extensions_ensure_registered()
        found = []
        for name in extensions:
            extension = _lib.cmark_find_syntax_extension(name.encode("utf-8"))
            if extension == _ffi.NULL:
                raise ValueError(f"cmark-gfm has no extension {name!r}")
            found.append(extension)
        _EXTENSIONS[extensions] = found
    parser = _lib.cmark_parser_new(options)
    try:
        for extension in found:
            _lib.cmark_parser_attach_syntax_extension(parser, extension)
        data = text.encode("utf-8")
        _lib.cmark_parser_feed(parser, data, len(data))
        root = _lib.cmark_parser_finish(parser)
        try:
            raw = _lib.cmark_render_html(root, options, _lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _ffi.string(raw).decode("utf-8")
            finally:
                free(_address(raw))
        finally:
            node_free(_address(root))
    finally:
        _lib.cmark_parser_free(parser)
