//! The static type checker: infers an expression's type against the variables (and row fields)
//! visible where it is written, and reports what is wrong and what was expected. Any value may
//! be null at run time; the checker reasons about the non-null type only.

use super::ast::{BinOp, Callee, Expr, ExprKind, Reader, UnaryOp};
use super::eval::{CaseBranch, case_branches};
use super::functions::{Availability, Func, Kind, OtherFn, Ret};
use super::{Span, parse};
use crate::model::Type;
use std::collections::BTreeMap;

/// What the checker knows about a variable at a given activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarInfo {
    /// Its declared type.
    pub ty: Type,
    /// Where it comes from, for messages ("parameter of signal1", "set by activity load1").
    pub origin: String,
}

/// The names an expression may refer to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeEnv {
    /// Variables visible here, by name.
    pub variables: BTreeMap<String, VarInfo>,
    /// Row fields (`@field`), only for Query filters; `None` forbids `@field`.
    pub fields: Option<BTreeMap<String, Type>>,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The expression cannot work as written.
    Error,
    /// The expression may fail or misbehave at run time.
    Warning,
}

/// One problem found by the checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is.
    pub span: Span,
    /// What is wrong and what was expected.
    pub message: String,
}

/// The result of checking: the inferred type and the problems found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Checked {
    /// The static type, `None` when unknown (after an error, or a mix of types).
    pub ty: Option<Type>,
    /// Every problem, in source order of discovery.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Parses and checks source text; a syntax error becomes the only diagnostic.
pub fn check_source(src: &str, env: &TypeEnv) -> Checked {
    match parse(src) {
        Ok(e) => check(&e, env),
        Err(e) => Checked {
            ty: None,
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                span: e.span,
                message: e.message,
            }],
        },
    }
}

/// Checks a parsed expression against an environment.
pub fn check(expr: &Expr, env: &TypeEnv) -> Checked {
    let mut c = Checker {
        env,
        diagnostics: Vec::new(),
    };
    let ty = c.expr(expr);
    Checked {
        ty,
        diagnostics: c.diagnostics,
    }
}

fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2) && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

fn is_num(t: Type) -> bool {
    matches!(t, Type::Integer | Type::Decimal)
}

fn is_date(t: Type) -> bool {
    matches!(t, Type::Date | Type::DateTime)
}

/// Whether two types may be compared with `= < ...`.
pub fn comparable(a: Type, b: Type) -> bool {
    a == b || (is_num(a) && is_num(b)) || (is_date(a) && is_date(b))
}

fn a_an(t: Type) -> &'static str {
    if t == Type::Integer { "an" } else { "a" }
}

