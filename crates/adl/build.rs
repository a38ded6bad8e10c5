//! Tests of real servers run when one is configured and in CI (where a
//! missing server fails them); anywhere else they are reported as ignored,
//! never as passed:
//! - `cfg(adl_postgres)`: PostgreSQL, `ADL_TEST_POSTGRES_URL`;
//! - `cfg(adl_nats)`: NATS with JetStream, `ADL_TEST_NATS_URL`.

fn main() {
    println!("cargo::rerun-if-env-changed=CI");
    let ci = std::env::var_os("CI").is_some();
    for (cfg, variable) in [
        ("adl_postgres", "ADL_TEST_POSTGRES_URL"),
        ("adl_nats", "ADL_TEST_NATS_URL"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={variable}");
        if ci || std::env::var_os(variable).is_some() {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
