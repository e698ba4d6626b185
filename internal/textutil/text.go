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
