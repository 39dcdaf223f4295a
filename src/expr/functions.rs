//! The function table: every function's name, parameters, result type, meaning and a worked
//! example. The parser resolves names against it, the checker takes arity and types from it,
//! and `docs/EXPRESSIONS.md` is generated from it.

use crate::model::Type;

/// A function of the language, resolved at parse time. The order matches [`TABLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Func {
    Upper,
    Lower,
    Left,
    Right,
    Substring,
    Length,
    Replace,
    Trim,
    LPad,
    Char,
    ToString,
    EndWith,
    StartWith,
    Extract,
    ExtractRight,
    FileName,
    FileExt,
    UrlUtf8Encode,
    IsEmptyString,
    Abs,
    Ceil,
    Floor,
    Round,
    ToInteger,
    ToDouble,
    GetDate,
    ToDate,
    ToDateTime,
    AddDays,
    AddHours,
    AddMinutes,
    AddMonths,
    AddYears,
    DaysAgo,
    DateOnly,
    DateFormat,
    Year,
    Month,
    Day,
    Iif,
    Case,
    Coalesce,
    IsNull,
    ToBoolean,
    GetOption,
    NewUuid,
}

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
}

/// How a call's static result type is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    /// Always this type.
    Fixed(Type),
    /// The type of the argument at this position.
    SameAs(usize),
    /// The common type of the value arguments (`Iif`, `Case`, `Coalesce`).
    Common,
}

/// A documented parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The name shown in signatures.
    pub name: &'static str,
    /// What it accepts.
    pub kind: Kind,
}

/// A function group, for the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Text functions.
    String,
    /// Number functions.
    Number,
    /// Date functions.
    Date,
    /// Everything else.
    Other,
}

impl Category {
    /// Every category, in reference order.
    pub const ALL: [Category; 4] = [
        Category::String,
        Category::Number,
        Category::Date,
        Category::Other,
    ];

    /// The heading of the category.
    pub fn title(self) -> &'static str {
        match self {
            Category::String => "String functions",
            Category::Number => "Number functions",
            Category::Date => "Date functions",
            Category::Other => "Other functions",
        }
    }
}

/// One row of the function table.
#[derive(Debug, Clone, Copy)]
pub struct FuncSpec {
    /// The function.
    pub func: Func,
    /// Its canonical spelling (calls ignore case).
    pub name: &'static str,
    /// Its group.
    pub category: Category,
    /// The parameters, in order.
    pub params: &'static [Param],
    /// How many arguments are required (the rest of `params` are optional).
    pub min: usize,
    /// Whether the last parameter (or, for `Case`, the pair) repeats without limit.
    pub variadic: bool,
    /// The result type rule.
    pub ret: Ret,
    /// What the function does, nulls and errors included.
    pub meaning: &'static str,
    /// An example call.
    pub example: &'static str,
    /// What the example evaluates to, as [`super::describe_value`] writes it.
    pub result: &'static str,
}

impl FuncSpec {
    /// The most arguments accepted, `None` when unbounded.
    pub fn max(&self) -> Option<usize> {
        (!self.variadic).then_some(self.params.len())
    }

    /// The signature as users read it: `Left(string, count)`.
    pub fn signature(&self) -> String {
        let mut parts = Vec::new();
        for (i, p) in self.params.iter().enumerate() {
            if i >= self.min {
                parts.push(format!("[{}]", p.name));
            } else {
                parts.push(p.name.to_owned());
            }
        }
        if self.variadic {
            parts.push("...".to_owned());
        }
        format!("{}({})", self.name, parts.join(", "))
    }

    /// "takes 2 arguments (string, count)", for arity messages.
    pub fn arity_text(&self) -> String {
        let names: Vec<&str> = self.params.iter().map(|p| p.name).collect();
        let count = match self.max() {
            Some(0) => return "takes no arguments".to_owned(),
            Some(m) if m == self.min => plural(m),
            Some(m) => format!("{} to {m} arguments", self.min),
            None => format!("at least {}", plural(self.min)),
        };
        format!(
            "takes {count} ({}{})",
            names.join(", "),
            if self.variadic { ", ..." } else { "" }
        )
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 argument".to_owned()
    } else {
        format!("{n} arguments")
    }
}

