package runner

import (
	"context"
	"net"
	"net/http"
	"time"

	"concurrency-playground/internal/farm"
)

// StartFarm serves the site farm on a free loopback port, for a run that has no server of its
// own (`native run`), and returns its origin and a function that stops it.
func StartFarm() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(farm.Prefix, farm.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}
