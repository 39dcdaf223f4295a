//! The syntax tree of an expression: nodes with spans, and queries over it (variable reads,
//! row fields).

use super::Span;
use super::functions::Func;
use crate::model::{Type, Value};

/// How a variable is read: `$(...)` as text or one of the typed readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reader {
    /// `$(vars/@x)`: the variable as a string.
    Text,
    /// `$long(vars/@x)`: as an Integer.
    Long,
    /// `$float(vars/@x)`: as a Decimal.
    Float,
    /// `$boolean(vars/@x)`: as a Boolean.
    Boolean,
    /// `$datetime(vars/@x)`: as a DateTime.
    DateTime,
}

impl Reader {
    /// The static type the reader produces.
    pub fn ty(self) -> Type {
        match self {
            Reader::Text => Type::String,
            Reader::Long => Type::Integer,
            Reader::Float => Type::Decimal,
            Reader::Boolean => Type::Boolean,
            Reader::DateTime => Type::DateTime,
        }
    }

    /// How the reader is written before the parenthesis (`$`, `$long`, ...).
    pub fn prefix(self) -> &'static str {
        match self {
            Reader::Text => "$",
            Reader::Long => "$long",
            Reader::Float => "$float",
            Reader::Boolean => "$boolean",
            Reader::DateTime => "$datetime",
        }
    }

    /// Whether a variable declared as `ty` can be read this way without a likely failure.
    pub fn accepts(self, ty: Type) -> bool {
        match self {
            Reader::Text => true,
            Reader::Long => ty == Type::Integer,
            Reader::Float => matches!(ty, Type::Integer | Type::Decimal),
            Reader::Boolean => ty == Type::Boolean,
            Reader::DateTime => matches!(ty, Type::Date | Type::DateTime),
        }
    }
}

/// A unary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `NOT x`.
    Not,
    /// `x IS NULL` (postfix).
    IsNull,
    /// `x IS NOT NULL` (postfix).
    IsNotNull,
}

impl UnaryOp {
    /// How the operator is written.
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Not => "NOT",
            UnaryOp::IsNull => "IS NULL",
            UnaryOp::IsNotNull => "IS NOT NULL",
        }
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+` (numbers, or joining strings).
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `=`.
    Eq,
    /// `!=` or `<>`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `AND`.
    And,
    /// `OR`.
    Or,
    /// `a IN b`: the String `a` contains the String `b`.
    In,
    /// `a LIKE b`: `a` matches the pattern `b` (`%` any text, `_` one character).
    Like,
    /// `a NOT LIKE b`, also written `a NOT b`.
    NotLike,
}

impl BinOp {
    /// How the operator is written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "AND",
            BinOp::Or => "OR",
            BinOp::In => "IN",
            BinOp::Like => "LIKE",
            BinOp::NotLike => "NOT LIKE",
        }
    }

    /// True for `IN`, `LIKE` and `NOT LIKE` (String operands).
    pub fn is_text_match(self) -> bool {
        matches!(self, BinOp::In | BinOp::Like | BinOp::NotLike)
    }

    /// True for `= != < <= > >=`.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
}

/// The function a call names: resolved at parse time, or unknown (reported by the checker).
#[derive(Debug, Clone, PartialEq)]
pub enum Callee {
    /// A function of the table.
    Known(Func),
    /// A name no function has, as written.
    Unknown(String),
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal string, number or boolean.
    Literal(Value),
    /// A variable read, `$(vars/@name)` or a typed reader.
    Var {
        /// How it is read.
        reader: Reader,
        /// The variable name.
        name: String,
        /// The variable's slot in the caller's table of names, when the caller resolved it
        /// ([`Expr::resolve_vars`]): read through [`Lookup::lookup_slot`](super::context::Lookup::lookup_slot)
        /// instead of by name. `None` as parsed.
        slot: Option<u32>,
    },
    /// `@field` of the row being filtered.
    Field(String),
    /// A unary operation.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// A binary operation.
    Binary {
        /// The operator.
        op: BinOp,
        /// Where the operator is written.
        op_span: Span,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// A function call.
    Call {
        /// The function.
        callee: Callee,
        /// Where the function name is written.
        name_span: Span,
        /// The arguments.
        args: Vec<Expr>,
    },
}

/// An expression node with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
    /// Height of the subtree (a leaf is 1), bounded by [`super::MAX_DEPTH`].
    pub(crate) height: usize,
}

/// A variable read found in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRead {
    /// The variable name.
    pub name: String,
    /// How it is read.
    pub reader: Reader,
    /// Where the read is written.
    pub span: Span,
}

impl Expr {
    /// Where the expression is written.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Height of the tree (a leaf is 1).
    pub fn height(&self) -> usize {
        self.height
    }

    /// Every variable read, in source order.
    pub fn variables(&self) -> Vec<VarRead> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let ExprKind::Var { reader, name, .. } = &e.kind {
                out.push(VarRead {
                    name: name.clone(),
                    reader: *reader,
                    span: e.span,
                });
            }
        });
        out
    }

    /// Every `@field` reference, in source order.
    pub fn fields(&self) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let ExprKind::Field(name) = &e.kind {
                out.push((name.clone(), e.span));
            }
        });
        out
    }

    /// Resolves every variable read to its slot in a caller's table of names (`slot_of`
    /// gives `None` for a name the table does not hold: that read stays by name).
    pub fn resolve_vars(&mut self, slot_of: &dyn Fn(&str) -> Option<u32>) {
        match &mut self.kind {
            ExprKind::Var { name, slot, .. } => *slot = slot_of(name),
            ExprKind::Literal(_) | ExprKind::Field(_) => {}
            ExprKind::Unary { operand, .. } => operand.resolve_vars(slot_of),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.resolve_vars(slot_of);
                rhs.resolve_vars(slot_of);
            }
            ExprKind::Call { args, .. } => {
                for a in args {
                    a.resolve_vars(slot_of);
                }
            }
        }
    }

    /// Visits every node, parents before children, left to right.
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Literal(_) | ExprKind::Var { .. } | ExprKind::Field(_) => {}
            ExprKind::Unary { operand, .. } => operand.walk(f),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.walk(f);
                rhs.walk(f);
            }
            ExprKind::Call { args, .. } => {
                for a in args {
                    a.walk(f);
                }
            }
        }
    }
}
