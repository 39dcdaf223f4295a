//! How many arguments a function takes, written as the shape of its arguments: `Left` takes
//! exactly two ([`Args2`]), `Round` one or two ([`OneOrTwo`]), `Coalesce` a list of one or more
//! ([`OneOrMore`]). Each shape's [`Arity`] is what the table, the parser's count check and the
//! reference's texts read; [`Shape::from_vec`] takes a list of arguments only when its count
//! fits, the same fact as a type (the tests hold the two together).

/// How many arguments a call takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// From the first count to the second (the same for most functions).
    Range(usize, usize),
    /// At least this many, the last parameter (or, for `Case`, the branches) repeating.
    AtLeast(usize),
    /// Exactly one of these counts (`IsEmptyString`: 1 or 3).
    OneOf(&'static [usize]),
}

impl Arity {
    /// The fewest arguments accepted.
    pub const fn min(self) -> usize {
        match self {
            Arity::Range(m, _) | Arity::AtLeast(m) => m,
            Arity::OneOf(counts) => {
                // The counts are written in increasing order.
                match counts.first() {
                    Some(m) => *m,
                    None => 0,
                }
            }
        }
    }

    /// The most arguments accepted, `None` when unbounded.
    pub const fn max(self) -> Option<usize> {
        match self {
            Arity::Range(_, m) => Some(m),
            Arity::AtLeast(_) => None,
            Arity::OneOf(counts) => match counts.last() {
                Some(m) => Some(*m),
                None => Some(0),
            },
        }
    }

    /// Whether a call with `n` arguments has the right count.
    pub fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Range(min, max) => (min..=max).contains(&n),
            Arity::AtLeast(m) => n >= m,
            Arity::OneOf(counts) => counts.contains(&n),
        }
    }
}

/// The arguments of a call in the shape its function takes, `A` being what an argument is (a
/// parsed expression, or anything a stage makes of one).
pub trait Shape<A>: Sized {
    /// The counts the shape holds.
    const ARITY: Arity;

    /// The arguments in this shape, or back as they came when their count does not fit.
    fn from_vec(args: Vec<A>) -> Result<Self, Vec<A>>;

    /// The arguments in order.
    fn as_slice(&self) -> &[A];
}

/// No argument.
pub type Args0<A> = Box<[A; 0]>;
/// Exactly one argument.
pub type Args1<A> = Box<[A; 1]>;
/// Exactly two arguments.
pub type Args2<A> = Box<[A; 2]>;
/// Exactly three arguments.
pub type Args3<A> = Box<[A; 3]>;
/// Exactly four arguments.
pub type Args4<A> = Box<[A; 4]>;

impl<A, const N: usize> Shape<A> for Box<[A; N]> {
    const ARITY: Arity = Arity::Range(N, N);

    fn from_vec(args: Vec<A>) -> Result<Self, Vec<A>> {
        args.into_boxed_slice()
            .try_into()
            .map_err(|back: Box<[A]>| back.into_vec())
    }

    fn as_slice(&self) -> &[A] {
        &self[..]
    }
}

/// One argument, or two (the second optional: `Round(number, [digits])`).
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrTwo<A> {
    /// The first argument alone.
    One(Args1<A>),
    /// Both.
    Two(Args2<A>),
}

impl<A> Shape<A> for OneOrTwo<A> {
    const ARITY: Arity = Arity::Range(1, 2);

    fn from_vec(args: Vec<A>) -> Result<Self, Vec<A>> {
        Shape::from_vec(args)
            .map(OneOrTwo::One)
            .or_else(|args| Shape::from_vec(args).map(OneOrTwo::Two))
    }

    fn as_slice(&self) -> &[A] {
        match self {
            OneOrTwo::One(a) => &a[..],
            OneOrTwo::Two(a) => &a[..],
        }
    }
}

/// One argument or three (`IsEmptyString(value, [if_empty, otherwise])`).
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrThree<A> {
    /// The value alone: the legacy Boolean test.
    One(Args1<A>),
    /// The value and both choices.
    Three(Args3<A>),
}

impl<A> Shape<A> for OneOrThree<A> {
    const ARITY: Arity = Arity::OneOf(&[1, 3]);

    fn from_vec(args: Vec<A>) -> Result<Self, Vec<A>> {
        Shape::from_vec(args)
            .map(OneOrThree::One)
            .or_else(|args| Shape::from_vec(args).map(OneOrThree::Three))
    }

    fn as_slice(&self) -> &[A] {
        match self {
            OneOrThree::One(a) => &a[..],
            OneOrThree::Three(a) => &a[..],
        }
    }
}

/// A list of one argument or more (`Coalesce`, `Case`); what takes it reads it as a list, of
/// any length.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMore<A>(Vec<A>);

impl<A> Shape<A> for OneOrMore<A> {
    const ARITY: Arity = Arity::AtLeast(1);

    fn from_vec(args: Vec<A>) -> Result<Self, Vec<A>> {
        if args.is_empty() {
            Err(args)
        } else {
            Ok(OneOrMore(args))
        }
    }

    fn as_slice(&self) -> &[A] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each shape takes exactly the counts its arity says, and gives the arguments back in
    /// order (or untouched when they do not fit).
    fn holds<S: Shape<usize>>() {
        for n in 0..8 {
            let args: Vec<usize> = (0..n).collect();
            match S::from_vec(args.clone()) {
                Ok(s) => {
                    assert!(S::ARITY.accepts(n), "{n}");
                    assert_eq!(s.as_slice(), &args[..]);
                }
                Err(back) => {
                    assert!(!S::ARITY.accepts(n), "{n}");
                    assert_eq!(back, args);
                }
            }
        }
    }

    #[test]
    fn shapes_take_exactly_their_counts() {
        holds::<Args0<usize>>();
        holds::<Args1<usize>>();
        holds::<Args2<usize>>();
        holds::<Args3<usize>>();
        holds::<Args4<usize>>();
        holds::<OneOrTwo<usize>>();
        holds::<OneOrThree<usize>>();
        holds::<OneOrMore<usize>>();
        assert_eq!(OneOrThree::<()>::ARITY.min(), 1);
        assert_eq!(OneOrThree::<()>::ARITY.max(), Some(3));
        assert_eq!(OneOrMore::<()>::ARITY.max(), None);
    }
}
