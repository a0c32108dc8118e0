#!/usr/bin/python3
"""Writes the gRPC request bodies the gateway benchmark sends with h2load: each a
length-prefixed protobuf message (the gRPC wire framing), one file per call.

  PYTHONPATH=build/python bench/gateway_requests.py OUT_DIR
"""
import os
import struct
import sys

from google.type import date_pb2
from summit.gateway.v1 import gateway_service_pb2 as gateway
from summit.registry.v1 import registry_service_pb2 as registry
from summit.scheduling.v1 import scheduling_service_pb2 as scheduling
from summit.statements.v1 import statements_service_pb2 as statements
from google.protobuf import timestamp_pb2

EVENT = "events/udib-2023"
# 2023-12-06 in New York, widened to any time zone, as the overview asks.
DAY_START = 1701820800 - 14 * 3600
DAY_END = 1701820800 + 86400 + 12 * 3600


def frame(message):
    body = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(body)) + body


def main(out):
    os.makedirs(out, exist_ok=True)
    people = ["people/" + p for p in ("yermak", "umerov", "stefanchuk", "kamyshin", "tochytskyi",
                                      "arakhamia", "markarova", "casey-morgan")]
    requests = {
        "GetPerson": registry.GetPersonRequest(name="people/umerov"),
        "GetEventOverview": gateway.GetEventOverviewRequest(
            event=EVENT, day=date_pb2.Date(year=2023, month=12, day=6)),
        # The overview's backend calls, as it makes them (before it cached the event's facts
        # and named its people from the participant list: GetEvent, ListOrganizations and
        # BatchGetPeople on every call).
        "GetEvent": registry.GetEventRequest(name=EVENT),
        "ListDelegations": registry.ListDelegationsRequest(parent=EVENT, page_size=1000),
        "ListOrganizations": registry.ListOrganizationsRequest(page_size=1000),
        "BatchGetPeople": registry.BatchGetPeopleRequest(names=people),
        "ListParticipants": registry.ListParticipantsRequest(
            parent=EVENT, page_size=1000, view=registry.PARTICIPANT_VIEW_WITH_PEOPLE),
        "ListItinerary": scheduling.ListItineraryRequest(
            parent=EVENT, start_time=timestamp_pb2.Timestamp(seconds=DAY_START),
            end_time=timestamp_pb2.Timestamp(seconds=DAY_END), page_size=1000),
        "ListStatements": statements.ListStatementsRequest(
            parent=EVENT, order_by="publish_time desc", page_size=10),
    }
    for name, message in requests.items():
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(frame(message))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/gateway-bench")
