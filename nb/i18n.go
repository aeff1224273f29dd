package nb

// The language of what the course draws: figure titles, axis labels,
// legends, table captions and headers, progress lines.

import (
	"fmt"
	"os"
	"strings"
)

// LangEnv names the environment variable that chooses the language in
// which nb and the notebooks write what they draw. An edition of the course
// in another language (notebooks/LANG/, written by nb/harness/editions.py)
// sets it in its wiring cell with GoNB's
//
//	%env COURSE_LANG es
//
// which every later cell's program inherits.
const LangEnv = "COURSE_LANG"

// catalogs holds the translations of every language besides English, by
// language code: English text → translated text. English, the language of
// the source, needs none. The catalogs are read-only.
var catalogs = map[string]map[string]string{
	"es": spanish, // i18n_es.go
}

// Language returns the code of the language chosen by $COURSE_LANG: "en"
// when it is unset or empty, otherwise its language part in lower case
// ("es" for "es", "ES", "es_ES.UTF-8" or "es-ES") when the course has a
// catalog for it. An unknown language, such as "fr" or "xx", falls back
// to "en": the course is then drawn in English, its source language.
func Language() string {
	v := strings.ToLower(strings.TrimSpace(os.Getenv(LangEnv)))
	if i := strings.IndexAny(v, "_-.@"); i >= 0 {
		v = v[:i]
	}
	if _, ok := catalogs[v]; ok {
		return v
	}
	return "en"
}

// T returns s in the current language (see Language): its translation
// when the catalog of that language has one, otherwise s unchanged. A
// string is looked up by exact match of its English text, spaces,
// punctuation and format verbs included, so
//
//	nb.T("validation accuracy (%)")
//
// is translated only if the catalog has the key "validation accuracy (%)".
// Mathematical labels that read the same in every language ("η", "σ(z)",
// "C") need no call. In English, T always returns s.
//
// The catalogs are plain Go maps, one file per language: nb/i18n_es.go
// for Spanish, grouped by the notebook or file that uses each string. To
// translate a new string, pass its English text to T (or its format to
// Tf) where it is drawn and add the English text with its translation to
// every catalog; the package's tests fail on a string passed to T or Tf,
// in nb, lib or a notebook's code cells, that a catalog lacks, on a
// translation whose format verbs differ from its key's, and on a catalog
// entry that no code uses any more.
//
// Only what is shown to the reader goes through T. Whatever a program
// reads back (the data attributes of check tables, the ledger's JSON,
// outcome keys, PNG metadata keys) stays the same in every language.
func T(s string) string {
	if t, ok := catalogs[Language()][s]; ok {
		return t
	}
	return s
}

// Tf formats according to the translation of format (T(format)), as
// fmt.Sprintf does: the translation keeps the format's verbs, in the same
// order, so that
//
//	nb.Tf("After %d epochs", epochs)
//
// writes "Tras 3 épocas" in Spanish and "After 3 epochs" in English.
func Tf(format string, args ...any) string {
	return fmt.Sprintf(T(format), args...)
}