struct Checker<'a> {
    env: &'a TypeEnv,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, span: Span, message: String) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            span,
            message,
        });
    }

    fn warn(&mut self, span: Span, message: String) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            span,
            message,
        });
    }

    /// A variable read: its reader's type, with an error for an unknown variable and a warning
    /// for a reader that does not match the declared type.
    fn var(&mut self, span: Span, reader: Reader, name: &str) -> Option<Type> {
        match self.env.variables.get(name) {
            Some(info) => {
                if !reader.accepts(info.ty) {
                    self.warn(
                        span,
                        format!(
                            "`{}(vars/@{name})` reads '{name}' as {}, but it is declared {} ({}): the read fails at run time unless the value converts; expected `$(vars/@{name})`{}",
                            reader.prefix(),
                            reader.ty(),
                            info.ty,
                            info.origin,
                            suggested_reader(info.ty)
                                .map(|r| format!(" or `{r}(vars/@{name})`"))
                                .unwrap_or_default()
                        ),
                    );
                }
            }
            None => {
                let hint = closest(name, self.env.variables.keys())
                    .map(|c| format!("; did you mean '{c}'?"))
                    .unwrap_or_default();
                self.error(
                    span,
                    format!(
                        "unknown variable '{name}': no signal declares it and no upstream activity sets it{hint}"
                    ),
                );
            }
        }
        Some(reader.ty())
    }

    /// A field of a Query filter's row: its column's type.
    fn field(&mut self, span: Span, name: &str) -> Option<Type> {
        match &self.env.fields {
            None => {
                self.error(
                    span,
                    "`@field` is only allowed in Query filters; expected a variable read like `$(vars/@name)`".to_owned(),
                );
                None
            }
            Some(fields) => match fields.get(name) {
                Some(t) => Some(*t),
                None => {
                    let hint = closest(name, fields.keys())
                        .map(|c| format!("; did you mean '@{c}'?"))
                        .unwrap_or_default();
                    self.error(
                        span,
                        format!(
                            "unknown field '@{name}': the sample profiles have no such column{hint}"
                        ),
                    );
                    None
                }
            },
        }
    }

    fn expr(&mut self, e: &Expr) -> Option<Type> {
        match &e.kind {
            ExprKind::Literal(v) => v.ty(),
            ExprKind::Var { reader, name, .. } => self.var(e.span, *reader, name),
            ExprKind::Field(name) => self.field(e.span, name),
            ExprKind::Unary {
                op: UnaryOp::IsNull | UnaryOp::IsNotNull,
                operand,
            } => {
                self.expr(operand);
                Some(Type::Boolean)
            }
            ExprKind::Unary { op, operand } => {
                let t = self.expr(operand)?;
                match op {
                    UnaryOp::Neg if is_num(t) => Some(t),
                    UnaryOp::Neg => {
                        self.error(
                            e.span,
                            format!("`-` expects a number (Integer or Decimal), found {t}"),
                        );
                        None
                    }
                    UnaryOp::Not if t == Type::Boolean => Some(t),
                    UnaryOp::Not | UnaryOp::IsNull | UnaryOp::IsNotNull => {
                        self.error(e.span, format!("`NOT` expects a Boolean, found {t}"));
                        None
                    }
                }
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => {
                let l = self.expr(lhs);
                let r = self.expr(rhs);
                self.binary(*op, *op_span, l, r)
            }
            ExprKind::Call {
                callee,
                name_span,
                args,
            } => match callee {
                Callee::Unknown(name) => {
                    for a in args {
                        self.expr(a);
                    }
                    let hint = Func::suggest(name)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    self.error(*name_span, format!("unknown function `{name}`{hint}"));
                    None
                }
                Callee::Known(Func::Others(OtherFn::Case)) => self.case(e.span, args),
                Callee::Known(f) => {
                    let types: Vec<Option<Type>> = args.iter().map(|a| self.expr(a)).collect();
                    self.call(*f, e.span, *name_span, args, &types)
                }
            },
        }
    }

    /// `Case` in either form: the reference's `When`/`Else` branches, or the legacy pairs.
    fn case(&mut self, span: Span, args: &[Expr]) -> Option<Type> {
        let branches = match case_branches(args) {
            Ok(b) => b,
            Err(e) => {
                self.error(e.span, e.message);
                for a in args {
                    match &a.kind {
                        ExprKind::Call {
                            callee:
                                Callee::Known(Func::Others(OtherFn::When) | Func::Others(OtherFn::Else)),
                            args: inner,
                            ..
                        } => {
                            for x in inner {
                                self.expr(x);
                            }
                        }
                        _ => {
                            self.expr(a);
                        }
                    }
                }
                return None;
            }
        };
        let Some(branches) = branches else {
            let types: Vec<Option<Type>> = args.iter().map(|a| self.expr(a)).collect();
            let span_name = Span::new(span.start, span.start + 4);
            return self.call(Func::Others(OtherFn::Case), span, span_name, args, &types);
        };
        let mut values = Vec::new();
        for b in branches {
            let value = match b {
                CaseBranch::When(cond, value) => {
                    if let Some(t) = self.expr(cond)
                        && t != Type::Boolean
                    {
                        self.error(
                            cond.span,
                            format!(
                                "the condition of `When` expects a Boolean, found {} {t}",
                                a_an(t)
                            ),
                        );
                    }
                    value
                }
                CaseBranch::Else(value) => value,
            };
            values.push(self.expr(value));
        }
        common(&values)
    }

    /// Reports each operand of `IN`, `LIKE` or `NOT LIKE` that is not a String.
    fn text_operands(&mut self, op: BinOp, span: Span, l: Option<Type>, r: Option<Type>) {
        use Type::*;
        for (side, t) in [("left", l), ("right", r)] {
            if let Some(t) = t
                && t != String
            {
                self.error(
                    span,
                    format!(
                        "`{}` expects Strings, found {t} on the {side} (convert with `ToString`, or compare numbers and dates with `=`, `<`...)",
                        op.symbol()
                    ),
                );
            }
        }
    }

    /// `+`: two numbers, or two Strings joined.
    fn add(&mut self, span: Span, l: Option<Type>, r: Option<Type>) -> Option<Type> {
        use Type::*;
        match (l, r) {
            (Some(String), Some(String)) | (None, Some(String)) | (Some(String), None) => {
                Some(String)
            }
            (Some(Integer), Some(Integer)) => Some(Integer),
            (Some(a), Some(b)) if is_num(a) && is_num(b) => Some(Decimal),
            (Some(a), Some(b)) => {
                self.error(
                    span,
                    format!(
                        "`+` cannot combine {a} and {b}: expected two numbers or two Strings{}",
                        if a == String || b == String {
                            " (use `ToString` to join a value to text)"
                        } else {
                            ""
                        }
                    ),
                );
                None
            }
            _ => None,
        }
    }

    fn binary(&mut self, op: BinOp, span: Span, l: Option<Type>, r: Option<Type>) -> Option<Type> {
        use Type::*;
        match op {
            _ if op.is_text_match() => {
                self.text_operands(op, span, l, r);
                Some(Boolean)
            }
            BinOp::And | BinOp::Or => {
                for (side, t) in [("left", l), ("right", r)] {
                    if let Some(t) = t
                        && t != Boolean
                    {
                        self.error(
                            span,
                            format!(
                                "`{}` expects Boolean operands, found {t} on the {side}",
                                op.symbol()
                            ),
                        );
                    }
                }
                Some(Boolean)
            }
            _ if op.is_comparison() => {
                if let (Some(a), Some(b)) = (l, r)
                    && !comparable(a, b)
                {
                    self.error(
                        span,
                        format!(
                            "cannot compare {a} with {b}: expected two numbers, two dates or two values of the same type{}",
                            if a == String || b == String {
                                " (read a number with `$long(...)`/`$float(...)` or convert with `ToString`)"
                            } else {
                                ""
                            }
                        ),
                    );
                }
                Some(Boolean)
            }
            BinOp::Add => self.add(span, l, r),
            _ => match (l, r) {
                (Some(Integer), Some(Integer)) => Some(Integer),
                (Some(a), Some(b)) if is_num(a) && is_num(b) => Some(Decimal),
                (a, b) => {
                    for (side, t) in [("left", a), ("right", b)] {
                        if let Some(t) = t
                            && !is_num(t)
                        {
                            self.error(
                                span,
                                format!(
                                    "`{}` expects numbers (Integer or Decimal), found {t} on the {side}",
                                    op.symbol()
                                ),
                            );
                        }
                    }
                    None
                }
            },
        }
    }

    fn call(
        &mut self,
        f: Func,
        span: Span,
        name_span: Span,
        args: &[Expr],
        types: &[Option<Type>],
    ) -> Option<Type> {
        let spec = f.spec();
        match spec.availability {
            Availability::Refused(why) => {
                self.error(
                    name_span,
                    format!("`{}` cannot be simulated: {why}", spec.name),
                );
                return None;
            }
            Availability::InsideCase => {
                self.error(
                    span,
                    format!(
                        "`{}` is only allowed as an argument of `Case`, like `Case(When(condition, value), Else(value))`; for a single condition write `Iif(condition, value, otherwise)`",
                        spec.name
                    ),
                );
                return None;
            }
            Availability::Everywhere => {}
        }
        // The count was checked by the parser (`FuncSpec::arity_problem`).
        self.argument_kinds(f, args, types);
        self.special_rules(f, args, types);
        result_type(f, types)
    }

    /// Reports each argument whose type is not of the kind its parameter accepts.
    fn argument_kinds(&mut self, f: Func, args: &[Expr], types: &[Option<Type>]) {
        let spec = f.spec();
        let n = args.len();
        for (i, (arg, t)) in args.iter().zip(types).enumerate() {
            let kind = spec.kind_at(i, n);
            if let Some(t) = t
                && !kind.accepts(*t)
            {
                let pname = if f == Func::Others(OtherFn::Case) {
                    if kind == Kind::Bool {
                        "condition"
                    } else {
                        "value"
                    }
                } else {
                    spec.param_name(i)
                };
                self.error(
                    arg.span,
                    format!(
                        "argument {} of `{}` ({pname}) expects {}, found {} {t}",
                        i + 1,
                        spec.name,
                        kind.expected(),
                        a_an(*t)
                    ),
                );
            }
        }
    }

    /// Checks a function needs beyond argument kinds.
    fn special_rules(&mut self, f: Func, args: &[Expr], types: &[Option<Type>]) {
        match f {
            Func::Others(OtherFn::Decode) => {
                if let (Some(Some(a)), Some(Some(b))) = (types.first(), types.get(1))
                    && !comparable(*a, *b)
                {
                    self.error(
                        args[0].span.to(args[1].span),
                        format!(
                            "`Decode` cannot compare {a} with {b}: expected two numbers, two dates or two values of the same type"
                        ),
                    );
                }
            }
            Func::Others(OtherFn::Coalesce) => {
                if let (Some(Some(t)), true) = (types.first(), args.len() > 1)
                    && is_num(*t)
                {
                    self.warn(
                        args[0].span,
                        "`Coalesce` skips a numeric zero as well as null, as the reference does (`Coalesce(0, 5)` is 5); to keep a zero write `Iif(IsNull(x), fallback, x)`".to_owned(),
                    );
                }
            }
            _ => {}
        }
    }
}

