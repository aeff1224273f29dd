"""Tests of the language editions (editions.py): the translation files,
the checks that find missing and stale translations, the code the editions
share, and the course's own translations.

    cd nb/harness && ../../.venv/bin/python -m unittest test_editions
"""

import collections
import io
import os
import re
import tempfile
import unittest
from unittest import mock

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import editions

WIRING = "!*echo wire"


def small_notebook():
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# 1. Neurons\n\nA neuron computes $z = w \\cdot x + b$.", id="title"),
        new_code_cell(WIRING, id="wiring", metadata={"nbgrader": {"grade_id": "wiring"}}),
        new_markdown_cell("$$a = \\sigma(z)$$", id="formula"),
        new_code_cell("%%\nfmt.Println(1)", id="code"),
        new_markdown_cell("Change `eta` and run the cell again.", id="advice"),
    ]
    return nb


def sections_for(nb, texts):
    return {cell: editions.Section(editions.fingerprint(next(c.source for c in nb.cells if c.id == cell)), text)
            for cell, text in texts.items()}


SPANISH = {
    "title": "# 1. Concepto de Neurona\n\nUna neurona calcula $z = w \\cdot x + b$.",
    "formula": "$$a = \\sigma(z)$$",
    "advice": "Cambia `eta` y vuelve a ejecutar la celda.",
}


class FileFormatTest(unittest.TestCase):
    def test_render_then_parse_gives_the_sections_back(self):
        nb = small_notebook()
        sections = sections_for(nb, SPANISH)
        text = editions.render("small.ipynb", "es", sections)
        self.assertEqual(editions.parse(text), sections)

    def test_bad_files_name_the_line(self):
        cases = {
            "a marker with a short fingerprint": ("<!-- cell title en:abc -->\nTexto\n", ":1: a marker line"),
            "a cell translated twice": ("<!-- cell a en:0123456789ab -->\nUno\n\n<!-- cell a en:0123456789ab -->\nDos\n",
                                        ":4: cell a has a second section"),
        }
        for name, (text, message) in cases.items():
            with self.subTest(name):
                with self.assertRaises(editions.TranslationError) as err:
                    editions.parse(text, "es/x.md")
                self.assertIn("es/x.md" + message, str(err.exception))


class StatusTest(unittest.TestCase):
    def test_missing_untranslated_stale_and_orphan_sections(self):
        nb = small_notebook()
        complete = sections_for(nb, SPANISH)
        self.assertTrue(editions.status(nb, complete).complete())

        cases = {
            "no section": ({k: v for k, v in complete.items() if k != "advice"}, ["advice"], [], []),
            "the English left as it was": (
                {**complete, "advice": editions.Section(complete["advice"].fingerprint, nb.cells[4].source)},
                ["advice"], [], []),
            "a cell that was deleted": ({**complete, "gone": editions.Section("0" * 12, "Adiós")}, [], [], ["gone"]),
        }
        for name, (sections, missing, stale, orphans) in cases.items():
            with self.subTest(name):
                self.assertEqual(editions.status(nb, sections), editions.Status(missing, stale, orphans))

        with self.subTest("the English changed since"):
            nb.cells[0].source += " Its output is $a$."
            self.assertEqual(editions.status(nb, complete), editions.Status([], ["title"], []))

    def test_a_formula_alone_reads_the_same_in_both_languages(self):
        nb = small_notebook()
        st = editions.status(nb, sections_for(nb, SPANISH))
        self.assertNotIn("formula", st.missing)
        self.assertTrue(editions.untranslated("Run it.", "Run it."))
        self.assertFalse(editions.untranslated("$$x^2$$, `f(x)`", "$$x^2$$, `f(x)`"))


