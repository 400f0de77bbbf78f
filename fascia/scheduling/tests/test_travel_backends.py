"""The HTTP geocoder and routing backends, against small servers on loopback; and their
fallback to the offline estimates when the server cannot answer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from fascia.practices.models import ServiceArea
from fascia.scheduling.availability import Place
from fascia.scheduling.geography import NominatimGeocoder, Point, ServiceAreaGeocoder
from fascia.scheduling.travel import EstimatedTravel, OsrmTravel, TravelTimes, _backend_for

GUELPH = Point(43.5448, -80.2482)
TORONTO = Point(43.6532, -79.3832)


class Recorder(BaseHTTPRequestHandler):
    answers: dict[str, Any] = {}
    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        path = urlparse(self.path).path
        body = next((v for k, v in self.answers.items() if path.startswith(k)), None)
        if body is None:
            self.send_response(500)
            self.end_headers()
            return
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def stub_server() -> Iterator[tuple[str, type[Recorder]]]:
    handler = type("Handler", (Recorder,), {"answers": {}, "seen": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def guelph_area() -> ServiceArea:
    return ServiceArea(
        name="Guelph",
        centroid_latitude=GUELPH.latitude,
        centroid_longitude=GUELPH.longitude,
        postal_prefixes=["N1G"],
    )


def test_nominatim_places_the_street_address(stub_server: Any) -> None:
    url, handler = stub_server
    handler.answers["/search"] = [{"lat": "43.5301", "lon": "-80.2265"}]
    point = NominatimGeocoder(url).locate(guelph_area(), "N1G 2W1", "50 Stone Rd E", "Guelph")
    assert point == Point(43.5301, -80.2265)
    query = parse_qs(urlparse(handler.seen[0]).query)
    assert query["q"] == ["50 Stone Rd E, Guelph, N1G 2W1, Canada"]
    assert query["countrycodes"] == ["ca"]


def test_nominatim_falls_back_to_the_area_centroid(stub_server: Any) -> None:
    url, handler = stub_server
    handler.answers["/search"] = []  # nothing found
    area = guelph_area()
    assert NominatimGeocoder(url).locate(area, "N1G 2W1", "", "") == GUELPH
    down = NominatimGeocoder("http://127.0.0.1:9", timeout=0.5)  # nothing listens there
    assert down.locate(area, "N1G 2W1", "", "") == ServiceAreaGeocoder().locate(area, "", "", "")


def test_osrm_durations_are_used_with_parking_added(stub_server: Any) -> None:
    url, handler = stub_server
    handler.answers["/table/v1/driving/"] = {
        "code": "Ok",
        "durations": [[3600.0]],
        "distances": [[95000.0]],
    }
    backend = OsrmTravel(url)
    assert backend.matrix([GUELPH], [TORONTO]) == [[65.0]]  # 60 min + 5 min parking
    assert backend.road_km(GUELPH, TORONTO) == 95.0
    path = handler.seen[0].split("?")[0]
    assert path.endswith("-80.248200,43.544800;-79.383200,43.653200")  # longitude first
    hook = TravelTimes(backend)
    guelph_home = Place(1, GUELPH.latitude, GUELPH.longitude, "N1G 2W1")
    toronto_home = Place(1, TORONTO.latitude, TORONTO.longitude, "M5V 3L9")
    assert hook(guelph_home, toronto_home).total_seconds() == 65 * 60


def test_osrm_falls_back_to_the_estimate() -> None:
    backend = OsrmTravel("http://127.0.0.1:9", timeout=0.5)
    assert backend.matrix([GUELPH], [TORONTO]) == EstimatedTravel().matrix([GUELPH], [TORONTO])


def test_travel_url_configures_the_estimate() -> None:
    tuned = _backend_for("estimate://?circuity=1.5&parking_minutes=8")
    assert tuned == EstimatedTravel(circuity=1.5, parking_minutes=8)
    assert isinstance(_backend_for("osrm+http://router:5000"), OsrmTravel)
    with pytest.raises(ValueError, match="TRAVEL_URL"):
        _backend_for("carrier-pigeon://")


def test_travel_inside_one_clinic_is_zero() -> None:
    hook = TravelTimes(EstimatedTravel())
    clinic = Place(7, TORONTO.latitude, TORONTO.longitude)
    assert hook(clinic, clinic).total_seconds() == 0
    other_clinic = Place(8, GUELPH.latitude, GUELPH.longitude)
    assert hook(clinic, other_clinic).total_seconds() > 60 * 60
