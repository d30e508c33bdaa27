package httpfetch

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// A pool asked for more connections than a run may hold opens MaxConnsPerRun at most, however
// many workers download at once, and every download still arrives.
func TestPoolHoldsAtMostMaxConnsPerRun(t *testing.T) {
	var mu sync.Mutex
	var open, most int
	arrived := make(chan struct{})
	var once sync.Once
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-arrived // hold every download until as many as can be in flight are
		w.Write([]byte("page"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch s {
		case http.StateNew:
			open++
			most = max(most, open)
			if open == MaxConnsPerRun {
				once.Do(func() { close(arrived) })
			}
		case http.StateClosed, http.StateHijacked:
			open--
		}
	}
	srv.Start()
	defer srv.Close()

	p := NewPool(10 * MaxConnsPerRun)
	var wg sync.WaitGroup
	var bytes atomic.Int64
	for range 4 * MaxConnsPerRun {
		wg.Go(func() {
			n, err := p.Fetch(context.Background(), srv.URL)
			if err != nil {
				t.Error(err)
			}
			bytes.Add(n)
		})
	}
	wg.Wait()
	p.Close()
	if m := most; m != MaxConnsPerRun {
		t.Errorf("at most %d connections were open at once, want %d", m, MaxConnsPerRun)
	}
	if got, want := bytes.Load(), int64(4*MaxConnsPerRun*len("page")); got != want {
		t.Errorf("%d bytes arrived, want %d", got, want)
	}
}
