package containers

import (
	"io"
	"sync"
)

// pipe is a container's stdin: attach clients write, the init process
// reads. Writes block until read (so nothing is lost and memory stays
// bounded), and closing the read side at exit releases blocked writers.
type pipeReader struct{ *io.PipeReader }
type pipeWriter struct {
	*io.PipeWriter
	once sync.Once
}

func newPipe() (*pipeReader, *pipeWriter) {
	r, w := io.Pipe()
	return &pipeReader{r}, &pipeWriter{PipeWriter: w}
}

func (w *pipeWriter) closeOnce() { w.once.Do(func() { w.PipeWriter.Close() }) }
