//go:build js && wasm

package bridge

import (
	"fmt"
	"net/http"
	"syscall/js"

	"github.com/syumai/workers"
)

// Serve serves h to worker.mjs and never returns: the instance stays for the next request.
// It keeps syumai/workers' contract with its JavaScript (its wasm_exec.js hands Go the
// `context.binding` object, and workers.Ready says the handler is in place) and adds one
// function to the binding, serve(id, method, url, headers, body), answered through the
// binding's respond(id, status, statusText, headers, body) or fail(id, message).
func Serve(h http.Handler) {
	binding := js.Global().Get("context").Get("binding")
	respond, fail := binding.Get("respond"), binding.Get("fail")
	uint8Array := js.Global().Get("Uint8Array")
	binding.Set("maxBody", MaxBody)
	binding.Set("serve", js.FuncOf(func(_ js.Value, args []js.Value) any {
		id, method, url, headers := args[0], args[1].String(), args[2].String(), args[3].String()
		var body []byte
		if b := args[4]; !b.IsNull() {
			body = make([]byte, b.Length())
			js.CopyBytesToGo(body, b)
		}
		// A goroutine, as the handler may wait (the farm's delay is a timer): a wait inside a
		// JavaScript callback would stall the whole instance. Go runs it before this call
		// returns unless it waits, so an answer that does not wait is ready at once.
		go func() {
			res, err := serve(h, method, url, headers, body)
			if err != nil {
				fail.Invoke(id, err.Error())
				return
			}
			status, text, header, out := res.Result()
			b := js.Null()
			if len(out) > 0 {
				b = uint8Array.New(len(out))
				js.CopyBytesToJS(b, out)
			}
			res.Release()
			respond.Invoke(id, status, text, header, b)
		}()
		return nil
	}))
	workers.Ready()
	select {}
}

// serve runs the handler on one request. A panic fails that request alone, as net/http's
// server does, instead of ending the instance every request in flight shares.
func serve(h http.Handler, method, url, headers string, body []byte) (res *Response, err error) {
	req, err := NewRequest(method, url, headers, body)
	if err != nil {
		return nil, err
	}
	res = new(Response)
	defer func() {
		if p := recover(); p != nil {
			res.Release()
			res, err = nil, fmt.Errorf("the handler panicked: %v", p)
		}
	}()
	h.ServeHTTP(res, req)
	return res, nil
}
