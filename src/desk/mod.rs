//! The desk: the web pages of every role, at `/`, server-rendered over the same
//! `service` layer as the API (DESIGN.md, *The desk*). A page parses a form through
//! the API's own parsing and calls the API's service functions: no rule lives here.

pub mod assets;
pub mod caseload_pages;
pub mod category_pages;
pub mod client_ask;
pub mod client_form;
pub mod client_pages;
pub mod cookies;
pub mod intake;
pub mod lookups;
pub mod municipality_pages;
pub mod outbox_page;
pub mod own_pages;
pub mod page;
pub mod provider_form;
pub mod provider_pages;
pub mod queue;
pub mod report_pages;
pub mod request_page;
pub mod sign_in;
pub mod templates;
pub mod user_pages;
pub mod visit_page;
pub mod voucher_pages;
pub mod words;

use actix_web::http::Method;
use actix_web::web;

use crate::service::Ctx;

/// The paths and methods the desk answers, for the fallback's 404 and 405.
pub const ROUTES: &[(&str, Method)] = &[
    ("/", Method::GET),
    ("/inloggen", Method::GET),
    ("/inloggen", Method::POST),
    ("/uitloggen", Method::POST),
    ("/taal", Method::POST),
    ("/static/{name}*", Method::GET),
    ("/favicon.ico", Method::GET),
    ("/hulpvragen/nieuw", Method::GET),
    ("/hulpvragen/nieuw/client", Method::POST),
    ("/hulpvragen", Method::POST),
    ("/hulpvragen/{id}", Method::GET),
    ("/hulpvragen/{id}/{action}", Method::POST),
    ("/clienten", Method::GET),
    ("/clienten/{id}", Method::GET),
    ("/clienten/{id}/bewerken", Method::GET),
    ("/clienten/{id}/bewerken", Method::POST),
    ("/cheques", Method::GET),
    ("/cheques/{id}", Method::GET),
    ("/cheques/{id}/verkopen", Method::POST),
    ("/rapportage", Method::GET),
    ("/rapportage/maand", Method::GET),
    ("/rapportage/csv", Method::GET),
    ("/uitgaande-mail", Method::GET),
    ("/uitgaande-mail/{id}/{action}", Method::POST),
    ("/aanbieders", Method::GET),
    ("/aanbieders/nieuw", Method::GET),
    ("/aanbieders/nieuw", Method::POST),
    ("/aanbieders/{id}", Method::GET),
    ("/aanbieders/{id}/bewerken", Method::GET),
    ("/aanbieders/{id}/bewerken", Method::POST),
    ("/gebruikers", Method::GET),
    ("/gebruikers/nieuw", Method::GET),
    ("/gebruikers/nieuw", Method::POST),
    ("/gebruikers/{id}", Method::GET),
    ("/gebruikers/{id}/{action}", Method::POST),
    ("/gemeenten", Method::GET),
    ("/gemeenten/nieuw", Method::GET),
    ("/gemeenten/nieuw", Method::POST),
    ("/gemeenten/{id}", Method::GET),
    ("/gemeenten/{id}", Method::POST),
    ("/categorieen", Method::GET),
    ("/categorieen", Method::POST),
    ("/bezoeken/{id}", Method::GET),
    ("/bezoeken/{id}/{action}", Method::POST),
    ("/mijn-cheques", Method::GET),
    ("/hulp-vragen", Method::GET),
    ("/hulp-vragen", Method::POST),
    ("/werkzoekenden", Method::GET),
    ("/werkzoekenden/{id}", Method::GET),
    ("/werkzoekenden/{id}/{action}", Method::POST),
];

/// The desk's routes and the keys it signs with.
pub fn configure(ctx: &Ctx) -> impl FnOnce(&mut web::ServiceConfig) + use<> {
    let keys = web::Data::new(cookies::DeskKeys::new(ctx));
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(keys)
            .route("/", web::get().to(queue::home))
            .route("/inloggen", web::get().to(sign_in::form))
            .route("/inloggen", web::post().to(sign_in::sign_in))
            .route("/uitloggen", web::post().to(sign_in::sign_out))
            .route("/taal", web::post().to(sign_in::language))
            .route("/static/{name:.*}", web::get().to(assets::file))
            .route("/favicon.ico", web::get().to(assets::favicon))
            .route("/hulpvragen/nieuw", web::get().to(intake::page))
            .route("/hulpvragen/nieuw/client", web::post().to(intake::new_client))
            .route("/hulpvragen", web::post().to(intake::save_request))
            .route("/hulpvragen/{id}", web::get().to(request_page::page))
            .route("/hulpvragen/{id}/{action}", web::post().to(request_page::act))
            .route("/clienten", web::get().to(client_pages::search))
            .route("/clienten/{id}", web::get().to(client_pages::view))
            .route("/clienten/{id}/bewerken", web::get().to(client_pages::edit))
            .route("/clienten/{id}/bewerken", web::post().to(client_pages::save))
            .route("/cheques", web::get().to(voucher_pages::search))
            .route("/cheques/{id}", web::get().to(voucher_pages::of_client))
            .route("/cheques/{id}/verkopen", web::post().to(voucher_pages::sell))
            .route("/rapportage", web::get().to(report_pages::form))
            .route("/rapportage/maand", web::get().to(report_pages::page))
            .route("/rapportage/csv", web::get().to(report_pages::csv))
            .route("/uitgaande-mail", web::get().to(outbox_page::page))
            .route("/uitgaande-mail/{id}/{action}", web::post().to(outbox_page::act))
            .route("/aanbieders", web::get().to(provider_pages::search))
            .route("/aanbieders/nieuw", web::get().to(provider_pages::new))
            .route("/aanbieders/nieuw", web::post().to(provider_pages::create))
            .route("/aanbieders/{id}", web::get().to(provider_pages::view))
            .route("/aanbieders/{id}/bewerken", web::get().to(provider_pages::edit))
            .route("/aanbieders/{id}/bewerken", web::post().to(provider_pages::save))
            .route("/gebruikers", web::get().to(user_pages::list))
            .route("/gebruikers/nieuw", web::get().to(user_pages::new))
            .route("/gebruikers/nieuw", web::post().to(user_pages::create))
            .route("/gebruikers/{id}", web::get().to(user_pages::view))
            .route("/gebruikers/{id}/{action}", web::post().to(user_pages::act))
            .route("/gemeenten", web::get().to(municipality_pages::list))
            .route("/gemeenten/nieuw", web::get().to(municipality_pages::new))
            .route("/gemeenten/nieuw", web::post().to(municipality_pages::create))
            .route("/gemeenten/{id}", web::get().to(municipality_pages::edit))
            .route("/gemeenten/{id}", web::post().to(municipality_pages::save))
            .route("/categorieen", web::get().to(category_pages::list))
            .route("/categorieen", web::post().to(category_pages::create))
            .route("/bezoeken/{id}", web::get().to(visit_page::page))
            .route("/bezoeken/{id}/{action}", web::post().to(visit_page::act))
            .route("/mijn-cheques", web::get().to(voucher_pages::mine))
            .route("/hulp-vragen", web::get().to(client_ask::page))
            .route("/hulp-vragen", web::post().to(client_ask::ask))
            .route("/werkzoekenden", web::get().to(caseload_pages::list))
            .route("/werkzoekenden/{id}", web::get().to(caseload_pages::view))
            .route("/werkzoekenden/{id}/{action}", web::post().to(caseload_pages::act));
    }
}
