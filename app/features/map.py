"""The Leaflet map: base layers, the districts, the point layers and the drawing tool.

The 5G sites are fetched as compact JSON and filtered in the browser (``zzgeo.filterSites``);
data centers and smart-city projects come inside the page and are filtered by their JS filter
(``zzgeo.pointFilter``, reading the layer's hideout).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash
import dash_leaflet as dl
from dash import ClientsideFunction, Input, Output, State, html

from app import ids
from app.context import AppContext
from app.data import EMPTY_FC, PageMeta
from app.i18n import layer_title, operator_name, part_name, status_name, t, t_template
from app.state import FIT_OPTIONS, ZOOM_RANGE, ZOOM_SNAP, ViewState
from app.widgets import js
from zzgeo.classes import OPERATOR_COLORS
from zzgeo.layers import OPERATORS, STATUSES
from zzgeo.messages import Text
from zzgeo.plan import PLAN_PARTS

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> {contributors}'


TIANDITU_URL = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={token}"
)


TIANDITU_ATTRIBUTION = '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'


def make_labels(lang: str, task_names: Mapping[str, Text]) -> dict[str, Any]:
    """Labels the JS tooltips need, in ``lang`` (the browser escapes every value)."""
    return {
        "lang": lang,
        "operators": {k: operator_name(k, lang) for k in OPERATORS},
        "operatorColors": dict(OPERATOR_COLORS),
        "statuses": {k: status_name(k, lang) for k in STATUSES},
        "parts": {k: part_name(k, lang) for k in PLAN_PARTS},
        "tasks": {k: name.get(lang) for k, name in task_names.items()},
        "site": t("tip_site", lang),
        "cluster": t_template("tip_cluster", lang, 2),
        "proposed": t("tip_proposed", lang),
        "year": t("tip_year", lang),
        "band": t("tip_band", lang),
        "racks": t("tip_racks", lang),
        "power": t("tip_power", lang),
        "budget": t("tip_budget", lang),
        "task": t("tip_task", lang),
        "part": t("tip_part", lang),
        "source": t("tip_source", lang),
        "dataCenter": t("legend_data_center", lang),
        "project": layer_title("smart_projects", lang),
    }


def make_point_hideout(kind: str, state: ViewState, labels: Mapping[str, Any]) -> dict[str, Any]:
    """Hideout of a small point layer: its kind, labels and the view state its JS filter reads.

    ``zzgeo.pointFilter`` decides what shows; ``zzgeo.pointHideouts`` passes on a new view
    state (the STATE store) in the same shape.
    """
    return {"kind": kind, "labels": dict(labels), "state": state.for_server().to_dict()}


def _base_layers(meta: PageMeta, lang: str) -> list[Any]:
    """The base maps: OpenStreetMap, Tianditu (with a token), none (tiles cannot load on every intranet)."""
    base = [
        dl.BaseLayer(
            dl.TileLayer(
                url=OSM_URL,
                attribution=OSM_ATTRIBUTION.format(contributors=t("osm_contributors", lang)),
                maxZoom=ZOOM_RANGE[1],
            ),
            name=t("basemap_osm", lang),
            checked=True,
        )
    ]
    if meta.tianditu_token:
        tiles = [
            dl.TileLayer(
                url=TIANDITU_URL.format(layer=name, token=meta.tianditu_token),
                subdomains="01234567",
                attribution=TIANDITU_ATTRIBUTION,
                maxZoom=ZOOM_RANGE[1],
            )
            for name in ("vec", "cva")
        ]
        base.append(dl.BaseLayer(dl.LayerGroup(tiles), name=t("basemap_tianditu", lang), checked=False))
    base.append(dl.BaseLayer(dl.LayerGroup([]), name=t("basemap_none", lang), checked=False))
    return base


def _initial_view(state: ViewState, meta: PageMeta) -> dict[str, Any]:
    """The map's centre and zoom: the URL's view, else Zhangzhou fitted to the window."""
    # dash-leaflet needs a centre and zoom from the start; without a view in the URL the
    # map is then fitted to Zhangzhou (the "home" view, which depends on the window size)
    if state.center is not None and state.zoom is not None:
        return {"center": list(state.center), "zoom": state.zoom}
    (south, west), (north, east) = meta.bounds
    return {
        "center": [round((south + north) / 2, 5), round((west + east) / 2, 5)],
        "zoom": 9,
        # leave room for the legend at the bottom right (a phone refits: zzgeo.fitView)
        "viewport": {"bounds": meta.bounds, "options": FIT_OPTIONS},
    }


def _overlay_panes(labels: dict[str, Any]) -> list[Any]:
    """The hexagon overlays under the points, then the 5G sites (clustered) and proposed sites."""
    return [
        dl.Pane(
            [
                dl.GeoJSON(
                    id=ids.HEX_GAPS,
                    data=EMPTY_FC,
                    style=js("hexStyle"),
                    onEachFeature=js("hexEach"),
                    hideout={"kind": "gaps"},
                ),
                dl.GeoJSON(
                    id=ids.HEX_COUNTS,
                    data=EMPTY_FC,
                    style=js("hexStyle"),
                    onEachFeature=js("hexEach"),
                    hideout={"kind": "counts"},
                ),
            ],
            name="zzhexes",
        ),
        dl.Pane(
            [
                dl.GeoJSON(
                    id=ids.SITES,
                    data={"type": "FeatureCollection", "features": []},
                    cluster=True,
                    clusterToLayer=js("siteCluster"),
                    zoomToBoundsOnClick=True,
                    superClusterOptions={"radius": 70, "maxZoom": 14},
                    pointToLayer=js("sitePoint"),
                    onEachFeature=js("siteEach"),
                    hideout={"labels": labels},
                ),
                dl.GeoJSON(
                    id=ids.PROPOSED,
                    data={"type": "FeatureCollection", "features": []},
                    pointToLayer=js("proposedPoint"),
                    onEachFeature=js("proposedEach"),
                    hideout={"labels": labels},
                ),
            ],
            name="zzpoints",
        ),
    ]


def _draw_control() -> Any:
    """The what-if drawing tool: one proposed site per click (a gold circle marker)."""
    return dl.FeatureGroup(
        dl.EditControl(
            id=ids.EDIT,
            position="topleft",
            draw={
                "polyline": False,
                "polygon": False,
                "rectangle": False,
                "circle": False,
                "marker": False,
                "circlemarker": {
                    "radius": 7,
                    "color": "#000000",
                    "weight": 2,
                    "fillColor": "#ffd700",
                    "fillOpacity": 1,
                },
            },
            # the remove tool stays (hidden by CSS): the app empties the drawing layer with it
            edit={"edit": False},
        )
    )


def make_map(state: ViewState, meta: PageMeta) -> dl.MapContainer:
    """The Leaflet map: base layers, district choropleth, point layers, what-if drawing."""
    lang = state.lang
    labels = make_labels(lang, meta.task_names)
    children: list[Any] = [
        dl.LayersControl(_base_layers(meta, lang), id=ids.LAYERS_CONTROL, position="topright", collapsed=True),
        dl.GeoJSON(
            id=ids.DISTRICTS,
            data=meta.geojson.get("districts", EMPTY_FC),
            style=js("districtStyle"),
            onEachFeature=js("districtEach"),
            # the page sets the colours of its first view (app.features.views.first_props)
            hideout={"fill": {}, "under": [], "selected": None, "tips": {}},
        ),
        *_overlay_panes(labels),
        dl.GeoJSON(id=ids.FOUND, data=EMPTY_FC, pointToLayer=js("foundPoint")),
        dl.GeoJSON(
            id=ids.DATA_CENTERS,
            data=meta.geojson.get("data_centers", EMPTY_FC),
            filter=js("pointFilter"),
            pointToLayer=js("dataCenterPoint"),
            onEachFeature=js("dataCenterEach"),
            hideout=make_point_hideout("data_centers", state, labels),
        ),
        dl.GeoJSON(
            id=ids.SMART_PROJECTS,
            data=meta.geojson.get("smart_projects", EMPTY_FC),
            filter=js("pointFilter"),
            pointToLayer=js("projectPoint"),
            onEachFeature=js("projectEach"),
            hideout=make_point_hideout("smart_projects", state, labels),
        ),
        _draw_control(),
        dl.ScaleControl(position="bottomright", imperial=False),
        dl.FullScreenControl(
            position="topleft", title=t("leaflet_fullscreen", lang), titleCancel=t("leaflet_fullscreen_exit", lang)
        ),
    ]
    return dl.MapContainer(
        children,
        id=ids.MAP,
        className="zz-map",
        minZoom=ZOOM_RANGE[0],
        maxZoom=ZOOM_RANGE[1],
        zoomSnap=ZOOM_SNAP,
        **_initial_view(state, meta),
    )


def make_map_wrap(state: ViewState, meta: PageMeta, overlays: Sequence[Any] = ()) -> html.Div:
    """The map with its legend box (filled by the choropleth's and the hexagons' callbacks) and
    ``overlays`` over it (the district drawer)."""
    lang = state.lang
    return html.Div(
        [
            make_map(state, meta),
            # shown in full screen and in print only (zz-print.js keeps it up to date)
            html.Div(id=ids.MAP_CAPTION, className="zz-map-caption", **{"aria-hidden": "true"}),
            *overlays,
            html.Details(
                [
                    html.Summary(t("legend", lang)),
                    html.Div(id=ids.LEGEND, className="zz-legend-body"),
                    html.Div(id=ids.HEX_LEGEND, className="zz-legend-body"),
                ],
                open=True,
                className="zz-legend",
                id=ids.LEGEND_BOX,
            ),
        ],
        id=ids.MAP_WRAP,
        className="zz-map-wrap",
    )


def leaflet_texts(lang: str) -> dict[str, str]:
    """The texts of Leaflet's own controls in ``lang`` (Leaflet and Leaflet.draw ship English only):
    ``zz-map.js`` puts them on the zoom, layer and drawing buttons."""
    keys = ("zoom_in", "zoom_out", "layers", "draw_title", "draw_hint", "draw_cancel", "draw_cancel_title")
    return {key: t(f"leaflet_{key}", lang) for key in keys}


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Filter the point layers in the browser."""
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="filterSites"),
        Output(ids.SITES, "data"),
        Input(ids.STATE, "data"),
        Input(ids.CONFIG, "data"),  # its payload URL changes when imports change the 5G layer
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="pointHideouts"),
        Output(ids.DATA_CENTERS, "hideout"),
        Output(ids.SMART_PROJECTS, "hideout"),
        Input(ids.STATE, "data"),
        State(ids.LABELS, "data"),
    )
