//! Text folding for search: lower case, diacritics removed, a few letters that do not decompose
//! spelled out. Applied when a record is written (into its `search_text`) and to every query, so
//! matching is the same on SQLite and PostgreSQL.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        match c {
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'þ' => folded.push_str("th"),
            'ø' => folded.push('o'),
            'ł' => folded.push('l'),
            'đ' | 'ð' => folded.push('d'),
            'ı' => folded.push('i'),
            other => folded.push(other),
        }
    }
    folded
}

/// The folded text of several fields, for a `search_text` column. Phone numbers are added a
/// second time as bare digits so "+49 30 1234" is found by "30123".
pub fn search_text(fields: &[Option<&str>], phones: &[Option<&str>]) -> String {
    let mut parts: Vec<String> = fields.iter().flatten().map(|f| fold(f)).collect();
    for phone in phones.iter().flatten() {
        parts.push(fold(phone));
        parts.push(phone.chars().filter(char::is_ascii_digit).collect());
    }
    parts.join(" ")
}

/// A `LIKE … ESCAPE '\'` pattern matching `query` anywhere, with `%` and `_` taken literally.
pub fn contains_pattern(query: &str) -> String {
    let mut pattern = String::from("%");
    for c in fold(query.trim()).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use crate::search::fold::{contains_pattern, fold, search_text};

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("José"), "jose");
        assert_eq!(fold("ZOË"), fold("zoe"));
        assert_eq!(fold("Ångström Straße"), "angstrom strasse");
        assert_eq!(fold("Łódź Søren"), "lodz soren");
    }

    #[test]
    fn phones_are_searchable_as_digits() {
        let text = search_text(&[Some("Ana")], &[Some("+49 (30) 1234-56")]);
        assert!(text.contains("4930123456"), "{text}");
        assert!(text.starts_with("ana "), "{text}");
    }

    #[test]
    fn like_wildcards_in_queries_are_literal() {
        assert_eq!(contains_pattern(" 100%_Ö "), "%100\\%\\_o%");
    }
}
