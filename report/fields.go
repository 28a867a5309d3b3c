package report

import (
	"fmt"
	"io"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// fieldGrid shows a row-major ny×nx field with row 0 at the top.
type fieldGrid struct {
	ny, nx int
	v      []float64
}

func (g fieldGrid) Dims() (int, int)   { return g.nx, g.ny }
func (g fieldGrid) Z(c, r int) float64 { return g.v[(g.ny-1-r)*g.nx+c] }
func (g fieldGrid) X(c int) float64    { return float64(c) }
func (g fieldGrid) Y(r int) float64    { return float64(r) }

// FieldRow draws fields side by side on one colour scale, with a colour bar,
// and writes base.png and base.svg. Every field is ny×nx, row-major.
func FieldRow(base string, titles []string, fields [][]float64, ny, nx int) error {
	if len(titles) != len(fields) || len(fields) == 0 {
		return fmt.Errorf("report: %d titles for %d fields", len(titles), len(fields))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, f := range fields {
		if len(f) != ny*nx {
			return fmt.Errorf("report: field %q has %d values, want %d×%d", titles[i], len(f), ny, nx)
		}
		for _, v := range f {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if !(lo < hi) {
		lo, hi = lo-1, lo+1
	}
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(lo)
	cm.SetMax(hi)
	pal := cm.Palette(256)
	row := make([]*plot.Plot, 0, len(fields)+1)
	for i, f := range fields {
		p := plot.New()
		p.Title.Text = titles[i]
		hm := plotter.NewHeatMap(fieldGrid{ny, nx, f}, pal)
		hm.Min, hm.Max = lo, hi
		hm.Rasterized = true // no seams between cells
		p.Add(hm)
		p.HideAxes()
		row = append(row, p)
	}
	cb := plot.New()
	cb.Title.Text = " "
	cb.HideX()
	cb.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	tile := 2.2 * vg.Inch
	barW := 0.9 * vg.Inch
	w, h := vg.Length(len(row))*tile+barW, 2.4*vg.Inch
	render := func(dc draw.Canvas) {
		fieldsArea := draw.Crop(dc, 0, -barW, 0, 0)
		tiles := draw.Tiles{Rows: 1, Cols: len(row), PadX: vg.Millimeter, PadY: vg.Millimeter,
			PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
		canvases := plot.Align([][]*plot.Plot{row}, tiles, fieldsArea)
		for j, p := range row {
			p.Draw(canvases[0][j])
		}
		cb.Draw(draw.Crop(dc, w-barW, 0, vg.Millimeter, -2*vg.Millimeter))
	}
	img := vgimg.New(w, h)
	render(draw.New(img))
	if err := writeTo(base+".png", vgimg.PngCanvas{Canvas: img}); err != nil {
		return err
	}
	svg := vgsvg.New(w, h)
	render(draw.New(svg))
	return writeTo(base+".svg", svg)
}

func writeTo(path string, w io.WriterTo) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := w.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
