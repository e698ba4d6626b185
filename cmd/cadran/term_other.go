//go:build !linux && !windows

package main

import "os"

// withoutEcho is not implemented here: the password is read as a plain
// line, so pipe it or set CADRAN_PASSWORD instead of typing it.
func withoutEcho(f *os.File, read func() (string, error)) (string, bool, error) {
	return "", false, nil
}
