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
	"concurrency-playground/wasm/browser/jsutil"
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
//	handout(job: Job): number | Error — the batch size of the process pool's job
//	  (workload.BatchSize, the native pool's too): one task, or the race's Pool.map chunks
//	runTasks(job: Job, from: number, to: number, lane: number, origin: number, farmOrigin: string): Promise<{results: string[], counted: number, spans: Float64Array}>
//	  — as one browser process of the process pool: runs tasks [from, to) of the job's process
//	  variant one after another on lane; counted is this engine's own race counter; spans are
//	  on the run's clock, whose zero is origin on this worker's performance.now (ms)
//	assemble(job: Job, results: string[], repeats: number[], counters: number[][], spans: number): Promise<Result>
//	  — the process pool's result from every task's result, each repeat's duration (ns) and,
//	  for the race, each repeat's counters, one per browser process
//
// Job, Result and Info are the objects of site/src/gen/protocol.gen.ts. Every argument is
// checked: a wrong one rejects the promise (or is the Error returned) with what was wanted.
func install(global js.Value) {
	api := jsutil.Object()
	for name, call := range map[string]func(js.Value, []js.Value) any{
		"info": infoCall, "run": runCall, "resolve": resolveCall, "handout": handoutCall,
		"runTasks": runTasksCall, "assemble": assembleCall,
	} {
		api.Set(name, js.FuncOf(call))
	}
	global.Set(apiName, api)
}

func infoCall(js.Value, []js.Value) any {
	return js.ValueOf(infoValues(info.New(machine(), workload.BrowserVariants)))
}

func runCall(_ js.Value, args []js.Value) any {
	a := jsutil.NewArgs("run(job, farmOrigin, report, options?)", args, 3, 4)
	job, err := jobFromJS(a.Value(0))
	a.Check(err)
	farm, report := a.String(1, "farmOrigin"), a.Func(2, "report")
	http1 := !strings.HasPrefix(farm, "https:")
	if a.Len() == 4 {
		http1, err = http1Option(a.Value(3), http1)
		a.Check(err)
	}
	if a.Err() != nil {
		return jsutil.Rejected(a.Err())
	}
	return jsutil.Promise(func() (any, error) { return runJob(job, farm, http1, report) })
}

// resolveCall returns its Error rather than throwing it: a panic in a callback ends the engine.
func resolveCall(_ js.Value, args []js.Value) any {
	spec, err := resolveJS(args, "resolve(job)")
	if err != nil {
		return jsutil.Error(err)
	}
	return js.ValueOf(specValues(spec))
}

func handoutCall(_ js.Value, args []js.Value) any {
	spec, err := resolveJS(args, "handout(job)")
	if err == nil && spec.Variant != workload.Process {
		err = errors.New("variant: " + strconv.Quote(string(spec.Variant)) + " runs in one engine (run), not in the process pool")
	}
	if err != nil {
		return jsutil.Error(err)
	}
	return workload.BatchSize(spec)
}

func runTasksCall(_ js.Value, args []js.Value) any {
	spec, err := processSpec(args)
	if err != nil {
		return jsutil.Rejected(err)
	}
	a := jsutil.NewArgs("runTasks(job, from, to, lane, origin, farmOrigin)", args, 6, 6)
	from, to := a.Int(1, "from", 0, spec.Tasks), a.Int(2, "to", 0, spec.Tasks)
	lane, origin := a.Int(3, "lane", 0, workload.Limits.ProcessWorkers-1), a.Float(4, "origin")
	farm, err := checkFarm(spec, a.String(5, "farmOrigin"))
	a.Check(err)
	if a.Err() != nil {
		return jsutil.Rejected(a.Err())
	}
	offset := int64((performanceNow() - origin) * 1e6)
	work := func() (any, error) {
		b, err := RunTasks(context.Background(), spec, Options{Fetcher: fetcher{}, FarmURL: farm}, from, to, lane, offset)
		if err != nil {
			return nil, err
		}
		spans, _ := spanBatch(b.Spans, nil)
		out := jsutil.Object()
		out.Set("results", js.ValueOf(anySlice(b.Results)))
		out.Set("counted", b.Counted)
		out.Set("spans", spans)
		return out, nil
	}
	if spec.Experiment == workload.CPU {
		// A sum waits on nothing of JavaScript's, so it runs in the call itself: a goroutine
		// per batch cost a fresh stack grown and copied each time, and the scheduler's
		// rounds, in every new worker before V8 had optimised that code.
		return jsutil.Settled(work)
	}
	return jsutil.Promise(work)
}

func assembleCall(_ js.Value, args []js.Value) any {
	spec, err := resolveJS(args, "assemble(job, results, repeats, counters, spans)")
	if err != nil {
		return jsutil.Rejected(err)
	}
	a := jsutil.NewArgs("assemble", args, 5, 5)
	results, err := jsutil.List(a.Value(1), "results", workload.Limits.Tasks, jsutil.StringItem)
	a.Check(err)
	repeats, err := jsutil.List(a.Value(2), "repeats", workload.Limits.Repeat, jsutil.Int64Item)
	a.Check(err)
	counters, err := jsutil.List(a.Value(3), "counters", workload.Limits.Repeat, func(v js.Value, name string) ([]int64, error) {
		return jsutil.List(v, name, workload.Limits.ProcessWorkers, jsutil.Int64Item)
	})
	a.Check(err)
	spans := a.Int(4, "spans", 0, math.MaxInt32)
	if a.Err() != nil {
		return jsutil.Rejected(a.Err())
	}
	return jsutil.Promise(func() (any, error) {
		res, err := Assemble(spec, machine(), results, repeats, counters, spans)
		if err != nil {
			return nil, err
		}
		return js.ValueOf(resultValues(res)), nil
	})
}

// resolveJS reads and resolves the job of a call whose signature names its arguments, the job
// first. The process pool's engines fetch nothing over the event loop's connections, so http1
// plays no part.
func resolveJS(args []js.Value, signature string) (workload.Spec, error) {
	n := strings.Count(signature, ",") + 1
	if err := jsutil.NewArgs(signature, args, n, n).Err(); err != nil {
		return workload.Spec{}, err
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
	spec, err := resolveJS(args, "runTasks(job, from, to, lane, origin, farmOrigin)")
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
	if farmOrigin, err = checkFarm(spec, farmOrigin); err != nil {
		return nil, err
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

// checkFarm is the farm's origin for a run of spec, without a trailing slash, checked where
// the run downloads from it.
func checkFarm(spec workload.Spec, origin string) (string, error) {
	origin = strings.TrimSuffix(origin, "/")
	if spec.Experiment == workload.IO && !isOrigin(origin) {
		return "", errors.New("farm: " + strconv.Quote(origin) + ` is not an http(s) origin such as "http://127.0.0.1:8080"`)
	}
	return origin, nil
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
