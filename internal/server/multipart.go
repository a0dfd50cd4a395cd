package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/gin-gonic/gin"

	"protokol/internal/data"
)

// isMultipart reports whether the request is a multipart upload: a
// meeting with its attachments' files.
func isMultipart(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// maxParts bounds the parts of an upload: the meeting and at most the
// attachments a meeting may have (data's list limits), with room.
const maxParts = 10_000

// readParts splits a multipart body, already read within the body limit,
// into the meeting's JSON (the part named "meeting", or a case system's
// export: its Content-Type says which) and the files (the
// parts with a file name, by that name exactly as sent). Every problem
// of the upload is reported at once, each naming its part.
func readParts(c *gin.Context, body []byte) (meeting []byte, meetingType string, files map[string][]byte, total int, err error) {
	_, params, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	boundary := params["boundary"]
	if boundary == "" {
		return nil, "", nil, 0, badRequest("Content-Type", "multipart/form-data needs a boundary parameter")
	}
	var ps data.Problems
	bad := ps.Add
	files = map[string][]byte{}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	seenMeeting := false
	var arrived []string // what came, for a message that says what is missing
	for n := 0; ; n++ {
		p, err := r.NextRawPart() // raw: the file name as sent, a path not cut to its last element
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", nil, 0, badRequest("body", "is not a well-formed multipart body: "+err.Error())
		}
		if n >= maxParts {
			return nil, "", nil, 0, badRequest("body", fmt.Sprintf("has more than %d parts", maxParts))
		}
		_, disp, derr := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		name, file := disp["name"], disp["filename"]
		if len(arrived) < 10 {
			desc := fmt.Sprintf("%q", name)
			if file != "" {
				desc += fmt.Sprintf(" (file %q)", file)
			}
			arrived = append(arrived, desc)
		}
		content, rerr := io.ReadAll(p) // bounded by the body, already in memory
		if rerr != nil {
			return nil, "", nil, 0, badRequest("body", "is not a well-formed multipart body: "+rerr.Error())
		}
		switch {
		case derr != nil:
			bad(fmt.Sprintf("part %d", n+1), "has no readable Content-Disposition: %v", derr)
		case name == "meeting":
			// the JSON by its name, with a file name or without: curl's
			// -F 'meeting=@file.json' sends one
			if seenMeeting {
				bad("meeting", "is sent twice; send the meeting's JSON in one part")
			}
			seenMeeting = true
			meeting, meetingType = content, p.Header.Get("Content-Type")
		case file != "":
			if msg := data.CheckFileName(file); msg != "" {
				bad(file, "%s", msg)
			} else if _, dup := files[file]; dup {
				bad(file, "is sent twice")
			} else {
				files[file] = content
				total += len(content)
			}
		default:
			bad(name, "is not a part of this upload: send the meeting's JSON as the part named \"meeting\" and each attachment's PDF as a part with its file name")
		}
	}
	if !seenMeeting {
		got := "no parts"
		if len(arrived) > 0 {
			got = "the parts " + strings.Join(arrived, ", ")
		}
		bad("meeting", "is missing: send the meeting's JSON as the part named \"meeting\"; the upload has %s", got)
	}
	if err := badRequests(&ps); err != nil {
		return nil, "", nil, 0, err
	}
	return meeting, meetingType, files, total, nil
}
