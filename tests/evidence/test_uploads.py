"""What a file is, read from its first bytes (never its name or the type the browser claims),
how big it may be, and the name it is kept under (psp/evidence/uploads.py)."""

import pytest

from psp.evidence.uploads import (
    UploadRefused,
    check_upload,
    check_uploads,
    clean_name,
    megabytes,
    sniff,
)
from tests.evidence.subjects import (
    exe_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    webp_bytes,
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), "application/pdf"),
        (png_bytes(), "image/png"),
        (jpeg_bytes(), "image/jpeg"),
        (webp_bytes(), "image/webp"),
        (exe_bytes(), None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"<html><script>alert(1)</script>", None),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", None),
    ],
)
def test_a_files_type_is_read_from_its_first_bytes(content, expected):
    assert sniff(content[:16]) == expected


def test_a_renamed_program_is_refused_by_its_name(settings):
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("certificate.exe", exe_bytes(), "application/octet-stream"))
    assert refused.value.message.startswith("certificate.exe is not a PDF or image")


def test_a_program_called_pdf_and_sent_as_a_pdf_is_still_refused():
    with pytest.raises(UploadRefused, match="^certificate.pdf is not a PDF or image"):
        check_upload(upload("certificate.pdf", exe_bytes(), "application/pdf"))


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="^scan.pdf is empty.$"):
        check_upload(upload("scan.pdf", b""))


def test_a_pdf_is_taken_with_its_size_and_checksum():
    content = pdf_bytes()
    checked = check_upload(upload("Certificate of attendance.pdf", content, "text/plain"))
    assert checked.content_type == "application/pdf"  # not the text/plain the browser said
    assert checked.name == "Certificate of attendance.pdf"
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def test_a_file_gets_the_extension_of_what_it_is():
    assert check_upload(upload("IMG_0042", jpeg_bytes(), "image/jpeg")).name == "IMG_0042.jpg"
    assert check_upload(upload("photo.JPEG", jpeg_bytes())).name == "photo.JPEG"
    assert check_upload(upload("scan.pdf", png_bytes())).name == "scan.png"
    assert check_upload(upload("sign-in sheet.webp", webp_bytes())).name == "sign-in sheet.webp"


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.PSP_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    big = pdf_bytes() + b"0" * int(14.2 * 1024 * 1024)
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload("scan.pdf", big))
    assert refused.value.message == "scan.pdf is 14.2 MB; the limit is 10 MB."


def test_a_file_at_the_limit_is_taken(settings):
    settings.PSP_EVIDENCE_MAX_BYTES = 1000
    content = pdf_bytes().ljust(1000, b" ")
    assert check_upload(upload("scan.pdf", content)).size == 1000


def test_every_refused_file_is_named_and_the_good_ones_kept():
    checked, problems = check_uploads(
        [
            upload("certificate.pdf", pdf_bytes()),
            upload("setup.exe", exe_bytes()),
            upload("blank.pdf", b""),
        ]
    )
    assert [item.name for item in checked] == ["certificate.pdf"]
    assert problems == [
        "setup.exe is not a PDF or image: send a PDF, PNG, JPEG or WebP file.",
        "blank.pdf is empty.",
    ]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\Ann\\Desktop\\cert.pdf", "cert.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("report\x00.pdf", "report.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ('what?"is<this>.pdf', "what__is_this_.pdf"),
        ("  spaced   out .pdf ", "spaced out .pdf"),
        ("Zertifikat Ärztekammer.pdf", "Zertifikat Ärztekammer.pdf"),
        ("...", "evidence"),
        ("", "evidence"),
    ],
)
def test_a_name_is_made_safe_to_keep_and_send_back(given, kept):
    assert clean_name(given) == kept


def test_a_long_name_keeps_its_extension():
    name = clean_name("a" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith("a.pdf")


@pytest.mark.parametrize(
    ("size", "text"), [(10 * 1024 * 1024, "10 MB"), (14889779, "14.2 MB"), (524288, "0.5 MB")]
)
def test_sizes_read_in_megabytes(size, text):
    assert megabytes(size) == text
