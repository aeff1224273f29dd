"""Tests of the slides' layout rule (slides.deck_notebook): code hidden
unless tagged, figures alone, long markdown and code cut between blocks,
tables and printed text shortened. Pure functions: no kernel, no browser
(make check runs them); that the slides really fit is measured in Chromium
by test_export.py and by the export itself (slide_fit.py).
"""

import unittest

import nbformat

import slides


def executed(*cells):
    """A notebook of (cell, slide type) pairs, as the export sees it."""
    nb = nbformat.v4.new_notebook()
    for cell, kind in cells:
        cell.metadata["slideshow"] = {"slide_type": kind}
        nb.cells.append(cell)
    return nb


def code(source, *outputs, tags=None):
    c = nbformat.v4.new_code_cell(source)
    c.outputs = list(outputs)
    if tags:
        c.metadata["tags"] = tags
    return c


def png():
    return nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="}, metadata={"image/png": {"width": 576, "height": 360}})


def checks_table(n, expected=0):
    rows = "".join(
        f'<tr data-nb-claim="x"><td>1:claim</td><td>check {k}</td><td>{k}</td><td>{k}</td><td>0.00e+00</td><td>1e-07</td><td>✓</td></tr>' for k in range(n)
    )
    return nbformat.v4.new_output(
        "display_data",
        data={"text/html": f'<table class="nb-checks" data-nb-checks="passed={n - expected} failed=0 expected={expected}"><caption>c</caption>'
              "<thead><tr><th>claim</th><th>check</th><th>got</th><th>want</th><th>relative error</th><th>tolerance</th><th>result</th></tr></thead>"
              f"<tbody>{rows}</tbody></table>"},
    )


def slides_of(deck):
    """The deck's slides: lists of cells, cut where a cell starts a slide or sub-slide."""
    out = []
    for c in deck.cells:
        kind = c.metadata["slideshow"]["slide_type"]
        if kind in ("slide", "subslide") or not out:
            out.append([])
        out[-1].append(c)
    return out


def estimated(cells):
    """The layout's own estimate of a slide's height."""
    h = 0
    for c in cells:
        if c.cell_type == "markdown":
            h += slides.block_height(c.source) if "slide-context" not in c.source else 40
    return h


