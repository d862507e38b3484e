use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use minijinja::Environment;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::charts::{Series, bars};
use crate::api::extract::AuthUser;
use crate::api::problem::Problem;
use crate::domain::client::Language;
use crate::domain::dates::date_time;
use crate::domain::report::{Month, MonthlyReport};
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::reports::{self, ReportWithHistory};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthlyQuery {
    pub municipality_id: i64,
    /// `YYYY-MM`; months are calendar months in Amsterdam time.
    #[param(pattern = r"^\d{4}-\d{2}$", example = "2026-11")]
    pub month: String,
}

pub(crate) enum Format {
    Json,
    Csv,
    Html,
}

/// The first format the `Accept` header names that we make; JSON when it names none.
fn format(req: &HttpRequest) -> Result<Format, AppError> {
    let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(Format::Json);
    };
    for range in accept.split(',') {
        match range
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "text/csv" => return Ok(Format::Csv),
            "text/html" => return Ok(Format::Html),
            "application/json" | "application/*" | "*/*" | "" => return Ok(Format::Json),
            _ => {}
        }
    }
    Err(AppError::NotAcceptable(
        "the report comes as application/json, text/csv or text/html".into(),
    ))
}

/// A number for Dutch readers: decimal comma, no `,0` on whole numbers.
fn number(value: f64) -> String {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    };
    text.replace('.', ",")
}

/// A JSON object with its fields in the order they were written: the report's
/// struct order, which is the order of the CSV's rows.
struct Fields(Vec<(String, Node)>);

#[derive(Deserialize)]
#[serde(untagged)]
enum Node {
    Object(Fields),
    Leaf(serde_json::Value),
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        struct InOrder;
        impl<'de> serde::de::Visitor<'de> for InOrder {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

/// A figure's value as the CSV shows it: counts as they are, hours and shares with a
/// decimal comma, euros (the report's only strings) with a decimal comma, nothing for
/// `null`.
fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(whole) => whole.to_string(),
            None => number(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(euros) => euros.replace('.', ","),
        _ => String::new(),
    }
}

/// One row per figure and breakdown, `;`-separated with a UTF-8 byte order mark and
/// decimal commas, so Dutch Excel opens it as it is. The rows are the report's JSON
/// figures in their order (`section.figure`, a map's keys as the breakdown), so a new
/// figure is in the CSV without being listed here.
pub fn csv(r: &MonthlyReport) -> String {
    let json = serde_json::to_string(r).expect("a report serialises");
    let Fields(sections) = serde_json::from_str(&json).expect("a report is an object");
    let mut out = String::from("\u{feff}gemeente;maand;cijfer;uitsplitsing;waarde\r\n");
    let mut row = |figure: &str, breakdown: &str, value: &serde_json::Value| {
        out.push_str(&format!(
            "{};{};{figure};{breakdown};{}\r\n",
            r.municipality_id,
            r.month,
            cell(value)
        ));
    };
    for (section, node) in &sections {
        let Node::Object(Fields(figures)) = node else {
            continue; // municipality_id and month: the first two columns
        };
        for (name, figure) in figures {
            let figure_name = format!("{section}.{name}");
            match figure {
                Node::Leaf(value) => row(&figure_name, "", value),
                Node::Object(Fields(breakdown)) => {
                    for (key, value) in breakdown {
                        if let Node::Leaf(value) = value {
                            row(&figure_name, key, value);
                        }
                    }
                }
            }
        }
    }
    out
}

const TEMPLATE: &str = include_str!("../../templates/report.html");

/// The page's one inline `<style>` block as a CSP source (`'sha256-…'`): the page
/// stays one self-contained file to save or print, and the Content-Security-Policy
/// allows exactly this block and no other inline style.
pub fn style_source() -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let start = TEMPLATE.find("<style>").expect("the report has a style block") + "<style>".len();
    let end = start + TEMPLATE[start..].find("</style>").expect("the style block ends");
    let digest = Sha256::digest(&TEMPLATE.as_bytes()[start..end]);
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_function("euro", |v: String| v.replace('.', ","));
        env.add_function("num", |v: f64| number(v));
        env.add_template("report.html", TEMPLATE)
            .expect("the report template parses");
        env
    })
}

/// The printable page: the figures and charts of the last twelve months as inline SVG.
pub fn html(data: &ReportWithHistory, month: Month) -> Result<String, AppError> {
    let months: Vec<String> = data.history.iter().map(|r| r.month.clone()).collect();
    let tiers = outcomes_chart(&data.history, &months);
    let hours = hours_chart(&data.history, &months);
    let vouchers = vouchers_chart(&data.history, &months);
    let categories = category_names(data);
    let outflow = minijinja::context! { paid_work => "betaald werk", education => "opleiding", volunteer_work => "vrijwilligerswerk", other => "anders" };
    let page = environment()
        .get_template("report.html")
        .and_then(|t| {
            t.render(minijinja::context! {
                municipality => data.municipality_name,
                month => data.report.month,
                month_name => crate::domain::dates::month_and_year(month.year, month.month, crate::domain::client::Language::Nl),
                generated => date_time(data.generated_at, Language::Nl),
                r => data.report,
                categories,
                outflow,
                chart_tiers => tiers,
                chart_hours => hours,
                chart_vouchers => vouchers,
            })
        })
        .map_err(|e| AppError::internal(format!("report page: {e:#}")))?;
    Ok(page)
}

