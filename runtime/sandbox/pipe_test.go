package sandbox

import "io"

func io_pipe() (*io.PipeReader, *io.PipeWriter) { return io.Pipe() }