class EditionTest(unittest.TestCase):
    def test_prose_is_replaced_and_code_is_shared(self):
        nb = small_notebook()
        out, st = editions.edition(nb, sections_for(nb, SPANISH), "es")
        self.assertTrue(st.complete())
        self.assertEqual([c.source for c in out.cells if c.cell_type == "markdown"], list(SPANISH.values()))
        self.assertEqual(out.cells[1].source, editions.language_lines("es") + WIRING)
        self.assertTrue(out.cells[1].source.splitlines()[1] == "%env COURSE_LANG es")
        self.assertEqual(out.cells[3].source, nb.cells[3].source)
        self.assertEqual([c.id for c in out.cells], [c.id for c in nb.cells])
        self.assertEqual(nb.cells[0].source, "# 1. Neurons\n\nA neuron computes $z = w \\cdot x + b$.",
                         "the source notebook changed")

    def test_a_missing_translation_leaves_the_english(self):
        nb = small_notebook()
        out, st = editions.edition(nb, sections_for(nb, {"title": SPANISH["title"]}), "es")
        self.assertEqual(st.missing, ["formula", "advice"], "a cell with no section is missing, even a formula")
        self.assertEqual(out.cells[4].source, nb.cells[4].source)

    def test_a_notebook_without_a_wiring_cell_is_refused(self):
        nb = small_notebook()
        del nb.cells[1]
        with self.assertRaisesRegex(editions.TranslationError, "no wiring cell"):
            editions.edition(nb, {}, "es")


