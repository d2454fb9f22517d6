package files

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sockerless/sockerless/builtins"
)

func init() {
	builtins.Register(&builtins.Command{Name: "dd", Usage: ddUsage, Run: runDd})
}

const ddUsage = `Usage: dd [if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]
	[conv=notrunc|noerror|sync|fsync|swab|ucase|lcase]
	[iflag=skip_bytes|count_bytes|fullblock] [oflag=seek_bytes|append]
	[status=none|noxfer|progress]

Copy a file with converting and formatting

	if=FILE		Read from FILE instead of stdin
	of=FILE		Write to FILE instead of stdout
	bs=N		Read and write N bytes at a time
	ibs=N		Read N bytes at a time
	obs=N		Write N bytes at a time
	count=N		Copy only N input blocks
	skip=N		Skip N input blocks
	seek=N		Skip N output blocks
	conv=notrunc	Don't truncate output file
	conv=noerror	Continue after read errors
	conv=sync	Pad blocks with zeros
	conv=fsync	Physically write data out before finishing
	conv=swab	Swap every pair of bytes
	conv=ucase	Convert to upper case
	conv=lcase	Convert to lower case
	iflag=skip_bytes	skip=N is in bytes
	iflag=count_bytes	count=N is in bytes
	oflag=seek_bytes	seek=N is in bytes
	iflag=fullblock	Read full blocks
	oflag=append	Open output in append mode
	status=noxfer	Suppress rate output
	status=none	Suppress all output
N may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G`

// ddNumber parses dd's N with its suffixes (and "NxM" products).
func ddNumber(s string) (int64, bool) {
	if a, b, ok := strings.Cut(s, "x"); ok {
		x, ok1 := ddNumber(a)
		y, ok2 := ddNumber(b)
		return x * y, ok1 && ok2
	}
	sfx := []struct {
		s string
		m int64
	}{{"kB", 1000}, {"KB", 1000}, {"MB", 1000000}, {"GB", 1000000000}, {"kD", 1000}, {"MD", 1000000}, {"GD", 1000000000},
		{"c", 1}, {"w", 2}, {"b", 512}, {"k", 1024}, {"K", 1024}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}}
	m := int64(1)
	for _, x := range sfx {
		if strings.HasSuffix(s, x.s) && len(s) > len(x.s) {
			s, m = s[:len(s)-len(x.s)], x.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * m, true
}

type ddStats struct {
	inFull, inPart, outFull, outPart int64
	bytes                            int64
}

func runDd(ctx context.Context, env *builtins.Env, args []string) int {
	ibs, obs := int64(512), int64(512)
	count := int64(-1)
	var skip, seek int64
	var inName, outName, status string
	conv, iflag, oflag := map[string]bool{}, map[string]bool{}, map[string]bool{}
	bsSet := false
	for _, a := range args[1:] {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			env.Errorf("dd", "unknown operand %s", a)
			return 1
		}
		num := func() (int64, bool) {
			n, ok := ddNumber(v)
			if !ok {
				env.Errorf("dd", "invalid number '%s'", v)
			}
			return n, ok
		}
		var n int64
		switch k {
		case "if":
			inName = v
		case "of":
			outName = v
		case "bs", "ibs", "obs", "count", "skip", "seek", "iseek", "oseek":
			if n, ok = num(); !ok {
				return 1
			}
			switch k {
			case "bs":
				ibs, obs, bsSet = n, n, true
			case "ibs":
				ibs = n
			case "obs":
				obs = n
			case "count":
				count = n
			case "skip", "iseek":
				skip = n
			case "seek", "oseek":
				seek = n
			}
			if (k == "bs" || k == "ibs" || k == "obs") && n == 0 {
				env.Errorf("dd", "invalid number '%s'", v)
				return 1
			}
		case "conv", "iflag", "oflag":
			m := map[string]map[string]bool{"conv": conv, "iflag": iflag, "oflag": oflag}[k]
			valid := map[string]string{
				"conv":  ",notrunc,sync,noerror,fsync,swab,ucase,lcase,",
				"iflag": ",skip_bytes,count_bytes,fullblock,direct,",
				"oflag": ",seek_bytes,append,direct,",
			}[k]
			for _, f := range strings.Split(v, ",") {
				if !strings.Contains(valid, ","+f+",") {
					env.Errorf("dd", "invalid argument '%s' to '%s'", f, k)
					return 1
				}
				m[f] = true
			}
		case "status":
			status = v
		default:
			env.Errorf("dd", "unknown operand %s", a)
			return 1
		}
	}
	if bsSet {
		obs = ibs
	}
	in := io.Reader(env.Stdin)
	var inFile *os.File
	if inName != "" && builtins.StdStream(env.Abs(inName)) != 0 {
		f, err := os.Open(env.Abs(inName))
		if err != nil {
			env.Errorf("dd", "can't open '%s': %s", inName, errText(err))
			return 1
		}
		defer f.Close()
		in, inFile = f, f
	}
	out := io.Writer(env.Stdout)
	var outFile *os.File
	switch builtins.StdStream(env.Abs(outName)) {
	case 1:
		outName = ""
	case 2:
		outName, out = "", env.Stderr
	}
	if outName != "" {
		flags := os.O_WRONLY | os.O_CREATE
		if oflag["append"] {
			flags |= os.O_APPEND
		}
		abs := env.Abs(outName)
		_, statErr := os.Stat(abs)
		f, err := os.OpenFile(abs, flags, 0o644)
		if err != nil {
			env.Errorf("dd", "can't open '%s': %s", outName, errText(err))
			return 1
		}
		if statErr != nil {
			env.Sys.Chmod(abs, 0o644)
		}
		defer f.Close()
		out, outFile = f, f
	}
	if !iflag["skip_bytes"] {
		skip *= ibs
	}
	if !oflag["seek_bytes"] {
		seek *= obs
	}
	if skip > 0 {
		done := false
		if inFile != nil {
			if _, err := inFile.Seek(skip, io.SeekCurrent); err == nil {
				done = true
			}
		}
		if !done {
			if _, err := io.CopyN(io.Discard, in, skip); err != nil && err != io.EOF {
				env.Errorf("dd", "%s", errText(err))
				return 1
			}
		}
	}
	if outFile != nil {
		if !conv["notrunc"] && !oflag["append"] {
			if fi, err := outFile.Stat(); err == nil && fi.Mode().IsRegular() {
				outFile.Truncate(seek)
			}
		}
		if seek > 0 {
			outFile.Seek(seek, io.SeekStart)
		}
	} else if seek > 0 {
		out.Write(make([]byte, seek))
	}
	var st ddStats
	start := time.Now()
	rc := ddCopy(ctx, env, in, out, outFile, ibs, obs, count, iflag, conv, &st)
	if conv["fsync"] && outFile != nil {
		outFile.Sync()
	}
	if status != "none" {
		fmt.Fprintf(env.Stderr, "%d+%d records in\n%d+%d records out\n", st.inFull, st.inPart, st.outFull, st.outPart)
		if status != "noxfer" {
			secs := time.Since(start).Seconds()
			rate := uint64(0)
			if secs > 0 {
				rate = uint64(float64(st.bytes) / secs)
			}
			fmt.Fprintf(env.Stderr, "%d bytes (%sB) copied, %f seconds, %sB/s\n", st.bytes, humanSize(uint64(st.bytes)), secs, humanSize(rate))
		}
	}
	return rc
}

