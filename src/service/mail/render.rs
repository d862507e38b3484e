//! Mail templates (`templates/mail/`), compiled into the binary so it needs no files
//! beside it. The first line of a text template is the subject.

use std::sync::OnceLock;

use minijinja::Environment;

use crate::domain::client::Language;
use crate::domain::mail::MailTemplate;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[
            ("layout.html", include_str!("../../../templates/mail/layout.html")),
            $(
                (concat!($name, ".nl.txt"), include_str!(concat!("../../../templates/mail/", $name, ".nl.txt"))),
                (concat!($name, ".en.txt"), include_str!(concat!("../../../templates/mail/", $name, ".en.txt"))),
                (concat!($name, ".nl.html"), include_str!(concat!("../../../templates/mail/", $name, ".nl.html"))),
                (concat!($name, ".en.html"), include_str!(concat!("../../../templates/mail/", $name, ".en.html"))),
            )*
        ]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "assignment_proposed",
    "assignment_cancelled",
    "request_received",
    "visit_scheduled",
    "request_referred",
    "work_completed",
    "jobseeker_declined",
    "jobseeker_no_show",
    "request_unmatched",
    "vouchers_low",
    "vouchers_expiring",
    "visit_reminder",
    "provider_referral",
    "request_routed",
    "request_on_hold",
    "confirmation_requested",
    "confirmation_answered",
    "sign_off_requested",
    "sign_off_disputed",
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source).expect("the mail templates parse");
        }
        env
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders a mail as stored in the outbox: its data, and the desk's address before the
/// paths it links to (kept out of the data, so a mail queued before the site moved
/// still links to where the desk is when it goes out).
pub fn render_stored(template: MailTemplate, language: Language, data: &str, site: &str) -> Result<Rendered, String> {
    let mut data: serde_json::Value = serde_json::from_str(data).map_err(|e| format!("mail data: {e}"))?;
    if let Some(map) = data.as_object_mut() {
        map.insert("site".into(), site.into());
    }
    render(template, language, &data)
}

/// Renders a mail; `data` must hold every variable the template uses.
pub fn render(template: MailTemplate, language: Language, data: &serde_json::Value) -> Result<Rendered, String> {
    let env = environment();
    let name = |part: &str| format!("{}.{}.{part}", template.as_str(), language.as_str());
    let mut context = data.clone();
    if let Some(map) = context.as_object_mut() {
        map.insert("lang".into(), language.as_str().into());
    }
    let text = env
        .get_template(&name("txt"))
        .and_then(|t| t.render(&context))
        .map_err(|e| format!("template {}: {e:#}", name("txt")))?;
    let (subject, body) = text.split_once('\n').unwrap_or((&text, ""));
    let subject = subject.trim().to_owned();
    if let Some(map) = context.as_object_mut() {
        map.insert("subject".into(), subject.clone().into());
    }
    let html = env
        .get_template(&name("html"))
        .and_then(|t| t.render(&context))
        .map_err(|e| format!("template {}: {e:#}", name("html")))?;
    Ok(Rendered {
        subject,
        text: body.trim_start().to_owned(),
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        json!({
            "name": "Annie van den Berg", "category": "Tuinonderhoud", "description": "De heg snoeien",
            "address": "Dreef 12, 5581 AB Waalre", "when": "dinsdag 8 december 2026, 09:15", "until": "11:15",
            "client": "Annie van den Berg", "reason": "ziek", "window_from": "dinsdag 8 december 2026, 09:00",
            "window_until": "dinsdag 8 december 2026, 12:00", "member": "Sanne", "provider": "Hovenier Groen & Zo",
            "phone": "06 55 44 33 22", "email": "info@groenenzo.example.nl", "hours": "2.25", "vouchers": 3, "shortfall": 1,
            "request_id": 7, "client_gets_mail": false, "available": 2, "count": 4, "expires_on": "maandag 4 januari 2027",
            "for_member": true, "other": "Sanne", "referral_id": 9, "respond_by": "donderdag 10 december 2026, 09:15",
            "helper": "vrijwilliger", "cause": "Hovenier Groen & Zo wees de klus af: geen tijd",
            "assignment_id": 12, "confirmed": false, "site": "https://woonservice.example.nl", "link": "/bezoeken/12"
        })
    }

    #[test]
    fn the_mails_of_a_hand_over_link_to_the_page_where_one_acts() {
        for template in [
            MailTemplate::AssignmentProposed,
            MailTemplate::ConfirmationRequested,
            MailTemplate::SignOffRequested,
        ] {
            for language in Language::ALL {
                let rendered = render(template, *language, &sample()).unwrap();
                let link = "https://woonservice.example.nl/bezoeken/12";
                assert!(rendered.text.contains(link), "{template} {language}: {}", rendered.text);
                // The HTML escapes the slashes; a mail program reads them back.
                let html = rendered.html.replace("&#x2f;", "/");
                assert!(
                    html.contains(&format!("href=\"{link}\"")),
                    "{template} {language}: {html}"
                );
            }
        }
    }

    #[test]
    fn every_template_renders_in_dutch_and_english_with_text_and_html() {
        for template in MailTemplate::ALL {
            for language in Language::ALL {
                let rendered =
                    render(*template, *language, &sample()).unwrap_or_else(|e| panic!("{template} {language}: {e}"));
                assert!(!rendered.subject.is_empty(), "{template} {language}: no subject");
                assert!(
                    rendered.text.contains("Annie van den Berg") || rendered.text.contains("Sanne"),
                    "{template} {language}: {}",
                    rendered.text
                );
                assert!(
                    rendered.html.contains(&format!("lang=\"{language}\"")),
                    "{template} {language}"
                );
                assert!(
                    !rendered.text.contains("{{") && !rendered.html.contains("{{"),
                    "{template} {language}: unrendered tag"
                );
            }
        }
    }

    #[test]
    fn dutch_mail_is_in_dutch_and_html_is_escaped() {
        let mut data = sample();
        data["provider"] = json!("Klus & <Zo>");
        let nl = render(MailTemplate::RequestReferred, Language::Nl, &data).unwrap();
        assert!(nl.subject.starts_with("Uw hulpvraag"), "{}", nl.subject);
        assert!(nl.text.contains("Telefoon: 06 55 44 33 22"));
        assert!(nl.html.contains("Klus &amp; &lt;Zo&gt;"), "{}", nl.html);
        let en = render(MailTemplate::RequestReferred, Language::En, &data).unwrap();
        assert!(en.subject.starts_with("Your request"));
    }

    #[test]
    fn a_missing_variable_is_an_error_not_an_empty_hole() {
        assert!(render(MailTemplate::VouchersLow, Language::Nl, &json!({"name": "Annie"})).is_err());
    }
}
