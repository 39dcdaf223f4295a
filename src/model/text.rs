//! What messages share: lists cut to a readable length and numbers grouped by thousands, so
//! that a message about 100,000 allowed values or Fork branches names a few and says how many
//! more, on one readable line.

use std::fmt::Display;

/// The most items a message lists before "and N more".
pub const LISTED: usize = 10;

/// `items` joined by `, `: the first [`LISTED`], then `and 99,990 more` when there are more.
pub fn listed<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    listed_with(items, ", ")
}

/// [`listed`] with another separator.
pub fn listed_with<T: Display>(items: impl IntoIterator<Item = T>, separator: &str) -> String {
    let mut shown = Vec::new();
    let mut more = 0usize;
    for item in items {
        if shown.len() < LISTED {
            shown.push(item.to_string());
        } else {
            more += 1;
        }
    }
    let mut out = shown.join(separator);
    if more > 0 {
        out.push_str(&format!(" and {} more", grouped(more as u64)));
    }
    out
}

/// `3,155,695,200`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_and_say_how_many_more() {
        assert_eq!(listed(["a", "b"]), "a, b");
        assert_eq!(listed(Vec::<String>::new()), "");
        assert_eq!(
            listed(0..100_000),
            "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 99,990 more"
        );
        assert_eq!(
            listed_with(0..11, " or "),
            "0 or 1 or 2 or 3 or 4 or 5 or 6 or 7 or 8 or 9 and 1 more"
        );
        assert_eq!(grouped(3_155_695_200), "3,155,695,200");
        assert_eq!(grouped(999), "999");
    }
}
