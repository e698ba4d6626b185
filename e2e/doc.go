// Package e2e holds Cadran's real-browser end-to-end tests: they start the
// web server in-process on the demo data and drive Debian's headless
// Chromium through it with chromedp, checking what a person sees.
//
// Run them with `go test ./e2e/`. Without /usr/bin/chromium the tests skip,
// except when CI=true, where a missing browser is a failure. Set
// CADRAN_E2E_SHOTS to a directory to keep the full-page screenshots.
package e2e
