//! Fuzz target `expr`: parses, type-checks and evaluates arbitrary UTF-8 as an expression.
//! Any panic, overflow or stack exhaustion is a bug; errors are expected and ignored.

#![no_main]

use flowcall::expr::{
    ColumnsRow, EvalContext, SequentialUuids, TypeEnv, VarInfo, check, eval, parse, render_error,
};
use flowcall::model::{Column, Type, Value};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let mut env = TypeEnv::default();
    let mut vars = BTreeMap::new();
    for (name, value) in [
        ("audience", Value::String("gold members".to_owned())),
        ("recCount", Value::Integer(12)),
        ("price", Value::Decimal(2.5)),
        ("word", Value::String("abc".to_owned())),
    ] {
        if let Some(ty) = value.ty() {
            env.variables.insert(
                name.to_owned(),
                VarInfo {
                    ty,
                    origin: "fuzz".to_owned(),
                },
            );
        }
        vars.insert(name.to_owned(), value);
    }
    env.fields = Some(BTreeMap::from([("email".to_owned(), Type::String)]));
    let columns = vec![Column {
        name: "email".to_owned(),
        ty: Type::String,
    }];
    let cells = vec![Value::String("a@example.com".to_owned())];
    let row = ColumnsRow {
        columns: &columns,
        cells: &cells,
    };
    let options = BTreeMap::from([("brand".to_owned(), "Acme".to_owned())]);
    let uuids = SequentialUuids::new();
    let next_uuid = || uuids.generate();
    let now = flowcall::model::default_clock_start();
    match parse(src) {
        Ok(expr) => {
            let _ = check(&expr, &env);
            let _ = expr.variables();
            let _ = expr.fields();
            let ctx = EvalContext::new(&vars, now, &options, &next_uuid);
            if let Err(e) = eval(&expr, &ctx) {
                let _ = render_error(src, &e);
            }
            let _ = eval(&expr, &ctx.with_row(&row));
        }
        Err(e) => {
            let _ = render_error(src, &e);
        }
    }
});
