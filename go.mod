module concurrency-playground

go 1.26

require (
	github.com/evanw/esbuild v0.28.2
	github.com/gorilla/websocket v1.5.3
	github.com/syumai/workers v0.33.0
)

require golang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8 // indirect
