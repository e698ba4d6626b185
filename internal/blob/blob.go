// Package blob stores uploaded files by the SHA-256 of their content.
//
// A file's name is its hash, so the same upload stored twice is kept once,
// and a name can never be chosen by the person uploading: every path the
// store touches is built from 64 hexadecimal digits and resolved through an
// *os.Root, which refuses anything (.., symbolic links) that leads outside
// the blob directory.
package blob

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"time"
)

// ErrTooLarge reports an upload longer than the limit given to Put.
var ErrTooLarge = errors.New("blob: too large")

// errBadSum is wrapped by Open when the sum is not a lowercase SHA-256 in hex.
var errBadSum = errors.New("blob: malformed sum")

const (
	dirPerm  = 0o750
	filePerm = 0o640
	// tmpDir holds uploads being written. Its name cannot clash with the
	// two-hex-digit fan-out directories.
	tmpDir = "tmp"
	// staleTemp is how old a temporary file must be before Open sweeps it
	// away: it was left by a process that died mid-upload. Younger ones may
	// belong to another process writing into the same directory right now.
	staleTemp = 24 * time.Hour
)

// Store is a content-addressed file store in one directory.
type Store struct {
	root *os.Root
}

// Open opens the store in dir, creating the directory if it is missing.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("cannot create blob directory: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot open blob directory: %w", err)
	}
	if err := root.MkdirAll(tmpDir, dirPerm); err != nil {
		root.Close()
		return nil, fmt.Errorf("cannot create blob temp directory: %w", err)
	}
	s := &Store{root: root}
	s.sweepTemp(time.Now())
	return s, nil
}

// Close releases the directory handle.
func (s *Store) Close() error {
	if err := s.root.Close(); err != nil {
		return fmt.Errorf("cannot close blob directory: %w", err)
	}
	return nil
}

// Put streams r into the store and returns the lowercase hex SHA-256 of
// the content and its size. Content longer than limit bytes is refused with
// ErrTooLarge and nothing is kept. Storing content that is already present
// succeeds and keeps one copy.
func (s *Store) Put(r io.Reader, limit int64) (sum string, size int64, err error) {
	tmp, f, err := s.createTemp()
	if err != nil {
		return "", 0, err
	}
	// Until the rename succeeds the temporary file is ours to remove, on
	// every path out: refused, failed, or already stored.
	defer func() {
		if f != nil {
			f.Close()
		}
		if tmp != "" {
			s.root.Remove(tmp)
		}
	}()

	sum, size, err = copyHashed(f, r, limit)
	if err != nil {
		return "", 0, err
	}
	// Sync before the rename so that a blob visible under its final name is
	// complete on disk even after a power cut.
	if err := f.Sync(); err != nil {
		return "", 0, fmt.Errorf("cannot sync blob: %w", err)
	}
	if err := f.Close(); err != nil {
		f = nil
		return "", 0, fmt.Errorf("cannot close blob: %w", err)
	}
	f = nil

	moved, err := s.keep(tmp, sum)
	if err != nil {
		return "", 0, err
	}
	if moved {
		tmp = ""
	}
	return sum, size, nil
}

// copyHashed copies at most limit bytes of r into w, hashing them on the
// way, and reports ErrTooLarge if r holds more.
func copyHashed(w io.Writer, r io.Reader, limit int64) (string, int64, error) {
	h := sha256.New()
	// One byte past the limit is enough to know the upload is too large
	// without reading the rest of it.
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, max(limit, 0)+1))
	if err != nil {
		return "", 0, fmt.Errorf("cannot write blob: %w", err)
	}
	if n > limit {
		return "", 0, ErrTooLarge
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// keep moves the finished temporary file to the blob's final name, unless
// the same content is already there. It reports whether the file moved; if
// not, the caller still owns (and removes) the temporary file.
func (s *Store) keep(tmp, sum string) (moved bool, err error) {
	name := blobPath(sum)
	if s.Has(sum) {
		return false, nil
	}
	if err := s.root.MkdirAll(path.Dir(name), dirPerm); err != nil {
		return false, fmt.Errorf("cannot create blob directory: %w", err)
	}
	if err := s.root.Rename(tmp, name); err != nil {
		// Another Put of the same content may have won the race; on Windows
		// the rename then fails instead of replacing the file. Either way
		// the content is stored.
		if s.Has(sum) {
			return false, nil
		}
		return false, fmt.Errorf("cannot store blob: %w", err)
	}
	return true, nil
}

// createTemp creates a new, uniquely named file in the temp directory.
func (s *Store) createTemp() (string, *os.File, error) {
	name := path.Join(tmpDir, rand.Text())
	f, err := s.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return "", nil, fmt.Errorf("cannot create blob temp file: %w", err)
	}
	return name, f, nil
}

// sweepTemp removes temporary files left behind by a crash. It is best
// effort: a file it cannot remove is simply tried again at the next Open.
func (s *Store) sweepTemp(now time.Time) {
	entries, err := fs.ReadDir(s.root.FS(), tmpDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < staleTemp {
			continue
		}
		s.root.Remove(path.Join(tmpDir, e.Name()))
	}
}

// Open opens the blob with the given sum for reading. A sum that is not 64
// lowercase hexadecimal digits is refused; a missing blob gives an error
// that wraps fs.ErrNotExist.
func (s *Store) Open(sum string) (*os.File, error) {
	if !validSum(sum) {
		return nil, fmt.Errorf("cannot open blob %q: %w", sum, errBadSum)
	}
	f, err := s.root.Open(blobPath(sum))
	if err != nil {
		return nil, fmt.Errorf("cannot open blob %s: %w", sum, err)
	}
	return f, nil
}

// Has reports whether the blob with the given sum is stored.
func (s *Store) Has(sum string) bool {
	if !validSum(sum) {
		return false
	}
	info, err := s.root.Stat(blobPath(sum))
	return err == nil && info.Mode().IsRegular()
}

// blobPath fans blobs out over two directory levels (ab/cd/abcd…) so that
// no directory grows to hundreds of thousands of entries.
func blobPath(sum string) string {
	return sum[0:2] + "/" + sum[2:4] + "/" + sum
}

// validSum reports whether sum is a SHA-256 in lowercase hex. Nothing else
// may reach blobPath, which is what keeps paths inside the store.
func validSum(sum string) bool {
	if len(sum) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(sum); i++ {
		c := sum[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
