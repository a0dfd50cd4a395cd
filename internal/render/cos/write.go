package cos

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
)

// Writer writes a File.
type Writer struct {
	// Deflate compresses the object streams and the cross-reference
	// stream (zlib format: /FlateDecode).
	Deflate func([]byte) []byte
	// PerStream is how many objects one object stream holds (200 if 0).
	PerStream int
	// Plain are objects written as objects of their own, never packed
	// into an object stream (a signature's dictionary, patched after).
	Plain map[Ref]bool
	// Offsets, when set, receives where each plain object's value begins
	// in the file (after "N 0 obj\n").
	Offsets map[Ref]int
}

// Write writes f to w: streams and the catalog (which some readers look
// for first) as objects of their own, every other object in compressed
// object streams, then a cross-reference stream with the trailer's /Root
// and /Info. The /ID is the first 16 bytes of the SHA-256 of what comes
// before it, so the same objects give the same file.
func (wr *Writer) Write(w io.Writer, f *File) error {
	root, ok := f.Trailer.Get("Root").(Ref)
	if !ok {
		return errors.New("cos: the trailer names no catalog")
	}
	per := wr.PerStream
	if per <= 0 {
		per = 200
	}
	size := len(f.Objects)
	locs := make([]xrefLoc, size)
	var packed []int
	out := &counter{w: bufio.NewWriterSize(w, 64<<10), sum: sha256.New()}
	out.write([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"))
	var b []byte
	for n, v := range f.Objects {
		if v == nil {
			continue
		}
		if _, stream := v.(Streamer); !stream && n != int(root) && !wr.Plain[Ref(n)] {
			packed = append(packed, n)
			continue
		}
		locs[n] = xrefLoc{1, out.n, 0}
		if wr.Offsets != nil {
			wr.Offsets[Ref(n)] = out.n + len(strconv.Itoa(n)) + len(" 0 obj\n")
		}
		b = wr.writeObject(out, b[:0], n, v)
	}
	next := size
	var stms []xrefLoc
	var head, body []byte
	for i := 0; i < len(packed); i += per {
		group := packed[i:min(i+per, len(packed))]
		head, body = head[:0], body[:0]
		for k, n := range group {
			head = strconv.AppendInt(head, int64(n), 10)
			head = append(head, ' ')
			head = strconv.AppendInt(head, int64(len(body)), 10)
			head = append(head, ' ')
			body = f.Objects[n].AppendPDF(body)
			body = append(body, '\n')
			locs[n] = xrefLoc{2, next, k}
		}
		first := len(head)
		stm := &Stream{Dict: NewDict("Type", Name("ObjStm"), "N", Int(len(group)), "First", Int(first), "Filter", Name("FlateDecode")),
			Data: wr.Deflate(append(head, body...))}
		stms = append(stms, xrefLoc{1, out.n, 0})
		b = wr.writeObject(out, b[:0], next, stm)
		next++
	}
	locs = append(locs, stms...)
	wr.xref(out, f.Trailer, locs, next)
	if out.err != nil {
		return out.err
	}
	return out.w.(*bufio.Writer).Flush()
}

// writeObject writes an indirect object, a stream with its data, using
// b as its buffer (returned for the next).
func (wr *Writer) writeObject(out *counter, b []byte, n int, v Value) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, " 0 obj\n"...)
	b = v.AppendPDF(b)
	if s, ok := v.(Streamer); ok {
		out.write(append(b, "\nstream\n"...))
		out.write(s.StreamData())
		b = append(b[:0], "\nendstream"...)
	}
	out.write(append(b, "\nendobj\n"...))
	return b
}

// xrefLoc is where an object is: kind 1 at an offset (a), kind 2 in an
// object stream (a) at an index (b).
type xrefLoc struct{ kind, a, b int }

// xref writes the cross-reference stream (object num, the last): type,
// 4-byte offset or stream, 2-byte index; then the trailer's end.
func (wr *Writer) xref(out *counter, trailer *Dict, locs []xrefLoc, num int) {
	var x []byte
	entry := func(kind byte, a uint32, b uint16) {
		x = append(x, kind, byte(a>>24), byte(a>>16), byte(a>>8), byte(a), byte(b>>8), byte(b))
	}
	entry(0, 0, 65535)
	for _, l := range locs[1:] {
		switch l.kind {
		case 1:
			entry(1, uint32(l.a), 0)
		case 2:
			entry(2, uint32(l.a), uint16(l.b))
		default:
			entry(0, 0, 0)
		}
	}
	at := out.n
	entry(1, uint32(at), 0)
	id := String(hex.EncodeToString(out.sum.Sum(nil)[:16]))
	d := NewDict("Type", Name("XRef"), "Size", Int(num+1), "W", Array{Int(1), Int(4), Int(2)}, "Root", trailer.Get("Root"))
	if info := trailer.Get("Info"); info != nil {
		d.Set("Info", info)
	}
	d.Set("ID", Array{hexString(id), hexString(id)})
	d.Set("Filter", Name("FlateDecode"))
	wr.writeObject(out, nil, num, &Stream{Dict: d, Data: wr.Deflate(x)})
	b := []byte("startxref\n")
	b = strconv.AppendInt(b, int64(at), 10)
	out.write(append(b, "\n%%EOF\n"...))
}

// hexString is an ID: its hex digits as a PDF hex string.
type hexString String

// AppendPDF implements Value.
func (h hexString) AppendPDF(b []byte) []byte {
	return append(append(append(b, '<'), h...), '>')
}

// counter counts what it writes, digests it and keeps the first error.
type counter struct {
	w   io.Writer
	sum interface {
		io.Writer
		Sum([]byte) []byte
	}
	n   int
	err error
}

func (c *counter) write(p []byte) {
	if c.err != nil {
		return
	}
	c.sum.Write(p)
	n, err := c.w.Write(p)
	c.n += n
	c.err = err
}
