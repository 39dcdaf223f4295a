//! The function table: every function's name, family, parameters, arity, result type, null
//! rule, availability, meaning and a worked example. The parser resolves names against it and
//! refuses a call whose count of arguments its function does not take, the checker takes types and availability from it,
//! the evaluator its null rule, `docs/EXPRESSIONS.md` and the designer's function picker
//! ([`by_family`]) its texts.
//!
//! Its rooms, each importing only those listed before it: `shape` (how many arguments, as the
//! shape of a call's arguments), `names` (the functions nested by family),
//! `spec` (what a row holds), `table` (the rows, one array per family).

mod names;
mod shape;
mod spec;
mod table;

pub use names::{DateFn, EventFn, Family, Func, GeoFn, NumFn, OtherFn, StringFn};
pub use shape::{Args0, Args1, Args2, Args3, Args4, Arity, OneOrMore, OneOrThree, OneOrTwo, Shape};
pub use spec::{Availability, FuncSpec, Kind, Nulls, Param, Ret};
pub use table::TABLE;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum() {
        for (i, s) in TABLE.iter().enumerate() {
            assert_eq!(s.func.index(), i, "{} is out of order", s.name);
        }
    }

    #[test]
    fn each_arity_holds_the_rows_parameters() {
        // The arity is the shape of a call's arguments (names.rs), the parameters the row's:
        // a bounded call takes at most every parameter, a repeating one repeats the last.
        for s in TABLE.iter() {
            match s.max() {
                Some(max) => assert_eq!(max, s.params.len(), "{}", s.name),
                None => assert!(s.params.len() >= s.min(), "{}", s.name),
            }
            assert_eq!(s.family, s.func.family(), "{}", s.name);
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
        assert_eq!(Func::lookup("UPPER"), Some(Func::String(StringFn::Upper)));
        assert_eq!(
            Func::lookup("StartWith"),
            Some(Func::EventVariables(EventFn::StartWith))
        );
        assert_eq!(
            Func::lookup("newuuid"),
            Some(Func::Others(OtherFn::NewUuid))
        );
        assert_eq!(
            Func::lookup("truncdatetz"),
            Some(Func::Dates(DateFn::TruncDateTz))
        );
        assert_eq!(
            Func::lookup("ENCRYPTION_AESCBCENCRYPT"),
            Some(Func::String(StringFn::AesEncrypt))
        );
        assert_eq!(Func::lookup("Uper"), None);
        assert_eq!(Func::suggest("Uper"), Some("Upper"));
        assert_eq!(Func::suggest("substr"), Some("Substring"));
        assert_eq!(Func::suggest("JuxtWord"), Some("JuxtWords"));
        assert_eq!(Func::suggest("Frobnicate"), None);
    }

    #[test]
    fn signatures_and_arity_text() {
        assert_eq!(
            Func::String(StringFn::Left).spec().signature(),
            "Left(string, count)"
        );
        assert_eq!(
            Func::String(StringFn::Left).spec().arity_text(),
            "takes 2 arguments (string, count)"
        );
        assert_eq!(
            Func::Numerical(NumFn::Round).spec().signature(),
            "Round(number, [digits])"
        );
        assert_eq!(
            Func::Numerical(NumFn::Round).spec().arity_text(),
            "takes 1 to 2 arguments (number, digits)"
        );
        assert_eq!(
            Func::Others(OtherFn::Coalesce).spec().arity_text(),
            "takes at least 1 argument (value, fallback, ...)"
        );
        assert_eq!(
            Func::Dates(DateFn::GetDate).spec().arity_text(),
            "takes no arguments"
        );
        assert_eq!(
            Func::Others(OtherFn::IsEmptyString).spec().signature(),
            "IsEmptyString(value, [if_empty, otherwise])"
        );
        assert_eq!(
            Func::Others(OtherFn::IsEmptyString).spec().arity_text(),
            "takes 1 or 3 arguments (value, if_empty, otherwise)"
        );
        assert!(Func::Others(OtherFn::IsEmptyString).spec().accepts_count(3));
        assert!(!Func::Others(OtherFn::IsEmptyString).spec().accepts_count(2));
        assert_eq!(
            Func::Others(OtherFn::Case).spec().signature(),
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