class DeckTest(unittest.TestCase):
    def test_code_is_hidden_unless_tagged(self):
        nb = executed(
            (nbformat.v4.new_markdown_cell("## A section"), "slide"),
            (code("x := 1 // hidden", nbformat.v4.new_output("stream", name="stdout", text="printed\n")), "-"),
            (code("y := 2 // no output, nothing to show"), "-"),
            (code("z := 3 // shown", tags=["slide-code"]), "-"),
            (code("wiring"), "skip"),
        )
        deck = slides.deck_notebook(nb)
        shown = [c.source for c in deck.cells if c.cell_type == "code" and not c.metadata.get("transient", {}).get("remove_source")]
        self.assertEqual(shown, ["z := 3 // shown"])
        self.assertEqual([c.outputs[0].text for c in deck.cells if c.cell_type == "code" and c.outputs], ["printed\n"])
        self.assertEqual(len(slides_of(deck)), 1)

    def test_figure_fills_a_slide_of_its_own(self):
        nb = executed(
            (nbformat.v4.new_markdown_cell("## Valley\n\nText before."), "slide"),
            (code("plot", png(), checks_table(2)), "-"),
            (nbformat.v4.new_markdown_cell("Text after."), "-"),
        )
        got = slides_of(slides.deck_notebook(nb))
        self.assertEqual(len(got), 3, [[c.source or c.outputs for c in s] for s in got])
        figure = got[1]
        self.assertEqual(figure[0].metadata["slideshow"].get("data", {}).get("slide_kind"), "figure")
        self.assertIn("Valley (continued)", figure[0].source)
        self.assertEqual([list(c.outputs[0].data) for c in figure if c.cell_type == "code"], [["image/png"]])
        # the table and the text after the figure go on the next slide
        self.assertIn("nb-checks", got[2][1].outputs[0].data["text/html"])
        self.assertEqual(got[2][-1].source, "Text after.")

    def test_long_markdown_is_cut_between_blocks(self):
        paragraphs = [f"Paragraph {k}. " + "Words that fill a line of the slide. " * 8 for k in range(12)]
        items = [f"- item {k}" for k in range(6)]
        source = "### Long\n\n" + "\n\n".join(paragraphs) + "\n\n$$\nC = \\frac12 \\sum_x \\|y - a\\|^2\n$$\n\n" + "\n".join(items)
        deck = slides.deck_notebook(executed((nbformat.v4.new_markdown_cell(source), "subslide")))
        got = slides_of(deck)
        self.assertGreater(len(got), 3)
        budget = slides.LAYOUT["height"] - 2 * slides.LAYOUT["pad_y"]
        for s in got:
            self.assertLessEqual(estimated(s), budget)
        # every block once, in order; continued slides say what they continue
        text = [c.source for s in got for c in s if "slide-context" not in c.source]
        self.assertEqual(text, slides.markdown_blocks(source))
        self.assertEqual(text[0], "### Long")
        self.assertIn("$$\nC = \\frac12", text[-7])
        self.assertTrue(all("Long (continued)" in s[0].source for s in got[1:]))

    def test_markdown_blocks(self):
        src = "# Title\nIntro line one\nline two\n\n$$\na \\\\\nb\n$$\n- one\n  more of one\n- two\n\n1. first\n2. second\n\n```go\nx := 1\n\ny := 2\n```"
        self.assertEqual(
            slides.markdown_blocks(src),
            ["# Title", "Intro line one\nline two", "$$\na \\\\\nb\n$$", "- one\n  more of one", "- two", "1. first", "2. second", "```go\nx := 1\n\ny := 2\n```"],
        )

    def test_a_paragraph_taller_than_a_slide_is_cut_between_sentences(self):
        para = " ".join(f"Sentence {k} says something long enough to take most of a line on the slide." for k in range(60))
        got = slides_of(slides.deck_notebook(executed((nbformat.v4.new_markdown_cell(para), "slide"))))
        self.assertGreater(len(got), 2)
        self.assertTrue(got[0][0].source.startswith("Sentence 0 says"))

    def test_tables_and_printed_text_are_shortened(self):
        long_text = "".join(f"line {k}\n" for k in range(30))
        nb = executed((code("c", checks_table(25, expected=2), nbformat.v4.new_output("stream", name="stdout", text=long_text)), "slide"))
        cells = slides.deck_notebook(nb).cells
        table = cells[0].outputs[0].data["text/html"]
        self.assertEqual(table.count("<tr"), 1 + slides.TABLE_ROWS + 1)  # header, rows, "… more"
        self.assertIn("<th>check</th><th>got</th><th>want</th><th>result</th></tr>", table)
        self.assertNotIn("relative error", table)
        self.assertIn("… 21 more rows: 23 checks passed in all, 2 failed as expected (the page lists them all)", table)
        text = cells[1].outputs[0].text
        self.assertEqual(text.count("\n"), slides.STREAM_LINES + 1)
        self.assertIn("… 22 more lines", text)

    def test_a_check_table_in_another_language_keeps_its_columns_by_key(self):
        keys = ("claim", "check", "got", "want", "relative error", "tolerance", "result")
        shown = ("afirmación", "comprobación", "obtenido", "esperado", "error relativo", "tolerancia", "resultado")
        head = "".join(f'<th data-nb-column="{k}">{h}</th>' for k, h in zip(keys, shown))
        rows = '<tr data-nb-claim="x"><td>1:claim</td><td>c</td><td>1</td><td>1</td><td>0.00e+00</td><td>1e-07</td><td>✓</td></tr>'
        html = f'<table class="nb-checks" data-nb-checks="passed=1 failed=0 expected=0"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        got, _, columns = slides.slide_table(html)
        self.assertEqual(columns, len(slides.CHECK_COLUMNS))
        self.assertIn('<th data-nb-column="check">comprobación</th><th data-nb-column="got">obtenido</th>'
                      '<th data-nb-column="want">esperado</th><th data-nb-column="result">resultado</th></tr>', got)
        self.assertNotIn("error relativo", got)

    def test_a_plain_table_keeps_its_columns(self):
        html = "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>" + "<tr><td>1</td><td>2</td></tr>" * 3 + "</tbody></table>"
        got, rows, columns = slides.slide_table(html)
        self.assertEqual((got, rows, columns), (html, 3, 2))

    def test_tagged_code_taller_than_a_slide_is_cut(self):
        source = "\n".join(f"x{k} := {k}" for k in range(60))
        got = slides_of(slides.deck_notebook(executed((code(source, tags=["slide-code"]), "slide"))))
        self.assertGreater(len(got), 1)
        self.assertEqual("\n".join(c.source for s in got for c in s if c.cell_type == "code"), source)


    def test_a_markdown_table_taller_than_a_slide_is_cut_between_rows(self):
        # 00's notation table: 15 rows whose long cells wrap (897 px on a 720 px slide, uncut).
        head = "| symbol | meaning | shape | in the Go code |\n|---|---|---|---|"
        rows = [f"| $a^{{({k})}}$ | activations of layer {k}, a long explanation that wraps over two lines in its column | $n_l \\times m$ | `a *mat.Dense` |" for k in range(15)]
        table = head + "\n" + "\n".join(rows)
        self.assertGreater(slides.block_height(table), slides._budget())
        parts = slides.split_table(table, slides._budget())
        self.assertGreater(len(parts), 1)
        for p in parts:
            self.assertTrue(p.startswith(head + "\n"), "a part lost the header")
            self.assertLessEqual(slides.block_height(p), slides._budget())
        self.assertEqual([r for p in parts for r in p.split("\n")[2:]], rows)  # every row once, in order
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("## Notation\n\n" + table)]
        deck = slides.deck_notebook(nb)
        self.assertEqual(sum(c.source.count("activations of layer") for c in deck.cells), 15)

    def test_the_same_notebook_gives_the_same_slides(self):
        # The export reuses its check of a slides file whose bytes it saw before.
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("## A section\n\n" + "A sentence that goes on. " * 200)]
        first, second = slides.deck_notebook(nb), slides.deck_notebook(nb)
        self.assertGreater(len(first.cells), 2)
        self.assertEqual(nbformat.writes(first), nbformat.writes(second))

    def test_a_measured_overflow_ends_its_slide_earlier(self):
        # Each slide names its first item; shrink takes room from that slide only.
        paragraphs = [f"Paragraph {k}. " + "Words that fill a line of the slide. " * 5 for k in range(20)]
        nb = executed((nbformat.v4.new_markdown_cell("## Long\n\n" + "\n\n".join(paragraphs)), "slide"))
        before = slides_of(slides.deck_notebook(nb))
        firsts = [s[0].metadata["slideshow"]["data"]["first_item"] for s in before]
        self.assertEqual(firsts[0], "0")
        self.assertEqual(firsts, sorted(set(firsts), key=int))
        second = firsts[1]
        estimate = slides.slide_estimates(slides.deck_notebook(nb))[int(second)]
        self.assertGreater(estimate, 300)
        after = slides_of(slides.deck_notebook(nb, shrink={int(second): estimate - 100}))
        self.assertLessEqual(slides.slide_estimates(slides.deck_notebook(nb, shrink={int(second): estimate - 100}))[int(second)], estimate - 100)
        self.assertEqual([s[0].metadata["slideshow"]["data"]["first_item"] for s in after][:2], firsts[:2])
        self.assertEqual(len(after[0]), len(before[0]))  # the first slide is as it was
        self.assertLess(len(after[1]), len(before[1]))  # the second ends earlier
        text = lambda d: [c.source for s in d for c in s if "slide-context" not in c.source]
        self.assertEqual(text(after), text(before))  # nothing lost, nothing repeated

    def test_inline_display_fractions_and_progress_bars_count(self):
        # 04_2's steps of the backward pass (\dfrac inline: a line twice as
        # tall) and nb.Progress's bar (12em beside its text): both overflowed.
        plain = "5. $z_j$ reaches $L$ through $x$, and $y$ and $w$: $\\quad\\frac{a}{b} + \\frac{c}{d}$."
        self.assertGreater(slides.block_height(plain.replace("\\frac", "\\dfrac")), slides.block_height(plain) + slides.LAYOUT["text"] / 2)
        bar = '<div style="font-family:monospace"><progress value="1" max="1" style="width:12em"></progress> ' + "SGD η=0.5: minibatch 400/400  cost 0.8544  accuracy 87.45%  elapsed 1s" + "</div>"
        out = nbformat.v4.new_output("display_data", data={"text/html": bar})
        (_, with_bar, _), = slides._output_items(code("train", out))
        out = nbformat.v4.new_output("display_data", data={"text/html": bar.replace("<progress", "<span").replace("</progress>", "</span>")})
        (_, without, _), = slides._output_items(code("train", out))
        self.assertGreater(with_bar, without)


if __name__ == "__main__":
    unittest.main()
