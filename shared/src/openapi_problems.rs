//! Makes `/openapi.json` tell the truth about errors: every error a route answers is a
//! problem+json body, and some come from the shared extractors rather than the handler (a
//! malformed body or query, a missing token, an unknown id). Annotations only list what the
//! handler itself decides; this fills in the rest for every operation.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response};

use crate::error::PROBLEM_JSON;

const PROBLEM_REF: &str = "#/components/schemas/Problem";

pub struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_id = path.contains('{');
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                problems_are_problem_json(operation);
                add_shared_errors(operation, has_id);
            }
        }
    }
}

/// A `body = Problem` annotation without a content type is documented as `application/json`;
/// the answer is `application/problem+json`.
fn problems_are_problem_json(operation: &mut Operation) {
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let is_problem = response
            .content
            .get("application/json")
            .is_some_and(|content| match content {
                RefOr::T(content) => matches!(
                    &content.schema,
                    Some(RefOr::Ref(schema)) if schema.ref_location == PROBLEM_REF
                ),
                RefOr::Ref(_) => false,
            });
        if is_problem && let Some(content) = response.content.shift_remove("application/json") {
            response.content.insert(PROBLEM_JSON.to_owned(), content);
        }
    }
}

fn add_shared_errors(operation: &mut Operation, has_id: bool) {
    let has_body = operation.request_body.is_some();
    let has_query = operation.parameters.iter().flatten().any(|parameter| {
        matches!(parameter, RefOr::T(parameter) if parameter.parameter_in == ParameterIn::Query)
    });
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| problem(description));
    };
    if has_body || has_query {
        add("400", "Malformed body or query string, or not JSON");
        add("422", "Invalid fields");
    }
    if has_body {
        add("413", "Body over 1 MiB");
    }
    if secured {
        add(
            "401",
            "Missing, malformed, tampered, expired or ended token",
        );
    }
    if has_id {
        add("404", "No such resource");
    }
}

fn problem(description: &str) -> RefOr<Response> {
    let mut response = Response::new(description);
    response.content.insert(
        PROBLEM_JSON.to_owned(),
        RefOr::T(Content::new(Some(RefOr::Ref(Ref::new(PROBLEM_REF))))),
    );
    RefOr::T(response)
}

#[cfg(test)]
mod tests {
    use utoipa::OpenApi as _;

    #[test]
    fn every_problem_is_problem_json_and_secured_routes_document_401() {
        let document = serde_json::to_value(crate::openapi::ApiDoc::openapi()).expect("json");
        let paths = document["paths"].as_object().expect("paths");
        for (path, item) in paths {
            for (method, operation) in item.as_object().expect("operations") {
                let responses = operation["responses"].as_object().expect("responses");
                for (status, response) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        assert!(
                            response["content"].get("application/json").is_none(),
                            "{method} {path} {status} is problem+json"
                        );
                    }
                }
                if operation
                    .get("security")
                    .is_some_and(|s| s.as_array().is_some_and(|s| !s.is_empty()))
                {
                    assert!(
                        responses.contains_key("401"),
                        "{method} {path} documents 401"
                    );
                }
                if operation.get("requestBody").is_some() {
                    for status in ["400", "413", "422"] {
                        assert!(
                            responses.contains_key(status),
                            "{method} {path} documents {status}"
                        );
                    }
                }
            }
        }
    }
}
