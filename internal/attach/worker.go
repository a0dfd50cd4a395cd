package attach

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Worker reads attachments in a child process: the program itself,
// started again with WorkerEnv set, which serves one packet's files and
// exits. The child limits its own address space and CPU time, and the
// parent kills it at the deadline, so a file that defeats the reader
// (pdfcpu decoding object streams before any budget of ours applies, a
// bug in a parser) costs that file's render an answer naming the file,
// never the service its memory or a slot.
type Worker struct {
	// Command is the program and its arguments; nil: this executable.
	Command []string
	// Memory is what the child may map beyond what the runtime maps at
	// start (default 512 MiB); its Go heap is held to 3/4 of it.
	Memory int64
}

// WorkerEnv, set in a process's environment, makes ServeWorker serve.
const WorkerEnv = "PROTOKOL_ATTACHMENT_WORKER"

// DefaultWorkerMemory is a worker's memory when none is set: three times
// what the largest real attachments we measured took to read.
const DefaultWorkerMemory = 512 << 20

// Result is what reading one file gave.
type Result struct {
	File *File
	Err  error // *Error, *TooManyPagesError; the context's error
}

var errStart = errors.New("the attachment worker did not start")

type request struct {
	Limits   Limits
	Deadline time.Time
	Memory   int64
	Files    [][]byte
}

type reply struct {
	File     *File
	Reason   string // an *Error's
	TooMany  int    // a *TooManyPagesError's Max
	Canceled bool
}

// ReadAll reads the files in order. A file the worker died on is an
// *Error saying so; the files after it are read by a new worker.
func (w *Worker) ReadAll(ctx context.Context, files [][]byte, lim Limits) ([]Result, error) {
	out := make([]Result, 0, len(files))
	for len(out) < len(files) {
		got, err := w.run(ctx, files[len(out):], lim)
		if errors.Is(err, errStart) {
			return nil, err
		}
		out = append(out, got...)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil && len(out) < len(files) {
			// the worker died on the next file: that file's answer
			out = append(out, Result{Err: &Error{"could not be read within the reader's limits (memory or time); it may be damaged or built to exhaust a reader"}})
		}
	}
	return out, nil
}

// maxReply bounds what a worker may send back for a packet: the files'
// copies are compressed anew, so about their size; a child that sends
// more is not believed.
func maxReply(files [][]byte) int64 {
	var n int64
	for _, f := range files {
		n += int64(len(f))
	}
	return 4*n + 64<<20
}

func (w *Worker) run(ctx context.Context, files [][]byte, lim Limits) ([]Result, error) {
	args := w.Command
	if len(args) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		args = []string{exe}
	}
	mem := w.Memory
	if mem <= 0 {
		mem = DefaultWorkerMemory
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(os.Environ(), WorkerEnv+"=1")
	cmd.Stderr = io.Discard
	cmd.WaitDelay = time.Second
	var in bytes.Buffer
	deadline, _ := ctx.Deadline()
	if err := gob.NewEncoder(&in).Encode(request{Limits: lim, Deadline: deadline, Memory: mem, Files: files}); err != nil {
		return nil, err
	}
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: %w", errStart, err)
	}
	var out []Result
	dec := gob.NewDecoder(bufio.NewReader(io.LimitReader(stdout, maxReply(files))))
	var readErr error
	for len(out) < len(files) {
		var rp reply
		if readErr = dec.Decode(&rp); readErr != nil {
			break
		}
		res, err := rp.result()
		if err != nil {
			readErr = err
			break
		}
		out = append(out, res)
	}
	if readErr != nil {
		cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	if readErr != nil {
		return out, fmt.Errorf("attachment worker: %w (%v)", readErr, waitErr)
	}
	return out, nil
}

func (rp *reply) result() (Result, error) {
	switch {
	case rp.Canceled:
		return Result{Err: context.DeadlineExceeded}, nil
	case rp.Reason != "":
		return Result{Err: &Error{rp.Reason}}, nil
	case rp.TooMany > 0:
		return Result{Err: &TooManyPagesError{Max: rp.TooMany}}, nil
	case rp.File == nil:
		return Result{}, errors.New("an empty reply")
	}
	if err := rp.File.check(); err != nil {
		return Result{}, err
	}
	return Result{File: rp.File}, nil
}

// ServeWorker serves as a worker and exits, when WorkerEnv is set; else
// it returns at once. Call it first thing in main (and in TestMain of
// tests that start this executable as a worker).
func ServeWorker() {
	if os.Getenv(WorkerEnv) != "1" {
		return
	}
	os.Exit(serve(os.Stdin, os.Stdout))
}

func serve(in io.Reader, out io.Writer) int {
	var req request
	if err := gob.NewDecoder(in).Decode(&req); err != nil {
		return 2
	}
	limitSelf(req.Memory, req.Deadline)
	ctx := context.Background()
	if !req.Deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, req.Deadline)
		defer cancel()
	}
	bw := bufio.NewWriter(out)
	enc := gob.NewEncoder(bw)
	for i := range req.Files {
		f, err := Read(ctx, req.Files[i], req.Limits)
		req.Files[i] = nil // what is read is garbage now
		var rp reply
		var e *Error
		var tm *TooManyPagesError
		switch {
		case ctx.Err() != nil:
			rp.Canceled = true
		case errors.As(err, &e):
			rp.Reason = e.Reason
		case errors.As(err, &tm):
			rp.TooMany = tm.Max
		case err != nil:
			rp.Reason = "could not be read: " + shortError(err)
		default:
			rp.File = f
		}
		if enc.Encode(&rp) != nil || bw.Flush() != nil {
			return 1
		}
		if rp.Canceled {
			return 1
		}
	}
	return 0
}

// Mapped is the address space this process has mapped (statm's size):
// what an address-space limit must allow beyond what the process will
// use, since the Go runtime reserves far more than it touches.
func Mapped() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[0], 10, 64)
	return pages * int64(os.Getpagesize())
}

// limitSelf holds the worker to its memory (an address-space limit the
// kernel enforces, of what the runtime has mapped at start and memory
// more, and a heap limit for the collector) and its CPU time to the
// deadline and two seconds: past them it dies, and the parent says so
// of the file it was reading. It also asks the kernel to kill it first
// when the machine or container runs out of memory.
func limitSelf(memory int64, deadline time.Time) {
	os.WriteFile("/proc/self/oom_score_adj", []byte("1000"), 0)
	if memory > 0 {
		debug.SetMemoryLimit(memory * 3 / 4)
		as := uint64(Mapped() + memory)
		syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: as, Max: as})
	}
	if !deadline.IsZero() {
		secs := uint64(time.Until(deadline)/time.Second) + 2
		syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: secs, Max: secs + 1})
	}
}
