package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"protokol/internal/config"
	"protokol/internal/data"
	"protokol/internal/esdh"
)

// isExport: the input is a case system's export (--from, an .xml file or
// a directory).
func isExport(job *config.Job) bool {
	if job.From != "" {
		return true
	}
	if strings.EqualFold(filepath.Ext(job.Input), ".xml") {
		return true
	}
	fi, err := os.Stat(job.Input)
	return err == nil && fi.IsDir()
}

// readExport reads an export into our JSON, saying on stderr what was
// left out; files are the attachments' files in the export's directory
// (nil when it names none), read through an os.Root, so no name leaves
// it.
func readExport(job *config.Job, stdin io.Reader, stderr io.Writer) (body []byte, files fs.FS, closeDir func(), err error) {
	closeDir = func() {}
	format := esdh.Format(job.From)
	if format == "auto" {
		format = ""
	}
	o := esdh.Options{Municipality: job.Municipality, Location: job.Location}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, dir, err := importPath(ctx, job.Input, format, o, stdin)
	if err != nil {
		return nil, nil, closeDir, err
	}
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "protokol: %s: %s\n", job.Input, p.Text(string(job.Options.Lang)))
	}
	if body, err = res.JSON(); err != nil {
		return nil, nil, closeDir, err
	}
	if dir != nil && len(res.Files) > 0 {
		files, closeDir = res.FS(dir.FS()), func() { dir.Close() }
	} else if dir != nil {
		dir.Close()
	}
	return body, files, closeDir, nil
}

// importPath reads the export at name: a directory (ImportDir), a file,
// or "-"; dir is the export's directory, opened as an os.Root.
func importPath(ctx context.Context, name string, f esdh.Format, o esdh.Options, stdin io.Reader) (*esdh.Result, *os.Root, error) {
	if name == "-" {
		b, err := readInput(name, stdin)
		if err != nil {
			return nil, nil, err
		}
		res, err := esdh.Import(ctx, f, b, o)
		return res, nil, err
	}
	fi, err := os.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	dirName := filepath.Dir(name)
	if fi.IsDir() {
		dirName = name
	}
	dir, err := os.OpenRoot(dirName)
	if err != nil {
		return nil, nil, err
	}
	var res *esdh.Result
	if fi.IsDir() {
		res, err = esdh.ImportDir(ctx, dir.FS(), f, o)
	} else {
		var b []byte
		if b, err = readInput(name, stdin); err == nil {
			res, err = esdh.Import(ctx, f, b, o)
		}
	}
	if err != nil {
		dir.Close()
		return nil, nil, err
	}
	return res, dir, nil
}

// importCommand: protokol import FORMAT FILE|DIR [-o out.json]: the
// export as our JSON, to check and edit; exit 1 when it is not a valid
// meeting yet (the problems are listed), 0 when it is.
func importCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	job, out, err := config.ParseImport(args, os.Getenv, stdout)
	if err != nil {
		return usageError(stderr, err)
	}
	format := esdh.Format(job.From)
	if format == "auto" {
		format = ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), job.Timeout)
	defer cancel()
	lang := string(job.Options.Lang)
	res, dir, err := importPath(ctx, job.Input, format, esdh.Options{Municipality: job.Municipality, Location: job.Location}, stdin)
	if xe := (*esdh.Error)(nil); errors.As(err, &xe) {
		fmt.Fprintln(stderr, "protokol:", xe.Text(lang))
		return 1
	} else if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	if dir != nil {
		dir.Close()
	}
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "protokol: %s: %s\n", job.Input, p.Text(lang))
	}
	body, err := res.JSON()
	if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	if err := writeOutput(out, stdout, append(body, '\n')); err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	say := importSaying[lang == "da"]
	kind := say.kind[res.Minutes]
	_, verr := data.DecodeMeeting(body)
	var ve *data.ValidationError
	if errors.As(verr, &ve) {
		fmt.Fprintf(stderr, say.edit, res.Format, kind)
		for _, fe := range ve.In(lang).Errors {
			if lang == "da" && fe.Location != "" {
				fmt.Fprintf(stderr, "  %s (%s): %s\n", fe.Location, fe.Field, fe.Message)
			} else {
				fmt.Fprintf(stderr, "  %s\n", fe.Error())
			}
		}
		return 1
	}
	fmt.Fprintf(stderr, say.read, res.Format, kind, len(res.Meeting.Items))
	return 0
}

// importSaying is what import says at the end, in Danish (true) or English.
var importSaying = map[bool]struct {
	kind       map[bool]string // by minutes
	edit, read string
}{
	false: {map[bool]string{false: "agenda", true: "minutes"}, "protokol: the %s export's %s needs editing before it renders:\n", "protokol: read the %s export's %s: %d items\n"},
	true:  {map[bool]string{false: "dagsorden", true: "referat"}, "protokol: %s-eksportens %s skal rettes, før den kan dannes:\n", "protokol: læste %s-eksportens %s: %d punkter\n"},
}
