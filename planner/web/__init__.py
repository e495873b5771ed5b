"""The web app of ``dakpan serve``: upload, check, plan with live progress, download.

:func:`planner.web.app.create_app` builds the FastAPI app; the modules are
:mod:`~planner.web.store` (uploads and plans under ``--data``),
:mod:`~planner.web.uploads` (checks of uploaded files),
:mod:`~planner.web.jobs` (one solve at a time, with a queue),
:mod:`~planner.web.pages` (the HTML) and :mod:`~planner.web.texts` (Dutch and English).
"""
