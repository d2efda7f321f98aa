//! Builds a provider's OpenAPI 3.1 description (`GET /__sandbox/openapi/<provider>.json`) from
//! what its slice states: each documented endpoint with its paths, methods, inputs, answers and
//! documented outcomes, and the schemas of its wire types. Every path is described twice, under
//! the provider's prefix and at its root alias, as both are served.

use crate::diagnosis::DocumentedOutcome;
use serde_json::{Map, Value, json};

/// One documented endpoint, as its slice describes it.
pub struct Operation {
    /// Its name (the last segment of its documented path), also its tag.
    pub endpoint: &'static str,
    /// The document's title of it.
    pub summary: &'static str,
    /// Its paths relative to the provider's prefix (`/api/v5/collect`).
    pub paths: Vec<&'static str>,
    /// The methods each path answers, lower case.
    pub methods: &'static [&'static str],
    /// Its documented outcomes, listed in the operation's description.
    pub outcomes: &'static [DocumentedOutcome],
    /// Query and header parameters (path parameters are added from the path).
    pub parameters: Vec<Value>,
    /// The `requestBody` object, when it takes one.
    pub request_body: Option<Value>,
    /// The `responses` object.
    pub responses: Value,
}

/// A provider's whole description.
pub struct Description {
    pub title: &'static str,
    pub description: &'static str,
    pub operations: Vec<Operation>,
    /// `components.schemas`.
    pub schemas: Map<String, Value>,
    /// `components.securitySchemes` and the document's `security`, when it has one.
    pub security: Option<(Value, Value)>,
    /// The document's samples as requests that succeed on the default fixtures, in order.
    pub samples: Vec<Sample>,
    /// What a client of the samples needs: see [`Collection`].
    pub collection: Collection,
}

/// A sample request, replayed by the Postman collection (`x-samples`).
pub struct Sample {
    pub name: &'static str,
    pub method: &'static str,
    /// Relative to the prefix, path parameters filled in.
    pub path: &'static str,
    pub query: Vec<(&'static str, String)>,
    pub body: SampleBody,
    /// The documented success: JSON pointers into the answer and their values.
    pub success: Vec<(&'static str, Value)>,
    /// Values of the answer kept for later samples: variable name, JSON pointer.
    pub keep: Vec<(&'static str, &'static str)>,
    /// The documented HTTP status (the providers answer 200; some control-plane actions 201).
    pub status: u16,
    /// Variables given a fresh value before the request (a rerun needs new ones).
    pub fresh: Vec<(&'static str, Fresh)>,
}

/// A value drawn anew on each run, in the collection's pre-request script.
#[derive(Clone, Copy)]
pub enum Fresh {
    /// The milliseconds since 1970, as text: unique per run.
    Stamp,
    /// An Indian mobile number: `9` and the last nine digits of the milliseconds.
    Mobile,
}

impl Fresh {
    pub fn name(self) -> &'static str {
        match self {
            Fresh::Stamp => "stamp",
            Fresh::Mobile => "mobile",
        }
    }
}

pub enum SampleBody {
    None,
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

/// The client side of the samples (`x-collection`): variables (the default fixtures'
/// credentials; samples refer to them as `{{name}}`), HTTP Basic credentials, and the lines of
/// JavaScript run before each request and after each answer (a provider's signatures).
#[derive(Default)]
pub struct Collection {
    pub variables: Vec<(&'static str, String)>,
    pub basic_auth: Option<(&'static str, &'static str)>,
    pub prerequest: &'static [&'static str],
    pub test: &'static [&'static str],
}

/// The value at `pointer` of the default fixture document (`""` when absent).
pub fn default_fixture(pointer: &str) -> String {
    let doc: Value = serde_json::from_str(crate::fixtures::DEFAULT_TEXT).unwrap_or_default();
    match doc.pointer(pointer) {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The OpenAPI 3.1 document of a provider named `name` (its prefix).
pub fn document(name: &str, description: Description) -> Value {
    let mut paths = Map::new();
    for operation in &description.operations {
        for relative in &operation.paths {
            for path in [format!("/{name}{relative}"), relative.to_string()] {
                let item = paths.entry(path.clone()).or_insert_with(|| json!({}));
                for method in operation.methods {
                    item[*method] = describe(operation, &path, method);
                }
            }
        }
    }
    let mut components = json!({ "schemas": description.schemas });
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": description.title,
            "version": env!("CARGO_PKG_VERSION"),
            "description": description.description,
        },
        "tags": tags(&description.operations),
        "paths": paths,
    });
    if let Some((schemes, security)) = description.security {
        components["securitySchemes"] = schemes;
        doc["security"] = security;
    }
    doc["components"] = components;
    doc["x-samples"] = description
        .samples
        .iter()
        .map(|s| sample(name, s))
        .collect();
    let collection = &description.collection;
    doc["x-collection"] = json!({
        "variables": collection.variables.iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
            .collect::<Map<String, Value>>(),
        "basicAuth": collection.basic_auth.map(|(user, password)| json!({"username": user, "password": password})),
        "prerequest": collection.prerequest,
        "test": collection.test,
    });
    doc
}

fn sample(name: &str, sample: &Sample) -> Value {
    let pairs = |pairs: &[(&str, String)]| -> Value {
        pairs
            .iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect()
    };
    let body = match &sample.body {
        SampleBody::None => Value::Null,
        SampleBody::Form(fields) => json!({"form": pairs(fields)}),
        SampleBody::Json(value) => json!({"json": value}),
    };
    // Control-plane steps (the customer's phone, the bank) are not under the prefix.
    let path = if sample.path.starts_with("/__sandbox/") {
        sample.path.to_string()
    } else {
        format!("/{name}{}", sample.path)
    };
    json!({
        "name": sample.name,
        "method": sample.method.to_uppercase(),
        "path": path,
        "status": sample.status,
        "fresh": sample.fresh.iter().map(|(k, f)| json!({"variable": k, "kind": f.name()})).collect::<Vec<_>>(),
        "query": pairs(&sample.query),
        "body": body,
        "success": sample.success.iter().map(|(p, v)| json!({"pointer": p, "equals": v})).collect::<Vec<_>>(),
        "keep": sample.keep.iter().map(|(k, p)| json!({"variable": k, "pointer": p})).collect::<Vec<_>>(),
    })
}

/// One tag per endpoint, in the document's order.
fn tags(operations: &[Operation]) -> Vec<Value> {
    let mut tags: Vec<Value> = Vec::new();
    for operation in operations {
        if !tags.iter().any(|t| t["name"] == operation.endpoint) {
            tags.push(json!({"name": operation.endpoint, "description": operation.summary}));
        }
    }
    tags
}

fn describe(operation: &Operation, path: &str, method: &str) -> Value {
    let mut parameters: Vec<Value> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    parameters.extend(operation.parameters.iter().cloned());
    let mut described = json!({
        "tags": [operation.endpoint],
        "summary": operation.summary,
        "description": outcomes_text(operation.outcomes),
        "operationId": operation_id(method, path),
        "parameters": parameters,
        "responses": operation.responses,
    });
    if let Some(body) = &operation.request_body
        && method != "get"
    {
        described["requestBody"] = body.clone();
    }
    described
}

/// `post_api_v1_things_id` for `POST /api/v1/things/{id}`: unique per path and method.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    format!("{method}_{}", words.join("_"))
}

