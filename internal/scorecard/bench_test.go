package scorecard_test

import (
	"context"
	"testing"

	"cadran/internal/auth"
	"cadran/internal/benchtest"
	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/db/dbtest"
	"cadran/internal/scorecard"
	"cadran/internal/scorecard/scorecardtest"
)

func newCardBench(b *testing.B) (*scorecard.Service, auth.Actor) {
	b.Helper()
	d := dbtest.Open(b, db.SQLite)
	return scorecardtest.Large(b, d, clock.NewFixed(stT0))
}

// BenchmarkCard computes the institution's scorecard for October 2026.
//
//	go test ./internal/scorecard/ -run '^$' -bench BenchmarkCard -benchtime 50x
func BenchmarkCard(b *testing.B) {
	svc, a := newCardBench(b)
	ctx := context.Background()
	q := scorecard.CardQuery{Month: scorecard.Month(2026, 10)}
	card, err := svc.Card(ctx, a, q)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	var count func(os []scorecard.ObjectiveCard)
	count = func(os []scorecard.ObjectiveCard) {
		for _, o := range os {
			n += len(o.KPIs)
			count(o.Children)
		}
	}
	for _, p := range card.Perspectives {
		count(p.Objectives)
	}
	if n != scorecardtest.KPIs || !card.Agg.HasData || len(card.Units) != 4 {
		b.Fatalf("the card holds %d KPIs, data %v, %d units", n, card.Agg.HasData, len(card.Units))
	}
	benchtest.Measure(b, func() error {
		_, err := svc.Card(ctx, a, q)
		return err
	})
}

// BenchmarkSeries reads one monthly KPI's ten years.
//
//	go test ./internal/scorecard/ -run '^$' -bench BenchmarkSeries -benchtime 200x
func BenchmarkSeries(b *testing.B) {
	svc, a := newCardBench(b)
	ctx := context.Background()
	k, err := svc.KPIByCode(ctx, a, "K001")
	if err != nil {
		b.Fatal(err)
	}
	benchtest.Measure(b, func() error {
		_, err := svc.Series(ctx, a, k.ID, scorecard.Month(2017, 1), scorecard.Month(2026, 10))
		return err
	})
}
