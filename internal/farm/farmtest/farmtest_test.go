package farmtest_test

import (
	"net/http/httptest"
	"testing"

	"concurrency-playground/internal/farm"
	"concurrency-playground/internal/farm/farmtest"
)

// The native side of the table: farm.Handler behind a real HTTP server on loopback. The edge
// side is in edge/edge_test.go (the Worker in workerd).
func TestNativeFarm(t *testing.T) {
	srv := httptest.NewServer(farm.Handler())
	defer srv.Close()
	farmtest.Run(t, srv.URL)
}
