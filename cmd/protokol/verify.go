package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"protokol/internal/config"
	"protokol/internal/locale"
	"protokol/internal/seal"
)

// verifyCommand says of each PDF named (or found in a directory named)
// whether it carries a seal, who sealed it, when, whether every byte
// after it is covered and whether its certificate chains to the trust
// anchors; exit 0 only when every file's seals are valid, 1 when one is
// not, has none or cannot be read. An archive of sealed minutes is
// checked in one command.
func verifyCommand(args []string, stdout, stderr io.Writer) int {
	v, err := config.ParseVerify(args, os.Getenv, stdout)
	if err != nil {
		return usageError(stderr, err)
	}
	trust, err := seal.LoadTrust(v.Trust, v.CRL)
	if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	files, one, err := pdfFiles(v.Files)
	if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	var tally [4]int // holds, does not hold, no seal, not read
	for _, file := range files {
		rep, err := verifyFile(file, trust, v.Lang)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "protokol: %s: %v\n", file, err)
			tally[3]++
			continue
		case v.JSON && one:
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(rep)
		case v.JSON:
			_ = json.NewEncoder(stdout).Encode(struct {
				File string `json:"file"`
				*seal.Report
			}{file, rep})
		default:
			printReport(stdout, file, rep, v.Lang)
		}
		tally[verdict(rep)]++
	}
	if !one && !v.JSON {
		if v.Lang == "da" {
			fmt.Fprintf(stdout, "%d filer: %d holder, %d holder ikke, %d uden segl, %d kunne ikke læses\n", len(files), tally[0], tally[1], tally[2], tally[3])
		} else {
			fmt.Fprintf(stdout, "%d files: %d hold, %d do not, %d without a seal, %d could not be read\n", len(files), tally[0], tally[1], tally[2], tally[3])
		}
	}
	if tally[0] != len(files) || len(files) == 0 {
		return 1
	}
	return 0
}

// verifyFile checks one file's seals, within a minute.
func verifyFile(file string, trust *seal.Trust, lang locale.Lang) (*seal.Report, error) {
	b, err := seal.ReadPDF(file)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := seal.Verify(ctx, b, trust)
	if err != nil {
		return nil, err
	}
	return rep.In(string(lang)), nil
}

// verdict: 0 every seal holds, 1 one does not, 2 there is none.
func verdict(rep *seal.Report) int {
	if len(rep.Seals) == 0 {
		return 2
	}
	for _, s := range rep.Seals {
		if !s.Valid() {
			return 1
		}
	}
	return 0
}

// pdfFiles are the files named and the PDFs under the directories named
// (at any depth, in name order, hidden directories skipped); one: a
// single file was named, answered as before.
func pdfFiles(args []string) (files []string, one bool, err error) {
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() {
			files = append(files, a) // its error is the file's own
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && p != a && strings.HasPrefix(d.Name(), "."):
				return fs.SkipDir
			case d.Type().IsRegular() && strings.EqualFold(filepath.Ext(p), ".pdf"):
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, false, err
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	return files, len(args) == 1 && len(files) == 1 && files[0] == args[0], nil
}

// printReport writes the four answers for a person, in lang.
func printReport(w io.Writer, file string, rep *seal.Report, lang locale.Lang) {
	da := lang == "da"
	say := func(daText, enText string, args ...any) {
		if da {
			fmt.Fprintf(w, daText+"\n", args...)
		} else {
			fmt.Fprintf(w, enText+"\n", args...)
		}
	}
	if len(rep.Seals) == 0 {
		say("%s: intet segl", "%s: no seal", file)
		return
	}
	at := func(t time.Time) string {
		if cph, err := time.LoadLocation("Europe/Copenhagen"); err == nil && da {
			t = t.In(cph) // Danish time for a Danish reader (the zone database is in the binary)
		}
		return t.Format(time.RFC3339)
	}
	yes := func(b bool) string {
		switch {
		case b && da:
			return "ja"
		case da:
			return "NEJ"
		case b:
			return "yes"
		}
		return "NO"
	}
	for i, s := range rep.Seals {
		say("%s: segl %d af %d", "%s: seal %d of %d", file, i+1, len(rep.Seals))
		say("  Forseglet af:   %s", "  Sealed by:      %s", cmp.Or(s.Organization, s.Signer))
		say("  Certifikat:     %s", "  Certificate:    %s", s.Signer)
		say("  Udstedt af:     %s", "  Issued by:      %s", s.Issuer)
		stamp := [2]string{"tidsstempel fra " + s.TimestampAuthority, "timestamp from " + s.TimestampAuthority}
		if !s.TimeProven {
			stamp = [2]string{stamp[0] + ", som ikke er betroet", stamp[1] + ", not trusted"}
		}
		when := map[string][2]string{"timestamp": stamp,
			"claimed": {"underskriverens egen angivelse", "as the signer claims"}, "none": {"ukendt", "unknown"}}[s.TimeSource]
		if s.Time.IsZero() {
			say("  Tidspunkt:      %s", "  Time:           %s", when[0])
		} else {
			say("  Tidspunkt:      %s (%s)", "  Time:           %s (%s)", at(s.Time), map[bool]string{true: when[0], false: when[1]}[da])
		}
		say("  Uændret:        %s", "  Unchanged:      %s", yes(s.Intact))
		say("  Hele filen:     %s", "  Whole file:     %s", yes(s.CoversWholeFile))
		say("  Betroet:        %s", "  Trusted:        %s", yes(s.Trusted))
		rev := map[string][2]string{seal.RevocationNotChecked: {"ikke tjekket (--crl)", "not checked (--crl)"}, seal.RevocationGood: {"ikke spærret", "not revoked"},
			seal.RevocationUnknown: {"ukendt (ingen gyldig spærreliste fra udstederen)", "unknown (no current list from the issuer)"},
			seal.RevocationRevoked: {"SPÆRRET " + at(s.RevokedAt), "REVOKED " + at(s.RevokedAt)}}[s.Revocation]
		say("  Spærring:       %s", "  Revocation:     %s", map[bool]string{true: rev[0], false: rev[1]}[da])
		for _, p := range s.Problems {
			fmt.Fprintf(w, "  - %s\n", p)
		}
	}
}
