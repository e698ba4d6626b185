package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"cadran/internal/i18n"
)

//go:embed templates
var templatesFS embed.FS

var (
	textTemplates = texttemplate.Must(texttemplate.ParseFS(templatesFS, "templates/*.txt"))
	htmlTemplates = htmltemplate.Must(htmltemplate.ParseFS(templatesFS, "templates/*.html"))
)

// message is a rendered e-mail.
type message struct {
	Subject, Text, HTML string
}

// emailData is what the e-mail templates receive.
type emailData struct {
	l        *i18n.Localizer
	Name     string
	Intro    string
	Title    string
	Details  string
	Due      string
	URL      string
	PrefsURL string
	WorkURL  string
	Digest   *digestData
}

type digestData struct {
	Overdue  []digestLine
	ThisWeek []digestLine
	Later    int
}

type digestLine struct {
	Title, Due, URL string
}

// T translates in the recipient's language.
func (d emailData) T(key string, args ...any) string { return d.l.T(key, args...) }

func (s *Service) localizer(r Recipient) *i18n.Localizer {
	lang := r.Locale
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	return s.Bundle.Localizer(lang)
}

func (s *Service) url(path string) string {
	return strings.TrimSuffix(s.BaseURL, "/") + path
}

// renderNotice writes the e-mail for a notice in r's language.
func (s *Service) renderNotice(n Notice, r Recipient) (message, error) {
	l := s.localizer(r)
	d := emailData{l: l, Name: r.Name, Title: n.Title, Details: n.Details, Due: l.LongDate(dayStart(n.Due)),
		URL: s.url(n.Link), PrefsURL: s.url("/account#notifications"), WorkURL: s.url("/work")}
	args := map[string]any{"Title": n.Title, "By": n.By, "Kind": l.T("task.kind." + n.Kind), "Due": d.Due}
	d.Intro = l.T("mail."+n.Event+".intro", args)
	return render("notice", l.T("mail."+n.Event+".subject", args), d)
}

// renderDigest writes the daily digest in r's language.
func (s *Service) renderDigest(g Digest, r Recipient) (message, error) {
	l := s.localizer(r)
	lines := func(items []DigestItem) []digestLine {
		out := make([]digestLine, len(items))
		for i, it := range items {
			out[i] = digestLine{Title: it.Title, Due: l.Date(dayStart(it.Due)), URL: s.url(it.Link)}
		}
		return out
	}
	d := emailData{l: l, Name: r.Name, PrefsURL: s.url("/account#notifications"), WorkURL: s.url("/work"),
		Digest: &digestData{Overdue: lines(g.Overdue), ThisWeek: lines(g.ThisWeek), Later: g.Later}}
	open := len(g.Overdue) + len(g.ThisWeek) + g.Later
	d.Intro = l.T("mail.digest.intro", map[string]any{"Count": open, "Overdue": len(g.Overdue)})
	return render("digest", l.T("mail.digest.subject", map[string]any{"Date": l.LongDate(dayStart(g.Day)), "Count": open}), d)
}

func render(name, subject string, d emailData) (message, error) {
	var text, html bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&text, name+".txt", d); err != nil {
		return message{}, fmt.Errorf("cannot render %s e-mail: %w", name, err)
	}
	if err := htmlTemplates.ExecuteTemplate(&html, name+".html", d); err != nil {
		return message{}, fmt.Errorf("cannot render %s e-mail: %w", name, err)
	}
	return message{Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

// dayStart places a civil date at noon in Bucharest, so formatting it in
// Bucharest never slips to the day before or after.
func dayStart(day time.Time) time.Time {
	if day.IsZero() {
		return day
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, i18n.Bucharest)
}
