use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::patch::some_or_null;
use crate::api::problem::Problem;
use crate::api::respond::created;
use crate::domain::client::{
    self, Address, Client, ClientFields, ClientPatch, Coordinates, Language, Representative, TargetGroup,
};
use crate::domain::contact::{parse_line, parse_phone};
use crate::domain::postcode::Postcode;
use crate::domain::{Email, Violations};
use crate::error::AppError;
use crate::service::{Ctx, clients};

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "contact::LINE_PATTERN",
        example = "Dreef"
    )]
    pub street: String,
    #[schema(min_length = 1, max_length = 20, pattern = "contact::LINE_PATTERN", example = "12a")]
    pub house_number: String,
    /// A Dutch postcode; the space is optional on input and always present on output.
    #[schema(pattern = r"^\s*[1-9][0-9]{3}\s?[A-Za-z]{2}\s*$", example = "5581 AB")]
    pub postcode: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "contact::LINE_PATTERN",
        example = "Waalre"
    )]
    pub city: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeDto {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "contact::LINE_PATTERN",
        example = "Karin Smulders"
    )]
    pub name: String,
    /// How they relate to the client (dochter, buurman, ...).
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "contact::LINE_PATTERN",
        example = "dochter"
    )]
    pub relation: String,
    /// When set, mail for the client goes here.
    #[schema(format = Email)]
    pub email: Option<String>,
    #[schema(pattern = "contact::PHONE_PATTERN")]
    pub phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClientDto {
    pub id: i64,
    pub municipality_id: i64,
    pub name: String,
    pub address: AddressDto,
    pub target_groups: Vec<TargetGroup>,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    pub preferred_language: Language,
    pub representative: Option<RepresentativeDto>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Client> for ClientDto {
    fn from(c: Client) -> ClientDto {
        let f = c.fields;
        ClientDto {
            id: c.id,
            municipality_id: f.municipality_id,
            name: f.name,
            address: AddressDto {
                street: f.address.street,
                house_number: f.address.house_number,
                postcode: f.address.postcode.to_string(),
                city: f.address.city,
            },
            target_groups: f.target_groups,
            email: f.email.map(Email::into_string),
            phone: f.phone,
            preferred_language: f.preferred_language,
            representative: f.representative.map(|r| RepresentativeDto {
                name: r.name,
                relation: r.relation,
                email: r.email.map(Email::into_string),
                phone: r.phone,
            }),
            lat: f.coordinates.map(|c| c.lat),
            lon: f.coordinates.map(|c| c.lon),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

list_type!(ClientList, ClientDto);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"municipality_id": 1, "name": "Annie van den Berg",
    "address": {"street": "Dreef", "house_number": "12", "postcode": "5581AB", "city": "Waalre"},
    "target_groups": ["elderly"], "phone": "040 221 45 87", "preferred_language": "nl",
    "representative": {"name": "Karin van den Berg", "relation": "dochter", "email": "karin@example.nl"}}))]
pub struct CreateClient {
    pub municipality_id: i64,
    #[schema(min_length = 1, max_length = 200, pattern = "contact::LINE_PATTERN")]
    pub name: String,
    pub address: AddressDto,
    /// May be empty: such a client can ask, but the woonservice tier skips them.
    #[serde(default)]
    #[schema(value_type = BTreeSet<TargetGroup>)]
    pub target_groups: Vec<TargetGroup>,
    /// Email and/or phone: at least one.
    #[schema(format = Email)]
    pub email: Option<String>,
    #[schema(pattern = "contact::PHONE_PATTERN")]
    pub phone: Option<String>,
    /// Defaults to `nl`.
    pub preferred_language: Option<Language>,
    pub representative: Option<RepresentativeDto>,
    #[schema(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
}

