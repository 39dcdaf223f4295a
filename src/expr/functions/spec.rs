//! A row of the function table ([`FuncSpec`]) and what its columns hold: each parameter's name
//! and the kind of value it accepts, the rule of the result type, the null rule, where the
//! function may be used, and the texts of the reference. The rows are in `table.rs`; the
//! checker takes types and availability from them, the evaluator its null rule, the parser its
//! arity messages, `docs/EXPRESSIONS.md` and the designer's function picker their texts.

use super::names::{Family, Func, OtherFn};
use super::shape::Arity;
use crate::model::Type;

/// What an argument position accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A String.
    Str,
    /// An Integer.
    Int,
    /// An Integer or a Decimal.
    Num,
    /// A Boolean.
    Bool,
    /// A Date or a DateTime.
    DateLike,
    /// Any type.
    Any,
}

impl Kind {
    /// Whether a value of static type `ty` fits.
    pub fn accepts(self, ty: Type) -> bool {
        match self {
            Kind::Str => ty == Type::String,
            Kind::Int => ty == Type::Integer,
            Kind::Num => matches!(ty, Type::Integer | Type::Decimal),
            Kind::Bool => ty == Type::Boolean,
            Kind::DateLike => matches!(ty, Type::Date | Type::DateTime),
            Kind::Any => true,
        }
    }

    /// What users are told is expected.
    pub fn expected(self) -> &'static str {
        match self {
            Kind::Str => "a String",
            Kind::Int => "an Integer",
            Kind::Num => "a number (Integer or Decimal)",
            Kind::Bool => "a Boolean",
            Kind::DateLike => "a Date or DateTime",
            Kind::Any => "any value",
        }
    }

    /// The type names shown in the reference.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Str => "String",
            Kind::Int => "Integer",
            Kind::Num => "number",
            Kind::Bool => "Boolean",
            Kind::DateLike => "date",
            Kind::Any => "any",
        }
    }
}

/// How a call's static result type is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    /// Always this type.
    Fixed(Type),
    /// The type of the argument at this position.
    SameAs(usize),
    /// The common type of the arguments at these positions (every argument when empty); `Case`
    /// takes its branch values.
    Common(&'static [usize]),
    /// Integer when every argument is an Integer, else Decimal.
    Numeric,
}

impl Ret {
    /// The result type as the reference shows it.
    pub fn label(self, params: &[Param]) -> String {
        match self {
            Ret::Fixed(t) => t.name().to_owned(),
            Ret::SameAs(i) => format!("as `{}`", params.get(i).map_or("the argument", |p| p.name)),
            Ret::Common(_) => "as the values".to_owned(),
            Ret::Numeric => "Integer or Decimal".to_owned(),
        }
    }
}

/// What a function does with null arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// Any null argument gives null (the function body never sees null).
    Propagate,
    /// The function handles null itself, as its meaning says.
    Handles,
}

/// Where a function may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Everywhere.
    Everywhere,
    /// Only as an argument of `Case` (`When`, `Else`).
    InsideCase,
    /// Refused at check time (and at run time) for this reason: its meaning only exists on the
    /// reference's server.
    Refused(&'static str),
}

/// A documented parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The name shown in signatures.
    pub name: &'static str,
    /// What it accepts.
    pub kind: Kind,
}

/// One row of the function table.
#[derive(Debug, Clone, Copy)]
pub struct FuncSpec {
    /// The function.
    pub func: Func,
    /// Its canonical spelling, the reference's (calls ignore case).
    pub name: &'static str,
    /// Its family in the reference.
    pub family: Family,
    /// The parameters, in order.
    pub params: &'static [Param],
    /// How many arguments it takes.
    pub arity: Arity,
    /// The result type rule.
    pub ret: Ret,
    /// What it does with null arguments.
    pub nulls: Nulls,
    /// Where it may be used.
    pub availability: Availability,
    /// True for functions flowcall adds that the reference does not list.
    pub extra: bool,
    /// What the function does, nulls and errors included.
    pub meaning: &'static str,
    /// An example call.
    pub example: &'static str,
    /// What the example evaluates to, as [`super::describe_value`] writes it (`error: ...` for a
    /// refused function).
    pub result: &'static str,
}

