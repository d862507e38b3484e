"""One end-to-end scenario through a client generated from openapi/woonservice.json
(openapi-python-client): log in, register a client, take a request in, route it.
Proof that the document is usable by others, not only valid. Run by .ci/contract."""

import datetime
import os
import sys

from client import AuthenticatedClient, Client
from client.api.auth import get_me, login
from client.api.clients import create_client
from client.api.requests import create_request, get_request
from client.api.routing import route_request
from client.models import (
    AddressDto,
    ClientDto,
    CreateClient,
    CreateRequest,
    LoginRequest,
    LoginResponse,
    Me,
    RequestDto,
    RoutingResultDto,
    TargetGroup,
)

base = os.environ["CONTRACT_BASE"]

session = login.sync(client=Client(base_url=base), body=LoginRequest(email="advisor@demo.woonservice.nl", password="demo-wachtwoord"))
assert isinstance(session, LoginResponse), session
api = AuthenticatedClient(base_url=base, token=session.access_token)

me = get_me.sync(client=api)
assert isinstance(me, Me) and me.role.value == "advisor", me
waalre = me.municipality_ids[0]

registered = create_client.sync(
    client=api,
    body=CreateClient(
        municipality_id=waalre,
        name="Bep Generated",
        address=AddressDto(street="Dreef", house_number="3", postcode="5581 ab", city="Waalre"),
        phone="040 221 00 00",
        target_groups=[TargetGroup.ELDERLY],
    ),
)
assert isinstance(registered, ClientDto), registered
assert registered.address.postcode == "5581 AB"

start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
request = create_request.sync(
    client=api,
    body=CreateRequest(
        client_id=registered.id,
        category="moving",
        description="Zolder leeghalen",
        window_start=start,
        window_end=start + datetime.timedelta(hours=4),
        estimated_hours=2.5,
    ),
)
assert isinstance(request, RequestDto), request
assert request.status.value == "new"

routed = route_request.sync(client=api, id=request.id)
assert isinstance(routed, RoutingResultDto), routed
assert routed.status.value in ("routed", "referred", "unmatched"), routed.status
assert len(routed.trail) >= 1
assert all(entry.decided_by == "engine" for entry in routed.trail), routed.trail

read = get_request.sync(client=api, id=request.id)
assert isinstance(read, RequestDto) and read.status == routed.status
print(f"generated client: request {request.id} {routed.status.value} via {[e.reason_code.value for e in routed.trail]}")
sys.exit(0)
