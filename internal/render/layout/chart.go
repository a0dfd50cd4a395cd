package layout

import (
	"math"

	"protokol/internal/render/font"
)

// Chart is a chart the Markdown places with <!-- chart KEY -->: series of
// values by category, drawn as vector graphics in the column's width, a
// Figure in the tags whose alternate text says what it shows.
type Chart struct {
	Title      string
	Kind       string // "column" (default), "bar" or "line"
	Stacked    bool
	Categories []string
	Series     []ChartSeries
	Alt        string
	// Format writes a value as the axis and the labels show it (the
	// table's unit and decimals, Danish or English).
	Format func(v float64) string
}

// ChartSeries is one series: a name and a value per category.
type ChartSeries struct {
	Name   string
	Values []float64
}

// chartColors tell series apart by lightness as well as hue (dark blue,
// light blue, dark orange, light grey, dark green, light purple), so a
// grey print keeps them apart; the legend and the value labels name them
// too.
var chartColors = []RGB{{0, 70, 150}, {140, 185, 230}, {190, 95, 0}, {200, 200, 200}, {30, 110, 50}, {200, 170, 220}}

// Chart geometry, in millimetres.
const (
	chartHeight = 72.0
	chartSize   = 7.0 // points: tick, category and value labels
)

// chart places a chart after what is laid out so far.
func (e *engine) chart(key string) {
	c, ok := e.charts[key]
	if !ok || len(c.Categories) == 0 || len(c.Series) == 0 {
		return // the view makes a chart for every directive; none is nothing to draw
	}
	e.gap(lineHeight(bodySize) * 0.5)
	e.ensure(chartHeight)
	fig := e.tags.open("Figure")
	fig.attrs().Alt = e.clean.clean(c.Alt)
	top, left, right := e.y, e.left, e.right
	e.drawText(left, top+lineHeight(smallSize)*0.8, font.Bold, smallSize, black, e.fit(e.clean.clean(c.Title), font.Bold, smallSize, right-left))
	// the legend at the foot: a swatch and the series' name each
	legendY := top + chartHeight - lineHeight(chartSize)*0.4
	x := left
	for i, s := range c.Series {
		e.fill(x, legendY-2.4, 3, 3, chartColors[i%len(chartColors)])
		x = e.drawText(x+4, legendY, font.Regular, chartSize, black, e.clean.clean(s.Name)) + 5
	}
	lo, hi, step := chartScale(c)
	plot := chartBox{top: top + lineHeight(smallSize) + 3, bottom: top + chartHeight - lineHeight(chartSize)*2.8, lo: lo, hi: hi}
	tick := func(v float64) string { return e.clean.clean(c.Format(v)) }
	labelW := 0.0
	for v := lo; v <= hi+step/2; v += step {
		labelW = max(labelW, e.width(font.Regular, chartSize, tick(v)))
	}
	plot.left, plot.right = left+labelW+2, right
	if c.Kind == "bar" {
		plot.left = left + min(e.longestLabel(c)+0.5, (right-left)*0.35) + 2
	}
	e.chartAxes(c, plot, step, tick)
	switch c.Kind {
	case "line":
		e.chartLines(c, plot)
	case "bar":
		e.chartBars(c, plot, true)
	default:
		e.chartBars(c, plot, false)
	}
	e.tags.close()
	e.y = top + chartHeight + 2
}

// chartBox is a chart's plot area and the values it spans.
type chartBox struct {
	top, bottom, left, right float64
	lo, hi                   float64
}

// at is where a value lies along the value axis: up a column chart's
// height, or along a bar chart's width.
func (b chartBox) at(v float64, horizontal bool) float64 {
	f := (v - b.lo) / (b.hi - b.lo)
	if horizontal {
		return b.left + f*(b.right-b.left)
	}
	return b.bottom - f*(b.bottom-b.top)
}