/// One figure of every month of the history, oldest first.
fn per_month(history: &[MonthlyReport], figure: fn(&MonthlyReport) -> f64) -> Vec<f64> {
    history.iter().map(figure).collect()
}

/// Requests per month by how they ended: the tier that took them, unmatched or cancelled.
fn outcomes_chart(history: &[MonthlyReport], months: &[String]) -> String {
    let of = |f: fn(&MonthlyReport) -> f64| per_month(history, f);
    bars(
        "Hulpvragen per uitkomst",
        months,
        &[
            Series {
                label: "Vrijwilliger",
                colour: "#2e7d32",
                values: of(|r| r.requests.by_outcome.volunteer as f64),
            },
            Series {
                label: "Woonservice",
                colour: "#1565c0",
                values: of(|r| r.requests.by_outcome.woonservice as f64),
            },
            Series {
                label: "Particulier",
                colour: "#f9a825",
                values: of(|r| r.requests.by_outcome.private_provider as f64),
            },
            Series {
                label: "Bedrijf",
                colour: "#ef6c00",
                values: of(|r| r.requests.by_outcome.business as f64),
            },
            Series {
                label: "Lokale organisatie",
                colour: "#6a1b9a",
                values: of(|r| r.requests.by_outcome.organisation as f64),
            },
            Series {
                label: "Geen match",
                colour: "#c62828",
                values: of(|r| r.requests.by_outcome.unmatched as f64),
            },
            Series {
                label: "Geannuleerd",
                colour: "#9e9e9e",
                values: of(|r| r.requests.by_outcome.cancelled as f64),
            },
        ],
        true,
    )
}

/// Hours worked per month by volunteers and by jobseekers.
fn hours_chart(history: &[MonthlyReport], months: &[String]) -> String {
    let of = |f: fn(&MonthlyReport) -> f64| per_month(history, f);
    bars(
        "Gewerkte uren",
        months,
        &[
            Series {
                label: "Vrijwilligers",
                colour: "#2e7d32",
                values: of(|r| r.hours.volunteer.hours()),
            },
            Series {
                label: "Werkzoekenden",
                colour: "#1565c0",
                values: of(|r| r.hours.jobseeker.hours()),
            },
        ],
        false,
    )
}

/// Vouchers sold, redeemed and expired per month.
fn vouchers_chart(history: &[MonthlyReport], months: &[String]) -> String {
    let of = |f: fn(&MonthlyReport) -> f64| per_month(history, f);
    bars(
        "Dienstencheques",
        months,
        &[
            Series {
                label: "Verkocht",
                colour: "#1565c0",
                values: of(|r| r.vouchers.sold as f64),
            },
            Series {
                label: "Ingewisseld",
                colour: "#2e7d32",
                values: of(|r| r.vouchers.redeemed as f64),
            },
            Series {
                label: "Verlopen",
                colour: "#c62828",
                values: of(|r| r.vouchers.expired as f64),
            },
        ],
        false,
    )
}

/// The Dutch name of each category in the report. Every category an admin adds has
/// its own names; a code without a row (never, as requests refer to categories)
/// shows as the code.
fn category_names(data: &ReportWithHistory) -> std::collections::BTreeMap<String, String> {
    data.report
        .requests
        .by_category
        .keys()
        .map(|code| {
            let name = data
                .categories
                .iter()
                .find(|c| &c.code == code)
                .map(|c| c.name(Language::Nl));
            (code.clone(), name.unwrap_or(code).to_owned())
        })
        .collect()
}

/// The monthly report of one municipality (coordinator, admin).
///
/// Coordinators in scope and admins read the figures of one municipality for one month (`YYYY-MM`,
/// Europe/Amsterdam); other roles get 403.
///
/// JSON by default; `Accept: text/csv` gives one `;`-separated row per figure and
/// breakdown (UTF-8 with BOM, decimal commas); `Accept: text/html` a printable A4 page
/// with charts of the last twelve months as inline SVG. Every figure is defined in the
/// `MonthlyReport` schema.
#[utoipa::path(
    tag = "reports",
    params(MonthlyQuery),
    responses(
        (status = 200, description = "The report", content(
            (MonthlyReport = "application/json"),
            (String = "text/csv"),
            (String = "text/html"),
        )),
        (status = 400, description = "A malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only coordinators and admins read reports", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "`Accept` names no format the report comes in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`month` is not `YYYY-MM`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/monthly")]
