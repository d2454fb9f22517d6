package awk

import "regexp"

// symbol is a variable resolved at parse time to a slot.
type symbol struct {
	name    string
	local   bool
	idx     int
	array   bool
	special int // one of sp*, 0 for an ordinary variable
}

const (
	spNone = iota
	spNF
	spNR
	spFNR
	spFS
	spOFS
	spORS
	spRS
	spSUBSEP
	spCONVFMT
	spOFMT
	spRSTART
	spRLENGTH
	spFILENAME
	numSpecials
)

var specialNames = map[string]int{
	"NF": spNF, "NR": spNR, "FNR": spFNR, "FS": spFS, "OFS": spOFS, "ORS": spORS,
	"RS": spRS, "SUBSEP": spSUBSEP, "CONVFMT": spCONVFMT, "OFMT": spOFMT,
	"RSTART": spRSTART, "RLENGTH": spRLENGTH, "FILENAME": spFILENAME,
}

type expr interface {
	eval(in *interp) value
}

// lvalue is an assignable expression.
type lvalue interface {
	expr
	assign(in *interp, v value)
	// ref returns the storage of the value when it is plain memory, or
	// nil when assignment has side effects (fields, special variables).
	ref(in *interp) *value
}

type (
	litExpr   struct{ v value }
	regexExpr struct {
		src string
		re  *regexp.Regexp
	}
	varExpr   struct{ sym *symbol }
	indexExpr struct {
		sym   *symbol
		index []expr
	}
	fieldExpr  struct{ index expr }
	assignExpr struct {
		lhs lvalue
		rhs expr
		op  tokKind // tAssign or the arithmetic operator of a compound assignment
	}
	condExpr   struct{ c, a, b expr }
	andExpr    struct{ a, b expr }
	orExpr     struct{ a, b expr }
	notExpr    struct{ a expr }
	negExpr    struct{ a expr }
	plusExpr   struct{ a expr }
	binaryExpr struct {
		op   tokKind
		a, b expr
	}
	concatExpr struct{ parts []expr }
	cmpExpr    struct {
		op   tokKind
		a, b expr
	}
	matchExpr struct {
		a, re expr
		neg   bool
	}
	inExpr struct {
		index []expr
		arr   *symbol
	}
	incrExpr struct {
		lv    lvalue
		pre   bool
		delta float64
	}
	callExpr struct {
		name string
		fn   *funcDef
		args []expr
		line int
	}
	builtinExpr struct {
		fn   int
		args []expr
	}
	getlineExpr struct {
		kind int // glSimple, glFile, glCmd
		lv   lvalue
		src  expr
	}
	groupExpr struct{ exprs []expr }
)

const (
	glSimple = iota
	glFile
	glCmd
)

type stmt interface{}

type (
	exprStmt  struct{ e expr }
	printStmt struct {
		printf bool
		args   []expr
		redir  tokKind // 0, tGt, tAppend, tPipe
		dest   expr
	}
	ifStmt struct {
		cond      expr
		then, els []stmt
	}
	whileStmt struct {
		cond expr
		body []stmt
	}
	doStmt struct {
		body []stmt
		cond expr
	}
	forStmt struct {
		init, post stmt
		cond       expr
		body       []stmt
	}
	forInStmt struct {
		v    lvalue
		arr  *symbol
		body []stmt
	}
	blockStmt    struct{ body []stmt }
	nextStmt     struct{}
	nextfileStmt struct{}
	exitStmt     struct{ e expr }
	returnStmt   struct{ e expr }
	breakStmt    struct{}
	continueStmt struct{}
	deleteStmt   struct {
		arr   *symbol
		index []expr // nil deletes the whole array
	}
)

type funcDef struct {
	name    string
	params  []*symbol
	body    []stmt
	defined bool
	line    int
}

type rule struct {
	pattern, pattern2 expr // pattern2 non-nil for ranges
	body              []stmt
	hasBody           bool
	inRange           bool
}

type program struct {
	begin, end []rule
	rules      []rule
	funcs      map[string]*funcDef
	globals    []*symbol
}
