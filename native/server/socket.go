package server

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"concurrency-playground/internal/protocol"
	"concurrency-playground/internal/trace"
)

// A socket has the shape of gorilla's chat example: the handler's goroutine reads (readLoop),
// one goroutine writes (writeLoop) and owns every write, and a bounded queue lies between the
// two. The writer also streams the current run's spans and progress on its own clock: it takes
// the spans from the run's recorder only when it is ready to send them, so a client that reads
// slowly gets fewer, larger batches (coalesced), and one that stops reading holds no queue of
// batches at all — the spans wait in the recorder, which forgets them once sent and coarsens
// them when too many wait (Config.StreamLimit), until the write deadline drops the connection
// and with it the run.
type conn struct {
	s   *Server
	ws  *websocket.Conn
	out chan outgoing // the writer's queue: hello, errors, a run's start and end

	done    chan struct{} // closed by over when the reader or the writer stops
	ended   sync.Once
	leaving chan struct{} // closed by Shutdown: finish the run's last message, then close
	leave   sync.Once

	mu     sync.Mutex
	run    *activeRun // the run going on this connection, nil if none
	runsWG sync.WaitGroup
}

// outgoing is one item of the writer's queue.
type outgoing struct {
	data  []byte     // a message to write as it is
	start *activeRun // begin streaming this run's spans and progress
	end   *activeRun // flush the run's last spans, free the connection, then write data
}

// queueLen bounds the writer's queue. Only a handful of messages are ever in it at once (a
// run's start and end, errors answering the client); a client that floods us with messages
// it does not read the answers to finds the reader blocked behind a full queue.
const queueLen = 16

// maxBatch caps the spans in one message (~300 KB), so a slow reader's coalesced backlog
// goes out in pieces a browser parses without a hiccup.
const maxBatch = 8192

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if !s.guard.originAllowed(r) {
		s.refused(r, "origin")
		http.Error(w, "forbidden: Origin "+clip(r.Header.Get("Origin"))+" may not open this WebSocket; start the server with -allow-origin to allow it", http.StatusForbidden)
		return
	}
	if n := s.sockets.Add(1); n > int64(s.cfg.MaxSockets) {
		s.sockets.Add(-1)
		s.refused(r, "sockets")
		w.Header().Set("Retry-After", "5")
		http.Error(w, "busy: the server has its maximum of open WebSockets (-max-sockets); try again later", http.StatusServiceUnavailable)
		return
	}
	defer s.sockets.Add(-1)
	c := &conn{s: s, out: make(chan outgoing, queueLen), done: make(chan struct{}), leaving: make(chan struct{})}
	if !s.track(c) {
		http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.untrack(c)
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered the request with why (400, 403)
	}
	c.mu.Lock()
	c.ws = ws
	c.mu.Unlock()
	s.log.Debug("socket opened", "remote", r.RemoteAddr, "origin", r.Header.Get("Origin"))
	defer s.log.Debug("socket closed", "remote", r.RemoteAddr)
	c.out <- outgoing{data: *s.hello.Load()}
	var writer sync.WaitGroup
	writer.Go(c.writeLoop)
	c.readLoop()
	// The client is gone or closed (gorilla has answered its close frame), or its frame was
	// too big (gorilla has sent 1009): close at once, which also frees a writer stuck in a
	// write to a client that stopped reading.
	c.over()
	ws.Close()
	c.cancelRun(errDisconnected)
	writer.Wait()
	c.runsWG.Wait()
	if ar := c.current(); ar != nil {
		ar.finish() // its end never reached the writer
	}
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.conns[c] = struct{}{}
	s.connWG.Add(1)
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.connWG.Done()
}

// goAway is Shutdown's word to one socket: cancel the run, tell the client, close.
func (c *conn) goAway() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.leave.Do(func() { close(c.leaving) })
	if c.run != nil {
		c.run.cancel(errShutdown)
	}
}

// drop closes the socket at once, for a Shutdown whose time is up.
func (c *conn) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws != nil {
		c.ws.Close()
	}
}

// readLoop reads client messages until the connection fails or closes.
func (c *conn) readLoop() {
	ws := c.ws
	ws.SetReadLimit(protocol.MaxMessageBytes) // beyond it gorilla answers 1009 and we stop
	alive := func() { ws.SetReadDeadline(time.Now().Add(c.s.cfg.PongWait)) }
	alive()
	ws.SetPongHandler(func(string) error { alive(); return nil })
	for {
		kind, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		alive()
		if kind != websocket.TextMessage {
			c.send(errorMsg("", protocol.CodeInvalid, "message: binary frames are not part of the protocol; send JSON text"))
			continue
		}
		msg, err := protocol.Decode(data)
		if err != nil {
			var de *protocol.DecodeError
			errors.As(err, &de)
			c.send(errorMsg(de.ID, protocol.CodeInvalid, err.Error()))
			continue
		}
		switch m := msg.(type) {
		case protocol.Run:
			c.startRun(m)
		case protocol.Cancel:
			c.cancel(m.ID)
		}
	}
}

