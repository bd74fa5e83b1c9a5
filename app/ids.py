"""Component ids of the app (Dash needs them unique across the app).

Browser tests query these as ``#<id>``; elements inside some of them carry ``data-*``
attributes (see the builders in :mod:`app.features`).

Testing hooks (for browser tests): district paths carry the classes ``zz-district``,
``zz-d-<adcode>`` and, when below the target, ``zz-under`` (their ``fill`` attribute is
the class colour); cards carry ``data-value``; the legend's content
(``#legend > .zz-legend-content``) carries ``data-indicator`` and one ``li[data-class]``
per class; the panel carries ``data-adcode`` and its coverage cells
``td[data-indicator=coverage_pct]``; grid rows have ``row-id=<adcode>``. Hexagons are
paths with the class ``zz-hex`` and ``zz-hex-c<class>`` (counts) or ``zz-gap`` (gaps);
the hexagon legend (``#hex-legend .zz-legend-hex``) carries ``data-res`` and per
overlay ``data-cells`` (the number of hexagons sent). The import report carries ``data-read``/``data-accepted``/
``data-rejected``; its tables have ``tr[data-source]`` (mapping), ``tr[data-row]``
(problems); the list of imports has ``tr[data-entry=<id>]``. The import job's progress
(``#import-progress``) carries ``data-state`` (queued, running, done, failed, cancelled),
``data-stage`` and ``data-rows``.
"""

# page frame
URL_INIT = "url-init"  # in the shell: renders the page once
DOC_LANG = "doc-lang"  # in the shell: the <html lang> set in the browser (clientside)
URL = "url"  # in the page: the view state <-> query string
URL_REPLACE = "url-replace"  # a query string to put in place of the current one (map moves)
URL_REPLACED = "url-replaced"  # written by the clientside callback that does it (nothing reads it)
PAGE = "page"
RENDERED = "rendered"
CONFIG = "config"
ERROR = "error-banner"
SYNTHETIC_NOTE = "synthetic-note"
LANG_LINK = "lang-link"
TITLE = "app-title"

# view state
STATE = "view-state"  # ViewState.for_server(): what the server's views depend on
VIEWS = "views"  # every indicator's colours, legend and ranking (the browser picks one)
TAB = "tab-id"  # a random id per page load (the server drops answers for older view states)
LABELS = "labels"
PROPOSALS = "proposals"
DRAWN = "drawn-ids"
EDIT_DRAWN = "edit-drawn"  # the drawing tool's points, once there are (or were) any

# page layout
MAIN = "main"  # the side bar and the stage (its class says whether the side bar is folded)
SIDEBAR = "sidebar"
SIDEBAR_TOGGLE = "sidebar-toggle"
DOCK = "dock"  # the tabs below the map
DOCK_STATE = "dock-state"  # the open tab (or None), set in the browser
DOCK_TAB = "dock-tab"  # pattern-matching: {"type": DOCK_TAB, "index": tab}
DOCK_PANEL = "dock-panel"  # pattern-matching: {"type": DOCK_PANEL, "index": tab}

# place search
SEARCH = "search-box"
SEARCH_RESULTS = "search-results"
SEARCH_HIT = "search-hit"  # pattern-matching: {"type": SEARCH_HIT, "index": "<kind>:<key>"}
SEARCH_PICK = "search-pick"  # the place picked: the view opens its district and moves the map
FOUND = "found-layer"  # a ring around the site found

# controls
CONTROLS = "controls"
LEVEL = "level-picker"  # the area level (app/features/level.py)
LEVEL_NOTE = "level-note"  # below it: estimated populations, or how to get area layers
INDICATOR = "indicator-picker"
PALETTE = "palette-picker"  # colour scheme of the district map
YEAR = "year-slider"
YEAR_BACK = "year-back"  # one year back (pauses playing)
YEAR_NEXT = "year-next"
PLAY = "year-play"  # play / pause the years
PLAY_TIMER = "year-play-timer"
COMPARE = "compare-year"  # a second year: the map shows the change
TIME_PANEL = "time-panel"  # the "Over time" tab's content
TIME_VIEW = "time-view"  # the view state, passed on only while the "Over time" tab is open (zzgeo.timeView)
TIME_CHART = "time-chart"
OPERATORS = "operator-filter"
STATUSES = "status-filter"
LAYERS = "layer-toggles"
LAYER_COUNT = "layer-count"  # pattern-matching: {"type": LAYER_COUNT, "index": kind}
HEXES = "hex-overlays"  # checklist: "counts", "gaps"
HEX_RES = "hex-resolution"  # radio: 7, 8

# map
MAP = "map"
MAP_WRAP = "map-wrap"
LAYERS_CONTROL = "layers-control"
DISTRICTS = "districts-layer"
SITES = "sites-layer"
DATA_CENTERS = "data-centers-layer"
SMART_PROJECTS = "smart-projects-layer"
PROPOSED = "proposed-layer"
EDIT = "edit-control"
LEGEND = "legend"
MAP_CAPTION = "map-caption"  # title, indicator and year over the map in full screen and in print (zz-print.js)
LEGEND_BOX = "legend-box"  # the (foldable) box of the choropleth and hexagon legends
HEX_LEGEND = "hex-legend"  # the hexagon overlays' part of the legend box
HEX_COUNTS = "hex-counts-layer"
HEX_GAPS = "hex-gaps-layer"
HEX_REQUEST = "hex-request"  # set in the browser when what the overlays show changes
HEX_DATA = "hex-data"  # cell ids and counts from the server (drawn with h3-js)
VIEW_REQUEST = "view-request"  # map fits asked for by callbacks (padded in the browser)

