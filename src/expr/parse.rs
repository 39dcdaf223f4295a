//! The lexer and recursive-descent parser of the standard syntax. Precedence, lowest first:
//! `OR`, `AND`, prefix `NOT`, comparison (`= != <> < <= > >= IN LIKE`, `NOT LIKE` and the binary
//! `NOT`, postfix `IS [NOT] NULL`; none of them chain), `+ -`, `* /`, unary minus, primary.
//! Nesting depth and source length are capped here, so every later recursion over the tree is
//! bounded.

use super::ast::{BinOp, Callee, Expr, ExprKind, Reader, UnaryOp};
use super::functions::Func;
use super::{ExprError, MAX_DEPTH, MAX_SOURCE_LEN, Span};
use crate::model::Value;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Int(u64),
    Dec(f64),
    Ident(String),
    Field(String),
    Var(Reader, String),
    LParen,
    RParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Eof,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Str(_) => "a string".into(),
        Tok::Int(_) | Tok::Dec(_) => "a number".into(),
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Field(s) => format!("`@{s}`"),
        Tok::Var(r, n) => format!("`{}(vars/@{n})`", r.prefix()),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Plus => "`+`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Star => "`*`".into(),
        Tok::Slash => "`/`".into(),
        Tok::Eq => "`=`".into(),
        Tok::Ne => "`!=`".into(),
        Tok::Lt => "`<`".into(),
        Tok::Le => "`<=`".into(),
        Tok::Gt => "`>`".into(),
        Tok::Ge => "`>=`".into(),
        Tok::Eof => "the end of the expression".into(),
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn ident_end(&self, from: usize) -> usize {
        let mut i = from;
        while i < self.bytes.len() && is_ident_char(self.bytes[i]) {
            i += 1;
        }
        i
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.src[self.pos..].chars().next() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn tokens(mut self) -> Result<Vec<(Tok, Span)>, ExprError> {
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            let start = self.pos;
            let Some(&c) = self.bytes.get(start) else {
                out.push((Tok::Eof, Span::new(start, start)));
                return Ok(out);
            };
            let one = |t: Tok| (t, 1usize);
            let next = self.bytes.get(start + 1).copied();
            let (tok, len) = match c {
                b'(' => one(Tok::LParen),
                b')' => one(Tok::RParen),
                b',' => one(Tok::Comma),
                b'+' => one(Tok::Plus),
                b'-' => one(Tok::Minus),
                b'*' => one(Tok::Star),
                b'/' => one(Tok::Slash),
                b'=' => one(Tok::Eq),
                b'!' if next == Some(b'=') => (Tok::Ne, 2),
                b'<' if next == Some(b'>') => (Tok::Ne, 2),
                b'<' if next == Some(b'=') => (Tok::Le, 2),
                b'<' => one(Tok::Lt),
                b'>' if next == Some(b'=') => (Tok::Ge, 2),
                b'>' => one(Tok::Gt),
                b'\'' => self.string(start, '\'')?,
                b'"' => self.string(start, '"')?,
                b'%' => {
                    return Err(ExprError::new(
                        Span::new(start, start + 1),
                        "unexpected `%`: a LIKE wildcard belongs inside a quoted pattern, like `@lastName LIKE 'Mart%n'`",
                    ));
                }
                b'0'..=b'9' => self.number(start)?,
                b'@' => {
                    if next.is_some_and(is_ident_start) {
                        let end = self.ident_end(start + 1);
                        (Tok::Field(self.src[start + 1..end].to_owned()), end - start)
                    } else {
                        return Err(ExprError::new(
                            Span::new(start, start + 1),
                            "expected a field name after `@` (like `@email`)",
                        ));
                    }
                }
                b'$' => self.var(start)?,
                c if is_ident_start(c) => {
                    let end = self.ident_end(start);
                    (Tok::Ident(self.src[start..end].to_owned()), end - start)
                }
                _ => {
                    let ch = self.src[start..].chars().next().unwrap_or('?');
                    return Err(ExprError::new(
                        Span::new(start, start + ch.len_utf8()),
                        format!(
                            "unexpected character `{ch}`: expected a value, an operator, a name or a parenthesis"
                        ),
                    ));
                }
            };
            self.pos = start + len;
            out.push((tok, Span::new(start, self.pos)));
        }
    }

    /// A string between `quote`s (`'` as in the reference, or `"`), the quote doubled inside.
    fn string(&self, start: usize, quote: char) -> Result<(Tok, usize), ExprError> {
        let mut s = String::new();
        let mut i = start + 1;
        let q_byte = quote as u8;
        while let Some(rest) = self.src.get(i..) {
            let Some(q) = rest.find(quote) else {
                break;
            };
            s.push_str(&rest[..q]);
            i += q + 1;
            if self.bytes.get(i) == Some(&q_byte) {
                s.push(quote);
                i += 1;
            } else {
                return Ok((Tok::Str(s), i - start));
            }
        }
        Err(ExprError::new(
            Span::new(start, self.src.len()),
            format!(
                "unterminated string: expected a closing `{quote}` (write `{quote}{quote}` for a quote inside)"
            ),
        ))
    }

    fn number(&self, start: usize) -> Result<(Tok, usize), ExprError> {
        let mut i = start;
        while i < self.bytes.len() && self.bytes[i].is_ascii_digit() {
            i += 1;
        }
        let mut decimal = false;
        if self.bytes.get(i) == Some(&b'.') && self.bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            decimal = true;
            i += 1;
            while i < self.bytes.len() && self.bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
        let span = Span::new(start, i);
        if self.bytes.get(i).copied().is_some_and(is_ident_char) {
            return Err(ExprError::new(
                Span::new(start, self.ident_end(i)),
                "malformed number: expected digits, optionally followed by `.` and digits",
            ));
        }
        let text = &self.src[start..i];
        if decimal {
            match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok((Tok::Dec(f), i - start)),
                _ => Err(ExprError::new(span, "decimal literal out of range")),
            }
        } else {
            match text.parse::<u64>() {
                Ok(v) => Ok((Tok::Int(v), i - start)),
                Err(_) => Err(ExprError::new(
                    span,
                    format!("integer literal too large: expected at most {}", i64::MAX),
                )),
            }
        }
    }

    fn var(&self, start: usize) -> Result<(Tok, usize), ExprError> {
        let name_end = self.ident_end(start + 1);
        let kw = &self.src[start + 1..name_end];
        let reader = match kw.to_ascii_lowercase().as_str() {
            "" => Reader::Text,
            "long" => Reader::Long,
            "float" => Reader::Float,
            "boolean" => Reader::Boolean,
            "datetime" => Reader::DateTime,
            _ => {
                return Err(ExprError::new(
                    Span::new(start, name_end),
                    format!(
                        "unknown reader `${kw}`: expected `$`, `$long`, `$float`, `$boolean` or `$datetime`"
                    ),
                ));
            }
        };
        let bad = |end: usize| {
            ExprError::new(
                Span::new(start, end.max(name_end)),
                format!(
                    "expected a variable read like `{}(vars/@name)`",
                    reader.prefix()
                ),
            )
        };
        let mut i = name_end;
        if self.bytes.get(i) != Some(&b'(') {
            return Err(bad(i));
        }
        i += 1;
        while self.bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        if !self.src[i..].starts_with("vars/@") {
            return Err(bad(i));
        }
        i += "vars/@".len();
        if !self.bytes.get(i).copied().is_some_and(is_ident_start) {
            return Err(bad(i));
        }
        let end = self.ident_end(i);
        let name = self.src[i..end].to_owned();
        i = end;
        while self.bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        if self.bytes.get(i) != Some(&b')') {
            return Err(ExprError::new(
                Span::new(start, i),
                format!("expected `)` to close `{}`", self.src[start..i].trim_end()),
            ));
        }
        Ok((Tok::Var(reader, name), i + 1 - start))
    }
}

