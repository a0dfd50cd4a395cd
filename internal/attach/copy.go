package attach

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/zlib"
	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// A page is rebuilt from an allowlist. Every object is copied in a role
// (what it is to the page: a font, an image, a colour space …) and a role
// names the keys it keeps and the role of each key's value; any other key
// is dropped, and a value that is not what its role expects is dropped
// with its key. No role reaches a catalog, a page tree, an annotation, an
// action, an embedded file, a form field or metadata, so none of those
// can be copied, whatever a hostile file's resources point at. Names,
// numbers, booleans and strings are values, kept as they are.

type role uint8

const (
	rNone role = iota
	rResources
	rFont
	rFontDescriptor
	rEncoding
	rFontFile // a font program
	rData     // a stream of data (CMap, ICC profile, lookup table), decoded and compressed anew
	rContent  // a content stream, likewise
	rXObject  // a form or an image, by its subtype
	rForm     // a form XObject
	rImage    // an image XObject
	rGState   // a graphics state parameter dictionary
	rSoftMask // a soft mask dictionary
	rFunction // a function, dictionary or stream
	rColorSpace
	rICC
	rPattern
	rShading
	rGroup
	rOC    // an optional content group or membership dictionary
	rPrim  // a dictionary of plain values (CIDSystemInfo, Cal parameters, Style)
	rAttrs // DeviceN attributes
	// maps: a dictionary whose every key names a value of one role
	rMapFont
	rMapXObject
	rMapGState
	rMapColorSpace
	rMapPattern
	rMapShading
	rMapOC
	rMapContent // Type 3 CharProcs
	rMapColorant
	rPrimValue  // plain values and arrays of them, nothing that is a dictionary or a stream
	rImageParms // an image codec's parameters, plain values only (a JBIG2 file's globals, a stream, are left out, and so the image)
)

type streamKind uint8

const (
	noStream streamKind = iota
	dataStream
	imageStream
)

type spec struct {
	keys   map[string]role // allowed keys and their values' roles (rNone: plain values only)
	any    role            // for maps: every key, values of this role
	stream streamKind
}

func keys(rs map[string]role, names ...string) map[string]role {
	for _, n := range names {
		rs[n] = rNone
	}
	return rs
}