pub async fn monthly_report(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    req: HttpRequest,
    query: web::Query<MonthlyQuery>,
) -> Result<HttpResponse, AppError> {
    let month = Month::parse(&query.month).map_err(|m| AppError::invalid("month", m))?;
    let format = format(&req)?;
    let with_history = matches!(format, Format::Html);
    let data = reports::monthly(&ctx, auth.0, query.municipality_id, month, with_history).await?;
    answer(&data, month, format)
}

/// The report in a format: JSON, the CSV download, or the printable page (the desk
/// answers the same two).
pub(crate) fn answer(data: &ReportWithHistory, month: Month, format: Format) -> Result<HttpResponse, AppError> {
    Ok(match format {
        Format::Json => HttpResponse::Ok().json(&data.report),
        Format::Csv => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"rapportage-{}-{}.csv\"",
                    data.report.municipality_id, data.report.month
                ),
            ))
            .body(csv(&data.report)),
        Format::Html => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(html(data, month)?),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::hours::QuarterHours;
    use crate::domain::money::Money;
    use crate::domain::report::{
        ClientFigures, FollowUpFigures, HourFigures, JobseekerFigures, Outcomes, RequestFigures, SchedulingFigures,
        VisitFigures, VoucherFigures,
    };

    fn report(median: Option<f64>, share: Option<f64>) -> MonthlyReport {
        MonthlyReport {
            municipality_id: 7,
            month: "2026-11".into(),
            requests: RequestFigures {
                received: 3,
                by_category: BTreeMap::from([("gardening".into(), 2), ("errands".into(), 1)]),
                by_outcome: Outcomes {
                    volunteer: 1,
                    business: 1,
                    unmatched: 1,
                    ..Outcomes::default()
                },
            },
            scheduling: SchedulingFigures {
                scheduled: 2,
                median_hours_to_scheduled: median,
            },
            hours: HourFigures {
                volunteer: QuarterHours::from_quarters(9),
                jobseeker: QuarterHours::from_quarters(8),
            },
            vouchers: VoucherFigures {
                sold: 10,
                redeemed: 2,
                expired: 1,
                cancelled: 0,
                sold_value: Money::from_cents(5000),
                redeemed_value: Money::from_cents(1000),
                expired_value: Money::from_cents(500),
                cancelled_value: Money::ZERO,
                shortfall: 1,
            },
            clients: ClientFigures { new: 1, active: 3 },
            jobseekers: JobseekerFigures {
                active: 4,
                hours: QuarterHours::from_quarters(8),
                outflow: BTreeMap::from([("paid_work".into(), 1)]),
            },
            follow_ups: FollowUpFigures {
                done: 3,
                helped_lastingly: 2,
                helped_lastingly_share: share,
            },
            visits: VisitFigures {
                ratings: 2,
                average_rating: Some(4.5),
                disputes: 1,
            },
        }
    }

    #[test]
    fn the_csv_has_a_row_per_figure_and_breakdown_in_the_report_order_with_dutch_numbers() {
        let rows = [
            "requests.received;;3",
            "requests.by_category;errands;1",
            "requests.by_category;gardening;2",
            "requests.by_outcome;volunteer;1",
            "requests.by_outcome;woonservice;0",
            "requests.by_outcome;private_provider;0",
            "requests.by_outcome;business;1",
            "requests.by_outcome;organisation;0",
            "requests.by_outcome;unmatched;1",
            "requests.by_outcome;cancelled;0",
            "scheduling.scheduled;;2",
            "scheduling.median_hours_to_scheduled;;4,5",
            "hours.volunteer;;2,25",
            "hours.jobseeker;;2",
            "vouchers.sold;;10",
            "vouchers.redeemed;;2",
            "vouchers.expired;;1",
            "vouchers.cancelled;;0",
            "vouchers.sold_value;;50,00",
            "vouchers.redeemed_value;;10,00",
            "vouchers.expired_value;;5,00",
            "vouchers.cancelled_value;;0,00",
            "vouchers.shortfall;;1",
            "clients.new;;1",
            "clients.active;;3",
            "jobseekers.active;;4",
            "jobseekers.hours;;2",
            "jobseekers.outflow;paid_work;1",
            "follow_ups.done;;3",
            "follow_ups.helped_lastingly;;2",
            "follow_ups.helped_lastingly_share;;0,667",
            "visits.ratings;;2",
            "visits.average_rating;;4,5",
            "visits.disputes;;1",
        ];
        let expected: String = std::iter::once("\u{feff}gemeente;maand;cijfer;uitsplitsing;waarde\r\n".to_owned())
            .chain(rows.iter().map(|r| format!("7;2026-11;{r}\r\n")))
            .collect();
        assert_eq!(csv(&report(Some(4.5), Some(0.667))), expected);
        let empty = csv(&report(None, None));
        assert!(empty.contains("7;2026-11;scheduling.median_hours_to_scheduled;;\r\n"));
        assert!(empty.contains("7;2026-11;follow_ups.helped_lastingly_share;;\r\n"));
    }
}
