package main

import (
	"context"
	"strings"
	"syscall/js"
	"testing"
)

func TestFetchReadsTheWholeBody(t *testing.T) {
	// A data: URL is fetched by Node's fetch like any other, without a server.
	n, err := fetcher{}.Fetch(context.Background(), "data:text/plain;base64,"+strings.Repeat("QUJD", 1000))
	if err != nil || n != 3000 {
		t.Errorf("fetching 3000 bytes: %d, %v", n, err)
	}
	if _, err := (fetcher{}).Fetch(context.Background(), "http://[::1"); err == nil || !strings.HasPrefix(err.Error(), "GET http://[::1: TypeError") {
		t.Errorf("fetching a malformed URL: error %v, want fetch's TypeError", err)
	}
}

// engine installs the API on a fresh object standing in for globalThis.
func engine(t *testing.T) js.Value {
	t.Helper()
	global := js.Global().Get("Object").New()
	install(global)
	return global.Get(apiName)
}

func TestAPIRunsAJobAndStreamsFlatSpans(t *testing.T) {
	api := engine(t)
	if where := api.Call("info").Get("where").String(); where != "browser" {
		t.Errorf("info().where = %q, want browser", where)
	}
	var spans []float64
	var done, total int
	report := js.FuncOf(func(_ js.Value, args []js.Value) any {
		batch := args[0]
		if batch.Get("constructor").Get("name").String() != "Float64Array" {
			t.Errorf("a span batch is a %s, want a Float64Array", batch.Get("constructor").Get("name"))
		}
		for i := range batch.Length() {
			spans = append(spans, batch.Index(i).Float())
		}
		done, total = args[1].Int(), args[2].Int()
		return nil
	})
	defer report.Release()
	job := js.ValueOf(map[string]any{"experiment": "cpu", "variant": "eventloop", "tasks": 3, "n": 1000})
	res, err := await(api.Call("run", job, "", report))
	if err != nil {
		t.Fatal(err)
	}
	if res.Get("where").String() != "browser" || res.Get("results").Index(2).String() != "334835501" || res.Get("spec").Get("workers").Int() != 3 {
		t.Errorf("result where %s, results[2] %s, spec.workers %d; want browser, 334835501 (1001·1002·2003/6, the squares below 1002), 3",
			res.Get("where"), res.Get("results").Index(2), res.Get("spec").Get("workers").Int())
	}
	// A CPU run repeats three times by default: three spans a repeat, the fastest repeat counts.
	if len(spans) != 3*3*5 || done != 9 || total != 9 {
		t.Fatalf("streamed %d numbers and progress %d/%d, want 3 spans of 5 numbers for each of 3 repeats and 9/9", len(spans), done, total)
	}
	repeats := res.Get("repeats")
	fastest := repeats.Index(0).Float()
	for i := range repeats.Length() {
		fastest = min(fastest, repeats.Index(i).Float())
	}
	if repeats.Length() != 3 || res.Get("duration_ns").Float() != fastest || res.Get("spec").Get("repeat").Int() != 3 {
		t.Errorf("repeats %v, duration_ns %v, spec.repeat %v: want 3 repeats and the fastest", repeats, res.Get("duration_ns"), res.Get("spec").Get("repeat"))
	}
	for i := 0; i < len(spans); i += 5 {
		if worker, task, state := spans[i], spans[i+1], spans[i+2]; worker != task || state != 0 || spans[i+3] > spans[i+4] {
			t.Errorf("span %v: want task k on lane k, state run (0), start <= end", spans[i:i+5])
		}
	}
}