var specs = map[role]spec{
	rResources: {keys: keys(map[string]role{"Font": rMapFont, "XObject": rMapXObject, "ExtGState": rMapGState,
		"ColorSpace": rMapColorSpace, "Pattern": rMapPattern, "Shading": rMapShading, "Properties": rMapOC}, "ProcSet")},
	rFont: {keys: keys(map[string]role{"FontDescriptor": rFontDescriptor, "Encoding": rEncoding, "ToUnicode": rData,
		"DescendantFonts": rFont, "CIDSystemInfo": rPrim, "CIDToGIDMap": rData, "CharProcs": rMapContent, "Resources": rResources},
		"Type", "Subtype", "BaseFont", "FirstChar", "LastChar", "Widths", "DW", "W", "DW2", "W2", "FontBBox", "FontMatrix", "Name")},
	rFontDescriptor: {keys: keys(map[string]role{"FontFile": rFontFile, "FontFile2": rFontFile, "FontFile3": rFontFile,
		"CIDSet": rData, "Style": rPrim},
		"Type", "FontName", "FontFamily", "FontStretch", "FontWeight", "Flags", "FontBBox", "ItalicAngle", "Ascent", "Descent",
		"Leading", "CapHeight", "XHeight", "StemV", "StemH", "AvgWidth", "MaxWidth", "MissingWidth", "CharSet", "Lang")},
	rEncoding: {keys: keys(map[string]role{}, "Type", "BaseEncoding", "Differences", "CMapName", "CIDSystemInfo", "WMode", "UseCMap"), stream: dataStream},
	rFontFile: {keys: keys(map[string]role{}, "Length1", "Length2", "Length3", "Subtype"), stream: dataStream},
	rData:     {keys: keys(map[string]role{"CIDSystemInfo": rPrim}, "Type", "CMapName", "WMode", "UseCMap"), stream: dataStream},
	rContent:  {keys: map[string]role{}, stream: dataStream},
	rForm: {keys: keys(map[string]role{"Resources": rResources, "Group": rGroup},
		"Type", "Subtype", "FormType", "BBox", "Matrix"), stream: dataStream},
	rImage: {keys: keys(map[string]role{"ColorSpace": rColorSpace, "Mask": rImage, "SMask": rImage},
		"Type", "Subtype", "Width", "Height", "BitsPerComponent", "Intent", "ImageMask", "Decode", "Interpolate", "SMaskInData", "Matte"),
		stream: imageStream},
	rGState: {keys: keys(map[string]role{"Font": rFont, "BG": rFunction, "BG2": rFunction, "UCR": rFunction, "UCR2": rFunction,
		"TR": rFunction, "TR2": rFunction, "SMask": rSoftMask},
		"Type", "LW", "LC", "LJ", "ML", "D", "RI", "OP", "op", "OPM", "FL", "SM", "SA", "BM", "CA", "ca", "AIS", "TK")},
	rSoftMask: {keys: keys(map[string]role{"G": rForm, "TR": rFunction}, "Type", "S", "BC")},
	rFunction: {keys: keys(map[string]role{"Functions": rFunction},
		"FunctionType", "Domain", "Range", "Size", "BitsPerSample", "Order", "Encode", "Decode", "C0", "C1", "N", "Bounds"),
		stream: dataStream},
	rICC: {keys: keys(map[string]role{"Alternate": rColorSpace}, "N", "Range"), stream: dataStream},
	rPattern: {keys: keys(map[string]role{"Resources": rResources, "Shading": rShading, "ExtGState": rGState},
		"Type", "PatternType", "PaintType", "TilingType", "BBox", "XStep", "YStep", "Matrix"), stream: dataStream},
	rShading: {keys: keys(map[string]role{"ColorSpace": rColorSpace, "Function": rFunction},
		"ShadingType", "Background", "BBox", "AntiAlias", "Domain", "Matrix", "Coords", "Extend",
		"BitsPerCoordinate", "BitsPerComponent", "BitsPerFlag", "Decode", "VerticesPerRow"), stream: dataStream},
	rGroup:         {keys: keys(map[string]role{"CS": rColorSpace}, "Type", "S", "I", "K")},
	rOC:            {keys: keys(map[string]role{"OCGs": rOC}, "Type", "Name", "Intent", "P", "VE")},
	rPrim:          {keys: keys(map[string]role{}, "Registry", "Ordering", "Supplement", "WhitePoint", "BlackPoint", "Gamma", "Matrix", "Range", "Panose")},
	rAttrs:         {keys: keys(map[string]role{"Colorants": rMapColorant, "Process": rAttrs, "ColorSpace": rColorSpace}, "Subtype", "Components")},
	rMapFont:       {any: rFont},
	rMapXObject:    {any: rXObject},
	rMapGState:     {any: rGState},
	rMapColorSpace: {any: rColorSpace},
	rMapColorant:   {any: rColorSpace},
	rMapPattern:    {any: rPattern},
	rMapShading:    {any: rShading},
	rMapOC:         {any: rOC},
	rMapContent:    {any: rContent},
	rPrimValue:     {keys: map[string]role{}},
	rImageParms: {keys: keys(map[string]role{}, "K", "EndOfLine", "EncodedByteAlign", "Columns", "Rows",
		"EndOfBlock", "BlackIs1", "DamagedRowsBeforeError", "ColorTransform")},
}

// streamOnly are the roles whose value must be a stream: as a
// dictionary they are dropped.
var streamOnly = map[role]bool{rFontFile: true, rContent: true, rForm: true, rImage: true, rICC: true,
	rPrimValue: true} // a dictionary is not a plain value

type copyKey struct {
	num  int
	role role
}

