"""The one seam between streamlit and the read side: cached data access, the sidebar filters, page furniture.

The filters live in ``st.session_state`` under widget keys and are mirrored into the URL query string
with the dataset's codes (``?countries=KAZ&countries=IND&series=foreign_ministers&from=2015-01-01``).
On the first run of a session they are seeded from the URL; on every run (every page) the URL is
rewritten from the state, so a link that arrived with filters keeps them across page switches.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from explorer import labels, queries
from explorer.data import Dataset, data_dir, dataset_version, open_dataset
from explorer.filters import PARAMS, Filters

KEYS = {"countries": "countries", "series": "series", "levels": "levels", "statuses": "statuses", "dates": "dates"}
SEEDED = "_filters_seeded"
CURRENT = "_filters"

PAGES = {
    "overview": ("pages/overview.py", "Overview", ":material/dashboard:"),
    "timeline": ("pages/timeline.py", "Timeline", ":material/timeline:"),
    "countries": ("pages/countries.py", "Countries", ":material/flag:"),
    "map": ("pages/map.py", "Map", ":material/public:"),
    "meetings": ("pages/meetings.py", "Meetings", ":material/table_rows:"),
    "downloads": ("pages/downloads.py", "Downloads", ":material/download:"),
    "method": ("pages/method.py", "Data & method", ":material/menu_book:"),
}


@st.cache_resource(show_spinner=False)
def app_icon():
    """The favicon, drawn here (a material icon or emoji favicon would be fetched from a CDN)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2, 2, 62, 62), fill=(31, 95, 139, 255))
    for box in ((14, 20, 30, 44), (34, 20, 50, 44)):
        draw.rounded_rectangle(box, radius=5, fill=(255, 255, 255, 255))
    return image


# -- data ------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=1)  # one build at a time: a rebuild replaces it
def _open(path: str, version: str) -> Dataset:
    return open_dataset(path)


def dataset() -> Dataset:
    """The dataset, opened once per build (a rebuild changes its version and reopens it)."""
    path = data_dir()
    return _open(str(path), dataset_version(path))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, version: str, args: tuple, _ds: Dataset):
    return getattr(queries, name)(_ds, *args)


# Whole tables, one row per meeting or delegation row: at a million rows a cached copy would cost as much memory
# as the dataset (st.cache_data keeps each result pickled) and take as long to unpickle as to make again.
UNCACHED = {"meetings_table", "delegations_table", "persons_table", "timeline_points"}


def q(name: str, *args):
    """The result of ``explorer.queries.<name>(dataset, *args)``, cached per dataset version and arguments (but
    the whole tables of `UNCACHED`, made again on each call unless a row limit is given)."""
    ds = dataset()
    whole = name in UNCACHED and len(args) == 1  # the filters only, no row limit
    return getattr(queries, name)(ds, *args) if whole else _cached(name, ds.version, args, ds)


def names() -> dict[str, str]:
    """Code -> name for countries and organisations."""
    return q("participant_names")


# -- filters ---------------------------------------------------------------------------------------


def _defaults(opts: dict) -> dict:
    lo, hi = opts["date_min"], opts["date_max"]
    return {
        KEYS["countries"]: [],
        KEYS["series"]: [],
        KEYS["levels"]: [],
        KEYS["statuses"]: [],
        KEYS["dates"]: (lo, hi) if lo and hi else (),
    }


def _restricted(f: Filters, opts: dict) -> Filters:
    bounds = (opts["date_min"], opts["date_max"]) if opts["date_min"] else None
    return f.restricted_to(
        countries=[c for c, _ in opts["countries"]],
        series=opts["series"],
        levels=opts["levels"],
        statuses=opts["statuses"],
        bounds=bounds,
    )


def _widget_state(f: Filters, opts: dict) -> dict:
    """The sidebar widgets' values that show the filters ``f``."""
    f = _restricted(f, opts)
    state = _defaults(opts)
    state[KEYS["countries"]] = list(f.countries)
    state[KEYS["series"]] = list(f.series)
    state[KEYS["levels"]] = list(f.levels)
    state[KEYS["statuses"]] = list(f.statuses)
    lo, hi = opts["date_min"], opts["date_max"]
    if lo and hi:
        a = min(max(f.date_from or lo, lo), hi)
        b = max(min(f.date_to or hi, hi), a)
        state[KEYS["dates"]] = (a, b)
    return state


