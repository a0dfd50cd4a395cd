package seal

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A seal's problems are kept as their format and arguments, as the
// contract's problems are (package data), so a Danish reader gets them
// in Danish: the format translated, an error's text by the messages of
// this package it is made of, a time in Danish time. What the catalog
// does not know (an x509 error's own words) stays English.
type problem struct {
	format string
	args   []any
}

// problem adds a problem to the seal.
func (s *Seal) problem(format string, args ...any) {
	s.found = append(s.found, problem{format, args})
	s.Problems = append(s.Problems, problem{format, args}.in("en"))
}

// In is the report with its problems in lang ("da" or "en").
func (r *Report) In(lang string) *Report {
	out := &Report{Seals: slices.Clone(r.Seals)}
	for i := range out.Seals {
		s := &out.Seals[i]
		s.Problems = nil
		for _, p := range s.found {
			s.Problems = append(s.Problems, p.in(lang))
		}
	}
	return out
}

func (p problem) in(lang string) string {
	format, args := p.format, slices.Clone(p.args)
	if lang == "da" {
		if d, ok := danishFormats[format]; ok {
			format = d
		}
	}
	for i, a := range args {
		switch a := a.(type) {
		case time.Time:
			args[i] = timeIn(a, lang)
		case error:
			if lang == "da" {
				args[i] = danishText(a.Error())
			}
		}
	}
	return fmt.Sprintf(format, args...)
}

// timeIn is a time for a reader: RFC 3339 in English, Danish time in
// Danish.
func timeIn(t time.Time, lang string) string {
	if lang != "da" {
		return t.Format(time.RFC3339)
	}
	if cph, err := time.LoadLocation("Europe/Copenhagen"); err == nil {
		t = t.In(cph)
	}
	return t.Format("02.01.2006 kl. 15.04")
}

// danishText is one of this package's error texts in Danish: a whole
// message, or a known beginning with the rest translated in turn.
func danishText(s string) string {
	if d, ok := danishErrors[s]; ok {
		return d
	}
	for _, p := range danishPrefixes {
		if rest, ok := strings.CutPrefix(s, p[0]); ok {
			return p[1] + danishText(rest)
		}
	}
	return s
}

var danishFormats = map[string]string{
	"%v": "%v",
	"the signature does not cover the whole file: something was added or changed after it":                      "seglet dækker ikke hele filen: noget er tilføjet eller ændret efter forseglingen",
	"the timestamp's authority does not chain to a trust anchor, so its time proves nothing: %v":                "tidsstemplets udsteder fører ikke til et betroet rodcertifikat, så tidspunktet beviser intet: %v",
	"the timestamp's authority was revoked on %v, before the time it gives":                                     "tidsstemplets udsteder blev spærret %v, før det tidspunkt stemplet angiver",
	"no trust anchors were given (--trust), so the certificate is not checked against any":                      "der er ikke angivet betroede rodcertifikater (--trust), så certifikatet er ikke tjekket mod nogen",
	"the certificate does not chain to a trust anchor: %v":                                                      "certifikatet fører ikke til et betroet rodcertifikat: %v",
	"a certificate of the chain was revoked on %v, after the timestamp shows the seal was made: the seal holds": "et certifikat i kæden blev spærret %v, efter at tidsstemplet viser, at seglet blev sat: seglet holder",
	"a certificate of the chain was revoked on %v and no trusted timestamp shows the seal is older":             "et certifikat i kæden blev spærret %v, og intet betroet tidsstempel viser, at seglet er ældre",
}

var danishErrors = map[string]string{
	"not a CMS signed data":                                       "ikke en CMS-signatur (signed data)",
	"the signed content cannot be read":                           "det signerede indhold kan ikke læses",
	"the signer's certificate is not in the signature":            "underskriverens certifikat er ikke i signaturen",
	"the signature has no signed attributes":                      "signaturen har ingen signerede attributter",
	"the signed bytes have changed (the digest differs)":          "de signerede bytes er ændret (hashværdien passer ikke)",
	"the signed content type differs from the content's":          "den signerede indholdstype passer ikke til indholdets",
	"the signing certificate attribute names another certificate": "attributten signing-certificate nævner et andet certifikat",
	"the timestamp holds no timestamp information":                "tidsstemplet indeholder ingen tidsstempeloplysninger",
	"the timestamp's hash algorithm is not supported":             "tidsstemplets hashalgoritme understøttes ikke",
	"the timestamp does not stamp this signature":                 "tidsstemplet hører ikke til denne signatur",
}

// danishPrefixes are the beginnings of wrapped errors: [English, Danish].
var danishPrefixes = [][2]string{
	{"the signature does not verify: ", "signaturen kan ikke verificeres: "},
	{"the timestamp's information cannot be read: ", "tidsstemplets oplysninger kan ikke læses: "},
	{"the timestamp: ", "tidsstemplet: "},
	{"the CMS signed data cannot be read: ", "CMS-signaturen kan ikke læses: "},
	{"a certificate in the signature cannot be read: ", "et certifikat i signaturen kan ikke læses: "},
	{"the signature's attributes cannot be read: ", "signaturens attributter kan ikke læses: "},
}