// builder writes one object's value.
type builder struct {
	b    []byte
	refs []Ref
}

func (w *builder) ref(to int) {
	w.refs = append(w.refs, Ref{At: len(w.b), To: to})
	w.b = append(w.b, " 0 R"...)
}

// value writes o in role ro. It reports false, having written nothing,
// for a value the role does not take.
func (r *reader) value(w *builder, o types.Object, ro role, depth int) (bool, error) {
	if depth > maxNesting {
		return false, &Error{"is damaged: an object is nested too deep"}
	}
	if err := r.spend(1); err != nil {
		return false, err
	}
	switch v := o.(type) {
	case nil:
		return false, nil
	case types.Name, types.StringLiteral, types.HexLiteral, types.Integer, types.Float, types.Boolean:
		w.b = append(w.b, v.PDFString()...)
		return true, nil
	case types.IndirectRef:
		return r.indirect(w, v, ro, depth)
	case types.Array:
		w.b = append(w.b, '[')
		if ro == rColorSpace && len(v) > 0 {
			return r.colorSpace(w, v, depth)
		}
		for i, e := range v {
			if i > 0 {
				w.b = append(w.b, ' ')
			}
			mark, refs := len(w.b), len(w.refs)
			ok, err := r.value(w, e, ro, depth+1)
			if err != nil {
				return false, err
			}
			if !ok { // dropped, but the array keeps its positions
				w.b, w.refs = append(w.b[:mark], "null"...), w.refs[:refs]
			}
		}
		w.b = append(w.b, ']')
		return true, nil
	case types.Dict:
		if streamOnly[ro] {
			return false, nil
		}
		if ro == rXObject {
			return false, nil // XObjects are streams
		}
		return r.dict(w, v, ro, depth)
	case types.StreamDict:
		// a stream is always its own object: written in place it would
		// be a dictionary without its data
		return false, nil
	}
	return false, nil
}

// indirect writes a reference in role ro: a plain value in place, a
// dictionary, array or stream as an object of its own, copied once per
// object and role.
func (r *reader) indirect(w *builder, v types.IndirectRef, ro role, depth int) (bool, error) {
	t, err := r.deref(v)
	if err != nil {
		return false, err
	}
	switch t.(type) {
	case types.Dict, types.StreamDict, types.Array:
	default:
		return r.value(w, t, ro, depth+1) // a plain value, written in place
	}
	if ro == rXObject {
		if ro = xobjectRole(t); ro == rNone {
			return false, nil
		}
	}
	key := copyKey{v.ObjectNumber.Value(), ro}
	if i, ok := r.copies[key]; ok {
		if i < 0 {
			return false, nil // copied before, and dropped
		}
		w.ref(i)
		return true, nil
	}
	i := len(r.out.Objects)
	r.copies[key] = i
	r.out.Objects = append(r.out.Objects, Object{Dict: []byte("null")})
	obj, ok, err := r.object(t, ro, depth+1)
	if err != nil {
		return false, err
	}
	if !ok {
		r.copies[key] = -1 // the placeholder stays null; nothing refers to it
		return false, nil
	}
	r.out.Objects[i] = obj
	w.ref(i)
	return true, nil
}

// xobjectRole is a form or an image by its subtype; anything else (a
// PostScript XObject, a reference XObject's target) is not drawn.
func xobjectRole(o types.Object) role {
	sd, ok := o.(types.StreamDict)
	if !ok {
		return rNone
	}
	switch sd.Dict["Subtype"] {
	case types.Name("Form"):
		if _, ref := sd.Dict["Ref"]; ref {
			return rNone // its content is another file's page
		}
		return rForm
	case types.Name("Image"):
		return rImage
	}
	return rNone
}

