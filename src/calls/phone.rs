//! Phone numbers in E.164 (`+4930123456`), the one form calls are stored and matched in. What a
//! user types is read with the tenant's default country, so local numbers work as dialled.

use phonenumber::{country, Mode};

const EXAMPLE: &str = "+49 30 1234567";

/// `raw` in E.164, or a reason for the person who typed it.
pub fn to_e164(raw: &str, default_country: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("is required".into());
    }
    if raw.chars().count() > 40 {
        return Err("is too long for a phone number".into());
    }
    let country = default_country.parse::<country::Id>().ok();
    let number = phonenumber::parse(country, raw)
        .map_err(|_| format!("'{raw}' is not a phone number: write digits, e.g. {EXAMPLE}"))?;
    if !phonenumber::is_valid(&number) {
        return Err(format!(
            "'{raw}' is not a valid phone number in {default_country}, the country numbers without \
             a +country code are read in: check the digits, or start it with + and its country \
             code, e.g. {EXAMPLE}"
        ));
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::to_e164;

    #[test]
    fn local_and_international_numbers_become_e164() {
        assert_eq!(to_e164("030 1234567", "DE").as_deref(), Ok("+49301234567"));
        assert_eq!(
            to_e164("+49 30 1234567", "US").as_deref(),
            Ok("+49301234567")
        );
        assert_eq!(
            to_e164("(201) 555-0123", "US").as_deref(),
            Ok("+12015550123")
        );
        assert_eq!(
            to_e164(" 020 7946 0958 ", "GB").as_deref(),
            Ok("+442079460958")
        );
    }

    #[test]
    fn what_cannot_be_a_number_is_refused_with_a_reason() {
        assert_eq!(to_e164("  ", "US"), Err("is required".to_string()));
        let reason = to_e164("12", "DE").expect_err("too short");
        assert!(reason.contains("'12'"), "{reason}");
        let reason = to_e164("030 123 45 67", "US").expect_err("not a US number");
        assert!(
            reason.contains("'030 123 45 67'")
                && reason.contains(" in US")
                && reason.contains("+49"),
            "names the number, the country and the fix: {reason}"
        );
        assert!(to_e164("call me maybe", "US").is_err());
        assert!(to_e164(&"9".repeat(50), "US").is_err());
    }
}
