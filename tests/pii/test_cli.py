"""``gongkai pii``: outputs, exit statuses, masked values only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gongkai.cli import main

from .ids import make_id

ID = make_id()
MOBILE = "13812345678"


@pytest.fixture
def leaky(tmp_path):
    path = tmp_path / "公示.txt"
    path.write_text(f"关于张三的公示\n身份证号：{ID}\n手机：{MOBILE}\n", encoding="utf-8")
    return path


@pytest.fixture
def clean(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text("关于做好政府信息公开工作的通知\n电话：0371-68901234\n", encoding="utf-8")
    return path


def test_findings_in_chinese_and_exit_1(capsys, leaky):
    assert main(["pii", str(leaky)]) == 1
    out = capsys.readouterr().out
    assert "发现 2 处个人信息（身份证号码 1 处、手机号码 1 处）" in out
    assert "第 2 行第 6 列  身份证号码  410482********1239" in out
    assert "第 3 行第 4 列  手机号码  138****5678" in out


def test_nothing_found_exit_0(capsys, clean):
    assert main(["pii", str(clean)]) == 0
    assert "未发现个人信息" in capsys.readouterr().out


def test_json_for_one_file_is_one_object_with_the_contract_keys(capsys, leaky):
    assert main(["pii", "--json", str(leaky)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "file": str(leaky),
        "findings": [
            {"kind": "resident_id", "masked": "410482********1239", "line": 2, "column": 6},
            {"kind": "mobile", "masked": "138****5678", "line": 3, "column": 4},
        ],
    }


def test_json_for_several_files_is_an_array(capsys, leaky, clean):
    assert main(["pii", "--json", str(leaky), str(clean)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(d["file"], len(d["findings"])) for d in data] == [(str(leaky), 2), (str(clean), 0)]


def test_a_folder_is_checked_recursively(capsys, tmp_path, leaky, clean):
    assert main(["pii", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "共检查 2 个文件：1 个发现个人信息，1 个未发现，0 个无法读取" in out


def test_raw_values_are_never_printed(capfd, leaky):
    main(["pii", str(leaky)])
    main(["pii", "--json", str(leaky)])
    captured = capfd.readouterr()
    for raw in (ID, MOBILE, ID[6:14]):
        assert raw not in captured.out
        assert raw not in captured.err


def test_missing_file_is_one_chinese_line_and_exit_2_the_others_still_checked(
    capsys, tmp_path, leaky
):
    missing = tmp_path / "nope.pdf"
    assert main(["pii", str(missing), str(leaky)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"gongkai pii: 错误: {missing}：文件不存在\n"
    assert "410482********1239" in captured.out


def test_unreadable_file_exit_2(capsys, tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert main(["pii", "--json", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "图片文件" in captured.err
    assert captured.err.count("\n") == 1


def test_empty_folder_exit_2(capsys, tmp_path):
    (tmp_path / "空").mkdir()
    assert main(["pii", str(tmp_path / "空")]) == 2
    assert "没有找到要检查的文件" in capsys.readouterr().err


def test_words_file(capsys, tmp_path, clean):
    words = tmp_path / "words.txt"
    words.write_text("# 本机关敏感词\n\n政府信息\n", encoding="utf-8")
    assert main(["pii", "--words", str(words), str(clean)]) == 1
    assert "敏感词  政***" in capsys.readouterr().out


def test_words_file_missing_or_binary_exit_2(capsys, tmp_path, clean):
    assert main(["pii", "--words", str(tmp_path / "none.txt"), str(clean)]) == 2
    assert "敏感词表无法读取" in capsys.readouterr().err
    binary = tmp_path / "w.bin"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    assert main(["pii", "--words", str(binary), str(clean)]) == 2
    assert "不是文本文件" in capsys.readouterr().err


def test_no_file_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["pii"])
    assert exit_info.value.code == 2
    assert "错误" in capsys.readouterr().err


def test_pii_command_imports_no_django_and_no_pdf_stack_for_text(leaky):
    code = (
        "import sys; from gongkai.cli import main; "
        "status = main(['pii', '--json', sys.argv[1]]); "
        "assert status == 1, status; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'pdfminer', 'docx')]"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(leaky)], capture_output=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
