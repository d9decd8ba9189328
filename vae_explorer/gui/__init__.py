"""The Qt front end: widgets, layout and workers over the session. No math here."""
