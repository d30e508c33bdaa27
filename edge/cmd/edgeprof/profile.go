//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// cpuProfile is the part of V8's Profiler.stop answer this reads.
type cpuProfile struct {
	Nodes []struct {
		ID        int `json:"id"`
		CallFrame struct {
			FunctionName string `json:"functionName"`
			URL          string `json:"url"`
		} `json:"callFrame"`
		Children []int `json:"children"`
	} `json:"nodes"`
	Samples    []int `json:"samples"`
	TimeDeltas []int `json:"timeDeltas"` // µs before each sample
}

// A bucket takes a sample when a frame of its stack meets one of its patterns: "=name" a
// function of that name, "^prefix" a function whose name starts so (Go's functions are named
// in the wasm's name section, path separators as "_"), "@file" a script ending so. A sample goes
// to the first bucket in this list that takes it, so the specific ones come first.
var buckets = []struct {
	name     string
	patterns []string
}{
	{"V8's garbage collector", []string{"=(garbage collector)"}},
	{"idle (waiting for I/O or a timer)", []string{"=(idle)"}},
	{"workerd and V8 outside JavaScript", []string{"=(program)"}},
	{"Go's garbage collector", []string{"^runtime.gcBgMarkWorker", "^runtime.gcStart", "^runtime.bgsweep", "^runtime.gcAssist"}},
	{"instantiating the wasm (WebAssembly.Instance)", []string{"=Instance"}},
	{"Go's package initialisation", []string{"=runtime.doInit1"}},
	{"Go's runtime start (schedinit)", []string{"=runtime.schedinit", "=runtime.rt0_go"}},
	{"the handler (internal/api, internal/farm)", []string{"^net_http.__ServeMux_.ServeHTTP"}},
	{"request in, answer out: syumai/workers' Go side", []string{"^github.com_syumai_workers"}},
	{"request in, answer out: edge/worker/bridge's Go side", []string{"^concurrency_playground_edge_worker_bridge"}},
	{"the Response from Go's answer (worker.mjs)", []string{"=toResponse"}},
	{"Go's timers (worker.mjs)", []string{"=untilAnswered", "=wakeGo"}},
	{"Go's scheduler and syscall/js", []string{"^runtime.", "^syscall_js", "^syscall/js", "@wasm_exec.js"}},
	{"worker.mjs, the rest", []string{"@worker.mjs"}},
	{"entry.mjs (the local stand-in for the assets layer)", []string{"@entry.mjs"}},
}

func meets(pattern, function, url string) bool {
	p := pattern[1:]
	switch pattern[0] {
	case '=':
		return function == p
	case '^':
		return strings.HasPrefix(function, p)
	default:
		return strings.HasSuffix(url, p)
	}
}

// breakdown sums the profile's sampled time (ms) by bucket; what no bucket takes is "other".
func breakdown(raw json.RawMessage) (map[string]float64, float64, error) {
	var out struct {
		Profile cpuProfile `json:"profile"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, 0, err
	}
	p := out.Profile
	index := map[int]int{}
	parent := map[int]int{}
	for i, n := range p.Nodes {
		index[n.ID] = i
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	bucketOf := map[int]string{} // by node: its stack is the same every time
	bucket := func(id int) string {
		if b, ok := bucketOf[id]; ok {
			return b
		}
		b := "other (V8 builtins, the wasm's unnamed glue)"
	search:
		for _, bk := range buckets {
			for x := id; x != 0; x = parent[x] {
				f := p.Nodes[index[x]].CallFrame
				for _, pat := range bk.patterns {
					if meets(pat, f.FunctionName, f.URL) {
						b = bk.name
						break search
					}
				}
			}
		}
		bucketOf[id] = b
		return b
	}
	ms := map[string]float64{}
	var total float64
	for i, s := range p.Samples {
		if i+1 < len(p.TimeDeltas) { // a sample lasts until the next one
			d := float64(p.TimeDeltas[i+1]) / 1000
			ms[bucket(s)] += d
			total += d
		}
	}
	return ms, total, nil
}

// print writes the buckets, largest first, per request and as a share of the sampled time.
func print(w io.Writer, ms map[string]float64, total float64, requests int) {
	names := make([]string, 0, len(ms))
	for n := range ms {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return ms[names[i]] > ms[names[j]] })
	for _, n := range names {
		fmt.Fprintf(w, "  %7.3f ms  %5.1f %%  %s\n", ms[n]/float64(requests), 100*ms[n]/total, n)
	}
	fmt.Fprintf(w, "  %7.3f ms  100.0 %%  sampled in all, per request\n", total/float64(requests))
}
