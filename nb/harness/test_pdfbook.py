"""Tests of pdfbook.py: a book printed in parts and joined has every part's
pages and bookmarks in order, contents links that reach named destinations,
a footer per part, and reprints only the parts whose page changed.

Starts headless Chromium (make test-harness installs it); no kernel.
"""

import os
import shutil
import tempfile
import unittest

import export_cache
import pdfbook


def page(body):
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>{body}</body></html>'


CONTENTS = page(
    "<h1>The book</h1><ul>"
    f'<li><a href="{pdfbook.LINK_BASE}#nb-one">One</a></li>'
    f'<li><a href="{pdfbook.LINK_BASE}#nb-one-1">One, its section</a></li>'
    f'<li><a href="{pdfbook.LINK_BASE}#nb-two">Two</a></li></ul>'
)
ONE = page('<a id="nb-one" href="#nb-one"></a><h1>One</h1><p>first words</p><div style="break-before: page"></div><a id="nb-one-1" href="#nb-one-1"></a><h2>A section of one</h2><p>more</p>')
TWO = page('<a id="nb-two" href="#nb-two"></a><h1>Two</h1><p>second words</p>')


class PrintBookTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pdfbook-test-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.cache = os.path.join(self.dir, "cache")
        self.out = os.path.join(self.dir, "book.pdf")

    def memo(self):
        """The cache as a new export sees it."""
        return export_cache.Memo(self.cache)

    def write(self, name, text):
        path = os.path.join(self.dir, name + ".html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def parts(self, two=TWO):
        return [(self.write("contents", CONTENTS), ""), (self.write("one", ONE), "1. One"), (self.write("two", two), "2. Two")]

    def test_parts_joined_with_links_bookmarks_and_footers(self):
        from pypdf import PdfReader

        refused, printed = pdfbook.print_book(self.parts(), self.out, self.memo(), "The book")
        self.assertEqual((printed, refused), (3, []))
        r = PdfReader(self.out)
        self.assertEqual(len(r.pages), 4)  # one has a page break
        self.assertEqual(r.metadata.title, "The book")
        texts = [p.extract_text() for p in r.pages]
        self.assertIn("first words", texts[1])
        self.assertIn("A section of one", texts[2])
        self.assertIn("second words", texts[3])
        # Footers: the part's title and the page within the part.
        self.assertIn("1. One · 2 / 2", texts[2])
        self.assertIn("2. Two · 1 / 1", texts[3])
        # Bookmarks, in the parts' order, sections under their notebook.
        titles = [o.title for o in r.outline if not isinstance(o, list)]
        self.assertEqual(titles, ["The book", "One", "Two"])
        # Each contents link goes to the named destination of its place.
        dests = [a.get_object().get("/Dest") for a in r.pages[0]["/Annots"]]
        self.assertEqual(dests, ["/nb-one", "/nb-one-1", "/nb-two"])
        where = {name: r.get_destination_page_number(d) for name, d in r.named_destinations.items()}
        self.assertEqual(where, {"/nb-one": 1, "/nb-one-1": 2, "/nb-two": 3})

    def test_only_changed_parts_are_printed_again(self):
        from pypdf import PdfReader

        pdfbook.print_book(self.parts(), self.out, self.memo())
        self.assertEqual(pdfbook.print_book(self.parts(), self.out, self.memo())[1], 0)
        changed = TWO.replace("second words", "second words, corrected")
        memo = self.memo()
        self.assertEqual(pdfbook.print_book(self.parts(changed), self.out, memo)[1], 1)
        self.assertIn("second words, corrected", PdfReader(self.out).pages[3].extract_text())
        # Pruned after the export, the cache keeps the parts of the book as it is now.
        self.assertEqual(len(os.listdir(self.cache)), 4)
        memo.prune()
        self.assertEqual(len(os.listdir(self.cache)), 3)

    def test_a_link_to_no_part_is_named(self):
        parts = self.parts()[:2]  # no part two
        with self.assertRaisesRegex(ValueError, r"book.pdf: the contents links to nb-two, which no part has"):
            pdfbook.print_book(parts, self.out, self.memo())


if __name__ == "__main__":
    unittest.main()
