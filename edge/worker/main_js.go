//go:build js && wasm

package main

import "concurrency-playground/edge/worker/bridge"

func main() { bridge.Serve(routes(machine())) }
