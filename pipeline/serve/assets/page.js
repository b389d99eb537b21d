// twinpress serve: the live preview page.
//
// The server pushes an `update` event (server-sent events) on every change; the page then
// fetches /api/state for its view and updates in place: the briefing is loaded into a
// hidden frame and swapped in once laid out, at the same place (the same section, the same
// distance into it); slide images are replaced one by one in the same list, so the deck
// pane keeps its scroll position. All text goes in through textContent: nothing is parsed
// as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const LAYOUTS = ["deck", "both", "briefing"];
  const LABELS = { pptx: "Deck .pptx", pdf: "Briefing .pdf", html: "Page .html", md: "Markdown .md" };

  let view = parseView(location.pathname);
  let connected = false;
  let state = null;
  let shownBriefing = null;
  let shownSlides = null;
  let shownSwitchers = null;
  let fetching = false;
  let again = false;

  function parseView(path) {
    const m = /^\/preview\/([^/]+)\/([^/]+)\/?$/.exec(path);
    return m ? { source: decodeURIComponent(m[1]), audience: decodeURIComponent(m[2]) } : null;
  }

  function viewUrl(v) {
    return `/preview/${encodeURIComponent(v.source)}/${encodeURIComponent(v.audience)}`;
  }

  function element(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  // -- fetching --------------------------------------------------------------------------

  async function refresh() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      do {
        again = false;
        const query = view
          ? `?source=${encodeURIComponent(view.source)}&audience=${encodeURIComponent(view.audience)}`
          : "";
        const response = await fetch(`/api/state${query}`, { cache: "no-store" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        state = await response.json();
        if (!view && state.home) {
          view = parseView(state.home);
          history.replaceState(null, "", state.home);
          again = true;
          continue;
        }
        render(state);
      } while (again);
    } catch (error) {
      setStatus(`Cannot reach twinpress serve (${error.message}); retrying…`, "offline");
    } finally {
      fetching = false;
    }
  }

  function navigate(next) {
    if (view && next.source === view.source && next.audience === view.audience) return;
    view = next;
    history.pushState(null, "", viewUrl(next));
    refresh();
  }

  // -- rendering -------------------------------------------------------------------------

  function render(s) {
    const v = s.view;
    $("doc-title").textContent = v ? v.title : "twinpress preview";
    document.title = v ? `${v.title} · ${v.label} · twinpress` : "twinpress preview";
    renderSwitchers(s);
    renderStatus();
    renderProblems(s);
    renderDownloads(v);
    renderDeck(s, v);
    renderBriefing(s, v);
    document.body.dataset.version = String(s.version);
  }

  function renderSwitchers(s) {
    // Rebuilt only when they change, so that a focused link keeps its focus.
    const signature = JSON.stringify([s.sources, view]);
    if (signature === shownSwitchers) return;
    shownSwitchers = signature;
    const sources = $("sources");
    const audiences = $("audiences");
    sources.hidden = s.sources.length < 2;
    sources.replaceChildren(
      ...s.sources.map((src) => {
        const same = src.audiences.find((a) => view && a.name === view.audience);
        const target = same || src.audiences[0];
        return link(src.title, { source: src.name, audience: target.name }, view && src.name === view.source);
      }),
    );
    const current = s.sources.find((src) => view && src.name === view.source);
    audiences.replaceChildren(
      ...(current ? current.audiences : []).map((a) =>
        link(a.label, { source: current.name, audience: a.name }, a.name === view.audience, a.name),
      ),
    );
  }

  function link(text, target, active, name) {
    const a = element("a", { href: viewUrl(target), text });
    if (name) a.dataset.audience = name;
    if (active) a.setAttribute("aria-current", "page");
    a.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(target);
    });
    return a;
  }

  function setStatus(text, kind) {
    const status = $("status");
    status.textContent = text;
    status.className = `status ${kind || ""}`.trim();
  }

  function renderStatus() {
    if (!connected) return setStatus("Disconnected from twinpress serve; reconnecting…", "offline");
    if (!state) return setStatus("Connecting…", "busy");
    if (state.building) return setStatus("Rebuilding…", "busy");
    const last = state.last;
    if (!last) return setStatus("Ready");
    if (last.blocked) return setStatus(`Not rebuilt at ${last.at}: fix the errors`, "failed");
    const failed = last.failed ? ` · ${last.failed} failed` : "";
    const what = last.built ? `Built ${last.at} in ${last.seconds.toFixed(2)} s` : `Up to date at ${last.at}`;
    setStatus(`${what}${failed}`, last.failed ? "failed" : "");
  }

  function renderProblems(s) {
    const items = s.diagnostics;
    const box = $("problems");
    box.hidden = items.length === 0;
    if (!items.length) return;
    const errors = items.filter((d) => d.level === "error").length;
    const warnings = items.length - errors;
    box.classList.toggle("warnings", errors === 0);
    const counts = [plural(errors, "error"), plural(warnings, "warning")].filter(Boolean).join(", ");
    $("problems-title").textContent = errors
      ? `${counts}: ${s.view ? "showing the last good preview" : "nothing to show yet"}`
      : counts;
    $("problem-list").replaceChildren(...items.map(problem));
    $("problems-note").textContent = errors
      ? "The page updates by itself once the errors are fixed and saved."
      : "";
  }

  function plural(n, word) {
    return n ? `${n} ${word}${n === 1 ? "" : "s"}` : "";
  }

  // The same text the terminal prints: `where: level: message [code]` and `  hint: ...`.
  function problem(d) {
    const pre = element("pre", { className: `diagnostic ${d.level}` });
    if (d.where) pre.append(element("span", { className: "where", text: `${d.where}:` }), " ");
    pre.append(element("span", { className: `level-${d.level}`, text: `${d.level}:` }));
    pre.append(` ${d.message} [${d.code}]`);
    if (d.hint) pre.append("\n", element("span", { className: "hint", text: `  hint: ${d.hint}` }));
    return element("li", {}, pre);
  }

  function renderDownloads(v) {
    const files = v ? v.files : {};
    const order = ["pptx", "pdf", "html", "md"].filter((f) => files[f]);
    $("downloads").replaceChildren(
      ...order.map((f) =>
        element("a", { href: files[f].url, download: files[f].name, text: LABELS[f], "data-format": f }),
      ),
    );
  }

  function renderDeck(s, v) {
    const deck = v ? v.deck : null;
    const notice = $("deck-notice");
    const badge = $("deck-badge");
    const slides = deck ? deck.slides : [];
    const outline = deck && !slides.length ? deck.outline || [] : [];
    const busy = deck && (deck.status === "queued" || deck.status === "rendering");
    badge.hidden = !(busy && slides.length);
    badge.textContent = deck && deck.stale ? "Updating slides…" : "Rendering…";
    notice.hidden = false;
    if (!v) notice.textContent = emptyText(s);
    else if (deck.message && (!slides.length || deck.status === "failed")) notice.textContent = deck.message;
    else notice.hidden = true;
    $("deck-count").textContent = slides.length
      ? `${slides.length} slides`
      : outline.length
        ? `${outline.length} slides`
        : "";
    renderSlides(slides, Boolean(deck && deck.stale));
    const list = $("outline");
    list.hidden = !outline.length;
    list.replaceChildren(...outline.map((title) => element("li", { text: title })));
  }

  function renderSlides(slides, stale) {
    const list = $("slides");
    list.classList.toggle("stale", stale);
    const key = slides.map((s) => s.url).join(" ");
    if (key === shownSlides) return;
    shownSlides = key;
    while (list.children.length > slides.length) list.lastElementChild.remove();
    slides.forEach((slide, i) => {
      let item = list.children[i];
      if (!item) {
        const caption = element("div", { className: "caption" });
        caption.append(element("span", { className: "number" }), element("span", { className: "title" }));
        item = element("li", {}, element("img", { loading: "lazy", decoding: "async" }), caption);
        list.append(item);
      }
      const img = item.querySelector("img");
      if (img.getAttribute("src") !== slide.url) {
        img.width = slide.width;
        img.height = slide.height;
        img.src = slide.url;
      }
      img.alt = `Slide ${i + 1}: ${slide.title}`;
      item.querySelector(".number").textContent = String(i + 1);
      item.querySelector(".title").textContent = slide.title;
    });
  }

  function emptyText(s) {
    if (!s.known) return "This preview is not built (any more): choose a source or an audience above.";
    return s.building ? "Building…" : "Nothing has been built yet.";
  }

  function renderBriefing(s, v) {
    const file = v && v.files.html;
    const notice = $("briefing-notice");
    notice.hidden = Boolean(file);
    if (!v) notice.textContent = emptyText(s);
    else if (!file) {
      notice.replaceChildren("This audience gets no HTML briefing.");
      if (v.files.pdf) notice.append(" ", element("a", { href: v.files.pdf.url, text: "Open the PDF." }));
    }
    showBriefing(file ? file.url : null);
  }

  // -- the briefing, swapped in at the same place ------------------------------------------

  function showBriefing(url) {
    if (url === shownBriefing) return;
    shownBriefing = url;
    const frames = $("frames");
    if (!url) return frames.replaceChildren();
    for (const pending of frames.querySelectorAll("iframe.loading")) pending.remove();
    const old = frames.querySelector("iframe.current");
    const place = old ? placeOf(old) : null;
    const next = element("iframe", {
      className: "loading",
      title: "Briefing",
      sandbox: "allow-same-origin allow-popups allow-popups-to-escape-sandbox",
    });
    next.addEventListener(
      "load",
      async () => {
        try {
          await next.contentDocument.fonts.ready;
        } catch (error) {
          // no font information: restore the place at once
        }
        if (!next.isConnected) return; // a newer build replaced it meanwhile
        externalLinksInNewTabs(next);
        restore(next, place);
        next.className = "current";
        for (const frame of frames.querySelectorAll("iframe")) if (frame !== next) frame.remove();
        $("briefing-badge").hidden = true;
      },
      { once: true },
    );
    const badge = $("briefing-badge");
    badge.textContent = "Updating…";
    badge.hidden = !old;
    next.src = url;
    frames.append(next);
  }

  // The page may frame only itself: a link out of the briefing opens a tab of its own.
  function externalLinksInNewTabs(frame) {
    try {
      for (const a of frame.contentDocument.querySelectorAll("a[href]")) {
        if (new URL(a.href, location.href).origin !== location.origin) {
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        }
      }
    } catch (error) {
      // not readable: links keep their behaviour
    }
  }

  // Where the reader is: the last element with an id at or above the top of the frame (a
  // section or its heading), and how far past it; or the plain scroll offset.
  function placeOf(frame) {
    try {
      const win = frame.contentWindow;
      const doc = frame.contentDocument;
      let anchor = null;
      for (const node of doc.querySelectorAll("body [id]")) {
        const top = node.getBoundingClientRect().top;
        if (top > 1) break;
        anchor = { id: node.id, offset: -top };
      }
      return { y: win.scrollY, anchor };
    } catch (error) {
      return null;
    }
  }

  function restore(frame, place) {
    if (!place) return;
    try {
      const win = frame.contentWindow;
      const target = place.anchor && frame.contentDocument.getElementById(place.anchor.id);
      const y = target ? target.getBoundingClientRect().top + win.scrollY + place.anchor.offset : place.y;
      win.scrollTo(0, y);
    } catch (error) {
      // the new page is not readable (it should always be): it opens at the top
    }
  }

  // -- layout buttons ----------------------------------------------------------------------

  function setLayout(name) {
    if (!LAYOUTS.includes(name)) name = "both";
    document.body.dataset.layout = name;
    for (const button of document.querySelectorAll(".layout button")) {
      button.setAttribute("aria-pressed", String(button.dataset.layout === name));
    }
    try {
      localStorage.setItem("twinpress.layout", name);
    } catch (error) {
      // storage refused (private mode): the layout lasts for this page only
    }
  }

  function start() {
    for (const button of document.querySelectorAll(".layout button")) {
      button.addEventListener("click", () => setLayout(button.dataset.layout));
    }
    let saved = null;
    try {
      saved = localStorage.getItem("twinpress.layout");
    } catch (error) {
      saved = null;
    }
    setLayout(saved || "both");
    window.addEventListener("popstate", () => {
      view = parseView(location.pathname);
      refresh();
    });
    const events = new EventSource("/events");
    events.addEventListener("open", () => {
      connected = true;
      refresh();
    });
    events.addEventListener("update", (event) => {
      if (!state || Number(event.data) !== state.version) refresh();
    });
    events.addEventListener("error", () => {
      connected = false;
      renderStatus();
    });
  }

  start();
})();
