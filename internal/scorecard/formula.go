package scorecard

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Formula is a KPI's formula over other KPIs' codes, such as
// "K03 / K04 * 100": the four operations, parentheses, numbers and codes.
//
// It is read by a small parser of our own rather than a general expression
// library: the grammar is only arithmetic over codes and numbers, so
// nothing else (calls, comparisons, strings, members) can even be written,
// and codes may hold dots ("C1.2") that an expression language would read
// as member access.
type Formula struct {
	Source string
	root   *fNode
	codes  []string
}

// Formula errors are message keys the KPI form shows.
var (
	ErrFormulaSyntax = errors.New("scorecard.error.formula_syntax")
	ErrFormulaEmpty  = errors.New("scorecard.error.formula_empty")
)

// MaxFormula is the longest formula accepted, in bytes.
const MaxFormula = 500

type fNode struct {
	op          byte // 0 number, 'c' code, 'n' negation, + - * /
	num         float64
	code        string
	left, right *fNode
}

// ParseFormula reads a formula; a syntax error is refused with a message
// key the form shows (ErrFormulaSyntax, ErrFormulaEmpty).
func ParseFormula(expr string) (*Formula, error) {
	src := strings.TrimSpace(expr)
	if src == "" {
		return nil, ErrFormulaEmpty
	}
	if len(src) > MaxFormula {
		return nil, ErrFormulaSyntax
	}
	toks, err := fLex(src)
	if err != nil {
		return nil, err
	}
	p := &fParser{toks: toks}
	root, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, ErrFormulaSyntax
	}
	f := &Formula{Source: src, root: root}
	seen := map[string]bool{}
	var walk func(n *fNode)
	walk = func(n *fNode) {
		if n == nil {
			return
		}
		if n.op == 'c' && !seen[n.code] {
			seen[n.code] = true
			f.codes = append(f.codes, n.code)
		}
		walk(n.left)
		walk(n.right)
	}
	walk(root)
	return f, nil
}

// Codes lists the KPI codes the formula reads, each once, in the order
// they first appear.
func (f *Formula) Codes() []string {
	if f == nil {
		return nil
	}
	return append([]string(nil), f.codes...)
}

// Eval computes the formula from the codes' values; a code without a value
// or a division by zero gives ok false.
func (f *Formula) Eval(values map[string]float64) (v float64, ok bool) {
	if f == nil || f.root == nil {
		return 0, false
	}
	v, ok = f.root.eval(values)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func (n *fNode) eval(values map[string]float64) (float64, bool) {
	switch n.op {
	case 0:
		return n.num, true
	case 'c':
		v, ok := values[n.code]
		return v, ok
	case 'n':
		v, ok := n.left.eval(values)
		return -v, ok
	}
	l, ok := n.left.eval(values)
	if !ok {
		return 0, false
	}
	r, ok := n.right.eval(values)
	if !ok {
		return 0, false
	}
	switch n.op {
	case '+':
		return l + r, true
	case '-':
		return l - r, true
	case '*':
		return l * r, true
	case '/':
		if r == 0 {
			return 0, false
		}
		return l / r, true
	}
	return 0, false
}

type fTok struct {
	kind byte // 'n' number, 'c' code, or the operator or parenthesis itself
	num  float64
	text string
}

// fCodeRune reports whether r may stand in a KPI code after its first
// letter: letters, digits, "_" and ".".
func fCodeRune(r rune) bool {
	return r == '_' || r == '.' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func fLex(src string) ([]fTok, error) {
	var out []fTok
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case strings.ContainsRune("+-*/()", r):
			out = append(out, fTok{kind: byte(r)})
			i++
		case r >= '0' && r <= '9' || r == '.':
			j := i
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.') {
				j++
			}
			v, err := strconv.ParseFloat(string(rs[i:j]), 64)
			if err != nil || math.IsInf(v, 0) {
				return nil, ErrFormulaSyntax
			}
			out = append(out, fTok{kind: 'n', num: v})
			i = j
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			j := i
			for j < len(rs) && fCodeRune(rs[j]) {
				j++
			}
			raw := string(rs[i:j])
			if strings.HasSuffix(raw, ".") {
				return nil, ErrFormulaSyntax // a code does not end with a dot
			}
			out = append(out, fTok{kind: 'c', text: strings.ToUpper(raw)})
			i = j
		default:
			return nil, ErrFormulaSyntax
		}
	}
	return out, nil
}

type fParser struct {
	toks []fTok
	pos  int
}

func (p *fParser) peek() byte {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].kind
	}
	return 0
}

// expr reads a sum; level guards against absurd nesting.
func (p *fParser) expr(level int) (*fNode, error) {
	if level > 50 {
		return nil, ErrFormulaSyntax
	}
	left, err := p.term(level)
	if err != nil {
		return nil, err
	}
	for op := p.peek(); op == '+' || op == '-'; op = p.peek() {
		p.pos++
		right, err := p.term(level)
		if err != nil {
			return nil, err
		}
		left = &fNode{op: op, left: left, right: right}
	}
	return left, nil
}

func (p *fParser) term(level int) (*fNode, error) {
	left, err := p.factor(level)
	if err != nil {
		return nil, err
	}
	for op := p.peek(); op == '*' || op == '/'; op = p.peek() {
		p.pos++
		right, err := p.factor(level)
		if err != nil {
			return nil, err
		}
		left = &fNode{op: op, left: left, right: right}
	}
	return left, nil
}

func (p *fParser) factor(level int) (*fNode, error) {
	switch p.peek() {
	case 'n':
		t := p.toks[p.pos]
		p.pos++
		return &fNode{num: t.num}, nil
	case 'c':
		t := p.toks[p.pos]
		p.pos++
		return &fNode{op: 'c', code: t.text}, nil
	case '-', '+':
		neg := p.peek() == '-'
		p.pos++
		if level > 50 {
			return nil, ErrFormulaSyntax
		}
		n, err := p.factor(level + 1)
		if err != nil {
			return nil, err
		}
		if neg {
			return &fNode{op: 'n', left: n}, nil
		}
		return n, nil
	case '(':
		p.pos++
		n, err := p.expr(level + 1)
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, ErrFormulaSyntax
		}
		p.pos++
		return n, nil
	}
	return nil, ErrFormulaSyntax
}
