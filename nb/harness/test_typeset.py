"""Tests of typeset.py: the formulas of a page are found as MathJax 2's
tex2jax found them (nbconvert's delimiters, escapes, environments, never
inside code), typeset by KaTeX in one node process, and a formula KaTeX
rejects is named with its notebook.

No kernel, no browser: part of make check (needs node and KaTeX, make setup).
"""

import os
import re
import shutil
import tempfile
import unittest
import unittest.mock

import export
import export_cache
import typeset
from typeset import Math


def M(tex, display=False, source=None):
    return ("math", tex, display, source)


def simplify(pieces):
    """Pieces as comparable tuples: ("math", tex, display, source) or the text."""
    return [("math", p.tex, p.display, p.source) if isinstance(p, Math) else p for p in pieces]


class FindMathTest(unittest.TestCase):
    def test_delimiters(self):
        cases = [
            ("inline", r"a $\sigma(z)$ b", ["a ", M(r"\sigma(z)", False, r"$\sigma(z)$"), " b"]),
            ("inline parens", r"\(x_1\) and", [M("x_1", False, r"\(x_1\)"), " and"]),
            ("display dollars", "$$\nC = \\frac{1}{2}\n$$", [M(r"C = \frac{1}{2}", True, "$$\nC = \\frac{1}{2}\n$$")]),
            ("display brackets", r"see \[a_b\].", ["see ", M("a_b", True, r"\[a_b\]"), "."]),
            (
                "align environment, entities decoded",
                "x \\begin{align}a &amp;= b \\\\\nc &amp;&lt; d\\end{align} y",
                ["x ", M("\\begin{align}a &= b \\\\\nc &< d\\end{align}", True, "\\begin{align}a &amp;= b \\\\\nc &amp;&lt; d\\end{align}"), " y"],
            ),
            ("escaped dollar is a dollar", r"costs \$5 and $y$", ["costs $5 and ", M("y", False, "$y$")]),
            ("a lone dollar in prose stays text", "it costs $5 today", ["it costs $5 today"]),
            ("two dollars in prose are math, as MathJax did", "costs $5 and $10", ["costs ", M("5 and", False, "$5 and $"), "10"]),
            ("a closing dollar inside braces does not close", r"$\text{a $ b}$ c", [M(r"\text{a $ b}", False, r"$\text{a $ b}$"), " c"]),
            ("an escaped dollar inside math stays in the TeX", r"$\$3$", [M(r"\$3", False, r"$\$3$")]),
            ("display before inline", "$$a$$ $b$", [M("a", True, "$$a$$"), " ", M("b", False, "$b$")]),
            ("no end: text", r"\(a and \[b", [r"\(a and \[b"]),
            ("entities decoded", "$a &lt; b$", [M("a < b", False, "$a &lt; b$")]),
        ]
        for name, text, want in cases:
            with self.subTest(name):
                self.assertEqual(simplify(typeset.find_math_in_text(text)), want)

    def test_html(self):
        cases = [
            ("code span", "<p>a <code>$x$</code> $y$</p>", ["<p>a <code>$x$</code> ", M("y", False, "$y$"), "</p>"]),
            ("pre block", "<pre><code>$x$ <b>$z$</b></code></pre>$y$", ["<pre><code>$x$ <b>$z$</b></code></pre>", M("y", False, "$y$")]),
            ("nested pre", "<pre><pre>$a$</pre>$b$</pre>$c$", ["<pre><pre>$a$</pre>$b$</pre>", M("c", False, "$c$")]),
            ("script with a tag in it", '<script>if (a<b) x = "$z$ </p>";</script>$y$', ['<script>if (a<b) x = "$z$ </p>";</script>', M("y", False, "$y$")]),
            ("style", "<style>a::after{content:'$x$'}</style>", ["<style>a::after{content:'$x$'}</style>"]),
            ("attributes are not text", '<a title="$x$" href="#">$y$</a>', ['<a title="$x$" href="#">', M("y", False, "$y$"), "</a>"]),
            ("comment", "<!-- $x$ --><br/>$y$", ["<!-- $x$ --><br/>", M("y", False, "$y$")]),
            ("math does not cross a tag", "<p>$a</p><p>b$</p>", ["<p>$a</p><p>b$</p>"]),
        ]
        for name, page, want in cases:
            with self.subTest(name):
                self.assertEqual(simplify(typeset.find_math(page)), want)
                # Nothing is lost: the pieces give the page back.
                self.assertEqual("".join(p.source if isinstance(p, Math) else p for p in typeset.find_math(page)), page.replace("\\$", "$"))


class KaTeXTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="typeset-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def page(self, name, body):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f'<html><head><link rel="stylesheet" href="katex/katex.min.css"></head><body>{body}</body></html>')
        return path

    def read(self, path):
        with open(path, encoding="utf-8") as f:
            return f.read()

    def test_pages_are_typeset(self):
        a = self.page("a.html", r"<p>$\sigma'(z) = \sigma(z)(1-\sigma(z))$ <code>$x$</code></p><p>$$\sum_x \lVert y \rVert^2$$</p>")
        b = self.page("b.html", r"<p>\begin{align}a &amp;= \binom{30}{k}\end{align}</p>")
        count, rejected = typeset.typeset_pages([a, b])
        self.assertEqual((count, rejected), (3, []))
        page = self.read(a)
        self.assertIn('<span class="katex">', page)
        self.assertIn('<span class="katex-display">', page)
        self.assertNotIn(r"$\sigma", page)
        self.assertIn("<code>$x$</code>", page)
        self.assertIn('<span class="katex-display">', self.read(b))

    def test_rejected_formula_names_the_notebook(self):
        good = self.page("09_Fixture.html", "$x$")
        bad = self.page("10_Bad.html", r"<p>$\frac{1}$</p><p>$\nosuchmacro{x}$ and $y$</p>")
        before = self.read(bad)
        entries = [{"stem": "09_Fixture", "path": "notebooks/09_Fixture.ipynb"}, {"stem": "10_Bad", "path": "notebooks/10_Bad.ipynb"}]
        memo = export_cache.Memo(os.path.join(self.dir, "memo"))
        with unittest.mock.patch.object(export, "say") as say:
            ok = export.typeset_pages(self.dir, entries, "build/course", memo)
        self.assertFalse(ok)
        # The typeset good page is kept for the next export; the other is not.
        self.assertEqual(len(os.listdir(memo.folder)), 1)
        said = "\n".join(str(c.args[0]) for c in say.call_args_list)
        self.assertIn("notebooks/10_Bad.ipynb: KaTeX cannot typeset $\\frac{1}$: KaTeX parse error: Unexpected end of input", said)
        self.assertIn("notebooks/10_Bad.ipynb: KaTeX cannot typeset $\\nosuchmacro{x}$: KaTeX parse error: Undefined control sequence: \\nosuchmacro at position 1: \\nosuchmacro{x}", said)
        self.assertIn("KaTeX cannot typeset 2 formula(s)", said)
        self.assertNotIn("09_Fixture", said)
        self.assertEqual(self.read(bad), before)  # left as it was
        self.assertIn('class="katex"', self.read(good))

    def test_assets_hold_every_font_the_css_names(self):
        typeset.copy_assets(self.dir)
        css = self.read(os.path.join(self.dir, "katex", "katex.min.css"))
        fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
        self.assertGreater(len(fonts), 10)
        missing = [f for f in fonts if not os.path.isfile(os.path.join(self.dir, "katex", f))]
        self.assertEqual(missing, [])

    def test_missing_node_is_named(self):
        saved = os.environ["PATH"]
        os.environ["PATH"] = self.dir
        try:
            with self.assertRaises(typeset.Missing) as e:
                typeset.require()
        finally:
            os.environ["PATH"] = saved
        self.assertIn("'node' is not on PATH", str(e.exception))
        self.assertIn("make setup", str(e.exception))


if __name__ == "__main__":
    unittest.main()
