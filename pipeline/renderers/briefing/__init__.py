"""The briefing: one pipeline (compose.py) from a document to HTML, and two media on top.

`pdf` lays the HTML out with WeasyPrint (weasy.py) into a tagged PDF; `html` inlines every
asset into one self-contained page (page.py). Both share the views the templates see
(views.py), the Jinja2 environment over the theme chain (templates.py), the glyph check
(glyphs.py), the token stylesheets (styles.py), the asset policy and the reference checks
(references.py). `readback` reads built files for `twinpress verify`.
"""
