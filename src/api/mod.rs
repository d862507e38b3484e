//! HTTP: routing, extraction, DTOs and status codes. One module per resource, one
//! function per action; no SQL and no business rules here.

pub mod assignments;
pub mod auth;
pub mod categories;
pub mod charts;
pub mod clients;
pub mod extract;
pub mod fallback;
pub mod follow_ups;
pub mod health;
pub mod idempotency;
pub mod me;
pub mod members;
pub mod municipalities;
pub mod named_patterns;
pub mod openapi;
pub mod outbox;
pub mod paging;
pub mod patch;
pub mod problem;
pub mod providers;
pub mod referrals;
pub mod reports;
pub mod request_log;
pub mod requests;
pub mod respond;
pub mod routing;
pub mod security_headers;
pub mod sign_offs;
pub mod users;
pub mod voucher_history;
pub mod vouchers;

use actix_web::App;
use actix_web::http::Method;
use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::service::Ctx;

/// Every route of the service; the OpenAPI document is collected from the same calls.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(
        scope::scope("/api/v1")
            .service(auth::login)
            .service(me::get_me)
            .service(users::create_user)
            .service(users::list_users)
            .service(users::get_user)
            .service(users::update_user)
            .service(municipalities::create_municipality)
            .service(municipalities::list_municipalities)
            .service(municipalities::get_municipality)
            .service(municipalities::update_municipality)
            .service(categories::list_categories)
            .service(categories::create_category)
            .service(categories::get_category)
            .service(clients::create_client)
            .service(clients::list_clients)
            .service(clients::get_client)
            .service(clients::update_client)
            .service(members::create_member)
            .service(members::list_members)
            .service(members::get_member)
            .service(members::update_member)
            .service(providers::create_provider)
            .service(providers::list_providers)
            .service(providers::get_provider)
            .service(providers::update_provider)
            .service(requests::create_request)
            .service(requests::list_requests)
            .service(requests::get_request)
            .service(requests::cancel_request)
            .service(routing::route_request)
            .service(routing::escalate_request)
            .service(routing::route_request_to)
            .service(routing::refer_request)
            .service(routing::request_candidates)
            .service(routing::override_overlap)
            .service(referrals::list_referrals)
            .service(referrals::get_referral)
            .service(referrals::accept_referral)
            .service(referrals::decline_referral)
            .service(referrals::complete_referral)
            .service(assignments::propose_assignment)
            .service(assignments::get_assignment)
            .service(assignments::accept_assignment)
            .service(assignments::confirm_assignment)
            .service(assignments::reject_assignment)
            .service(sign_offs::sign_off_assignment)
            .service(sign_offs::resolve_assignment)
            .service(assignments::decline_assignment)
            .service(assignments::complete_assignment)
            .service(assignments::no_show_assignment)
            .service(assignments::cancel_assignment)
            .service(assignments::list_member_assignments)
            .service(vouchers::sell_vouchers)
            .service(vouchers::client_vouchers)
            .service(voucher_history::client_voucher_events)
            .service(vouchers::cancel_voucher)
            .service(outbox::list_outbox)
            .service(outbox::retry_outbox)
            .service(outbox::cancel_outbox)
            .service(reports::monthly_report)
            .service(follow_ups::list_follow_ups)
            .service(follow_ups::record_follow_up),
    );
}

/// The OpenAPI document, exactly as served at `/openapi.json` and committed under `openapi/`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .configure(routes)
        .split_for_parts();
    let mut doc = doc;
    utoipa::Modify::modify(&openapi::CommonAnswers, &mut doc);
    named_patterns::fill_in(&mut doc);
    doc
}

/// Paths served outside the documented API, for the 405 check.
const UNDOCUMENTED_GET_PATHS: [&str; 2] = ["/docs", "/docs/{tail}*"];

/// The interactive page lives at `/docs/` (its assets are relative to that path).
async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/docs/"))
        .finish()
}

/// The application with its middleware, as each HTTP worker builds it.
pub fn app(
    ctx: Ctx,
    doc: utoipa::openapi::OpenApi,
    proxies: extract::TrustedProxies,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let mut extra: Vec<(&str, Method)> = UNDOCUMENTED_GET_PATHS.iter().map(|p| (*p, Method::GET)).collect();
    extra.extend(crate::desk::ROUTES.iter().map(|(p, m)| (*p, m.clone())));
    let desk = crate::desk::configure(&ctx);
    let table = web::Data::new(fallback::RouteTable::from_openapi(&doc, &extra));
    let cursors = web::Data::new(paging::Cursors::new(ctx.keys.derive(paging::KEY_PURPOSE)));
    let (app, _) = App::new()
        .into_utoipa_app()
        .app_data(web::Data::new(ctx))
        .app_data(table)
        .app_data(web::Data::new(proxies))
        .app_data(cursors)
        .app_data(extract::path_config())
        .app_data(extract::query_config())
        .configure(routes)
        .split_for_parts();
    app.route("/docs", web::get().to(docs_redirect))
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .url(openapi::DOCUMENT_PATH, doc)
                // The online validator would be an image from another host, told our
                // document's address. The base layout leaves out the top bar, whose
                // logo brings an inline <style> that the page's CSP refuses.
                .config(
                    utoipa_swagger_ui::Config::default()
                        .validator_url("none")
                        .use_base_layout(),
                ),
        )
        .configure(desk)
        .default_service(web::to(fallback::not_found_or_method_not_allowed))
        .wrap(tracing_actix_web::TracingLogger::<request_log::RequestSpan>::new())
        .wrap(actix_web::middleware::from_fn(request_log::assign_request_id))
        .wrap(actix_web::middleware::from_fn(security_headers::add))
}
