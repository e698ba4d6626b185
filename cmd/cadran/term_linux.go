package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// withoutEcho runs read with the terminal f's echo turned off, so a typed
// password does not show. ok is false when f is not a terminal.
func withoutEcho(f *os.File, read func() (string, error)) (s string, ok bool, err error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return "", false, nil
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return "", false, nil
	}
	defer unix.IoctlSetTermios(fd, unix.TCSETS, old) //nolint:errcheck
	s, err = read()
	return s, true, err
}
