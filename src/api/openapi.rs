//! The OpenAPI 3.1 document: collected from the handlers' annotations, then completed
//! here with what every operation shares (who needs a token, the common error answers)
//! and the document's own path, so those are stated once instead of on each handler.

use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr};
use utoipa::{Modify, OpenApi as _};

use crate::api::problem::{Problem, ProblemField};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "woonservice",
        description = "REST service of the neighbourhood home-service scheme WoonZorgService in de Wijk: \
            residents ask for small tasks, which are matched to a volunteer, a jobseeker of the learning-work \
            company (paid with EUR 5-per-hour service vouchers), a private provider or a business, in that order.\n\n\
            Errors are `application/problem+json` with a stable `code`. Lists take `limit` (1–200, default 50) \
            and an opaque `cursor`, and answer `{items, next_cursor}`. \
            Free text (names, addresses, descriptions, reasons, notes) is counted as sent, may hold tab and line \
            breaks but no other control characters, needs one character that is not white space, and is stored \
            trimmed.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    // Relative, so the document is right wherever it is served: `/docs` calls the host
    // that served it, and a client or test tool is given the base address (`--url`).
    servers((url = "/", description = "The host that serves this document")),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "documentation", description = "This OpenAPI document"),
        (name = "auth", description = "Login and the current user"),
        (name = "users", description = "Accounts (admin)"),
        (name = "municipalities", description = "Municipalities running the concept and their voucher settings"),
        (name = "categories", description = "Kinds of task"),
        (name = "clients", description = "Residents who ask for help"),
        (name = "members", description = "Volunteers and jobseekers who do the work"),
        (name = "providers", description = "The register of private providers, businesses and existing local organisations"),
        (name = "requests", description = "Task requests: intake, reading, cancelling"),
        (name = "routing", description = "The escalation order volunteer → woonservice → private provider → business, with its trail"),
        (name = "referrals", description = "Referrals to providers and local organisations: the provider's answer, by a deadline"),
        (name = "vouchers", description = "Service vouchers: EUR 5-per-hour vouchers with serials, reserved and redeemed by tier-2 work"),
        (name = "reports", description = "Monthly figures per municipality: JSON, CSV or a printable page"),
        (name = "follow-ups", description = "Whether clients were helped lastingly, three months on"),
        (name = "outbox", description = "Mail: the transactional outbox (admin)"),
        (name = "assignments", description = "Members on time slots: propose, accept, decline, complete, no-show, cancel"),
    )
)]
pub struct ApiDoc;

/// Applied after the handlers' paths are collected (a derive modifier would run before).
pub struct CommonAnswers;

const PUBLIC_API_PATHS: [&str; 1] = ["/api/v1/auth/login"];

/// Where the app serves the document (`SwaggerUi` in `api::app`); the health checks
/// and this need no token, like login.
pub const DOCUMENT_PATH: &str = "/openapi.json";

fn needs_token(path: &str) -> bool {
    path.starts_with("/api/") && !PUBLIC_API_PATHS.contains(&path)
}

/// `SwaggerUi` serves the document without an annotated handler, so its operation is
/// written out here.
fn document_operation() -> Operation {
    OperationBuilder::new()
        .tag("documentation")
        .operation_id(Some("openapi_document"))
        .summary(Some("This OpenAPI 3.1 document."))
        .description(Some(
            "The machine-readable contract of the service, exactly as committed under \
             `openapi/woonservice.json`; `/docs` shows it as an interactive page. Anyone may \
             read it, without a token.",
        ))
        .response(
            "200",
            ResponseBuilder::new().description("The document").content(
                "application/json",
                Content::new(Some(ObjectBuilder::new().schema_type(Type::Object).build())),
            ),
        )
        .build()
}

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                Content::new(Some(Ref::from_schema_name("Problem"))),
            )
            .build(),
    )
}

fn add_if_missing(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| problem(description));
}

/// The operations of a path, for a pass over every operation of the document.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

impl Modify for CommonAnswers {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        doc.paths
            .add_path_operation(DOCUMENT_PATH, vec![HttpMethod::Get], document_operation());
        for (path, item) in doc.paths.paths.iter_mut() {
            for op in operations_mut(item) {
                if needs_token(path) {
                    op.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
                    add_if_missing(op, "401", "Missing, invalid or expired token, or an inactive account");
                } else {
                    // Said outright: an operation without `security` would leave a reader
                    // (and the linters) to guess.
                    op.security = Some(Vec::new());
                }
                let has_parameters = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                if has_parameters && op.request_body.is_none() {
                    add_if_missing(op, "400", "A path or query parameter cannot be read");
                }
                if op.request_body.is_some() {
                    add_if_missing(
                        op,
                        "400",
                        "The body is not valid JSON, a field has the wrong JSON type, or a parameter cannot be read",
                    );
                    add_if_missing(op, "413", "The body is larger than 1 MiB");
                    add_if_missing(op, "415", "The body is not `application/json`");
                    add_if_missing(
                        op,
                        "422",
                        "The body reads but breaks a rule; `errors` names every field",
                    );
                }
                if path != "/healthz" && path != DOCUMENT_PATH {
                    add_if_missing(op, "503", "The database is unreachable; retry later");
                }
                add_if_missing(
                    op,
                    "500",
                    "An unexpected fault; its cause is logged under the request id",
                );
            }
        }
    }
}

