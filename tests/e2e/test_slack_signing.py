import json

from tests.e2e.slack_wire import signature
from tests.shared_files import shared_file


def test_requests_are_signed_exactly_as_slacks_published_vector():
    path = shared_file("slack/payloads/signing_test_vector.json")
    vector = json.loads(path.read_text())

    signed = signature(
        vector["signing_secret"],
        vector["x_slack_request_timestamp"],
        vector["raw_body"],
    )

    assert signed == vector["x_slack_signature"]
