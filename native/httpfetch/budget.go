package httpfetch

import (
	"context"
	"net"
	"sync"
)

// MaxConnsPerRun bounds the connections one run holds open at once, however many workers it
// has: a run of 10,000 workers would otherwise open 10,000 connections to the farm, each a
// file descriptor at both ends and some 40 KB of buffers and goroutines, and take the server
// to "too many open files" and hundreds of MB. Workers beyond it share the run's clients, and
// wait for a connection as a browser's requests wait for one of its six.
const MaxConnsPerRun = 100

// fdReserve is what the budget leaves of the process's file descriptors for everything but
// the runs' connections: the server's listener, its WebSockets (-max-sockets, 1024 by
// default), the process pools' pipes, and the files the runtime opens.
const fdReserve = 2048

// budget bounds the connections every run in this process holds together, by the file
// descriptors the process may open: each is two of them when the farm is this process's own.
// A dial waits for room (or for its run to be cancelled) where it would otherwise fail with
// "too many open files", for the run and, worse, for the server's next accept.
var budget = sync.OnceValue(func() chan struct{} {
	return make(chan struct{}, max(64, (fileLimit()-fdReserve)/2))
})

// dial takes room in the budget for one connection, and gives it back when it is closed.
func dial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		b := budget()
		select {
		case b <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			<-b
			return nil, err
		}
		return &budgetConn{Conn: c, release: sync.OnceFunc(func() { <-b })}, nil
	}
}

type budgetConn struct {
	net.Conn
	release func()
}

func (c *budgetConn) Close() error {
	c.release()
	return c.Conn.Close()
}
