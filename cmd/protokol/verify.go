package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"protokol/internal/config"
	"protokol/internal/locale"
	"protokol/internal/seal"
)

// verifyCommand says whether a PDF carries a seal, who sealed it, when,
// whether every byte after it is covered and whether its certificate
// chains to the trust anchors; exit 0 only when every seal is valid, 1
// when one is not or there is none.
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
	b, err := seal.ReadPDF(v.File)
	if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := seal.Verify(ctx, b, trust)
	if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	rep = rep.In(string(v.Lang))
	if v.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		printReport(stdout, v.File, rep, v.Lang)
	}
	if len(rep.Seals) == 0 {
		return 1
	}
	for _, s := range rep.Seals {
		if !s.Valid() {
			return 1
		}
	}
	return 0
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
		say("  Forseglet af:   %s", "  Sealed by:      %s", s.Signer)
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