class WriteTest(unittest.TestCase):
    """write() on a course of one notebook in a temporary folder."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.notebooks = os.path.join(tmp.name, "course with spaces", "notebooks")
        os.makedirs(self.notebooks)
        for name, value in {"ROOT": os.path.dirname(self.notebooks), "NOTEBOOKS": self.notebooks}.items():
            patch = mock.patch.object(editions, name, value)
            patch.start()
            self.addCleanup(patch.stop)
        self.source = os.path.join(self.notebooks, "01_Small.ipynb")
        nb = small_notebook()
        nbformat.write(nb, self.source)
        editions.save("es", self.source, sections_for(nb, SPANISH))
        self.target = os.path.join(self.notebooks, "es", "01_Small.ipynb")

    def write(self):
        said = io.StringIO()
        statuses = editions.write("es", say=lambda line: print(line, file=said))
        return statuses, said.getvalue()

    def test_writes_the_edition_and_keeps_a_students_changes(self):
        statuses, said = self.write()
        self.assertTrue(statuses["01_Small.ipynb"].complete())
        self.assertEqual(said, "")
        written = nbformat.read(self.target, as_version=4)
        self.assertEqual(written.cells[0].source, SPANISH["title"])

        # A student's change survives a new edition, and is named.
        written.cells[3].source = "%%\nfmt.Println(2) // mine"
        nbformat.write(written, self.target)
        sections = editions.read("es", self.source)
        sections["advice"].text = "Cambia `eta` y ejecuta de nuevo."
        editions.save("es", self.source, sections)
        _, said = self.write()
        self.assertIn("has changes of yours", said)
        self.assertIn("01_Small.ipynb", said)
        self.assertIn("// mine", nbformat.read(self.target, as_version=4).cells[3].source)

        # Outputs alone are not changes: a run notebook is replaced.
        os.remove(self.target)
        self.write()
        run = nbformat.read(self.target, as_version=4)
        run.cells[3].outputs = [nbformat.v4.new_output("stream", text="1\n")]
        nbformat.write(run, self.target)
        sections["advice"].text = "Cambia `eta` otra vez."
        editions.save("es", self.source, sections)
        _, said = self.write()
        self.assertEqual(said, "")
        self.assertEqual(nbformat.read(self.target, as_version=4).cells[4].source, "Cambia `eta` otra vez.")

    def test_accept_records_the_new_english(self):
        nb = nbformat.read(self.source, as_version=4)
        nb.cells[4].source = "Change `eta`, then run the cell again."
        nbformat.write(nb, self.source)
        statuses, said = self.write()
        self.assertEqual(statuses["01_Small.ipynb"].stale, ["advice"])
        self.assertFalse(editions.report("es", statuses, say=lambda line: None))
        editions.accept("es", "01_Small", ["advice"])
        statuses, _ = self.write()
        self.assertTrue(statuses["01_Small.ipynb"].complete())
        with self.assertRaisesRegex(editions.TranslationError, "no section for cell nope"):
            editions.accept("es", "01_Small", ["nope"])

    def test_the_command_line_fails_on_an_incomplete_translation(self):
        self.assertEqual(editions.main(["status"]), 0)
        editions.save("es", self.source, {})
        with mock.patch("sys.stdout", new=io.StringIO()) as out:
            self.assertEqual(editions.main(["status"]), 1)
        self.assertIn("3 cell(s) not translated", out.getvalue())
        with mock.patch("sys.stderr", new=io.StringIO()) as err:
            self.assertEqual(editions.main(["status", "fr"]), 1)
        self.assertIn("no edition in language 'fr'", err.getvalue())


MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
WORDS_IN_MATH = re.compile(r"\\(?:text|textrm|mathrm|operatorname)\{[^{}]*\}")
CODE = re.compile(r"`[^`\n]+`")


def spans(pattern, text, strip=None):
    found = pattern.findall(text)
    if strip:
        found = [strip.sub("", s) for s in found]
    return collections.Counter(found)


class CourseEditionsTest(unittest.TestCase):
    """The course's own translations (notebooks/i18n/LANG/)."""

    def notebooks(self):
        for source in editions.source_notebooks():
            yield source, nbformat.read(source, as_version=4)

    def test_every_prose_cell_has_a_fresh_translation(self):
        for lang in editions.LANGUAGES:
            for source, nb in self.notebooks():
                with self.subTest(lang=lang, notebook=os.path.basename(source)):
                    st = editions.status(nb, editions.read(lang, source))
                    self.assertEqual(st, editions.Status([], [], []),
                                     f"run: .venv/bin/python nb/harness/editions.py status {lang}")

    def test_the_editions_code_cells_are_the_sources(self):
        for lang in editions.LANGUAGES:
            for source, nb in self.notebooks():
                out, _ = editions.edition(nb, editions.read(lang, source), lang)
                for a, b in zip(nb.cells, out.cells, strict=True):
                    with self.subTest(lang=lang, notebook=os.path.basename(source), cell=a.id):
                        self.assertEqual((a.cell_type, a.id, a.metadata), (b.cell_type, b.id, b.metadata))
                        if a.cell_type == "code":
                            prefix = editions.language_lines(lang) if editions.is_wiring(a) else ""
                            self.assertEqual(b.source, prefix + a.source)

    def test_translations_keep_the_formulas_and_the_code(self):
        """A translated section holds the English's formulas (words in
        \\text{} aside) and code spans: a translation cannot drop or damage
        one unnoticed."""
        for lang in editions.LANGUAGES:
            for source, nb in self.notebooks():
                sections = editions.read(lang, source)
                for cell in editions.markdown_cells(nb):
                    if cell.id not in sections:
                        continue
                    text = sections[cell.id].text
                    with self.subTest(lang=lang, notebook=os.path.basename(source), cell=cell.id):
                        self.assertEqual(spans(MATH, text, WORDS_IN_MATH), spans(MATH, cell.source, WORDS_IN_MATH))
                        self.assertEqual(spans(CODE, text), spans(CODE, cell.source))

    def test_every_claim_of_the_ledger_has_a_fresh_translation(self):
        import ledger

        entries = ledger.load()
        for lang in editions.LANGUAGES:
            with self.subTest(lang=lang):
                missing, stale, orphans = ledger.translation_status(entries, lang)
                self.assertEqual((missing, stale, orphans), ([], [], []), f"nb/ledger/i18n/{lang}/")
                words = ledger.translated(entries, lang)
                for e, t in zip(entries, words):
                    for k in ledger.WORDS:
                        if k in e:
                            # The same formulas, in any order (word order differs).
                            self.assertEqual(spans(MATH, t[k], WORDS_IN_MATH), spans(MATH, e[k], WORDS_IN_MATH), f"{e['id']} {k}")


