//! The vocabulary of functions, nested by family as the reference groups them: a [`Func`] is a
//! family and one of its functions ([`DateFn`], [`GeoFn`], [`NumFn`], [`OtherFn`], [`StringFn`],
//! [`EventFn`]), and a [`Call`] is the same nesting with the call's arguments in the shape the
//! function takes (`StringCall::Left` holds exactly two, see `shape.rs`). Each family's list
//! below is written once, with each function's shape; the macro makes of it the function enum
//! (its order is the table's), the call enum and the conversions between them, so a `match` over
//! a family names every function and takes each call's arguments as a fixed array.

use super::shape::{
    Args0, Args1, Args2, Args3, Args4, Arity, OneOrMore, OneOrThree, OneOrTwo, Shape,
};

/// The reference's function families, in its order, plus the event-variable functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Dates and times.
    Dates,
    /// Geographical values.
    Geomarketing,
    /// Numbers.
    Numerical,
    /// Conditions, flags, conversions and the rest.
    Others,
    /// Strings.
    String,
    /// The functions the reference adds for event variables.
    EventVariables,
}

impl Family {
    /// Every family, in reference order.
    pub const ALL: [Family; 6] = [
        Family::Dates,
        Family::Geomarketing,
        Family::Numerical,
        Family::Others,
        Family::String,
        Family::EventVariables,
    ];

    /// The heading of the family.
    pub fn title(self) -> &'static str {
        match self {
            Family::Dates => "Dates",
            Family::Geomarketing => "Geomarketing",
            Family::Numerical => "Numerical",
            Family::Others => "Others",
            Family::String => "String",
            Family::EventVariables => "Event variables",
        }
    }

    /// One line on what the family holds.
    pub fn blurb(self) -> &'static str {
        match self {
            Family::Dates => {
                "Dates and times: arithmetic, parts, differences, truncation, time zones."
            }
            Family::Geomarketing => "Geographical values.",
            Family::Numerical => "Numbers: rounding, comparison, conversion, random draws.",
            Family::Others => "Conditions, flags, null handling and conversions.",
            Family::String => "Strings: case, padding, search, digests.",
            Family::EventVariables => {
                "Functions the reference adds for event variables: file paths, formats, options."
            }
        }
    }
}

/// One family: its function enum `$Fn` and its call enum `$Call<A>`, each function with the
/// shape of its arguments.
macro_rules! family {
    ($(#[$doc:meta])* $Fn:ident, $Call:ident, $what:literal { $($name:ident($shape:ident)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $Fn {
            $(
                #[doc = concat!("`", stringify!($name), "`: its row of the function table says what it does.")]
                $name,
            )+
        }

        impl $Fn {
            /// Every function of the family, in the table's order.
            pub const ALL: &'static [$Fn] = &[$($Fn::$name),+];

            /// How many arguments a call takes: what the shape of its arguments holds.
            pub const fn arity(self) -> Arity {
                match self {
                    $($Fn::$name => <$shape<()> as Shape<()>>::ARITY,)+
                }
            }
        }

        #[doc = concat!("A call of ", $what, ", its arguments in the shape the function takes.")]
        #[derive(Debug, Clone, PartialEq)]
        pub enum $Call<A> {
            $(
                #[doc = concat!("A call of `", stringify!($name), "`.")]
                $name($shape<A>),
            )+
        }

        impl<A> $Call<A> {
            /// The function called.
            pub fn func(&self) -> $Fn {
                match self {
                    $($Call::$name(_) => $Fn::$name,)+
                }
            }

            /// The arguments, in order.
            pub fn args(&self) -> &[A] {
                match self {
                    $($Call::$name(a) => Shape::as_slice(a),)+
                }
            }

            /// A call of `f` with `args`, or the arguments back when their count does not fit.
            pub fn new(f: $Fn, args: Vec<A>) -> Result<$Call<A>, Vec<A>> {
                match f {
                    $($Fn::$name => Shape::from_vec(args).map($Call::$name),)+
                }
            }
        }
    };
}

