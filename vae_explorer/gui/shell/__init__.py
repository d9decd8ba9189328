"""The window's shell: the main window, the app, menus, dialogs, settings, status and help around the features."""
