package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"cadran/internal/auth"
	"cadran/internal/clock"
	"cadran/internal/compliance"
	"cadran/internal/crosswalk"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/improvement"
	"cadran/internal/org"
	"cadran/internal/work"
)

func TestSeedSharesEvidenceThroughTheCrosswalk(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFixed(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		if _, err := Seed(ctx, d, clk); err != nil {
			t.Fatal(err)
		}
		inst, err := (&org.Service{DB: d, Clock: clk}).InstitutionByCUI(ctx, CUI)
		if err != nil {
			t.Fatal(err)
		}
		a := auth.SystemActor(inst.ID, "test")
		ws := &work.Service{DB: d, Clock: clk}
		cmp := &compliance.Service{DB: d, Clock: clk, Work: ws, Improve: &improvement.Service{DB: d, Clock: clk, Work: ws}}
		svc := &crosswalk.Service{DB: d, Clock: clk, Compliance: cmp}
		ps, err := svc.Pairs(ctx, a)
		if err != nil || len(ps) != len(crosswalk.DefaultPairs()) {
			t.Fatalf("the demo has %d pairs (%v), want the reference mapping", len(ps), err)
		}
		has := func(it crosswalk.ItemPage, title, origin string) bool {
			for _, p := range it.Evidence {
				if strings.Contains(p.Code+" "+p.Title, title) {
					for _, o := range p.Origins {
						if o.String() == origin {
							return true
						}
					}
				}
			}
			return false
		}
		// The archival nomenclature, recorded once against ISO 7.5, is
		// evidence for OSGG 13 and CAF 4.4.
		for _, r := range []crosswalk.Ref{{FW: "osgg", Code: "13"}, {FW: "caf", Code: "4.4"}, {FW: "osgg", Code: "9"}} {
			it, err := svc.Item(ctx, a, r)
			if err != nil {
				t.Fatal(err)
			}
			if !has(it, "Nomenclatorul arhivistic", "iso 7.5") {
				t.Errorf("%v lacks the archival nomenclature through ISO 7.5", r)
			}
			if it.Direct == 0 {
				t.Errorf("%v has no evidence of its own in the demo", r)
			}
		}
		// PS-01 is linked to CAF 4.4 in the self-assessment and to OSGG 9
		// in last year's self-evaluation: ISO 7.5 shows it once, with both.
		iso, err := svc.Item(ctx, a, crosswalk.Ref{FW: "iso", Code: "7.5"})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range iso.Evidence {
			if p.Code == "PS-01" || strings.HasPrefix(p.Title, "PS-01") {
				n++
				if !p.LinkedTo("caf") || !p.LinkedTo("osgg") {
					t.Errorf("PS-01 at ISO 7.5 is linked to %v", p.Origins)
				}
			}
		}
		if n != 1 {
			t.Errorf("PS-01 shows %d times at ISO 7.5", n)
		}
		for _, fw := range crosswalk.Frameworks {
			rd, err := svc.Readiness(ctx, a, fw, crosswalk.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if rd.ByStatus[crosswalk.StatusDirect] == 0 || rd.ByStatus[crosswalk.StatusCrosswalk] == 0 || rd.Percent() < 50 {
				t.Errorf("%s readiness in the demo: %v, %d%%", fw, rd.ByStatus, rd.Percent())
			}
			t.Logf("%s: %v, %d%% ready, %d%% own", fw, rd.ByStatus, rd.Percent(), rd.DirectPercent())
		}
	})
}