const fn p(name: &'static str, kind: Kind) -> Param {
    Param { name, kind }
}

#[allow(clippy::too_many_arguments)]
const fn f(
    func: Func,
    name: &'static str,
    category: Category,
    params: &'static [Param],
    min: usize,
    ret: Ret,
    meaning: &'static str,
    example: &'static str,
    result: &'static str,
) -> FuncSpec {
    FuncSpec {
        func,
        name,
        category,
        params,
        min,
        variadic: false,
        ret,
        meaning,
        example,
        result,
    }
}

const fn variadic(mut s: FuncSpec) -> FuncSpec {
    s.variadic = true;
    s
}

use Category as C;
use Kind::*;
use Ret::*;

const S: Ret = Fixed(Type::String);
const I: Ret = Fixed(Type::Integer);
const B: Ret = Fixed(Type::Boolean);
const D: Ret = Fixed(Type::Date);
const DT: Ret = Fixed(Type::DateTime);

/// Every function, in the order of [`Func`].
#[rustfmt::skip]
pub static TABLE: [FuncSpec; 46] = [
    f(Func::Upper, "Upper", C::String, &[p("string", Str)], 1, S,
      "The string in upper case (Unicode rules).", "Upper('gold members')", "'GOLD MEMBERS'"),
    f(Func::Lower, "Lower", C::String, &[p("string", Str)], 1, S,
      "The string in lower case (Unicode rules).", "Lower('GoldMembers')", "'goldmembers'"),
    f(Func::Left, "Left", C::String, &[p("string", Str), p("count", Int)], 2, S,
      "The first `count` characters (the whole string when it is shorter). A negative count is an error.",
      "Left('newsletter', 4)", "'news'"),
    f(Func::Right, "Right", C::String, &[p("string", Str), p("count", Int)], 2, S,
      "The last `count` characters (the whole string when it is shorter). A negative count is an error.",
      "Right('report.csv', 3)", "'csv'"),
    f(Func::Substring, "Substring", C::String, &[p("string", Str), p("start", Int), p("length", Int)], 3, S,
      "`length` characters starting at character `start`, counted from 1 (like SQL). Past the end gives a shorter or empty string; `start` below 1 or a negative `length` is an error.",
      "Substring('newsletter', 5, 6)", "'letter'"),
    f(Func::Length, "Length", C::String, &[p("string", Str)], 1, I,
      "The number of characters (not bytes).", "Length('héllo')", "5"),
    f(Func::Replace, "Replace", C::String, &[p("string", Str), p("find", Str), p("replacement", Str)], 3, S,
      "Every occurrence of `find` replaced by `replacement`, left to right without overlaps. An empty `find` leaves the string unchanged.",
      "Replace('a-b-c', '-', '/')", "'a/b/c'"),
    f(Func::Trim, "Trim", C::String, &[p("string", Str)], 1, S,
      "The string without leading and trailing white space.", "Trim('  gold  ')", "'gold'"),
    f(Func::LPad, "LPad", C::String, &[p("string", Str), p("length", Int), p("pad", Str)], 3, S,
      "The string padded on the left with the first character of `pad` up to `length` characters. A string already that long is returned unchanged; an empty `pad` or a negative `length` is an error.",
      "LPad('42', 5, '0')", "'00042'"),
    f(Func::Char, "Char", C::String, &[p("code", Int)], 1, S,
      "The character with this Unicode code point. A code that is not a character is an error.",
      "Char(65)", "'A'"),
    f(Func::ToString, "ToString", C::String, &[p("value", Any)], 1, S,
      "The value as text, the way `$(vars/@x)` reads a variable (dates `YYYY-MM-DD`, date-times `YYYY-MM-DD HH:MM:SS.fffZ`). Null gives the empty string.",
      "ToString(42) + '!'", "'42!'"),
    f(Func::EndWith, "EndWith", C::String, &[p("string", Str), p("suffix", Str)], 2, B,
      "Whether the string ends with `suffix` (case-sensitive).", "EndWith('report.csv', '.csv')", "true"),
    f(Func::StartWith, "startWith", C::String, &[p("string", Str), p("prefix", Str)], 2, B,
      "Whether the string starts with `prefix` (case-sensitive).", "startWith('https://example.com', 'https:')", "true"),
    f(Func::Extract, "Extract", C::String, &[p("string", Str), p("separator", Str)], 2, S,
      "The part before the first `separator`. The whole string when the separator does not occur or is empty.",
      "Extract('gold;silver;bronze', ';')", "'gold'"),
    f(Func::ExtractRight, "ExtractRight", C::String, &[p("string", Str), p("separator", Str)], 2, S,
      "The part after the last `separator`. The whole string when the separator does not occur or is empty.",
      "ExtractRight('gold;silver;bronze', ';')", "'bronze'"),
    f(Func::FileName, "FileName", C::String, &[p("path", Str)], 1, S,
      "The file name of a path (after the last `/` or `\\`) without its extension (the part from the last `.`, unless the name starts with it).",
      "FileName('/in/2024/members.csv')", "'members'"),
    f(Func::FileExt, "FileExt", C::String, &[p("path", Str)], 1, S,
      "The extension of a path's file name, without the dot; empty when there is none.",
      "FileExt('/in/2024/members.csv')", "'csv'"),
    f(Func::UrlUtf8Encode, "UrlUtf8Encode", C::String, &[p("string", Str)], 1, S,
      "The string percent-encoded as UTF-8 for a URL: letters, digits and `- _ . ~` are kept, every other byte becomes `%XX`.",
      "UrlUtf8Encode('gold members/é')", "'gold%20members%2F%C3%A9'"),
    f(Func::IsEmptyString, "IsEmptyString", C::String, &[p("value", Any)], 1, B,
      "True when the value is null or the empty string; false otherwise.", "IsEmptyString('')", "true"),
    f(Func::Abs, "Abs", C::Number, &[p("number", Num)], 1, SameAs(0),
      "The absolute value, of the same type. `Abs` of the smallest Integer overflows (error).", "Abs(-3.5)", "3.5"),
    f(Func::Ceil, "Ceil", C::Number, &[p("number", Num)], 1, SameAs(0),
      "The smallest whole number not below the number, of the same type (an Integer is unchanged).", "Ceil(4.2)", "5.0"),
    f(Func::Floor, "Floor", C::Number, &[p("number", Num)], 1, SameAs(0),
      "The largest whole number not above the number, of the same type (an Integer is unchanged).", "Floor(-4.2)", "-5.0"),
    f(Func::Round, "Round", C::Number, &[p("number", Num), p("digits", Int)], 1, SameAs(0),
      "The number rounded half away from zero to `digits` decimals (default 0; from -15 to 15; negative rounds to tens, hundreds...). The type is kept.",
      "Round(2.567, 2)", "2.57"),
    f(Func::ToInteger, "ToInteger", C::Number, &[p("value", Any)], 1, I,
      "The value as an Integer: a Decimal truncated toward zero, a Boolean as 1 or 0, a String parsed as an integer or a decimal (then truncated). Text that is not a number, or a number out of range, is an error.",
      "ToInteger('42') + ToInteger(3.9)", "45"),
    f(Func::ToDouble, "ToDouble", C::Number, &[p("value", Any)], 1, Fixed(Type::Decimal),
      "The value as a Decimal: an Integer converted, a Boolean as 1 or 0, a String parsed. Text that is not a number is an error.",
      "ToDouble('2.5') * 2", "5.0"),
    f(Func::GetDate, "GetDate", C::Date, &[], 0, DT,
      "The current date and time of the run (the simulator's virtual clock).", "GetDate()", "DateTime 2025-01-06 09:00:00.000Z"),
    f(Func::ToDate, "ToDate", C::Date, &[p("value", Any)], 1, D,
      "The value as a Date: a DateTime's UTC date, or a String in `YYYY-MM-DD` or a date-time form. Other values or text are an error.",
      "ToDate('2024-03-31')", "Date 2024-03-31"),
    f(Func::ToDateTime, "ToDateTime", C::Date, &[p("value", Any)], 1, DT,
      "The value as a DateTime: a Date at midnight UTC, or a String in RFC 3339, `YYYY-MM-DD HH:MM:SS[.fff][Z]` or `YYYY-MM-DD`. Other values or text are an error.",
      "ToDateTime('2024-03-31 08:17:19Z')", "DateTime 2024-03-31 08:17:19.000Z"),
    f(Func::AddDays, "AddDays", C::Date, &[p("date", DateLike), p("days", Int)], 2, SameAs(0),
      "The date moved by `days` days (negative goes back); a Date stays a Date.", "AddDays(ToDate('2024-02-28'), 2)", "Date 2024-03-01"),
    f(Func::AddHours, "AddHours", C::Date, &[p("date", DateLike), p("hours", Int)], 2, DT,
      "The instant moved by `hours` hours; a Date counts from its midnight UTC.", "AddHours(ToDateTime('2024-03-31 23:00:00Z'), 2)", "DateTime 2024-04-01 01:00:00.000Z"),
    f(Func::AddMinutes, "AddMinutes", C::Date, &[p("date", DateLike), p("minutes", Int)], 2, DT,
      "The instant moved by `minutes` minutes; a Date counts from its midnight UTC.", "AddMinutes(ToDate('2024-03-31'), 90)", "DateTime 2024-03-31 01:30:00.000Z"),
    f(Func::AddMonths, "AddMonths", C::Date, &[p("date", DateLike), p("months", Int)], 2, SameAs(0),
      "The date moved by `months` calendar months, clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28 or 29); the time of day is kept.",
      "AddMonths(ToDate('2024-01-31'), 1)", "Date 2024-02-29"),
    f(Func::AddYears, "AddYears", C::Date, &[p("date", DateLike), p("years", Int)], 2, SameAs(0),
      "The date moved by `years` years, Feb 29 clamped to Feb 28 in a non-leap year.", "AddYears(ToDate('2024-02-29'), 1)", "Date 2025-02-28"),
    f(Func::DaysAgo, "DaysAgo", C::Date, &[p("days", Int)], 1, D,
      "The Date `days` days before the current date of the run (UTC).", "DaysAgo(5)", "Date 2025-01-01"),
    f(Func::DateOnly, "DateOnly", C::Date, &[p("date", DateLike)], 1, D,
      "The Date of a DateTime (UTC); a Date is unchanged.", "DateOnly(ToDateTime('2024-03-31 08:17:19Z'))", "Date 2024-03-31"),
    f(Func::DateFormat, "DateFormat", C::Date, &[p("date", DateLike), p("format", Str)], 2, S,
      "The date written with `format`: `%4Y` year (4 digits), `%2M` month, `%2D` day, `%2H` hour, `%2N` minute, `%2S` second (2 digits each); any other text is copied. A Date has time 00:00:00.",
      "DateFormat(ToDateTime('2024-03-31 08:17:19Z'), '%4Y%2M%2D-%2H%2N%2S')", "'20240331-081719'"),
    f(Func::Year, "Year", C::Date, &[p("date", DateLike)], 1, I,
      "The year of the date (UTC).", "Year(ToDate('2024-03-31'))", "2024"),
    f(Func::Month, "Month", C::Date, &[p("date", DateLike)], 1, I,
      "The month of the date, 1 to 12 (UTC).", "Month(ToDate('2024-03-31'))", "3"),
    f(Func::Day, "Day", C::Date, &[p("date", DateLike)], 1, I,
      "The day of the month, 1 to 31 (UTC).", "Day(ToDate('2024-03-31'))", "31"),
    f(Func::Iif, "Iif", C::Other, &[p("condition", Bool), p("then", Any), p("else", Any)], 3, Common,
      "`then` when the condition is true, else `else` (a null condition counts as false). Only the chosen branch is evaluated.",
      "Iif(3 > 2, 'yes', 'no')", "'yes'"),
    variadic(f(Func::Case, "Case", C::Other, &[p("condition", Bool), p("value", Any)], 2, Common,
      "Pairs of condition and value, then an optional default: the value of the first true condition (null conditions count as false), else the default, else null. Only what is needed is evaluated.",
      "Case(1 > 2, 'a', 2 > 1, 'b', 'c')", "'b'")),
    variadic(f(Func::Coalesce, "Coalesce", C::Other, &[p("value", Any)], 1, Common,
      "The first argument that is not null (null when all are). Later arguments are not evaluated.",
      "Coalesce($(vars/@missing), 'fallback')", "'fallback'")),
    f(Func::IsNull, "IsNull", C::Other, &[p("value", Any)], 1, B,
      "Whether the value is null (an absent variable, a null cell, a null result).", "IsNull($(vars/@missing))", "true"),
    f(Func::ToBoolean, "ToBoolean", C::Other, &[p("value", Any)], 1, B,
      "The value as a Boolean: a number is true unless zero, a String is read as `true`/`false`/`1`/`0` (any case). Other text is an error.",
      "ToBoolean('1')", "true"),
    f(Func::GetOption, "GetOption", C::Other, &[p("name", Str)], 1, S,
      "The value of the named option of the sample data, as a String; null when no such option is defined.",
      "GetOption('brand')", "'Acme'"),
    f(Func::NewUuid, "newUUID", C::Other, &[], 0, S,
      "A new UUID as a String (the simulator's generator; deterministic in tests and scenarios).", "newUUID()", "'00000000-0000-4000-8000-000000000001'"),
];

