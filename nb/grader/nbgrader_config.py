"""nbgrader's configuration for the course (the Go kernel, GoNB).

Loaded by nb/harness/grader.py (make assignments, make autograde) and, through
.venv/etc/jupyter/nbgrader_config.py written by docker/setup.sh, by the
formgrader of `make lab`. Everything nbgrader writes lives in its course
directory, build/nbgrader/ (generated, never committed):

    build/nbgrader/source/NAME/NAME.ipynb      the teacher's notebook (a copy of notebooks/NAME.ipynb)
    build/nbgrader/release/NAME/NAME.ipynb     the student release
    build/nbgrader/submitted/STUDENT/NAME/     submissions (make autograde copies them here)
    build/nbgrader/autograded/STUDENT/NAME/    executed and scored
    build/nbgrader/feedback/STUDENT/NAME/      feedback (HTML)
    build/nbgrader/gradebook.db                the scores (SQLite)

Every notebook is its own assignment, named after the notebook (00_Introduction).
"""

import os

c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# NBGRADER_COURSE_DIR moves it (the tests use a folder of their own); the
# formgrader needs it inside the folder JupyterLab shows.
c.CourseDirectory.root = os.environ.get("NBGRADER_COURSE_DIR") or os.path.join(ROOT, "build", "nbgrader")
c.CourseDirectory.course_id = "redes-neuronales"
# Where `nbgrader release_assignment` puts assignments for students to fetch
# and `nbgrader collect` finds their submissions. On a hub it is a folder all
# users share (nbgrader's default is /usr/local/share/nbgrader/exchange):
# set NBGRADER_EXCHANGE to it.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", os.path.join(ROOT, "build", "nbgrader", "exchange"))

# A solution region between `// BEGIN SOLUTION` and `// END SOLUTION` becomes
# this stub. panic is a terminating statement, so the stub compiles wherever
# it stands: at the top level of a `%%` cell (code after it is unreachable,
# which Go allows) and as the whole body of a function that returns values.
# The markers are matched as written, inside Go comments; nb/harness/grader.py
# refuses any line that looks like a marker but is not exactly one
# (`// begin solution`, `/* BEGIN SOLUTION */`, ...) before nbgrader runs.
c.ClearSolutions.code_stub = {"go": 'panic("not implemented") // YOUR CODE HERE'}
c.ClearSolutions.text_stub = "*Your answer here.*"
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"

# Autograding runs the GoNB kernel of .venv (the Makefile puts it on
# JUPYTER_PATH); a cell may compile and run for a while, never forever.
c.Execute.timeout = int(os.environ.get("CELL_TIMEOUT", "300"))
c.Execute.startup_timeout = 120

# Scores as CSV (nbgrader export).
c.ExportApp.plugin_class = "nbgrader.plugins.CsvExportPlugin"