// over marks the connection as over: nothing more is queued for the writer, which may be gone.
func (c *conn) over() { c.ended.Do(func() { close(c.done) }) }

// send queues a message for the writer, unless the connection is over.
func (c *conn) send(o outgoing) bool {
	select {
	case c.out <- o:
		return true
	case <-c.done:
		return false
	}
}

func errorMsg(id string, code protocol.Code, message string) outgoing {
	return outgoing{data: protocol.Encode(protocol.NewError(id, code, message))}
}

// writeLoop owns every write to the socket.
func (c *conn) writeLoop() {
	cfg := c.s.cfg
	ws := c.ws
	defer ws.Close() // after a failed write, this is what stops the reader
	defer c.over()   // and this what frees it if it waits for room in the queue
	ping := time.NewTicker(cfg.PongWait * 9 / 10)
	defer ping.Stop()
	st := stream{c: c}
	defer st.stop()
	write := func(kind int, data []byte) error {
		ws.SetWriteDeadline(time.Now().Add(cfg.WriteWait))
		return ws.WriteMessage(kind, data)
	}
	goAway := func() {
		ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), time.Now().Add(time.Second))
		// Give the client a moment to answer the close, which ends the reader.
		ws.SetReadDeadline(time.Now().Add(time.Second))
		<-c.done
	}
	leaving := c.leaving
	for {
		var err error
		select {
		case o := <-c.out:
			switch {
			case o.start != nil:
				st.start(o.start)
			case o.end != nil:
				if err = st.flush(write, true); err == nil {
					st.stop()
					o.end.finish() // the next run may start as soon as the client reads this
					err = write(websocket.TextMessage, o.data)
				}
			default:
				err = write(websocket.TextMessage, o.data)
			}
		case <-st.tick:
			err = st.flush(write, false)
		case <-ping.C:
			err = ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(cfg.WriteWait))
		case <-leaving:
			leaving = nil // once the run's end is written (at once, if none is going)
		case <-c.done:
			return
		}
		if err != nil {
			return // a write failed or timed out: the client is gone or not reading
		}
		if leaving == nil && st.run == nil && len(c.out) == 0 {
			goAway()
			return
		}
	}
}

// stream is the writer's view of the run it is streaming.
type stream struct {
	c        *conn
	run      *activeRun
	ticker   *time.Ticker
	tick     <-chan time.Time // nil when no run is going: idle sockets do not wake up
	batch    []trace.Span
	buf      []byte
	sent     int // progress last sent
	lastSent time.Time
}

func (st *stream) start(ar *activeRun) {
	st.run, st.sent, st.lastSent = ar, -1, time.Time{}
	st.ticker = time.NewTicker(st.c.s.cfg.SpanInterval)
	st.tick = st.ticker.C
}

func (st *stream) stop() {
	if st.ticker != nil {
		st.ticker.Stop()
	}
	st.run, st.ticker, st.tick = nil, nil, nil
}

// flush sends the spans recorded since the last flush, in messages of at most maxBatch, and
// progress when it changed and is due (always at the end).
func (st *stream) flush(write func(int, []byte) error, final bool) error {
	ar := st.run
	if ar == nil {
		return nil
	}
	// The spans waiting now, a batch at a time: the recorder forgets each batch as it is taken,
	// so what a slow client has not read yet waits there, bounded (trace.NewStreamRecorder).
	for waiting := ar.rec.Waiting(); waiting > 0; waiting -= len(st.batch) {
		st.batch = ar.rec.Next(st.batch[:0], min(waiting, maxBatch))
		if len(st.batch) == 0 {
			break // coarsened while we wrote: fewer wait than we counted
		}
		st.buf = protocol.AppendSpans(st.buf[:0], ar.id, st.batch)
		if err := write(websocket.TextMessage, st.buf); err != nil {
			return err
		}
	}
	done := int(ar.done.Load())
	if done != st.sent && (final || time.Since(st.lastSent) >= st.c.s.cfg.ProgressPeriod) {
		if err := write(websocket.TextMessage, protocol.Encode(protocol.NewProgress(ar.id, done, ar.spec.TotalTasks()))); err != nil {
			return err
		}
		st.sent, st.lastSent = done, time.Now()
	}
	return nil
}
