"""Tests of the ledger of the notes' claims (ledger.py); no kernel runs."""

import html
import json
import os
import tempfile
import textwrap
import unittest

import nbformat

import ledger


def row(claim, outcome, check="c", got="1", want="1"):
    rec = {"claim": claim, "check": check, "outcome": outcome, "got": got, "want": want,
           "relative_error": "0.00e+00", "tolerance": "1e-07"}
    return f'<tr data-nb-claim="{html.escape(json.dumps(rec))}"><td>{claim}</td></tr>'


def executed(*row_html):
    """An executed notebook whose one code cell shows a check table."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("nb.Checks(…)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<table>" + "".join(row_html) + "</table>"})]
    nb.cells.append(cell)
    return nb


class LedgerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.ledger_dir = os.path.join(self.tmp.name, "ledger")
        self.nb_dir = os.path.join(self.tmp.name, "notebooks")
        os.makedirs(self.ledger_dir)
        os.makedirs(self.nb_dir)
        for name in ("03_B.ipynb", "04_C.ipynb"):
            nbformat.write(nbformat.v4.new_notebook(), os.path.join(self.nb_dir, name))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.ledger_dir, name), "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))

    def load(self):
        return ledger.load(self.ledger_dir, self.nb_dir)

    GOOD = """\
        notebook: 03_B.ipynb
        claims:
        - id: "3:bp1"
          section: "3"
          kind: formula
          claim: 'the output error $\\delta^{(L)} = \\nabla_a C \\odot \\sigma''(z^{(L)})$'
          verdict: holds
        - id: "3:sum-wrong"
          section: "3"
          kind: step
          claim: 'a sum over the wrong index'
          verdict: wrong
          correction: 'the sum over $k$'
          shown: 'cell "The chain rule"'
        - id: "3:small-eta"
          section: "3"
          kind: condition
          claim: 'the cost decreases'
          verdict: holds-when
          when: 'η is small enough'
        - id: "3:advice"
          section: "3"
          kind: advice
          claim: 'start simple'
          verdict: untestable
          reason: 'a matter of practice'
        - id: "3:slow"
          section: "3"
          kind: number
          claim: 'a long run reaches 98%'
          verdict: holds
          full_only: true
        """

    def test_good_ledger_loads(self):
        self.write("03.yaml", self.GOOD)
        entries = self.load()
        self.assertEqual([e["id"] for e in entries], ["3:bp1", "3:sum-wrong", "3:small-eta", "3:advice", "3:slow"])
        self.assertTrue(all(e["notebook"] == "03_B.ipynb" and e["file"] == "03.yaml" for e in entries))

    def test_format_problems_are_named(self):
        cases = [
            ("bad id", '- {id: "3:BP1", section: "3", kind: formula, claim: x, verdict: holds}', "3:BP1"),
            ("id and section", '- {id: "3:bp1", section: "3.1", kind: formula, claim: x, verdict: holds}', "does not start with its section"),
            ("unquoted section", '- {id: "3:bp1", section: 3, kind: formula, claim: x, verdict: holds}', "needs a section"),
            ("kind", '- {id: "3:bp1", section: "3", kind: theorem, claim: x, verdict: holds}', "kind 'theorem'"),
            ("verdict", '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: true}', "verdict True"),
            ("no claim text", '- {id: "3:bp1", section: "3", kind: formula, claim: " ", verdict: holds}', "needs the claim's text"),
            ("wrong without correction", '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: wrong, shown: y}', "needs 'correction'"),
            ("holds-when without when", '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: holds-when}', "needs 'when'"),
            ("untestable without reason", '- {id: "3:bp1", section: "3", kind: advice, claim: x, verdict: untestable}', "needs 'reason'"),
            ("a reason for a claim that holds", '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: holds, reason: y}', "'reason' does not go with verdict holds"),
            ("unknown field", '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: holds, check: y}', "unknown field(s) check"),
            ("full_only", '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: holds, full_only: "yes"}', "full_only"),
            ("missing notebook", '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: holds, notebook: 09_X.ipynb}', "'09_X.ipynb' is not in"),
        ]
        for name, claim, message in cases:
            with self.subTest(name):
                self.write("03.yaml", "notebook: 03_B.ipynb\nclaims:\n" + claim + "\n")
                with self.assertRaises(ledger.LedgerError) as cm:
                    self.load()
                self.assertIn("03.yaml", str(cm.exception))
                self.assertIn(message, str(cm.exception))

    def test_file_problems(self):
        for name, text, message in [
            ("yaml syntax", "notebook: [\n", "cannot be read"),
            ("no claims", "notebook: 03_B.ipynb\n", "a list 'claims'"),
        ]:
            with self.subTest(name):
                self.write("03.yaml", text)
                with self.assertRaises(ledger.LedgerError) as cm:
                    self.load()
                self.assertIn(message, str(cm.exception))
        os.remove(os.path.join(self.ledger_dir, "03.yaml"))
        with self.assertRaises(ledger.LedgerError) as cm:
            self.load()
        self.assertIn("no ledger files", str(cm.exception))

    def test_duplicate_id_across_files(self):
        claim = '- {id: "3:bp1", section: "3", kind: formula, claim: x, verdict: holds}\n'
        self.write("03.yaml", "notebook: 03_B.ipynb\nclaims:\n" + claim)
        self.write("04.yaml", "notebook: 04_C.ipynb\nclaims:\n" + claim)
        with self.assertRaises(ledger.LedgerError) as cm:
            self.load()
        self.assertIn("id also used in 03.yaml", str(cm.exception))

    def test_check_against_rows(self):
        self.write("03.yaml", self.GOOD)
        entries = self.load()
        consistent = [row("3:bp1", "held"), row("3:bp1", "held"), row("3:sum-wrong", "expected-failure"),
                      row("3:sum-wrong", "held"), row("3:small-eta", "held"), row("3:small-eta", "expected-failure")]
        cases = [
            ("consistent, quick", consistent, True, []),
            ("full mode lacks the full_only rows", consistent, False, ["3:slow: 03_B.ipynb ran, but no check row"]),
            ("consistent, full", consistent + [row("3:slow", "held")], False, []),
            ("a claim that holds shown failing", consistent + [row("3:bp1", "expected-failure")], True,
             ["3:bp1: verdict holds, but 1 row(s) show it failing"]),
            ("a wrong claim never shown failing", [row("3:bp1", "held"), row("3:sum-wrong", "held"), row("3:small-eta", "held")], True,
             ["3:sum-wrong: verdict wrong, but no row shows it failing"]),
            ("holds-when never holding", [row("3:bp1", "held"), row("3:sum-wrong", "expected-failure"), row("3:small-eta", "expected-failure")], True,
             ["3:small-eta: verdict holds-when, but no row"]),
            ("a failed row", consistent + [row("3:bp1", "failed")], True, ["3:bp1: 1 check row(s) did not come out as expected"]),
            ("an unexpected hold", consistent + [row("3:sum-wrong", "unexpected-hold")], True, ["3:sum-wrong: 1 check row(s) did not"]),
            ("a check of an untestable claim", consistent + [row("3:advice", "held")], True, ["3:advice: marked untestable"]),
            ("a claim with no row", consistent[2:], True, ["3:bp1: 03_B.ipynb ran, but no check row"]),
            ("a row of no entry", consistent + [row("3:bp9", "held")], True, ["claim '3:bp9': checked in 03_B.ipynb cell 0 but in no ledger entry"]),
        ]
        for name, rs, quick, want in cases:
            with self.subTest(name):
                got = ledger.check(entries, {"03_B.ipynb": executed(*rs)}, quick=quick)
                self.assertEqual(len(got), len(want), got)
                for g, w in zip(got, want):
                    self.assertIn(w, g)
        # A notebook that did not run is not asked for rows.
        self.assertEqual(ledger.check(entries, {}, quick=True), [])

    def test_page_and_anchors(self):
        self.write("03.yaml", self.GOOD)
        entries = self.load()
        ex = {"03_B.ipynb": executed(row("3:bp1", "held", check="δ⁽ᴸ⁾", got="0.25", want="0.25"), row("3:bp1", "held"),
                                     row("3:sum-wrong", "held", check="the corrected sum", got="1", want="1"),
                                     row("3:sum-wrong", "expected-failure", check="the notes' sum", got="2", want="1"))}
        page = ledger.notes_checked_notebook(entries, ex, titles={"03_B": "3. Backpropagation"}, max_rows=1)
        text = "\n".join(c.source for c in page.cells)
        for want in ["# The notes, checked", "5 claims: 2 hold, 1 are wrong, 1 hold only under a condition, and 1 are advice",
                     "## §3", "**3:bp1**", "[3. Backpropagation](03_B.html#claim-3:bp1), 2 row(s)", "δ⁽ᴸ⁾: got 0.25, want 0.25",
                     "… and 1 more", "Right: the sum over $k$", "the notes' sum: got 2, want 1", "holds only when** η is small enough", "Why no number: a matter of practice"]:
            self.assertIn(want, text)
        anchored = ledger.add_claim_anchors(executed(row("3:bp1", "held"), row("3:bp1", "held"), row("3:x", "held")).cells[0].outputs[0].data["text/html"])
        self.assertEqual(anchored.count('id="claim-3:bp1"'), 1)
        self.assertEqual(anchored.count('id="claim-3:x"'), 1)
        self.assertEqual(anchored.count("data-nb-claim="), 3)

    def test_section_order(self):
        self.assertEqual(sorted(["B.2.1", "A", "4.10", "4.2", "1", "B", "6.1"], key=ledger.section_order),
                         ["1", "4.2", "4.10", "6.1", "A", "B", "B.2.1"])


class RepositoryLedgerTest(unittest.TestCase):
    """The course's own ledger keeps its format."""

    def test_the_course_ledger_loads(self):
        entries = ledger.load()
        self.assertGreater(len(entries), 0)
        sections = {e["section"].split(".")[0] for e in entries}
        for s in ("1", "2", "3", "4", "5", "6", "A", "B"):
            self.assertIn(s, sections, f"no claim of section {s} in the ledger")


if __name__ == "__main__":
    unittest.main()