class LedgerTranslationTest(unittest.TestCase):
    def test_missing_untranslated_and_stale_claims(self):
        import ledger

        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "i18n", "es"))
            entries = [{"id": "1:a", "claim": "a neuron sums its inputs", "verdict": "holds"},
                       {"id": "1:b", "claim": "$z = w x + b$", "verdict": "holds"},
                       {"id": "1:c", "claim": "the sigmoid is monotone", "verdict": "untestable", "reason": "an opinion"}]
            fp = {e["id"]: ledger.words_fingerprint(e) for e in entries}
            with open(os.path.join(d, "i18n", "es", "01.yaml"), "w", encoding="utf-8") as f:
                f.write(f'"1:a":\n  en: "{fp["1:a"]}"\n  claim: \'una neurona suma sus entradas\'\n'
                        f'"1:b":\n  en: "{fp["1:b"]}"\n  claim: \'$z = w x + b$\'\n'
                        f'"1:c":\n  en: "{fp["1:c"]}"\n  claim: \'la sigmoide es monótona\'\n'
                        f'"1:gone":\n  en: "000000000000"\n  claim: \'adiós\'\n')
            self.assertEqual(ledger.translation_status(entries, "es", d), (["1:c"], [], ["1:gone"]), "1:c lacks its reason")
            entries[0]["claim"] = "a neuron adds up its inputs"
            self.assertEqual(ledger.translation_status(entries, "es", d)[1], ["1:a"])
            self.assertEqual(ledger.translated(entries, "es", d)[2]["claim"], "la sigmoide es monótona")
            self.assertEqual(ledger.translated(entries, "es", d)[2]["reason"], "an opinion", "a missing field stays English")
            self.assertEqual(ledger.translated(entries, "en", d), entries)


class WordingTest(unittest.TestCase):
    def test_every_language_has_every_text_with_the_same_fields(self):
        import string

        import wording

        def fields(text):
            return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)

        english = wording.TEXTS["en"]
        for lang, words in wording.TEXTS.items():
            with self.subTest(lang=lang):
                self.assertEqual(sorted(words), sorted(english))
                for key, text in words.items():
                    self.assertEqual(fields(text), fields(english[key]), key)
        self.assertEqual(sorted(wording.TEXTS), sorted(["en", *editions.LANGUAGES]))
        import ledger

        for lang, words in ledger.PAGE_TEXT.items():
            with self.subTest(page="notes checked", lang=lang):
                self.assertEqual(sorted(words), sorted(ledger.PAGE_TEXT["en"]))
                self.assertEqual(sorted(words["kinds"]), sorted(ledger.KINDS))
                for key, text in words.items():
                    if isinstance(text, str):
                        self.assertEqual(fields(text), fields(ledger.PAGE_TEXT["en"][key]), key)
        self.assertEqual(sorted(ledger.PAGE_TEXT), sorted(wording.TEXTS))
        with self.assertRaisesRegex(KeyError, "no wording for language 'fr'"):
            wording.text("fr", "nav_all")

    def test_an_editions_closing_headings_are_in_its_language(self):
        import run_notebooks

        nb = small_notebook()
        nb.metadata["kernelspec"] = {"name": "gonb"}
        nb.cells[1].source = f"!*go mod edit -require={run_notebooks.MODULE}@v0.0.0 -replace={run_notebooks.MODULE}=/x"
        nb.cells.append(new_markdown_cell("## Summary\n\nA.\n\n## Exercises\n\n1. B.", id="end"))
        self.assertEqual(run_notebooks.convention_errors(nb), [])
        spanish, _ = editions.edition(nb, sections_for(nb, {**SPANISH, "end": "## Resumen\n\nA.\n\n## Ejercicios\n\n1. B."}), "es")
        self.assertEqual(run_notebooks.convention_errors(spanish), [])
        english_end, _ = editions.edition(nb, sections_for(nb, SPANISH), "es")
        self.assertEqual(run_notebooks.convention_errors(english_end),
                         ["no 'Resumen' heading: every notebook ends with a Summary and Exercises",
                          "no 'Ejercicios' heading: every notebook ends with a Summary and Exercises"])


if __name__ == "__main__":
    unittest.main()
