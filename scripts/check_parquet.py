#!/usr/bin/env python3
"""Reads newscrawl's Parquet output with pyarrow and compares it with JSONL.

    target/py/bin/python scripts/check_parquet.py target/release/newscrawl INPUT...

Runs `newscrawl extract INPUT... --out X.parquet` and `--out X.jsonl`, then
checks with pyarrow (an independent reader) that the file has one column per
record field with the documented types (string, list<string> for authors,
nullable exactly where schema/record.schema.json allows null) and that its rows equal the JSONL
records, in order.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "record.schema.json"


def nullable_fields():
    """Fields whose JSON Schema type allows null: the nullable columns."""
    props = json.loads(SCHEMA.read_text())["properties"]
    return {k for k, v in props.items() if "null" in (v.get("type") if isinstance(v.get("type"), list) else [v.get("type")])}


def main():
    binary, inputs = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory() as tmp:
        parquet, jsonl = Path(tmp) / "out.parquet", Path(tmp) / "out.jsonl"
        for out in (parquet, jsonl):
            subprocess.run([binary, "extract", "--out", str(out), *inputs], check=True)
        records = [json.loads(line) for line in jsonl.read_text().splitlines()]
        table = pq.read_table(parquet)
    assert table.num_rows == len(records) > 0, (table.num_rows, len(records))
    assert table.column_names == list(records[0].keys()), table.column_names
    nullable = nullable_fields()
    for field in table.schema:
        if field.name == "authors":
            assert pa.types.is_list(field.type) and pa.types.is_string(field.type.value_type), field
        elif pa.types.is_boolean(field.type):
            pass
        else:
            assert pa.types.is_string(field.type), field
        assert field.nullable == (field.name in nullable), field
    rows = table.to_pylist()
    for i, (row, record) in enumerate(zip(rows, records)):
        assert row == record, f"row {i} differs:\n{row}\n{record}"
    print(f"check_parquet: {len(rows)} rows equal the JSONL records ({len(table.schema)} columns)")


if __name__ == "__main__":
    main()
