"""The demo product catalogue and the bundles planted in it.

Forty products in five categories. Each product knows how it is sold (per
seat, per unit, per hour, per plan) and how many a small customer typically
buys; larger segments multiply that. Bundles are planted co-purchases: when a
quote holds the anchor product, each companion joins it with a known rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SOFTWARE = "Software licences"
HARDWARE = "Hardware"
SERVICES = "Services"
SUPPORT = "Support plans"
TRAINING = "Training"

CATEGORIES = (SOFTWARE, HARDWARE, SERVICES, SUPPORT, TRAINING)

COST_RATIO = {
    SOFTWARE: Decimal("0.12"),
    HARDWARE: Decimal("0.62"),
    SERVICES: Decimal("0.55"),
    SUPPORT: Decimal("0.22"),
    TRAINING: Decimal("0.35"),
}

# Units whose quantity grows with the customer's size; plans and projects don't.
SCALING_UNITS = frozenset({"seat", "unit", "hour", "device"})


@dataclass(frozen=True)
class DemoProduct:
    """A catalogue entry and how reps typically quote it."""

    sku: str
    name: str
    category: str
    list_price: Decimal
    unit: str
    base_quantity: int
    popularity: float

    @property
    def unit_cost(self) -> Decimal:
        return (self.list_price * COST_RATIO[self.category]).quantize(Decimal("0.01"))

    @property
    def scales(self) -> bool:
        return self.unit in SCALING_UNITS


def _p(sku, name, category, price, unit, base, popularity) -> DemoProduct:
    return DemoProduct(sku, name, category, Decimal(price), unit, base, popularity)


PRODUCTS: tuple[DemoProduct, ...] = (
    _p("SW-ANL-001", "Analytics Suite", SOFTWARE, "1200", "seat", 5, 3.0),
    _p("SW-CRM-001", "CRM Connector", SOFTWARE, "450", "seat", 5, 1.4),
    _p("SW-RPT-001", "Reporting Studio", SOFTWARE, "600", "seat", 4, 2.0),
    _p("SW-DWH-001", "Data Warehouse Connector", SOFTWARE, "3600", "plan", 1, 0.8),
    _p("SW-SEC-001", "Endpoint Security", SOFTWARE, "85", "device", 20, 2.5),
    _p("SW-BKP-001", "Cloud Backup", SOFTWARE, "60", "seat", 20, 2.0),
    _p("SW-WFL-001", "Workflow Automation", SOFTWARE, "720", "seat", 4, 1.5),
    _p("SW-MDM-001", "Device Manager", SOFTWARE, "48", "device", 25, 1.5),
    _p("SW-API-001", "API Gateway Licence", SOFTWARE, "4800", "plan", 1, 0.7),
    _p("SW-COL-001", "Team Collaboration", SOFTWARE, "144", "seat", 10, 2.5),
    _p("SW-IDN-001", "Identity Manager", SOFTWARE, "96", "seat", 15, 1.5),
    _p("SW-FCS-001", "Forecasting Add-on", SOFTWARE, "480", "seat", 3, 0.8),
    _p("HW-GWH-001", "Gateway Hub", HARDWARE, "2400", "unit", 2, 2.0),
    _p("HW-SNS-001", "Edge Sensor Pack", HARDWARE, "380", "unit", 8, 1.5),
    _p("HW-FWL-001", "Firewall Appliance", HARDWARE, "5600", "unit", 1, 1.0),
    _p("HW-SWT-024", "Network Switch 24-port", HARDWARE, "1150", "unit", 2, 1.5),
    _p("HW-SWT-048", "Network Switch 48-port", HARDWARE, "2100", "unit", 1, 1.0),
    _p("HW-WAP-001", "Wireless Access Point", HARDWARE, "420", "unit", 6, 2.0),
    _p("HW-SRV-001", "Rack Server", HARDWARE, "8900", "unit", 1, 0.6),
    _p("HW-STO-001", "Storage Array", HARDWARE, "14500", "unit", 1, 0.4),
    _p("HW-THN-001", "Thin Client", HARDWARE, "540", "unit", 6, 1.0),
    _p("HW-UPS-001", "UPS Unit", HARDWARE, "980", "unit", 2, 0.8),
    _p("HW-CAM-001", "Security Camera", HARDWARE, "310", "unit", 6, 0.8),
    _p("SV-ONB-001", "Onboarding Hours", SERVICES, "180", "hour", 10, 0.25),
    _p("SV-INS-001", "Installation Service", SERVICES, "160", "hour", 8, 0.25),
    _p("SV-INT-001", "Integration Hours", SERVICES, "195", "hour", 12, 0.3),
    _p("SV-CNS-001", "Consulting Hours", SERVICES, "220", "hour", 10, 1.0),
    _p("SV-MIG-001", "Data Migration Project", SERVICES, "4500", "project", 1, 0.5),
    _p("SV-HLT-001", "Health Check", SERVICES, "2500", "project", 1, 0.6),
    _p("SV-MGD-001", "Managed Services (month)", SERVICES, "1800", "month", 12, 0.5),
    _p("SP-STD-001", "Standard Support Plan", SUPPORT, "1500", "plan", 1, 1.5),
    _p("SP-PRM-001", "Premium Support Plan", SUPPORT, "6000", "plan", 1, 1.0),
    _p("SP-ENT-001", "Enterprise Support Plan", SUPPORT, "18000", "plan", 1, 0.6),
    _p("SP-HWC-001", "Hardware Care Pack", SUPPORT, "240", "device", 1, 0.3),
    _p("SP-EXT-001", "Extended Warranty", SUPPORT, "150", "unit", 4, 0.8),
    _p("TR-ANL-001", "Analytics Training", TRAINING, "650", "seat", 3, 0.25),
    _p("TR-ADM-001", "Administrator Training", TRAINING, "890", "seat", 2, 0.8),
    _p("TR-SEC-001", "Security Awareness Course", TRAINING, "45", "seat", 20, 1.0),
    _p("TR-WSH-001", "On-site Workshop", TRAINING, "3200", "project", 1, 0.5),
    _p("TR-CRT-001", "Certification Voucher", TRAINING, "300", "seat", 2, 0.6),
)

PRODUCT_INDEX: dict[str, int] = {p.sku: i for i, p in enumerate(PRODUCTS)}


@dataclass(frozen=True)
class Bundle:
    """Companions that join ``anchor`` in a quote, each with its planted rate."""

    name: str
    anchor: str
    companions: tuple[tuple[str, float], ...]

    @property
    def skus(self) -> tuple[str, ...]:
        return (self.anchor, *(sku for sku, _ in self.companions))


BUNDLES: tuple[Bundle, ...] = (
    Bundle("gateway_installation", "HW-GWH-001", (("SV-INS-001", 0.80),)),
    Bundle(
        "analytics_onboarding",
        "SW-ANL-001",
        (("SV-ONB-001", 0.70), ("TR-ANL-001", 0.55)),
    ),
    Bundle("crm_integration", "SW-CRM-001", (("SV-INT-001", 0.65),)),
    Bundle("firewall_care", "HW-FWL-001", (("SP-HWC-001", 0.60),)),
)


def companions_of(product: int) -> tuple[tuple[int, float], ...]:
    """Product indexes that join ``product`` in a quote, with their rates."""
    sku = PRODUCTS[product].sku
    return tuple(
        (PRODUCT_INDEX[companion], rate)
        for bundle in BUNDLES
        if bundle.anchor == sku
        for companion, rate in bundle.companions
    )