// dict writes a dictionary with the keys its role keeps, in sorted
// order, so identical input gives identical bytes.
func (r *reader) dict(w *builder, d types.Dict, ro role, depth int) (bool, error) {
	sp, ok := specs[ro]
	if !ok {
		return false, nil
	}
	w.b = append(w.b, "<<"...)
	for _, k := range slices.Sorted(maps.Keys(d)) {
		vr, ok := sp.keys[k]
		if sp.any != rNone {
			vr, ok = sp.any, true
		}
		if !ok {
			continue
		}
		mark, refs := len(w.b), len(w.refs)
		w.b = append(append(w.b, types.Name(k).PDFString()...), ' ')
		if vr == rNone {
			vr = rPrimValue
		}
		ok, err := r.value(w, d[k], vr, depth+1)
		if err != nil {
			return false, err
		}
		if !ok {
			w.b, w.refs = w.b[:mark], w.refs[:refs]
			continue
		}
		w.b = append(w.b, ' ')
	}
	w.b = append(w.b, ">>"...)
	return true, nil
}

// colorSpace writes a colour space array: each family's operands in
// their roles. w has the opening bracket.
func (r *reader) colorSpace(w *builder, a types.Array, depth int) (bool, error) {
	family, _ := a[0].(types.Name)
	var roles []role
	switch family {
	case "ICCBased":
		roles = []role{rICC}
	case "Indexed", "I":
		roles = []role{rColorSpace, rNone, rData} // base, hival, lookup (a string, or a stream)
	case "Separation":
		roles = []role{rNone, rColorSpace, rFunction}
	case "DeviceN":
		roles = []role{rNone, rColorSpace, rFunction, rAttrs}
	case "Pattern":
		roles = []role{rColorSpace}
	case "CalRGB", "CalGray", "Lab":
		roles = []role{rPrim}
	case "DeviceRGB", "DeviceGray", "DeviceCMYK", "RGB", "G", "CMYK":
	default:
		return false, nil
	}
	if len(a) > len(roles)+1 {
		return false, nil
	}
	w.b = append(w.b, family.PDFString()...)
	for i, e := range a[1:] {
		w.b = append(w.b, ' ')
		ro := roles[i]
		if ro == rNone {
			ro = rPrimValue
		}
		ok, err := r.value(w, e, ro, depth+1)
		if err != nil || !ok {
			return false, err
		}
	}
	w.b = append(w.b, ']')
	return true, nil
}

// object copies a dictionary, stream or array referred to, in a role.
func (r *reader) object(o types.Object, ro role, depth int) (Object, bool, error) {
	w := &builder{}
	sd, isStream := o.(types.StreamDict)
	if !isStream {
		ok, err := r.value(w, o, ro, depth)
		return Object{Dict: w.b, Refs: w.refs}, ok, err
	}
	sp := specs[ro]
	if sp.stream == noStream {
		return Object{}, false, nil
	}
	d := types.Dict{}
	for k, v := range sd.Dict {
		if _, ok := sp.keys[k]; ok {
			d[k] = v
		}
	}
	if ok, err := r.dict(w, d, ro, depth); err != nil || !ok {
		return Object{}, false, err
	}
	var data, filters []byte
	var err error
	if sp.stream == imageStream {
		data, filters, err = r.image(sd, d)
	} else {
		data, err = r.decode(sd, len(sd.FilterPipeline))
		if err == nil {
			data, filters = deflate(data), []byte(" /Filter /FlateDecode")
		}
	}
	if errors.Is(err, errDrop) {
		return Object{}, false, nil
	}
	if err != nil {
		return Object{}, false, err
	}
	w.b = append(w.b[:len(w.b)-2], filters...)
	w.b = append(strconv.AppendInt(append(w.b, " /Length "...), int64(len(data)), 10), ">>"...)
	return Object{Dict: w.b, Refs: w.refs, Stream: data}, true, nil
}

// errDrop: a stream this package cannot decode (a filter it does not
// know where it must decode): the object is left out.
var errDrop = errors.New("drop")

// imageCodecs are the filters whose data a reader decodes into exactly
// the image's pixels: kept as they are.
var imageCodecs = map[string]bool{filter.DCT: true, "JPXDecode": true, filter.JBIG2: true, filter.CCITTFax: true}

