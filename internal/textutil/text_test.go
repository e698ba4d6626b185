package textutil

import "testing"

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Procedură":          "procedura",
		"ŞTEFĂNESCU Ţiţeica": "stefanescu titeica",
		"Știință":            "stiinta",
		"Îmbunătățire":       "imbunatatire",
		"":                   "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	if got := Clean("  Direcţia   Economică  şi Ţintă "); got != "Direcția Economică și Țintă" {
		t.Errorf("Clean = %q", got)
	}
}
