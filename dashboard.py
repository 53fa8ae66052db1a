"""SCO Engagements Explorer: the router. Page config, navigation over pages/, and the shared sidebar filters.

Run: .venv/bin/python -m streamlit run dashboard.py (the dataset comes from $SCO_DATA_DIR or data/processed).
"""

import streamlit as st

from pages._shared import PAGES, app_icon, sidebar_filters

st.set_page_config(
    page_title="SCO Engagements Explorer",
    page_icon=app_icon(),
    layout="wide",
    initial_sidebar_state="expanded",
)

page = st.navigation(
    [
        st.Page(path, title=title, icon=icon, url_path=key, default=(key == "overview"))
        for key, (path, title, icon) in PAGES.items()
    ]
)
sidebar_filters()
page.run()