// image copies an image's data: the general filters before an image
// codec are decoded (under the budget, and no larger than the image's
// pixels can take), and what they gave compressed anew; a codec's data is
// kept with its parameters.
func (r *reader) image(sd types.StreamDict, d types.Dict) (data, filters []byte, err error) {
	fp := sd.FilterPipeline
	codec := len(fp)
	if codec > 0 && imageCodecs[fp[codec-1].Name] {
		codec--
	}
	for _, f := range fp[:codec] {
		if imageCodecs[f.Name] {
			return nil, nil, errDrop // a codec in the middle: not an image a reader draws
		}
	}
	w, _ := r.number(d["Width"])
	h, _ := r.number(d["Height"])
	if w < 1 || h < 1 || w*h > 1<<28 {
		return nil, nil, errDrop
	}
	if codec < len(fp) {
		data, err = r.decode(sd, codec)
		if err != nil {
			return nil, nil, err
		}
		f := fp[codec]
		filters = append([]byte(" /Filter "), types.Name(f.Name).PDFString()...)
		if f.DecodeParms != nil {
			pw := &builder{}
			if ok, err := r.dict(pw, f.DecodeParms, rImageParms, 0); err != nil {
				return nil, nil, err
			} else if ok && len(pw.refs) == 0 {
				filters = append(append(filters, " /DecodeParms "...), pw.b...)
			}
		}
		return data, filters, nil
	}
	// pixels: at most 4 components of 16 bits, and a byte a row for a
	// predictor; more is a bomb, not an image
	most := int64(w*h*8 + h + 1024)
	data, err = r.decodeWithin(sd, len(fp), most)
	if err != nil {
		return nil, nil, err
	}
	return deflate(data), []byte(" /Filter /FlateDecode"), nil
}

// decode decodes a stream's first n filters, within the limits.
func (r *reader) decode(sd types.StreamDict, n int) ([]byte, error) {
	return r.decodeWithin(sd, n, r.lim.MaxStreamBytes)
}

func (r *reader) decodeWithin(sd types.StreamDict, n int, most int64) ([]byte, error) {
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	limit := min(most, r.lim.MaxStreamBytes, r.lim.MaxDecodedBytes-r.decoded)
	data := sd.Raw
	for _, f := range sd.FilterPipeline[:n] {
		parms := map[string]int{}
		for k, v := range f.DecodeParms {
			switch v := v.(type) {
			case types.Integer:
				parms[k] = int(v)
			case types.Boolean:
				if v {
					parms[k] = 1
				} else {
					parms[k] = 0
				}
			}
		}
		if f.Name == filter.DCT || imageCodecs[f.Name] {
			return nil, errDrop
		}
		fl, err := filter.NewFilter(f.Name, parms, limit)
		if err != nil {
			return nil, errDrop
		}
		out, err := fl.Decode(bytes.NewReader(data))
		if err == nil {
			data, err = readLimited(out, limit)
		}
		if err != nil {
			if errors.Is(err, filter.ErrDecodeLimitExceeded) || errors.Is(err, errTooLarge) {
				return nil, r.tooLarge(limit)
			}
			return nil, &Error{"has a stream that cannot be decoded: " + shortError(err)}
		}
	}
	r.decoded += int64(len(data))
	if r.decoded > r.lim.MaxDecodedBytes {
		return nil, r.tooLarge(limit)
	}
	return data, nil
}

var errTooLarge = errors.New("too large")

func readLimited(rd io.Reader, limit int64) ([]byte, error) {
	if b, ok := rd.(*bytes.Buffer); ok {
		if int64(b.Len()) > limit {
			return nil, errTooLarge
		}
		return b.Bytes(), nil
	}
	b, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err == nil && int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, err
}

