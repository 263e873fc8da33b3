"""neuronet.cli.data: reading CSVs as they come (separators, odd cells, wide files), errors naming cells."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

from neuronet.cli import data as csvdata
from neuronet.cli.errors import CLIError


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separator_is_sniffed(tmp_path, sep):
    path = tmp_path / "d.csv"
    pd.DataFrame({"a": [1.5, 2.5, 3.5], "b": ["x", "y", "z"], "c": [1, 2, 3]}).to_csv(path, sep=sep, index=False)
    frame = csvdata.read_csv(path)
    assert list(frame.columns) == ["a", "b", "c"] and frame.attrs["sep"] == sep
    assert frame["a"].tolist() == [1.5, 2.5, 3.5]


def test_sep_overrides_the_sniffer(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a;b\n1,5;2\n3,5;4\n")            # ',' inside cells: read with ';' as told
    frame = csvdata.read_csv(path, sep=";")
    assert list(frame.columns) == ["a", "b"] and frame["a"].tolist() == ["1,5", "3,5"]


def test_duplicate_names_are_caught_before_pandas_renames_them(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b,a\n1,2,3\n")
    with pytest.raises(CLIError, match=r"duplicate column names \['a'\]"):
        csvdata.read_csv(path)


@pytest.mark.parametrize("cell, what", [("inf", "infinity"), ("-Infinity", "infinity"),
                                        ("1e300", "a value out of float32 range")])
def test_infinite_and_out_of_range_cells_name_column_and_row(tmp_path, cell, what):
    path = tmp_path / "d.csv"
    path.write_text(f"a,b\n1,2\n3,{cell}\n")
    with pytest.raises(CLIError, match=f"column 'b' holds {what}.*data row 2"):
        csvdata.read_csv(path)


def test_stray_text_in_a_numeric_column_names_the_cell_and_na_values_reads_it_as_missing(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,y\n" + "".join(f"{v},{i % 2}\n" for i, v in enumerate(["1", "2", "?"] + ["4"] * 20)))
    frame = csvdata.read_csv(path)
    with pytest.raises(CLIError, match=r"column 'a' is numeric except for 1 cell\(s\), the first '\?' in data row 3"):
        csvdata.check_stray_strings(frame, ["a"], path)
    frame = csvdata.read_csv(path, na_values=["?"])
    assert frame["a"].isna().sum() == 1 and csvdata.is_numeric(frame["a"])


def test_text_columns_are_not_taken_for_numbers(tmp_path):
    frame = pd.DataFrame({"town": ["north", "south", "3"] * 5})
    csvdata.check_stray_strings(frame, ["town"], "d.csv")       # mostly words: a category column


def test_a_wide_file_reads_and_its_last_duplicate_is_found(tmp_path):
    names = [f"c{i}" for i in range(10_000)]
    rows = np.arange(3 * len(names), dtype=float).reshape(3, -1)
    path = tmp_path / "wide.csv"
    pd.DataFrame(rows, columns=names).to_csv(path, index=False)
    assert csvdata.read_csv(path).shape == (3, 10_000)
    path.write_text(",".join(names[:-1] + ["c0"]) + "\n" + ",".join(["1"] * len(names)) + "\n")
    with pytest.raises(CLIError, match=r"duplicate column names \['c0'\]"):
        csvdata.read_csv(path)


def test_missing_values_are_refused_with_column_and_row_when_asked(tmp_path):
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", None, "y"]})
    with pytest.raises(CLIError, match="column 'b' has 1 missing value.*data row 2.*--no-impute"):
        csvdata.check_missing_values(frame, ["a", "b"], "d.csv")


def test_category_strings_keep_missing_values_missing():
    out = csvdata.as_category_strings(pd.Series([" a", None, 3]))
    assert out[0] == "a" and pd.isna(out[1]) and out[2] == "3"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(alphabet=",;\t|\"\n\r a1.-einfNA?", max_size=200))
def test_any_file_reads_or_gives_a_cli_error(tmp_path, content):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    try:
        frame = csvdata.read_csv(path)
    except CLIError as exc:
        assert "\n" not in str(exc)
    else:
        assert frame.shape[0] >= 1 and len(set(frame.columns)) == frame.shape[1]