func ddCopy(ctx context.Context, env *builtins.Env, in io.Reader, out io.Writer, outFile *os.File, ibs, obs, count int64, iflag, conv map[string]bool, st *ddStats) int {
	buf := make([]byte, ibs)
	var pending bytes.Buffer
	var inBytes int64
	flush := func(all bool) error {
		for int64(pending.Len()) >= obs || (all && pending.Len() > 0) {
			n := min(int64(pending.Len()), obs)
			w, err := out.Write(pending.Next(int(n)))
			st.bytes += int64(w)
			if err != nil {
				return err
			}
			if int64(w) == obs {
				st.outFull++
			} else {
				st.outPart++
			}
		}
		return nil
	}
	for {
		if ctx.Err() != nil {
			return 1
		}
		want := ibs
		if count >= 0 {
			if iflag["count_bytes"] {
				if inBytes >= count {
					break
				}
				want = min(ibs, count-inBytes)
			} else if st.inFull+st.inPart >= count {
				break
			}
		}
		var n int
		var err error
		if iflag["fullblock"] {
			n, err = io.ReadFull(in, buf[:want])
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
		} else {
			n, err = in.Read(buf[:want])
			if n == 0 && err == nil {
				continue
			}
		}
		if n == 0 {
			if err != nil && err != io.EOF {
				env.Errorf("dd", "%s", errText(err))
				if conv["noerror"] {
					continue
				}
				flush(true)
				return 1
			}
			break
		}
		inBytes += int64(n)
		if int64(n) == ibs {
			st.inFull++
		} else {
			st.inPart++
		}
		block := buf[:n]
		if conv["sync"] && int64(n) < ibs {
			block = buf[:ibs]
			for i := n; i < len(block); i++ {
				block[i] = 0
			}
		}
		if conv["swab"] {
			for i := 0; i+1 < len(block); i += 2 {
				block[i], block[i+1] = block[i+1], block[i]
			}
		}
		if conv["ucase"] {
			block = bytes.ToUpper(block)
		} else if conv["lcase"] {
			block = bytes.ToLower(block)
		}
		if ibs == obs {
			w, werr := out.Write(block)
			st.bytes += int64(w)
			if werr != nil {
				env.Errorf("dd", "%s", errText(werr))
				return 1
			}
			if int64(w) == obs {
				st.outFull++
			} else {
				st.outPart++
			}
		} else {
			pending.Write(block)
			if err := flush(false); err != nil {
				env.Errorf("dd", "%s", errText(err))
				return 1
			}
		}
		if err == io.EOF {
			break
		}
	}
	if err := flush(true); err != nil {
		env.Errorf("dd", "%s", errText(err))
		return 1
	}
	_ = outFile
	return 0
}
