package crosswalk_test

import (
	"fmt"
	"testing"
	"time"

	"cadran/internal/crosswalk"
)

// A module's page lists the newest pieces that reach an item through the
// crosswalk, never hundreds, and says how many there are.
func TestPanelListsTheNewestFew(t *testing.T) {
	it := crosswalk.Item{Ref: crosswalk.Ref{FW: crosswalk.OSGG, Code: "5"}}
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	it.Evidence = append(it.Evidence, crosswalk.Piece{Key: "own", Title: "Own", Origins: []crosswalk.Ref{it.Ref}})
	for i := range crosswalk.PanelLimit + 5 {
		it.Evidence = append(it.Evidence, crosswalk.Piece{Key: fmt.Sprint(i), Title: fmt.Sprint("KPI ", i), Date: day.AddDate(0, 0, -i),
			Origins: []crosswalk.Ref{{FW: crosswalk.ISO, Code: "9.1"}}})
	}
	p := it.Panel()
	if p.Total != crosswalk.PanelLimit+5 || len(p.Pieces) != crosswalk.PanelLimit || !p.More() || p.Pieces[0].Title != "KPI 0" {
		t.Errorf("panel: %d of %d, first %q", len(p.Pieces), p.Total, p.Pieces[0].Title)
	}
	it.Evidence = it.Evidence[:3]
	if p := it.Panel(); p.Total != 2 || len(p.Pieces) != 2 || p.More() {
		t.Errorf("a short panel: %d of %d", len(p.Pieces), p.Total)
	}
}
