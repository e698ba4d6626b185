package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"cadran/internal/clock"
	"cadran/internal/db"
	"cadran/internal/web"
)

// routes lists the server's routes, one "METHOD PATTERN" a line, sorted.
// cmd/pagebench reads the GET list to name the pages its crawl never reached.
func (a *app) routes(ctx context.Context, args []string) error {
	c := newCommand("routes", "cadran routes [-method GET]", `
Prints every route the web server answers, one "METHOD PATTERN" a line,
sorted by pattern then method. With -method it prints only that method's
routes; "cadran routes -method GET" is the list cmd/pagebench compares its
crawl against.

It builds the server on a throw-away, empty SQLite database in a temporary
directory: no database of yours is opened.`)
	method := c.fs.String("method", "", "print only the routes of this method (GET, POST)")
	pos, err := a.parse(c, args)
	if err != nil {
		return err
	}
	if err := wantArgs(c, pos); err != nil {
		return err
	}
	list, err := serverRoutes(ctx)
	if err != nil {
		return err
	}
	want := strings.ToUpper(strings.TrimSpace(*method))
	for _, r := range list {
		if want == "" || r[0] == want {
			fmt.Fprintf(a.stdout, "%s %s\n", r[0], r[1])
		}
	}
	return nil
}

// serverRoutes builds the web server the way cadran serve does, on a fresh
// migrated SQLite file that is removed afterwards, and returns its routes
// sorted by pattern, then method.
func serverRoutes(ctx context.Context) ([][2]string, error) {
	dir, err := os.MkdirTemp("", "cadran-routes-")
	if err != nil {
		return nil, fmt.Errorf("cannot make a temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	d, err := db.Open(ctx, filepath.Join(dir, "routes.db"))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx, clock.System{}.Now()); err != nil {
		return nil, err
	}
	s, err := web.New(web.Options{DB: d, Version: version})
	if err != nil {
		return nil, err
	}
	list := s.Routes()
	sort.Slice(list, func(i, j int) bool {
		if list[i][1] != list[j][1] {
			return list[i][1] < list[j][1]
		}
		return list[i][0] < list[j][0]
	})
	return list, nil
}
