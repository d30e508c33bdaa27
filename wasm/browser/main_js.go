package main

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"strings"
	"syscall/js"

	"concurrency-playground/internal/info"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// apiName is the global the engine installs for the Web Worker script that hosts it.
const apiName = "playgroundEngine"

func main() {
	install(js.Global())
	select {} // the API's callbacks do the work from now on
}

// install sets globalThis.playgroundEngine:
//
//	info(): Info — where: "browser", the variants it runs, the limits (as GET /api/info)
//	run(job: Job, farmOrigin: string, report: (spans: Float64Array, done: number, total: number) => void, options?: {http1?: boolean}): Promise<Result>
//	  — runs the job and resolves with its result, or rejects with an Error that says what was
//	  wrong. report gets the new spans, 5 numbers each [worker, task, state, start_ns, end_ns],
//	  and the progress, every ~40 ms and at the end. options.http1 says whether the page's
//	  requests go over HTTP/1.1 (six connections per host) or HTTP/2 and later (one connection
//	  for all): the page knows the protocol it was loaded over, the engine does not. Without
//	  it, the farm origin's scheme decides (http: is taken for HTTP/1.1).
//
//	resolve(job: Job): Spec | Error — the job as this browser runs it (for the process pool: how
//	  many Web Workers, how many tasks), or an Error that says what was wrong
//	runTasks(job: Job, from: number, to: number, lane: number, origin: number, farmOrigin: string): Promise<{results: string[], counted: number, spans: Float64Array}>
//	  — as one browser process of the process pool: runs tasks [from, to) of the job's process
//	  variant one after another on lane; counted is this engine's own race counter; spans are
//	  on the run's clock, whose zero is origin on this worker's performance.now (ms)
//	assemble(job: Job, results: string[], repeats: number[], counters: number[][], spans: number): Promise<Result>
//	  — the process pool's result from every task's result, each repeat's duration (ns) and,
//	  for the race, each repeat's counters, one per browser process
//
// Job, Result and Info are the objects of site/src/types.ts. A callback may not block (the
// JavaScript thread would wait for Go, and Go for it), so run returns a promise at once and
// works in a goroutine.
func install(global js.Value) {
	info := infoValues(info.New(machine(), workload.BrowserVariants))
	api := js.Global().Get("Object").New()
	api.Set("info", js.FuncOf(func(js.Value, []js.Value) any { return js.ValueOf(info) }))
	api.Set("run", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 3 || len(args) > 4 || args[1].Type() != js.TypeString || args[2].Type() != js.TypeFunction {
			return rejected(errors.New("run(job: object, farmOrigin: string, report: function, options?: {http1?: boolean}): wrong arguments"))
		}
		job, err := jobFromJS(args[0])
		if err != nil {
			return rejected(err)
		}
		farm, report := args[1].String(), args[2]
		http1 := !strings.HasPrefix(farm, "https:")
		if len(args) == 4 {
			if http1, err = http1Option(args[3], http1); err != nil {
				return rejected(err)
			}
		}
		return promise(func() (any, error) { return runJob(job, farm, http1, report) })
	}))
	api.Set("resolve", js.FuncOf(func(_ js.Value, args []js.Value) any {
		spec, err := resolveJS(args, 1)
		if err != nil {
			return jsErrorValue(err) // returned, not thrown: a panic in a callback ends the Go program
		}
		return js.ValueOf(specValues(spec))
	}))
	api.Set("runTasks", js.FuncOf(func(_ js.Value, args []js.Value) any {
		spec, err := processSpec(args)
		if err != nil {
			return rejected(err)
		}
		from, to, lane, origin, farm := args[1].Int(), args[2].Int(), args[3].Int(), args[4].Float(), strings.TrimSuffix(args[5].String(), "/")
		if spec.Experiment == workload.IO && !isOrigin(farm) {
			return rejected(errors.New("farm: " + strconv.Quote(farm) + ` is not an http(s) origin such as "http://127.0.0.1:8080"`))
		}
		offset := int64((performanceNow() - origin) * 1e6)
		work := func() (any, error) {
			b, err := RunTasks(context.Background(), spec, Options{Fetcher: fetcher{}, FarmURL: farm}, from, to, lane, offset)
			if err != nil {
				return nil, err
			}
			spans, _ := spanBatch(b.Spans, nil)
			out := js.Global().Get("Object").New()
			out.Set("results", js.ValueOf(anySlice(b.Results)))
			out.Set("counted", b.Counted)
			out.Set("spans", spans)
			return out, nil
		}
		if spec.Experiment == workload.CPU {
			// A sum waits on nothing of JavaScript's, so it runs in the call itself: a goroutine
			// per batch cost a fresh stack grown and copied each time, and the scheduler's
			// rounds, in every new worker before V8 had optimised that code.
			return settled(work)
		}
		return promise(work)
	}))
	api.Set("assemble", js.FuncOf(func(_ js.Value, args []js.Value) any {
		spec, err := resolveJS(args, 5)
		if err != nil {
			return rejected(err)
		}
		results := make([]string, args[1].Length())
		for i := range results {
			results[i] = args[1].Index(i).String()
		}
		repeats := make([]int64, args[2].Length())
		for i := range repeats {
			repeats[i] = int64(args[2].Index(i).Float())
		}
		counters := make([][]int64, args[3].Length())
		for i := range counters {
			c := args[3].Index(i)
			counters[i] = make([]int64, c.Length())
			for k := range counters[i] {
				counters[i][k] = int64(c.Index(k).Float())
			}
		}
		return promise(func() (any, error) {
			res, err := Assemble(spec, machine(), results, repeats, counters, args[4].Int())
			if err != nil {
				return nil, err
			}
			return js.ValueOf(resultValues(res)), nil
		})
	}))
	global.Set(apiName, api)
}