def _seed(opts: dict) -> None:
    """Put the filters into the widgets' state before they are drawn: from the URL first, then re-applied."""
    # First run of the session: from the URL. Later runs: a widget whose state streamlit dropped (it happens on a
    # page switch, e.g. st.switch_page from a chart selection) gets back the value of the previous run's
    # filters, so filters never silently fall back to their defaults.
    if not st.session_state.get(SEEDED):
        state = _widget_state(Filters.from_query_params(st.query_params), opts)
        for key, value in state.items():
            st.session_state[key] = value
        st.session_state[SEEDED] = True
        return
    state = _widget_state(current_filters(), opts)
    for key, value in state.items():
        current = st.session_state.get(key)
        malformed = key == KEYS["dates"] and not isinstance(current, tuple)
        if key not in st.session_state or malformed:
            st.session_state[key] = value


def reset_filters() -> None:
    """Button callback: every filter back to its default."""
    opts = q("options")
    for key, value in _defaults(opts).items():
        st.session_state[key] = value


def filter_to_country(chart_key: str) -> None:
    """Chart callback: filter to the country of the clicked bar (its customdata holds the code)."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        data = point.get("customdata")
        code = data[0] if isinstance(data, list | tuple) and data else data
        if isinstance(code, str) and code:
            st.session_state[KEYS["countries"]] = [code]
            return


def _from_state(opts: dict) -> Filters:
    dates = st.session_state.get(KEYS["dates"]) or ()
    lo, hi = opts["date_min"], opts["date_max"]
    date_from = dates[0] if len(dates) >= 1 and lo and dates[0] > lo else None
    date_to = dates[1] if len(dates) >= 2 and hi and dates[1] < hi else None
    return Filters(
        countries=tuple(st.session_state.get(KEYS["countries"]) or ()),
        date_from=date_from,
        date_to=date_to,
        series=tuple(st.session_state.get(KEYS["series"]) or ()),
        levels=tuple(st.session_state.get(KEYS["levels"]) or ()),
        statuses=tuple(st.session_state.get(KEYS["statuses"]) or ()),
    )


def _sync_url(f: Filters) -> None:
    """Rewrite the filter parameters of the URL from the filters; other parameters (meeting=...) stay."""
    wanted = f.to_query_params()
    for key in PARAMS:
        value = wanted.get(key)
        want = value if isinstance(value, list) else ([value] if value else [])
        if st.query_params.get_all(key) != want:
            if want:
                st.query_params[key] = want
            elif key in st.query_params:
                del st.query_params[key]


def sidebar_filters() -> Filters:
    """Draw the shared filters in the sidebar, keep them in the URL and return them."""
    opts = q("options")
    _seed(opts)
    country_names = dict(opts["countries"])
    with st.sidebar:
        st.markdown("### Filters")
        st.multiselect(
            "Countries",
            options=list(country_names),
            format_func=lambda c: country_names.get(c, c),
            key=KEYS["countries"],
            placeholder="All countries",
            help="Meetings that at least one of these countries attended.",
        )
        if opts["date_min"] and opts["date_max"]:
            st.date_input(
                "Date range",
                min_value=opts["date_min"],
                max_value=opts["date_max"],
                key=KEYS["dates"],
                format="YYYY-MM-DD",
                help="First day of the meeting.",
            )
        st.multiselect(
            "Meeting series",
            options=opts["series"],
            format_func=lambda s: labels.label(labels.SERIES, s),
            key=KEYS["series"],
            placeholder="All series",
        )
        st.multiselect(
            "Delegation level",
            options=opts["levels"],
            format_func=lambda s: labels.label(labels.LEVELS, s),
            key=KEYS["levels"],
            placeholder="All levels",
            help="Level of a delegate, coded from the title (docs/records.md).",
        )
        st.multiselect(
            "SCO status",
            options=opts["statuses"],
            format_func=lambda s: labels.label(labels.STATUSES, s),
            key=KEYS["statuses"],
            placeholder="All statuses",
            help="The participant's SCO status on the day of the meeting.",
        )
        st.button("Reset filters", on_click=reset_filters, icon=":material/restart_alt:", key="reset_filters")
    f = _from_state(opts)
    st.session_state[CURRENT] = f
    _sync_url(f)
    return f


def current_filters() -> Filters:
    """The filters drawn in the sidebar on this run."""
    return st.session_state.get(CURRENT) or Filters()


def query_string(f: Filters, **extra: str) -> str:
    """The URL query string of the filters plus extra parameters (for links between pages)."""
    from urllib.parse import urlencode

    params = dict(f.to_query_params(), **extra)
    return urlencode(params, doseq=True)


# -- page furniture --------------------------------------------------------------------------------


def ensure_router() -> None:
    """Make sure pages run through dashboard.py (the router), even for a fresh server's first deep link."""
    # Streamlit treats a folder named pages/ beside the entrypoint as its old multipage mode and runs a page file
    # directly, without the entrypoint, until some session has called st.navigation in this process. A link such
    # as /map?countries=KAZ opened first on a fresh server would skip the router (no sidebar filters). The flag
    # is process-wide: switch it off once and rerun, so the router takes over.
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(key: str, caption: str) -> None:
    """The page's title (with its icon) and a caption saying what it shows."""
    ensure_router()
    _, title, icon = PAGES[key]
    st.title(title, anchor=False)
    st.caption(caption)