# planning views
CARDS = "summary-cards"
CARD_SITES = "card-sites"
CARD_DENSITY = "card-density"
CARD_UNDERSERVED = "card-underserved"
GRID = "ranking-grid"
GRID_TITLE = "ranking-title"
RANKING_NOTE = "ranking-note"  # below the grid: how coverage is estimated (districts or areas)
RANKING_HINT = "ranking-hint"  # below the title: click a row (a district or an area of the level)
PANEL = "district-panel"
PANEL_BODY = "district-panel-body"
PANEL_CLOSE = "district-panel-close"
PANEL_CHART = "district-chart"

# what-if
WHATIF = "whatif"
WHATIF_N = "whatif-n"
WHATIF_RULE = "whatif-rule"
WHATIF_OPERATOR = "whatif-operator"
WHATIF_SUGGEST = "whatif-suggest"
WHATIF_CLEAR = "whatif-clear"
WHATIF_ACCEPT = "whatif-accept"
WHATIF_EXPORT = "whatif-export"
WHATIF_SUMMARY = "whatif-summary"
WHATIF_STATUS = "whatif-status"  # what the last action did (or why it could not), next to the buttons
WHATIF_CONFIRM = "whatif-confirm"  # "clear the proposals?"
WHATIF_UNDO = "whatif-undo"  # brings back the proposals last cleared
WHATIF_CLEARED = "whatif-cleared"  # the proposals last cleared (for the undo)
WHATIF_BATCHES = "whatif-batches"  # the batches of accepted proposals (planned sites everyone sees)
BATCH_REMOVE = "batch-remove"  # pattern-matching: {"type": BATCH_REMOVE, "index": batch id}
BATCH_PENDING = "batch-pending"  # the batch whose Remove was clicked (until confirmed)
BATCH_CONFIRM = "batch-confirm"  # "remove these N planned sites?"

# export
EXPORT_LAYER = "export-layer"
EXPORT_GEOJSON = "export-geojson"
EXPORT_GPKG = "export-gpkg"
EXPORT_CSV = "export-csv"
EXPORT_XLSX = "export-xlsx"
EXPORT_STATUS = "export-status"  # what went wrong, next to the buttons
DOWNLOAD = "download"
# briefing outputs: a map image and the report, rendered as jobs (app/features/briefing.py)
BRIEF = "briefing"
BRIEF_FORMAT = "brief-format"  # png, pdf, svg
BRIEF_MAP = "brief-map"
BRIEF_REPORT = "brief-report"
BRIEF_JOB = "brief-job"  # the progress box (hidden when no render runs)
BRIEF_PROGRESS = "brief-progress"  # carries data-state, data-stage, data-what
BRIEF_CANCEL = "brief-cancel"
BRIEF_STATUS = "brief-status"  # what happened, or why not, next to the buttons
BRIEF_TOKEN = "brief-token"
BRIEF_USER = "brief-user"  # this browser's id (local storage), see app.upload.user_of
BRIEF_POLL = "brief-poll"
BRIEF_DOWNLOAD = "brief-download"

# data version: bumped when an import is accepted or removed (the views recompute)
DATA_VERSION = "data-version"
DATA_SEEN = "data-seen"  # written by the browser when it notes the version it shows (nothing reads it)

# accounts and the record of changes
ACCOUNT = "account"  # who is signed in (or not), in the header
HISTORY = "history"  # the latest changes (import tab)
HISTORY_OPEN = "history-open"  # "import" each time the import tab opens (zzgeo.importOpened)
HISTORY_STATUS = "history-status"
HISTORY_REVERT = "history-revert"  # pattern-matching: {"type": HISTORY_REVERT, "index": seq}
HISTORY_PENDING = "history-pending"  # the change whose Revert was clicked (until confirmed)
HISTORY_CONFIRM = "history-confirm"

# import panel
IMPORT = "import-panel"
IMPORT_KIND = "import-kind"
IMPORT_CRS = "import-crs"
IMPORT_LAYER = "import-gpkg-layer"
IMPORT_LAYER_WRAP = "import-gpkg-layer-wrap"
IMPORT_MODE = "import-mode"
IMPORT_UPLOAD = "import-upload"
IMPORT_STATUS = "import-status"
IMPORT_REPORT = "import-report"
IMPORT_ACCEPT = "import-accept"
IMPORT_REJECTED = "import-rejected-csv"
IMPORT_DOWNLOAD = "import-download"
IMPORT_LIST = "import-list"
IMPORT_REMOVE = "import-remove"  # pattern-matching: {"type": IMPORT_REMOVE, "index": entry id}
IMPORT_REMOVE_PENDING = "import-remove-pending"  # the entry whose Remove was clicked (until confirmed)
IMPORT_CONFIRM = "import-confirm"  # "remove the import of …?"
IMPORT_TOKEN = "import-token"  # the import job (its folder on the server holds progress and result)
IMPORT_REQUEST = "import-request"  # set in the browser when a file (within the size limit) should be read
IMPORT_CONFIG = "import-config"  # size limit and its message, for the browser-side check
IMPORT_ENCODING = "import-encoding"  # the text encoding of a CSV ("" detects it)
IMPORT_KEEP = "import-keep-columns"  # checklist: "keep" keeps the columns outside the kind's spec
IMPORT_USER = "import-user"  # a random id kept in the browser (localStorage): the caps on jobs per user
IMPORT_JOB = "import-job"  # the running job: progress bar and Cancel (hidden when no job runs)
IMPORT_PROGRESS = "import-progress"  # the progress bar and its text (stage, rows); carries data-state
IMPORT_CANCEL = "import-cancel"
IMPORT_POLL = "import-poll"  # dcc.Interval: asks for the job's progress, enabled only while it runs
IMPORT_FINISHED = "import-finished"  # {"token", "cancelled"} of a job that has ended (set by the poll or Cancel)
