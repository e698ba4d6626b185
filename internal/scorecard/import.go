package scorecard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"cadran/internal/apperr"
	"cadran/internal/auth"
	"cadran/internal/importer"
	"cadran/internal/textutil"
)

// ImportTarget is the measurements file import (columns: KPI code, period,
// value, explanation) through the shared importer pages.
func (s *Service) ImportTarget() importer.Target { return &msImportTarget{s: s} }

type msImportTarget struct{ s *Service }

var _ importer.Target = (*msImportTarget)(nil)

func (t *msImportTarget) Name() string                { return "measurements" }
func (t *msImportTarget) Title() string               { return "scorecard.import.title" }
func (t *msImportTarget) Permission() auth.Permission { return auth.PermScorecardMeasure }
func (t *msImportTarget) Done() string                { return "/scorecard/measurements" }

var msImportFields = []importer.Field{
	{Key: "code", Label: "scorecard.import.field.code", Help: "scorecard.import.help.code", Required: true,
		Aliases: []string{"Cod indicator", "Codul indicatorului", "Indicator", "Cod", "KPI", "KPI code", "Indicator code", "Code"}},
	{Key: "period", Label: "scorecard.import.field.period", Help: "scorecard.import.help.period", Required: true,
		Aliases: []string{"Perioada", "Perioadă", "Luna", "Lună", "Trimestrul", "Anul", "Period", "Month"}},
	{Key: "value", Label: "scorecard.import.field.value", Help: "scorecard.import.help.value", Required: true,
		Aliases: []string{"Valoare", "Valoarea", "Valoare realizată", "Realizat", "Value", "Actual"}},
	{Key: "explanation", Label: "scorecard.import.field.explanation", Help: "scorecard.import.help.explanation",
		Aliases: []string{"Explicație", "Explicația", "Observații", "Observatii", "Comentarii", "Explanation", "Comment", "Notes"}},
}

func (t *msImportTarget) Fields() []importer.Field { return msImportFields }

// Preview is the preview table's headings.
func (t *msImportTarget) Preview() []string {
	return []string{"scorecard.import.field.code", "scorecard.import.preview.kpi", "scorecard.import.field.period", "scorecard.import.field.value",
		"scorecard.import.field.explanation", "scorecard.import.preview.outcome"}
}

