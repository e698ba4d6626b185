package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPutOpenRoundTrip(t *testing.T) {
	s, dir := openStore(t)
	content := []byte("Procedură operațională privind arhivarea documentelor")

	sum, size, err := s.Put(bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if sum != sha(content) || size != int64(len(content)) {
		t.Fatalf("Put = %s, %d; want %s, %d", sum, size, sha(content), len(content))
	}
	if !s.Has(sum) {
		t.Fatal("Has = false after Put")
	}
	f, err := s.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, content) {
		t.Fatalf("read back %q", got)
	}
	want := []string{sum[:2] + "/" + sum[2:4] + "/" + sum}
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
}

func TestPutAtLimitAndEmpty(t *testing.T) {
	s, _ := openStore(t)
	if _, size, err := s.Put(strings.NewReader("12345"), 5); err != nil || size != 5 {
		t.Fatalf("content exactly at the limit: size %d, err %v", size, err)
	}
	sum, size, err := s.Put(strings.NewReader(""), 0)
	if err != nil || size != 0 || sum != sha(nil) {
		t.Fatalf("empty content: %s %d %v", sum, size, err)
	}
}

func TestPutDedupe(t *testing.T) {
	s, dir := openStore(t)
	content := []byte("același conținut")
	sum1, _, err := s.Put(bytes.NewReader(content), 1024)
	if err != nil {
		t.Fatal(err)
	}
	sum2, _, err := s.Put(bytes.NewReader(content), 1024)
	if err != nil {
		t.Fatal(err)
	}
	if sum1 != sum2 {
		t.Fatalf("sums differ: %s %s", sum1, sum2)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Fatalf("files = %v, want one copy", got)
	}
}

func TestPutTooLargeLeavesNothing(t *testing.T) {
	s, dir := openStore(t)
	content := bytes.Repeat([]byte("x"), 1001)
	sum, size, err := s.Put(bytes.NewReader(content), 1000)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if sum != "" || size != 0 {
		t.Fatalf("Put returned %q, %d with the error", sum, size)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("files left behind: %v", got)
	}
	if s.Has(sha(content)) {
		t.Fatal("Has = true for refused content")
	}
}

// failingReader fails after giving some bytes, like a dropped connection.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), r.n)
	r.n -= n
	return n, nil
}

func TestPutReadErrorLeavesNothing(t *testing.T) {
	s, dir := openStore(t)
	if _, _, err := s.Put(&failingReader{n: 10}, 1000); err == nil {
		t.Fatal("Put succeeded on a failing reader")
	}
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("files left behind: %v", got)
	}
}

func TestBadSumsRefused(t *testing.T) {
	s, _ := openStore(t)
	good := sha([]byte("x"))
	bad := []string{
		"",
		"../etc/passwd",
		"../../../../../../etc/passwd",
		strings.ToUpper(good),
		good[:63],
		good + "0",
		good[:62] + "/.",
		good[:60] + "/../",
		"ab/cd/" + good,
		strings.Repeat("g", 64),
	}
	for _, sum := range bad {
		if f, err := s.Open(sum); err == nil {
			f.Close()
			t.Errorf("Open(%q) succeeded", sum)
		} else if errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) = %v; a malformed sum must not look like a missing blob", sum, err)
		}
		if s.Has(sum) {
			t.Errorf("Has(%q) = true", sum)
		}
	}
}

func TestOpenMissing(t *testing.T) {
	s, _ := openStore(t)
	_, err := s.Open(sha([]byte("never stored")))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}

// A symbolic link planted inside the store must not lead reads outside it:
// os.Root refuses to follow it.
func TestSymlinkEscapeRefused(t *testing.T) {
	s, dir := openStore(t)
	outside := t.TempDir()
	secret := []byte("secret")
	sum := sha(secret)
	if err := os.MkdirAll(filepath.Join(outside, sum[2:4]), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, sum[2:4], sum), secret, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, sum[:2])); err != nil {
		t.Skipf("cannot create symlink: %v", err)
	}
	if f, err := s.Open(sum); err == nil {
		f.Close()
		t.Fatal("Open followed a symlink out of the store")
	}
}

func TestConcurrentPutSameContent(t *testing.T) {
	s, dir := openStore(t)
	content := bytes.Repeat([]byte("Regulament de organizare și funcționare\n"), 5000)
	const n = 8
	sums := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sums[i], _, errs[i] = s.Put(bytes.NewReader(content), 1<<20)
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Put %d: %v", i, errs[i])
		}
		if sums[i] != sha(content) {
			t.Fatalf("Put %d: sum %s", i, sums[i])
		}
	}
	if got := files(t, dir); len(got) != 1 {
		t.Fatalf("files = %v, want one blob and no temp files", got)
	}
	f, err := s.Open(sums[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, _ := io.ReadAll(f)
	if !bytes.Equal(got, content) {
		t.Fatal("stored content differs")
	}
}

func TestOpenSweepsStaleTemp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	stale := filepath.Join(dir, tmpDir, "stale")
	fresh := filepath.Join(dir, tmpDir, "fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleTemp)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}

	s, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file kept: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
}
