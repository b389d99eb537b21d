"""The only code that touches python-pptx's internals and raw OOXML, where it has no API.

`text` writes and reads text bodies, `shapes` fills, positions, decorations, tables and
accessibility marks, `package` the presentation's theme part, master styles, sections,
properties, part names and reproducible zip, `slides` adds slides and notes pages in
constant time each, `xpaths` has python-pptx evaluate its XPath queries compiled once.
Modules outside this folder use python-pptx's public API and these functions only.
"""
