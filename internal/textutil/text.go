// Package textutil holds the small text rules Cadran applies everywhere:
// Romanian diacritics written the correct way, and folding for search.
package textutil

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// cedilla maps the old cedilla letters, still common in pasted text, to the
// correct comma-below letters.
var cedilla = strings.NewReplacer("ş", "ș", "Ş", "Ș", "ţ", "ț", "Ţ", "Ț")

// Clean trims s, collapses inner runs of white space and writes ș ț with the
// comma below.
func Clean(s string) string {
	return cedilla.Replace(strings.Join(strings.Fields(s), " "))
}

// CleanText is Clean for multi-line text: it keeps line breaks, trims each
// line's end and the whole, and writes ș ț with the comma below.
func CleanText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return cedilla.Replace(strings.TrimSpace(strings.Join(lines, "\n")))
}

// Fold lower-cases s and strips diacritics, so "Procedură", "procedura" and
// the cedilla spelling all fold to "procedura". Used for search columns.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
