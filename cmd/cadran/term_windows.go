package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// withoutEcho runs read with the console f's echo turned off, so a typed
// password does not show. ok is false when f is not a console.
func withoutEcho(f *os.File, read func() (string, error)) (s string, ok bool, err error) {
	h := windows.Handle(f.Fd())
	var old uint32
	if err := windows.GetConsoleMode(h, &old); err != nil {
		return "", false, nil
	}
	quiet := old&^windows.ENABLE_ECHO_INPUT | windows.ENABLE_PROCESSED_INPUT | windows.ENABLE_LINE_INPUT
	if err := windows.SetConsoleMode(h, quiet); err != nil {
		return "", false, nil
	}
	defer windows.SetConsoleMode(h, old) //nolint:errcheck
	s, err = read()
	return s, true, err
}
