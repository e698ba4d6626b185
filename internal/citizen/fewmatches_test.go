package citizen

// SetFewMatches changes the threshold under which a text search starts from
// its matches, so tests cover both ways; it returns the undo.
func SetFewMatches(n int) func() {
	old := fewMatches
	fewMatches = n
	return func() { fewMatches = old }
}
