package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"concurrency-playground/internal/workload"
)

// CodeFile is the TypeScript module of the page's code view, relative to the site's
// directory: for every experiment and variant, the lesson's Python (site/python, written in
// this project's words) and the Go that runs it, cut out of the repository's own source with
// go/ast at build time, so the page cannot show code that differs from what ran. Both are
// highlighted here (chroma), and the lines that spend a span's time are marked with its state.
// It is committed, and code_test.go fails when it is stale.
const CodeFile = "src/gen/code.gen.ts"

// A line's mark: the span state its time shows as, or "task" for the line that runs one task
// (waiting for io, computing otherwise: the page resolves it by the experiment).
const (
	markRun   = "run"
	markWait  = "wait"
	markSpawn = "spawn"
	markTask  = "task"
)

// goFunc names one function of the repository and the lines that spend a span's time, by a
// piece of their text: a piece that no longer matches fails the build, so the marks cannot
// drift from the source.
type goFunc struct {
	key   string
	file  string // from the repository's root
	recv  string // the receiver's type without the star, "" for a plain function
	name  string
	marks map[string]string // a piece of a line → its mark
}

var goFuncs = []goFunc{
	{"runloop.Sequential", "internal/runloop/runloop.go", "Tasks", "Sequential", map[string]string{"t.DoTraced(": markTask}},
	// the race's workers wait at the gate until two cores run them: their spawn spans
	{"runner.pool", "native/runner/pool.go", "run", "pool", map[string]string{"r.DoTraced(": markTask, "gate.wait()": markSpawn}},
	// a gil run's red spans are mostly waits for the interpreter lock: the line that takes it
	{"runner.gil", "native/runner/gil.go", "run", "gil", map[string]string{"r.Do(ctx, task, env)": markTask, "t.acquire()": markWait}},
	{"runner.eventLoop", "native/runner/eventloop.go", "run", "eventLoop", map[string]string{"r.DoTraced(": markTask}},
	{"procpool.work", "native/procpool/procpool.go", "pool", "work", map[string]string{
		"startProc(": markSpawn, "w.ready(": markSpawn, "w.await(": markTask}},
	{"browser.eventLoop", "wasm/browser/eventloop.go", "", "eventLoop", map[string]string{"tasks.DoTraced(": markTask}},
	{"browser.RunTasks", "wasm/browser/pool.go", "", "RunTasks", map[string]string{"tasks.DoTraced(": markTask}},
	{"workload.download", "internal/workload/task.go", "Spec", "download", map[string]string{"env.Fetcher.Fetch(": markWait}},
	{"workload.SumOfSquares", "internal/workload/cpu.go", "", "SumOfSquares", map[string]string{
		"for from :=": markRun, "s.addSquares(": markRun}},
	{"workload.Increment", "internal/workload/race.go", "Counter", "Increment", map[string]string{
		"c.value.Load()": markRun, "c.value.Store(": markRun, "c.value.Add(1)": markRun}},
}

// pyScript is one of site/python's scripts and its marked lines.
type pyScript struct {
	key   string // the file's name without .py
	marks map[string]string
}

var pyScripts = []pyScript{
	{"io_sequential", map[string]string{".get(url)": markWait}},
	{"io_threading", map[string]string{".get(url)": markWait}},
	{"io_asyncio", map[string]string{".get(url)": markWait}},
	{"io_processes", map[string]string{".get(url)": markWait, "Pool(": markSpawn, "= requests.Session()": markSpawn}},
	{"cpu_sequential", map[string]string{"sum(i * i": markRun}},
	{"cpu_threading", map[string]string{"sum(i * i": markRun}},
	{"cpu_asyncio", map[string]string{"sum(i * i": markRun}},
	{"cpu_processes", map[string]string{"sum(i * i": markRun, "Pool(": markSpawn}},
	{"race_sequential", map[string]string{"counter += 1": markRun}},
	{"race_threading", map[string]string{"counter += 1": markRun}},
	{"race_asyncio", map[string]string{"counter += 1": markRun}},
	{"race_processes", map[string]string{"counter += 1": markRun, "Pool(": markSpawn}},
}

// codeFor is what the page shows for an experiment, a variant and where it runs: the Python
// script (the gil variant is CPython's threads: the threading script) and the Go functions,
// the variant's first, then the task's.
func codeFor(e workload.Experiment, v workload.Variant, where workload.Where) (python string, goKeys []string) {
	variant := map[workload.Variant]string{
		workload.Sequential: "runloop.Sequential", workload.Pool: "runner.pool", workload.GIL: "runner.gil",
		workload.EventLoop: "runner.eventLoop", workload.Process: "procpool.work",
	}[v]
	if where == workload.WhereBrowser {
		variant = map[workload.Variant]string{
			workload.Sequential: "runloop.Sequential", workload.EventLoop: "browser.eventLoop", workload.Process: "browser.RunTasks",
		}[v]
	}
	task := map[workload.Experiment]string{
		workload.IO: "workload.download", workload.CPU: "workload.SumOfSquares", workload.Race: "workload.Increment",
	}[e]
	return workload.PythonScript(e, v), []string{variant, task}
}

// codeLine is one shown line: its highlighted HTML, its number in its file, its mark.
type codeLine struct {
	HTML string `json:"html"`
	N    int    `json:"n"`
	Mark string `json:"mark,omitempty"`
}

type codeBlock struct {
	File  string     `json:"file"` // from the repository's root
	Title string     `json:"title"`
	Lines []codeLine `json:"lines"`
}