family! {
    /// The Dates functions.
    DateFn, DateCall, "a Dates function" {
        AddDays(Args2),
        AddHours(Args2),
        AddMinutes(Args2),
        AddMonths(Args2),
        AddSeconds(Args2),
        AddYears(Args2),
        DateOnly(Args1),
        Day(Args1),
        DayOfYear(Args1),
        DaysAgo(Args1),
        DaysAgoInt(Args1),
        DaysDiff(Args2),
        DaysOld(Args1),
        GetDate(Args0),
        Hour(Args1),
        HoursDiff(Args2),
        LocalToUtc(Args2),
        Minute(Args1),
        MinutesDiff(Args2),
        Month(Args1),
        MonthsAgo(Args1),
        MonthsDiff(Args2),
        MonthsOld(Args1),
        Oldest(Args2),
        Second(Args1),
        SecondsDiff(Args2),
        SubDays(Args2),
        SubHours(Args2),
        SubMinutes(Args2),
        SubMonths(Args2),
        SubSeconds(Args2),
        SubYears(Args2),
        ToDate(Args1),
        ToDateTime(Args1),
        ToDateTimeWithTimezone(OneOrTwo),
        TruncDate(Args2),
        TruncDateTz(Args3),
        TruncQuarter(Args1),
        TruncTime(Args2),
        TruncWeek(Args1),
        TruncYear(Args1),
        WeekDay(Args1),
        Year(Args1),
        YearAndMonth(Args1),
        YearsDiff(Args2),
        YearsOld(Args1),
    }
}

family! {
    /// The Geomarketing functions.
    GeoFn, GeoCall, "a Geomarketing function" {
        Distance(Args4),
    }
}

family! {
    /// The Numerical functions.
    NumFn, NumCall, "a Numerical function" {
        Abs(Args1),
        Ceil(Args1),
        Floor(Args1),
        Greatest(Args2),
        Least(Args2),
        Mod(Args2),
        Percent(Args2),
        Random(Args0),
        Round(OneOrTwo),
        Sign(Args1),
        ToDouble(Args1),
        ToInt64(Args1),
        ToInteger(Args1),
        Trunc(OneOrTwo),
    }
}

family! {
    /// The Others functions: conditions, flags, null handling, conversions.
    OtherFn, OtherCall, "an Others function" {
        Case(OneOrMore),
        ClearBit(Args2),
        Coalesce(OneOrMore),
        Decode(Args4),
        Else(Args1),
        GetEmailDomain(Args1),
        GetMirrorUrl(Args1),
        Iif(Args3),
        IsBitSet(Args2),
        IsEmptyString(OneOrThree),
        NoNull(Args1),
        RowId(Args0),
        SetBit(Args2),
        ToBoolean(Args1),
        When(Args2),
        NewUuid(Args0),
    }
}

family! {
    /// The String functions.
    StringFn, StringCall, "a String function" {
        AllNonNull2(Args2),
        AllNonNull3(Args3),
        Ascii(Args1),
        Char(Args1),
        Charindex(Args2),
        DataLength(Args1),
        AesDecrypt(Args3),
        AesEncrypt(Args3),
        GetLine(Args2),
        IfEquals(Args4),
        IsMemoNull(Args1),
        JuxtWords(Args2),
        JuxtWords3(Args3),
        LPad(Args3),
        Left(Args2),
        Length(Args1),
        Lower(Args1),
        Ltrim(Args1),
        Md5Digest(Args1),
        MemoContains(Args2),
        RPad(Args3),
        Replace(Args3),
        Right(Args2),
        Rtrim(Args1),
        Sha256Digest(Args1),
        Sha384Digest(Args1),
        Sha512Digest(Args1),
        Smart(Args1),
        Substring(Args3),
        ToIntlString(Args1),
        ToString(Args1),
        Trim(Args1),
        Upper(Args1),
        VirtualLink(Args3),
        VirtualLinkStr(Args3),
    }
}

family! {
    /// The functions the reference adds for event variables.
    EventFn, EventCall, "an event-variable function" {
        DateFormat(Args2),
        EndWith(Args2),
        Extract(Args2),
        ExtractRight(Args2),
        FileExt(Args1),
        FileName(Args1),
        GetOption(Args1),
        IsNull(Args1),
        StartWith(Args2),
        UrlUtf8Encode(Args1),
    }
}

/// A function of the language, resolved at parse time: its family, then the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func {
    /// A Dates function.
    Dates(DateFn),
    /// A Geomarketing function.
    Geomarketing(GeoFn),
    /// A Numerical function.
    Numerical(NumFn),
    /// An Others function.
    Others(OtherFn),
    /// A String function.
    String(StringFn),
    /// A function for event variables.
    EventVariables(EventFn),
}