// resolveJS reads and resolves the job of a call that takes n arguments, the job first. The
// process pool's engines fetch nothing over the event loop's connections, so http1 plays no part.
func resolveJS(args []js.Value, n int) (workload.Spec, error) {
	if len(args) != n {
		return workload.Spec{}, errors.New("want " + strconv.Itoa(n) + " arguments, the job first")
	}
	job, err := jobFromJS(args[0])
	if err != nil {
		return workload.Spec{}, err
	}
	return Resolve(job, machine().Cores, true)
}

// resolved is the job a browser process resolved last, kept by the JavaScript object's
// identity: its worker passes one job object for all the batches of a run (worker.ts), and
// resolving it again for each batch ran the job's field table, allocating and reading the
// object field by field, in every fresh worker, until V8 had optimised that code too.
var resolved struct {
	job  js.Value
	spec workload.Spec
}

// processSpec resolves runTasks' job, or takes the spec it resolved for that job object last.
func processSpec(args []js.Value) (workload.Spec, error) {
	if len(args) == 6 && !resolved.job.IsUndefined() && args[0].Equal(resolved.job) {
		return resolved.spec, nil
	}
	spec, err := resolveJS(args, 6)
	if err != nil {
		return spec, err
	}
	resolved.job, resolved.spec = args[0], spec
	return spec, nil
}

// performanceNow is this worker's performance.now(), in ms: the clock the page converts.
func performanceNow() float64 { return js.Global().Get("performance").Call("now").Float() }

// jobFromJS reads a job object: its fields must be strings, numbers or booleans; a null or
// undefined field is left out, as JSON.stringify and encoding/json would.
func jobFromJS(v js.Value) (workload.Job, error) {
	if v.Type() != js.TypeObject || js.Global().Get("Array").Call("isArray", v).Bool() {
		return workload.Job{}, errors.New("job: want an object such as {preset: \"cpu_non_concurrent\"}")
	}
	keys := js.Global().Get("Object").Call("keys", v)
	fields := make(map[string]any, keys.Length())
	for i := range keys.Length() {
		k := keys.Index(i).String()
		switch x := v.Get(k); x.Type() {
		case js.TypeString:
			fields[k] = x.String()
		case js.TypeNumber:
			fields[k] = x.Float()
		case js.TypeBoolean:
			fields[k] = x.Bool()
		case js.TypeNull, js.TypeUndefined:
		default:
			return workload.Job{}, errors.New("job: " + k + ": want a string, a number or a boolean")
		}
	}
	return jobFromValues(fields)
}

// http1Option reads run's options: {http1: boolean}; a missing, null or undefined options or
// http1 keeps fallback (the farm scheme's guess).
func http1Option(v js.Value, fallback bool) (bool, error) {
	switch v.Type() {
	case js.TypeNull, js.TypeUndefined:
		return fallback, nil
	case js.TypeObject:
	default:
		return false, errors.New("options: want an object such as {http1: true}")
	}
	switch h := v.Get("http1"); h.Type() {
	case js.TypeBoolean:
		return h.Bool(), nil
	case js.TypeNull, js.TypeUndefined:
		return fallback, nil
	}
	return false, errors.New("options: http1: want a boolean")
}

