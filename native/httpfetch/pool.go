package httpfetch

import (
	"context"
	"sync"
)

// Pool is a run's connections: one goroutine per connection, each with a client of its own,
// taking the run's downloads in turn. A worker hands its download to the pool and waits for
// the answer, so however many workers a run has (10,000), it holds at most MaxConnsPerRun
// connections, and only those goroutines go deep into net/http: a goroutine's stack grows to
// tens of KB there and stays so, and 10,000 workers doing their own downloads held 150 MB.
// With one connection per worker (up to MaxConnsPerRun) it is the lesson's session per thread.
type Pool struct {
	reqs chan request
	wg   sync.WaitGroup
}

type request struct {
	ctx   context.Context
	url   string
	reply chan<- reply
}

type reply struct {
	n   int64
	err error
}

// NewPool starts conns connections (at most MaxConnsPerRun).
func NewPool(conns int) *Pool {
	p := &Pool{reqs: make(chan request)}
	for range min(max(conns, 1), MaxConnsPerRun) {
		c := New(1)
		p.wg.Go(func() {
			defer c.Close()
			for r := range p.reqs {
				n, err := c.Fetch(r.ctx, r.url)
				r.reply <- reply{n, err}
			}
		})
	}
	return p
}

// Fetch GETs url on the next free connection and reads the whole body.
func (p *Pool) Fetch(ctx context.Context, url string) (int64, error) {
	answer := make(chan reply, 1)
	select {
	case p.reqs <- request{ctx, url, answer}:
	case <-ctx.Done():
		return 0, context.Cause(ctx)
	}
	r := <-answer // the connection's Fetch ends with ctx
	return r.n, r.err
}

// Close ends the connections once the downloads in flight are over.
func (p *Pool) Close() {
	close(p.reqs)
	p.wg.Wait()
}
