// Package protocol holds what the playground's peers say to each other over the WebSocket.
// The /api/info document, which the hello carries, is package info's.
package protocol

import "concurrency-playground/internal/info"

// Protocol is the WebSocket protocol's version (info.Protocol), which the hello states.
const Protocol = info.Protocol

// Info is the hello's `info`: the same document as GET /api/info.
type Info = info.Info
