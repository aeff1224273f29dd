#!/usr/bin/env python3
"""Do the slides fit the screen? The check of the reveal.js slides that
`make export` writes (NAME.slides.html).

overflowing(path) opens a slides file in headless Chromium (browser.py) at a
1280×720 viewport, with the network refused, visits every slide
(Reveal.getSlides(), Reveal.slide(h, v)) once its fonts and images are
there, and returns the slides whose content does not fit: the slide's section
scrolls (scrollHeight > clientHeight or scrollWidth > clientWidth), an
element of it lies outside the section's box, or an element cuts its own
content (a code block or a table wider than itself). Each is named by its
index (h/v, reveal's #/h/v address) and its heading. One Chromium launch per
file.

The export (export.py) runs it on every slides file it writes and names
every slide that overflows (notebook, slide, heading, by how much), in its
output and on the index page.

    .venv/bin/python nb/harness/slide_fit.py build/course/*.slides.html

prints every slide that overflows and exits with 1 if there is one.
"""

import collections
import os
import re
import sys
import urllib.parse

import browser

VIEWPORT = {"width": 1280, "height": 720}
TOLERANCE = 2  # px: sub-pixel rounding of borders and scaled boxes

Overflow = collections.namedtuple("Overflow", "index heading dx dy what first_item")
Overflow.__doc__ = """A slide that does not fit: index "h/v", its heading, by how
many px its content passes the right (dx) and the bottom (dy) of the slide,
what passes it, and the number of its first item in the layout
(slides.deck_notebook: data-first-item, None on slides made otherwise)."""

# Runs in the page: measures the current slide. Returns null when it fits.
MEASURE = """(tol) => {
  const s = Reveal.getCurrentSlide();
  const box = s.getBoundingClientRect();
  const scale = Reveal.getScale ? Reveal.getScale() : 1;
  let dx = Math.max(0, s.scrollWidth - s.clientWidth), dy = Math.max(0, s.scrollHeight - s.clientHeight);
  const what = [];
  if (dy > tol) what.push(`the slide is ${s.scrollHeight} px tall in ${s.clientHeight}`);
  if (dx > tol) what.push(`the slide is ${s.scrollWidth} px wide in ${s.clientWidth}`);
  const name = (e) => e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/)[0] : "");
  for (const e of s.querySelectorAll("*")) {
    // KaTeX's MathML copy (.katex-mathml) is for screen readers: clipped to nothing on purpose.
    // Nor are the long SVG paths of KaTeX's stretchy symbols (√, arrows, braces), clipped by KaTeX's own boxes.
    if (e.closest(".katex-mathml, .katex svg, aside.notes")) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const right = (r.right - box.right) / scale, bottom = (r.bottom - box.bottom) / scale;
    if (right > tol || bottom > tol) {
      dx = Math.max(dx, right); dy = Math.max(dy, bottom);
      if (what.length < 4) what.push(`${name(e)} ends ${Math.round(right)} px right and ${Math.round(bottom)} px below the slide`);
    }
    const st = getComputedStyle(e);
    if (st.overflowX !== "visible" && e.scrollWidth - e.clientWidth > tol && e.clientWidth > 0) {
      dx = Math.max(dx, e.scrollWidth - e.clientWidth);
      if (what.length < 4) what.push(`${name(e)} cuts ${e.scrollWidth - e.clientWidth} px of its content at the right`);
    }
    if (st.overflowY !== "visible" && e.scrollHeight - e.clientHeight > tol && e.clientHeight > 0 && e !== s) {
      dy = Math.max(dy, e.scrollHeight - e.clientHeight);
      if (what.length < 4) what.push(`${name(e)} cuts ${e.scrollHeight - e.clientHeight} px of its content at the bottom`);
    }
  }
  if (dx <= tol && dy <= tol) return null;
  return {dx: Math.round(dx), dy: Math.round(dy), what: what.join("; ")};
}"""

# Runs in the page: the index and heading of every slide.
SLIDES = """() => {
  let last = "";
  return Reveal.getSlides().map((s) => {
    const i = Reveal.getIndices(s);
    const h = s.querySelector("h1, h2, h3, h4, .slide-context");
    let heading = "";
    if (h) {
      const c = h.cloneNode(true);  // formulas as their TeX, not KaTeX's two renderings
      c.querySelectorAll(".katex").forEach((k) => { const a = k.querySelector("annotation"); k.replaceWith(a ? "$" + a.textContent + "$" : k.textContent); });
      c.querySelectorAll("a.anchor-link").forEach((m) => m.remove());
      heading = c.textContent.replace(/\\s+/g, " ").trim();
    }
    if (h && !h.classList.contains("slide-context")) last = heading;
    if (!heading) heading = last ? last + " (continued)" : "(no heading)";
    return {h: i.h, v: i.v || 0, heading: heading, first: s.dataset.firstItem ?? null};
  });
}"""

# Runs in the page: measures every slide listed (SLIDES), in one call. The
# formulas are typeset when the export writes the page (KaTeX, typeset.py);
# what can still move is an image decoding or a font arriving, which the
# browser asks for only when a slide that needs it is laid out. So the
# images are decoded first; then each slide is shown and laid out (reveal.js
# changes slides and runs the template's handlers synchronously, with
# transitions off, and reading a size lays the page out at once), and if
# that asked for a font, the font is awaited before the slide is measured.
MEASURE_ALL = """async ([slides, tol]) => {
  const measure = %s;
  await Promise.all([...document.images].map((i) => i.decode().catch(() => null)));
  await document.fonts.ready;
  const found = [];
  for (const s of slides) {
    Reveal.slide(s.h, s.v);
    Reveal.getCurrentSlide().getBoundingClientRect();
    if (document.fonts.status === "loading") await document.fonts.ready;
    const m = measure(tol);
    if (m) found.push(Object.assign(m, {slide: s}));
  }
  return found;
}""" % MEASURE


def describe(notebook, o):
    """One line naming the notebook, the slide and what overflows."""
    return f"{notebook}: slide {o.index} \"{o.heading}\" overflows by {o.dx} px right, {o.dy} px down: {o.what}"


def overflowing(path):
    """The slides of the slides file path that do not fit 1280×720, as a
    list of Overflow, and the number of slides visited. Raises RuntimeError
    if the file has no reveal.js deck."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = browser.launch(p)
        try:
            page = b.new_page(viewport=VIEWPORT)
            page.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())
            page.goto("file://" + urllib.parse.quote(os.path.abspath(path)), wait_until="load", timeout=120_000)
            try:
                page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=60_000)
            except Exception as e:
                raise RuntimeError(f"{path}: reveal.js did not start ({e.__class__.__name__})") from None
            page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
            listed = page.evaluate(SLIDES)
            found = []
            for m in page.evaluate(MEASURE_ALL, [listed, TOLERANCE]):
                s = m["slide"]
                first = int(s["first"]) if s["first"] is not None else None
                found.append(Overflow(f"{s['h']}/{s['v']}", s["heading"], m["dx"], m["dy"], m["what"], first))
        finally:
            b.close()
    return found, len(listed)


def main(argv=None):
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print("usage: slide_fit.py NAME.slides.html ...", file=sys.stderr)
        return 2
    bad = 0
    for path in paths:
        found, n = overflowing(path)
        for o in found:
            print(describe(os.path.basename(path), o))
        worst = max((o.dy for o in found), default=0)
        print(f"slide_fit: {os.path.basename(path)}: {n} slides, {len(found)} overflow (worst {worst} px down, {max((o.dx for o in found), default=0)} px right)")
        bad += len(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