impl Func {
    /// The family the function belongs to.
    pub const fn family(self) -> Family {
        match self {
            Func::Dates(_) => Family::Dates,
            Func::Geomarketing(_) => Family::Geomarketing,
            Func::Numerical(_) => Family::Numerical,
            Func::Others(_) => Family::Others,
            Func::String(_) => Family::String,
            Func::EventVariables(_) => Family::EventVariables,
        }
    }

    /// How many arguments a call takes.
    pub const fn arity(self) -> Arity {
        match self {
            Func::Dates(f) => f.arity(),
            Func::Geomarketing(f) => f.arity(),
            Func::Numerical(f) => f.arity(),
            Func::Others(f) => f.arity(),
            Func::String(f) => f.arity(),
            Func::EventVariables(f) => f.arity(),
        }
    }

    /// The function's place in the whole table: the families in order, each in its own order.
    pub const fn index(self) -> usize {
        const GEO: usize = DateFn::ALL.len();
        const NUM: usize = GEO + GeoFn::ALL.len();
        const OTHERS: usize = NUM + NumFn::ALL.len();
        const STRING: usize = OTHERS + OtherFn::ALL.len();
        const EVENT: usize = STRING + StringFn::ALL.len();
        match self {
            Func::Dates(f) => f as usize,
            Func::Geomarketing(f) => GEO + f as usize,
            Func::Numerical(f) => NUM + f as usize,
            Func::Others(f) => OTHERS + f as usize,
            Func::String(f) => STRING + f as usize,
            Func::EventVariables(f) => EVENT + f as usize,
        }
    }

    /// How many functions there are.
    pub const COUNT: usize = DateFn::ALL.len()
        + GeoFn::ALL.len()
        + NumFn::ALL.len()
        + OtherFn::ALL.len()
        + StringFn::ALL.len()
        + EventFn::ALL.len();
}

/// A call of a known function with its arguments, nested as [`Func`] is; `A` is what an
/// argument is (a parsed expression in the syntax tree).
#[derive(Debug, Clone, PartialEq)]
pub enum Call<A> {
    /// A call of a Dates function.
    Dates(DateCall<A>),
    /// A call of the Geomarketing function.
    Geomarketing(GeoCall<A>),
    /// A call of a Numerical function.
    Numerical(NumCall<A>),
    /// A call of an Others function.
    Others(OtherCall<A>),
    /// A call of a String function.
    String(StringCall<A>),
    /// A call of a function for event variables.
    EventVariables(EventCall<A>),
}

impl<A> Call<A> {
    /// The function called.
    pub fn func(&self) -> Func {
        match self {
            Call::Dates(c) => Func::Dates(c.func()),
            Call::Geomarketing(c) => Func::Geomarketing(c.func()),
            Call::Numerical(c) => Func::Numerical(c.func()),
            Call::Others(c) => Func::Others(c.func()),
            Call::String(c) => Func::String(c.func()),
            Call::EventVariables(c) => Func::EventVariables(c.func()),
        }
    }

    /// The arguments, in order.
    pub fn args(&self) -> &[A] {
        match self {
            Call::Dates(c) => c.args(),
            Call::Geomarketing(c) => c.args(),
            Call::Numerical(c) => c.args(),
            Call::Others(c) => c.args(),
            Call::String(c) => c.args(),
            Call::EventVariables(c) => c.args(),
        }
    }

    /// A call of `f` with `args`, or the arguments back when their count does not fit the
    /// function: the parser's arity check, which every later stage relies on.
    pub fn new(f: Func, args: Vec<A>) -> Result<Call<A>, Vec<A>> {
        match f {
            Func::Dates(f) => DateCall::new(f, args).map(Call::Dates),
            Func::Geomarketing(f) => GeoCall::new(f, args).map(Call::Geomarketing),
            Func::Numerical(f) => NumCall::new(f, args).map(Call::Numerical),
            Func::Others(f) => OtherCall::new(f, args).map(Call::Others),
            Func::String(f) => StringCall::new(f, args).map(Call::String),
            Func::EventVariables(f) => EventCall::new(f, args).map(Call::EventVariables),
        }
    }
}
