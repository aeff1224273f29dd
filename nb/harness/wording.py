"""The words the export writes around the notebooks, in each edition's
language: titles, navigation links, the index pages, the handout's
headings, the slides' notes, the page "The notes, checked".

The notebooks' own prose comes from their translations (editions.py),
their figures' words from nb's catalog (nb/i18n.go), and the words around
the claims of "The notes, checked" from ledger.PAGE_TEXT; this holds the
rest. Every language has every key (test_editions.WordingTest), and a text
takes its values by name:

    wording.text("es", "nav_all")                          # "← todos los cuadernos"
    wording.text("es", "more_rows", n=3)                   # "… 3 filas más (la página las muestra todas)"
"""

ENGLISH = "en"

TEXTS = {
    "en": {
        "course_title": "Redes Neuronales — the course that runs",
        "nav_all": "← all notebooks",
        "nav_slides": "slides",
        "nav_pdf": "PDF of the course",
        "nav_handout": "← the student handout",
        "nav_handout_pdf": "PDF of the handout",
        "handout_title": "{course} — student handout",
        "notes_checked": "The notes, checked",
        "contents": "Contents",
        "graded_heading": "Graded exercises",
        "summary_heading": "Summary",
        "exercises_heading": "Exercises",
        "student_heading": "Your turn: graded exercises",
        "continued": "{title} (continued)",
        "more_rows": "… {n} more rows{summary} (the page lists them all)",
        "more_row": "… 1 more row{summary} (the page lists them all)",
        "checks_summary": ": {passed} checks passed in all",
        "checks_expected": ", {expected} failed as expected",
        "more_lines": "… {n} more lines (the page shows them all)",
        "more_line": "… 1 more line (the page shows them all)",
        "other_edition": '<a href="{href}" hreflang="es" lang="es">Edición en español</a>: the same course, its prose, figures and tables in Spanish.',
        "index_intro": "The lecture notes <em>Redes Neuronales</em> as notebooks in Go, one per section of the notes, "
                       "executed and exported on {today} in <strong>{mode} mode</strong> ({seconds:.0f} s).",
        "mode_quick": "quick",
        "mode_full": "full",
        "index_notes": '<a href="notes-checked.html">The notes, checked</a>: every formula and claim of the notes, its verdict and the numbers that decide it.',
        "index_books": '<a href="course.pdf">The whole course as a PDF</a> · <a href="course.html">the whole course on one page</a> · '
                       '<a href="student/index.html">the student handout</a>',
        "index_teacher": "<strong>This is the teacher's edition:</strong> its pages, slides and PDF show the worked solution of every graded exercise "
                         '(without nbgrader\'s marker lines). The student handout (<a href="student/index.html">student/</a>: a page per notebook and '
                         '<a href="student/handout.pdf">handout.pdf</a>) shows the same notebooks with each solution replaced by a stub, the hidden tests '
                         "removed and no output of the graded cells; its notebooks (the release of nbgrader, without outputs) go into the "
                         "<code>{folder}</code> folder of a checkout of the course to run them.",
        "index_header": "<tr><th>notebook</th><th>slides</th><th>student handout</th><th>executed</th></tr>",
        "index_slides": "slides",
        "index_student_page": "student page",
        "index_notebook": "notebook",
        "index_executed": "{images} figures, {checks} checks passed",
        "index_keys": "Slides: arrow keys move between slides (right: next section, down: next part); <kbd>S</kbd> opens the speaker view.",
        "student_intro": "The notebooks with their figures and results, and the graded exercises for you to solve: "
                         'each exercise\'s function is a stub, <code>panic("not implemented") // YOUR CODE HERE</code>, followed by its test. '
                         '<a href="handout.pdf">All notebooks as one PDF</a>.',
        "student_howto": "To solve the exercises, copy the notebooks (<code>.ipynb</code>) into the <code>{folder}</code> folder of a checkout of the course "
                         "and open them in JupyterLab (<code>{command}</code>).",
        "student_header": "<tr><th>page</th><th>notebook</th></tr>",
    },
    "es": {
        "course_title": "Redes Neuronales — el curso que se ejecuta",
        "nav_all": "← todos los cuadernos",
        "nav_slides": "diapositivas",
        "nav_pdf": "PDF del curso",
        "nav_handout": "← el material del estudiante",
        "nav_handout_pdf": "PDF del material del estudiante",
        "handout_title": "{course} — material del estudiante",
        "notes_checked": "Los apuntes, comprobados",
        "contents": "Índice",
        "graded_heading": "Ejercicios evaluados",
        "summary_heading": "Resumen",
        "exercises_heading": "Ejercicios",
        "student_heading": "Tu turno: ejercicios evaluados",
        "continued": "{title} (continuación)",
        "more_rows": "… {n} filas más{summary} (la página las muestra todas)",
        "more_row": "… 1 fila más{summary} (la página las muestra todas)",
        "checks_summary": ": {passed} comprobaciones superadas en total",
        "checks_expected": ", {expected} fallidas como se esperaba",
        "more_lines": "… {n} líneas más (la página las muestra todas)",
        "more_line": "… 1 línea más (la página las muestra todas)",
        "other_edition": '<a href="{href}" hreflang="en" lang="en">English edition</a>: el mismo curso, con el texto, las figuras y las tablas en inglés.',
        "index_intro": "Los apuntes <em>Redes Neuronales</em> como cuadernos en Go, uno por sección de los apuntes, "
                       "ejecutados y exportados el {today} en <strong>modo {mode}</strong> ({seconds:.0f} s).",
        "mode_quick": "rápido",
        "mode_full": "completo",
        "index_notes": '<a href="notes-checked.html">Los apuntes, comprobados</a>: cada fórmula y afirmación de los apuntes, su veredicto y los números que lo deciden.',
        "index_books": '<a href="course.pdf">Todo el curso en PDF</a> · <a href="course.html">todo el curso en una página</a> · '
                       '<a href="student/index.html">el material del estudiante</a>',
        "index_teacher": "<strong>Esta es la edición del profesor:</strong> sus páginas, diapositivas y PDF muestran la solución de cada ejercicio evaluado "
                         '(sin las líneas de marca de nbgrader). El material del estudiante (<a href="student/index.html">student/</a>: una página por cuaderno y '
                         '<a href="student/handout.pdf">handout.pdf</a>) muestra los mismos cuadernos con cada solución sustituida por un esbozo, sin las pruebas '
                         "ocultas y sin la salida de las celdas evaluadas; sus cuadernos (la publicación de nbgrader, sin salidas) se copian en la carpeta "
                         "<code>{folder}</code> de una copia del curso para ejecutarlos.",
        "index_header": "<tr><th>cuaderno</th><th>diapositivas</th><th>material del estudiante</th><th>ejecución</th></tr>",
        "index_slides": "diapositivas",
        "index_student_page": "página del estudiante",
        "index_notebook": "cuaderno",
        "index_executed": "{images} figuras, {checks} comprobaciones superadas",
        "index_keys": "Diapositivas: las flechas pasan de una a otra (derecha: sección siguiente, abajo: parte siguiente); <kbd>S</kbd> abre la vista del ponente.",
        "student_intro": "Los cuadernos con sus figuras y resultados, y los ejercicios evaluados que te toca resolver: "
                         'la función de cada ejercicio es un esbozo, <code>panic("not implemented") // YOUR CODE HERE</code>, seguido de su prueba. '
                         '<a href="handout.pdf">Todos los cuadernos en un PDF</a>.',
        "student_howto": "Para resolver los ejercicios, copia los cuadernos (<code>.ipynb</code>) en la carpeta <code>{folder}</code> de una copia del curso "
                         "y ábrelos en JupyterLab (<code>{command}</code>).",
        "student_header": "<tr><th>página</th><th>cuaderno</th></tr>",
    },
}

# Where an edition's notebooks live in a checkout, and the command that opens them.
FOLDERS = {"en": ("notebooks/", "make lab"), "es": ("notebooks/es/", "COURSE_LANG=es make lab")}


def text(lang, key, **values):
    """The text key in lang, with values put in its {name} fields. An
    unknown language or key is a KeyError naming it."""
    if lang not in TEXTS:
        raise KeyError(f"no wording for language {lang!r}; there is {', '.join(sorted(TEXTS))}")
    words = TEXTS[lang]
    if key not in words:
        raise KeyError(f"no text {key!r} in language {lang!r}")
    return words[key].format(**values) if values else words[key]


def language_of(nb):
    """The language of a notebook: its edition's (editions.py records it in
    the metadata as course_edition.language), else English."""
    return (nb.metadata.get("course_edition") or {}).get("language", ENGLISH)
