package workload

import "errors"

// Python is the CPython interpreter a run ran in (where "cpython"): its version and whether
// its global interpreter lock was on (false only in a free-threaded build that runs without it).
type Python struct {
	Version string `json:"version"`
	GIL     bool   `json:"gil"`
}

// PythonScript is the lesson's script (site/python, without .py) for an experiment and a
// variant: the page shows it beside the Go, and a CPython run runs it. The gil variant is
// CPython's threads, so its script is the threading one.
func PythonScript(e Experiment, v Variant) string {
	script := map[Variant]string{
		Sequential: "sequential", Pool: "threading", GIL: "threading",
		EventLoop: "asyncio", Process: "processes",
	}[v]
	return string(e) + "_" + script
}

// CheckPython says whether a CPython run can run s: the lesson's race script is `counter += 1`
// as written, so only the unsafe race without a yield between the read and the write.
func (s Spec) CheckPython() error {
	if s.Experiment == Race && s.Mode != Unsafe {
		return errors.New("mode: CPython runs the lesson's race as written (unsafe); " + string(s.Mode) + " runs in Go only")
	}
	if s.Yield {
		return errors.New("yield: CPython runs the lesson's race as written, without a yield between the read and the write")
	}
	return nil
}
