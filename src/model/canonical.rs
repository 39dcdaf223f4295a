//! The canonical form of a signal's contract and its digest: what `x-flowcall-contract` in the
//! JSON Schema and OpenAPI exports carries and what `flowcall diff` compares, so that two
//! exports of the same contract carry the same value and any change a caller could notice
//! changes it.
//!
//! The canonical form (version 1) is one line of compact JSON, keys in this order:
//! `{"canonical":"flowcall-contract/1","workflow":W,"signal":S,"conversion":"Lenient"|"Strict",
//! "parameters":[{"name":N,"type":T,"required":B,"default":V|null,"allowed":[V...]}...]}`.
//! Parameters are sorted by name (callers pass them by name, so their order is not part of the
//! contract); allowed values are written as JSON (dates and date-times as text in the form the
//! simulator prints), without repeats, sorted by that text; a default of a required parameter
//! is `null` (it is never used). Descriptions and labels are left out: they document the
//! contract without changing what a caller may send or what a run receives. The digest is
//! SHA-256 of the UTF-8 bytes, written `sha256:` and 64 lowercase hexadecimal digits.

use super::contract::SignalContract;
use super::value::Value;
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The name and version written first in every canonical contract.
pub const CANONICAL_CONTRACT_VERSION: &str = "flowcall-contract/1";

/// The canonical text of the contract of `workflow`'s signal `signal` (see the module docs).
pub fn canonical_contract(workflow: &str, signal: &str, contract: &SignalContract) -> String {
    let mut parameters: Vec<_> = contract.parameters.iter().collect();
    parameters.sort_by(|a, b| a.name.cmp(&b.name));
    let parameters: Vec<Json> = parameters
        .into_iter()
        .map(|p| {
            let default = match (&p.default, p.required) {
                (Some(d), false) => d.to_json(),
                _ => Json::Null,
            };
            json!({
                "name": p.name,
                "type": p.ty.name(),
                "required": p.required,
                "default": default,
                "allowed": canonical_values(&p.allowed),
            })
        })
        .collect();
    let conversion = match contract.conversion {
        super::ConversionPolicy::Lenient => "Lenient",
        super::ConversionPolicy::Strict => "Strict",
    };
    json!({
        "canonical": CANONICAL_CONTRACT_VERSION,
        "workflow": workflow,
        "signal": signal,
        "conversion": conversion,
        "parameters": parameters,
    })
    .to_string()
}

/// Allowed values as JSON, without repeats, sorted by their JSON text.
fn canonical_values(values: &[Value]) -> Vec<Json> {
    let mut texts: Vec<(String, Json)> = values
        .iter()
        .map(|v| {
            let j = v.to_json();
            (j.to_string(), j)
        })
        .collect();
    texts.sort_by(|a, b| a.0.cmp(&b.0));
    texts.dedup_by(|a, b| a.0 == b.0);
    texts.into_iter().map(|(_, j)| j).collect()
}

/// `sha256:` and the hexadecimal SHA-256 of the canonical contract.
pub fn contract_hash(workflow: &str, signal: &str, contract: &SignalContract) -> String {
    let digest = Sha256::digest(canonical_contract(workflow, signal, contract).as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest.iter() {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ConversionPolicy, Parameter, Type};

    fn contract() -> SignalContract {
        let mut tier = Parameter::new("tier", Type::String);
        tier.default = Some(Value::String("silver".into()));
        tier.allowed = vec![
            Value::String("silver".into()),
            Value::String("gold".into()),
            Value::String("gold".into()),
        ];
        tier.description = "Member tier".into();
        let mut audience = Parameter::new("audience", Type::String);
        audience.required = true;
        SignalContract {
            parameters: vec![tier, audience],
            conversion: ConversionPolicy::Lenient,
        }
    }

    #[test]
    fn canonical_form_is_sorted_compact_and_leaves_out_descriptions() {
        assert_eq!(
            canonical_contract("WKF1", "signal1", &contract()),
            concat!(
                r#"{"canonical":"flowcall-contract/1","workflow":"WKF1","signal":"signal1","conversion":"Lenient","parameters":["#,
                r#"{"name":"audience","type":"String","required":true,"default":null,"allowed":[]},"#,
                r#"{"name":"tier","type":"String","required":false,"default":"silver","allowed":["gold","silver"]}]}"#
            )
        );
    }

    #[test]
    fn hash_ignores_order_and_documentation_but_not_the_contract() {
        let base = contract_hash("WKF1", "signal1", &contract());
        assert!(base.starts_with("sha256:") && base.len() == 71, "{base}");
        assert!(
            base[7..]
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        let mut reordered = contract();
        reordered.parameters.reverse();
        reordered.parameters[0].description = "changed".into();
        assert_eq!(contract_hash("WKF1", "signal1", &reordered), base);
        let mut strict = contract();
        strict.conversion = ConversionPolicy::Strict;
        assert_ne!(contract_hash("WKF1", "signal1", &strict), base);
        let mut required = contract();
        required.parameters[0].required = true;
        assert_ne!(contract_hash("WKF1", "signal1", &required), base);
        assert_ne!(contract_hash("WKF1", "signal2", &contract()), base);
        assert_ne!(contract_hash("WKF2", "signal1", &contract()), base);
    }

    #[test]
    fn known_digest() {
        // SHA-256 of the canonical text above, computed independently with `sha256sum`.
        let text = canonical_contract("WKF1", "signal1", &SignalContract::default());
        assert_eq!(
            text,
            r#"{"canonical":"flowcall-contract/1","workflow":"WKF1","signal":"signal1","conversion":"Lenient","parameters":[]}"#
        );
        assert_eq!(
            contract_hash("WKF1", "signal1", &SignalContract::default()),
            format!("sha256:{}", KNOWN)
        );
    }

    const KNOWN: &str = "46190a8b769819fa26461873a1676184f4518b7ef900bc8200018ec7734a517d";
}