/// An operator of the comparison level.
enum CmpOp {
    /// `= != < <= > >= IN LIKE NOT LIKE`.
    Binary(BinOp),
    /// `IS NULL`, `IS NOT NULL`.
    Postfix(UnaryOp),
}

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

/// Parses source text in the standard syntax. Fails with the first syntax error.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.len() > MAX_SOURCE_LEN {
        return Err(ExprError::new(
            Span::new(0, 0),
            format!(
                "expression too long: {} bytes, expected at most {MAX_SOURCE_LEN}",
                src.len()
            ),
        ));
    }
    let toks = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
    }
    .tokens()?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.expr()?;
    let (t, span) = p.peek();
    if *t != Tok::Eof {
        let msg = if matches!(t, Tok::RParen) {
            "unmatched `)`: expected an operator or the end of the expression".to_owned()
        } else {
            format!(
                "unexpected {}: expected an operator or the end of the expression",
                describe(t)
            )
        };
        return Err(ExprError::new(span, msg));
    }
    Ok(e)
}

fn node(kind: ExprKind, span: Span, children_height: usize) -> Result<Expr, ExprError> {
    let height = children_height + 1;
    if height > MAX_DEPTH {
        return Err(ExprError::new(
            span,
            format!("expression nested too deeply: expected at most {MAX_DEPTH} levels"),
        ));
    }
    Ok(Expr { kind, span, height })
}

