package report

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one named curve.
type Series struct {
	Name string
	X, Y []float64
}

// Save writes p as base+".png" and base+".svg".
func Save(p *plot.Plot, w, h vg.Length, base string) error {
	for _, ext := range []string{".png", ".svg"} {
		if err := p.Save(w, h, base+ext); err != nil {
			return fmt.Errorf("writing %s%s: %w", base, ext, err)
		}
	}
	return nil
}

// Color returns the i-th colour of physgrad's plot palette.
func Color(i int) color.Color { return plotutil.Color(i) }

// grid samples f on an n×n grid over [x0,x1]×[y0,y1].
type grid struct {
	x0, x1, y0, y1 float64
	n              int
	z              []float64
}

func (g *grid) Dims() (int, int)   { return g.n, g.n }
func (g *grid) Z(c, r int) float64 { return g.z[r*g.n+c] }
func (g *grid) X(c int) float64    { return g.x0 + (g.x1-g.x0)*float64(c)/float64(g.n-1) }
func (g *grid) Y(r int) float64    { return g.y0 + (g.y1-g.y0)*float64(r)/float64(g.n-1) }

// Trajectories plots 2-D paths over the contours of f (log-spaced
// levels), one colour per series, with the optimum marked.
func Trajectories(title, xlabel, ylabel string, f func(x, y float64) float64, series []Series, optimum [2]float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.Top = false // bottom right: trajectories start top right and end near the optimum
	x0, x1, y0, y1 := optimum[0], optimum[0], optimum[1], optimum[1]
	for _, s := range series {
		for i := range s.X {
			if finite(s.X[i]) && finite(s.Y[i]) {
				x0, x1 = math.Min(x0, s.X[i]), math.Max(x1, s.X[i])
				y0, y1 = math.Min(y0, s.Y[i]), math.Max(y1, s.Y[i])
			}
		}
	}
	padX, padY := 0.1*(x1-x0)+0.1, 0.1*(y1-y0)+0.1
	g := &grid{x0: x0 - padX, x1: x1 + padX, y0: y0 - padY, y1: y1 + padY, n: 80}
	g.z = make([]float64, g.n*g.n)
	zmin, zmax := math.Inf(1), math.Inf(-1)
	for r := 0; r < g.n; r++ {
		for c := 0; c < g.n; c++ {
			v := f(g.X(c), g.Y(r))
			g.z[r*g.n+c] = v
			if v > 0 && finite(v) {
				zmin, zmax = math.Min(zmin, v), math.Max(zmax, v)
			}
		}
	}
	if zmin < zmax {
		var levels []float64
		for i := 0; i < 12; i++ {
			levels = append(levels, zmin*math.Pow(zmax/zmin, (float64(i)+0.5)/12))
		}
		ct := plotter.NewContour(g, levels, palette.Heat(12, 0.5))
		ct.Min, ct.Max = levels[0], levels[len(levels)-1]
		p.Add(ct)
	}
	for i, s := range series {
		pts := make(plotter.XYs, 0, len(s.X))
		for k := range s.X {
			if finite(s.X[k]) && finite(s.Y[k]) {
				pts = append(pts, plotter.XY{X: s.X[k], Y: s.Y[k]})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		l.Color = Color(i)
		l.Width = vg.Points(1.5)
		sc.Color = Color(i)
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(2)
		p.Add(l, sc)
		p.Legend.Add(s.Name, l, sc)
	}
	opt, err := plotter.NewScatter(plotter.XYs{{X: optimum[0], Y: optimum[1]}})
	if err != nil {
		return nil, err
	}
	opt.Shape = draw.CrossGlyph{}
	opt.Radius = vg.Points(6)
	opt.Color = color.Black
	p.Add(opt)
	p.Legend.Add("optimum", opt)
	return p, nil
}

// Curves plots y over x for each series, on a log y-axis if logY (values
// ≤ 0 and non-finite values are dropped there; without any positive value
// the axis stays linear).
func Curves(title, xlabel, ylabel string, series []Series, logY bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for k := range s.Y {
			if finite(s.X[k]) && finite(s.Y[k]) && s.Y[k] > 0 {
				lo, hi = math.Min(lo, s.Y[k]), math.Max(hi, s.Y[k])
			}
		}
	}
	logY = logY && lo <= hi
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: 2}
		// A log axis needs a positive, non-empty range.
		p.Y.Min, p.Y.Max = lo, hi
		if lo == hi {
			p.Y.Min, p.Y.Max = lo/10, hi*10
		}
	}
	for i, s := range series {
		pts := make(plotter.XYs, 0, len(s.X))
		for k := range s.X {
			if !finite(s.X[k]) || !finite(s.Y[k]) || (logY && s.Y[k] <= 0) {
				continue
			}
			pts = append(pts, plotter.XY{X: s.X[k], Y: s.Y[k]})
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = Color(i)
		l.Width = vg.Points(1.5)
		if i >= 8 {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	if p.X.Min == p.X.Max {
		p.X.Min, p.X.Max = p.X.Min-1, p.X.Max+1
	}
	return p, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
