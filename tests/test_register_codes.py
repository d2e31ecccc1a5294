"""The attendance codes load from their data file, and a bad file is refused with line and key."""

from __future__ import annotations

import pytest

from checklist_app.register.codes import Category, CodeFileError, code_set, load_code_file
from checklist_app.register.upn import check_letter, make_upn, upn_problem


def test_every_2024_code_is_there_with_its_category():
    codes = code_set("2024").by_code
    assert set(codes) == {
        "/", "\\", "L", "K", "V", "P", "W", "B", "C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E",
        "G", "U", "O", "N", "D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#"}
    assert {c for c, v in codes.items() if v.category is Category.UNAUTHORISED} == {"G", "U", "O", "N"}
    assert codes["B"].category is Category.APPROVED_ACTIVITY and codes["B"].category.attended
    assert not codes["D"].category.possible and codes["I"].category.possible
    assert not {"F", "H", "J", "Y"} & set(codes)  # retired in 2024


def test_a_bad_code_file_names_the_line_and_key(tmp_path):
    bad = tmp_path / "attendance-codes-9999.yaml"
    bad.write_text('version: "9999"\ntitle: x\nin_force_from: 2024-08-19\ncodes:\n'
                   '  - {code: "/", meaning: "Present", category: present}\n'
                   '  - {code: "Q", meaning: "Something", category: sometimes}\n')
    with pytest.raises(CodeFileError) as error:
        load_code_file(bad)
    assert "attendance-codes-9999.yaml line 6, codes.1.category" in str(error.value)


def test_upn_check_letter():
    upn = make_upn(201, 3456, 12)
    assert upn_problem(upn) is None and len(upn) == 13
    wrong = ("B" if upn[0] != "B" else "C") + upn[1:]
    assert "check letter" in upn_problem(wrong)
    assert "13 characters" in upn_problem(upn[:-1])
    # Worked by hand: 8x2 + 1x4 + 2x5 + 1x8 + 1x9 + 1x13 = 60; 60 mod 23 = 14, the letter Q.
    assert check_letter("801200110001") == "Q"
    assert upn_problem("Q801200110001") is None
