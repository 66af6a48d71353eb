"""`tmdiag drift --aws`: the live read through boto3 against a moto server (a real HTTP server in its
own process on a free localhost port; boto3 untouched), with the fixture's resources created
through the API, reports the same drift as the Terraform path."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.iac import aws_world
from tests.iac.mutations import MUTATIONS, Mutation, copy_fixture
from tmdiag import iac
from tmdiag.api import check_file
from tmdiag.cli import main
from tmdiag.diagnostics import Diagnostic
from tmdiag.iac.aws import read_aws
from tmdiag.iac.resources import Ref
from tmdiag.lint import lint

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], Any]:
    """Clients of a fresh (reset) moto account; credentials are dummies, only localhost is reached."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=5).close()
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": aws_world.REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
    }.items():
        monkeypatch.setenv(key, value)
    session = boto3.Session(region_name=aws_world.REGION)
    return lambda name: session.client(name, endpoint_url=moto_server)


def _pairs(found: list[Diagnostic]) -> list[tuple[str, str, int]]:
    return sorted((d.code, d.message.split("`")[1], d.span.line) for d in found if d.code.startswith("TM7"))


def _live(
    drafted: Path, aws: Callable[[str], Any], moto_server: str, tmp_path: Path, *mutations: str
) -> list[Diagnostic]:
    ids = aws_world.build(aws, frozenset(mutations))
    state_path = tmp_path / "state.json"
    state_path.write_text(json.dumps(aws_world.state(ids)))
    state = iac.read(state_path)
    assert not state.problems
    infra = read_aws(region=aws_world.REGION, state=state, endpoint_url=moto_server)
    model, _ = check_file(drafted, lint=False)
    assert model is not None
    return lint(model, infrastructure=infra)


def test_live_account_built_like_the_terraform_has_no_drift(
    drafted: Path, aws: Any, moto_server: str, tmp_path: Path
) -> None:
    assert _pairs(_live(drafted, aws, moto_server, tmp_path)) == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_live_drift_matches_terraform_drift(
    drafted: Path, aws: Any, moto_server: str, tmp_path: Path, mutation: Mutation
) -> None:
    live = _pairs(_live(drafted, aws, moto_server, tmp_path, mutation.name))
    model, _ = check_file(drafted, lint=False)
    assert model is not None
    terraform = _pairs(lint(model, infrastructure=iac.read(copy_fixture(tmp_path, mutation))))
    assert live == terraform
    assert [(code, node) for code, node, _ in live] == [(mutation.code, mutation.node)]


def test_cli_reports_the_live_resource(
    drafted: Path, aws: Any, moto_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = aws_world.build(aws, frozenset({"disable-the-trail"}))
    state = tmp_path / "state.json"
    state.write_text(json.dumps(aws_world.state(ids)))
    args = [
        "drift",
        str(drafted),
        "--aws",
        "--state",
        str(state),
        "--region",
        aws_world.REGION,
        "--endpoint-url",
        moto_server,
        "--color",
        "never",
    ]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "error[TM706]: `aws` claims `audit_log: true` but `aws_cloudtrail.main` does not log" in out
    assert f"= note: `aws_cloudtrail.main` does not log: aws:{aws_world.REGION} arn:aws:cloudtrail:" in out
    assert main([*args, "--format", "sarif"]) == 1
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    (logical,) = result["relatedLocations"][0]["logicalLocations"]
    assert logical["fullyQualifiedName"].startswith(f"aws:{aws_world.REGION} arn:aws:cloudtrail:")


def test_aws_errors_are_one_line(
    drafted: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    port = _free_port()  # nothing listens there
    assert (
        main(["drift", str(drafted), "--aws", "--region", "eu-west-1", "--endpoint-url", f"http://127.0.0.1:{port}"])
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("tmdiag: error: AWS read failed:") and "Traceback" not in err


def test_without_a_state_objects_are_named_by_tag_or_name(aws: Any, moto_server: str) -> None:
    aws_world.build(aws)
    infra = read_aws(region=aws_world.REGION, endpoint_url=moto_server)
    addresses = {r.address for r in infra.resources}
    assert {"aws_instance.prod-bastion", "aws_s3_bucket.prod-shop-assets", "aws_lb.prod-web",
            "aws_db_instance.prod-orders", "aws_cloudtrail.prod-trail"} <= addresses  # fmt: skip
    bastion = infra.resource("aws_instance.prod-bastion")
    assert bastion is not None and bastion.values["vpc_security_group_ids"] == [Ref("aws_security_group.prod-bastion")]
