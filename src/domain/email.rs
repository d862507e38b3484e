use std::fmt;

/// An email address, trimmed and lower-cased so that logins and uniqueness do not
/// depend on how someone typed it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, String> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err("must not be empty".into());
        }
        if value.len() > 254 {
            return Err("must be at most 254 characters".into());
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err("must be an email address like naam@voorbeeld.nl".into());
        };
        let valid_local = !local.is_empty() && local.len() <= 64 && !local.starts_with('.') && !local.ends_with('.');
        let valid_domain = domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let no_forbidden = !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c));
        if valid_local && valid_domain && no_forbidden && local.find('@').is_none() {
            Ok(Email(value))
        } else {
            Err("must be an email address like naam@voorbeeld.nl".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Jan.Jansen@Waalre.NL ").unwrap().as_str(),
            "jan.jansen@waalre.nl"
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "jan",
            "jan@",
            "@waalre.nl",
            "jan@waalre",
            "jan@@waalre.nl",
            "jan jansen@waalre.nl",
            "jan@waalre..nl",
            "jan@-waalre.nl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