// tooLarge says which bound a stream went past: the file's budget, or
// the bound of one stream (limit).
func (r *reader) tooLarge(limit int64) error {
	if r.decoded >= r.lim.MaxDecodedBytes || limit >= r.lim.MaxDecodedBytes-r.decoded {
		return &Error{fmt.Sprintf("is too large to place: its streams decode to more than %s together", mib(r.lim.MaxDecodedBytes))}
	}
	return &Error{fmt.Sprintf("has a stream that decodes to more than %s", mib(limit))}
}

func mib(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n>>20, 10) + " MiB"
}

// pageForm copies a page as a form XObject: its content (one stream, or
// several decoded and joined) and what its resources name. Pages made of
// the same content, resources and box share one form.
func (r *reader) pageForm(p *srcPage) (int, error) {
	key := formKey(p)
	if i, ok := r.forms[key]; ok && key != "" {
		return i, nil
	}
	w := &builder{}
	w.b = fmt.Appendf(w.b, "<</Type /XObject /Subtype /Form /FormType 1 /BBox [%s %s %s %s] /Resources ",
		num(p.box[0]), num(p.box[1]), num(p.box[2]), num(p.box[3]))
	if ok, err := r.value(w, p.resources, rResources, 0); err != nil {
		return 0, err
	} else if !ok {
		w.b = append(w.b, "<<>>"...)
	}
	if g, ok := p.dict["Group"]; ok {
		mark, refs := len(w.b), len(w.refs)
		w.b = append(w.b, " /Group "...)
		if ok, err := r.value(w, g, rGroup, 0); err != nil {
			return 0, err
		} else if !ok {
			w.b, w.refs = w.b[:mark], w.refs[:refs]
		}
	}
	content, err := r.content(p.dict["Contents"])
	if err != nil {
		return 0, err
	}
	stream := deflate(content)
	w.b = fmt.Appendf(w.b, " /Filter /FlateDecode /Length %d>>", len(stream))
	r.out.Objects = append(r.out.Objects, Object{Dict: w.b, Refs: w.refs, Stream: stream})
	i := len(r.out.Objects) - 1
	if key != "" {
		r.forms[key] = i
	}
	return i, nil
}

// formKey names what a page's form is made of, when all of it is shared
// objects ("" otherwise).
func formKey(p *srcPage) string {
	var b strings.Builder
	for _, o := range []types.Object{p.dict["Contents"], p.resources, p.dict["Group"]} {
		switch v := o.(type) {
		case nil:
			b.WriteString("-")
		case types.IndirectRef:
			fmt.Fprintf(&b, "%d ", v.ObjectNumber.Value())
		default:
			return ""
		}
	}
	fmt.Fprintf(&b, "%v", p.box)
	return b.String()
}

// content is a page's content decoded: one stream, or several joined
// (a token never spans two), each counted against the budget.
func (r *reader) content(ref types.Object) ([]byte, error) {
	o, err := r.deref(ref)
	if err != nil || o == nil {
		return nil, nil // a page without content is blank
	}
	var parts types.Array
	switch v := o.(type) {
	case types.StreamDict:
		parts = types.Array{ref}
	case types.Array:
		parts = v
	default:
		return nil, nil
	}
	var joined []byte
	for _, p := range parts {
		so, err := r.deref(p)
		if err != nil {
			return nil, err
		}
		sd, ok := so.(types.StreamDict)
		if !ok {
			continue
		}
		data, err := r.decode(sd, len(sd.FilterPipeline))
		if errors.Is(err, errDrop) {
			continue
		}
		if err != nil {
			return nil, err
		}
		joined = append(append(joined, data...), '\n')
	}
	return joined, nil
}

// num writes a coordinate compactly.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// deflate compresses a stream at level 3, the level of our own page
// streams.
func deflate(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	w, _ := writers.Get().(*zlib.Writer)
	w.Reset(&buf)
	w.Write(b)
	w.Close()
	writers.Put(w)
	return buf.Bytes()
}

// writers are kept across streams: a writer's state is about a megabyte.
var writers = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(io.Discard, 3)
	return w
}}