/// The bare derived document, before the handlers' paths are collected.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::domain::category::CODE_PATTERN;
    use crate::domain::contact::{LINE_PATTERN, PHONE_PATTERN, TEXT_PATTERN};

    /// Every schema object in the document, with its JSON pointer.
    fn schemas<'a>(at: String, value: &'a Value, found: &mut Vec<(String, &'a Value)>) {
        match value {
            Value::Object(map) => {
                found.push((at.clone(), value));
                for (key, inner) in map {
                    schemas(format!("{at}/{key}"), inner, found);
                }
            }
            Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    schemas(format!("{at}/{i}"), inner, found);
                }
            }
            _ => {}
        }
    }

    // `utoipa` takes a pattern only as a literal on each field; this finds a field that
    // forgot it or holds an old copy of the rule.
    /// The schemas `keep` picks, each of which must publish `pattern`; how many there are.
    fn assert_pattern(keep: impl Fn(&str, &Value) -> bool, pattern: &str) -> usize {
        let doc = serde_json::to_value(crate::api::openapi_document()).unwrap();
        let mut all = Vec::new();
        schemas(String::new(), &doc, &mut all);
        let picked: Vec<_> = all.into_iter().filter(|(at, s)| keep(at, s)).collect();
        for (at, schema) in &picked {
            assert_eq!(schema["pattern"].as_str(), Some(pattern), "{at}");
        }
        picked.len()
    }

    /// Names, streets, house numbers, cities and relations are one line.
    const SINGLE_LINE: [&str; 7] = [
        "name",
        "street",
        "house_number",
        "city",
        "relation",
        "name_nl",
        "name_en",
    ];

    fn is_single_line(at: &str) -> bool {
        SINGLE_LINE.iter().any(|f| at.ends_with(&format!("/properties/{f}")))
    }

    /// Every operation in the document: (path, method, operation).
    fn operations(doc: &Value) -> Vec<(String, String, Value)> {
        let mut found = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                found.push((path.clone(), method.clone(), op.clone()));
            }
        }
        found
    }

    #[test]
    fn every_operation_says_whether_it_needs_a_token_and_only_the_public_ones_need_none() {
        let doc = serde_json::to_value(crate::api::openapi_document()).unwrap();
        let mut public = Vec::new();
        for (path, method, op) in operations(&doc) {
            let security = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path}: no security"));
            if security.is_empty() {
                public.push(format!("{method} {path}"));
            } else {
                assert_eq!(security, &vec![serde_json::json!({"bearer": []})], "{method} {path}");
                assert!(op["responses"]["401"].is_object(), "{method} {path}");
            }
        }
        public.sort();
        assert_eq!(
            public,
            [
                "get /healthz",
                "get /openapi.json",
                "get /readyz",
                "post /api/v1/auth/login"
            ]
        );
    }

    #[test]
    fn every_operation_has_a_summary_a_description_a_declared_tag_and_its_own_operation_id() {
        let doc = serde_json::to_value(crate::api::openapi_document()).unwrap();
        let tags: Vec<&str> = doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        let mut ids = Vec::new();
        for (path, method, op) in operations(&doc) {
            for field in ["summary", "description", "operationId"] {
                let text = op[field].as_str().unwrap_or_default();
                assert!(!text.trim().is_empty(), "{method} {path}: no {field}");
            }
            for tag in op["tags"].as_array().unwrap() {
                assert!(
                    tags.contains(&tag.as_str().unwrap()),
                    "{method} {path}: undeclared tag {tag}"
                );
            }
            ids.push(op["operationId"].as_str().unwrap().to_owned());
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "an operationId is used twice");
    }

    #[test]
    fn every_free_text_field_publishes_the_text_rule() {
        let texts = assert_pattern(
            |at, s| s["minLength"] == 1 && !at.ends_with("LoginRequest/properties/password") && !is_single_line(at),
            TEXT_PATTERN,
        );
        assert!(texts >= 6, "{texts} text fields");
    }

    #[test]
    fn no_field_is_left_with_the_name_of_a_pattern_instead_of_the_pattern() {
        let text = serde_json::to_string(&crate::api::openapi_document()).unwrap();
        for (name, _) in crate::api::named_patterns::NAMED {
            assert!(!text.contains(name), "{name} was not filled in");
        }
    }

    #[test]
    fn every_single_line_field_publishes_the_line_rule() {
        let lines = assert_pattern(|at, s| s["minLength"] == 1 && is_single_line(at), LINE_PATTERN);
        assert_eq!(lines, 15);
    }

    #[test]
    fn every_category_code_a_caller_sends_publishes_the_code_rule() {
        let sent = [
            "/CreateCategory/properties/code",
            "/CreateRequest/properties/category",
            "/categories/items",
            "/skills/items",
            "/woonservice_categories/items",
        ];
        let codes = assert_pattern(
            |at, _| {
                let request = at.contains("/schemas/Create") || at.contains("/schemas/Update");
                request && sent.iter().any(|end| at.ends_with(end))
            },
            CODE_PATTERN,
        );
        assert_eq!(codes, 8);
    }

    #[test]
    fn every_phone_number_publishes_the_phone_rule() {
        let phones = assert_pattern(
            |at, _| at.ends_with("/properties/phone") && (!at.contains("Dto/") || at.contains("RepresentativeDto/")),
            PHONE_PATTERN,
        );
        assert_eq!(phones, 7);
    }
}
