"""`twinpress serve`: a live preview in the browser, deck and briefing side by side.

session.py runs it (watch's warm rebuild loop drives everything); state.py holds the latest
good outputs and diagnostics of every source × audience; slides.py renders decks to images
in the background (LibreOffice, pypdfium2); server.py answers HTTP and server-sent events;
files.py decides which files may be sent. The page (assets/) is plain HTML, CSS and
JavaScript served by the server itself: nothing is fetched from anywhere else.
"""

# Here rather than in session.py, so the command line's options need not import the server.
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765