// chartScale is the value axis: from the least to the greatest value
// (stacked: sums), zero always on it, in round steps.
func chartScale(c *Chart) (lo, hi, step float64) {
	for i := range c.Categories {
		pos, neg := 0.0, 0.0
		for _, s := range c.Series {
			v := s.Values[i]
			switch {
			case c.Stacked && v >= 0:
				pos += v
			case c.Stacked:
				neg += v
			default:
				hi, lo = max(hi, v), min(lo, v)
			}
		}
		hi, lo = max(hi, pos), min(lo, neg)
	}
	if hi == lo {
		hi = lo + 1
	}
	step = niceStep((hi - lo) / 5)
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// longestLabel is the width of the widest category label.
func (e *engine) longestLabel(c *Chart) float64 {
	w := 0.0
	for _, cat := range c.Categories {
		w = max(w, e.width(font.Regular, chartSize, e.clean.clean(cat)))
	}
	return w
}

// chartAxes draws the value axis's grid lines and labels (artifacts and
// text), and the category labels.
func (e *engine) chartAxes(c *Chart, b chartBox, step float64, tick func(float64) string) {
	horizontal := c.Kind == "bar"
	for v := b.lo; v <= b.hi+step/2; v += step {
		color, lw := ruleGrey, 0.15
		if math.Abs(v) < step/1e6 {
			color, lw = black, 0.3 // the zero line
		}
		label := tick(v)
		if horizontal {
			x := b.at(v, true)
			e.line(x, b.top, x, b.bottom, lw, color)
			e.drawText(x-e.width(font.Regular, chartSize, label)/2, b.bottom+lineHeight(chartSize), font.Regular, chartSize, grey, label)
		} else {
			y := b.at(v, false)
			e.line(b.left, y, b.right, y, lw, color)
			e.drawText(b.left-2-e.width(font.Regular, chartSize, label), y+chartSize*ptToMM*0.35, font.Regular, chartSize, grey, label)
		}
	}
	n := float64(len(c.Categories))
	for i, cat := range c.Categories {
		cat = e.clean.clean(cat)
		if horizontal {
			band := (b.bottom - b.top) / n
			y := b.top + band*(float64(i)+0.5) + chartSize*ptToMM*0.35
			e.drawText(b.left-2-e.width(font.Regular, chartSize, e.fit(cat, font.Regular, chartSize, b.left-e.left-2)), y, font.Regular, chartSize, black, e.fit(cat, font.Regular, chartSize, b.left-e.left-2))
			continue
		}
		band := (b.right - b.left) / n
		label := e.fit(cat, font.Regular, chartSize, band-1)
		e.drawText(b.left+band*(float64(i)+0.5)-e.width(font.Regular, chartSize, label)/2, b.bottom+lineHeight(chartSize), font.Regular, chartSize, black, label)
	}
}

// chartBars draws columns (or bars) side by side or stacked, each an
// artifact fill; beside clustered ones with room, their value.
func (e *engine) chartBars(c *Chart, b chartBox, horizontal bool) {
	n := float64(len(c.Categories))
	span := b.right - b.left
	if horizontal {
		span = b.bottom - b.top
	}
	band := span / n
	k := float64(len(c.Series))
	width := band * 0.7 / k
	if c.Stacked {
		width = band * 0.6
	}
	labels := !c.Stacked && width >= 4
	for i := range c.Categories {
		pos, neg := 0.0, 0.0
		for si, s := range c.Series {
			v := s.Values[i]
			from := 0.0
			if c.Stacked && v >= 0 {
				from, pos = pos, pos+v
			} else if c.Stacked {
				from, neg = neg, neg+v
			}
			offset := band*0.15 + width*float64(si)
			if c.Stacked {
				offset = band * 0.2
			}
			p0, p1 := b.at(from, horizontal), b.at(from+v, horizontal)
			color := chartColors[si%len(chartColors)]
			if horizontal {
				y := b.top + band*float64(i) + offset
				e.fill(min(p0, p1), y, math.Abs(p1-p0), width, color)
				if labels {
					e.drawText(max(p0, p1)+1, y+width/2+chartSize*ptToMM*0.35, font.Regular, chartSize-1, black, e.clean.clean(c.Format(v)))
				}
				continue
			}
			x := b.left + band*float64(i) + offset
			e.fill(x, min(p0, p1), width, math.Abs(p1-p0), color)
			if labels {
				label := e.clean.clean(c.Format(v))
				e.drawText(x+width/2-e.width(font.Regular, chartSize-1, label)/2, min(p0, p1)-0.8, font.Regular, chartSize-1, black, label)
			}
		}
	}
}

// chartLines draws each series as a line through its categories, with a
// square at each point and its name at its end.
func (e *engine) chartLines(c *Chart, b chartBox) {
	band := (b.right - b.left) / float64(len(c.Categories))
	for si, s := range c.Series {
		color := chartColors[si%len(chartColors)]
		lw := 0.6 + 0.25*float64(si%3)
		var px, py float64
		for i, v := range s.Values {
			x, y := b.left+band*(float64(i)+0.5), b.at(v, false)
			if i > 0 {
				e.line(px, py, x, y, lw, color)
			}
			e.fill(x-0.9, y-0.9, 1.8, 1.8, color)
			px, py = x, y
		}
		// its name in black at its end: a light colour is not text's
		e.drawText(px+1.5, py+chartSize*ptToMM*0.35, font.Regular, chartSize, black, e.fit(e.clean.clean(s.Name), font.Regular, chartSize, 30))
	}
}
