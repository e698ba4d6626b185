package web

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the API's OpenAPI 3 document, written by hand next to the
// handlers; TestAPIOpenAPIRoutes checks it against the route table and
// validates real answers against its schemas.
//
//go:embed openapi.json
var openAPIDoc []byte

// apiOpenAPI serves the OpenAPI document, to anyone: it describes the API,
// not an institution's data.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(openAPIDoc)
	return err
}
