package jsutil

import (
	"errors"
	"syscall/js"
	"testing"
)

func TestArgsKeepTheFirstProblem(t *testing.T) {
	args := []js.Value{js.ValueOf(3), js.ValueOf("x"), js.ValueOf(2.5)}
	a := NewArgs("f(a, b, c)", args, 3, 3)
	if n := a.Int(0, "a", 0, 10); n != 3 || a.Err() != nil {
		t.Fatalf("Int(3) = %d, %v", n, a.Err())
	}
	a.Int(1, "b", 0, 10)
	a.Int(2, "c", 0, 10) // a second problem: the first is kept
	if a.Err() == nil || a.Err().Error() != "b: want a whole number in 0..10, got a string" {
		t.Errorf("err %v, want b's", a.Err())
	}
}

func TestArgsReadEachKind(t *testing.T) {
	fn := js.FuncOf(func(js.Value, []js.Value) any { return nil })
	defer fn.Release()
	for _, c := range []struct {
		read func(a *Args)
		arg  any
		want string
	}{
		{func(a *Args) { a.Int(0, "n", 1, 5) }, 0, "n: want a whole number in 1..5, got 0"},
		{func(a *Args) { a.Int(0, "n", 1, 5) }, 4, ""},
		{func(a *Args) { a.Float(0, "x") }, js.Global().Get("NaN"), "x: want a finite number, got the number NaN"},
		{func(a *Args) { a.Float(0, "x") }, 0.25, ""},
		{func(a *Args) { a.String(0, "s") }, []any{}, "s: want a string, got an array"},
		{func(a *Args) { a.String(0, "s") }, "ok", ""},
		{func(a *Args) { a.Func(0, "f") }, map[string]any{}, "f: want a function, got an object"},
		{func(a *Args) { a.Func(0, "f") }, fn, ""},
	} {
		a := NewArgs("f(v)", []js.Value{js.ValueOf(c.arg)}, 1, 1)
		c.read(a)
		if got := errText(a.Err()); got != c.want {
			t.Errorf("reading %v: error %q, want %q", c.arg, got, c.want)
		}
	}
	if got := errText(NewArgs("f(a, b?)", nil, 1, 2).Err()); got != "f(a, b?): want 1 to 2 arguments, got 0" {
		t.Errorf("no arguments: %q", got)
	}
}

func TestList(t *testing.T) {
	got, err := List(js.ValueOf([]any{1, 2, 3}), "xs", 3, Int64Item)
	if err != nil || len(got) != 3 || got[2] != 3 {
		t.Errorf("List([1, 2, 3]) = %v, %v", got, err)
	}
	if _, err := List(js.ValueOf([]any{1, 2, 3}), "xs", 2, Int64Item); errText(err) != "xs: want at most 2 items, got 3" {
		t.Errorf("too long: %v", err)
	}
	if _, err := List(js.ValueOf([]any{"a", -1}), "xs", 5, StringItem); errText(err) != "xs[1]: want a string, got the number -1" {
		t.Errorf("a wrong item: %v", err)
	}
}

// A panic in work rejects the promise: it never ends the Go program.
func TestSettledRejectsAPanic(t *testing.T) {
	p := Settled(func() (any, error) { panic("boom") })
	msg := make(chan string, 1)
	onRejected := js.FuncOf(func(_ js.Value, args []js.Value) any { msg <- args[0].Get("message").String(); return nil })
	defer onRejected.Release()
	p.Call("catch", onRejected)
	if got := <-msg; got != "the engine failed: boom" {
		t.Errorf("rejected with %q", got)
	}
	p = Promise(func() (any, error) { return nil, errors.New("no") })
	p.Call("catch", onRejected)
	if got := <-msg; got != "no" {
		t.Errorf("rejected with %q", got)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
