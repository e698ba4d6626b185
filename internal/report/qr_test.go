package report

import (
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// svgDark counts the dark modules an SVG from QRSVG paints: its path is
// runs "Mx yhNv1h-Nz", each N modules long. It also checks the runs do
// not overlap, so the count is the painted area.
func svgDark(t *testing.T, svg string, size int) int {
	t.Helper()
	var doc struct {
		XMLName xml.Name
		Role    string `xml:"role,attr"`
		ViewBox string `xml:"viewBox,attr"`
		Title   string `xml:"title"`
		Path    struct {
			D string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("the SVG does not parse: %v", err)
	}
	if doc.XMLName.Local != "svg" || doc.Role != "img" {
		t.Fatalf("root %q role %q, want an svg with role img", doc.XMLName.Local, doc.Role)
	}
	if want := "0 0 " + strconv.Itoa(size) + " " + strconv.Itoa(size); doc.ViewBox != want {
		t.Errorf("viewBox %q, want %q", doc.ViewBox, want)
	}
	run := regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	if rest := run.ReplaceAllString(doc.Path.D, ""); rest != "" {
		t.Fatalf("the path holds more than runs: %q", rest)
	}
	seen := map[[2]int]bool{}
	n := 0
	for _, m := range run.FindAllStringSubmatch(doc.Path.D, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		l, _ := strconv.Atoi(m[3])
		if m[3] != m[4] || l <= 0 {
			t.Fatalf("a run does not close: %q", m[0])
		}
		for i := 0; i < l; i++ {
			if seen[[2]int{x + i, y}] {
				t.Fatalf("module %d,%d painted twice", x+i, y)
			}
			if x+i >= size || y >= size {
				t.Fatalf("module %d,%d outside the %d-module symbol", x+i, y, size)
			}
			seen[[2]int{x + i, y}] = true
			n++
		}
	}
	return n
}

func TestQRSVG(t *testing.T) {
	for _, c := range []struct {
		content     string
		minV, maxV  int
		title, want string
	}{
		{"https://cadran.example.ro/f/4322823/URB-CU", 3, 5, "Cod QR: Cum v-am servit?", "Cod QR: Cum v-am servit?"},
		{"x", 1, 1, "", ""},
		{"https://primaria.example.ro/f/12345678/STARE-CIVILA-CERTIFICAT-DE-NASTERE-DUPLICAT", 4, 7, `a <b> & "c"`, `a <b> & "c"`},
	} {
		q, err := QRCode(c.content)
		if err != nil {
			t.Fatal(err)
		}
		if q.Version < c.minV || q.Version > c.maxV {
			t.Errorf("%q: version %d, want %d to %d", c.content, q.Version, c.minV, c.maxV)
		}
		// The symbol is 17+4v modules, with a quiet zone of 4 on each side.
		if want := 17 + 4*q.Version + 8; q.Size() != want {
			t.Errorf("%q: %d modules wide, want %d", c.content, q.Size(), want)
		}
		dark := 0
		for y, row := range q.Modules {
			if len(row) != q.Size() {
				t.Fatalf("row %d has %d modules", y, len(row))
			}
			for x, on := range row {
				if on {
					dark++
					if x < 4 || y < 4 || x >= q.Size()-4 || y >= q.Size()-4 {
						t.Fatalf("%q: dark module %d,%d in the quiet zone", c.content, x, y)
					}
				}
			}
		}
		// The top-left finder pattern: a dark 7×7 ring.
		for i := 0; i < 7; i++ {
			if !q.Modules[4][4+i] || !q.Modules[4+i][4] || q.Modules[5][5] {
				t.Fatalf("%q: no finder pattern at the top left", c.content)
			}
		}
		svg, err := QRSVG(c.content, c.title)
		if err != nil {
			t.Fatal(err)
		}
		if got := svgDark(t, svg, q.Size()); got != dark {
			t.Errorf("%q: the SVG paints %d modules, the bitmap has %d", c.content, got, dark)
		}
		if c.want != "" && !strings.Contains(svg, "<title>a &lt;b&gt; &amp; &#34;c&#34;</title>") && !strings.Contains(svg, "<title>"+c.want+"</title>") {
			t.Errorf("%q: the title is missing or unescaped: %s", c.content, svg[:min(300, len(svg))])
		}
		if strings.Contains(svg, "<b>") {
			t.Error("the title was not escaped")
		}
	}
}

func TestQRCodeTooLong(t *testing.T) {
	if _, err := QRCode(strings.Repeat("ș", 3000)); err == nil {
		t.Fatal("a text beyond the largest QR version was encoded")
	}
}

func TestQRPosterPDF(t *testing.T) {
	var buf bytes.Buffer
	p := QRPoster{Institution: "Primăria Târgu Verde", Service: "URB-CU · Certificat de urbanism", Headline: "Cum v-am servit? Scanați codul",
		Hint: "Evaluarea este anonimă și durează un minut.", LinkLabel: "sau deschideți", Link: "https://cadran.example.ro/f/4322823/URB-CU", Footer: "Cadran · Ședința de lucru"}
	if err := WriteQRPosterPDF(&buf, p); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatal("not a PDF")
	}
	pages := pdfPages(t, buf.Bytes())
	if len(pages) != 1 {
		t.Fatalf("%d pages, want one", len(pages))
	}
	for _, want := range []string{"Primăria Târgu Verde", "Certificat de urbanism", "Cum v-am servit?", "Scanați", "anonimă și durează", p.Link, "Ședința"} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("the poster lacks %q:\n%s", want, pages[0])
		}
	}
	// The code is drawn as filled rectangles: at least one per row of runs.
	q, _ := QRCode(p.Link)
	if n := bytes.Count(rawStreams(t, buf.Bytes()), []byte(" re f")); n < len(q.runs()) {
		t.Errorf("%d filled rectangles, want %d (one per run)", n, len(q.runs()))
	}
}

// rawStreams inflates every stream of a PDF and joins them, for counting
// drawing operators.
func rawStreams(t *testing.T, b []byte) []byte {
	t.Helper()
	var out []byte
	for {
		i := bytes.Index(b, []byte("stream"))
		if i < 0 {
			return out
		}
		b = b[i+len("stream"):]
		b = bytes.TrimLeft(b, "\r\n")
		j := bytes.Index(b, []byte("endstream"))
		if j < 0 {
			return out
		}
		if r, err := zlib.NewReader(bytes.NewReader(b[:j])); err == nil {
			data, _ := io.ReadAll(r)
			out = append(out, data...)
		} else {
			out = append(out, b[:j]...)
		}
		b = b[j+len("endstream"):]
	}
}
