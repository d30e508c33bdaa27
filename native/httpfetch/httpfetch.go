// Package httpfetch is the native workload.Fetcher: net/http, a connection per worker like the
// lesson's thread-local requests.Session, and at most MaxConnsPerRun of them (Pool).
package httpfetch

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Client fetches pages over HTTP/1.1 keep-alive connections of its own.
type Client struct{ c *http.Client }

// New returns a client with its own connection pool, as one requests.Session has. conns is
// how many connections it opens at most: 1 for a worker's own session. A request beyond them
// waits for one of them to be free.
func New(conns int) *Client {
	conns = max(conns, 1)
	t := &http.Transport{
		DialContext:         dial(&net.Dialer{Timeout: 5 * time.Second}),
		MaxConnsPerHost:     conns,
		MaxIdleConnsPerHost: conns,
		MaxIdleConns:        conns,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true, // count the bytes of the body, as requests' len(content) does
	}
	return &Client{c: &http.Client{Transport: t, Timeout: 60 * time.Second}}
}

// Fetch GETs url and reads the whole body.
func (c *Client) Fetch(ctx context.Context, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, err
	}
	if resp.StatusCode != http.StatusOK {
		return n, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return n, nil
}

// Close drops the client's idle connections.
func (c *Client) Close() { c.c.CloseIdleConnections() }
