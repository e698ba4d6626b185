// Package i18n holds Cadran's message catalogues (Romanian first, English
// second) and the locale rules for dates, numbers and plurals.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Bucharest on machines without a zone database (Windows)

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.toml
var localesFS embed.FS

// Languages Cadran speaks, the default first.
var Languages = []string{"ro", "en"}

// Default is the language of a person who has not chosen one.
const Default = "ro"

// Bundle holds the parsed catalogues.
type Bundle struct {
	b          *goi18n.Bundle
	localizers map[string]*Localizer
	missing    sync.Map
}

// Load parses the embedded catalogues.
func Load() (*Bundle, error) {
	b := goi18n.NewBundle(language.Romanian)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range Languages {
		for _, name := range catalogueFiles(lang) {
			if _, err := b.LoadMessageFileFS(localesFS, name); err != nil {
				return nil, fmt.Errorf("cannot load the %s catalogue: %w", lang, err)
			}
		}
	}
	out := &Bundle{b: b, localizers: map[string]*Localizer{}}
	for _, lang := range Languages {
		tag := language.MustParse(lang)
		out.localizers[lang] = &Localizer{lang: lang, l: goi18n.NewLocalizer(b, lang), p: message.NewPrinter(tag), bundle: out}
	}
	return out, nil
}

// catalogueFiles lists a language's catalogue: the common ro.toml and one
// file per module, such as documents.ro.toml, so a module's words live
// beside each other.
func catalogueFiles(lang string) []string {
	out := []string{"locales/" + lang + ".toml"}
	more, _ := fs.Glob(localesFS, "locales/*."+lang+".toml")
	return append(out, more...)
}

// MustLoad is Load for tests and start-up, where a bad catalogue is a bug.
func MustLoad() *Bundle {
	b, err := Load()
	if err != nil {
		panic(err)
	}
	return b
}

// Localizer returns the localizer for lang, falling back to the default.
func (b *Bundle) Localizer(lang string) *Localizer {
	if l, ok := b.localizers[lang]; ok {
		return l
	}
	return b.localizers[Default]
}

// Supported reports whether lang is one of Cadran's languages.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// Match picks a language from an Accept-Language header.
func Match(acceptLanguage string) string {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if Supported(base) {
			return base
		}
	}
	return Default
}

// Localizer translates messages and formats values for one language.
type Localizer struct {
	// plain caches messages that take no arguments: most of a page's text.
	plain  sync.Map
	lang   string
	l      *goi18n.Localizer
	p      *message.Printer
	bundle *Bundle
}

// Lang is the localizer's language code.
func (l *Localizer) Lang() string { return l.lang }

// T translates key. Args are either one map[string]any of template data or
// alternating name, value pairs; an int "Count" selects the plural form. A
// missing key is logged once and shown as the key itself, never as a blank.
func (l *Localizer) T(key string, args ...any) string {
	if len(args) == 0 {
		if s, ok := l.plain.Load(key); ok {
			return s.(string)
		}
		s := l.localize(key)
		l.plain.Store(key, s)
		return s
	}
	return l.localize(key, args...)
}

func (l *Localizer) localize(key string, args ...any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	data := map[string]any{}
	if len(args) == 1 {
		if m, ok := args[0].(map[string]any); ok {
			data = m
		}
	} else {
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				data[k] = args[i+1]
			}
		}
	}
	if len(data) > 0 {
		cfg.TemplateData = data
		if c, ok := data["Count"]; ok {
			cfg.PluralCount = c
		}
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		if _, seen := l.bundle.missing.LoadOrStore(l.lang+":"+key, true); !seen {
			slog.Warn("missing translation", "lang", l.lang, "key", key, "err", err)
		}
		return key
	}
	return s
}

// Has reports whether the catalogue has key. Without a plural count a
// plural message gives its "other" form and a plain one its text; with one,
// a plain message would be reported missing.
func (l *Localizer) Has(key string) bool {
	_, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: key})
	return err == nil
}

var monthsRO = []string{"ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"}

// Bucharest is where Romanian institutions keep their clocks; dates shown to
// people are in it.
var Bucharest = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		return time.FixedZone("EET", 2*3600)
	}
	return loc
}()

// Date formats a date as people of the language write it: 23.11.2026 or
// 23 Nov 2026.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Bucharest)
	if l.lang == "ro" {
		return t.Format("02.01.2006")
	}
	return t.Format("2 Jan 2006")
}

// LongDate writes the month in words: 23 noiembrie 2026.
func (l *Localizer) LongDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Bucharest)
	if l.lang == "ro" {
		return fmt.Sprintf("%d %s %d", t.Day(), monthsRO[t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}

// DateTime formats a date and a time of day.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return l.Date(t) + " " + t.In(Bucharest).Format("15:04")
}

// Number formats an integer with the language's grouping: 12.345 or 12,345.
func (l *Localizer) Number(n any) string { return l.p.Sprintf("%d", n) }

// Decimal formats a number with the given decimals: 12.345,6 or 12,345.6.
// It is written out by hand rather than through the message printer: a
// scorecard page formats thousands of numbers, and the printer costs a
// tenth of the page (TestDecimalMatchesPrinter keeps the two in step).
func (l *Localizer) Decimal(f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) || decimals < 0 {
		return l.p.Sprintf("%.*f", decimals, f)
	}
	group, point := byte(','), byte('.')
	if l.lang == "ro" {
		group, point = '.', ','
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	b := make([]byte, 0, len(s)+len(s)/3+2)
	if neg {
		b = append(b, '-')
	}
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, group)
		}
		b = append(b, whole[i])
	}
	if frac != "" {
		b = append(b, point)
		b = append(b, frac...)
	}
	return string(b)
}
