"""Edits of the three-tier fixture that each introduce one drift, and what each must report."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
THREE_TIER = Path(__file__).parents[2] / "examples" / "three-tier" / "infra"  # the shipped example


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    code: str  # the one TM7xx finding it must cause
    node: str  # the model node it is reported on


MUTATIONS = (
    Mutation(
        "open-ssh-to-the-world", "security.tf",
        '  cidr_blocks       = [var.admin_cidr]\n', '  cidr_blocks       = ["0.0.0.0/0"]\n',
        "TM702", "bastion",
    ),
    Mutation(
        "disable-the-trail", "audit.tf",
        "  enable_logging                = true\n", "  enable_logging                = false\n",
        "TM706", "aws",
    ),
    Mutation(
        "make-the-bucket-public", "data.tf",
        '  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n'
        '\nresource "aws_s3_bucket_server_side_encryption_configuration" "assets"',
        '  block_public_policy     = false\n  ignore_public_acls      = true\n  restrict_public_buckets = false\n}\n\n'
        'resource "aws_s3_bucket_policy" "assets" {\n  bucket = aws_s3_bucket.assets.id\n  policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n'
        '      Action    = "s3:GetObject"\n      Resource  = "${aws_s3_bucket.assets.arn}/*"\n    }]\n  })\n}\n'
        '\nresource "aws_s3_bucket_server_side_encryption_configuration" "assets"',
        "TM703", "assets",
    ),
    Mutation(
        "drop-encryption", "data.tf",
        "  storage_encrypted           = true\n  kms_key_id                  = aws_kms_key.data.arn\n",
        "  storage_encrypted           = false\n",
        "TM704", "orders",
    ),
)  # fmt: skip


def copy_fixture(target: Path, *mutations: Mutation) -> Path:
    folder = target / "three-tier"  # the tests name the copy as they named the fixture
    shutil.copytree(THREE_TIER, folder)
    for mutation in mutations:
        path = folder / mutation.file
        text = path.read_text(encoding="utf-8")
        assert text.count(mutation.old) == 1, f"{mutation.name}: the text to replace is not in {mutation.file} once"
        path.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
    return folder
