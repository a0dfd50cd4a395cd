// Package bounded reads an outsider's file whole, bounded before its
// bytes are held: by the size the file says it has, and by reading at
// most one byte past the bound should it grow while read. Only a regular
// file is opened: a pipe or a device named like a document would hold
// its reader forever at the first read.
package bounded

import (
	"fmt"
	"io"
	"io/fs"
)

// TooLargeError is a file larger than the bound. Size is the size it
// said it had, or -1 when it grew past the bound while it was read.
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	if e.Size >= 0 {
		return fmt.Sprintf("the file is %s; at most %s are read", size(e.Size), size(e.Limit))
	}
	return fmt.Sprintf("the file is larger than %s", size(e.Limit))
}

// NotRegularError is a name that is no regular file (a pipe, a device).
type NotRegularError struct{ Mode fs.FileMode }

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("not a regular file (%s)", e.Mode.Type())
}

// size is n bytes for people: whole MiB from 1 MiB up.
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadFile reads name in fsys, at most limit bytes (a *TooLargeError
// past it, a *NotRegularError for what is no regular file).
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &NotRegularError{fi.Mode()}
	}
	if fi.Size() > limit {
		return nil, &TooLargeError{fi.Size(), limit}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{-1, limit} // it grew since
	}
	return b, nil
}
