// Package jsutil is the browser engine's glue to JavaScript, kept apart from what the engine
// does: a call's arguments read and checked, so that a wrong one is an error the caller reads
// rather than a panic (which would end the Go program, and with it the engine), and promises
// settled from Go. Like the engine, it uses strconv, not fmt, which would add a tenth to the wasm.
package jsutil

import (
	"errors"
	"math"
	"strconv"
	"syscall/js"
)

// Args reads one call's arguments. It keeps the first problem; every read after it returns a
// zero value, so a caller reads them all and then checks Err once.
type Args struct {
	args []js.Value
	err  error
}

// NewArgs checks the count of a call's arguments: min to max of them. signature is the call's,
// as its error names it: "runTasks(job, from, to, lane, origin, farmOrigin)".
func NewArgs(signature string, args []js.Value, min, max int) *Args {
	a := &Args{args: args}
	if len(args) < min || len(args) > max {
		want := strconv.Itoa(min)
		if max > min {
			want += " to " + strconv.Itoa(max)
		}
		a.err = errors.New(signature + ": want " + want + " arguments, got " + strconv.Itoa(len(args)))
	}
	return a
}

// Err is the first problem found, or nil.
func (a *Args) Err() error { return a.err }

// Len is how many arguments were passed.
func (a *Args) Len() int { return len(a.args) }

// Value is argument i as it is (undefined if it is missing), for a reader of its own.
func (a *Args) Value(i int) js.Value {
	if a.err != nil || i >= len(a.args) {
		return js.Undefined()
	}
	return a.args[i]
}

// Fail records a problem with the argument called name, unless one came first.
func (a *Args) Fail(name, want string) {
	if a.err == nil {
		a.err = errors.New(name + ": want " + want)
	}
}

// Check records err, unless a problem came first.
func (a *Args) Check(err error) {
	if a.err == nil && err != nil {
		a.err = err
	}
}

// Int is argument i, a whole number in lo..hi.
func (a *Args) Int(i int, name string, lo, hi int) int {
	n, err := Int(a.Value(i), name, lo, hi)
	a.Check(err)
	return n
}

// Float is argument i, a finite number.
func (a *Args) Float(i int, name string) float64 {
	v := a.Value(i)
	if a.err != nil {
		return 0
	}
	if v.Type() != js.TypeNumber || math.IsInf(v.Float(), 0) || math.IsNaN(v.Float()) {
		a.Fail(name, "a finite number, got "+describe(v))
		return 0
	}
	return v.Float()
}

// String is argument i, a string.
func (a *Args) String(i int, name string) string {
	v := a.Value(i)
	if a.err != nil {
		return ""
	}
	if v.Type() != js.TypeString {
		a.Fail(name, "a string, got "+describe(v))
		return ""
	}
	return v.String()
}

// Func is argument i, a function.
func (a *Args) Func(i int, name string) js.Value {
	v := a.Value(i)
	if a.err == nil && v.Type() != js.TypeFunction {
		a.Fail(name, "a function, got "+describe(v))
	}
	return v
}

// Int reads v, a whole number in lo..hi.
func Int(v js.Value, name string, lo, hi int) (int, error) {
	want := "a whole number in " + strconv.Itoa(lo) + ".." + strconv.Itoa(hi)
	if v.Type() != js.TypeNumber {
		return 0, errors.New(name + ": want " + want + ", got " + describe(v))
	}
	f := v.Float()
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, errors.New(name + ": want " + want + ", got " + strconv.FormatFloat(f, 'g', -1, 64))
	}
	return int(f), nil
}

// List reads v, an array of at most max items, each read by item (given its name, "name[i]").
func List[T any](v js.Value, name string, max int, item func(v js.Value, name string) (T, error)) ([]T, error) {
	if !IsArray(v) {
		return nil, errors.New(name + ": want an array, got " + describe(v))
	}
	n := v.Length()
	if n > max {
		return nil, errors.New(name + ": want at most " + strconv.Itoa(max) + " items, got " + strconv.Itoa(n))
	}
	out := make([]T, n)
	for i := range out {
		var err error
		if out[i], err = item(v.Index(i), name+"["+strconv.Itoa(i)+"]"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StringItem and Int64Item read one item of a List: a string; a whole number.
func StringItem(v js.Value, name string) (string, error) {
	if v.Type() != js.TypeString {
		return "", errors.New(name + ": want a string, got " + describe(v))
	}
	return v.String(), nil
}

func Int64Item(v js.Value, name string) (int64, error) {
	n, err := Int(v, name, 0, 1<<53)
	return int64(n), err
}

// IsArray is Array.isArray(v).
func IsArray(v js.Value) bool { return js.Global().Get("Array").Call("isArray", v).Bool() }

// describe names a value's type for an error message: "a string", "null", "an array".
func describe(v js.Value) string {
	switch v.Type() {
	case js.TypeUndefined:
		return "nothing"
	case js.TypeNull:
		return "null"
	case js.TypeObject:
		if IsArray(v) {
			return "an array"
		}
		return "an object"
	case js.TypeNumber:
		return "the number " + strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	return "a " + v.Type().String()
}

// Object is a new, empty JavaScript object.
func Object() js.Value { return js.Global().Get("Object").New() }

// Error is a JavaScript Error with err's message.
func Error(err error) js.Value { return js.Global().Get("Error").New(err.Error()) }

// Rejected is a promise already rejected with err.
func Rejected(err error) js.Value { return js.Global().Get("Promise").Call("reject", Error(err)) }

// Promise returns a Promise settled by work, which runs in a goroutine of its own: a callback
// may not block (the JavaScript thread would wait for Go, and Go for it). A panic rejects the
// promise instead of stopping the engine.
func Promise(work func() (any, error)) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer func() {
				if v := recover(); v != nil {
					reject.Invoke(Error(errors.New("the engine failed: " + panicText(v))))
				}
			}()
			out, err := work()
			if err != nil {
				reject.Invoke(Error(err))
				return
			}
			resolve.Invoke(out)
		}()
		return nil
	})
	defer executor.Release() // the constructor calls it at once
	return js.Global().Get("Promise").New(executor)
}

// Settled runs work now, in the calling callback, and returns a promise already settled with
// its outcome, as Promise would later: for work that never waits on JavaScript, which would
// deadlock in a callback. A panic rejects it, as in Promise.
func Settled(work func() (any, error)) (p js.Value) {
	defer func() {
		if v := recover(); v != nil {
			p = Rejected(errors.New("the engine failed: " + panicText(v)))
		}
	}()
	out, err := work()
	if err != nil {
		return Rejected(err)
	}
	return js.Global().Get("Promise").Call("resolve", out)
}

// panicText says what a recovered panic was.
func panicText(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "a panic"
}
