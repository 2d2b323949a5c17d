"""What each page shows, built from ``data`` + ``figures`` + ``components``.

Pages stay wiring (``register_page``, ``layout``, callbacks); the content they render
lives here so that it can be imported and tested without a running app (Dash only
allows ``register_page`` inside an app).
"""