func TestAPIRejectsWithAReason(t *testing.T) {
	api := engine(t)
	noop := js.FuncOf(func(js.Value, []js.Value) any { return nil })
	defer noop.Release()
	for _, c := range []struct {
		job    any
		origin string
		want   string
	}{
		{map[string]any{"preset": "io_threading"}, "http://127.0.0.1:8080", `variant: "pool" runs on the native backend`},
		{map[string]any{"preset": "io_mp"}, "http://127.0.0.1:8080", `variant: "process" does not run in one engine`},
		{map[string]any{"preset": "io_asyncio"}, "file:///tmp", `farm: "file:///tmp" is not an http(s) origin`},
		{map[string]any{"preset": "cpu_non_concurrent", "workers": 2}, "", "workers: sequential runs on exactly 1 worker, not 2"},
		{map[string]any{"tasks": []any{1}}, "", "job: tasks: want a string, a number or a boolean"},
		{"cpu", "", "job: want an object"},
	} {
		_, err := await(api.Call("run", js.ValueOf(c.job), c.origin, noop))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("run(%v, %q): error %v, want %q", c.job, c.origin, err, c.want)
		}
	}
}

func TestRunOptionsSayWhetherThePageSpeaksHTTP1(t *testing.T) {
	for _, c := range []struct {
		options  any
		fallback bool
		want     bool
	}{
		{map[string]any{"http1": false}, true, false}, // an http: page served over HTTP/2
		{map[string]any{"http1": true}, false, true},  // an https: page served over HTTP/1.1
		{map[string]any{}, true, true},
		{js.Undefined(), false, false},
		{js.Null(), true, true},
	} {
		got, err := http1Option(js.ValueOf(c.options), c.fallback)
		if err != nil || got != c.want {
			t.Errorf("http1Option(%v, fallback %v) = %v, %v; want %v", c.options, c.fallback, got, err, c.want)
		}
	}
	api := engine(t)
	noop := js.FuncOf(func(js.Value, []js.Value) any { return nil })
	defer noop.Release()
	job := js.ValueOf(map[string]any{"preset": "cpu_non_concurrent", "n": 10})
	for opts, want := range map[string]any{"options: want an object": "h2", "options: http1: want a boolean": map[string]any{"http1": "yes"}} {
		if _, err := await(api.Call("run", job, "", noop, js.ValueOf(want))); err == nil || !strings.HasPrefix(err.Error(), opts) {
			t.Errorf("run with options %v: error %v, want %q", want, err, opts)
		}
	}
	if res, err := await(api.Call("run", job, "", noop, js.ValueOf(map[string]any{"http1": false}))); err != nil || res.Get("where").String() != "browser" {
		t.Errorf("run with options {http1: false}: %v, %v; want a browser result", res, err)
	}
}

// A browser process resolves its job once for all its batches, by the job object's identity,
// and a different object is resolved afresh, even when its worker is the same.
func TestRunTasksResolvesEachJobObjectOnce(t *testing.T) {
	api := engine(t)
	batch := func(job js.Value, task int) string {
		t.Helper()
		res, err := await(api.Call("runTasks", job, task, task+1, 0, 0, ""))
		if err != nil {
			t.Fatal(err)
		}
		return res.Get("results").Index(0).String()
	}
	small := js.ValueOf(map[string]any{"experiment": "cpu", "variant": "process", "workers": 2, "tasks": 3, "n": 1000})
	if a, b := batch(small, 2), batch(small, 2); a != "334835501" || b != a {
		t.Errorf("task 2 of n = 1000: %s, then %s with the same job object; want 334835501 both times", a, b)
	}
	large := js.ValueOf(map[string]any{"experiment": "cpu", "variant": "process", "workers": 2, "tasks": 3, "n": 2000})
	if got := batch(large, 2); got != "2672671001" {
		t.Errorf("task 2 of n = 2000 after a job of n = 1000: %s, want 2672671001 (2001·2002·4003/6), not the last job's", got)
	}
	// The cache keeps a resolved job only: a bad one is refused each time, whatever came before.
	bad := js.ValueOf(map[string]any{"experiment": "cpu", "variant": "sequential", "tasks": 3})
	for range 2 {
		if _, err := await(api.Call("runTasks", bad, 0, 1, 0, 0, "")); err == nil || !strings.Contains(err.Error(), "not in the process pool") {
			t.Errorf("runTasks of a sequential job: error %v, want it refused", err)
		}
	}
}

