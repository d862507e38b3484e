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
use crate::domain::money::Money;
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

enum Format {
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

/// Money for Dutch readers: decimal comma.
fn euro(value: &Money) -> String {
    value.to_string().replace('.', ",")
}

fn number(value: f64) -> String {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    };
    text.replace('.', ",")
}

/// One row per figure and breakdown, `;`-separated with a UTF-8 byte order mark and
/// decimal commas, so Dutch Excel opens it as it is.
pub fn csv(r: &MonthlyReport) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut add = |figure: &str, breakdown: &str, value: String| rows.push((figure.into(), breakdown.into(), value));
    add("requests.received", "", r.requests.received.to_string());
    for (code, n) in &r.requests.by_category {
        add("requests.by_category", code, n.to_string());
    }
    let o = &r.requests.by_outcome;
    for (k, v) in [
        ("volunteer", o.volunteer),
        ("woonservice", o.woonservice),
        ("private_provider", o.private_provider),
        ("business", o.business),
        ("unmatched", o.unmatched),
        ("cancelled", o.cancelled),
    ] {
        add("requests.by_outcome", k, v.to_string());
    }
    add("scheduling.scheduled", "", r.scheduling.scheduled.to_string());
    add(
        "scheduling.median_hours_to_scheduled",
        "",
        r.scheduling.median_hours_to_scheduled.map(number).unwrap_or_default(),
    );
    add("hours.volunteer", "", number(r.hours.volunteer.hours()));
    add("hours.jobseeker", "", number(r.hours.jobseeker.hours()));
    let v = &r.vouchers;
    add("vouchers.sold", "", v.sold.to_string());
    add("vouchers.redeemed", "", v.redeemed.to_string());
    add("vouchers.expired", "", v.expired.to_string());
    add("vouchers.cancelled", "", v.cancelled.to_string());
    add("vouchers.sold_value", "", euro(&v.sold_value));
    add("vouchers.redeemed_value", "", euro(&v.redeemed_value));
    add("vouchers.expired_value", "", euro(&v.expired_value));
    add("vouchers.cancelled_value", "", euro(&v.cancelled_value));
    add("vouchers.shortfall", "", v.shortfall.to_string());
    add("clients.new", "", r.clients.new.to_string());
    add("clients.active", "", r.clients.active.to_string());
    add("jobseekers.active", "", r.jobseekers.active.to_string());
    add("jobseekers.hours", "", number(r.jobseekers.hours.hours()));
    for (kind, n) in &r.jobseekers.outflow {
        add("jobseekers.outflow", kind, n.to_string());
    }
    add("follow_ups.done", "", r.follow_ups.done.to_string());
    add(
        "follow_ups.helped_lastingly",
        "",
        r.follow_ups.helped_lastingly.to_string(),
    );
    add(
        "follow_ups.helped_lastingly_share",
        "",
        r.follow_ups.helped_lastingly_share.map(number).unwrap_or_default(),
    );
    let mut out = String::from("\u{feff}gemeente;maand;cijfer;uitsplitsing;waarde\r\n");
    for (figure, breakdown, value) in rows {
        out.push_str(&format!(
            "{};{};{figure};{breakdown};{value}\r\n",
            r.municipality_id, r.month
        ));
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
    let of = |f: fn(&MonthlyReport) -> f64| data.history.iter().map(f).collect::<Vec<f64>>();
    let tiers = bars(
        "Hulpvragen per uitkomst",
        &months,
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
    );
    let hours = bars(
        "Gewerkte uren",
        &months,
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
    );
    let vouchers = bars(
        "Dienstencheques",
        &months,
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
    );
    // Every category an admin adds has its own names; a code without a row (never, as
    // requests refer to categories) shows as the code.
    let categories: std::collections::BTreeMap<String, String> = data
        .report
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
        .collect();
    let outflow = minijinja::context! { paid_work => "betaald werk", education => "opleiding", volunteer_work => "vrijwilligerswerk", other => "anders" };
    let page = environment()
        .get_template("report.html")
        .and_then(|t| {
            t.render(minijinja::context! {
                municipality => data.municipality_name,
                month => data.report.month,
                month_name => crate::domain::dates::month_and_year(month.year, month.month, crate::domain::client::Language::Nl),
                generated => date_time(chrono::Utc::now(), Language::Nl),
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
    Ok(match format {
        Format::Json => HttpResponse::Ok().json(&data.report),
        Format::Csv => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"rapportage-{}-{}.csv\"",
                    query.municipality_id, data.report.month
                ),
            ))
            .body(csv(&data.report)),
        Format::Html => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(html(&data, month)?),
    })
}
