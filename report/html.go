package report

import (
	"html/template"
	"os"
)

// Figure is one plot on the HTML index.
type Figure struct {
	Title   string
	Caption string
	Image   string // file name relative to the index (PNG)
	Vector  string // optional SVG of the same plot
}

// Section groups figures and a short text on the HTML index.
type Section struct {
	Title   string
	Text    string
	Table   string // preformatted text, e.g. a results table
	Figures []Figure
}

var indexTmpl = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
figure{display:inline-block;margin:1em;vertical-align:top;max-width:520px}
img{max-width:100%;border:1px solid #ddd}figcaption{font-size:90%;color:#444}
pre{background:#f6f6f6;padding:.8em;overflow-x:auto}</style></head><body>
<h1>{{.Title}}</h1>
{{range .Sections}}<h2>{{.Title}}</h2>{{if .Text}}<p>{{.Text}}</p>{{end}}
{{if .Table}}<pre>{{.Table}}</pre>{{end}}
{{range .Figures}}<figure><img src="{{.Image}}" alt="{{.Title}}"><figcaption><b>{{.Title}}.</b> {{.Caption}}{{if .Vector}} (<a href="{{.Vector}}">SVG</a>){{end}}</figcaption></figure>
{{end}}{{end}}</body></html>
`))

// WriteIndex writes an HTML page showing every figure with its caption.
func WriteIndex(path, title string, sections []Section) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := indexTmpl.Execute(f, struct {
		Title    string
		Sections []Section
	}{title, sections}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