// A wrong argument from JavaScript rejects the call's promise with what was wanted: before,
// runTasks and assemble read numbers and arrays unchecked, and a panic in a callback ends the
// engine. The engine still answers afterwards.
func TestAPIRejectsWrongArgumentsWithoutPanicking(t *testing.T) {
	api := engine(t)
	job := js.ValueOf(map[string]any{"experiment": "cpu", "variant": "process", "workers": 2, "tasks": 3, "n": 1000, "repeat": 1})
	race := js.ValueOf(map[string]any{"experiment": "race", "variant": "process", "workers": 2, "tasks": 3, "repeat": 1})
	list := func(v ...any) js.Value { return js.ValueOf(v) }
	for _, c := range []struct {
		call string
		args []any
		want string
	}{
		{"runTasks", []any{job, "0", 1, 0, 0, ""}, "from: want a whole number in 0..3, got a string"},
		{"runTasks", []any{job, 0, 1.5, 0, 0, ""}, "to: want a whole number in 0..3, got 1.5"},
		{"runTasks", []any{job, 0, 9, 0, 0, ""}, "to: want a whole number in 0..3, got 9"},
		{"runTasks", []any{job, 0, 1, js.Null(), 0, ""}, "lane: want a whole number in 0..63, got null"},
		{"runTasks", []any{job, 0, 1, 0, "now", ""}, "origin: want a finite number, got a string"},
		{"runTasks", []any{job, 0, 1, 0, 0, 7}, "farmOrigin: want a string, got the number 7"},
		{"runTasks", []any{job, 0, 1}, "runTasks(job, from, to, lane, origin, farmOrigin): want 6 arguments, got 3"},
		{"assemble", []any{job, "abc", list(1), list(), 3}, "results: want an array, got a string"},
		{"assemble", []any{job, list("a", 2, "c"), list(1), list(), 3}, "results[1]: want a string, got the number 2"},
		{"assemble", []any{job, list("a", "b", "c"), js.Undefined(), list(), 3}, "repeats: want an array, got nothing"},
		{"assemble", []any{race, list("a", "b", "c"), list(1), list(list(1, "x")), 3}, "counters[0][1]: want a whole number"},
		{"assemble", []any{job, list("a", "b", "c"), list(1), list(), -1}, "spans: want a whole number in 0.."},
		{"run", []any{js.ValueOf(map[string]any{"preset": "cpu_non_concurrent"}), 5, js.Null()}, "farmOrigin: want a string, got the number 5"},
	} {
		_, err := await(api.Call(c.call, c.args...))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s%v: error %v, want %q", c.call, c.args, err, c.want)
		}
	}
	if api.Call("info").Get("where").String() != "browser" {
		t.Error("the engine stopped answering after wrong arguments")
	}
}

// The page's pool takes its batch size from the engine: the one procpool uses natively.
func TestAPIHandsOutTheNativePoolsBatchSize(t *testing.T) {
	api := engine(t)
	race := js.ValueOf(map[string]any{"experiment": "race", "variant": "process", "workers": 2, "tasks": 5000})
	if size := api.Call("handout", race); size.Type() != js.TypeNumber || size.Int() != 625 {
		t.Fatalf("handout of 5000 race tasks on 2 processes: %v, want Pool.map's chunks of 625", size)
	}
	cpu := js.ValueOf(map[string]any{"experiment": "cpu", "variant": "process", "workers": 2, "tasks": 20})
	if size := api.Call("handout", cpu); size.Type() != js.TypeNumber || size.Int() != 1 {
		t.Errorf("handout of 20 cpu tasks: %v, want one task at a time", size)
	}
	seq := js.ValueOf(map[string]any{"experiment": "cpu", "variant": "sequential"})
	if err := api.Call("handout", seq); !strings.Contains(err.Get("message").String(), "not in the process pool") {
		t.Errorf("handout of a sequential job: %v, want it refused", err)
	}
}