fn parse_address(problems: &mut Violations, a: &AddressDto, at: &str) -> Option<Address> {
    let street = problems.take(&format!("{at}.street"), parse_line(&a.street, 200));
    let house_number = problems.take(&format!("{at}.house_number"), parse_line(&a.house_number, 20));
    let postcode = problems.take(&format!("{at}.postcode"), Postcode::parse(&a.postcode));
    let city = problems.take(&format!("{at}.city"), parse_line(&a.city, 100));
    Some(Address {
        street: street?,
        house_number: house_number?,
        postcode: postcode?,
        city: city?,
    })
}

fn parse_representative(problems: &mut Violations, r: &RepresentativeDto) -> Option<Representative> {
    let name = problems.take("representative.name", parse_line(&r.name, 200));
    let relation = problems.take("representative.relation", parse_line(&r.relation, 100));
    let email = r
        .email
        .as_deref()
        .map(|e| problems.take("representative.email", Email::parse(e)));
    let phone = r
        .phone
        .as_deref()
        .map(|p| problems.take("representative.phone", parse_phone(p)));
    Some(Representative {
        name: name?,
        relation: relation?,
        // An invalid email or phone has been recorded in `problems`, which fails the body.
        email: email.flatten(),
        phone: phone.flatten(),
    })
}

fn unique_groups(problems: &mut Violations, groups: &[TargetGroup]) {
    for (i, g) in groups.iter().enumerate() {
        if groups[..i].contains(g) {
            problems.add(format!("target_groups[{i}]"), format!("lists {g} twice"));
        }
    }
}

fn coordinates(problems: &mut Violations, lat: Option<f64>, lon: Option<f64>) -> Option<Option<Coordinates>> {
    match Coordinates::parse(lat, lon) {
        Ok(c) => Some(c),
        Err(e) => {
            problems.add(e.field, e.message);
            None
        }
    }
}

impl CreateClient {
    pub(crate) fn parse(self) -> Result<ClientFields, AppError> {
        let mut problems = Violations::new();
        let name = problems.take("name", parse_line(&self.name, 200));
        let address = parse_address(&mut problems, &self.address, "address");
        unique_groups(&mut problems, &self.target_groups);
        let email = self.email.as_deref().map(|e| problems.take("email", Email::parse(e)));
        let phone = self.phone.as_deref().map(|p| problems.take("phone", parse_phone(p)));
        let representative = self
            .representative
            .as_ref()
            .map(|r| parse_representative(&mut problems, r));
        let coordinates = coordinates(&mut problems, self.lat, self.lon);
        if let Err(e) = client::reachable(self.email.is_some(), self.phone.is_some()) {
            problems.add(e.field, e.message);
        }
        problems.into_result()?;
        let fields = ClientFields {
            municipality_id: self.municipality_id,
            name: name.expect("checked"),
            address: address.expect("checked"),
            target_groups: self.target_groups,
            email: email.flatten(),
            phone: phone.flatten(),
            preferred_language: self.preferred_language.unwrap_or(Language::Nl),
            representative: representative.flatten(),
            coordinates: coordinates.expect("checked"),
        };
        fields.check()?;
        Ok(fields)
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "040 221 00 11", "representative": null}))]
pub struct UpdateClient {
    pub municipality_id: Option<i64>,
    #[schema(min_length = 1, max_length = 200, pattern = "contact::LINE_PATTERN")]
    pub name: Option<String>,
    pub address: Option<AddressDto>,
    #[schema(value_type = Option<BTreeSet<TargetGroup>>)]
    pub target_groups: Option<Vec<TargetGroup>>,
    /// `null` removes it (a phone number must remain).
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<String>, format = Email)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<String>, pattern = "contact::PHONE_PATTERN")]
    pub phone: Option<Option<String>>,
    pub preferred_language: Option<Language>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<RepresentativeDto>)]
    pub representative: Option<Option<RepresentativeDto>>,
    /// Coordinates change together: give both, or `null` for both to remove them.
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<f64>, minimum = -90, maximum = 90)]
    pub lat: Option<Option<f64>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<f64>, minimum = -180, maximum = 180)]
    pub lon: Option<Option<f64>>,
}