fn binary(op: BinOp, op_span: Span, lhs: Expr, rhs: Expr) -> Result<Expr, ExprError> {
    let span = lhs.span.to(rhs.span);
    let h = lhs.height.max(rhs.height);
    node(
        ExprKind::Binary {
            op,
            op_span,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span,
        h,
    )
}

impl Parser {
    fn peek(&self) -> (&Tok, Span) {
        let i = self.pos.min(self.toks.len().saturating_sub(1));
        match self.toks.get(i) {
            Some((t, s)) => (t, *s),
            None => (&Tok::Eof, Span::default()),
        }
    }

    fn bump(&mut self) -> (Tok, Span) {
        let (t, s) = self.peek();
        let out = (t.clone(), s);
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        out
    }

    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek().0, Tok::Ident(s) if s.eq_ignore_ascii_case(kw))
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(
                self.peek().1,
                format!("expression nested too deeply: expected at most {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        self.enter()?;
        let r = self.or();
        self.depth -= 1;
        r
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.and()?;
        while self.keyword("or") {
            let (_, s) = self.bump();
            let rhs = self.and()?;
            lhs = binary(BinOp::Or, s, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.not()?;
        while self.keyword("and") {
            let (_, s) = self.bump();
            let rhs = self.not()?;
            lhs = binary(BinOp::And, s, lhs, rhs)?;
        }
        Ok(lhs)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.keyword("not") {
            let (_, s) = self.bump();
            self.enter()?;
            let operand = self.not();
            self.depth -= 1;
            let operand = operand?;
            let span = s.to(operand.span);
            let h = operand.height;
            return node(
                ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(operand),
                },
                span,
                h,
            );
        }
        self.comparison()
    }

    fn cmp_op(&self) -> Option<BinOp> {
        Some(match self.peek().0 {
            Tok::Eq => BinOp::Eq,
            Tok::Ne => BinOp::Ne,
            Tok::Lt => BinOp::Lt,
            Tok::Le => BinOp::Le,
            Tok::Gt => BinOp::Gt,
            Tok::Ge => BinOp::Ge,
            _ => return None,
        })
    }

    /// The operator after a comparison's left operand, with its span, consumed; `None` (and
    /// nothing consumed) when there is none.
    fn comparison_op(&mut self) -> Result<Option<(CmpOp, Span)>, ExprError> {
        if let Some(op) = self.cmp_op() {
            let (_, s) = self.bump();
            return Ok(Some((CmpOp::Binary(op), s)));
        }
        if self.keyword("in") {
            let (_, s) = self.bump();
            return Ok(Some((CmpOp::Binary(BinOp::In), s)));
        }
        if self.keyword("like") {
            let (_, s) = self.bump();
            return Ok(Some((CmpOp::Binary(BinOp::Like), s)));
        }
        if self.keyword("not") {
            let (_, s) = self.bump();
            // `a NOT LIKE b`, or the reference's binary form `a NOT b`, which means the same.
            if self.keyword("like") {
                let (_, l) = self.bump();
                return Ok(Some((CmpOp::Binary(BinOp::NotLike), s.to(l))));
            }
            return Ok(Some((CmpOp::Binary(BinOp::NotLike), s)));
        }
        if self.keyword("is") {
            let (_, s) = self.bump();
            let negated = self.keyword("not");
            if negated {
                self.bump();
            }
            if !self.keyword("null") {
                let (t, at) = self.peek();
                return Err(ExprError::new(
                    at,
                    format!(
                        "expected `NULL` after `IS{}`, found {}",
                        if negated { " NOT" } else { "" },
                        describe(t)
                    ),
                ));
            }
            let (_, n) = self.bump();
            let op = if negated {
                UnaryOp::IsNotNull
            } else {
                UnaryOp::IsNull
            };
            return Ok(Some((CmpOp::Postfix(op), s.to(n))));
        }
        Ok(None)
    }

    fn at_comparison_op(&self) -> bool {
        self.cmp_op().is_some() || ["in", "like", "not", "is"].iter().any(|k| self.keyword(k))
    }

    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let lhs = self.additive()?;
        let Some((op, s)) = self.comparison_op()? else {
            return Ok(lhs);
        };
        let e = match op {
            CmpOp::Binary(op) => {
                let rhs = self.additive()?;
                binary(op, s, lhs, rhs)?
            }
            CmpOp::Postfix(op) => {
                let span = lhs.span.to(s);
                let h = lhs.height;
                node(
                    ExprKind::Unary {
                        op,
                        operand: Box::new(lhs),
                    },
                    span,
                    h,
                )?
            }
        };
        if self.at_comparison_op() {
            return Err(ExprError::new(
                self.peek().1,
                "comparisons cannot be chained: expected `AND` or `OR` between comparisons",
            ));
        }
        Ok(e)
    }

    fn additive(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.multiplicative()?;
        loop {
            let op = match self.peek().0 {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(lhs),
            };
            let (_, s) = self.bump();
            let rhs = self.multiplicative()?;
            lhs = binary(op, s, lhs, rhs)?;
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek().0 {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                _ => return Ok(lhs),
            };
            let (_, s) = self.bump();
            let rhs = self.unary()?;
            lhs = binary(op, s, lhs, rhs)?;
        }
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if *self.peek().0 != Tok::Minus {
            return self.primary();
        }
        let (_, s) = self.bump();
        // `-9223372036854775808` is the one literal that only fits negated.
        if let (Tok::Int(v), vs) = self.peek()
            && *v == i64::MIN.unsigned_abs()
        {
            let span = s.to(vs);
            self.bump();
            return node(ExprKind::Literal(Value::Integer(i64::MIN)), span, 0);
        }
        self.enter()?;
        let operand = self.unary();
        self.depth -= 1;
        let operand = operand?;
        let span = s.to(operand.span);
        let h = operand.height;
        node(
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand: Box::new(operand),
            },
            span,
            h,
        )
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let (t, span) = self.bump();
        let leaf = |kind| node(kind, span, 0);
        match t {
            Tok::Str(s) => leaf(ExprKind::Literal(Value::String(s))),
            Tok::Int(v) => match i64::try_from(v) {
                Ok(i) => leaf(ExprKind::Literal(Value::Integer(i))),
                Err(_) => Err(ExprError::new(
                    span,
                    format!("integer literal too large: expected at most {}", i64::MAX),
                )),
            },
            Tok::Dec(f) => leaf(ExprKind::Literal(Value::Decimal(f))),
            Tok::Var(reader, name) => leaf(ExprKind::Var {
                reader,
                name,
                slot: None,
            }),
            Tok::Field(name) => leaf(ExprKind::Field(name)),
            Tok::LParen => {
                let inner = self.expr()?;
                let (t2, s2) = self.peek();
                if *t2 != Tok::RParen {
                    return Err(ExprError::new(
                        s2,
                        format!("expected `)` to close the `(`, found {}", describe(t2)),
                    ));
                }
                self.bump();
                // Parentheses only group: keep the inner node, widen nothing.
                Ok(inner)
            }
            Tok::Ident(name) => self.name(name, span),
            other => {
                let msg = match other {
                    Tok::Eof => "expected an expression".to_owned(),
                    _ => format!("expected an expression, found {}", describe(&other)),
                };
                Err(ExprError::new(span, msg))
            }
        }
    }

    /// A bare name: `true`, `false`, a function written without parentheses, or a call.
    fn name(&mut self, name: String, span: Span) -> Result<Expr, ExprError> {
        if name.eq_ignore_ascii_case("true") {
            return node(ExprKind::Literal(Value::Boolean(true)), span, 0);
        }
        if name.eq_ignore_ascii_case("false") {
            return node(ExprKind::Literal(Value::Boolean(false)), span, 0);
        }
        if ["and", "or", "not", "in", "like", "is"]
            .iter()
            .any(|k| name.eq_ignore_ascii_case(k))
        {
            return Err(ExprError::new(
                span,
                format!("expected an expression before `{name}`"),
            ));
        }
        if *self.peek().0 != Tok::LParen {
            // The reference writes some functions without parentheses: `RowId`, `newUUID`.
            if let Some(f) = Func::lookup(&name)
                && f.spec().params.is_empty()
            {
                return node(
                    ExprKind::Call {
                        callee: Callee::Known(f),
                        name_span: span,
                        args: Vec::new(),
                    },
                    span,
                    0,
                );
            }
            if name.eq_ignore_ascii_case("null") {
                return Err(ExprError::new(
                    span,
                    "there is no `NULL` value: test with `x IS NULL` or `IsNull(x)`",
                ));
            }
            return Err(ExprError::new(
                span,
                format!(
                    "unknown name `{name}`: expected a function call `{name}(...)`, a variable `$(vars/@{name})`, a field `@{name}` or a quoted string `'{name}'`"
                ),
            ));
        }
        self.call(name, span)
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, ExprError> {
        self.bump(); // `(`
        self.enter()?;
        let mut args = Vec::new();
        let mut height = 0;
        let end;
        if *self.peek().0 == Tok::RParen {
            end = self.bump().1;
        } else {
            loop {
                let a = self.expr()?;
                height = height.max(a.height);
                args.push(a);
                let (t, s) = self.bump();
                match t {
                    Tok::Comma => {}
                    Tok::RParen => {
                        end = s;
                        break;
                    }
                    other => {
                        return Err(ExprError::new(
                            s,
                            format!(
                                "expected `,` or `)` after an argument of `{name}`, found {}",
                                describe(&other)
                            ),
                        ));
                    }
                }
            }
        }
        self.depth -= 1;
        let span = name_span.to(end);
        let callee = match Func::lookup(&name) {
            Some(f) => {
                // The count is checked here, once, from the table: every later stage (checker,
                // evaluator, exports) gets calls whose arguments it may take by position.
                if let Some(problem) = f.spec().arity_problem(args.len()) {
                    return Err(ExprError::new(span, problem));
                }
                Callee::Known(f)
            }
            None => Callee::Unknown(name),
        };
        node(
            ExprKind::Call {
                callee,
                name_span,
                args,
            },
            span,
            height,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> ExprError {
        match parse(src) {
            Ok(e) => panic!("expected an error for {src:?}, got {e:?}"),
            Err(e) => e,
        }
    }

    /// Renders the tree with explicit parentheses.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Literal(Value::String(s)) => format!("'{s}'"),
            ExprKind::Literal(v) => v.to_string(),
            ExprKind::Var { reader, name, .. } => format!("{}(vars/@{name})", reader.prefix()),
            ExprKind::Field(f) => format!("@{f}"),
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Neg => format!("(-{})", show(operand)),
                UnaryOp::Not => format!("(NOT {})", show(operand)),
                UnaryOp::IsNull | UnaryOp::IsNotNull => {
                    format!("({} {})", show(operand), op.symbol())
                }
            },
            ExprKind::Binary { op, lhs, rhs, .. } => {
                format!("({} {} {})", show(lhs), op.symbol(), show(rhs))
            }
            ExprKind::Call { callee, args, .. } => {
                let name = match callee {
                    Callee::Known(f) => f.name().to_owned(),
                    Callee::Unknown(n) => format!("?{n}"),
                };
                let args: Vec<String> = args.iter().map(show).collect();
                format!("{name}({})", args.join(", "))
            }
        }
    }

    fn p(src: &str) -> String {
        match parse(src) {
            Ok(e) => show(&e),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn precedence() {
        assert_eq!(p("1 + 2 * 3"), "(1 + (2 * 3))");
        assert_eq!(p("1 - 2 - 3"), "((1 - 2) - 3)");
        assert_eq!(p("8 / 4 / 2"), "((8 / 4) / 2)");
        assert_eq!(p("-2 * 3"), "((-2) * 3)");
        assert_eq!(p("- -2"), "(-(-2))");
        assert_eq!(p("1 + 2 > 3 AND true"), "(((1 + 2) > 3) AND true)");
        assert_eq!(p("a() OR b() AND c()"), "(?a() OR (?b() AND ?c()))");
        assert_eq!(p("NOT 1 = 2 AND true"), "((NOT (1 = 2)) AND true)");
        assert_eq!(p("not not TRUE"), "(NOT (NOT true))");
        assert_eq!(p("(1 + 2) * 3"), "((1 + 2) * 3)");
        assert_eq!(p("1 <> 2"), "(1 != 2)");
        assert_eq!(
            p("1 != 2 or 1 <= 2 Or 3 >= 4"),
            "(((1 != 2) OR (1 <= 2)) OR (3 >= 4))"
        );
    }

    #[test]
    fn precedence_of_the_reference_operators() {
        assert_eq!(p("@d IN 'mail'"), "(@d IN 'mail')");
        assert_eq!(p("@d in 'a' + 'b'"), "(@d IN ('a' + 'b'))");
        assert_eq!(p("@n LIKE 'Mart%n'"), "(@n LIKE 'Mart%n')");
        assert_eq!(p("@n NOT LIKE 'Smi%h'"), "(@n NOT LIKE 'Smi%h')");
        assert_eq!(p("@n NOT 'Smi%h'"), "(@n NOT LIKE 'Smi%h')");
        assert_eq!(
            p("@n not like 'a' or @m like 'b'"),
            "((@n NOT LIKE 'a') OR (@m LIKE 'b'))"
        );
        assert_eq!(p("NOT @n LIKE 'a%'"), "(NOT (@n LIKE 'a%'))");
        assert_eq!(p("NOT @n NOT 'a%'"), "(NOT (@n NOT LIKE 'a%'))");
        assert_eq!(p("@m IS NULL"), "(@m IS NULL)");
        assert_eq!(
            p("@m is not null AND @a = 1"),
            "((@m IS NOT NULL) AND (@a = 1))"
        );
        assert_eq!(p("1 + 2 IS NULL"), "((1 + 2) IS NULL)");
        assert_eq!(p("NOT @m IS NULL"), "(NOT (@m IS NULL))");
        assert_eq!(
            p("@a = 1 OR @m IS NULL AND @b IN 'x'"),
            "((@a = 1) OR ((@m IS NULL) AND (@b IN 'x')))"
        );
        assert_eq!(p("\"dq\"\"x\""), "'dq\"x'");
        assert_eq!(p("newUUID"), "newUUID()");
        assert_eq!(p("RowId + 1"), "(RowId() + 1)");
    }

    #[test]
    fn operator_errors_have_spans() {
        let e = err("@a IS 3");
        assert_eq!(e.span, Span::new(6, 7));
        assert_eq!(e.message, "expected `NULL` after `IS`, found a number");
        let e = err("@a IS NOT");
        assert_eq!(
            e.message,
            "expected `NULL` after `IS NOT`, found the end of the expression"
        );
        let e = err("@a LIKE Mart%n");
        assert_eq!(e.span, Span::new(12, 13));
        assert!(e.message.contains("quoted pattern"), "{}", e.message);
        let e = err("@a IN 'x' = true");
        assert_eq!(e.span, Span::new(10, 11));
        assert!(e.message.contains("cannot be chained"));
        let e = err("@a IS NULL IS NULL");
        assert_eq!(e.span, Span::new(11, 13));
        let e = err("@a LIKE");
        assert_eq!(e.span, Span::new(7, 7));
        assert_eq!(e.message, "expected an expression");
        let e = err("LIKE 'a'");
        assert!(e.message.contains("before `LIKE`"));
        let e = err("@a = NULL");
        assert_eq!(e.span, Span::new(5, 9));
        assert!(e.message.contains("IS NULL"));
        let e = err("@domain IN mail");
        assert_eq!(e.span, Span::new(11, 15));
        assert!(e.message.contains("'mail'"), "{}", e.message);
    }

    #[test]
    fn literals_and_reads() {
        assert_eq!(p("'it''s'"), "'it's'");
        assert_eq!(p("''"), "''");
        assert_eq!(p("2.5"), "2.5");
        assert_eq!(p("FALSE"), "false");
        assert_eq!(p("-9223372036854775808"), "-9223372036854775808");
        assert_eq!(p("$(vars/@audience)"), "$(vars/@audience)");
        assert_eq!(p("$long( vars/@recCount )"), "$long(vars/@recCount)");
        assert_eq!(p("$DateTime(vars/@d)"), "$datetime(vars/@d)");
        assert_eq!(p("@email"), "@email");
        assert_eq!(p("upper('a')"), "Upper('a')");
        assert_eq!(p("Left('abc', 2)"), "Left('abc', 2)");
        assert_eq!(p("GetDate()"), "GetDate()");
    }

    #[test]
    fn spans_are_byte_offsets() {
        let e = parse("é + Upper('x')").err();
        assert_eq!(e.map(|e| e.span), Some(Span::new(0, 2)));
        let Ok(e) = parse("  Upper( 'ab' )") else {
            panic!("parse failed")
        };
        assert_eq!(e.span, Span::new(2, 15));
        let Ok(e) = parse("1 + $long(vars/@n)") else {
            panic!("parse failed")
        };
        let vars = e.variables();
        assert_eq!(vars.len(), 1);
        assert_eq!(vars[0].span, Span::new(4, 18));
        assert_eq!(vars[0].reader, Reader::Long);
        let Ok(e) = parse("@a = 1 AND @b = 2") else {
            panic!("parse failed")
        };
        assert_eq!(
            e.fields(),
            vec![
                ("a".to_owned(), Span::new(0, 2)),
                ("b".to_owned(), Span::new(11, 13))
            ]
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = err("");
        assert_eq!(e.message, "expected an expression");
        assert_eq!(e.span, Span::new(0, 0));
        let e = err("   ");
        assert_eq!(e.message, "expected an expression");
        let e = err("1 +");
        assert_eq!(e.span, Span::new(3, 3));
        assert_eq!(e.message, "expected an expression");
        let e = err("(1 + 2");
        assert_eq!(e.span, Span::new(6, 6));
        assert!(e.message.contains("expected `)`"));
        let e = err("1 + 2)");
        assert_eq!(e.span, Span::new(5, 6));
        assert!(e.message.contains("unmatched `)`"));
        let e = err("'abc");
        assert_eq!(e.span, Span::new(0, 4));
        assert!(e.message.contains("unterminated string"));
        let e = err("$long(vars/audience)");
        assert!(e.message.contains("`$long(vars/@name)`"));
        let e = err("$int(vars/@x)");
        assert_eq!(e.span, Span::new(0, 4));
        let e = err("audience = 'x'");
        assert_eq!(e.span, Span::new(0, 8));
        assert!(e.message.contains("unknown name `audience`"));
        let e = err("1 = 2 = 3");
        assert!(e.message.contains("cannot be chained"));
        let e = err("Left('a' 2)");
        assert_eq!(e.span, Span::new(9, 10));
        let e = err("99999999999999999999");
        assert!(e.message.contains("too large"));
        let e = err("9223372036854775808");
        assert!(e.message.contains("too large"));
        let e = err("12abc");
        assert!(e.message.contains("malformed number"));
        let e = err("1 # 2");
        assert_eq!(e.span, Span::new(2, 3));
        let e = err("AND 1");
        assert!(e.message.contains("before `AND`"));
        let e = err("@ x");
        assert_eq!(e.span, Span::new(0, 1));
    }

    /// Issue 28, item 1: `Iif()`, `Decode(1, 1)`, `ExtractRight('a')`... parsed, and the BPMN
    /// export indexed their missing arguments (exit 101). The parser now refuses every call
    /// whose count the table does not allow, for every function and count, with the signature.
    #[test]
    fn regression_wrong_argument_counts_are_refused_where_calls_are_parsed() {
        use crate::expr::functions::TABLE;
        for spec in TABLE.iter() {
            let top = spec.max().unwrap_or(spec.min() + 3) + 2;
            for n in 0..=top {
                let args = vec!["1"; n].join(", ");
                let src = format!("{}({args})", spec.name);
                match parse(&src) {
                    Ok(e) => {
                        assert!(spec.accepts_count(n), "{src} parsed");
                        let ExprKind::Call { args, .. } = &e.kind else {
                            panic!("{src}: not a call");
                        };
                        assert_eq!(args.len(), n);
                    }
                    Err(e) => {
                        assert!(!spec.accepts_count(n), "{src}: {}", e.message);
                        assert_eq!(e.span, Span::new(0, src.len()), "{src}");
                        assert!(e.message.contains(&spec.signature()), "{}", e.message);
                        assert!(e.message.contains(&format!("got {n}")), "{}", e.message);
                    }
                }
            }
        }
        let e = err("Case(When(true), Else(1))");
        assert!(
            e.message.starts_with("`When` takes 2 arguments"),
            "{}",
            e.message
        );
        let e = err("1 + ExtractRight('a') = 'x'");
        assert_eq!(e.span, Span::new(4, 21));
    }

    #[test]
    fn depth_and_size_caps() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(err(&deep).message.contains("nested too deeply"));
        let deep = format!("{}1", "-".repeat(10_000));
        assert!(err(&deep).message.contains("nested too deeply"));
        let deep = format!("{}true", "NOT ".repeat(10_000));
        assert!(err(&deep).message.contains("nested too deeply"));
        let deep = format!("{}1{}", "Abs(".repeat(100), ")".repeat(100));
        assert!(err(&deep).message.contains("nested too deeply"));
        let long_chain = vec!["1"; 100].join(" + ");
        assert!(err(&long_chain).message.contains("nested too deeply"));
        let ok_chain = vec!["1"; 40].join(" + ");
        assert!(parse(&ok_chain).is_ok());
        let nested_ok = format!("{}1{}", "(".repeat(50), ")".repeat(50));
        assert!(parse(&nested_ok).is_ok());
        let huge = format!("'{}'", "a".repeat(MAX_SOURCE_LEN));
        assert!(err(&huge).message.contains("too long"));
    }
}
