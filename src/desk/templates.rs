//! The desk's templates, compiled into the binary. `t("…")` puts a Dutch text in the
//! page's language (see `words`).

use std::sync::OnceLock;

use minijinja::{Environment, State, Value};

use crate::error::AppError;

use super::words::{self, Language};

pub const TEMPLATES: [(&str, &str); 31] = [
    ("layout.html", include_str!("../../templates/desk/layout.html")),
    ("forms.html", include_str!("../../templates/desk/forms.html")),
    ("error.html", include_str!("../../templates/desk/error.html")),
    ("sign_in.html", include_str!("../../templates/desk/sign_in.html")),
    ("queue.html", include_str!("../../templates/desk/queue.html")),
    (
        "client_fields.html",
        include_str!("../../templates/desk/client_fields.html"),
    ),
    ("intake.html", include_str!("../../templates/desk/intake.html")),
    ("request.html", include_str!("../../templates/desk/request.html")),
    ("clients.html", include_str!("../../templates/desk/clients.html")),
    ("client.html", include_str!("../../templates/desk/client.html")),
    (
        "voucher_search.html",
        include_str!("../../templates/desk/voucher_search.html"),
    ),
    ("vouchers.html", include_str!("../../templates/desk/vouchers.html")),
    ("receipt.html", include_str!("../../templates/desk/receipt.html")),
    (
        "report_form.html",
        include_str!("../../templates/desk/report_form.html"),
    ),
    ("outbox.html", include_str!("../../templates/desk/outbox.html")),
    ("providers.html", include_str!("../../templates/desk/providers.html")),
    ("provider.html", include_str!("../../templates/desk/provider.html")),
    (
        "provider_form.html",
        include_str!("../../templates/desk/provider_form.html"),
    ),
    ("users.html", include_str!("../../templates/desk/users.html")),
    ("user.html", include_str!("../../templates/desk/user.html")),
    ("user_form.html", include_str!("../../templates/desk/user_form.html")),
    (
        "municipalities.html",
        include_str!("../../templates/desk/municipalities.html"),
    ),
    (
        "municipality_form.html",
        include_str!("../../templates/desk/municipality_form.html"),
    ),
    ("categories.html", include_str!("../../templates/desk/categories.html")),
    ("visit.html", include_str!("../../templates/desk/visit.html")),
    (
        "member_home.html",
        include_str!("../../templates/desk/member_home.html"),
    ),
    (
        "client_home.html",
        include_str!("../../templates/desk/client_home.html"),
    ),
    ("coach_home.html", include_str!("../../templates/desk/coach_home.html")),
    ("client_ask.html", include_str!("../../templates/desk/client_ask.html")),
    ("caseload.html", include_str!("../../templates/desk/caseload.html")),
    ("progress.html", include_str!("../../templates/desk/progress.html")),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        env.add_function("t", |state: &State, dutch: String| -> String {
            words::t(lang_of(state), &dutch)
        });
        env.add_filter("label", |state: &State, field: String| -> String {
            words::t(lang_of(state), words::field_label(&field))
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source).expect("the desk's templates parse");
        }
        env
    })
}

/// The page's language, as the frame put it in the context.
fn lang_of(state: &State) -> Language {
    words::language_of(state.lookup("lang").as_ref().and_then(Value::as_str))
}

pub fn render(template: &str, data: Value) -> Result<String, AppError> {
    environment()
        .get_template(template)
        .and_then(|t| t.render(data))
        .map_err(|e| AppError::internal(format!("desk template {template}: {e:#}")))
}

/// The page of an error, complete in itself: it may be answered before anything else is known.
pub fn error_page(status: u16, message: &str) -> String {
    let data = minijinja::context! { lang => "nl", status, message, signed_in => false, csrf => "", path => "" };
    render("error.html", data).unwrap_or_else(|e| {
        tracing::error!(error = %e, "the error page does not render");
        format!("<!doctype html><html lang=\"nl\"><title>{status}</title><p>{message}</p></html>")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_label_has_an_english_entry() {
        for field in ["email", "address.postcode", "representative.phone", "reason", "unknown"] {
            assert!(words::known(words::field_label(field)), "{field}");
        }
    }

    /// Every text a template puts through `t` has its English entry.
    #[test]
    fn every_word_of_the_templates_has_an_english_entry() {
        let call = regex_lite_find;
        let mut missing = Vec::new();
        for (name, source) in TEMPLATES {
            for word in call(source) {
                if !words::known(&word) {
                    missing.push(format!("{name}: {word}"));
                }
            }
        }
        assert!(missing.is_empty(), "no English for: {missing:#?}");
    }

    fn regex_lite_find(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = source;
        while let Some(at) = rest.find("t(\"") {
            let after = &rest[at + 3..];
            // `select("…` ends in `t("` too: only a call of `t` itself counts.
            let called = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
            if !called {
                rest = after;
                continue;
            }
            let Some(end) = after.find("\")") else { break };
            found.push(after[..end].to_owned());
            rest = &after[end..];
        }
        found
    }
}