def filters_caption(f: Filters, n_meetings: int | None = None) -> None:
    """A caption line describing the filters in words."""
    st.caption(f"**Showing:** {f.sentence(n_meetings, names())}")


def require_data() -> Dataset:
    """The dataset; when it is missing or empty, a friendly message and the page stops."""
    ds = dataset()
    if ds.message:
        st.info(ds.message, icon=":material/info:")
        st.stop()
    return ds


def nothing_matches(what: str = "meetings") -> None:
    """The message shown when the filters leave nothing to show."""
    st.info(
        f"No {what} match the current filters. Widen them in the sidebar, or press **Reset filters**.",
        icon=":material/filter_alt_off:",
    )


def today() -> date:
    """Today's date (one place, so tests can rely on it)."""
    return date.today()


# -- downloads -------------------------------------------------------------------------------------

TABLE_QUERIES = {"meetings": "meetings_table", "delegations": "delegations_table", "persons": "persons_table"}
PREVIEW_ROWS = 1000  # rows of a table shown before its download
EAGER_ROWS = 10_000  # a CSV of at most this many rows is made with the page; a larger one when its button is clicked


def _file_bytes(frame, table: str, ext: str) -> bytes:
    from explorer import exports

    if ext == "csv":
        return exports.to_csv_bytes(frame)
    if ext == "xlsx":
        return exports.to_excel_bytes(frame, sheet_name=table)
    if ext == "parquet":
        return exports.to_parquet_bytes(frame)
    return exports.to_json_bytes(frame)


def _table_file(ds: Dataset, table: str, ext: str, f: Filters) -> bytes:
    return _file_bytes(getattr(queries, TABLE_QUERIES[table])(ds, f), table, ext)


@st.cache_data(show_spinner=False, max_entries=128)
def _export(version: str, table: str, ext: str, f: Filters, _ds: Dataset) -> bytes:
    return _table_file(_ds, table, ext, f)


def export_bytes(table: str, ext: str, f: Filters) -> bytes:
    """The bytes of a filtered table's download (the same query as the page shows), cached."""
    ds = dataset()
    return _export(ds.version, table, ext, f, ds)


def export_later(table: str, ext: str, f: Filters):
    """A callable that makes the download's bytes when the button is clicked (large tables, slower formats)."""
    import functools

    return functools.partial(_table_file, dataset(), table, ext, f)


def export_data(table: str, ext: str, f: Filters, rows: int):
    """What a download button gets: the bytes of a small CSV, made now; for a larger table or another format, a
    callable that makes them when the button is clicked."""
    if ext == "csv" and rows <= EAGER_ROWS:
        return export_bytes(table, ext, f)
    return export_later(table, ext, f)


@st.cache_data(show_spinner=False, max_entries=2)
def _dictionary():
    from etl.schema import data_dictionary

    return data_dictionary()


def dictionary():
    """The data dictionary of every table (from the contract, etl.schema)."""
    return _dictionary()


def _zip_bytes(ds: Dataset, dictionary_frame) -> bytes:
    from explorer import exports

    return exports.dataset_zip(queries.dataset_tables(ds), dictionary_frame, version=ds.version.split(":")[-1][:12])


def tables_zip():
    """A callable that makes the whole-dataset zip (tables as CSV and Parquet, dictionary, CITATION.txt) on click."""
    import functools

    return functools.partial(_zip_bytes, dataset(), dictionary())