impl FuncSpec {
    /// The fewest arguments accepted.
    pub fn min(&self) -> usize {
        self.arity.min()
    }

    /// The most arguments accepted, `None` when unbounded.
    pub fn max(&self) -> Option<usize> {
        self.arity.max()
    }

    /// Whether a call with `n` arguments has the right count.
    pub fn accepts_count(&self, n: usize) -> bool {
        self.arity.accepts(n)
    }

    /// What is wrong with a call of `n` arguments, `None` when the count is right: "`Left`
    /// takes 2 arguments (string, count); got 1 (signature: `Left(string, count)`)". The parser
    /// refuses such a call, so every later stage may rely on the table's count.
    pub fn arity_problem(&self, n: usize) -> Option<String> {
        (!self.accepts_count(n)).then(|| {
            format!(
                "`{}` {}; got {n} (signature: `{}`)",
                self.name,
                self.arity_text(),
                self.signature()
            )
        })
    }

    /// The one-line meaning: the first sentence of [`FuncSpec::meaning`].
    pub fn summary(&self) -> &'static str {
        let m = self.meaning;
        m.find(". ").map_or(m, |i| &m[..=i])
    }

    /// The signature as users read it: `Left(string, count)`, `Round(number, [digits])`.
    pub fn signature(&self) -> String {
        if self.func == CASE {
            return "Case(When(condition, value), ..., Else(value))".to_owned();
        }
        let min = self.min();
        let mut parts: Vec<String> = self.params.iter().map(|p| p.name.to_owned()).collect();
        if let Some(first_optional) = parts.get_mut(min) {
            first_optional.insert(0, '[');
            if let Some(last) = parts.last_mut() {
                last.push(']');
            }
        }
        if matches!(self.arity, Arity::AtLeast(_)) {
            parts.push("...".to_owned());
        }
        format!("{}({})", self.name, parts.join(", "))
    }

    /// "takes 2 arguments (string, count)", for arity messages.
    pub fn arity_text(&self) -> String {
        let names: Vec<&str> = self.params.iter().map(|p| p.name).collect();
        let count = match (self.arity, self.max()) {
            (_, Some(0)) => return "takes no arguments".to_owned(),
            (Arity::OneOf(counts), _) => {
                let list: Vec<String> = counts.iter().map(ToString::to_string).collect();
                format!("{} arguments", list.join(" or "))
            }
            (_, Some(m)) if m == self.min() => plural(m),
            (_, Some(m)) => format!("{} to {m} arguments", self.min()),
            (_, None) => format!("at least {}", plural(self.min())),
        };
        let variadic = matches!(self.arity, Arity::AtLeast(_));
        format!(
            "takes {count} ({}{})",
            names.join(", "),
            if variadic { ", ..." } else { "" }
        )
    }

    /// The kind expected at argument position `i` of a call with `n` arguments.
    pub fn kind_at(&self, i: usize, n: usize) -> Kind {
        if self.func == CASE {
            // The legacy form: condition, value, ..., [default].
            return if i.is_multiple_of(2) && !(n % 2 == 1 && i == n - 1) {
                Kind::Bool
            } else {
                Kind::Any
            };
        }
        let variadic = matches!(self.arity, Arity::AtLeast(_));
        self.params
            .get(i)
            .or(if variadic { self.params.last() } else { None })
            .map_or(Kind::Any, |p| p.kind)
    }

    /// The parameter name at argument position `i` (the last one for repeated arguments).
    pub fn param_name(&self, i: usize) -> &'static str {
        self.params
            .get(i)
            .or(self.params.last())
            .map_or("value", |p| p.name)
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 argument".to_owned()
    } else {
        format!("{n} arguments")
    }
}

/// `Case`, whose signature and argument kinds follow its branches.
const CASE: Func = Func::Others(OtherFn::Case);
