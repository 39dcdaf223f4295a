//! The function table's types and queries: every function's name, family, parameters, arity,
//! result type, null rule, availability, meaning and a worked example. The parser resolves names
//! against it, the checker takes arity, types and availability from it, the evaluator its null
//! rule, `docs/EXPRESSIONS.md` and the designer's function picker ([`by_family`]) its texts.
//! The rows themselves are in `table.rs`.

use crate::model::Type;

pub use super::table::TABLE;

/// A function of the language, resolved at parse time. The order matches [`TABLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Func {
    // Dates
    AddDays,
    AddHours,
    AddMinutes,
    AddMonths,
    AddSeconds,
    AddYears,
    DateOnly,
    Day,
    DayOfYear,
    DaysAgo,
    DaysAgoInt,
    DaysDiff,
    DaysOld,
    GetDate,
    Hour,
    HoursDiff,
    LocalToUtc,
    Minute,
    MinutesDiff,
    Month,
    MonthsAgo,
    MonthsDiff,
    MonthsOld,
    Oldest,
    Second,
    SecondsDiff,
    SubDays,
    SubHours,
    SubMinutes,
    SubMonths,
    SubSeconds,
    SubYears,
    ToDate,
    ToDateTime,
    ToDateTimeWithTimezone,
    TruncDate,
    TruncDateTz,
    TruncQuarter,
    TruncTime,
    TruncWeek,
    TruncYear,
    WeekDay,
    Year,
    YearAndMonth,
    YearsDiff,
    YearsOld,
    // Geomarketing
    Distance,
    // Numerical
    Abs,
    Ceil,
    Floor,
    Greatest,
    Least,
    Mod,
    Percent,
    Random,
    Round,
    Sign,
    ToDouble,
    ToInt64,
    ToInteger,
    Trunc,
    // Others
    Case,
    ClearBit,
    Coalesce,
    Decode,
    Else,
    GetEmailDomain,
    GetMirrorUrl,
    Iif,
    IsBitSet,
    IsEmptyString,
    NoNull,
    RowId,
    SetBit,
    ToBoolean,
    When,
    NewUuid,
    // String
    AllNonNull2,
    AllNonNull3,
    Ascii,
    Char,
    Charindex,
    DataLength,
    AesDecrypt,
    AesEncrypt,
    GetLine,
    IfEquals,
    IsMemoNull,
    JuxtWords,
    JuxtWords3,
    LPad,
    Left,
    Length,
    Lower,
    Ltrim,
    Md5Digest,
    MemoContains,
    RPad,
    Replace,
    Right,
    Rtrim,
    Sha256Digest,
    Sha384Digest,
    Sha512Digest,
    Smart,
    Substring,
    ToIntlString,
    ToString,
    Trim,
    Upper,
    VirtualLink,
    VirtualLinkStr,
    // Event variables
    DateFormat,
    EndWith,
    Extract,
    ExtractRight,
    FileExt,
    FileName,
    GetOption,
    IsNull,
    StartWith,
    UrlUtf8Encode,
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

/// How many arguments a call takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// From `min` to the number of parameters.
    Range(usize),
    /// At least `min`, the last parameter (or, for `Case`, the branches) repeating.
    AtLeast(usize),
    /// Exactly one of these counts (`IsEmptyString`: 1 or 3).
    OneOf(&'static [usize]),
}