/// The type a call of `f` gives, from its row's rule and its arguments' types.
fn result_type(f: Func, types: &[Option<Type>]) -> Option<Type> {
    let spec = f.spec();
    let n = types.len();
    match spec.ret {
        _ if f == Func::Others(OtherFn::IsEmptyString) && n == 1 => Some(Type::Boolean),
        Ret::Fixed(t) => Some(t),
        Ret::SameAs(i) => types.get(i).copied().flatten(),
        Ret::Numeric => {
            let all: Option<Vec<Type>> = types.iter().copied().collect();
            let all = all?;
            if all.iter().all(|t| *t == Type::Integer) {
                Some(Type::Integer)
            } else if all.iter().all(|t| is_num(*t)) {
                Some(Type::Decimal)
            } else {
                None
            }
        }
        Ret::Common(positions) => {
            let values: Vec<Option<Type>> = if f == Func::Others(OtherFn::Case) {
                types
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % 2 == 1 || (n % 2 == 1 && *i == n - 1))
                    .map(|(_, t)| *t)
                    .collect()
            } else if positions.is_empty() {
                types.to_vec()
            } else {
                positions
                    .iter()
                    .map(|i| types.get(*i).copied().flatten())
                    .collect()
            };
            common(&values)
        }
    }
}

/// The common type of values: `None` when one is unknown or they differ.
fn common(values: &[Option<Type>]) -> Option<Type> {
    let first = values.first().copied().flatten()?;
    values.iter().all(|t| *t == Some(first)).then_some(first)
}

