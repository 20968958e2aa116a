//! The local router table in the workspace's Cargo.toml: which function serves which route, the
//! same table `cargo lambda watch` routes by and the template is checked against.

use std::collections::BTreeMap;

use serde::Deserialize;

pub struct Route {
    pub method: String,
    pub path: String,
    pub function: String,
}

#[derive(Deserialize)]
struct Manifest {
    workspace: Workspace,
}

#[derive(Deserialize)]
struct Workspace {
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    lambda: Lambda,
}

#[derive(Deserialize)]
struct Lambda {
    watch: Watch,
}

#[derive(Deserialize)]
struct Watch {
    router: BTreeMap<String, Vec<Target>>,
}

#[derive(Deserialize)]
struct Target {
    method: String,
    function: String,
}

pub fn routes() -> Vec<Route> {
    let manifest: Manifest =
        toml::from_str(include_str!("../../../Cargo.toml")).expect("the workspace manifest");
    manifest
        .workspace
        .metadata
        .lambda
        .watch
        .router
        .into_iter()
        .flat_map(|(path, targets)| {
            targets.into_iter().map(move |target| Route {
                method: target.method,
                path: path.clone(),
                function: target.function,
            })
        })
        .collect()
}