impl UpdateClient {
    pub(crate) fn parse(self) -> Result<ClientPatch, AppError> {
        let mut problems = Violations::new();
        let name = self.name.and_then(|n| problems.take("name", parse_line(&n, 200)));
        let address = self.address.and_then(|a| parse_address(&mut problems, &a, "address"));
        if let Some(groups) = &self.target_groups {
            unique_groups(&mut problems, groups);
        }
        let email = self
            .email
            .map(|e| e.and_then(|e| problems.take("email", Email::parse(&e))));
        let phone = self
            .phone
            .map(|p| p.and_then(|p| problems.take("phone", parse_phone(&p))));
        let representative = self
            .representative
            .map(|r| r.and_then(|r| parse_representative(&mut problems, &r)));
        let coordinates = match (self.lat, self.lon) {
            (None, None) => None,
            (Some(lat), Some(lon)) => coordinates(&mut problems, lat, lon),
            _ => {
                problems.add("lat", "lat and lon change together");
                None
            }
        };
        problems.into_result()?;
        Ok(ClientPatch {
            municipality_id: self.municipality_id,
            name,
            address,
            target_groups: self.target_groups,
            email,
            phone,
            preferred_language: self.preferred_language,
            representative,
            coordinates,
        })
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListClients {
    pub municipality_id: Option<i64>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Register a client (advisor, coordinator in scope).
///
/// Advisors and coordinators register a resident who asks for help, in a municipality of their
/// scope (else 422 on `municipality_id`). The Dutch postcode is checked; mail goes to the client in
/// its preferred language, or to its representative when there is one with an email.
#[utoipa::path(
    tag = "clients",
    request_body = CreateClient,
    responses(
        (status = 201, description = "Created", body = ClientDto, headers(("Location" = String))),
        (status = 403, description = "Only advisors and coordinators register clients", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients")]
pub async fn create_client(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    body: Json<CreateClient>,
) -> Result<HttpResponse, AppError> {
    let client = clients::create(&ctx, auth.0, body.0.parse()?).await?;
    Ok(created(
        format!("/api/v1/clients/{}", client.id),
        &ClientDto::from(client),
    ))
}

/// List clients in scope (advisor, coordinator).
///
/// Advisors and coordinators list the clients of the municipalities in their scope, optionally of
/// one `municipality_id`; other roles get 403.
#[utoipa::path(
    tag = "clients",
    params(ListClients),
    responses(
        (status = 200, description = "A page of clients", body = ClientList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only advisors and coordinators list clients", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients")]
pub async fn list_clients(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListClients>,
) -> Result<web::Json<ClientList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let page = clients::list(&ctx, auth.0, query.municipality_id, page).await?;
    Ok(web::Json(ClientList::from_page(&cursors, page, ClientDto::from)))
}

/// Read a client (advisor, coordinator in scope; a client reads itself).
///
/// Advisors and coordinators read clients in their scope and a client its own record; a client
/// outside the caller's scope answers 404. Other roles get 403.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client", body = ClientDto),
        (status = 403, description = "The role may not read clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}")]
pub async fn get_client(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<ClientDto>, AppError> {
    Ok(web::Json(clients::get(&ctx, auth.0, id.into_inner()).await?.into()))
}

/// Change a client (advisor, coordinator in scope).
///
/// Advisors and coordinators change a client in their scope; fields left out stay as they are and
/// `null` clears an optional one. A client outside the caller's scope answers 404.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path, description = "Client id")),
    request_body = UpdateClient,
    responses(
        (status = 200, description = "The changed client", body = ClientDto),
        (status = 403, description = "Only advisors and coordinators change clients", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/clients/{id}")]
pub async fn update_client(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateClient>,
) -> Result<web::Json<ClientDto>, AppError> {
    let patch = body.0.parse()?;
    Ok(web::Json(
        clients::update(&ctx, auth.0, id.into_inner(), patch).await?.into(),
    ))
}