fn suggested_reader(ty: Type) -> Option<&'static str> {
    match ty {
        Type::String => None,
        Type::Integer => Some("$long"),
        Type::Decimal => Some("$float"),
        Type::Boolean => Some("$boolean"),
        Type::Date | Type::DateTime => Some("$datetime"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> TypeEnv {
        let mut variables = BTreeMap::new();
        for (name, ty, origin) in [
            ("audience", Type::String, "parameter of signal1"),
            ("recCount", Type::Integer, "set by activity query1"),
            ("price", Type::Decimal, "parameter of signal1"),
            ("vip", Type::Boolean, "parameter of signal1"),
            ("birth", Type::Date, "parameter of signal1"),
            ("sent", Type::DateTime, "parameter of signal1"),
        ] {
            variables.insert(
                name.to_owned(),
                VarInfo {
                    ty,
                    origin: origin.to_owned(),
                },
            );
        }
        TypeEnv {
            variables,
            fields: None,
        }
    }

    fn query_env() -> TypeEnv {
        let mut e = env();
        e.fields = Some(BTreeMap::from([
            ("email".to_owned(), Type::String),
            ("age".to_owned(), Type::Integer),
        ]));
        e
    }

    fn messages(src: &str, env: &TypeEnv) -> Vec<String> {
        check_source(src, env)
            .diagnostics
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    fn ty(src: &str) -> Option<Type> {
        let c = check_source(src, &env());
        assert!(c.diagnostics.is_empty(), "{src}: {:?}", c.diagnostics);
        c.ty
    }

    #[test]
    fn infers_types() {
        assert_eq!(ty("$(vars/@recCount)"), Some(Type::String));
        assert_eq!(ty("$long(vars/@recCount) + 1"), Some(Type::Integer));
        assert_eq!(ty("$long(vars/@recCount) / 2.0"), Some(Type::Decimal));
        assert_eq!(ty("$float(vars/@recCount)"), Some(Type::Decimal));
        assert_eq!(
            ty("$datetime(vars/@birth) < GetDate()"),
            Some(Type::Boolean)
        );
        assert_eq!(ty("'a' + $(vars/@audience)"), Some(Type::String));
        assert_eq!(ty("Iif(true, 1, 2)"), Some(Type::Integer));
        assert_eq!(ty("Iif(true, 1, 2.0)"), None);
        assert_eq!(ty("Case(true, 'a', 'b')"), Some(Type::String));
        assert_eq!(ty("Coalesce($(vars/@audience), 'x')"), Some(Type::String));
        assert_eq!(ty("AddDays(ToDate('2024-01-01'), 1)"), Some(Type::Date));
        assert_eq!(ty("Round(2.5)"), Some(Type::Decimal));
        assert_eq!(ty("NOT $boolean(vars/@vip) OR false"), Some(Type::Boolean));
        assert_eq!(ty("-$float(vars/@price)"), Some(Type::Decimal));
    }

    #[test]
    fn unknown_variable_suggests() {
        let c = check_source("Upper($(vars/@audiance))", &env());
        assert_eq!(c.diagnostics.len(), 1);
        assert_eq!(c.diagnostics[0].severity, Severity::Error);
        assert_eq!(c.diagnostics[0].span, Span::new(6, 23));
        assert_eq!(
            c.diagnostics[0].message,
            "unknown variable 'audiance': no signal declares it and no upstream activity sets it; did you mean 'audience'?"
        );
        assert_eq!(
            messages("$(vars/@zzz)", &env()),
            vec![
                "unknown variable 'zzz': no signal declares it and no upstream activity sets it"
                    .to_owned()
            ]
        );
    }

    #[test]
    fn unknown_function_suggests() {
        let c = check_source("Uper('a')", &env());
        assert_eq!(c.diagnostics[0].span, Span::new(0, 4));
        assert_eq!(
            c.diagnostics[0].message,
            "unknown function `Uper`; did you mean `Upper`?"
        );
        assert_eq!(
            messages("Zork()", &env()),
            vec!["unknown function `Zork`".to_owned()]
        );
    }

    #[test]
    fn arity_and_argument_types() {
        assert_eq!(
            messages("Left('abc')", &env()),
            vec!["`Left` takes 2 arguments (string, count); got 1 (signature: `Left(string, count)`)".to_owned()]
        );
        assert_eq!(
            messages("GetDate(1)", &env()),
            vec!["`GetDate` takes no arguments; got 1 (signature: `GetDate()`)".to_owned()]
        );
        assert_eq!(
            messages("Coalesce()", &env()),
            vec!["`Coalesce` takes at least 1 argument (value, fallback, ...); got 0 (signature: `Coalesce(value, [fallback], ...)`)".to_owned()]
        );
        let c = check_source("Left('abc', '2')", &env());
        assert_eq!(c.diagnostics[0].span, Span::new(12, 15));
        assert_eq!(
            c.diagnostics[0].message,
            "argument 2 of `Left` (count) expects an Integer, found a String"
        );
        assert_eq!(
            messages("Case(1, 'a')", &env()),
            vec!["argument 1 of `Case` (condition) expects a Boolean, found an Integer".to_owned()]
        );
        assert!(messages("Case(true, 'a', false, 'b', 'c')", &env()).is_empty());
        assert!(messages("Year(GetDate()) + Month(DaysAgo(1))", &env()).is_empty());
        assert_eq!(messages("Year('2024')", &env()).len(), 1);
    }

    #[test]
    fn operator_types() {
        assert_eq!(
            messages("'a' + 1", &env()),
            vec!["`+` cannot combine String and Integer: expected two numbers or two Strings (use `ToString` to join a value to text)".to_owned()]
        );
        assert_eq!(messages("'a' * 2", &env()).len(), 1);
        assert_eq!(messages("$(vars/@recCount) > 0", &env()).len(), 1);
        assert!(
            messages("$(vars/@recCount) > 0", &env())[0]
                .starts_with("cannot compare String with Integer")
        );
        assert!(messages("1 = 1.5 AND ToDate('2024-01-01') < GetDate()", &env()).is_empty());
        assert_eq!(
            messages("1 AND true", &env()),
            vec!["`AND` expects Boolean operands, found Integer on the left".to_owned()]
        );
        assert_eq!(
            messages("NOT 'x'", &env()),
            vec!["`NOT` expects a Boolean, found String".to_owned()]
        );
        assert_eq!(messages("-'x'", &env()).len(), 1);
    }

    #[test]
    fn typed_reader_warnings() {
        let c = check_source("$long(vars/@audience)", &env());
        assert_eq!(c.diagnostics.len(), 1);
        assert_eq!(c.diagnostics[0].severity, Severity::Warning);
        assert_eq!(c.diagnostics[0].span, Span::new(0, 21));
        assert!(
            c.diagnostics[0]
                .message
                .contains("declared String (parameter of signal1)")
        );
        assert!(!c.has_errors());
        assert_eq!(c.ty, Some(Type::Integer));
        for ok in [
            "$datetime(vars/@birth)",
            "$datetime(vars/@sent)",
            "$float(vars/@recCount)",
            "$float(vars/@price)",
            "$(vars/@vip)",
            "$boolean(vars/@vip)",
        ] {
            assert!(check_source(ok, &env()).diagnostics.is_empty(), "{ok}");
        }
        for warn in [
            "$long(vars/@price)",
            "$boolean(vars/@recCount)",
            "$datetime(vars/@audience)",
        ] {
            let c = check_source(warn, &env());
            assert_eq!(c.diagnostics.len(), 1, "{warn}");
            assert_eq!(c.diagnostics[0].severity, Severity::Warning);
        }
    }

    #[test]
    fn fields_only_in_queries() {
        assert_eq!(
            messages("@email = 'x'", &env()),
            vec!["`@field` is only allowed in Query filters; expected a variable read like `$(vars/@name)`".to_owned()]
        );
        assert!(messages("@email = $(vars/@audience) AND @age > 18", &query_env()).is_empty());
        assert_eq!(
            messages("@emial = 'x'", &query_env()),
            vec!["unknown field '@emial': the sample profiles have no such column; did you mean '@email'?".to_owned()]
        );
    }

    #[test]
    fn syntax_errors_become_diagnostics() {
        let c = check_source("", &env());
        assert_eq!(c.diagnostics.len(), 1);
        assert_eq!(c.diagnostics[0].message, "expected an expression");
        assert!(c.has_errors());
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;

    fn messages(src: &str) -> Vec<(Severity, Span, String)> {
        let mut env = TypeEnv::default();
        env.variables.insert(
            "x".to_owned(),
            VarInfo {
                ty: Type::String,
                origin: "parameter of signal1".to_owned(),
            },
        );
        env.fields = Some(BTreeMap::from([
            ("domain".to_owned(), Type::String),
            ("age".to_owned(), Type::Integer),
            ("created".to_owned(), Type::DateTime),
        ]));
        check_source(src, &env)
            .diagnostics
            .into_iter()
            .map(|d| (d.severity, d.span, d.message))
            .collect()
    }

    fn ty(src: &str) -> Option<Type> {
        check_source(src, &TypeEnv::default()).ty
    }

    #[test]
    fn new_signatures_have_types() {
        assert_eq!(ty("Greatest(1, 2)"), Some(Type::Integer));
        assert_eq!(ty("Greatest(1, 2.5)"), Some(Type::Decimal));
        assert_eq!(ty("Mod(7, 2)"), Some(Type::Integer));
        assert_eq!(ty("Percent(1, 4)"), Some(Type::Decimal));
        assert_eq!(ty("TruncWeek(ToDate('2024-01-01'))"), Some(Type::Date));
        assert_eq!(ty("TruncDate(GetDate(), 60)"), Some(Type::DateTime));
        assert_eq!(ty("WeekDay(GetDate())"), Some(Type::Integer));
        assert_eq!(ty("IsEmptyString('')"), Some(Type::Boolean));
        assert_eq!(ty("IsEmptyString('', 1, 2)"), Some(Type::Integer));
        assert_eq!(ty("Case(When(true, 'a'), Else('b'))"), Some(Type::String));
        assert_eq!(ty("Case(When(true, 'a'), Else(1))"), None);
        assert_eq!(ty("Decode(1, 2, 'a', 'b')"), Some(Type::String));
        assert_eq!(ty("'a' IN 'b' OR 'a' LIKE 'b%'"), Some(Type::Boolean));
        assert_eq!(ty("GetDate() IS NULL"), Some(Type::Boolean));
        assert_eq!(ty("Oldest(GetDate(), GetDate())"), Some(Type::DateTime));
        assert_eq!(ty("VirtualLink(1, 2, 3)"), Some(Type::Integer));
    }

    #[test]
    fn arity_and_type_errors_have_spans_and_signatures() {
        let m = messages("SubDays(GetDate())");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].1, Span::new(0, 18));
        assert_eq!(
            m[0].2,
            "`SubDays` takes 2 arguments (date, days); got 1 (signature: `SubDays(date, days)`)"
        );
        let m = messages("Mod('7', 2)");
        assert_eq!(m[0].1, Span::new(4, 7));
        assert_eq!(
            m[0].2,
            "argument 1 of `Mod` (dividend) expects a number (Integer or Decimal), found a String"
        );
        let m = messages("IsEmptyString($(vars/@x), 'a')");
        assert!(m[0].2.contains("takes 1 or 3 arguments"), "{:?}", m);
        let m = messages("Distance(1, 2, 3)");
        assert!(
            m[0].2
                .contains("takes 4 arguments (longitude_a, latitude_a, longitude_b, latitude_b)")
        );
        let m = messages("LocalToUTC(GetDate(), 3)");
        assert_eq!(m[0].1, Span::new(22, 23));
        let m = messages("@age IN 'x'");
        assert_eq!(m[0].1, Span::new(5, 7));
        assert!(
            m[0].2
                .starts_with("`IN` expects Strings, found Integer on the left")
        );
        let m = messages("@domain LIKE 3");
        assert!(
            m[0].2
                .starts_with("`LIKE` expects Strings, found Integer on the right")
        );
        let m = messages("Decode(1, 'a', 2, 3)");
        assert_eq!(m[0].1, Span::new(7, 13));
        assert!(m[0].2.contains("cannot compare Integer with String"));
    }

    #[test]
    fn did_you_mean_for_reference_names() {
        let m = messages("JuxtWord('a', 'b')");
        assert_eq!(m[0].1, Span::new(0, 8));
        assert_eq!(
            m[0].2,
            "unknown function `JuxtWord`; did you mean `JuxtWords`?"
        );
        let m = messages("Sha256Digst('a')");
        assert_eq!(
            m[0].2,
            "unknown function `Sha256Digst`; did you mean `Sha256Digest`?"
        );
        let m = messages("TruncWek(GetDate())");
        assert_eq!(
            m[0].2,
            "unknown function `TruncWek`; did you mean `TruncWeek`?"
        );
        assert!(messages("juxtwords('a', 'b') = SMART('a b')").is_empty());
    }

    #[test]
    fn refused_and_case_only_functions() {
        let m = messages("GetMirrorURL('x')");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].1, Span::new(0, 12));
        assert!(
            m[0].2
                .starts_with("`GetMirrorURL` cannot be simulated: the mirror page server")
        );
        let m = messages("RowId > 3");
        assert!(m[0].2.starts_with("`RowId` cannot be simulated"));
        let m = messages("encryption_aescbcEncrypt('a', 'b', 'c')");
        assert!(m[0].2.contains("AES-CBC"));
        let m = messages("When(true, 1)");
        assert!(m[0].2.contains("only allowed as an argument of `Case`"));
        assert!(m[0].2.contains("Iif("));
        let m = messages("Case(When(true, 1), false, 2)");
        assert_eq!(m[0].1, Span::new(20, 25));
        assert!(m[0].2.contains("mixes its two forms"));
        let m = messages("Case(Else(1), When(true, 2))");
        assert_eq!(m[0].1, Span::new(5, 12));
        assert!(m[0].2.contains("must be the last"));
        let m = messages("Case(When(1, 2))");
        assert_eq!(m[0].1, Span::new(10, 11));
        assert!(m[0].2.contains("condition of `When` expects a Boolean"));
        let m = messages("Case(When(true))");
        assert!(m[0].2.contains("`When` takes 2 arguments"));
    }

    #[test]
    fn coalesce_of_a_number_warns_about_zero() {
        let m = messages("Coalesce(@age, 18)");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, Severity::Warning);
        assert_eq!(m[0].1, Span::new(9, 13));
        assert!(m[0].2.contains("skips a numeric zero"));
        assert!(messages("Coalesce($(vars/@x), 'none')").is_empty());
    }
}