impl Func {
    /// The table row of this function.
    pub fn spec(self) -> &'static FuncSpec {
        &TABLE[self as usize]
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Looks a function up by name, ignoring case.
    pub fn lookup(name: &str) -> Option<Func> {
        TABLE
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .map(|s| s.func)
    }

    /// The closest known function name, for "did you mean".
    pub fn suggest(name: &str) -> Option<&'static str> {
        let lower = name.to_ascii_lowercase();
        TABLE
            .iter()
            .map(|s| {
                (
                    strsim::levenshtein(&lower, &s.name.to_ascii_lowercase()),
                    s.name,
                )
            })
            .filter(|(d, n)| *d <= (n.len() / 3).max(2))
            .min_by_key(|(d, _)| *d)
            .map(|(_, n)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum() {
        for (i, s) in TABLE.iter().enumerate() {
            assert_eq!(s.func as usize, i, "{} is out of order", s.name);
        }
    }

    #[test]
    fn lookup_ignores_case_and_suggests() {
        assert_eq!(Func::lookup("UPPER"), Some(Func::Upper));
        assert_eq!(Func::lookup("StartWith"), Some(Func::StartWith));
        assert_eq!(Func::lookup("newuuid"), Some(Func::NewUuid));
        assert_eq!(Func::lookup("Uper"), None);
        assert_eq!(Func::suggest("Uper"), Some("Upper"));
        assert_eq!(Func::suggest("substr"), Some("Substring"));
        assert_eq!(Func::suggest("Frobnicate"), None);
    }

    #[test]
    fn signatures_and_arity_text() {
        assert_eq!(Func::Left.spec().signature(), "Left(string, count)");
        assert_eq!(
            Func::Left.spec().arity_text(),
            "takes 2 arguments (string, count)"
        );
        assert_eq!(Func::Round.spec().signature(), "Round(number, [digits])");
        assert_eq!(
            Func::Round.spec().arity_text(),
            "takes 1 to 2 arguments (number, digits)"
        );
        assert_eq!(
            Func::Coalesce.spec().arity_text(),
            "takes at least 1 argument (value, ...)"
        );
        assert_eq!(Func::GetDate.spec().arity_text(), "takes no arguments");
    }
}
