"""What a file's problem is called where people read it (round thirteen): the operating system's
words, ``strerror`` as this platform says them, reached reports, reconcile and close output and
bean-check in English ("kan ikke skrives: Permission denied"); they are said in Norwegian."""

from __future__ import annotations

import errno
import os

import pytest

from nhnfin.files import OS_PROBLEM_WORDS
from nhnfin.files import file_problem_words
from nhnfin.files import os_error_words
from nhnfin.files import write_error_words


@pytest.mark.parametrize("number", sorted(OS_PROBLEM_WORDS))
def test_each_os_problem_is_said_in_norwegian(number: int) -> None:
    assert file_problem_words(os.strerror(number)) == OS_PROBLEM_WORDS[number]


def test_the_os_words_go_before_nhnfins_own() -> None:
    """ENOTDIR's "Not a directory" holds nhnfin's "a directory": it is not "Not en mappe"."""
    assert file_problem_words(os.strerror(errno.ENOTDIR)) == (
        "en del av stien er en fil, ikke en mappe")
    assert file_problem_words("a directory") == "en mappe"
    assert file_problem_words("Is a directory") == "er en mappe"
    assert file_problem_words("120 bytes, more than the limit of 100 bytes") == (
        "120 byte, mer enn grensen på 100 byte")


def test_an_os_error_names_its_file_without_pythons_words() -> None:
    error = FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "kontoutskrift.xml")
    assert str(error) == "[Errno 2] No such file or directory: 'kontoutskrift.xml'"
    assert os_error_words(error) == "kontoutskrift.xml: finnes ikke"
    assert os_error_words(OSError(errno.EACCES, os.strerror(errno.EACCES))) == "ingen tilgang"
    assert write_error_words(OSError(errno.EACCES, os.strerror(errno.EACCES))) == (
        "ingen skrivetilgang")
    assert write_error_words(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))) == "disken er full"
