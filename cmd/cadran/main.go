// Command cadran is Cadran's single binary: the web server and the
// administration commands (migrate, user, backup, restore, audit verify).
package main

import (
	"context"
	"io"
	"os"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit status: 0 on success,
// 2 for a usage error, 1 for any other error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return newApp(stdout, stderr).run(ctx, args)
}
