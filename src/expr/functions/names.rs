//! The vocabulary of functions, nested by family as the reference groups them: a [`Func`] is a
//! family and one of its functions ([`DateFn`], [`GeoFn`], [`NumFn`], [`OtherFn`], [`StringFn`],
//! [`EventFn`]). Each family's list below is written once, with the shape of each function's
//! arguments (`shape.rs`), from which its arity comes; the macro makes of it the function enum,
//! in the table's order, so that a `match` over a family names every function.

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

/// One family: its function enum `$Fn`, each function with the
/// shape of its arguments.
macro_rules! family {
    ($(#[$doc:meta])* $Fn:ident { $($name:ident($shape:ident)),+ $(,)? }) => {
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
    };
}

family! {
    /// The Dates functions.
    DateFn {
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
    GeoFn {
        Distance(Args4),
    }
}

family! {
    /// The Numerical functions.
    NumFn {
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
    OtherFn {
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
    StringFn {
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
    EventFn {
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