/// A documented parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The name shown in signatures.
    pub name: &'static str,
    /// What it accepts.
    pub kind: Kind,
}

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
        match self.arity {
            Arity::Range(m) | Arity::AtLeast(m) => m,
            Arity::OneOf(counts) => counts.iter().copied().min().unwrap_or(0),
        }
    }

    /// The most arguments accepted, `None` when unbounded.
    pub fn max(&self) -> Option<usize> {
        match self.arity {
            Arity::Range(_) => Some(self.params.len()),
            Arity::AtLeast(_) => None,
            Arity::OneOf(counts) => counts.iter().copied().max(),
        }
    }

    /// Whether a call with `n` arguments has the right count.
    pub fn accepts_count(&self, n: usize) -> bool {
        match self.arity {
            Arity::Range(m) => (m..=self.params.len()).contains(&n),
            Arity::AtLeast(m) => n >= m,
            Arity::OneOf(counts) => counts.contains(&n),
        }
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
        if self.func == Func::Case {
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
        if self.func == Func::Case {
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

/// What the designer's function picker shows for one function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickerEntry {
    /// The function.
    pub func: Func,
    /// Its name as inserted: `Left`.
    pub name: &'static str,
    /// One line of meaning.
    pub summary: &'static str,
    /// An example call.
    pub example: &'static str,
    /// What the example gives.
    pub result: &'static str,
    /// False for functions the checker refuses (shown greyed out, with [`Self::refused`]).
    pub usable: bool,
    /// Why a refused function cannot be used.
    pub refused: Option<&'static str>,
}

/// The functions grouped by the reference's families, in reference order, for the designer's
/// function picker: every family with its functions in table order.
pub fn by_family() -> Vec<(Family, Vec<PickerEntry>)> {
    Family::ALL
        .iter()
        .map(|&family| {
            let entries = TABLE
                .iter()
                .filter(|s| s.family == family)
                .map(|s| {
                    let refused = match s.availability {
                        Availability::Refused(why) => Some(why),
                        _ => None,
                    };
                    PickerEntry {
                        func: s.func,
                        name: s.name,
                        summary: s.summary(),
                        example: s.example,
                        result: s.result,
                        usable: refused.is_none(),
                        refused,
                    }
                })
                .collect();
            (family, entries)
        })
        .collect()
}

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
    fn names_are_unique_ignoring_case() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert!(!a.name.eq_ignore_ascii_case(b.name), "{}", a.name);
            }
        }
    }

    #[test]
    fn lookup_ignores_case_and_suggests() {
        assert_eq!(Func::lookup("UPPER"), Some(Func::Upper));
        assert_eq!(Func::lookup("StartWith"), Some(Func::StartWith));
        assert_eq!(Func::lookup("newuuid"), Some(Func::NewUuid));
        assert_eq!(Func::lookup("truncdatetz"), Some(Func::TruncDateTz));
        assert_eq!(
            Func::lookup("ENCRYPTION_AESCBCENCRYPT"),
            Some(Func::AesEncrypt)
        );
        assert_eq!(Func::lookup("Uper"), None);
        assert_eq!(Func::suggest("Uper"), Some("Upper"));
        assert_eq!(Func::suggest("substr"), Some("Substring"));
        assert_eq!(Func::suggest("JuxtWord"), Some("JuxtWords"));
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
            "takes at least 1 argument (value, fallback, ...)"
        );
        assert_eq!(Func::GetDate.spec().arity_text(), "takes no arguments");
        assert_eq!(
            Func::IsEmptyString.spec().signature(),
            "IsEmptyString(value, [if_empty, otherwise])"
        );
        assert_eq!(
            Func::IsEmptyString.spec().arity_text(),
            "takes 1 or 3 arguments (value, if_empty, otherwise)"
        );
        assert!(Func::IsEmptyString.spec().accepts_count(3));
        assert!(!Func::IsEmptyString.spec().accepts_count(2));
        assert_eq!(
            Func::Case.spec().signature(),
            "Case(When(condition, value), ..., Else(value))"
        );
    }

    #[test]
    fn picker_groups_every_function_once_by_family() {
        let groups = by_family();
        assert_eq!(
            groups.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            Family::ALL.to_vec()
        );
        let total: usize = groups.iter().map(|(_, e)| e.len()).sum();
        assert_eq!(total, TABLE.len());
        let dates = &groups[0].1;
        assert_eq!(dates[0].name, "AddDays");
        assert_eq!(
            dates[0].summary,
            "The date moved by `days` days (negative goes back)."
        );
        let refused: Vec<&str> = groups
            .iter()
            .flat_map(|(_, e)| e.iter().filter(|e| !e.usable).map(|e| e.name))
            .collect();
        assert_eq!(
            refused,
            vec![
                "GetMirrorURL",
                "RowId",
                "encryption_aescbcDecrypt",
                "encryption_aescbcEncrypt"
            ]
        );
        for (_, entries) in &groups {
            for e in entries {
                assert!(
                    !e.summary.is_empty() && e.summary.len() <= 200,
                    "{}",
                    e.name
                );
            }
        }
    }
}
