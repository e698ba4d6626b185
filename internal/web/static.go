package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under content-hash names
// (app.3f2a1b9c.css), so browsers may cache them for a year.
type staticFiles struct {
	byHashed map[string]string // hashed name -> file name
	hashed   map[string]string // file name -> hashed name
}

func loadStatic() (*staticFiles, error) {
	st := &staticFiles{byHashed: map[string]string{}, hashed: map[string]string{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		h := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		st.byHashed[h] = e.Name()
		st.hashed[e.Name()] = h
	}
	return st, nil
}

func (st *staticFiles) url(name string) string {
	if h, ok := st.hashed[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) error {
	name, ok := s.static.byHashed[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return nil
	}
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		return err
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Expires", time.Now().AddDate(1, 0, 0).UTC().Format(http.TimeFormat))
	_, err = w.Write(b)
	return err
}
