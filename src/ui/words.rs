//! Wording shared by the panels, without egui: counts with the noun in the right number ("1
//! error", "2 errors"), so that no message reads "1 errors" or "2 request(s)".
//!
//! This module imports nothing else from `ui`.

/// `n` and the noun, singular for one, plural otherwise (an "s" added): `count_s(1, "run")` is
/// "1 run", `count_s(2, "run")` "2 runs".
pub fn count_s(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_the_rest_plural() {
        assert_eq!(count_s(0, "error"), "0 errors");
        assert_eq!(count_s(1, "error"), "1 error");
        assert_eq!(count_s(2, "warning"), "2 warnings");
    }
}
