package main

import (
	"context"
	"errors"
	"strconv"
	"syscall/js"
)

// fetcher is the browser's workload.Fetcher: the page's own fetch, called through syscall/js.
// net/http would do the same through fetch but makes the wasm four times larger.
type fetcher struct{}

// Fetch GETs url and reads the whole body. The goroutine waits on the fetch's promise, so
// other goroutines run meanwhile: the event loop's overlap is the browser's.
func (fetcher) Fetch(ctx context.Context, url string) (int64, error) {
	abort := js.Global().Get("AbortController").New()
	stop := context.AfterFunc(ctx, func() { abort.Call("abort") })
	defer stop()
	// no-store keeps the HTTP cache out of the way: the farm's pages are not cacheable anyway,
	// but Chromium's cache still lets only one request per URL through at a time (its cache
	// lock), and every task of one site asks for the same URL: without this, two sites would
	// mean two downloads in flight, not six.
	init := map[string]any{"signal": abort.Get("signal"), "cache": "no-store"}
	resp, err := await(js.Global().Call("fetch", url, init))
	if err != nil {
		return 0, errors.New("GET " + url + ": " + err.Error())
	}
	body, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return 0, errors.New("GET " + url + ": reading the body: " + err.Error())
	}
	n := int64(body.Get("byteLength").Int())
	if !resp.Get("ok").Bool() {
		return n, errors.New("GET " + url + ": " + strconv.Itoa(resp.Get("status").Int()) + " " + resp.Get("statusText").String())
	}
	return n, nil
}

// await blocks the calling goroutine, never the JavaScript thread, until the promise settles.
// It must not be called from inside a js.FuncOf callback: the callback that would settle it
// could then never run.
func await(promise js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- outcome{v: args[0]}
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- outcome{err: jsError(args[0])}
		return nil
	})
	defer onValue.Release()
	defer onError.Release()
	promise.Call("then", onValue, onError)
	o := <-ch
	return o.v, o.err
}

// jsError turns a thrown JavaScript value into a Go error, keeping the message and, for a
// failed fetch, its cause ("TypeError: fetch failed: connect ECONNREFUSED").
func jsError(v js.Value) error {
	if v.Type() != js.TypeObject || v.Get("message").Type() != js.TypeString {
		return errors.New(v.String())
	}
	msg := v.Get("message").String()
	if name := v.Get("name"); name.Type() == js.TypeString && name.String() != "Error" {
		msg = name.String() + ": " + msg
	}
	if cause := v.Get("cause"); cause.Truthy() {
		msg += ": " + jsError(cause).Error()
	}
	return errors.New(msg)
}