// ParseValue reads a number as people write it: "93,5" and "1.234,5" (the
// Romanian way), "93.5" and "1,234.5", with spaces, a "%" or a unit after.
func ParseValue(s string) (float64, bool) {
	s = strings.TrimSpace(strings.NewReplacer("\u00a0", "", "\u202f", "", " ", "", "%", "", "'", "").Replace(s))
	s = strings.TrimRight(s, "abcdefghijklmnopqrstuvwxyzăâîșțABCDEFGHIJKLMNOPQRSTUVWXYZĂÂÎȘȚ.")
	if s == "" {
		return 0, false
	}
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0 && comma > dot:
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case dot >= 0 && comma >= 0:
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0:
		if strings.Count(s, ",") > 1 {
			return 0, false
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

var msMonthWords = map[string]int{
	"ianuarie": 1, "ian": 1, "january": 1, "jan": 1, "februarie": 2, "feb": 2, "february": 2, "martie": 3, "mar": 3, "march": 3,
	"aprilie": 4, "apr": 4, "april": 4, "mai": 5, "may": 5, "iunie": 6, "iun": 6, "june": 6, "jun": 6, "iulie": 7, "iul": 7, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "septembrie": 9, "sep": 9, "sept": 9, "september": 9, "octombrie": 10, "oct": 10, "october": 10,
	"noiembrie": 11, "noi": 11, "nov": 11, "november": 11, "decembrie": 12, "dec": 12, "december": 12,
}

// ParsePeriodText reads a period as a file writes it: a period key
// ("2026-10", "2026-T3"), "octombrie 2026", "10.2026", a date
// ("31.10.2026", which stands for its month) or an Excel day serial.
func ParsePeriodText(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if p, err := ParsePeriod(s); err == nil {
		return p, nil
	}
	f := strings.FieldsFunc(textutil.Fold(s), func(r rune) bool { return r == ' ' || r == '.' || r == ',' || r == '-' || r == '/' })
	if len(f) == 2 {
		if m, ok := msMonthWords[f[0]]; ok {
			if y, err := strconv.Atoi(f[1]); err == nil && y >= 1900 && y <= 2200 {
				return Month(y, m), nil
			}
		}
		if m, err := strconv.Atoi(f[0]); err == nil && m >= 1 && m <= 12 {
			if y, err := strconv.Atoi(f[1]); err == nil && y >= 1900 && y <= 2200 {
				return Month(y, m), nil
			}
		}
	}
	for _, layout := range []string{"2.1.2006", "2/1/2006", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return MonthOf(t), nil
		}
	}
	if serial, err := strconv.ParseFloat(s, 64); err == nil && serial >= 36526 && serial <= 73051 { // 2000 to 2099
		if t, err := excelize.ExcelDateToTime(math.Floor(serial), false); err == nil {
			return MonthOf(t), nil
		}
	}
	return Period{}, fmt.Errorf("cannot read period %q", s)
}

// msRowEntries turns the file's rows into entries; problems of reading a
// row (a value that is not a number) come back by row index.
func msRowEntries(rows []importer.Row) ([]Entry, map[int]apperr.Validation) {
	entries := make([]Entry, len(rows))
	bad := map[int]apperr.Validation{}
	for i, r := range rows {
		v := func(k string) string { return strings.TrimSpace(r.Values[k]) }
		e := Entry{Code: v("code"), Period: v("period"), Explanation: v("explanation")}
		errs := apperr.Validation{}
		if e.Code == "" {
			errs.Add("code", "error.required")
		}
		if e.Period == "" {
			errs.Add("period", "error.required")
		} else if p, err := ParsePeriodText(e.Period); err != nil {
			errs.Add("period", "scorecard.measure.error.period")
		} else {
			e.Period = p.Key()
		}
		if v("value") == "" {
			errs.Add("value", "error.required")
		} else if f, ok := ParseValue(v("value")); !ok {
			errs.Add("value", "scorecard.measure.error.value")
		} else {
			e.Value = f
		}
		if len(errs) > 0 {
			bad[i] = errs
		}
		entries[i] = e
	}
	return entries, bad
}

// Check validates every row as Record would, without writing anything.
func (t *msImportTarget) Check(ctx context.Context, a auth.Actor, rows []importer.Row) ([]importer.Checked, error) {
	if err := a.Require(auth.PermScorecardMeasure); err != nil {
		return nil, err
	}
	entries, bad := msRowEntries(rows)
	// Only the rows that could be read go to the checks, keeping their
	// index.
	var good []Entry
	var index []int
	for i, e := range entries {
		if bad[i] == nil {
			good = append(good, e)
			index = append(index, i)
		}
	}
	items, err := t.s.msCheck(ctx, t.s.DB.R, a, SourceImport, good)
	var ee EntryErrors
	if err != nil && !errors.As(err, &ee) {
		return nil, err
	}
	for _, e := range ee {
		i := index[e.Index]
		if bad[i] == nil {
			bad[i] = apperr.Validation{}
		}
		bad[i].Add(e.Field, e.Key)
	}
	byRow := map[int]msItem{}
	for _, it := range items {
		byRow[index[it.index]] = it
	}
	out := make([]importer.Checked, len(rows))
	for i, r := range rows {
		e := entries[i]
		c := importer.Checked{Line: r.Line}
		name, value, outcome := "", strings.TrimSpace(r.Values["value"]), ""
		if it, ok := byRow[i]; ok && bad[i] == nil {
			name, value = it.kpi.Name, msFormat(e.Value, max(it.kpi.Decimals, msDecimals(e.Value)))
			outcome = msOutcomeWords[a.Locale == "en"][it.inForce]
		}
		c.Cells = []string{strings.ToUpper(e.Code), name, e.Period, value, msClip(e.Explanation, 160), outcome}
		if len(bad[i]) > 0 {
			c.Errors = bad[i]
		}
		out[i] = c
	}
	return out, nil
}

// msOutcomeWords say in the preview (whose cells are shown as they are)
// whether a row's value goes in force or waits for approval, in the
// reader's language.
var msOutcomeWords = map[bool]map[bool]string{
	false: {true: "în vigoare", false: "așteaptă aprobarea responsabilului"},
	true:  {true: "in force", false: "waits for the owner's approval"},
}

// msDecimals counts the decimals a value needs, up to 6.
func msDecimals(v float64) int {
	for d := 0; d < 6; d++ {
		if msSame(msRound(v, d), v) {
			return d
		}
	}
	return 6
}

// Commit records every row in one transaction, all or nothing, through
// the same code as Record with source import.
func (t *msImportTarget) Commit(ctx context.Context, a auth.Actor, rows []importer.Row, progress func(done int)) (int, error) {
	if err := a.Require(auth.PermScorecardMeasure); err != nil {
		return 0, err
	}
	entries, bad := msRowEntries(rows)
	if len(bad) > 0 {
		return 0, apperr.Validation{"file": "scorecard.import.error.rows"}
	}
	out, err := t.s.Record(ctx, a, SourceImport, entries)
	var ee EntryErrors
	if errors.As(err, &ee) {
		return 0, apperr.Validation{"file": "scorecard.import.error.rows"}
	}
	if err != nil {
		return 0, err
	}
	if progress != nil {
		progress(len(rows))
	}
	return out.Saved + out.Pending, nil
}

// Template writes an XLSX workbook with the headings in Romanian and an
// example row.
func (t *msImportTarget) Template(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Valori indicatori"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("cannot name sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}})
	if err != nil {
		return fmt.Errorf("cannot style template: %w", err)
	}
	headings := []string{"Cod indicator", "Perioada", "Valoare", "Explicație"}
	example := []any{"K01", "2026-10", 93.5, "Două petiții au depășit termenul din cauza concediilor."}
	widths := []float64{16, 14, 12, 60}
	for i, h := range headings {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, cell, h); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, bold); err != nil {
			return err
		}
		cell, _ = excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellValue(sheet, cell, example[i]); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, widths[i]); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("cannot write template: %w", err)
	}
	return nil
}
