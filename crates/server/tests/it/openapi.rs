//! The OpenAPI document: a snapshot catches accidental API changes, and every API
//! route of the router is documented.

use jiedai::router::routes;

#[test]
fn openapi_document_matches_the_snapshot() {
    let doc = jiedai::router::api_document().to_pretty_json().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1") || !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &doc).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(expected == doc, "the OpenAPI document changed; review it and run with UPDATE_SNAPSHOTS=1 to accept");
}

#[test]
fn every_api_route_is_documented_and_the_spec_is_3_1() {
    let doc = jiedai::router::api_document();
    let json: serde_json::Value = serde_json::from_str(&doc.to_json().unwrap()).unwrap();
    assert!(json["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = json["paths"].as_object().unwrap();
    for spec in routes() {
        if spec.path.starts_with("/api/v1/") {
            assert!(paths.contains_key(spec.path), "{} is not in the OpenAPI document", spec.path);
        }
    }
}
