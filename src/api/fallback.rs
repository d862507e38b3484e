//! What answers when no route matched: 405 with `Allow` when the path exists under
//! another method, else 404 — both problem+json. actix itself would answer 404 for
//! both, because each method of a path is its own guarded resource.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::AppError;

/// Every routed path with its methods, read from the OpenAPI document so the two
/// cannot drift apart.
pub struct RouteTable(Vec<(ResourceDef, Vec<Method>)>);

impl RouteTable {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi, extra: &[(&str, Method)]) -> RouteTable {
        let mut table: Vec<(ResourceDef, Vec<Method>)> = Vec::new();
        let documented = doc.paths.paths.iter().flat_map(|(path, item)| {
            let methods = [
                (item.get.is_some(), Method::GET),
                (item.post.is_some(), Method::POST),
                (item.put.is_some(), Method::PUT),
                (item.patch.is_some(), Method::PATCH),
                (item.delete.is_some(), Method::DELETE),
            ];
            methods
                .into_iter()
                .filter(|(present, _)| *present)
                .map(move |(_, method)| (path.clone(), method))
        });
        let extra = extra.iter().map(|(path, method)| ((*path).to_owned(), method.clone()));
        for (path, method) in documented.chain(extra) {
            match table.iter_mut().find(|(def, _)| def.pattern() == Some(path.as_str())) {
                Some((_, methods)) => methods.push(method),
                None => table.push((ResourceDef::new(path), vec![method])),
            }
        }
        RouteTable(table)
    }

    fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let mut allowed: Vec<String> = self
            .0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, methods)| methods.iter().map(|m| m.to_string()))
            .collect();
        if allowed.is_empty() {
            return None;
        }
        allowed.sort();
        allowed.dedup();
        Some(allowed)
    }
}

pub async fn not_found_or_method_not_allowed(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<HttpResponse, AppError> {
    match table.allowed(req.path()) {
        Some(allow) => Err(AppError::MethodNotAllowed { allow }),
        None => Err(AppError::NotFound),
    }
}
