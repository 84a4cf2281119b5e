//! Amounts as people read them, in the currency's own minor units.

/// Minor units as the currency writes them: `(125050, "EUR")` → `1,250.50 EUR`, `(1250, "JPY")`
/// → `1,250 JPY`. Unknown codes get 2 decimals.
pub fn format_money(amount_minor: i64, currency: &str) -> String {
    let decimals = decimals(currency);
    let scale = 10_u64.pow(u32::from(decimals));
    let abs = amount_minor.unsigned_abs();
    let digits = (abs / scale).to_string();
    let mut whole = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            whole.push(',');
        }
        whole.push(c);
    }
    let sign = if amount_minor < 0 { "-" } else { "" };
    let fraction = match decimals {
        0 => String::new(),
        d => format!(".{:0width$}", abs % scale, width = usize::from(d)),
    };
    format!("{sign}{whole}{fraction} {currency}")
}

/// Minor units as a person types them in major units, without grouping or code: `(125050,
/// "EUR")` → `1250.50`, `(1250, "JPY")` → `1250`. What a deal form's amount field starts with.
pub fn amount_text(amount_minor: i64, currency: &str) -> String {
    let decimals = decimals(currency);
    let scale = 10_u64.pow(u32::from(decimals));
    let abs = amount_minor.unsigned_abs();
    let sign = if amount_minor < 0 { "-" } else { "" };
    match decimals {
        0 => format!("{sign}{abs}"),
        d => format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = usize::from(d)
        ),
    }
}

/// The currency's minor-unit digits (EUR 2, JPY 0, KWD 3); unknown codes get 2.
pub fn decimals(currency: &str) -> u16 {
    iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .unwrap_or(2)
}

/// The ISO currency codes by their number of decimals, for every number but the usual 2.
#[cfg(feature = "ssr")]
pub fn codes_by_decimals() -> &'static [(u16, Vec<&'static str>)] {
    use iso_currency::IntoEnumIterator;
    static GROUPS: std::sync::LazyLock<Vec<(u16, Vec<&'static str>)>> =
        std::sync::LazyLock::new(|| {
            let mut groups: std::collections::BTreeMap<u16, Vec<&'static str>> = Default::default();
            for currency in iso_currency::Currency::iter() {
                let decimals = currency.exponent().unwrap_or(2);
                if decimals != 2 {
                    groups.entry(decimals).or_default().push(currency.code());
                }
            }
            groups.into_iter().collect()
        });
    &GROUPS
}

/// Minor units as a number in major units, for comparisons (`125050` EUR → `1250.5`).
pub fn in_major_units(amount_minor: i64, currency: &str) -> f64 {
    amount_minor as f64 / 10_f64.powi(i32::from(decimals(currency)))
}

#[cfg(test)]
mod tests {
    use super::format_money;

    #[test]
    fn amounts_use_the_currency_decimals() {
        assert_eq!(format_money(125_050, "EUR"), "1,250.50 EUR");
        assert_eq!(format_money(1_250, "JPY"), "1,250 JPY");
        assert_eq!(format_money(5, "USD"), "0.05 USD");
        assert_eq!(format_money(1_234_567_000, "KWD"), "1,234,567.000 KWD");
        assert_eq!(format_money(100, "XYZ"), "1.00 XYZ");
    }

    #[test]
    fn amount_text_is_what_a_person_types() {
        use super::amount_text;
        assert_eq!(amount_text(125_050, "EUR"), "1250.50");
        assert_eq!(amount_text(1250, "JPY"), "1250");
        assert_eq!(amount_text(1500, "KWD"), "1.500");
        assert_eq!(amount_text(7, "EUR"), "0.07");
    }
}