fn outcomes_text(outcomes: &[DocumentedOutcome]) -> String {
    let mut text = String::from("Documented outcomes (the success first):\n");
    for outcome in outcomes {
        text.push_str(&format!("- `{}`: {}\n", outcome.code, outcome.meaning));
    }
    text
}

/// Adds `T`'s schema (under `name`) and the schemas it refers to; answers a `$ref` to it.
pub fn typed<T: utoipa::ToSchema>(schemas: &mut Map<String, Value>, name: &str) -> Value {
    let mut dependencies = Vec::new();
    T::schemas(&mut dependencies);
    for (dependency, schema) in dependencies {
        schemas.insert(dependency, to_json(&schema));
    }
    schemas.insert(name.to_string(), to_json(&T::schema()));
    reference(name)
}

/// A provider's fixture section as JSON Schema: `{"$ref", "$defs"}` where `$defs` holds `T`'s
/// schema and those it refers to, each named `<provider>.<Name>` so that sections never
/// collide when the fixture document's schema gathers them.
pub fn section_schema<T: utoipa::ToSchema>(provider: &str) -> Value {
    let mut schemas = Map::new();
    typed::<T>(&mut schemas, &T::name());
    let text = Value::Object(schemas)
        .to_string()
        .replace("\"#/components/schemas/", &format!("\"#/$defs/{provider}."));
    let schemas: Map<String, Value> = serde_json::from_str(&text).unwrap_or_default();
    let defs: Map<String, Value> = schemas
        .into_iter()
        .map(|(name, schema)| (format!("{provider}.{name}"), schema))
        .collect();
    json!({ "$ref": format!("#/$defs/{provider}.{}", T::name()), "$defs": defs })
}

/// `{"$ref": "#/components/schemas/<name>"}`.
pub fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn to_json(schema: &impl serde::Serialize) -> Value {
    serde_json::to_value(schema).expect("a schema serializes")
}

/// A JSON response: `description`, `schema` and the document's samples as named examples.
pub fn json_response(description: &str, schema: Value, examples: &[(&str, Value)]) -> Value {
    let mut content = json!({ "schema": schema });
    if !examples.is_empty() {
        content["examples"] = examples
            .iter()
            .map(|(name, value)| (name.to_string(), json!({ "value": value })))
            .collect::<Map<String, Value>>()
            .into();
    }
    json!({ "description": description, "content": { "application/json": content } })
}

/// A string query parameter.
pub fn query(name: &str, required: bool, description: &str) -> Value {
    json!({
        "name": name, "in": "query", "required": required, "description": description,
        "schema": {"type": "string"},
    })
}

/// An object schema of string fields; `required` names the mandatory ones.
pub fn string_fields(fields: &[(&str, &str)], required: &[&str]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|(name, description)| {
            (
                name.to_string(),
                json!({"type": "string", "description": description}),
            )
        })
        .collect();
    json!({"type": "object", "properties": properties, "required": required})
}
