package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"
	"unicode/utf8"
)

// Rows delivers a table's rows one at a time, in order: it calls emit for
// each and stops at emit's first error, which it returns. emit does not
// keep the row, so a producer may reuse its slice.
type Rows func(emit func(row []any) error) error

// Stream is a Table whose rows are read as they are written (a long
// register, page by page from the database) rather than held in memory.
type Stream struct {
	Sheet   string
	Headers []string
	Rows    Rows
	mem     [][]any // the rows, when they are in memory already (Table.Stream)
}

// Stream gives t as a Stream.
func (t Table) Stream() Stream {
	return Stream{Sheet: t.Sheet, Headers: t.Headers, mem: t.Rows, Rows: func(emit func([]any) error) error {
		for _, row := range t.Rows {
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}}
}

// each calls emit for every row of s.
func (s Stream) each(emit func([]any) error) error {
	if s.Rows == nil {
		return nil
	}
	return s.Rows(emit)
}

// WriteCSVStream is WriteCSV for rows read as they are written: each row
// goes out as soon as it comes, so the file is never whole in memory.
func WriteCSVStream(w io.Writer, s Stream) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(s.Headers); err != nil {
		return fmt.Errorf("cannot write header: %w", err)
	}
	rec := make([]string, 0, len(s.Headers))
	n := 0
	err := s.each(func(row []any) error {
		n++
		rec = rec[:0]
		for _, c := range row {
			rec = append(rec, csvCell(c))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("cannot write row %d: %w", n, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// spill keeps the rows of a sheet while its column widths are measured:
// the widths go before the first row of a sheet, and fit the longest cell
// of each column, so every row has to be seen before any is written. The
// rows are kept in a compact form, in memory up to spillMemory and in a
// temporary file past it; cells of a kind it does not encode (rare) stay
// in memory as they are.
type spill struct {
	mem    bytes.Buffer
	file   *os.File
	w      *bufio.Writer
	others []any
	rows   int
	buf    []byte
}

// spillMemory is how much of a sheet's rows stays in memory before they go
// to a temporary file (a variable for the tests).
var spillMemory = 1 << 20

// The kinds of cell a spill encodes.
const (
	cellNil byte = iota
	cellString
	cellTrue
	cellFalse
	cellInt
	cellInt64
	cellFloat64
	cellTime
	cellOther // an index into others
)

func (sp *spill) writer() io.Writer {
	if sp.w != nil {
		return sp.w
	}
	return &sp.mem
}

func (sp *spill) add(row []any) error {
	b := binary.AppendUvarint(sp.buf[:0], uint64(len(row)))
	for _, c := range row {
		switch v := c.(type) {
		case nil:
			b = append(b, cellNil)
		case string:
			b = append(b, cellString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case bool:
			if v {
				b = append(b, cellTrue)
			} else {
				b = append(b, cellFalse)
			}
		case int:
			b = binary.AppendVarint(append(b, cellInt), int64(v))
		case int64:
			b = binary.AppendVarint(append(b, cellInt64), v)
		case float64:
			b = binary.LittleEndian.AppendUint64(append(b, cellFloat64), math.Float64bits(v))
		case time.Time:
			// The binary form keeps the instant and the zone's offset,
			// which is all a workbook's date reads.
			tb, err := v.MarshalBinary()
			if err != nil {
				b = binary.AppendUvarint(append(b, cellOther), uint64(len(sp.others)))
				sp.others = append(sp.others, v)
				continue
			}
			b = append(b, cellTime, byte(len(tb)))
			b = append(b, tb...)
		default:
			b = binary.AppendUvarint(append(b, cellOther), uint64(len(sp.others)))
			sp.others = append(sp.others, v)
		}
	}
	sp.buf = b
	if _, err := sp.writer().Write(b); err != nil {
		return fmt.Errorf("cannot keep row: %w", err)
	}
	sp.rows++
	if sp.file == nil && sp.mem.Len() > spillMemory {
		f, err := os.CreateTemp("", "cadran-export-*")
		if err != nil {
			return fmt.Errorf("cannot keep rows: %w", err)
		}
		sp.file, sp.w = f, bufio.NewWriterSize(f, 64<<10)
		if _, err := sp.mem.WriteTo(sp.w); err != nil {
			return fmt.Errorf("cannot keep rows: %w", err)
		}
		sp.mem = bytes.Buffer{}
	}
	return nil
}

// replay calls emit for every row kept, in order.
func (sp *spill) replay(emit func([]any) error) error {
	var r *bufio.Reader
	if sp.file != nil {
		if err := sp.w.Flush(); err != nil {
			return fmt.Errorf("cannot keep rows: %w", err)
		}
		if _, err := sp.file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("cannot read rows back: %w", err)
		}
		r = bufio.NewReaderSize(sp.file, 64<<10)
	} else {
		r = bufio.NewReader(bytes.NewReader(sp.mem.Bytes()))
	}
	bad := func(err error) error { return fmt.Errorf("cannot read rows back: %w", err) }
	var row []any
	var tb []byte
	for range sp.rows {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return bad(err)
		}
		row = row[:0]
		for range n {
			kind, err := r.ReadByte()
			if err != nil {
				return bad(err)
			}
			switch kind {
			case cellNil:
				row = append(row, nil)
			case cellString:
				l, err := binary.ReadUvarint(r)
				if err != nil {
					return bad(err)
				}
				sb := make([]byte, l)
				if _, err := io.ReadFull(r, sb); err != nil {
					return bad(err)
				}
				row = append(row, string(sb))
			case cellTrue, cellFalse:
				row = append(row, kind == cellTrue)
			case cellInt, cellInt64:
				v, err := binary.ReadVarint(r)
				if err != nil {
					return bad(err)
				}
				if kind == cellInt {
					row = append(row, int(v))
				} else {
					row = append(row, v)
				}
			case cellFloat64:
				var fb [8]byte
				if _, err := io.ReadFull(r, fb[:]); err != nil {
					return bad(err)
				}
				row = append(row, math.Float64frombits(binary.LittleEndian.Uint64(fb[:])))
			case cellTime:
				l, err := r.ReadByte()
				if err != nil {
					return bad(err)
				}
				if int(l) > cap(tb) {
					tb = make([]byte, l)
				}
				tb = tb[:l]
				if _, err := io.ReadFull(r, tb); err != nil {
					return bad(err)
				}
				var t time.Time
				if err := t.UnmarshalBinary(tb); err != nil {
					return bad(err)
				}
				row = append(row, t)
			case cellOther:
				i, err := binary.ReadUvarint(r)
				if err != nil || i >= uint64(len(sp.others)) {
					return bad(errors.Join(err, errors.New("bad cell")))
				}
				row = append(row, sp.others[i])
			default:
				return bad(fmt.Errorf("unknown cell kind %d", kind))
			}
		}
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// close removes the temporary file, if there is one.
func (sp *spill) close() {
	if sp.file != nil {
		name := sp.file.Name()
		sp.file.Close()
		os.Remove(name)
		sp.file = nil
	}
}

// cellWidth is how wide a cell reads, in characters.
func cellWidth(c any) int {
	switch v := c.(type) {
	case string:
		return utf8.RuneCountInString(v)
	case nil:
		return len("<nil>")
	}
	return utf8.RuneCountInString(fmt.Sprint(c))
}