// codeTS is the module's text, read from the repository at root.
func codeTS(root string) ([]byte, error) {
	goBlocks := map[string]codeBlock{}
	for _, f := range goFuncs {
		b, err := goBlock(root, f)
		if err != nil {
			return nil, err
		}
		goBlocks[f.key] = b
	}
	pyBlocks := map[string]codeBlock{}
	for _, s := range pyScripts {
		file := "site/python/" + s.key + ".py"
		src, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			return nil, err
		}
		lines, err := highlight("python", string(src), 1, s.marks)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		pyBlocks[s.key] = codeBlock{File: file, Title: s.key + ".py", Lines: lines}
	}
	type shown struct {
		Python string   `json:"python"`
		Go     []string `json:"go"`
	}
	views := map[string]shown{}
	for _, e := range workload.Experiments {
		for _, v := range workload.Variants {
			// The page shows the code of the two targets it launches runs on.
			for _, where := range []workload.Where{workload.WhereBrowser, workload.WhereNative} {
				py, keys := codeFor(e, v, where)
				if keys[0] == "" {
					continue // the browser runs neither threads nor an interpreter lock
				}
				for _, k := range keys {
					if _, ok := goBlocks[k]; !ok {
						return nil, fmt.Errorf("code view %s/%s/%s: no Go function %q", e, v, where, k)
					}
				}
				if _, ok := pyBlocks[py]; !ok {
					return nil, fmt.Errorf("code view %s/%s/%s: no Python script %q", e, v, where, py)
				}
				views[string(e)+"/"+string(v)+"/"+string(where)] = shown{py, keys}
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("// Generated by the build (build/code.go) from the repository's Go source and site/python.\n")
	b.WriteString("// Do not edit: change those, then run `go run ./build` (make site).\n\n")
	for _, c := range []struct {
		doc, name string
		v         any
	}{
		{"The Go functions the page shows, cut from the repository's source, highlighted; n is the line's number in its file.", "goBlocks", goBlocks},
		{"The lesson's scripts in this project's words (site/python), highlighted.", "pythonBlocks", pyBlocks},
		{"What the code view shows for \"experiment/variant/where\": a Python script and Go functions, the variant's first.", "codeViews", views},
	} {
		constant(&b, c.doc, c.name, c.v)
	}
	return b.Bytes(), nil
}

// goBlock finds f in its file with go/ast and returns its lines, doc comment included.
func goBlock(root string, f goFunc) (codeBlock, error) {
	path := filepath.Join(root, f.file)
	src, err := os.ReadFile(path)
	if err != nil {
		return codeBlock{}, err
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return codeBlock{}, err
	}
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != f.name || receiver(fn) != f.recv {
			continue
		}
		from := fn.Pos()
		if fn.Doc != nil {
			from = fn.Doc.Pos()
		}
		start, end := fset.Position(from), fset.Position(fn.End())
		text := string(src[start.Offset:end.Offset])
		lines, err := highlight("go", text, start.Line, f.marks)
		if err != nil {
			return codeBlock{}, fmt.Errorf("%s: %s: %w", f.file, f.name, err)
		}
		title := f.name
		if f.recv != "" {
			title = "(" + f.recv + ")." + f.name
		}
		return codeBlock{File: f.file, Title: title, Lines: lines}, nil
	}
	return codeBlock{}, fmt.Errorf("%s: no func %s (receiver %q): the code view names a function that is gone", f.file, f.name, f.recv)
}

// receiver is the name of fn's receiver type without its star, "" for a plain function.
func receiver(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return ""
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// highlight splits text into lines of highlighted HTML, numbered from first, and marks the
// lines that hold one of marks' pieces; a piece that marks no line is an error.
func highlight(lang, text string, first int, marks map[string]string) ([]codeLine, error) {
	lexer := lexers.Get(lang)
	if lexer == nil {
		return nil, fmt.Errorf("no %s lexer", lang)
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, text)
	if err != nil {
		return nil, err
	}
	var lines []codeLine
	var cur strings.Builder
	for _, tok := range it.Tokens() {
		class := tokenClass(tok.Type)
		for i, part := range strings.Split(tok.Value, "\n") {
			if i > 0 {
				lines = append(lines, codeLine{HTML: cur.String()})
				cur.Reset()
			}
			if part == "" {
				continue
			}
			if class == "" {
				cur.WriteString(html.EscapeString(part))
			} else {
				fmt.Fprintf(&cur, `<span class="%s">%s</span>`, class, html.EscapeString(part))
			}
		}
	}
	if cur.Len() > 0 {
		lines = append(lines, codeLine{HTML: cur.String()})
	}
	raw := strings.Split(strings.TrimRight(text, "\n"), "\n")
	lines = lines[:min(len(lines), len(raw))]
	used := map[string]bool{}
	for i := range lines {
		lines[i].N = first + i
		for _, piece := range slices.Sorted(maps.Keys(marks)) {
			if strings.Contains(raw[i], piece) {
				lines[i].Mark = marks[piece]
				used[piece] = true
			}
		}
	}
	for piece := range marks {
		if !used[piece] {
			return nil, fmt.Errorf("the mark %q matches no line", piece)
		}
	}
	return lines, nil
}

// tokenClass is the page's class for a token: a handful of kinds is enough to read code by.
func tokenClass(t chroma.TokenType) string {
	switch {
	case t.InCategory(chroma.Comment):
		return "hl-c"
	case t.InCategory(chroma.Keyword):
		return "hl-k"
	case t.InSubCategory(chroma.LiteralString):
		return "hl-s"
	case t.InSubCategory(chroma.LiteralNumber):
		return "hl-m"
	case t == chroma.NameFunction || t == chroma.NameBuiltin:
		return "hl-f"
	}
	return ""
}

// writeCode writes the code view's module under site unless it is already up to date.
func writeCode(root, site string) error {
	want, err := codeTS(root)
	if err != nil {
		return err
	}
	return writeIfChanged(filepath.Join(site, CodeFile), want)
}
