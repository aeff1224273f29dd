package plotting

import "strings"

// Subscript returns s with every character that Unicode has a subscript
// form of written as that form: the digits, + − = ( ), and the letters
// a e h i j k l m n o p r s t u v x, as in "w" + Subscript("1,2") = "w₁,₂"
// or "n" + Subscript("in") = "nᵢₙ". Other characters are kept as they are:
// Unicode has no subscript c, no capital subscripts, and no subscript
// comma (the comma is kept).
//
// Figure text is plain text, not TeX: Subscript and Superscript write
// the notes' indices so that the course's font (see Font) draws them.
func Subscript(s string) string { return subscripts.Replace(s) }

// Superscript returns s with every character that Unicode has a
// superscript form of written as that form: the digits, + − = ( ), the
// lower-case letters other than q, and L and T, as in
// "W" + Superscript("(l)") = "W⁽ˡ⁾", "δ" + Superscript("(L)") = "δ⁽ᴸ⁾" or
// "10" + Superscript("-7") = "10⁻⁷". A hyphen-minus becomes the
// superscript minus. Other characters are kept as they are.
func Superscript(s string) string { return superscripts.Replace(s) }

var subscripts = strings.NewReplacer(
	"0", "₀", "1", "₁", "2", "₂", "3", "₃", "4", "₄",
	"5", "₅", "6", "₆", "7", "₇", "8", "₈", "9", "₉",
	"+", "₊", "-", "₋", "−", "₋", "=", "₌", "(", "₍", ")", "₎",
	"a", "ₐ", "e", "ₑ", "h", "ₕ", "i", "ᵢ", "j", "ⱼ", "k", "ₖ", "l", "ₗ",
	"m", "ₘ", "n", "ₙ", "o", "ₒ", "p", "ₚ", "r", "ᵣ", "s", "ₛ", "t", "ₜ",
	"u", "ᵤ", "v", "ᵥ", "x", "ₓ",
)

var superscripts = strings.NewReplacer(
	"0", "⁰", "1", "¹", "2", "²", "3", "³", "4", "⁴",
	"5", "⁵", "6", "⁶", "7", "⁷", "8", "⁸", "9", "⁹",
	"+", "⁺", "-", "⁻", "−", "⁻", "=", "⁼", "(", "⁽", ")", "⁾",
	"a", "ᵃ", "b", "ᵇ", "c", "ᶜ", "d", "ᵈ", "e", "ᵉ", "f", "ᶠ", "g", "ᵍ",
	"h", "ʰ", "i", "ⁱ", "j", "ʲ", "k", "ᵏ", "l", "ˡ", "m", "ᵐ", "n", "ⁿ",
	"o", "ᵒ", "p", "ᵖ", "r", "ʳ", "s", "ˢ", "t", "ᵗ", "u", "ᵘ", "v", "ᵛ",
	"w", "ʷ", "x", "ˣ", "y", "ʸ", "z", "ᶻ", "L", "ᴸ", "T", "ᵀ",
)
