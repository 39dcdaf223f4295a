//! The Others functions: bit flags, null tests and defaults, Boolean conversion, e-mail
//! domains and UUIDs. (`Iif`, `Case`, `Coalesce`, `Decode`, `IfEquals` and the three-argument
//! `IsEmptyString` choose what to evaluate, so the evaluator runs them itself.)

use super::call::{Call, no_body};
use crate::expr::functions::OtherFn;
use crate::expr::span::ExprError;
use crate::model::{Type, Value};
use std::borrow::Cow;

impl Call<'_, '_> {
    fn flag(&self, v: &Value, i: usize) -> Result<i64, ExprError> {
        let flag = self.int(v, i)?;
        if flag < 1 {
            return Err(self.err_at(
                i,
                format!(
                    "`{}` expects a flag of 1 or more (a mask such as 1, 2, 4, 8), got {flag}",
                    self.f.name()
                ),
            ));
        }
        Ok(flag)
    }
}

/// The Others functions. `Iif`, `Case`, `Coalesce` and `Decode` choose what to evaluate,
/// `When` and `Else` are parts of a `Case`, and `GetMirrorURL` and `RowId` are refused, so the
/// evaluator never asks for their bodies.
pub(super) fn run(c: &Call, f: OtherFn, vals: [Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
    use OtherFn as O;
    use Value as V;
    let [a, b, _, _] = vals;
    Ok(match f {
        O::SetBit => V::Integer(c.int(&a, 0)? | c.flag(&b, 1)?),
        O::ClearBit => V::Integer(c.int(&a, 0)? & !c.flag(&b, 1)?),
        O::IsBitSet => {
            let flag = c.flag(&b, 1)?;
            V::Boolean(c.int(&a, 0)? & flag == flag)
        }
        O::IsEmptyString => V::Boolean(match &*a {
            V::Null => true,
            V::String(s) => s.is_empty(),
            _ => false,
        }),
        O::NoNull if a.is_null() => V::String(String::new()),
        O::NoNull => V::String(c.string(a, 0)?),
        O::ToBoolean => match &*a {
            V::Boolean(x) => V::Boolean(*x),
            V::Integer(i) => V::Boolean(*i != 0),
            V::Decimal(d) => V::Boolean(*d != 0.0),
            V::String(t) => Value::parse_as(t, Type::Boolean)
                .map_err(|_| c.not_convertible(&a, Type::Boolean))?,
            other => return Err(c.not_convertible(other, Type::Boolean)),
        },
        O::NewUuid => V::String((c.ctx.uuid)()),
        O::GetEmailDomain => match c.str(&a, 0)?.rsplit_once('@') {
            Some((_, domain)) => V::String(domain.to_lowercase()),
            None => V::Null,
        },
        O::Case
        | O::Coalesce
        | O::Decode
        | O::Else
        | O::GetMirrorUrl
        | O::Iif
        | O::RowId
        | O::When => return Err(no_body(c)),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{err, r};

    #[test]
    fn bit_flags_are_masks() {
        assert_eq!(r("SetBit(5, 2)"), "7");
        assert_eq!(r("SetBit(5, 4)"), "5");
        assert_eq!(r("ClearBit(7, 2)"), "5");
        assert_eq!(r("ClearBit(5, 2)"), "5");
        assert_eq!(r("IsBitSet(5, 4)"), "true");
        assert_eq!(r("IsBitSet(5, 2)"), "false");
        assert_eq!(r("IsBitSet(7, 6)"), "true");
        assert_eq!(r("IsBitSet(5, 6)"), "false");
        let e = err("IsBitSet(5, 0)");
        assert!(e.message.contains("flag of 1 or more"), "{}", e.message);
        assert_eq!(e.span, crate::expr::Span::new(12, 13));
        assert!(err("SetBit(5, -1)").message.contains("flag of 1 or more"));
        assert!(err("SetBit('5', 1)").message.contains("expects an Integer"));
        assert_eq!(r("SetBit($long(vars/@missing), 1)"), "null");
    }

    #[test]
    fn null_defaults_and_tests() {
        assert_eq!(r("NoNull($(vars/@missing))"), "''");
        assert_eq!(r("NoNull('x')"), "'x'");
        assert!(err("NoNull(1)").message.contains("expects a String"));
        assert_eq!(r("IsEmptyString('')"), "true");
        assert_eq!(r("IsEmptyString($(vars/@missing))"), "true");
        assert_eq!(r("IsEmptyString(0)"), "false");
        assert_eq!(r("IsEmptyString('', 'none', 'some')"), "'none'");
        assert_eq!(
            r("IsEmptyString($(vars/@missing), 'none', 'some')"),
            "'none'"
        );
        assert_eq!(r("IsEmptyString('x', 'none', 'some')"), "'some'");
        assert_eq!(r("IsEmptyString('x', 1 / 0, 'some')"), "'some'");
        assert!(
            err("IsEmptyString('x', 'a')")
                .message
                .contains("takes 1 or 3 arguments")
        );
        assert_eq!(r("IsNull(1)"), "false");
        assert_eq!(r("ToBoolean(0.0)"), "false");
        assert_eq!(r("ToBoolean(' TRUE ')"), "true");
        assert!(err("ToBoolean('yes')").message.contains("cannot convert"));
    }
}