// runJob resolves and runs one job, streaming its spans and progress to report. http1: the
// page's requests share six connections per host (HTTP/1.1), which become the event loop's lanes.
func runJob(job workload.Job, farmOrigin string, http1 bool, report js.Value) (any, error) {
	m := machine()
	spec, err := Resolve(job, m.Cores, http1)
	if err != nil {
		return nil, err
	}
	farmOrigin = strings.TrimSuffix(farmOrigin, "/")
	if spec.Experiment == workload.IO && !isOrigin(farmOrigin) {
		return nil, errors.New("farm: " + strconv.Quote(farmOrigin) + ` is not an http(s) origin such as "http://127.0.0.1:8080"`)
	}
	var buf []byte
	sink := func(spans []trace.Span, done, total int) {
		var batch js.Value
		batch, buf = spanBatch(spans, buf)
		report.Invoke(batch, done, total)
	}
	res, err := Run(context.Background(), spec, Options{Fetcher: fetcher{}, FarmURL: farmOrigin, Machine: m, Sink: sink})
	if err != nil {
		return nil, err
	}
	return js.ValueOf(resultValues(res)), nil
}

// isOrigin accepts "http://host[:port]" and "https://host[:port]": the farm's URLs are built
// on it, and nothing else.
func isOrigin(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "http://")
	}
	return ok && rest != "" && !strings.ContainsAny(rest, "/?#@ \\")
}

// spanBatch copies spans into a new Float64Array, 5 numbers a span, through buf (reused
// between calls). The array's buffer is the worker's to transfer to the page. The bytes are
// little-endian, as a Float64Array's are on every platform browsers run on; syscall/js copies
// only bytes, and one copy of the batch beats five calls into JavaScript per span.
func spanBatch(spans []trace.Span, buf []byte) (js.Value, []byte) {
	const fields = 5
	buf = buf[:0]
	for _, s := range spans {
		for _, f := range [fields]float64{float64(s.Lane), float64(s.Task), float64(s.State), float64(s.Start), float64(s.End)} {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
		}
	}
	bytes := js.Global().Get("Uint8Array").New(len(buf))
	js.CopyBytesToJS(bytes, buf)
	return js.Global().Get("Float64Array").New(bytes.Get("buffer")), buf
}

// promise returns a Promise settled by work, which runs in a goroutine of its own. A panic
// rejects the promise instead of stopping the engine.
func promise(work func() (any, error)) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer func() {
				if v := recover(); v != nil {
					reject.Invoke(js.Global().Get("Error").New("the engine failed: " + panicText(v)))
				}
			}()
			out, err := work()
			if err != nil {
				reject.Invoke(jsErrorValue(err))
				return
			}
			resolve.Invoke(out)
		}()
		return nil
	})
	defer executor.Release() // the constructor calls it at once
	return js.Global().Get("Promise").New(executor)
}

// settled runs work now, in the calling callback, and returns a promise already settled with
// its outcome, as promise() would later: for work that never waits on JavaScript, which would
// deadlock in a callback. A panic rejects it, as in promise().
func settled(work func() (any, error)) (p js.Value) {
	defer func() {
		if v := recover(); v != nil {
			p = rejected(errors.New("the engine failed: " + panicText(v)))
		}
	}()
	out, err := work()
	if err != nil {
		return rejected(err)
	}
	return js.Global().Get("Promise").Call("resolve", out)
}

// panicText says what a recovered panic was, without fmt (see values.go on the wasm's size).
func panicText(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "a panic"
}

func rejected(err error) js.Value {
	return js.Global().Get("Promise").Call("reject", jsErrorValue(err))
}

func jsErrorValue(err error) js.Value { return js.Global().Get("Error").New(err.Error()) }

// machine describes the browser: navigator's view of the cores (the engine uses one of them)
// and the user agent; Node, which runs the tests, may have no navigator.
func machine() workload.Machine {
	m := workload.ThisMachine(workload.WhereBrowser)
	if nav := js.Global().Get("navigator"); nav.Truthy() {
		if c := nav.Get("hardwareConcurrency"); c.Type() == js.TypeNumber && c.Int() > 0 {
			m.Cores = c.Int()
		}
		if ua := nav.Get("userAgent"); ua.Type() == js.TypeString {
			m.Agent = ua.String()
		}
	}
	return m
}
